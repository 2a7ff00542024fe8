#!/usr/bin/python3
"""Messages per second through syslog-ng with and without tsblog-parser().

Usage: tools/bench/syslog-ng.py [LINES] [RUNS]   (defaults 200000, 3)
Env:   BUILD (default build): the meson build directory with the module.

Each run starts a private syslog-ng (Unix socket, flow control, a file
destination with format-json, as in the test), sends LINES lines of the
test corpus (~1% failures) with loggen over one connection, and times
from the first line sent to the last line written.  Runs alternate between
the two pipelines; the median of each is reported, and the ratio (target:
with the parser >= 90% of without).  Run it on an idle machine.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "syslog-ng"))
import sng  # noqa: E402
import test_socket  # noqa: E402

PIPELINE = """@version: 3.38
options {{ stats-level(1); log-msg-size(65536); }};
source s_in {{ unix-stream("{sock}" flags(no-parse) max-connections(4) log-iw-size(20000)); }};
{parser}
destination d_out {{ file("{out}" template("$(format-json --key tsblog.* --pair message=$MESSAGE)\\n")); }};
log {{ source(s_in); {use} destination(d_out); flags(flow-control); }};
"""
MODES = {
    "without parser": ("", ""),
    "with tsblog-parser()": ("parser p_tsblog { tsblog-parser(); };", "parser(p_tsblog);"),
}


def one_run(corpus_path, lines, module_dirs, mode):
    parser, use = MODES[mode]
    with tempfile.TemporaryDirectory(prefix="tsblog-bench-sng-") as tmp:
        sock, out = os.path.join(tmp, "in.sock"), os.path.join(tmp, "out.jsonl")
        d = sng.SyslogNg(tmp, module_dirs, PIPELINE.format(sock=sock, out=out,
                                                           parser=parser, use=use))
        try:
            t0 = time.monotonic()
            sng.push(sock, corpus_path)
            d.wait_for(lambda: sng.count_lines(out) >= lines, 600, "lines missing")
            elapsed = time.monotonic() - t0
            dropped = sum(v for k, v in d.stats().items() if k[1] == "dropped")
            assert dropped == 0, dropped
        finally:
            d.stop()
    return lines / elapsed


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    build = os.path.abspath(os.environ.get("BUILD", os.path.join(ROOT, "build")))
    sng.need_tools()
    moduledir = subprocess.run(["pkg-config", "--variable=moduledir", "syslog-ng"],
                               capture_output=True, text=True, check=True).stdout.strip()
    module_dirs = [os.path.join(build, "bindings", "syslog-ng"), moduledir]
    with tempfile.TemporaryDirectory(prefix="tsblog-bench-corpus-") as tmp:
        corpus_path = os.path.join(tmp, "corpus.log")
        with open(corpus_path, "w") as f:
            f.write("\n".join(test_socket.corpus(os.path.join(ROOT, "tests", "data"), lines)) + "\n")
        rates = {m: [] for m in MODES}
        for _ in range(runs):
            for m in MODES:
                rates[m].append(one_run(corpus_path, lines, module_dirs, m))
    med = {m: statistics.median(r) for m, r in rates.items()}
    version = subprocess.run(["pkg-config", "--modversion", "syslog-ng"],
                             capture_output=True, text=True).stdout.strip()
    print(f"syslog-ng {version}, "
          f"{lines} lines, 1 connection, flow control, median of {runs}")
    print("| pipeline | msg/s (median) | runs |")
    print("|---|---|---|")
    for m in MODES:
        print(f"| {m} | {med[m]:,.0f} | {', '.join(f'{r:,.0f}' for r in rates[m])} |")
    ratio = med["with tsblog-parser()"] / med["without parser"]
    print(f"\nwith / without: {ratio:.1%} (target >= 90%: {'met' if ratio >= 0.9 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
