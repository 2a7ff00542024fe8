/* tsblog rules check|list */
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

static int
rules_list(int argc, char **argv)
{
	rule_args ra = { 0 };
	tsblog_ruleset *rs;
	size_t k;
	int i;

	ra.rule_files = calloc((size_t)argc + 1, sizeof(char *));
	if (!ra.rule_files)
		return EXIT_TROUBLE;
	for (i = 0; i < argc; i++) {
		int taken = parse_rule_arg(&ra, argc, argv, &i);
		if (taken <= 0) {
			if (!taken)
				die_msg("rules list: unknown argument %s", argv[i]);
			free(ra.rule_files);
			return EXIT_TROUBLE;
		}
	}
	rs = load_rules(&ra);
	free(ra.rule_files);
	if (!rs)
		return EXIT_TROUBLE;
	for (k = 0; k < tsblog_ruleset_count(rs); k++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, k);
		printf("%-32s %-8s %s\n", tsblog_rule_id(r),
		       tsblog_severity_name(tsblog_rule_severity(r)),
		       tsblog_rule_title(r));
	}
	tsblog_ruleset_free(rs);
	return EXIT_CLEAN;
}

int
cmd_rules(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "check"))
		return rules_check(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return rules_list(argc - 1, argv + 1);
	die_msg("usage: tsblog rules check [FILE...] | tsblog rules list [-r FILE]...");
	return EXIT_TROUBLE;
}
