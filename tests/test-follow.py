#!/usr/bin/python3
"""-f follows files as tail -F does, and Ctrl-C ends any scan with the
report so far and exit 130.

1. A writer appends to two files (lines written in pieces), truncates one
   and rotates the other by rename, while `tsblog -f` follows both: every
   appended matching line is diagnosed exactly once, in its file.
2. Under a pseudo-terminal, Ctrl-C in the middle of a large file: the
   partial report, how far it got, exit 130.

usage: test-follow.py TSBLOG SAMPLE_LOG"""
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

TSBLOG, SAMPLE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok " if ok else "not ok ") + name)
    if not ok:
        failures += 1
        print("  " + str(detail).replace("\n", "\n  "))


def wait_for(what, path, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if what in open(path).read():
            return True
        time.sleep(0.05)
    return False


# Removed when the test exits, however it exits.
workdir = tempfile.TemporaryDirectory(prefix="tsblog-test-follow-")
os.chdir(workdir.name)
json.dump({"tsblog": 1, "rules": [{
    "id": "boom-key", "severity": "warning", "title": "One problem per key",
    "match": "boom (?<k>k[0-9]+)", "key": ["k"], "summary": "{k} went boom.",
    "examples": [{"line": "boom k1", "fields": {"k": "k1"}}]}]},
    open("rules.json", "w"))


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


append("a.log", "boom k1\nquiet\n")
open("b.log", "w").close()
out, err = open("out", "w"), open("err", "w")
p = subprocess.Popen([TSBLOG, "--no-builtin", "-r", "rules.json", "-o", "json",
                      "-f", "a.log", "b.log", "c.log"], stdout=out, stderr=err)
check("existing lines", wait_for('"k":"k1"', "out"))
append("b.log", "boom k2\n")
append("a.log", "boom k")          # half a line: not k3 before it ends
time.sleep(0.3)
append("a.log", "3\nboom k4\n")
check("appended lines", wait_for('"k":"k4"', "out"))
open("a.log", "w").close()         # truncated
check("truncation noticed", wait_for("a.log: file truncated", "err"))
append("a.log", "boom k5\n")
os.rename("b.log", "b.log.1")      # rotated: the old file gets a last line
append("b.log.1", "boom k6\n")
append("b.log", "boom k7\n")
check("rotation noticed", wait_for("b.log: replaced", "err"))
append("b.log", "boom k8\n")
append("c.log", "boom k9\n")       # a file that appears later
check("all lines seen", wait_for('"k":"k9"', "out"))
time.sleep(0.3)
p.send_signal(signal.SIGINT)
status = p.wait(10)
out.close()
got = sorted((d["fields"]["k"], d["source"], d["line"])
             for d in map(json.loads, open("out").read().splitlines()))
want = [("k1", "a.log", 1), ("k2", "b.log", 1), ("k3", "a.log", 3),
        ("k4", "a.log", 4), ("k5", "a.log", 1), ("k6", "b.log", 2),
        ("k7", "b.log", 1), ("k8", "b.log", 2), ("k9", "c.log", 1)]
check("each appended line diagnosed once, in its file and line", got == want,
      f"got  {got}\nwant {want}")
check("Ctrl-C ends -f with exit 130", status == 130, status)
check("what -f said on stderr", open("err").read() ==
      "tsblog: c.log: cannot open: No such file or directory (waiting for it)\n"
      "tsblog: a.log: file truncated; reading it from the start\n"
      "tsblog: b.log: replaced; following the new file\n"
      "tsblog: c.log: has appeared; following it\n", open("err").read())

# -f with the text report: Ctrl-C prints the summary of every file.
p = subprocess.Popen([TSBLOG, "--no-builtin", "-r", "rules.json", "--color=never",
                      "-f", "a.log", "b.log"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
time.sleep(1)
p.send_signal(signal.SIGINT)
text, errs = p.communicate(10)
check("-f text summary after Ctrl-C", p.returncode == 130 and text.endswith(
    "tsblog: 3 lines, 3 problems (0 errors, 3 warnings, 0 info)\n"
    "tsblog: interrupted: a.log after 1 lines\n"
    "tsblog: interrupted: b.log after 2 lines\n"), text[-400:] + errs)

# -f on several files: one summary, where a problem seen in two files is
# one problem with its counts added and both sources.
with open("s1.log", "w") as f:
    f.write("boom k1\n")
with open("s2.log", "w") as f:
    f.write("quiet\nboom k1\nboom k2\n")
p = subprocess.Popen([TSBLOG, "--no-builtin", "-r", "rules.json", "-o", "summary-json",
                      "-f", "s1.log", "s2.log"], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
time.sleep(1)
p.send_signal(signal.SIGINT)
text, errs = p.communicate(10)
doc = json.loads(text)
got = [(q["fields"]["k"], q["count"], q["sources"], q["first_line"]) for q in doc["problems"]]
check("-f summary merges the files' problems",
      p.returncode == 130 and doc["records"] == 4 and
      got == [("k1", 2, ["s1.log", "s2.log"], 1), ("k2", 1, ["s2.log"], 3)],
      f"{p.returncode} {got} {errs}")

# Ctrl-C at a terminal in the middle of a large file.
sample = open(SAMPLE, "rb").read()
with open("big.log", "wb") as f:
    f.write(sample * (150_000_000 // len(sample)))
pid, fd = pty.fork()
if pid == 0:
    os.execv(TSBLOG, [TSBLOG, "-j1", "big.log"])
seen = b""
sent = False
while True:
    r, _, _ = select.select([fd], [], [], 30)
    if not r:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if not sent and b"MB/s" in seen:
        os.write(fd, b"\x03")      # the terminal's Ctrl-C: SIGINT
        sent = True
_, wstatus = os.waitpid(pid, 0)
text = re.sub(r"\x1b\[[0-9;]*m", "", seen.decode(errors="replace"))
text = text.replace("\r\n", "\n")
last = text.rstrip("\n").split("\n")[-1]
check("Ctrl-C under a terminal: partial report, how far, exit 130",
      sent and os.waitstatus_to_exitcode(wstatus) == 130
      and "problems (" in text and "no known problem found" not in text
      and last.startswith("tsblog: interrupted: big.log after ")
      and last.endswith(" MB of 150 MB)"),
      f"sent {sent}, status {wstatus}\n{text[-600:]!r}")

print(f"follow: {failures} failed")
sys.exit(1 if failures else 0)
