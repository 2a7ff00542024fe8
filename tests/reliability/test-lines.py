"""Issue 18, D6 and D7: no line lost to a JSON document.  Every input here
has records == lines, every line a rule knows is diagnosed, and -j 1 and
-j 2 print the same.  Usage: test-lines.py TSBLOG REPRO_DIR"""
import json, os, re, resource, subprocess, sys, tempfile

T, R = sys.argv[1], sys.argv[2]
with open(T, "rb") as _f:
    ASAN = b"__asan_init" in _f.read()
failures = []
# Removed when the test exits, however it exits (big.json alone is
# over 100 MB).
workdir = tempfile.TemporaryDirectory(prefix="tsblog-test-lines-")
tmp = workdir.name
ERR = ("2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation failed, "
       "retrying in 15m0s: secret istio-system/cluster-service-account not found: "
       'Secret "cluster-service-account" not found')
MSG = ('MountVolume.SetUp failed for volume "xcp-central-auth-jwt" : '
       'secret "xcp-edge-central-auth-token" not found')


def run(*args):
    p = subprocess.run([T, *args], capture_output=True)
    return p.returncode, p.stdout, p.stderr


def check(name, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + name, detail if not ok else "")
    if not ok:
        failures.append(name)


def write(name, text):
    f = os.path.join(tmp, name)
    with open(f, "w") as fh:
        fh.write(text)
    return f


def lines_of(f):
    data = open(f, "rb").read()
    return data.count(b"\n") + (not data.endswith(b"\n"))


def scan(name, f, diagnoses, malformed, error=None, jobs=("1", "2")):
    """The diagnoses (rule, line) and totals of @f, the same with each -j."""
    outs = set()
    for j in jobs:
        rc, out, err = run("-j", j, "-o", "json", f)
        outs.add(out)
        got = [(d["rule"], d["line"]) for d in map(json.loads, out.splitlines())]
        check("%s -j %s diagnoses" % (name, j), got == diagnoses,
              (got[:5], len(got), diagnoses[:5], len(diagnoses)))
        check("%s -j %s exit" % (name, j), rc == (2 if malformed else 1 if got else 0),
              (rc, err[-300:]))
        if error:
            check("%s -j %s error" % (name, j), re.search(error, err.decode()), err[-300:])
        rc, out, err = run("-j", j, "-o", "summary-json", f)
        t = json.loads(out)
        check("%s -j %s records == lines" % (name, j),
              t["records"] == lines_of(f) and t["malformed"] == malformed,
              (t["records"], t["malformed"], lines_of(f)))
    check(name + " -j 1 == -j 2", len(outs) == 1)
    # Through a pipe the lines come in other chunks: the same diagnoses.
    p = subprocess.run([T, "-o", "json"], stdin=open(f, "rb"), capture_output=True)
    check(name + " from a pipe", p.stdout.replace(b'"source":"-"', b'"source":' +
                                                  json.dumps(f).encode()) in outs)


def event(i, count=1, message=MSG, indent=None):
    return {"kind": "Event", "type": "Warning", "reason": "FailedMount", "count": count,
            "message": message,
            "involvedObject": {"kind": "Pod", "name": "edge-%d" % i, "namespace": "istio-system"}}


def event_list(events, indent=None):
    d = {"apiVersion": "v1", "items": events, "kind": "List", "metadata": {"resourceVersion": ""}}
    return json.dumps(d, indent=indent, separators=None if indent else (",", ":")) + "\n"


CP = "cp-sa-secret-missing"
EDGE = "edge-auth-token-secret-missing"
# Long enough (> 1 MiB) for -j 2 to cut it into pieces.
N = 8000

# The audit's reproducer: the lines around a stray '{' are diagnosed.
scan("lone-brace-swallows.log", os.path.join(R, "lone-brace-swallows.log"),
     [(CP, 1), (CP, 4), (CP, 5)], 1, r":4:1: JSON document opened at line 2 not closed")

# A stray '{' before many error lines, at the start and in the middle.
for at in (0, N // 2):
    body = [ERR] * N
    body.insert(at, "{")
    f = write("brace-%d.log" % at, "\n".join(body) + "\n")
    scan("stray { at line %d" % (at + 1), f,
         [(CP, i + 1) for i in range(N + 1) if i != at], 1,
         r":%d:1: JSON document opened at line %d not closed" % (at + 2, at + 1))

# '{', an error line, '}': the inner line, and a stray '{' as the last line.
f = write("brace-inner.log", "{\n%s\n}\n%s\n{\n" % (ERR, ERR))
scan("{ line }", f, [(CP, 2), (CP, 4)], 2)

# Stray '[' lines open nothing; '{' '[' '{' opens an item that is given up.
f = write("bracket.log", "[\n%s\n[\n{\n[\n{\n%s\n]\n%s\n" % (ERR, ERR, ERR))
scan("stray [", f, [(CP, 2), (CP, 7), (CP, 9)], 1)

# A stray '{' followed only by lines that could be JSON: given up after
# the window (2 x max_record), its held lines read in order, error lines
# in quotes among them still diagnosed as plain lines.
held = ['"%s",' % MSG] + ['"padding %06d",' % i for i in range(150000)]
f = write("window.log", "{\n" + "\n".join(held) + "\n" + ERR + "\n")
scan("stray { held past the window", f, [(EDGE, 2), (CP, len(held) + 2)], 1,
     r"JSON document opened at line 1 has no event in its first 2097152 bytes")

# A pretty-printed list cut at the end of input: its events are read, and
# the lines of the cut one too (its message line is diagnosed as a line).
doc = event_list([event(i) for i in range(N // 40)], indent=4)
cut = doc[:doc.rindex('"message"') + 200]
f = write("truncated.json", cut)
rows = cut.splitlines()
msg_lines = [i + 1 for i, l in enumerate(rows) if '"message"' in l]
item_lines = [i + 1 for i, l in enumerate(rows) if l == "        {"]
scan("truncated document", f,
     [(EDGE, l) for l in item_lines[:-1]] + [(EDGE, msg_lines[-1])], 1,
     r"JSON document opened at line 1 is not closed at the end of input")
# Cut before its first event closed.
f = write("truncated-early.json", doc[:doc.index('"message"') + 200])
scan("truncated before the first event", f, [(EDGE, 9)], 1)
# A well-formed document that is no events list: its lines are read as lines.
f = write("config.json", json.dumps({"status": {"message": ERR}}, indent=2) + "\n")
scan("other document", f, [(CP, 3)], 0)

# D6: the reproducer (5,000 events on one 1.6 MB line).
p = subprocess.run(["sh", os.path.join(R, "events-compact-over-1mib.sh"), T],
                   capture_output=True)
check("events-compact-over-1mib.sh", b"seen   \xc3\x975000\n" in p.stdout and
      p.stdout.endswith(b"exit 1\n"), p.stdout[-300:])

# A compact list over max_record reads like the same list pretty-printed
# (all but line numbers and source), a bad event in it reported and skipped.
events = [event(i, count=i % 5 + 1) for i in range(6000)]
events[3000]["count"] = 1e400
compact = write("compact.json", event_list(events).replace("1e+400", "1e400"))
pretty = write("pretty.json", event_list(events, indent=4).replace("1e+400", "1e400"))
strip = lambda out: [re.sub(rb'"(line|source)":[^,]*,', b"", l) for l in out.splitlines()]
(rc1, o1, e1), (rc2, o2, e2) = run("-o", "json", compact), run("-o", "json", pretty)
check("compact list == pretty list", strip(o1) == strip(o2) and len(strip(o1)) == 5999,
      (len(strip(o1)), len(strip(o2))))
check("compact list malformed event", rc1 == 2 and b"compact.json:1:" in e1 and
      b"malformed event" in e1, e1)
scan("compact list", compact, [(EDGE, 1)] * 5999, 1)

# 50 MB on one line: every event diagnosed, in bounded memory.
big = os.path.join(tmp, "big.json")
n = 200000
with open(big, "w") as fh:
    fh.write('{"apiVersion":"v1","kind":"List","items":[')
    fh.write(",".join(json.dumps(event(i), separators=(",", ":")) for i in range(n)))
    fh.write("]}\n")
check("big list is over 50 MB", os.path.getsize(big) > 50 << 20, os.path.getsize(big))
for j in ("1", "2"):
    probe = ("import resource, subprocess, sys\n"
             "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
             "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
             "sys.stdout.flush(); sys.stdout.buffer.write(p.stdout)")
    out = subprocess.run([sys.executable, "-c", probe, T, "-j", j, "-o", "summary-json", big],
                         capture_output=True).stdout
    head, _, body = out.partition(b"\n")
    rc, rss = map(int, head.split())
    d = json.loads(body)
    counts = [(p["rule"], p["count"]) for p in d["problems"]]
    check("50 MB list -j %s: %d diagnoses" % (j, n), rc == 1 and counts == [(EDGE, n)] and
          d["records"] == 1 and d["malformed"] == 0, (rc, counts, d["records"]))
    if ASAN:  # its shadow memory and quarantine are not the scanner's
        print("skip  50 MB list -j %s: peak RSS under AddressSanitizer (%d KiB)" % (j, rss))
    else:
        check("50 MB list -j %s: peak RSS %d KiB < 64 MiB" % (j, rss), rss < 64 << 10)

sys.exit(1 if failures else 0)
