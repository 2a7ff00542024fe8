/* Levels (level.c): the one vocabulary a record's level is given in
 * (debug info warn error fatal panic, as static strings), and everything
 * the library knows about the words that spell them. */
#ifndef TSBLOG_LEVEL_H
#define TSBLOG_LEVEL_H

#include <stddef.h>

/* The level a logger's word means (any case), or NULL. */
const char *level_name(const char *p, size_t n);
/* The level of a klog line's first letter (I W E F), or NULL. */
const char *level_klog(char letter);
/* Whether @level (NULL: none) is warn or above: what the summary counts
 * when no rule matched. */
int level_warn(const char *level);

/* Where a line may name a level of warn or above, found 16, 32 or 64
 * bytes a step (level_next()): the first LEVEL_FP letters of each such
 * word, in any case, and klog's letters before digits, as Teddy's tables
 * (bucket bits by each byte's low and high nibble).  Made from the vocabulary
 * above by level_finder_init(); read-only after. */
#define LEVEL_FP 3
typedef struct {
	unsigned char nib[LEVEL_FP][2][16];
	/* The same bits by the whole byte, for the bytes below 0x80 (the
	 * words' and digits'): the AVX-512 kernel's one lookup
	 * (cpu_ascii512()). */
	unsigned char ascii[LEVEL_FP][128];
	unsigned char klog;     /* the klog bucket's bit */
	int kernel;             /* 3 AVX-512, 2 AVX2, 1 SSSE3, 0 none: every
				 * place */
} level_finder;

void level_finder_init(level_finder *f);
/* The first place in [@p, @end) where a level of warn or above may be
 * named, or NULL: a word of the vocabulary's (a run of letters that
 * level_name() reads as warn or above) or a klog letter of warn or
 * above before four digits.  Every envelope reads a level from such a
 * word, whole, or from such a letter (a JSON escape may spell one too:
 * the scanner sends those lines to the full path anyway), so a line
 * without one is at most info.  Without SIMD (kernel 0), @p.
 * A walk of its own, not folded into Teddy's (prefilter.c): folded, the
 * two shared only their loads and nibbles, their tables took 14 of the
 * 16 ymm registers, and they cost 47.0M instructions against 48M apart
 * on 20 MB of the bench corpus (2026-12-05). */
const char *level_next(const level_finder *f, const char *p,
		       const char *end);

#endif
