/*
 * The literal search against a naive one: shared by
 * tests/reliability/test-pf-search.c (generated sets and texts) and
 * tests/fuzz/fuzz-prefilter.c (the rule's literals over its lines).
 *
 * Every search pf_new_as() can make here (Wu-Manber, and Teddy where the
 * CPU has SSSE3, AVX2 or AVX-512) must give what a naive search gives:
 * pf_find() the earliest start of a literal lying wholly in the text,
 * pf_collect() the same marks and the same count of hits, and
 * pf_find_odd() that start or the first disguise (disguise.h, byte by
 * byte), whichever comes first.
 */
#ifndef TSBLOG_PF_ORACLE_H
#define TSBLOG_PF_ORACLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "disguise.h"
#include "prefilter.h"

static const int pf_oracle_hows[] = { PF_WU_MANBER, PF_TEDDY_SSSE3,
				      PF_TEDDY_AVX2, PF_TEDDY_AVX512,
				      PF_SPLIT, PF_ANY };
static const char *const pf_oracle_names[] = { "Wu-Manber", "Teddy SSSE3",
					       "Teddy AVX2", "Teddy AVX-512",
					       "split", "the default" };

/* The first literal start at or after @from, naively; SIZE_MAX if none. */
static size_t
pf_oracle_first(char *const *lits, const size_t *lens, size_t nlits,
		const char *text, size_t n, size_t from)
{
	size_t s, i;

	for (s = from; s < n; s++)
		for (i = 0; i < nlits; i++)
			if (text[s] == lits[i][0] && lens[i] <= n - s &&
			    !memcmp(text + s, lits[i], lens[i]))
				return s;
	return SIZE_MAX;
}

/* pf_find_odd() against @best (the first literal's start, SIZE_MAX for
 * none) and the first disguise, found byte by byte; NULL or what differs
 * in @why. */
static const char *
pf_oracle_odd(const prefilter *pf, const char *text, size_t n, size_t best,
	      char *why, size_t whylen)
{
	const char *d = disguise_bytewise(text, text, text + n), *odd;
	const char *got = pf_find_odd(pf, text, text + n, &odd);
	size_t dis = d ? (size_t)(d - text) : SIZE_MAX;
	/* The literal when it starts no later than the disguise, else the
	 * disguise. */
	size_t want = best <= dis ? best : dis;

	if ((got ? (size_t)(got - text) : SIZE_MAX) != want)
		snprintf(why, whylen,
			 "pf_find_odd gives %zd, the first literal starts at "
			 "%zd, the first disguise at %zd (text of %zu bytes)",
			 got ? got - text : (ssize_t)-1,
			 best == SIZE_MAX ? (ssize_t)-1 : (ssize_t)best,
			 d ? d - text : (ssize_t)-1, n);
	/* The disguise is always given when it comes first; else it may
	 * be, or not. */
	else if (odd ? odd != d : dis < best)
		snprintf(why, whylen,
			 "pf_find_odd says the first disguise is at %zd, it is "
			 "at %zd (the first literal at %zd; text of %zu bytes)",
			 odd ? odd - text : (ssize_t)-1,
			 d ? d - text : (ssize_t)-1,
			 best == SIZE_MAX ? (ssize_t)-1 : (ssize_t)best, n);
	else
		return NULL;
	return why;
}

/* pf_next() from hit to hit (a step past each, varied) against the
 * naive search; NULL or what differs in @why. */
static const char *
pf_oracle_walk(const prefilter *pf, char *const *lits, const size_t *lens,
	       size_t nlits, const char *text, size_t n, char *why,
	       size_t whylen)
{
	pf_cursor cur = { { NULL, NULL } };
	size_t from = 0, want;
	const char *got;

	while (from <= n) {
		want = pf_oracle_first(lits, lens, nlits, text, n, from);
		got = pf_next(pf, &cur, text + from, text + n);
		if ((got ? (size_t)(got - text) : SIZE_MAX) != want) {
			snprintf(why, whylen,
				 "pf_next from %zu gives %zd, the first literal "
				 "from there starts at %zd (text of %zu bytes)",
				 from, got ? got - text : (ssize_t)-1,
				 want == SIZE_MAX ? (ssize_t)-1 : (ssize_t)want,
				 n);
			return why;
		}
		if (want == SIZE_MAX)
			break;
		from = want + 1 + want % 5;
	}
	return NULL;
}

/* NULL when all agree, else what differs in @why (@whylen bytes).  Only
 * owners below @nmarks are marked, as the matcher asks.  *@searched gets
 * how many searches ran, plus 99 when a split one did (a CPU without
 * SSSE3 runs Wu-Manber only). */
static const char *
pf_oracle_check(char *const *lits, const int *owner, size_t nlits,
		const char *text, size_t n, size_t nmarks, char *why,
		size_t whylen, int *searched)
{
	uint8_t *want = calloc(nmarks + 1, 1), *got = calloc(nmarks + 1, 1);
	size_t *lens = calloc(nlits + 1, sizeof(size_t));
	size_t best = SIZE_MAX, hits = 0, s, i, k;
	const char *bad = NULL;

	*searched = 0;
	if (!want || !got || !lens) {
		snprintf(why, whylen, "out of memory in the harness");
		bad = why;
		goto out;
	}
	for (i = 0; i < nlits; i++)
		lens[i] = strlen(lits[i]);
	for (s = 0; s < n; s++)
		for (i = 0; i < nlits; i++) {
			if (text[s] != lits[i][0] || lens[i] > n - s ||
			    memcmp(text + s, lits[i], lens[i]))
				continue;
			if (s < best)
				best = s;
			if (owner[i] < 0) {
				hits++;
			} else if ((size_t)owner[i] < nmarks &&
				   !want[owner[i]]) {
				want[owner[i]] = 1;
				hits++;
			}
		}
	for (k = 0; k < sizeof(pf_oracle_hows) / sizeof(*pf_oracle_hows);
	     k++) {
		prefilter *pf = pf_new_as(lits, owner, nlits,
					  pf_oracle_hows[k]);
		const char *f, *walked;
		size_t h;
		if (!pf)
			continue;
		/* How many ran; the split is worth 100. */
		*searched += pf_oracle_hows[k] == PF_SPLIT ? 100 : 1;
		f = pf_find(pf, text, n);
		memset(got, 0, nmarks + 1);
		h = pf_collect(pf, text, n, got, nmarks);
		walked = pf_oracle_walk(pf, lits, lens, nlits, text, n, why,
					whylen);
		if (!walked)
			walked = pf_oracle_odd(pf, text, n, best, why, whylen);
		pf_free(pf);
		if (walked) {
			size_t used = strlen(why);
			snprintf(why + used, whylen - used, " (%s)",
				 pf_oracle_names[k]);
		} else if ((f ? (size_t)(f - text) : SIZE_MAX) != best)
			snprintf(why, whylen,
				 "%s: pf_find gives %zd, the earliest literal "
				 "starts at %zd (text of %zu bytes)",
				 pf_oracle_names[k], f ? f - text : (ssize_t)-1,
				 best == SIZE_MAX ? (ssize_t)-1 : (ssize_t)best,
				 n);
		else if (h != hits || memcmp(got, want, nmarks))
			snprintf(why, whylen,
				 "%s: pf_collect counts %zu hits, the text "
				 "holds %zu%s",
				 pf_oracle_names[k], h, hits,
				 memcmp(got, want, nmarks) ? "; marks differ"
							   : "");
		else
			continue;
		bad = why;
		break;
	}
out:
	free(want);
	free(got);
	free(lens);
	return bad;
}

#endif
