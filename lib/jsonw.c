/* JSON text written by hand: see jsonw.h. */
#include <stdio.h>
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

/* @s as a JSON string, with no separator. */
static int
string(buf_t *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;

	if (buf_add(b, "\"", 1) < 0)
		return -1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = { '\\', 0, 0, 0, 0, 0, 0 };
		size_t n = 2;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (buf_add(b, run, (size_t)(s - run)) < 0 ||
		    buf_add(b, esc, n) < 0)
			return -1;
		run = s + 1;
	}
	return buf_add(b, run, (size_t)(s - run)) < 0 || buf_add(b, "\"", 1) < 0
		       ? -1
		       : 0;
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
	char num[24];
	int n;

	if (null_if_zero && !v)
		return jw_null(b);
	n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return sep(b) < 0 ? -1 : buf_add(b, num, (size_t)n);
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
