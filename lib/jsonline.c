/*
 * A JSON log line's top-level members, without a tree.  What is accepted
 * and what each member decodes to follow jansson 2.14's json_loadb(p, n,
 * 0) (src/load.c, src/utf.c) rule for rule, because reader.c falls back
 * to jansson for Events and for whatever this reader will not decide, and
 * the same line must never read two ways.  tests/test-jsonline.c holds
 * it to that, byte for byte, on generated and collected lines.
 *
 * The same lexer builds whole trees for the JSON read elsewhere (rule
 * files, event documents, summaries): jsonline_tree().
 */
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonline.h"
#include "limits.h"

_Static_assert(JSONLINE_MAX_DEPTH < JSON_PARSER_MAX_DEPTH,
	       "jansson's depth error must stay jansson's to report");

typedef struct {
	const unsigned char *p, *end;
	char *out;              /* next free byte of the decode buffer */
	int unsure;             /* JL_UNSURE or -1 (no memory) once known */
	/* jsonline_tree_deferring(): the root's member whose array is
	 * only cut into its elements' texts, and those texts. */
	const char *defer_key;
	buf_t items;            /* slices */
	int deferred;
	int repeated;           /* the key met again after its array */
} cur;

#define BAD (-1)

static void
ws(cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int
hex4(const unsigned char *q)
{
	int i, v = 0;

	for (i = 0; i < 4; i++) {
		unsigned char h = q[i];
		v <<= 4;
		if (h >= '0' && h <= '9')
			v += h - '0';
		else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
			v += (h | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

static char *
put_utf8(char *o, long u)
{
	if (u < 0x80) {
		*o++ = (char)u;
	} else if (u < 0x800) {
		*o++ = (char)(0xC0 | u >> 6);
		*o++ = (char)(0x80 | (u & 0x3F));
	} else if (u < 0x10000) {
		*o++ = (char)(0xE0 | u >> 12);
		*o++ = (char)(0x80 | (u >> 6 & 0x3F));
		*o++ = (char)(0x80 | (u & 0x3F));
	} else {
		*o++ = (char)(0xF0 | u >> 18);
		*o++ = (char)(0x80 | (u >> 12 & 0x3F));
		*o++ = (char)(0x80 | (u >> 6 & 0x3F));
		*o++ = (char)(0x80 | (u & 0x3F));
	}
	return o;
}

/* One escape at @q (its '\\'): the code point (-1: invalid), *len the
 * bytes it takes.  A high surrogate needs its low one right after it; a
 * \u0000 is refused in keys and values alike without JSON_ALLOW_NUL. */
static long
escape(const unsigned char *q, const unsigned char *end, size_t *len)
{
	static const char plain[] = "\"\\/bfnrt", as[] = "\"\\/\b\f\n\r\t";
	const char *e;
	long u, lo;

	if (end - q < 2)
		return -1;
	if (q[1] != 'u') {
		e = q[1] ? strchr(plain, q[1]) : NULL;
		*len = 2;
		return e ? (unsigned char)as[e - plain] : -1;
	}
	if (end - q < 6 || (u = hex4(q + 2)) < 0)
		return -1;
	*len = 6;
	if (u >= 0xD800 && u <= 0xDBFF) {
		if (end - q < 12 || q[6] != '\\' || q[7] != 'u' ||
		    (lo = hex4(q + 8)) < 0xDC00 || lo > 0xDFFF)
			return -1;
		*len = 12;
		return ((u - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
	}
	if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0)
		return -1;
	return u;
}

/* The first byte at or after @q that is not plain printable ASCII
 * (a quote, a backslash, a control or a UTF-8 byte), or @end: 16 bytes a
 * step where SSE2 is (every x86-64), as strings are most of a JSON log
 * line.  One signed compare finds both controls and bytes >= 0x80. */
static const unsigned char *
plain_run(const unsigned char *q, const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	for (; end - q >= 16; q += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)q);
		int m = _mm_movemask_epi8(_mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, quote),
				     _mm_cmpeq_epi8(v, bs)),
			_mm_cmplt_epi8(v, space)));
		if (m)
			return q + __builtin_ctz((unsigned)m);
	}
#endif
	while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
		q++;
	return q;
}

/* The string after the '"' at c->p; decoded into *@s when @s. */
static int
string(cur *c, slice *s)
{
	const unsigned char *q = ++c->p, *run = q;
	char *o = NULL;
	size_t k;
	long u;

	for (;;) {
		q = plain_run(q, c->end);
		if (q >= c->end || *q < 0x20)
			return BAD;
		if (*q == '"')
			break;
		if (*q >= 0x80) {
			if (!(k = utf8_seq(q, (size_t)(c->end - q))))
				return BAD;
			q += k;
			continue;
		}
		if ((u = escape(q, c->end, &k)) < 0)
			return BAD;
		if (s) {
			if (!o)
				o = c->out;
			memcpy(c->out, run, (size_t)(q - run));
			c->out = put_utf8(c->out + (q - run), u);
		}
		q += k;
		run = q;
	}
	if (s && o) {
		memcpy(c->out, run, (size_t)(q - run));
		c->out += q - run;
		*s = (slice){ o, (size_t)(c->out - o) };
	} else if (s) {
		*s = (slice){ (const char *)c->p, (size_t)(q - c->p) };
	}
	c->p = q + 1;
	return 0;
}

static const unsigned char *
digits(const unsigned char *q, const unsigned char *end)
{
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return q;
}

/* The double the @len (at most JSONLINE_MAX_NUMBER) bytes at @p write,
 * read as jansson reads it; *@erange when out of range. */
static double
real_of(const char *p, size_t len, int *erange)
{
	char text[JSONLINE_MAX_NUMBER + 1], *dot;
	const char *point;
	double d;

	memcpy(text, p, len);
	text[len] = '\0';
	/* jansson's to_locale(): strtod reads the locale's decimal point. */
	point = localeconv()->decimal_point;
	if (*point != '.' && (dot = strchr(text, '.')))
		*dot = *point;
	errno = 0;
	d = strtod(text, NULL);
	*erange = (d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE;
	return d;
}

double
jsonline_real(const jl_member *v)
{
	int erange;

	return v->real_later ? real_of(v->text.p, v->text.n, &erange)
			     : v->real;
}

/* A number as jansson lexes it: an integer unless it has a fraction or
 * an exponent; out of range is an error, a real's underflow is not. */
static int
number(cur *c, jl_member *m)
{
	const unsigned char *q = c->p, *d;
	char text[JSONLINE_MAX_NUMBER + 1];
	int real = 0, exp = 0, erange;
	size_t len;

	if (*q == '-')
		q++;
	d = digits(q, c->end);
	if (d == q || (*q == '0' && d > q + 1))
		return BAD;
	q = d;
	if (q < c->end && *q == '.') {
		if ((d = digits(q + 1, c->end)) == q + 1)
			return BAD;
		q = d;
		real = 1;
	}
	if (q < c->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < c->end && (*q == '+' || *q == '-'))
			q++;
		if ((d = digits(q, c->end)) == q)
			return BAD;
		q = d;
		real = exp = 1;
	}
	len = (size_t)(q - c->p);
	m->text = (slice){ (const char *)c->p, len };
	if (len > JSONLINE_MAX_NUMBER) {
		c->unsure = JL_UNSURE;
		return BAD;
	}
	c->p = q;
	if (!real) {
		memcpy(text, m->text.p, len);
		text[len] = '\0';
		errno = 0;
		m->type = JL_INTEGER;
		m->integer = strtoll(text, NULL, 10);
		return errno == ERANGE ? BAD : 0;
	}
	m->type = JL_REAL;
	/* Without an exponent, at most JSONLINE_MAX_NUMBER digits can
	 * neither overflow nor underflow: the value is read when asked, and
	 * most (zap's epoch seconds of a line only the summary reads) never
	 * are. */
	m->real_later = !exp;
	if (exp)
		m->real = real_of(m->text.p, len, &erange);
	return exp && erange ? BAD : 0;
}

static int
word(cur *c, const char *w, size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n))
		return BAD;
	c->p += n;
	return 0;
}

static int container(cur *c, jsonline *jl, int depth);

/* The value at c->p (after blanks) at nesting @depth (the line's own
 * members: 2), into @m; strings decoded only when @dec. */
static int
value(cur *c, jl_member *m, int dec, int depth)
{
	if (c->p >= c->end)
		return BAD;
	switch (*c->p) {
	case '"':
		m->type = JL_STRING;
		return string(c, dec ? &m->str : NULL);
	case '{':
	case '[':
		m->type = *c->p == '{' ? JL_OBJECT : JL_ARRAY;
		return container(c, NULL, depth);
	case 't':
		m->type = JL_TRUE;
		return word(c, "true", 4);
	case 'f':
		m->type = JL_FALSE;
		return word(c, "false", 5);
	case 'n':
		m->type = JL_NULL;
		return word(c, "null", 4);
	default:
		if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
			return number(c, m);
		return BAD;
	}
}

static jl_member *
add_member(jsonline *jl)
{
	if (jl->n == jl->cap) {
		size_t cap = jl->cap ? jl->cap * 2 : 16;
		jl_member *m = realloc(jl->m, cap * sizeof(*m));
		if (!m)
			return NULL;
		jl->m = m;
		jl->cap = cap;
	}
	return &jl->m[jl->n++];
}

/* A key's member, kept where the key first appeared (jansson's
 * hashtable_set replaces the value in place). */
static jl_member *
member(cur *c, jsonline *jl, slice key)
{
	size_t i;
	jl_member *m;

	for (i = 0; i < jl->n; i++)
		if (jl->m[i].key.n == key.n &&
		    !memcmp(jl->m[i].key.p, key.p, key.n))
			return &jl->m[i];
	if (jl->n == JSONLINE_MAX_MEMBERS) {
		c->unsure = JL_UNSURE;
		return NULL;
	}
	if (!(m = add_member(jl))) {
		c->unsure = -1;
		return NULL;
	}
	memset(m, 0, sizeof(*m));
	m->key = key;
	return m;
}

/* A member's key at c->p (decoded into *@key when @key) and the ':'
 * after it, with the blanks around. */
static inline int
key_colon(cur *c, slice *key)
{
	if (c->p >= c->end || *c->p != '"' || string(c, key) < 0)
		return BAD;
	ws(c);
	if (c->p >= c->end || *c->p != ':')
		return BAD;
	c->p++;
	ws(c);
	return 0;
}

/* After a member or element: 1 when a ',' says another follows, 0 when
 * @close ends the container (both passed), else BAD. */
static inline int
after_item(cur *c, unsigned char close)
{
	ws(c);
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		ws(c);
		return 1;
	}
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	return BAD;
}

/* The object or array at c->p whose members are at @depth + 1; the
 * object's members kept in @jl when not NULL (the line's own). */
static int
container(cur *c, jsonline *jl, int depth)
{
	unsigned char close = *c->p == '{' ? '}' : ']';
	jl_member scratch, *m = &scratch;
	slice key;
	int more;

	if (depth >= JSONLINE_MAX_DEPTH) {
		c->unsure = JL_UNSURE;
		return BAD;
	}
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if (key_colon(c, jl ? &key : NULL) < 0 ||
			    (jl && !(m = member(c, jl, key))))
				return BAD;
		}
		if (value(c, m, jl != NULL, depth + 1) < 0 ||
		    (more = after_item(c, close)) < 0)
			return BAD;
		if (!more)
			return 0;
	}
}

/* The value at c->p as json_loadb() builds it, or NULL: not JSON, beyond
 * what this reader decides, or no memory (the caller asks jansson, whose
 * error says which).  Decoded strings go at c->out and are given back
 * once copied into the tree, so a buffer of the input's size suffices. */
static json_t *tree(cur *c, size_t flags, int depth);

static json_t *
tree_value(cur *c, size_t flags, int depth)
{
	char *mark = c->out;
	jl_member m;
	slice s;
	json_t *v;

	if (c->p >= c->end)
		return NULL;
	switch (*c->p) {
	case '"':
		if (string(c, &s) < 0)
			return NULL;
		v = json_stringn_nocheck(s.p, s.n);
		c->out = mark;
		return v;
	case '{':
	case '[':
		return tree(c, flags, depth);
	case 't':
		return word(c, "true", 4) < 0 ? NULL : json_true();
	case 'f':
		return word(c, "false", 5) < 0 ? NULL : json_false();
	case 'n':
		return word(c, "null", 4) < 0 ? NULL : json_null();
	default:
		if ((*c->p != '-' && (*c->p < '0' || *c->p > '9')) ||
		    number(c, &m) < 0)
			return NULL;
		return m.type == JL_INTEGER ? json_integer(m.integer)
					    : json_real(jsonline_real(&m));
	}
}

/* Whether the root's member @key, whose value is at c->p, is the one
 * jsonline_tree_deferring() leaves unbuilt.  Only once: met again, the
 * key's last value is the one json_loadb() keeps, so the caller is told
 * to read the text whole (c->repeated). */
static int
deferring(cur *c, slice key)
{
	if (!c->defer_key || strlen(c->defer_key) != key.n ||
	    memcmp(c->defer_key, key.p, key.n))
		return 0;
	if (c->deferred) {
		c->repeated = 1;
		return 0;
	}
	return c->p < c->end && *c->p == '[';
}

/* The array at c->p, at @depth, checked as json_loadb() checks it but
 * not built: its elements' texts go to c->items, and it is given an
 * empty array in the tree.  NULL as tree(). */
static json_t *
defer(cur *c, int depth)
{
	jl_member scratch;
	int more;

	c->deferred = 1;
	if (depth >= JSONLINE_MAX_DEPTH)
		return NULL;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		return json_array();
	}
	do {
		slice item = { (const char *)c->p, 0 };
		if (value(c, &scratch, 0, depth + 1) < 0)
			return NULL;
		item.n = (size_t)((const char *)c->p - item.p);
		if (buf_add(&c->items, (const char *)&item, sizeof(item)) < 0)
			return NULL;
	} while ((more = after_item(c, ']')) > 0);
	return more < 0 ? NULL : json_array();
}

static json_t *
tree(cur *c, size_t flags, int depth)
{
	int obj = *c->p == '{';
	unsigned char close = obj ? '}' : ']';
	char *mark = c->out;
	json_t *t, *v;
	slice key = { 0 };
	int more;

	if (depth >= JSONLINE_MAX_DEPTH ||
	    !(t = obj ? json_object() : json_array()))
		return NULL;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return t;
	}
	for (;;) {
		if (obj && (key_colon(c, &key) < 0 ||
			    ((flags & JSON_REJECT_DUPLICATES) &&
			     json_object_getn(t, key.p, key.n))))
			break;
		if (!(v = obj && depth == 1 && deferring(c, key)
				  ? defer(c, depth + 1)
				  : tree_value(c, flags, depth + 1)))
			break;
		/* Both take @v, failing or not; an existing key's value is
		 * replaced where the key first was, as json_loadb() does. */
		if (obj ? json_object_setn_new_nocheck(t, key.p, key.n, v)
			: json_array_append_new(t, v))
			break;
		c->out = mark;
		if ((more = after_item(c, close)) < 0)
			break;
		if (!more)
			return t;
	}
	json_decref(t);
	return NULL;
}

static json_t *
tree_whole(cur *c, size_t flags, buf_t *scratch)
{
	size_t n = (size_t)(c->end - c->p);
	buf_t own = { 0 };
	json_t *t = NULL;

	if (!scratch)
		scratch = &own;
	scratch->len = 0;
	if (flags & ~(size_t)JSON_REJECT_DUPLICATES ||
	    buf_reserve(scratch, n + 1) < 0)
		return NULL;
	c->out = scratch->data;
	ws(c);
	if (c->p < c->end && (*c->p == '{' || *c->p == '[') &&
	    (t = tree(c, flags, 1))) {
		ws(c);
		if (c->p != c->end) {
			json_decref(t);
			t = NULL;
		}
	}
	buf_free(&own);
	return t;
}

json_t *
jsonline_tree(const char *p, size_t n, size_t flags)
{
	return jsonline_tree_in(p, n, flags, NULL);
}

json_t *
jsonline_tree_in(const char *p, size_t n, size_t flags, buf_t *scratch)
{
	cur c = { .p = (const unsigned char *)p,
		  .end = (const unsigned char *)p + n };

	return tree_whole(&c, flags, scratch);
}

json_t *
jsonline_tree_deferring(const char *p, size_t n, size_t flags,
			const char *key, slice **items, size_t *nitems)
{
	cur c = { .p = (const unsigned char *)p,
		  .end = (const unsigned char *)p + n };
	json_t *t;

	c.defer_key = key;
	t = tree_whole(&c, flags, NULL);
	if (!t || !c.deferred || c.repeated) {
		json_decref(t);
		buf_free(&c.items);
		return NULL;
	}
	/* malloc()'s memory, aligned for any type. */
	*items = (slice *)(void *)c.items.data;
	*nitems = c.items.len / sizeof(slice);
	return t;
}

json_t *
jsonline_loadb(const char *p, size_t n, size_t flags, json_error_t *err)
{
	json_t *t = jsonline_tree(p, n, flags);

	if (!t)
		return json_loadb(p, n, flags, err);
	if (err) {
		/* What json_loadb() leaves in it on success. */
		memset(err, 0, sizeof(*err));
		err->line = err->column = -1;
		snprintf(err->source, sizeof(err->source), "%s", "<buffer>");
	}
	return t;
}

int
jsonline_read(jsonline *jl, const char *p, size_t n)
{
	cur c = { .p = (const unsigned char *)p,
		  .end = (const unsigned char *)p + n };

	jl->n = 0;
	jl->dec.len = 0;
	/* A decoded string is never longer than its source: one
	 * reservation keeps every slice into the buffer stable. */
	if (buf_reserve(&jl->dec, n) < 0)
		return -1;
	c.out = jl->dec.data;
	if (!n || *c.p != '{' || container(&c, jl, 1) < 0)
		return c.unsure ? c.unsure : JL_INVALID;
	ws(&c);
	return c.p == c.end ? JL_OK : JL_INVALID;
}

int
jsonline_from_tree(jsonline *jl, json_t *o)
{
	static const jl_type types[] = {
		[JSON_OBJECT] = JL_OBJECT, [JSON_ARRAY] = JL_ARRAY,
		[JSON_STRING] = JL_STRING, [JSON_INTEGER] = JL_INTEGER,
		[JSON_REAL] = JL_REAL,     [JSON_TRUE] = JL_TRUE,
		[JSON_FALSE] = JL_FALSE,   [JSON_NULL] = JL_NULL,
	};
	const char *key;
	json_t *v;
	jl_member *m;

	jl->n = 0;
	json_object_foreach(o, key, v) {
		if (!(m = add_member(jl)))
			return -1;
		memset(m, 0, sizeof(*m));
		m->key = (slice){ key, strlen(key) };
		m->type = types[json_typeof(v)];
		if (json_is_string(v))
			m->str = (slice){ json_string_value(v),
					  json_string_length(v) };
		else if (json_is_integer(v))
			m->integer = json_integer_value(v);
		else if (json_is_real(v))
			m->real = json_real_value(v);
	}
	return 0;
}

const jl_member *
jsonline_get_n(const jsonline *jl, const char *key, size_t k)
{
	size_t i;

	for (i = 0; i < jl->n; i++)
		if (jl->m[i].key.n == k && !memcmp(jl->m[i].key.p, key, k))
			return &jl->m[i];
	return NULL;
}

const jl_member *
jsonline_get(const jsonline *jl, const char *key)
{
	return jsonline_get_n(jl, key, strlen(key));
}

void
jsonline_free(jsonline *jl)
{
	free(jl->m);
	buf_free(&jl->dec);
	memset(jl, 0, sizeof(*jl));
}

/* Two different decimals of at most DBL_DIG (15) significant digits
 * never read as the same double.  So when "%.15g" reads back, no
 * precision below the m digits it shows does, and precision m gives the
 * same digits: the answer is "%.{m}g" (printed again, since %g picks
 * fixed or exponent form by the precision: 1.5e+12, not 1500000000000).
 * Else only 16 and 17 are left (17 always reads back).  Subnormals
 * hold fewer digits, so they take every precision from 1.  That loop,
 * for every number, cost up to 17 snprintf/strtod pairs each, a tenth of
 * a JSON-heavy scan. */
int
jsonline_real_text(char *buf, size_t size, double d)
{
	int first = d == 0 || fabs(d) >= DBL_MIN ? DBL_DIG : 1;
	int prec, k = 0, m = 0, zeros = 0;
	const char *p;

	for (prec = first; prec <= 17; prec++) {
		k = snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (first != DBL_DIG || prec != DBL_DIG || k < 0 || (size_t)k >= size)
		return k;
	for (p = buf; *p && *p != 'e'; p++) {
		if (*p < '0' || *p > '9' || (*p == '0' && !m))
			continue;
		if (*p == '0') {
			zeros++;
		} else {
			m += zeros + 1;
			zeros = 0;
		}
	}
	return m && m < DBL_DIG ? snprintf(buf, size, "%.*g", m, d) : k;
}

/* A real is printed as written when it is a fixed-point decimal (no
 * trailing zero after the point, at least 1e-4 in magnitude) that the
 * loop above would print digit for digit:
 * - with at most DBL_DIG significant digits, "%.15g" reads back and shows
 *   its digits, so "%.{m}g" gets m = its digit count and prints
 *   fixed-point (the exponent is below m and not below -4) those digits;
 * - with 16 (zap's epoch seconds: 1763626442.401127), where doubles lie
 *   closer together than 16-digit decimals (ulp2 < ulp10): the value is
 *   within ulp2/2 of the text, so every 15-digit decimal, at least ulp10
 *   from the text, is more than ulp2/2 from the value and does not read
 *   back, and "%.16g" rounds the value to the text.
 * Only with '.' as the locale's decimal point, which snprintf() uses. */
slice
jsonline_number_as_written(const jl_member *v)
{
	/* ulp10 of a 16-digit decimal whose first digit is at 10^x is
	 * 10^(x - 15); x runs from -4 (0.000d…) to 14 (a point, a digit). */
	static const double ulp10[] = { 1e-19, 1e-18, 1e-17, 1e-16, 1e-15,
		1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6,
		1e-5, 1e-4, 1e-3, 1e-2, 1e-1 };
	const char *p, *e, *q, *dot;
	size_t sig;
	int x, exp2;

	if ((v->type != JL_INTEGER && v->type != JL_REAL) || !v->text.n)
		return (slice){ NULL, 0 };
	p = v->text.p;
	e = p + v->text.n;
	if (*p == '-')
		p++;
	if (v->type == JL_INTEGER)
		return e - p == 1 && *p == '0' && p > v->text.p
			       ? (slice){ NULL, 0 } /* -0 prints as 0 */
			       : v->text;
	if (!(dot = memchr(p, '.', (size_t)(e - p))) ||
	    memchr(dot, 'e', (size_t)(e - dot)) ||
	    memchr(dot, 'E', (size_t)(e - dot)) || e[-1] == '0' ||
	    strcmp(localeconv()->decimal_point, "."))
		return (slice){ NULL, 0 };
	if (dot - p == 1 && *p == '0') {
		for (q = dot + 1; q < e && *q == '0'; q++)
			;
		x = -(int)(q - dot);
		sig = (size_t)(e - q);
	} else {
		x = (int)(dot - p) - 1;
		sig = (size_t)(e - p) - 1;
	}
	if (x < -4 || sig > 16)
		return (slice){ NULL, 0 };
	if (sig == 16) {
		frexp(jsonline_real(v), &exp2);
		if (!(ldexp(1.0, exp2 - 53) < ulp10[x + 4]))
			return (slice){ NULL, 0 };
	}
	return v->text;
}
