package tsblog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	c "github.com/libtsblog/libtsblog/bindings/go/internal/ctsblog"
)

const (
	// A line of the bundled catalog's first rule, without an envelope.
	saLine = "token rotation failed, retrying in 15m0s: secret istio-system/cluster-service-account not found"
	saRule = "cp-sa-secret-missing"
)

func open(t testing.TB, opts Options) *Rules {
	t.Helper()
	r, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func readTestFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func str(s string) *string { return &s }

// scanAll returns the marshalled diagnoses of a scan and its error.
func scanAll(t testing.TB, r *Rules, in io.Reader, source string) ([]string, error) {
	t.Helper()
	var out []string
	err := r.Scan(in, source, func(d Diagnosis) error {
		out = append(out, marshalLine(t, d))
		return nil
	})
	return out, err
}

func TestVersion(t *testing.T) {
	if !regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+`).MatchString(Version()) {
		t.Errorf("Version() = %q", Version())
	}
}

func TestRuleIDs(t *testing.T) {
	// The bundled files, in the order rules/catalog.txt gives.
	var want []string
	for _, name := range splitLines(readTestFile(t, filepath.Join("..", "rules", "catalog.txt"))) {
		if name = strings.TrimSpace(name); name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		var file struct {
			Rules []struct {
				ID string `json:"id"`
			} `json:"rules"`
		}
		if err := json.Unmarshal(readTestFile(t, filepath.Join("..", "rules", name)), &file); err != nil {
			t.Fatal(err)
		}
		for _, r := range file.Rules {
			want = append(want, r.ID)
		}
	}
	r := open(t, Options{})
	ids := r.RuleIDs()
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("RuleIDs() = %q, want %q", ids, want)
	}
	ids[0] = "changed"
	if r.RuleIDs()[0] != want[0] {
		t.Error("RuleIDs returns the internal slice")
	}
	none := open(t, Options{NoBuiltin: true})
	if ids := none.RuleIDs(); len(ids) != 0 {
		t.Errorf("NoBuiltin: RuleIDs() = %q", ids)
	}
	if _, ok := none.MatchLine(saLine); ok {
		t.Error("NoBuiltin: a line matched")
	}
}

func TestMatchLine(t *testing.T) {
	r := open(t, Options{})
	d, ok := r.MatchLine(saLine)
	if !ok {
		t.Fatal("no match")
	}
	want := Diagnosis{
		Rule:      saRule,
		Severity:  "error",
		Component: str("tsb-operator-control-plane"),
		Title:     "Cluster service account secret is missing",
		Summary:   "tsb-operator-control-plane cannot rotate the cluster tokens because secret cluster-service-account does not exist in namespace istio-system.",
		Fix:       d.Fix, // checked below
		Fields: Fields{
			{"namespace", "istio-system"},
			{"secret", "cluster-service-account"},
		},
		SeeAlso: []string{"cp-cluster-name-mismatch", "edge-auth-token-secret-missing"},
		Docs:    d.Docs,
		Count:   1,
		Text:    saLine,
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("MatchLine:\ngot  %#v\nwant %#v", d, want)
	}
	if len(d.Fix) != 7 || d.Fix[0] != "Confirm the secret is missing: kubectl -n istio-system get secret cluster-service-account" {
		t.Errorf("Fix = %q", d.Fix)
	}
	if d.Docs == nil || !strings.HasPrefix(*d.Docs, "TSB docs: Troubleshooting > Cluster onboarding") {
		t.Errorf("Docs = %v", d.Docs)
	}
	if v, ok := d.Fields.Get("secret"); !ok || v != "cluster-service-account" {
		t.Errorf("Fields.Get(secret) = %q, %v", v, ok)
	}
	if _, ok := d.Fields.Get("nope"); ok {
		t.Error("Fields.Get(nope) found something")
	}
	if m := d.Fields.Map(); len(m) != 2 || m["namespace"] != "istio-system" {
		t.Errorf("Fields.Map() = %v", m)
	}
	// The JSON has source and line null, and is what C makes.
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`,"source":null,"line":null,"timestamp":null,"level":null,"pod":null,"container":null,"namespace":null,"count":1,"text":"token rotation failed`)) {
		t.Errorf("JSON: %s", js)
	}
	if got, want := marshalLine(t, d), cMatchJSON(t, r, saLine); got != want {
		t.Errorf("MarshalJSON differs from C:\ngot  %s\nwant %s", got, want)
	}

	// Match: the same through a byte slice, with the error.
	d2, ok, err := r.Match([]byte(saLine))
	if !ok || err != nil || !reflect.DeepEqual(d2, d) {
		t.Errorf("Match = %v, %v", ok, err)
	}
	for _, line := range []string{"", "hello", "error\tsomething else went wrong"} {
		if d, ok := r.MatchLine(line); ok {
			t.Errorf("MatchLine(%q) matched %s", line, d.Rule)
		}
		if _, ok, err := r.Match([]byte(line)); ok || err != nil {
			t.Errorf("Match(%q) = %v, %v", line, ok, err)
		}
	}
}

// cMatchJSON is the C library's JSON for line (without "\n"), straight
// from the SWIG helper.
func cMatchJSON(t testing.TB, r *Rules, line string) string {
	t.Helper()
	m, err := r.getMatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer r.putMatcher(m)
	found := c.Tsblog_b_found_new(c.TSBLOG_B_JSON)
	defer c.Tsblog_b_found_free(found)
	if c.Tsblog_b_match(found, m.m, line, m.err) != 1 {
		t.Fatalf("C: no match for %q", line)
	}
	return strings.TrimSuffix(c.Tsblog_b_found_lines(found), "\n")
}

// sameJSON says whether two JSON texts hold the same value.
func sameJSON(t testing.TB, a, b string) bool {
	t.Helper()
	var x, y interface{}
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

// TestMatchLineForwards: MatchLine hands the line to C as it is, a
// trailing "\n" or "\r\n" included, and gets what C's matcher gives.
func TestMatchLineForwards(t *testing.T) {
	r := open(t, Options{})
	for _, line := range []string{saLine + "\n", saLine + "\r\n"} {
		d, ok := r.MatchLine(line)
		if !ok || d.Rule != saRule {
			t.Fatalf("MatchLine(%q): %v %s", line, ok, d.Rule)
		}
		if got, want := marshalLine(t, d), cMatchJSON(t, r, line); got != want {
			t.Errorf("%q:\ngot  %s\nwant %s", line, got, want)
		}
	}
}

// TestSeedLines: every seed line gives the rule and fields of
// tests/data/seed-expected.tsv, as tests/test-matcher.c checks in C.
func TestSeedLines(t *testing.T) {
	r := open(t, Options{})
	lines := splitLines(readTestFile(t, "data/seed-lines.txt"))
	for _, rec := range splitLines(readTestFile(t, "data/seed-expected.tsv")) {
		if rec == "" {
			continue
		}
		cols := strings.SplitN(rec, "\t", 3)
		var n int
		fmt.Sscan(cols[0], &n)
		if n < 1 || n > len(lines) {
			t.Fatalf("seed-expected.tsv: bad line %q", rec)
		}
		d, ok := r.MatchLine(lines[n-1])
		if cols[1] == "-" { // no rule may match
			if ok {
				t.Errorf("seed line %d: matched %s", n, d.Rule)
			}
			continue
		}
		if !ok {
			t.Errorf("seed line %d: no match, want %s", n, cols[1])
			continue
		}
		var fields []string
		for _, f := range d.Fields {
			fields = append(fields, f.Name+"="+f.Value)
		}
		sort.Strings(fields)
		wantFields := ""
		if len(cols) == 3 {
			wantFields = cols[2]
		}
		if d.Rule != cols[1] || strings.Join(fields, ";") != wantFields {
			t.Errorf("seed line %d: %s %s, want %s %s", n, d.Rule,
				strings.Join(fields, ";"), cols[1], wantFields)
		}
	}
}

// TestMarshalMatchesC: '<', '>', '&', DEL, 4-byte UTF-8 and bytes that
// are not UTF-8 come out as C writes them; control characters, U+2028 and
// U+2029, which encoding/json escapes otherwise, as the same JSON value.
func TestMarshalMatchesC(t *testing.T) {
	r := open(t, Options{})
	var ctrl strings.Builder
	for b := 0; b < 0x20; b++ {
		ctrl.WriteByte(byte(b))
	}
	for _, tc := range []struct {
		line      string
		sameBytes bool
	}{
		{saLine + " " + ctrl.String(), false},
		{saLine + " \u2028 \u2029", false},
		{saLine + " <a href=\"x\">&amp;</a> \x7f \\ / 😀 é", true},
		{"\xff\xfe" + saLine + "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 end", true},
	} {
		line := tc.line
		d, ok := r.MatchLine(line)
		if !ok {
			t.Fatalf("no match for %q", line)
		}
		got, want := marshalLine(t, d), cMatchJSON(t, r, line)
		if (tc.sameBytes && got != want) || !sameJSON(t, got, want) {
			t.Errorf("line %q:\ngot  %s\nwant %s", line, got, want)
		}
		// json.Marshal: the same JSON value (it escapes <, >, &).
		js, _ := json.Marshal(d)
		var back Diagnosis
		if err := json.Unmarshal(js, &back); err != nil || !reflect.DeepEqual(back, d) {
			t.Errorf("json.Marshal round trip: %v", err)
		}
	}
}

// TestInvalidUTF8: bytes that are not UTF-8 around a signature still match;
// each becomes U+FFFD in the text, and the fields are intact.
func TestInvalidUTF8(t *testing.T) {
	r := open(t, Options{})
	line := "\xff\xfe " + saLine + " \xc0\xaf\x00tail"
	d, ok := r.MatchLine(line)
	if !ok || d.Rule != saRule {
		t.Fatalf("MatchLine: %v %q", ok, d.Rule)
	}
	wantText := "\uFFFD\uFFFD " + saLine + " \uFFFD\uFFFD\uFFFDtail"
	if d.Text != wantText {
		t.Errorf("Text = %q, want %q", d.Text, wantText)
	}
	if v, _ := d.Fields.Get("secret"); v != "cluster-service-account" {
		t.Errorf("secret = %q", v)
	}
	if !utf8.ValidString(marshalLine(t, d)) {
		t.Error("JSON is not UTF-8")
	}

	// Scan: the same through the envelope reader, with line numbers.
	in := "\xff plain line\n2026-11-20T08:10:01.251903Z\terror\tcontrolplane\t\xe2\x28\xa1 " +
		saLine + " \xff\n"
	var got []Diagnosis
	err := r.Scan(strings.NewReader(in), "bad.log", func(d Diagnosis) error {
		got = append(got, d)
		return nil
	})
	if err != nil || len(got) != 1 {
		t.Fatalf("Scan: %v, %d diagnoses", err, len(got))
	}
	d = got[0]
	if d.Rule != saRule || d.Line != 2 || *d.Source != "bad.log" ||
		d.Level == nil || *d.Level != "error" ||
		d.Timestamp == nil || *d.Timestamp != "2026-11-20T08:10:01.251903Z" {
		t.Errorf("Scan: %s", marshalLine(t, d))
	}
	if !strings.Contains(d.Text, "\terror\tcontrolplane\t\uFFFD(\uFFFD token rotation") || !utf8.ValidString(d.Text) {
		t.Errorf("Text = %q", d.Text)
	}
}

// TestSourceNotUTF8: a source name that is not UTF-8 comes back with each
// such byte made U+FFFD, as in the C library's JSON line.
func TestSourceNotUTF8(t *testing.T) {
	r := open(t, Options{})
	var got []Diagnosis
	err := r.Scan(strings.NewReader(saLine+"\n"), "n\xff\xe2\x28.log", func(d Diagnosis) error {
		got = append(got, d)
		return nil
	})
	if err != nil || len(got) != 1 || got[0].Source == nil {
		t.Fatalf("Scan: %v, %v", err, got)
	}
	if want := "n\uFFFD\uFFFD(.log"; *got[0].Source != want {
		t.Errorf("Source = %q, want %q", *got[0].Source, want)
	}
}

// TestDecodeMalformed: the packed form, cut or damaged anywhere, is an
// error, never a panic or a diagnosis.
func TestDecodeMalformed(t *testing.T) {
	r := open(t, Options{})
	m, err := r.getMatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer r.putMatcher(m)
	if c.Tsblog_b_match(m.found, m.m, saLine, m.err) != 1 {
		t.Fatal("no match")
	}
	whole := c.Tsblog_b_found_lines(m.found)
	var dec decoder
	var d Diagnosis
	if err := dec.decode(whole, func(x Diagnosis) error { d = x; return nil }); err != nil || d.Rule != saRule {
		t.Fatalf("decode: %v, %q", err, d.Rule)
	}
	for _, bad := range []string{whole[:len(whole)-1], whole[:len(whole)/2], "x", "5:abc", "~", "3#",
		strings.Replace(whole, ":", "#", 1), strings.Replace(whole, "#", ":", 1)} {
		for _, dec := range []*decoder{{}, &dec} { // rule part read, or known
			n := 0
			if err := dec.decode(bad, func(Diagnosis) error { n++; return nil }); err != errPacked || n != 0 {
				t.Errorf("decode(%.40q): %v, %d diagnoses", bad, err, n)
			}
		}
	}
}

// TestRuleErrors: each case of tests/data/invalid gives a *RuleError whose
// fields are those of its error file ("line column position\nmessage").
func TestRuleErrors(t *testing.T) {
	dir := filepath.Join(testDir(t), "data", "invalid")
	cases, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ruleRe := regexp.MustCompile(`^rules\.json:[0-9]+:[0-9]+: rule "([^"]+)"`)
	for _, cs := range cases {
		cs := cs
		t.Run(cs.Name(), func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join(dir, cs.Name(), "rules.json"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, cs.Name(), "error"))
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.SplitN(strings.TrimSuffix(string(want), "\n"), "\n", 2)
			var line, col, pos int
			fmt.Sscan(parts[0], &line, &col, &pos)
			msg := parts[1]
			ruleID := ""
			if m := ruleRe.FindStringSubmatch(msg); m != nil {
				ruleID = m[1]
			}

			r, err := FromString(string(text), "rules.json", Options{NoBuiltin: true})
			if r != nil {
				r.Close()
				t.Fatal("FromString succeeded")
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %T %v", err, err)
			}
			if re.Error() != msg || re.Message != msg || re.Path != "rules.json" ||
				re.Line != line || re.Column != col || re.Position != pos ||
				re.RuleID != ruleID || re.Code >= 0 {
				t.Errorf("got  %+v\nwant %d %d %d %q %s", *re, line, col, pos, ruleID, msg)
			}

			// The same file by path: the path is the name.
			path := filepath.Join(dir, cs.Name(), "rules.json")
			_, err = Open(Options{RuleFiles: []string{path}})
			if !errors.As(err, &re) || re.Path != path ||
				re.Message != strings.ReplaceAll(msg, "rules.json", path) ||
				re.Line != line || re.Column != col || re.RuleID != ruleID {
				t.Errorf("Open(%s): %+v", path, err)
			}
		})
	}
}

func TestRuleErrorFields(t *testing.T) {
	path := filepath.Join(testDir(t), "data", "invalid", "regex-unclosed-group", "rules.json")
	_, err := Open(Options{RuleFiles: []string{path}})
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("%T %v", err, err)
	}
	want := RuleError{
		Code: CodeRegex, Path: path, Line: 8, Column: 16, Position: 141,
		RuleID: "upstream-reset", Member: "match", PatternOffset: 30,
		Message: path + `:8:16: rule "upstream-reset": match: PCRE2 error at offset 30: missing closing parenthesis`,
	}
	if *re != want {
		t.Errorf("got  %+v\nwant %+v", *re, want)
	}
	if re.Code.String() != "regex" {
		t.Errorf("Code.String() = %q", re.Code)
	}

	_, err = Open(Options{RuleFiles: []string{"/nonexistent/rules.json"}})
	if !errors.As(err, &re) || re.Code != CodeIO || re.Path != "/nonexistent/rules.json" ||
		!strings.HasPrefix(re.Error(), "/nonexistent/rules.json: ") ||
		!errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %#v", err)
	}
	// Readable but not a rule file: no cause to unwrap.
	_, err = Open(Options{RuleFiles: []string{filepath.Join(testDir(t), "vectors", "MANIFEST")}})
	if !errors.As(err, &re) || re.Code != CodeSyntax || re.Err != nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("not JSON: %#v", err)
	}
	if _, err := Open(Options{MaxRecord: -1}); err == nil {
		t.Error("MaxRecord -1 accepted")
	}
}

const diskRules = `{
  "tsblog": 1,
  "rules": [
    {
      "id": "disk-full",
      "severity": "warning",
      "title": "A disk is full",
      "match": "no space left on device: (?<path>/\\S+)",
      "summary": "The disk holding {path} is full.",
      "fix": ["Free space under {path}"],
      "examples": [{"line": "write failed: no space left on device: /var/log", "fields": {"path": "/var/log"}}]
    },
    {
      "id": "sa-override",
      "severity": "info",
      "title": "Overrides the catalog",
      "match": "token rotation failed",
      "summary": "Rotation failed."
    }
  ]
}`

func TestFromString(t *testing.T) {
	r, err := FromString(diskRules, "disk.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ids := r.RuleIDs()
	if len(ids) != 2+len(open(t, Options{}).RuleIDs()) || ids[0] != "disk-full" || ids[1] != "sa-override" || ids[2] != saRule {
		t.Errorf("RuleIDs() = %q", ids)
	}
	d, ok := r.MatchLine("write failed: no space left on device: /var/lib/etcd <&>")
	if !ok || d.Rule != "disk-full" || d.Severity != "warning" || d.Component != nil ||
		d.Summary != "The disk holding /var/lib/etcd is full." ||
		!reflect.DeepEqual(d.Fix, []string{"Free space under /var/lib/etcd"}) ||
		!reflect.DeepEqual(d.SeeAlso, []string{}) || d.Docs != nil {
		t.Errorf("disk-full: %s", marshalLine(t, d))
	}
	// Loaded first, so it wins over the catalog.
	if d, _ := r.MatchLine(saLine); d.Rule != "sa-override" {
		t.Errorf("override: %s", d.Rule)
	}
	only, err := FromString(diskRules, "", Options{NoBuiltin: true})
	if err != nil {
		t.Fatal(err)
	}
	defer only.Close()
	if ids := only.RuleIDs(); len(ids) != 2 {
		t.Errorf("NoBuiltin: %q", ids)
	}
	_, err = FromString(`{"tsblog": 1, "rules": [`, "", Options{})
	var re *RuleError
	if !errors.As(err, &re) || re.Path != "<string>" || re.Code != CodeSyntax ||
		!strings.HasPrefix(re.Message, "<string>:1:") {
		t.Errorf("bad string: %#v", err)
	}
}

// TestScanOperatorLog checks one scan field by field.
func TestScanOperatorLog(t *testing.T) {
	r := open(t, Options{})
	var got []Diagnosis
	err := r.Scan(bytes.NewReader(readTestFile(t, "data/sample/operator.log")), "operator.log",
		func(d Diagnosis) error {
			got = append(got, d)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, d := range got {
		summary = append(summary, fmt.Sprintf("%s:%d %s", *d.Source, d.Line, d.Rule))
	}
	want := []string{
		"operator.log:4 cp-sa-secret-missing",
		"operator.log:8 cp-cluster-name-mismatch",
		"operator.log:11 mp-unreachable",
		"operator.log:12 mp-unreachable",
		"operator.log:15 cp-mp-cert-name-mismatch",
		"operator.log:27 edge-xcp-cert-name-mismatch",
		"operator.log:28 edge-xcp-cert-name-mismatch",
	}
	if !reflect.DeepEqual(summary, want) {
		t.Fatalf("got %q\nwant %q", summary, want)
	}
	d := got[0]
	if *d.Timestamp != "2026-11-20T08:10:01.251903Z" || *d.Level != "error" ||
		d.Pod != nil || d.Count != 1 ||
		!strings.HasPrefix(d.Text, "2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation failed") {
		t.Errorf("first: %s", marshalLine(t, d))
	}

	sum, err := r.Summarize(bytes.NewReader(readTestFile(t, "data/sample/operator.log")), "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.SchemaVersion != 1 || sum.Records != 38 || sum.Bytes != 5616 ||
		len(sum.Problems) != 5 || len(sum.Unclassified) != 0 ||
		sum.Problems[2].Rule != "mp-unreachable" || sum.Problems[2].Count != 2 ||
		sum.Problems[2].FirstLine != 11 || sum.Problems[2].LastLine != 12 ||
		!reflect.DeepEqual(sum.Problems[2].Sources, []string{"-"}) {
		t.Errorf("summary: %s", marshalLine(t, sum))
	}
}

// TestScanChunks: reads of any size give the same diagnoses.
func TestScanChunks(t *testing.T) {
	r := open(t, Options{})
	for _, input := range manifest(t) {
		b := readTestFile(t, input)
		want, err1 := scanAll(t, r, bytes.NewReader(b), input)
		got, err2 := scanAll(t, r, iotest.OneByteReader(bytes.NewReader(b)), input)
		got3, err3 := scanAll(t, r, iotest.HalfReader(bytes.NewReader(b)), input)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got3, want) ||
			fmt.Sprint(err1) != fmt.Sprint(err2) || fmt.Sprint(err1) != fmt.Sprint(err3) {
			t.Errorf("%s: results depend on the read size", input)
		}
	}
	// An input bigger than a chunk, with a line across every boundary.
	var big bytes.Buffer
	n := 0
	for big.Len() < 3*chunkSize {
		fmt.Fprintf(&big, "2026-11-20T08:10:01.%06dZ\tinfo\tfiller line %d\n", n, n)
		fmt.Fprintf(&big, "error\tcontrolplane\t%s\n", saLine)
		n++
	}
	lines := 0
	err := r.Scan(&big, "big", func(d Diagnosis) error {
		lines++
		if d.Line != Line(2*lines) {
			return fmt.Errorf("diagnosis %d on line %d", lines, d.Line)
		}
		return nil
	})
	if err != nil || lines != n {
		t.Errorf("big input: %v, %d of %d diagnoses", err, lines, n)
	}
}

// bigFile writes a log of about mib MiB, a diagnosis on every other line,
// and returns its path, its bytes and its diagnoses.
func bigFile(t *testing.T, mib int) (string, []byte, int) {
	var b bytes.Buffer
	n := 0
	for b.Len() < mib<<20 {
		fmt.Fprintf(&b, "2026-11-20T08:10:01.%06dZ\tinfo\tfiller line %d\n", n%1000000, n)
		fmt.Fprintf(&b, "error\tcontrolplane\t%s\n", saLine)
		n++
	}
	path := filepath.Join(t.TempDir(), "big.log")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, b.Bytes(), n
}

// TestScanFile: an *os.File is scanned by C on Jobs threads, with the
// diagnoses and summary of the same bytes read through an io.Reader,
// whatever Jobs; a callback error, Close and a cancelled context stop it.
func TestScanFile(t *testing.T) {
	path, data, n := bigFile(t, 3)
	r1 := open(t, Options{Jobs: 1})
	want, err := scanAll(t, r1, bytes.NewReader(data), path)
	if err != nil || len(want) != n {
		t.Fatalf("reader: %v, %d of %d diagnoses", err, len(want), n)
	}
	wantSum, err := r1.Summarize(bytes.NewReader(data), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []int{1, 2, 0} {
		r := open(t, Options{Jobs: jobs})
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scanAll(t, r, f, path)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Jobs %d: %v, %d diagnoses, want %d the same", jobs, err, len(got), len(want))
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		sum, err := r.Summarize(f, path)
		if err != nil || !reflect.DeepEqual(sum, wantSum) {
			t.Errorf("Jobs %d: summary %v\n%s\nwant\n%s", jobs, err, marshalLine(t, sum), marshalLine(t, wantSum))
		}
		f.Close()
	}

	before := live()
	r, err := Open(Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i, tc := range []struct {
		name string
		fn   func(calls int) error
		want error
	}{
		{"callback error", func(calls int) error {
			if calls == 3 {
				return stop
			}
			return nil
		}, stop},
		{"cancel", func(calls int) error {
			if calls == 3 {
				cancel()
			}
			return nil
		}, context.Canceled},
		{"close", func(calls int) error {
			if calls == 3 {
				r.Close()
			}
			return nil
		}, ErrClosed},
	} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		if i == 2 {
			ctx = context.Background()
		}
		err = r.ScanContext(ctx, f, path, func(Diagnosis) error {
			calls++
			return tc.fn(calls)
		})
		f.Close()
		// The first batch is delivered whole, then the scan stops.
		if err != tc.want || calls < 3 || calls >= n {
			t.Errorf("%s: %v after %d of %d diagnoses", tc.name, err, calls, n)
		}
	}
	if live() != before {
		t.Error("C memory still held after the scans ended")
	}
}

func TestScanCallbackError(t *testing.T) {
	r := open(t, Options{})
	stop := errors.New("enough")
	calls := 0
	err := r.Scan(bytes.NewReader(readTestFile(t, "data/sample/operator.log")), "x",
		func(d Diagnosis) error {
			calls++
			if calls == 2 {
				return stop
			}
			return nil
		})
	if err != stop || calls != 2 {
		t.Errorf("err = %v after %d calls", err, calls)
	}
	// fn nil: only check.
	if err := r.Scan(bytes.NewReader(readTestFile(t, "data/sample/operator.log")), "x", nil); err != nil {
		t.Error(err)
	}
}

type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestScanReadError(t *testing.T) {
	r := open(t, Options{})
	boom := errors.New("boom")
	calls := 0
	err := r.Scan(&failingReader{[]byte(saLine + "\n"), boom}, "pipe", func(Diagnosis) error {
		calls++
		return nil
	})
	if !errors.Is(err, boom) || calls != 1 || !strings.Contains(err.Error(), "pipe") {
		t.Errorf("err = %v, %d calls", err, calls)
	}
	if _, err := r.Summarize(&failingReader{nil, boom}, "pipe"); !errors.Is(err, boom) {
		t.Errorf("Summarize: %v", err)
	}
}

// TestMalformedEvents: a bad event in `kubectl get events -o json` is
// skipped, the scan goes on, and the error comes at the end.
func TestMalformedEvents(t *testing.T) {
	r := open(t, Options{})
	doc := readTestFile(t, "golden/malformed-events-doc/malformed.json")
	var rules []string
	err := r.Scan(bytes.NewReader(doc), "malformed.json", func(d Diagnosis) error {
		rules = append(rules, fmt.Sprintf("%d %s x%d", d.Line, d.Rule, d.Count))
		return nil
	})
	want := []string{"37 edge-auth-token-secret-missing x7", "103 edge-ca-bundle-secret-missing x11", "136 probe-failed x4"}
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("diagnoses %q, want %q", rules, want)
	}
	wantErr := &Error{
		Code: CodeSyntax, Source: "malformed.json", Line: 94, Column: 33,
		Message: "malformed.json:94:33: malformed event in the JSON document: invalid token near 'FailedMount'",
	}
	var se *ScanError
	if !errors.As(err, &se) || len(se.Errors) != 1 || !reflect.DeepEqual(se.Errors[0], wantErr) ||
		err.Error() != wantErr.Message {
		t.Fatalf("err = %#v", err)
	}
	sum, err := r.Summarize(bytes.NewReader(doc), "malformed.json")
	if !errors.As(err, &se) || sum.Malformed != 1 || len(sum.Problems) != 3 {
		t.Errorf("Summarize: %v, %+v", err, sum)
	}
	two := &ScanError{Errors: []*Error{wantErr, wantErr}}
	if two.Error() != wantErr.Message+" (and 1 more malformed events)" {
		t.Errorf("ScanError.Error() = %q", two.Error())
	}
}

func TestMaxRecord(t *testing.T) {
	line := saLine + " " + strings.Repeat("x", 1000) + "\n"
	for _, tc := range []struct {
		max, problems, truncated int
	}{{0, 1, 0}, {200, 1, 1}, {50, 0, 1}} {
		r := open(t, Options{MaxRecord: tc.max})
		sum, err := r.Summarize(strings.NewReader(line), "long")
		if err != nil || len(sum.Problems) != tc.problems || sum.Truncated != tc.truncated {
			t.Errorf("MaxRecord %d: %v, %d problems, %d truncated", tc.max, err,
				len(sum.Problems), sum.Truncated)
		}
	}
}

// TestLimitHitRules: a rule that backtracks catastrophically gives up on
// the line at the match limit, the scan goes on, and the summary names it.
func TestLimitHitRules(t *testing.T) {
	r, err := FromString(`{"tsblog": 1, "rules": [{"id": "redos", "severity": "warning",
		"title": "t", "match": "aaa(a+)+$", "summary": "s"}]}`, "redos.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sum, err := r.Summarize(strings.NewReader(strings.Repeat("a", 60)+"!\n"+saLine+"\n"), "x")
	if err != nil || sum.LimitHits != 1 || len(sum.Problems) != 1 ||
		!reflect.DeepEqual(sum.LimitHitRules, []LimitHit{{Rule: "redos", Count: 1}}) {
		t.Errorf("Summarize: %v, %s", err, marshalLine(t, sum))
	}
	if b := marshalLine(t, sum); !strings.Contains(b, `"limit_hits":1,"limit_hit_rules":[{"rule":"redos","count":1}],"problems":[`) {
		t.Errorf("MarshalJSON: %s", b)
	}
}

// TestConcurrent: 16 goroutines share one Rules, scanning, summarizing
// and matching at once, and all get the results of a serial run.
func TestConcurrent(t *testing.T) {
	r := open(t, Options{})
	inputs := manifest(t)
	type result struct {
		diags   []string
		summary string
		matches []string
	}
	seeds := splitLines(readTestFile(t, "data/seed-lines.txt"))
	run := func() (res result, err error) {
		for _, input := range inputs {
			b := readTestFile(t, input)
			var se *ScanError
			d, err := scanAll(t, r, bytes.NewReader(b), input)
			if err != nil && !errors.As(err, &se) {
				return res, err
			}
			res.diags = append(res.diags, d...)
			sum, err := r.Summarize(bytes.NewReader(b), input)
			if err != nil && !errors.As(err, &se) {
				return res, err
			}
			res.summary += marshalLine(t, sum)
		}
		for _, line := range seeds {
			d, _ := r.MatchLine(line)
			res.matches = append(res.matches, d.Rule+" "+d.Summary)
		}
		return res, nil
	}
	want, err := run()
	if err != nil {
		t.Fatal(err)
	}
	const n = 16
	results := make([]result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = run()
		}(i)
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
		} else if !reflect.DeepEqual(results[i], want) {
			t.Errorf("goroutine %d: different results", i)
		}
	}
}

func live() int64 { return atomic.LoadInt64(&liveRulesets) }

func TestClose(t *testing.T) {
	before := live()
	r, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.MatchLine(saLine); !ok { // leaves an idle matcher
		t.Fatal("no match")
	}
	if live() != before+1 {
		t.Fatalf("live rule sets %d, want %d", live(), before+1)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if live() != before || r.rs != nil || r.idle != nil {
		t.Fatal("C memory still held after Close")
	}
	if _, ok := r.MatchLine(saLine); ok {
		t.Error("MatchLine after Close matched")
	}
	if _, _, err := r.Match([]byte(saLine)); err != ErrClosed {
		t.Errorf("Match after Close: %v", err)
	}
	if err := r.Scan(strings.NewReader(saLine), "x", nil); err != ErrClosed {
		t.Errorf("Scan after Close: %v", err)
	}
	if _, err := r.Summarize(strings.NewReader(saLine), "x"); err != ErrClosed {
		t.Errorf("Summarize after Close: %v", err)
	}
	if ids := r.RuleIDs(); ids != nil {
		t.Errorf("RuleIDs after Close: %q", ids)
	}
}

// lineReader hands out one line per Read, so a scan has many chunks.
type lineReader struct{ lines []string }

func (l *lineReader) Read(p []byte) (int, error) {
	if len(l.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, l.lines[0])
	l.lines[0] = l.lines[0][n:]
	if l.lines[0] == "" {
		l.lines = l.lines[1:]
	}
	return n, nil
}

// TestCloseInCallback: Close from a Scan callback neither deadlocks nor
// frees what the scan uses; the scan stops at the next chunk, and the C
// memory is gone when it returns.
func TestCloseInCallback(t *testing.T) {
	before := live()
	r, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := &lineReader{}
	for i := 0; i < 10; i++ {
		in.lines = append(in.lines, saLine+"\n")
	}
	calls := 0
	err = r.Scan(in, "x", func(d Diagnosis) error {
		calls++
		// Nested calls are fine before Close...
		if _, ok := r.MatchLine(saLine); !ok {
			t.Error("nested MatchLine failed")
		}
		r.Close()
		// ...and refused after.
		if _, _, err := r.Match([]byte(saLine)); err != ErrClosed {
			t.Errorf("Match in callback after Close: %v", err)
		}
		return nil
	})
	if err != ErrClosed || calls != 1 {
		t.Errorf("Scan = %v after %d calls", err, calls)
	}
	if live() != before {
		t.Error("C memory still held after the scan ended")
	}
}

// TestCloseWhileBusy: Close while 16 goroutines match and scan; each call
// either works or says ErrClosed, and the memory is freed by the last one.
func TestCloseWhileBusy(t *testing.T) {
	before := live()
	r, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	sample := readTestFile(t, "data/sample/operator.log")
	var wg sync.WaitGroup
	var ok int64
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				var err error
				if i%2 == 0 {
					_, _, err = r.Match([]byte(saLine))
				} else {
					err = r.Scan(bytes.NewReader(sample), "x", func(Diagnosis) error { return nil })
				}
				if err == ErrClosed {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				atomic.AddInt64(&ok, 1)
			}
		}(i)
	}
	for atomic.LoadInt64(&ok) < 100 {
		time.Sleep(time.Millisecond)
	}
	r.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if live() != before {
		t.Error("C memory still held after every call ended")
	}
}

// TestFinalizer: Rules dropped without Close are freed by the GC.
func TestFinalizer(t *testing.T) {
	before := live()
	func() {
		r, err := Open(Options{})
		if err != nil {
			t.Fatal(err)
		}
		r.MatchLine(saLine)
	}()
	for i := 0; i < 100 && live() != before; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if live() != before {
		t.Error("the finalizer did not free the rule set")
	}
}

// TestZeroRules: a Rules not made by Open fails cleanly.
func TestZeroRules(t *testing.T) {
	var r Rules
	if _, ok, err := r.Match([]byte(saLine)); ok || err == nil {
		t.Errorf("Match: %v %v", ok, err)
	}
	if err := r.Scan(strings.NewReader(saLine), "x", nil); err == nil {
		t.Error("Scan worked")
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
}

func TestFieldsJSON(t *testing.T) {
	var f Fields
	if err := json.Unmarshal([]byte(` { "b" : "1", "a":"\u00e9\ud83d\ude00\n", "c":"" } `), &f); err != nil {
		t.Fatal(err)
	}
	want := Fields{{"b", "1"}, {"a", "é😀\n"}, {"c", ""}}
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("got %q", f)
	}
	js, _ := json.Marshal(f)
	if string(js) != `{"b":"1","a":"é😀\n","c":""}` {
		t.Errorf("Marshal: %s", js)
	}
	for _, bad := range []string{`[]`, `{"a":1}`, `{"a":"x"`, `{"a" "x"}`} {
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
	var d Diagnosis
	if err := json.Unmarshal([]byte(`{"rule":"x","future":[1,{"a":null}],"line":null,"count":3}`), &d); err != nil ||
		d.Rule != "x" || d.Count != 3 || d.Line != 0 {
		t.Errorf("unknown keys: %v %+v", err, d)
	}
}

const redactRules = `{"tsblog": 1, "rules": [{"id": "auth", "severity": "error",
  "title": "Auth failed", "match": "auth failed with (?<cred>.*)$",
  "summary": "used {cred}"}]}`

const testJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlZGdlIn0.c2lnbmF0dXJl"

func TestSecretsRedacted(t *testing.T) {
	line := "auth failed with Bearer abcdefghijklmnop and " + testJWT
	for _, tc := range []struct {
		noRedact bool
		want     string
	}{
		{false, "Bearer <redacted:token> and <redacted:jwt>"},
		{true, "Bearer abcdefghijklmnop and " + testJWT},
	} {
		r, err := FromString(redactRules, "redact.json",
			Options{NoBuiltin: true, NoRedact: tc.noRedact})
		if err != nil {
			t.Fatal(err)
		}
		d, ok := r.MatchLine(line)
		if v, _ := d.Fields.Get("cred"); !ok || v != tc.want {
			t.Errorf("NoRedact=%v: MatchLine cred = %q, want %q", tc.noRedact, v, tc.want)
		}
		var got []Diagnosis
		err = r.Scan(strings.NewReader(line+"\n"), "in.log", func(d Diagnosis) error {
			got = append(got, d)
			return nil
		})
		if err != nil || len(got) != 1 {
			t.Fatalf("NoRedact=%v: Scan: %v, %d diagnoses", tc.noRedact, err, len(got))
		}
		if v, _ := got[0].Fields.Get("cred"); v != tc.want {
			t.Errorf("NoRedact=%v: Scan cred = %q, want %q", tc.noRedact, v, tc.want)
		}
		r.Close()
	}
}

// TestScanContext: a cancelled context stops a scan of an endless stream
// between chunks, after the diagnoses of the chunks before.
func TestScanContext(t *testing.T) {
	r := open(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := &endless{line: saLine + "\n"}
	calls := 0
	err := r.ScanContext(ctx, in, "live", func(d Diagnosis) error {
		if calls++; calls == 3 {
			cancel()
		}
		return nil
	})
	if err != context.Canceled || calls != 3 || in.reads != 3 {
		t.Errorf("ScanContext = %v after %d diagnoses, %d reads", err, calls, in.reads)
	}
	// Done before it starts: nothing is read.
	in.reads = 0
	if err := r.ScanContext(ctx, in, "live", nil); err != context.Canceled || in.reads != 0 {
		t.Errorf("cancelled ScanContext = %v, %d reads", err, in.reads)
	}
	if _, err := r.SummarizeContext(ctx, in, "live"); err != context.Canceled {
		t.Errorf("SummarizeContext = %v", err)
	}
}

// endless returns line on every Read.
type endless struct {
	line  string
	reads int
}

func (e *endless) Read(p []byte) (int, error) {
	e.reads++
	return copy(p, e.line), nil
}

// stuck returns data once, then (0, nil) for ever.
type stuck struct {
	data  string
	reads int
}

func (s *stuck) Read(p []byte) (int, error) {
	s.reads++
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// TestScanNoProgress: a reader that keeps returning nothing and no error
// ends the scan with io.ErrNoProgress after 100 tries; the diagnoses
// before it were delivered.
func TestScanNoProgress(t *testing.T) {
	r := open(t, Options{})
	in := &stuck{data: saLine + "\n"}
	calls := 0
	err := r.Scan(in, "stuck", func(Diagnosis) error {
		calls++
		return nil
	})
	if !errors.Is(err, io.ErrNoProgress) || calls != 1 || in.reads != 1+maxEmptyReads ||
		!strings.Contains(err.Error(), "stuck") {
		t.Errorf("Scan = %v after %d diagnoses, %d reads", err, calls, in.reads)
	}
}

func TestCheck(t *testing.T) {
	if got, err := open(t, Options{}).Check(); got != nil || err != nil {
		t.Errorf("catalog: %v, %v", got, err)
	}
	r, err := FromString(strings.Replace(diskRules, `"/var/log"}`, `"/tmp"}`, 1), "disk.json",
		Options{NoBuiltin: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Check()
	want := []CheckFailure{{RuleID: "disk-full", Source: "disk.json", Line: 11, Column: 20,
		Kind: "examples", Index: 0, Severity: "error",
		Message: `disk.json:11:20: rule "disk-full": examples[0]: field "path": expected "/tmp", got "/var/log"`}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Check() = %+v, %v", got, err)
	}
	r.Close()
	if _, err := r.Check(); err != ErrClosed {
		t.Errorf("after Close: %v", err)
	}
	// A lint (no literal) comes back as a warning beside the self-tests.
	lint, err := FromString(`{"tsblog": 1, "rules": [{"id": "sha-line", "severity": "warning", "title": "t",
 "match": "^(?<sha>[0-9a-f]{40})$", "summary": "s {sha}", "fix": ["f"],
 "examples": [{"line": "0123456789012345678901234567890123456789",
  "fields": {"sha": "0123456789012345678901234567890123456789"}}]}]}`, "lint.json", Options{NoBuiltin: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lint.Close()
	got, err = lint.Check()
	if err != nil || len(got) != 1 || got[0].Severity != "warning" || got[0].Kind != "match" ||
		got[0].Line != 2 || got[0].Column != 11 ||
		!strings.HasPrefix(got[0].Message, `lint.json:2:11: rule "sha-line": match: warning: no literal found`) {
		t.Errorf("lint Check() = %+v, %v", got, err)
	}
}

// Two halves of a log, summarised apart and merged, count what one scan
// counts, in either order.
func TestMergeSummaries(t *testing.T) {
	r := open(t, Options{})
	log := readTestFile(t, "data/sample/operator.log")
	lines := strings.SplitAfter(string(log), "\n")
	a, err := r.Summarize(strings.NewReader(strings.Join(lines[:14], "")), "a.log")
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Summarize(strings.NewReader(strings.Join(lines[14:], "")), "b.log")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := r.Summarize(bytes.NewReader(log), "whole.log")
	if err != nil {
		t.Fatal(err)
	}
	ab, err := MergeSummaries(a, b)
	if err != nil {
		t.Fatal(err)
	}
	ba, err := MergeSummaries(b, a)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ab, ba) {
		t.Fatalf("merge depends on order:\n%+v\n%+v", ab, ba)
	}
	if ab.Records != whole.Records || ab.Bytes != whole.Bytes ||
		len(ab.Problems) != len(whole.Problems) {
		t.Fatalf("got %+v\nwant %+v", ab, whole)
	}
	for i, p := range ab.Problems {
		w := whole.Problems[i]
		if !reflect.DeepEqual(p.Key, w.Key) || p.Count != w.Count ||
			*p.FirstTime != *w.FirstTime || *p.LastTime != *w.LastTime {
			t.Errorf("problem %d: got %v x%d, want %v x%d", i, p.Key, p.Count, w.Key, w.Count)
		}
	}
	if *ab.Problems[2].Key[0] != "mp-unreachable" || ab.Problems[2].Count != 2 ||
		!reflect.DeepEqual(ab.Problems[2].Sources, []string{"a.log"}) {
		t.Errorf("mp-unreachable: %+v", ab.Problems[2])
	}
	empty, err := MergeSummaries()
	if err != nil || empty.Records != 0 || len(empty.Problems) != 0 {
		t.Fatalf("empty merge: %+v, %v", empty, err)
	}
}

// MatchRecord: the engine's metadata picks the advice for the same line.
func TestMatchRecord(t *testing.T) {
	r := open(t, Options{})
	const expired = "Unable to connect to the server: x509: certificate has expired or is not " +
		"yet valid: current time 2021-04-01T14:43:32+02:00 is before 2021-04-01T15:31:09Z"
	d, ok, err := r.MatchRecord([]byte(expired), Envelope{Pod: "tsb-operator-control-plane-7d9c-x2x",
		Namespace: "istio-system", Container: "tsb-operator", Level: "error"})
	if err != nil || !ok || d.Rule != "tls-cert-expired" || d.Pod == nil ||
		*d.Pod != "tsb-operator-control-plane-7d9c-x2x" || d.Namespace == nil ||
		*d.Namespace != "istio-system" || d.Level == nil || *d.Level != "error" {
		t.Fatalf("TSB pod: %+v %v %v", d, ok, err)
	}
	d, ok, err = r.MatchRecord([]byte(expired), Envelope{Pod: "webhook-5f6d-abcde"})
	if err != nil || !ok || d.Rule != "x509-cert-expired" || d.Pod == nil || *d.Pod != "webhook-5f6d-abcde" {
		t.Fatalf("other pod: %+v %v %v", d, ok, err)
	}
	if _, ok, err := r.MatchRecord([]byte("all is well"), Envelope{Pod: "edge-1"}); ok || err != nil {
		t.Fatalf("no match: %v %v", ok, err)
	}
	r.Close()
	if _, _, err := r.MatchRecord([]byte(expired), Envelope{}); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
}

// Lines and what `tsblog --passthrough` shows of them.
var redacted = []struct{ line, want string }{
	{"token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlZGdlIn0.c2lnbmF0dXJl expired",
		"token <redacted:jwt> expired"},
	{"Authorization: Bearer abcdefghijkl", "Authorization: Bearer <redacted:token>"},
	{`tls.key: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n" loaded`,
		`tls.key: "<redacted:pem>\n" loaded`},
	{"    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVBCi0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==",
		"    client-key-data: <redacted:key>"},
	{"GET https://admin:hunter2@tsb.example.com/v2 200",
		"GET https://admin:<redacted:password>@tsb.example.com/v2 200"},
	// invalid UTF-8, NUL and an escape stay as they are
	{"a\x00\xff\x1b[1m Bearer abcdefghijkl\xfe z", "a\x00\xff\x1b[1m Bearer <redacted:token>\xfe z"},
}

func TestRedact(t *testing.T) {
	r := open(t, Options{})
	for _, x := range redacted {
		for _, line := range []string{x.line, x.line + "\n"} {
			want := x.want + line[len(x.line):]
			in := []byte(line)
			got, err := r.Redact(in)
			if err != nil || string(got) != want {
				t.Errorf("Redact(%q) = %q, %v; want %q", line, got, err, want)
			}
			if string(in) != line {
				t.Errorf("Redact changed its argument: %q", in)
			}
			if s, err := r.RedactString(line); err != nil || s != want {
				t.Errorf("RedactString(%q) = %q, %v; want %q", line, s, err, want)
			}
		}
	}
}

// TestRedactCopies: the redacted line is Go memory of its own, which the
// next call (reusing the matcher and its C buffer) leaves alone.
func TestRedactCopies(t *testing.T) {
	r := open(t, Options{})
	first, err := r.Redact([]byte("Bearer abcdefghijkl"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.RedactString("Basic dXNlcjpwYXNzd29yZA==")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Redact([]byte("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx Bearer zzzzzzzzzzzzzz")); err != nil {
		t.Fatal(err)
	}
	if string(first) != "Bearer <redacted:token>" || s != "Basic <redacted:token>" {
		t.Errorf("earlier results changed: %q %q", first, s)
	}
}

func TestRedactNoSecret(t *testing.T) {
	r := open(t, Options{})
	line := []byte("upstream connect error or disconnect/reset before headers")
	got, err := r.Redact(line)
	if err != nil || &got[0] != &line[0] || len(got) != len(line) {
		t.Errorf("Redact without a secret: %q, %v; want the line itself", got, err)
	}
	if s, err := r.RedactString(string(line)); err != nil || s != string(line) {
		t.Errorf("RedactString without a secret: %q, %v", s, err)
	}
	if got, err := r.Redact(nil); got != nil || err != nil {
		t.Errorf("Redact(nil) = %q, %v", got, err)
	}
	if s, err := r.RedactString(""); s != "" || err != nil {
		t.Errorf(`RedactString("") = %q, %v`, s, err)
	}
}

// TestRedactNoRedact: NoRedact keeps secrets in diagnoses; Redact is asked
// for.
func TestRedactNoRedact(t *testing.T) {
	r := open(t, Options{NoRedact: true})
	if s, err := r.RedactString("Authorization: Bearer abcdefghijkl"); err != nil ||
		s != "Authorization: Bearer <redacted:token>" {
		t.Errorf("RedactString with NoRedact: %q, %v", s, err)
	}
}

func TestRedactClosed(t *testing.T) {
	r, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if got, err := r.Redact([]byte("Bearer abcdefghijkl")); got != nil || err != ErrClosed {
		t.Errorf("Redact after Close: %q, %v", got, err)
	}
	if s, err := r.RedactString("Bearer abcdefghijkl"); s != "" || err != ErrClosed {
		t.Errorf("RedactString after Close: %q, %v", s, err)
	}
}

func TestRedactConcurrent(t *testing.T) {
	r := open(t, Options{})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				line := fmt.Sprintf("req %d/%d: Authorization: Bearer tok%08dx", g, i, i)
				want := fmt.Sprintf("req %d/%d: Authorization: Bearer <redacted:token>", g, i)
				if s, err := r.RedactString(line); err != nil || s != want {
					t.Errorf("RedactString(%q) = %q, %v", line, s, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

// TestRedactIsThePassthrough: the lines above go through `tsblog
// --passthrough --raw` (-a for the NUL) as Redact redacts them.
func TestRedactIsThePassthrough(t *testing.T) {
	exe := os.Getenv("TSBLOG_EXE")
	if exe == "" {
		t.Skip("TSBLOG_EXE is not set (path of the tsblog command)")
	}
	r := open(t, Options{})
	var in, want bytes.Buffer
	for _, x := range append(redacted, struct{ line, want string }{"no secret \xff here", ""}) {
		in.WriteString(x.line + "\n")
		got, err := r.Redact([]byte(x.line + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		want.Write(got)
	}
	cmd := exec.Command(exe, "--passthrough", "--raw", "-a", "--no-builtin")
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want.Bytes()) {
		t.Errorf("tsblog --passthrough:\n%q\nRedact:\n%q", out, want.Bytes())
	}
}
