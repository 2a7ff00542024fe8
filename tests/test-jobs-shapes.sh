#!/bin/sh
# tsblog -j N prints the -j 1 output even when there are far more
# distinct warning shapes than the summary keeps (MAX_SHAPES): files of
# several MiB, so that -j cuts them into pieces, each of which fills its
# own shape table, and each shape comes back after the table is full.
# The shapes differ in words, which no placeholder folds together; the
# second file's lines also vary in what placeholders do fold (pod names,
# addresses, durations, numbers), in JSON lines.
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
}' > "$dir/words.log"
awk 'BEGIN {
	srand(7)
	split("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu", w, " ")
	for (i = 0; i < 60000; i++) {
		k = int(rand() * 5000)
		a = w[k % 26 + 1]; b = w[int(k / 26) % 26 + 1]; c = w[int(k / 676) % 26 + 1]
		printf "{\"ts\":\"2026-11-20T08:00:%02d.%06dZ\",\"level\":\"%s\",\"msg\":\"pod %s-%x-%c%c%c%c%c volume %s/%s/%s not ready after %d.%ds from 10.%d.%d.%d:%d, attempt %d\"}\n", i % 60, i, (i % 3 ? "error" : "warn"), a, 1000000000 + int(rand() * 1e9), 97 + i % 26, 98 + i % 20, 99 + i % 13, 100 + i % 7, 101 + i % 11, c, b, a, i % 90, i % 10, i % 256, int(i / 256) % 256, i % 200, 1024 + i % 5000, i
		if (i % 4 == 0)
			printf "{\"ts\":\"2026-11-20T08:00:00Z\",\"level\":\"info\",\"msg\":\"pod %s ready\"}\n", a
	}
}' > "$dir/mixed.log"
fail=0
for f in words mixed; do
	[ "$(wc -c < "$dir/$f.log")" -gt 8000000 ] || { echo "FAIL: $f corpus too small"; exit 1; }
	"$TSBLOG" -j 1 -o summary-json "$dir/$f.log" > "$dir/$f.1"
	rc1=$?
	# The table really overflowed: otherwise this tests nothing.
	grep -q '"unclassified_dropped":[1-9]' "$dir/$f.1" ||
		{ echo "FAIL: $f: the shape table did not overflow"; head -c 300 "$dir/$f.1"; exit 1; }
	"$TSBLOG" -j 1 "$dir/$f.log" > "$dir/$f.t1"
	for j in 2 3; do
		"$TSBLOG" -j $j -o summary-json "$dir/$f.log" > "$dir/$f.$j"
		rc=$?
		[ "$rc1" = "$rc" ] || { echo "FAIL: $f: exit $rc1 with -j 1, $rc with -j $j"; fail=1; }
		cmp "$dir/$f.1" "$dir/$f.$j" || { echo "FAIL: $f: -j $j summary differs from -j 1"; fail=1; }
		"$TSBLOG" -j $j "$dir/$f.log" > "$dir/$f.t$j"
		cmp "$dir/$f.t1" "$dir/$f.t$j" || { echo "FAIL: $f: -j $j text report differs from -j 1"; fail=1; }
	done
	[ $fail = 0 ] && echo "ok: $f: -j 1, 2, 3 identical ($(wc -c < "$dir/$f.log") bytes, $(grep -o '"unclassified_dropped":[0-9]*' "$dir/$f.1"))"
done
exit $fail
