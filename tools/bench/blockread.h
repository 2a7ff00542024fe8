/*
 * Read a file (or standard input) in large read() calls, the way tsblog
 * reads, and hand the caller blocks made of whole lines: a line that
 * straddles two reads is carried to the front of the next block.  The
 * last block may end without a newline.
 */
#ifndef BLOCKREAD_H
#define BLOCKREAD_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK_READ (4u << 20)

typedef int (*block_fn)(const char *p, size_t n, unsigned long long base,
			void *ctx);

/* Calls fn for each block; base is the block's offset in the file.
 * Returns 0, or -1 after printing an error. */
static int
for_each_block(const char *path, block_fn fn, void *ctx)
{
	size_t cap = 2 * (size_t)BLOCK_READ, len = 0;
	unsigned long long base = 0;
	char *buf = malloc(cap);
	int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;

	if (fd < 0 || !buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(buf);
		return -1;
	}
	for (;;) {
		ssize_t k;
		char *nl;
		size_t whole;

		if (cap - len < BLOCK_READ) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				perror("realloc");
				return -1;
			}
			buf = b;
			cap *= 2;
		}
		k = read(fd, buf + len, BLOCK_READ);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return -1;
		}
		if (k == 0) {
			if (len && fn(buf, len, base, ctx) < 0)
				return -1;
			break;
		}
		len += (size_t)k;
		nl = memrchr(buf, '\n', len);
		if (!nl)
			continue;
		whole = (size_t)(nl - buf) + 1;
		if (fn(buf, whole, base, ctx) < 0)
			return -1;
		base += whole;
		memmove(buf, buf + whole, len - whole);
		len -= whole;
	}
	if (fd)
		close(fd);
	free(buf);
	return 0;
}

static double
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Read a patterns file: one pattern a line.  Returns the count. */
__attribute__((unused)) static size_t
read_lines(const char *path, char ***out)
{
	FILE *f = fopen(path, "r");
	char *ln = NULL, **v = NULL;
	size_t cap = 0, n = 0;
	ssize_t k;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((k = getline(&ln, &cap, f)) >= 0) {
		if (k && ln[k - 1] == '\n')
			ln[--k] = '\0';
		v = realloc(v, (n + 1) * sizeof(*v));
		if (!v || !(v[n] = strdup(ln))) {
			perror("read_lines");
			exit(2);
		}
		n++;
	}
	free(ln);
	fclose(f);
	*out = v;
	return n;
}

#endif
