/*
 * Differential test of the byte loops that take 8 or 16 bytes a step
 * (lib/buf.c, lib/envelope.c): mem_find() against memmem(), quote_close()
 * against the loop it replaced,
 * buf_add_utf8() against the byte-at-a-time repair it replaced,
 * rfc3339_len() against the byte-at-a-time reading it replaced,
 * level_next() (lib/level.c) against a search that asks every place,
 * disguise_find() (lib/disguise.c), each way this CPU has, against a
 * walk from byte to byte.  Texts come from a small alphabet
 * with NUL, stray continuation bytes, cut and whole UTF-8 sequences, so
 * runs end at every offset of a vector; they start at every alignment.
 * A fixed seed keeps failures reproducible; the failing case is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "envelope.h"
#include "level.h"
#include "tsblog-private.h"
#include "xorshift.h"

#define MAX_TEXT 300

static const char *const pieces[] = {
	"a", "b", " ", "\"", "=", "p", "o", "d", "\t", "\n", "\0", "\\",
	"\x80", "\xc3", "\xc3\xa9", "\xe2\x82\xac", "\xe2\x82", "\xf0\x9f\x98\x80",
	"\xed\xa0\x80", "\xff", "\x7f",
};
#define NPIECES (sizeof(pieces) / sizeof(*pieces))

static size_t
random_text(uint64_t *r, char *p, size_t max)
{
	size_t n = 0, want = xorshift_below(r, (unsigned)max);

	while (n < want) {
		unsigned k = xorshift_below(r, NPIECES);
		/* mostly plain letters: long ASCII runs */
		size_t len = k == 10 ? 1 : strlen(pieces[k]);
		if (xorshift_below(r, 4))
			k = xorshift_below(r, 3), len = 1;
		if (n + len > max)
			break;
		memcpy(p + n, pieces[k], len);
		n += len;
	}
	return n;
}

/* quote_close() as the envelopes read values before. */
static const char *
quote_close_bytewise(const char *q, const char *end)
{
	for (; q < end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	return q < end ? q : end;
}

/* buf_add_utf8() as it was: utf8_seq() at every byte. */
static void
repair_bytewise(buf_t *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq((const unsigned char *)s + i, n - i);
		if (k) {
			buf_add(b, s + i, k);
			i += k;
		} else {
			buf_add(b, "\xEF\xBF\xBD", 3);
			i++;
		}
	}
	buf_add(b, "", 0);
}

static int
digits(const char *p, size_t n, size_t at, size_t count)
{
	size_t i;
	if (at + count > n)
		return 0;
	for (i = 0; i < count; i++)
		if (p[at + i] < '0' || p[at + i] > '9')
			return 0;
	return 1;
}

/* rfc3339_len() as it was. */
static size_t
rfc3339_bytewise(const char *p, size_t n)
{
	size_t i = 19;

	if (!digits(p, n, 0, 4) || n < 20 || p[4] != '-' ||
	    !digits(p, n, 5, 2) || p[7] != '-' || !digits(p, n, 8, 2) ||
	    (p[10] != 'T' && p[10] != 't') || !digits(p, n, 11, 2) ||
	    p[13] != ':' || !digits(p, n, 14, 2) || p[16] != ':' ||
	    !digits(p, n, 17, 2))
		return 0;
	if (i < n && p[i] == '.') {
		size_t start = ++i;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == start)
			return 0;
	}
	if (i < n && (p[i] == 'Z' || p[i] == 'z'))
		return i + 1;
	if (i + 6 <= n && (p[i] == '+' || p[i] == '-') &&
	    digits(p, n, i + 1, 2) && p[i + 3] == ':' && digits(p, n, i + 4, 2))
		return i + 6;
	return 0;
}

/* A timestamp with up to three bytes changed (to ones that are near a
 * digit or a separator, or any byte), cut at any length. */
static size_t
random_timestamp(uint64_t *r, char *p)
{
	static const char *const forms[] = {
		"2026-11-20T08:14:02.401127Z", "2026-11-20t08:14:02z",
		"2026-11-20T08:14:02+01:00", "2026-11-20T08:14:02.5-07:30 ",
		"2026-11-20T08:14:02Z\tinfo", "1999-01-01T00:00:00.Z",
	};
	static const char near[] = "09/:-.Tt Z+z\x80\xff\x00\x7f@";
	const char *f = forms[xorshift_below(r, 6)];
	size_t n = strlen(f), k;
	size_t changes = xorshift_below(r, 2) ? 0 : 1 + xorshift_below(r, 3);

	memcpy(p, f, n);
	for (k = 0; k < changes; k++) {
		size_t at = xorshift_below(r, (unsigned)n);
		p[at] = xorshift_below(r, 3)
				? near[xorshift_below(r, sizeof(near) - 1)]
				: (char)xorshift_below(r, 256);
	}
	return xorshift_below(r, 3) ? n : xorshift_below(r, (unsigned)n + 1);
}

/* What level_next() finds, asked of every place. */
static const char *
level_next_bytewise(const char *p, const char *end)
{
	const char *q;

	for (q = p; q < end; q++) {
		size_t n = (size_t)(end - q), k;
		if (level_warn(level_klog(*q)) && digits(q, n, 1, 4))
			return q;
		for (k = 0; k < n && k <= 16 && ((q[k] | 0x20) >= 'a' &&
						 (q[k] | 0x20) <= 'z'); k++)
			;
		if (level_warn(level_name(q, k)))
			return q;
	}
	return NULL;
}

/* Up to @max bytes of @words, each drawn with odds 1 in @odds against one
 * letter of @filler. */
static size_t
random_from(uint64_t *r, char *p, size_t max, const char *const *words,
	    size_t nwords, const char *filler, unsigned odds)
{
	size_t n = 0, want = xorshift_below(r, (unsigned)max);
	unsigned nfill = (unsigned)strlen(filler);

	while (n < want) {
		const char *w = words[xorshift_below(r, (unsigned)nwords)];
		size_t len = strlen(w);
		if (xorshift_below(r, odds))
			w = filler + xorshift_below(r, nfill), len = 1;
		if (n + len > max)
			break;
		memcpy(p + n, w, len);
		n += len;
	}
	return n;
}

/* Text with level words in any case, klog letters before digits, and
 * near misses: cut short, run on into letters, digits too few. */
static size_t
random_levels(uint64_t *r, char *p, size_t max)
{
	static const char *const words[] = {
		"warn", "WARNING", "Warn", "err", "ERROR", "eRRor", "fatal",
		"dpanic", "PANIC", "critical", "Crit", "war", "errs", "fatality",
		"panics", "info", "INFO", "E1120", "W0101 ", "F12", "E123x",
		"e1120", "G1234", "criticalx", "xwarn", " ", "\t", "\"", "[",
		"]", "=", ":", "0", "9", "a", "\x80", "\n", "level", "Warning\"",
	};
	return random_from(r, p, max, words, sizeof(words) / sizeof(*words),
			   "abcdefghij klmnop", 3);
}

/* What disguise_find() finds, a byte at a time: backslashes pair up from
 * @p, and the byte after a backslash is still looked at for the others. */
static const char *
disguise_bytewise(const char *p, const char *end)
{
	const char *q;
	int second = 0;

	for (q = p; q < end; q++) {
		if (*q == '\x1b')
			return q;
		if (*q == '\r' && q + 1 < end && q[1] != '\n' && q[1] != '\r')
			return q;
		if (*q == '\\' && !second) {
			if (q + 1 < end && (q[1] == 'u' || q[1] == '/'))
				return q;
			second = 1;
			continue;
		}
		second = 0;
	}
	return NULL;
}

/* Log text with runs of backslashes, quoted quotes, \u and \/ escapes,
 * CRs before LF, CR and other bytes, and escape bytes, spread thin enough
 * that many texts hold none and the vector steps meet them at every
 * offset. */
static size_t
random_disguises(uint64_t *r, char *p, size_t max)
{
	static const char *const bits[] = {
		"\\", "\\\\", "\\\"", "\\u", "\\/", "\\\\u", "\\\\\\/",
		"u", "/", "\r", "\r\n", "\r\r", "\r\r\n", "\x1b", "\x1b[0m", "\n",
		"\"",
	};
	return random_from(r, p, max, bits, sizeof(bits) / sizeof(*bits),
			   "abcdefghijklmnopqrstuvwxyz", 24);
}

static void
dump(const char *what, const char *p, size_t n)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes):", what, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", (unsigned char)p[i]);
	fputc('\n', stderr);
}

int
main(void)
{
	static char block[MAX_TEXT + 16];
	uint64_t r = 0x2545F4914F6CDD1Dull;
	int c, failures = 0, found = 0, stamps = 0, levels = 0, closed = 0;
	int disguised = 0, kernel, dk;
	level_finder lf;

	level_finder_init(&lf);
	kernel = lf.kernel;

	for (c = 0; c < 20000 && failures < 5; c++) {
		size_t off = xorshift_below(&r, 16);
		char *text = block + off, needle[8];
		size_t n = random_text(&r, text, MAX_TEXT), nn, at;
		const char *want, *got;
		buf_t a = { 0 }, b = { 0 };

		/* A needle from the text itself now and then, so it is found
		 * (and sometimes earlier than where it was taken). */
		nn = 2 + xorshift_below(&r, 7);
		if (n >= nn && xorshift_below(&r, 2)) {
			at = xorshift_below(&r, (unsigned)(n - nn + 1));
			memcpy(needle, text + at, nn);
		} else {
			nn = random_text(&r, needle, nn);
			if (nn < 2)
				memcpy(needle, "po", nn = 2);
		}
		want = memmem(text, n, needle, nn);
		got = mem_find(text, n, needle, nn);
		found += want != NULL;
		if (got != want) {
			fprintf(stderr, "case %d: mem_find at %td, memmem at %td\n",
				c, got ? got - text : -1, want ? want - text : -1);
			dump("text", text, n);
			dump("needle", needle, nn);
			failures++;
		}

		at = xorshift_below(&r, (unsigned)n + 1);
		want = quote_close_bytewise(text + at, text + n);
		got = quote_close(text + at, text + n);
		closed += want < text + n;
		if (got != want) {
			fprintf(stderr, "case %d: quote_close from %zu at %td, "
				"bytewise at %td\n", c, at, got - text,
				want - text);
			dump("text", text, n);
			failures++;
		}

		if (buf_add_utf8(&a, text, n) < 0)
			return 2;
		repair_bytewise(&b, text, n);
		if (a.len != b.len || memcmp(a.data, b.data, a.len)) {
			fprintf(stderr, "case %d: buf_add_utf8 differs\n", c);
			dump("text", text, n);
			dump("got", a.data, a.len);
			dump("want", b.data, b.len);
			failures++;
		}
		buf_free(&a);
		buf_free(&b);

		n = random_timestamp(&r, text);
		if (rfc3339_len(text, n) != rfc3339_bytewise(text, n)) {
			fprintf(stderr, "case %d: rfc3339_len %zu, bytewise %zu\n",
				c, rfc3339_len(text, n), rfc3339_bytewise(text, n));
			dump("text", text, n);
			failures++;
		}
		stamps += rfc3339_bytewise(text, n) != 0;

		n = random_levels(&r, text, MAX_TEXT);
		want = level_next_bytewise(text, text + n);
		levels += want != NULL;
		/* each kernel this CPU has: AVX-512 down to SSSE3 */
		for (lf.kernel = kernel; lf.kernel > 0; lf.kernel--) {
			got = level_next(&lf, text, text + n);
			if (got == want)
				continue;
			fprintf(stderr, "case %d: level_next (kernel %d) at %td, "
				"bytewise at %td\n", c, lf.kernel,
				got ? got - text : -1, want ? want - text : -1);
			dump("text", text, n);
			failures++;
		}

		n = random_disguises(&r, text, MAX_TEXT);
		at = xorshift_below(&r, (unsigned)n + 1);
		want = disguise_bytewise(text + at, text + n);
		disguised += want != NULL;
		for (dk = disguise_kernel(); dk >= DISGUISE_MEMCHR; dk--) {
			if (dk != DISGUISE_MEMCHR && dk != DISGUISE_AVX2 &&
			    dk != DISGUISE_AVX512)
				continue;
			got = disguise_find(text + at, text + n, dk);
			if (got == want)
				continue;
			fprintf(stderr, "case %d: disguise_find (kernel %d) "
				"from %zu at %td, bytewise at %td\n", c, dk,
				at, got ? got - text : -1,
				want ? want - text : -1);
			dump("text", text, n);
			failures++;
		}
	}
	printf("%d cases, %d needles found, %d quotes closed, %d timestamps, "
	       "%d with a level (kernels %d to 1), %d disguised (kernels %d "
	       "to 0), %d failures\n", c, found, closed, stamps, levels,
	       kernel, disguised, disguise_kernel(), failures);
	/* The generators must keep reaching both outcomes. */
	return failures || found < c / 4 || found > c - c / 10 ||
	       closed < c / 4 || closed > c - c / 10 ||
	       stamps < c / 4 || stamps > c - c / 10 || levels < c / 4 ||
	       levels > c - c / 10 || disguised < c / 4 ||
	       disguised > c - c / 10;
}
