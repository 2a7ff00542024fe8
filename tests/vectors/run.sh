#!/bin/sh
# Check (or with --regen, write) the shared vectors with the tsblog command.
# Usage: run.sh TSBLOG [--regen]
set -u
TSBLOG=$1
mode=${2:-check}
case $TSBLOG in /*) ;; *) TSBLOG=$(pwd)/$TSBLOG ;; esac
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for input in $(grep -v '^#' vectors/MANIFEST); do
	name=$(basename "$input")
	"$TSBLOG" -o json "$input" >"$tmp/jsonl"
	# The library's document: without the keys the command adds at its
	# end (inputs, complete), which the bindings' summaries do not have.
	"$TSBLOG" -o summary-json "$input" |
		sed 's/,"inputs":\[{"source":"[^"]*","status":"read"}\],"complete":true}$/}/' >"$tmp/summary"
	if [ ! -s "$tmp/summary" ]; then
		echo "not ok $name: no summary from $TSBLOG"; fail=$((fail + 1)); continue
	fi
	if [ "$mode" = --regen ]; then
		cp "$tmp/jsonl" "vectors/$name.jsonl"
		cp "$tmp/summary" "vectors/$name.summary.json"
		continue
	fi
	if diff -u "vectors/$name.jsonl" "$tmp/jsonl" &&
	   diff -u "vectors/$name.summary.json" "$tmp/summary"; then
		pass=$((pass + 1)); echo "ok $name"
	else
		fail=$((fail + 1)); echo "not ok $name"
	fi
done
[ "$mode" = --regen ] && exit 0
echo "vectors: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
