"""Issue 18: each reproducer of the reliability audit gives the right
result (diagnosed, bounded, redacted, escaped, or a clear error), and a
redaction corpus (every secret form plain, JSON-escaped and
kubectl-prefixed, plus random keys and tokens) leaks no secret into any
output.  Usage: test-repro.py TSBLOG REPRO_DIR"""
import base64, json, os, random, re, resource, signal, subprocess, sys, tempfile, threading

T, R = sys.argv[1], sys.argv[2]
failures = []
TS = "2026-11-20T08:10:01Z"


def run(*args, stdin=None):
    p = subprocess.run([T, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def check(name, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + name, detail if not ok else "")
    if not ok:
        failures.append(name)


def path(f):
    return os.path.join(R, f)


# D5: the literal prefilter does not hide a line PCRE2 matches.
for stem in ("posix-class-literal", "accept-verb-literal"):
    rc, out, _ = run("--no-builtin", "-r", path(stem + ".rules.json"),
                     "-o", "json", path(stem + ".log"))
    check(stem, out.count(b'"rule"') == 1, out)

# D7: a stray '{' does not swallow the lines after it.
rc, out, err = run("-o", "json", path("lone-brace-swallows.log"))
check("lone-brace", out.count(b'"rule"') == 3 and rc == 2 and
      b"line 2 not closed" in err, (rc, out.count(b'"rule"'), err))

# D13: CR-only line ends are line ends, whole or in pieces through a pipe.
cr = b'token rotation failed: secret a/b not found: Secret "b" not found\r' * 3
with tempfile.NamedTemporaryFile(suffix=".log") as f:
    f.write(cr); f.flush()
    for args in (["-o", "json", f.name], ["-j", "2", "-o", "json", f.name]):
        rc, out, _ = run(*args)
        check("CR-only " + " ".join(args[:2]), out.count(b'"rule"') == 3, out)
    rc, out, _ = run("-o", "summary-json", f.name)
    check("CR-only records", b'"records":3' in out, out[:300])
rc, out, _ = run("-o", "json", stdin=cr)
check("CR-only pipe", out.count(b'"rule"') == 3, out)

# D11: a rule file over the cap is a clear error before JSON parsing.
with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
    json.dump({"tsblog": 1, "rules": [{"id": "d", "severity": "error", "title": "t",
               "match": "x", "summary": "s", "docs": "d" * (17 << 20)}]}, f)
    f.flush()
    rc, _, err = run("--no-builtin", "-r", f.name, "/dev/null")
    check("rule file cap", rc == 2 and b"larger than 16 MiB" in err, err)

# D12: every fix step shown in live text mode.
rc, out, _ = run("--no-builtin", "-r", path("live-many-fix.rules.json"),
                 stdin=b"boom alpha\n")
check("live-many-fix", b"step 64 for alpha" in out, out[-300:])

# D4, D9, D10: no control sequence reaches a terminal.
ESC = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
rc, out, _ = run("--passthrough", path("passthrough-escapes.log"))
check("passthrough drops controls", not ESC.search(out) and
      b"hello  world" in out, out)
rc, out, _ = run("--passthrough", stdin=b"a \x1b[31mred\x1b[0m \x1b]0;t\x07b\n")
check("passthrough keeps SGR", out.startswith(b"a \x1b[31mred\x1b[0m b\n"), out)
rc, out, _ = run("--passthrough", "--raw", path("passthrough-escapes.log"))
check("passthrough --raw", out.startswith(open(path("passthrough-escapes.log"), "rb").read()))
rc, _, err = run("learn", path("learn-stderr-escapes.log"))
check("learn stderr", not ESC.search(err.replace(b"\n", b"")), err)
rc, out, _ = run("explain", "tesc", "-r", path("rule-strings-escapes.rules.json"))
check("explain", not ESC.search(out.replace(b"\n", b"")), out)
rc, out, _ = run("rules", "list", "--no-builtin", "-r", path("rule-strings-escapes.rules.json"))
check("rules list", not ESC.search(out.replace(b"\n", b"")), out)
rc, _, err = run("--no-builtin", "-r", path("rule-error-escapes.rules.json"), "/dev/null")
check("load error", rc == 2 and not ESC.search(err.replace(b"\n", b"")), err)
for fmt in ("json", "summary-json"):
    rc, out, _ = run("-o", fmt, "-r", path("c1-catch.rules.json"), path("terminal-all-fields.log"))
    check("-o " + fmt + " escapes C1", not ESC.search(out.replace(b"\n", b"")), out[:200])
rc, _, err = run("-o", "json", path("events-jansson-c1.json"))
check("malformed event message", rc == 2 and not ESC.search(err.replace(b"\n", b"")), err)

# D1, D8: the redaction corpus.
rng = random.Random(18)
def rb64(n): return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode()
def rb64u(n): return base64.urlsafe_b64encode(bytes(rng.getrandbits(8) for _ in range(n))).rstrip(b"=").decode()
secrets, forms = [], []
for i in range(40):
    body = rb64(600)
    pem = "-----BEGIN PRIVATE KEY-----\\n" + "\\n".join(body[j:j + 64] for j in range(0, len(body), 64)) + "\\n-----END PRIVATE KEY-----"
    forms.append(("load failed: " + pem, body.replace("+", "").split("/")))
    h = rb64u(30); p = rb64u(90); s = rb64u(256)
    forms.append(("token rejected: eyJ%s.eyJ%s.%s" % (h, p, s), [p, s]))
    tok = rb64u(24)
    forms.append(("request failed Authorization: BeArEr " + tok, [tok]))
    forms.append(("Authorization: Basic " + rb64(18), []))
    pw = rb64u(12)
    forms.append(("dial https://admin:%s@tsb.example.com:8443/ failed" % pw, [pw]))
    kd = base64.b64encode(("-----BEGIN RSA PRIVATE KEY-----\n" + rb64(300) + "\n-----END RSA PRIVATE KEY-----\n").encode()).decode()
    forms.append(("kubeconfig client-key-data: " + kd, [kd[20:]]))
    ak = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    sk = rb64(30)
    forms.append(("aws creds %s AWS_SECRET_ACCESS_KEY=%s" % (ak, sk), [ak, sk]))
    d = rb64u(64)
    forms.append(('jwk {"kty": "RSA", "d": "%s"}' % d, [d]))
    forms.append(("jwk d: " + d, [d]))
lines, leaks = [], []
for i, (msg, sec) in enumerate(forms):
    # the last form's basic secret is the base64 itself
    if msg.startswith("Authorization: Basic "):
        sec = [msg.split()[-1]]
    secrets += [x for x in sec if len(x) >= 16]
    lines.append("%s\terror\tcontrolplane\tw%d %s" % (TS, i, msg))
    lines.append(json.dumps({"level": "error", "msg": "w%d %s" % (i, msg)}))
    lines.append(json.dumps({"level": "error", "msg": "wrapped", "cfg": json.dumps({"v": msg})}))
    lines.append("[pod/edge-%d/istio-proxy] %s\terror\tcontrolplane\tk%d %s" % (i, TS, i, msg))
catch = json.dumps({"tsblog": 1, "rules": [{"id": "catch", "severity": "error", "title": "t",
                     "match": "(?<v>(?:w|k)\\d+ .*)", "summary": "s {v}", "fix": ["f {v}"]}]})
with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "corpus.log"); rules = os.path.join(tmp, "catch.json")
    open(log, "w").write("\n".join(lines) + "\n"); open(rules, "w").write(catch)
    outs = {
        "text": run("--color=never", log),
        "json": run("-o", "json", log),
        "summary-json": run("-o", "summary-json", log),
        "passthrough": run("--passthrough", log),
        "passthrough --raw": run("--passthrough", "--raw", log),
        "passthrough pipe": run("--passthrough", stdin=open(log, "rb").read()),
        "learn": run("learn", log),
        "catch json": run("--no-builtin", "-r", rules, "-o", "json", log),
        "catch text": run("--no-builtin", "-r", rules, "--color=never", log),
        "catch summary": run("--no-builtin", "-r", rules, "-o", "summary-json", log),
    }
    # the control: the same corpus shows its secrets when asked to
    rc, shown, _ = run("--passthrough", "--no-redact", log)
chunks = set()
for s in secrets:
    for j in range(0, len(s) - 15, 8):
        chunks.add(s[j:j + 16].encode())
for name, (rc, out, err) in outs.items():
    text = out + err
    found = [c for c in chunks if c in text]
    check("no secret in " + name, not found, found[:3])
corpus = ("\n".join(lines)).encode()
check("passthrough --no-redact shows them",
      all(c in shown for c in chunks if c in corpus))

# D15: with SIGPIPE ignored, reading stops soon after the reader of the
# output is gone: counted in bytes read, of 64 MiB on offer.
ERR = (TS + "\terror\tcontrolplane\ttoken rotation failed: secret a/b not "
       "found: Secret \"b\" not found\n").encode()
def ignore_pipe(): signal.signal(signal.SIGPIPE, signal.SIG_IGN)
def fed_until_stop(*args):
    """Bytes tsblog took from a pipe before it stopped, once its reader
    read one line and left; its exit status and stderr."""
    p = subprocess.Popen([T, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=ignore_pipe)
    fed = [0]
    def feed():
        try:
            while fed[0] < 64 << 20:
                p.stdin.write(ERR * 1024); p.stdin.flush(); fed[0] += len(ERR) * 1024
            p.stdin.close()
        except BrokenPipeError:
            pass
    t = threading.Thread(target=feed); t.start()
    p.stdout.readline(); p.stdout.close()
    t.join()
    return fed[0], p.wait(), p.stderr.read()
for args in (["-o", "json"], ["--passthrough"], ["--color=never"]):
    fed, rc, err = fed_until_stop(*args)
    check("EPIPE stops %s" % " ".join(args), fed < 8 << 20 and rc == 2 and
          err == b"tsblog: cannot write output: Broken pipe\n", (fed, rc, err))
def read_until_stop(*args):
    """Bytes tsblog read (/proc/PID/io, looked at before it is reaped)
    from a 64 MiB file once its reader read one line and left."""
    p = subprocess.Popen([T, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=ignore_pipe)
    p.stdout.readline(); p.stdout.close()
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
    io = dict(l.split(": ") for l in open("/proc/%d/io" % p.pid).read().splitlines())
    return int(io["rchar"]), p.wait(), p.stderr.read()
with tempfile.NamedTemporaryFile(suffix=".log") as f:
    f.write(ERR * ((64 << 20) // len(ERR))); f.flush()
    for j in ("1", "2"):
        got, rc, err = read_until_stop("-j", j, "-o", "json", f.name)
        check("EPIPE stops -j %s" % j, got < 24 << 20 and rc == 2 and
              b"Broken pipe" in err, (got, rc, err))

# D2: the built-in patterns stay linear on a 1 MiB hostile line (CPU
# seconds of the child, best of a few runs: wall time on a loaded machine
# measures the machine).
def cpu_run(*args):
    best, out = 1e9, None
    for _ in range(3):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        _, out, _ = run(*args)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return best, out
def cost(body):
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write("%s\terror\tcontrolplane\tfailed %s\n" % (TS, body))
    best = cpu_run("--color=never", f.name)[0]
    os.unlink(f.name)
    return best
plain = cost("abcd" * (1 << 18))
for hostile in ("eyJ-" * (1 << 18), "\\\\\\" * (1 << 18), "bearer " * (1 << 17),
                "-----BEGIN A" * (1 << 16), "://a:" * (1 << 18), '"a' * (1 << 19),
                "'d': '" * (1 << 17), "LS0tLS1CRUdJTi" * (1 << 16)):
    c = cost(hostile)
    check("linear on %r" % hostile[:12], c < 30 * plain + 0.5, (c, plain))

# D1, D8: the audit's own secret lines, with the bundled rules and with a
# rule that captures the token into a field, summary and fix, in every
# output; no 12-character run of any secret may appear.
SECRETS = [b"OPAQUE_MIXEDCASE_TOKEN_123", b"OPAQUE_FIELD_TOKEN_4567890",
           b"PRIVATE_D_MEMBER_SECRET_VALUE_0123456789", b"PRIVATE_P_SECRET",
           b"LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVB",
           b"URL_PASSWORD_S3cr3t", b"YWRtaW46QkFTSUNfUEFTU1dPUkQ=",
           b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
           b"MIIEvQ+12/PRIVATEKEYMATERIALabcdefghijklmnopqrstuvwxyz0123",
           b"SIG-123-SIGNATURESECRETabcdefghijklmnop"]
def leaks(out):
    return [x for x in SECRETS for i in range(len(x) - 11) if x[i:i + 12] in out][:1]
for log in ("redact-gaps.log", "redact-shape-split.log"):
    for extra in ([], ["-r", path("redact-field-context.rules.json")]):
        for mode in ([], ["-o", "json"], ["-o", "summary-json"], ["--passthrough"], ["learn"]):
            args = mode[:1] + extra + mode[1:] if mode == ["learn"] else extra + mode
            rc, out, err = run(*args, path(log))
            check("repro %s %s" % (log, " ".join(args)), not leaks(out + err),
                  leaks(out + err))
rc, out, _ = run("-r", path("redact-field-context.rules.json"), "-o", "json", path("redact-gaps.log"))
check("field-context rule fires", b'"rule":"token-rejected"' in out, out[:300])
rc, out, _ = run("--no-redact", path("redact-gaps.log"))
check("--no-redact shows a secret (the check above can fail)", bool(leaks(out)), out[:200])

# D3: a rule that backtracks spends at most its budget for the line,
# across all start positions (PCRE2's own limit is per start), and says
# so: one limit hit, naming the rule, at a small multiple of the CPU a
# plain line of the same size costs.
N = 1 << 20
M = N - 64  # the classic lines stay under max_record: no truncation
# stem: {rule: (hostile line, limit hit?)}; none of them may be diagnosed.
redos = {
    "redos-per-start": {"per-start-jit": ("REDOSH " + ("a" * 16 + "!") * (N // 17), True),
                        "per-start-nojit": ("REDOSI " + ("a" * 16 + "!") * (N // 17), True)},
    "redos-classic": {"nested-plus": ("REDOSA " + "a" * M + "!", True),
                      "alt-star": ("REDOSB " + "a" * M, True),
                      "quadratic-lazy": ("REDOSC " + "xa" * (M // 2), False),
                      "quadratic-starts": ("REDOSD " + "xa" * (M // 2), False),
                      "backref-heavy": ("REDOSE " + "w " * (M // 2), False),
                      "nojit-nested": ("REDOSF " + "a" * M + "!", True),
                      "lookahead-quad": ("REDOSG " + "a" * M, False)},
}
for stem, lines in redos.items():
    rules = path(stem + ".rules.json")
    for rule, (line, hit) in lines.items():
        with tempfile.NamedTemporaryFile("w", suffix=".log") as h, \
             tempfile.NamedTemporaryFile("w", suffix=".log") as p:
            h.write(line + "\n"); h.flush()
            p.write(line[:7] + "b" * (len(line) - 7) + "\n"); p.flush()
            hc, out = cpu_run("--no-builtin", "-r", rules, "-o", "summary-json", h.name)
            pc, _ = cpu_run("--no-builtin", "-r", rules, "-o", "summary-json", p.name)
            s = json.loads(out)
            want = [{"rule": rule, "count": 1}] if hit else []
            check("budget %s limit hits" % rule, s["limit_hits"] == len(want) and
                  s["limit_hit_rules"] == want and s["problems"] == [],
                  {k: s[k] for k in ("limit_hits", "limit_hit_rules", "problems")})
            check("budget %s cost" % rule, hc <= 20 * pc, (hc, pc))

sys.exit(1 if failures else 0)
