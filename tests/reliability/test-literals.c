/*
 * Differential test of the literal prefilter (issue 18, D5): over patterns
 * built from the constructs that can fool a literal extractor (POSIX
 * classes, (*ACCEPT), \K, lookarounds, branch reset, callouts, verbs,
 * comments, \Q...\E, optional groups) and lines made from pieces of the
 * same text, whenever PCRE2 matches a line, the line holds one of the
 * pattern's literals.  A fixed seed keeps failures reproducible; the
 * failing pattern and line are printed.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prefilter.h"

static const char *const atoms[] = {
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
#define NATOMS (sizeof(atoms) / sizeof(*atoms))
static const char alphabet[] = "abcdxyzqABC19 :[]()|.\\";

static unsigned long long seed = 18;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33) % n;
}

/* Some atoms' text, and random bytes, so lines often match. */
static void
make_line(char *line, size_t size, const char *pattern)
{
	size_t n = 0, plen = strlen(pattern);
	int parts = 1 + (int)rnd(6);

	while (parts-- > 0 && n + 40 < size) {
		if (rnd(3) == 0) {
			const char *a = atoms[rnd(NATOMS)];
			memcpy(line + n, a, strlen(a));
			n += strlen(a);
		} else if (rnd(2) && plen) {
			size_t at = rnd((unsigned)plen), len = 1 + rnd(12);
			if (at + len > plen)
				len = plen - at;
			memcpy(line + n, pattern + at, len);
			n += len;
		} else {
			int k = 1 + (int)rnd(8);
			while (k--)
				line[n++] = alphabet[rnd(sizeof(alphabet) - 1)];
		}
	}
	line[n] = 0;
}

int
main(void)
{
	int patterns = getenv("TSBLOG_TEST_SLOW") ? 200000 : 30000;
	int tried = 0, matched = 0, with_literal = 0, failures = 0, i, k;
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);

	pcre2_set_match_limit(mc, 100000);
	for (i = 0; i < patterns && failures < 5; i++) {
		char pattern[512], line[512];
		size_t n = 0;
		int natoms = 1 + (int)rnd(7), err, nl;
		PCRE2_SIZE off;
		pcre2_code *re;
		char **lits = NULL;

		while (natoms--) {
			const char *a = atoms[rnd(NATOMS)];
			memcpy(pattern + n, a, strlen(a));
			n += strlen(a);
		}
		pattern[n] = 0;
		re = pcre2_compile((PCRE2_SPTR)pattern, n, 0, &err, &off, NULL);
		if (!re)
			continue;
		nl = pattern_literals(pattern, &lits);
		if (nl < 0) {
			fprintf(stderr, "no memory\n");
			return 1;
		}
		if (nl > 0)
			with_literal++;
		for (k = 0; k < 40; k++) {
			int j, found = 0;
			make_line(line, sizeof(line), pattern);
			tried++;
			if (pcre2_match(re, (PCRE2_SPTR)line, strlen(line), 0,
					0, md, mc) < 0)
				continue;
			matched++;
			for (j = 0; j < nl && !found; j++)
				found = strstr(line, lits[j]) != NULL;
			if (nl > 0 && !found) {
				fprintf(stderr, "pattern %s matches \"%s\" but "
					"holds none of its %d literals (first: "
					"\"%s\")\n", pattern, line, nl, lits[0]);
				failures++;
				break;
			}
		}
		for (k = 0; k < nl; k++)
			free(lits[k]);
		free(lits);
		pcre2_code_free(re);
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	printf("%d patterns, %d with literals; %d lines, %d matched; "
	       "%d unsound\n", i, with_literal, tried, matched, failures);
	/* The test must have exercised something. */
	return failures || with_literal < patterns / 20 || matched < tried / 50;
}
