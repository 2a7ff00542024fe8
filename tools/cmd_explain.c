/* tsblog explain ID: a rule, what it means and the fix. */
#include <string.h>
#include "cmd.h"

static void
usage(void)
{
	fputs("Usage: tsblog explain [-r FILE]... [--no-builtin] ID\n"
	      "Show rule ID: what it means, its fields, the fix, examples, pattern.\n"
	      "\n"
	      "  -r, --rules FILE  load a rule file before the bundled rules\n"
	      "      --no-builtin  do not load the bundled TSB rules\n",
	      stdout);
}

int
cmd_explain(int argc, char **argv)
{
	tsblog_ruleset *rs;
	const tsblog_rule *r;
	term t = { stdout, 0 };
	size_t i;
	int status;

	rs = rules_from_options(argc, argv, "tsblog explain", usage, NULL, NULL,
				NULL, NULL,
				&status);
	if (!rs)
		goto out;
	status = EXIT_TROUBLE;
	if (optind != argc - 1) {
		print_error("usage: tsblog explain [-r FILE]... ID");
		goto out;
	}
	r = tsblog_ruleset_find(rs, argv[optind]);
	if (!r) {
		print_error("no rule \"%s\" (tsblog rules list shows them)",
			    argv[optind]);
		goto out;
	}
	t.color = color_choice(NULL, stdout);
	term_color(&t, C_BOLD);
	safe_printf(stdout, "%s", tsblog_rule_id(r));
	term_color(&t, C_RESET);
	safe_printf(stdout, "  (%s", tsblog_severity_name(tsblog_rule_severity(r)));
	if (tsblog_rule_component(r))
		safe_printf(stdout, ", %s", tsblog_rule_component(r));
	safe_printf(stdout, ", from %s)\n%s\n\n", tsblog_rule_source(r), tsblog_rule_title(r));
	safe_printf(stdout, "What it means:\n  %s\n", tsblog_rule_summary(r));
	if (tsblog_rule_context(r))
		safe_printf(stdout, "\nOnly when the line's context matches:\n  %s\n",
			    tsblog_rule_context(r));
	if (tsblog_rule_field_count(r)) {
		safe_printf(stdout, "\nFields:");
		for (i = 0; i < tsblog_rule_field_count(r); i++)
			safe_printf(stdout, " {%s}", tsblog_rule_field(r, i));
		putchar('\n');
	}
	if (tsblog_rule_fix_count(r))
		safe_printf(stdout, "\nFix:\n");
	for (i = 0; i < tsblog_rule_fix_count(r); i++)
		safe_printf(stdout, "  %2zu. %s\n", i + 1, tsblog_rule_fix(r, i));
	if (tsblog_rule_example_count(r))
		safe_printf(stdout, "\nExamples:\n");
	for (i = 0; i < tsblog_rule_example_count(r); i++) {
		fputs("  ", stdout);
		term_put(&t, tsblog_rule_example(r, i));
		putchar('\n');
	}
	if (tsblog_rule_see_also_count(r)) {
		safe_printf(stdout, "\nSee also:");
		for (i = 0; i < tsblog_rule_see_also_count(r); i++)
			safe_printf(stdout, " %s", tsblog_rule_see_also(r, i));
		putchar('\n');
	}
	if (tsblog_rule_docs(r))
		safe_printf(stdout, "\nDocs: %s\n", tsblog_rule_docs(r));
	safe_printf(stdout, "\nPattern:\n  %s\n", tsblog_rule_match(r));
	status = EXIT_CLEAN;
out:
	tsblog_ruleset_free(rs);
	return status;
}
