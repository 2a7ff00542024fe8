//go:build go1.20

package tsblog

// Unwrap returns the malformed events as errors, for errors.Is and
// errors.As (Go 1.20 and later; Go 1.19's vet rejects the signature).
func (e *ScanError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, x := range e.Errors {
		errs[i] = x
	}
	return errs
}
