/*
 * Patterns and lines for differential tests of the literal prefilter:
 * shared by tests/reliability/test-literals.c (a fixed-seed generator) and
 * tests/fuzz/fuzz-prefilter.c (choices read from the fuzzer's input).
 *
 * Patterns are built from the constructs that can fool a literal
 * extractor (POSIX classes, (*ACCEPT), \K, lookarounds, branch reset,
 * callouts, verbs, comments, \Q...\E, optional groups), lines from pieces
 * of the same text so that they often match.  The oracle: a line PCRE2
 * matches must hold one of the pattern's literals.
 */
#ifndef TSBLOG_LITERAL_GEN_H
#define TSBLOG_LITERAL_GEN_H

#include <stdint.h>
#include <string.h>

static const char *const lg_atoms[] = {
	"abc", "bcd", "xyz", "q", "]", ":", "[[:alpha:]]", "[[:digit:]x]",
	"[]a]", "[^]b]", "[\\]c]", "[[:^space:]]", "[[.a.]b]", "[[:a]",
	"\\Q(a|]\\E", "\\Qab", "(?#(c[)", "(*ACCEPT)", "(*ACCEPT:m)", "\\K",
	"(?=ab)", "(?<=c)", "(?!x)", "(?<!y)", "(?|(a)|(bc))", "(?C1)",
	"(?C\"x)\")", "(*COMMIT)", "(*SKIP)", "(*PRUNE)", "(*THEN)",
	"(*MARK:x)", "(*FAIL)|", ".", "a?", "(ab|cd)", "(?:abc)?", "x{0}",
	"y{2}", "\\d", "(?i)", "(?i:ab)", "(?(1)ab|cd)", "(?>ab)",
	"(*pla:ab)", "(*atomic:abc)", "|", "(", ")", "(?:", "(?<n>",
	"\\x41", "\\\\", "\\.", "b*", "c+", "{", "(?(DEFINE)(?<d>abcd))",
	"(?&d)", "(?1)", "\\1", "(*napla:abc)", "[\\Q]\\E]",
};
#define LG_NATOMS (sizeof(lg_atoms) / sizeof(*lg_atoms))
static const char lg_alphabet[] = "abcdxyzqABC19 :[]()|.\\";

/* Where choices come from: a seeded generator, or (p != NULL) the bytes
 * of a fuzz input, one per choice, zeros once they run out. */
typedef struct {
	unsigned long long seed;
	const uint8_t *p;
	size_t n;
} lg_rand;

static inline unsigned
lg_rnd(lg_rand *r, unsigned n)
{
	if (r->p) {
		unsigned b = r->n ? *r->p++ : 0;
		if (r->n)
			r->n--;
		return b % n;
	}
	r->seed = r->seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(r->seed >> 33) % n;
}

/* 1 to 7 atoms into @pattern (at least 7 * 24 + 1 bytes); its length. */
static inline size_t
lg_pattern(lg_rand *r, char *pattern)
{
	size_t n = 0;
	int natoms = 1 + (int)lg_rnd(r, 7);

	while (natoms--) {
		const char *a = lg_atoms[lg_rnd(r, LG_NATOMS)];
		memcpy(pattern + n, a, strlen(a));
		n += strlen(a);
	}
	pattern[n] = 0;
	return n;
}

/* Some atoms' text, pieces of @pattern and random bytes into @line (of
 * @size > 40 bytes); its length. */
static inline size_t
lg_line(lg_rand *r, char *line, size_t size, const char *pattern)
{
	size_t n = 0, plen = strlen(pattern);
	int parts = 1 + (int)lg_rnd(r, 6);

	while (parts-- > 0 && n + 40 < size) {
		if (lg_rnd(r, 3) == 0) {
			const char *a = lg_atoms[lg_rnd(r, LG_NATOMS)];
			memcpy(line + n, a, strlen(a));
			n += strlen(a);
		} else if (lg_rnd(r, 2) && plen) {
			size_t at = lg_rnd(r, (unsigned)plen),
			       len = 1 + lg_rnd(r, 12);
			if (at + len > plen)
				len = plen - at;
			memcpy(line + n, pattern + at, len);
			n += len;
		} else {
			int k = 1 + (int)lg_rnd(r, 8);
			while (k--)
				line[n++] = lg_alphabet[lg_rnd(
					r, sizeof(lg_alphabet) - 1)];
		}
	}
	line[n] = 0;
	return n;
}

/* Whether a line PCRE2 matched holds one of @nl literals (or there are
 * none: then the prefilter does not skip the rule). */
static inline int
lg_holds_literal(const char *line, size_t n, char *const *lits, int nl)
{
	int j;

	for (j = 0; j < nl; j++)
		if (memmem(line, n, lits[j], strlen(lits[j])))
			return 1;
	return nl <= 0;
}

#endif
