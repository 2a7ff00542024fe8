"""The DaemonSet shape: syslog-ng's kubernetes() source tails a fake
/var/log/containers tree of CRI files (long lines split into P and F
parts), the tsblog() SCL block diagnoses each record, and each diagnosis
carries the pod, namespace and container the file name gave.

Usage: test_kubernetes.py TSBLOG MODULE_DIR SYSLOG_NG_MODULE_DIR DATA_DIR SCL_FILE"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sng  # noqa: E402

POD, NS, CTR = "tsb-operator-control-plane-7d9c5", "istio-system", "tsb-operator"

CONFIG = """@version: 3.38
@include "scl.conf"
@include "{scl}"
source s_k8s {{ kubernetes(base-dir("{base}") cluster-name("demo")); }};
parser p_tsblog {{ tsblog(); }};
destination d_diag {{ file("{out}" template("$(format-json --key tsblog.* --key .k8s.*)\\n")); }};
log {{ source(s_k8s); parser(p_tsblog); filter {{ "${{tsblog.rule}}" ne "" }};
      destination(d_diag); flags(flow-control); }};
"""


def cri(lines, part=120):
    """CRI log lines as the kubelet writes them: lines longer than @part
    bytes in P parts ending with an F part."""
    out = []
    for i, line in enumerate(lines):
        ts = f"2026-12-03T10:00:{i:02d}.000000000Z"
        chunks = [line[k:k + part] for k in range(0, len(line), part)] or [""]
        for k, c in enumerate(chunks):
            out.append(f"{ts} stderr {'F' if k == len(chunks) - 1 else 'P'} {c}")
    return out


def main():
    tsblog, module_dirs, data_dir, scl = sng.args_or_skip(sys.argv)
    if not os.path.exists("/usr/share/syslog-ng/include/scl/kubernetes/kubernetes.conf"):
        print("SKIP: syslog-ng-scl (kubernetes()) not installed", file=sys.stderr)
        return sng.SKIP
    lines, want = sng.operator_sample(tsblog, data_dir)
    with tempfile.TemporaryDirectory(prefix="tsblog-k8s-") as tmp:
        # kubernetes() reads the names only under a .../var/log/containers
        # path (its file-name pattern); elsewhere it drops every record.
        base = os.path.join(tmp, "var", "log", "containers")
        os.makedirs(base)
        name = f"{POD}_{NS}_{CTR}-{'ab12' * 16}.log"
        records = cri(lines)
        assert any(" P " in r for r in records)
        with open(os.path.join(base, name), "w") as f:
            f.write("\n".join(records) + "\n")
        out = os.path.join(tmp, "diagnoses.jsonl")
        d = sng.SyslogNg(tmp, module_dirs,
                         CONFIG.format(scl=scl, base=base, out=out))
        try:
            d.wait_for(lambda: sng.count_lines(out) >= len(want), 40,
                       f"fewer than {len(want)} diagnoses came out")
        finally:
            d.stop()
        with open(out) as f:
            got = [json.loads(l) for l in f]
    assert [(g["tsblog"]["rule"], g["tsblog"].get("fields", {})) for g in got] == want, got
    for g in got:
        t = g["tsblog"]
        assert (t["pod"], t["namespace"], t["container"]) == (POD, NS, CTR), t
        assert g["_k8s"]["pod_name"] == POD, g
    print(f"{len(got)} diagnoses, the command's, each with pod {POD}, namespace {NS}, container {CTR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
