/* tsblog rules check|list|why|stats */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

static void list_usage(void), why_usage(void), stats_usage(void),
	check_usage(void);

/* What check_one() tells print_failure(). */
typedef struct {
	const tsblog_ruleset *rs;       /* the file's rules */
	const tsblog_ruleset *bundled;  /* or NULL: see_also names only rs */
	int resolved;   /* see_also failures that name a bundled rule */
} check_out;

static int
print_failure(const tsblog_check_failure *f, void *payload)
{
	check_out *o = payload;

	/* A file loaded with -r comes before the bundled rules, so its
	 * see_also may name one of theirs. */
	if (o->bundled && f->severity == TSBLOG_SEVERITY_ERROR &&
	    !strcmp(f->kind, "see_also")) {
		const tsblog_rule *r = tsblog_ruleset_find(o->rs, f->rule_id);
		const char *id = r ? tsblog_rule_see_also(r, f->index) : NULL;
		if (id && tsblog_ruleset_find(o->bundled, id)) {
			o->resolved++;
			return 0;
		}
	}
	safe_printf(stdout, "%s\n", f->message);
	return 0;
}

/* Whether -r can load @path beside @bundled: a rule id both have makes
 * that fail, so it is a failure here too, at the file's rule (the builder
 * reports a duplicate where it meets it: bundled rules first, then the
 * file).  A bundled file itself, a file of the same name as the bundled
 * rule's (its installed copy, rules/ in the source tree), is not held
 * against its own rules.  The number of failures (0 or 1: the builder
 * stops at the first), or -1. */
static int
check_ids(const char *path, const tsblog_ruleset *bundled)
{
	const char *base = strrchr(path, '/');
	const tsblog_rule *twin;
	tsblog_builder *b;
	tsblog_ruleset *rs = NULL;
	tsblog_error err;
	int rc;

	base = base ? base + 1 : path;
	rc = tsblog_builder_new(&b, NULL, &err);
	if (rc == 0)
		rc = tsblog_builder_add_builtin(b, &err);
	if (rc == 0)
		rc = tsblog_builder_add_file(b, path, &err);
	if (rc == 0)
		rc = tsblog_builder_build(&rs, b, &err);
	tsblog_builder_free(b);
	tsblog_ruleset_free(rs);
	if (rc != TSBLOG_EDUPLICATE) {
		if (rc < 0)
			print_error("%s", err.message);
		return rc < 0 ? -1 : 0;
	}
	twin = tsblog_ruleset_find(bundled, err.rule_id);
	if (twin && !strncmp(tsblog_rule_source(twin), "builtin:", 8) &&
	    !strcmp(tsblog_rule_source(twin) + 8, base))
		return 0;
	safe_printf(stdout, "%s: tsblog -r cannot load the file beside the "
		    "bundled rules (rename the rule, or load the file with "
		    "--no-builtin)\n", err.message);
	return 1;
}

/* Each file is checked on its own: its examples are judged by first-match
 * order among its own rules, as a user who loads it with -r ahead of the
 * bundled catalog would expect; its see_also may also name a bundled rule,
 * and its ids must not be theirs (@bundled, NULL with --no-builtin). */
static int
check_one(const char *path, const tsblog_ruleset *bundled)
{
	rule_args ra = { 0 };
	const char *files[1];
	check_out o = { NULL, bundled, 0 };
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
	o.rs = rs;
	failures = tsblog_ruleset_check(rs, print_failure, &o, &err);
	if (failures < 0) {
		print_error("%s", err.message);
		tsblog_ruleset_free(rs);
		return -1;
	}
	failures -= o.resolved;
	if (bundled && path) {
		int dup = check_ids(path, bundled);
		if (dup < 0) {
			tsblog_ruleset_free(rs);
			return -1;
		}
		failures += dup;
	}
	safe_printf(stdout, "%s: %zu rules, %zu examples, %zu counter-examples: %s\n",
	       path ? path : "builtin", tsblog_ruleset_count(rs), nex,
	       ncx, failures ? "FAILED" : "ok");
	tsblog_ruleset_free(rs);
	return failures;
}

static int
rules_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "no-builtin", no_argument, NULL, OPT_NO_BUILTIN },
		{ NULL, 0, NULL, 0 }
	};
	tsblog_ruleset *bundled = NULL;
	int i, c, no_builtin = 0, failed = 0, trouble = 0;

	while ((c = next_option(argc, argv, ":h", longopts,
				"tsblog rules check")) != -1) {
		if (c == OPT_NO_BUILTIN) {
			no_builtin = 1;
			continue;
		}
		if (c != 'h')
			return EXIT_TROUBLE;
		check_usage();
		return EXIT_CLEAN;
	}
	if (optind == argc && no_builtin) {
		print_error("rules check: --no-builtin takes a FILE to check "
			    "(see tsblog rules check --help)");
		return EXIT_TROUBLE;
	}
	if (optind == argc) {
		int rc = check_one(NULL, NULL);
		return rc < 0 ? EXIT_TROUBLE : rc ? EXIT_FOUND : EXIT_CLEAN;
	}
	if (!no_builtin && !(bundled = load_rules(&(rule_args){ 0 })))
		return EXIT_TROUBLE;
	for (i = optind; i < argc; i++) {
		int rc = check_one(argv[i], bundled);
		if (rc < 0)
			trouble = 1;
		else if (rc > 0)
			failed = 1;
	}
	tsblog_ruleset_free(bundled);
	return trouble ? EXIT_TROUBLE : failed ? EXIT_FOUND : EXIT_CLEAN;
}

/* "Usage: tsblog rules NAME ARGS" and its line of --help, then the rule
 * options and @more. */
static void
sub_usage(const char *name, const char *more)
{
	const command *c = find_command(rules_commands, name);

	safe_printf(stdout, "Usage: tsblog rules %s [-r FILE]... [--no-builtin] %s\n"
	       "Show %s.\n\n"
	       "  -r, --rules FILE  load a rule file before the bundled rules\n"
	       "      --no-builtin  do not load the bundled TSB rules\n%s",
	       name, c->args, c->description, more);
}

tsblog_ruleset *
rules_from_options(int argc, char **argv, const char *cmd,
		   void (*usage)(void), const char **output, const char **id,
		   const char **component, tsblog_envelope *env, int *status)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "component", required_argument, NULL, OPT_COMPONENT },
		{ "pod", required_argument, NULL, OPT_POD },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "namespace", required_argument, NULL, OPT_NAMESPACE },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "scope", required_argument, NULL, OPT_SCOPE },
		RULE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	tsblog_ruleset *rs = NULL;
	rule_args ra;
	int c;

	*status = EXIT_TROUBLE;
	if (rule_args_init(&ra, argc) < 0)
		return NULL;
	while ((c = next_option(argc, argv, ":ho:" RULE_SHORT_OPTIONS,
				longopts, cmd)) != -1) {
		if (c == 'h') {
			usage();
			*status = EXIT_CLEAN;
			goto out;
		}
		if (c == 'o' && output)
			*output = optarg;
		else if (c == OPT_RULE && id)
			*id = optarg;
		else if (c == OPT_COMPONENT && component)
			*component = optarg;
		else if (c >= OPT_POD && c <= OPT_SCOPE && env)
			/* The envelope a line given to `rules why` came with. */
			*(c == OPT_POD         ? &env->pod_name
			  : c == OPT_CONTAINER ? &env->container_name
			  : c == OPT_NAMESPACE ? &env->namespace_name
			  : c == OPT_LEVEL     ? &env->level
					       : &env->scope) = optarg;
		else if (c == 'o' || c == OPT_RULE || c == OPT_COMPONENT ||
			 (c >= OPT_POD && c <= OPT_SCOPE)) {
			const struct option *o = longopts;
			while (o->name && o->val != c)
				o++;
			print_error("%s takes no %s%s (see %s --help)", cmd,
				    c == 'o' ? "-" : "--",
				    c == 'o' ? "o" : o->name, cmd);
			goto out;
		} else if (!rule_option(&ra, c, optarg))
			goto out;
	}
	rs = load_rules(&ra);
out:
	rule_args_free(&ra);
	return rs;
}

static int
rules_list(int argc, char **argv)
{
	const char *output = "text", *component = NULL;
	tsblog_ruleset *rs;
	tsblog_error err;
	size_t k;
	int status;

	rs = rules_from_options(argc, argv, "tsblog rules list", list_usage,
				&output, NULL, &component, NULL, &status);
	if (rs && (optind < argc ||
		   (strcmp(output, "text") && strcmp(output, "json")))) {
		print_error("usage: tsblog rules list [-r FILE]... [--no-builtin] [--component C] [-o text|json]");
		tsblog_ruleset_free(rs);
		rs = NULL;
	}
	if (!rs)
		return status;
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		char *json;
		if (component && (!tsblog_rule_component(r) ||
				  strcmp(component, tsblog_rule_component(r))))
			continue;
		if (!strcmp(output, "text")) {
			safe_printf(stdout, "%-32s %-8s %s\n", tsblog_rule_id(r),
			       tsblog_severity_name(tsblog_rule_severity(r)),
			       tsblog_rule_title(r));
			continue;
		}
		if (tsblog_rule_to_json(&json, r, &err) < 0) {
			print_error("%s", err.message);
			break;
		}
		put_json(json);
		tsblog_free(json);
	}
	status = k < tsblog_ruleset_count(rs) ? EXIT_TROUBLE : EXIT_CLEAN;
	tsblog_ruleset_free(rs);
	return status;
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
	const char *id = NULL;
	tsblog_envelope env = TSBLOG_ENVELOPE_INIT;
	tsblog_ruleset *rs;
	tsblog_matcher *m = NULL;
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	const char *line;
	size_t k, len;
	int rc, status;
	term t = { stdout, 0 };

	rs = rules_from_options(argc, argv, "tsblog rules why", why_usage, NULL,
				&id, NULL, &env, &status);
	if (!rs)
		goto out;
	status = EXIT_TROUBLE;
	if (optind != argc - 1) {
		print_error("usage: tsblog rules why [-r FILE]... [--rule ID] [--pod P] [--container C] [--namespace N] [--level L] [--scope S] LINE");
		goto out;
	}
	if (id && !tsblog_ruleset_find(rs, id)) {
		print_error("--rule %s: no such rule", id);
		goto out;
	}
	line = argv[optind];
	len = strlen(line);
	t.color = color_choice(NULL, stdout);
	if (tsblog_matcher_new(&m, rs, &err) < 0 ||
	    (rc = tsblog_matcher_match_context(m, line, len, &env, &d,
					       &err)) < 0) {
		print_error("%s", err.message);
		goto out;
	}
	if (rc == 1) {
		safe_printf(stdout, "first match: %s\n",
		       tsblog_rule_id(tsblog_diagnosis_rule(d)));
	} else {
		safe_printf(stdout, "no rule matches this line as a whole (rules see the message inside its envelope; try piping the line through tsblog)\n");
	}
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		progress_t pr;
		size_t upto;
		if (id && strcmp(id, tsblog_rule_id(r)))
			continue;
		if (rc == 1 && tsblog_diagnosis_rule(d) == r) {
			size_t f;
			safe_printf(stdout, "  %-32s MATCH", tsblog_rule_id(r));
			for (f = 0; f < tsblog_diagnosis_field_count(d); f++) {
				safe_printf(stdout, " %s=", tsblog_diagnosis_field_name(d, f));
				term_put(&t, tsblog_diagnosis_field_value(d, f));
			}
			putchar('\n');
			continue;
		}
		if (how_far(r, line, len, &pr) >= 0) {
			char why[300];
			if (tsblog_rule_context_holds(r, line, len, &env, why,
						      sizeof(why)) == 0)
				safe_printf(stdout, "  %-32s no: the pattern matches, but not the context: %s\n",
					    tsblog_rule_id(r), why);
			else
				safe_printf(stdout, "  %-32s would match, but an earlier rule wins\n",
					    tsblog_rule_id(r));
			continue;
		}
		if (!pr.any || pr.pat_pos == 0) {
			safe_printf(stdout, "  %-32s no: the line has nothing the pattern starts with\n",
			       tsblog_rule_id(r));
			continue;
		}
		upto = pr.subj_pos;
		safe_printf(stdout, "  %-32s no: got to column %zu, where the pattern wants ",
		       tsblog_rule_id(r), upto + 1);
		term_color(&t, C_GREEN);
		/* The pattern from that item on: enough to recognise. */
		safe_printf(stdout, "%.30s%s", tsblog_rule_pattern(r) + pr.pat_pos,
		       strlen(tsblog_rule_pattern(r) + pr.pat_pos) > 30 ? "..."
									: "");
		term_color(&t, C_RESET);
		safe_printf(stdout, "\n  %-32s     ", "");
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
	return status;
}

/* tsblog rules stats FILE...: which rule is slow or never fires. */
static int
rules_stats(int argc, char **argv)
{
	tsblog_scan_options so = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_ruleset *rs;
	tsblog_scanner *s = NULL;
	tsblog_error err;
	unsigned long long malformed = 0;
	size_t k;
	int i, status;

	rs = rules_from_options(argc, argv, "tsblog rules stats", stats_usage,
				NULL, NULL, NULL, NULL, &status);
	if (!rs)
		goto out;
	status = EXIT_TROUBLE;
	if (optind == argc) {
		print_error("usage: tsblog rules stats [-r FILE]... [--no-builtin] FILE...");
		goto out;
	}
	so.flags = TSBLOG_SCAN_NO_SUMMARY | TSBLOG_SCAN_TIME_RULES;
	if (tsblog_scanner_new(&s, rs, NULL, &so, &err) < 0) {
		print_error("%s", err.message);
		goto out;
	}
	for (i = optind; i < argc; i++)
		if (scan_file_quietly(s, argv[i], &malformed) < 0)
			goto out;
	safe_printf(stdout, "%-32s %10s %10s %8s %6s %10s %9s  %s\n", "rule", "lit hits",
	       "regex runs", "matches", "limit", "time ms", "us/run", "literal");
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		tsblog_rule_stats st;
		tsblog_scanner_rule_stats(s, k, &st);
		safe_printf(stdout, "%-32s %10llu %10llu %8llu %6llu %10.3f %9.2f  %s%s\n",
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
	safe_printf(stdout, "%llu lines, %llu bytes\n",
	       (unsigned long long)tsblog_scanner_records(s),
	       (unsigned long long)tsblog_scanner_bytes(s));
	status = malformed ? EXIT_TROUBLE : EXIT_CLEAN;
out:
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
	return status;
}

static void
list_usage(void)
{
	sub_usage("list", "  -o, --output FORMAT  text (default) or json (one rule per line)\n"
			  "      --component C    only the rules of component C (kubelet, cert-manager, ...)\n");
}

static void
why_usage(void)
{
	sub_usage("why", "      --rule ID     only this rule\n"
			 "      --pod P, --container C, --namespace N, --level L, --scope S\n"
			 "                    the envelope the line came with, for rules with a context\n");
}

static void
stats_usage(void)
{
	sub_usage("stats", "");
}

static void
check_usage(void)
{
	safe_printf(stdout, "Usage: tsblog rules check [--no-builtin] [FILE]...\n"
	       "Run each rule file's own examples and counter-examples (the bundled\n"
	       "rules when no FILE), and warn about rules that will be slow.\n\n"
	       "  A file's see_also may name a bundled rule, since -r loads it before\n"
	       "  them, and its rule ids must not be theirs; with --no-builtin it is\n"
	       "  checked alone.\n");
}

const command rules_commands[] = {
	{ "list", rules_list, "[--component C] [-o json]",
	  "the rules loaded, in matching order",
	  NULL },
	{ "check", rules_check, "[--no-builtin] [FILE]...", "run the rules' own examples", NULL },
	{ "why", rules_why, "[--rule ID] [--pod P]... LINE",
	  "why a line did or did not match", NULL },
	{ "stats", rules_stats, "FILE...",
	  "per rule: literal hits, regex runs, time", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
