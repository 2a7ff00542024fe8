#!/usr/bin/python3
"""bindscan.py scan|summarize FILE: the Python binding's public API on FILE.

Prints one line: the diagnoses (scan) or problems (summarize) found, then
the CPU seconds (user + system, getrusage) of this process from before
Rules() to the end of the scan, so that the interpreter's own start and
`import tsblog` are left out (the command's start-up, a few ms, is in its
time).  Import path: PYTHONPATH, e.g. <builddir>/bindings/python.
"""
import resource
import sys

import tsblog


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


mode, path = sys.argv[1], sys.argv[2]
c0 = cpu()
rules = tsblog.Rules()
if mode == "scan":
    n = sum(1 for _ in rules.scan(path))
else:
    n = len(rules.summarize(path)["problems"])
print("%d\t%.4f" % (n, cpu() - c0))
