#!/bin/sh
# The krew archive: exactly kubectl-tsblog and LICENSE, the manifest's
# sha256 is the archive's, and the plugin runs from it with no environment.
# Usage: check.sh ARCHIVE MANIFEST VERSION
set -eu
archive=$1 manifest=$2 version=$3
fail() { echo "krew: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=$(tar -tzf "$archive" | sort | tr '\n' ' ')
[ "$list" = "LICENSE kubectl-tsblog " ] || fail "the archive holds: $list"
sum=$(sha256sum "$archive" | cut -d' ' -f1)
grep -qx "    sha256: $sum" "$manifest" || fail "the manifest's sha256 is not $sum"
grep -qx "  version: v$version" "$manifest" || fail "the manifest's version is not v$version"
grep -q "/$(basename "$archive")\$" "$manifest" || fail "the manifest's uri does not name $(basename "$archive")"
! grep -q @ "$manifest" || fail "unfilled placeholders: $(grep @ "$manifest")"
tar -xzf "$archive" -C "$tmp"
out=$(env -i "$tmp/kubectl-tsblog" --version) || fail "kubectl-tsblog --version failed"
[ "$out" = "tsblog $version" ] || fail "kubectl-tsblog --version printed '$out'"
echo "krew: $(basename "$archive") $(wc -c <"$archive") bytes, sha256 $sum"
