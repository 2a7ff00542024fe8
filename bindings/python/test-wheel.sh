#!/bin/sh
# pip builds the wheel from the source tree (meson-python, no build
# isolation, no index), the wheel holds the tsblog package only, and a fresh
# venv with it installed scans the sample as the tsblog command does.
# Usage: test-wheel.sh SOURCE_ROOT PYTHON TSBLOG SAMPLE
set -eu
src=$1 python=$2 tsblog=$3 sample=$4
case $tsblog in /*) ;; *) tsblog=$PWD/$tsblog ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-wheel: $*" >&2; exit 1; }
export PIP_NO_INDEX=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
unset PYTHONPATH || :

"$python" -m pip wheel --quiet --no-build-isolation --no-deps -w "$tmp/dist" "$src" \
	>"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log" >&2; fail "pip wheel failed"; }
grep -i 'warning' "$tmp/pip.log" >&2 && fail "pip wheel warned"
set -- "$tmp"/dist/tsblog-*.whl
[ $# = 1 ] && [ -f "$1" ] || fail "no single tsblog wheel in $tmp/dist"
wheel=$1

# Only the package and its dist-info: no headers, data, .pc or libraries.
"$python" - "$wheel" <<'PY' || fail "wheel contents"
import re, sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for n in names:
    print("  " + n)
outside = [n for n in names
           if not n.startswith("tsblog/") and not re.match(r"tsblog-[^/]+\.dist-info/", n)]
assert not outside, f"outside the package: {outside}"
package = sorted(re.sub(r"\.cpython-.*\.so$", ".so", n) for n in names if n.startswith("tsblog/"))
assert package == [
    "tsblog/__init__.py", "tsblog/_fleet.py", "tsblog/_tsblog.pyi", "tsblog/_tsblog.so",
    "tsblog/dask.py", "tsblog/py.typed"], package
assert any(n.endswith(".dist-info/LICENSE") for n in names), "no LICENSE"
PY

"$python" -m venv "$tmp/venv"
(cd "$tmp/venv" && find . | sort) >"$tmp/before"
"$tmp/venv/bin/python" -m pip install --quiet --no-deps "$wheel" || fail "pip install failed"
site=$("$tmp/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
rel=./${site#"$tmp/venv/"}
extra=$( (cd "$tmp/venv" && find . | sort) | comm -13 "$tmp/before" - |
	grep -v -e "^$rel/tsblog\(/\|\$\)" -e "^$rel/tsblog-[^/]*\.dist-info\(/\|\$\)" || :)
[ -z "$extra" ] || fail "the wheel installed files outside its package: $extra"

# The installed module, run from outside the source tree, against the command.
cd "$(dirname "$sample")"
name=$(basename "$sample")
"$tsblog" -o json "$name" >"$tmp/expected" || :
[ -s "$tmp/expected" ] || fail "the command found nothing in $name"
"$tmp/venv/bin/python" -c '
import json, sys, tsblog
assert tsblog.__file__.startswith(sys.argv[2]), tsblog.__file__
for d in tsblog.Rules().scan(sys.argv[1]):
    print(json.dumps(d.to_dict(), separators=(",", ":"), ensure_ascii=False))
' "$name" "$site" >"$tmp/got" || fail "import and scan in the venv failed"
cmp -s "$tmp/expected" "$tmp/got" ||
	{ diff "$tmp/expected" "$tmp/got" >&2; fail "the venv's scan differs from tsblog -o json"; }
echo "test-wheel: $(basename "$wheel") ($(wc -c <"$wheel") bytes): $(wc -l <"$tmp/got") diagnoses, as the command"
