#!/usr/bin/env bash
# tools/bench/profile.sh [SIZE_MB]: where tsblog -o json spends its time.
#
# Runs `tsblog -o json` under valgrind --tool=callgrind over a SIZE_MB
# (default 20) corpus from gencorpus (the same generator and seed as
# run.sh, so the same kind of lines) with the bundled rules, and prints
# the functions with the most instructions (self, then inclusive).  Then,
# if the CPU counters work here (`perf stat -e instructions true`), the
# instructions and cycles of a normal run.
#
# Environment: TSBLOG, BENCH_DIR, SEED, BLOCKS as for run.sh; RULES=100 or 1000 to
# profile a generated rule set instead of the bundled one (run run.sh
# once first, or it is generated here); TOP (default 25) lines to show;
# JOBS=N to pass -j N (default: tsblog's own default, as users run it;
# callgrind runs the threads one at a time, so a -j profile adds up the
# work of all of them plus the merging).
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size=${1:-20}
TSBLOG=${TSBLOG:-$root/build/tools/tsblog}
D=${BENCH_DIR:-/tmp/tsblog-bench}
SEED=${SEED:-1}
RULES=${RULES:-}
TOP=${TOP:-25}

say() { printf '%s\n' "profile: $*" >&2; }
die() { say "$*"; exit 2; }

[ -x "$TSBLOG" ] || die "no tsblog binary at $TSBLOG (build it, or set TSBLOG)"
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null ||
	{ [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1; } ||
	die "valgrind is needed (apt-get install valgrind)"
mkdir -p "$D/bin" || die "cannot create $D"

if [ ! -x "$D/bin/gencorpus" ] || [ "$here/gencorpus.c" -nt "$D/bin/gencorpus" ]; then
	nice cc -O2 -Wall -o "$D/bin/gencorpus" "$here/gencorpus.c" || die "cannot build gencorpus"
fi
[ -s "$D/synthetic.tsv" ] ||
	nice python3 "$here/genrules.py" --bundled "$root/rules/tsb.json" --synthetic "$D/synthetic.tsv" --max 988 ||
	die "genrules failed"
key=$(cat "$here/gencorpus.c" "$D/synthetic.tsv" | sha256sum | cut -c1-12)
blocks_arg=() kind=""
[ "${BLOCKS:-0}" = 1 ] && blocks_arg=(--blocks) kind=-blocks
corpus=$D/corpus-${size}MB$kind-seed$SEED-$key.log
if [ ! -s "$corpus" ]; then
	say "generating a ${size} MB corpus in $corpus"
	if ! nice "$D/bin/gencorpus" "$size" "$corpus.tmp" --seed "$SEED" --synthetic "$D/synthetic.tsv" \
		--meta "$corpus.meta.json" "${blocks_arg[@]}"; then
		die "gencorpus failed"
	fi
	mv "$corpus.tmp" "$corpus"
fi

rargs=()
what="the bundled rules"
if [ -n "$RULES" ]; then
	rf=$D/rules-$RULES.json
	[ -s "$rf" ] || python3 "$here/genrules.py" --bundled "$root/rules/tsb.json" --count "$RULES" --out "$rf" ||
		die "genrules failed"
	rargs=(--no-builtin -r "$rf")
	what="$RULES rules ($rf)"
fi

if [ -n "${JOBS:-}" ]; then
	rargs+=(-j "$JOBS")
	what="$what, -j $JOBS"
fi
out=$D/callgrind.out
say "callgrind: $TSBLOG -o json over $corpus, $what (this takes a while)"
t0=$(date +%s)
valgrind --tool=callgrind --callgrind-out-file="$out" "$TSBLOG" "${rargs[@]}" -o json "$corpus" \
	>/dev/null 2>"$D/callgrind.log"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || { cat "$D/callgrind.log" >&2; die "valgrind failed (exit $rc)"; }
say "callgrind took $(( $(date +%s) - t0 )) s; raw data in $out (kcachegrind can open it)"

annotate() { # self|inclusive
	local mode=$1 opts=()
	[ "$mode" = inclusive ] && opts=(--inclusive=yes)
	callgrind_annotate --auto=no --threshold=100 "${opts[@]}" "$out" 2>/dev/null | python3 -c '
import re, sys, collections
# Lines after the "Ir  file:function" header: "12,345 ( 1.23%)  file:fn [object]".
rows, total, on = [], 0, False
for ln in sys.stdin:
    if "PROGRAM TOTALS" in ln:
        total = int(ln.split()[0].replace(",", ""))
    if "file:function" in ln:
        on = True
        continue
    m = on and re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S.*?)(?: \[(.*)\])?$", ln)
    if m:
        rows.append((int(m.group(1).replace(",", "")), m.group(2), m.group(3) or ""))
# Symbol-less code: JIT-compiled patterns (no object) and stripped libraries
# (one entry per address) are summed per object, so they rank as one.
inclusive = sys.argv[2] == "inclusive"
agg, named, seen = collections.Counter(), [], set()
for ir, fn, obj in rows:
    if inclusive:
        # Inclusive costs of symbol-less code cannot be summed; callgrind
        # lists some functions twice (with and without their object).
        name = re.sub(r"^(\./)?[^:]*/", "", fn)
        if fn.startswith("???:0x") or name in seen or "below main" in name:
            continue
        seen.add(name)
        named.append((ir, name))
        continue
    if fn.startswith("???:0x"):
        key = "PCRE2 JIT-compiled patterns (all, no symbols)" if obj in ("", "???") else \
            "%s (functions without symbols, summed)" % obj.rsplit("/", 1)[-1]
        agg[key] += ir
    else:
        fn = re.sub(r"^(\./)?[^:]*/", "", fn)   # keep file.c:function
        named.append((ir, "%s  [%s]" % (fn, obj.rsplit("/", 1)[-1]) if obj else fn))
named += [(ir, k) for k, ir in agg.items()]
named.sort(reverse=True)
print("%15s  %6s  %s" % ("instructions", "share", "function [object]"))
for ir, name in named[:int(sys.argv[1])]:
    print("%15s  %5.1f%%  %s" % ("{:,}".format(ir), 100.0 * ir / total if total else 0, name))
print("%15s  100.0%%  total" % "{:,}".format(total))
' "$TOP" "$mode"
}

echo "## Top functions by instructions executed (self)"
echo
echo "tsblog -o json, $what, ${size} MB corpus."
echo
echo '```'
annotate self
echo '```'
echo
echo "## Top functions, inclusive (self + callees)"
echo
echo '```'
annotate inclusive
echo '```'
echo
echo "## perf stat"
echo
if ! command -v perf >/dev/null; then
	echo "perf is not installed (linux-perf): skipped."
elif probe=$(perf stat -e instructions true 2>&1); [ $? != 0 ] ||
	printf '%s\n' "$probe" | grep -q -i -e 'not supported' -e 'permission' -e 'not counted'; then
	echo "perf cannot read the CPU counters on this machine (a VM without PMU access, or perf_event_paranoid): skipped."
	echo "(perf stat -e instructions true says: $(printf '%s\n' "$probe" | grep -m1 -i -e instructions -e error | tr -s ' '))"
else
	echo '```'
	perf stat -e instructions,cycles,task-clock "$TSBLOG" "${rargs[@]}" -o json "$corpus" 2>&1 >/dev/null | grep -v '^$'
	echo '```'
fi
