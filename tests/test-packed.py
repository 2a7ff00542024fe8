#!/usr/bin/python3
"""Compressed inputs, archives and -R: the same diagnoses as the plain
contents, with ARCHIVE:MEMBER sources; a corrupt member is named and the
other members are still scanned.

usage: test-packed.py TSBLOG SAMPLE_LOG"""
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

TSBLOG, SAMPLE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = 0


def run(*args):
    p = subprocess.run([TSBLOG, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def diagnoses(out):
    """(source, line, rule) of each -o json line."""
    return [(d["source"], d["line"], d["rule"])
            for d in map(json.loads, out.splitlines())]


def check(name, ok, detail=""):
    global failures
    print(("ok " if ok else "not ok ") + name)
    if not ok:
        failures += 1
        print("  " + detail.replace("\n", "\n  "))


# Removed when the test exits, however it exits.
workdir = tempfile.TemporaryDirectory(prefix="tsblog-test-packed-")
os.chdir(workdir.name)
plain = open(SAMPLE, "rb").read()
open("pod.log", "wb").write(plain)
status, out, err = run("-o", "json", "pod.log")
want = [(line, rule) for _, line, rule in diagnoses(out)]
assert status == 1 and want, (status, err)


def same_as_plain(name, path, member_sources, args=()):
    """@path gives the plain diagnoses once per member source, in order."""
    status, out, err = run("-o", "json", *args, path)
    expect = [(src, line, rule) for src in member_sources
              for line, rule in want]
    got = diagnoses(out)
    check(name, status == 1 and err == "" and got == expect,
          f"exit {status}, stderr {err!r}\n got {got[:3]}...\n want {expect[:3]}...")


# gzip and zstd, recognised by magic bytes whatever the name.
open("pod.log.gz", "wb").write(gzip.compress(plain))
same_as_plain("gzip", "pod.log.gz", ["pod.log.gz"])
os.rename("pod.log.gz", "rotated-1")
same_as_plain("gzip without .gz", "rotated-1", ["rotated-1"])
subprocess.run(["zstd", "-q", "pod.log", "-o", "pod.log.zst"], check=True)
same_as_plain("zstd", "pod.log.zst", ["pod.log.zst"])
with open("pod.log.gz", "wb") as f:
    f.write(gzip.compress(plain))
p = subprocess.run([TSBLOG, "-o", "json", "-"], stdin=open("pod.log.gz", "rb"),
                   capture_output=True, text=True)
check("gzip on standard input",
      diagnoses(p.stdout) == [("-", line, rule) for line, rule in want],
      p.stderr)

# A tar.gz bundle with a nested directory and a rotated log inside.
with tarfile.open("bundle.tar.gz", "w:gz") as t:
    t.add("pod.log", "bundle/ns/istio-system/edge/current.log")
    t.add("rotated-1", "bundle/ns/istio-system/edge/previous.log.gz")
same_as_plain("tar.gz, nested directory and a gzip member", "bundle.tar.gz",
              ["bundle.tar.gz:bundle/ns/istio-system/edge/current.log",
               "bundle.tar.gz:bundle/ns/istio-system/edge/previous.log.gz"])
subprocess.run(["tar", "--zstd", "-cf", "bundle.tar.zst", "pod.log"], check=True)
same_as_plain("tar.zst", "bundle.tar.zst", ["bundle.tar.zst:pod.log"])
with zipfile.ZipFile("bundle.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("pod.log", "logs/a.log")
    z.writestr("logs/", "")
    z.write("pod.log", "logs/b.log")
same_as_plain("zip", "bundle.zip", ["bundle.zip:logs/a.log", "bundle.zip:logs/b.log"])

# A zip whose middle member cannot be inflated: named, the others read.
with zipfile.ZipFile("bad.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for m in ("a.log", "b.log", "c.log"):
        z.write("pod.log", m)
data = bytearray(open("bad.zip", "rb").read())
at = data.index(b"b.log") + len(b"b.log") + 20
data[at:at + 40] = bytes(b ^ 0x55 for b in data[at:at + 40])
open("bad.zip", "wb").write(data)
status, out, err = run("-o", "summary-json", "bad.zip")
doc = json.loads(out)
check("corrupt zip member named, the rest scanned",
      status == 2
      and err.startswith("tsblog: bad.zip:b.log: ZIP decompression failed")
      and doc["inputs"] == [{"source": "bad.zip:a.log", "status": "read"},
                            {"source": "bad.zip:b.log", "status": "unreadable"},
                            {"source": "bad.zip:c.log", "status": "read"}]
      and doc["complete"] is False
      and "bad.zip:c.log" in doc["problems"][0]["sources"],
      f"exit {status}\n{err}\n{out}")

# A tar.gz cut short in its second member: the first member is read, the
# break is named with its member, and the report says what was not read.
open("filler.log", "w").write("".join(
    f"{i} {os.urandom(30).hex()}\n" for i in range(60000)))
with tarfile.open("cut.tar.gz", "w:gz") as t:
    t.add("pod.log", "first.log")
    t.add("filler.log", "filler.log")
    t.add("pod.log", "last.log")
whole = open("cut.tar.gz", "rb").read()
open("cut.tar.gz", "wb").write(whole[:len(whole) // 2])
status, out, err = run("-o", "summary-json", "cut.tar.gz")
doc = json.loads(out)
check("truncated tar.gz",
      status == 2
      and err == "tsblog: cut.tar.gz:filler.log: truncated gzip input\n"
                 "tsblog: cut.tar.gz: not read past cut.tar.gz:filler.log\n"
      and doc["inputs"] == [{"source": "cut.tar.gz:first.log", "status": "read"},
                            {"source": "cut.tar.gz:filler.log", "status": "unreadable"}]
      and doc["problems"][0]["sources"] == ["cut.tar.gz:first.log"],
      f"exit {status}\n{err}\n{out[-300:]}")

# -R: every file under a directory, in name order, archives opened.
os.makedirs("tree/b/c")
os.rename("bundle.zip", "tree/b/c/z.zip")
open("tree/a.log", "wb").write(plain)
open("tree/b/blob", "wb").write(b"\0\1\2")
same_as_plain("-R", "tree", ["tree/a.log", "tree/b/c/z.zip:logs/a.log",
                             "tree/b/c/z.zip:logs/b.log"], ["-R", "-a"])
status, out, err = run("--color=never", "--recursive", "tree")
check("-R skips a binary file and says so",
      status == 1 and err == "tsblog: tree/b/blob: binary input skipped (-a reads it as text)\n"
      and out.endswith("tsblog: skipped as binary (-a reads them as text): tree/b/blob\n"),
      f"exit {status}\n{err}\n{out[-200:]}")
status, out, err = run("--color=never", "tree")
check("a directory without -R", status == 2 and
      err == "tsblog: tree: is a directory (-R reads the files in it)\n", err)

print(f"packed: {failures} failed")
sys.exit(1 if failures else 0)
