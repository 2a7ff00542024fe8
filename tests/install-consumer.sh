#!/bin/sh
# meson install into a temporary root, then build and run a consumer with
# `pkg-config --cflags --libs tsblog` alone, as a user of the package would.
set -eu
build=$1 consumer=$2 check_exports=$3 incdir=$4
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
meson install -C "$build" --no-rebuild --destdir "$root" --quiet >/dev/null
pc=$(find "$root" -name tsblog.pc | head -n 1)
[ -n "$pc" ] || { echo "install-consumer: no tsblog.pc installed" >&2; exit 1; }
for f in bin/tsblog include/tsblog.h include/tsblog/version.h share/tsblog/rules/tsb.json; do
	[ -n "$(find "$root" -path "*/$f" | head -n 1)" ] ||
		{ echo "install-consumer: $f not installed" >&2; exit 1; }
done
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$root"
flags=$(pkg-config --cflags --libs tsblog)
libdir=$(pkg-config --variable=libdir tsblog)
${CC:-cc} -o "$root/consumer" "$consumer" $flags
out=$(LD_LIBRARY_PATH="$libdir" "$root/consumer")
echo "consumer: $out"
[ "${out%% *}" = "cp-sa-secret-missing" ]

# The installed archive defines the public API only, and links on its own.
a=$(find "$root" -name libtsblog.a | head -n 1)
[ -n "$a" ] || { echo "install-consumer: no libtsblog.a installed" >&2; exit 1; }
sh "$check_exports" "$a" "$incdir"
${CC:-cc} -o "$root/consumer-static" "$consumer" $(pkg-config --cflags tsblog) \
	"$a" $(pkg-config --libs libpcre2-8 jansson) -lpthread
out=$("$root/consumer-static")
echo "static consumer: $out"
[ "${out%% *}" = "cp-sa-secret-missing" ]
