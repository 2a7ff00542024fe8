#!/bin/sh
# No all-clear for input that was not read: a missing file, an unreadable
# file, a directory and a binary file each get their status, their one
# line on stderr and their exit status, and the report never says "no
# known problem found" for them; nor for an input cut short by Ctrl-C.
# And a name that is not UTF-8 still gets its summary document.
set -u
TSBLOG=$1
case $TSBLOG in /*) ;; *) TSBLOG=$(pwd)/$TSBLOG ;; esac
dir=$(mktemp -d)
trap 'chmod 644 "$dir/secret.log" 2>/dev/null; rm -rf "$dir"' EXIT
cd "$dir" || exit 2
pass=0 fail=0 skip=0 as=
line='2026-11-20T08:14:02.401127Z	error	controlplane	token rotation failed, retrying in 15m0s: secret istio-system/cluster-service-account not found: Secret "cluster-service-account" not found [scope="controlplane"]'
printf '%s\n' "$line" > good.log
{ printf 'ELF\000\001\002\n'; printf '%s\n' "$line"; } > blob.bin
mkdir logs

# check NAME WANT_STATUS WANT_STDERR WANT_LAST_STDOUT_LINES -- ARGS...
check() {
	name=$1 want_status=$2 want_err=$3 want_tail=$4
	shift 5
	$as "$TSBLOG" --color=never "$@" >out 2>err </dev/null
	got=$?
	ok=1
	[ "$got" = "$want_status" ] || { echo "not ok $name: exit $got, expected $want_status"; ok=0; }
	if [ "$(cat err)" != "$want_err" ]; then
		echo "not ok $name: stderr"; echo "  got:  $(cat err)"; echo "  want: $want_err"; ok=0
	fi
	n=$(printf '%s\n' "$want_tail" | wc -l)
	if [ "$(tail -n "$n" out)" != "$want_tail" ]; then
		echo "not ok $name: end of the report"; tail -n "$n" out | sed 's/^/  got:  /'
		printf '%s\n' "$want_tail" | sed 's/^/  want: /'; ok=0
	fi
	if grep -q "no known problem found" out; then
		echo "not ok $name: the all-clear line"; ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); echo "ok $name"; else fail=$((fail + 1)); fi
}

check missing 2 "tsblog: missing.log: cannot open: No such file or directory" \
"tsblog: 0 lines, no known problem in what was read
tsblog: not read: missing.log" -- missing.log

check directory 2 "tsblog: logs: is a directory (-R reads the files in it)" \
"tsblog: 0 lines, no known problem in what was read
tsblog: not read: logs" -- logs

# A read error once open: the kernel refuses to read address 0 of our
# own memory, root or not.
check read-error 2 "tsblog: /proc/self/mem: read error: Input/output error" \
"tsblog: 0 lines, no known problem in what was read
tsblog: not read: /proc/self/mem" -- /proc/self/mem

printf '%s\n' "$line" > secret.log
chmod 000 secret.log
# root reads any file: then run tsblog as nobody, if we can.
if cat secret.log >/dev/null 2>&1 && command -v setpriv >/dev/null &&
   chmod 755 "$dir" && touch out err && chmod 666 out err &&
   setpriv --reuid=65534 --regid=65534 --clear-groups "$TSBLOG" --version >/dev/null 2>&1; then
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -z "$as" ] && cat secret.log >/dev/null 2>&1; then
	echo "skip unreadable: this user reads files whatever their mode"
	skip=$((skip + 1))
else
	check unreadable 2 "tsblog: secret.log: cannot open: Permission denied" \
"tsblog: 0 lines, no known problem in what was read
tsblog: not read: secret.log" -- secret.log
	as=
fi

# Binary: skipped with a line on stderr, not an error; the problems in
# the other inputs still count; -a reads it.
check binary 0 "tsblog: blob.bin: binary input skipped (-a reads it as text)" \
"tsblog: 0 lines, no known problem in what was read
tsblog: skipped as binary (-a reads them as text): blob.bin" -- blob.bin
check binary-and-good 1 "tsblog: blob.bin: binary input skipped (-a reads it as text)" \
"tsblog: 1 lines, 1 problem (1 error, 0 warnings, 0 info)
tsblog: skipped as binary (-a reads them as text): blob.bin" -- blob.bin good.log
"$TSBLOG" -a -o json blob.bin > out 2>err
if [ $? = 1 ] && [ ! -s err ] && grep -q '"rule":"cp-sa-secret-missing".*"line":2,' out; then
	pass=$((pass + 1)); echo "ok binary -a"
else
	fail=$((fail + 1)); echo "not ok binary -a"; cat err out
fi
# Standard input that is binary, through a pipe (live mode).
cat blob.bin | "$TSBLOG" --color=never >out 2>err
if [ $? = 0 ] && [ "$(cat err)" = "tsblog: -: binary input skipped (-a reads it as text)" ] &&
   [ "$(tail -n 1 out)" = "tsblog: skipped as binary (-a reads them as text): -" ]; then
	pass=$((pass + 1)); echo "ok binary stdin"
else
	fail=$((fail + 1)); echo "not ok binary stdin"; cat err out
fi

# Ctrl-C before the end of a named input: the report of what was read,
# and that input named as interrupted.  A FIFO kept open stands for a
# file still being read; /proc/PID/io says when tsblog has read the line.
mkfifo slow.log
"$TSBLOG" --color=never slow.log >out 2>err &
pid=$!
rchar() { sed -n 's/^rchar: //p' /proc/$pid/io; }
exec 3>slow.log   # returns once tsblog has opened it, past its start-up
base=$(rchar)
printf '%s\n' "$line" >&3
i=0
while [ $i -lt 100 ] && [ "$(rchar)" -lt $((base + ${#line})) ]; do
	sleep 0.05; i=$((i + 1))
done
kill -INT $pid
wait $pid
s=$?
exec 3>&-
if [ $s = 130 ] && [ "$(tail -n 2 out)" = "tsblog: 1 lines, 1 problem (1 error, 0 warnings, 0 info)
tsblog: interrupted: slow.log after 1 lines" ] && [ ! -s err ]; then
	pass=$((pass + 1)); echo "ok interrupted"
else
	fail=$((fail + 1)); echo "not ok interrupted (exit $s)"; tail -n 3 out; cat err
fi

# The summary document: every input and its status, and complete.
"$TSBLOG" -o summary-json good.log missing.log logs blob.bin >out 2>/dev/null
s=$?
want='"inputs":[{"source":"good.log","status":"read"},{"source":"missing.log","status":"unreadable"},{"source":"logs","status":"unreadable"},{"source":"blob.bin","status":"binary"}],"complete":false}'
if [ $s = 2 ] && grep -qF "$want" out && grep -qF '"problems":[{"rule":"cp-sa-secret-missing"' out; then
	pass=$((pass + 1)); echo "ok summary-json statuses"
else
	fail=$((fail + 1)); echo "not ok summary-json statuses (exit $s)"; cat out
fi
"$TSBLOG" -o summary-json good.log >out
if grep -qF '"inputs":[{"source":"good.log","status":"read"}],"complete":true}' out; then
	pass=$((pass + 1)); echo "ok summary-json complete"
else
	fail=$((fail + 1)); echo "not ok summary-json complete"; cat out
fi
# A file name that is not UTF-8 (Latin-1 "café" here) is any file's
# name: its summary document names it with U+FFFD for the bad byte in
# both places, where it said "out of memory" and printed nothing.
bad=$(printf 'caf\351.log')
printf '%s\n' "$line" > "$bad"
"$TSBLOG" -o summary-json "$bad" >out 2>err
s=$?
name=$(printf 'caf\357\277\275.log')
if [ $s = 1 ] && [ ! -s err ] &&
   grep -qF "\"sources\":[\"$name\"]" out &&
   grep -qF "\"inputs\":[{\"source\":\"$name\",\"status\":\"read\"}],\"complete\":true}" out; then
	pass=$((pass + 1)); echo "ok summary-json non-UTF-8 name"
else
	fail=$((fail + 1)); echo "not ok summary-json non-UTF-8 name (exit $s)"; cat out err
fi
# So too a rule file's name, in `rules list -o json`.
rules=$(printf 'caf\351.json')
printf '%s\n' '{"tsblog": 1, "rules": [{"id": "quota-exceeded", "severity": "error",' \
	'"title": "Quota exceeded", "match": "quota (?<q>[a-z-]+) exceeded",' \
	'"summary": "{q} exceeded"}]}' > "$rules"
"$TSBLOG" rules list -o json --no-builtin -r "$rules" >out 2>err
s=$?
if [ $s = 0 ] && [ ! -s err ] && grep -qF '"id":"quota-exceeded"' out &&
   grep -qF "\"source\":\"$(printf 'caf\357\277\275').json\"" out; then
	pass=$((pass + 1)); echo "ok rules list non-UTF-8 name"
else
	fail=$((fail + 1)); echo "not ok rules list non-UTF-8 name (exit $s)"; cat out err
fi
echo "inputs: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
