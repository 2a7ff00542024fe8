/* Option parsing shared by the commands: messages, getopt_long, rules. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

void
print_error(const char *fmt, ...)
{
	va_list ap;
	fputs("tsblog: ", stderr);
	va_start(ap, fmt);
	safe_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* How many long options @word ("--na" or "--na=v") abbreviates, counting
 * synonyms (--color, --colour) once. */
static int
long_matches(const struct option *longopts, const char *word)
{
	size_t n = strcspn(word + 2, "=");
	int count = 0, i, j;

	for (i = 0; longopts[i].name; i++) {
		if (strncmp(longopts[i].name, word + 2, n))
			continue;
		if (strlen(longopts[i].name) == n)
			return 1;
		for (j = 0; j < i; j++)
			if (longopts[j].val == longopts[i].val &&
			    !strncmp(longopts[j].name, word + 2, n))
				break;
		count += j == i;
	}
	return count;
}

int
next_option(int argc, char **argv, const char *shortopts,
	    const struct option *longopts, const char *help)
{
	const char *word;
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	word = argv[optind - 1];
	if (strncmp(word, "--", 2) || (optopt > 0 && optopt < 256 &&
				       !strchr(shortopts, optopt) && c == '?')) {
		/* A short option: bundles like -fx make the word useless. */
		if (c == ':')
			print_error("-%c needs a value", optopt);
		else
			print_error("unknown option -%c (see %s --help)",
				    optopt, help);
	} else if (c == ':') {
		print_error("%s needs a value", word);
	} else if (optopt) {
		print_error("%.*s takes no value", (int)strcspn(word, "="), word);
	} else if (long_matches(longopts, word) > 1) {
		print_error("ambiguous option %.*s (see %s --help)",
			    (int)strcspn(word, "="), word, help);
	} else {
		print_error("unknown option %s (see %s --help)", word, help);
	}
	return '?';
}

int
rule_args_init(rule_args *ra, int argc)
{
	memset(ra, 0, sizeof(*ra));
	ra->rule_files = calloc((size_t)argc + 1, sizeof(char *));
	if (!ra->rule_files) {
		print_error("out of memory");
		return -1;
	}
	return 0;
}

void
rule_args_free(rule_args *ra)
{
	free(ra->rule_files);
	ra->rule_files = NULL;
}

int
rule_option(rule_args *ra, int code, const char *arg)
{
	if (code == 'r')
		ra->rule_files[ra->nrule_files++] = arg;
	else if (code == OPT_NO_BUILTIN)
		ra->no_builtin = 1;
	else
		return 0;
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
		print_error("%s", err.message);
		return NULL;
	}
	return rs;
}

int
severity_from_name(const char *s)
{
	if (!strcmp(s, "error"))
		return TSBLOG_SEVERITY_ERROR;
	if (!strcmp(s, "warning") || !strcmp(s, "warn"))
		return TSBLOG_SEVERITY_WARNING;
	if (!strcmp(s, "info"))
		return TSBLOG_SEVERITY_INFO;
	return -1;
}

int
word_index(const char *const *words, const char *word)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(words[i], word))
			return i;
	return -1;
}
