/*
 * Merging summary documents from many scans into one.  Everything is
 * decided by values in the documents, never by which came first, so the
 * merge is associative and commutative: any tree of nodes, files and
 * windows gives the same document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "jsonline.h"
#include "jsonw.h"
#include "limits.h"
#include "summary.h"

/* Counters that add up; the last two are raised by the caps. */
static const char *const totals[] = { "records", "bytes", "truncated",
				      "malformed", "limit_hits",
				      "problems_dropped",
				      "unclassified_dropped", NULL };
enum { PROBLEMS_DROPPED = 5, UNCLASSIFIED_DROPPED = 6 };

json_int_t
summary_count_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) && json_integer_value(v) > 0
		       ? json_integer_value(v)
		       : 0;
}

static json_int_t
sat_add(json_int_t a, json_int_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* A time as a string that sorts by instant: RFC 3339 with any offset
 * becomes UTC seconds and nanoseconds; other forms (klog has no year,
 * zap writes epoch seconds) sort as written, after those. */
static void
time_key(const char *t, char *out, size_t size)
{
	struct tm tm;
	int y, mo, d, h, mi, s, n = 0, oh = 0, om = 0;
	char frac[10] = "000000000";
	const char *p;
	long long secs;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(t, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
		   &s, &n) != 6 || !n) {
		snprintf(out, size, "~%s", t);
		return;
	}
	p = t + n;
	if (*p == '.') {
		size_t k = 0;
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (k < 9)
				frac[k++] = *p;
	}
	if ((*p == '+' || *p == '-') &&
	    sscanf(p + 1, "%2d:%2d", &oh, &om) == 2) {
		if (*p == '+')
			oh = -oh, om = -om;
	} else if (*p != 'Z' && *p != 'z') {
		snprintf(out, size, "~%s", t);
		return;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	secs = (long long)timegm(&tm) + oh * 3600LL + om * 60LL;
	snprintf(out, size, "%020lld.%s", secs + 50000000000LL, frac);
}

/* <0, 0, >0 as @a is earlier than @b; a missing time (NULL) is later
 * than any, so a sighting with a time is preferred as the first. */
static int
cmp_time(const char *a, const char *b)
{
	char ka[96], kb[96];
	int c;

	if (!a || !b)
		return !a - !b;
	time_key(a, ka, sizeof(ka));
	time_key(b, kb, sizeof(kb));
	c = strcmp(ka, kb);
	return c ? c : strcmp(a, b);
}

const char *
summary_str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *
first_source(json_t *p)
{
	const char *s = json_string_value(json_array_get(
		json_object_get(p, "sources"), 0));
	return s ? s : "";
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Whole-object order, the last tie-break: any two documents order the
 * same way. */
static int
cmp_text(json_t *a, json_t *b)
{
	char *ta = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS),
	     *tb = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	int c = cmp_str(ta, tb);
	free(ta);
	free(tb);
	return c;
}

static int
cmp_line(json_t *a, json_t *b, const char *k)
{
	json_int_t x = summary_count_of(a, k), y = summary_count_of(b, k);
	return (x > y) - (x < y);
}

/* The first sighting: (first_time, source, first_line). */
static int
cmp_first(json_t *a, json_t *b)
{
	int c = cmp_time(summary_str_of(a, "first_time"),
			 summary_str_of(b, "first_time"));
	if (!c)
		c = strcmp(first_source(a), first_source(b));
	if (!c)
		c = cmp_line(a, b, "first_line");
	return c ? c : cmp_text(a, b);
}

/* The last sighting: (last_time, missing first; last_line).  Sightings
 * that tie give the same last_line, so either will do. */
static int
cmp_last(json_t *a, json_t *b)
{
	const char *x = summary_str_of(a, "last_time");
	const char *y = summary_str_of(b, "last_time");
	int c = !x || !y ? !!x - !!y : cmp_time(x, y);
	return c ? c : cmp_line(a, b, "last_line");
}

/* The later of two times; NULL only when both are. */
static const char *
later(const char *a, const char *b)
{
	if (!a || !b)
		return a ? a : b;
	return cmp_time(a, b) >= 0 ? a : b;
}

static const char *
earlier(const char *a, const char *b)
{
	if (!a || !b)
		return a ? a : b;
	return cmp_time(a, b) <= 0 ? a : b;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The union of both source lists: @first, then the others sorted. */
static json_t *
union_sources(json_t *a, json_t *b, const char *first)
{
	size_t na = json_array_size(a), nb = json_array_size(b), n = 0, i;
	const char **v = malloc((na + nb + 1) * sizeof(*v));
	json_t *out = json_array();

	if (!v || !out) {
		free(v);
		json_decref(out);
		return NULL;
	}
	for (i = 0; i < na + nb; i++) {
		const char *s = json_string_value(
			i < na ? json_array_get(a, i) : json_array_get(b, i - na));
		if (s && strcmp(s, first))
			v[n++] = s;
	}
	qsort(v, n, sizeof(*v), cmp_cstr);
	json_array_append_new(out, json_string(first));
	for (i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			json_array_append_new(out, json_string(v[i]));
	free(v);
	return out;
}

static int
set_or_null(json_t *o, const char *k, const char *v)
{
	return json_object_set_new(o, k, v ? json_string(v) : json_null());
}

/* Fold problem @b into @a (in place). */
static int
merge_problem(json_t *a, json_t *b)
{
	json_t *first = cmp_first(a, b) <= 0 ? a : b;
	json_t *srcs = union_sources(json_object_get(a, "sources"),
				     json_object_get(b, "sources"),
				     first_source(first));
	json_t *last_line = json_incref(json_object_get(
		cmp_last(b, a) > 0 ? b : a, "last_line"));
	char *ft = NULL, *lt = NULL;
	json_int_t count = sat_add(summary_count_of(a, "count"),
				   summary_count_of(b, "count"));
	int rc = 0;

	if (!srcs)
		return -1;
	if (earlier(summary_str_of(a, "first_time"), summary_str_of(b, "first_time")))
		ft = strdup(earlier(summary_str_of(a, "first_time"),
				    summary_str_of(b, "first_time")));
	if (later(summary_str_of(a, "last_time"), summary_str_of(b, "last_time")))
		lt = strdup(later(summary_str_of(a, "last_time"),
				  summary_str_of(b, "last_time")));
	if (first == b) {
		const char *k;
		json_t *v;
		json_object_foreach(b, k, v)
			rc |= json_object_set(a, k, v);
	}
	rc |= json_object_set_new(a, "count", json_integer(count));
	rc |= set_or_null(a, "first_time", ft);
	rc |= set_or_null(a, "last_time", lt);
	rc |= json_object_set_new(a, "last_line", last_line);
	rc |= json_object_set_new(a, "sources", srcs);
	free(ft);
	free(lt);
	return rc ? -1 : 0;
}

/* The example of an unclassified group: the smallest (source, line). */
static int
cmp_example(json_t *a, json_t *b)
{
	int c = cmp_str(summary_str_of(a, "source"), summary_str_of(b, "source"));
	if (!c)
		c = cmp_line(a, b, "first_line");
	return c ? c : cmp_text(a, b);
}

static int
merge_shape(json_t *a, json_t *b)
{
	json_int_t count = sat_add(summary_count_of(a, "count"),
				   summary_count_of(b, "count"));
	if (cmp_example(b, a) < 0) {
		const char *k;
		json_t *v;
		json_object_foreach(b, k, v)
			if (json_object_set(a, k, v) < 0)
				return -1;
	}
	return json_object_set_new(a, "count", json_integer(count));
}

static int
severity_rank(json_t *p)
{
	const char *s = summary_str_of(p, "severity");
	return !cmp_str(s, "error") ? 0 : !cmp_str(s, "warning") ? 1 : 2;
}

static int
cmp_problem_order(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int c = severity_rank(a) - severity_rank(b);
	if (!c)
		c = strcmp(first_source(a), first_source(b));
	if (!c)
		c = cmp_line(a, b, "first_line");
	return c ? c : cmp_text(json_object_get(a, "key"),
				json_object_get(b, "key"));
}

static int
cmp_shape_order(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	return cmp_example(a, b);
}

static int
cmp_rule_order(const void *x, const void *y)
{
	return cmp_str(summary_str_of(*(json_t *const *)x, "rule"),
		       summary_str_of(*(json_t *const *)y, "rule"));
}

/* Fold each member of array @arr into @groups (key -> object), by the
 * key @keyf gives. */
static int
fold(json_t *groups, json_t *arr, char *(*keyf)(json_t *),
     int (*merge)(json_t *, json_t *))
{
	size_t i;
	json_t *item;

	json_array_foreach(arr, i, item) {
		char *k = keyf(item);
		json_t *have;
		int rc;
		if (!k)
			return -1;
		have = json_object_get(groups, k);
		rc = have ? merge(have, item)
			  : json_object_set_new(groups, k, json_deep_copy(item));
		free(k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static char *
problem_id(json_t *p)
{
	return json_dumps(json_object_get(p, "key"), JSON_COMPACT);
}

static char *
shape_id(json_t *u)
{
	json_t *k = json_pack("[OO]", json_object_get(u, "shape"),
			      json_object_get(u, "level"));
	char *s = k ? json_dumps(k, JSON_COMPACT) : NULL;
	json_decref(k);
	return s;
}

static char *
rule_id(json_t *r)
{
	const char *s = summary_str_of(r, "rule");
	return strdup(s ? s : "");
}

static int
add_counts(json_t *a, json_t *b)
{
	return json_object_set_new(a, "count",
				   json_integer(sat_add(summary_count_of(a, "count"),
							summary_count_of(b, "count"))));
}

/* The groups of @groups as an array in @cmp order, the first @cap of
 * them; the counts of the rest are added to *dropped. */
static json_t *
sorted(json_t *groups, int (*cmp)(const void *, const void *), size_t cap,
       json_int_t *dropped)
{
	size_t n = json_object_size(groups), i = 0;
	json_t **v = malloc((n + 1) * sizeof(*v)), *out = json_array(), *g;
	const char *k;

	if (!v || !out) {
		free(v);
		json_decref(out);
		return NULL;
	}
	json_object_foreach(groups, k, g)
		v[i++] = g;
	qsort(v, n, sizeof(*v), cmp);
	for (i = 0; i < n; i++) {
		if (i < cap)
			json_array_append(out, v[i]);
		else
			*dropped = sat_add(*dropped, summary_count_of(v[i], "count"));
	}
	free(v);
	return out;
}

/* What the tsblog command says of each input: a source read in one part
 * and not in another was not read whole. */
static int
status_rank(const char *s)
{
	static const char *const order[] = { "read", "interrupted", "binary",
					     "unreadable", NULL };
	int i;
	for (i = 0; order[i]; i++)
		if (!cmp_str(s, order[i]))
			return i;
	return i;
}

static int
merge_input(json_t *a, json_t *b)
{
	if (status_rank(summary_str_of(b, "status")) >
	    status_rank(summary_str_of(a, "status")))
		return json_object_set(a, "status", json_object_get(b, "status"));
	return 0;
}

static char *
input_id(json_t *i)
{
	const char *s = summary_str_of(i, "source");
	return strdup(s ? s : "");
}

static int
cmp_input_order(const void *x, const void *y)
{
	return cmp_str(summary_str_of(*(json_t *const *)x, "source"),
		       summary_str_of(*(json_t *const *)y, "source"));
}

/* A summary document this merge understands, or why not. */
static const char *
check(json_t *doc)
{
	size_t i;
	json_t *p;

	if (!json_is_object(doc))
		return "not a JSON object";
	if (json_integer_value(json_object_get(doc, "schema_version")) != 1)
		return "schema_version is not 1";
	if (!json_is_array(json_object_get(doc, "problems")) ||
	    !json_is_array(json_object_get(doc, "unclassified")))
		return "not a summary: no problems or unclassified arrays";
	json_array_foreach(json_object_get(doc, "problems"), i, p)
		if (!json_is_array(json_object_get(p, "key")))
			return "a problem has no key (a summary from before keys)";
	return NULL;
}

int
tsblog_summary_merge(char **out, const char *const *docs, const size_t *lens,
		     const char *const *names, size_t n, tsblog_error *err)
{
	json_t *probs = json_object(), *shapes = json_object(),
	       *limits = json_object(), *inputs = json_object(),
	       *res = json_object();
	json_int_t sums[8] = { 0 }, unused = 0;
	int any_inputs = 0, complete = 1;
	size_t d, i;
	int rc = TSBLOG_ENOMEM;

	if (!out || (n && (!docs || !lens))) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_summary_merge: NULL argument");
		rc = TSBLOG_EINVAL;
		goto done;
	}
	*out = NULL;
	if (!probs || !shapes || !limits || !inputs || !res)
		goto nomem;
	for (d = 0; d < n; d++) {
		char name[32];
		const char *src = names && names[d] ? names[d] : name;
		json_error_t jerr;
		json_t *doc;
		const char *why;

		snprintf(name, sizeof(name), "<summary %zu>", d + 1);
		doc = jsonline_loadb(docs[d] ? docs[d] : "", docs[d] ? lens[d] : 0,
				    0, &jerr);
		if (!doc && json_error_code(&jerr) == json_error_out_of_memory)
			goto nomem;
		if (!doc) {
			err_raise_lc(err, TSBLOG_ESYNTAX, src, jerr.line,
				     jerr.column, (size_t)jerr.position, "%s",
				     jerr.text);
			rc = TSBLOG_ESYNTAX;
			goto done;
		}
		if ((why = check(doc))) {
			err_raise(err, TSBLOG_ESCHEMA, NULL, NO_POS, NULL,
				  NULL, "%s: %s", src, why);
			json_decref(doc);
			rc = TSBLOG_ESCHEMA;
			goto done;
		}
		for (i = 0; totals[i]; i++)
			sums[i] = sat_add(sums[i], summary_count_of(doc, totals[i]));
		if (fold(probs, json_object_get(doc, "problems"), problem_id,
			 merge_problem) < 0 ||
		    fold(shapes, json_object_get(doc, "unclassified"), shape_id,
			 merge_shape) < 0 ||
		    fold(limits, json_object_get(doc, "limit_hit_rules"),
			 rule_id, add_counts) < 0 ||
		    fold(inputs, json_object_get(doc, "inputs"), input_id,
			 merge_input) < 0) {
			json_decref(doc);
			goto nomem;
		}
		/* The command's members: inputs, and complete only when
		 * every input was read. */
		if (json_object_get(doc, "inputs") || json_object_get(doc, "complete"))
			any_inputs = 1;
		if (json_is_false(json_object_get(doc, "complete")))
			complete = 0;
		json_decref(doc);
	}
	/* The same members, in the same order, as a scan's document. */
	json_object_set_new(res, "schema_version", json_integer(1));
	for (i = 0; i < PROBLEMS_DROPPED; i++)
		json_object_set_new(res, totals[i], json_integer(sums[i]));
	json_object_set_new(res, "limit_hit_rules",
			    sorted(limits, cmp_rule_order, (size_t)-1, &unused));
	json_object_set_new(res, "problems",
			    sorted(probs, cmp_problem_order, MAX_PROBLEMS,
				   &sums[PROBLEMS_DROPPED]));
	json_object_set_new(res, "problems_dropped",
			    json_integer(sums[PROBLEMS_DROPPED]));
	json_object_set_new(res, "unclassified",
			    sorted(shapes, cmp_shape_order, MAX_SHAPES,
				   &sums[UNCLASSIFIED_DROPPED]));
	json_object_set_new(res, "unclassified_dropped",
			    json_integer(sums[UNCLASSIFIED_DROPPED]));
	if (any_inputs) {
		json_object_set_new(res, "inputs", sorted(inputs, cmp_input_order,
							  (size_t)-1, &unused));
		json_object_set_new(res, "complete", json_boolean(complete));
	}
	if (json_object_size(res) != 11u + 2u * (unsigned)any_inputs ||
	    !(*out = json_text(res, JSON_COMPACT)))
		goto nomem;
	rc = 0;
	goto done;
nomem:
	err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL, "out of memory");
	rc = TSBLOG_ENOMEM;
done:
	json_decref(probs);
	json_decref(shapes);
	json_decref(limits);
	json_decref(inputs);
	json_decref(res);
	return rc;
}
