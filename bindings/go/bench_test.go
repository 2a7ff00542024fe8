package tsblog

// Throughput of Scan compared with the tsblog command and with a plain Go
// regexp loop, on a generated log corpus.  Not part of the normal run:
//
//	TSBLOG_EXE=$builddir/tools/tsblog go test -run '^$' -bench . -benchtime 3x
//
// (meson test --benchmark runs this.)  TSBLOG_BENCH_MB sets the corpus size
// (default 150, at most 200); the corpus is written to the temporary
// directory and removed at the end unless TSBLOG_BENCH_KEEP is set.
//
// BenchmarkScanVsCLI is the one to read on a shared machine: it alternates
// the runs it compares.  The others time one thing each (their MB/s are
// comparable only on a quiet machine); the ratios are printed at the end.
// The Go regexp loop leaves out the patterns Go cannot compile (PCRE
// lookahead) and says which.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchCorpus.path != "" && os.Getenv("TSBLOG_BENCH_KEEP") == "" {
		os.Remove(benchCorpus.path)
	}
	printBenchRatios()
	os.Exit(code)
}

var benchCorpus struct {
	once sync.Once
	path string
	size int64
	err  error
}

// corpus returns the generated log, made on first use.
func corpus(b *testing.B) (string, int64) {
	b.Helper()
	benchCorpus.once.Do(func() {
		mb := 150
		if s := os.Getenv("TSBLOG_BENCH_MB"); s != "" {
			if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 200 {
				mb = n
			}
		}
		benchCorpus.path, benchCorpus.size, benchCorpus.err = makeCorpus(testDir(b), int64(mb)<<20)
	})
	if benchCorpus.err != nil {
		b.Fatal(benchCorpus.err)
	}
	return benchCorpus.path, benchCorpus.size
}

// makeCorpus writes a deterministic log of about size bytes, mixed like
// the logs of a TSB control plane: mostly info lines of the operator, edge
// and istiod (Istio console format, some through `kubectl logs --prefix`),
// Envoy access logs, zap JSON and klog lines, some warnings and errors no
// rule knows, and about 2% lines of known problems (the catalog's seed
// lines).
func makeCorpus(testDir string, size int64) (string, int64, error) {
	read := func(name string) ([]string, error) {
		b, err := os.ReadFile(filepath.Join(testDir, "data", name))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
		return out, nil
	}
	seeds, err := read("seed-lines.txt")
	if err != nil {
		return "", 0, err
	}
	infos, err := read("info-lines.txt")
	if err != nil {
		return "", 0, err
	}
	f, err := os.CreateTemp("", "tsblog-go-bench-*.log")
	if err != nil {
		return "", 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(20261120))
	pods := []string{"edge-66f8c9d8b5-4kq2x", "tsb-operator-control-plane-7d9c6b5f4-x2x9z",
		"oap-deployment-5c9d8f7b6-k2j4l", "otel-collector-6f7d9c8b5-p9q8r", "istiod-7f8c9d6b5-m3n4o"}
	scopes := []string{"controlplane", "stream", "ads", "xds", "cache", "default", "klog"}
	comps := []string{"xcpOperator", "istio", "oap", "otelCollector", "ratelimit", "edge"}
	hosts := []string{"reviews.bookinfo.svc.cluster.local", "tsb.tetrate.io", "ratings.bookinfo.svc.cluster.local",
		"productpage.bookinfo.svc.cluster.local", "oap.istio-system.svc.cluster.local"}
	paths := []string{"/api/v1/products/", "/healthz", "/reviews/", "/v2/ratings/", "/static/app.js"}
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	var written int64
	var ts time.Time
	for i := 0; written < size; i++ {
		ts = t0.Add(time.Duration(i) * 13717 * time.Microsecond)
		stamp := ts.Format("2006-01-02T15:04:05.000000Z")
		var line string
		switch p := rng.Intn(1000); {
		case p < 330:
			msgs := []string{
				fmt.Sprintf("applied %d resources for component %s [scope=\"controlplane\"]", rng.Intn(90)+1, comps[rng.Intn(len(comps))]),
				fmt.Sprintf("reconcile finished in %.2fs [scope=\"controlplane\"]", rng.Float64()*3),
				fmt.Sprintf("ADS: \"10.4.%d.%d:%d\" %s-%d.istio-system resources:%d size:%dkB", rng.Intn(255), rng.Intn(255), 40000+rng.Intn(20000), pods[rng.Intn(len(pods))], rng.Intn(100), rng.Intn(40)+1, rng.Intn(900)),
				fmt.Sprintf("Push debounce stable[%d] %d for config ServiceEntry/%s: 100.%dms since last change", rng.Intn(9000), rng.Intn(9)+1, hosts[rng.Intn(len(hosts))], rng.Intn(999)),
			}
			line = stamp + "\tinfo\t" + scopes[rng.Intn(len(scopes))] + "\t" + msgs[rng.Intn(len(msgs))]
		case p < 380:
			line = infos[rng.Intn(len(infos))]
		case p < 520:
			line = fmt.Sprintf("[%s] \"%s %s%d HTTP/1.1\" %d - via_upstream - \"-\" 0 %d %d %d \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" \"%08x-%04x-4%03x-a%03x-%012x\" \"%s\" \"10.4.%d.%d:9080\" outbound|9080||%s 10.4.%d.%d:%d 10.4.%d.%d:9080 10.4.%d.%d:%d - default",
				ts.Format("2006-01-02T15:04:05.000Z"), []string{"GET", "GET", "POST", "PUT"}[rng.Intn(4)], paths[rng.Intn(len(paths))], rng.Intn(1000),
				[]int{200, 200, 200, 204, 304, 404, 503}[rng.Intn(7)], rng.Intn(30000), rng.Intn(200), rng.Intn(200),
				rng.Uint32(), rng.Intn(65536), rng.Intn(4096), rng.Intn(4096), rng.Int63n(1<<48),
				hosts[rng.Intn(len(hosts))], rng.Intn(255), rng.Intn(255), hosts[rng.Intn(len(hosts))],
				rng.Intn(255), rng.Intn(255), 30000+rng.Intn(30000), rng.Intn(255), rng.Intn(255), rng.Intn(255), rng.Intn(255), 30000+rng.Intn(30000))
		case p < 650:
			line = fmt.Sprintf(`{"level":"%s","time":"%s","scope":"%s","msg":"cache refreshed for %s","entries":%d,"duration":"%dms"}`,
				[]string{"info", "info", "debug"}[rng.Intn(3)], stamp, scopes[rng.Intn(len(scopes))], hosts[rng.Intn(len(hosts))], rng.Intn(5000), rng.Intn(900))
		case p < 760:
			line = fmt.Sprintf("I%s %7d reconcile.go:%d] reconciling %s %s/%s", ts.Format("0102 15:04:05.000000"), 1, rng.Intn(400),
				[]string{"ControlPlane", "Deployment", "Service", "Secret"}[rng.Intn(4)], "istio-system", pods[rng.Intn(len(pods))])
		case p < 880:
			line = fmt.Sprintf("[pod/%s/%s] %s\tinfo\t%s\tconnection established to %s:9443\tname=configs-%08x",
				pods[rng.Intn(len(pods))], []string{"edge", "istio-proxy", "operator"}[rng.Intn(3)], stamp,
				scopes[rng.Intn(len(scopes))], hosts[rng.Intn(len(hosts))], rng.Uint32())
		case p < 930:
			line = fmt.Sprintf("%s\tdebug\t%s\tskipping %s: no change in revision %d", stamp, scopes[rng.Intn(len(scopes))], hosts[rng.Intn(len(hosts))], rng.Intn(100000))
		case p < 980:
			msgs := []string{
				fmt.Sprintf("failed to fetch metrics from %s: context deadline exceeded", hosts[rng.Intn(len(hosts))]),
				fmt.Sprintf("retrying request to %s after %dms: upstream connect error or disconnect/reset before headers", hosts[rng.Intn(len(hosts))], rng.Intn(5000)),
				fmt.Sprintf("error syncing pod %s, skipping: failed to \"StartContainer\" for \"edge\" with CrashLoopBackOff", pods[rng.Intn(len(pods))]),
			}
			line = stamp + "\t" + []string{"warn", "error"}[rng.Intn(2)] + "\t" + scopes[rng.Intn(len(scopes))] + "\t" + msgs[rng.Intn(len(msgs))]
		default:
			line = seeds[rng.Intn(len(seeds))]
		}
		n, err := w.WriteString(line + "\n")
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return "", 0, err
		}
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", 0, err
	}
	return f.Name(), written, f.Close()
}

// benchResults keeps the MB/s of the last run of each benchmark, for the
// ratios printed at the end.
var benchResults = struct {
	sync.Mutex
	mbps  map[string]float64
	diags map[string]int
}{mbps: map[string]float64{}, diags: map[string]int{}}

func record(b *testing.B, size int64, elapsed time.Duration, diags int) {
	mbps := float64(size) * float64(b.N) / (1 << 20) / elapsed.Seconds()
	b.ReportMetric(float64(diags), "diagnoses")
	benchResults.Lock()
	benchResults.mbps[b.Name()] = mbps
	benchResults.diags[b.Name()] = diags
	benchResults.Unlock()
}

func printBenchRatios() {
	benchResults.Lock()
	defer benchResults.Unlock()
	if len(benchResults.mbps) == 0 {
		return
	}
	var names []string
	for n := range benchResults.mbps {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Println("\nthroughput (MiB/s of input, last run of each benchmark):")
	for _, n := range names {
		if d, ok := benchResults.diags[n]; ok {
			fmt.Printf("  %-32s %8.1f MiB/s  %d found\n", n, benchResults.mbps[n], d)
		} else {
			fmt.Printf("  %-32s %8.1f MiB/s\n", n, benchResults.mbps[n])
		}
	}
	ratio := func(a, b string) {
		x, okx := benchResults.mbps[a]
		y, oky := benchResults.mbps[b]
		if okx && oky && y > 0 {
			fmt.Printf("  %s / %s = %.0f%%\n", a, b, 100*x/y)
		}
	}
	ratio("BenchmarkScanGo", "BenchmarkScanCLI")
	ratio("BenchmarkSummarizeGo", "BenchmarkSummarizeCLI")
	ratio("BenchmarkScanGo", "BenchmarkScanGoRegexp")
	ratio("BenchmarkScanVsCLI go", "BenchmarkScanVsCLI cli")
	ratio("BenchmarkScanVsCLI go+json", "BenchmarkScanVsCLI cli")
}

func BenchmarkScanGo(b *testing.B) {
	path, size := corpus(b)
	r, err := Open(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	diags := 0
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		diags = 0
		err = r.Scan(f, path, func(d Diagnosis) error {
			diags++
			return nil
		})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	record(b, size, time.Since(start), diags)
}

func BenchmarkSummarizeGo(b *testing.B) {
	path, size := corpus(b)
	r, err := Open(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	problems := 0
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sum, err := r.Summarize(f, path)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		problems = len(sum.Problems)
	}
	record(b, size, time.Since(start), problems)
}

// runCLI runs `tsblog -o FORMAT path` with stdout to w; exit status 1 only
// means that something was found.
func runCLI(b *testing.B, format, path string, w io.Writer) {
	exe := os.Getenv("TSBLOG_EXE")
	if exe == "" {
		b.Skip("TSBLOG_EXE is not set (path of the tsblog command)")
	}
	cmd := exec.Command(exe, "-o", format, path)
	cmd.Stdout = w
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			b.Fatalf("%s: %v", exe, err)
		}
	}
}

type lineCounter struct{ n int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}

func benchCLI(b *testing.B, format string) {
	path, size := corpus(b)
	// Count once what it finds (not timed), then time it writing to
	// /dev/null, its cheapest output.
	var count lineCounter
	if format == "json" {
		runCLI(b, format, path, &count)
	} else {
		var doc bytes.Buffer
		runCLI(b, format, path, &doc)
		var s struct{ Problems []json.RawMessage }
		if err := json.Unmarshal(doc.Bytes(), &s); err != nil {
			b.Fatal(err)
		}
		count.n = len(s.Problems)
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		runCLI(b, format, path, devnull)
	}
	record(b, size, time.Since(start), count.n)
}

func BenchmarkScanCLI(b *testing.B)      { benchCLI(b, "json") }
func BenchmarkSummarizeCLI(b *testing.B) { benchCLI(b, "summary-json") }

// BenchmarkScanVsCLI alternates runs of `tsblog -o json` and of Scan on
// the corpus and compares the best time of each, which is what to look at
// on a busy machine: a load that comes and goes hits all alike.  Scan is
// timed twice: delivering Diagnosis values (go), and also writing each as
// its JSON line to /dev/null (go+json: the CLI's output).
func BenchmarkScanVsCLI(b *testing.B) {
	path, size := corpus(b)
	if os.Getenv("TSBLOG_EXE") == "" {
		b.Skip("TSBLOG_EXE is not set (path of the tsblog command)")
	}
	r, err := Open(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	scan := func(toJSON bool) func() {
		return func() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			out := bufio.NewWriterSize(devnull, 64<<10)
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			err = r.Scan(f, path, func(d Diagnosis) error {
				if toJSON {
					return enc.Encode(d)
				}
				return nil
			})
			if err == nil {
				err = out.Flush()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	runs := []struct {
		name string
		run  func()
		best time.Duration
	}{
		{"cli", func() { runCLI(b, "json", path, devnull) }, 0},
		{"go", scan(false), 0},
		{"go+json", scan(true), 0},
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range runs {
			x := &runs[(i+k)%len(runs)]
			t := time.Now()
			x.run()
			if d := time.Since(t); x.best == 0 || d < x.best {
				x.best = d
			}
		}
	}
	mb := float64(size) / (1 << 20)
	benchResults.Lock()
	defer benchResults.Unlock()
	for _, x := range runs {
		b.ReportMetric(mb/x.best.Seconds(), x.name+"-MiB/s")
		benchResults.mbps["BenchmarkScanVsCLI "+x.name] = mb / x.best.Seconds()
	}
	b.ReportMetric(100*runs[0].best.Seconds()/runs[2].best.Seconds(), "go+json/cli-%")
}

// goRegexps turns the catalog's patterns into Go regexps: %{NAME} and
// %{NAME:field} expanded, (?<name> written (?P<name>, the PCRE verb
// (*COMMIT) dropped.  Patterns Go cannot compile (lookahead) are skipped
// and returned by id.
func goRegexps(b *testing.B) (res []*regexp.Regexp, skipped []string) {
	var cat struct {
		Patterns map[string]string `json:"patterns"`
		Rules    []struct {
			ID    string `json:"id"`
			Match string `json:"match"`
		} `json:"rules"`
	}
	raw, err := os.ReadFile(filepath.Join(testDir(b), "..", "rules", "tsb.json"))
	if err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(raw, &cat); err != nil {
		b.Fatal(err)
	}
	macro := regexp.MustCompile(`%\{([A-Z0-9_]+)(?::([a-z0-9_]+))?\}`)
	var expand func(string, int) string
	expand = func(p string, depth int) string {
		if depth > 10 {
			return p
		}
		return macro.ReplaceAllStringFunc(p, func(m string) string {
			sub := macro.FindStringSubmatch(m)
			body := expand(cat.Patterns[sub[1]], depth+1)
			if sub[2] != "" {
				return "(?P<" + sub[2] + ">" + body + ")"
			}
			return "(?:" + body + ")"
		})
	}
	for _, r := range cat.Rules {
		p := expand(r.Match, 0)
		p = strings.ReplaceAll(p, "(*COMMIT)", "")
		p = strings.ReplaceAll(p, "(?<", "(?P<")
		p = strings.ReplaceAll(p, "(?P<=", "(?<=") // not a name
		re, err := regexp.Compile(p)
		if err != nil {
			skipped = append(skipped, r.ID)
			continue
		}
		res = append(res, re)
	}
	return res, skipped
}

// BenchmarkScanGoRegexp: the plain Go way, line by line, first matching
// pattern wins, fields extracted; no envelopes, no rendering.
func BenchmarkScanGoRegexp(b *testing.B) {
	path, size := corpus(b)
	res, skipped := goRegexps(b)
	if len(skipped) > 0 {
		b.Logf("Go regexp cannot compile %d of %d rules (lookahead): %s; they are left out",
			len(skipped), len(skipped)+len(res), strings.Join(skipped, ", "))
	}
	b.SetBytes(size)
	b.ResetTimer()
	start := time.Now()
	diags := 0
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		diags = 0
		for sc.Scan() {
			line := sc.Bytes()
			for _, re := range res {
				if m := re.FindSubmatchIndex(line); m != nil {
					diags++
					break
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
	}
	record(b, size, time.Since(start), diags)
}
