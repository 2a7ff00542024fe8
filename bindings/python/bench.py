#!/usr/bin/env python3
"""Benchmark of the Python binding (not a test).

Generates, deterministically, a realistic ~200 MB control plane log in /tmp
(Istio console lines, zap JSON lines, Envoy access logs, ~1 line in 1000 a
real failure from tests/data/seed-lines.txt with varied values), then times
on it, side by side:

  (a) tsblog -o json FILE > /dev/null        the C command of the build dir
  (b) sum(1 for _ in rules.scan(FILE))       this binding
  (c) a plain `re` loop: for each line, for each rule of rules/tsb.json
      (PCRE2 syntax translated to Python's: (?<n> -> (?P<n>, %{MACRO}
      expanded, (*COMMIT) dropped), re.search; first match wins
  (d) rules.scan() in 1 and 2 threads at once (the GIL is released while C
      scans, so this should scale with the cores), next to 1 and 2 tsblog
      processes at once (what the machine itself gives two scans)

and prints MB/s and the ratios.  Targets (issue 5): (b) >= 80% of (a), and
(b) >= 20x (c).

    meson setup /tmp/bpy && ninja -C /tmp/bpy
    /usr/bin/python3 bindings/python/bench.py --build /tmp/bpy

The corpus is deleted at the end unless --keep is given.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import re
import resource
import subprocess
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# --- corpus ------------------------------------------------------------------

SCOPES = ["ads", "xdsproxy", "cache", "model", "delta", "validation", "klog", "wasm"]
SERVICES = ["reviews", "ratings", "details", "productpage", "payments", "cart",
            "checkout", "search", "auth", "inventory", "shipping", "frontend"]
NAMESPACES = ["bookinfo", "shop", "payments", "default", "istio-system", "tsb"]
HOSTS = ["tsb.tetrate.io", "mp.example.com", "tsb.prod.internal", "central.acme.io"]
CLUSTERS = ["demo", "gke-eu-west1", "aks-westeurope-prod", "eks-us-east-2"]
PATHS = ["/api/v1/products", "/api/v1/reviews/0", "/healthz", "/ratings/1",
         "/cart/items", "/checkout", "/static/app.js", "/login", "/search?q=shoes"]
AGENTS = ["curl/7.88.1", "Go-http-client/1.1", "Mozilla/5.0 (X11; Linux x86_64)",
          "Envoy/HC", "python-requests/2.31.0"]


def ts(t: float) -> str:
    s = int(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%06dZ" % int((t - s) * 1e6)


def istio_info(rnd: random.Random, t: float) -> str:
    scope = rnd.choice(SCOPES)
    svc, ns = rnd.choice(SERVICES), rnd.choice(NAMESPACES)
    pod = f"{svc}-v{rnd.randint(1, 3)}-{rnd.getrandbits(32):08x}-{rnd.getrandbits(20):05x}.{ns}"
    msg = rnd.choice([
        f"XDS: Pushing Services:{rnd.randint(10, 400)} ConnectedEndpoints:{rnd.randint(1, 90)} Version:{ts(t)[:19]}/{rnd.randint(1, 9999)}",
        f"Push debounce stable[{rnd.randint(1, 500)}] {rnd.randint(1, 30)} for config ServiceEntry/{ns}/{svc}: {rnd.randint(100, 999)}.{rnd.randint(0, 999)}ms since last change, {rnd.randint(1, 9)}ms since last push, full=true",
        f"ADS: new connection for node:sidecar~10.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}~{pod}~{ns}.svc.cluster.local-{rnd.randint(1, 999)}",
        f"CDS: PUSH request for node:{pod} resources:{rnd.randint(10, 300)} size:{rnd.randint(1, 900)}.{rnd.randint(0, 9)}kB cached:{rnd.randint(0, 300)}/{rnd.randint(300, 400)}",
        f"EDS: PUSH request for node:{pod} resources:{rnd.randint(10, 300)} size:{rnd.randint(1, 90)}.{rnd.randint(0, 9)}kB empty:0 cached:{rnd.randint(0, 300)}/{rnd.randint(300, 400)}",
        f"cached certificate for spiffe://cluster.local/ns/{ns}/sa/{svc} will expire at {ts(t + 86400)}",
    ])
    return f"{ts(t)}\tinfo\t{scope}\t{msg}\n"


def json_line(rnd: random.Random, t: float) -> str:
    level = rnd.choice(["info"] * 12 + ["debug"] * 3 + ["warn"])
    svc, ns = rnd.choice(SERVICES), rnd.choice(NAMESPACES)
    msg = rnd.choice([
        f"reconciling {svc} in namespace {ns}",
        f"applied config {ns}/{svc} generation {rnd.randint(1, 900)}",
        f"watch event MODIFIED for Service {ns}/{svc}",
        f"cache refreshed: {rnd.randint(1, 5000)} entries in {rnd.randint(1, 999)}ms",
    ])
    return json.dumps({"level": level, "time": ts(t), "scope": rnd.choice(SCOPES),
                       "msg": msg, "caller": f"{svc}/controller.go:{rnd.randint(10, 900)}"},
                      separators=(",", ":")) + "\n"


def envoy_access(rnd: random.Random, t: float) -> str:
    svc, ns = rnd.choice(SERVICES), rnd.choice(NAMESPACES)
    code = rnd.choice([200] * 30 + [201, 204, 301, 404, 503])
    flags = "-" if code < 500 else "UF,URX"
    a, b = rnd.randint(0, 255), rnd.randint(1, 254)
    return (f'[{ts(t)[:23]}Z] "{rnd.choice(["GET", "GET", "GET", "POST", "PUT"])} '
            f'{rnd.choice(PATHS)} HTTP/1.1" {code} {flags} via_upstream - "-" '
            f'{rnd.randint(0, 900)} {rnd.randint(0, 90000)} {rnd.randint(0, 900)} {rnd.randint(0, 900)} '
            f'"-" "{rnd.choice(AGENTS)}" "{rnd.getrandbits(128):032x}" "{svc}.{ns}.svc.cluster.local:9080" '
            f'"10.{a}.{b}.{rnd.randint(1, 254)}:9080" outbound|9080||{svc}.{ns}.svc.cluster.local '
            f'10.{a}.{b}.{rnd.randint(1, 254)}:{rnd.randint(30000, 60000)} 10.{a}.{b}.{rnd.randint(1, 254)}:9080 '
            f'10.{a}.{b}.{rnd.randint(1, 254)}:{rnd.randint(30000, 60000)} - default\n')


def istio_warn(rnd: random.Random, t: float) -> str:
    svc, ns = rnd.choice(SERVICES), rnd.choice(NAMESPACES)
    msg = rnd.choice([
        f"ADS:CDS: ACK ERROR {svc}-{rnd.getrandbits(24):06x}.{ns} Internal:Error adding/updating listener(s) 0.0.0.0_{rnd.randint(8000, 9999)}: duplicate listener",
        f"failed to fetch endpoints for {svc}.{ns}.svc.cluster.local: context deadline exceeded",
        f"Endpoint {svc}.{ns} has no healthy upstream after {rnd.randint(1, 60)}s",
    ])
    return f"{ts(t)}\t{rnd.choice(['warn', 'warn', 'error'])}\t{rnd.choice(SCOPES)}\t{msg}\n"


DURATION = re.compile(r"\b\d+(?:\.\d+)?(?:m\d+(?:\.\d+)?)?s\b")
TIMESTAMP = re.compile(r"2026-11-20T\d\d:\d\d:\d\d\.\d+Z")


def failures() -> list[str]:
    """The seed lines that name a failure (seed-expected.tsv says which)."""
    lines = (ROOT / "tests" / "data" / "seed-lines.txt").read_text(encoding="utf-8").splitlines()
    expected = (ROOT / "tests" / "data" / "seed-expected.tsv").read_text(encoding="utf-8").splitlines()
    rules = {int(r.split("\t")[0]): r.split("\t")[1] for r in expected if r.strip()}
    return [l for i, l in enumerate(lines, 1) if rules.get(i, "-") != "-"]


def failure(rnd: random.Random, t: float, seeds: list[str]) -> str:
    line = rnd.choice(seeds)
    line = DURATION.sub(lambda m: f"{rnd.randint(1, 59)}.{rnd.randint(0, 999999)}s", line)
    line = TIMESTAMP.sub(lambda m: ts(t), line)
    line = line.replace("tsb.tetrate.io", rnd.choice(HOSTS))
    line = line.replace('"demo"', '"%s"' % rnd.choice(CLUSTERS))
    if line.split("\t", 1)[0] in ("error", "warn", "info"):
        line = f"{ts(t)}\t{line}"
    return line + "\n"


def generate(path: pathlib.Path, size: int, seed: int = 5) -> int:
    """Write at most size bytes of log to path; returns the number of
    failure lines in it."""
    rnd = random.Random(seed)
    seeds = failures()
    kinds = [istio_info] * 45 + [json_line] * 25 + [envoy_access] * 28 + [istio_warn] * 2
    t = 1795248000.0  # 2026-11-20
    written = nfail = 0
    with open(path, "wb") as f:
        while True:
            block = []
            for _ in range(20000):
                t += rnd.random() * 0.01
                if rnd.random() < 0.001:
                    line, bad = failure(rnd, t, seeds).encode(), 1
                else:
                    line, bad = rnd.choice(kinds)(rnd, t).encode(), 0
                if written + len(line) > size:
                    f.write(b"".join(block))
                    return nfail
                block.append(line)
                written += len(line)
                nfail += bad
            f.write(b"".join(block))


# --- the plain re loop -----------------------------------------------------------

def python_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """rules/tsb.json's patterns in Python's re syntax, in rule order."""
    with open(ROOT / "rules" / "tsb.json", encoding="utf-8") as f:
        doc = json.load(f)
    macros = doc.get("patterns", {})

    def expand(p: str) -> str:
        def sub(m: re.Match[str]) -> str:
            body = expand(macros[m.group(1)])
            return f"(?P<{m.group(2)}>{body})" if m.group(2) else f"(?:{body})"
        return re.sub(r"%\{(\w+)(?::(\w+))?\}", sub, p)

    out = []
    for r in doc["rules"]:
        p = expand(r["match"]).replace("(*COMMIT)", "").replace("(?<", "(?P<")
        p = p.replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")  # lookbehinds
        out.append((r["id"], re.compile(p)))
    return out


def re_loop(path: pathlib.Path, patterns: list[tuple[str, re.Pattern[str]]]) -> int:
    found = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            for _rule, pat in patterns:
                if pat.search(line):
                    found += 1
                    break
    return found


# --- timing ------------------------------------------------------------------------

def cpu_time() -> float:
    """user + system CPU seconds of this process and its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best(fn, runs: int) -> tuple[float, float, object]:
    """(best wall time, CPU time of that run, result) of runs calls."""
    runs_, result = [], None
    for _ in range(runs):
        c0, t0 = cpu_time(), time.perf_counter()
        result = fn()
        runs_.append((time.perf_counter() - t0, cpu_time() - c0))
    wall, cpu = min(runs_)
    return wall, cpu, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.environ.get("TSBLOG_BUILD", str(ROOT / "build")),
                    help="meson build directory (default: ./build or $TSBLOG_BUILD)")
    ap.add_argument("--size", type=int, default=200, help="corpus size in MB (default 200)")
    ap.add_argument("--runs", type=int, default=5, help="best of N for (a) and (b) (default 5)")
    ap.add_argument("--corpus", default=f"/tmp/tsblog-pybench-{os.getpid()}.log")
    ap.add_argument("--keep", action="store_true", help="keep the corpus")
    args = ap.parse_args()

    build = pathlib.Path(args.build).resolve()
    sys.path.insert(0, str(build / "bindings" / "python"))
    import tsblog  # noqa: E402  (the build tree's)

    exe = build / "tools" / "tsblog"
    corpus = pathlib.Path(args.corpus)
    print(f"tsblog {tsblog.__version__} from {tsblog.__file__}; command {exe}")
    t0 = time.perf_counter()
    nfail = generate(corpus, args.size * 1000 * 1000)
    size = corpus.stat().st_size
    mb = size / 1e6
    nlines = sum(1 for _ in open(corpus, "rb"))
    print(f"corpus {corpus}: {mb:.1f} MB, {nlines} lines, {nfail} failure lines "
          f"(generated in {time.perf_counter() - t0:.1f}s)")
    try:
        subprocess.run(["cat", str(corpus)], stdout=subprocess.DEVNULL, check=True)  # page cache

        def cli() -> int:
            r = subprocess.run([str(exe), "-o", "json", str(corpus)],
                               stdout=subprocess.DEVNULL, check=False)
            assert r.returncode in (0, 1), r.returncode
            return r.returncode

        rules = tsblog.Rules()
        t_cli, c_cli, _ = best(cli, args.runs)
        t_py, c_py, n_py = best(lambda: sum(1 for _ in rules.scan(corpus)), args.runs)
        n_cli = int(subprocess.run(f"'{exe}' -o json '{corpus}' | wc -l", shell=True,
                                   capture_output=True, text=True).stdout)
        patterns = python_patterns()
        t_re, c_re, n_re = best(lambda: re_loop(corpus, patterns), 1)

        def threads(n: int) -> tuple[float, float]:
            """(MB/s over all threads, CPU seconds per wall second)"""
            def work() -> None:
                sum(1 for _ in rules.scan(corpus))
            ts_ = [threading.Thread(target=work) for _ in range(n)]
            c0, t0 = cpu_time(), time.perf_counter()
            for t in ts_:
                t.start()
            for t in ts_:
                t.join()
            wall = time.perf_counter() - t0
            return n * mb / wall, (cpu_time() - c0) / wall

        mt1, par1 = max(threads(1) for _ in range(3))
        mt2, par2 = max(threads(2) for _ in range(3))

        def processes(n: int) -> float:
            """MB/s of n `tsblog -o json` processes at once: what the machine
            gives two independent scans, for comparison with (d)."""
            t0 = time.perf_counter()
            ps = [subprocess.Popen([str(exe), "-o", "json", str(corpus)],
                                   stdout=subprocess.DEVNULL) for _ in range(n)]
            for p in ps:
                p.wait()
            return n * mb / (time.perf_counter() - t0)

        mp1 = max(processes(1) for _ in range(3))
        mp2 = max(processes(2) for _ in range(3))

        print()
        print("                                         wall        throughput   CPU (user+sys)")
        print(f"(a) tsblog -o json FILE >/dev/null       {t_cli:7.2f} s  {mb / t_cli:8.1f} MB/s  "
              f"{c_cli:6.2f} s   {n_cli} diagnoses")
        print(f"(b) sum(1 for _ in rules.scan(FILE))     {t_py:7.2f} s  {mb / t_py:8.1f} MB/s  "
              f"{c_py:6.2f} s   {n_py} diagnoses")
        print(f"(c) plain re loop ({len(patterns)} patterns)          {t_re:7.2f} s  "
              f"{mb / t_re:8.1f} MB/s  {c_re:6.2f} s   {n_re} matching lines")
        print(f"(d) rules.scan() in 1 thread: {mt1:.1f} MB/s (CPU/wall {par1:.2f}); "
              f"2 threads at once: {mt2:.1f} MB/s (CPU/wall {par2:.2f}): "
              f"x{mt2 / mt1:.2f} on {os.cpu_count()} CPUs")
        print(f"    control, separate processes: 1 tsblog: {mp1:.1f} MB/s; 2 at once: "
              f"{mp2:.1f} MB/s: x{mp2 / mp1:.2f}")
        print()
        r_cli, r_re = t_cli / t_py, t_re / t_py
        print(f"binding / CLI throughput: {r_cli * 100:.0f}%   (target >= 80%: "
              f"{'ok' if r_cli >= 0.8 else 'MISSED'}; by CPU time {c_cli / c_py * 100:.0f}%)")
        print(f"binding / re loop:        {r_re:.1f}x  (target >= 20x: "
              f"{'ok' if r_re >= 20 else 'MISSED'}; by CPU time {c_re / c_py:.1f}x)")
        if n_py != n_cli:
            print(f"WARNING: the binding found {n_py} diagnoses, the command {n_cli}")
    finally:
        if not args.keep:
            corpus.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
