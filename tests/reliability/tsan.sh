#!/bin/sh
# Build the C test suites with ThreadSanitizer in a meson build of their
# own and run the threads test (and the other unit suites) under it.
#
#   tests/reliability/tsan.sh [BUILDDIR [TEST...]]
#
# BUILDDIR defaults to /tmp/tsblog-tsan; TEST names meson tests (default:
# the whole 'unit' suite; test-oom is not built under a sanitizer), such
# as 'jobs', which runs tsblog -j's threads under TSan too.
# gcc's -fsanitize=thread; jansson and PCRE2 are not instrumented, so a
# race inside them is not seen, but every access libtsblog makes to the
# shared rule set is.  Exits non-zero on any report.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-/tmp/tsblog-tsan}
[ $# -gt 0 ] && shift

if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$src" -Db_sanitize=thread -Db_lundef=false \
		-Dpython=disabled -Dgo=disabled -Dsyslog-ng=disabled >"$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log"; exit 1; }
fi
meson compile -C "$dir" >/dev/null
# Kernels with many mmap random bits place libraries where older TSan
# runtimes do not expect them; setarch -R turns randomisation off for
# the tests only.
norand=
if setarch "$(uname -m)" -R true 2>/dev/null; then
	norand="setarch $(uname -m) -R"
fi
[ $# -gt 0 ] || set -- --suite unit
TSBLOG_TEST_SLOW=1 \
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
	$norand meson test -C "$dir" --print-errorlogs -t 10 "$@" 2>&1 |
	tee "$dir/tsan-test.log"
# meson's exit status is lost in the pipe: read its summary.
! grep -Eq '^(Fail|Timeout): +[1-9]' "$dir/tsan-test.log"
