/* Multi-literal prefilter (prefilter.c) and literal extraction
 * (literal.c). */
#ifndef TSBLOG_PREFILTER_H
#define TSBLOG_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#define PF_BUCKET_BITS 12
#define PF_BUCKETS (1u << PF_BUCKET_BITS)

/* How a prefilter searches (pf_new_as()).  PF_SPLIT: Teddy for the
 * shortest literals, Wu-Manber, with a longer window, for the rest. */
enum { PF_ANY, PF_WU_MANBER, PF_TEDDY_SSSE3, PF_TEDDY_AVX2, PF_SPLIT,
       PF_TEDDY_AVX512 };

/* Teddy's fingerprint: this many bytes of every literal. */
#define PF_TEDDY_BYTES 4

typedef struct prefilter_s {
	int how;                /* PF_WU_MANBER or a PF_TEDDY_* (Wu-Manber's
				 * tables are built either way) */
	uint32_t m;             /* window: the shortest literal's length */
	uint32_t bl;            /* block: 5, 4 or 3 bytes (wm_build()) */
	uint8_t shift[65536];   /* by the window's last block, hashed */
	/* Bit g set when shift[g] is less than the window's whole jump:
	 * most windows jump whole, and 8 KB stay in the L1 cache where
	 * the 64 KB of shifts do not (1000 rules: 89% of windows). */
	uint64_t near[65536 / 64];
	uint32_t *bucket;       /* PF_BUCKETS + 1 offsets into entries */
	uint32_t *entries;      /* literal ids by their prefix's last block */
	char **lits;
	uint32_t *lens;
	/* Each literal's last byte, compared before memcmp(): literals that
	 * share a prefix share a bucket, and this array stays in the cache
	 * where the literals themselves are scattered over the heap. */
	unsigned char *last;
	int *owner;             /* rule index, or -1: not a rule's */
	size_t nlits;
	/* Teddy: bucket bits by each fingerprint byte's low and high
	 * nibble; literals by bucket (CSR), each with its fingerprint's
	 * offset in it. */
	uint8_t nib[PF_TEDDY_BYTES][2][16];
	/* The same bits by the whole byte (its low nibble's AND its high
	 * nibble's), for the bytes below 0x80: literal_byte() allows no
	 * other.  The AVX-512 kernel's one lookup (cpu_ascii512()). */
	uint8_t ascii[PF_TEDDY_BYTES][128];
	/* The bucket bits each of the PF_TEDDY_BYTES bytes after a
	 * fingerprint allows, by its low seven bits (all of a literal's
	 * where it ends before): the AVX-512 kernel's second look. */
	uint8_t after[PF_TEDDY_BYTES][128];
	uint32_t tbucket[9];
	uint32_t *tids;
	uint8_t *toff;
	uint32_t maxoff;
	/* PF_SPLIT: the short literals' Teddy and the long ones' Wu-Manber
	 * (this one's own tables, of every literal, serve short texts). */
	struct prefilter_s *parts[2];
} prefilter;

/* Where a search of one text from left to right has got to: each part's
 * next hit (pf_next()).  Zeroed for each new text. */
typedef struct {
	const char *next[2];
} pf_cursor;

/* Build from @n literals (each >= 3 bytes), each owned by owner[i].  NULL
 * when n is 0 or on no memory. */
prefilter *pf_new(char *const *lits, const int *owner, size_t n);
/* pf_new() searching as @how says (PF_ANY: what suits the set on this
 * CPU); NULL also when @how cannot run here (no such instructions, or
 * for Teddy a literal shorter than PF_TEDDY_BYTES).  Tests use it to
 * compare the searches. */
prefilter *pf_new_as(char *const *lits, const int *owner, size_t n,
		     int how);
void pf_free(prefilter *pf);
/* The start of the first literal occurrence in [p, p+n); NULL if none. */
const char *pf_find(const prefilter *pf, const char *p, size_t n);
/* pf_find(pf, p, end - p) for calls whose @p never goes back over one
 * text ending at @end: a split prefilter's part whose next hit lies ahead
 * is not searched again (@cur keeps it). */
const char *pf_next(const prefilter *pf, pf_cursor *cur, const char *p,
		    const char *end);
/* pf_find(pf, p, end - p) that also looks for the first disguise from
 * @p (disguise_at(p, end)): in the same walk where one can (Teddy's
 * AVX-512 kernel: pf_finds_odd()), else by a second search.  *@odd is the
 * first disguise, or NULL when there is none before what is returned (or
 * before @end, when that is NULL).  The first hit is returned when it
 * starts no later than *@odd; else *@odd (what follows it may not have
 * been searched). */
const char *pf_find_odd(const prefilter *pf, const char *p, const char *end,
			const char **odd);
/* Whether pf_find_odd() makes one walk of @pf's. */
int pf_finds_odd(const prefilter *pf);
/* Mark marks[owner] for every literal in [p, p+n) owned by a rule; the
 * number of literal hits (owned or not) that counted. */
size_t pf_collect(const prefilter *pf, const char *p, size_t n,
		  uint8_t *marks, size_t nmarks);

/* Literals every match of @pattern must contain, one per top-level
 * branch; 0 if some branch has none, -1 on no memory. */
int pattern_literals(const char *pattern, char ***out);

/* Whether byte @b may be part of a literal.  A literal is looked for in
 * the raw line, and must be there whenever the text a rule matches holds
 * it.  JSON logs escape '"', '\', control characters and (some encoders)
 * non-ASCII; and their members other than the message are matched as
 * "<TAB>key=value", whose '=' the raw line does not hold ("key":value). */
static inline int
literal_byte(unsigned char b)
{
	return b >= 0x20 && b < 0x80 && b != '"' && b != '\\' && b != '=';
}

#endif
