package tsblog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// ErrClosed is returned by calls on Rules after Close.  A Scan or
// Summarize running when Close is called stops with it at the next chunk.
var ErrClosed = errors.New("tsblog: rules are closed")

// Code is a libtsblog error code (tsblog_error_code in tsblog/errors.h).
type Code int

// The codes, as in tsblog/errors.h.
const (
	CodeNoMem     Code = -1  // an allocation failed
	CodeInvalid   Code = -2  // a bad argument
	CodeIO        Code = -3  // a file could not be opened or read
	CodeSyntax    Code = -4  // a rule file is not valid JSON; a malformed event
	CodeSchema    Code = -5  // valid JSON, but not a valid rule file
	CodeRegex     Code = -6  // PCRE2 rejected a pattern
	CodeTemplate  Code = -7  // a summary or fix template is wrong
	CodeMacro     Code = -8  // unknown or cyclic %{PATTERN}
	CodeDuplicate Code = -9  // a rule id is used twice
	CodeVersion   Code = -10 // "tsblog" format version not supported
	CodeMatch     Code = -11 // PCRE2 failed while matching
	CodeUser      Code = -12 // a callback asked to stop
)

var codeNames = map[Code]string{
	0: "ok", CodeNoMem: "nomem", CodeInvalid: "invalid", CodeIO: "io",
	CodeSyntax: "syntax", CodeSchema: "schema", CodeRegex: "regex",
	CodeTemplate: "template", CodeMacro: "macro",
	CodeDuplicate: "duplicate", CodeVersion: "version", CodeMatch: "match",
	CodeUser: "user",
}

// String returns the C library's short name of the code ("syntax",
// "regex", ...), as tsblog_error_code_name() does.
func (c Code) String() string {
	if s, ok := codeNames[c]; ok {
		return s
	}
	return "unknown"
}

// RuleError says why a rule file could not be loaded: where (Path, Line,
// Column, Position), which rule and member, and for PCRE2 errors the offset
// in the expanded pattern.  Error returns the C library's one-line message,
// which starts with the location ("rules.json:8:16: rule \"x\": match:
// ...").  Fields that do not apply are 0 or "".
type RuleError struct {
	Code          Code
	Path          string // the rule file, the name given to FromString, or "builtin:tsb.json"
	Line          int    // 1-based
	Column        int    // 1-based, in characters
	Position      int    // 0-based byte offset in the file
	RuleID        string
	Member        string // the rule member concerned ("match", "summary", ...)
	PatternOffset int    // PCRE2 error offset in the expanded pattern
	Message       string
}

func (e *RuleError) Error() string { return e.Message }

// Error is a failure the C library reported outside rule files: a
// malformed event in a `kubectl get events -o json` document (Code
// CodeSyntax; Source, Line and Column say where), or running out of memory.
// Error returns the C library's one-line message.
type Error struct {
	Code    Code
	Source  string
	Line    int
	Column  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// ScanError is returned by Scan and Summarize, after every diagnosis was
// delivered and the summary made, when the input held malformed events of
// a `kubectl get events -o json` document.  Each was skipped and the scan
// went on, as the tsblog command does; Errors lists them in input order.
type ScanError struct {
	Errors []*Error
}

func (e *ScanError) Error() string {
	switch len(e.Errors) {
	case 0:
		return "tsblog: scan error"
	case 1:
		return e.Errors[0].Message
	}
	return fmt.Sprintf("%s (and %d more malformed events)",
		e.Errors[0].Message, len(e.Errors)-1)
}

// cError is tsblog_b_error_json(): the members of a tsblog_error.
type cError struct {
	Code          int    `json:"code"`
	Source        string `json:"source"`
	Line          int    `json:"line"`
	Column        int    `json:"column"`
	Position      int    `json:"position"`
	RuleID        string `json:"rule_id"`
	Member        string `json:"member"`
	PatternOffset int    `json:"pattern_offset"`
	Message       string `json:"message"`
}

func parseCError(doc string) cError {
	var c cError
	if err := json.Unmarshal([]byte(doc), &c); err != nil || c.Code == 0 {
		// Only if the library broke its promise; keep what we have.
		if c.Message == "" {
			c.Message = "tsblog: unknown error " + strconv.Quote(doc)
		}
		if c.Code == 0 {
			c.Code = int(CodeInvalid)
		}
	}
	if c.Message == "" {
		c.Message = "tsblog: " + Code(c.Code).String()
	}
	return c
}

func (c cError) ruleError() *RuleError {
	return &RuleError{
		Code: Code(c.Code), Path: c.Source, Line: c.Line,
		Column: c.Column, Position: c.Position, RuleID: c.RuleID,
		Member: c.Member, PatternOffset: c.PatternOffset,
		Message: c.Message,
	}
}

func (c cError) error() *Error {
	return &Error{Code: Code(c.Code), Source: c.Source, Line: c.Line,
		Column: c.Column, Message: c.Message}
}
