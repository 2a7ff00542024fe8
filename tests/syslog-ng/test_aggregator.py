"""The aggregator shape: records arrive as JSON lines the way Fluent Bit
(or the Logging Operator's agents) forward them, json-parser() unpacks
them, a rewrite hands the agent's Kubernetes names to tsblog() as
.k8s.*, and template() points it at the log line.

Usage: test_aggregator.py TSBLOG MODULE_DIR SYSLOG_NG_MODULE_DIR DATA_DIR SCL_FILE"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sng  # noqa: E402

POD, NS, CTR = "edge-66f8c9d8b5-4kq2x", "istio-system", "edge"

CONFIG = """@version: 3.38
@include "{scl}"
source s_agent {{ unix-stream("{sock}" flags(no-parse)); }};
parser p_json {{ json-parser(prefix("json.")); }};
rewrite r_k8s {{
    set("${{json.kubernetes.pod_name}}" value(".k8s.pod_name"));
    set("${{json.kubernetes.namespace_name}}" value(".k8s.namespace_name"));
    set("${{json.kubernetes.container_name}}" value(".k8s.container_name"));
}};
parser p_tsblog {{ tsblog(template("${{json.log}}")); }};
destination d_diag {{ file("{out}" template("$(format-json --key tsblog.*)\\n")); }};
log {{ source(s_agent); parser(p_json); rewrite(r_k8s); parser(p_tsblog);
      filter {{ "${{tsblog.rule}}" ne "" }}; destination(d_diag); flags(flow-control); }};
"""


def main():
    tsblog, module_dirs, data_dir, scl = sng.args_or_skip(sys.argv)
    lines, want = sng.operator_sample(tsblog, data_dir)
    with tempfile.TemporaryDirectory(prefix="tsblog-agg-") as tmp:
        sock, out = os.path.join(tmp, "in.sock"), os.path.join(tmp, "out.jsonl")
        records = os.path.join(tmp, "records.jsonl")
        with open(records, "w") as f:
            for line in lines:
                f.write(json.dumps({"log": line, "stream": "stderr", "kubernetes": {
                    "pod_name": POD, "namespace_name": NS, "container_name": CTR}}) + "\n")
        d = sng.SyslogNg(tmp, module_dirs,
                         CONFIG.format(scl=scl, sock=sock, out=out))
        try:
            sng.push(sock, records)
            d.wait_for(lambda: sng.count_lines(out) >= len(want), 30,
                       f"fewer than {len(want)} diagnoses came out")
        finally:
            d.stop()
        with open(out) as f:
            got = [json.loads(l)["tsblog"] for l in f]
    assert [(t["rule"], t.get("fields", {})) for t in got] == want, got
    for t in got:
        assert (t["pod"], t["namespace"], t["container"]) == (POD, NS, CTR), t
    print(f"{len(got)} diagnoses from forwarded JSON records, the command's, with the agent's names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
