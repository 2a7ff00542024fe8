/*
 * memchr-lines FILE: the ceiling.  Read the file as the other tools do and
 * count its lines with memchr; nothing is matched.
 *
 * Prints: lines=N matches=0 scan_ms=T
 */
#define _GNU_SOURCE
#include "blockread.h"

static int
count(const char *p, size_t n, unsigned long long base, void *ctx)
{
	unsigned long long *lines = ctx;
	const char *end = p + n, *nl;

	(void)base;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		++*lines;
		p = nl + 1;
	}
	if (p < end)
		++*lines; /* a last line without a newline */
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long long lines = 0;
	double t0;

	if (argc != 2) {
		fputs("usage: memchr-lines FILE\n", stderr);
		return 2;
	}
	t0 = now_ms();
	if (for_each_block(argv[1], count, &lines) < 0)
		return 2;
	printf("lines=%llu matches=0 scan_ms=%.1f\n", lines, now_ms() - t0);
	return 0;
}
