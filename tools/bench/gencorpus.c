/*
 * gencorpus: write a deterministic, realistic Kubernetes/Istio/TSB log for
 * the benchmark.
 *
 *   gencorpus SIZE_MB OUT [--seed N] [--synthetic FILE] [--meta FILE]
 *             [--blocks]
 *
 * The same arguments always give the same bytes.  The log is what a
 * support bundle of a TSB control plane cluster looks like when its logs
 * are concatenated:
 *
 *   ~36%  Istio/TSB console lines  TIME<TAB>LEVEL<TAB>SCOPE<TAB>MESSAGE
 *   ~28%  Envoy access logs        [TIME] "GET /path HTTP/1.1" 200 ...
 *   ~18%  JSON lines               zap (xcp, otel) and istio --log_as_json
 *   ~14%  klog lines               kubelet (often behind a journald prefix)
 *         and client-go in pods
 *   some lines behind `kubectl logs --prefix` ([pod/NAME/CONTAINER] ) and
 *   `--timestamps` (RFC 3339 with nanoseconds) prefixes, a few with ANSI
 *   colour.  With --blocks, now and then a whole `kubectl describe pod`
 *   or `kubectl get events` output (headers included) as well, as in a
 *   support bundle whose files were concatenated.
 *
 * About one line in 1,000 is a real failure from the bundled catalog:
 * the message templates are the ones of tests/data/seed-lines.txt, with
 * hosts, cluster names, orgs, namespaces, IPs, volumes and retry
 * durations varied, in every envelope the seed shows (console, JSON,
 * klog, kubectl prefixes, describe and events rows, journald).  About one
 * line in 300 is a near miss: same literals ("token rotation failed",
 * "error getting stream", "MountVolume.SetUp", "x509"), no rule matches.
 *
 * --synthetic FILE (from genrules.py --synthetic) adds lines for the
 * "live" generated rules: each live rule's messages appear about once in
 * 50,000 lines.
 *
 * --meta FILE (default OUT.meta.json) records what was written: lines,
 * bytes, and how many failure lines per rule id and per generated rule
 * index, so the runner knows how many matching lines to expect.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof(*(a)))

/* --- random numbers: xoshiro256** seeded by splitmix64 ---------------- */

static uint64_t rs[4];

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rnd64(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* uniform in [0, n) */
static unsigned
rnd(unsigned n)
{
	return n ? (unsigned)((rnd64() >> 32) * n >> 32) : 0;
}

/* true with probability p */
static int
chance(double p)
{
	return (double)(rnd64() >> 11) * (1.0 / 9007199254740992.0) < p;
}

#define PICK(a) ((a)[rnd(N(a))])

/* --- string builder ---------------------------------------------------- */

typedef struct {
	char *p;
	size_t n, cap;
} sb;

static void
sb_grow(sb *b, size_t more)
{
	if (b->n + more + 1 <= b->cap)
		return;
	while (b->n + more + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 1024;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		perror("gencorpus");
		exit(2);
	}
}

static void
sb_putn(sb *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
sb_puts(sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void
sb_putc(sb *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_printf(sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
sb_printf(sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_grow(b, (size_t)k);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

/* JSON string body (no quotes). */
static void
sb_json(sb *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			sb_putc(b, '\\');
			sb_putc(b, (char)c);
		} else if (c == '\t') {
			sb_puts(b, "\\t");
		} else if (c < 0x20) {
			sb_printf(b, "\\u%04x", c);
		} else {
			sb_putc(b, (char)c);
		}
	}
}

/* --- the clock: microseconds since 2026-11-20T00:00:00Z ---------------- */

#define EPOCH_20261120 1795132800ULL /* 2026-11-20T00:00:00Z */

static uint64_t now_us = 8ULL * 3600 * 1000000;

static void
split_time(uint64_t t, unsigned *day, unsigned *h, unsigned *m, unsigned *s,
	   unsigned *us)
{
	uint64_t sec = t / 1000000;
	*us = (unsigned)(t % 1000000);
	*day = 20 + (unsigned)(sec / 86400); /* a corpus spans hours, not weeks */
	sec %= 86400;
	*h = (unsigned)(sec / 3600);
	*m = (unsigned)(sec / 60 % 60);
	*s = (unsigned)(sec % 60);
}

/* 2026-11-20T08:14:02.401127Z */
static void
ts_us(sb *b, uint64_t t)
{
	unsigned d, h, m, s, us;
	split_time(t, &d, &h, &m, &s, &us);
	sb_printf(b, "2026-11-%02uT%02u:%02u:%02u.%06uZ", d, h, m, s, us);
}

/* 2026-11-20T08:14:02.401Z (Envoy) */
static void
ts_ms(sb *b, uint64_t t)
{
	unsigned d, h, m, s, us;
	split_time(t, &d, &h, &m, &s, &us);
	sb_printf(b, "2026-11-%02uT%02u:%02u:%02u.%03uZ", d, h, m, s, us / 1000);
}

/* 2026-11-20T08:14:02.401532861Z (kubectl logs --timestamps) */
static void
ts_ns(sb *b, uint64_t t)
{
	unsigned d, h, m, s, us;
	split_time(t, &d, &h, &m, &s, &us);
	sb_printf(b, "2026-11-%02uT%02u:%02u:%02u.%06u%03uZ", d, h, m, s, us,
		  rnd(1000));
}

/* I1120 08:14:02.401127 (klog, without the level letter) */
static void
ts_klog(sb *b, uint64_t t)
{
	unsigned d, h, m, s, us;
	split_time(t, &d, &h, &m, &s, &us);
	sb_printf(b, "11%02u %02u:%02u:%02u.%06u", d, h, m, s, us);
}

/* Nov 20 08:14:02 (journald) */
static void
ts_journal(sb *b, uint64_t t)
{
	unsigned d, h, m, s, us;
	split_time(t, &d, &h, &m, &s, &us);
	sb_printf(b, "Nov %02u %02u:%02u:%02u", d, h, m, s);
}

/* 1795162442.401127 (zap epoch seconds) */
static void
ts_epoch(sb *b, uint64_t t)
{
	sb_printf(b, "%llu.%06llu",
		  (unsigned long long)(EPOCH_20261120 + t / 1000000),
		  (unsigned long long)(t % 1000000));
}

/* --- pools ------------------------------------------------------------- */

static const char *const APP_NS[] = { "bookinfo", "payments", "checkout",
				      "ledger-prod", "frontend", "default" };
static const char *const APPS[] = {
	"reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1", "details-v1",
	"productpage-v1", "payments-api", "checkout-svc", "cart", "ledger-writer",
	"frontend", "inventory", "catalog", "notifications", "search-api",
};
static const char *const SYS_APPS[] = {
	"istiod", "istio-ingressgateway", "edge", "oap-deployment",
	"otel-collector", "tsb-operator-control-plane", "xcp-operator-edge",
	"onboarding-operator", "metric-server", "envoy",
};
static const char *const SVCS[] = {
	"reviews", "ratings", "details", "productpage", "payments", "checkout",
	"cart", "ledger", "frontend", "inventory", "catalog", "search",
};
static const char *const KINDS[] = { "Gateway", "VirtualService",
				     "DestinationRule", "ServiceEntry",
				     "Sidecar", "AuthorizationPolicy",
				     "PeerAuthentication", "WorkloadEntry" };
static const char *const CP_NS[] = { "istio-system", "istio-system",
				     "istio-system", "tsb-cp", "istio-cp",
				     "tetrate-system", "cp-prod" };
static const char *const CLUSTERS[] = {
	"demo", "prod-eu-west-1", "prod-eu-west-2", "gke-us-central1",
	"aks-westeurope-prod", "aks-westeurope-stg", "eks-ap-south-1",
	"onprem-dc2", "stg-us-east-2", "cp-lab-3", "gke_us-central1", "not-demo",
};
static const char *const ORGS[] = { "tetrate", "acme", "acme-corp", "globex",
				    "initech", "umbrella" };
static const char *const MP_HOSTS[] = {
	"tsb.tetrate.io", "tsb.example.com", "mp.prod.example.com", "tsb.acme.io",
	"tsb.corp.example", "tsb-mp.globex.internal", "mp.initech.net",
};
static const char *const CERT_NAMES[] = {
	"demo.tsb.tetrate.io", "tsb.internal, *.tsb.internal",
	"tsb-mp.internal, *.svc.cluster.local", "xcp.tetrate.io",
	"front-envoy.tsb.svc.cluster.local", "10.0.0.1, 10.0.0.2",
	"*.tetrate.io", "localhost",
};
static const char *const XCP_NAMES[] = { "xcp.tetrate.io", "xcp-central.tsb.svc",
					 "central.xcp.internal" };
static const char *const STREAMS[] = { "configs", "clusterstate", "status",
				       "events", "clusters" };
static const char *const UAS[] = {
	"curl/8.0.1", "Go-http-client/1.1", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"python-requests/2.31.0", "kube-probe/1.29", "okhttp/4.12.0",
	"grpc-go/1.64.0", "Envoy/HC",
};
static const char *const METHODS[] = { "GET", "GET", "GET", "GET", "POST",
				       "POST", "PUT", "DELETE", "PATCH" };
static const char *const COMPONENTS[] = { "xcpOperator", "istio", "oap",
					  "otelCollector", "ngac", "frontEnvoy",
					  "rateLimitServer", "gitops" };
/* the container of each SYS_APPS entry, same order */
static const char *const SYS_CONTAINERS[] = {
	"discovery", "istio-proxy", "edge", "oap", "otel-collector",
	"tsb-operator", "operator", "onboarding-operator", "metric-server",
	"envoy",
};

typedef struct {
	char name[64], ns[24], app[40], ctr[24], ip[20], uid[40];
	char rs[56]; /* its ReplicaSet */
} pod_t;

#define NPODS 240
static pod_t pods[NPODS];
static const char *nodes[12];
static char node_store[12][64];

static void
hex(char *out, unsigned n)
{
	static const char h[] = "0123456789abcdef";
	unsigned i;
	for (i = 0; i < n; i++)
		out[i] = h[rnd(16)];
	out[n] = '\0';
}

static void
alnum(char *out, unsigned n)
{
	static const char a[] = "bcdfghjklmnpqrstvwxz2456789";
	unsigned i;
	for (i = 0; i < n; i++)
		out[i] = a[rnd(sizeof(a) - 1)];
	out[n] = '\0';
}

static void
uuid(char *out)
{
	char h[33];
	hex(h, 32);
	snprintf(out, 37, "%.8s-%.4s-4%.3s-%c%.3s-%.12s", h, h + 8, h + 12,
		 "89ab"[rnd(4)], h + 15, h + 18);
}

static void
init_pools(void)
{
	unsigned i;
	for (i = 0; i < N(nodes); i++) {
		char h[9], a[5];
		hex(h, 8);
		alnum(a, 4);
		snprintf(node_store[i], sizeof(node_store[i]),
			 "gke-%s-default-pool-%s-%s", PICK(CLUSTERS), h, a);
		nodes[i] = node_store[i];
	}
	for (i = 0; i < NPODS; i++) {
		pod_t *p = &pods[i];
		char rs[11], suf[6];
		int sys = i % 4 == 0;
		alnum(rs, 9 + rnd(2));
		alnum(suf, 5);
		unsigned k = rnd(N(SYS_APPS));
		snprintf(p->app, sizeof(p->app), "%s", sys ? SYS_APPS[k] : PICK(APPS));
		snprintf(p->ns, sizeof(p->ns), "%s", sys ? "istio-system" : PICK(APP_NS));
		snprintf(p->name, sizeof(p->name), "%s-%s-%s", p->app, rs, suf);
		snprintf(p->rs, sizeof(p->rs), "%s-%s", p->app, rs);
		snprintf(p->ctr, sizeof(p->ctr), "%s",
			 sys ? SYS_CONTAINERS[k] : rnd(3) ? "istio-proxy" : p->app);
		snprintf(p->ip, sizeof(p->ip), "10.%u.%u.%u", 4 + rnd(4), rnd(256),
			 2 + rnd(250));
		uuid(p->uid);
	}
}

static const pod_t *
any_pod(void)
{
	return &pods[rnd(NPODS)];
}

/* Go durations as retry loops print them. */
static void
go_dur(sb *b)
{
	switch (rnd(6)) {
	case 0: sb_puts(b, "15m0s"); break;
	case 1: sb_printf(b, "%um%us", 1 + rnd(9), rnd(60)); break;
	case 2: sb_printf(b, "%uh0m0s", 1 + rnd(2)); break;
	case 3: sb_printf(b, "%u.%us", 1 + rnd(59), rnd(10)); break;
	default: sb_printf(b, "%um%u.%03us", rnd(10), rnd(60), rnd(1000));
	}
}

static void
float_dur(sb *b)
{
	switch (rnd(3)) {
	case 0: sb_printf(b, "%u.%09us", rnd(30), rnd(1000000000)); break;
	case 1: sb_printf(b, "%u.%us", 1 + rnd(30), rnd(100)); break;
	default: sb_printf(b, "%u.%06us", rnd(30), rnd(1000000));
	}
}

static void
ipv4(sb *b)
{
	if (rnd(3))
		sb_printf(b, "10.%u.%u.%u", rnd(256), rnd(256), 1 + rnd(254));
	else
		sb_printf(b, "%u.%u.%u.%u", 34 + rnd(2), 100 + rnd(130), rnd(256),
			  1 + rnd(254));
}

/* --- the output -------------------------------------------------------- */

static FILE *out;
static uint64_t bytes_out, lines_out;
static sb line, msg, tmp;

static void
put_line(const sb *b)
{
	fwrite(b->p, 1, b->n, out);
	fputc('\n', out);
	bytes_out += b->n + 1;
	lines_out++;
}

/* kubectl logs --prefix / --timestamps around a pod's line */
static void
kubectl_wrap(sb *dst, const pod_t *p, const sb *body)
{
	dst->n = 0;
	if (chance(0.15))
		sb_printf(dst, "[pod/%s/%s] ", p->name, p->ctr);
	if (chance(0.12)) {
		ts_ns(dst, now_us + 1000 + rnd(90000));
		sb_putc(dst, ' ');
	}
	sb_putn(dst, body->p, body->n);
}

static void
emit_pod_line(const pod_t *p, const sb *body)
{
	kubectl_wrap(&line, p, body);
	put_line(&line);
}

/* --- the failures ------------------------------------------------------ */

enum family { FAM_OP, FAM_EDGE, FAM_KUBELET };

typedef struct {
	enum family fam;
	const char *rule; /* NULL: decided by the volume/secret pair */
	const char *tmpl;
	unsigned weight;
} failure_t;

static const failure_t FAILURES[] = {
	{ FAM_OP, "cp-sa-secret-missing",
	  "token rotation failed, retrying in {gdur}: secret {cpns}/cluster-service-account not found: Secret \"cluster-service-account\" not found", 14 },
	{ FAM_OP, "cp-cluster-name-mismatch",
	  "token rotation failed, retrying in {gdur}: cluster has been configured with incorrect service account secret. ControlPlane CR has cluster name \"{cluster}\", but service account secret has \"organizations/{org}/clusters/{cluster2}\"", 10 },
	{ FAM_OP, "cp-mp-cert-name-mismatch",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: {tlsv}x509: certificate is valid for {certnames}, not {mphost}\"", 8 },
	{ FAM_OP, "cp-mp-cert-name-mismatch",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is not valid for any names, but wanted to match {mphost}\"", 3 },
	{ FAM_OP, "cp-mp-cert-name-mismatch",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: x509: cannot validate certificate for {ip} because it doesn't contain any IP SANs\"", 3 },
	{ FAM_OP, "cp-mp-cert-name-mismatch",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = last connection error: connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for {n} names, but none matched {mphost}\"", 2 },
	{ FAM_OP, "cp-mp-cert-unknown-authority",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: {tlsv}x509: certificate signed by unknown authority\"", 8 },
	{ FAM_OP, "cp-mp-cert-unknown-authority",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of \\\"crypto/rsa: verification error\\\" while trying to verify candidate authority certificate \\\"tsb-root-ca\\\")\"", 2 },
	{ FAM_OP, "tls-cert-expired",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {isonow} is after 2026-11-19T00:00:00Z\"", 4 },
	{ FAM_OP, "mp-unreachable",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp {ip}:{mpport}: connect: connection refused\"", 5 },
	{ FAM_OP, "mp-unreachable",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp: lookup {mphost} on 10.96.0.10:53: no such host\"", 5 },
	{ FAM_OP, "mp-unreachable",
	  "token rotation failed, retrying in {fdur}: generate tokens: rpc error: code = Unavailable desc = name resolver error: produced zero addresses", 2 },
	{ FAM_EDGE, "edge-xcp-cert-name-mismatch",
	  "error getting stream. retrying in {fdur}: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: {tlsv}x509: certificate is valid for {xcpnames}, not {mphost}\"", 8 },
	{ FAM_EDGE, "edge-xcp-cert-name-mismatch",
	  "error getting stream. retrying in {fdur}: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for {n} IP SANs, but none matched {ip}\"", 2 },
	{ FAM_EDGE, "edge-xcp-cert-unknown-authority",
	  "error getting stream. retrying in {fdur}: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: {tlsv}x509: certificate signed by unknown authority\"", 5 },
	{ FAM_EDGE, "mp-unreachable",
	  "error getting stream. retrying in {fdur}: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp {ip}:9443: i/o timeout\"", 4 },
	{ FAM_KUBELET, NULL,
	  "MountVolume.SetUp failed for volume \"{mvol}\" : {mkind} \"{mname}\" not found", 12 },
	{ FAM_KUBELET, "edge-volumes-unmounted",
	  "Unable to attach or mount volumes: unmounted volumes=[{vols}], unattached volumes=[{uvols}]: timed out waiting for the condition", 5 },
	{ FAM_KUBELET, "edge-volumes-unmounted",
	  "Unable to attach or mount volumes: unmounted volumes=[{vols}], unattached volumes=[], failed to process volumes=[]: context deadline exceeded", 2 },
};

/* Volume, kind, object, rule: which rule a MountVolume failure hits. */
static const struct {
	const char *vol, *kind, *name, *rule;
} MOUNTS[] = {
	{ "xcp-central-auth-jwt", "secret", "xcp-edge-central-auth-token", "edge-auth-token-secret-missing" },
	{ "xcp-central-auth-jwt", "secrets", "xcp-edge-central-auth-token", "edge-auth-token-secret-missing" },
	{ "xcp-central-auth-ca", "secret", "xcp-central-ca-bundle", "edge-ca-bundle-secret-missing" },
	{ "xcp-central-auth-ca", "secret", "xcp-central-ca-bundle", "edge-ca-bundle-secret-missing" },
	{ "ngac-token", "secret", "ngac-token", "tsb-secret-missing" },
	{ "oap-token", "secret", "oap-token", "tsb-secret-missing" },
	{ "otel-token", "secrets", "otel-token", "tsb-secret-missing" },
	{ "webhook-certs", "secret", "xcp-edge-webhook-cert", "tsb-secret-missing" },
	{ "config-volume", "configmaps", "otel-collector-config", "tsb-secret-missing" },
	{ "mp-certs", "secret", "mp-cert", "tsb-secret-missing" },
	{ "es-certs", "secret", "es-certs", "tsb-secret-missing" },
};
static unsigned cur_mount;

static const char *const VOLS[] = { "xcp-central-auth-ca", "xcp-central-auth-jwt",
				    "xcp-central-auth-jwt xcp-central-auth-ca" };

/* Expand {NAME} slots of a template into b. */
static void
fill(sb *b, const char *t)
{
	while (*t) {
		const char *close;
		char name[32];
		size_t k;
		if (*t != '{' || !(close = strchr(t, '}')) ||
		    (k = (size_t)(close - t - 1)) >= sizeof(name)) {
			sb_putc(b, *t++);
			continue;
		}
		memcpy(name, t + 1, k);
		name[k] = '\0';
		t = close + 1;
		if (!strcmp(name, "gdur"))
			go_dur(b);
		else if (!strcmp(name, "fdur"))
			float_dur(b);
		else if (!strcmp(name, "cpns"))
			sb_puts(b, PICK(CP_NS));
		else if (!strcmp(name, "cluster"))
			sb_puts(b, CLUSTERS[rnd(N(CLUSTERS) / 2) * 2]);
		else if (!strcmp(name, "cluster2"))
			sb_puts(b, CLUSTERS[rnd(N(CLUSTERS) / 2) * 2 + 1]);
		else if (!strcmp(name, "org"))
			sb_puts(b, PICK(ORGS));
		else if (!strcmp(name, "tlsv"))
			sb_puts(b, rnd(3) ? "tls: failed to verify certificate: " : "");
		else if (!strcmp(name, "certnames"))
			sb_puts(b, PICK(CERT_NAMES));
		else if (!strcmp(name, "xcpnames"))
			sb_puts(b, PICK(XCP_NAMES));
		else if (!strcmp(name, "mphost"))
			sb_puts(b, PICK(MP_HOSTS));
		else if (!strcmp(name, "mpport"))
			sb_puts(b, rnd(2) ? "8443" : "443");
		else if (!strcmp(name, "ip"))
			ipv4(b);
		else if (!strcmp(name, "n"))
			sb_printf(b, "%u", 2 + rnd(400));
		else if (!strcmp(name, "isonow")) {
			unsigned d, h, m, s, us;
			split_time(now_us, &d, &h, &m, &s, &us);
			sb_printf(b, "2026-11-%02uT%02u:%02u:%02uZ", d, h, m, s);
		} else if (!strcmp(name, "mvol"))
			sb_puts(b, MOUNTS[cur_mount].vol);
		else if (!strcmp(name, "mkind"))
			sb_puts(b, MOUNTS[cur_mount].kind);
		else if (!strcmp(name, "mname"))
			sb_puts(b, MOUNTS[cur_mount].name);
		else if (!strcmp(name, "vols"))
			sb_puts(b, PICK(VOLS));
		else if (!strcmp(name, "uvols")) {
			static const char *const u[] = {
				"config-map-volume", "xcp-central-auth-jwt",
				"xcp-central-auth-ca", "xcp-edge-webhook-ca",
				"webhook-certs" };
			unsigned i, start = rnd(N(u));
			char a[6];
			for (i = 0; i < N(u); i++)
				sb_printf(b, "%s ", u[(start + i) % N(u)]);
			alnum(a, 5);
			sb_printf(b, "kube-api-access-%s", a);
		} else {
			fprintf(stderr, "gencorpus: unknown slot {%s}\n", name);
			exit(2);
		}
	}
}

/* --- statistics for the meta file -------------------------------------- */

#define MAX_RULES 64
static struct {
	const char *rule;
	uint64_t n, json;
} by_rule[MAX_RULES];
static uint64_t failures, failures_json, near_misses, synthetic_total, blocks;

static void
count_rule(const char *rule, int json)
{
	unsigned i;
	failures++;
	failures_json += json != 0;
	for (i = 0; i < MAX_RULES && by_rule[i].rule; i++)
		if (!strcmp(by_rule[i].rule, rule))
			break;
	if (i == MAX_RULES)
		return;
	by_rule[i].rule = rule;
	by_rule[i].n++;
	by_rule[i].json += json != 0;
}

/* --- envelopes for a message -------------------------------------------- */

/* Istio/TSB console: TIME<TAB>LEVEL<TAB>SCOPE<TAB>MSG */
static void
console(sb *b, const char *level, const char *scope, const char *m,
	const char *tail)
{
	b->n = 0;
	ts_us(b, now_us);
	sb_printf(b, "\t%s\t%s\t%s%s", level, scope, m, tail ? tail : "");
}

/* zap / istio --log_as_json; extra is ,"k":"v"... already encoded */
static void
json_line(sb *b, const char *level, const char *scope, const char *m,
	  const char *extra)
{
	b->n = 0;
	if (rnd(2)) {
		sb_printf(b, "{\"level\":\"%s\",\"time\":\"", level);
		ts_us(b, now_us);
		sb_printf(b, "\",\"scope\":\"%s\",\"msg\":\"", scope);
	} else {
		sb_printf(b, "{\"level\":\"%s\",\"ts\":", level);
		ts_epoch(b, now_us);
		sb_printf(b, ",\"logger\":\"%s\",\"caller\":\"%s/%s.go:%u\",\"msg\":\"",
			  scope, scope, rnd(2) ? "client" : "reconcile", 40 + rnd(400));
	}
	sb_json(b, m);
	sb_puts(b, "\"");
	if (extra)
		sb_puts(b, extra);
	sb_puts(b, "}");
}

static void
klog_line(sb *b, char level, const char *file, const char *m)
{
	b->n = 0;
	sb_putc(b, level);
	ts_klog(b, now_us);
	sb_printf(b, "%8u %s:%u] %s", 1 + rnd(3) * rnd(3000), file, 40 + rnd(2000), m);
}

static const pod_t *
pod_of_app(const char *app)
{
	unsigned i, start = rnd(NPODS);
	for (i = 0; i < NPODS; i++) {
		const pod_t *p = &pods[(start + i) % NPODS];
		if (!strcmp(p->app, app))
			return p;
	}
	return any_pod();
}

/* Emit a message of a control plane component in one of the envelopes
 * its logs come in.  Returns 1 when the line is JSON-encoded. */
static int
emit_component(const char *app, const char *level, const char *scope,
	       const char *m, const char *console_tail, const char *json_extra)
{
	const pod_t *p = pod_of_app(app);
	unsigned e = rnd(100);
	int json = 0;

	if (e < 55) {
		console(&tmp, level, scope, m, console_tail);
	} else if (e < 60) {
		/* no timestamp of its own */
		tmp.n = 0;
		sb_printf(&tmp, "%s\t%s\t%s%s", level, scope, m,
			  console_tail ? console_tail : "");
	} else if (e < 68) {
		/* kubectl logs --timestamps of a line without one */
		tmp.n = 0;
		ts_ns(&tmp, now_us);
		sb_printf(&tmp, " %s\t%s\t%s%s", level, scope, m,
			  console_tail ? console_tail : "");
	} else if (e < 90) {
		json_line(&tmp, level, scope, m, json_extra);
		json = 1;
	} else {
		klog_line(&tmp, level[0] == 'e' ? 'E' : 'W', "rotate.go", m);
	}
	emit_pod_line(p, &tmp);
	return json;
}

static const pod_t *
pod_for_events(void)
{
	static const char *const apps[] = { "edge", "oap-deployment",
					    "otel-collector", "reviews-v1",
					    "istiod", "payments-api" };
	return pod_of_app(PICK(apps));
}

static void
age(sb *b)
{
	unsigned s = 5 + rnd(900);
	if (s < 60)
		sb_printf(b, "%us", s);
	else if (rnd(2))
		sb_printf(b, "%um%us", s / 60, s % 60);
	else
		sb_printf(b, "%um", s / 60);
}

/* One kubelet failure as a describe row, an events table row (kubectl
 * get events without its header), or journald + klog. */
static void
emit_kubelet(const char *m, int can_journal)
{
	unsigned e = rnd(100);

	tmp.n = 0;
	if (can_journal && e < 30) {
		const pod_t *p = pod_for_events();
		char vol[64];
		snprintf(vol, sizeof(vol), "%s", MOUNTS[cur_mount].vol);
		ts_journal(&tmp, now_us);
		sb_printf(&tmp, " %s kubelet[2210]: E", nodes[rnd(N(nodes))]);
		ts_klog(&tmp, now_us);
		sb_printf(&tmp,
			  "    2210 nestedpendingoperations.go:348] Operation for \"{volumeName:kubernetes.io/secret/%s-%s podName:%s nodeName:}\" failed. No retries permitted until 2026-11-20 08:16:04.401127 +0000 UTC m=+%u.%u (durationBeforeRetry 2m2s). Error: MountVolume.SetUp failed for volume \"%s\" (UniqueName: \"kubernetes.io/secret/%s-%s\") pod \"%s\" (UID: \"%s\") : %s \"%s\" not found",
			  p->uid, vol, p->uid, rnd(4000), rnd(10), vol, p->uid, vol,
			  p->name, p->uid, MOUNTS[cur_mount].kind,
			  MOUNTS[cur_mount].name);
	} else if (e < 65) {
		sb_puts(&tmp, "  Warning  FailedMount  ");
		age(&tmp);
		if (rnd(2)) {
			sb_printf(&tmp, " (x%u over ", 2 + rnd(12));
			age(&tmp);
			sb_putc(&tmp, ')');
		}
		sb_printf(&tmp, "  %*s%s  %s", (int)rnd(12), "",
			  rnd(4) ? "kubelet" : "kubelet, node-1", m);
	} else {
		age(&tmp);
		sb_printf(&tmp, "       Warning   FailedMount   pod/%s   %s",
			  pod_for_events()->name, m);
	}
	put_line(&tmp);
}

static void
emit_failure(void)
{
	unsigned total = 0, i, k;
	const failure_t *f = NULL;
	const char *rule;
	int json = 0;

	for (i = 0; i < N(FAILURES); i++)
		total += FAILURES[i].weight;
	k = rnd(total);
	for (i = 0; i < N(FAILURES); i++) {
		if (k < FAILURES[i].weight) {
			f = &FAILURES[i];
			break;
		}
		k -= FAILURES[i].weight;
	}
	cur_mount = rnd(N(MOUNTS));
	msg.n = 0;
	fill(&msg, f->tmpl);
	rule = f->rule ? f->rule : MOUNTS[cur_mount].rule;
	if (f->fam == FAM_OP) {
		json = emit_component("tsb-operator-control-plane", "error",
				      "controlplane", msg.p,
				      " [scope=\"controlplane\"]", NULL);
	} else if (f->fam == FAM_EDGE) {
		char stream[48], extra[64], tail[64], h[9];
		hex(h, 8);
		snprintf(stream, sizeof(stream), "%s-%s", PICK(STREAMS), h);
		snprintf(tail, sizeof(tail), "\tname=%s", stream);
		snprintf(extra, sizeof(extra), ",\"name\":\"%s\"", stream);
		json = emit_component("edge", "warn", "stream", msg.p, tail, extra);
	} else {
		emit_kubelet(msg.p, f->rule == NULL);
	}
	count_rule(rule, json);
}

/* --- near misses: the literals of real failures, no rule matches ------- */

static void
emit_near_miss(void)
{
	const pod_t *p;
	char stream[48], h[9];

	msg.n = 0;
	hex(h, 8);
	snprintf(stream, sizeof(stream), "%s-%s", PICK(STREAMS), h);
	switch (rnd(7)) {
	case 0:
		sb_puts(&msg, "token rotation failed, retrying in ");
		float_dur(&msg);
		sb_puts(&msg, ": generate tokens: rpc error: code = Canceled desc = context canceled");
		emit_component("tsb-operator-control-plane", "error", "controlplane",
			       msg.p, " [scope=\"controlplane\"]", NULL);
		break;
	case 1:
		sb_puts(&msg, "error getting stream. retrying in ");
		float_dur(&msg);
		sb_puts(&msg, ": rpc error: code = Canceled desc = context canceled");
		{
			char tail[64], extra[64];
			snprintf(tail, sizeof(tail), "\tname=%s", stream);
			snprintf(extra, sizeof(extra), ",\"name\":\"%s\"", stream);
			emit_component("edge", "warn", "stream", msg.p, tail, extra);
		}
		break;
	case 2:
		sb_puts(&msg, "error getting stream. retrying in ");
		float_dur(&msg);
		sb_puts(&msg, ": rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp ");
		ipv4(&msg);
		sb_puts(&msg, ":9443: connect: connection reset by peer\"");
		{
			char tail[64], extra[64];
			snprintf(tail, sizeof(tail), "\tname=%s", stream);
			snprintf(extra, sizeof(extra), ",\"name\":\"%s\"", stream);
			emit_component("edge", "warn", "stream", msg.p, tail, extra);
		}
		break;
	case 3:
		emit_component("tsb-operator-control-plane", "info", "controlplane",
			       "token rotation succeeded, next rotation in 30m0s",
			       " [scope=\"controlplane\"]", NULL);
		break;
	case 4:
		sb_printf(&msg, "loaded x509 certificate CN=%s, valid until 2027-11-20",
			  PICK(MP_HOSTS));
		emit_component("tsb-operator-control-plane", "info", "controlplane",
			       msg.p, " [scope=\"controlplane\"]", NULL);
		break;
	case 5:
		p = any_pod();
		tmp.n = 0;
		ts_journal(&tmp, now_us);
		sb_printf(&tmp, " %s kubelet[2210]: I", nodes[rnd(N(nodes))]);
		ts_klog(&tmp, now_us);
		sb_printf(&tmp,
			  "    2210 operation_generator.go:721] \"MountVolume.SetUp succeeded for volume \\\"%s\\\" (UniqueName: \\\"kubernetes.io/secret/%s-%s\\\") pod \\\"%s\\\" (UID: \\\"%s\\\") \" pod=\"%s/%s\"",
			  MOUNTS[rnd(N(MOUNTS))].vol, p->uid, "token", p->name,
			  p->uid, p->ns, p->name);
		put_line(&tmp);
		break;
	default:
		p = pod_of_app("edge");
		tmp.n = 0;
		sb_putc(&tmp, 'E');
		ts_klog(&tmp, now_us);
		sb_printf(&tmp,
			  "    2791 kubelet.go:1821] \"Unable to attach or mount volumes for pod; skipping pod\" err=\"unmounted volumes=[xcp-central-auth-ca], unattached volumes=[xcp-central-auth-ca kube-api-access-hxk8l]: timed out waiting for the condition\" pod=\"%s/%s\"",
			  p->ns, p->name);
		put_line(&tmp);
	}
	near_misses++;
}

/* --- the filler: what a healthy mesh prints ------------------------------ */

static const pod_t *pod_of_app(const char *app);

static void
filler_console(void)
{
	const pod_t *p = any_pod(), *q = any_pod();
	const char *level = "info", *scope = "ads";
	char tail[96] = "";

	msg.n = 0;
	switch (rnd(16)) {
	case 0:
		sb_printf(&msg, "ADS: new connection for node:%s.%s-%u", q->name, q->ns, rnd(4000));
		break;
	case 1: case 2: {
		static const char *const t[] = { "CDS", "LDS", "RDS", "EDS" };
		const char *x = PICK(t);
		sb_printf(&msg, "%s: PUSH request for node:%s.%s resources:%u size:%u.%ukB",
			  x, q->name, q->ns, 1 + rnd(120), rnd(300), rnd(10));
		if (x[0] == 'E')
			sb_printf(&msg, " empty:0 cached:%u/%u", rnd(40), 40 + rnd(40));
		break;
	}
	case 3:
		sb_printf(&msg, "Push debounce stable[%u] %u for config ServiceEntry/%s/%s.%s.svc.cluster.local: %u.%03ums since last change, %u.%03ums since last push, full=%s",
			  rnd(90000), 1 + rnd(9), q->ns, PICK(SVCS), q->ns, 100 + rnd(900), rnd(1000),
			  100 + rnd(2000), rnd(1000), rnd(2) ? "true" : "false");
		break;
	case 4:
		scope = "model";
		sb_printf(&msg, "Full push, new service %s/%s.%s.svc.cluster.local", q->ns, PICK(SVCS), q->ns);
		break;
	case 5:
		scope = "cache";
		sb_puts(&msg, "generated new workload certificate");
		snprintf(tail, sizeof(tail), "\tlatency=%u.%03ums ttl=23h59m%u.%09us",
			 20 + rnd(300), rnd(1000), 50 + rnd(9), rnd(1000000000));
		break;
	case 6:
		scope = "xdsproxy";
		sb_puts(&msg, "connected to upstream XDS server: istiod.istio-system.svc:15012");
		snprintf(tail, sizeof(tail), "\tid=%u", 1 + rnd(40));
		break;
	case 7:
		level = "warn";
		scope = "envoy config";
		sb_printf(&msg, "StreamAggregatedResources gRPC config stream to xds-grpc closed since %us ago: 14, connection reset", 1 + rnd(3000));
		snprintf(tail, sizeof(tail), "\tthread=%u", 10 + rnd(20));
		break;
	case 8:
		sb_printf(&msg, "ADS: \"%s:%u\" %s.%s-%u terminated", q->ip, 30000 + rnd(30000), q->name, q->ns, rnd(4000));
		break;
	case 9:
		scope = "controlplane";
		sb_puts(&msg, "reconciling ControlPlane istio-system/controlplane");
		strcpy(tail, " [scope=\"controlplane\"]");
		break;
	case 10:
		scope = "controlplane";
		sb_printf(&msg, "applied %u resources for component %s", 3 + rnd(60), PICK(COMPONENTS));
		strcpy(tail, " [scope=\"controlplane\"]");
		break;
	case 11:
		scope = "controlplane";
		sb_printf(&msg, "reconcile finished in %u.%02us", rnd(4), rnd(100));
		strcpy(tail, " [scope=\"controlplane\"]");
		break;
	case 12:
		scope = "stream";
		sb_printf(&msg, "connection established to %s:9443", PICK(MP_HOSTS));
		{
			char h[9];
			hex(h, 8);
			snprintf(tail, sizeof(tail), "\tname=%s-%s", PICK(STREAMS), h);
		}
		break;
	case 13:
		scope = "klog";
		sb_printf(&msg, "Waited for %u.%06ums due to client-side throttling, not priority and fairness, request: GET:https://10.96.0.1:443/apis/networking.istio.io/v1beta1/namespaces/%s/%ss?limit=500&resourceVersion=0",
			  100 + rnd(900), rnd(1000000), q->ns, "virtualservice");
		break;
	case 14:
		level = rnd(2) ? "warn" : "error";
		sb_printf(&msg, "ADS:LDS: ACK ERROR %s.%s-%u Internal:Error adding/updating listener(s) virtualInbound: duplicate filter chain match",
			  q->name, q->ns, rnd(4000));
		break;
	default:
		level = "warn";
		scope = "sds";
		sb_printf(&msg, "SDS: waiting for workload certificate, retry %u of 10", 1 + rnd(9));
	}
	if (!strcmp(scope, "ads") || !strcmp(scope, "model") || !strcmp(scope, "klog"))
		p = pod_of_app("istiod");
	else if (!strcmp(scope, "controlplane"))
		p = pod_of_app("tsb-operator-control-plane");
	else if (!strcmp(scope, "stream"))
		p = pod_of_app("edge");
	tmp.n = 0;
	ts_us(&tmp, now_us);
	if (chance(0.005))
		sb_printf(&tmp, "\t\x1b[3%cm%s\x1b[0m\t%s\t%s%s",
			  level[0] == 'i' ? '2' : level[0] == 'w' ? '3' : '1',
			  level, scope, msg.p, tail);
	else
		sb_printf(&tmp, "\t%s\t%s\t%s%s", level, scope, msg.p, tail);
	emit_pod_line(p, &tmp);
}

static void
filler_envoy(void)
{
	const pod_t *p = any_pod(), *up = any_pod();
	const char *svc = PICK(SVCS), *method = PICK(METHODS);
	unsigned code, dur = 1 + rnd(rnd(4) ? 40 : 3000), port;
	const char *flags = "-", *details = "via_upstream";
	char id[40], path[160], upstream[48], ust[16];
	int inbound = rnd(3) == 0;

	uuid(id);
	code = rnd(100);
	if (code < 86) code = method[0] == 'P' && method[1] == 'O' ? 201 : 200;
	else if (code < 91) code = 404;
	else if (code < 94) { code = 503; flags = "UF,URX"; details = "upstream_reset_before_response_started{connection_failure}"; }
	else if (code < 96) { code = 504; flags = "UT"; details = "response_timeout"; }
	else if (code < 98) { code = 0; flags = "DC"; details = "downstream_remote_disconnect"; }
	else code = 302;
	switch (rnd(6)) {
	case 0: snprintf(path, sizeof(path), "/api/v2/organizations/%s/tenants/%s/workspaces?pageSize=%u", PICK(ORGS), PICK(APP_NS), 10 * (1 + rnd(10))); break;
	case 1: snprintf(path, sizeof(path), "/reviews/%u", rnd(1000)); break;
	case 2: snprintf(path, sizeof(path), "/v1/payments/%s", id); break;
	case 3: snprintf(path, sizeof(path), "/healthz/ready"); break;
	case 4: snprintf(path, sizeof(path), "/static/js/main.%x.chunk.js", rnd(1u << 31)); break;
	default: snprintf(path, sizeof(path), "/%s/api/items?id=%u&lang=en", svc, rnd(100000));
	}
	port = rnd(2) ? 8080 : 9080;
	if (code && code != 503)
		snprintf(ust, sizeof(ust), "%u", dur > 1 ? dur - 1 : 1);
	else
		snprintf(ust, sizeof(ust), "-");
	if (code == 503 && flags[0] == 'U')
		snprintf(upstream, sizeof(upstream), "-");
	else
		snprintf(upstream, sizeof(upstream), "%s:%u", up->ip, port);
	tmp.n = 0;
	sb_putc(&tmp, '[');
	ts_ms(&tmp, now_us);
	sb_printf(&tmp, "] \"%s %s HTTP/%s\" %u %s %s - \"-\" %u %u %u %s \"%s\" \"%s\" \"%s\" \"%s.%s.svc.cluster.local:%u\" \"%s\" %s|%u||%s.%s.svc.cluster.local %s:%u %s:%u %s:%u %s default",
		  method, path, rnd(4) ? "1.1" : "2", code, flags, details,
		  method[0] == 'G' ? 0 : rnd(4000), code ? rnd(60000) : 0, dur,
		  ust, rnd(3) ? "-" : p->ip, PICK(UAS), id, svc, up->ns, port,
		  upstream, inbound ? "inbound" : "outbound", port, svc, up->ns,
		  inbound ? up->ip : p->ip, inbound ? port : 30000 + rnd(30000),
		  inbound ? up->ip : "10.96.3.4", port, p->ip, 30000 + rnd(30000),
		  inbound ? "inbound_.8080_._.default" : "-");
	emit_pod_line(p, &tmp);
}

static void
filler_json(void)
{
	const pod_t *p = any_pod(), *q = any_pod();
	char extra[256], h[9];

	msg.n = 0;
	hex(h, 8);
	p = pod_of_app("edge");
	switch (rnd(5)) {
	case 0:
		snprintf(extra, sizeof(extra), ",\"name\":\"%s-%s\",\"version\":\"v%u\",\"resources\":%u",
			 PICK(STREAMS), h, rnd(90000), 1 + rnd(400));
		json_line(&tmp, "info", "xcp.edge.stream", "received config update", extra);
		break;
	case 1:
		snprintf(extra, sizeof(extra), ",\"kind\":\"%s\",\"namespace\":\"%s\",\"name\":\"%s\",\"took\":\"%u.%03ums\"",
			 PICK(KINDS), q->ns, PICK(SVCS), rnd(200), rnd(1000));
		json_line(&tmp, "debug", "xcp.edge.kube", "reconciled object", extra);
		break;
	case 2:
		snprintf(extra, sizeof(extra), ",\"kind\":\"%s\",\"namespace\":\"%s\",\"name\":\"%s\",\"attempt\":%u",
			 PICK(KINDS), q->ns, PICK(SVCS), 1 + rnd(5));
		json_line(&tmp, "warn", "xcp.edge.status", "status update conflict, retrying", extra);
		break;
	case 3:
		sb_printf(&msg, "CDS: PUSH request for node:%s.%s resources:%u size:%u.%ukB",
			  q->name, q->ns, 1 + rnd(120), rnd(300), rnd(10));
		json_line(&tmp, "info", "ads", msg.p, NULL);
		p = pod_of_app("istiod");
		break;
	default:
		snprintf(extra, sizeof(extra), ",\"kind\":\"exporter\",\"data_type\":\"traces\",\"name\":\"otlp\",\"error\":\"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial tcp %s:4317: connect: connection refused\\\"\",\"interval\":\"%u.%us\"",
			 q->ip, 1 + rnd(30), rnd(10));
		json_line(&tmp, "info", "exporterhelper", "Exporting failed. Will retry the request after interval.", extra);
		p = pod_of_app("otel-collector");
	}
	emit_pod_line(p, &tmp);
}

static void
filler_klog(void)
{
	const pod_t *p = any_pod();
	char id[40], h[65], a[6];
	int kubelet = rnd(4) != 0;

	uuid(id);
	hex(h, 64);
	alnum(a, 5);
	msg.n = 0;
	tmp.n = 0;
	switch (rnd(7)) {
	case 0:
		sb_putc(&msg, 'I');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "    2210 kubelet.go:2436] \"SyncLoop (PLEG): event for pod\" pod=\"%s/%s\" event={\"ID\":\"%s\",\"Type\":\"ContainerStarted\",\"Data\":\"%s\"}",
			  p->ns, p->name, p->uid, h);
		break;
	case 1:
		sb_putc(&msg, 'I');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "    2210 reconciler_common.go:258] \"operationExecutor.VerifyControllerAttachedVolume started for volume \\\"kube-api-access-%s\\\" (UniqueName: \\\"kubernetes.io/projected/%s-kube-api-access-%s\\\") pod \\\"%s\\\" (UID: \\\"%s\\\") \" pod=\"%s/%s\"",
			  a, p->uid, a, p->name, p->uid, p->ns, p->name);
		break;
	case 2:
		sb_putc(&msg, 'I');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "    2210 prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"%s/%s\" podUID=\"%s\" containerName=\"istio-proxy\" probeResult=\"failure\" output=\"HTTP probe failed with statuscode: 503\"",
			  p->ns, p->name, p->uid);
		break;
	case 3:
		sb_putc(&msg, 'E');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "    2210 pod_workers.go:1300] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"%s\\\" with CrashLoopBackOff: \\\"back-off 5m0s restarting failed container=%s pod=%s_%s(%s)\\\"\" pod=\"%s/%s\" podUID=\"%s\"",
			  p->ctr, p->ctr, p->name, p->ns, p->uid, p->ns, p->name, p->uid);
		break;
	case 4:
		kubelet = 0;
		sb_putc(&msg, 'W');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "       1 reflector.go:535] k8s.io/client-go@v0.28.4/tools/cache/reflector.go:229: failed to list *v1.Secret: secrets is forbidden: User \"system:serviceaccount:%s:%s\" cannot list resource \"secrets\" in API group \"\" in the namespace \"%s\"",
			  p->ns, p->app, p->ns);
		break;
	case 5:
		kubelet = 0;
		sb_putc(&msg, 'I');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "       1 leaderelection.go:250] attempting to acquire leader lease %s/%s-leader...", p->ns, p->app);
		break;
	default:
		sb_putc(&msg, 'I');
		ts_klog(&msg, now_us);
		sb_printf(&msg, "    2210 kuberuntime_manager.go:1029] \"Message for Container of pod\" containerName=\"%s\" containerStatusID={\"Type\":\"containerd\",\"ID\":\"%s\"} pod=\"%s/%s\" containerMessage=\"Container %s failed liveness probe, will be restarted\"",
			  p->ctr, h, p->ns, p->name, p->ctr);
	}
	if (kubelet && rnd(5) < 3) {
		/* journalctl -u kubelet */
		ts_journal(&tmp, now_us);
		sb_printf(&tmp, " %s kubelet[2210]: %s", nodes[rnd(N(nodes))], msg.p);
		put_line(&tmp);
	} else if (kubelet) {
		put_line(&msg); /* the kubelet log file */
	} else {
		emit_pod_line(p, &msg); /* client-go in a pod */
	}
}

/* --- describe and events blocks ------------------------------------------ */

static const char *const NORMAL_EVENTS[] = {
	"Scheduled\tdefault-scheduler\tSuccessfully assigned %s/%s to %s",
	"Pulling\tkubelet\tPulling image \"gcr.io/tetrate/xcp:1.8.0\"",
	"Pulled\tkubelet\tSuccessfully pulled image \"gcr.io/tetrate/xcp:1.8.0\" in 1.812s (1.812s including waiting)",
	"Created\tkubelet\tCreated container %s",
	"Started\tkubelet\tStarted container %s",
};

static void
emit_block(void)
{
	const pod_t *p = pod_of_app(rnd(2) ? "edge" : PICK(APPS));
	unsigned rows = 3 + rnd(8), i;
	int describe = rnd(2);

	blocks++;
	if (describe) {
		static const char *const head[] = {
			"Name:             %s", "Namespace:        %s",
			"Priority:         0", "Service Account:  %s-service-account",
			"Node:             %s/%s", "Status:           Pending",
			"Controlled By:    ReplicaSet/%s", "QoS Class:       Burstable",
			"Events:",
			"  Type     Reason       Age                   From               Message",
			"  ----     ------       ----                  ----               -------",
		};
		for (i = 0; i < N(head); i++) {
			tmp.n = 0;
			if (i == 0)
				sb_printf(&tmp, head[i], p->name);
			else if (i == 1)
				sb_printf(&tmp, head[i], p->ns);
			else if (i == 3)
				sb_printf(&tmp, head[i], p->app);
			else if (i == 4)
				sb_printf(&tmp, head[i], nodes[0], p->ip);
			else if (i == 6)
				sb_printf(&tmp, head[i], p->rs);
			else
				sb_puts(&tmp, head[i]);
			put_line(&tmp);
		}
	} else {
		tmp.n = 0;
		sb_puts(&tmp, "LAST SEEN   TYPE      REASON              OBJECT                                        MESSAGE");
		put_line(&tmp);
	}
	for (i = 0; i < rows; i++) {
		if (rnd(4) == 0) {
			/* a failure row */
			int mount = rnd(3) != 0;
			cur_mount = rnd(N(MOUNTS));
			msg.n = 0;
			fill(&msg, mount ? FAILURES[16].tmpl : FAILURES[17].tmpl);
			tmp.n = 0;
			if (describe) {
				sb_puts(&tmp, "  Warning  FailedMount  ");
				age(&tmp);
				sb_printf(&tmp, " (x%u over ", 2 + rnd(9));
				age(&tmp);
				sb_printf(&tmp, ")  kubelet            %s", msg.p);
			} else {
				age(&tmp);
				sb_printf(&tmp, "         Warning   FailedMount         pod/%-40s  %s",
					  p->name, msg.p);
			}
			put_line(&tmp);
			count_rule(mount ? MOUNTS[cur_mount].rule : "edge-volumes-unmounted", 0);
		} else {
			const char *ev = PICK(NORMAL_EVENTS);
			char reason[24], from[24], text[256];
			const char *t1 = strchr(ev, '\t'), *t2 = strchr(t1 + 1, '\t');
			snprintf(reason, sizeof(reason), "%.*s", (int)(t1 - ev), ev);
			snprintf(from, sizeof(from), "%.*s", (int)(t2 - t1 - 1), t1 + 1);
			if (!strcmp(reason, "Scheduled"))
				snprintf(text, sizeof(text), "Successfully assigned %s/%s to %s",
					 p->ns, p->name, nodes[1]);
			else if (strstr(t2 + 1, "%s"))
				snprintf(text, sizeof(text), "%s container %s",
					 reason, p->ctr);
			else
				snprintf(text, sizeof(text), "%s", t2 + 1);
			tmp.n = 0;
			if (describe) {
				sb_printf(&tmp, "  Normal   %-11s  ", reason);
				age(&tmp);
				sb_printf(&tmp, "  %-17s  %s", from, text);
			} else {
				age(&tmp);
				sb_printf(&tmp, "         Normal    %-18s  pod/%-40s  %s",
					  reason, p->name, text);
			}
			put_line(&tmp);
		}
	}
}

/* --- synthetic lines for the generated rules ------------------------------ */

typedef struct {
	int index;
	char *scope, *level, *text;
} synth_t;

static synth_t *synth;
static size_t nsynth;
static int *live;           /* distinct live indexes */
static size_t nlive;
static uint64_t *live_count;

static void
load_synthetic(const char *path)
{
	FILE *f = fopen(path, "r");
	char *ln = NULL;
	size_t cap = 0;
	ssize_t k;

	if (!f) {
		fprintf(stderr, "gencorpus: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((k = getline(&ln, &cap, f)) > 0) {
		char *t1, *t2, *t3;
		if (ln[k - 1] == '\n')
			ln[--k] = '\0';
		if (!(t1 = strchr(ln, '\t')) || !(t2 = strchr(t1 + 1, '\t')) ||
		    !(t3 = strchr(t2 + 1, '\t'))) {
			fprintf(stderr, "gencorpus: %s: bad line: %s\n", path, ln);
			exit(2);
		}
		*t1 = *t2 = *t3 = '\0';
		synth = realloc(synth, (nsynth + 1) * sizeof(*synth));
		live = realloc(live, (nlive + 1) * sizeof(*live));
		if (!synth || !live) {
			perror("gencorpus");
			exit(2);
		}
		synth[nsynth].index = atoi(ln);
		synth[nsynth].scope = strdup(t1 + 1);
		synth[nsynth].level = strdup(t2 + 1);
		synth[nsynth].text = strdup(t3 + 1);
		if (!nlive || live[nlive - 1] != synth[nsynth].index)
			live[nlive++] = synth[nsynth].index;
		nsynth++;
	}
	free(ln);
	fclose(f);
	live_count = calloc(nlive + 1, sizeof(*live_count));
}

static void
emit_synthetic(void)
{
	size_t li = rnd((unsigned)nlive), first, cnt = 0, i;
	const synth_t *s;
	unsigned e = rnd(100);

	for (first = 0; first < nsynth && synth[first].index != live[li]; first++)
		;
	for (i = first; i < nsynth && synth[i].index == live[li]; i++)
		cnt++;
	s = &synth[first + rnd((unsigned)cnt)];
	if (e < 70)
		console(&tmp, s->level, s->scope, s->text, NULL);
	else if (e < 90)
		json_line(&tmp, s->level, s->scope, s->text, NULL);
	else
		klog_line(&tmp, s->level[0] == 'e' ? 'E' : 'W', "controller.go", s->text);
	emit_pod_line(any_pod(), &tmp);
	live_count[li]++;
	synthetic_total++;
}

/* --- main --------------------------------------------------------------- */

static void
write_meta(const char *path, unsigned long long seed, double size_mb)
{
	FILE *f = fopen(path, "w");
	unsigned i;

	if (!f) {
		fprintf(stderr, "gencorpus: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fprintf(f, "{\"seed\":%llu,\"size_mb\":%g,\"bytes\":%llu,\"lines\":%llu,"
		   "\"failures\":%llu,\"failures_json\":%llu,\"near_misses\":%llu,"
		   "\"blocks\":%llu,\"synthetic\":%llu,\"by_rule\":{",
		seed, size_mb, (unsigned long long)bytes_out,
		(unsigned long long)lines_out, (unsigned long long)failures,
		(unsigned long long)failures_json, (unsigned long long)near_misses,
		(unsigned long long)blocks, (unsigned long long)synthetic_total);
	for (i = 0; i < MAX_RULES && by_rule[i].rule; i++)
		fprintf(f, "%s\"%s\":{\"lines\":%llu,\"json\":%llu}", i ? "," : "",
			by_rule[i].rule, (unsigned long long)by_rule[i].n,
			(unsigned long long)by_rule[i].json);
	fputs("},\"by_generated_rule\":{", f);
	for (i = 0; i < nlive; i++)
		fprintf(f, "%s\"%d\":%llu", i ? "," : "", live[i],
			(unsigned long long)live_count[i]);
	fputs("}}\n", f);
	fclose(f);
}

static void
usage(void)
{
	fputs("usage: gencorpus SIZE_MB OUT [--seed N] [--synthetic FILE] [--meta FILE] [--blocks]\n",
	      stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *synth_path = NULL, *meta = NULL;
	unsigned long long seed = 1;
	double size_mb = -1, p_fail = 1.0 / 1000, p_near = 1.0 / 300,
	       p_block, p_synth;
	int with_blocks = 0;
	uint64_t target, x;
	char metabuf[4096];
	static char obuf[1 << 22];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--synthetic") && i + 1 < argc)
			synth_path = argv[++i];
		else if (!strcmp(argv[i], "--meta") && i + 1 < argc)
			meta = argv[++i];
		else if (!strcmp(argv[i], "--blocks"))
			with_blocks = 1;
		else if (argv[i][0] == '-')
			usage();
		else if (size_mb < 0)
			size_mb = atof(argv[i]);
		else if (!path)
			path = argv[i];
		else
			usage();
	}
	if (size_mb <= 0 || !path)
		usage();
	if (!meta) {
		snprintf(metabuf, sizeof(metabuf), "%s.meta.json", path);
		meta = metabuf;
	}
	x = seed;
	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	init_pools();
	if (synth_path)
		load_synthetic(synth_path);
	p_synth = nlive ? (double)nlive / 50000 : 0;
	p_block = with_blocks ? 1.0 / 40000 : 0;
	out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "gencorpus: %s: %s\n", path, strerror(errno));
		return 2;
	}
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	target = (uint64_t)(size_mb * 1000000);
	while (bytes_out < target) {
		double r = (double)(rnd64() >> 11) * (1.0 / 9007199254740992.0);
		now_us += rnd(2500);
		if (r < p_fail)
			emit_failure();
		else if ((r -= p_fail) < p_synth)
			emit_synthetic();
		else if ((r -= p_synth) < p_near)
			emit_near_miss();
		else if ((r -= p_near) < p_block)
			emit_block();
		else {
			unsigned k = rnd(100);
			if (k < 36)
				filler_console();
			else if (k < 64)
				filler_envoy();
			else if (k < 82)
				filler_json();
			else
				filler_klog();
		}
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "gencorpus: %s: %s\n", path, strerror(errno));
		return 2;
	}
	write_meta(meta, seed, size_mb);
	return 0;
}
