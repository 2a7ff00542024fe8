/*
 * Hostile input: what an attacker or a broken pipeline can hand the
 * scanner and the rule loader.  Big inputs are generated in memory and
 * fed in chunks, never stored.  Every scan also checks "nothing lost":
 * tsblog_scanner_records() equals the number of lines fed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <jansson.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "testutil.h"
#include "scan-util.h"

#define MiB (1024u * 1024u)

/* Time limits hold for a normal build; under valgrind or TSan
 * (TSBLOG_TEST_SLOW=1, set by the valgrind setup and tsan.sh) only the
 * results are checked. */
static int
slow(void)
{
	const char *v = getenv("TSBLOG_TEST_SLOW");
	return v && *v == '1';
}

/* CPU seconds of this process (Check forks one per test): the bounds
 * below catch runaway work, which a loaded machine's wall clock would
 * confuse with waiting for a core. */
static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A growable string for generated inputs. */
typedef struct {
	char *p;
	size_t n, cap;
} gen;

/* Room for @n more bytes and a NUL. */
static void
gen_reserve(gen *g, size_t n)
{
	if (g->n + n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 4096;
		while (cap < g->n + n + 1)
			cap *= 2;
		g->p = realloc(g->p, cap);
		ck_assert_ptr_nonnull(g->p);
		g->cap = cap;
	}
}

static void
gen_add(gen *g, const char *s, size_t n)
{
	gen_reserve(g, n);
	memcpy(g->p + g->n, s, n);
	g->n += n;
	g->p[g->n] = '\0';
}

static void
gen_str(gen *g, const char *s)
{
	gen_add(g, s, strlen(s));
}

static void
gen_fill(gen *g, char c, size_t n)
{
	gen_reserve(g, n);
	memset(g->p + g->n, c, n);
	g->n += n;
	g->p[g->n] = '\0';
}

/* Scan, fail on any error but TSBLOG_ESYNTAX, and check nothing is lost. */
static void
scan_ok(const tsblog_ruleset *rs, const tsblog_scan_options *opts,
	const char *data, size_t len, size_t chunk, scan_result *r)
{
	su_scan(rs, opts, data, len, chunk, r);
	ck_assert_msg(r->fatal == 0, "scan failed: %d: %s", r->fatal,
		      r->fatal_msg);
	ck_assert_uint_eq(r->records, su_lines(data, len));
	ck_assert_uint_eq(r->bytes, len);
	ck_assert_uint_eq(r->malformed, r->nsyntax);
}

static json_t *
summary_doc(const scan_result *r)
{
	json_error_t jerr;
	json_t *o = json_loads(r->summary, 0, &jerr);
	ck_assert_msg(o != NULL, "summary is not JSON: %s", jerr.text);
	return o;
}

static json_int_t
summary_int(const scan_result *r, const char *key)
{
	json_t *o = summary_doc(r);
	json_int_t v = json_integer_value(json_object_get(o, key));
	json_decref(o);
	return v;
}

/* The n-th (0-based) diagnosis line of a scan, parsed. */
static json_t *
diag_doc(const scan_result *r, size_t n)
{
	const char *p = r->diags;
	json_error_t jerr;
	json_t *o;
	size_t i;

	ck_assert_msg(n < r->ndiags, "only %zu diagnoses", r->ndiags);
	for (i = 0; i < n; i++)
		p = strchr(p, '\n') + 1;
	o = json_loadb(p, (size_t)(strchr(p, '\n') - p), 0, &jerr);
	ck_assert_msg(o != NULL, "diagnosis is not JSON: %s", jerr.text);
	return o;
}

static const char *
jget(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const char *
jfield(json_t *o, const char *key)
{
	return json_string_value(json_object_get(json_object_get(o, "fields"),
						 key));
}

/* A real signature (tests/data/sample/operator.log line 4, message part). */
#define SIG_PREFIX "2026-11-20T08:10:01.251903Z\terror\tcontrolplane\t"
#define SIG "token rotation failed, retrying in 15m0s: secret " \
	    "istio-system/cluster-service-account not found: Secret " \
	    "\"cluster-service-account\" not found"

static void
check_sa_secret(json_t *d)
{
	ck_assert_str_eq(jget(d, "rule"), "cp-sa-secret-missing");
	ck_assert_str_eq(jfield(d, "namespace"), "istio-system");
	ck_assert_str_eq(jfield(d, "secret"), "cluster-service-account");
}

/* --- huge and binary input ---------------------------------------------- */

/* 1 GiB in 1 MiB chunks: about 0.1 s (memchr over the chunks), so it is
 * not opt-in; memory stays at one max_record of carry. */
START_TEST(hostile_huge_line_without_newline)
{
	size_t total = 1024u * MiB;
	char *chunk = malloc(MiB);
	tsblog_ruleset *rs = tu_builtin();
	tsblog_scanner *s;
	tsblog_error err;
	scan_result r;
	size_t at, rss0, peak = 0, grew;
	double t0 = now();

	ck_assert_ptr_nonnull(chunk);
	memset(chunk, 'x', MiB);
	memset(&r, 0, sizeof(r));
	rss0 = su_rss();
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "huge", NULL, &err), 0);
	for (at = 0; at < total; at += MiB) {
		size_t rss;
		ck_assert_int_eq(su_scan_chunk(s, chunk, MiB, &r), 0);
		rss = su_rss();
		peak = rss > peak ? rss : peak;
	}
	ck_assert_int_eq(su_scan_chunk(s, NULL, 0, &r), 0);
	su_totals(s, &r);
	peak = su_rss() > peak ? su_rss() : peak;
	grew = su_rss_growth(rss0, peak);
	ck_assert_msg(grew < 64u * MiB, "RSS grew by %zu KiB while scanning",
		      grew / 1024);
	ck_assert_uint_eq(r.records, 1);
	ck_assert_uint_eq(r.truncated, 1);
	ck_assert_uint_eq(r.bytes, total);
	ck_assert_uint_eq(r.ndiags, 0);
	ck_assert_int_eq(summary_int(&r, "records"), 1);
	ck_assert_int_eq(summary_int(&r, "truncated"), 1);
	fprintf(stderr, "# %zu MiB without a newline: %.2f s CPU, RSS +%zu KiB\n",
		total / MiB, now() - t0, grew / 1024);
	su_free(&r);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
	free(chunk);
}
END_TEST

/* The signature beyond max_record is cut off: matched on the first part. */
START_TEST(hostile_long_line_matched_on_first_part)
{
	tsblog_ruleset *rs = tu_builtin();
	tsblog_scan_options opts = TSBLOG_SCAN_OPTIONS_INIT;
	scan_result r;
	gen g = { 0 };
	json_t *d;

	opts.max_record = 4096;
	gen_str(&g, SIG_PREFIX SIG " ");
	gen_fill(&g, 'y', 10000);
	gen_str(&g, "\n" SIG_PREFIX);
	gen_fill(&g, 'z', 10000);
	gen_str(&g, SIG "\n");
	scan_ok(rs, &opts, g.p, g.n, 1000, &r);
	ck_assert_uint_eq(r.records, 2);
	ck_assert_uint_eq(r.truncated, 2);
	ck_assert_uint_eq(r.ndiags, 1);
	d = diag_doc(&r, 0);
	check_sa_secret(d);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 1);
	/* The text is the kept part of the line, envelope included. */
	ck_assert_uint_eq(strlen(jget(d, "text")), 4096);
	json_decref(d);
	su_free(&r);
	free(g.p);
	tsblog_ruleset_free(rs);
}
END_TEST

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64*: fixed seed, same bytes on every machine. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

START_TEST(hostile_random_binary)
{
	size_t len = 8u * MiB, i;
	char *data = malloc(len);
	tsblog_ruleset *rs = tu_builtin();
	scan_result a, b;

	ck_assert_ptr_nonnull(data);
	rng_state = 0x7473626c6f67ULL;
	for (i = 0; i < len; i += 8) {
		uint64_t v = rng();
		memcpy(data + i, &v, 8);
	}
	scan_ok(rs, NULL, data, len, 65536, &a);
	scan_ok(rs, NULL, data, len, 0, &b);
	ck_assert_uint_eq(a.records, 65124); /* LFs, and CRs before neither LF nor CR */
	ck_assert_uint_eq(a.ndiags, 0);
	ck_assert_uint_eq(a.truncated, 0);
	ck_assert_uint_eq(a.records, b.records);
	ck_assert_uint_eq(a.malformed, b.malformed);
	ck_assert_str_eq(a.summary, b.summary);
	su_free(&a);
	su_free(&b);
	tsblog_ruleset_free(rs);
	free(data);
}
END_TEST

/* --- encodings ------------------------------------------------------------ */

START_TEST(hostile_invalid_utf8_around_signature)
{
	static const char input[] =
		"\xff\xfe\xfd garbage \xc0\xaf\n"
		SIG_PREFIX "\xff\xc3\x28 " SIG " \xed\xa0\x80\xf8\x88\x80\x80\x80\n"
		"\xe2\x82\n";
	tsblog_ruleset *rs = tu_builtin();
	scan_result r;
	json_t *d;
	const char *text;

	scan_ok(rs, NULL, input, sizeof(input) - 1, 7, &r);
	ck_assert_uint_eq(r.records, 3);
	ck_assert_uint_eq(r.ndiags, 1);
	d = diag_doc(&r, 0);
	check_sa_secret(d);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 2);
	/* Each bad byte is one U+FFFD; valid ones are kept. */
	text = jget(d, "text");
	ck_assert_msg(!strncmp(text, SIG_PREFIX "\xef\xbf\xbd\xef\xbf\xbd(",
			       sizeof(SIG_PREFIX) + 6),
		      "text starts: %.80s", text);
	ck_assert_ptr_nonnull(strstr(text, SIG " \xef\xbf\xbd\xef\xbf\xbd"));
	json_decref(d);
	su_free(&r);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(hostile_nul_bytes)
{
	static const char input[] =
		"\0\0\0\0\n"
		SIG_PREFIX "\0" SIG "\0\0 tail\n"
		"\0\n"
		"{\"level\":\"error\",\"msg\":\"" SIG "\\u0000\"}\n";
	tsblog_ruleset *rs = tu_builtin();
	scan_result r;
	json_t *d;

	scan_ok(rs, NULL, input, sizeof(input) - 1, 3, &r);
	ck_assert_uint_eq(r.records, 4);
	ck_assert_uint_eq(r.ndiags, 2);
	d = diag_doc(&r, 0);
	check_sa_secret(d);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 2);
	ck_assert_str_eq(jget(d, "text"), SIG_PREFIX "\xef\xbf\xbd" SIG
			 "\xef\xbf\xbd\xef\xbf\xbd tail");
	json_decref(d);
	/* A JSON log line with an escaped NUL in its message. */
	d = diag_doc(&r, 1);
	check_sa_secret(d);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 4);
	json_decref(d);
	su_free(&r);
	tsblog_ruleset_free(rs);
}
END_TEST

/* --- events documents ---------------------------------------------------- */

#define EV_HEAD "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
#define EV_TAIL "\n    ],\n    \"kind\": \"List\"\n}\n"
#define EV_MSG "MountVolume.SetUp failed for volume \\\"xcp-central-auth-jwt\\\"" \
	       " : secret \\\"xcp-edge-central-auth-token\\\" not found"
#define EVENT(count)                                                        \
	"        {\n"                                                       \
	"            \"count\": " count ",\n"                               \
	"            \"involvedObject\": {\"kind\": \"Pod\", \"name\": "    \
	"\"edge-1\", \"namespace\": \"istio-system\"},\n"                   \
	"            \"message\": \"" EV_MSG "\",\n"                        \
	"            \"type\": \"Warning\"\n"                               \
	"        }"

START_TEST(hostile_events_nested_5000_deep)
{
	tsblog_ruleset *rs = tu_builtin();
	scan_result r;
	gen g = { 0 };
	json_t *d;

	gen_str(&g, EV_HEAD "        {\"message\": \"deep\", \"involvedObject\": ");
	gen_fill(&g, '[', 5000);
	gen_fill(&g, ']', 5000);
	gen_str(&g, "},\n" EVENT("2") "\n    ]\n}\n");
	/* The same nesting as one compact line, and as a JSON log line. */
	gen_str(&g, "{\"items\": [");
	gen_fill(&g, '[', 5000);
	gen_fill(&g, ']', 5000);
	gen_str(&g, "]}\n{\"msg\": ");
	gen_fill(&g, '{', 5000);
	gen_str(&g, "\n");
	scan_ok(rs, NULL, g.p, g.n, 4096, &r);
	ck_assert_uint_eq(r.records, 14);
	/* The deep event is malformed (jansson stops at depth 2048); the one
	 * after it is still read. */
	ck_assert_uint_eq(r.malformed, 1);
	ck_assert_msg(strstr(r.first_syntax, "test:4:") &&
			      strstr(r.first_syntax, "maximum parsing depth"),
		      "ESYNTAX message: %s", r.first_syntax);
	ck_assert_uint_eq(r.ndiags, 1);
	d = diag_doc(&r, 0);
	ck_assert_str_eq(jget(d, "rule"), "edge-auth-token-secret-missing");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 5);
	json_decref(d);
	su_free(&r);
	free(g.p);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(hostile_event_100mb_message)
{
	tsblog_ruleset *rs = tu_builtin();
	size_t rss0 = su_rss(), big = 100u * MiB, grew;
	scan_result r;
	gen g = { 0 };
	json_t *d;

	gen_str(&g, EV_HEAD EVENT("3") ",\n        {\"involvedObject\": "
		    "{\"kind\": \"Pod\", \"name\": \"p\"}, \"message\": \"");
	gen_fill(&g, 'm', big);
	gen_str(&g, "\", \"type\": \"Warning\"},\n" EVENT("4") EV_TAIL);
	rss0 = su_rss();
	scan_ok(rs, NULL, g.p, g.n, MiB, &r);
	grew = su_rss_growth(rss0, su_rss());
	ck_assert_msg(grew < 64u * MiB, "RSS grew by %zu KiB", grew / 1024);
	ck_assert_uint_eq(r.records, 19);
	ck_assert_uint_eq(r.truncated, 1);
	if (r.malformed != 1 || r.ndiags != 2)
		fprintf(stderr, "# diagnoses:\n%s", r.diags ? r.diags : "");
	ck_assert_msg(r.malformed == 1 && r.ndiags == 2,
		      "malformed %llu (first: %s), %zu diagnoses (on stderr)",
		      (unsigned long long)r.malformed, r.first_syntax,
		      r.ndiags);
	ck_assert_msg(strstr(r.first_syntax, "test:10:") &&
			      strstr(r.first_syntax, "longer than"),
		      "ESYNTAX message: %s", r.first_syntax);
	/* The events around it are not lost. */
	ck_assert_uint_eq(r.ndiags, 2);
	d = diag_doc(&r, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), 3);
	json_decref(d);
	d = diag_doc(&r, 1);
	ck_assert_str_eq(jget(d, "rule"), "edge-auth-token-secret-missing");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 11);
	json_decref(d);
	su_free(&r);
	free(g.p);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(hostile_event_numbers_out_of_range)
{
	static const char input[] =
		EV_HEAD EVENT("-5") ",\n" EVENT("1e400") ",\n"
		EVENT("99999999999999999999") ",\n" EVENT("0") ",\n"
		EVENT("9223372036854775807") EV_TAIL;
	tsblog_ruleset *rs = tu_builtin();
	scan_result r;
	json_t *d;

	scan_ok(rs, NULL, input, sizeof(input) - 1, 100, &r);
	ck_assert_uint_eq(r.records, 36);
	/* jansson cannot hold 1e400 or 2^66: those two events are
	 * malformed, reported at their lines; the others count. */
	ck_assert_uint_eq(r.malformed, 2);
	ck_assert_msg(strstr(r.first_syntax, "test:11:"),
		      "first ESYNTAX: %s", r.first_syntax);
	ck_assert_uint_eq(r.ndiags, 3);
	d = diag_doc(&r, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 4);
	json_decref(d);
	d = diag_doc(&r, 1);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), 1);
	json_decref(d);
	d = diag_doc(&r, 2);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")),
			 9223372036854775807LL);
	json_decref(d);
	/* The summary adds counts up: 1 + 1 + INT64_MAX must not wrap
	 * negative in the JSON. */
	{
		json_t *o = summary_doc(&r);
		json_t *p = json_array_get(json_object_get(o, "problems"), 0);
		ck_assert_ptr_nonnull(p);
		ck_assert_msg(json_integer_value(json_object_get(p, "count")) > 0,
			      "problem count %" JSON_INTEGER_FORMAT,
			      json_integer_value(json_object_get(p, "count")));
		json_decref(o);
	}
	su_free(&r);
	tsblog_ruleset_free(rs);
}
END_TEST

/* --- the kubectl get events table ------------------------------------------ */

/* Whether a line is a table header must not depend on what follows it in
 * the same chunk. */
START_TEST(hostile_table_header_not_from_later_lines)
{
	static const char input[] =
		"NAMESPACE    TYPE      MESSAGE\n"
		"istio-system Warning   " SIG "\n"
		"this line mentions LAST SEEN\n";
	tsblog_ruleset *rs = tu_builtin();
	scan_result whole, lines;
	json_t *d;

	scan_ok(rs, NULL, input, sizeof(input) - 1, 0, &whole);
	scan_ok(rs, NULL, input, sizeof(input) - 1, 31, &lines);
	ck_assert_uint_eq(lines.ndiags, 1);
	d = diag_doc(&lines, 0);
	ck_assert_str_eq(jget(d, "rule"), "cp-sa-secret-missing");
	ck_assert_ptr_null(jget(d, "namespace"));
	json_decref(d);
	ck_assert_str_eq(whole.diags, lines.diags);
	su_free(&whole);
	su_free(&lines);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Leave a pattern on the stack that the scanner's frames will reuse, so
 * that reading an uninitialised local gives the same wrong value on every
 * run instead of whatever an earlier call left there. */
static void __attribute__((noinline))
dirty_stack(void)
{
	volatile unsigned char junk[256 * 1024];
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = 0x5a;
}

/* Scanning in one chunk or one byte at a time gives the same result: the
 * scanner's fast path (lines without a prefilter literal are only
 * counted) may skip only lines the full path would also ignore. */
START_TEST(hostile_chunking_does_not_change_results)
{
	static const char *const inputs[] = {
		/* a colour escape inside a signature: matched once stripped */
		"first\n" SIG_PREFIX "token \x1b[1mrotation\x1b[0m failed, "
		"retrying in 15m0s: secret istio-system/cluster-service-account "
		"not found\nlast\n",
		"first\nMountVolume.SetUp failed f\x1b]0;t\aor volume "
		"\"xcp-central-auth-ca\" : secret \"xcp-central-ca-bundle\" not "
		"found\nlast\n",
		/* an indented "{" opens a document, so the next line is not a
		 * log line of its own */
		"first\n    {\n" SIG_PREFIX SIG "\n    \"a\": 1\n}\n",
	};
	tsblog_ruleset *rs = tu_builtin();
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(*inputs); i++) {
		scan_result whole, bytes;
		scan_ok(rs, NULL, inputs[i], strlen(inputs[i]), 0, &whole);
		scan_ok(rs, NULL, inputs[i], strlen(inputs[i]), 1, &bytes);
		ck_assert_msg(whole.ndiags == bytes.ndiags &&
				      whole.malformed == bytes.malformed,
			      "input %zu: whole: %zu diagnoses, %llu malformed; "
			      "byte by byte: %zu, %llu", i, whole.ndiags,
			      (unsigned long long)whole.malformed, bytes.ndiags,
			      (unsigned long long)bytes.malformed);
		ck_assert_str_eq(whole.diags ? whole.diags : "",
				 bytes.diags ? bytes.diags : "");
		ck_assert_str_eq(whole.summary, bytes.summary);
		su_free(&whole);
		su_free(&bytes);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* "Name:" or "Namespace:" with nothing after it (a describe header with an
 * empty value) is not an error. */
START_TEST(hostile_describe_header_blank_value)
{
	static const char input[] =
		"Name:         \n"
		"Namespace:      \n"
		"Events:\n"
		"  Type     Reason  Age   From     Message\n"
		"  ----     ------  ----  ----     -------\n"
		"  Warning  Failed  5s    kubelet  " SIG "\n";
	tsblog_ruleset *rs = tu_builtin();
	tsblog_scanner *s;
	tsblog_error err;
	scan_result r;
	json_t *d;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "test", NULL, &err), 0);
	dirty_stack();
	ck_assert_msg(su_scan_chunk(s, input, sizeof(input) - 1, &r) == 0 &&
			      su_scan_chunk(s, NULL, 0, &r) == 0,
		      "scan failed: %s", r.fatal_msg);
	su_totals(s, &r);
	tsblog_scanner_free(s);
	ck_assert_uint_eq(r.records, 6);
	ck_assert_uint_eq(r.ndiags, 1);
	d = diag_doc(&r, 0);
	check_sa_secret(d);
	ck_assert_str_eq(jget(d, "level"), "warn");
	json_decref(d);
	su_free(&r);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A repeat count beyond int64 stops at INT64_MAX, in the diagnosis and in
 * the summary, and both stay JSON a reader can take (jansson: int64). */
START_TEST(hostile_event_count_beyond_int64)
{
	static const char input[] =
		"Name:         edge-0\n"
		"Events:\n"
		"  Type     Reason  Age                                  From     Message\n"
		"  ----     ------  ----                                 ----     -------\n"
		"  Warning  Failed  5s (x99999999999999999999999 over 1m)  kubelet  " SIG "\n"
		"  Warning  Failed  5s (x14347467612885206812 over 1m)  kubelet  " SIG "\n";
	tsblog_ruleset *rs = tu_builtin();
	tsblog_scanner *s;
	tsblog_error err;
	scan_result r;
	json_t *d, *sum;
	char *summary = NULL;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "test", NULL, &err), 0);
	ck_assert_msg(su_scan_chunk(s, input, sizeof(input) - 1, &r) == 0 &&
			      su_scan_chunk(s, NULL, 0, &r) == 0,
		      "scan failed: %s", r.fatal_msg);
	ck_assert_int_eq(tsblog_scanner_summary_json(&summary, s, &err), 0);
	tsblog_scanner_free(s);
	ck_assert_uint_eq(r.ndiags, 2);
	d = diag_doc(&r, 0);    /* NULL if jansson could not read it */
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), INT64_MAX);
	json_decref(d);
	d = diag_doc(&r, 1);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "count")), INT64_MAX);
	json_decref(d);
	sum = json_loads(summary, 0, NULL);
	ck_assert_ptr_nonnull(sum);
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_array_get(json_object_get(sum, "problems"), 0),
				 "count")),
			 INT64_MAX);
	json_decref(sum);
	tsblog_free(summary);
	su_free(&r);
	tsblog_ruleset_free(rs);
}
END_TEST

/* --- rule files ------------------------------------------------------------- */

static int
load_opts(const char *text, size_t len, const tsblog_compile_options *opts,
	  tsblog_ruleset **out, tsblog_error *err)
{
	tsblog_builder *b;
	int rc;

	ck_assert_int_eq(tsblog_builder_new(&b, opts, err), 0);
	rc = tsblog_builder_add_string(b, "gen.json", text, len, err);
	if (rc == 0 && out)
		rc = tsblog_builder_build(out, b, err);
	tsblog_builder_free(b);
	return rc;
}

static int
load(const char *text, size_t len, tsblog_ruleset **out, tsblog_error *err)
{
	return load_opts(text, len, NULL, out, err);
}

START_TEST(hostile_rules_100000)
{
	const size_t n = 100000;
	tsblog_compile_options opts = TSBLOG_COMPILE_OPTIONS_INIT;
	tsblog_ruleset *rs = NULL;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;
	tsblog_error err;
	char buf[256];
	gen g = { 0 };
	double t0, t1;
	size_t i;

	gen_str(&g, "{\"tsblog\": 1, \"rules\": [\n");
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf),
			 "{\"id\": \"r%zu\", \"severity\": \"info\", "
			 "\"title\": \"t\", \"match\": \"^event%zu (?<n>\\\\d+)$\", "
			 "\"summary\": \"{n}\"}%s\n",
			 i, i, i + 1 < n ? "," : "");
		gen_str(&g, buf);
	}
	gen_str(&g, "]}\n");
	t0 = now();
	ck_assert_msg(load(g.p, g.n, &rs, &err) == 0, "%s", err.message);
	t1 = now();
	ck_assert_uint_eq(tsblog_ruleset_count(rs), n);
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
	ck_assert_int_eq(tsblog_matcher_match(m, "event99999 7", 12, &d, &err), 1);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "r99999");
	ck_assert_str_eq(tsblog_diagnosis_summary(d), "7");
	fprintf(stderr, "# 100000 rules (%zu KiB): loaded in %.2f s CPU, "
		"one line through all in %.3f s\n", g.n / 1024, t1 - t0,
		now() - t1);
	ck_assert_msg(slow() || t1 - t0 < 60, "loading took %.1f s", t1 - t0);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);

	/* The same file with one duplicate at the end: the error points at
	 * both places, and nothing is kept.  (Without JIT: faster, and the
	 * duplicate is found after every rule compiled.) */
	g.n -= 3;
	gen_str(&g, ",\n{\"id\": \"r5\", \"severity\": \"info\", \"title\": "
		    "\"t\", \"match\": \"x\", \"summary\": \"s\"}]}\n");
	opts.no_jit = 1;
	ck_assert_int_eq(load_opts(g.p, g.n, &opts, NULL, &err),
			 TSBLOG_EDUPLICATE);
	ck_assert_int_eq(err.line, 100003);
	ck_assert_msg(strstr(err.message, "first defined at gen.json:7:1"),
		      "%s", err.message);
	free(g.p);
}
END_TEST

START_TEST(hostile_rules_1mb_pattern)
{
	tsblog_error err;
	tsblog_ruleset *rs = NULL;
	gen g = { 0 };
	int rc;

	gen_str(&g, "{\"tsblog\": 1, \"rules\": [{\"id\": \"big\", "
		    "\"severity\": \"info\", \"title\": \"t\", \"summary\": "
		    "\"s\", \"match\": \"");
	gen_fill(&g, 'a', MiB);
	gen_str(&g, "\"}]}");
	rc = load(g.p, g.n, &rs, &err);
	/* Longer than PCRE2 can compile: a clean regex error at the rule. */
	ck_assert_int_eq(rc, TSBLOG_EREGEX);
	ck_assert_str_eq(err.rule_id, "big");
	ck_assert_str_eq(err.member, "match");
	ck_assert_int_eq(err.line, 1);
	ck_assert_msg(strstr(err.message, "too large"), "%s", err.message);
	free(g.p);
}
END_TEST

START_TEST(hostile_rules_self_referencing_macro)
{
	static const char self[] =
		"{\"tsblog\": 1, \"patterns\": {\"A\": \"x%{A}\"}, \"rules\": []}";
	static const char pair[] =
		"{\"tsblog\": 1, \"patterns\": {\"A\": \"%{B}\", \"B\": \"%{A}\"},"
		" \"rules\": []}";
	static const char field[] =
		"{\"tsblog\": 1, \"patterns\": {\"A\": \"%{A:f}\"}, \"rules\": []}";
	tsblog_error err;

	ck_assert_int_eq(load(self, sizeof(self) - 1, NULL, &err),
			 TSBLOG_EMACRO);
	ck_assert_str_eq(err.message,
			 "gen.json:1:33: pattern \"A\" refers to itself: A -> A");
	ck_assert_int_eq(load(pair, sizeof(pair) - 1, NULL, &err),
			 TSBLOG_EMACRO);
	ck_assert_msg(strstr(err.message, "A -> B -> A"), "%s", err.message);
	ck_assert_int_eq(load(field, sizeof(field) - 1, NULL, &err),
			 TSBLOG_EMACRO);
}
END_TEST

/* A chain of 100 macros, each used once: valid, however deep. */
START_TEST(hostile_rules_deep_macro_chain)
{
	tsblog_ruleset *rs = NULL;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;
	tsblog_error err;
	char buf[64];
	gen g = { 0 };
	int i, rc;

	gen_str(&g, "{\"tsblog\": 1, \"patterns\": {");
	for (i = 0; i < 100; i++) {
		if (i < 99)
			snprintf(buf, sizeof(buf), "\"P%d\": \"%%{P%d}\", ", i,
				 i + 1);
		else
			snprintf(buf, sizeof(buf), "\"P%d\": \"end\"", i);
		gen_str(&g, buf);
	}
	gen_str(&g, "}, \"rules\": [{\"id\": \"deep\", \"severity\": \"info\", "
		    "\"title\": \"t\", \"summary\": \"s\", \"match\": "
		    "\"%{P0}\"}]}");
	rc = load(g.p, g.n, &rs, &err);
	/* A depth limit is fair, but then say so: this is no cycle. */
	ck_assert_msg(rc == 0 || (rc == TSBLOG_EMACRO &&
				  !strstr(err.message, "refers to itself")),
		      "rc %d: %s", rc, err.message);
	if (rc == 0) {
		ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
		ck_assert_int_eq(tsblog_matcher_match(m, "the end", 7, &d, &err),
				 1);
		tsblog_matcher_free(m);
	}
	tsblog_ruleset_free(rs);
	free(g.p);
}
END_TEST

/* Each macro uses the one below twice: 2^40 copies if expanded blindly.
 * Loading must fail cleanly and quickly, not try to build a terabyte. */
START_TEST(hostile_rules_macro_blowup)
{
	tsblog_error err;
	char buf[64];
	gen g = { 0 };
	struct rlimit old, lim;
	double t0;
	int i, rc;

	gen_str(&g, "{\"tsblog\": 1, \"patterns\": {");
	for (i = 0; i < 40; i++) {
		snprintf(buf, sizeof(buf), "\"M%d\": \"%%{M%d}%%{M%d}\", ", i,
			 i + 1, i + 1);
		gen_str(&g, buf);
	}
	gen_str(&g, "\"M40\": \"ab\"}, \"rules\": []}");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* A sanitizer's shadow memory cannot live under an address-space
	 * limit, and without one this test could take the machine's
	 * memory: only the plain build runs it. */
	free(g.p);
	return;
#endif
	/* Bound this process (Check forks per test; restored below for
	 * CK_FORK=no) so that an unbounded expansion fails instead of
	 * eating the machine. */
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
	lim = old;
	if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > 1024ul * MiB)
		lim.rlim_cur = 1024ul * MiB;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
	t0 = now();
	rc = load(g.p, g.n, NULL, &err);
	setrlimit(RLIMIT_AS, &old);
	ck_assert_msg(rc == TSBLOG_EMACRO || rc == TSBLOG_EREGEX,
		      "rc %d: %s", rc, err.message);
	ck_assert_msg(slow() || now() - t0 < 5, "took %.1f s", now() - t0);
	free(g.p);
}
END_TEST

START_TEST(hostile_rules_template_10000_fields)
{
	const int nfields = 100, nrefs = 10000;
	tsblog_ruleset *rs = NULL;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;
	tsblog_error err;
	char buf[64];
	gen g = { 0 }, line = { 0 };
	const char *sum;
	size_t i;

	gen_str(&g, "{\"tsblog\": 1, \"rules\": [{\"id\": \"wide\", "
		    "\"severity\": \"info\", \"title\": \"t\", \"match\": \"^");
	for (i = 0; i < (size_t)nfields; i++) {
		snprintf(buf, sizeof(buf), "(?<f%zu>[a-z]+)%s", i,
			 i + 1 < (size_t)nfields ? " " : "$");
		gen_str(&g, buf);
		gen_str(&line, i % 2 ? "ab " : "cde ");
	}
	line.p[--line.n] = '\0';
	gen_str(&g, "\", \"summary\": \"");
	for (i = 0; i < (size_t)nrefs; i++) {
		snprintf(buf, sizeof(buf), "{f%zu}.", i % (size_t)nfields);
		gen_str(&g, buf);
	}
	gen_str(&g, "\"}]}");
	ck_assert_msg(load(g.p, g.n, &rs, &err) == 0, "%s", err.message);
	ck_assert_uint_eq(tsblog_rule_field_count(tsblog_ruleset_rule(rs, 0)),
			  nfields);
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
	ck_assert_int_eq(tsblog_matcher_match(m, line.p, line.n, &d, &err), 1);
	sum = tsblog_diagnosis_summary(d);
	/* 5000 "cde." and 5000 "ab." */
	ck_assert_uint_eq(strlen(sum), 5000 * 4 + 5000 * 3);
	ck_assert(!strncmp(sum, "cde.ab.cde.", 11));
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
	free(g.p);
	free(line.p);
}
END_TEST

/* A rule matches exactly the lines PCRE2 says its pattern matches,
 * whatever pattern syntax it uses: the prefilter's literals (literal.c)
 * may narrow the lines tried, never change the answer. */
static int
pcre2_says(const char *pattern, const char *line)
{
	pcre2_code *code;
	pcre2_match_data *md;
	PCRE2_SIZE eo;
	int ec, rc;

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo,
			     NULL);
	ck_assert_msg(code != NULL, "PCRE2 rejects %s", pattern);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	ck_assert_ptr_nonnull(md);
	rc = pcre2_match(code, (PCRE2_SPTR)line, strlen(line), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return rc >= 0;
}

static int
tsblog_says(const char *pattern, const char *line, tsblog_error *err)
{
	json_t *doc = json_pack("{s:i, s:[{s:s, s:s, s:s, s:s, s:s}]}",
				"tsblog", 1, "rules", "id", "x", "severity",
				"error", "title", "t", "summary", "s", "match",
				pattern);
	char *text = json_dumps(doc, 0);
	tsblog_ruleset *rs = NULL;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;
	int rc;

	json_decref(doc);
	ck_assert_ptr_nonnull(text);
	rc = load(text, strlen(text), &rs, err);
	free(text);
	if (rc < 0)
		return rc;
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, err), 0);
	rc = tsblog_matcher_match(m, line, strlen(line), &d, err);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
	return rc;
}

START_TEST(hostile_rules_pattern_syntax_like_pcre2)
{
	static const char *const cases[][2] = {
		{ "(?x)token rotation failed", "tokenrotationfailed" },
		{ "(?x)abc # a comment", "abc" },
		{ "(?xx)a b c [d e]f", "abcdf" },
		{ "ab(?x) c d e", "abcde" },
		{ "(?-x)zzz|(?x)d e f", "def" },
		{ "a\\x41bcd", "aAbcd" },
		{ "abc\\101def", "abcAdef" },
		{ "abc\\N{U+41}def", "abcAdef" },
		{ "abc\\x{41}def", "abcAdef" },
		{ "abc\\o{101}def", "abcAdef" },
		{ "foo\\tbarbaz", "foo\tbarbaz" },
		{ "abc(?#note)def", "abcdef" },
		{ "\\Qa.b\\Ecde", "a.bcde" },
		{ "tok(?i)EN ROT", "token rot" },
		{ "abc\\Kdef", "abcdef" },
		{ "abc{0}def", "abdef" },
		{ "ab{1,x}cd", "ab{1,x}cd" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		tsblog_error err;
		int want = pcre2_says(cases[i][0], cases[i][1]);
		int got = tsblog_says(cases[i][0], cases[i][1], &err);
		ck_assert_msg(want == 1, "case %zu: PCRE2 does not match", i);
		ck_assert_msg(got == want, "rule \"%s\" on \"%s\": tsblog %d, "
			      "PCRE2 %d (%s)", cases[i][0], cases[i][1], got,
			      want, got < 0 ? err.message : "");
	}
}
END_TEST

/* "{" and a digit that do not make a quantifier are literal text, also
 * to the literal extraction: loading such a rule must end.  (An alarm,
 * not only Check's timeout, since CK_FORK=no has none.) */
START_TEST(hostile_rules_brace_digit_not_quantifier)
{
	static const char *const cases[][2] = {
		{ "ab{1x}cd", "ab{1x}cd" },
		{ "\\x{1F600}abcd", "\xf0\x9f\x98\x80" "abcd" },
		{ "id{2a}", "id{2a}" },
	};
	size_t i;

	alarm(slow() ? 60 : 10);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		tsblog_error err;
		int got = tsblog_says(cases[i][0], cases[i][1], &err);
		ck_assert_msg(got == 1, "rule \"%s\": %d (%s)", cases[i][0], got,
			      got < 0 ? err.message : "no match");
	}
	alarm(0);
}
END_TEST

/* --- catastrophic backtracking in the scanner ------------------------------ */

START_TEST(hostile_catastrophic_regex_scan)
{
	static const char rules[] =
		"{\"tsblog\": 1, \"rules\": [\n"
		" {\"id\": \"slow\", \"severity\": \"error\", \"title\": \"S\",\n"
		"  \"match\": \"(a+)+$\", \"summary\": \"slow\"},\n"
		" {\"id\": \"tail\", \"severity\": \"warning\", \"title\": \"T\",\n"
		"  \"match\": \"(?<run>a{3})b$\", \"summary\": \"{run}\"},\n"
		" {\"id\": \"next\", \"severity\": \"info\", \"title\": \"N\",\n"
		"  \"match\": \"^next line$\", \"summary\": \"n\"}\n"
		"]}\n";
	tsblog_ruleset *rs = tu_rules(rules);
	size_t n = 100 * 1024;
	scan_result r;
	gen g = { 0 };
	json_t *d;
	double t0;

	gen_fill(&g, 'a', n);
	gen_str(&g, "b\nnext line\n");
	t0 = now();
	scan_ok(rs, NULL, g.p, g.n, 4096, &r);
	ck_assert_msg(slow() || now() - t0 < 10, "scan took %.1f s",
		      now() - t0);
	ck_assert_uint_eq(r.records, 2);
	ck_assert_uint_eq(r.ndiags, 2);
	d = diag_doc(&r, 0);
	ck_assert_str_eq(jget(d, "rule"), "tail");
	ck_assert_str_eq(jfield(d, "run"), "aaa");
	json_decref(d);
	d = diag_doc(&r, 1);
	ck_assert_str_eq(jget(d, "rule"), "next");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "line")), 2);
	json_decref(d);
	ck_assert_int_eq(summary_int(&r, "limit_hits"), 1);
	{
		/* ... and the summary says which rule gave up. */
		json_t *o = summary_doc(&r);
		char *got = json_dumps(json_object_get(o, "limit_hit_rules"),
				       JSON_COMPACT);
		ck_assert_str_eq(got, "[{\"rule\":\"slow\",\"count\":1}]");
		free(got);
		json_decref(o);
	}
	su_free(&r);

	/* The same line through a matcher: one more limit hit counted. */
	{
		tsblog_matcher *m;
		const tsblog_diagnosis *dd;
		tsblog_error err;
		ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
		ck_assert_int_eq(tsblog_matcher_match(m, g.p, n + 1, &dd, &err),
				 1);
		ck_assert_uint_eq(tsblog_matcher_limit_hits(m), 1);
		ck_assert_int_eq(tsblog_matcher_match(m, g.p, n, &dd, &err), 1);
		ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(dd)),
				 "slow");
		ck_assert_uint_eq(tsblog_matcher_limit_hits(m), 1);
		tsblog_matcher_free(m);
	}
	free(g.p);
	tsblog_ruleset_free(rs);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("input");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, hostile_huge_line_without_newline);
	tcase_add_test(tc, hostile_long_line_matched_on_first_part);
	tcase_add_test(tc, hostile_random_binary);
	tcase_add_test(tc, hostile_invalid_utf8_around_signature);
	tcase_add_test(tc, hostile_nul_bytes);
	tcase_add_test(tc, hostile_events_nested_5000_deep);
	tcase_add_test(tc, hostile_event_100mb_message);
	tcase_add_test(tc, hostile_event_numbers_out_of_range);
	tcase_add_test(tc, hostile_table_header_not_from_later_lines);
	tcase_add_test(tc, hostile_chunking_does_not_change_results);
	tcase_add_test(tc, hostile_describe_header_blank_value);
	tcase_add_test(tc, hostile_event_count_beyond_int64);
	tcase_add_test(tc, hostile_catastrophic_regex_scan);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, hostile_rules_100000);
	tcase_add_test(tc, hostile_rules_1mb_pattern);
	tcase_add_test(tc, hostile_rules_self_referencing_macro);
	tcase_add_test(tc, hostile_rules_deep_macro_chain);
	tcase_add_test(tc, hostile_rules_macro_blowup);
	tcase_add_test(tc, hostile_rules_template_10000_fields);
	tcase_add_test(tc, hostile_rules_pattern_syntax_like_pcre2);
	tcase_add_test(tc, hostile_rules_brace_digit_not_quantifier);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(hostile_suite());
}
