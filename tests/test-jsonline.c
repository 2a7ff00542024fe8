/*
 * jsonline.c against jansson: for every line that starts with '{', the
 * reader must say "not JSON" exactly when json_loadb() fails, and give
 * the members json_object_foreach() gives, byte for byte (or say it is
 * unsure, and reader.c asks jansson).  Lines come from a generator of
 * log-shaped objects with mutations, and from a collected corpus
 * (tests/data/jsonline/lines.txt) whose verdicts are written down.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "reader.h"     /* private: jsonline.h, the reader itself */
#include "jsonw.h"
#include "xorshift.h"

static const char *const verdict_name[] = { "bad", "ok", "ask" };

/* Compare one line; returns jsonline_read()'s verdict. */
static int
differ(const char *p, size_t n)
{
	jsonline a = { 0 }, b = { 0 };
	json_error_t err;
	json_t *o = json_loadb(p, n, 0, &err);
	int rc = jsonline_read(&a, p, n);
	size_t i;
	double xr, yr;

	/* Plain ifs: each ck_assert costs a write to Check's pipe. */
	if (rc < 0)
		ck_abort_msg("no memory");
	if (rc == JL_UNSURE)
		goto out;
	if ((rc == JL_OK) != (o != NULL))
		ck_abort_msg("jsonline says %s, jansson %s (%s) on [%.*s]",
			     verdict_name[rc], o ? "ok" : "error",
			     o ? "" : err.text, (int)n, p);
	if (!o)
		goto out;
	if (!json_is_object(o) || jsonline_from_tree(&b, o) < 0)
		ck_abort_msg("no object or no memory");
	if (a.n != b.n)
		ck_abort_msg("%zu members, jansson %zu on [%.*s]", a.n, b.n,
			     (int)n, p);
	for (i = 0; i < a.n; i++) {
		const jl_member *x = &a.m[i], *y = &b.m[i];
		if (x->key.n != y->key.n || memcmp(x->key.p, y->key.p, x->key.n) ||
		    x->type != y->type ||
		    (x->type == JL_STRING &&
		     (x->str.n != y->str.n || memcmp(x->str.p, y->str.p, x->str.n))) ||
		    (x->type == JL_INTEGER && x->integer != y->integer) ||
		    (x->type == JL_REAL &&
		     (xr = jsonline_real(x), yr = jsonline_real(y),
		      memcmp(&xr, &yr, sizeof(double)))))
			ck_abort_msg("member %zu differs from jansson's on [%.*s]",
				     i, (int)n, p);
	}
out:
	json_decref(o);
	jsonline_free(&a);
	jsonline_free(&b);
	return rc;
}

/* jsonline_tree() against json_loadb() under @flags: when it builds a
 * tree, jansson builds the same (compact dumps equal: types, order, each
 * real's value); returns 1 when it built one. */
static int
same_tree(const char *p, size_t n, size_t flags)
{
	json_error_t err;
	json_t *t = jsonline_tree(p, n, flags), *j = json_loadb(p, n, flags, &err);
	char *a, *b;
	int built = t != NULL;

	if (t && !j)
		ck_abort_msg("jsonline_tree built a tree, jansson says %s on [%.*s]",
			     err.text, (int)n, p);
	if (t) {
		a = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
		b = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!a || !b || strcmp(a, b))
			ck_abort_msg("tree %s, jansson %s on [%.*s]", a, b, (int)n, p);
		free(a);
		/* and the library's own dump (jw_tree()) is jansson's */
		a = json_text(j, JSON_COMPACT);
		if (!a || strcmp(a, b))
			ck_abort_msg("json_text %s, jansson %s on [%.*s]", a, b, (int)n, p);
		free(a);
		free(b);
	}
	json_decref(t);
	json_decref(j);
	return built;
}

/* --- generated lines ---------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned
pick(unsigned n)
{
	return xorshift_below(&rng, n);
}

#define ANY(a) (a)[pick(sizeof(a) / sizeof(*(a)))]

static const char *const keys[] = {
	"msg", "message", "level", "severity", "lvl", "ts", "time",
	"timestamp", "@timestamp", "scope", "logger", "caller", "stacktrace",
	"v", "log", "stream", "kubernetes", "pod_name", "error", "a", "",
	"m\\u0073g", "lev\\u0065l", "k\\u00e9y", "\\ud83d\\ude00",
	"k\\u0000", "items", "involvedObject",
};
/* String pieces: plain text, every escape jansson knows and some it
 * refuses, raw UTF-8 valid and not, control bytes. */
static const char *const pieces[] = {
	"connection refused", "error", "Warning", " ", "x",
	"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
	"\\u0041", "\\u00e9", "\\u20AC", "\\uffff", "\\u0001", "\\u001f",
	"\\ud83d\\ude00", "\\uDBFF\\uDFFF", "\\u0000", "\\ud800", "\\udc00",
	"\\ud800\\u0041", "\\ud800\\ue000", "\\ud800\\n", "\\ud800x", "\\uD83D\\uDe00",
	"\\x", "\\u12", "\\uzzzz", "\\U0041", "\\'", "\\",
	"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf",
	"\x7f", "\x80", "\xc0\xaf", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	"\xe0\x80\x80", "\xf0\x80\x80\x80", "\xff", "\xf5\x80\x80\x80",
	"\x01", "\x1f", "\t",
};
#define NPIECES (sizeof(pieces) / sizeof(*pieces))
static const char *const numbers[] = {
	"0", "-0", "1", "-1", "42", "1763626442", "1763626442.401127",
	"0.5", "-0.0", "1e3", "1E+3", "1e-3", "2.5e-07", "1.7976931348623157e308",
	"1e308", "1e309", "-1e309", "1e-400", "4.9e-324",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "123456789012345678901234567890",
	"01", "-01", "1.", ".5", "-", "1e", "1e+", "+1", "0x1F", "1.2.3",
	"00", "-a", "1ee3", "0.0000000000000000000000000000001",
	"3.14159265358979323846264338327950288419716939937510582097494459230",
};
static const char *const spaces[] = { "", "", "", " ", "\t", "\r", "\n",
				      " \r\n\t" };

static void gen_value(buf_t *b, int depth);

static void
add(buf_t *b, const char *s)
{
	if (buf_add(b, s, strlen(s)) < 0)
		ck_abort_msg("no memory");
}

static void
gen_string(buf_t *b)
{
	unsigned i, k = pick(5);

	add(b, "\"");
	for (i = 0; i < k; i++)
		add(b, pieces[pick(3) ? pick(5) : pick(NPIECES)]);
	add(b, "\"");
}

static void
gen_object(buf_t *b, int depth)
{
	unsigned i, k = pick(depth == 1 ? 9 : 4);

	add(b, "{");
	add(b, ANY(spaces));
	for (i = 0; i < k; i++) {
		if (i)
			add(b, ",");
		add(b, ANY(spaces));
		add(b, "\"");
		add(b, pick(8) ? ANY(keys) : ANY(pieces));
		add(b, "\"");
		add(b, ANY(spaces));
		add(b, ":");
		add(b, ANY(spaces));
		gen_value(b, depth + 1);
		add(b, ANY(spaces));
	}
	add(b, "}");
}

static void
gen_value(buf_t *b, int depth)
{
	unsigned i, k;

	switch (pick(depth > 3 ? 5 : 7)) {
	case 0:
	case 1:
		gen_string(b);
		break;
	case 2:
		add(b, ANY(numbers));
		break;
	case 3:
		add(b, pick(4) ? (const char *[]){ "true", "false", "null" }[pick(3)]
			       : (const char *[]){ "tru", "nul", "True",
						   "falsey" }[pick(4)]);
		break;
	case 4:
		/* now and then deeper than jsonline decides */
		k = pick(20) ? 1 : 28 + pick(12);
		for (i = 0; i < k; i++)
			add(b, "[");
		gen_string(b);
		for (i = 0; i < k; i++)
			add(b, "]");
		break;
	case 5:
		gen_object(b, depth);
		break;
	default:
		add(b, "[");
		k = pick(4);
		for (i = 0; i < k; i++) {
			if (i)
				add(b, ",");
			gen_value(b, depth + 1);
		}
		add(b, "]");
	}
}

/* Bytes a mutation inserts: JSON's own first. */
static const char alphabet[] = "{}[]\":,\\u0123456789abcdefeE+-. tnrl\t\x80\xc3";

static void
mutate(buf_t *b)
{
	size_t at = b->len ? pick((unsigned)b->len) : 0;

	switch (pick(5)) {
	case 0: /* delete */
		if (b->len > 1 && at) {
			memmove(b->data + at, b->data + at + 1, b->len - at - 1);
			b->len--;
		}
		break;
	case 1: /* insert */
		if (buf_reserve(b, 1) < 0)
			ck_abort_msg("no memory");
		memmove(b->data + at + 1, b->data + at, b->len - at);
		b->data[at] = alphabet[pick(sizeof(alphabet) - 1)];
		b->len++;
		break;
	case 2: /* replace */
		if (at)
			b->data[at] = alphabet[pick(sizeof(alphabet) - 1)];
		break;
	case 3: /* truncate, and maybe close again */
		if (at) {
			b->len = at;
			if (pick(2))
				add(b, "}");
		}
		break;
	default: /* text after the object */
		if (pick(7))
			add(b, (const char *[]){ " ", "}", "{}", "x", "\t\r",
						 "," }[pick(6)]);
		else if (buf_add(b, "", 1) < 0) /* a NUL byte */
			ck_abort_msg("no memory");
	}
	b->data[b->len] = '\0';
}

START_TEST(jsonline_matches_jansson_generated)
{
	buf_t b = { 0 };
	unsigned count[3] = { 0 }, dups = 0, escaped = 0, trees = 0, strict = 0;
	int i, k;

	for (i = 0; i < 200000; i++) {
		b.len = 0;
		gen_object(&b, 1);
		for (k = pick(3) ? 0 : 1 + pick(3); k > 0; k--)
			mutate(&b);
		if (!b.len || b.data[0] != '{')
			continue;
		count[differ(b.data, b.len)]++;
		trees += same_tree(b.data, b.len, 0);
		strict += same_tree(b.data, b.len, JSON_REJECT_DUPLICATES);
		if (strstr(b.data, "\"msg\"") &&
		    strstr(strstr(b.data, "\"msg\"") + 1, "\"msg\""))
			dups++;
		if (memchr(b.data, '\\', b.len))
			escaped++;
	}
	buf_free(&b);
	/* Both verdicts in earnest, the fallback reached, and the cases
	 * that make the difference (repeated keys, escapes) many times. */
	ck_assert_uint_gt(count[JL_OK], 30000);
	ck_assert_uint_gt(count[JL_INVALID], 100000);
	ck_assert_uint_gt(count[JL_UNSURE], 2000);
	ck_assert_uint_gt(dups, 2000);
	ck_assert_uint_gt(escaped, 100000);
	/* The tree reader decides most of what jansson reads (it leaves
	 * deep nesting and long numbers); refusing repeated keys, fewer. */
	ck_assert_uint_gt(trees, 30000);
	ck_assert_uint_gt(trees, strict + 1000);
}
END_TEST

/* The writer's strings (jw_str() through json_text()): every byte that
 * needs escaping and its neighbours, at every place in strings of 0 to
 * 40 bytes, so that each one falls inside, across and after the 16-byte
 * steps. */
START_TEST(writer_escapes_as_jansson)
{
	static const unsigned char bytes[] = { '"', '\\', '/', 0x01, 0x08,
		0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x20, 0x7f, 'a' };
	char s[48];
	size_t len, at, k, checked = 0;

	for (len = 1; len <= 40; len++)
		for (at = 0; at < len; at++)
			for (k = 0; k < sizeof(bytes); k++) {
				json_t *v;
				char *a, *b;
				memset(s, 'x', len);
				/* a 2-byte UTF-8 character before it */
				if (at >= 2)
					memcpy(s + at - 2, "\xc3\xa9", 2);
				s[at] = (char)bytes[k];
				s[len] = '\0';
				v = json_string(s);
				ck_assert_ptr_nonnull(v);
				a = json_text(v, JSON_COMPACT | JSON_ENCODE_ANY);
				b = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
				ck_assert_ptr_nonnull(a);
				ck_assert_ptr_nonnull(b);
				if (strcmp(a, b))
					ck_abort_msg("%s, jansson %s", a, b);
				free(a);
				free(b);
				json_decref(v);
				checked++;
			}
	ck_assert_uint_eq(checked, 820 * sizeof(bytes));
}
END_TEST

START_TEST(tree_is_janssons)
{
	/* Arrays at the top, blanks around, every kind of value. */
	static const char *const docs[] = {
		" [1, -0, 2.5e-07, \"caf\\u00e9\", true, false, null, {}, []]\r\n",
		"{\"rules\":[{\"id\":\"a\",\"match\":\"x\\\\d+\"}],\"tsblog\":1}",
	};
	const char *dup = "{\"a\":1,\"b\":2,\"a\":[3]}";
	json_error_t e1, e2;
	json_t *t;
	char *d;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++)
		ck_assert_int_eq(same_tree(docs[i], strlen(docs[i]), 0), 1);
	/* A repeated key: its last value where it first was; refused
	 * under JSON_REJECT_DUPLICATES, and the error is jansson's. */
	t = jsonline_tree(dup, strlen(dup), 0);
	ck_assert_ptr_nonnull(t);
	d = json_dumps(t, JSON_COMPACT);
	ck_assert_str_eq(d, "{\"a\":[3],\"b\":2}");
	free(d);
	json_decref(t);
	ck_assert_ptr_null(jsonline_tree(dup, strlen(dup), JSON_REJECT_DUPLICATES));
	ck_assert_ptr_null(jsonline_loadb("{\"a\":1,\n\"a\":2}", 14,
					  JSON_REJECT_DUPLICATES, &e1));
	ck_assert_str_eq(e1.text, "duplicate object key near '\"a\"'");
	ck_assert_int_eq(e1.line, 2);
	ck_assert_int_eq(e1.column, 3);
	/* Not JSON, text after it, a flag it does not take: no tree, and
	 * jansson's answer. */
	ck_assert_ptr_null(jsonline_tree("{\"a\":1} x", 9, 0));
	ck_assert_ptr_null(jsonline_tree("\"a\"", 3, 0));
	ck_assert_ptr_null(jsonline_tree("[1]", 3, JSON_DECODE_ANY));
	ck_assert_ptr_null(jsonline_loadb("[1,\n]", 5, 0, &e1));
	ck_assert_ptr_null(json_loadb("[1,\n]", 5, 0, &e2));
	ck_assert_str_eq(e1.text, e2.text);
	ck_assert_int_eq(e1.line, e2.line);
	ck_assert_int_eq(e1.column, e2.column);
	ck_assert_int_eq(e1.position, e2.position);
	/* Success leaves the error as jansson does. */
	t = jsonline_loadb("{}", 2, 0, &e1);
	ck_assert_ptr_nonnull(t);
	json_decref(t);
	ck_assert_str_eq(e1.text, "");
	ck_assert_str_eq(e1.source, "<buffer>");
	ck_assert_int_eq(e1.line, -1);
}
END_TEST

/* A rule file read rule by rule: the root as jansson reads it with an
 * empty "rules", and each element's text building the element jansson
 * builds; every file it cannot vouch for whole is refused. */
START_TEST(deferred_tree_is_janssons)
{
	static const char doc[] =
		"{\"tsblog\": 1,\n \"rules\": [ {\"id\": \"a\", \"n\": [1, 2.5, {\"x\": null}]},\n"
		"  \"caf\\u00e9\" , [], -3, {\"id\": \"b\\\\d\"}\t]\n, \"patterns\": {}}";
	static const char *const refused[] = {
		"{\"rules\": [1], \"rules\": [2]}",  /* repeated: jansson's */
		"{\"rules\": {\"a\": 1}}",            /* not an array */
		"{\"tsblog\": 1}",                    /* no such member */
		"{\"rules\": [1, ]}",                 /* not JSON */
		"{\"rules\": [\"\\u0000\"]}",         /* jansson refuses it */
		"{\"rules\": [\"\xff\"]}",            /* invalid UTF-8 */
		"{\"rules\": [1]} x",                 /* text after it */
		"[{\"rules\": [1]}]",                 /* not the root's */
	};
	json_t *want = json_loadb(doc, sizeof(doc) - 1, 0, NULL), *t, *e;
	slice *items = NULL;
	size_t n = 0, i;
	char *a, *b;

	ck_assert_ptr_nonnull(want);
	t = jsonline_tree_deferring(doc, sizeof(doc) - 1,
				    JSON_REJECT_DUPLICATES, "rules", &items, &n);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(n, json_array_size(json_object_get(want, "rules")));
	ck_assert_uint_eq(n, 5);
	for (i = 0; i < n; i++) {
		e = jsonline_tree(items[i].p, items[i].n, 0);
		if (!e)     /* a scalar: jsonline_tree() takes containers */
			e = json_loadb(items[i].p, items[i].n, JSON_DECODE_ANY,
				       NULL);
		ck_assert_ptr_nonnull(e);
		a = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
		b = json_dumps(json_array_get(json_object_get(want, "rules"), i),
			       JSON_COMPACT | JSON_ENCODE_ANY);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
		json_decref(e);
	}
	ck_assert_int_eq(items[0].p[0], '{');
	ck_assert_int_eq(items[4].p[items[4].n - 1], '}');
	json_object_set_new(want, "rules", json_array());
	a = json_dumps(t, JSON_COMPACT);
	b = json_dumps(want, JSON_COMPACT);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	free(items);
	json_decref(t);
	json_decref(want);

	t = jsonline_tree_deferring("{\"rules\":[]}", 12, 0, "rules", &items,
				    &n);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(n, 0);
	free(items);
	json_decref(t);
	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		items = NULL;
		ck_assert_msg(!jsonline_tree_deferring(refused[i],
						       strlen(refused[i]),
						       JSON_REJECT_DUPLICATES,
						       "rules", &items, &n),
			      "%s", refused[i]);
		ck_assert_ptr_null(items);
	}
}
END_TEST

/* --- the collected corpus ---------------------------------------------- */

/* A corpus line: VERDICT<TAB>LINE, where \x{HH} stands for a byte. */
static size_t
unescape(char *s)
{
	char *r = s, *w = s;
	unsigned v;

	while (*r) {
		if (!strncmp(r, "\\x{", 3) && sscanf(r + 3, "%2x}", &v) == 1 &&
		    r[5] == '}') {
			*w++ = (char)v;
			r += 6;
		} else {
			*w++ = *r++;
		}
	}
	return (size_t)(w - s);
}

START_TEST(jsonline_corpus)
{
	size_t len;
	char *text = tu_read_file(tu_data("jsonline/lines.txt"), &len);
	char *line, *save = NULL, *tab;
	unsigned cases = 0;

	ck_assert_ptr_nonnull(text);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int want, got;
		size_t n;
		if (line[0] == '#' || !(tab = strchr(line, '\t')))
			continue;
		*tab = '\0';
		want = !strcmp(line, "ok") ? JL_OK : !strcmp(line, "bad") ? JL_INVALID
									 : JL_UNSURE;
		ck_assert_msg(want != JL_UNSURE || !strcmp(line, "ask"),
			      "verdict %s", line);
		n = unescape(tab + 1);
		got = differ(tab + 1, n);
		ck_assert_int_eq(same_tree(tab + 1, n, 0), got == JL_OK);
		ck_assert_msg(got == want, "%s, not %s: [%s]", verdict_name[got],
			      verdict_name[want], tab + 1);
		cases++;
	}
	free(text);
	ck_assert_uint_gt(cases, 100);
}
END_TEST

/* --- what the reader makes of them -------------------------------------- */

typedef struct {
	const char *line, *msg, *level, *timestamp, *scope;
	size_t core_n;
} want_rec;

static void
expect_field(slice s, const char *want)
{
	if (!want) {
		ck_assert_ptr_null(s.p);
		return;
	}
	ck_assert_ptr_nonnull(s.p);
	ck_assert_msg(s.n == strlen(want) && !memcmp(s.p, want, s.n),
		      "[%.*s], not [%s]", (int)s.n, s.p, want);
}

/* The loop jsonline_real_text() replaced: every precision from 1. */
static int
real_text_loop(char *buf, size_t size, double d)
{
	int prec, k = 0;
	for (prec = 1; prec <= 17; prec++) {
		k = snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return k;
}

/* jsonline_real_text() against that loop: numbers as JSON lines write
 * them (decimals of 1 to 17 digits, fixed and exponent form, epoch
 * seconds with fractions), the edges of 15 and 16 digits, and doubles
 * of random bits. */
START_TEST(real_text_is_the_shortest)
{
	static const double edge[] = { 0.0, -0.0, 1.0, -1.5, 0.1, 0.3, 1e15,
		1e16, 1e17, 1.5e12, 123456789012345.0, 1234567890123456.0,
		9007199254740993.0, 0.30000000000000004, 1e-5, 1e-4, 5e-324,
		2.2250738585072014e-308, 1.7976931348623157e308,
		1e-310, 2.5e-320, 1763626442.401127, 1763626442.4, 1763626442.0 };
	uint64_t st = 88172645463325252ull;
	char a[64], b[64], lit[64];
	unsigned i, j, digits;
	size_t n = 0;

	for (i = 0; i < sizeof(edge) / sizeof(*edge) + 60000; i++) {
		double d;
		if (i < sizeof(edge) / sizeof(*edge)) {
			d = edge[i];
		} else if (i % 3 == 0) {
			uint64_t bits = ((uint64_t)xorshift_below(&st, 1u << 31) << 33) ^
					((uint64_t)xorshift_below(&st, 1u << 31) << 2) ^
					xorshift_below(&st, 4);
			memcpy(&d, &bits, sizeof(d));
			if (!isfinite(d))
				continue;
		} else {
			/* D.DDD...e+X with 1 to 17 digits, or epoch seconds */
			int k = 0;
			digits = 1 + xorshift_below(&st, 17);
			if (i % 3 == 1) {
				k += sprintf(lit + k, "%u.", 1 + xorshift_below(&st, 9));
				for (j = 1; j < digits; j++)
					lit[k++] = (char)('0' + xorshift_below(&st, 10));
				sprintf(lit + k, "e%d", (int)xorshift_below(&st, 61) - 30);
			} else {
				k += sprintf(lit, "17%08u.", xorshift_below(&st, 100000000));
				for (j = 0; j < digits % 7; j++)
					lit[k++] = (char)('0' + xorshift_below(&st, 10));
				lit[k] = 0;
			}
			d = strtod(lit, NULL);
		}
		real_text_loop(a, sizeof(a), d);
		jsonline_real_text(b, sizeof(b), d);
		if (strcmp(a, b))
			ck_abort_msg("%.17g: loop %s, jsonline_real_text %s", d, a, b);
		n++;
	}
	ck_assert_uint_gt(n, 55000);
}
END_TEST

/* A number's text as written stands for its printed value only when it
 * is that text: every number, written in many ways, either has no
 * as-written text or has the one jsonline_real_text() (a real) or "%lld"
 * (an integer) prints; and the common forms (zap's epoch seconds, 0.25,
 * 42, -7) do have it, or the fast path would be dead. */
START_TEST(number_as_written_is_the_printed_value)
{
	static const char *const fixed[] = { "0", "42", "-7", "-0", "0.25",
		"-0.5", "1.5", "1763626442.401127", "0.0001", "0.00001", "1.50",
		"100.0", "1.0", "0.10", "123456789012345.6", "12345678901234.5",
		"0.000123456789012345", "1e3", "1E-2", "2.5e+12", "-0.0",
		"9007199254740993", "1234567890.123456789" };
	static const char *const must_be_fast[] = { "0", "42", "-7", "0.25",
		"-0.5", "1.5", "1763626442.401127", "0.0001", "12345678901234.5" };
	uint64_t st = 0x2545F4914F6CDD1Dull;
	jsonline jl = { 0 };
	char line[128], lit[64], want[64];
	unsigned i, j, fast = 0, nfixed = sizeof(fixed) / sizeof(*fixed);

	for (i = 0; i < nfixed + 50000; i++) {
		const jl_member *v;
		slice t;
		if (i < nfixed) {
			snprintf(lit, sizeof(lit), "%s", fixed[i]);
		} else {
			/* -?I.F with 0-17 integer and 1-17 fraction digits,
			 * leading zeros after the point, trailing zeros, an
			 * exponent now and then; or an integer. */
			int k = xorshift_below(&st, 2) ? sprintf(lit, "-") : 0;
			unsigned id = xorshift_below(&st, 18), fd = 1 + xorshift_below(&st, 17);
			lit[k++] = id ? (char)('1' + xorshift_below(&st, 9)) : '0';
			for (j = 1; j < id; j++)
				lit[k++] = (char)('0' + xorshift_below(&st, 10));
			if (xorshift_below(&st, 5)) {
				lit[k++] = '.';
				for (j = 0; j < fd; j++)
					lit[k++] = (char)('0' + (xorshift_below(&st, 3)
						? xorshift_below(&st, 10) : 0));
			}
			if (!xorshift_below(&st, 8))
				k += sprintf(lit + k, "e%d", (int)xorshift_below(&st, 41) - 20);
			lit[k] = 0;
		}
		snprintf(line, sizeof(line), "{\"n\":%s}", lit);
		ck_assert_int_eq(jsonline_read(&jl, line, strlen(line)), JL_OK);
		v = jsonline_get(&jl, "n");
		ck_assert_ptr_nonnull(v);
		t = jsonline_number_as_written(v);
		if (!t.n)
			continue;
		if (v->type == JL_REAL)
			jsonline_real_text(want, sizeof(want), jsonline_real(v));
		else
			snprintf(want, sizeof(want), "%" JSON_INTEGER_FORMAT, v->integer);
		if (t.n != strlen(want) || memcmp(t.p, want, t.n))
			ck_abort_msg("%s: as written \"%.*s\", printed \"%s\"", lit,
				     (int)t.n, t.p, want);
		fast++;
	}
	for (i = 0; i < sizeof(must_be_fast) / sizeof(*must_be_fast); i++) {
		snprintf(line, sizeof(line), "{\"n\":%s}", must_be_fast[i]);
		ck_assert_int_eq(jsonline_read(&jl, line, strlen(line)), JL_OK);
		ck_assert_uint_eq(jsonline_number_as_written(jsonline_get(&jl, "n")).n,
				  strlen(must_be_fast[i]));
	}
	ck_assert_uint_gt(fast, 10000);
	jsonline_free(&jl);
}
END_TEST

START_TEST(reader_json_log_lines)
{
	static const want_rec cases[] = {
		/* The last value of a repeated key, where it first was. */
		{ "{\"level\":\"info\",\"n\":1,\"msg\":\"a\",\"level\":\"error\",\"n\":2.5}",
		  "a\tn=2.5", "error", NULL, NULL, 1 },
		/* An escaped key is its decoded self; \u escapes, pairs. */
		{ "{\"m\\u0073g\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\"\\ttab\",\"lvl\":\"WARN\"}",
		  "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\"\ttab", "warn", NULL, NULL, 18 },
		/* zap's epoch seconds as written; nested and null skipped;
		 * caller, v not appended. */
		{ "{\"ts\":1763626442.401127,\"caller\":\"x.go:1\",\"msg\":\"m\",\"k\":{\"a\":[1,\"\\u0000x\"]},\"z\":null,\"b\":true,\"i\":-0,\"v\":1,\"scope\":\"ads\"}",
		  NULL, NULL, NULL, NULL, 0 },
		{ "{\"ts\":1763626442.401127,\"caller\":\"x.go:1\",\"msg\":\"m\",\"k\":{\"a\":[1,2e1]},\"z\":null,\"b\":true,\"i\":-0,\"v\":1,\"scope\":\"ads\"}  ",
		  "m\tb=true\ti=0", NULL, "1763626442.401127", "ads", 1 },
		/* message when there is no msg; a non-string msg is no
		 * message (the line is kept as it is). */
		{ "{\"message\":\"fallback\",\"severity\":\"CRITICAL\",\"time\":\"2026-11-20T08:14:02Z\"}",
		  "fallback", "fatal", "2026-11-20T08:14:02Z", NULL, 8 },
		{ "{\"msg\":7,\"message\":\"not this\"}",
		  "{\"msg\":7,\"message\":\"not this\"}", NULL, NULL, NULL, 0 },
		/* Deeper than jsonline goes: jansson reads it, same record. */
		{ "{\"msg\":\"deep\",\"d\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"level\":\"warning\"}",
		  "deep", "warn", NULL, NULL, 4 },
	};
	reader rd;
	size_t i;

	reader_init(&rd, 1 << 20);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const want_rec *w = &cases[i];
		record rec;
		uint64_t at;
		ck_assert_int_eq(reader_line(&rd, w->line, strlen(w->line), 1, 0), 0);
		ck_assert_int_eq(reader_take(&rd, &rec, &at), 1);
		/* the \u0000 case: not JSON, so the line as it is */
		expect_field(rec.msg, w->msg ? w->msg : w->line);
		ck_assert_uint_eq(rec.core_n, w->core_n);
		if (w->level)
			ck_assert_str_eq(rec.level, w->level);
		else
			ck_assert_ptr_null(rec.level);
		expect_field(rec.timestamp, w->timestamp);
		expect_field(rec.scope, w->scope);
		ck_assert_int_eq(reader_take(&rd, &rec, &at), 0);
	}
	reader_fini(&rd);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jsonline");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, jsonline_matches_jansson_generated);
	tcase_add_test(tc, jsonline_corpus);
	tcase_add_test(tc, tree_is_janssons);
	tcase_add_test(tc, deferred_tree_is_janssons);
	tcase_add_test(tc, writer_escapes_as_jansson);
	tcase_add_test(tc, reader_json_log_lines);
	tcase_add_test(tc, real_text_is_the_shortest);
	tcase_add_test(tc, number_as_written_is_the_printed_value);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
