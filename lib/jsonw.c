/* JSON text written by hand: see jsonw.h. */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonw.h"

/* The comma before a value or key that is not the first of its object
 * or array. */
static int
sep(buf_t *b)
{
	char last = b->len ? b->data[b->len - 1] : '{';

	return last == '{' || last == '[' || last == ':' ? 0
							 : buf_add(b, ",", 1);
}

int
jw_open(buf_t *b, char c)
{
	return sep(b) < 0 ? -1 : buf_add(b, &c, 1);
}

int
jw_close(buf_t *b, char c)
{
	c = c == '{' ? '}' : ']';
	return buf_add(b, &c, 1);
}

/* Byte @c of a string (a quote, a backslash or a control) escaped at @o;
 * the byte after the escape. */
static char *
escape(char *o, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";

	*o++ = '\\';
	switch (c) {
	case '"': *o++ = '"'; break;
	case '\\': *o++ = '\\'; break;
	case '\b': *o++ = 'b'; break;
	case '\f': *o++ = 'f'; break;
	case '\n': *o++ = 'n'; break;
	case '\r': *o++ = 'r'; break;
	case '\t': *o++ = 't'; break;
	default:
		memcpy(o, "u00", 3);
		o[3] = hex[c >> 4];
		o[4] = hex[c & 15];
		o += 5;
	}
	return o;
}

/* @s as a JSON string, with no separator, written in place after one
 * reservation (an escape takes at most 6 bytes).  Where SSE2 is, 16
 * bytes are copied a step and the first that needs escaping found in
 * them: a JSON log line quoted whole holds a quote every few bytes. */
static int
string(buf_t *b, const char *str)
{
	size_t len = strlen(str);
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	char *o;

	if (len > ((size_t)-1 - 3) / 6 || buf_reserve(b, 6 * len + 2) < 0)
		return -1;
	o = b->data + b->len;
	*o++ = '"';
#ifdef __SSE2__
	{
		const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1F);

		/* o never gets ahead of its share of the reservation, so a
		 * whole 16 bytes always fit. */
		while (end - s >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)s);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, quote),
					     _mm_cmpeq_epi8(v, bs)),
				_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v)));
			_mm_storeu_si128((__m128i *)(void *)o, v);
			if (!m) {
				s += 16;
				o += 16;
				continue;
			}
			m = (unsigned)__builtin_ctz(m);
			o = escape(o + m, s[m]);
			s += m + 1;
		}
	}
#endif
	for (; s < end; s++)
		if (*s >= 0x20 && *s != '"' && *s != '\\')
			*o++ = (char)*s;
		else
			o = escape(o, *s);
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->data);
	return 0;
}

int
jw_key(buf_t *b, const char *key)
{
	return sep(b) < 0 || string(b, key) < 0 || buf_add(b, ":", 1) < 0
		       ? -1
		       : 0;
}

int
jw_str(buf_t *b, const char *s)
{
	return sep(b) < 0 ? -1 : string(b, s);
}

int
jw_str_utf8(buf_t *b, const char *s)
{
	buf_t tmp = { 0 };
	int rc = buf_add_utf8(&tmp, s, strlen(s)) < 0 ? -1 : jw_str(b, tmp.data);

	buf_free(&tmp);
	return rc;
}

int
jw_null(buf_t *b)
{
	return sep(b) < 0 ? -1 : buf_add(b, "null", 4);
}

int
jw_uint(buf_t *b, uint64_t v, int null_if_zero)
{
	char num[24], *d = num + sizeof(num);

	if (null_if_zero && !v)
		return jw_null(b);
	/* Digits from the right: snprintf() cost 15 times as much, and
	 * every diagnosis has a line number. */
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	return sep(b) < 0 ? -1 : buf_add(b, d, (size_t)(num + sizeof(num) - d));
}

int
jw_kstr(buf_t *b, const char *key, const char *s)
{
	if (jw_key(b, key) < 0)
		return -1;
	return s ? jw_str(b, s) : jw_null(b);
}

int
jw_kuint(buf_t *b, const char *key, uint64_t v, int null_if_zero)
{
	return jw_key(b, key) < 0 ? -1 : jw_uint(b, v, null_if_zero);
}

/* A real as jansson writes it (its precision, its ".0", its exponent):
 * rare in what the library dumps, so jansson's own dump of it. */
static int
real(buf_t *b, const json_t *v)
{
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc = !t || sep(b) < 0 ? -1 : buf_add(b, t, strlen(t));

	free(t);
	return rc;
}

int
jw_tree(buf_t *b, const json_t *v)
{
	char num[24];
	const char *s;
	size_t i;
	void *it;
	int rc;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (jw_open(b, '{') < 0)
			return -1;
		/* Members in the order jansson dumps them: insertion. */
		for (it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it)) {
			s = json_object_iter_key(it);
			if (json_object_iter_key_len(it) != strlen(s))
				return 1;
			if (jw_key(b, s) < 0)
				return -1;
			if ((rc = jw_tree(b, json_object_iter_value(it))) != 0)
				return rc;
		}
		return jw_close(b, '{');
	case JSON_ARRAY:
		if (jw_open(b, '[') < 0)
			return -1;
		for (i = 0; i < json_array_size(v); i++)
			if ((rc = jw_tree(b, json_array_get(v, i))) != 0)
				return rc;
		return jw_close(b, '[');
	case JSON_STRING:
		s = json_string_value(v);
		if (json_string_length(v) != strlen(s))
			return 1;
		return jw_str(b, s);
	case JSON_INTEGER:
		i = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				     json_integer_value(v));
		return sep(b) < 0 ? -1 : buf_add(b, num, i);
	case JSON_REAL:
		return real(b, v);
	case JSON_TRUE:
		return sep(b) < 0 ? -1 : buf_add(b, "true", 4);
	case JSON_FALSE:
		return sep(b) < 0 ? -1 : buf_add(b, "false", 5);
	default:
		return jw_null(b);
	}
}

static int
json_text_part(const char *p, size_t n, void *data)
{
	buf_t *b = data;
	/* A failure is kept in the buffer: jansson 2.14 does not pass every
	 * callback error on, and a short document must not pass for whole. */
	if (b->cap != (size_t)-1 && buf_add(b, p, n) < 0) {
		buf_free(b);
		b->cap = (size_t)-1;
	}
	return b->cap == (size_t)-1 ? -1 : 0;
}

char *
json_text(const json_t *v, size_t flags)
{
	buf_t b = { 0 };
	int rc;

	/* The flags the library uses, by hand; jansson for the rest, and
	 * for a value the writer leaves to it. */
	if (flags == (JSON_COMPACT | JSON_ENCODE_ANY) ||
	    (flags == JSON_COMPACT && (json_is_object(v) || json_is_array(v)))) {
		if ((rc = jw_tree(&b, v)) == 0 &&
		    (b.data || buf_add(&b, "", 0) == 0))
			return b.data;
		buf_free(&b);
		if (rc < 0)
			return NULL;
	}
	if (json_dump_callback(v, json_text_part, &b, flags) < 0 ||
	    b.cap == (size_t)-1 || (!b.data && buf_add(&b, "", 0) < 0)) {
		if (b.cap != (size_t)-1)
			buf_free(&b);
		return NULL;
	}
	return b.data;
}
