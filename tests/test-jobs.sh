#!/bin/sh
# tsblog -j N prints exactly what -j 1 prints, for every output, on files
# big enough to be cut into pieces: plain logs, and logs with a JSON
# events document and a describe section that a cut may fall into.
set -u
TSBLOG=$1 DATA=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# N copies of a file, with one cat.
repeat() { yes "$2" | head -n "$1" | xargs -d '\n' cat; }
repeat 900 "$DATA/sample/operator.log" > "$dir/plain.log"
{ cat "$dir/plain.log"; cat "$DATA/envelopes/events.json" "$DATA/envelopes/describe-pod.txt"
  cat "$dir/plain.log"; cat "$DATA/envelopes/json-lines.log"; } > "$dir/mixed.log"
# Cuts inside events documents (3 MB of them, every cut falls in one):
# the scan must notice and go on serially (the library's own tests see
# that it noticed; here the output must simply be the same).
head -n 14000 "$dir/plain.log" > "$dir/doc-at-cut.log"
repeat 450 "$DATA/envelopes/events.json" >> "$dir/doc-at-cut.log"
head -n 14000 "$dir/plain.log" >> "$dir/doc-at-cut.log"
# A malformed event deep in the file: its message must carry the line of
# the whole file, and everything before and after it must still come out.
{ cat "$dir/plain.log" "$dir/plain.log"
  cat "$DATA/../golden/malformed-events-doc/malformed.json"
  cat "$dir/plain.log"; } > "$dir/malformed-late.log"
# Describe sections around every cut: pieces must not end at rest there.
repeat 2500 "$DATA/envelopes/describe-pod.txt" > "$dir/describe.log"
# Files with a BOM each, concatenated: a BOM inside is text, as -j 1
# reads it.  The 2 MiB line before it puts a cut right at the BOM.
printf '\357\273\277' > "$dir/bom"
{ cat "$dir/plain.log"; head -c 2097152 /dev/zero | tr '\0' x; echo
  cat "$dir/bom"; sed 1d "$DATA/envelopes/klog.log"; cat "$dir/plain.log"; } > "$dir/boms.log"
# Secrets in warning lines past the first pieces: a piece keeps its
# examples raw and the merge redacts the ones the whole input keeps.
repro=$DATA/../reliability/repro
{ cat "$dir/plain.log" "$repro/redact-gaps.log" "$repro/redact-shape-split.log"
  cat "$dir/plain.log" "$repro/redact-gaps.log" "$repro/redact-shape-split.log"; } > "$dir/secrets.log"
# A last line without a newline, longer than a piece: the cuts after the
# piece it starts in fall inside it, and that piece, not at rest, reads
# to the end of the file and is merged as the last one.
{ cat "$dir/plain.log"; grep -m1 -i error "$DATA/sample/operator.log" | tr -d '\n'
  head -c 1572864 /dev/zero | tr '\0' x; } > "$dir/unterminated.log"
pass=0 fail=0
for f in plain mixed doc-at-cut malformed-late describe boms secrets unterminated; do
	for o in json summary-json text; do
		"$TSBLOG" -j 1 -o $o --color=never "$dir/$f.log" > "$dir/one" 2>&1
		s1=$?
		for j in 2 3; do
			"$TSBLOG" -j $j -o $o --color=never "$dir/$f.log" > "$dir/many" 2>&1
			sj=$?
			if [ $s1 = $sj ] && cmp -s "$dir/one" "$dir/many" && [ -s "$dir/one" ] &&
			   ! grep -q -e OPAQUE_MIXEDCASE -e URL_PASSWORD_S3cr3t -e SIGNATURESECRET "$dir/many"; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "not ok $f -o $o -j $j (exit $s1 vs $sj)"
				diff "$dir/one" "$dir/many" | head -5
			fi
		done
	done
done
echo "jobs: $pass passed, $fail failed"
[ $fail = 0 ]
