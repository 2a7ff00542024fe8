"""tsblog-parser() inside syslog-ng, fed over a Unix socket with flow
control: every line comes out, nothing is dropped, the diagnoses are the
command's, and a reload with broken rules keeps the old ones.

Usage: test_socket.py TSBLOG MODULE_DIR SYSLOG_NG_MODULE_DIR DATA_DIR"""
import json
import os
import random
from collections import Counter
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sng  # noqa: E402

LINES = 100_000

SITE_V1 = """{"tsblog": 1, "rules": [
  {"id": "fleet-probe", "severity": "warning", "title": "Fleet probe",
   "match": "fleet probe (?<n>[0-9]+) failed",
   "summary": "probe {n} failed",
   "examples": [{"line": "fleet probe 7 failed", "fields": {"n": "7"}}]}
]}
"""
# The same rule with a pattern PCRE2 rejects (line 3).
SITE_BROKEN = SITE_V1.replace('"fleet probe (?<n>[0-9]+) failed"',
                              '"fleet probe (?<n>[0-9]+ failed"')
SITE_V2 = SITE_V1.replace('"fleet-probe"', '"fleet-probe-v2"').replace(
    "(?<n>[0-9]+)", "(?<probe>[0-9]+)").replace(
    "{n}", "{probe}").replace('{"n": "7"}', '{"probe": "7"}')

CONFIG = """@version: 3.38
options {{ stats-level(1); log-msg-size(65536); }};
source s_in {{ unix-stream("{sock}" flags(no-parse) max-connections(4) log-iw-size(20000)); }};
parser p_tsblog {{ tsblog-parser(rules("{site}")); }};
destination d_out {{ file("{out}" template("$(format-json --key tsblog.* --pair message=$MESSAGE)\\n")); }};
log {{ source(s_in); parser(p_tsblog); destination(d_out); flags(flow-control); }};
"""


def corpus(data_dir, n):
    """n lines, ~1% failures the catalog knows, ~0.1% site probes, the
    rest the noise of a healthy mesh; fixed seed."""
    rnd = random.Random(17)
    with open(os.path.join(data_dir, "seed-lines.txt")) as f:
        seeds = [l.rstrip("\n") for l in f if l.strip()]
    with open(os.path.join(data_dir, "info-lines.txt")) as f:
        infos = [l.rstrip("\n") for l in f if l.strip()]
    out = []
    for i in range(n):
        r = rnd.random()
        ts = f"2026-12-03T10:{i // 6000 % 60:02d}:{i // 100 % 60:02d}.{i % 1000000:06d}Z"
        if r < 0.01:
            out.append(rnd.choice(seeds))
        elif r < 0.011:
            out.append(f"{ts}\twarn\tprobe\tfleet probe {i} failed")
        elif r < 0.3:
            out.append(rnd.choice(infos))
        elif r < 0.6:
            out.append(json.dumps({"level": "info", "time": ts, "msg": "Push debounce stable",
                                   "scope": "ads", "configs": i % 97}))
        else:
            out.append(f'[{ts}] "GET /api/v{i % 3}/items HTTP/1.1" 200 - via_upstream - "-" 0 '
                       f'{i % 5000} {i % 13} {i % 11} "-" "curl/8.5" "{i:08x}" "shop.local" '
                       f'"10.0.{i % 256}.{i % 200}:8080" outbound|8080||shop.local')
    return out


def diagnoses(out_path):
    """(rule, fields) of each output line with a diagnosis, and every
    message, in output order."""
    diags, messages = [], []
    with open(out_path) as f:
        for line in f:
            o = json.loads(line)
            messages.append(o["message"])
            t = o.get("tsblog")
            if t:
                diags.append((t["rule"], t.get("fields", {})))
    return diags, messages


def main():
    tsblog, module_dirs, data_dir, _ = sng.args_or_skip(sys.argv)
    with tempfile.TemporaryDirectory(prefix="tsblog-sng-") as tmp:
        sock, site, out = (os.path.join(tmp, n) for n in ("in.sock", "site.json", "out.jsonl"))
        with open(site, "w") as f:
            f.write(SITE_V1)
        lines = corpus(data_dir, LINES)
        corpus_path = os.path.join(tmp, "corpus.log")
        with open(corpus_path, "w") as f:
            f.write("\n".join(lines) + "\n")
        d = sng.SyslogNg(tmp, module_dirs,
                         CONFIG.format(sock=sock, site=site, out=out))
        try:
            sng.push(sock, corpus_path)
            d.wait_for(lambda: sng.count_lines(out) >= LINES, 120,
                       f"not all {LINES} lines came out")
            stats = d.stats()
            got, messages = diagnoses(out)
            assert messages == lines, "the messages that came out differ from those sent"
            dropped = {k: v for k, v in stats.items() if k[1] == "dropped" and v}
            assert not dropped, f"syslog-ng dropped messages: {dropped}"
            parser = {k[1]: v for k, v in stats.items() if k[0].startswith("parser;tsblog-parser;")}
            want = sng.cli_diagnoses(tsblog, "-r", site, corpus_path)
            assert parser == {"processed": LINES, "matched": len(want)}, parser
            assert len(want) > LINES // 200, len(want)
            assert any(r == "fleet-probe" for r, _ in want)
            assert got == want, next(
                (i, g, w) for i, (g, w) in enumerate(zip(got + [None] * len(want), want)) if g != w)
            print(f"{LINES} lines, {len(want)} diagnoses equal to tsblog -o json, 0 dropped")

            probe = os.path.join(tmp, "probe.log")
            with open(probe, "w") as f:
                f.write("fleet probe 41 failed\n")

            def probe_rule(expect_total):
                sng.push(sock, probe)
                d.wait_for(lambda: sng.count_lines(out) >= expect_total, 30,
                           "the probe did not come out")
                return diagnoses(out)[0][-1]

            # A broken rule file: the reload fails, syslog-ng goes on with
            # the rules it had, and says what is wrong and where.
            with open(site, "w") as f:
                f.write(SITE_BROKEN)
            r = d.ctl_cmd("reload")
            assert "failed" in (r.stdout + r.stderr).lower(), (r.returncode, r.stdout, r.stderr)
            log = d.log_text()
            assert ("tsblog-parser(): rules not loaded; error='" + site +
                    ':3:13: rule "fleet-probe": match: PCRE2 error at offset 30: '
                    "missing closing parenthesis'") in log, log
            assert probe_rule(LINES + 1) == ("fleet-probe", {"n": "41"})
            print("broken rules: reload failed, old rules kept")

            # Good rules: the new ones take effect.
            with open(site, "w") as f:
                f.write(SITE_V2)
            r = d.ctl_cmd("reload")
            assert r.returncode == 0, (r.stdout, r.stderr)
            assert probe_rule(LINES + 2) == ("fleet-probe-v2", {"probe": "41"})
            print("good rules: reload took them")

            # Four connections at once, so worker threads share the
            # parser: the same lines and diagnoses, in some interleaving.
            part = os.path.join(tmp, "part.log")
            with open(part, "w") as f:
                f.write("\n".join(lines[:20000]) + "\n")
            sng.push(sock, part, connections=4)
            d.wait_for(lambda: sng.count_lines(out) >= LINES + 2 + 80000, 120,
                       "not all lines of 4 connections came out")
            got, messages = diagnoses(out)
            key = lambda x: json.dumps(x, sort_keys=True)  # noqa: E731
            assert Counter(messages[LINES + 2:]) == Counter(lines[:20000] * 4)
            want = sng.cli_diagnoses(tsblog, "-r", site, part) * 4
            assert Counter(map(key, got[-len(want):])) == Counter(map(key, want))
            assert sum(v for k, v in d.stats().items() if k[1] == "dropped") == 0
            print(f"4 connections: {len(want)} diagnoses, the command's")
        finally:
            d.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
