// Package tsblog is the Go binding of libtsblog: it turns Kubernetes and
// Tetrate Service Bridge log lines into diagnoses (which rule matched, what
// it means, how to fix it), exactly as the tsblog command does.
//
// # Use
//
//	r, err := tsblog.Open(tsblog.Options{RuleFiles: []string{"mine.json"}})
//	if err != nil {
//		var re *tsblog.RuleError // where a rule file is wrong
//		if errors.As(err, &re) {
//			log.Fatalf("%s (line %d, column %d, rule %q)", re, re.Line, re.Column, re.RuleID)
//		}
//		log.Fatal(err)
//	}
//	defer r.Close()
//
//	d, ok := r.MatchLine(line)                        // one line
//	err = r.Scan(os.Stdin, "-", func(d tsblog.Diagnosis) error {
//		fmt.Println(d.Rule, d.Summary)            // every diagnosis of a log
//		return nil
//	})
//	sum, err := r.Summarize(f, "operator.log")      // what -o summary-json prints
//
// A Diagnosis has one field per key of a `tsblog -o json` line and marshals
// to that line byte for byte (with an Encoder whose SetEscapeHTML is false);
// a Summary does the same for `tsblog -o summary-json`.  Both are checked
// against the shared test vectors of the C library.
//
// Scan and Summarize read any log the library knows: plain lines, `kubectl
// logs` with --prefix and --timestamps, Istio/TSB console and JSON logs,
// klog, `kubectl describe pod`, `kubectl get events` (table, or -o json).
// A malformed event in a `kubectl get events -o json` document is skipped
// and reported at the end as a *ScanError, after every diagnosis.
//
// # Concurrency and memory
//
// *Rules may be used by any number of goroutines at once: the compiled rule
// set is shared read-only and every call works with a C matcher or scanner
// of its own.  Close frees the C memory (later calls return ErrClosed); it
// is safe while other calls run, and a finalizer calls it for Rules that
// are dropped.  No value this package returns points into C memory, and C
// keeps no pointer to Go memory after a call returns.
//
// # Building
//
// The package uses cgo and SWIG: `go build` runs SWIG (tested with 4.1) on
// internal/ctsblog/ctsblog.swig, which includes the shared interface
// bindings/tsblog.i of the repository, and finds libtsblog with pkg-config
// (the tsblog.pc module).  Build it from a checkout of the repository, or
// point a `replace` directive at one:
//
//	// go.mod of your program
//	require github.com/libtsblog/libtsblog/bindings/go v0.0.0
//	replace github.com/libtsblog/libtsblog/bindings/go => /src/libtsblog/bindings/go
//
// Against an installed library, pkg-config finds it by itself (or set
// PKG_CONFIG_PATH).  Against a meson build tree that is not installed:
//
//	export PKG_CONFIG_PATH=$builddir/meson-uninstalled LD_LIBRARY_PATH=$builddir/lib
//	go test ./...
//
// meson test --suite bindings runs the tests, go vet and gofmt this way;
// `go test -bench . -run '^$'` compares throughput with the tsblog command
// (see bench_test.go).
package tsblog
