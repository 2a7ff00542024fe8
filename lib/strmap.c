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

/* Open addressing with linear probing. */
static int
strmap_grow(strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, k, i;
	strmap_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (k = 0; k < m->cap; k++) {
		if (!m->slots[k].off)
			continue;
		i = m->slots[k].hash & (cap - 1);
		while (slots[i].off)
			i = (i + 1) & (cap - 1);
		slots[i] = m->slots[k];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/* The slot holding @key, or the empty one where it would go. */
static size_t
slot_of(const strmap *m, const char *key, size_t len, size_t hash)
{
	size_t i = hash & (m->cap - 1);
	const strmap_slot *e;

	while ((e = &m->slots[i])->off &&
	       !(e->hash == hash && e->len == len &&
		 (!len || !memcmp(m->pool.data + e->off - 1, key, len))))
		i = (i + 1) & (m->cap - 1);
	return i;
}

size_t
strmap_find_hashed(const strmap *m, const char *key, size_t len,
		   size_t hash)
{
	size_t i;

	if (!m->cap)
		return STRMAP_NONE;
	i = slot_of(m, key, len, hash);
	return m->slots[i].off ? m->slots[i].val : STRMAP_NONE;
}

size_t
strmap_find(const strmap *m, const char *key, size_t len)
{
	return m->cap ? strmap_find_hashed(m, key, len, strmap_hash(key, len))
		      : STRMAP_NONE;
}

size_t
strmap_put_hashed(strmap *m, const char *key, size_t len, size_t hash,
		  size_t val)
{
	size_t i;

	if ((m->count + 1) * 2 > m->cap && strmap_grow(m) < 0)
		return STRMAP_NOMEM;
	i = slot_of(m, key, len, hash);
	if (m->slots[i].off)
		return m->slots[i].val;
	/* The NUL buf_add() keeps after the key stays as its end. */
	if (buf_add(&m->pool, key, len) < 0)
		return STRMAP_NOMEM;
	m->slots[i] = (strmap_slot){ hash, m->pool.len - len + 1, len, val };
	m->pool.len++;
	m->count++;
	return val;
}

size_t
strmap_put(strmap *m, const char *key, size_t len, size_t val)
{
	return strmap_put_hashed(m, key, len, strmap_hash(key, len), val);
}

const char *
strmap_slot_key(const strmap *m, size_t i, size_t *len, size_t *hash,
		size_t *val)
{
	const strmap_slot *e = &m->slots[i];

	if (!e->off)
		return NULL;
	*len = e->len;
	*hash = e->hash;
	*val = e->val;
	return m->pool.data + e->off - 1;
}

void
strmap_clear(strmap *m)
{
	if (m->cap)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->count = 0;
	m->pool.len = 0;
}

void
strmap_free(strmap *m)
{
	free(m->slots);
	buf_free(&m->pool);
	memset(m, 0, sizeof(*m));
}
