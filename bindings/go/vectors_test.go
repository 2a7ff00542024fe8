package tsblog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testDir is the repository's tests/ directory: $TSBLOG_TEST_DIR (set by
// meson), else found from this package's place in the tree.
func testDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TSBLOG_TEST_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "tests")
	}
	if _, err := os.Stat(filepath.Join(dir, "vectors", "MANIFEST")); err != nil {
		t.Fatalf("no shared vectors (set TSBLOG_TEST_DIR): %v", err)
	}
	return dir
}

// manifest lists the inputs of tests/vectors/MANIFEST, relative to tests/.
func manifest(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testDir(t), "vectors", "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			inputs = append(inputs, line)
		}
	}
	if len(inputs) == 0 {
		t.Fatal("empty MANIFEST")
	}
	return inputs
}

// splitLines splits b into lines, each without its "\n".
func splitLines(b []byte) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// marshalLine is what the test compares with a `tsblog -o json` line:
// json.Encoder without HTML escaping, so the bytes must be the C ones.
func marshalLine(t testing.TB, v interface{}) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// TestVectors scans every input of the shared vectors and compares each
// marshalled Diagnosis with the line `tsblog -o json` printed, byte for
// byte, and the Summary with `tsblog -o summary-json`.
func TestVectors(t *testing.T) {
	dir := testDir(t)
	r, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, input := range manifest(t) {
		input := input
		name := filepath.Base(input)
		t.Run(name, func(t *testing.T) {
			wantJSONL, err := os.ReadFile(filepath.Join(dir, "vectors", name+".jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			wantSummary, err := os.ReadFile(filepath.Join(dir, "vectors", name+".summary.json"))
			if err != nil {
				t.Fatal(err)
			}

			// Diagnoses.
			f, err := os.Open(filepath.Join(dir, input))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = r.Scan(f, input, func(d Diagnosis) error {
				got = append(got, marshalLine(t, d))
				return nil
			})
			f.Close()
			var se *ScanError
			if err != nil && !errors.As(err, &se) {
				t.Fatalf("Scan: %v", err)
			}
			want := splitLines(wantJSONL)
			for i := 0; i < len(want) || i < len(got); i++ {
				switch {
				case i >= len(got):
					t.Fatalf("diagnosis %d missing; want\n%s", i+1, want[i])
				case i >= len(want):
					t.Fatalf("diagnosis %d extra:\n%s", i+1, got[i])
				case got[i] != want[i]:
					t.Fatalf("diagnosis %d differs:\ngot  %s\nwant %s", i+1, got[i], want[i])
				}
				// The C line read back into a Diagnosis marshals
				// to the same bytes.
				var d Diagnosis
				if err := json.Unmarshal([]byte(want[i]), &d); err != nil {
					t.Fatalf("Unmarshal line %d: %v", i+1, err)
				}
				if back := marshalLine(t, d); back != want[i] {
					t.Fatalf("line %d after Unmarshal+Marshal:\ngot  %s\nwant %s", i+1, back, want[i])
				}
			}

			// Summary: exact bytes, and the same JSON value.
			f, err = os.Open(filepath.Join(dir, input))
			if err != nil {
				t.Fatal(err)
			}
			sum, err := r.Summarize(f, input)
			f.Close()
			if err != nil && !errors.As(err, &se) {
				t.Fatalf("Summarize: %v", err)
			}
			if (se != nil) != (sum.Malformed > 0) {
				t.Errorf("ScanError %v with %d malformed events", se, sum.Malformed)
			}
			gotSummary := marshalLine(t, sum)
			if gotSummary != strings.TrimSuffix(string(wantSummary), "\n") {
				t.Errorf("summary differs:\ngot  %s\nwant %s", gotSummary, wantSummary)
			}
			var a, b interface{}
			if err := json.Unmarshal([]byte(gotSummary), &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(wantSummary, &b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("summary is a different JSON value")
			}
		})
	}
}
