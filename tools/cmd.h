/* Shared by the tsblog commands. */
#ifndef TSBLOG_CMD_H
#define TSBLOG_CMD_H

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <tsblog.h>

/* Exit statuses, documented in --help and the man page. */
#define EXIT_CLEAN 0    /* nothing found / all checks passed */
#define EXIT_FOUND 1    /* diagnoses found / a check failed */
#define EXIT_TROUBLE 2  /* bad usage, bad rule file, unreadable input */

/* One command of a command table (libgit2's cli_cmds[]): `tsblog NAME
 * ARGS`.  fn gets argv[0] = NAME.  A table ends with a NULL name. */
typedef struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;               /* synopsis after the name */
	const char *description;        /* one line for --help */
	const struct command *sub;      /* its subcommands, or NULL */
} command;

extern const command tsblog_commands[];
extern const command rules_commands[];
extern const command summary_commands[];
/* The entry of @table called @name, or NULL. */
const command *find_command(const command *table, const char *name);
/* "  tsblog rules list [-o json]   the rules loaded..." for each entry,
 * subcommands included; @prefix is "tsblog" or "tsblog rules". */
void list_commands(FILE *f, const char *prefix, const command *table);

/* --- options (opts.c) ---------------------------------------------------- */

/* Print "tsblog: MESSAGE" on stderr; the caller decides what happens next. */
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Codes of the long options without a short form (getopt_long's val). */
enum {
	OPT_NO_BUILTIN = 256, OPT_RULE, OPT_COLOR, OPT_MIN_SEVERITY,
	OPT_FAIL_ON, OPT_PASSTHROUGH, OPT_NO_REDACT, OPT_CONTEXT,
	OPT_KUBECONFIG, OPT_KUBECTL, OPT_REQUEST_TIMEOUT, OPT_COMPONENT,
	OPT_POD, OPT_CONTAINER, OPT_NAMESPACE, OPT_LEVEL, OPT_SCOPE, OPT_RAW
};

/* getopt_long() with our messages: "unknown option --x (see HELP)" and
 * "--x needs a value".  Returns the option's code, -1 after the last
 * option (operands then start at optind), or '?' once it has printed a
 * message.  @shortopts must start with ':'.  @help names the command
 * for the hint, such as "tsblog rules why". */
int next_option(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char *help);

/* The options of every command that loads rules. */
#define RULE_SHORT_OPTIONS "r:"
#define RULE_LONG_OPTIONS                                           \
	{ "rules", required_argument, NULL, 'r' },                  \
	{ "no-builtin", no_argument, NULL, OPT_NO_BUILTIN }

typedef struct {
	const char **rule_files; /* -r FILEs, in order */
	int nrule_files;
	int no_builtin;
} rule_args;

/* Room for every -r of an @argc-word command line; -1 (reported) if out
 * of memory.  Release with rule_args_free(). */
int rule_args_init(rule_args *ra, int argc);
void rule_args_free(rule_args *ra);
/* Take option @code if it is -r or --no-builtin: 1 if taken, else 0. */
int rule_option(rule_args *ra, int code, const char *arg);
/* Build a rule set from the -r files then (unless --no-builtin) the
 * catalog; on failure print the error and return NULL. */
tsblog_ruleset *load_rules(const rule_args *ra);
/* severity word -> number (TSBLOG_SEVERITY_*), -1 if unknown. */
int severity_from_name(const char *s);
/* The index of @word in the NULL-terminated @words, or -1. */
int word_index(const char *const *words, const char *word);

/* --- terminal (term.c) --------------------------------------------------- */

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
/* printf, with the result through term_put's escaping (newlines kept):
 * for anything that quotes a rule file or an input. */
void safe_printf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void safe_vprintf(FILE *f, const char *fmt, va_list ap);
/* A --passthrough line: its text and SGR colour sequences (as less -R
 * shows them); every other control sequence, C0 or C1 control is
 * dropped. */
void put_passthrough(FILE *f, const char *p, size_t n);
/* A JSON document on stdout, one line, with C1 controls and DEL escaped. */
void put_json(const char *json);
/* Decide colour for --color=auto|always|never and NO_COLOR; -1 if the
 * word is not one of those. */
int color_choice(const char *word, FILE *f);
/* "08:14:02" out of the timestamps we know; otherwise the input. */
const char *short_time(const char *ts, char *buf, size_t size);

/* --- the scan command (cmd_scan.c, scan.c) ------------------------------- */

enum output { OUT_TEXT, OUT_JSON, OUT_SUMMARY_JSON };

/* The lowest severity that makes the exit status 1; never: none does. */
#define FAIL_ON_NEVER (TSBLOG_SEVERITY_ERROR + 1)

/* What the scan options say (also taken by doctor). */
typedef struct {
	enum output output;
	int passthrough, raw, follow, text, no_redact, recursive;
	const char *color;      /* --color word; NULL = auto */
	int fail_on;            /* lowest severity that fails, or FAIL_ON_NEVER */
	int min_severity;
	int jobs;               /* threads for one regular file */
	const char **only;      /* --rule IDs */
	int nonly;
	rule_args rules;
} scan_opts;

#define SCAN_SHORT_OPTIONS "o:fj:aR" RULE_SHORT_OPTIONS
#define SCAN_LONG_OPTIONS                                            \
	{ "output", required_argument, NULL, 'o' },                  \
	{ "follow", no_argument, NULL, 'f' },                        \
	{ "jobs", required_argument, NULL, 'j' },                    \
	{ "text", no_argument, NULL, 'a' },                          \
	{ "recursive", no_argument, NULL, 'R' },                     \
	{ "passthrough", no_argument, NULL, OPT_PASSTHROUGH },       \
	{ "raw", no_argument, NULL, OPT_RAW },                       \
	{ "no-redact", no_argument, NULL, OPT_NO_REDACT },           \
	{ "color", required_argument, NULL, OPT_COLOR },             \
	{ "colour", required_argument, NULL, OPT_COLOR },            \
	{ "rule", required_argument, NULL, OPT_RULE },               \
	{ "min-severity", required_argument, NULL, OPT_MIN_SEVERITY }, \
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },         \
	RULE_LONG_OPTIONS

/* Defaults, with room for the lists of an @argc-word command line; -1
 * (reported) if out of memory.  Release with scan_opts_free(). */
int scan_opts_init(scan_opts *o, int argc);
void scan_opts_free(scan_opts *o);
/* Take option @code: 1 if taken, 0 if not a scan option, -1 on a bad
 * value (reported). */
int scan_option(scan_opts *o, int code, const char *arg);
/* Whether --rule and --min-severity let rule @r through. */
int scan_keeps(const scan_opts *o, const tsblog_rule *r);

/* Where run_scan() reads from: open(ctx, i, &name) gives input i as a
 * file descriptor and sets its name (also when it fails), SOURCE_END
 * after the last, SOURCE_FAILED (reported already) when it cannot be
 * read; close() ends it, <0 if it turned out unreadable (reported). */
#define SOURCE_END (-2)
#define SOURCE_FAILED (-1)
typedef struct {
	int (*open)(void *ctx, int i, const char **name);
	int (*close)(void *ctx, int i, int fd);
	void *ctx;
	/* NULL: every input must be read.  Otherwise some failing is
	 * expected (doctor: a pod that has not started has no logs), and
	 * this is the error when none could be read. */
	const char *none_read;
} input_source;

/* Scan @paths (n of them; "-" is standard input) or, when @source is not
 * NULL, what it gives; print what @o asks for; return the exit status. */
int run_scan(const scan_opts *o, const input_source *source,
	     const char *const *paths, int n);

/* Scan the file @path ("-": standard input) as the next input of @s, for
 * commands that want only the totals, summary or statistics: malformed
 * events are reported and counted in *malformed; -1 (reported) if it
 * could not be read. */
int scan_file_quietly(tsblog_scanner *s, const char *path,
		      unsigned long long *malformed);

/* --- the rules commands (cmd_rules.c) --------------------------------- */

/* The options of rules list|why|stats and explain: -h, -r, --no-builtin,
 * and -o into *output, --rule into *id, --component into *component and
 * --pod/--container/--namespace/--level/--scope into *ctx where those are
 * not NULL.  The rule set, or NULL with *status set (EXIT_CLEAN after
 * --help); operands start at optind. */
tsblog_ruleset *rules_from_options(int argc, char **argv, const char *cmd,
				   void (*usage)(void), const char **output,
				   const char **id, const char **component,
				   tsblog_envelope *env, int *status);

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_doctor(int argc, char **argv);

#endif
