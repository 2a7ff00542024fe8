package tsblog

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads and writes the JSON of the C library byte for byte.
//
// Writing: the C library prints with jansson (JSON_COMPACT), which escapes
// '"', '\\' and control characters only (\b \f \n \r \t, else \u00XX with
// upper-case hex) and writes everything else, '<', '>', '&', U+2028 and
// non-ASCII included, as it is.  encoding/json escapes differently, so the
// types of this package marshal themselves.
//
// Reading: Diagnosis.UnmarshalJSON and Fields.UnmarshalJSON use a small
// decoder made for these objects: several times faster than encoding/json's
// reflection, and it keeps the order of "fields".  (Scan does not go
// through JSON at all: see wire.go.)

// appendString appends s as a JSON string the way jansson writes it.
// Invalid UTF-8 (possible only in values built in Go) becomes U+FFFD, as
// the C library does with its input.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			const hex = "0123456789ABCDEF"
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendStringOrNull(dst []byte, s *string) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	return appendString(dst, *s)
}

func appendStrings(dst []byte, v []string) []byte {
	dst = append(dst, '[')
	for i, s := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

func appendInt(dst []byte, n int) []byte {
	return strconv.AppendInt(dst, int64(n), 10)
}

// appendLine writes a line number; 0 (none) is null, as in the C output.
func appendLine(dst []byte, n int) []byte {
	if n == 0 {
		return append(dst, "null"...)
	}
	return appendInt(dst, n)
}

func appendKey(dst []byte, first bool, key string) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

var errJSON = errors.New("tsblog: malformed JSON")

// reader decodes the JSON the C library writes.  It accepts any valid
// JSON of the expected shape (whitespace, any key order, unknown keys are
// skipped) so that Diagnosis.UnmarshalJSON can read what users stored.
type reader struct {
	b   string
	i   int
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errJSON
	}
	r.i = len(r.b)
}

func (r *reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, 0 at the end.
func (r *reader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

func (r *reader) expect(c byte) {
	if r.peek() != c {
		r.fail()
		return
	}
	r.i++
}

func (r *reader) literal(word string) {
	r.ws()
	if len(r.b)-r.i < len(word) || r.b[r.i:r.i+len(word)] != word {
		r.fail()
		return
	}
	r.i += len(word)
}

func (r *reader) isNull() bool {
	if r.peek() == 'n' {
		r.literal("null")
		return true
	}
	return false
}

// str reads a string, copied out of the text being read so that nothing
// keeps the whole text alive.
func (r *reader) str() string {
	s, fresh := r.rawStr()
	if fresh {
		return s
	}
	return strings.Clone(s)
}

// rawStr reads a string.  Without escapes it is a substring of the text
// (fresh false): copy it before keeping it.
func (r *reader) rawStr() (s string, fresh bool) {
	r.expect('"')
	start := r.i
	end := strings.IndexByte(r.b[start:], '"')
	if end < 0 {
		r.fail()
		return "", true
	}
	if strings.IndexByte(r.b[start:start+end], '\\') >= 0 {
		return r.strSlow(start), true
	}
	r.i = start + end + 1
	return r.b[start : start+end], false
}

// strSlow finishes a string that has escapes.
func (r *reader) strSlow(start int) string {
	out := []byte(r.b[start:r.i])
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return string(out)
		case c != '\\':
			out = append(out, c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.b) {
			break
		}
		e := r.b[r.i+1]
		r.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			c1 := r.hex4()
			if utf16IsSurrogate(c1) {
				c2 := rune(-1)
				if r.i+1 < len(r.b) && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
					save := r.i
					r.i += 2
					c2 = r.hex4()
					if c1 >= 0xDC00 || c2 < 0xDC00 || c2 > 0xDFFF {
						r.i = save
						c2 = -1
					}
				}
				if c2 < 0 {
					c1 = utf8.RuneError
				} else {
					c1 = 0x10000 + (c1-0xD800)<<10 + (c2 - 0xDC00)
				}
			}
			out = utf8.AppendRune(out, c1)
		default:
			r.fail()
			return ""
		}
	}
	r.fail()
	return ""
}

func utf16IsSurrogate(c rune) bool { return c >= 0xD800 && c < 0xE000 }

func (r *reader) hex4() rune {
	if len(r.b)-r.i < 4 {
		r.fail()
		return 0
	}
	v, err := strconv.ParseUint(r.b[r.i:r.i+4], 16, 32)
	if err != nil {
		r.fail()
		return 0
	}
	r.i += 4
	return rune(v)
}

func (r *reader) strOrNull() *string {
	if r.isNull() {
		return nil
	}
	s := r.str()
	return &s
}

func (r *reader) int() int {
	r.ws()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	n, err := strconv.ParseInt(r.b[start:r.i], 10, 64)
	if err != nil {
		r.fail()
		return 0
	}
	return int(n)
}

// intOrNull reads a number, or null as 0.
func (r *reader) intOrNull() int {
	if r.isNull() {
		return 0
	}
	return r.int()
}

// object calls fn for each key; fn must read the value.
func (r *reader) object(fn func(key string)) {
	if r.isNull() {
		return
	}
	r.expect('{')
	if r.peek() == '}' {
		r.i++
		return
	}
	for r.err == nil {
		key, _ := r.rawStr() // only compared, or copied by fn
		r.expect(':')
		fn(key)
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return
		default:
			r.fail()
		}
	}
}

// array calls fn for each element; fn must read it.
func (r *reader) array(fn func()) {
	if r.isNull() {
		return
	}
	r.expect('[')
	if r.peek() == ']' {
		r.i++
		return
	}
	for r.err == nil {
		fn()
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			return
		default:
			r.fail()
		}
	}
}

func (r *reader) strings() []string {
	v := []string{}
	r.array(func() { v = append(v, r.str()) })
	return v
}

func (r *reader) fields() Fields {
	f := Fields{}
	r.object(func(name string) {
		f = append(f, Field{Name: strings.Clone(name), Value: r.str()})
	})
	return f
}

// skip reads any value.
func (r *reader) skip() {
	switch r.peek() {
	case '{':
		r.object(func(string) { r.skip() })
	case '[':
		r.array(r.skip)
	case '"':
		r.rawStr()
	case 'n':
		r.literal("null")
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	default:
		r.ws()
		start := r.i
		for r.i < len(r.b) && (r.b[r.i] == '-' || r.b[r.i] == '+' ||
			r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E' ||
			(r.b[r.i] >= '0' && r.b[r.i] <= '9')) {
			r.i++
		}
		if start == r.i {
			r.fail()
		}
	}
}

// end checks that only white space is left.
func (r *reader) end() error {
	if r.peek() != 0 {
		r.fail()
	}
	return r.err
}
