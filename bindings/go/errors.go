package tsblog

import (
	"errors"
	"fmt"
	"os"

	c "github.com/libtsblog/libtsblog/bindings/go/internal/ctsblog"
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

// String returns the C library's short name of the code ("syntax",
// "regex", ...): tsblog_error_code_name().
func (code Code) String() string { return c.Tsblog_error_code_name(int(code)) }

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
	// Err is why a rule file could not be read (Code CodeIO): the
	// *fs.PathError of opening it, so that errors.Is(err,
	// fs.ErrNotExist) works.  Otherwise nil.
	Err error
}

func (e *RuleError) Error() string { return e.Message }

// Unwrap returns e.Err.
func (e *RuleError) Unwrap() error { return e.Err }

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

// newError reads a tsblog_error.
func newError(e c.Tsblog_error) *Error {
	return &Error{Code: Code(e.GetCode()), Source: e.GetSource(),
		Line: e.GetLine(), Column: e.GetColumn(), Message: e.GetMessage()}
}

// newRuleError reads the tsblog_error of a failed rule file or string.
func newRuleError(e c.Tsblog_error) *RuleError {
	re := &RuleError{
		Code: Code(e.GetCode()), Path: e.GetSource(), Line: e.GetLine(),
		Column: e.GetColumn(), Position: int(e.GetPosition()),
		RuleID: e.GetRule_id(), Member: e.GetMember(),
		PatternOffset: int(e.GetPattern_offset()), Message: e.GetMessage(),
	}
	if re.Code == CodeIO {
		// C says what failed; Go's own open says it as an error value.
		if f, err := os.Open(re.Path); err != nil {
			re.Err = err
		} else {
			f.Close()
		}
	}
	return re
}
