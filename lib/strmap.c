/* strmap: string -> index, for grouping (rule ids, summary problems
 * and shapes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tsblog-private.h"

/* Sixteen bytes a step in two lanes that do not wait on each other
 * (FNV-1a's byte a step was a tenth of a dense text report: shapes and
 * messages run to hundreds of bytes; one lane waited on its multiply),
 * the last bytes as one load that may overlap the step before, then
 * MurmurHash3's finaliser, since the tables take the low bits.  No
 * adversary worth a keyed hash: ids come from rule files the user chose,
 * and the shapes table is bounded in size. */
static uint64_t
step(uint64_t h, const char *s)
{
	const uint64_t k = 0x9E3779B97F4A7C15ull;
	uint64_t w;

	memcpy(&w, s, 8);
	h = (h ^ w) * k;
	return h ^ h >> 31;
}

size_t
strmap_hash(const char *s, size_t n)
{
	uint64_t a = 1469598103934665603ull ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull);
	uint64_t b = 0x2545F4914F6CDD1Dull, h, w = 0;
	size_t i;

	for (i = 0; n - i > 16; i += 16) {
		a = step(a, s + i);
		b = step(b, s + i + 8);
	}
	h = a ^ (b * 0xC2B2AE3D27D4EB4Full);
	if (n >= 16) {
		h = step(h, s + n - 16);
		h = step(h, s + n - 8);
	} else if (n >= 8) {
		h = step(h, s);
		h = step(h, s + n - 8);
	} else if (n) {
		for (i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0x9E3779B97F4A7C15ull;
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 33;
	return (size_t)h;
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
		i = strmap_hash(m->keys[k], strlen(m->keys[k])) & (cap - 1);
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
	size_t i = strmap_hash(key, len) & (m->cap - 1);
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

void
strmap_clear(strmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		m->keys[i] = NULL;
	}
	m->count = 0;
}

void
strmap_free(strmap *m)
{
	strmap_clear(m);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
