/*
 * hs-scan HS_PATTERNS PCRE_PATTERNS FILE [--lines OUT] [--count-lines]
 *         [--db CACHE]:
 * Hyperscan over the whole text, not line by line.
 *
 * With --db, the compiled database is read from CACHE (hs_deserialize_
 * database) when CACHE exists, else compiled and written there: how a
 * tool that keeps its compiled database scans, which the issue-16 targets
 * compare the text report with.
 *
 * HS_PATTERNS (patconv.py RULES hs) are the rules converted to what
 * Hyperscan accepts; they cannot match a newline, so a match lies within
 * one line.  The file is read in 4 MiB blocks of whole lines and each
 * block is scanned with one hs_scan() call (block mode).  A match's end
 * offset gives its line; each line is counted once.
 *
 * Patterns whose conversion may match more lines than the original (a
 * dropped (*COMMIT) or lookaround: HS_PATTERNS.approx marks them), and
 * patterns Hyperscan only accepts with HS_FLAG_PREFILTER, are confirmed:
 * the candidate line is matched with PCRE2 (pattern of the same index in
 * PCRE_PATTERNS) and counted only if that matches.  So the count is the
 * number of lines some rule's real pattern matches anywhere in the raw
 * line, the same question naive-pcre2 answers.
 *
 * Prints: [lines=N] matches=M patterns=P prefilter=K confirm=Q confirmed=C
 *         compile_ms=X scan_ms=Y
 * (prefilter: patterns compiled with HS_FLAG_PREFILTER; confirm: patterns
 * whose candidates PCRE2 checks; confirmed: PCRE2 calls made.)
 * (lines, with --count-lines only, as it costs a pass over the text: the
 * number of newlines, plus one for an unterminated last line.)
 */
#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include "blockread.h"

typedef struct {
	hs_database_t *db;
	hs_scratch_t *scratch;
	unsigned char *confirm;   /* 1: check candidates with PCRE2 */
	pcre2_code **pcre;
	pcre2_match_data *md;
	size_t n;
	/* per block */
	const char *buf;
	size_t len;
	unsigned long long base;
	/* counted lines, as absolute offsets of their first byte, sorted */
	unsigned long long *starts;
	size_t nstarts, capstarts;
	unsigned long long matches, lines, confirmations;
	int count_lines;               /* --count-lines: also count lines */
	unsigned long long rej_start;  /* last line rejected for... */
	unsigned rej_id;               /* ...this pattern */
	int rej_valid;
} ctx_t;

/* Insert a line start, keeping the array sorted; 0 if already there. */
static int
add_start(ctx_t *c, unsigned long long s)
{
	size_t lo = 0, hi = c->nstarts;

	if (c->nstarts && c->starts[c->nstarts - 1] == s)
		return 0;
	if (!c->nstarts || c->starts[c->nstarts - 1] < s) {
		lo = c->nstarts; /* the usual case: in order */
	} else {
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (c->starts[mid] < s)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->nstarts && c->starts[lo] == s)
			return 0;
	}
	if (c->nstarts == c->capstarts) {
		c->capstarts = c->capstarts ? c->capstarts * 2 : 1024;
		c->starts = realloc(c->starts, c->capstarts * sizeof(*c->starts));
		if (!c->starts) {
			perror("hs-scan");
			exit(2);
		}
	}
	memmove(c->starts + lo + 1, c->starts + lo,
		(c->nstarts - lo) * sizeof(*c->starts));
	c->starts[lo] = s;
	c->nstarts++;
	return 1;
}

static int
is_counted(const ctx_t *c, unsigned long long s)
{
	size_t lo = 0, hi = c->nstarts;
	if (c->nstarts && c->starts[c->nstarts - 1] == s)
		return 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->starts[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nstarts && c->starts[lo] == s;
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
	 unsigned int flags, void *vc)
{
	ctx_t *c = vc;
	const char *at, *ls, *le;
	unsigned long long start;

	(void)from;
	(void)flags;
	at = c->buf + (to ? to - 1 : 0);
	ls = to ? memrchr(c->buf, '\n', (size_t)(at - c->buf)) : NULL;
	ls = ls ? ls + 1 : c->buf;
	if (to && *at == '\n')
		return 0; /* cannot happen: patterns do not match newlines */
	start = c->base + (unsigned long long)(ls - c->buf);
	if (is_counted(c, start))
		return 0;
	if (c->confirm[id]) {
		int rc;
		if (c->rej_valid && c->rej_start == start && c->rej_id == id)
			return 0;
		le = memchr(at, '\n', c->len - (size_t)(at - c->buf));
		if (!le)
			le = c->buf + c->len;
		c->confirmations++;
		rc = pcre2_match(c->pcre[id], (PCRE2_SPTR)ls, (size_t)(le - ls), 0,
				 0, c->md, NULL);
		if (rc < 0) {
			c->rej_valid = 1;
			c->rej_start = start;
			c->rej_id = id;
			return 0;
		}
	}
	add_start(c, start);
	c->matches++;
	return 0;
}

static int
scan(const char *p, size_t n, unsigned long long base, void *vc)
{
	ctx_t *c = vc;
	const char *q = p, *end = p + n, *nl;
	hs_error_t e;

	c->buf = p;
	c->len = n;
	c->base = base;
	if (c->count_lines) {
		while (q < end && (nl = memchr(q, '\n', (size_t)(end - q)))) {
			c->lines++;
			q = nl + 1;
		}
		if (q < end)
			c->lines++;
	}
	if (n > 0xffffffffu) {
		fputs("hs-scan: block too large\n", stderr);
		return -1;
	}
	e = hs_scan(c->db, p, (unsigned)n, 0, c->scratch, on_match, c);
	if (e != HS_SUCCESS) {
		fprintf(stderr, "hs-scan: hs_scan: error %d\n", e);
		return -1;
	}
	return 0;
}

/* The database cached at @path, and which patterns were compiled as
 * prefilters (to be confirmed); 0 also when there is no cache yet. */
static int
load_db(const char *path, ctx_t *c, unsigned *flags, size_t *prefilter)
{
	char fpath[4096], *bytes;
	FILE *f = fopen(path, "rb");
	long size;
	size_t i;

	if (!f)
		return 0;
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) < 0 || !(bytes = malloc((size_t)size)) ||
	    fread(bytes, 1, (size_t)size, f) != (size_t)size ||
	    hs_deserialize_database(bytes, (size_t)size, &c->db) != HS_SUCCESS) {
		fprintf(stderr, "hs-scan: %s: not a database this Hyperscan reads\n", path);
		return -1;
	}
	fclose(f);
	free(bytes);
	snprintf(fpath, sizeof(fpath), "%s.flags", path);
	if (!(f = fopen(fpath, "r"))) {
		perror(fpath);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		int ch = fgetc(f);
		if (ch == '1') {
			flags[i] |= HS_FLAG_PREFILTER;
			c->confirm[i] = 1;
			++*prefilter;
		}
	}
	fclose(f);
	return 0;
}

static int
save_db(const char *path, const ctx_t *c, const unsigned *flags)
{
	char fpath[4096], *bytes;
	size_t size, i;
	FILE *f;

	if (access(path, F_OK) == 0)
		return 0;
	snprintf(fpath, sizeof(fpath), "%s.flags", path);
	if (hs_serialize_database(c->db, &bytes, &size) != HS_SUCCESS ||
	    !(f = fopen(fpath, "w"))) {
		fprintf(stderr, "hs-scan: cannot write %s\n", fpath);
		return -1;
	}
	for (i = 0; i < c->n; i++)
		fputc(flags[i] & HS_FLAG_PREFILTER ? '1' : '0', f);
	if (fclose(f) != 0 || !(f = fopen(path, "wb")) ||
	    fwrite(bytes, 1, size, f) != size || fclose(f) != 0) {
		fprintf(stderr, "hs-scan: cannot write %s\n", path);
		return -1;
	}
	free(bytes);
	return 0;
}

int
main(int argc, char **argv)
{
	ctx_t c = { 0 };
	char **hs_pats, **pc_pats, **approx = NULL, path[4096];
	const char *files[3] = { 0 }, *lines_path = NULL, *db_path = NULL;
	unsigned *flags, *ids;
	size_t i, nf = 0, npc, nap = 0, prefilter = 0, nconfirm = 0;
	hs_compile_error_t *cerr;
	double t0, t1;
	FILE *lo = NULL;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--lines") && a + 1 < argc)
			lines_path = argv[++a];
		else if (!strcmp(argv[a], "--count-lines"))
			c.count_lines = 1;
		else if (!strcmp(argv[a], "--db") && a + 1 < argc)
			db_path = argv[++a];
		else if (nf < 3)
			files[nf++] = argv[a];
		else
			nf = 9;
	}
	if (nf != 3) {
		fputs("usage: hs-scan HS_PATTERNS PCRE_PATTERNS FILE [--lines OUT] [--count-lines] [--db CACHE]\n",
		      stderr);
		return 2;
	}
	t0 = now_ms();
	c.n = read_lines(files[0], &hs_pats);
	npc = read_lines(files[1], &pc_pats);
	if (npc != c.n) {
		fputs("hs-scan: the two pattern files differ in length\n", stderr);
		return 2;
	}
	snprintf(path, sizeof(path), "%s.approx", files[0]);
	if (access(path, R_OK) == 0)
		nap = read_lines(path, &approx);
	c.confirm = calloc(c.n, 1);
	flags = calloc(c.n, sizeof(*flags));
	ids = calloc(c.n, sizeof(*ids));
	c.pcre = calloc(c.n, sizeof(*c.pcre));
	for (i = 0; i < c.n; i++) {
		flags[i] = HS_FLAG_MULTILINE;
		ids[i] = (unsigned)i;
		c.confirm[i] = i < nap && approx[i][0] == '1';
	}
	/* A cached database; its prefilter flags are in CACHE.flags. */
	if (db_path && load_db(db_path, &c, flags, &prefilter) < 0)
		return 2;
	/* Compile; a pattern Hyperscan refuses is retried as a prefilter. */
	for (; !c.db;) {
		hs_error_t e = hs_compile_multi((const char *const *)hs_pats, flags,
						ids, (unsigned)c.n, HS_MODE_BLOCK,
						NULL, &c.db, &cerr);
		if (e == HS_SUCCESS)
			break;
		if (cerr->expression < 0 ||
		    (flags[cerr->expression] & HS_FLAG_PREFILTER)) {
			fprintf(stderr, "hs-scan: pattern %d: %s\n",
				cerr->expression + 1, cerr->message);
			return 2;
		}
		fprintf(stderr, "hs-scan: pattern %d: %s; using HS_FLAG_PREFILTER\n",
			cerr->expression + 1, cerr->message);
		flags[cerr->expression] |= HS_FLAG_PREFILTER;
		c.confirm[cerr->expression] = 1;
		prefilter++;
		hs_free_compile_error(cerr);
	}
	if (db_path && save_db(db_path, &c, flags) < 0)
		return 2;
	if (hs_alloc_scratch(c.db, &c.scratch) != HS_SUCCESS) {
		fputs("hs-scan: hs_alloc_scratch failed\n", stderr);
		return 2;
	}
	for (i = 0; i < c.n; i++) {
		int ec;
		PCRE2_SIZE eo;
		if (!c.confirm[i])
			continue;
		c.pcre[i] = pcre2_compile((PCRE2_SPTR)pc_pats[i],
					  PCRE2_ZERO_TERMINATED,
					  PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec,
					  &eo, NULL);
		if (!c.pcre[i]) {
			fprintf(stderr, "hs-scan: PCRE2 pattern %zu does not compile\n",
				i + 1);
			return 2;
		}
		pcre2_jit_compile(c.pcre[i], PCRE2_JIT_COMPLETE);
	}
	c.md = pcre2_match_data_create(1, NULL);
	t1 = now_ms();
	if (for_each_block(files[2], scan, &c) < 0)
		return 2;
	for (i = 0; i < c.n; i++)
		nconfirm += c.confirm[i];
	if (c.count_lines)
		printf("lines=%llu ", c.lines);
	printf("matches=%llu patterns=%zu prefilter=%zu confirm=%zu confirmed=%llu compile_ms=%.1f scan_ms=%.1f\n",
	       c.matches, c.n, prefilter, nconfirm, c.confirmations,
	       t1 - t0, now_ms() - t1);
	if (lines_path) {
		/* line numbers from the sorted starts: one more pass */
		FILE *f = fopen(files[2], "r");
		unsigned long long off = 0, ln = 1;
		size_t k = 0;
		int ch;
		lo = fopen(lines_path, "w");
		if (!f || !lo) {
			perror("hs-scan: --lines");
			return 2;
		}
		while (k < c.nstarts) {
			if (off == c.starts[k]) {
				fprintf(lo, "%llu\n", ln);
				k++;
				continue;
			}
			if ((ch = getc_unlocked(f)) == EOF)
				break;
			off++;
			if (ch == '\n')
				ln++;
		}
		fclose(f);
		fclose(lo);
	}
	return 0;
}
