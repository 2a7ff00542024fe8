#!/bin/sh
# tsblog -j 2 prints the -j 1 summary even when there are far more
# distinct warning shapes than the summary keeps (MAX_SHAPES): a file of
# several MiB, so that -j cuts it into pieces, each of which fills its
# own shape table.  The shapes differ in words, not numbers, so no
# placeholder folds them together.
set -u
TSBLOG=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
awk 'BEGIN {
	split("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu", w, " ")
	for (i = 0; i < 50000; i++) {
		a = w[i % 26 + 1]; b = w[int(i / 26) % 26 + 1]; c = w[int(i / 676) % 26 + 1]
		printf "2026-11-20T08:00:00.000000Z\twarn\tcache\tshard %s-%s-%s lost its lease to the %s replica while syncing\n", a, b, c, b
		printf "2026-11-20T08:00:00.000000Z\tinfo\tcache\tsynced shard %s in the usual time\n", a
	}
}' > "$dir/shapes.log"
[ "$(wc -c < "$dir/shapes.log")" -gt 8000000 ] || { echo "FAIL: corpus too small"; exit 1; }
"$TSBLOG" -j 1 -o summary-json "$dir/shapes.log" > "$dir/j1.json"
rc1=$?
"$TSBLOG" -j 2 -o summary-json "$dir/shapes.log" > "$dir/j2.json"
rc2=$?
[ "$rc1" = "$rc2" ] || { echo "FAIL: exit $rc1 with -j 1, $rc2 with -j 2"; exit 1; }
# The table really overflowed: otherwise this tests nothing.
grep -q '"unclassified_dropped":[1-9]' "$dir/j1.json" ||
	{ echo "FAIL: the shape table did not overflow"; head -c 300 "$dir/j1.json"; exit 1; }
cmp "$dir/j1.json" "$dir/j2.json" || { echo "FAIL: -j 2 summary differs from -j 1"; exit 1; }
echo "ok: -j 1 and -j 2 summaries identical ($(wc -c < "$dir/shapes.log") bytes, shape table overflowed)"
