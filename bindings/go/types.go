package tsblog

import (
	"bytes"
	"encoding/json"
)

// Diagnosis is what one matched line means: the rule, its fields, the
// rendered summary and fix steps, and where the line came from.
//
// It has one field per key of a `tsblog -o json` line, with the same name
// as JSON tag.  Values the C library may leave out (null in JSON) are
// pointers, nil when absent; Line is 0 when there is none (MatchLine), and
// marshals as null then.
//
// MarshalJSON writes exactly the bytes of the `tsblog -o json` line (same
// key order, same escaping, no newline).  encoding/json's Marshal then
// escapes '<', '>' and '&' as \u003c and so on, which is the same JSON
// but not the same bytes; to get the line the tsblog command prints, use
// an Encoder with SetEscapeHTML(false), or AppendJSON.
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
	Line      int      `json:"line"`   // 1-based; 0 (null) from MatchLine
	Timestamp *string  `json:"timestamp"`
	Level     *string  `json:"level"` // "debug", "info", "warn", "error", "fatal", "panic"
	Pod       *string  `json:"pod"`
	Container *string  `json:"container"`
	Namespace *string  `json:"namespace"`
	Count     int      `json:"count"` // an event's count, else 1
	Text      string   `json:"text"`  // the line as read (an event's message)
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

func (f Fields) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	for i, x := range f {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, x.Name)
		dst = append(dst, ':')
		dst = appendString(dst, x.Value)
	}
	return append(dst, '}')
}

// MarshalJSON writes the fields as an object in their order.
func (f Fields) MarshalJSON() ([]byte, error) {
	return f.appendJSON(nil), nil
}

// UnmarshalJSON reads an object of strings, keeping the key order.
func (f *Fields) UnmarshalJSON(b []byte) error {
	r := reader{b: string(b)}
	v := r.fields()
	if err := r.end(); err != nil {
		return err
	}
	*f = v
	return nil
}

// AppendJSON appends the `tsblog -o json` line of d (without newline).
func (d *Diagnosis) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendKey(dst, true, "rule")
	dst = appendString(dst, d.Rule)
	dst = appendKey(dst, false, "severity")
	dst = appendString(dst, d.Severity)
	dst = appendKey(dst, false, "component")
	dst = appendStringOrNull(dst, d.Component)
	dst = appendKey(dst, false, "title")
	dst = appendString(dst, d.Title)
	dst = appendKey(dst, false, "summary")
	dst = appendString(dst, d.Summary)
	dst = appendKey(dst, false, "fix")
	dst = appendStrings(dst, d.Fix)
	dst = appendKey(dst, false, "fields")
	dst = d.Fields.appendJSON(dst)
	dst = appendKey(dst, false, "see_also")
	dst = appendStrings(dst, d.SeeAlso)
	dst = appendKey(dst, false, "docs")
	dst = appendStringOrNull(dst, d.Docs)
	dst = appendKey(dst, false, "source")
	dst = appendStringOrNull(dst, d.Source)
	dst = appendKey(dst, false, "line")
	dst = appendLine(dst, d.Line)
	dst = appendKey(dst, false, "timestamp")
	dst = appendStringOrNull(dst, d.Timestamp)
	dst = appendKey(dst, false, "level")
	dst = appendStringOrNull(dst, d.Level)
	dst = appendKey(dst, false, "pod")
	dst = appendStringOrNull(dst, d.Pod)
	dst = appendKey(dst, false, "container")
	dst = appendStringOrNull(dst, d.Container)
	dst = appendKey(dst, false, "namespace")
	dst = appendStringOrNull(dst, d.Namespace)
	dst = appendKey(dst, false, "count")
	dst = appendInt(dst, d.Count)
	dst = appendKey(dst, false, "text")
	dst = appendString(dst, d.Text)
	return append(dst, '}')
}

// MarshalJSON writes the `tsblog -o json` line of d (see Diagnosis).
func (d Diagnosis) MarshalJSON() ([]byte, error) {
	return d.AppendJSON(nil), nil
}

// UnmarshalJSON reads a `tsblog -o json` line.  Unknown keys are ignored.
func (d *Diagnosis) UnmarshalJSON(b []byte) error {
	r := reader{b: string(b)}
	v, err := r.diagnosis()
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (r *reader) diagnosis() (Diagnosis, error) {
	var d Diagnosis
	r.object(func(key string) {
		switch key {
		case "rule":
			d.Rule = r.str()
		case "severity":
			d.Severity = r.str()
		case "component":
			d.Component = r.strOrNull()
		case "title":
			d.Title = r.str()
		case "summary":
			d.Summary = r.str()
		case "fix":
			d.Fix = r.strings()
		case "fields":
			d.Fields = r.fields()
		case "see_also":
			d.SeeAlso = r.strings()
		case "docs":
			d.Docs = r.strOrNull()
		case "source":
			d.Source = r.strOrNull()
		case "line":
			d.Line = r.intOrNull()
		case "timestamp":
			d.Timestamp = r.strOrNull()
		case "level":
			d.Level = r.strOrNull()
		case "pod":
			d.Pod = r.strOrNull()
		case "container":
			d.Container = r.strOrNull()
		case "namespace":
			d.Namespace = r.strOrNull()
		case "count":
			d.Count = r.int()
		case "text":
			d.Text = r.str()
		default:
			r.skip()
		}
	})
	return d, r.err
}

// Summary mirrors the `tsblog -o summary-json` document: totals, the
// distinct problems found and the warnings and errors no rule matched.
// MarshalJSON writes the document's bytes (see Diagnosis about
// encoding/json and '<', '>', '&').
type Summary struct {
	SchemaVersion       int            `json:"schema_version"`
	Records             int            `json:"records"`
	Bytes               int            `json:"bytes"`
	Truncated           int            `json:"truncated"`  // lines longer than MaxRecord
	Malformed           int            `json:"malformed"`  // events of JSON documents skipped
	LimitHits           int            `json:"limit_hits"` // rule attempts that hit a PCRE2 limit
	LimitHitRules       []LimitHit     `json:"limit_hit_rules"`
	Problems            []Problem      `json:"problems"`
	Unclassified        []Unclassified `json:"unclassified"`
	UnclassifiedDropped int            `json:"unclassified_dropped"`
}

// Problem is one rule and set of key fields, with how often and where it
// was seen.  FirstLine and LastLine are 0 (null) when unknown.
type Problem struct {
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Title     string   `json:"title"`
	Fields    Fields   `json:"fields"`
	Count     int      `json:"count"`
	FirstLine int      `json:"first_line"`
	LastLine  int      `json:"last_line"`
	FirstTime *string  `json:"first_time"`
	LastTime  *string  `json:"last_time"`
	Pod       *string  `json:"pod"`       // of the first sighting
	Container *string  `json:"container"` // of the first sighting
	Namespace *string  `json:"namespace"` // of the first sighting
	Summary   string   `json:"summary"`
	Fix       []string `json:"fix"`
	Sources   []string `json:"sources"`
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
	FirstLine int    `json:"first_line"`
	Source    string `json:"source"`
	Example   string `json:"example"`
}

func (p *Problem) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendKey(dst, true, "rule")
	dst = appendString(dst, p.Rule)
	dst = appendKey(dst, false, "severity")
	dst = appendString(dst, p.Severity)
	dst = appendKey(dst, false, "title")
	dst = appendString(dst, p.Title)
	dst = appendKey(dst, false, "fields")
	dst = p.Fields.appendJSON(dst)
	dst = appendKey(dst, false, "count")
	dst = appendInt(dst, p.Count)
	dst = appendKey(dst, false, "first_line")
	dst = appendLine(dst, p.FirstLine)
	dst = appendKey(dst, false, "last_line")
	dst = appendLine(dst, p.LastLine)
	dst = appendKey(dst, false, "first_time")
	dst = appendStringOrNull(dst, p.FirstTime)
	dst = appendKey(dst, false, "last_time")
	dst = appendStringOrNull(dst, p.LastTime)
	dst = appendKey(dst, false, "pod")
	dst = appendStringOrNull(dst, p.Pod)
	dst = appendKey(dst, false, "container")
	dst = appendStringOrNull(dst, p.Container)
	dst = appendKey(dst, false, "namespace")
	dst = appendStringOrNull(dst, p.Namespace)
	dst = appendKey(dst, false, "summary")
	dst = appendString(dst, p.Summary)
	dst = appendKey(dst, false, "fix")
	dst = appendStrings(dst, p.Fix)
	dst = appendKey(dst, false, "sources")
	dst = appendStrings(dst, p.Sources)
	return append(dst, '}')
}

func (u *Unclassified) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendKey(dst, true, "shape")
	dst = appendString(dst, u.Shape)
	dst = appendKey(dst, false, "level")
	dst = appendString(dst, u.Level)
	dst = appendKey(dst, false, "count")
	dst = appendInt(dst, u.Count)
	dst = appendKey(dst, false, "first_line")
	dst = appendLine(dst, u.FirstLine)
	dst = appendKey(dst, false, "source")
	dst = appendString(dst, u.Source)
	dst = appendKey(dst, false, "example")
	dst = appendString(dst, u.Example)
	return append(dst, '}')
}

func (l *LimitHit) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendKey(dst, true, "rule")
	dst = appendString(dst, l.Rule)
	dst = appendKey(dst, false, "count")
	dst = appendInt(dst, l.Count)
	return append(dst, '}')
}

// appendArray appends xs as a JSON array, each element written by each.
func appendArray[T any](dst []byte, xs []T, each func(*T, []byte) []byte) []byte {
	dst = append(dst, '[')
	for i := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = each(&xs[i], dst)
	}
	return append(dst, ']')
}

// AppendJSON appends the `tsblog -o summary-json` document (without
// newline).
func (s *Summary) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendKey(dst, true, "schema_version")
	dst = appendInt(dst, s.SchemaVersion)
	dst = appendKey(dst, false, "records")
	dst = appendInt(dst, s.Records)
	dst = appendKey(dst, false, "bytes")
	dst = appendInt(dst, s.Bytes)
	dst = appendKey(dst, false, "truncated")
	dst = appendInt(dst, s.Truncated)
	dst = appendKey(dst, false, "malformed")
	dst = appendInt(dst, s.Malformed)
	dst = appendKey(dst, false, "limit_hits")
	dst = appendInt(dst, s.LimitHits)
	dst = appendKey(dst, false, "limit_hit_rules")
	dst = appendArray(dst, s.LimitHitRules, (*LimitHit).appendJSON)
	dst = appendKey(dst, false, "problems")
	dst = appendArray(dst, s.Problems, (*Problem).appendJSON)
	dst = appendKey(dst, false, "unclassified")
	dst = appendArray(dst, s.Unclassified, (*Unclassified).appendJSON)
	dst = appendKey(dst, false, "unclassified_dropped")
	dst = appendInt(dst, s.UnclassifiedDropped)
	return append(dst, '}')
}

// MarshalJSON writes the `tsblog -o summary-json` document.
func (s Summary) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// MarshalJSON writes the problem as in the summary document.
func (p Problem) MarshalJSON() ([]byte, error) { return p.appendJSON(nil), nil }

// MarshalJSON writes the group as in the summary document.
func (u Unclassified) MarshalJSON() ([]byte, error) { return u.appendJSON(nil), nil }

// decodeSummary reads the document of tsblog_scanner_summary_json().
// encoding/json does it: it is read once per scan, and Fields keeps its
// order through Fields.UnmarshalJSON.
func decodeSummary(doc string) (Summary, error) {
	var s Summary
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	if err := dec.Decode(&s); err != nil {
		return Summary{}, err
	}
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
