/* buf_t, the growable byte buffer; UTF-8 repair; whole jansson texts. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "tsblog-private.h"

int
buf_reserve(buf_t *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
buf_add(buf_t *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;
		if (c == 0xED && s[1] > 0x9F)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] > 0x8F)
			return 0;
		return 4;
	}
	return 0;
}

int
buf_add_utf8(buf_t *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	/* Worst case every byte becomes the 3-byte U+FFFD. */
	if (n > ((size_t)-1 - 1) / 3 || buf_reserve(b, n * 3) < 0)
		return -1;
	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (k) {
			i += k;
			run += k;
			continue;
		}
		memcpy(b->data + b->len, s + i - run, run);
		b->len += run;
		run = 0;
		memcpy(b->data + b->len, "\xEF\xBF\xBD", 3);
		b->len += 3;
		i++;
	}
	memcpy(b->data + b->len, s + i - run, run);
	b->len += run;
	b->data[b->len] = '\0';
	return 0;
}

void
strv_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void
buf_free(buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
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

	if (json_dump_callback(v, json_text_part, &b, flags) < 0 ||
	    b.cap == (size_t)-1 || (!b.data && buf_add(&b, "", 0) < 0)) {
		if (b.cap != (size_t)-1)
			buf_free(&b);
		return NULL;
	}
	return b.data;
}
