#!/bin/sh
# Live mode through a real pipe that stays open: the diagnosis must come
# out before the input ends (kubectl logs -f | tsblog), and Ctrl-C must
# print the summary so far, say how far it got and exit 130.
set -u
TSBLOG=$1
line='2026-11-20T08:14:02.401127Z	error	controlplane	token rotation failed, retrying in 15m0s: secret istio-system/cluster-service-account not found: Secret "cluster-service-account" not found [scope="controlplane"]'
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0

wait_for() { # FILE PATTERN: up to 5 s
	i=0
	while [ $i -lt 50 ]; do
		grep -q "$2" "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

for mode in text json; do
	mkfifo "$dir/in-$mode"
	if [ $mode = text ]; then
		"$TSBLOG" --color=never <"$dir/in-$mode" >"$dir/out-$mode" 2>"$dir/err-$mode" &
	else
		"$TSBLOG" -o json <"$dir/in-$mode" >"$dir/out-$mode" 2>"$dir/err-$mode" &
	fi
	pid=$!
	exec 3>"$dir/in-$mode"
	start=$(date +%s%N)
	printf '%s\n' "$line" >&3
	if wait_for "$dir/out-$mode" 'cp-sa-secret-missing'; then
		ms=$(( ($(date +%s%N) - start) / 1000000 ))
		echo "ok $mode: diagnosis after ${ms} ms, input still open"
	else
		echo "not ok $mode: no diagnosis while the input is open"
		fails=$((fails + 1))
	fi
	printf '%s\n' "$line" >&3
	if [ $mode = text ]; then
		wait_for "$dir/out-$mode" 'again' ||
			{ echo "not ok text: repeat not counted"; fails=$((fails + 1)); }
		kill -INT $pid
		wait $pid
		status=$?
		if grep -q '^Summary:' "$dir/out-$mode" &&
		   grep -q 'ERROR   ×2     \[cp-sa-secret-missing\]' "$dir/out-$mode" &&
		   tail -n 1 "$dir/out-$mode" | grep -q '^tsblog: interrupted: - after 2 lines$' &&
		   [ $status = 130 ]; then
			echo "ok text: Ctrl-C printed the summary so far (exit $status)"
		else
			echo "not ok text: after Ctrl-C: exit $status"; cat "$dir/out-$mode"
			fails=$((fails + 1))
		fi
	fi
	exec 3>&-
	wait $pid 2>/dev/null
done
echo "live: $((3 - fails)) passed, $fails failed"
[ $fails = 0 ]
