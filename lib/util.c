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

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 if it is not valid. */
static size_t
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

/* FNV-1a: short keys, no adversary worth a keyed hash (ids come from
 * rule files the user chose; shapes are bounded in number). */
static size_t
hash_bytes(const char *s, size_t n)
{
	size_t h = (size_t)1469598103934665603ULL, i;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ULL;
	return h;
}

/* Open addressing with linear probing; keys are copied. */
static int
strmap_grow(strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, k, i;
	char **keys = calloc(cap, sizeof(*keys));
	size_t *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (k = 0; k < m->cap; k++) {
		if (!m->keys[k])
			continue;
		i = hash_bytes(m->keys[k], strlen(m->keys[k])) & (cap - 1);
		while (keys[i])
			i = (i + 1) & (cap - 1);
		keys[i] = m->keys[k];
		vals[i] = m->vals[k];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

static size_t
strmap_slot(const strmap *m, const char *key, size_t len)
{
	size_t i = hash_bytes(key, len) & (m->cap - 1);
	while (m->keys[i] &&
	       !(!strncmp(m->keys[i], key, len) && !m->keys[i][len]))
		i = (i + 1) & (m->cap - 1);
	return i;
}

size_t
strmap_find(const strmap *m, const char *key, size_t len)
{
	size_t i;
	if (!m->cap)
		return STRMAP_NONE;
	i = strmap_slot(m, key, len);
	return m->keys[i] ? m->vals[i] : STRMAP_NONE;
}

size_t
strmap_put(strmap *m, const char *key, size_t len, size_t val)
{
	size_t i;
	char *copy;

	if ((m->count + 1) * 2 > m->cap && strmap_grow(m) < 0)
		return STRMAP_NOMEM;
	i = strmap_slot(m, key, len);
	if (m->keys[i])
		return m->vals[i];
	copy = malloc(len + 1);
	if (!copy)
		return STRMAP_NOMEM;
	memcpy(copy, key, len);
	copy[len] = '\0';
	m->keys[i] = copy;
	m->vals[i] = val;
	m->count++;
	return val;
}

struct tsblog_rule *
rule_by_id(struct tsblog_rule *const *rules, const strmap *ids,
	   const char *id)
{
	size_t i = id ? strmap_find(ids, id, strlen(id)) : STRMAP_NONE;
	return i == STRMAP_NONE ? NULL : rules[i];
}

void
strmap_free(strmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
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

pcre2_code *
compile_own(const char *pattern)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern,
				      PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec,
				      &eo, NULL);
	if (c)
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}
