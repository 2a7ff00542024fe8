#!/bin/sh
# Install step: the installed libtsblog.a defines only the public API.
# Its objects become one (ld -r) whose hidden symbols, everything not
# declared TSBLOG_EXTERN, are made local (objcopy --localize-hidden), so a
# program that links it statically cannot collide with buf_add or
# reader_line.  The build tree's archive keeps them for debugging.
set -eu
ld=$1 objcopy=$2 ar=$3 libdir=$4
case $libdir in
/*) a="${DESTDIR:-}$libdir/libtsblog.a" ;;
*) a="$MESON_INSTALL_DESTDIR_PREFIX/$libdir/libtsblog.a" ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ld" -r -o "$tmp/tsblog.o" --whole-archive "$a"
"$objcopy" --localize-hidden "$tmp/tsblog.o"
rm -f "$a"
"$ar" rcs "$a" "$tmp/tsblog.o"
