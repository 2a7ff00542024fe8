/*
 * Multi-literal search: Wu-Manber with 4-byte blocks (3 for short literals).
 *
 * Every literal is looked for through its first m bytes (m = the shortest
 * literal, at most 255).  A window of m bytes slides over the text; the
 * block of bytes at its end indexes a table of how far the window may
 * jump before any literal could end there, so most of the text is never
 * looked at.  Only windows whose last block (hashed) ends some literal's
 * prefix are compared.
 *
 * Hand-written: Debian's Hyperscan would do this faster for thousands of
 * patterns, but is x86-only and the benchmark's baseline, not ours to
 * depend on; nothing else packaged does multi-literal search in C.
 */
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "prefilter.h"

/* A block: 3 (or 4) bytes hashed to 16 bits.  Three bytes tell far more
 * places apart than two, so with hundreds of literals most windows still
 * jump; a collision only makes a shift smaller, never wrong. */
static inline uint32_t
block3(const char *p)
{
	uint32_t v = (uint32_t)(unsigned char)p[0] << 16 |
		     (uint32_t)(unsigned char)p[1] << 8 |
		     (unsigned char)p[2];
	return (v * 2654435761u) >> 16;
}

/* Four bytes where every literal is long enough: ordinary log text shares
 * far fewer 4-grams than 3-grams with hundreds of literal phrases, so the
 * window jumps more often (one byte less at most, which matters less). */
static inline uint32_t
block4(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return (v * 2654435761u) >> 16;
}

/* The block of @bl bytes that ends at @p[bl - 1]. */
static inline uint32_t
block(const char *p, uint32_t bl)
{
	return bl == 4 ? block4(p) : block3(p);
}

/* Candidates are looked up by the block's top bits only: the table stays
 * small (tables are built at every start, and a fresh page costs a page
 * fault), and a literal of a neighbouring block is only compared in
 * vain, never found where it does not occur. */
#define BUCKET(g) ((g) >> (16 - PF_BUCKET_BITS))

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
	uint32_t *count, bl;

	if (!n)
		return NULL;
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return NULL;
	pf->lits = calloc(n, sizeof(char *));
	pf->lens = calloc(n, sizeof(uint32_t));
	pf->owner = calloc(n, sizeof(int));
	pf->bucket = calloc(PF_BUCKETS + 1, sizeof(uint32_t));
	pf->entries = calloc(n, sizeof(uint32_t));
	if (!pf->lits || !pf->lens || !pf->owner || !pf->bucket ||
	    !pf->entries)
		goto fail;
	for (i = 0; i < n; i++) {
		size_t len = strlen(lits[i]);
		if (len < MIN_LITERAL)
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
	pf->bl = m >= 8 ? 4 : 3;
	bl = pf->bl;
	/* A window whose last block holds no literal's block can move on
	 * m - bl + 1: one byte less and a literal could start in it. */
	memset(pf->shift, (int)(m - bl + 1), sizeof(pf->shift));
	/* The block ending at prefix position j lets the window move on
	 * by m - 1 - j and still not pass a literal ending there. */
	for (i = 0; i < n; i++)
		for (j = bl - 1; j < m; j++) {
			uint32_t g = block(lits[i] + j - (bl - 1), bl);
			if (pf->shift[g] > m - 1 - j)
				pf->shift[g] = (uint8_t)(m - 1 - j);
		}
	/* Literals by the block that ends their prefix (CSR layout): count,
	 * sum, place (which moves each start to the next one's), move back. */
	count = pf->bucket + 1;
	for (i = 0; i < n; i++)
		count[BUCKET(block(lits[i] + m - bl, bl))]++;
	for (i = 1; i <= PF_BUCKETS; i++)
		pf->bucket[i] += pf->bucket[i - 1];
	for (i = 0; i < n; i++)
		pf->entries[pf->bucket[BUCKET(block(lits[i] + m - bl, bl))]++] =
			(uint32_t)i;
	memmove(pf->bucket + 1, pf->bucket, PF_BUCKETS * sizeof(uint32_t));
	pf->bucket[0] = 0;
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
static inline const char *
pf_walk(const prefilter *pf, const char *p, size_t n, int first,
	uint8_t *marks, size_t nmarks, size_t *hits, const uint32_t bl)
{
	const char *end = p + n, *w, *found = NULL;
	size_t m = pf->m;

	*hits = 0;
	if (n < m)
		return NULL;
	for (w = p + m - 1; w < end;) {
		uint32_t g = block(w - (bl - 1), bl);
		uint32_t s = pf->shift[g], k;
		if (s) {
			w += s;
			continue;
		}
		for (k = pf->bucket[BUCKET(g)]; k < pf->bucket[BUCKET(g) + 1];
		     k++) {
			uint32_t i = pf->entries[k];
			const char *start = w - (m - 1);
			int o = pf->owner[i];
			size_t len = pf->lens[i];
			/* Many literals can share a prefix (the bucket is
			 * chosen by it): their last bytes tell them apart
			 * before a call to memcmp() does. */
			if ((size_t)(end - start) < len ||
			    start[len - 1] != pf->lits[i][len - 1] ||
			    memcmp(start, pf->lits[i], len))
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

/* One copy of the walk per block size, each with it a constant. */
const char *
pf_find(const prefilter *pf, const char *p, size_t n)
{
	size_t hits;
	return pf->bl == 4 ? pf_walk(pf, p, n, 1, NULL, 0, &hits, 4)
			   : pf_walk(pf, p, n, 1, NULL, 0, &hits, 3);
}

size_t
pf_collect(const prefilter *pf, const char *p, size_t n, uint8_t *marks,
	   size_t nmarks)
{
	size_t hits;
	if (pf->bl == 4)
		pf_walk(pf, p, n, 0, marks, nmarks, &hits, 4);
	else
		pf_walk(pf, p, n, 0, marks, nmarks, &hits, 3);
	return hits;
}
