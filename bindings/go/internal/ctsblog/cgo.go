// Package ctsblog is the SWIG-generated flat C API of libtsblog
// (bindings/tsblog.i plus ctsblog.swig).  It is internal: use package
// tsblog.
package ctsblog

// The library and its headers, installed or from a build tree
// (PKG_CONFIG_PATH=<builddir>/meson-uninstalled).

// #cgo pkg-config: tsblog
import "C"
