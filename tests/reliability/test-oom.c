/*
 * Allocation failure: fail the Nth allocation, for every N, of one whole
 * job (load the bundled rules, scan three inputs in chunks, take the
 * summary, free everything) until the job runs without reaching N.
 *
 * malloc, calloc, realloc, free and the aligned allocators are defined
 * here, forwarding to glibc's __libc_* functions; libtsblog, jansson and
 * PCRE2 all resolve malloc through this executable, so their allocations
 * fail and are counted too.  Every run must either succeed with exactly
 * the output of a run without failures, or fail with TSBLOG_ENOMEM and a
 * message; and after everything is freed no allocation may be left.
 *
 * jansson's parser is left out: allocations made inside json_loadb()
 * never fail unless TSBLOG_OOM_JANSSON_PARSER=1.  jansson 2.14 (Debian 12)
 * does not survive a failed allocation in its lexer: lex_save() ignores
 * the failure of strbuffer_append_byte(), so a string can lose a byte
 * (the rule file then says something else: wrong patterns, wrong
 * templates, wrong output with no error) or lose its closing quote, and
 * then lex_scan_string() reads and writes past the end of its buffers
 * (heap corruption, found with valgrind
 * --soname-synonyms=somalloc=nouserintercepts).  That is jansson's bug,
 * not one libtsblog can work around; everything else (libtsblog, PCRE2,
 * jansson's json_object()/json_string()/json_dumps()) fails here.
 *
 * Not built under sanitizers (ASan replaces malloc itself); under
 * valgrind (which replaces malloc in the executable too) it sees no
 * allocations and reports itself skipped.
 *
 *   test-oom [FROM [TO]]    only inject at N = FROM..TO (for debugging)
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <tsblog.h>

/* --- the interposer --------------------------------------------------- */

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t size);

static int counting;            /* count calls and live blocks */
static unsigned long calls;     /* allocation calls while counting */
static unsigned long fail_at;   /* fail this call (1-based); 0 = never */
static int injected;            /* a failure was injected this run */
static long live;               /* blocks allocated - freed while counting */

static int in_parser;           /* inside json_loadb() */
static int fail_parser;         /* TSBLOG_OOM_JANSSON_PARSER=1 */

/* 1 if this allocation call must fail. */
static int
should_fail(void)
{
	if (!counting || (in_parser && !fail_parser))
		return 0;
	calls++;
	if (fail_at && calls == fail_at) {
		injected = 1;
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
int posix_memalign(void **out, size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
void *memalign(size_t align, size_t size);

void *
malloc(size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __libc_malloc(size);
	if (p && counting)
		live++;
	return p;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __libc_calloc(n, size);
	if (p && counting)
		live++;
	return p;
}

void *
realloc(void *old, size_t size)
{
	void *p;

	if (!old)
		return malloc(size);
	if (size == 0) {
		free(old);
		return NULL;
	}
	if (should_fail())
		return NULL;
	p = __libc_realloc(old, size);
	return p;
}

void
free(void *p)
{
	if (p && counting)
		live--;
	__libc_free(p);
}

void *
memalign(size_t align, size_t size)
{
	void *p;

	if (should_fail())
		return NULL;
	p = __libc_memalign(align, size);
	if (p && counting)
		live++;
	return p;
}

void *
aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int
posix_memalign(void **out, size_t align, size_t size)
{
	void *p = memalign(align, size);

	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/* libtsblog is linked statically, so its calls to json_loadb() come here
 * first. */
json_t *
json_loadb(const char *buffer, size_t buflen, size_t flags,
	   json_error_t *error)
{
	static json_t *(*real)(const char *, size_t, size_t, json_error_t *);
	json_t *v;

	if (!real) {
		*(void **)&real = dlsym(RTLD_NEXT, "json_loadb");
		if (!real)
			abort();
	}
	in_parser++;
	v = real(buffer, buflen, flags, error);
	in_parser--;
	return v;
}

/* --- the job ---------------------------------------------------------- */

typedef struct {
	const char *name;
	char *data;
	size_t len;
} input;

/* What a job produced; grows with plain realloc while not counting is
 * not possible, so it is a fixed buffer large enough for the inputs. */
static char out[1 << 20];
static size_t out_len;
static char why[600];

static void
emit(const char *s)
{
	size_t n = strlen(s);

	if (out_len + n + 1 < sizeof(out)) {
		memcpy(out + out_len, s, n);
		out_len += n;
		out[out_len++] = '\n';
	}
}

/* A failure must be ENOMEM, with the code and a message in err. */
static int
failed(const char *what, int rc, const tsblog_error *err)
{
	if (rc == TSBLOG_ENOMEM && (!err || (err->code == rc &&
					    err->message[0])))
		return 1;
	snprintf(why, sizeof(why), "%s: %d (%s), err.code %d: \"%s\"", what, rc,
		 tsblog_error_code_name(rc), err ? err->code : 0,
		 err ? err->message : "(no err)");
	return -1;
}

/* The scan callback: each diagnosis as JSON into the output; a failure
 * stops the scan and is kept in *payload (1 clean ENOMEM, -1 bad). */
static int
collect(tsblog_scan_what what, const tsblog_diagnosis *d,
	const tsblog_error *event, void *payload)
{
	tsblog_error err;
	char *js = NULL;
	int rc;

	(void)event;
	if (what != TSBLOG_SCAN_DIAGNOSIS)
		return TSBLOG_CONTINUE;
	memset(&err, 0, sizeof(err));
	rc = tsblog_diagnosis_to_json(&js, d, &err);
	if (rc < 0) {
		*(int *)payload = failed("tsblog_diagnosis_to_json", rc, &err);
		return TSBLOG_ABORT;
	}
	emit(js);
	tsblog_free(js);
	return TSBLOG_CONTINUE;
}

/* Scan a chunk, or finish the input (@data NULL): 0 done, 1 clean
 * ENOMEM, -1 bad (why says). */
static int
scan_chunk(tsblog_scanner *s, const char *data, size_t n)
{
	tsblog_error err;
	int cb_rc = 0, rc;

	memset(&err, 0, sizeof(err));
	rc = data ? tsblog_scanner_scan(s, data, n, collect, &cb_rc, &err)
		  : tsblog_scanner_finish(s, collect, &cb_rc, &err);
	if (rc == TSBLOG_EUSER)
		return cb_rc;
	return rc < 0 ? failed(data ? "tsblog_scanner_scan"
				    : "tsblog_scanner_finish", rc, &err)
		      : 0;
}

static int
job(const input *in, size_t nin)
{
	static const char line[] =
		"2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation "
		"failed, retrying in 15m0s: secret a/b not found";
	tsblog_ruleset *rs = NULL;
	tsblog_scanner *s = NULL;
	tsblog_matcher *m = NULL;
	const tsblog_diagnosis *d;
	tsblog_error err;
	char *summary = NULL;
	size_t i, at;
	int rc;

	out_len = 0;
	memset(&err, 0, sizeof(err));
	rc = tsblog_ruleset_new_builtin(&rs, &err);
	if (rc < 0) {
		rc = failed("tsblog_ruleset_new_builtin", rc, &err);
		goto out;
	}
	memset(&err, 0, sizeof(err));
	rc = tsblog_matcher_new(&m, rs, &err);
	if (rc < 0) {
		rc = failed("tsblog_matcher_new", rc, &err);
		goto out;
	}
	memset(&err, 0, sizeof(err));
	rc = tsblog_matcher_match(m, line, sizeof(line) - 1, &d, &err);
	if (rc < 0) {
		rc = failed("tsblog_matcher_match", rc, &err);
		goto out;
	}
	emit(rc == 1 ? tsblog_diagnosis_summary(d) : "(no match)");
	memset(&err, 0, sizeof(err));
	rc = tsblog_scanner_new(&s, rs, in[0].name, NULL, &err);
	if (rc < 0) {
		rc = failed("tsblog_scanner_new", rc, &err);
		goto out;
	}
	for (i = 0; i < nin; i++) {
		if (i && (rc = tsblog_scanner_reset(s, in[i].name)) < 0) {
			rc = failed("tsblog_scanner_reset", rc, NULL);
			goto out;
		}
		for (at = 0; at < in[i].len; at += 1000) {
			size_t n = in[i].len - at < 1000 ? in[i].len - at : 1000;
			if ((rc = scan_chunk(s, in[i].data + at, n)) != 0)
				goto out;
		}
		if ((rc = scan_chunk(s, NULL, 0)) != 0)
			goto out;
	}
	memset(&err, 0, sizeof(err));
	rc = tsblog_scanner_summary_json(&summary, s, &err);
	if (rc < 0) {
		rc = failed("tsblog_scanner_summary_json", rc, &err);
		goto out;
	}
	emit(summary);
	rc = 0;
out:
	tsblog_free(summary);
	tsblog_scanner_free(s);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
	return rc;
}

/* Details of the first few failures of each kind only: one bug usually
 * fails many N.  Kinds: 0 wrong result, 1 different output, 2 leak. */
static unsigned long reported[3];

static void
report(int kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
report(int kind, const char *fmt, ...)
{
	va_list ap;

	if (reported[kind]++ >= 12)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static char *
read_file(const char *dir, const char *rel, size_t *len)
{
	char path[4096];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) < 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) < 0) {
		fprintf(stderr, "test-oom: cannot read %s\n", path);
		exit(1);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "test-oom: cannot read %s\n", path);
		exit(1);
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("TSBLOG_TEST_DATA");
	input in[3] = { { "sample/operator.log", NULL, 0 },
			{ "envelopes/events.json", NULL, 0 },
			{ "envelopes/json-lines.log", NULL, 0 } };
	static char ref[sizeof(out)];
	size_t ref_len, i;
	unsigned long n, from = 1, to = (unsigned long)-1, total;
	unsigned long clean = 0, survived = 0, bad = 0;
	int rc;

	fail_parser = getenv("TSBLOG_OOM_JANSSON_PARSER") &&
		      !strcmp(getenv("TSBLOG_OOM_JANSSON_PARSER"), "1");
	if (argc > 1)
		from = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		to = strtoul(argv[2], NULL, 10);
	for (i = 0; i < 3; i++)
		in[i].data = read_file(dir ? dir : "tests/data", in[i].name,
				       &in[i].len);

	/* The reference run, counted but without failures. */
	calls = 0;
	live = 0;
	fail_at = 0;
	counting = 1;
	rc = job(in, 3);
	counting = 0;
	if (rc != 0 || live != 0) {
		fprintf(stderr, "test-oom: reference run: rc %d, %ld blocks "
			"left: %s\n", rc, live, why);
		return 1;
	}
	total = calls;
	if (total == 0) {
		printf("# SKIP: malloc is not ours here (valgrind?)\n");
		for (i = 0; i < 3; i++)
			free(in[i].data);
		return 77;
	}
	memcpy(ref, out, out_len);
	ref_len = out_len;
	printf("# reference run: %lu allocations, %zu bytes of output\n",
	       total, ref_len);

	for (n = from; n <= to; n++) {
		calls = 0;
		live = 0;
		injected = 0;
		fail_at = n;
		why[0] = '\0';
		counting = 1;
		rc = job(in, 3);
		counting = 0;
		if (!injected) {
			/* Past the last allocation: the job ran whole. */
			if (rc != 0 || out_len != ref_len ||
			    memcmp(out, ref, ref_len)) {
				report(0, "test-oom: N=%lu: no failure "
					"injected, but rc %d: %s\n", n, rc, why);
				bad++;
			}
			break;
		}
		if (rc < 0) {
			report(0, "test-oom: N=%lu: %s\n", n, why);
			bad++;
		} else if (rc == 1) {
			clean++;
		} else if (out_len != ref_len || memcmp(out, ref, ref_len)) {
			/* Success must mean the same output: an allocation
			 * failure may not silently drop or change results. */
			size_t k = 0;
			while (k < out_len && k < ref_len && out[k] == ref[k])
				k++;
			k = k > 40 ? k - 40 : 0;
			report(1, "test-oom: N=%lu: succeeded with "
				"different output (%zu bytes, expected %zu):\n"
				"  got      ...%.100s\n  expected ...%.100s\n",
				n, out_len, ref_len, out + k, ref + k);
			bad++;
		} else {
			survived++;
		}
		if (live != 0) {
			report(2, "test-oom: N=%lu: %ld blocks leaked "
				"(rc %d%s%s)\n", n, live, rc, why[0] ? ": " : "",
				why);
			bad++;
		}
	}
	printf("# %lu injection points: %lu failed cleanly with ENOMEM, "
	       "%lu recovered with the same output\n", n - from, clean,
	       survived);
	if (bad)
		fprintf(stderr, "test-oom: FAILED: %lu wrong return codes, "
			"%lu different output on success, %lu "
			"with leaks (details: first 12 of each above)\n",
			reported[0], reported[1], reported[2]);
	for (i = 0; i < 3; i++)
		free(in[i].data);
	return bad ? 1 : 0;
}
