/* Terminal output: colour, escaping, short times. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"

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
	const char *no = getenv("NO_COLOR"), *force = getenv("FORCE_COLOR");

	/* no-color.org and force-color.org: set and not empty, whatever
	 * the value; a user who sets both gets no colour. */
	if (!word || !strcmp(word, "auto"))
		return !(no && *no) &&
		       ((force && *force) ||
			(isatty(fileno(f)) &&
			 !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"))));
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
