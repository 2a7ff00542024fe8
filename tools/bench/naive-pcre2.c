/*
 * naive-pcre2 PATTERNS FILE [--lines OUT]: the obvious way.  Split the
 * file into lines with memchr and try every pattern on every line with
 * PCRE2 (JIT), in order, until one matches; count the lines that match.
 *
 * PATTERNS has one PCRE2 pattern a line, the rules' "match" with their
 * %{NAME} macros expanded (patconv.py RULES pcre).  They are compiled as
 * tsblog compiles them (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, JIT) and
 * matched with tsblog's default match, depth and heap limits.  Unlike
 * tsblog, the whole raw line is matched: no envelope is taken off, JSON
 * messages are not decoded.
 *
 * --lines OUT writes the number of each matching line (1-based), one a
 * line.  Prints: lines=N matches=M patterns=P compile_ms=C scan_ms=S
 * limit_hits=L
 */
#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "blockread.h"

typedef struct {
	pcre2_code **code;
	size_t n;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	unsigned long long lines, matches, limit_hits;
	FILE *lines_out;
} ctx_t;

static int
scan(const char *p, size_t n, unsigned long long base, void *vc)
{
	ctx_t *c = vc;
	const char *end = p + n;

	(void)base;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t i;
		c->lines++;
		for (i = 0; i < c->n; i++) {
			int rc = pcre2_match(c->code[i], (PCRE2_SPTR)p, len, 0, 0,
					     c->md, c->mctx);
			if (rc >= 0) {
				c->matches++;
				if (c->lines_out)
					fprintf(c->lines_out, "%llu\n", c->lines);
				break;
			}
			if (rc != PCRE2_ERROR_NOMATCH)
				c->limit_hits++;
		}
		p += len + 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	ctx_t c = { 0 };
	char **pats;
	const char *pat_path = NULL, *file = NULL;
	double t0, t1;
	uint32_t maxgroups = 0;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--lines") && a + 1 < argc) {
			c.lines_out = fopen(argv[++a], "w");
			if (!c.lines_out) {
				perror(argv[a]);
				return 2;
			}
		} else if (!pat_path)
			pat_path = argv[a];
		else if (!file)
			file = argv[a];
		else
			file = NULL, pat_path = NULL, a = argc;
	}
	if (!pat_path || !file) {
		fputs("usage: naive-pcre2 PATTERNS FILE [--lines OUT]\n", stderr);
		return 2;
	}
	t0 = now_ms();
	c.n = read_lines(pat_path, &pats);
	c.code = calloc(c.n, sizeof(*c.code));
	for (i = 0; i < c.n; i++) {
		int ec;
		PCRE2_SIZE eo;
		uint32_t g;
		c.code[i] = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED,
					  PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec,
					  &eo, NULL);
		if (!c.code[i]) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(ec, msg, sizeof(msg));
			fprintf(stderr, "naive-pcre2: pattern %zu: %s at %zu\n", i + 1,
				(char *)msg, (size_t)eo);
			return 2;
		}
		pcre2_jit_compile(c.code[i], PCRE2_JIT_COMPLETE);
		pcre2_pattern_info(c.code[i], PCRE2_INFO_CAPTURECOUNT, &g);
		if (g > maxgroups)
			maxgroups = g;
	}
	/* tsblog's defaults (lib/limits.h) */
	c.md = pcre2_match_data_create(maxgroups + 1, NULL);
	c.mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(c.mctx, 1000000);
	pcre2_set_depth_limit(c.mctx, 10000);
	pcre2_set_heap_limit(c.mctx, 20000);
	pcre2_jit_stack_assign(c.mctx, NULL,
			       pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL));
	t1 = now_ms();
	if (for_each_block(file, scan, &c) < 0)
		return 2;
	printf("lines=%llu matches=%llu patterns=%zu compile_ms=%.1f scan_ms=%.1f limit_hits=%llu\n",
	       c.lines, c.matches, c.n, t1 - t0, now_ms() - t1, c.limit_hits);
	if (c.lines_out)
		fclose(c.lines_out);
	return 0;
}
