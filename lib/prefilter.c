/*
 * Multi-literal search, two ways:
 *
 * Teddy (the SIMD search Hyperscan uses for small literal sets), where the
 * CPU has SSSE3, AVX2 or AVX-512 and the set is small: every literal is
 * looked for through a fingerprint of PF_TEDDY_BYTES of its bytes, at the
 * offset in it where they are least like ordinary log text.  Fingerprints
 * are put in 8 buckets; for each byte of a fingerprint two shuffles look
 * up which buckets its low and high nibbles allow (AVX-512: one lookup of
 * the whole byte), and the AND over the fingerprint's bytes leaves, for
 * 16, 32 or 64 positions at once, the buckets whose fingerprint may start
 * there.  Only those are compared.  With more
 * fingerprints than TEDDY_MAX the buckets admit too much and most
 * positions would be compared: searching the bench corpus from hit to
 * hit (AVX2), the 12 seed rules' literals took 10 ms against Wu-Manber's
 * 32, the built-in catalog's 129 literals 302 ms against 88.
 *
 * Wu-Manber otherwise, with blocks of 5 bytes (4, 3 for shorter literals:
 * wm_build()), and for texts shorter than TEDDY_MIN_TEXT: every
 * literal is looked for through its first m bytes (m = the shortest
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
#include "cpu.h"
#include "disguise.h"
#include "limits.h"
#include "prefilter.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_TEDDY 1
#endif

#ifdef HAVE_TEDDY
_Static_assert(PF_TEDDY_BYTES == 4, "the Teddy kernels AND four bytes");
#endif

/* More distinct fingerprints than this: Wu-Manber (see the top). */
#define TEDDY_MAX 16
/* Shorter texts (a line, a message) go to Wu-Manber, which skips most of
 * their bytes where Teddy looks at each and ends byte by byte: on the
 * bench corpus's lines its per-line searches cost 12× the instructions. */
#define TEDDY_MIN_TEXT 4096

/* A block: 3, 4 or 5 bytes hashed to 16 bits.  Three bytes tell far more
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

/* Literals this long or longer: five-byte blocks (block5()), and no
 * split (split_build()). */
#define BLOCK5_MIN 16

/* Five where every literal is BLOCK5_MIN bytes or longer.  A big set's
 * literals share many 4-grams with log text ("iled", "tion", " for"):
 * with 1000 rules (m = 21), 11% of the windows were near one and read the
 * shift table, 34% of those compared literals; with five bytes, 7%
 * and 28%.  One byte more tells more apart than the window loses
 * (1000 rules, -o json: 0.97x the CPU). */
static inline uint32_t
block5(const char *p)
{
	uint32_t lo;
	uint64_t v;

	memcpy(&lo, p, 4);
	v = lo | (uint64_t)(unsigned char)p[4] << 32;
	return (uint32_t)((v * 0x9E3779B97F4A7C15ull) >> 48);
}

/* The block of @bl bytes that ends at @p[bl - 1]. */
static inline uint32_t
block(const char *p, uint32_t bl)
{
	return bl == 5 ? block5(p) : bl == 4 ? block4(p) : block3(p);
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
	free(pf->last);
	free(pf->owner);
	free(pf->bucket);
	free(pf->entries);
	free(pf->tids);
	free(pf->toff);
	pf_free(pf->parts[0]);
	pf_free(pf->parts[1]);
	free(pf);
}

/* Wu-Manber's tables for pf's literals. */
static int
wm_build(prefilter *pf)
{
	size_t i, j, n = pf->nlits, m = pf->m;
	uint32_t *count, bl;

	pf->bucket = calloc(PF_BUCKETS + 1, sizeof(uint32_t));
	pf->entries = calloc(n, sizeof(uint32_t));
	if (!pf->bucket || !pf->entries)
		return -1;
	pf->bl = m >= BLOCK5_MIN ? 5 : m >= 8 ? 4 : 3;
	bl = pf->bl;
	/* A window whose last block holds no literal's block can move on
	 * m - bl + 1: one byte less and a literal could start in it. */
	memset(pf->shift, (int)(m - bl + 1), sizeof(pf->shift));
	/* The block ending at prefix position j lets the window move on
	 * by m - 1 - j and still not pass a literal ending there. */
	for (i = 0; i < n; i++)
		for (j = bl - 1; j < m; j++) {
			uint32_t g = block(pf->lits[i] + j - (bl - 1), bl);
			if (pf->shift[g] > m - 1 - j)
				pf->shift[g] = (uint8_t)(m - 1 - j);
		}
	for (i = 0; i < 65536; i++)
		if (pf->shift[i] < m - bl + 1)
			pf->near[i >> 6] |= (uint64_t)1 << (i & 63);
	/* Literals by the block that ends their prefix (CSR layout): count,
	 * sum, place (which moves each start to the next one's), move back. */
	count = pf->bucket + 1;
	for (i = 0; i < n; i++)
		count[BUCKET(block(pf->lits[i] + m - bl, bl))]++;
	for (i = 1; i <= PF_BUCKETS; i++)
		pf->bucket[i] += pf->bucket[i - 1];
	for (i = 0; i < n; i++)
		pf->entries[pf->bucket[BUCKET(block(pf->lits[i] + m - bl, bl))]++] =
			(uint32_t)i;
	memmove(pf->bucket + 1, pf->bucket, PF_BUCKETS * sizeof(uint32_t));
	pf->bucket[0] = 0;
	return 0;
}

#ifdef HAVE_TEDDY
/* How often a byte turns up in log text, roughly (English letter order,
 * the punctuation of key=value and JSON lines): a fingerprint is taken
 * where its bytes weigh least, so that fewer positions are compared. */
static int
log_weight(unsigned char c)
{
	if (c == ' ')
		return 12;
	if (c && strchr("etaoinsrhldcum", c))
		return 10;
	if (c >= 'a' && c <= 'z')
		return 7;
	if (c && strchr(":\"=,./-_", c))
		return 7;
	if (c >= '0' && c <= '9')
		return 5;
	if (c >= 'A' && c <= 'Z')
		return 4;
	return c >= 0x80 || c < 0x20 ? 2 : 3;
}

typedef struct {
	uint32_t fp;            /* the fingerprint's bytes, big-endian */
	uint32_t id;
} fp_entry;

static int
fp_cmp(const void *a, const void *b)
{
	const fp_entry *x = a, *y = b;

	return x->fp < y->fp ? -1 : x->fp > y->fp;
}

/* Teddy's tables; 1 when the set has more than TEDDY_MAX fingerprints
 * and @any (Wu-Manber then suits it better), <0 on no memory. */
static int
teddy_build(prefilter *pf, int any)
{
	size_t i, k, n = pf->nlits, distinct = 0, d = 0, nseen = 0;
	fp_entry *f = calloc(n, sizeof(*f));
	uint32_t fill[8], prev = 0, seen[TEDDY_MAX];
	int j, rc = -1;

	pf->tids = calloc(n, sizeof(uint32_t));
	pf->toff = calloc(n, 1);
	if (!f || !pf->tids || !pf->toff)
		goto out;
	for (i = 0; i < n; i++) {
		const unsigned char *l = (const unsigned char *)pf->lits[i];
		uint32_t o, best = 0;
		int bw = -1;
		for (o = 0; o + PF_TEDDY_BYTES <= pf->lens[i]; o++) {
			int w = 0;
			for (j = 0; j < PF_TEDDY_BYTES; j++)
				w += log_weight(l[o + j]);
			if (bw < 0 || w < bw) {
				bw = w;
				best = o;
			}
		}
		pf->toff[i] = (uint8_t)best;
		if (best > pf->maxoff)
			pf->maxoff = best;
		for (j = 0; j < PF_TEDDY_BYTES; j++)
			f[i].fp = f[i].fp << 8 | l[best + j];
		f[i].id = (uint32_t)i;
		/* Too many for Teddy: known at the first one too many, not
		 * after every literal's fingerprint (1000 rules: 3M
		 * instructions). */
		for (k = 0; any && k < nseen && seen[k] != f[i].fp; k++)
			;
		if (any && k == nseen) {
			if (nseen == TEDDY_MAX) {
				rc = 1;
				goto out;
			}
			seen[nseen++] = f[i].fp;
		}
	}
	/* Sorted, neighbours share leading bytes: contiguous runs of
	 * fingerprints per bucket keep each bucket's nibble sets small. */
	qsort(f, n, sizeof(*f), fp_cmp);
	for (i = 0; i < n; i++)
		distinct += !i || f[i].fp != f[i - 1].fp;
	for (i = 0; i < n; i++) {
		uint32_t b;
		d += i && f[i].fp != prev;
		prev = f[i].fp;
		b = (uint32_t)(d * 8 / distinct);
		for (j = 0; j < PF_TEDDY_BYTES; j++) {
			unsigned char c = (unsigned char)(
				f[i].fp >> (8 * (PF_TEDDY_BYTES - 1 - j)));
			pf->nib[j][0][c & 15] |= (uint8_t)(1u << b);
			pf->nib[j][1][c >> 4] |= (uint8_t)(1u << b);
		}
		for (j = 0; j < PF_TEDDY_BYTES; j++) {
			const char *l = pf->lits[f[i].id];
			size_t at = pf->toff[f[i].id] + PF_TEDDY_BYTES + j;
			if (at < pf->lens[f[i].id])
				pf->after[j][(unsigned char)l[at] & 127] |=
					(uint8_t)(1u << b);
			else    /* the literal has ended: any byte */
				for (k = 0; k < 128; k++)
					pf->after[j][k] |= (uint8_t)(1u << b);
		}
		pf->tbucket[b + 1]++;
		f[i].fp = b;    /* from here on, the bucket */
	}
	for (j = 0; j < PF_TEDDY_BYTES; j++)
		for (k = 0; k < 128; k++)
			pf->ascii[j][k] = pf->nib[j][0][k & 15] &
					  pf->nib[j][1][k >> 4];
	for (j = 0; j < 8; j++) {
		pf->tbucket[j + 1] += pf->tbucket[j];
		fill[j] = pf->tbucket[j];
	}
	for (i = 0; i < n; i++)
		pf->tids[fill[f[i].fp]++] = f[i].id;
	rc = 0;
out:
	free(f);
	return rc;
}

/* Whether this CPU runs the Teddy kernel @how. */
static int
teddy_runs(int how)
{
	switch (how) {
	case PF_TEDDY_AVX512:
		return cpu_avx512();
	case PF_TEDDY_AVX2:
		return __builtin_cpu_supports("avx2");
	case PF_TEDDY_SSSE3:
		return __builtin_cpu_supports("ssse3");
	default:
		return 0;
	}
}

/* The fastest Teddy kernel this CPU runs, or -1. */
static int
teddy_kernel(void)
{
	return teddy_runs(PF_TEDDY_AVX512) ? PF_TEDDY_AVX512
	       : teddy_runs(PF_TEDDY_AVX2) ? PF_TEDDY_AVX2
	       : teddy_runs(PF_TEDDY_SSSE3) ? PF_TEDDY_SSSE3
					     : -1;
}

typedef struct {
	uint32_t len, id;
} len_id;

static int
by_length(const void *a, const void *b)
{
	const len_id *x = a, *y = b;

	return x->len != y->len ? (x->len < y->len ? -1 : 1)
				: (x->id < y->id ? -1 : x->id > y->id);
}

/* PF_SPLIT's parts: Teddy for the shortest literals, as many as keep to
 * TEDDY_MAX distinct ones, Wu-Manber for the rest, when that lengthens
 * its window.  The built-in catalog's 129 literals, m = 9: searching the
 * bench corpus from hit to hit took 84 ms with Wu-Manber alone, 47 ms
 * with the 13 shortest (below 20 bytes) in Teddy and m = 20.  Not when
 * every literal is BLOCK5_MIN long: Wu-Manber's five-byte blocks let it
 * jump 12 bytes or more alone, and Teddy's pass costs more than the
 * longer window saves (-o json, m = 16 with 1000 rules: 0.96x the CPU;
 * 100 rules, m = 20: 0.89x; the catalog, m = 9, 1.03x if not split, and
 * m = 11, 13 and 15, four-byte blocks, 1.14x, 1.06x, 1.03x).  0 with
 * pf->parts set, 1 when no split helps, <0 on no memory. */
static int
split_build(prefilter *pf, int kernel)
{
	size_t n = pf->nlits, i, j, k = 0, distinct = 0;
	len_id *ix = malloc(n * sizeof(*ix));
	char **lits = malloc(n * sizeof(char *));
	int *owner = malloc(n * sizeof(int)), rc = -1;

	if (!ix || !lits || !owner)
		goto out;
	for (i = 0; i < n; i++)
		ix[i] = (len_id){ pf->lens[i], (uint32_t)i };
	qsort(ix, n, sizeof(*ix), by_length);
	for (; k < n; k++) {
		for (j = 0; j < k && strcmp(pf->lits[ix[j].id],
					    pf->lits[ix[k].id]);
		     j++)
			;
		if (j == k && ++distinct > TEDDY_MAX)
			break;
	}
	rc = 1;
	if (pf->m >= BLOCK5_MIN || !k || k == n || ix[k].len <= pf->m)
		goto out;
	for (i = 0; i < n; i++) {
		lits[i] = pf->lits[ix[i].id];
		owner[i] = pf->owner[ix[i].id];
	}
	rc = -1;
	pf->parts[0] = pf_new_as(lits, owner, k, kernel);
	pf->parts[1] = pf_new_as(lits + k, owner + k, n - k, PF_WU_MANBER);
	if (pf->parts[0] && pf->parts[1])
		rc = 0;
out:
	free(ix);
	free(lits);
	free(owner);
	return rc;
}
#endif

prefilter *
pf_new(char *const *lits, const int *owner, size_t n)
{
	return pf_new_as(lits, owner, n, PF_ANY);
}

prefilter *
pf_new_as(char *const *lits, const int *owner, size_t n, int how)
{
	prefilter *pf;
	size_t i, m = 255;
	int kernel = -1, rc = 0;

	if (!n)
		return NULL;
#ifdef HAVE_TEDDY
	kernel = teddy_kernel();
#endif
	if (how == PF_TEDDY_AVX512 || how == PF_TEDDY_AVX2 ||
	    how == PF_TEDDY_SSSE3 ? !teddy_runs(how)
				  : how == PF_SPLIT && kernel < 0)
		return NULL;
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return NULL;
	pf->lits = calloc(n, sizeof(char *));
	pf->lens = calloc(n, sizeof(uint32_t));
	pf->last = calloc(n, 1);
	pf->owner = calloc(n, sizeof(int));
	if (!pf->lits || !pf->lens || !pf->last || !pf->owner)
		goto fail;
	for (i = 0; i < n; i++) {
		size_t len = strlen(lits[i]);
		if (len < MIN_LITERAL)
			goto fail;
		if (!(pf->lits[i] = strdup(lits[i])))
			goto fail;
		pf->lens[i] = (uint32_t)len;
		pf->last[i] = (unsigned char)lits[i][len - 1];
		pf->owner[i] = owner[i];
		if (len < m)
			m = len;
		pf->nlits++;
	}
	pf->m = (uint32_t)m;
	if (how != PF_WU_MANBER && m < PF_TEDDY_BYTES) {
		if (how != PF_ANY)
			goto fail;
		how = PF_WU_MANBER;
	}
#ifdef HAVE_TEDDY
	if (how == PF_ANY && kernel >= 0) {
		/* The whole set in Teddy, else split, else Wu-Manber. */
		if ((rc = teddy_build(pf, 1)) == 0)
			how = kernel;
		else if (rc > 0 && (rc = split_build(pf, kernel)) == 0)
			how = PF_SPLIT;
		if (rc < 0)
			goto fail;
	} else if (how == PF_TEDDY_AVX512 || how == PF_TEDDY_AVX2 ||
		   how == PF_TEDDY_SSSE3) {
		if (teddy_build(pf, 0) < 0)
			goto fail;
	} else if (how == PF_SPLIT && split_build(pf, kernel) != 0) {
		goto fail;
	}
#endif
	if (how == PF_ANY)
		how = PF_WU_MANBER;
	pf->how = how;
	if (wm_build(pf) < 0)
		goto fail;
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
		uint32_t g = block(w - (bl - 1), bl), s, k;
		if (!(pf->near[g >> 6] >> (g & 63) & 1)) {
			w += m - bl + 1;
			continue;
		}
		s = pf->shift[g];
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
			    (unsigned char)start[len - 1] != pf->last[i] ||
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

#ifdef HAVE_TEDDY
/* What a Teddy walk has found: in @first mode the earliest start
 * (SIZE_MAX: none yet), else the hits counted as pf_walk() counts them;
 * and for pf_find_odd() the first disguise (SIZE_MAX: none yet, or not
 * looked for). */
typedef struct {
	int first;
	uint8_t *marks;
	size_t nmarks, best, hits, odd;
} teddy_walk;

/* memcmp(a, b, n) == 0 without a call: a call on the kernels' path for
 * candidates makes the compiler keep their tables in memory, not in
 * registers, around it. */
static inline int
same(const char *a, const char *b, size_t n)
{
	size_t k;
	uint64_t x, y;

	for (k = 0; k + 8 <= n; k += 8) {
		memcpy(&x, a + k, 8);
		memcpy(&y, b + k, 8);
		if (x != y)
			return 0;
	}
	for (; k < n; k++)
		if (a[k] != b[k])
			return 0;
	return 1;
}

/* The literals of buckets @bits whose fingerprint would start at p[c]. */
static inline void
teddy_verify(const prefilter *pf, const char *p, size_t n, size_t c,
	     unsigned bits, teddy_walk *tw)
{
	while (bits) {
		unsigned b = (unsigned)__builtin_ctz(bits);
		uint32_t k;
		bits &= bits - 1;
		for (k = pf->tbucket[b]; k < pf->tbucket[b + 1]; k++) {
			uint32_t i = pf->tids[k];
			size_t s = c - pf->toff[i], len = pf->lens[i];
			int o = pf->owner[i];
			if (c < pf->toff[i] || n - s < len ||
			    (tw->first && s >= tw->best) ||
			    (unsigned char)p[s + len - 1] != pf->last[i] ||
			    !same(p + s, pf->lits[i], len))
				continue;
			if (tw->first)
				tw->best = s;
			else if (o < 0)
				tw->hits++;
			else if ((size_t)o < tw->nmarks && !tw->marks[o]) {
				tw->marks[o] = 1;
				tw->hits++;
			}
		}
	}
}

/* In @first mode with a literal or a disguise found: the last place a
 * fingerprint can start a literal before it (else SIZE_MAX, no bound). */
static inline size_t
teddy_reach(const prefilter *pf, const teddy_walk *tw)
{
	size_t first = tw->best < tw->odd ? tw->best : tw->odd;

	return tw->first && first != SIZE_MAX ? first + pf->maxoff : SIZE_MAX;
}

/* No fingerprint at @c or later can start a literal before the one found. */
static inline int
teddy_done(const prefilter *pf, const teddy_walk *tw, size_t c)
{
	return c > teddy_reach(pf, tw);
}

/* Where a kernel reading @w bytes a step stops: where a step would
 * read past @n, or the first place teddy_done() says yes to.  Kept in a
 * register: only a verification moves it, and most steps have none
 * (asking teddy_done() at every step was a sixth of the search). */
static inline size_t
teddy_stop(const prefilter *pf, const teddy_walk *tw, size_t n, size_t w)
{
	size_t stop = n >= w + PF_TEDDY_BYTES - 1 ? n - w - PF_TEDDY_BYTES + 2
						  : 0;
	size_t reach = teddy_reach(pf, tw);

	return reach < stop ? reach + 1 : stop;
}

/* The positions from @c on, one at a time (a vector's worth would read
 * past the end). */
static void
teddy_tail(const prefilter *pf, const char *p, size_t n, size_t c,
	   teddy_walk *tw)
{
	for (; c + PF_TEDDY_BYTES <= n && !teddy_done(pf, tw, c); c++) {
		unsigned bits = 0xFF;
		int j;
		for (j = 0; j < PF_TEDDY_BYTES; j++) {
			unsigned char u = (unsigned char)p[c + j];
			bits &= pf->nib[j][0][u & 15] & pf->nib[j][1][u >> 4];
		}
		if (bits)
			teddy_verify(pf, p, n, c, bits, tw);
	}
}

/* The tables are loaded into registers before a walk: verifying writes
 * through uint8_t pointers, which may alias them, so the compiler would
 * load them again at every step. */
typedef struct {
	__m128i lo[PF_TEDDY_BYTES], hi[PF_TEDDY_BYTES];
} nib_regs;

static void
nib_load(const prefilter *pf, nib_regs *t)
{
	int j;

	for (j = 0; j < PF_TEDDY_BYTES; j++) {
		t->lo[j] = _mm_loadu_si128((const __m128i *)pf->nib[j][0]);
		t->hi[j] = _mm_loadu_si128((const __m128i *)pf->nib[j][1]);
	}
}

/* The positions c + k of a vector whose bit k is set in @mask, with
 * their buckets in r8[k]. */
static inline void
teddy_hits(const prefilter *pf, const char *p, size_t n, size_t c,
	   uint64_t mask, const uint8_t *r8, teddy_walk *tw)
{
	for (; mask; mask &= mask - 1) {
		unsigned k = (unsigned)__builtin_ctzll(mask);
		teddy_verify(pf, p, n, c + k, r8[k], tw);
	}
}

/* The buckets whose fingerprint byte @j may be each of the 16 bytes at
 * @q: the bucket bits of its low nibble AND those of its high nibble. */
__attribute__((target("ssse3"))) static inline __m128i
nib128(const nib_regs *t, int j, const char *q)
{
	const __m128i low = _mm_set1_epi8(15);
	__m128i v = _mm_loadu_si128((const __m128i *)q);

	return _mm_and_si128(
		_mm_shuffle_epi8(t->lo[j], _mm_and_si128(v, low)),
		_mm_shuffle_epi8(t->hi[j],
				 _mm_and_si128(_mm_srli_epi16(v, 4), low)));
}

__attribute__((target("ssse3"))) static void
teddy_ssse3(const prefilter *pf, const char *p, size_t n, teddy_walk *tw)
{
	nib_regs t;
	uint8_t r8[16];
	size_t c, stop = teddy_stop(pf, tw, n, 16);

	nib_load(pf, &t);
	for (c = 0; c < stop; c += 16) {
		__m128i r = _mm_and_si128(
			_mm_and_si128(nib128(&t, 0, p + c), nib128(&t, 1, p + c + 1)),
			_mm_and_si128(nib128(&t, 2, p + c + 2),
				      nib128(&t, 3, p + c + 3)));
		uint32_t mask = ~(uint32_t)_mm_movemask_epi8(
					_mm_cmpeq_epi8(r, _mm_setzero_si128())) &
				0xFFFF;
		if (!mask)
			continue;
		_mm_storeu_si128((__m128i *)r8, r);
		teddy_hits(pf, p, n, c, mask, r8, tw);
		stop = teddy_stop(pf, tw, n, 16);
	}
	teddy_tail(pf, p, n, c, tw);
}

/* nib128() for 32 bytes: vpshufb looks up each 16-byte lane in its own
 * copy of the table. */
__attribute__((target("avx2"))) static inline __m256i
nib256(const nib_regs *t, int j, const char *q)
{
	const __m256i low = _mm256_set1_epi8(15);
	__m256i v = _mm256_loadu_si256((const __m256i *)q);

	return _mm256_and_si256(
		_mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t->lo[j]),
				    _mm256_and_si256(v, low)),
		_mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t->hi[j]),
				    _mm256_and_si256(_mm256_srli_epi16(v, 4),
						     low)));
}

/* Four loads a step, each place looked up as each fingerprint byte.  One
 * load a step, its lookups moved up to meet (Hyperscan's way), cost as
 * much: in AVX2 a move across the lanes takes two instructions, and the
 * three lookups kept from the step before spilled the 16 registers
 * (tools/bench/ab.py, 0.996-1.003, 2026-12-05). */
__attribute__((target("avx2"))) static void
teddy_avx2(const prefilter *pf, const char *p, size_t n, teddy_walk *tw)
{
	nib_regs t;
	uint8_t r8[32];
	size_t c, stop = teddy_stop(pf, tw, n, 32);

	nib_load(pf, &t);
	for (c = 0; c < stop; c += 32) {
		__m256i r = _mm256_and_si256(
			_mm256_and_si256(nib256(&t, 0, p + c),
					 nib256(&t, 1, p + c + 1)),
			_mm256_and_si256(nib256(&t, 2, p + c + 2),
					 nib256(&t, 3, p + c + 3)));
		uint32_t mask = ~(uint32_t)_mm256_movemask_epi8(
			_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
		if (!mask)
			continue;
		_mm256_storeu_si256((__m256i *)r8, r);
		teddy_hits(pf, p, n, c, mask, r8, tw);
		stop = teddy_stop(pf, tw, n, 32);
	}
	teddy_tail(pf, p, n, c, tw);
}

/* The bucket bits the table @lo:@hi gives the 64 bytes at @q by their
 * low seven bits: a byte from 0x80 passes where the byte of its low
 * bits does, which only costs a comparison. */
__attribute__((target("avx512bw,avx512vbmi"))) static inline __m512i
after512(__m512i lo, __m512i hi, const char *q)
{
	return _mm512_permutex2var_epi8(
		lo, _mm512_loadu_si512((const void *)q), hi);
}

/* 64 places a step (cpu_ascii512()).  Where the fingerprints let some
 * through, the PF_TEDDY_BYTES bytes after them are looked up too
 * (pf->after) before any literal is compared: four lookups in the
 * registers instead of a branch and a comparison for each place.  On
 * the bench corpus, places left to compare: the seed rules' 75,777 ->
 * 18,976 vector steps with any, 1000 rules' (their Teddy part) 185,855
 * -> 507, the built-in catalog's 137,624 -> 51,804.
 *
 * With @odd (a constant: two copies are made), the walk also looks for
 * the first disguise from @p (disguise.h) in the bytes it loads, and
 * stops once it knows the literals that start before it, as it stops
 * for those before a literal: the scanner's separate search for
 * disguises was 3.5% of the text report's CPU (pf_find_odd()). */
__attribute__((target("avx512bw,avx512vbmi"))) static inline void
teddy512_walk(const prefilter *pf, const char *p, size_t n, teddy_walk *tw,
	      int odd)
{
#define TABLE(t, j, h) _mm512_loadu_si512((const void *)(pf->t[j] + 64 * (h)))
	const __m512i l0 = TABLE(ascii, 0, 0), h0 = TABLE(ascii, 0, 1);
	const __m512i l1 = TABLE(ascii, 1, 0), h1 = TABLE(ascii, 1, 1);
	const __m512i l2 = TABLE(ascii, 2, 0), h2 = TABLE(ascii, 2, 1);
	const __m512i l3 = TABLE(ascii, 3, 0), h3 = TABLE(ascii, 3, 1);
	const __m512i l4 = TABLE(after, 0, 0), h4 = TABLE(after, 0, 1);
	const __m512i l5 = TABLE(after, 1, 0), h5 = TABLE(after, 1, 1);
	const __m512i l6 = TABLE(after, 2, 0), h6 = TABLE(after, 2, 1);
	const __m512i l7 = TABLE(after, 3, 0), h7 = TABLE(after, 3, 1);
#undef TABLE
	const __m512i dset = _mm512_broadcast_i32x4(DISGUISE_SET16);
	uint8_t r8[64];
	size_t c, stop = teddy_stop(pf, tw, n, 64);
	const char *at;

	for (c = 0; c < stop; c += 64) {
		const char *q = p + c;
		__m512i r = _mm512_and_si512(
			_mm512_and_si512(cpu_ascii512(l0, h0, q),
					 cpu_ascii512(l1, h1, q + 1)),
			_mm512_and_si512(cpu_ascii512(l2, h2, q + 2),
					 cpu_ascii512(l3, h3, q + 3)));
		uint64_t mask = _mm512_test_epi8_mask(r, r);
		/* (q[64] is in the text: a step reads to q[66].) */
		if (odd && tw->odd == SIZE_MAX &&
		    disguise_bytes512(dset,
				      _mm512_loadu_si512((const void *)q)) &&
		    (at = disguise_first_of(p, q, disguises512(q), p + n))) {
			tw->odd = (size_t)(at - p);
			stop = teddy_stop(pf, tw, n, 64);
		}
		if (!mask)
			continue;
		/* (Not in the last 64 + 7 bytes: those lookups would read
		 * past them.) */
		if (n - c >= 64 + 2 * PF_TEDDY_BYTES - 1) {
			r = _mm512_and_si512(
				r, _mm512_and_si512(
					   _mm512_and_si512(after512(l4, h4, q + 4),
							    after512(l5, h5, q + 5)),
					   _mm512_and_si512(after512(l6, h6, q + 6),
							    after512(l7, h7, q + 7))));
			mask = _mm512_test_epi8_mask(r, r);
			if (!mask)
				continue;
		}
		_mm512_storeu_si512((void *)r8, r);
		teddy_hits(pf, p, n, c, mask, r8, tw);
		stop = teddy_stop(pf, tw, n, 64);
	}
	/* The bytes the steps did not reach, when no literal stopped them. */
	if (odd && tw->odd == SIZE_MAX && !teddy_done(pf, tw, c) &&
	    (at = disguise_bytewise(p, p + c, p + n)))
		tw->odd = (size_t)(at - p);
	teddy_tail(pf, p, n, c, tw);
}

__attribute__((target("avx512bw,avx512vbmi"))) static void
teddy_avx512(const prefilter *pf, const char *p, size_t n, teddy_walk *tw)
{
	teddy512_walk(pf, p, n, tw, 0);
}

__attribute__((target("avx512bw,avx512vbmi"))) static void
teddy_avx512_odd(const prefilter *pf, const char *p, size_t n,
		 teddy_walk *tw)
{
	teddy512_walk(pf, p, n, tw, 1);
}

static void
teddy(const prefilter *pf, const char *p, size_t n, teddy_walk *tw)
{
	if (pf->how == PF_TEDDY_AVX512)
		teddy_avx512(pf, p, n, tw);
	else if (pf->how == PF_TEDDY_AVX2)
		teddy_avx2(pf, p, n, tw);
	else
		teddy_ssse3(pf, p, n, tw);
}
#endif

static int
is_teddy(const prefilter *pf)
{
	return pf->how == PF_TEDDY_SSSE3 || pf->how == PF_TEDDY_AVX2 ||
	       pf->how == PF_TEDDY_AVX512;
}

static const char *
earliest(const char *a, const char *b)
{
	return a < b ? a : b;
}

/* pf_walk() with pf's block size a constant: one copy of the walk per
 * size, chosen here for both its callers. */
static inline const char *
wm_walk(const prefilter *pf, const char *p, size_t n, int first,
	uint8_t *marks, size_t nmarks, size_t *hits)
{
	return pf->bl == 5   ? pf_walk(pf, p, n, first, marks, nmarks, hits, 5)
	       : pf->bl == 4 ? pf_walk(pf, p, n, first, marks, nmarks, hits, 4)
			     : pf_walk(pf, p, n, first, marks, nmarks, hits, 3);
}

const char *
pf_find(const prefilter *pf, const char *p, size_t n)
{
	size_t hits;

#ifdef HAVE_TEDDY
	if (is_teddy(pf) && n >= TEDDY_MIN_TEXT) {
		teddy_walk tw = { 1, NULL, 0, SIZE_MAX, 0, SIZE_MAX };
		teddy(pf, p, n, &tw);
		return tw.best == SIZE_MAX ? NULL : p + tw.best;
	}
#endif
	if (pf->how == PF_SPLIT && n >= TEDDY_MIN_TEXT) {
		const char *a = pf_find(pf->parts[0], p, n);
		const char *b = pf_find(pf->parts[1], p, n);
		return !a ? b : !b ? a : earliest(a, b);
	}
	return wm_walk(pf, p, n, 1, NULL, 0, &hits);
}

size_t
pf_collect(const prefilter *pf, const char *p, size_t n, uint8_t *marks,
	   size_t nmarks)
{
	size_t hits;

#ifdef HAVE_TEDDY
	if (is_teddy(pf) && n >= TEDDY_MIN_TEXT) {
		teddy_walk tw = { 0, marks, nmarks, SIZE_MAX, 0, SIZE_MAX };
		teddy(pf, p, n, &tw);
		return tw.hits;
	}
#endif
	wm_walk(pf, p, n, 0, marks, nmarks, &hits);
	return hits;
}

int
pf_finds_odd(const prefilter *pf)
{
#ifdef HAVE_TEDDY
	return pf->how == PF_TEDDY_AVX512;
#else
	(void)pf;
	return 0;
#endif
}

const char *
pf_find_odd(const prefilter *pf, const char *p, const char *end,
	    const char **odd)
{
	const char *h;

#ifdef HAVE_TEDDY
	if (pf->how == PF_TEDDY_AVX512 && end - p >= TEDDY_MIN_TEXT) {
		teddy_walk tw = { 1, NULL, 0, SIZE_MAX, 0, SIZE_MAX };
		teddy_avx512_odd(pf, p, (size_t)(end - p), &tw);
		*odd = tw.odd == SIZE_MAX ? NULL : p + tw.odd;
		if (tw.best != SIZE_MAX && tw.best <= tw.odd)
			return p + tw.best;
		return *odd;
	}
#endif
	h = pf_find(pf, p, (size_t)(end - p));
	/* Up to the hit's first byte, which says whether a CR before it
	 * ends a line. */
	*odd = disguise_at(p, h ? h + 1 : end);
	return *odd && (!h || *odd < h) ? *odd : h;
}

const char *
pf_next(const prefilter *pf, pf_cursor *cur, const char *p, const char *end)
{
	const char *h;
	int k;

	if (pf->how != PF_SPLIT)
		return pf_find(pf, p, (size_t)(end - p));
	for (k = 0; k < 2; k++)
		if (!cur->next[k] || cur->next[k] < p) {
			h = pf_find(pf->parts[k], p, (size_t)(end - p));
			cur->next[k] = h ? h : end;
		}
	h = earliest(cur->next[0], cur->next[1]);
	return h < end ? h : NULL;
}
