#!/bin/sh
# The shared library exports exactly the functions the public headers
# declare with TSBLOG_EXTERN: nothing private leaks, nothing is missing.
set -eu
lib=$1 incdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "R" || $2 == "B" { print $3 }' |
	sed 's/@.*//' | sort -u > "$tmp/exported"
cat "$incdir"/tsblog/*.h "$incdir"/tsblog/*.h.in 2>/dev/null |
	tr '\n' ' ' | grep -o 'TSBLOG_EXTERN([^)]*) *[a-z_0-9]*' |
	sed 's/.*) *//' | grep -v '^extern$' | sort -u > "$tmp/declared"
if ! diff -u "$tmp/declared" "$tmp/exported"; then
	echo "check-exports: '-' declared but not exported, '+' exported but not declared" >&2
	exit 1
fi
echo "check-exports: $(wc -l < "$tmp/declared") symbols match"
