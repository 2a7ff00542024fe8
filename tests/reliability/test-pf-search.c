/*
 * Differential test of the literal search (lib/prefilter.c): generated
 * literal sets and texts, every search this CPU can run against a naive
 * one (tests/fuzz/pf-oracle.h).  Literals come from a small alphabet so
 * that they overlap, share prefixes and fingerprints, and are planted in
 * the text at its start, its end and cut off by its end.  Texts run from
 * empty to past the length where Teddy takes over (TEDDY_MIN_TEXT), and
 * sets from one literal to more than Teddy's buckets tell apart.  A fixed
 * seed keeps failures reproducible; the failing case is printed.  Some
 * texts hold disguises, for pf_find_odd().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "fuzz/pf-oracle.h"
#include "xorshift.h"

#define MAX_LITS 40
#define MAX_TEXT (4096 + 8000)

static const char alphabet[] = "aab c:\"=\nABx1";

static void
random_bytes(uint64_t *r, char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = alphabet[xorshift_below(r, sizeof(alphabet) - 1)];
}

int
main(void)
{
	/* Not more under TSBLOG_TEST_SLOW: valgrind sets it, and every
	 * case is a naive search of up to 12 KB. */
	int cases = 5000;
	int c, failures = 0, teddy_ran = 0, split_ran = 0, searched;
	uint64_t r = 0x9E3779B97F4A7C15ull;
	static char text[MAX_TEXT];
	char why[256];

	for (c = 0; c < cases && failures < 5; c++) {
		char *lits[MAX_LITS];
		int owner[MAX_LITS];
		size_t nlits = 1 + xorshift_below(&r, MAX_LITS), n, i, k, at;
		/* Mostly long enough for Teddy; some sets with a 3-byte
		 * literal, which only Wu-Manber takes. */
		size_t minlen = xorshift_below(&r, 8) ? 4 : 3;
		const char *bad;

		for (i = 0; i < nlits; i++) {
			size_t len = minlen + xorshift_below(&r, xorshift_below(&r, 2) ? 20 : 70);
			lits[i] = malloc(len + 1);
			if (!lits[i])
				return 1;
			/* A copy of an earlier literal now and then, with
			 * another owner or none, or a piece of one: where
			 * the longer occurs, the piece may be found first
			 * though the longer starts earlier. */
			if (i && !xorshift_below(&r, 6)) {
				snprintf(lits[i], len + 1, "%s",
					 lits[xorshift_below(&r, (unsigned)i)]);
			} else if (i && !xorshift_below(&r, 4)) {
				const char *l = lits[xorshift_below(&r, (unsigned)i)];
				size_t from = strlen(l) > 8 ? xorshift_below(
					&r, (unsigned)strlen(l) - 6) : 0;
				snprintf(lits[i], len + 1, "%s", l + from);
			} else
				random_bytes(&r, lits[i], len);
			lits[i][len] = 0;
			if (strlen(lits[i]) < 3)
				memcpy(lits[i], "abc", 4);
			owner[i] = (int)xorshift_below(&r, 8) - 1;
		}
		n = xorshift_below(&r, 3) ? 4096 + xorshift_below(&r, 8000)
					  : xorshift_below(&r, 200);
		random_bytes(&r, text, n);
		for (k = xorshift_below(&r, 12), at = 0; k && n; k--) {
			const char *l = lits[xorshift_below(&r, (unsigned)nlits)];
			size_t len = strlen(l);
			switch (xorshift_below(&r, 5)) {
			case 0: at = 0; break;
			case 1: at = n > len ? n - len : 0; break;
			case 2: at = n > len / 2 ? n - len / 2 : 0; break;
			/* Just before the last one: a literal whose
			 * fingerprint lies further in starts first. */
			case 3: at -= at < 40 ? at : xorshift_below(&r, 40); break;
			default: at = xorshift_below(&r, (unsigned)n);
			}
			memcpy(text + at, l, at + len <= n ? len : n - at);
		}
		/* Disguises now and then, some only look like one: a
		 * paired backslash, a CR before a LF, a CR at the end. */
		for (k = xorshift_below(&r, 3) ? 0 : 1 + xorshift_below(&r, 4);
		     k && n >= 3; k--) {
			static const char *const odd[] = {
				"\x1b[", "\\u0", "\\/", "\\\\u", "\r\n",
				"\rx", "\\\"", "\r"
			};
			const char *o = odd[xorshift_below(&r, 8)];
			size_t len = strlen(o);
			at = xorshift_below(&r, 2) ? xorshift_below(&r, (unsigned)n)
						   : n - (len < n ? len : n);
			memcpy(text + at, o, at + len <= n ? len : n - at);
		}
		bad = pf_oracle_check(lits, owner, nlits, text, n, 6, why,
				      sizeof(why), &searched);
		/* And a text of a byte no literal holds, with one literal and
		 * one disguise at places of their own (or none): the walk
		 * meets either first, or one in its last bytes. */
		if (!bad && n >= 8) {
			static const char *const odd[] = { "\x1b[", "\\u",
							   "\rx" };
			const char *l = lits[xorshift_below(&r, (unsigned)nlits)];
			size_t len = strlen(l);
			unsigned tail = n < 80 ? (unsigned)n - 2 : 80;
			int sc;
			memset(text, '.', n);
			if (xorshift_below(&r, 4) && len <= n) {
				at = xorshift_below(&r, (unsigned)(n - len + 1));
				memcpy(text + at, l, len);
			}
			if (xorshift_below(&r, 4)) {
				at = xorshift_below(&r, 3)
					     ? xorshift_below(&r, (unsigned)n - 2)
					     : n - 2 - xorshift_below(&r, tail);
				memcpy(text + at, odd[xorshift_below(&r, 3)], 2);
			}
			bad = pf_oracle_check(lits, owner, nlits, text, n, 6,
					      why, sizeof(why), &sc);
		}
		if (bad) {
			fprintf(stderr, "case %d: %s\nliterals:", c, bad);
			for (i = 0; i < nlits; i++)
				fprintf(stderr, " \"%s\"/%d", lits[i], owner[i]);
			fprintf(stderr, "\n");
			failures++;
		}
		teddy_ran += searched % 100 > 2;
		split_ran += searched >= 100;
		for (i = 0; i < nlits; i++)
			free(lits[i]);
	}
	printf("%d cases, %d with Teddy beside Wu-Manber, %d split, "
	       "%d failures\n", c, teddy_ran, split_ran, failures);
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
	/* Where Teddy can run, the cases must have reached it. */
	if (__builtin_cpu_supports("ssse3") &&
	    (teddy_ran < cases / 2 || split_ran < cases / 10)) {
		fprintf(stderr, "Teddy ran in only %d cases, split in %d\n",
			teddy_ran, split_ran);
		return 1;
	}
#endif
	return failures ? 1 : 0;
}
