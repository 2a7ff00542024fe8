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
	// fix: s holds bytes that are not UTF-8 (only an input's name can),
	// made U+FFFD one by one, as the JSON line does.
	fix bool
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
	if p.fix {
		v = validUTF8(v)
	}
	return v, true
}

// opt reads a string into *dst, or returns nil for null.
func (p *packed) opt(dst *string) *string {
	v, ok := p.str()
	if !ok {
		return nil
	}
	*dst = v
	return dst
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

// The items of a diagnosis: the rule's key, the rule's part, the rest.
const (
	rulePart = "ssssls"
	restPart = "sllsssssssss"
)

// ruleValues are the parts of a diagnosis that depend only on its rule.
type ruleValues struct {
	rule, severity, component, title, docs string
	hasComponent, hasDocs                  bool
	seeAlso                                []string
}

// decoder turns packed diagnoses into Diagnosis values.  Its rule keys are
// rule addresses: it serves one rule set, which outlives it.
type decoder struct {
	rules map[string]*ruleValues
}

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
		start := p.i
		p.skip(restPart)
		if p.bad {
			return errPacked
		}
		// A copy of its own, so that what a caller keeps of one
		// diagnosis keeps no more than it.
		rest := packed{s: clone(all[start:p.i])}
		rest.fix = !utf8.ValidString(rest.s)
		d := rest.diagnosis(rv)
		if rest.bad {
			return errPacked
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
	rv.seeAlso = make([]string, p.num('#'))
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

// diagnosis reads the rest of a diagnosis of rule rv.
func (p *packed) diagnosis(rv *ruleValues) Diagnosis {
	d := Diagnosis{Rule: rv.rule, Severity: rv.severity, Title: rv.title}
	// The optional strings of one diagnosis share one allocation.
	opt := new([8]string)
	if rv.hasComponent {
		opt[0] = rv.component
		d.Component = &opt[0]
	}
	if rv.hasDocs {
		opt[1] = rv.docs
		d.Docs = &opt[1]
	}
	d.Summary, _ = p.str()
	nfix := p.num('#')
	if p.bad || nfix > len(p.s) {
		p.bad = true
		return d
	}
	strs := make([]string, nfix+len(rv.seeAlso))
	for i := 0; i < nfix; i++ {
		strs[i], _ = p.str()
	}
	copy(strs[nfix:], rv.seeAlso)
	d.Fix, d.SeeAlso = strs[:nfix:nfix], strs[nfix:]
	nf := p.num('#')
	if p.bad || nf%2 != 0 || nf > len(p.s) {
		p.bad = true
		return d
	}
	d.Fields = make(Fields, nf/2)
	for i := range d.Fields {
		d.Fields[i].Name, _ = p.str()
		d.Fields[i].Value, _ = p.str()
	}
	d.Source = p.opt(&opt[2])
	d.Line = Line(p.number())
	d.Timestamp = p.opt(&opt[3])
	d.Level = p.opt(&opt[4])
	d.Pod = p.opt(&opt[5])
	d.Container = p.opt(&opt[6])
	d.Namespace = p.opt(&opt[7])
	d.Count = p.number()
	d.Text, _ = p.str()
	return d
}

// number reads a number written as a string of digits (null is 0).
func (p *packed) number() int {
	v, ok := p.str()
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	p.bad = p.bad || err != nil
	return n
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
