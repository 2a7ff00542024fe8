/*
 * Envelopes: what kubectl and the logging libraries wrap around a message.
 * Each function here takes a line, recognises one wrapper, fills the
 * record's metadata and narrows rec->msg to what is inside.  Rules are
 * then matched against the message alone, so one rule fires the same way
 * on a plain line, a timestamped or prefixed one, a JSON-encoded one, a
 * describe row or an events-table row.
 */
#include <stdint.h>
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
/* Whether the 8 bytes at @p are as @pat says, '0' standing for any
 * digit, after @fold is ORed into them: XOR leaves 0-9 at a digit and 0
 * where a byte matches, and adding @add (0x76 at a digit, 0x7F elsewhere)
 * takes every other byte to 0x80 or past.  Bytes in memory order on any
 * endianness; a carry can only come from a byte that fails anyway.  Every
 * line asks rfc3339_len(), most of them of a timestamp. */
static int
pattern8(const char *p, const char *pat, const unsigned char *add,
	 uint64_t fold)
{
	uint64_t v, x, a;

	memcpy(&v, p, 8);
	memcpy(&x, pat, 8);
	memcpy(&a, add, 8);
	x ^= v | fold;
	return !((x + a) & 0x8080808080808080ull) &&
	       !(x & 0x8080808080808080ull);
}

size_t
rfc3339_len(const char *p, size_t n)
{
	static const unsigned char date_add[8] = {
		0x76, 0x76, 0x76, 0x76, 0x7F, 0x76, 0x76, 0x7F };
	static const unsigned char time_add[8] = {
		0x76, 0x76, 0x7F, 0x76, 0x76, 0x7F, 0x76, 0x76 };
	const unsigned char t_fold[8] = { 0, 0, 0x20 };
	uint64_t fold;
	size_t i = 19;

	memcpy(&fold, t_fold, 8);
	/* 2026-11-, 20T08:14 (T or t), 08:14:02 */
	if (n < 20 || !pattern8(p, "0000-00-", date_add, 0) ||
	    !pattern8(p + 8, "00t00:00", time_add, fold) ||
	    !pattern8(p + 11, "00:00:00", time_add, 0))
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
 * may capture from them (name=configs-... is the XCP stream).  Without
 * @meta, only the timestamp and level are read: the scope and the
 * message's parts take passes over the line. */
int
env_console(record *rec, int meta)
{
	const char *p = rec->msg.p, *tab;
	size_t n = rec->msg.n, at = 0, k = rfc3339_len(p, n);
	const char *level;

	if (k && k < n && p[k] == '\t')
		at = k + 1;
	/* The level takes at most 7 bytes here: its tab is looked for no
	 * further (on a line with none, that was a pass over all of it). */
	tab = memchr(p + at, '\t', n - at < 8 ? n - at : 8);
	if (!tab)
		return 0;
	level = level_name(p + at, (size_t)(tab - p - at));
	if (!level)
		return 0;
	if (at) {
		rec->timestamp.p = p;
		rec->timestamp.n = k;
	}
	rec->level = level;
	if (!meta)
		return 1;
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
	for (q = p; (q = mem_find(q, (size_t)(end - q), " pod=\"", 6)); q += 6) {
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

/* klog: "E1120 08:14:02.401127       1 file.go:123] message".  The pod
 * its message may name is env_kv()'s to find. */
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
	return 1;
}

/* journalctl's short ("Dec 03 10:14:02") and short-iso
 * ("2026-12-03T10:14:02+0000", optionally with microseconds) timestamps
 * then "HOST IDENT[PID]: ": the kubelet's or containerd's own line
 * follows, klog or logfmt, and is read by the next envelope. */
int
env_journald(record *rec)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = rec->msg.p, *colon;
	size_t n = rec->msg.n, k = 0, i;

	if (n > 15 && p[3] == ' ' && p[6] == ' ' && digits(p, n, 7, 2) &&
	    p[9] == ':' && digits(p, n, 10, 2) && p[12] == ':' &&
	    digits(p, n, 13, 2) && (is_digit(p[5]) && (is_digit(p[4]) || p[4] == ' '))) {
		for (i = 0; i < 36 && !k; i += 3)
			if (!memcmp(p, months + i, 3))
				k = 15;
	} else if (n > 24 && digits(p, n, 0, 4) && p[4] == '-' && p[10] == 'T' &&
		   p[13] == ':' && p[16] == ':' && digits(p, n, 17, 2)) {
		k = 19;
		if (p[k] == '.')
			for (k++; k < n && is_digit(p[k]); k++)
				;
		if (k + 5 < n && (p[k] == '+' || p[k] == '-') &&
		    digits(p, n, k + 1, 4))
			k += 5;
		else
			k = 0;
	}
	if (!k || k >= n || p[k] != ' ')
		return 0;
	/* HOST, then IDENT[PID]: with no space before the colon. */
	i = k + 1;
	while (i < n && p[i] != ' ')
		i++;
	colon = i < n ? memchr(p + i + 1, ':', n - i - 1) : NULL;
	if (i == k + 1 || !colon || (size_t)(colon - p) + 1 >= n ||
	    colon[1] != ' ' || colon == p + i + 1 ||
	    memchr(p + i + 1, ' ', (size_t)(colon - p - i - 1)))
		return 0;
	rec->timestamp.p = p;
	rec->timestamp.n = k;
	narrow(rec, (size_t)(colon - p) + 2);
	return 1;
}

/* kubelet's structured lines (klog's InfoS/ErrorS): after the quoted
 * message come key="value" pairs.  pod="NS/NAME" and containerName="C"
 * fill the record; the message stays whole, err="..." included, since
 * rules match the error's text.  klog_pod()'s search starts here, not in
 * env_klog(): reading a klog line's level alone (reader_line_alert())
 * then costs no search for its pod. */
void
env_kv(record *rec)
{
	const char *p = rec->msg.p, *q, *end = p + rec->msg.n, *v, *close;

	klog_pod(rec);

	/* Older kubelet lines name the pod in prose: pod "NAME" or
	 * pod "NAME_NAMESPACE(UID)". */
	if (rec->msg.n > 6 && p[0] != '"' &&
	    (q = mem_find(p, rec->msg.n, " pod \"", 6)) &&
	    (close = memchr(q + 6, '"', (size_t)(end - q - 6)))) {
		const char *u = memchr(q + 6, '_', (size_t)(close - q - 6));
		const char *paren = memchr(q + 6, '(', (size_t)(close - q - 6));
		rec->pod = sl(q + 6, (size_t)((u ? u : paren ? paren : close) - q - 6));
		if (u && paren > u)
			rec->namespace = sl(u + 1, (size_t)(paren - u - 1));
		return;
	}
	if (rec->msg.n < 2 || p[0] != '"')
		return;
	if ((q = quote_close(p + 1, end)) >= end)
		return;
	for (q++; q < end; q = close + 1) {
		const char *key;
		while (q < end && *q == ' ')
			q++;
		key = q;
		v = memchr(q, '=', (size_t)(end - q));
		if (!v || v + 1 >= end)
			return;
		if (v[1] != '"') {
			/* an unquoted value (podUID=1b2c) */
			close = memchr(v, ' ', (size_t)(end - v));
			if (!close)
				return;
			continue;
		}
		if ((close = quote_close(v + 2, end)) >= end)
			return;
		if (v - key == 3 && !memcmp(key, "pod", 3)) {
			const char *slash = memchr(v + 2, '/', (size_t)(close - v - 2));
			if (slash) {
				rec->namespace = sl(v + 2, (size_t)(slash - v - 2));
				rec->pod = sl(slash + 1, (size_t)(close - slash - 1));
			} else {
				rec->pod = sl(v + 2, (size_t)(close - v - 2));
			}
		} else if (v - key == 13 && !memcmp(key, "containerName", 13)) {
			rec->container = sl(v + 2, (size_t)(close - v - 2));
		}
	}
}

/* logrus/logfmt, as containerd writes to the journal:
 * time="..." level=error msg="..." [key=value...].  The message is the
 * msg value (its escapes left as they are) and, for the rules, the
 * key=value pairs after it: the error="..." there is often the failure,
 * as with JSON lines' other fields.  Shapes use the msg value alone. */
int
env_logfmt(record *rec)
{
	const char *p = rec->msg.p, *end = p + rec->msg.n, *lv, *m, *q;
	size_t k;

	if (rec->msg.n < 20 || memcmp(p, "time=\"", 6))
		return 0;
	lv = mem_find(p, rec->msg.n, " level=", 7);
	m = mem_find(p, rec->msg.n, " msg=\"", 6);
	if (!lv || !m)
		return 0;
	lv += 7;
	for (k = 0; lv + k < end && lv[k] != ' '; k++)
		;
	if (!level_name(lv, k))
		return 0;
	if ((q = quote_close(m + 6, end)) >= end)
		return 0;
	rec->level = level_name(lv, k);
	rec->timestamp = sl(p + 6, (size_t)((const char *)memchr(p + 6, '"',
		(size_t)(end - p - 6)) - p - 6));
	rec->msg = sl(m + 6, (size_t)(end - m - 6));
	rec->core_n = (size_t)(q - m - 6);
	return 1;
}

/* Envoy's default format: "[2026-12-03 10:12:04.111][14][warning][config]
 * [source/common/config/grpc_stream.h:191] message". */
int
env_envoy(record *rec)
{
	const char *p = rec->msg.p, *lv, *close, *ts_end;
	size_t n = rec->msg.n, i;

	if (n < 30 || p[0] != '[' || !digits(p, n, 1, 4) || p[5] != '-' ||
	    p[11] != ' ' || p[14] != ':' || p[17] != ':')
		return 0;
	close = ts_end = memchr(p, ']', n);
	if (!close || (size_t)(close - p) + 2 >= n || close[1] != '[')
		return 0;
	/* [thread id] */
	for (i = (size_t)(close - p) + 2; i < n && is_digit(p[i]); i++)
		;
	if (i + 2 >= n || p[i] != ']' || p[i + 1] != '[')
		return 0;
	lv = p + i + 2;
	close = memchr(lv, ']', n - i - 2);
	if (!close || !level_name(lv, (size_t)(close - lv)))
		return 0;
	rec->timestamp = sl(p + 1, (size_t)(ts_end - p - 1));
	rec->level = level_name(lv, (size_t)(close - lv));
	i = (size_t)(close - p) + 1;
	/* [logger] then an optional [source:line] */
	for (; i < n && p[i] == '['; i++) {
		close = memchr(p + i, ']', n - i);
		if (!close)
			break;
		i = (size_t)(close - p);
		if (i + 1 < n && p[i + 1] == ' ')
			i++;
	}
	narrow(rec, i);
	return 1;
}

/* A DNS-1123 name of @n bytes: lower case, digits, '-' (and '.' when
 * @dots), starting and ending with a letter or digit. */
static int
k8s_name(const char *p, size_t n, int dots)
{
	size_t i;

	if (!n || n > 253 || p[0] == '-' || p[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || is_digit(p[i]) ||
		      p[i] == '-' || (dots && p[i] == '.')))
			return 0;
	return 1;
}

/* Whether @p starts with what a log line of ours starts with: a
 * timestamp, a JSON object, a klog header or a console level. */
static int
enveloped(const char *p, size_t n)
{
	record r;

	memset(&r, 0, sizeof(r));
	r.msg = sl(p, n);
	return rfc3339_len(p, n) || (n && p[0] == '{') || env_klog(&r) ||
	       env_console(&r, 0);
}

/* stern: "POD CONTAINER MESSAGE" (with --timestamps the message starts
 * with one; with several namespaces "NAMESPACE POD CONTAINER ...").
 * Two plain words begin many lines, so a pod name (with a '-', as
 * controllers make them), a container name, and a message that is itself
 * a log line are all required. */
int
env_stern(record *rec)
{
	const char *p = rec->msg.p;
	slice w[3];
	size_t n = rec->msg.n, i = 0, k;

	for (k = 0; k < 3; k++) {
		size_t start = i;
		while (i < n && i - start < 254 && p[i] != ' ')
			i++;
		if (i >= n || i == start)
			return 0;
		w[k] = sl(p + start, i - start);
		i++;
		if (k >= 1 && memchr(w[k - 1].p, '-', w[k - 1].n) &&
		    k8s_name(w[k - 1].p, w[k - 1].n, 1) &&
		    k8s_name(w[k].p, w[k].n, 0) && enveloped(p + i, n - i)) {
			if (k == 2)
				rec->namespace = w[0];
			rec->pod = w[k - 1];
			rec->container = w[k];
			narrow(rec, i);
			return 1;
		}
	}
	return 0;
}

/* Whether @p may be a stern or journald line, by its first bytes: a
 * lower-case pod name, a month ("Dec 03 ") or journalctl's ISO time with
 * a +0000 zone.  Cheap, so the fast path can ask it of every line. */
int
env_maybe_wrapped(const char *p, size_t n)
{
	return n >= 16 && ((p[0] >= 'a' && p[0] <= 'z') ||
			   (p[3] == ' ' && p[6] == ' ') ||
			   (n > 27 && p[10] == 'T' &&
			    (p[19] == '+' || p[19] == '.') &&
			    memchr(p + 19, '+', 8)));
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
