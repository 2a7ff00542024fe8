#!/bin/sh
# meson install into a temporary root, then run the installed command with
# an empty environment (no LD_LIBRARY_PATH): tsblog and kubectl-tsblog must
# run from any prefix, and diagnose the sample as the build tree's does.
set -eu
build=$1 built_tsblog=$2 version=$3 sample=$4 catalog=$5
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "install-command: $*" >&2; exit 1; }
meson install -C "$build" --no-rebuild --destdir "$root" --quiet >/dev/null
tsblog=$(find "$root" -path '*/bin/tsblog' | head -n 1)
[ -n "$tsblog" ] || fail "bin/tsblog not installed"
bin=$(dirname "$tsblog")
[ -e "$bin/kubectl-tsblog" ] || fail "bin/kubectl-tsblog not installed"
# An installed libtsblog.so.0 elsewhere on the machine must not hide a
# command that needs one.
if readelf -d "$tsblog" | grep -q 'NEEDED.*libtsblog'; then
	fail "bin/tsblog links libtsblog.so (it should link the static library)"
fi

out=$(env -i "$tsblog" --version) || fail "tsblog --version failed"
[ "$out" = "tsblog $version" ] || fail "tsblog --version printed '$out'"
env -i "$bin/kubectl-tsblog" --help >"$root/help" || fail "kubectl-tsblog --help failed"
[ -s "$root/help" ] || fail "kubectl-tsblog --help printed nothing"

# The sample: the same diagnoses as the build tree's command (exit 1:
# problems found), with the bundled catalog and with the installed copy of
# its files (in rules/catalog.txt's order).
"$built_tsblog" -o json "$sample" >"$root/expected" && fail "build tree: no problem found in the sample"
[ -s "$root/expected" ] || fail "build tree: no diagnosis of the sample"
rules=$(find "$root" -path '*/share/tsblog/rules' | head -n 1)
[ -n "$rules" ] || fail "share/tsblog/rules not installed"
files=
for name in $(grep -v '^#' "$catalog"); do
	[ -f "$rules/$name" ] || fail "share/tsblog/rules/$name not installed"
	files="$files -r $rules/$name"
done
for args in "" "--no-builtin$files"; do
	st=0
	# shellcheck disable=SC2086
	env -i "$tsblog" $args -o json "$sample" >"$root/got" || st=$?
	[ "$st" = 1 ] || fail "tsblog $args -o json sample exited $st, not 1"
	cmp -s "$root/expected" "$root/got" ||
		{ diff "$root/expected" "$root/got" >&2; fail "tsblog $args: diagnoses differ"; }
done
echo "install-command: tsblog $version runs from $bin with env -i; sample: $(wc -l <"$root/got") diagnoses"
