#!/usr/bin/env python3
"""Generate synthetic but realistic tsblog rule files for the benchmark.

    genrules.py --count N --out FILE [--bundled rules/tsb.json]
                [--synthetic FILE] [--seed S]

FILE is a complete, valid tsblog rule file of N rules: N - 12 generated
rules, then the 12 bundled ones (with the bundled "patterns"), so that
`tsblog --no-builtin -r FILE` finds the same real failures as the bundled
catalog, plus the generated rules' own.  The generated rules come first,
as a user's rule file loaded with -r comes before the catalog.

Generated rule i (0-based) is the same in every file: its shape is one of
a dozen message shapes Go services print (cache sync failures, upstream
errors, webhook denials, lease contention, ...) and its literal phrase,
three words such as "ledger compaction stalled", is distinct from every
other rule's.  Each has a summary and a fix that use its captures, one
example (with the fields it must capture) and one counter-example, so
`tsblog rules check FILE` passes.

--synthetic FILE writes what the corpus generator (gencorpus --synthetic)
needs so that some generated rules fire: the "live" rules are those with
i % 25 == 0 (0, 25, 50, ..., 975: 40 rules; 0, 25, 50 and 75 are in the
100-rule set).  For each live rule the file holds 64 concrete message
lines with varied fields, one per line: "INDEX<TAB>SCOPE<TAB>LEVEL<TAB>
MESSAGE".  gencorpus emits each live rule at about one line in 50,000.
The messages hold no double quote or backslash, so the line-oriented
baselines see them exactly as tsblog does, whatever the envelope.
"""
import argparse
import json
import random
import sys

SEED = 20261120
LIVE_EVERY = 25
VARIANTS = 64

# Three word lists; a phrase is one of each.  None of these words is in a
# bundled rule's literals.
W1 = """ledger shard bucket mirror quota snapshot manifest tenant index journal
cursor bundle partition replica budget catalog registry topology pipeline
batch segment checkpoint watermark heartbeat session outbox inbox spool
overlay ring fanout backlog mailbox archive tombstone digest sketch bloom
rollup schema""".split()
W2 = """compaction rebalance replication handoff eviction reindex vacuum
prefetch throttle election fencing drain resync backfill rollover flush
merge split gossip probe lookup admission rotation upgrade migration
hydration pruning sampling""".split()
W3 = """stalled aborted diverged truncated throttled orphaned wedged skewed
degraded starved fenced rejected overrun underrun shed paused poisoned
deferred misrouted duplicated exhausted saturated quarantined
desynchronized""".split()

NAMESPACES = ["istio-system", "tsb", "tsb-cp", "bookinfo", "payments",
              "checkout", "default", "kube-system", "observability",
              "istio-gateway", "tetrate-system", "ledger-prod"]
NAMES = ["reviews-v2", "ratings", "productpage", "edge", "oap-deployment",
         "otel-collector", "istiod", "front-envoy", "xcp-central",
         "payments-api", "checkout-svc", "cart-7f9c", "ledger-writer",
         "inventory.v1", "gateway-eu-west-1"]
KINDS = ["secret", "configmap", "service", "endpoints", "pod", "gateway",
         "virtualservice", "destinationrule", "serviceentry", "sidecar"]
KINDS_CAP = ["Gateway", "VirtualService", "DestinationRule", "ServiceEntry",
             "Sidecar", "AuthorizationPolicy", "PeerAuthentication",
             "WorkloadEntry", "ControlPlane", "Tier1Gateway"]
COMPONENTS = ["xcp-edge", "istiod", "tsb-operator", "oap", "otel-collector",
              "front-envoy", "iam", "mpc", "xcp-central", "ratelimit"]
CLUSTERS = ["demo", "prod-eu-west-1", "gke-us-central1", "aks-westeurope-prod",
            "eks-ap-south-1", "onprem-dc2", "stg-us-east-2", "cp-lab-3"]
ORGS = ["tetrate", "acme", "acme-corp", "globex", "initech", "umbrella"]
CAUSES = ["context deadline exceeded", "connection reset by peer", "EOF"]
RECONCILE_CAUSES = [
    "the object has been modified; please apply your changes to the latest version and try again",
    "context deadline exceeded",
    "etcdserver: request timed out",
    "admission webhook denied the request",
]
ERRNOS = ["input/output error", "no space left on device",
          "read-only file system"]
GRPC = ["Unavailable", "DeadlineExceeded", "ResourceExhausted", "Internal"]

# Every shape starts with, or soon reaches, a literal.  A rule that starts
# with a character class, like "(?<component>[a-z][a-z-]+): PHRASE ...",
# is tried by PCRE2 at every lowercase letter of every line: in a trial
# the 82 rules of such a shape took as long in naive-pcre2 as the other
# 906 together (each about ten times the cost of a literal-led rule).
# That is a rule-writing problem of its own, kept out of this benchmark.
#
# Shapes: (match with PHRASE, message template, fields captured and the
# template slot each comes from, summary, fix, title, scope)
SHAPES = [
    ("failed to sync (?<kind>[a-z]+) cache for %{K8SNAME:namespace}/%{K8SNAME:name}: PHRASE after (?<after>[0-9.]+m?s)",
     "failed to sync {kind} cache for {ns}/{name}: PHRASE after {secs}",
     {"kind": "kind", "namespace": "ns", "name": "name", "after": "secs"},
     "The {kind} cache for {namespace}/{name} could not be synced (PHRASE after {after}).",
     "Check the API server load and the watch on {namespace}/{name}: kubectl -n {namespace} get {kind} {name}",
     "Informer cache sync failed", "kube"),
    ("PHRASE: upstream (?<upstream>%{HOSTPORT}) returned (?<code>[45][0-9]{2}) after (?<attempts>[0-9]+) attempts",
     "PHRASE: upstream {ip}:{port} returned {code} after {n} attempts",
     {"upstream": "ipport", "code": "code", "attempts": "n"},
     "Upstream {upstream} keeps failing with {code} ({attempts} attempts).",
     "Look at the upstream's logs and endpoints: istioctl proxy-config endpoints <pod> | grep {upstream}",
     "Upstream keeps returning errors", "proxy"),
    ("admission webhook (?<webhook>[a-z0-9.-]+) denied the request: PHRASE on %{K8SNAME:namespace}/%{K8SNAME:name}",
     "admission webhook {webhook} denied the request: PHRASE on {ns}/{name}",
     {"webhook": "webhook", "namespace": "ns", "name": "name"},
     "Webhook {webhook} refused {namespace}/{name}.",
     "Inspect the webhook configuration: kubectl get validatingwebhookconfigurations -o name | grep {webhook}",
     "Admission webhook denied a change", "webhook"),
    ("PHRASE for cluster (?<cluster>[a-z0-9-]+) in org (?<org>[a-z0-9-]+): (?<cause>context deadline exceeded|connection reset by peer|EOF) \\(component=(?<component>[a-z][a-z-]+)\\)",
     "PHRASE for cluster {cluster} in org {org}: {cause} (component={component})",
     {"component": "component", "cluster": "cluster", "org": "org", "cause": "cause"},
     "{component} failed for cluster {cluster} of organization {org}: {cause}.",
     "Check connectivity from {component} to the management plane and retry: tctl get cluster {cluster} --org {org}",
     "Cluster operation failed", "xcp"),
    ("PHRASE \\(attempt (?<attempt>[0-9]+)/(?<max>[0-9]+)\\): lease %{K8SNAME:namespace}/%{K8SNAME:lease} held by (?<holder>[a-z0-9-]+)",
     "PHRASE (attempt {n}/{max}): lease {ns}/{lease} held by {holder}",
     {"attempt": "n", "max": "max", "namespace": "ns", "lease": "lease", "holder": "holder"},
     "Lease {namespace}/{lease} is held by {holder} (attempt {attempt} of {max}).",
     "See who holds it: kubectl -n {namespace} get lease {lease} -o yaml",
     "Leader lease contention", "leader"),
    ("PHRASE\\b(*COMMIT).*?\\bnode (?<node>[a-z0-9.-]+) reported (?<errors>[0-9]+) errors",
     "PHRASE during drain of pool {pool}: node {node} reported {n} errors",
     {"node": "node", "errors": "n"},
     "Node {node} reported {errors} errors.",
     "kubectl describe node {node}",
     "Node reported errors", "nodes"),
    ("PHRASE: quota for tenant (?<tenant>[a-z0-9-]+) exceeded \\((?<used>[0-9]+)/(?<limit>[0-9]+)\\)",
     "PHRASE: quota for tenant {tenant} exceeded ({used}/{limit})",
     {"tenant": "tenant", "used": "used", "limit": "limit"},
     "Tenant {tenant} is over quota: {used} of {limit}.",
     "Raise the quota or shed load for tenant {tenant}",
     "Tenant quota exceeded", "quota"),
    ("certificate for (?<host>%{HOST}) PHRASE, expires in (?<days>[0-9]+)d",
     "certificate for {host} PHRASE, expires in {days}d",
     {"host": "host", "days": "days"},
     "The certificate for {host} expires in {days} days.",
     "Renew the certificate for {host}",
     "Certificate about to expire", "certs"),
    ("reconcile (?<kind>[A-Z][A-Za-z0-9]+) %{K8SNAME:namespace}/%{K8SNAME:name} failed: PHRASE(?:: (?<cause>[^\\t\\[]+))?",
     "reconcile {Kind} {ns}/{name} failed: PHRASE: {rcause}",
     {"kind": "Kind", "namespace": "ns", "name": "name", "cause": "rcause"},
     "Reconciling {kind} {namespace}/{name} failed: {cause}",
     "kubectl -n {namespace} get {kind} {name} -o yaml",
     "Reconcile failed", "controller"),
    ("xds (?<type>CDS|LDS|RDS|EDS) push to (?<proxy>[a-z0-9.-]+) PHRASE after (?<after>[0-9.]+m?s)",
     "xds {xds} push to {proxy} PHRASE after {secs}",
     {"type": "xds", "proxy": "proxy", "after": "secs"},
     "The {type} push to {proxy} did not complete ({after}).",
     "istioctl proxy-status {proxy}",
     "xDS push did not complete", "ads"),
    ("PHRASE: (?<op>read|write|fsync) (?<path>/var/[a-z0-9/._-]+) failed: (?<errno>input/output error|no space left on device|read-only file system)",
     "PHRASE: {op} {path} failed: {errno}",
     {"op": "op", "path": "path", "errno": "errno"},
     "{op} of {path} failed: {errno}.",
     "Check the volume behind {path}: df -h; dmesg | tail",
     "Storage error", "storage"),
    ("grpc stream (?<stream>[a-z]+-[0-9a-f]{8}) PHRASE: code = (?<code>Unavailable|DeadlineExceeded|ResourceExhausted|Internal)",
     "grpc stream {stream} PHRASE: code = {grpc}",
     {"stream": "stream", "code": "grpc"},
     "gRPC stream {stream} failed with {code}.",
     "Restart the stream's client after checking the server: kubectl -n istio-system logs deploy/edge | grep {stream}",
     "gRPC stream failed", "stream"),
]

SEVERITIES = ["error", "warning", "error", "info"]


def phrases(n):
    rng = random.Random(SEED)
    combos = [(a, b, c) for a in W1 for b in W2 for c in W3]
    rng.shuffle(combos)
    if n > len(combos):
        sys.exit("genrules: at most %d generated rules" % len(combos))
    return [" ".join(t) for t in combos[:n]]


def slot_values(rng):
    ns = rng.choice(NAMESPACES)
    return {
        "kind": rng.choice(KINDS),
        "Kind": rng.choice(KINDS_CAP),
        "ns": ns,
        "name": rng.choice(NAMES) + ("-%x" % rng.randrange(16 ** 4) if rng.random() < 0.5 else ""),
        "secs": rng.choice(["%d.%03ds" % (rng.randrange(60), rng.randrange(1000)),
                            "%dms" % rng.randrange(1, 999), "%ds" % rng.randrange(1, 90)]),
        "ip": "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)),
        "port": str(rng.choice([8080, 9080, 8443, 15012, 9443, 3000, 5432])),
        "code": str(rng.choice([500, 502, 503, 504, 429, 404, 403])),
        "n": str(rng.randrange(1, 30)),
        "max": str(rng.randrange(30, 60)),
        "webhook": rng.choice(["validation.istio.io", "webhook.xcp.tetrate.io",
                               "policy.gatekeeper.sh", "vpa.k8s.io", "kyverno.svc"]),
        "component": rng.choice(COMPONENTS),
        "cluster": rng.choice(CLUSTERS),
        "org": rng.choice(ORGS),
        "cause": rng.choice(CAUSES),
        "rcause": rng.choice(RECONCILE_CAUSES),
        "lease": rng.choice(["istio-leader", "xcp-edge-lock", "tsb-operator-lock",
                             "ingress-controller-leader", "ledger-writer"]),
        "holder": "%s-%x" % (rng.choice(NAMES).split(".")[0], rng.randrange(16 ** 6)),
        "pool": rng.choice(["default-pool", "spot-a", "system", "gpu-1"]),
        "node": "gke-%s-%s-%08x-%s" % (rng.choice(CLUSTERS), rng.choice(["default-pool", "spot"]),
                                       rng.randrange(16 ** 8), "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(4))),
        "tenant": "%s-%s" % (rng.choice(ORGS), rng.choice(["prod", "stg", "dev", "eu", "us"])),
        "used": str(rng.randrange(100, 10000)),
        "limit": str(rng.randrange(100, 10000)),
        "host": rng.choice(["tsb", "api", "payments", "ledger", "auth"]) + "." +
        rng.choice(["tetrate.io", "example.com", "acme.internal", "corp.example"]),
        "days": str(rng.randrange(1, 30)),
        "xds": rng.choice(["CDS", "LDS", "RDS", "EDS"]),
        "proxy": "%s-%x.%s" % (rng.choice(NAMES).split(".")[0], rng.randrange(16 ** 5), ns),
        "op": rng.choice(["read", "write", "fsync"]),
        "path": rng.choice(["/var/lib/ledger/wal/0000%d.log" % rng.randrange(10),
                            "/var/run/secrets/tokens/xcp-token", "/var/cache/oap/segment-%d" % rng.randrange(99)]),
        "errno": rng.choice(ERRNOS),
        "stream": "%s-%08x" % (rng.choice(["configs", "clusterstate", "status", "events"]), rng.randrange(16 ** 8)),
        "grpc": rng.choice(GRPC),
    }


def render(template, phrase, vals):
    out = template.replace("PHRASE", phrase)
    vals = dict(vals, ipport=vals["ip"] + ":" + vals["port"])
    for k, v in vals.items():
        out = out.replace("{" + k + "}", v)
    return out, vals


def rule(i, phrase):
    shape = SHAPES[i % len(SHAPES)]
    match, tmpl, fields, summary, fix, title, scope = shape
    rng = random.Random(SEED * 1000 + i)
    line, vals = render(tmpl, phrase, slot_values(rng))
    ex_fields = {f: vals[slot] for f, slot in fields.items()}
    # A near miss: the same message with the phrase's last word changed.
    words = phrase.split()
    other = W3[(W3.index(words[2]) + 1) % len(W3)]
    counter = line.replace(phrase, " ".join(words[:2] + [other]))
    slug = "-".join(words)
    return {
        "id": "gen-%04d-%s" % (i, slug),
        "severity": SEVERITIES[i % len(SEVERITIES)],
        "component": COMPONENTS[i % len(COMPONENTS)],
        "title": "%s (%s)" % (title, phrase),
        "match": match.replace("PHRASE", phrase),
        "summary": summary.replace("PHRASE", phrase),
        "fix": [fix],
        "docs": "Generated by tools/bench/genrules.py for the benchmark; not a real diagnosis.",
        "examples": [{"line": "2026-11-20T08:14:02.401127Z\t%s\t%s\t%s" % (
            "error", scope, line), "fields": ex_fields}],
        "counter_examples": [counter],
    }


def synthetic_lines(i, phrase):
    shape = SHAPES[i % len(SHAPES)]
    rng = random.Random(SEED * 7 + i)
    out = []
    for _ in range(VARIANTS):
        line, _vals = render(shape[1], phrase, slot_values(rng))
        assert '"' not in line and "\\" not in line and "\t" not in line
        out.append("%d\t%s\t%s\t%s" % (i, shape[6], rng.choice(["error", "warn", "error"]), line))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, help="rules in the file, bundled ones included")
    ap.add_argument("--out", help="the rule file to write")
    ap.add_argument("--bundled", default="rules/tsb.json")
    ap.add_argument("--synthetic", help="write the corpus generator's live-rule messages here")
    ap.add_argument("--max", type=int, default=988,
                    help="the largest number of generated rules (live rules are chosen below it)")
    a = ap.parse_args()

    with open(a.bundled, encoding="utf-8") as f:
        bundled = json.load(f)
    nb = len(bundled["rules"])
    # The file stands alone: see_also into other catalog files would fail
    # its check.
    ids = {r["id"] for r in bundled["rules"]}
    for r in bundled["rules"]:
        if "see_also" in r:
            r["see_also"] = [x for x in r["see_also"] if x in ids]
    if a.out:
        ngen = a.count - nb
        if ngen < 0:
            sys.exit("genrules: --count is below the %d bundled rules" % nb)
        ph = phrases(max(ngen, 1))
        doc = {
            "tsblog": 1,
            "patterns": bundled.get("patterns", {}),
            "rules": [rule(i, ph[i]) for i in range(ngen)] + bundled["rules"],
        }
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")
    if a.synthetic:
        ph = phrases(a.max)
        with open(a.synthetic, "w", encoding="utf-8") as f:
            for i in range(0, a.max, LIVE_EVERY):
                for ln in synthetic_lines(i, ph[i]):
                    f.write(ln + "\n")
    if not a.out and not a.synthetic:
        ap.error("nothing to do: give --out or --synthetic")


if __name__ == "__main__":
    main()
