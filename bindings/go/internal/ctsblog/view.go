package ctsblog

// Hand-written, not made by swig.sh.

import "unsafe"

// FoundView is what Tsblog_b_found_lines returns, without copying it: a
// string over the C buffer itself, valid only until the next call with f.
// Copy what must outlive that.
func FoundView(f Struct_SS_tsblog_b_found) string {
	n := Tsblog_b_found_len(f)
	if n == 0 {
		return ""
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(uintptr(Tsblog_b_found_data(f)))), n)
	return *(*string)(unsafe.Pointer(&b))
}
