/*
 * Differential test of the byte loops that take 16 bytes a step
 * (lib/buf.c): mem_find() against memmem(), buf_add_utf8() against the
 * byte-at-a-time repair it replaced.  Texts come from a small alphabet
 * with NUL, stray continuation bytes, cut and whole UTF-8 sequences, so
 * runs end at every offset of a vector; they start at every alignment.
 * A fixed seed keeps failures reproducible; the failing case is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tsblog-private.h"
#include "xorshift.h"

#define MAX_TEXT 300

static const char *const pieces[] = {
	"a", "b", " ", "\"", "=", "p", "o", "d", "\t", "\n", "\0",
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
	int c, failures = 0, found = 0;

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
	}
	printf("%d cases, %d needles found, %d failures\n", c, found,
	       failures);
	/* The generator must keep reaching both outcomes. */
	return failures || found < c / 4 || found > c - c / 10;
}
