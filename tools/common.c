#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

void
die_msg(const char *fmt, ...)
{
	va_list ap;
	fputs("tsblog: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
parse_rule_arg(rule_args *ra, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *file = NULL;

	if (!strcmp(a, "--no-builtin")) {
		ra->no_builtin = 1;
		return 1;
	}
	if (!strcmp(a, "-r") || !strcmp(a, "--rules")) {
		if (*i + 1 >= argc) {
			die_msg("%s needs a rule file", a);
			return -1;
		}
		file = argv[++*i];
	} else if (!strncmp(a, "--rules=", 8)) {
		file = a + 8;
	} else if (!strncmp(a, "-r", 2) && a[2]) {
		file = a + 2;
	} else {
		return 0;
	}
	ra->rule_files[ra->nrule_files++] = file;
	return 1;
}

tsblog_ruleset *
load_rules(const rule_args *ra)
{
	tsblog_builder *b = NULL;
	tsblog_ruleset *rs = NULL;
	tsblog_error err;
	int i, rc;

	rc = tsblog_builder_new(&b, NULL, &err);
	for (i = 0; rc == 0 && i < ra->nrule_files; i++)
		rc = tsblog_builder_add_file(b, ra->rule_files[i], &err);
	if (rc == 0 && !ra->no_builtin)
		rc = tsblog_builder_add_builtin(b, &err);
	if (rc == 0)
		rc = tsblog_builder_build(&rs, b, &err);
	tsblog_builder_free(b);
	if (rc < 0) {
		die_msg("%s", err.message);
		return NULL;
	}
	return rs;
}
