#!/usr/bin/env python3
"""The issue-16 targets, met or not, from one run of run.sh.

    targets.py WORKDIR NSEED

Reads WORKDIR/results.tsv (the rule-set rows), WORKDIR/targets.tsv (the
density, -j, 1000-rule and catalog rows, the rows of each target measured
in turns) and WORKDIR/bindings.tsv (the command and the bindings in
turns).  CPU seconds are medians (user + system), but for the bindings:
the best of the runs.  Hyperscan's time is hs-scan's CPU with its
database read back from the file run.sh wrote (--db).
"""
import filecmp
import os
import sys

d, nseed = sys.argv[1], sys.argv[2]


def ok_rows(name):
    """The fields of each run.sh row of WORKDIR/name that ran ok."""
    path = os.path.join(d, name)
    if not os.path.exists(path):
        return
    for ln in open(path):
        p = ln.rstrip("\n").split("\t")
        if p[0] != "set" and len(p) >= 10 and p[8] == "ok":
            yield p


def rows(name):
    return {(p[0], p[1]): {"cpu": float(p[4]), "rss": int(p[3]), "out": p[7]} for p in ok_rows(name)}


res, tg = rows("results.tsv"), rows("targets.tsv")


def hs_cached(c):
    """hs-scan's CPU on the corpus with its database read from the cache
    file (hs_deserialize_database), as a tool that keeps it scans."""
    r = tg.get((c, "hs-scan + level words, cached database"))
    return r["cpu"] if r else None


lines = []


def target(what, value, limit, cmp_ok, how):
    if value is None or limit is None:
        lines.append("| %s | not measured | | %s |" % (what, how))
        return
    lines.append("| %s | %s | %s | %s |" % (what, value, limit, how) if cmp_ok is None else
                 "| %s | %s | %s | **%s** — %s |" % (what, value, limit, "met" if cmp_ok else "not met", how))


names = {"base": "the corpus", "20": "20% warn/error", "50": "50% warn/error"}
for c, factor in (("base", 1), ("20", 2), ("50", 2)):
    t, h = tg.get((c, "tsblog (text report)")), hs_cached(c)
    if t and h is not None:
        target("text report, %s (%s seed rules) ≤ %s× Hyperscan cached + level words" % (names[c], nseed, factor),
               "%.3f s" % t["cpu"], "%.3f s" % (factor * h), t["cpu"] <= factor * h,
               "%.1f× Hyperscan" % (t["cpu"] / h if h else float("inf")))
    else:
        target("text report, %s" % names[c], None, None, None, "no hs-scan or tsblog row")
# In turns in the targets rows; from the rule-set rows (one set's runs
# after the other's) by an older run.sh.
small, big = tg.get(("rules", "tsblog -o json, %s rules" % nseed)), tg.get(("rules", "tsblog -o json, 1000 rules"))
if not (small and big):
    small, big = res.get((nseed, "tsblog -o json")), res.get(("1000", "tsblog -o json"))
if small and big:
    target("1000 generated rules ≤ 2× the CPU of %s (-o json)" % nseed, "%.3f s" % big["cpu"],
           "%.3f s" % (2 * small["cpu"]), big["cpu"] <= 2 * small["cpu"], "%.2f×" % (big["cpu"] / small["cpu"]))
same, worst, ratios = True, 0.0, []
for c in ("base", "20", "50"):
    for m in ("text", "summary-json", "json"):
        a, b = tg.get((c, "tsblog -j 1 " + m)), tg.get((c, "tsblog -j 2 " + m))
        if not a or not b:
            same = None
            continue
        if not filecmp.cmp(os.path.join(d, "out", a["out"]), os.path.join(d, "out", b["out"]), shallow=False):
            same = False
        r = b["cpu"] / a["cpu"] if a["cpu"] else 0
        worst = max(worst, r)
        ratios.append("%s %s %.2f×" % (names[c], m, r))
if same is None:
    target("-j 2 output identical to -j 1", None, None, None, "tsblog has no -j")
else:
    target("-j 2 output byte-identical to -j 1 (text, summary-json, json; 3 corpora)",
           "identical" if same else "DIFFERENT", "identical", same, "cmp")
    target("-j 2 CPU ≤ 1.10× -j 1 (worst of the 9)", "%.2f×" % worst, "1.10×", worst <= 1.10,
           "; ".join(ratios))
    # -j 2's text ratio taken apart (run.sh says how the rows are made).
    for c in ("base", "20", "50"):
        j1, j2 = tg.get((c, "tsblog -j 1 text")), tg.get((c, "tsblog -j 2 text"))
        one, pair = tg.get((c, "tsblog -j 2 text, one core")), tg.get((c, "tsblog -j 1 text, two at once"))
        if j1 and j2 and (one or pair) and j1["cpu"]:
            lines.append("| (for reference) -j 2 / -j 1, text, %s: %.2f×; on one core %s; two -j 1 at once, "
                         "each %s of one alone (the machine's cost of two busy cores) | | | |"
                         % (names[c], j2["cpu"] / j1["cpu"],
                            "%.2f×" % (one["cpu"] / j1["cpu"]) if one else "not measured",
                            "%.2f×" % (pair["cpu"] / 2 / j1["cpu"]) if pair else "not measured"))
st = tg.get(("catalog", "startup, built-in catalog"))
floor = tg.get(("catalog", "startup, /bin/true"))
target("start-up with the built-in catalog ≤ 2 ms CPU", st and "%.1f ms" % (st["cpu"] * 1000), "2 ms",
       st and st["cpu"] <= 0.002, "empty input, -o json" + (
           "; /bin/true measured the same way: %.1f ms (fork, exec, loader), so tsblog's own part is %.1f ms"
           % (floor["cpu"] * 1000, (st["cpu"] - floor["cpu"]) * 1000) if st and floor else ""))
rss = max([r["rss"] for k, r in list(res.items()) + list(tg.items()) if k[1].startswith("tsblog")] or [None])
target("peak RSS < 32 MiB (every tsblog row)", rss and "%.1f MiB" % (rss / 1024), rss and "32 MiB",
       rss and rss < 32 * 1024, "" if rss else "no tsblog row")
cat = tg.get(("catalog", "tsblog (text report)"))
if cat:
    lines.append("| (for reference) text report with the built-in catalog, the corpus | %.3f s | | |" % cat["cpu"])


def binding_runs():
    """{(corpus, tool): [(cpu, whole-process cpu, found, run, wall), ...]} of
    bindings.tsv: a driver's cpu and count are what it printed (its own
    getrusage, from compiling the rules to the end of the scan), the
    command's its process's and the lines it wrote."""
    out = {}
    for p in ok_rows("bindings.tsv"):
        with open(os.path.join(d, "out", p[7]), "rb") as f:
            text = f.read()
        if p[1].startswith("tsblog"):
            cpu, found = float(p[4]), text.count(b"\n")
        else:
            n, c = text.decode().split()
            cpu, found = float(c), int(n)
        run = int(p[7].rsplit(".", 1)[1])
        out.setdefault((p[0], p[1]), []).append((cpu, float(p[4]), found, run, float(p[2])))
    return out


br = binding_runs()
for c in ("base", "50"):
    cli = br.get((c, "tsblog -o json"))
    for tool in ("Python Rules.scan", "Go Rules.Scan"):
        what = "%s ≥ 90%% of the command's throughput (-o json), %s" % (tool, names[c])
        b = br.get((c, tool))
        if not cli or not b:
            target(what, None, None, None, "no row (TOOLS=bindings, and the binding built?)")
            continue
        bc, bcli = min(b), min(cli)
        ratio = bcli[0] / bc[0] if bc[0] else float("inf")
        agree = "" if bc[2] == bcli[2] else "; WARNING: %d diagnoses, the command %d" % (bc[2], bcli[2])
        # Each run's pair (the command, then the binding): steadier than
        # the best of each when the machine's load comes and goes.
        cmd = {x[3]: x[0] for x in cli}
        pairs = sorted(cmd[x[3]] / x[0] for x in b if x[3] in cmd and x[0])
        paired = ("; median of the runs' own ratios %.0f%%" % (100 * pairs[len(pairs) // 2])
                  if pairs else "")
        target(what, "%.0f%%" % (100 * ratio), "90%", ratio >= 0.90,
               "CPU best of %d: command %.3f s, binding %.3f s (whole process %.3f s)%s; "
               "best wall of the whole processes %.2f s and %.2f s; %d diagnoses%s"
               % (len(b), bcli[0], bc[0], bc[1], paired, min(x[4] for x in cli),
                  min(x[4] for x in b), bc[2], agree))
print("\n## Targets (issue 16), CPU seconds, medians (bindings: best of the runs)\n")
print("| target | measured | limit | verdict |")
print("|---|---:|---:|---|")
print("\n".join(lines))
