package tsblog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Diagnosis is what one matched line means: the rule, its fields, the
// rendered summary and fix steps, and where the line came from.
//
// It has one field per key of a `tsblog -o json` line, in the same order,
// with the key as JSON tag; values the C library may leave out (null) are
// pointers, nil when absent.  A json.Encoder with SetEscapeHTML(false)
// writes the line the tsblog command prints (json.Marshal escapes '<', '>'
// and '&' as \u003c and so on: the same JSON, other bytes).  Control
// characters, U+2028 and U+2029 are escaped differently by the two
// encoders, which is again the same JSON value.
type Diagnosis struct {
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"` // "error", "warning" or "info"
	Component *string  `json:"component"`
	Title     string   `json:"title"`
	Summary   string   `json:"summary"`
	Fix       []string `json:"fix"`
	Fields    Fields   `json:"fields"`
	SeeAlso   []string `json:"see_also"`
	Docs      *string  `json:"docs"`
	Source    *string  `json:"source"` // the name given to Scan; nil from MatchLine
	Line      Line     `json:"line"`   // 0 (null) from MatchLine
	Timestamp *string  `json:"timestamp"`
	Level     *string  `json:"level"` // "debug", "info", "warn", "error", "fatal", "panic"
	Pod       *string  `json:"pod"`
	Container *string  `json:"container"`
	Namespace *string  `json:"namespace"`
	Count     int      `json:"count"` // an event's count, else 1
	Text      string   `json:"text"`  // the line as read (an event's message)
}

// Line is a 1-based line number; 0 means none, null in JSON.
type Line int

// MarshalJSON writes the number, or null for 0.
func (n Line) MarshalJSON() ([]byte, error) {
	if n == 0 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// Field is one named group of the rule's pattern and the text it matched.
type Field struct {
	Name, Value string
}

// Fields are the fields of a match in pattern order.  In JSON they are an
// object whose keys keep that order.
type Fields []Field

// Get returns the value of the field called name.
func (f Fields) Get(name string) (string, bool) {
	for _, x := range f {
		if x.Name == name {
			return x.Value, true
		}
	}
	return "", false
}

// Map returns the fields as a map (losing their order).
func (f Fields) Map() map[string]string {
	m := make(map[string]string, len(f))
	for _, x := range f {
		m[x.Name] = x.Value
	}
	return m
}

// MarshalJSON writes the fields as an object in their order.  Strings are
// written without HTML escaping: the encoder that called it applies its own
// SetEscapeHTML setting to the result.
func (f Fields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, x := range f {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, s := range [2]string{x.Name, x.Value} {
			if j > 0 {
				b.WriteByte(':')
			}
			if err := enc.Encode(s); err != nil {
				return nil, err
			}
			b.Truncate(b.Len() - 1) // Encode's '\n'
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of strings, keeping the key order.
func (f *Fields) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("tsblog: fields: not a JSON object: %.40s", data)
	}
	v := Fields{}
	for dec.More() {
		var x Field
		k, err := dec.Token()
		if err != nil {
			return err
		}
		x.Name, _ = k.(string)
		if err := dec.Decode(&x.Value); err != nil {
			return fmt.Errorf("tsblog: field %q: %w", x.Name, err)
		}
		v = append(v, x)
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*f = v
	return nil
}

// Summary mirrors the `tsblog -o summary-json` document: totals, the
// distinct problems found and the warnings and errors no rule matched.
// Its JSON is that document, as for Diagnosis.
type Summary struct {
	SchemaVersion       int            `json:"schema_version"`
	Records             int            `json:"records"`
	Bytes               int            `json:"bytes"`
	Truncated           int            `json:"truncated"`  // lines longer than MaxRecord
	Malformed           int            `json:"malformed"`  // events of JSON documents skipped
	LimitHits           int            `json:"limit_hits"` // rule attempts that hit a PCRE2 limit
	LimitHitRules       []LimitHit     `json:"limit_hit_rules"`
	Problems            []Problem      `json:"problems"`
	ProblemsDropped     int            `json:"problems_dropped"` // sightings not listed: the problem table was full
	Unclassified        []Unclassified `json:"unclassified"`
	UnclassifiedDropped int            `json:"unclassified_dropped"`
}

// Problem is one rule and set of key fields, with how often and where it
// was seen.
type Problem struct {
	Rule      string    `json:"rule"`
	Key       []*string `json:"key"` // the rule id, then each key field's value (nil: unmatched)
	Severity  string    `json:"severity"`
	Title     string    `json:"title"`
	Fields    Fields    `json:"fields"`
	Count     int       `json:"count"`
	FirstLine Line      `json:"first_line"`
	LastLine  Line      `json:"last_line"`
	FirstTime *string   `json:"first_time"`
	LastTime  *string   `json:"last_time"`
	Pod       *string   `json:"pod"`       // of the first sighting
	Container *string   `json:"container"` // of the first sighting
	Namespace *string   `json:"namespace"` // of the first sighting
	Summary   string    `json:"summary"`
	Fix       []string  `json:"fix"`
	Sources   []string  `json:"sources"`
}

// LimitHit is a rule that gave up on Count lines at a PCRE2 limit (match,
// depth or heap): a rule that backtracks badly, or input built to make it.
type LimitHit struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// Unclassified is a group of warnings or errors no rule matched, by the
// shape of their message.
type Unclassified struct {
	Shape     string `json:"shape"`
	Level     string `json:"level"`
	Count     int    `json:"count"`
	FirstLine Line   `json:"first_line"`
	Source    string `json:"source"`
	Example   string `json:"example"`
}
