#!/usr/bin/env python3
"""Turn the runner's measurements into the Markdown report.

    report.py WORKDIR CORPUS OUT_MD

Reads WORKDIR/results.tsv (written by run.sh), WORKDIR/env.txt, the
corpus' .meta.json, the tools' first-run outputs in WORKDIR/out/ and the
pattern conversion notes; checks that the tools agree on the number of
matching lines and explains where they do not; prints the report and
writes it to OUT_MD.
"""
import collections
import json
import os
import re
import sys

TOOL_ORDER = [
    "tsblog -o json", "tsblog (text report)", "tsblog -o summary-json", "tsblog -o json -j 1",
    "tsblog -o json -j 2", "tsblog -o json -j 1, +1 rule without a literal",
    "naive-pcre2", "hs-scan", "grep -E -f", "rg -f",
    "memchr-lines",
]
RAW_TOOLS = ["naive-pcre2", "hs-scan", "grep -E -f", "rg -f"]


def read_results(path):
    rows = []
    with open(path) as f:
        for ln in f:
            p = ln.rstrip("\n").split("\t")
            if len(p) < 10 or p[0] == "set":
                continue
            rows.append({
                "set": p[0], "tool": p[1], "wall": float(p[2]),
                "rss_kb": int(p[3]), "cpu": float(p[4]), "runs": int(p[5]),
                "rc": p[6], "out": p[7], "status": p[8], "note": p[9],
            })
    return rows


def kv(text):
    return dict(re.findall(r"(\w+)=([0-9.]+)", text))


def tsblog_json(path):
    """(lines, line numbers, per-rule counts, sum of count)"""
    nums, rules, total = [], collections.Counter(), 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for ln in f:
            if not ln.strip():
                continue
            d = json.loads(ln)
            nums.append(d.get("line"))
            rules[d.get("rule")] += 1
            total += d.get("count") or 1
    return len(nums), nums, rules, total


def summary_count(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        d = json.load(f)
    probs = d.get("problems", [])
    return sum(p.get("count", 0) for p in probs), collections.Counter(
        {p["rule"]: 0 for p in probs}), d.get("records")


def count_of(row, workdir):
    """Matching lines a tool reported, or None."""
    out = os.path.join(workdir, "out", row["out"])
    if row["status"] != "ok" or not os.path.exists(out):
        return None
    tool = row["tool"]
    if "text" in tool:
        return None
    if tool.startswith("tsblog") and "summary" not in tool:
        return tsblog_json(out)[0]
    if "summary" in tool:
        return None
    with open(out) as f:
        text = f.read().strip()
    if tool in ("grep -E -f", "rg -f"):
        return int(text or "0")
    v = kv(text)
    return int(v["matches"]) if "matches" in v else None


def fmt_int(n):
    return "{:,}".format(int(n))


def fmt_rate(x):
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    if x >= 1:
        return "%.2f" % x
    return "%.3f" % x


def fmt_ratio(x):
    if x >= 10:
        return "%.0f×" % x
    if x >= 1:
        return "%.1f×" % x
    return "%.2f×" % x


def lines_at(corpus, wanted):
    """The text of the given 1-based line numbers."""
    wanted = set(wanted)
    got = {}
    if not wanted:
        return got
    last = max(wanted)
    with open(corpus, "rb") as f:
        for i, ln in enumerate(f, 1):
            if i in wanted:
                got[i] = ln.rstrip(b"\n").decode("utf-8", "replace")
            if i >= last:
                break
    return got


PREFIX = re.compile(r"^(\[pod/[^\]]*\] )?(\d{4}-\d\d-\d\dT[0-9:.]+Z )?")


def envelope(text):
    body = PREFIX.sub("", text, count=1)
    if body.startswith("{"):
        return "JSON line (tsblog matches the decoded message)"
    if body.startswith("  ") or re.match(r"^\d+[smhd]", body):
        return "describe/events row"
    if re.match(r"^[IWEF]\d{4} ", body) or " kubelet[" in body[:80]:
        return "klog"
    return "console/other"


def targets(w, rows, sets, size_mb):
    """Issue 7's targets (the first performance issue, in wall seconds),
    each computed from this run's rows."""
    def wall(s, tool):
        for r in rows:
            if r["set"] == s and r["tool"] == tool and r["status"] == "ok":
                return r["wall"]
        return None
    small = min(sets, key=int) if sets else None
    big = max(sets, key=int) if sets else None
    out = []
    j1, j2 = wall(small, "tsblog -o json -j 1"), wall(small, "tsblog -o json -j 2")
    hs, mc = wall(small, "hs-scan"), wall(small, "memchr-lines")
    if j1 and hs:
        out.append(("`-o json -j 1`, %s rules, at least as fast as Hyperscan" % small,
                    "%.3f s vs %.3f s: %.2f× Hyperscan's speed" % (j1, hs, hs / j1), hs / j1 >= 1))
    if j1 and mc:
        out.append(("`-o json -j 1`, %s rules, at least 1/3 of the memchr ceiling" % small,
                    "%.0f%% (%.0f of %.0f MB/s)" % (100 * mc / j1, size_mb / j1, size_mb / mc), mc / j1 >= 1 / 3))
    if big != small:
        for tool in ("tsblog -o json -j 1", "tsblog -o json"):
            a, b = wall(small, tool), wall(big, tool)
            if a and b:
                out.append(("%s rules cost at most 2× the %s-rule time (`%s`)" % (big, small, tool[len("tsblog "):]),
                            "%.3f s vs %.3f s: %.2f×" % (b, a, b / a), b / a <= 2))
    if j1 and j2:
        out.append(("`-j 2` at least 1.7× `-j 1` (%s rules)" % small,
                    "%.3f s vs %.3f s: %.2f×" % (j2, j1, j1 / j2), j1 / j2 >= 1.7))
    rss = [r["rss_kb"] / 1024 for r in rows if r["status"] == "ok" and r["tool"].startswith("tsblog")
           and not r["tool"].startswith("startup") and r["set"] == small]
    if rss:
        out.append(("peak RSS under 32 MiB, bundled rules (any tsblog row)", "%.0f MiB at most" % max(rss),
                    max(rss) < 32))
    if not out:
        return
    w("Issue 7's targets, in wall seconds, from the rows above (one run, side by side); "
      "issue 16's, in CPU seconds, are in the targets table further down:")
    w("")
    w("| target | measured | met |")
    w("|---|---|---|")
    for what, got, ok in out:
        w("| %s | %s | %s |" % (what, got, "yes" if ok else "**no**"))
    w("")


def main():
    workdir, corpus, out_md = sys.argv[1:4]
    rows = read_results(os.path.join(workdir, "results.tsv"))
    env = {}
    with open(os.path.join(workdir, "env.txt")) as f:
        for ln in f:
            if "=" in ln:
                k, v = ln.rstrip("\n").split("=", 1)
                env[k] = v
    with open(corpus + ".meta.json") as f:
        meta = json.load(f)
    size_mb = meta["bytes"] / 1e6
    nlines = meta["lines"]
    runs_wanted = int(env.get("runs", "3"))
    sets = []
    for r in rows:
        if r["set"] not in sets:
            sets.append(r["set"])

    md = []
    w = md.append
    w("# tsblog benchmark")
    w("")
    w("| | |")
    w("|---|---|")
    w("| date | %s |" % env.get("date", "?"))
    w("| machine | %s, %s cores, %s; a fresh page costs %s µs (`pagefault.c`) |" % (
        env.get("cpu", "?"), env.get("nproc", "?"), env.get("mem", "?"), env.get("pagefault_us", "?")))
    w("| load average | %s at the start, %s at the end |" % (env.get("load_start", "?"), env.get("load_end", "?")))
    w("| tsblog | %s (%s), repo at %s, meson buildtype %s |" % (
        env.get("tsblog", "?"), env.get("tsblog_version", "?"), env.get("git", "?"), env.get("buildtype", "?")))
    w("| corpus | `%s`: %.1f MB, %s lines, seed %s; %s real failure lines (%s of them JSON-encoded), %s near misses, %s lines for generated rules; %s |" % (
        corpus, size_mb, fmt_int(nlines), meta["seed"], fmt_int(meta["failures"]),
        fmt_int(meta["failures_json"]), fmt_int(meta["near_misses"]), fmt_int(meta["synthetic"]),
        ("%d whole `kubectl describe pod` / `kubectl get events` outputs (BLOCKS=1)" % meta["blocks"])
        if meta.get("blocks") else "log lines only (no describe/events headers)"))
    w("| method | page cache warm; wall and CPU are the medians of %s runs (1 run when a run takes over %s s); every run writes its output to a file; peak RSS of any run; MB = 10^6 bytes |" % (
        env.get("runs", "?"), env.get("slow", "?")))
    w("| baselines | %s |" % env.get("versions", "?"))
    w("")
    w("| rules | tool | wall s | MB/s | lines/s | speed vs `tsblog -o json` | % of memchr | CPU s | peak RSS MiB | matching lines | expected |")
    w("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    warnings, notes = [], []
    startup = []
    for s in sets:
        srows = {r["tool"]: r for r in rows if r["set"] == s}
        nrules = int(s)
        ngen = max(0, nrules - 12)
        expected = meta["failures"] + sum(
            v for k, v in meta.get("by_generated_rule", {}).items() if int(k) < ngen)
        base = srows.get("tsblog -o json")
        mem = srows.get("memchr-lines")
        counts = {}
        for tool in TOOL_ORDER + sorted(set(srows) - set(TOOL_ORDER)):
            r = srows.get(tool)
            if not r or tool.startswith("startup"):
                continue
            c = count_of(r, workdir)
            counts[tool] = c
            if r["status"] != "ok":
                w("| %s | %s | — | — | — | — | — | — | — | %s | |" % (
                    s, tool, r["status"] + (": " + r["note"] if r["note"] else "")))
                continue
            mbs = size_mb / r["wall"] if r["wall"] > 0 else float("inf")
            lps = nlines / r["wall"] if r["wall"] > 0 else float("inf")
            vs = base and base["status"] == "ok" and base["wall"] / r["wall"]
            pm = mem and mem["status"] == "ok" and 100 * mem["wall"] / r["wall"]
            shown = "—" if c is None else fmt_int(c)
            if "summary" in tool:
                tot, _, recs = summary_count(os.path.join(workdir, "out", r["out"]))
                shown = "Σcount %s" % fmt_int(tot)
            exp = ""
            if tool.startswith("tsblog") and "summary" not in tool and "text" not in tool:
                exp = fmt_int(expected)
            elif tool == "memchr-lines":
                shown = "%s lines" % fmt_int(kv(open(os.path.join(workdir, "out", r["out"])).read()).get("lines", 0))
            w("| %s | %s%s | %.3f | %s | %s | %s | %s | %.2f | %.0f | %s | %s |" % (
                s, tool, "" if r["runs"] >= runs_wanted else " ¹", r["wall"], fmt_rate(mbs), fmt_int(lps),
                fmt_ratio(vs) if vs else "—", ("%.1f%%" % pm) if pm else "—",
                r["cpu"], r["rss_kb"] / 1024, shown, exp))
        for r in rows:
            if r["set"] == s and r["tool"].startswith("startup"):
                startup.append((s, r["tool"][len("startup "):], r["wall"] * 1000))
        for tool, what in (("naive-pcre2", "naive-pcre2: compile (PCRE2 + JIT)"),
                           ("hs-scan", "hs-scan: compile (Hyperscan database + PCRE2 for confirmations)")):
            r = srows.get(tool)
            if r and r["status"] == "ok":
                v = kv(open(os.path.join(workdir, "out", r["out"])).read())
                if "compile_ms" in v:
                    startup.append((s, what, float(v["compile_ms"])))

        # --- agreement -----------------------------------------------------
        tj = counts.get("tsblog -o json")
        for tool in ("tsblog -o json -j 1", "tsblog -o json -j 2", "tsblog -o json -j 1, +1 rule without a literal"):
            if counts.get(tool) is not None and tj is not None and counts[tool] != tj:
                warnings.append("%s rules: `%s` found %d lines, `tsblog -o json` %d." % (s, tool, counts[tool], tj))
        if tj is not None and tj != expected:
            warnings.append("%s rules: `tsblog -o json` reported %d diagnoses, the corpus generator wrote %d failure lines for this rule set." % (s, tj, expected))
            _, _, per_rule, _ = tsblog_json(os.path.join(workdir, "out", srows["tsblog -o json"]["out"]))
            want = {k: v["lines"] for k, v in meta["by_rule"].items()}
            for k, v in sorted(meta.get("by_generated_rule", {}).items(), key=lambda kv_: int(kv_[0])):
                if int(k) < ngen:
                    want["gen-%04d" % int(k)] = v
            got = collections.Counter()
            for rid, n in per_rule.items():
                got[rid[:8] if rid and rid.startswith("gen-") else rid] += n
            for rid in sorted(set(want) | set(got)):
                if want.get(rid, 0) != got.get(rid, 0):
                    warnings.append("    %s: expected %d, tsblog %d" % (rid, want.get(rid, 0), got.get(rid, 0)))
        raw = {t: counts[t] for t in RAW_TOOLS if counts.get(t) is not None}
        if len(set(raw.values())) > 1:
            warnings.append("%s rules: the raw-line baselines disagree: %s." % (
                s, ", ".join("%s %d" % (t, n) for t, n in raw.items())))
        if tj is not None and raw:
            ref_tool = "naive-pcre2" if "naive-pcre2" in raw else next(iter(raw))
            if raw[ref_tool] != tj:
                msg = "%s rules: `tsblog -o json` found %d lines, %s %d." % (s, tj, ref_tool, raw[ref_tool])
                lines_file = os.path.join(workdir, "out", "%s.naive-pcre2.lines" % s)
                if os.path.exists(lines_file):
                    _, tnums, _, _ = tsblog_json(os.path.join(workdir, "out", srows["tsblog -o json"]["out"]))
                    with open(lines_file) as f:
                        nnums = [int(x) for x in f if x.strip()]
                    only_t = sorted(set(tnums) - set(nnums))
                    only_n = sorted(set(nnums) - set(tnums))
                    texts = lines_at(corpus, only_t + only_n)
                    kinds_t = collections.Counter(envelope(texts.get(i, "")) for i in only_t)
                    kinds_n = collections.Counter(envelope(texts.get(i, "")) for i in only_n)
                    msg += " Lines only tsblog reports: %d (%s); lines only the raw-line tools match: %d (%s)." % (
                        len(only_t), ", ".join("%d %s" % (n, k) for k, n in kinds_t.most_common()) or "none",
                        len(only_n), ", ".join("%d %s" % (n, k) for k, n in kinds_n.most_common()) or "none")
                    for i in (only_t[:2] + only_n[:2]):
                        msg += "\n    line %d: `%s`" % (i, texts.get(i, "")[:240].replace("`", "'"))
                warnings.append(msg)

    w("")
    targets(w, rows, sets, size_mb)
    if any(r["runs"] < runs_wanted and r["status"] == "ok" and not r["tool"].startswith("startup") for r in rows):
        w("¹ fewer runs than %d: a run took longer than %s s, so it was not repeated." % (runs_wanted, env.get("slow", "?")))
        w("")
    if startup:
        w("Start-up (rules compiled, nothing scanned):")
        w("")
        w("| rules | what | ms |")
        w("|---:|---|---:|")
        for s_, what, ms in startup:
            w("| %s | %s | %.0f |" % (s_, what, ms))
        w("")
    w("How to read it:")
    w("")
    w("- **tsblog** counts diagnoses (`-o json` prints one line per matching line).  It takes the envelope off first "
      "(kubectl prefixes, console fields, klog header, describe/events columns) and matches JSON lines against "
      "their *decoded* message, first match wins.  **naive-pcre2, hs-scan, grep, rg** match the same patterns "
      "against the *raw* line.  So a rule that needs a `\"` (e.g. `cluster name \"demo\"`) fires in a JSON line "
      "for tsblog, where the raw text has `\\\"`, and not for the raw-line tools: tsblog finds more, and is right.")
    if any("-j" in r["tool"] for r in rows):
        w("- `tsblog -o json` and `-o summary-json` run with tsblog's default `-j` (one thread per core: "
          "%s here); the `-j 1` and `-j 2` rows set it.  CPU s above wall s means several threads worked." % env.get("nproc", "?"))
    w("- `expected` is what the corpus generator wrote: real failure lines plus the lines of the generated "
      "rules that are in this rule set.")
    w("- `summary-json` prints one document; its Σcount is the sum of the problems' counts, which multiplies "
      "describe/events rows by their `(xN over …)` repeat count, so it is not a line count.")
    w("- hs-scan, grep and rg use converted patterns (see below); hs-scan confirms candidates of patterns "
      "that lost something with PCRE2, grep and rg do not.")
    w("- `speed vs tsblog -o json`: how many times faster than `tsblog -o json` on the same rules (above 1 = faster); "
      "`% of memchr`: throughput as a share of reading the file and finding its newlines.")
    w("- Wall times include start-up (reading and compiling the rules): see the start-up table.")
    w("")
    # Did the tools get a CPU of their own?  Single-threaded and warm, CPU
    # time should be close to wall time.
    shares = sorted(r["cpu"] / r["wall"] for r in rows
                    if r["status"] == "ok" and r["wall"] >= 0.2
                    and (not r["tool"].startswith("tsblog") or "-j 1" in r["tool"])
                    and not r["tool"].startswith("startup"))
    if shares and shares[len(shares) // 2] < 0.85:
        warnings.insert(0, "the machine was busy: the tools got %.0f%% of a CPU over their wall time "
                        "(median of %d measurements), so the wall times are inflated and the ratios "
                        "less reliable; load average %s at the start.  Compare the CPU s column, or "
                        "rerun when the machine is idle." % (
                            100 * shares[len(shares) // 2], len(shares), env.get("load_start", "?")))
    conv = env.get("conversions", "")
    if conv:
        w("Pattern conversions: " + conv)
        w("")
    if warnings:
        w("## Warnings")
        w("")
        for x in warnings:
            if x.startswith("    "):
                w("    " + x.strip())
            else:
                w("- WARNING: " + x)
        w("")
    else:
        w("All tools agree with the expected number of matching lines.")
        w("")
    if env.get("rebuilt"):
        w("Note: " + env["rebuilt"] + ".")
        w("")
    if env.get("skipped"):
        w("Skipped: " + env["skipped"])
        w("")
    if env.get("elapsed"):
        w("The whole run took %s." % env["elapsed"])
        w("")
    text = "\n".join(md)
    with open(out_md, "w") as f:
        f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
