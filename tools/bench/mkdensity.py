#!/usr/bin/env python3
"""Make a corpus where a given share of the lines are warn/error lines.

    mkdensity.py CORPUS PERCENT OUT

Samples lines of CORPUS (seed 42) until OUT is as large as CORPUS: a line
from the warn-or-above pool with probability PERCENT/100, else from the
rest.  A line's level is read the way tsblog reads it (lib/reader.c):
behind kubectl's [pod/...] prefix and --timestamps, a JSON line's
level/severity/lvl key, a klog letter, a console level column.  Lines of
other layouts (access logs, tables) have no level and go to the rest.
"""
import json
import random
import re
import sys

WARN = {"warn", "warning", "error", "err", "fatal", "panic", "dpanic", "critical"}
PREFIX = re.compile(rb"^\[pod/[^/\]]+/[^\]]+\] ")
TS = rb"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)"
KTS = re.compile(TS + rb" ")
KLOG = re.compile(rb"^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [^\]]*\]")
CONSOLE = re.compile(rb"^(?:" + TS + rb"\t)?([A-Za-z]{1,7})\t")


def warn_line(ln):
    ln = PREFIX.sub(b"", ln, count=1)
    m = KTS.match(ln)
    if m:
        ln = ln[m.end():]
    if ln.startswith(b"{"):
        try:
            o = json.loads(ln)
        except ValueError:
            return False
        if not isinstance(o, dict):
            return False
        if o.get("type") == "Warning":
            return True
        for k in ("level", "severity", "lvl"):
            if isinstance(o.get(k), str):
                return o[k].lower() in WARN
        return False
    m = KLOG.match(ln)
    if m:
        return m.group(1) in b"WEF"
    m = CONSOLE.match(ln)
    return bool(m) and m.group(1).decode().lower() in WARN


def main():
    src, pct, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    size = sum(len(ln) + 1 for ln in lines)
    warn = [ln for ln in lines if warn_line(ln)]
    rest = [ln for ln in lines if not warn_line(ln)]
    if not warn or not rest:
        sys.exit("mkdensity: %s has no %s lines" % (src, "warn/error" if not warn else "other"))
    r = random.Random(42)
    buf, n = [], 0
    while n < size:
        ln = r.choice(warn) if r.random() < pct / 100 else r.choice(rest)
        buf.append(ln)
        n += len(ln) + 1
    with open(out, "wb") as f:
        f.write(b"\n".join(buf) + b"\n")
    print("mkdensity: %s: %d lines, %.1f%% of them from the %d warn/error lines of %s"
          % (out, len(buf), pct, len(warn), src), file=sys.stderr)


if __name__ == "__main__":
    main()
