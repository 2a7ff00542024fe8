/* strmap: string -> index, for grouping (rule ids, summary problems
 * and shapes). */
#include <stdlib.h>
#include <string.h>
#include "tsblog-private.h"

/* FNV-1a: short keys, no adversary worth a keyed hash (ids come from
 * rule files the user chose; shapes are bounded in number). */
size_t
strmap_hash(const char *s, size_t n)
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
strmap_free(strmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
