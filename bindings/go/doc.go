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
//	shown, err := r.RedactString(line)                // its secrets as <redacted:...> markers
//	err = r.Scan(os.Stdin, "-", func(d tsblog.Diagnosis) error {
//		fmt.Println(d.Rule, d.Summary)            // every diagnosis of a log
//		return nil
//	})
//	sum, err := r.Summarize(f, "operator.log")      // what -o summary-json prints
//
// A Diagnosis has one field per key of a `tsblog -o json` line, with the
// values of that line (the C library hands them over with their lengths, so
// nothing is parsed or unescaped; the strings a rule gives every diagnosis
// are shared between its diagnoses); marshalled by an Encoder whose
// SetEscapeHTML is false it gives the line back (byte for byte on the
// shared test vectors of the C library).  A Summary does the same for
// `tsblog -o summary-json`, decoded with encoding/json.
//
// ScanContext and SummarizeContext stop when their context is done, between
// chunks.  A rule file that cannot be read gives a *RuleError that wraps
// the error of opening it (errors.Is(err, fs.ErrNotExist) for a missing
// file).
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
// The package uses cgo: it needs a C compiler and pkg-config, which finds
// libtsblog (the tsblog.pc module).  The C wrapper that SWIG makes from the
// repository's bindings/tsblog.i is part of the module
// (internal/ctsblog, remade by `go generate ./internal/ctsblog`), so the
// module directory builds on its own, without swig.  Use it through a
// module proxy, or with a `replace` directive pointing at a copy:
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
