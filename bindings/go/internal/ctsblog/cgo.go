// Package ctsblog is the flat C API of libtsblog that SWIG generates from
// bindings/tsblog.i (ctsblog.go, ctsblog_wrap.c; see swig.sh).  It is
// internal: use package tsblog.
package ctsblog

// The library and its headers, installed or from a build tree
// (PKG_CONFIG_PATH=<builddir>/meson-uninstalled).

// #cgo pkg-config: tsblog
import "C"

//go:generate sh swig.sh
