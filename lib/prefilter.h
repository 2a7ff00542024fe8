/* Multi-literal prefilter (prefilter.c) and literal extraction
 * (literal.c). */
#ifndef TSBLOG_PREFILTER_H
#define TSBLOG_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#define PF_BUCKET_BITS 12
#define PF_BUCKETS (1u << PF_BUCKET_BITS)

typedef struct prefilter_s {
	uint32_t m;             /* window: the shortest literal's length */
	uint32_t bl;            /* block: 4 bytes, or 3 for short literals */
	uint8_t shift[65536];   /* by the window's last three bytes, hashed */
	uint32_t *bucket;       /* PF_BUCKETS + 1 offsets into entries */
	uint32_t *entries;      /* literal ids by their prefix's last block */
	char **lits;
	uint32_t *lens;
	int *owner;             /* rule index, or -1: not a rule's */
	size_t nlits;
} prefilter;

/* Build from @n literals (each >= 3 bytes), each owned by owner[i].  NULL
 * when n is 0 or on no memory. */
prefilter *pf_new(char *const *lits, const int *owner, size_t n);
void pf_free(prefilter *pf);
/* The start of the first literal occurrence in [p, p+n); NULL if none. */
const char *pf_find(const prefilter *pf, const char *p, size_t n);
/* Mark marks[owner] for every literal in [p, p+n) owned by a rule; the
 * number of literal hits (owned or not) that counted. */
size_t pf_collect(const prefilter *pf, const char *p, size_t n,
		  uint8_t *marks, size_t nmarks);

/* Literals every match of @pattern must contain, one per top-level
 * branch; 0 if some branch has none, -1 on no memory. */
int pattern_literals(const char *pattern, char ***out);

#endif
