#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

const char *
opt_value(int argc, char **argv, int *i, const char *shortname,
	  const char *longname, int *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(longname);

	*missing = 0;
	if (!strncmp(a, longname, n) && a[n] == '=')
		return a + n + 1;
	if (strcmp(a, longname) && (!shortname || strcmp(a, shortname))) {
		/* -oJSON style */
		if (shortname && !strncmp(a, shortname, 2) && a[2])
			return a + 2;
		return NULL;
	}
	if (*i + 1 >= argc) {
		die_msg("%s needs a value", a);
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static const char *const codes[] = {
	"\033[0m", "\033[1m", "\033[2m", "\033[1;31m", "\033[1;33m",
	"\033[36m", "\033[32m",
};

void
term_color(term *t, enum color c)
{
	if (t->color)
		fputs(codes[c], t->f);
}

void
term_put(term *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p == '\t') {
			fputc(' ', t->f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(t->f, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls (U+0080-U+009F): CSI is one of them. */
			fprintf(t->f, "\\u%04x", p[1]);
			p++;
		} else {
			fputc(*p, t->f);
		}
	}
}

int
color_choice(const char *word, FILE *f)
{
	const char *no = getenv("NO_COLOR");

	if (!word || !strcmp(word, "auto"))
		return isatty(fileno(f)) && !(no && *no) &&
		       !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	if (!strcmp(word, "always"))
		return 1;
	if (!strcmp(word, "never"))
		return 0;
	return -1;
}

const char *
short_time(const char *ts, char *buf, size_t size)
{
	const char *t;

	if (!ts)
		return NULL;
	/* RFC 3339 (2026-11-20T08:14:02...) and klog (1120 08:14:02...) */
	t = strchr(ts, 'T');
	if (!t)
		t = strchr(ts, ' ');
	if (t && strlen(t + 1) >= 8 && t[3] == ':' && t[6] == ':') {
		snprintf(buf, size, "%.8s", t + 1);
		return buf;
	}
	return ts;
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
scan_whole_file(tsblog_scanner *s, const char *path, char *buf, size_t size)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	const tsblog_diagnosis *d;
	tsblog_error err;
	size_t n;

	if (!f) {
		die_msg("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	tsblog_scanner_reset(s, path);
	while ((n = fread(buf, 1, size, f)) > 0) {
		tsblog_scanner_feed(s, buf, n, &err);
		while (tsblog_scanner_next(s, &d, &err) != 0)
			;
	}
	tsblog_scanner_end(s, &err);
	while (tsblog_scanner_next(s, &d, &err) != 0)
		;
	if (f != stdin)
		fclose(f);
	return 0;
}
