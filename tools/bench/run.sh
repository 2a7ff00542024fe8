#!/usr/bin/env bash
# tools/bench/run.sh [SIZE_MB]: benchmark tsblog against baselines.
#
# Builds the helpers, generates the corpus once (cached by size, seed and
# generator), warms the page cache, then for each rule set (the 12 bundled
# rules, 100 and 1000) runs side by side on the same file: tsblog -o json,
# tsblog -o summary-json (and -j 1 / -j 2 when tsblog has -j),
# naive-pcre2, hs-scan, grep -E -f, rg -f and memchr-lines.  Prints a
# Markdown table and writes it to $OUT_MD.  See tools/bench/README.md.
#
# Environment:
#   TSBLOG     the binary to measure (default: build/tools/tsblog)
#   BENCH_DIR  work directory (default: /tmp/tsblog-bench)
#   OUT_MD     the report (default: /tmp/tsblog-bench.md)
#   SETS       rule set sizes (default: "12 100 1000"; 12 = the bundled rules)
#   RUNS       runs per measurement; wall and CPU are their medians (default: 3)
#   SLOW       seconds: a tool whose first run takes longer runs once (60)
#   TIMEOUT    seconds before a run is killed (default: 1800)
#   SEED       corpus seed (default: 1)
#   NICE       niceness of the measured runs (default: 0; the corpus
#              generation and builds always run under nice)
#   BLOCKS     set to 1 for a corpus that also holds whole `kubectl describe
#              pod` and `kubectl get events` outputs, headers included
#   TOOLS      which to run (default: all): json text summary j nolit naive
#              hs grep rg memchr targets (targets = the issue-16 rows: the
#              20% and 50% warn/error corpora, Hyperscan with the level
#              words, the built-in catalog; j = the -j 1 and -j 2 runs, when tsblog has
#              -j; nolit = the bundled rules plus one rule without a usable
#              literal, which turns the prefilter off: its cost;
#              bindings = the Python and Go bindings against the command)
#   PYTHON     the interpreter of the Python binding (default /usr/bin/python3)
#   NO_INSTALL set to 1 to never apt-get install missing baselines
set -u
set -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size=${1:-200}
TSBLOG=${TSBLOG:-$root/build/tools/tsblog}
D=${BENCH_DIR:-/tmp/tsblog-bench}
OUT_MD=${OUT_MD:-/tmp/tsblog-bench.md}
SETS=${SETS:-12 100 1000}
RUNS=${RUNS:-3}
SLOW=${SLOW:-60}
TIMEOUT=${TIMEOUT:-1800}
SEED=${SEED:-1}
NICE=${NICE:-0}
BLOCKS=${BLOCKS:-0}
TOOLS=${TOOLS:-json text summary j nolit naive hs grep rg memchr targets bindings}
want() { case " $TOOLS " in *" $1 "*) return 0 ;; esac; return 1; }
start_s=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$*"; exit 2; }

case $size in ''|*[!0-9.]*) die "SIZE_MB must be a number, not '$size'" ;; esac
[ -x "$TSBLOG" ] || die "no tsblog binary at $TSBLOG (build it: meson compile -C build, or set TSBLOG)"
mkdir -p "$D/bin" "$D/out" || die "cannot create $D"
# Rows of an earlier run (their outputs go with out/) must not reach this
# report: the targets and bindings tables are only what this run measured.
rm -f "$D"/out/* "$D/targets.tsv" "$D/bindings.tsv"

# Measure a snapshot: others may rebuild build/ while this runs, and one
# report must not mix two binaries.  The binary and the libraries it
# loads from outside the system directories are copied, laid out as
# tools/ and lib/ so that a $ORIGIN/../lib runpath finds the copies
# (LD_LIBRARY_PATH too, for other layouts).
TSBLOG_ORIG=$TSBLOG
git_rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet HEAD -- lib include tools rules 2>/dev/null || echo ' + uncommitted changes in lib/ include/ tools/ rules/')
rm -rf "$D/snap" && mkdir -p "$D/snap/tools" "$D/snap/lib" || die "cannot create $D/snap"
cp -p "$TSBLOG_ORIG" "$D/snap/tools/tsblog" || die "cannot copy $TSBLOG_ORIG"
ldd "$TSBLOG_ORIG" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | while read -r lib; do
	case $lib in /lib/*|/lib64/*|/usr/*) ;; *) cp -pL "$lib" "$D/snap/lib/" ;; esac
done
export LD_LIBRARY_PATH=$D/snap/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
TSBLOG=$D/snap/tools/tsblog
snap_sum=$(cat "$D/snap/tools/tsblog" "$D"/snap/lib/* 2>/dev/null | sha256sum | cut -c1-12)
orig_sum() {
	{ cat "$TSBLOG_ORIG"; ldd "$TSBLOG_ORIG" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' |
		while read -r lib; do case $lib in /lib/*|/lib64/*|/usr/*) ;; *) cat "$lib" ;; esac; done; } | sha256sum | cut -c1-12
}

# --- what we need ---------------------------------------------------------
skipped=""
have_hs=1 have_rg=1
install_pkgs() {
	[ "${NO_INSTALL:-0}" = 1 ] && return 1
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
	say "installing $* (benchmark-only dependencies)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$D/apt.log" 2>&1 ||
		{ apt-get update -qq >>"$D/apt.log" 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$D/apt.log" 2>&1; }
}
command -v cc >/dev/null || die "no C compiler (cc)"
command -v python3 >/dev/null || die "no python3"
pkg-config --exists libpcre2-8 || install_pkgs libpcre2-dev || die "no libpcre2-dev"
[ -e /usr/include/hs/hs.h ] || install_pkgs libhyperscan-dev ||
	{ have_hs=0; skipped="$skipped hs-scan (no libhyperscan-dev);"; }
command -v rg >/dev/null || install_pkgs ripgrep ||
	{ have_rg=0; skipped="$skipped rg (no ripgrep);"; }
grep --version 2>/dev/null | grep -q GNU || die "GNU grep is needed"

# --- helpers ----------------------------------------------------------------
build() { # name sources... -- libs
	local name=$1 out=$D/bin/$1; shift
	local srcs=() libs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$here/$1"); shift; done
	[ $# -gt 0 ] && shift && libs=("$@")
	local newest=$out
	for s in "${srcs[@]}" "$here/blockread.h"; do [ "$s" -nt "$newest" ] && newest=$s; done
	[ "$newest" = "$out" ] && [ -x "$out" ] && return 0
	say "cc -O2 $name"
	nice cc -O2 -Wall -o "$out" "${srcs[@]}" "${libs[@]}" || die "cannot build $name"
}
build gencorpus gencorpus.c
build runtime runtime.c
build memchr-lines memchr-lines.c
build pagefault pagefault.c
build naive-pcre2 naive-pcre2.c -- $(pkg-config --libs libpcre2-8)
[ $have_hs = 1 ] && { build hs-scan hs-scan.c -- -lhs $(pkg-config --libs libpcre2-8) ||
	{ have_hs=0; skipped="$skipped hs-scan (does not build);"; }; }

# --- rule sets --------------------------------------------------------------
bundled=$root/rules/tsb.json
# Is the binary's builtin catalog rules/tsb.json?  Then measure it as users
# run it (no -r); otherwise load the file so that every tool sees the same
# patterns.
builtin_args=()
if ! "$TSBLOG" rules list -o json 2>/dev/null | python3 -c '
import json, sys
live = [json.loads(l) for l in sys.stdin if l.strip()]
doc = json.load(open(sys.argv[1]))
sys.exit(0 if [(r["id"], r["match"]) for r in live] ==
         [(r["id"], r["match"]) for r in doc["rules"]] else 1)' "$bundled"; then
	say "rows of the $(basename "$bundled") set: --no-builtin -r $bundled (the built-in catalog is rules/catalog.txt's files; the catalog rows use it)"
	builtin_args=(--no-builtin -r "$bundled")
fi
nbundled=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rules"]))' "$bundled")
maxset=0
for s in $SETS; do [ "$s" -gt "$maxset" ] && maxset=$s; done
nice python3 "$here/genrules.py" --bundled "$bundled" --synthetic "$D/synthetic.tsv" \
	--max $(( (maxset > 1000 ? maxset : 1000) - nbundled )) || die "genrules failed"
conversions=""
for s in $SETS; do
	if [ "$s" = "$nbundled" ]; then
		rf=$bundled
	else
		rf=$D/rules-$s.json
		nice python3 "$here/genrules.py" --bundled "$bundled" --count "$s" --out "$rf" || die "genrules --count $s failed"
		"$TSBLOG" rules check "$rf" >"$D/check-$s.txt" 2>&1 ||
			{ cat "$D/check-$s.txt" >&2; die "tsblog rules check $rf failed"; }
	fi
	for d in pcre hs ere rust; do
		python3 "$here/patconv.py" "$rf" $d "$D/p$s.$d" --notes "$D/n$s.$d" || die "patconv $d failed"
	done
done
# One line about the conversions, from the largest set's notes.
conversions=$(python3 - "$D" "$maxset" <<'EOF'
import sys, collections
d, s = sys.argv[1], sys.argv[2]
out = []
for dial, name in (("hs", "hs-scan"), ("ere", "grep -E"), ("rust", "rg")):
    c = collections.Counter()
    n = 0
    for ln in open("%s/n%s.%s" % (d, s, dial)):
        idx, rid, kind, what = ln.rstrip("\n").split("\t")
        n += 1
        for w in what.split(", "):
            c[w] += 1
    out.append("%s: %s" % (name, "; ".join(
        ("lazy quantifiers made greedy in %d patterns" % k) if w == "lazy quantifier"
        else ("%s dropped in %d patterns" % (w, k)) for w, k in c.most_common()) or "none"))
print(" — ".join(out) + " (of the %s-rule set; only dropped (*COMMIT) and lookaround can widen a pattern, and hs-scan confirms those with PCRE2)." % s)
EOF
)

# --- corpus -----------------------------------------------------------------
key=$(cat "$here/gencorpus.c" "$D/synthetic.tsv" | sha256sum | cut -c1-12)
blocks_arg=() kind=""
[ "$BLOCKS" = 1 ] && blocks_arg=(--blocks) kind=-blocks
corpus=$D/corpus-${size}MB$kind-seed$SEED-$key.log
if [ ! -s "$corpus" ] || [ ! -s "$corpus.meta.json" ]; then
	for old in "$D/corpus-${size}MB$kind-seed$SEED-"*.log; do
		[ -e "$old" ] && [ "$old" != "$corpus" ] && rm -f "$old" "$old.meta.json"
	done
	say "generating a ${size} MB corpus (seed $SEED${kind:+, with describe/events blocks}) in $corpus"
	nice "$D/bin/gencorpus" "$size" "$corpus.tmp" --seed "$SEED" --synthetic "$D/synthetic.tsv" \
		--meta "$corpus.meta.json" "${blocks_arg[@]}" || die "gencorpus failed"
	mv "$corpus.tmp" "$corpus"
fi
: >"$D/empty.log"
say "warming the page cache"
cat "$corpus" >/dev/null

# --- measuring --------------------------------------------------------------
results=$D/results.tsv
printf 'set\ttool\twall_s\trss_kb\tcpu_s\truns\trc\tout\tstatus\tnote\n' >"$results"
nicecmd=()
[ "$NICE" != 0 ] && nicecmd=(nice -n "$NICE")

# measure SET TOOL OKCODES OUTNAME CMD...: median wall and median CPU of
# RUNS runs.  Every run writes its output to a file: GNU grep stops at the
# first match when its stdout is /dev/null, even with -c.
measure() {
	local set=$1 tool=$2 ok=$3 outname=$4; shift 4
	local rss=0 runs=0 rc=0 status=ok note="" r tf=$D/time.txt walls=() cpus=()
	for ((r = 1; r <= RUNS; r++)); do
		# runtime: the wall clock around fork/exec/wait only (see runtime.c)
		"$D/bin/runtime" "$TIMEOUT" "$tf" "${nicecmd[@]}" "$@" >"$D/out/$outname" 2>"$D/out/$outname.err"
		rc=$?
		runs=$r
		if [ $rc = 124 ]; then status="timeout"; note=">${TIMEOUT}s"; break; fi
		case " $ok " in *" $rc "*) ;; *)
			status="failed"; note="exit $rc: $(head -c 200 "$D/out/$outname.err" | tr '\n\t|' '   ')"; break ;;
		esac
		walls+=("$(awk '{print $1}' "$tf")")
		cpus+=("$(awk '{printf "%.6f", $3 + $4}' "$tf")")
		local m; m=$(awk '{print $2}' "$tf")
		[ "$m" -gt "$rss" ] && rss=$m
		[ $(( ${walls[-1]} / 1000000000 )) -ge "$SLOW" ] && break
	done
	local wall=0 cpu=0
	if [ ${#walls[@]} -gt 0 ]; then
		wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.4f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1e9}')
		cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.6f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$tool" \
		"$wall" "$rss" "$cpu" "$runs" "$rc" "$outname" "$status" "$note" >>"${RESULTS:-$results}"
	[ -n "${QUIET:-}" ] || say "$(printf '%5s rules  %-32s wall %8.3f s  CPU %7.3f s  (median of %d%s)' "$set" "$tool" \
		"$wall" "$cpu" "$runs" "$([ $status = ok ] || echo ", $status $note")")"
}

# rounds N FUNC: call FUNC, whose measure calls each run once, N times
# in turns; then one row for each (set, tool) it measured, with the
# medians of its N runs (and the first failure, if any).  The rows a
# target compares by their ratio are measured so: one row's runs after
# the other's, the drift of a shared machine between them went into the
# ratio (the same -j 2 / -j 1 pair gave 1.10x and 1.20x an hour apart).
rounds() {
	local n=$1 fn=$2 r tmp=$D/rounds.tsv out=${RESULTS:-$results}
	: >"$tmp"
	for ((r = 1; r <= n; r++)); do
		RESULTS=$tmp RUNS=1 QUIET=1 "$fn"
	done
	python3 - "$tmp" >>"$out" <<'PY' || die "cannot sum up $tmp"
import sys
rows = {}
for ln in open(sys.argv[1]):
    p = ln.rstrip("\n").split("\t")
    rows.setdefault((p[0], p[1]), []).append(p)
def med(v):
    v, n = sorted(v), len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
for (s, t), rs in rows.items():
    ok = [p for p in rs if p[8] == "ok"] or rs
    last = next((p for p in rs if p[8] != "ok"), rs[-1])
    print("\t".join([s, t, "%.4f" % med([float(p[2]) for p in ok]), str(max(int(p[3]) for p in ok)),
                     "%.6f" % med([float(p[4]) for p in ok]), str(len(rs))] + last[6:10]))
PY
	tail -n "$(cut -f1,2 "$tmp" | sort -u | wc -l)" "$out" | while IFS=$'\t' read -r set tool wall rss cpu runs rc outname status note; do
		say "$(printf '%5s  %-40s wall %8.3f s  CPU %7.3f s  (median of %d in turns%s)' "$set" "$tool" \
			"$wall" "$cpu" "$runs" "$([ "$status" = ok ] || echo ", $status $note")")"
	done
}

has_j=0
help_text=$("$TSBLOG" --help 2>/dev/null)
printf '%s\n' "$help_text" | grep -Eq '(^|[[:space:],])-j([[:space:],]|$)' && has_j=1
[ $has_j = 1 ] || skipped="$skipped tsblog -j 1/-j 2 (tsblog --help does not mention -j);"

for s in $SETS; do
	if [ "$s" = "$nbundled" ]; then rargs=("${builtin_args[@]}"); else rargs=(--no-builtin -r "$D/rules-$s.json"); fi
	measure "$s" "startup tsblog (empty input)" "0 1" "$s.startup" "$TSBLOG" "${rargs[@]}" -o json "$D/empty.log"
	want json && measure "$s" "tsblog -o json" "0 1" "$s.tsblog-json" "$TSBLOG" "${rargs[@]}" -o json "$corpus"
	want text && measure "$s" "tsblog (text report)" "0 1" "$s.tsblog-text" "$TSBLOG" "${rargs[@]}" "$corpus"
	want summary && measure "$s" "tsblog -o summary-json" "0 1" "$s.tsblog-summary" "$TSBLOG" "${rargs[@]}" -o summary-json "$corpus"
	if [ $has_j = 1 ] && want j; then
		measure "$s" "tsblog -o json -j 1" "0 1" "$s.tsblog-j1" "$TSBLOG" "${rargs[@]}" -o json -j 1 "$corpus"
		measure "$s" "tsblog -o json -j 2" "0 1" "$s.tsblog-j2" "$TSBLOG" "${rargs[@]}" -o json -j 2 "$corpus"
	fi
	# A rule with no literal of 3 bytes or more must be tried on every
	# line, and then the prefilter cannot skip any: what that costs.  The
	# rule (a bare 40-hex line) matches nothing in the corpus.
	if [ "$s" = "$nbundled" ] && [ $has_j = 1 ] && want nolit; then
		python3 - "$bundled" "$D/rules-nolit.json" <<'PY' || die "cannot write rules-nolit.json"
import json, sys
doc = json.load(open(sys.argv[1]))
doc["rules"].append({
    "id": "bench-no-literal", "severity": "warning",
    "title": "A bare commit hash (benchmark rule without a literal)",
    "match": "^(?<sha>[0-9a-f]{40})$", "summary": "Hash {sha}.",
    "examples": [{"line": "0123456789abcdef0123456789abcdef01234567",
                  "fields": {"sha": "0123456789abcdef0123456789abcdef01234567"}}]})
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PY
		measure "$s" "tsblog -o json -j 1, +1 rule without a literal" "0 1" "$s.tsblog-nolit" \
			"$TSBLOG" --no-builtin -r "$D/rules-nolit.json" -o json -j 1 "$corpus"
	fi
	# naive-pcre2 also writes its matching line numbers (a few hundred
	# lines), for explaining disagreements.
	want naive && measure "$s" "naive-pcre2" "0" "$s.naive" "$D/bin/naive-pcre2" "$D/p$s.pcre" "$corpus" \
		--lines "$D/out/$s.naive-pcre2.lines"
	[ $have_hs = 1 ] && want hs && measure "$s" "hs-scan" "0" "$s.hs" "$D/bin/hs-scan" "$D/p$s.hs" "$D/p$s.pcre" "$corpus"
	want grep && measure "$s" "grep -E -f" "0 1" "$s.grep" env LC_ALL=C grep -E -c -f "$D/p$s.ere" "$corpus"
	[ $have_rg = 1 ] && want rg && measure "$s" "rg -f" "0 1" "$s.rg" rg -c -f "$D/p$s.rust" "$corpus"
	want memchr && measure "$s" "memchr-lines" "0" "$s.memchr" "$D/bin/memchr-lines" "$corpus"
done

# --- the issue-16 targets -----------------------------------------------------
# Rows for the targets table (targets.py): the text report against
# Hyperscan scanning the seed rules plus the level words, at the corpus's
# own share of warn/error lines and at 20% and 50%; -j 2 against -j 1;
# start-up and a scan with the built-in catalog as users run it.
if want targets; then
	RESULTS=$D/targets.tsv
	printf 'set\ttool\twall_s\trss_kb\tcpu_s\truns\trc\tout\tstatus\tnote\n' >"$RESULTS"
	for pct in 20 50; do
		dens=${corpus%.log}-warn$pct.log
		[ -s "$dens" ] || nice python3 "$here/mkdensity.py" "$corpus" "$pct" "$dens" || die "mkdensity failed"
	done
	s=$nbundled
	if [ $have_hs = 1 ]; then
		cp "$D/p$s.hs" "$D/plv.hs" && cp "$D/p$s.pcre" "$D/plv.pcre" || die "cannot copy patterns"
		[ -e "$D/p$s.hs.approx" ] && cp "$D/p$s.hs.approx" "$D/plv.hs.approx" && echo 0 >>"$D/plv.hs.approx"
		echo '(?i)(?:err|warn|fatal|panic|crit)' >>"$D/plv.hs"
		echo '(?i)(?:err|warn|fatal|panic|crit)' >>"$D/plv.pcre"
	fi
	# The targets compare with a scan that loads its compiled database
	# (written here, once per run, from this run's patterns).
	if [ $have_hs = 1 ]; then
		measure compile "hs-scan + level words" "0" "tcompile.hs" "$D/bin/hs-scan" "$D/plv.hs" "$D/plv.pcre" "$D/empty.log"
		rm -f "$D/plv.db" "$D/plv.db.flags"
		"$D/bin/hs-scan" "$D/plv.hs" "$D/plv.pcre" "$D/empty.log" --db "$D/plv.db" >/dev/null ||
			die "hs-scan cannot write its database"
	fi
	# Each corpus's rows in turns: the targets are their ratios.
	density_rows() {
		measure "$c" "tsblog (text report)" "0 1" "t$c.text" "$TSBLOG" "${builtin_args[@]}" "$f"
		measure "$c" "tsblog -o json" "0 1" "t$c.json" "$TSBLOG" "${builtin_args[@]}" -o json "$f"
		[ $have_hs = 1 ] && measure "$c" "hs-scan + level words, cached database" "0" "t$c.hs" "$D/bin/hs-scan" "$D/plv.hs" "$D/plv.pcre" "$f" --db "$D/plv.db"
		if [ $has_j = 1 ]; then
			for m in text summary-json json; do
				margs=(); [ $m = text ] || margs=(-o $m)
				for j in 1 2; do
					measure "$c" "tsblog -j $j $m" "0 1" "t$c.j$j.$m" "$TSBLOG" "${builtin_args[@]}" "${margs[@]}" -j $j "$f"
				done
			done
			# What -j 2's ratio is made of (targets.py): -j 2 on one
			# core is the program's own cost of two threads (and of
			# their taking turns); two -j 1 at once, each on a core,
			# the machine's cost of keeping both cores busy, which no
			# program can avoid (on a VM whose cores share the
			# host's, 1.0-1.2x from run to run).
			if command -v taskset >/dev/null; then
				measure "$c" "tsblog -j 2 text, one core" "0 1" "t$c.j2one.text" taskset -c 0 "$TSBLOG" "${builtin_args[@]}" -j 2 "$f"
			fi
			measure "$c" "tsblog -j 1 text, two at once" "0 1" "t$c.pair.text" bash -c \
				'"$@" >"$0.a" & "$@" >"$0.b"; rb=$?; wait $! || exit; exit $rb' \
				"$D/out/t$c.pair.text" "$TSBLOG" "${builtin_args[@]}" -j 1 "$f"
		fi
		return 0
	}
	for c in base 20 50; do
		if [ $c = base ]; then f=$corpus; else f=${corpus%.log}-warn$c.log; fi
		rounds "$RUNS" density_rows
	done
	# The 1000-rule target is a ratio too: both sets' -o json in turns.
	if [[ " $SETS " = *" 1000 "* ]] && [ -s "$D/rules-1000.json" ]; then
		rule_rows() {
			measure rules "tsblog -o json, $nbundled rules" "0 1" "trules.$nbundled" "$TSBLOG" "${builtin_args[@]}" -o json "$corpus"
			measure rules "tsblog -o json, 1000 rules" "0 1" "trules.1000" "$TSBLOG" --no-builtin -r "$D/rules-1000.json" -o json "$corpus"
		}
		rounds "$RUNS" rule_rows
	fi
	# A start is a few ms: more runs for its median, and beside it the
	# same measure of a program that does nothing, which no start-up
	# can go below (fork, exec and the dynamic loader; ~3 ms on a VM).
	startup_rows() {
		measure catalog "startup, built-in catalog" "0 1" "tcat.startup" "$TSBLOG" -o json "$D/empty.log"
		measure catalog "startup, /bin/true" "0" "tcat.true" /bin/true
	}
	rounds "$((RUNS > 21 ? RUNS : 21))" startup_rows
	measure catalog "tsblog (text report)" "0 1" "tcat.text" "$TSBLOG" "$corpus"
	unset RESULTS
fi

# --- the bindings (issue 16: Python and Go scans >= 90% of the command) ----
# The corpus and the 50% warn/error corpus through the command (-o json
# to a file, the built-in catalog, default -j, as users run it) and
# through a minimal user of each binding's public API (bindscan.py,
# bindscan/main.go: the built-in catalog, every diagnosis made into the
# language's value), in turns in one loop, RUNS times; targets.py takes
# the best CPU of each.  The bindings' Diagnosis is the -o json line's
# content, so that is the command's mode to compare with.  The drivers
# print their own CPU (getrusage) from before the rules are compiled to
# the end of the scan: the interpreter's start and `import tsblog` are not
# the binding's throughput (the command's start-up, ~2 ms, is in its
# time); the whole process's CPU is in the row as usual.
if want bindings; then
	bdir=$(dirname "$(dirname "$TSBLOG_ORIG")")
	PYTHON=${PYTHON:-/usr/bin/python3}
	drivers=()
	rm -rf "$D/snap/py" && mkdir -p "$D/snap/py" || die "cannot create $D/snap/py"
	if [ -e "$bdir/bindings/python/tsblog/__init__.py" ] &&
		cp -RL "$bdir/bindings/python/tsblog" "$D/snap/py/" && rm -rf "$D/snap/py/tsblog/"*.p &&
		PYTHONPATH=$D/snap/py "$PYTHON" -c 'import tsblog' 2>"$D/py-import.err"; then
		drivers+=(python)
	else
		skipped="$skipped Python binding (not built in $bdir, or $PYTHON cannot import it);"
	fi
	# The Go driver links libtsblog.so: a copy in the snapshot's lib/.
	for l in "$bdir"/lib/libtsblog.so*; do [ -d "$l" ] || cp -pP "$l" "$D/snap/lib/"; done
	if command -v go >/dev/null && [ -e "$bdir/meson-uninstalled/tsblog-uninstalled.pc" ] &&
		(cd "$here/bindscan" && nice env GOCACHE="$D/go-cache" GOPATH="$D/gopath" GOFLAGS=-mod=mod \
			GOPROXY=off GOENV=off GOTOOLCHAIN=local CGO_ENABLED=1 \
			PKG_CONFIG_PATH="$bdir/meson-uninstalled" go build -o "$D/bin/bindscan-go" .) >"$D/go-build.log" 2>&1; then
		drivers+=(go)
	else
		skipped="$skipped Go binding (no go, not built in $bdir, or it does not build: $D/go-build.log);"
	fi
	RESULTS=$D/bindings.tsv
	printf 'set\ttool\twall_s\trss_kb\tcpu_s\truns\trc\tout\tstatus\tnote\n' >"$RESULTS"
	for c in base 50; do
		if [ $c = base ]; then f=$corpus; else f=${corpus%.log}-warn$c.log; fi
		[ -s "$f" ] || nice python3 "$here/mkdensity.py" "$corpus" "$c" "$f" || die "mkdensity failed"
		for ((r = 1; r <= RUNS; r++)); do
			RUNS=1 measure "$c" "tsblog -o json" "0 1" "b$c.json.$r" "$TSBLOG" -o json "$f"
			for drv in "${drivers[@]}"; do
				case $drv in
				python) RUNS=1 measure "$c" "Python Rules.scan" "0" "b$c.python.$r" \
					env PYTHONPATH="$D/snap/py" "$PYTHON" "$here/bindscan.py" scan "$f" ;;
				go) RUNS=1 measure "$c" "Go Rules.Scan" "0" "b$c.go.$r" "$D/bin/bindscan-go" scan "$f" ;;
				esac
			done
		done
	done
	unset RESULTS
fi

# --- the report -------------------------------------------------------------
elapsed=$(( $(date +%s) - start_s ))
buildtype=$(meson introspect "$(dirname "$(dirname "$TSBLOG_ORIG")")" --buildoptions 2>/dev/null |
	python3 -c 'import json,sys; print(next((o["value"] for o in json.load(sys.stdin) if o["name"]=="buildtype"), "?"))' 2>/dev/null || echo "?")
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "nproc=$(nproc)"
	echo "mem=$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)"
	"$D/bin/pagefault"
	echo "load_start=$load_start"
	echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "tsblog=$TSBLOG_ORIG (snapshot $snap_sum: ${TSBLOG_ORIG#$root/} and $(ls "$D/snap/lib" | tr '\n' ' ' | sed 's/ $//'))"
	[ "$(orig_sum)" = "$snap_sum" ] || echo "rebuilt=$TSBLOG_ORIG changed during the run (now $(orig_sum)); every tsblog row measured the snapshot taken at the start"
	echo "tsblog_version=$("$TSBLOG" --version 2>/dev/null | sed -n 1p)"
	echo "git=$git_rev"
	echo "buildtype=$buildtype"
	echo "runs=$RUNS"
	echo "rules=the ${nbundled}-rule set is $(basename "$bundled") (${builtin_args[*]:-the built-in catalog}); 100 and 1000 are generated rules plus it; the catalog rows use the built-in catalog ($(grep -v '^#' "$root/rules/catalog.txt" | grep -c .) files of rules/catalog.txt)"
	echo "slow=$SLOW"
	echo "versions=PCRE2 $(pkg-config --modversion libpcre2-8)$([ $have_hs = 1 ] && echo ", Hyperscan $(pkg-config --modversion libhs 2>/dev/null)"), $(grep --version | sed -n 1p)$([ $have_rg = 1 ] && echo ", $(rg --version | sed -n 1p)"); helpers built with cc -O2"
	echo "conversions=$conversions"
	echo "skipped=$skipped"
	echo "elapsed=$(( elapsed / 60 )) min $(( elapsed % 60 )) s (corpus generation included when it was not cached)"
} >"$D/env.txt"
python3 "$here/report.py" "$D" "$corpus" "$OUT_MD"
{ want targets || want bindings; } && python3 "$here/targets.py" "$D" "$nbundled" | tee -a "$OUT_MD"
