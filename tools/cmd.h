/* Shared by the tsblog subcommands. */
#ifndef TSBLOG_CMD_H
#define TSBLOG_CMD_H

#include <stdio.h>
#include <tsblog.h>

/* Exit statuses, documented in --help and the man page. */
#define EXIT_CLEAN 0    /* nothing found / all checks passed */
#define EXIT_FOUND 1    /* diagnoses found / a check failed */
#define EXIT_TROUBLE 2  /* bad usage, bad rule file, unreadable input */

typedef struct {
	const char **rule_files;
	int nrule_files;
	int no_builtin;
} rule_args;

/* Print "tsblog: MESSAGE" on stderr. */
void die_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Build a rule set from -r files then (unless --no-builtin) the catalog;
 * on failure print the error and return NULL. */
tsblog_ruleset *load_rules(const rule_args *ra);
/* Take "-r FILE", "--rules=FILE", "--no-builtin" at argv[*i];
 * 1 if taken, 0 if not ours, -1 on a usage error. */
int parse_rule_arg(rule_args *ra, int argc, char **argv, int *i);

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);

#endif
