/*
 * Multi-literal search: Wu-Manber with 2-byte blocks.
 *
 * Every literal is looked for through its first m bytes (m = the shortest
 * literal, at most 255).  A window of m bytes slides over the text; the
 * 2 bytes at its end index a table of how far the window may jump before
 * any literal could end there, so most of the text is never looked at.
 * Only windows whose last 2 bytes end some literal's prefix are compared.
 * With 65536 entries indexed by the exact byte pair, there are no hash
 * collisions to make shifts smaller than they need be.
 *
 * Hand-written: Debian's Hyperscan would do this faster for thousands of
 * patterns, but is x86-only and the benchmark's baseline, not ours to
 * depend on; nothing else packaged does multi-literal search in C.
 */
#include <stdlib.h>
#include <string.h>
#include "prefilter.h"

#define PAIR(a, b) (((uint32_t)(unsigned char)(a) << 8) | (unsigned char)(b))

void
pf_free(prefilter *pf)
{
	size_t i;

	if (!pf)
		return;
	for (i = 0; i < pf->nlits; i++)
		free(pf->lits[i]);
	free(pf->lits);
	free(pf->lens);
	free(pf->owner);
	free(pf->bucket);
	free(pf->entries);
	free(pf);
}

prefilter *
pf_new(char *const *lits, const int *owner, size_t n)
{
	prefilter *pf;
	size_t i, j, m = 255;
	uint32_t *count;

	if (!n)
		return NULL;
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return NULL;
	pf->lits = calloc(n, sizeof(char *));
	pf->lens = calloc(n, sizeof(uint32_t));
	pf->owner = calloc(n, sizeof(int));
	pf->bucket = calloc(65537, sizeof(uint32_t));
	pf->entries = calloc(n, sizeof(uint32_t));
	if (!pf->lits || !pf->lens || !pf->owner || !pf->bucket ||
	    !pf->entries)
		goto fail;
	for (i = 0; i < n; i++) {
		size_t len = strlen(lits[i]);
		if (len < 2)
			goto fail;
		if (!(pf->lits[i] = strdup(lits[i])))
			goto fail;
		pf->lens[i] = (uint32_t)len;
		pf->owner[i] = owner[i];
		if (len < m)
			m = len;
		pf->nlits++;
	}
	pf->m = (uint32_t)m;
	memset(pf->shift, (int)(m - 1), sizeof(pf->shift));
	/* The pair ending at prefix position j lets the window move on by
	 * m - 1 - j and still not pass a literal ending there. */
	for (i = 0; i < n; i++)
		for (j = 1; j < m; j++) {
			uint32_t g = PAIR(lits[i][j - 1], lits[i][j]);
			if (pf->shift[g] > m - 1 - j)
				pf->shift[g] = (uint8_t)(m - 1 - j);
		}
	/* Literals by the pair that ends their prefix (CSR layout). */
	count = pf->bucket + 1;
	for (i = 0; i < n; i++)
		count[PAIR(lits[i][m - 2], lits[i][m - 1])]++;
	for (i = 1; i <= 65536; i++)
		pf->bucket[i] += pf->bucket[i - 1];
	{
		uint32_t *fill = calloc(65536, sizeof(uint32_t));
		if (!fill)
			goto fail;
		for (i = 0; i < n; i++) {
			uint32_t g = PAIR(lits[i][m - 2], lits[i][m - 1]);
			pf->entries[pf->bucket[g] + fill[g]++] = (uint32_t)i;
		}
		free(fill);
	}
	return pf;
fail:
	pf_free(pf);
	return NULL;
}

/* The Wu-Manber walk.  Windows all have length m, so the first window
 * that verifies holds the earliest-starting occurrence of any literal:
 * with @first set, stop there.  Otherwise mark every rule whose literal
 * occurs.  Returns the first occurrence's start (or NULL) and counts the
 * hits in *hits. */
static const char *
pf_walk(const prefilter *pf, const char *p, size_t n, int first,
	uint8_t *marks, size_t nmarks, size_t *hits)
{
	const char *end = p + n, *w, *found = NULL;
	size_t m = pf->m;

	*hits = 0;
	if (n < m)
		return NULL;
	for (w = p + m - 1; w < end;) {
		uint32_t g = PAIR(w[-1], w[0]);
		uint32_t s = pf->shift[g], k;
		if (s) {
			w += s;
			continue;
		}
		for (k = pf->bucket[g]; k < pf->bucket[g + 1]; k++) {
			uint32_t i = pf->entries[k];
			const char *start = w - (m - 1);
			int o = pf->owner[i];
			if ((size_t)(end - start) < pf->lens[i] ||
			    memcmp(start, pf->lits[i], pf->lens[i]))
				continue;
			if (!found)
				found = start;
			if (first) {
				*hits = 1;
				return found;
			}
			if (o < 0) {
				++*hits;
			} else if ((size_t)o < nmarks && !marks[o]) {
				marks[o] = 1;
				++*hits;
			}
		}
		w++;
	}
	return found;
}

const char *
pf_find(const prefilter *pf, const char *p, size_t n)
{
	size_t hits;
	return pf_walk(pf, p, n, 1, NULL, 0, &hits);
}

size_t
pf_collect(const prefilter *pf, const char *p, size_t n, uint8_t *marks,
	   size_t nmarks)
{
	size_t hits;
	pf_walk(pf, p, n, 0, marks, nmarks, &hits);
	return hits;
}
