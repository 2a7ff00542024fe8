/*
 * Envelopes: what kubectl and the logging libraries wrap around a message.
 * Each function here takes a line, recognises one wrapper, fills the
 * record's metadata and narrows rec->msg to what is inside.  Rules are
 * then matched against the message alone, so one rule fires the same way
 * on a plain line, a timestamped or prefixed one, a JSON-encoded one, a
 * describe row or an events-table row.
 */
#include <string.h>
#include <jansson.h>
#include "envelope.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
digits(const char *p, size_t n, size_t at, size_t count)
{
	size_t i;
	if (at + count > n)
		return 0;
	for (i = 0; i < count; i++)
		if (!is_digit(p[at + i]))
			return 0;
	return 1;
}

/* Length of an RFC 3339 timestamp at p (2026-11-20T08:14:02.401127Z,
 * ...+01:00), or 0. */
size_t
rfc3339_len(const char *p, size_t n)
{
	size_t i = 19;

	if (!digits(p, n, 0, 4) || n < 20 || p[4] != '-' ||
	    !digits(p, n, 5, 2) || p[7] != '-' || !digits(p, n, 8, 2) ||
	    (p[10] != 'T' && p[10] != 't') || !digits(p, n, 11, 2) ||
	    p[13] != ':' || !digits(p, n, 14, 2) || p[16] != ':' ||
	    !digits(p, n, 17, 2))
		return 0;
	if (i < n && p[i] == '.') {
		size_t start = ++i;
		while (i < n && is_digit(p[i]))
			i++;
		if (i == start)
			return 0;
	}
	if (i < n && (p[i] == 'Z' || p[i] == 'z'))
		return i + 1;
	if (i + 6 <= n && (p[i] == '+' || p[i] == '-') &&
	    digits(p, n, i + 1, 2) && p[i + 3] == ':' &&
	    digits(p, n, i + 4, 2))
		return i + 6;
	return 0;
}

static void
narrow(record *rec, size_t skip)
{
	rec->msg.p += skip;
	rec->msg.n -= skip;
}

/* `kubectl logs --prefix`: "[pod/NAME/CONTAINER] " */
int
env_kubectl_prefix(record *rec)
{
	const char *p = rec->msg.p, *end, *slash;
	size_t n = rec->msg.n;

	if (n < 7 || memcmp(p, "[pod/", 5))
		return 0;
	end = memchr(p, ']', n);
	if (!end || (size_t)(end - p) + 1 >= n || end[1] != ' ')
		return 0;
	slash = memchr(p + 5, '/', (size_t)(end - p - 5));
	if (!slash)
		return 0;
	rec->pod.p = p + 5;
	rec->pod.n = (size_t)(slash - p - 5);
	rec->container.p = slash + 1;
	rec->container.n = (size_t)(end - slash - 1);
	narrow(rec, (size_t)(end - p) + 2);
	return 1;
}

/* `kubectl logs --timestamps`: "RFC3339 " */
int
env_kubectl_timestamp(record *rec)
{
	size_t k = rfc3339_len(rec->msg.p, rec->msg.n);

	if (!k || k >= rec->msg.n || rec->msg.p[k] != ' ')
		return 0;
	rec->timestamp.p = rec->msg.p;
	rec->timestamp.n = k;
	narrow(rec, k + 1);
	return 1;
}

/* Istio/TSB console: [TIMESTAMP<TAB>]LEVEL<TAB>[SCOPE<TAB>]MESSAGE.  The
 * message keeps its trailing [scope="..."] or <TAB>key=value parts: rules
 * may capture from them (name=configs-... is the XCP stream). */
int
env_console(record *rec)
{
	const char *p = rec->msg.p, *tab;
	size_t n = rec->msg.n, at = 0, k = rfc3339_len(p, n);
	const char *level;

	if (k && k < n && p[k] == '\t')
		at = k + 1;
	tab = memchr(p + at, '\t', n - at);
	if (!tab || (size_t)(tab - p - at) > 7)
		return 0;
	level = level_name(p + at, (size_t)(tab - p - at));
	if (!level)
		return 0;
	if (at) {
		rec->timestamp.p = p;
		rec->timestamp.n = k;
	}
	rec->level = level;
	at = (size_t)(tab - p) + 1;
	/* A scope is one word then a tab; a message has spaces. */
	tab = memchr(p + at, '\t', n - at);
	if (tab && tab > p + at && !memchr(p + at, ' ', (size_t)(tab - p - at))) {
		rec->scope.p = p + at;
		rec->scope.n = (size_t)(tab - p - at);
		at = (size_t)(tab - p) + 1;
	}
	narrow(rec, at);
	tab = memchr(rec->msg.p, '\t', rec->msg.n);
	if (tab)
		rec->core_n = (size_t)(tab - rec->msg.p);
	return 1;
}

/* Structured klog (kubelet since 1.21) names the pod as a key:
 * ... pod="istio-system/edge-6b8f9c7d4-m2xq9" podUID=...; the envelope
 * carries no pod of its own, so that one is the line's. */
static void
klog_pod(record *rec)
{
	const char *p = rec->msg.p, *end = p + rec->msg.n, *q, *slash;

	if (rec->pod.p)
		return;
	for (q = p; (q = memmem(q, (size_t)(end - q), " pod=\"", 6)); q += 6) {
		const char *v = q + 6, *close = memchr(v, '"', (size_t)(end - v));
		if (!close)
			return;
		slash = memchr(v, '/', (size_t)(close - v));
		if (!slash || slash == v || slash + 1 == close ||
		    memchr(v, ' ', (size_t)(close - v)))
			continue;
		rec->namespace.p = v;
		rec->namespace.n = (size_t)(slash - v);
		rec->pod.p = slash + 1;
		rec->pod.n = (size_t)(close - slash - 1);
		return;
	}
}

/* klog: "E1120 08:14:02.401127       1 file.go:123] message" */
int
env_klog(record *rec)
{
	const char *p = rec->msg.p, *close;
	size_t n = rec->msg.n, i = 21;

	if (n < 24 || !level_klog(p[0]) || !digits(p, n, 1, 4) ||
	    p[5] != ' ' || !digits(p, n, 6, 2) || p[8] != ':' ||
	    !digits(p, n, 9, 2) || p[11] != ':' || !digits(p, n, 12, 2) ||
	    p[14] != '.' || !digits(p, n, 15, 6) || p[21] != ' ')
		return 0;
	while (i < n && p[i] == ' ')
		i++;
	while (i < n && is_digit(p[i]))
		i++;
	close = memchr(p + i, ']', n - i);
	if (!close || i >= n || p[i] != ' ')
		return 0;
	rec->level = level_klog(p[0]);
	rec->timestamp.p = p + 1;
	rec->timestamp.n = 20;
	i = (size_t)(close - p) + 1;
	if (i < n && p[i] == ' ')
		i++;
	narrow(rec, i);
	klog_pod(rec);
	return 1;
}

/* Split "a  b  c" on runs of two or more spaces, the way kubectl's table
 * printer pads columns.  The last column takes the rest of the line.
 * Returns how many columns were found (at most max). */
size_t
split_columns(const char *p, size_t n, slice *cols, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && p[i] == ' ')
		i++;
	while (i < n && k < max) {
		size_t start = i;
		if (k == max - 1) {
			cols[k].p = p + start;
			cols[k].n = n - start;
			while (cols[k].n && p[start + cols[k].n - 1] == ' ')
				cols[k].n--;
			return k + 1;
		}
		while (i < n && !(p[i] == ' ' && i + 1 < n && p[i + 1] == ' '))
			i++;
		cols[k].p = p + start;
		cols[k].n = i - start;
		while (cols[k].n && p[start + cols[k].n - 1] == ' ')
			cols[k].n--;
		k++;
		while (i < n && p[i] == ' ')
			i++;
	}
	return k;
}

/* "7m15s (x7 over 7m47s)" -> 7; 0 when there is no repeat count.  Counts
 * are printed as JSON integers, which readers take as int64: a bigger
 * one stops at INT64_MAX rather than wrap. */
uint64_t
age_count(slice age)
{
	const char *x = age.n > 2 ? memchr(age.p, '(', age.n) : NULL;
	const uint64_t max = (uint64_t)INT64_MAX;
	uint64_t c = 0;
	size_t i;

	if (!x || (size_t)(x - age.p) + 2 >= age.n || x[1] != 'x')
		return 0;
	for (i = (size_t)(x - age.p) + 2; i < age.n && is_digit(age.p[i]); i++) {
		uint64_t d = (uint64_t)(age.p[i] - '0');
		c = c > (max - d) / 10 ? max : c * 10 + d;
	}
	return c;
}
