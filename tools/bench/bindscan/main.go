// Command bindscan runs the Go binding's public API on one file:
//
//	bindscan scan|summarize FILE
//
// and prints the diagnoses (scan) or problems (summarize) found, then the
// CPU seconds (user + system, getrusage) of the process from before Open
// to the end of the scan.
package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	tsblog "github.com/libtsblog/libtsblog/bindings/go"
)

func cpu() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "scan" && os.Args[1] != "summarize") {
		fmt.Fprintln(os.Stderr, "usage: bindscan scan|summarize FILE")
		os.Exit(2)
	}
	c0 := cpu()
	r, err := tsblog.Open(tsblog.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bindscan:", err)
		os.Exit(2)
	}
	f, err := os.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bindscan:", err)
		os.Exit(2)
	}
	n := 0
	if os.Args[1] == "scan" {
		err = r.Scan(f, os.Args[2], func(tsblog.Diagnosis) error { n++; return nil })
	} else {
		var s tsblog.Summary
		s, err = r.Summarize(f, os.Args[2])
		n = len(s.Problems)
	}
	var se *tsblog.ScanError
	if err != nil && !errors.As(err, &se) {
		fmt.Fprintln(os.Stderr, "bindscan:", err)
		os.Exit(2)
	}
	fmt.Printf("%d\t%.4f\n", n, cpu()-c0)
}
