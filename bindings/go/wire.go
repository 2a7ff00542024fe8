package tsblog

import (
	"errors"
	"strconv"
	"strings"
)

// wire reads the records of tsblog_go_scanner_scan and
// tsblog_go_matcher_match (internal/ctsblog/ctsblog.swig): a value is 's'
// and a NUL-terminated string, or 'n' for NULL; a diagnosis is 'D' and its
// values in `tsblog -o json` order, a malformed event 'E' and code, line,
// column, source, message.
type wire struct {
	s   string
	i   int
	bad bool
	// intern shares the strings that repeat from one diagnosis to the
	// next (rule ids, titles, fix steps, the source); nil: copy each.
	intern map[string]string
	// alias: the strings may point into s (it holds one diagnosis, so
	// nothing else is kept alive by them).
	alias bool
}

const internMax = 8192 // entries; the map is per scan

var errWire = errors.New("tsblog: malformed record from the C helper")

func (w *wire) done() bool { return w.i >= len(w.s) || w.bad }

func (w *wire) byte() byte {
	if w.i >= len(w.s) {
		w.bad = true
		return 0
	}
	c := w.s[w.i]
	w.i++
	return c
}

// raw returns the next string value, a substring of w.s; ok false for
// NULL.
func (w *wire) raw() (v string, ok bool) {
	switch w.byte() {
	case 'n':
		return "", false
	case 's':
		end := strings.IndexByte(w.s[w.i:], 0)
		if end < 0 {
			w.bad = true
			return "", false
		}
		v = w.s[w.i : w.i+end]
		w.i += end + 1
		return v, true
	}
	w.bad = true
	return "", false
}

// str returns a string value, copied (shared: interned) so that nothing
// keeps the whole buffer alive.
func (w *wire) str(shared bool) string {
	v, ok := w.raw()
	if !ok {
		w.bad = true
		return ""
	}
	if w.alias {
		return v
	}
	if shared && w.intern != nil {
		if s, ok := w.intern[v]; ok {
			return s
		}
		s := strings.Clone(v)
		if len(w.intern) < internMax {
			w.intern[s] = s
		}
		return s
	}
	return strings.Clone(v)
}

func (w *wire) strOrNull(shared bool) *string {
	if w.i < len(w.s) && w.s[w.i] == 'n' {
		w.i++
		return nil
	}
	s := w.str(shared)
	return &s
}

func (w *wire) num() int {
	v, ok := w.raw()
	n, err := strconv.Atoi(v)
	if !ok || err != nil {
		w.bad = true
	}
	return n
}

func (w *wire) strings(shared bool) []string {
	n := w.num()
	if w.bad || n < 0 || n > len(w.s)-w.i {
		w.bad = true
		return nil
	}
	v := make([]string, n)
	for i := range v {
		v[i] = w.str(shared)
	}
	return v
}

// diagnosis reads the values of a 'D' record (the tag already read).
func (w *wire) diagnosis() (Diagnosis, error) {
	var d Diagnosis
	d.Rule = w.str(true)
	d.Severity = w.str(true)
	d.Component = w.strOrNull(true)
	d.Title = w.str(true)
	d.Summary = w.str(true)
	d.Fix = w.strings(true)
	n := w.num()
	if w.bad || n < 0 || n > len(w.s)-w.i {
		return Diagnosis{}, errWire
	}
	d.Fields = make(Fields, n)
	for i := range d.Fields {
		d.Fields[i] = Field{Name: w.str(true), Value: w.str(true)}
	}
	d.SeeAlso = w.strings(true)
	d.Docs = w.strOrNull(true)
	d.Source = w.strOrNull(true)
	d.Line = w.num()
	d.Timestamp = w.strOrNull(false)
	d.Level = w.strOrNull(true)
	d.Pod = w.strOrNull(true)
	d.Container = w.strOrNull(true)
	d.Namespace = w.strOrNull(true)
	d.Count = w.num()
	d.Text = w.str(false)
	if w.bad {
		return Diagnosis{}, errWire
	}
	return d, nil
}

// eventError reads the values of an 'E' record (the tag already read).
func (w *wire) eventError() (*Error, error) {
	e := &Error{}
	e.Code = Code(w.num())
	e.Line = w.num()
	e.Column = w.num()
	e.Source = w.str(false)
	e.Message = w.str(false)
	if w.bad {
		return nil, errWire
	}
	return e, nil
}
