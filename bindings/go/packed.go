package tsblog

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Diagnoses cross from C in the packed form of bindings/tsblog.i
// (tsblog_b_pack): each string as its length, ':' and its bytes, null as
// '~', a list as its length and '#'.  Nothing to unescape, unlike the JSON
// line, and each diagnosis names its rule, whose part (id, severity,
// component, title, see_also, docs) is converted once.

var errPacked = errors.New("tsblog: malformed diagnosis from C")

// packed reads the packed form.
type packed struct {
	s   string
	i   int
	bad bool
}

// num reads decimal digits ended by end.
func (p *packed) num(end byte) int {
	n, start := 0, p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' && n < 1<<40 {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	if p.i == start || p.i >= len(p.s) || p.s[p.i] != end {
		p.bad = true
		return 0
	}
	p.i++
	return n
}

// str reads a string; ok is false for null.
func (p *packed) str() (v string, ok bool) {
	if p.i < len(p.s) && p.s[p.i] == '~' {
		p.i++
		return "", false
	}
	n := p.num(':')
	if p.bad || n > len(p.s)-p.i {
		p.bad = true
		return "", false
	}
	v = p.s[p.i : p.i+n]
	p.i += n
	return v, true
}

// skip passes over items: 's' a string, 'l' a list of strings.
func (p *packed) skip(items string) {
	for _, k := range []byte(items) {
		n := 1
		if k == 'l' {
			n = p.num('#')
		}
		for ; n > 0 && !p.bad; n-- {
			p.str()
		}
	}
}

// The items of a rule's part: strings (s) and lists (l).
const rulePart = "ssssls"

// ruleValues are the parts of a diagnosis that depend only on its rule,
// and the last fix steps of its diagnoses (mostly the same each time).
type ruleValues struct {
	rule, severity, component, title, docs string
	hasComponent, hasDocs                  bool
	seeAlso, fix                           []string
}

// decoder turns packed diagnoses into Diagnosis values.  Its rule keys are
// rule addresses: it serves one rule set, which outlives it.
type decoder struct {
	rules  map[string]*ruleValues
	source string // the last diagnosis' source
	items  []item
}

// item is one string of a diagnosis after its rule's part.
type item struct {
	s  string
	ok bool // not null
	// s is a copy already (shared with an earlier diagnosis)
	copied bool
}

// The items after the rule's part: summary, the fix steps, the fields'
// names and values, then these.
const (
	iSource = iota
	iLine
	iTimestamp
	iLevel
	iPod
	iContainer
	iNamespace
	iCount
	iText
	nTail
)

// decode calls fn with each diagnosis of all, in order.  What it delivers
// keeps nothing of all (it may be C memory, reused after the call).
func (dec *decoder) decode(all string, fn func(Diagnosis) error) error {
	p := packed{s: all}
	for p.i < len(p.s) {
		key, _ := p.str()
		rv := dec.rules[key]
		if rv == nil {
			rv = readRule(&p)
			if p.bad {
				return errPacked
			}
			if dec.rules == nil {
				dec.rules = map[string]*ruleValues{}
			}
			dec.rules[clone(key)] = rv
		} else {
			p.skip(rulePart)
		}
		d, err := dec.diagnosis(&p, rv)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// readRule reads the rule's part; its strings are copies.
func readRule(p *packed) *ruleValues {
	var rv ruleValues
	rv.rule, _ = p.str()
	rv.severity, _ = p.str()
	rv.component, rv.hasComponent = p.str()
	rv.title, _ = p.str()
	n := p.num('#')
	if n > len(p.s) {
		p.bad = true
		return &rv
	}
	rv.seeAlso = make([]string, n)
	for i := range rv.seeAlso {
		rv.seeAlso[i], _ = p.str()
	}
	rv.docs, rv.hasDocs = p.str()
	rv.rule, rv.severity, rv.component = clone(rv.rule), clone(rv.severity), clone(rv.component)
	rv.title, rv.docs = clone(rv.title), clone(rv.docs)
	for i, s := range rv.seeAlso {
		rv.seeAlso[i] = clone(s)
	}
	return &rv
}

// diagnosis reads the rest of a diagnosis of rule rv.  Its strings are
// copied into one string of its own (so that what a caller keeps of one
// diagnosis keeps no more than it), but for fix steps and a source equal
// to the last ones, which are shared.
func (dec *decoder) diagnosis(p *packed, rv *ruleValues) (Diagnosis, error) {
	items := append(dec.items[:0], item{})
	items[0].s, items[0].ok = p.str()
	nfix := p.num('#')
	for i := 0; i < nfix && !p.bad; i++ {
		var x item
		x.s, x.ok = p.str()
		if i < len(rv.fix) && rv.fix[i] == x.s {
			x.s, x.copied = rv.fix[i], true
		}
		items = append(items, x)
	}
	nf := p.num('#')
	for i := 0; i < nf+nTail && !p.bad; i++ {
		var x item
		x.s, x.ok = p.str()
		items = append(items, x)
	}
	dec.items = items
	if p.bad || nf%2 != 0 {
		return Diagnosis{}, errPacked
	}
	tail := items[1+nfix+nf:]
	if tail[iSource].ok && tail[iSource].s == dec.source && dec.source != "" {
		tail[iSource].s, tail[iSource].copied = dec.source, true
	}

	n := 0
	for _, x := range items {
		if !x.copied {
			n += len(x.s)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, x := range items {
		if !x.copied {
			b.WriteString(x.s)
		}
	}
	own, at := b.String(), 0
	fix := !utf8.ValidString(own) // only an input's name can be
	for i := range items {
		if x := &items[i]; !x.copied {
			x.s, at = own[at:at+len(x.s)], at+len(x.s)
			if fix {
				x.s = validUTF8(x.s)
			}
		}
	}
	for i, x := range items[1 : 1+nfix] {
		if i == len(rv.fix) {
			rv.fix = append(rv.fix, "")
		}
		rv.fix[i] = x.s
	}
	if tail[iSource].ok {
		dec.source = tail[iSource].s
	}

	d := Diagnosis{Rule: rv.rule, Severity: rv.severity, Title: rv.title, Summary: items[0].s}
	strs := make([]string, nfix+len(rv.seeAlso))
	for i, x := range items[1 : 1+nfix] {
		strs[i] = x.s
	}
	copy(strs[nfix:], rv.seeAlso)
	d.Fix, d.SeeAlso = strs[:nfix:nfix], strs[nfix:]
	d.Fields = make(Fields, nf/2)
	for i := range d.Fields {
		d.Fields[i] = Field{items[1+nfix+2*i].s, items[2+nfix+2*i].s}
	}
	// The optional strings of one diagnosis share one allocation.
	opt := new([8]string)
	set := func(k int, v string, ok bool) *string {
		if !ok {
			return nil
		}
		opt[k] = v
		return &opt[k]
	}
	d.Component = set(0, rv.component, rv.hasComponent)
	d.Docs = set(1, rv.docs, rv.hasDocs)
	d.Source = set(2, tail[iSource].s, tail[iSource].ok)
	d.Timestamp = set(3, tail[iTimestamp].s, tail[iTimestamp].ok)
	d.Level = set(4, tail[iLevel].s, tail[iLevel].ok)
	d.Pod = set(5, tail[iPod].s, tail[iPod].ok)
	d.Container = set(6, tail[iContainer].s, tail[iContainer].ok)
	d.Namespace = set(7, tail[iNamespace].s, tail[iNamespace].ok)
	line, err1 := number(tail[iLine])
	count, err2 := number(tail[iCount])
	if err1 != nil || err2 != nil {
		return Diagnosis{}, errPacked
	}
	d.Line, d.Count, d.Text = Line(line), count, tail[iText].s
	return d, nil
}

// number reads a number written as a string of digits (null is 0).
func number(x item) (int, error) {
	if !x.ok {
		return 0, nil
	}
	return strconv.Atoi(x.s)
}

// clone copies s, so that it does not keep a larger string alive.
func clone(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s)
	return b.String()
}

// validUTF8 makes each byte of s that is not part of a UTF-8 sequence
// U+FFFD, as the C library does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
