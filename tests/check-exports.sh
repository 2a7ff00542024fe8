#!/bin/sh
# A library exports exactly the functions the public headers declare with
# TSBLOG_EXTERN: nothing private leaks, nothing is missing.  The shared
# library is read with nm -D; a static archive (the installed libtsblog.a)
# with nm -g, where names of the compiler's own (__asan_..., __gcov_...)
# are not ours to hide.
set -eu
lib=$1 incdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $lib in
*.a) nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | grep -v '^__' || true ;;
*) nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "R" || $2 == "B" { print $3 }' ;;
esac | sed 's/@.*//' | sort -u > "$tmp/exported"
cat "$incdir"/tsblog/*.h "$incdir"/tsblog/*.h.in 2>/dev/null |
	tr '\n' ' ' | grep -o 'TSBLOG_EXTERN([^)]*) *[a-z_0-9]*' |
	sed 's/.*) *//' | grep -v '^extern$' | sort -u > "$tmp/declared"
if ! diff -u "$tmp/declared" "$tmp/exported"; then
	echo "check-exports: $lib: '-' declared but not exported, '+' exported but not declared" >&2
	exit 1
fi
echo "check-exports: $lib: $(wc -l < "$tmp/declared") symbols match"
