#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each one.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); TARGET is rules, scanner or events
# TSBLOG_FUZZ_SEED=N and TSBLOG_FUZZ_RUNS=N make a run repeatable: the
# same inputs in the same order, whatever the machine's speed (CI sets
# both, so a new finding shows up here, not as a red CI on old code);
# (default: all three, one after the other).  Everything is written under
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
targets=${*:-rules scanner events}
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
-I$src/lib $(pkg-config --cflags libpcre2-8 jansson)"
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

status=0
for t in $targets; do
	name=fuzz-$t
	[ -f "$src/tests/fuzz/$name.c" ] || { echo "no target $t"; exit 2; }
	# shellcheck disable=SC2086
	$cc $cflags $san -fsanitize=fuzzer "$src/tests/fuzz/$name.c" $objs \
		$libs -o "$work/$name"
	corpus=$work/corpus-$t
	mkdir -p "$corpus" "$work/artifacts/$t"
	cp "$src/tests/fuzz/corpus-$t"/* "$corpus"/
	if [ -d "$src/tests/fuzz/regressions/$name" ]; then
		find "$src/tests/fuzz/regressions/$name" -type f \
			-exec cp {} "$corpus"/ \;
	fi
	dict=
	[ -f "$src/tests/fuzz/$t.dict" ] && dict=-dict=$src/tests/fuzz/$t.dict
	echo "fuzz: $name for ${secs}s, corpus $corpus"
	if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	   nice -n 10 "$work/$name" -max_total_time="$secs" \
		${TSBLOG_FUZZ_RUNS:+-runs=$TSBLOG_FUZZ_RUNS} \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		${TSBLOG_FUZZ_SEED:+-seed=$TSBLOG_FUZZ_SEED} \
		-artifact_prefix="$work/artifacts/$t/" ${dict:+"$dict"} "$corpus" \
		>"$work/$name.log" 2>&1; then
		echo "fuzz: $name: $(grep -E '^Done [0-9]+ runs' "$work/$name.log" || echo finished)"
	else
		status=1
		echo "fuzz: $name FAILED; log $work/$name.log, artifacts:"
		ls "$work/artifacts/$t"
		grep -E 'ERROR|check failed|SUMMARY' "$work/$name.log" | head -5
	fi
done
exit $status
