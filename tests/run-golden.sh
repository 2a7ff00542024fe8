#!/bin/sh
# Golden tests: each directory under tests/golden holds
#   cmd      one shell command line; $TSBLOG is the tsblog under test
#   stdout   expected standard output      (optional: absent = must be empty)
#   stderr   expected standard error       (optional: absent = must be empty)
#   status   expected exit status          (optional: absent = 0)
# and the inputs the command names.  The command runs in that directory.
# Set TSBLOG_REGEN=1 to rewrite the expected files from the current output.
set -u
TSBLOG=$1
dir=$2
case $TSBLOG in /*) ;; *) TSBLOG=$(pwd)/$TSBLOG ;; esac
export TSBLOG
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "$dir"/*/; do
	name=$(basename "$case")
	[ -f "$case/cmd" ] || continue
	(cd "$case" && sh -c "$(cat cmd)" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/status")
	if [ "${TSBLOG_REGEN:-}" = 1 ]; then
		cp "$tmp/out" "$case/stdout"; [ -s "$tmp/out" ] || rm -f "$case/stdout"
		cp "$tmp/err" "$case/stderr"; [ -s "$tmp/err" ] || rm -f "$case/stderr"
		cp "$tmp/status" "$case/status"
		continue
	fi
	ok=1
	for f in stdout stderr; do
		src=$tmp/out; [ $f = stderr ] && src=$tmp/err
		exp=$case/$f; [ -f "$exp" ] || exp=/dev/null
		if ! diff -u "$exp" "$src" >"$tmp/diff"; then
			echo "not ok $name: $f differs"; cat "$tmp/diff"; ok=0
		fi
	done
	want=0; [ -f "$case/status" ] && want=$(cat "$case/status")
	got=$(cat "$tmp/status")
	[ "$want" = "$got" ] || { echo "not ok $name: exit status $got, expected $want"; ok=0; }
	if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok $name"; else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
