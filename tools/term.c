/* Terminal output: colour, escaping, short times. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "cmd.h"

/* Whether the byte at @p continues a valid UTF-8 sequence that starts
 * before it. */
static int
is_continuation(const char *s, const unsigned char *p)
{
	const unsigned char *q = p;
	int back = 0;

	while (q > (const unsigned char *)s && back < 3 && (*q & 0xc0) == 0x80) {
		q--;
		back++;
	}
	if ((*q & 0xc0) == 0x80)
		return 0;
	return (*q >= 0xc2 && *q <= 0xdf && back == 1) ||
	       (*q >= 0xe0 && *q <= 0xef && back <= 2 && back >= 1) ||
	       (*q >= 0xf0 && *q <= 0xf4 && back <= 3 && back >= 1);
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

/* How many bytes of [@p, @end) from @p on are printable ASCII
 * (0x20-0x7E), 16 a step where SSE2 is: nearly all of a report is, and
 * the full test below cost ten instructions a byte (3% of the text
 * report with the catalog). */
static size_t
printable_run(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);

	for (; end - q >= 16; q += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)q);
		/* Signed: a byte >= 0x80 is below 0x20 too. */
		int m = _mm_movemask_epi8(_mm_or_si128(
			_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)));
		if (m)
			return (size_t)(q - p) + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	while (q < end && *q >= 0x20 && *q < 0x7f)
		q++;
	return (size_t)(q - p);
}

/* The one sanitiser for text that reaches a terminal: C0 controls, DEL
 * and C1 controls (U+0080-U+009F, and CSI among them) are shown as
 * \xNN / \u00NN, so no byte from a log or a rule file can move the
 * cursor, set a title or write the clipboard.  A tab is a space; a
 * newline is kept when @keep_nl (our own messages' line breaks). */
static void
put_escaped(FILE *f, const char *s, int keep_nl)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *end = p + strlen(s);

	/* Runs of plain bytes in one fwrite: a byte at a time took stdio's
	 * lock for each once -j had started threads. */
	for (;; p++) {
		int plain;
		p += printable_run(p, end);
		plain = *p >= 0x20 && *p != 0x7f &&
			!(*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) &&
			!(*p >= 0x80 && *p <= 0x9f && !is_continuation(s, p));
		if (plain)
			continue;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), f);
		if (!*p)
			return;
		if (*p == '\t') {
			fputc(' ', f);
		} else if (*p == '\n' && keep_nl) {
			fputc('\n', f);
		} else if (*p == 0xc2) {
			fprintf(f, "\\u%04x", p[1]);
			p++;
		} else {
			fprintf(f, "\\x%02x", *p); /* C0, DEL, raw 8-bit C1 */
		}
		run = p + 1;
	}
}

void
term_put(term *t, const char *s)
{
	put_escaped(t->f, s, 0);
}

void
safe_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char *text = NULL;

	if (vasprintf(&text, fmt, ap) < 0)
		return;
	put_escaped(f, text, 1);
	free(text);
}

void
safe_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	safe_vprintf(f, fmt, ap);
	va_end(ap);
}

void
put_passthrough(FILE *f, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *e = s + n, *q;

	while (s < e) {
		if (*s == 0x1b && s + 1 < e && s[1] == '[') {
			/* CSI: parameters, intermediates, a final byte */
			for (q = s + 2; q < e && *q >= 0x20 && *q <= 0x3f; q++)
				;
			if (q < e && *q == 'm')
				fwrite(s, 1, (size_t)(q - s) + 1, f);
			s = q < e && *q >= 0x40 && *q <= 0x7e ? q + 1 : q;
		} else if (*s == 0x1b && s + 1 < e &&
			   strchr("]PX^_", s[1])) {
			/* OSC, DCS, SOS, PM, APC: a string up to BEL or ST */
			for (q = s + 2; q < e && *q != 0x07 &&
					!(*q == 0x1b && q + 1 < e && q[1] == '\\');
			     q++)
				;
			s = q >= e ? e : q + (*q == 0x07 ? 1 : 2);
		} else if (*s == 0x1b) {
			s += s + 1 < e ? 2 : 1;         /* ESC c, ESC 7... */
		} else if (*s == 0xc2 && s + 1 < e && s[1] >= 0x80 &&
			   s[1] <= 0x9f) {
			s += 2;                         /* C1 in UTF-8 */
		} else if ((*s < 0x20 && *s != '\t' && *s != '\n') ||
			   *s == 0x7f ||
			   (*s >= 0x80 && *s <= 0x9f &&
			    !is_continuation(p, s))) {
			s++;                            /* C0, DEL, raw C1 */
		} else {
			fputc(*s++, f);
		}
	}
}

void
put_json(const char *json)
{
	const char *p;

	/* jansson leaves U+0080-U+009F and DEL raw; they are controls to a
	 * terminal that shows the document.  The rest goes out in runs: a
	 * putchar() per byte takes the stream's lock once -j has made
	 * threads, which doubled the cost of -o json. */
	for (p = json; *p; p++) {
		size_t n = strcspn(p, "\xc2\x7f");
		fwrite(p, 1, n, stdout);
		p += n;
		if (!*p)
			break;
		if (*p == '\xc2' && (unsigned char)p[1] >= 0x80 &&
		    (unsigned char)p[1] <= 0x9f)
			printf("\\u%04x", (unsigned char)*++p);
		else if (*p == 0x7f)
			fputs("\\u007f", stdout);
		else
			putchar(*p);
	}
	putchar('\n');
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
