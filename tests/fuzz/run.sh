#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each one.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET[:RUNS]...]
#
# SECONDS per target (default 60); TARGET is rules, scanner, events,
# prefilter, envelope or redact (default: all, one after the other).
# TSBLOG_FUZZ_SEED=N and RUNS (or TSBLOG_FUZZ_RUNS=N for every target)
# make a run repeatable: the same inputs in the same order, whatever the
# machine's speed (CI sets both, so a new finding shows up here, not as a
# red CI on old code).  For the long runs: tests/fuzz/run.sh 1800 TARGET.
# TSBLOG_FUZZ_TIMEOUT=S (default 10) is libFuzzer's per-input -timeout:
# raise it when several fuzzers share a loaded machine, where a slow
# input is the load, not a finding.
# Each target ends with one line:
#   fuzz: TARGET ok|FAILED MINUTES min, EXECS execs, COV cov, CORPUS inputs
# Seeds: tests/fuzz/corpus-TARGET, its regressions, and for rules the
# bundled rules/*.json, for envelope tests/data/envelopes.  Everything is
# written under
# $TSBLOG_FUZZ_DIR (default /tmp/tsblog-fuzz): a meson build that only
# generates builtin-rules.c and version.h, the fuzzer binaries, a writable
# copy of each seed corpus (new inputs go there, never into the repo) and
# the crash artifacts.  A crash makes the script fail; turn its artifact
# into a regression input with
#   cp ARTIFACT tests/fuzz/regressions/fuzz-TARGET/NAME
# and the 'fuzz-replay' test replays it from then on.
#
# Needs clang and libclang-rt-14-dev (Debian: clang-14's libFuzzer runtime).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-rules scanner events prefilter envelope redact}
work=${TSBLOG_FUZZ_DIR:-/tmp/tsblog-fuzz}
cc=${CC_FUZZ:-clang}
mkdir -p "$work"

# Generated sources only: no tools, no tests.
if [ ! -f "$work/meson/build.ninja" ]; then
	meson setup "$work/meson" "$src" -Dtests=false -Dtools=false \
		-Dpython=disabled -Dgo=disabled >"$work/meson-setup.log" ||
		{ cat "$work/meson-setup.log"; exit 1; }
fi
ninja -C "$work/meson" lib/builtin-rules.c >/dev/null

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -D_GNU_SOURCE -std=c11 -I$src/include -I$work/meson/include \
-I$src/lib -I$src/tests/fuzz $(pkg-config --cflags libpcre2-8 jansson)"
libs=$(pkg-config --libs libpcre2-8 jansson)

# The library, instrumented for coverage.
mkdir -p "$work/obj"
objs=
for f in "$src"/lib/*.c "$work/meson/lib/builtin-rules.c"; do
	o="$work/obj/$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	$cc $cflags $san -fsanitize=fuzzer-no-link -c "$f" -o "$o"
	objs="$objs $o"
done

copy_seeds() {
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$corpus"/
	done
	return 0
}

status=0
for arg in $targets; do
	t=${arg%%:*}
	runs=${TSBLOG_FUZZ_RUNS:-}
	[ "$t" != "$arg" ] && runs=${arg#*:}
	name=fuzz-$t
	[ -f "$src/tests/fuzz/$name.c" ] || { echo "no target $t"; exit 2; }
	# shellcheck disable=SC2086
	$cc $cflags $san -fsanitize=fuzzer "$src/tests/fuzz/$name.c" $objs \
		$libs -o "$work/$name"
	corpus=$work/corpus-$t
	mkdir -p "$corpus" "$work/artifacts/$t"
	copy_seeds "$src/tests/fuzz/corpus-$t"/* "$src/tests/fuzz/regressions/$name"/*
	case $t in
	rules) copy_seeds "$src"/rules/*.json ;;
	envelope) copy_seeds "$src"/tests/data/envelopes/* ;;
	esac
	dict=
	[ -f "$src/tests/fuzz/$t.dict" ] && dict=-dict=$src/tests/fuzz/$t.dict
	echo "fuzz: $name for ${secs}s, corpus $corpus"
	start=$(date +%s)
	# -max_len: room for the largest bundled rule file to grow; the
	# scanner's and the prefilter's repeat encodings stand for longer
	# lines (libFuzzer's default, the largest seed, stops at a few KiB).
	if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	   nice -n 10 "$work/$name" -max_total_time="$secs" \
		${runs:+-runs=$runs} \
		-rss_limit_mb=2048 -timeout="${TSBLOG_FUZZ_TIMEOUT:-10}" -print_final_stats=1 \
		-max_len=262144 \
		${TSBLOG_FUZZ_SEED:+-seed=$TSBLOG_FUZZ_SEED} \
		-artifact_prefix="$work/artifacts/$t/" ${dict:+"$dict"} "$corpus" \
		>"$work/$name.log" 2>&1; then
		result=ok
	else
		status=1
		result=FAILED
	fi
	mins=$(awk -v s="$(($(date +%s) - start))" 'BEGIN { printf "%.1f", s / 60 }')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
	cov=$(grep -Eo 'cov: [0-9]+' "$work/$name.log" | tail -n 1 | cut -d' ' -f2)
	echo "fuzz: $t $result $mins min, ${execs:-?} execs, ${cov:-?} cov, $(ls "$corpus" | wc -l) inputs"
	if [ $result = FAILED ]; then
		echo "fuzz: $name log $work/$name.log, artifacts:"
		ls "$work/artifacts/$t"
		grep -E 'ERROR|check failed|SUMMARY' "$work/$name.log" | head -5
	fi
done
exit $status
