#!/bin/sh
# The scan loop lives in the library only: no file under the directories
# given (relative to the source root) calls the scanner's pull functions
# (feed/next/end) or the piece functions behind tsblog_scan_fd()
# (at_rest/absorb/clear); they use the callback functions.
set -eu
root=$1
shift
found=0
for dir in "$@"; do
	if grep -rnE '\b(tsblog_)?scanner_(feed|next|end|at_rest|absorb|clear)\b' \
		"$root/$dir"; then
		found=1
	fi
done
if [ $found = 1 ]; then
	echo "check-scan-loop: the lines above drive the scanner themselves;" \
		"use tsblog_scanner_scan/finish or tsblog_scan_fd" >&2
	exit 1
fi
echo "check-scan-loop: $* scan through the callback functions only"
