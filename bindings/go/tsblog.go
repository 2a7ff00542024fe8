package tsblog

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	c "github.com/libtsblog/libtsblog/bindings/go/internal/ctsblog"
)

// Options say which rules to compile and how to scan.
type Options struct {
	// RuleFiles are loaded in this order, before the bundled catalog.
	// The first rule that matches a line wins, so these override it.
	RuleFiles []string
	// NoBuiltin leaves the bundled TSB catalog out.
	NoBuiltin bool
	// MaxRecord is the longest line Scan and Summarize keep whole, in
	// bytes; a longer one is matched on its first MaxRecord bytes (and
	// counted in Summary.Truncated).  0 means the library's default,
	// 1 MiB.
	MaxRecord int
	// NoRedact keeps secrets in what diagnoses quote.  By default JWTs,
	// bearer tokens, PEM blocks and private JWK members are replaced by
	// markers such as <redacted:jwt>, as the C library and the tsblog
	// command do.
	NoRedact bool
	// Jobs is how many threads Scan and Summarize may use on a regular
	// file of more than 1 MiB given as an *os.File (as the tsblog
	// command's -j); the results are the same for any value.  0 means
	// one per CPU (runtime.NumCPU()), 1 the calling goroutine's thread.
	Jobs int
}

// Rules is a compiled, immutable rule set.
//
// It is safe for concurrent use by any number of goroutines: the C rule set
// is shared read-only, and each call uses a matcher or scanner of its own.
// Close releases the C memory; it may be called at any time, from any
// goroutine (a Scan callback included), and more than once.  Calls that are
// running when Close is called finish their current C call, then the last
// of them frees the memory; Scan and Summarize return ErrClosed at their
// next chunk, later calls return ErrClosed (MatchLine: false).  A finalizer
// closes Rules that are dropped without Close.
type Rules struct {
	mu        sync.Mutex
	rs        c.Struct_SS_tsblog_ruleset // nil once freed
	users     int                        // calls using rs
	closed    bool
	idle      []*matcher // matchers ready for MatchLine
	ids       []string
	maxRecord int
	noRedact  bool
	jobs      int
}

// matcher is a C matcher, the error report its calls write to and what
// they found; used by one goroutine at a time.
type matcher struct {
	m     c.Struct_SS_tsblog_matcher
	err   c.Tsblog_error
	found c.Struct_SS_tsblog_b_found
	dec   decoder
}

// chunkSize is how much Scan reads and hands to C at a time, as the
// tsblog command does.
const chunkSize = 256 * 1024

// maxEmptyReads is how many reads in a row may return nothing and no error
// before Scan gives up with io.ErrNoProgress (as bufio.Reader does).
const maxEmptyReads = 100

// liveRulesets counts C rule sets not yet freed (for the tests).
var liveRulesets int64

var chunkPool = sync.Pool{New: func() interface{} {
	b := make([]byte, chunkSize)
	return &b
}}

// Version is the version of the C library in use ("0.1.0").
func Version() string { return c.Tsblog_version() }

// Open compiles opts.RuleFiles, then (unless opts.NoBuiltin) the bundled
// catalog.  A rule file that cannot be loaded gives a *RuleError.
func Open(opts Options) (*Rules, error) {
	return build(nil, opts)
}

// FromString compiles the rule file text (name is used in error messages;
// "" means "<string>"), then opts.RuleFiles, then (unless opts.NoBuiltin)
// the bundled catalog.
func FromString(text, name string, opts Options) (*Rules, error) {
	if name == "" {
		name = "<string>"
	}
	return build(&stringRules{text, name}, opts)
}

type stringRules struct{ text, name string }

var errNoMem = &Error{Code: CodeNoMem, Message: "out of memory"}

// newCError allocates a zeroed tsblog_error; free it with
// c.DeleteTsblog_error.
func newCError() (c.Tsblog_error, error) {
	e := c.NewTsblog_error()
	if e.Swigcptr() == 0 {
		return nil, errNoMem
	}
	return e, nil
}

func build(str *stringRules, opts Options) (*Rules, error) {
	if opts.MaxRecord < 0 {
		return nil, fmt.Errorf("tsblog: MaxRecord %d is negative", opts.MaxRecord)
	}
	if opts.Jobs < 0 {
		return nil, fmt.Errorf("tsblog: Jobs %d is negative", opts.Jobs)
	}
	if opts.Jobs == 0 {
		opts.Jobs = runtime.NumCPU()
	}
	e, err := newCError()
	if err != nil {
		return nil, err
	}
	defer c.DeleteTsblog_error(e)
	b := c.Tsblog_b_builder_new(e)
	if b.Swigcptr() == 0 {
		return nil, newRuleError(e)
	}
	defer c.Tsblog_builder_free(b)
	rc := 0
	if str != nil {
		rc = c.Tsblog_builder_add_string(b, str.name, str.text, e)
	}
	for _, path := range opts.RuleFiles {
		if rc < 0 {
			break
		}
		rc = c.Tsblog_builder_add_file(b, path, e)
	}
	if rc >= 0 && !opts.NoBuiltin {
		rc = c.Tsblog_builder_add_builtin(b, e)
	}
	if rc < 0 {
		return nil, newRuleError(e)
	}
	rs := c.Tsblog_b_builder_build(b, e)
	if rs.Swigcptr() == 0 {
		return nil, newRuleError(e)
	}
	n := int(c.Tsblog_ruleset_count(rs))
	r := &Rules{rs: rs, ids: make([]string, n), maxRecord: opts.MaxRecord,
		noRedact: opts.NoRedact, jobs: opts.Jobs}
	for i := range r.ids {
		r.ids[i] = c.Tsblog_rule_id(c.Tsblog_ruleset_rule(rs, int64(i)))
	}
	atomic.AddInt64(&liveRulesets, 1)
	runtime.SetFinalizer(r, (*Rules).Close)
	return r, nil
}

// RuleIDs returns the ids of the rules in matching order (nil after Close).
func (r *Rules) RuleIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	return append([]string(nil), r.ids...)
}

// Close releases the C rule set and matchers (see Rules).  It returns nil.
func (r *Rules) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.freeLocked()
	r.mu.Unlock()
	runtime.SetFinalizer(r, nil)
	return nil
}

// freeLocked frees the C memory if nothing uses it any more: matchers
// first, then the rule set they were made from.  r.mu is held.
func (r *Rules) freeLocked() {
	if !r.closed || r.users > 0 || r.rs == nil {
		return
	}
	for _, m := range r.idle {
		m.free()
	}
	c.Tsblog_ruleset_free(r.rs)
	r.idle, r.rs, r.ids = nil, nil, nil
	atomic.AddInt64(&liveRulesets, -1)
}

// acquire counts a user of the rule set, unless Rules are closed.
func (r *Rules) acquire() (c.Struct_SS_tsblog_ruleset, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	r.users++
	return r.rs, nil
}

// release ends a use; the last one after Close frees the C memory.  Every
// matcher or scanner the user made must be freed before.
func (r *Rules) release() {
	r.mu.Lock()
	r.users--
	r.freeLocked()
	r.mu.Unlock()
}

func (r *Rules) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

func (m *matcher) free() {
	c.Tsblog_matcher_free(m.m)
	c.Tsblog_b_found_free(m.found)
	c.DeleteTsblog_error(m.err)
}

// getMatcher takes an idle matcher or makes one, and counts a user.
func (r *Rules) getMatcher() (*matcher, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	r.users++
	rs := r.rs
	var m *matcher
	if n := len(r.idle); n > 0 {
		m = r.idle[n-1]
		r.idle[n-1] = nil
		r.idle = r.idle[:n-1]
	}
	r.mu.Unlock()
	if m != nil {
		return m, nil
	}
	m = &matcher{found: c.Tsblog_b_found_new(c.TSBLOG_B_PACKED)}
	var err error
	if m.err, err = newCError(); err == nil && m.found.Swigcptr() == 0 {
		err = errNoMem
	}
	if err == nil {
		if m.m = c.Tsblog_b_matcher_new(rs, m.err); m.m.Swigcptr() == 0 {
			err = newError(m.err)
		}
	}
	if err != nil {
		m.free()
		r.release()
		return nil, err
	}
	if r.noRedact {
		c.Tsblog_matcher_set_redact(m.m, 0)
	}
	return m, nil
}

// putMatcher keeps m for the next call (a few per CPU), or frees it, and
// ends the use.
func (r *Rules) putMatcher(m *matcher) {
	r.mu.Lock()
	keep := !r.closed && len(r.idle) < 2*runtime.GOMAXPROCS(0)
	if keep {
		r.idle = append(r.idle, m)
	}
	r.mu.Unlock()
	if !keep {
		m.free()
	}
	r.release()
}

// MatchLine finds the first rule, in matching order, that matches line
// (any bytes) and returns its diagnosis.  The line is matched as the C
// library's tsblog_matcher_match() does, with no envelope (timestamps,
// kubectl prefixes) removed: Scan does that.
// Source is nil and Line 0 in the result.  It returns false if no rule
// matches, after Close, and in the unlikely case of an error, which Match
// reports.
func (r *Rules) MatchLine(line string) (Diagnosis, bool) {
	d, ok, _ := r.match(line)
	return d, ok
}

// Match is MatchLine for a byte slice, reporting errors (ErrClosed, or an
// *Error if the C library runs out of memory).  line is only read during
// the call.
func (r *Rules) Match(line []byte) (Diagnosis, bool, error) {
	return r.match(bytesView(line))
}

// Envelope is what a log engine knows of a record it has split off
// (Kubernetes metadata, its time and level); "" is unknown.
type Envelope struct {
	Pod, Namespace, Container, Timestamp, Level string
}

// MatchRecord diagnoses one record as the tsblog command reads one line of
// a file: its own envelope (kubectl prefix and timestamps, JSON, klog,
// console) is unwrapped, and each non-empty field of env replaces what the
// record says, in the diagnosis and for rules' context conditions (C:
// tsblog_matcher_match_envelope).  Errors as Match.
func (r *Rules) MatchRecord(msg []byte, env Envelope) (Diagnosis, bool, error) {
	return r.matchWith(func(m *matcher) int64 {
		return int64(c.Tsblog_b_match_envelope(m.found, m.m, bytesView(msg), env.Pod,
			env.Namespace, env.Container, env.Timestamp, env.Level, m.err))
	})
}

func (r *Rules) match(line string) (Diagnosis, bool, error) {
	return r.matchWith(func(m *matcher) int64 {
		return int64(c.Tsblog_b_match(m.found, m.m, line, m.err))
	})
}

// matchWith runs one match call on a pooled matcher and decodes its result.
func (r *Rules) matchWith(call func(*matcher) int64) (Diagnosis, bool, error) {
	m, err := r.getMatcher()
	if err != nil {
		return Diagnosis{}, false, err
	}
	var d Diagnosis
	rc := call(m)
	if rc < 0 {
		err = newError(m.err)
	} else if rc > 0 {
		err = m.dec.decode(c.FoundView(m.found), func(x Diagnosis) error {
			d = x
			return nil
		})
	}
	r.putMatcher(m)
	return d, rc > 0 && err == nil, err
}

// Redact returns line with each secret replaced by its marker, as the
// tsblog command's --passthrough shows input lines, or line itself if it
// holds none.  The secrets are those diagnoses have redacted: JWTs
// (<redacted:jwt>), bearer tokens (<redacted:token>), PEM blocks
// (<redacted:pem>), keys, passwords...; the C library's
// TSBLOG_SCAN_NO_REDACT (tsblog/scanner.h) lists every form and its
// marker.  Options.NoRedact does not turn this off (it is about
// diagnoses).  Every other byte is kept as it is: invalid UTF-8, NUL and
// control bytes too.  Secrets are looked for in line as a whole, so give
// it whole lines: a secret cut in two may not be recognised in either
// piece.  A redacted line is a new slice; line is only read during the
// call.  On an error (ErrClosed, or an *Error if the C library runs out of
// memory) the result is nil, never the line unredacted.
func (r *Rules) Redact(line []byte) ([]byte, error) {
	var out []byte
	red, err := r.redact(bytesView(line), func(s string) { out = []byte(s) })
	if err != nil {
		return nil, err
	}
	if !red {
		return line, nil
	}
	return out, nil
}

// RedactString is Redact for a string; on an error the result is "".
func (r *Rules) RedactString(line string) (string, error) {
	var out string
	red, err := r.redact(line, func(s string) { out = strings.Clone(s) })
	if err != nil {
		return "", err
	}
	if !red {
		return line, nil
	}
	return out, nil
}

// redact runs tsblog_b_redact on a pooled matcher.  If line held a secret
// it returns true, after keep has copied the redacted line out of the C
// memory it is handed.
func (r *Rules) redact(line string, keep func(string)) (bool, error) {
	m, err := r.getMatcher()
	if err != nil {
		return false, err
	}
	rc := c.Tsblog_b_redact(m.found, m.m, line, m.err)
	if rc < 0 {
		err = newError(m.err)
	} else if rc > 0 {
		keep(c.FoundView(m.found))
	}
	r.putMatcher(m)
	return rc > 0, err
}

// Scan reads everything from in, as the tsblog command reads a file, and
// calls fn with each diagnosis in input order.  source names the input in
// the diagnoses ("" means "-").  Lines may be of any format the library
// reads: plain, `kubectl logs` with --prefix/--timestamps, JSON, klog,
// `kubectl describe pod` and `kubectl get events` (table or -o json).
//
// An *os.File that is a regular file is read and scanned by C as the tsblog
// command reads a file (on Options.Jobs threads if it is over 1 MiB), from
// its offset to its end, in the background, with the diagnoses handed
// over in batches.  Other readers are read here and handed to C in chunks
// of 256 KiB as Read returns them (fn is called after each chunk), so Scan
// also works on an endless stream such as `kubectl logs -f`; ScanContext
// stops one.
//
// If fn returns an error, Scan stops and returns that error unchanged.
// Errors of in are returned wrapped, and a reader that returns nothing
// and no error 100 times in a row gives io.ErrNoProgress.  A malformed
// event in a `kubectl get events -o json` document does not stop the scan
// (the tsblog command does the same): the event is skipped, and once the
// whole input has been scanned and every diagnosis delivered, Scan returns
// a *ScanError listing the malformed events.  fn may be nil to only check
// the input.
func (r *Rules) Scan(in io.Reader, source string, fn func(Diagnosis) error) error {
	return r.ScanContext(context.Background(), in, source, fn)
}

// ScanContext is Scan that also stops, with ctx.Err(), when ctx is done:
// it checks before each chunk or batch.  A Read that blocks is not interrupted; to
// stop one, close the reader (or use a reader that watches ctx).
func (r *Rules) ScanContext(ctx context.Context, in io.Reader, source string,
	fn func(Diagnosis) error) error {
	_, err := r.scan(ctx, in, source, fn, false)
	return err
}

// Summarize reads everything from in and returns what the tsblog command
// prints with -o summary-json: totals, the distinct problems and the
// unclassified warnings and errors.  source names the input ("" means
// "-").  If the input held malformed events it returns the complete
// summary and a *ScanError (see Scan); on any other error, a zero Summary.
func (r *Rules) Summarize(in io.Reader, source string) (Summary, error) {
	return r.SummarizeContext(context.Background(), in, source)
}

// SummarizeContext is Summarize that stops when ctx is done, as
// ScanContext does.
func (r *Rules) SummarizeContext(ctx context.Context, in io.Reader,
	source string) (Summary, error) {
	return r.scan(ctx, in, source, nil, true)
}

// scanner is one scan's C state.
type scanner struct {
	s     c.Struct_SS_tsblog_scanner
	err   c.Tsblog_error
	found c.Struct_SS_tsblog_b_found
	fn    func(Diagnosis) error
	dec   decoder
	// malformed events, reported at the end
	events []*Error
}

func (sc *scanner) free() {
	c.Tsblog_scanner_free(sc.s)
	c.Tsblog_b_found_free(sc.found)
	c.DeleteTsblog_error(sc.err)
}

func (r *Rules) scan(ctx context.Context, in io.Reader, source string,
	fn func(Diagnosis) error, summarize bool) (Summary, error) {
	rs, err := r.acquire()
	if err != nil {
		return Summary{}, err
	}
	defer r.release()
	if source == "" {
		source = "-"
	}
	flags := uint(0)
	if !summarize {
		flags = c.TSBLOG_SCAN_NO_SUMMARY
	} else if fn == nil {
		// Only the summary is wanted: repeats are counted, not rendered.
		flags = c.TSBLOG_SCAN_FIRST_SIGHTINGS
	}
	if r.noRedact {
		flags |= c.TSBLOG_SCAN_NO_REDACT
	}
	diagnoses := 0
	if fn != nil {
		diagnoses = c.TSBLOG_B_PACKED
	}
	sc := &scanner{fn: fn, found: c.Tsblog_b_found_new(diagnoses)}
	// Freed before release() (deferred earlier, so run later) can free rs.
	defer sc.free()
	if sc.err, err = newCError(); err != nil {
		return Summary{}, err
	}
	if sc.found.Swigcptr() == 0 {
		return Summary{}, errNoMem
	}
	sc.s = c.Tsblog_b_scanner_new(rs, source, flags, int64(r.maxRecord), uint(r.jobs), sc.err)
	if sc.s.Swigcptr() == 0 {
		return Summary{}, newError(sc.err)
	}
	if f, ok := in.(*os.File); ok && isRegular(f) {
		err = sc.file(ctx, r, f)
	} else {
		err = sc.reader(ctx, r, in, source)
	}
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	if summarize {
		if c.Tsblog_b_summary(sc.found, sc.s, sc.err) < 0 {
			return Summary{}, newError(sc.err)
		}
		if sum, err = decodeSummary(c.Tsblog_b_found_lines(sc.found)); err != nil {
			return Summary{}, fmt.Errorf("tsblog: reading the summary: %w", err)
		}
	}
	if len(sc.events) > 0 {
		return sum, &ScanError{Errors: sc.events}
	}
	return sum, nil
}

func isRegular(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode().IsRegular()
}

// file has C read f and scan it (tsblog_b_fd_new) and delivers what it
// found, batch after batch.
func (sc *scanner) file(ctx context.Context, r *Rules, f *os.File) error {
	h := c.Tsblog_b_fd_new(sc.s, int(f.Fd()), sc.found, sc.err)
	if h.Swigcptr() == 0 {
		return newError(sc.err)
	}
	defer runtime.KeepAlive(f)
	// Stops the scan if it still runs, and waits for its thread.
	defer c.Tsblog_b_fd_free(h)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.isClosed() {
			return ErrClosed
		}
		rc := c.Tsblog_b_fd_next(h, sc.found, sc.err)
		if rc < 0 {
			return newError(sc.err)
		}
		if err := sc.deliver(); err != nil || rc == 0 {
			return err
		}
	}
}

// reader reads in and hands it to C chunk by chunk.
func (sc *scanner) reader(ctx context.Context, r *Rules, in io.Reader, source string) error {
	bufp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bufp)
	buf := *bufp
	for empty := 0; ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := in.Read(buf)
		if n > 0 {
			empty = 0
			if err := sc.chunk(r, bytesView(buf[:n]), false); err != nil {
				return err
			}
		} else if rerr == nil {
			if empty++; empty >= maxEmptyReads {
				rerr = io.ErrNoProgress
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("tsblog: reading %s: %w", source, rerr)
		}
	}
	return sc.chunk(r, "", true)
}

// chunk scans data (and with finish, ends the input) and delivers what it
// found.  C keeps no pointer into data after the call.
func (sc *scanner) chunk(r *Rules, data string, finish bool) error {
	if r.isClosed() {
		return ErrClosed
	}
	fin := 0
	if finish {
		fin = 1
	}
	if c.Tsblog_b_scan(sc.found, sc.s, data, fin, sc.err) < 0 {
		return newError(sc.err)
	}
	return sc.deliver()
}

// deliver keeps the malformed events of sc.found and calls fn with its
// diagnoses.
func (sc *scanner) deliver() error {
	for i := int64(0); i < c.Tsblog_b_found_events(sc.found); i++ {
		sc.events = append(sc.events, newError(c.Tsblog_b_found_event(sc.found, i)))
	}
	if sc.fn == nil {
		return nil
	}
	return sc.dec.decode(c.FoundView(sc.found), sc.fn)
}

// decodeSummary reads the document of tsblog_scanner_summary_json().
func decodeSummary(doc string) (Summary, error) {
	var s Summary
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		return Summary{}, err
	}
	// Marshalled again, empty lists stay [] rather than null.
	if s.LimitHitRules == nil {
		s.LimitHitRules = []LimitHit{}
	}
	if s.Problems == nil {
		s.Problems = []Problem{}
	}
	if s.Unclassified == nil {
		s.Unclassified = []Unclassified{}
	}
	return s, nil
}

// MergeSummaries merges summaries (from Summarize, or decoded `tsblog -o
// summary-json` documents, of any nodes, files or parts of an archive)
// into one, as `tsblog summary merge` does: counts add, first and last
// times are the earliest and latest, the first sighting is the earliest by
// (time, source, line), sources are joined.  The result is the same
// whatever the order or grouping of sums; no argument gives the empty
// summary.
func MergeSummaries(sums ...Summary) (Summary, error) {
	e, err := newCError()
	if err != nil {
		return Summary{}, err
	}
	defer c.DeleteTsblog_error(e)
	found := c.Tsblog_b_found_new(0)
	if found.Swigcptr() == 0 {
		return Summary{}, errNoMem
	}
	defer c.Tsblog_b_found_free(found)
	acc := ""
	// Merging is associative: fold left, two at a time.
	for i := 0; i < len(sums) || i == 0; i++ {
		next := ""
		if i < len(sums) {
			b, err := json.Marshal(sums[i])
			if err != nil {
				return Summary{}, err
			}
			next = string(b)
		}
		if c.Tsblog_b_summary_merge(found, acc, next, e) < 0 {
			return Summary{}, newError(e)
		}
		acc = c.Tsblog_b_found_lines(found)
	}
	return decodeSummary(acc)
}

// bytesView returns b as a string without copying.  Only for handing to C
// for the duration of one call, which reads it and keeps no pointer to it;
// nothing keeps the string afterwards.
func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return *(*string)(unsafe.Pointer(&b))
}

// CheckFailure is one failed self-test of a rule (see Check).
type CheckFailure struct {
	RuleID  string
	Source  string // the rule file
	Line    int    // where the example is in that file
	Column  int
	Kind    string // the member: "examples", "counter_examples", "see_also"; for warnings "match" or "literal"
	Index   int    // which one (0-based)
	Message string // the C library's one line, with the location first
	// Severity is "error" for a failed self-test and "warning" for a lint
	// (no or short literal, backtracking on padded examples).
	Severity string
}

func (f CheckFailure) String() string { return f.Message }

// Check runs every rule's self-tests (examples, counter-examples, see_also
// ids) and lints as `tsblog rules check` does, and returns the failures and
// warnings (nil when all pass).
func (r *Rules) Check() ([]CheckFailure, error) {
	rs, err := r.acquire()
	if err != nil {
		return nil, err
	}
	defer r.release()
	e, err := newCError()
	if err != nil {
		return nil, err
	}
	defer c.DeleteTsblog_error(e)
	found := c.Tsblog_b_found_new(0)
	if found.Swigcptr() == 0 {
		return nil, errNoMem
	}
	defer c.Tsblog_b_found_free(found)
	if c.Tsblog_b_check(found, rs, e) < 0 {
		return nil, newError(e)
	}
	var out []CheckFailure
	for i := int64(0); i < c.Tsblog_b_found_checks(found); i++ {
		x := c.Tsblog_b_found_check(found, i)
		out = append(out, CheckFailure{RuleID: x.GetRule_id(), Source: x.GetSource(),
			Line: x.GetLine(), Column: x.GetColumn(), Kind: x.GetKind(),
			Index: int(x.GetIndex()), Message: x.GetMessage(),
			Severity: c.Tsblog_severity_name(x.GetSeverity())})
	}
	return out, nil
}
