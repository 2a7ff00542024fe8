/* tsblog rules check|list|why, tsblog explain */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

static int
print_failure(const tsblog_check_failure *f, void *payload)
{
	(void)payload;
	printf("%s\n", f->message);
	return 0;
}

/* A pattern that backtracks badly (nested quantifiers such as (a+)+)
 * gives up at the PCRE2 match limit on lines a log can well hold.  Its
 * own examples, padded with noise, are such lines: warn when one of them
 * makes rule @index hit the limit.  (An earlier rule that matches the
 * padded line first hides this one; its own examples say that is rare.) */
static void
warn_backtracking(const tsblog_ruleset *rs, size_t index)
{
	const tsblog_rule *r = tsblog_ruleset_rule(rs, index);
	tsblog_matcher *m;
	size_t k;

	if (tsblog_matcher_new(&m, rs, NULL) < 0)
		return;
	for (k = 0; k < tsblog_rule_example_count(r); k++) {
		const char *ex = tsblog_rule_example(r, k);
		size_t n = strlen(ex), v, pad = 4096, reps = 32;
		char *buf = malloc(pad + n * reps + reps + 2);
		if (!buf || !n) {
			free(buf);
			continue;
		}
		/* A run of its last byte, a run of its first, itself over and
		 * over; each ended by a byte that breaks a match anchored at
		 * the end. */
		for (v = 0; v < 3; v++) {
			const tsblog_diagnosis *d;
			tsblog_rule_stats st;
			tsblog_error err;
			size_t len = 0, i;
			if (v == 0) {
				memcpy(buf, ex, n);
				memset(buf + n, ex[n - 1], pad);
				len = n + pad;
			} else if (v == 1) {
				memset(buf, ex[0], pad);
				memcpy(buf + pad, ex, n);
				len = pad + n;
			} else {
				for (i = 0; i < reps; i++) {
					memcpy(buf + len, ex, n);
					len += n;
					buf[len++] = ' ';
				}
			}
			buf[len++] = '!';
			if (tsblog_matcher_match(m, buf, len, &d, &err) < 0 ||
			    tsblog_matcher_rule_stats(m, index, &st) < 0)
				break;
			if (st.limit_hits) {
				printf("%s: rule \"%s\": warning: examples[%zu] padded with noise makes the pattern hit its PCRE2 match limit: it backtracks too much (look for nested quantifiers such as (a+)+), and lines like it will not be matched\n",
				       tsblog_rule_source(r), tsblog_rule_id(r), k);
				free(buf);
				tsblog_matcher_free(m);
				return;
			}
		}
		free(buf);
	}
	tsblog_matcher_free(m);
}

/* Each file is checked on its own: its examples are judged by first-match
 * order among its own rules, as a user who loads it with -r ahead of the
 * bundled catalog would expect. */
static int
check_one(const char *path)
{
	rule_args ra = { 0 };
	const char *files[1];
	tsblog_ruleset *rs;
	tsblog_error err;
	size_t i, nex = 0, ncx = 0;
	int failures;

	files[0] = path;
	ra.rule_files = files;
	ra.nrule_files = path ? 1 : 0;
	ra.no_builtin = path != NULL;
	rs = load_rules(&ra);
	if (!rs)
		return -1;
	for (i = 0; i < tsblog_ruleset_count(rs); i++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, i);
		nex += tsblog_rule_example_count(r);
		ncx += tsblog_rule_counter_example_count(r);
	}
	/* Not failures: warnings about speed, which an author should see. */
	for (i = 0; i < tsblog_ruleset_count(rs); i++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, i);
		size_t k, shortest = (size_t)-1;
		for (k = 0; k < tsblog_rule_literal_count(r); k++)
			if (strlen(tsblog_rule_literal(r, k)) < shortest)
				shortest = strlen(tsblog_rule_literal(r, k));
		if (!tsblog_rule_literal_count(r))
			printf("%s: rule \"%s\": warning: no literal found in the pattern, so every line pays for its regex; add \"literal\": \"text every match contains\"\n",
			       tsblog_rule_source(r), tsblog_rule_id(r));
		else if (shortest < 6)
			printf("%s: rule \"%s\": warning: literal \"%s\" is short and will hit many lines; a longer one in \"literal\" makes scans faster\n",
			       tsblog_rule_source(r), tsblog_rule_id(r),
			       tsblog_rule_literal(r, 0));
		warn_backtracking(rs, i);
	}
	failures = tsblog_ruleset_check(rs, print_failure, NULL, &err);
	if (failures < 0) {
		die_msg("%s", err.message);
		tsblog_ruleset_free(rs);
		return -1;
	}
	printf("%s: %zu rules, %zu examples, %zu counter-examples: %s\n",
	       path ? path : "builtin:tsb.json", tsblog_ruleset_count(rs), nex,
	       ncx, failures ? "FAILED" : "ok");
	tsblog_ruleset_free(rs);
	return failures;
}

static int
rules_check(int argc, char **argv)
{
	int i, failed = 0, trouble = 0;

	if (argc < 1) {
		int rc = check_one(NULL);
		return rc < 0 ? EXIT_TROUBLE : rc ? EXIT_FOUND : EXIT_CLEAN;
	}
	for (i = 0; i < argc; i++) {
		int rc = check_one(argv[i]);
		if (rc < 0)
			trouble = 1;
		else if (rc > 0)
			failed = 1;
	}
	return trouble ? EXIT_TROUBLE : failed ? EXIT_FOUND : EXIT_CLEAN;
}

/* Rule options shared by list, why and explain; the rest go to *rest. */
static tsblog_ruleset *
parse_rules_opts(int argc, char **argv, const char **output, const char **id,
		 const char **rest, int *nrest)
{
	rule_args ra = { 0 };
	tsblog_ruleset *rs = NULL;
	int i, missing;
	const char *v;

	*nrest = 0;
	ra.rule_files = calloc((size_t)argc + 1, sizeof(char *));
	if (!ra.rule_files)
		return NULL;
	for (i = 0; i < argc; i++) {
		int taken = parse_rule_arg(&ra, argc, argv, &i);
		if (taken < 0)
			goto out;
		if (taken)
			continue;
		if (output && (v = opt_value(argc, argv, &i, "-o", "--output",
					     &missing))) {
			*output = v;
			continue;
		}
		if (id && (v = opt_value(argc, argv, &i, NULL, "--rule",
					 &missing))) {
			*id = v;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			if (!missing)
				die_msg("unknown option %s", argv[i]);
			goto out;
		}
		rest[(*nrest)++] = argv[i];
	}
	rs = load_rules(&ra);
out:
	free(ra.rule_files);
	return rs;
}

static int
rules_list(int argc, char **argv)
{
	const char *output = "text", **rest;
	tsblog_ruleset *rs;
	tsblog_error err;
	size_t k;
	int nrest;

	rest = calloc((size_t)argc + 1, sizeof(char *));
	rs = rest ? parse_rules_opts(argc, argv, &output, NULL, rest, &nrest)
		  : NULL;
	if (!rs || nrest || (strcmp(output, "text") && strcmp(output, "json"))) {
		if (rs)
			die_msg("usage: tsblog rules list [-r FILE]... [--no-builtin] [-o text|json]");
		tsblog_ruleset_free(rs);
		free(rest);
		return EXIT_TROUBLE;
	}
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		char *json;
		if (!strcmp(output, "text")) {
			printf("%-32s %-8s %s\n", tsblog_rule_id(r),
			       tsblog_severity_name(tsblog_rule_severity(r)),
			       tsblog_rule_title(r));
			continue;
		}
		if (tsblog_rule_to_json(&json, r, &err) < 0) {
			die_msg("%s", err.message);
			break;
		}
		puts(json);
		tsblog_free(json);
	}
	tsblog_ruleset_free(rs);
	free(rest);
	return EXIT_CLEAN;
}

/* How far rule @r's pattern gets on @line: PCRE2 calls back before every
 * pattern item (auto-callout), and we keep the furthest item reached and
 * where in the line that was.  The furthest *pattern* position, not the
 * furthest subject position: a lazy gap like [^"]*? always runs to the
 * end of the line before giving up, which says nothing. */
typedef struct {
	size_t pat_pos, item_len, subj_pos;
	int any;
} progress_t;

static int
on_callout(pcre2_callout_block *cb, void *data)
{
	progress_t *pr = data;

	if (!pr->any || cb->pattern_position > pr->pat_pos ||
	    (cb->pattern_position == pr->pat_pos &&
	     cb->current_position > pr->subj_pos)) {
		pr->any = 1;
		pr->pat_pos = cb->pattern_position;
		pr->item_len = cb->next_item_length;
		pr->subj_pos = cb->current_position;
	}
	return 0;
}

static int
how_far(const tsblog_rule *r, const char *line, size_t len, progress_t *pr)
{
	int ec, rc = -1;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)tsblog_rule_pattern(r),
				      PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
					      PCRE2_AUTO_CALLOUT |
					      PCRE2_NO_START_OPTIMIZE,
				      &ec, &eo, NULL);
	pcre2_match_data *md = c ? pcre2_match_data_create_from_pattern(c, NULL)
				 : NULL;
	pcre2_match_context *mc = pcre2_match_context_create(NULL);

	memset(pr, 0, sizeof(*pr));
	if (md && mc) {
		pcre2_set_callout(mc, on_callout, pr);
		pcre2_set_match_limit(mc, 1000000);
		rc = pcre2_match(c, (PCRE2_SPTR)line, len, 0, 0, md, mc);
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	return rc;
}

static int
rules_why(int argc, char **argv)
{
	const char *id = NULL, **rest;
	tsblog_ruleset *rs;
	tsblog_matcher *m = NULL;
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	const char *line;
	size_t k, len;
	int nrest, rc, status = EXIT_TROUBLE;
	term t = { stdout, 0 };

	rest = calloc((size_t)argc + 1, sizeof(char *));
	rs = rest ? parse_rules_opts(argc, argv, NULL, &id, rest, &nrest) : NULL;
	if (!rs)
		goto out;
	if (nrest != 1) {
		die_msg("usage: tsblog rules why [-r FILE]... [--rule ID] LINE");
		goto out;
	}
	if (id && !tsblog_ruleset_find(rs, id)) {
		die_msg("--rule %s: no such rule", id);
		goto out;
	}
	line = rest[0];
	len = strlen(line);
	t.color = color_choice(NULL, stdout);
	if (tsblog_matcher_new(&m, rs, &err) < 0 ||
	    (rc = tsblog_matcher_match(m, line, len, &d, &err)) < 0) {
		die_msg("%s", err.message);
		goto out;
	}
	if (rc == 1) {
		printf("first match: %s\n",
		       tsblog_rule_id(tsblog_diagnosis_rule(d)));
	} else {
		printf("no rule matches this line as a whole (rules see the message inside its envelope; try piping the line through tsblog)\n");
	}
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		progress_t pr;
		size_t upto;
		if (id && strcmp(id, tsblog_rule_id(r)))
			continue;
		if (rc == 1 && tsblog_diagnosis_rule(d) == r) {
			size_t f;
			printf("  %-32s MATCH", tsblog_rule_id(r));
			for (f = 0; f < tsblog_diagnosis_field_count(d); f++) {
				printf(" %s=", tsblog_diagnosis_field_name(d, f));
				term_put(&t, tsblog_diagnosis_field_value(d, f));
			}
			putchar('\n');
			continue;
		}
		if (how_far(r, line, len, &pr) >= 0) {
			printf("  %-32s would match, but an earlier rule wins\n",
			       tsblog_rule_id(r));
			continue;
		}
		if (!pr.any || pr.pat_pos == 0) {
			printf("  %-32s no: the line has nothing the pattern starts with\n",
			       tsblog_rule_id(r));
			continue;
		}
		upto = pr.subj_pos;
		printf("  %-32s no: got to column %zu, where the pattern wants ",
		       tsblog_rule_id(r), upto + 1);
		term_color(&t, C_GREEN);
		/* The pattern from that item on: enough to recognise. */
		printf("%.30s%s", tsblog_rule_pattern(r) + pr.pat_pos,
		       strlen(tsblog_rule_pattern(r) + pr.pat_pos) > 30 ? "..."
									: "");
		term_color(&t, C_RESET);
		printf("\n  %-32s     ", "");
		{
			size_t from = upto > 40 ? upto - 40 : 0;
			char *before = strndup(line + from, upto - from);
			char *after = strndup(line + upto, 40);
			if (from)
				fputs("...", stdout);
			term_put(&t, before ? before : "");
			term_color(&t, C_RED);
			fputs(" \xe2\x9f\xa8here\xe2\x9f\xa9 ", stdout);
			term_color(&t, C_RESET);
			term_put(&t, after ? after : "");
			if (len - upto > 40)
				fputs("...", stdout);
			putchar('\n');
			free(before);
			free(after);
		}
	}
	status = rc == 1 ? EXIT_FOUND : EXIT_CLEAN;
out:
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
	free(rest);
	return status;
}

int
cmd_explain(int argc, char **argv)
{
	const char **rest;
	tsblog_ruleset *rs;
	const tsblog_rule *r;
	term t = { stdout, 0 };
	size_t i;
	int nrest, status = EXIT_TROUBLE;

	rest = calloc((size_t)argc + 1, sizeof(char *));
	rs = rest ? parse_rules_opts(argc, argv, NULL, NULL, rest, &nrest) : NULL;
	if (!rs)
		goto out;
	if (nrest != 1) {
		die_msg("usage: tsblog explain [-r FILE]... ID");
		goto out;
	}
	r = tsblog_ruleset_find(rs, rest[0]);
	if (!r) {
		die_msg("no rule \"%s\" (tsblog rules list shows them)", rest[0]);
		goto out;
	}
	t.color = color_choice(NULL, stdout);
	term_color(&t, C_BOLD);
	printf("%s", tsblog_rule_id(r));
	term_color(&t, C_RESET);
	printf("  (%s", tsblog_severity_name(tsblog_rule_severity(r)));
	if (tsblog_rule_component(r))
		printf(", %s", tsblog_rule_component(r));
	printf(", from %s)\n%s\n\n", tsblog_rule_source(r), tsblog_rule_title(r));
	printf("What it means:\n  %s\n", tsblog_rule_summary(r));
	if (tsblog_rule_field_count(r)) {
		printf("\nFields:");
		for (i = 0; i < tsblog_rule_field_count(r); i++)
			printf(" {%s}", tsblog_rule_field(r, i));
		putchar('\n');
	}
	if (tsblog_rule_fix_count(r))
		printf("\nFix:\n");
	for (i = 0; i < tsblog_rule_fix_count(r); i++)
		printf("  %2zu. %s\n", i + 1, tsblog_rule_fix(r, i));
	if (tsblog_rule_example_count(r))
		printf("\nExamples:\n");
	for (i = 0; i < tsblog_rule_example_count(r); i++) {
		fputs("  ", stdout);
		term_put(&t, tsblog_rule_example(r, i));
		putchar('\n');
	}
	if (tsblog_rule_see_also_count(r)) {
		printf("\nSee also:");
		for (i = 0; i < tsblog_rule_see_also_count(r); i++)
			printf(" %s", tsblog_rule_see_also(r, i));
		putchar('\n');
	}
	if (tsblog_rule_docs(r))
		printf("\nDocs: %s\n", tsblog_rule_docs(r));
	printf("\nPattern:\n  %s\n", tsblog_rule_match(r));
	status = EXIT_CLEAN;
out:
	tsblog_ruleset_free(rs);
	free(rest);
	return status;
}

/* tsblog rules stats FILE...: which rule is slow or never fires. */
static int
rules_stats(int argc, char **argv)
{
	tsblog_scan_options so = TSBLOG_SCAN_OPTIONS_INIT;
	const char **rest;
	tsblog_ruleset *rs;
	tsblog_scanner *s = NULL;
	tsblog_error err;
	char *buf = malloc(1 << 20);
	size_t k;
	int nrest, i, status = EXIT_TROUBLE;

	rest = calloc((size_t)argc + 1, sizeof(char *));
	rs = rest && buf ? parse_rules_opts(argc, argv, NULL, NULL, rest, &nrest)
			 : NULL;
	if (!rs)
		goto out;
	if (!nrest) {
		die_msg("usage: tsblog rules stats [-r FILE]... [--no-builtin] FILE...");
		goto out;
	}
	so.flags = TSBLOG_SCAN_NO_SUMMARY | TSBLOG_SCAN_TIME_RULES;
	if (tsblog_scanner_new(&s, rs, NULL, &so, &err) < 0) {
		die_msg("%s", err.message);
		goto out;
	}
	for (i = 0; i < nrest; i++)
		if (scan_whole_file(s, rest[i], buf, 1 << 20) < 0)
			goto out;
	printf("%-32s %10s %10s %8s %6s %10s %9s  %s\n", "rule", "lit hits",
	       "regex runs", "matches", "limit", "time ms", "us/run", "literal");
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		tsblog_rule_stats st;
		tsblog_scanner_rule_stats(s, k, &st);
		printf("%-32s %10llu %10llu %8llu %6llu %10.3f %9.2f  %s%s\n",
		       tsblog_rule_id(r), (unsigned long long)st.literal_hits,
		       (unsigned long long)st.regex_runs,
		       (unsigned long long)st.matches,
		       (unsigned long long)st.limit_hits,
		       (double)st.nanoseconds / 1e6,
		       st.regex_runs ? (double)st.nanoseconds / 1e3 /
					       (double)st.regex_runs
				     : 0.0,
		       tsblog_rule_literal_count(r) ? tsblog_rule_literal(r, 0)
						    : "(none: every line pays)",
		       tsblog_rule_literal_count(r) > 1 ? " ..." : "");
	}
	printf("%llu lines, %llu bytes\n",
	       (unsigned long long)tsblog_scanner_records(s),
	       (unsigned long long)tsblog_scanner_bytes(s));
	status = EXIT_CLEAN;
out:
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
	free(rest);
	free(buf);
	return status;
}

int
cmd_rules(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "stats"))
		return rules_stats(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "check"))
		return rules_check(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return rules_list(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "why"))
		return rules_why(argc - 1, argv + 1);
	die_msg("usage: tsblog rules check|list|why|stats ... (see tsblog --help)");
	return EXIT_TROUBLE;
}
