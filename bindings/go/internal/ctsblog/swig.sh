#!/bin/sh
# Makes this package from bindings/tsblog.i: `go generate ./internal/ctsblog`
# or `sh internal/ctsblog/swig.sh` after changing the interface.  The output
# is committed so that the module builds with cgo alone (no swig, nothing
# outside bindings/go).  --check regenerates into a temporary directory and
# fails if the committed files differ (a meson test).  $SWIG and $GOFMT
# name the tools (default: from PATH).
set -eu
cd "$(dirname "$0")"
gen() {
	"${SWIG:-swig}" -go -cgo -intgosize 64 -module ctsblog \
		-o "$1/ctsblog_wrap.c" -outdir "$1" ../../../tsblog.i
	"${GOFMT:-gofmt}" -w "$1/ctsblog.go"
}
if [ "${1:-}" != --check ]; then
	gen .
	exit
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen "$tmp"
diff -u ctsblog.go "$tmp/ctsblog.go"
diff -u ctsblog_wrap.c "$tmp/ctsblog_wrap.c"
