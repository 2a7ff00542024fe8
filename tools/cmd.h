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
 * 1 if taken, 0 if not ours, -1 on a usage error.  ra->rule_files must
 * have room for argc entries. */
int parse_rule_arg(rule_args *ra, int argc, char **argv, int *i);
/* The value of "--name=V", "--name V" or "-x V" at argv[*i], or NULL if
 * argv[*i] is not that option; *missing is set when the value is absent. */
const char *opt_value(int argc, char **argv, int *i, const char *shortname,
		      const char *longname, int *missing);

/* Terminal output: colour and escaping of bytes that came from a log. */
typedef struct {
	FILE *f;
	int color;
} term;

enum color { C_RESET, C_BOLD, C_DIM, C_RED, C_YELLOW, C_CYAN, C_GREEN };
void term_color(term *t, enum color c);
/* Write s with control characters (C0, DEL, C1) shown as \xNN, so a
 * hostile log line cannot move the cursor or rewrite the screen. */
void term_put(term *t, const char *s);
/* Decide colour for --color=auto|always|never and NO_COLOR; -1 if the
 * word is not one of those. */
int color_choice(const char *word, FILE *f);
/* "08:14:02" out of the timestamps we know; otherwise the input. */
const char *short_time(const char *ts, char *buf, size_t size);
/* Feed a whole file (or "-") through @s, discarding the diagnoses: for
 * commands that want only the totals, summary or statistics. */
int scan_whole_file(tsblog_scanner *s, const char *path, char *buf,
		    size_t size);
/* severity word -> number (TSBLOG_SEVERITY_*), -1 if unknown. */
int severity_from_name(const char *s);

/* Where run_scan() reads from: open(ctx, i, &name) gives input i as a
 * file descriptor and its name, SOURCE_END after the last, SOURCE_FAILED
 * (reported already) to skip it; close() ends it, <0 if it failed. */
#define SOURCE_END (-2)
#define SOURCE_FAILED (-1)
typedef struct {
	int (*open)(void *ctx, int i, const char **name);
	int (*close)(void *ctx, int i, int fd);
	void *ctx;
} input_source;

/* The scan command's options and output, over @source (NULL: the FILE
 * arguments). */
int run_scan(int argc, char **argv, const input_source *source);
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_doctor(int argc, char **argv);

#endif
