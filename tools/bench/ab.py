#!/usr/bin/python3
"""Two tsblog binaries side by side: the same output, and which costs less.

  tools/bench/ab.py OLD NEW [--rounds N] [--check-only | --time-only]
                    [--corpus FILE]... [-- TSBLOG-ARGS...]

First every output is compared: each corpus x text, -o summary-json and
-o json x -j 1 and -j 2 x the seed rules (--no-builtin -r rules/tsb.json)
and the built-in catalog, byte for byte and exit status too.  Then each
corpus is scanned by OLD and NEW in turns, N rounds (default 21), the
order swapped every round, with TSBLOG-ARGS (default: the seed rules and
the default -j, as the benchmark's text report row), and the CPU (user +
sys, from wait4) of each pair gives a ratio NEW/OLD.  The median of those
ratios is printed with its quartiles: on a shared machine the CPU of one
binary drifts by 5-10% from minute to minute, and a ratio of medians
taken minutes apart carries that drift; a ratio per round does not.

The corpora default to those tools/bench/run.sh left in $BENCH_DIR
(/tmp/tsblog-bench): the corpus and its 20% and 50% warn/error variants.
Exit status: 1 when an output differs, 2 on a usage error.
"""
import glob
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = ["--no-builtin", "-r",
        os.path.normpath(os.path.join(HERE, "..", "..", "rules", "tsb.json"))]


def usage(msg):
    sys.stderr.write("ab.py: %s\n%s" % (msg, __doc__))
    sys.exit(2)


def run(binary, args, out=None):
    """(exit status, CPU seconds) of one run; its output to the file @out
    (standard error too), or nowhere."""
    sink = out if out is not None else subprocess.DEVNULL
    p = subprocess.Popen([binary] + args, stdout=sink,
                         stderr=subprocess.STDOUT if out is not None
                         else subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime


def output(binary, args):
    """(exit status, every byte written) of one run."""
    with tempfile.TemporaryFile() as f:
        rc, _ = run(binary, args, f)
        f.seek(0)
        return rc, f.read()


def check(old, new, corpora):
    runs = differ = 0
    for corpus in corpora:
        for mode in ([], ["-o", "summary-json"], ["-o", "json"]):
            for jobs in ("1", "2"):
                for rules in (SEED, []):
                    args = rules + mode + ["-j", jobs, corpus]
                    runs += 1
                    if output(old, args) != output(new, args):
                        differ += 1
                        print("differs: %s" % " ".join(args))
    print("outputs: %d runs, %d differ" % (runs, differ))
    return differ == 0


def measure(old, new, corpora, rounds, args):
    for corpus in corpora:
        ratios, a, b = [], [], []
        for r in range(rounds):
            first, second = (old, new) if r % 2 == 0 else (new, old)
            t = {first: run(first, args + [corpus])[1]}
            t[second] = run(second, args + [corpus])[1]
            a.append(t[old])
            b.append(t[new])
            ratios.append(t[new] / t[old] if t[old] else float("nan"))
        q = statistics.quantiles(ratios, n=4)
        print("%s: OLD %.4f s, NEW %.4f s (medians); NEW/OLD per round: "
              "median %.3f, quartiles %.3f-%.3f (%d rounds)"
              % (os.path.basename(corpus), statistics.median(a),
                 statistics.median(b), statistics.median(ratios), q[0], q[2],
                 rounds))


def main(argv):
    rounds, corpora, only, extra = 21, [], None, None
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            extra = argv[i + 1:]
            break
        if a == "--rounds" and i + 1 < len(argv):
            rounds = int(argv[i + 1])
            i += 1
        elif a == "--corpus" and i + 1 < len(argv):
            corpora.append(argv[i + 1])
            i += 1
        elif a in ("--check-only", "--time-only"):
            only = a
        elif a.startswith("-"):
            usage("unknown option %s" % a)
        else:
            pos.append(a)
        i += 1
    if len(pos) != 2:
        usage("give two binaries, OLD and NEW")
    old, new = (os.path.abspath(p) for p in pos)
    for b in (old, new):
        if not os.access(b, os.X_OK):
            usage("%s: not an executable" % b)
    if rounds < 2:
        usage("--rounds takes 2 or more")
    if not corpora:
        d = os.environ.get("BENCH_DIR", "/tmp/tsblog-bench")
        corpora = sorted(p for p in glob.glob(os.path.join(d, "corpus-*.log")))
        if not corpora:
            usage("no corpus in %s: run tools/bench/run.sh first, or give --corpus" % d)
    ok = True
    if only != "--time-only":
        ok = check(old, new, corpora)
    if only != "--check-only":
        measure(old, new, corpora, rounds, SEED if extra is None else extra)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
