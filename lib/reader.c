/*
 * The record reader: which envelope a line is in, including the ones that
 * only make sense with what came before (a describe header, an events
 * table header, an open JSON document, whose lines events.c follows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "reader.h"

void
reader_init(reader *rd, size_t max_item)
{
	memset(rd, 0, sizeof(*rd));
	rd->max_item = max_item;
	rd->window = DOC_WINDOW_RECORDS * max_item;
}

void
reader_reset(reader *rd)
{
	events_drop(rd);
	rd->describe_pod.len = rd->describe_ns.len = 0;
	rd->in_events = 0;
	rd->table_cols = 0;
	rd->in_doc = rd->doc_depth = rd->doc_in_str = rd->doc_esc = 0;
	rd->item.len = 0;
	rd->item_open = rd->item_oversized = rd->resync = 0;
	rd->have_line_rec = 0;
	rd->doc_error = 0;
	rd->held.len = rd->replay_at = 0;
	rd->replaying = rd->held_off = rd->doc_items = rd->has_pend = 0;
	rd->streaming = rd->doc_closed = 0;
	rd->seg_n = rd->seg_at = 0;
}

void
reader_fini(reader *rd)
{
	events_drop(rd);
	buf_free(&rd->describe_pod);
	buf_free(&rd->describe_ns);
	buf_free(&rd->item);
	buf_free(&rd->held);
	buf_free(&rd->msg);
	buf_free(&rd->text);
	jsonline_free(&rd->jl);
}

/* --- JSON log lines ------------------------------------------------- */

static const slice msg_keys[] = {
	SLICE_LIT("msg"), SLICE_LIT("message"), { NULL, 0 }
};
/* A list macro: json_line_alert() also tests their first letters. */
#define LEVEL_KEYS(X) X("level") X("severity") X("lvl")
#define LEVEL_KEY_SLICE(k) SLICE_LIT(k),
static const slice level_keys[] = { LEVEL_KEYS(LEVEL_KEY_SLICE) { NULL, 0 } };
static const slice time_keys[] = {
	SLICE_LIT("time"), SLICE_LIT("ts"), SLICE_LIT("timestamp"),
	SLICE_LIT("@timestamp"), { NULL, 0 }
};
static const slice scope_keys[] = {
	SLICE_LIT("scope"), SLICE_LIT("logger"), { NULL, 0 }
};
/* An Event or a list of them, read from a tree (events.c). */
static const slice event_keys[] = {
	SLICE_LIT("items"), SLICE_LIT("involvedObject"), SLICE_LIT("regarding"),
	{ NULL, 0 }
};
/* Not appended to the message: bulky or already shown. */
static const slice skip_keys[] = {
	SLICE_LIT("caller"), SLICE_LIT("stacktrace"), SLICE_LIT("v"), { NULL, 0 }
};

/* A scalar as text: strings as they are, numbers as JSON writes them. */
static int
add_scalar(buf_t *b, const jl_member *v)
{
	char num[64];
	slice t = jsonline_number_as_written(v);
	int k;

	if (t.n)
		return buf_add(b, t.p, t.n);
	switch (v->type) {
	case JL_STRING:
		return buf_add(b, v->str.p, v->str.n);
	case JL_INTEGER:
		k = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			     v->integer);
		break;
	case JL_REAL:
		k = jsonline_real_text(num, sizeof(num), jsonline_real(v));
		break;
	case JL_TRUE:
	case JL_FALSE:
		k = snprintf(num, sizeof(num), "%s",
			     v->type == JL_TRUE ? "true" : "false");
		break;
	default:
		return 0;
	}
	return buf_add(b, num, (size_t)k);
}

/* "<TAB>key=value" */
static int
add_field(buf_t *b, const jl_member *v)
{
	if (buf_reserve(b, v->key.n + 2) < 0)
		return -1;
	b->data[b->len++] = '\t';
	if (v->key.n)
		memcpy(b->data + b->len, v->key.p, v->key.n);
	b->len += v->key.n;
	b->data[b->len++] = '=';
	b->data[b->len] = '\0';
	return add_scalar(b, v);
}

static int
in(const slice *keys, slice k)
{
	for (; keys->p; keys++)
		if (keys->n == k.n && !memcmp(keys->p, k.p, k.n))
			return 1;
	return 0;
}

/* Whether a member's key is one of @keys: one pass over the members, not
 * one per key (every JSON line is asked). */
static int
has_key(const jsonline *jl, const slice *keys)
{
	size_t k;

	for (k = 0; k < jl->n; k++)
		if (in(keys, jl->m[k].key))
			return 1;
	return 0;
}

/* The string member @key, or an empty slice. */
static slice
jl_str(const jsonline *jl, slice key)
{
	const jl_member *v = jsonline_get_n(jl, key.p, key.n);
	return v && v->type == JL_STRING ? v->str : sl(NULL, 0);
}

/* A zap / Istio --log_as_json line.  The message is matched decoded, and
 * every other field follows it as "<TAB>key=value", the way Istio's
 * console encoder prints them, so one rule serves both encodings. */
static int
json_log_record(reader *rd, record *rec)
{
	const jsonline *jl = &rd->jl;
	const jl_member *v, *msg = NULL;
	size_t k;
	int i;

	for (i = 0; msg_keys[i].p && !msg; i++)
		msg = jsonline_get_n(jl, msg_keys[i].p, msg_keys[i].n);
	if (!msg || msg->type != JL_STRING)
		return 0;
	rd->msg.len = 0;
	if (buf_add(&rd->msg, msg->str.p, msg->str.n) < 0)
		return -1;
	rec->core_n = rd->msg.len;
	for (k = 0; k < jl->n && !rd->summary_only; k++) {
		v = &jl->m[k];
		if (in(msg_keys, v->key) || in(level_keys, v->key) ||
		    in(time_keys, v->key) || in(scope_keys, v->key) ||
		    in(skip_keys, v->key) || v->type == JL_OBJECT ||
		    v->type == JL_ARRAY || v->type == JL_NULL)
			continue;
		if (add_field(&rd->msg, v) < 0)
			return -1;
	}
	rec->msg = sl(rd->msg.data, rd->msg.len);
	for (i = 0; level_keys[i].p; i++) {
		slice l = jl_str(jl, level_keys[i]);
		if (l.p) {
			rec->level = level_name(l.p, l.n);
			break;
		}
	}
	if (rd->summary_only)
		return 1;
	for (i = 0; scope_keys[i].p && !rec->scope.p; i++)
		rec->scope = jl_str(jl, scope_keys[i]);
	for (i = 0; time_keys[i].p; i++) {
		const jl_member *t = jsonline_get_n(jl, time_keys[i].p,
						    time_keys[i].n);
		if (t && t->type == JL_STRING) {
			rec->timestamp = t->str;
			break;
		}
		if (t && (t->type == JL_INTEGER || t->type == JL_REAL)) {
			/* zap's epoch seconds: keep them as written. */
			rd->text.len = 0;
			if (add_scalar(&rd->text, t) < 0)
				return -1;
			rec->timestamp = sl(rd->text.data, rd->text.len);
			break;
		}
	}
	return 1;
}

/* --- kubectl describe and get events tables ---------------------------- */

static int
set_buf(buf_t *b, slice s)
{
	b->len = 0;
	return buf_add(b, s.p ? s.p : "", s.n);
}

/* The lines that start a `kubectl describe` section or part, or head a
 * `kubectl get events` table: each puts the reader in another state.
 * Each starts with a capital letter (header_of() asks that first). */
enum { HDR_NONE, HDR_NAME, HDR_NAMESPACE, HDR_EVENTS, HDR_LAST_SEEN,
       HDR_NS_COLUMN };
static const slice headers[] = {
	SLICE_LIT(""), SLICE_LIT("Name:"), SLICE_LIT("Namespace:"),
	SLICE_LIT("Events:"), SLICE_LIT("LAST SEEN"), SLICE_LIT("NAMESPACE")
};

static int
header_of(const char *p, size_t n)
{
	int h;

	/* The first byte first: the fast path asks this of every line,
	 * and most start with a digit, a bracket or a brace. */
	if (!n || p[0] < 'A' || p[0] > 'Z')
		return HDR_NONE;
	/* Two bytes before the call: journald's lines start "Nov", klog's
	 * errors "E1120". */
	for (h = HDR_NAME; h <= HDR_NS_COLUMN; h++)
		if (n >= headers[h].n && p[0] == headers[h].p[0] &&
		    p[1] == headers[h].p[1] &&
		    !memcmp(p, headers[h].p, headers[h].n))
			return h;
	return HDR_NONE;
}

/* The header and Events table of `kubectl describe pod`; @h is the
 * line's header_of(). */
static int
describe_line(reader *rd, const char *p, size_t n, int h, record *rec)
{
	slice cols[5];

	if (h == HDR_NAME || h == HDR_NAMESPACE) {
		size_t len = headers[h].n;
		size_t k = split_columns(p + len, n - len, cols, 1);
		if (h == HDR_NAME) {
			rd->describe_ns.len = 0;
			rd->in_events = 0;
		}
		return set_buf(h == HDR_NAME ? &rd->describe_pod
					     : &rd->describe_ns,
			       k ? cols[0] : sl("", 0)) < 0
			       ? -1
			       : 0;
	}
	if (h == HDR_EVENTS) {
		rd->in_events = 1;
		return 0;
	}
	if (n && p[0] != ' ' && p[0] != '\t') {
		/* The Events table, a section's last part, has ended: the
		 * object is forgotten, so the reader is at rest again. */
		if (rd->in_events)
			rd->describe_pod.len = rd->describe_ns.len = 0;
		rd->in_events = 0;
		return 0;
	}
	if (!rd->in_events || split_columns(p, n, cols, 5) != 5 ||
	    !(is(cols[0], "Warning") || is(cols[0], "Normal")))
		return 0;
	rec->msg = cols[4];
	rec->level = is(cols[0], "Warning") ? "warn" : "info";
	rec->count = age_count(cols[2]);
	if (!rec->count)
		rec->count = 1;
	if (rd->describe_pod.len)
		rec->pod = sl(rd->describe_pod.data, rd->describe_pod.len);
	if (rd->describe_ns.len)
		rec->namespace = sl(rd->describe_ns.data, rd->describe_ns.len);
	return 1;
}

/* `kubectl get events` [-A]: remember the header's columns (@h is the
 * line's header_of()), then read rows by them. */
static int
events_table_line(reader *rd, const char *p, size_t n, int h, record *rec)
{
	slice cols[8];
	size_t k, i;

	if (h == HDR_LAST_SEEN ||
	    (h == HDR_NS_COLUMN && mem_find(p, n, headers[HDR_LAST_SEEN].p,
					    headers[HDR_LAST_SEEN].n))) {
		k = split_columns(p, n, cols, 8);
		rd->table_cols = 0;
		rd->col_ns = rd->col_age = rd->col_type = rd->col_reason =
			rd->col_object = rd->col_msg = -1;
		for (i = 0; i < k; i++) {
			if (is(cols[i], "NAMESPACE"))
				rd->col_ns = (int)i;
			else if (is(cols[i], "LAST SEEN"))
				rd->col_age = (int)i;
			else if (is(cols[i], "TYPE"))
				rd->col_type = (int)i;
			else if (is(cols[i], "REASON"))
				rd->col_reason = (int)i;
			else if (is(cols[i], "OBJECT"))
				rd->col_object = (int)i;
			else if (is(cols[i], "MESSAGE"))
				rd->col_msg = (int)i;
		}
		/* Only the layouts whose last column is the message. */
		if (rd->col_msg == (int)k - 1 && rd->col_type >= 0)
			rd->table_cols = (int)k;
		return 0;
	}
	if (!rd->table_cols)
		return 0;
	if (!n || p[0] == ' ' ||
	    split_columns(p, n, cols, (size_t)rd->table_cols) !=
		    (size_t)rd->table_cols ||
	    !(is(cols[rd->col_type], "Warning") ||
	      is(cols[rd->col_type], "Normal"))) {
		/* Not a row: the table has ended (a log follows the
		 * events), and lines are plain again. */
		rd->table_cols = 0;
		return 0;
	}
	rec->msg = cols[rd->col_msg];
	rec->level = is(cols[rd->col_type], "Warning") ? "warn" : "info";
	if (rd->col_ns >= 0)
		rec->namespace = cols[rd->col_ns];
	if (rd->col_age >= 0)
		rec->count = age_count(cols[rd->col_age]);
	if (!rec->count)
		rec->count = 1;
	/* get events: pod/NAME; kubectl events: Pod/NAME. */
	if (rd->col_object >= 0 && cols[rd->col_object].n > 4 &&
	    !strncasecmp(cols[rd->col_object].p, "pod/", 4))
		rec->pod = sl(cols[rd->col_object].p + 4,
			      cols[rd->col_object].n - 4);
	return 1;
}

/* --- the line dispatcher ---------------------------------------------- */

/* The envelopes around a line, outermost first: kubectl's --prefix, or
 * stern's, or the journal's; then kubectl's --timestamps.  One place for
 * the reader and for reader_line_alert(), so the fast path sees every
 * envelope the full path reads. */
static void
outer_envelopes(record *rec)
{
	if (!env_kubectl_prefix(rec) &&
	    env_maybe_wrapped(rec->msg.p, rec->msg.n) && !env_stern(rec))
		env_journald(rec);
	env_kubectl_timestamp(rec);
}

/* The envelope of a message that is not JSON: klog (with kubelet's
 * key="value" pairs), Envoy's, logfmt or the Istio console format.
 * @meta 0: the level and what it takes to find it, for
 * reader_line_alert(): kubelet's pairs name the pod, never the level, and
 * the console's scope and message come after it.  1: the message too,
 * all the summary reads of a line no rule can match (summary_only).  2:
 * everything, the pod a diagnosis names included. */
static void
inner_envelopes(record *rec, int meta)
{
	if (env_klog(rec)) {
		if (meta > 1)
			env_kv(rec);
	} else if (!env_envoy(rec) && !env_logfmt(rec)) {
		env_console(rec, meta);
	}
}

static int
plain_line(reader *rd, record *rec)
{
	const char *p;
	size_t n;

	outer_envelopes(rec);
	p = rec->msg.p;
	n = rec->msg.n;
	if (n >= 2 && p[0] == '{') {
		json_error_t jerr;
		json_t *o;
		int rc;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!n || p[n - 1] != '}')
			return 1;
		rc = jsonline_read(&rd->jl, p, n);
		if (rc < 0)
			return -1;
		if (rc == JL_OK && has_key(&rd->jl, event_keys))
			rc = JL_UNSURE;
		if (rc == JL_OK) {
			events_drop(rd);
			rc = json_log_record(rd, rec);
			return rc != 0 ? rc : 1;
		}
		if (rc == JL_INVALID)
			return 1;
		o = json_loadb(p, n, 0, &jerr);
		/* Not JSON after all is a plain line; no memory is not. */
		if (!o && json_error_code(&jerr) == json_error_out_of_memory)
			return -1;
		if (o) {
			events_drop(rd);
			rd->root = o;
			if (is_event_list(o)) {
				rd->items = json_object_get(o, "items");
				return 2;
			}
			if (json_object_get(o, "involvedObject") ||
			    json_object_get(o, "regarding")) {
				slice pod = rec->pod, ctr = rec->container;
				rc = event_record(o, rec);
				if (!rec->pod.p)
					rec->pod = pod;
				rec->container = ctr;
				if (rc)
					return rc;
				rec->msg = sl(p, n);
				return 1;
			}
			if (jsonline_from_tree(&rd->jl, o) < 0)
				return -1;
			rc = json_log_record(rd, rec);
			if (rc != 0)
				return rc;
		}
		return 1;
	}
	inner_envelopes(rec, rd->summary_only ? 1 : 2);
	return 1;
}

/* Whether @c may start "Warning" or a level key: most quotes are ruled
 * out here by a few compares of constants. */
#define WARNING_TYPE "Warning\""    /* an Event's type, closing quote too */
#define LEVEL_KEY_FIRST(k) || c == k[0]
static inline int
alert_first(char c)
{
	return c == WARNING_TYPE[0] LEVEL_KEYS(LEVEL_KEY_FIRST);
}

/* Whether the key that starts at @q (after a quote, @q < @end) is a
 * level key whose value is a string that names warn or above or holds
 * an escape (only the decoder knows what that spells), or @q starts an
 * Event's "Warning". */
static int
quoted_alert(const char *q, const char *end)
{
	const char *v, *e;
	size_t k;
	int i;

	if (*q == WARNING_TYPE[0])
		return (size_t)(end - q) >= sizeof(WARNING_TYPE) - 1 &&
		       !memcmp(q, WARNING_TYPE, sizeof(WARNING_TYPE) - 1);
	for (i = 0; level_keys[i].p; i++) {
		slice key = level_keys[i];
		if (*q == key.p[0] && (size_t)(end - q) > key.n &&
		    q[key.n] == '"' && !memcmp(q, key.p, key.n))
			break;
	}
	if (!level_keys[i].p)
		return 0;
	k = level_keys[i].n;
	for (v = q + k + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	if (v >= end || *v++ != ':')
		return 0;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	if (v >= end || *v++ != '"')
		return 0;
	for (e = v; e < end && *e != '"' && *e != '\\'; e++)
		;
	return e >= end || *e == '\\' ||
	       level_warn(level_name(v, (size_t)(e - v)));
}

/* Whether the raw JSON line @p may give a record of warn or above: an
 * Event's type ("Warning" anywhere), or a level key (any of level_keys,
 * anywhere) with a string value that names warn or above.  A superset
 * of what the decoder picks, found in one pass over the line's quotes,
 * 16 bytes a step where SSE2 is (a memchr() a quote cost ~2,000
 * instructions a line whose message only mentions an error). */
static int
json_line_alert(const char *p, size_t n)
{
	const char *end = p + n;
	size_t i = 0;

#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"');

	for (; n - i > 16; i += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(p + i)), quote));
		for (; m; m &= m - 1) {
			const char *q = p + i + __builtin_ctz(m) + 1;
			if (alert_first(*q) && quoted_alert(q, end))
				return 1;
		}
	}
#endif
	for (; i + 1 < n; i++)
		if (p[i] == '"' && alert_first(p[i + 1]) &&
		    quoted_alert(p + i + 1, end))
			return 1;
	return 0;
}

int
reader_line_alert(const char *p, size_t n)
{
	record rec;

	memset(&rec, 0, sizeof(rec));
	rec.msg = sl(p, n);
	outer_envelopes(&rec);
	if (rec.msg.n >= 2 && rec.msg.p[0] == '{')
		return json_line_alert(rec.msg.p, rec.msg.n);
	inner_envelopes(&rec, 0);
	return level_warn(rec.level);
}

int
reader_line_changes_state(const char *p, size_t n)
{
	return doc_opens(p, n) || header_of(p, n) != HDR_NONE;
}

/* Whether a line could be part of a pretty-printed JSON document: after
 * its indentation, a bracket, a quote, true/false/null or a number alone.
 * A log line after a stray '{' is not, and ends the document there. */
static int
json_like_line(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n || strchr("{}[]\"", p[i]))
		return 1;
	if ((n - i >= 4 && (!memcmp(p + i, "true", 4) ||
			    !memcmp(p + i, "null", 4))) ||
	    (n - i >= 5 && !memcmp(p + i, "false", 5)))
		return 1;
	if (p[i] != '-' && (p[i] < '0' || p[i] > '9'))
		return 0;
	while (i < n && strchr("0123456789.eE+-", p[i]))
		i++;
	while (i < n && (p[i] == ' ' || p[i] == ',' || p[i] == '\r'))
		i++;
	return i == n;
}

/* A held line: its number and length, then its bytes. */
typedef struct {
	uint64_t line;
	size_t n;
} held_head;

static int
hold(reader *rd, const char *p, size_t n, uint64_t line_no)
{
	held_head h = { line_no, n };

	if (rd->held_off)
		return 0;
	if (rd->held.len + sizeof(h) + n > rd->window) {
		/* Only an item as long as a record gets here after an event
		 * (it is reported as skipped): stop holding until it ends. */
		rd->held.len = 0;
		rd->held_off = 1;
		return 0;
	}
	return buf_add(&rd->held, (const char *)&h, sizeof(h)) < 0 ||
			       buf_add(&rd->held, p, n) < 0
		       ? -1
		       : 0;
}

/* Give the open document up: its held lines are read as plain lines. */
static void
doc_abandon(reader *rd)
{
	rd->in_doc = rd->resync = rd->item_open = 0;
	rd->replaying = 1;
	rd->replay_at = 0;
}

static int line_step(reader *rd, const char *p, size_t n, uint64_t line_no,
		     int cut, int replay);

/* A line of an open document.  2: the document was given up before it
 * (so read it after the held lines, as a fresh line). */
static int
doc_step(reader *rd, const char *p, size_t n, uint64_t line_no, int cut,
	 record *rec)
{
	int rc = 0, was_resync = rd->resync;

	if (!rd->resync && !cut && !json_like_line(p, n)) {
		/* Not a document after all: say so, and read its lines, this
		 * one and the rest as plain lines. */
		doc_fail(rd, line_no, 1,
			 "JSON document opened at line %llu not closed; its lines read as plain lines",
			 (unsigned long long)rd->doc_line);
		doc_abandon(rd);
		return 2;
	}
	if (!rd->doc_items &&
	    rd->held.len + sizeof(held_head) + n > rd->window) {
		doc_fail(rd, line_no, 1,
			 "JSON document opened at line %llu has no event in its first %zu bytes; its lines read as plain lines",
			 (unsigned long long)rd->doc_line, rd->window);
		doc_abandon(rd);
		return 2;
	}
	rd->doc_closed = 0;
	if (hold(rd, p, n, line_no) < 0)
		return -1;
	if (rd->resync) {
		rc = doc_resync(rd, p, n, line_no, rec);
	} else if (cut) {
		/* The first part may open the item; after it, neither braces
		 * nor quotes can be trusted. */
		if (doc_line(rd, p, n, line_no) < 0)
			return -1;
		if (rd->item_open) {
			rd->item_oversized = 1;
			rd->resync = 1;
		} else {
			doc_fail(rd, line_no, 1,
				 "line longer than the limit in the JSON document; its lines read as plain lines");
			doc_abandon(rd);
			return 0;
		}
	} else {
		rc = doc_line(rd, p, n, line_no);
		if (rc == 1) {
			/* Read, or reported as malformed. */
			rc = doc_item(rd, rec);
			rd->have_line_rec = rc == 1;
			rd->items_line = rd->item_line;
			rc = rc < 0 ? -1 : 1;
		}
	}
	if (rc < 0)
		return -1;
	if (rc == 1 || (was_resync && !rd->resync)) {
		/* An item ended: its lines are read. */
		rd->doc_items = 1;
		rd->held.len = 0;
		rd->held_off = 0;
	}
	if (!rd->in_doc) {
		if (rd->doc_closed && rd->doc_items)
			rd->held.len = 0;
		else
			doc_abandon(rd);
	}
	return 0;
}

/* One line, read in the reader's state; @replay: a held line, read as
 * if no document had opened before it (it opens none either, so each
 * line is held and read again at most once). */
static int
line_step(reader *rd, const char *p, size_t n, uint64_t line_no, int cut,
	  int replay)
{
	record *rec = &rd->line_rec;
	int rc, h;

	memset(rec, 0, sizeof(*rec));
	rec->msg = rec->text = sl(p, n);
	rec->count = 1;
	if (rd->in_doc) {
		rc = doc_step(rd, p, n, line_no, cut, rec);
		if (rc == 2) {
			rd->pend = p;
			rd->pend_n = n;
			rd->pend_line = line_no;
			rd->has_pend = 1;
			rc = 0;
		}
		return rc;
	}
	if (!replay && doc_opens(p, n)) {
		rd->in_doc = 1;
		rd->doc_depth = 1;
		rd->doc_stack[0] = '{';
		rd->doc_in_str = rd->doc_esc = 0;
		rd->item_open = rd->resync = 0;
		rd->doc_items = rd->held_off = 0;
		rd->held.len = 0;
		rd->doc_line = line_no;
		return hold(rd, p, n, line_no);
	}
	rd->items_line = line_no;
	h = header_of(p, n);
	rc = describe_line(rd, p, n, h, rec);
	if (rc == 0)
		rc = events_table_line(rd, p, n, h, rec);
	if (rc == 0)
		rc = plain_line(rd, rec);
	if (rc < 0)
		return -1;
	if (rc == 2) {
		rd->item_idx = 0;
		return 0;
	}
	rd->have_line_rec = 1;
	return 0;
}

int
reader_line(reader *rd, const char *p, size_t n, uint64_t line_no, int cut)
{
	rd->have_line_rec = 0;
	rd->items = NULL;
	return line_step(rd, p, n, line_no, cut, 0);
}

int
reader_take(reader *rd, record *rec, uint64_t *rec_line)
{
	for (;;) {
		held_head h;
		int rc;

		if (rd->have_line_rec) {
			rd->have_line_rec = 0;
			*rec = rd->line_rec;
			*rec_line = rd->items_line;
			return 1;
		}
		while (rd->items && rd->item_idx < json_array_size(rd->items)) {
			json_t *ev = json_array_get(rd->items, rd->item_idx++);
			memset(rec, 0, sizeof(*rec));
			rec->count = 1;
			if (json_is_object(ev) && event_record(ev, rec)) {
				*rec_line = rd->items_line;
				return 1;
			}
		}
		rd->items = NULL;
		if (rd->streaming) {
			rc = stream_next(rd, rec);
			if (rc == 1)
				*rec_line = rd->items_line;
			return rc;
		}
		if (rd->replaying && rd->replay_at < rd->held.len) {
			memcpy(&h, rd->held.data + rd->replay_at, sizeof(h));
			rd->replay_at += sizeof(h) + h.n;
			if (line_step(rd, rd->held.data + rd->replay_at - h.n,
				      h.n, h.line, 0, 1) < 0)
				return -1;
			continue;
		}
		if (rd->replaying) {
			rd->replaying = 0;
			rd->held.len = rd->replay_at = 0;
		}
		if (!rd->has_pend)
			return 0;
		rd->has_pend = 0;
		if (line_step(rd, rd->pend, rd->pend_n, rd->pend_line, 0, 0) < 0)
			return -1;
	}
}

void
reader_finish(reader *rd, uint64_t line_no)
{
	if (rd->in_doc) {
		doc_fail(rd, line_no, 1,
			 "JSON document opened at line %llu is not closed at the end of input; its lines read as plain lines",
			 (unsigned long long)rd->doc_line);
		doc_abandon(rd);
	}
}

int
reader_idle(const reader *rd)
{
	return !rd->in_doc && !rd->in_events && !rd->table_cols &&
	       !rd->have_line_rec && !rd->items && !rd->streaming &&
	       !rd->replaying && !rd->has_pend;
}
