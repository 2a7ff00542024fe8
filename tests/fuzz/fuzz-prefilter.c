/*
 * libFuzzer target: the literal prefilter never skips what PCRE2 matches.
 *
 * Input: byte 0 picks how the rest is read.  Even: the rest is a pattern,
 * a newline, then lines.  Odd: the rest are the choices of
 * literal-gen.h's generator (the one test-literals runs with a fixed
 * seed), which makes a pattern and up to 8 lines from it.  Bit 1 adds a
 * second rule with its own literal, so the prefilter has several owners.
 *
 * The pattern becomes a rule (through a rule file, with the library's
 * default match limits); then for each line: a line PCRE2 matches holds
 * one of pattern_literals()'s literals, and tsblog_matcher_match() gives
 * the rule exactly when PCRE2 matches (unless a limit made either answer
 * uncertain).  Last, all lines are scanned with the prefilter (the
 * scanner's fast path and the matcher's candidates) and again with it
 * taken out of the rule set: diagnoses, counters and summary must agree.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "fuzz-common.h"
#include "literal-gen.h"
#include "pf-oracle.h"
#include "prefilter.h"
#include "tsblog-private.h"

#define MAX_LINES 8

/* The pattern as a rule file (the second rule when @two); NULL when
 * jansson refuses it (not UTF-8).  Caller frees. */
static char *
pattern_rule_file(const char *pattern, size_t n, int two)
{
	json_t *pat = json_stringn(pattern, n), *rules, *doc;
	char *text;

	if (!pat)
		return NULL;
	rules = json_pack("[{s:s, s:s, s:s, s:o, s:s}]", "id", "p",
			  "severity", "warning", "title", "t", "match", pat,
			  "summary", "s");
	FUZZ_CHECK(rules != NULL, "json_pack");
	if (two)
		json_array_append_new(
			rules, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
					 "q", "severity", "error", "title", "u",
					 "match", "(?<w>zqz\\w+) down",
					 "summary", "{w}"));
	doc = json_pack("{s:i, s:o}", "tsblog", 1, "rules", rules);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	FUZZ_CHECK(text != NULL, "json_dumps");
	return text;
}

/* PCRE2 straight, as rulefile.c compiles rules and with its limits: the
 * rule without any prefilter. */
typedef struct {
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mc;
} oracle;

static void
check_line(tsblog_matcher *m, const tsblog_ruleset *rs, oracle *o,
	   char *const *lits, int nl, const char *line, size_t len)
{
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	uint64_t hits = tsblog_matcher_limit_hits(m);
	int want = pcre2_match(o->re, (PCRE2_SPTR)line, len, 0, 0, o->md,
			       o->mc);
	int got = tsblog_matcher_match(m, line, len, &d, &err);

	FUZZ_CHECK(got == 0 || got == 1, "tsblog_matcher_match: %s",
		   err.message);
	if (want >= 0)
		FUZZ_CHECK(lg_holds_literal(line, len, lits, nl),
			   "/%s/ matches \"%.*s\" but the line holds none of "
			   "its %d literals (first \"%s\")",
			   tsblog_rule_pattern(tsblog_ruleset_rule(rs, 0)),
			   (int)len, line, nl, lits[0]);
	if (tsblog_matcher_limit_hits(m) != hits ||
	    (want < 0 && want != PCRE2_ERROR_NOMATCH))
		return;
	got = got == 1 && tsblog_diagnosis_rule(d) == tsblog_ruleset_rule(rs, 0);
	FUZZ_CHECK(got == (want >= 0),
		   "PCRE2 %s /%s/ on \"%.*s\", the matcher %s",
		   want >= 0 ? "matches" : "does not match",
		   tsblog_rule_pattern(tsblog_ruleset_rule(rs, 0)), (int)len,
		   line, got ? "does" : "does not");
}

/* Every literal search this CPU can run finds what a naive one finds, in
 * the lines repeated past the length where Teddy takes over. */
static void
check_searches(const tsblog_ruleset *rs, const char *text, size_t n)
{
	char *lits[64], *big, why[256];
	int owner[64], searched;
	size_t nlits = 0, i, k, len = n ? 4200 + n % 97 : 0;

	for (i = 0; i < rs->nrules; i++)
		for (k = 0; k < rs->rules[i]->nliterals && nlits < 64; k++) {
			lits[nlits] = rs->rules[i]->literals[k];
			owner[nlits++] = (int)i;
		}
	if (!nlits || !(big = malloc(len + 1)))
		return;
	for (i = 0; i < len; i++)
		big[i] = text[i % n];
	FUZZ_CHECK(!pf_oracle_check(lits, owner, nlits, big, len, rs->nrules,
				    why, sizeof(why), &searched),
		   "%s", why);
	free(big);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsblog_compile_options copts = TSBLOG_COMPILE_OPTIONS_INIT;
	tsblog_builder *b = NULL;
	tsblog_ruleset *rs = NULL;
	tsblog_matcher *m = NULL;
	tsblog_error err;
	char gen_pat[7 * 32 + 1], gen_lines[MAX_LINES][512];
	const char *pattern, *line[MAX_LINES];
	size_t plen, len[MAX_LINES], nlines = 0, i;
	char *file, **lits = NULL, *text;
	int nl, ec;
	PCRE2_SIZE eo;
	oracle o;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		lg_rand r = { 0, data + 1, size - 1 };
		plen = lg_pattern(&r, gen_pat);
		pattern = gen_pat;
		while (nlines < MAX_LINES && r.n) {
			len[nlines] = lg_line(&r, gen_lines[nlines],
					      sizeof(gen_lines[0]), gen_pat);
			line[nlines] = gen_lines[nlines];
			nlines++;
		}
	} else {
		const char *p = (const char *)data + 1, *end = p + size - 1, *e;
		pattern = p;
		e = memchr(p, '\n', (size_t)(end - p));
		plen = (size_t)((e ? e : end) - p);
		for (p = e; p && p < end && nlines < MAX_LINES; p = e) {
			p++;
			e = memchr(p, '\n', (size_t)(end - p));
			line[nlines] = p;
			len[nlines++] = (size_t)((e ? e : end) - p);
		}
	}
	if (memchr(pattern, 0, plen) ||
	    !(file = pattern_rule_file(pattern, plen, data[0] & 2)))
		return 0;
	FUZZ_CHECK(tsblog_builder_new(&b, &copts, &err) == 0,
		   "tsblog_builder_new: %s", err.message);
	if (tsblog_builder_add_string(b, "fuzz.json", file, strlen(file),
				      &err) < 0) {
		free(file);
		tsblog_builder_free(b);
		return 0;
	}
	free(file);
	FUZZ_CHECK(tsblog_builder_build(&rs, b, &err) == 0, "build: %s",
		   err.message);
	tsblog_builder_free(b);

	/* The expanded pattern, as the library compiled it. */
	pattern = tsblog_rule_pattern(tsblog_ruleset_rule(rs, 0));
	o.re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PATTERN_OPTIONS, &ec, &eo, NULL);
	o.md = pcre2_match_data_create(1, NULL);
	o.mc = pcre2_match_context_create(NULL);
	FUZZ_CHECK(o.re && o.md && o.mc, "PCRE2 refuses /%s/", pattern);
	pcre2_set_match_limit(o.mc, (uint32_t)copts.match_limit);
	pcre2_set_depth_limit(o.mc, (uint32_t)copts.depth_limit);
	pcre2_set_heap_limit(o.mc, (uint32_t)copts.heap_limit);
	nl = pattern_literals(pattern, &lits);
	FUZZ_CHECK(nl >= 0, "pattern_literals: no memory");
	FUZZ_CHECK(tsblog_matcher_new(&m, rs, &err) == 0,
		   "tsblog_matcher_new: %s", err.message);
	for (i = 0; i < nlines; i++)
		check_line(m, rs, &o, lits, nl, line[i], len[i]);
	tsblog_matcher_free(m);

	/* The lines as one log, with and without the prefilter. */
	{
		size_t n = 0, nlits;
		struct prefilter_s *pf;
		fuzz_scan with, without;

		for (i = 0; i < nlines; i++)
			n += len[i] + 1;
		text = malloc(n + 1);
		FUZZ_CHECK(text != NULL, "out of memory in the harness");
		for (n = 0, i = 0; i < nlines; i++) {
			memcpy(text + n, line[i], len[i]);
			n += len[i];
			text[n++] = '\n';
		}
		fuzz_run_scan(rs, NULL, (const uint8_t *)text, n, NULL, &with);
		/* Built by now if the rule set has one (ruleset_pf()). */
		pf = rs->pf;
		nlits = rs->pf_nlits;
		rs->pf = NULL;
		rs->pf_nlits = 0;
		fuzz_run_scan(rs, NULL, (const uint8_t *)text, n, NULL,
			      &without);
		rs->pf = pf;
		rs->pf_nlits = nlits;
		fuzz_same_scan(&with, &without);
		/* A line the prefilter skips never runs its regex, so it
		 * cannot hit a limit there either: then only the limit
		 * counts may differ, and the diagnoses were compared above. */
		if (strstr(without.summary, "\"limit_hits\":0,"))
			FUZZ_CHECK(!strcmp(with.summary, without.summary),
				   "the prefilter changes the summary:\n%.600s\n%.600s",
				   with.summary, without.summary);
		fuzz_scan_free(&with);
		fuzz_scan_free(&without);
		check_searches(rs, text, n);
		free(text);
	}
	for (i = 0; i < (size_t)nl; i++)
		free(lits[i]);
	free(lits);
	pcre2_code_free(o.re);
	pcre2_match_data_free(o.md);
	pcre2_match_context_free(o.mc);
	tsblog_ruleset_free(rs);
	return 0;
}
