/*
 * Differential test of the literal prefilter (issue 18, D5): over patterns
 * and lines from tests/fuzz/literal-gen.h (the fuzz-prefilter target reads
 * the same generator's choices from its input), whenever PCRE2 matches a
 * line, the line holds one of the pattern's literals.  A fixed seed keeps
 * failures reproducible; the failing pattern and line are printed.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include "fuzz/literal-gen.h"
#include "prefilter.h"

int
main(void)
{
	int patterns = getenv("TSBLOG_TEST_SLOW") ? 200000 : 30000;
	int tried = 0, matched = 0, with_literal = 0, failures = 0, i, k;
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	lg_rand r = { 18, NULL, 0 };

	pcre2_set_match_limit(mc, 100000);
	for (i = 0; i < patterns && failures < 5; i++) {
		char pattern[512], line[512];
		size_t n = lg_pattern(&r, pattern), len;
		int err, nl;
		PCRE2_SIZE off;
		pcre2_code *re;
		char **lits = NULL;

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
			len = lg_line(&r, line, sizeof(line), pattern);
			tried++;
			if (pcre2_match(re, (PCRE2_SPTR)line, len, 0, 0, md,
					mc) < 0)
				continue;
			matched++;
			if (!lg_holds_literal(line, len, lits, nl)) {
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
