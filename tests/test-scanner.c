/*
 * The streaming scanner: chunking must never change the result, and each
 * line is cleaned (CRLF, BOM, colour escapes) and bounded (max_record)
 * the same way whichever path it took through the carry buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

static const char *const RULES =
	"{\"tsblog\": 1,\n"
	" \"patterns\": {\"HOST\": \"[a-z0-9.-]+\", \"PORT\": \"[0-9]+\"},\n"
	" \"rules\": [\n"
	"  {\"id\": \"conn-refused\", \"severity\": \"error\", \"title\": \"Connection refused\",\n"
	"   \"match\": \"connect to %{HOST:host}:%{PORT:port} failed: connection refused\",\n"
	"   \"summary\": \"{host}:{port} refused\"},\n"
	"  {\"id\": \"dns-fail\", \"severity\": \"warning\", \"title\": \"DNS failure\",\n"
	"   \"match\": \"lookup (?<name>[^ :]+): no such host\",\n"
	"   \"summary\": \"cannot resolve {name}\"},\n"
	"  {\"id\": \"any-failure\", \"severity\": \"info\", \"title\": \"Some failure\",\n"
	"   \"match\": \"(?<what>[a-z]+) failed\", \"summary\": \"{what} failed\"}\n"
	" ]}\n";

/* Seven lines: an empty one, a CRLF one, and a last one without LF. */
static const char BASE[] =
	"starting up\n"
	"connect to db.local:5432 failed: connection refused\n"
	"\n"
	"lookup api.example: no such host\r\n"
	"noise noise\n"
	"handshake failed\n"
	"connect to cache:6379 failed: connection refused";

typedef struct {
	char rule[32];
	char source[32];
	uint64_t line;
	char text[200];
} hit;

typedef struct {
	hit h[64];
	int n;
} hits;

static void
expect_hit(const hit *h, const char *rule, uint64_t line, const char *text)
{
	ck_assert_str_eq(h->rule, rule);
	ck_assert_uint_eq(h->line, line);
	ck_assert_str_eq(h->text, text);
}

static void
drain(tsblog_scanner *s, hits *out)
{
	const tsblog_diagnosis *d;
	tsblog_error err;
	int rc;

	while ((rc = tsblog_scanner_next(s, &d, &err)) == 1) {
		hit *h;
		ck_assert_int_lt(out->n, 64);
		h = &out->h[out->n++];
		snprintf(h->rule, sizeof(h->rule), "%s",
			 tsblog_rule_id(tsblog_diagnosis_rule(d)));
		snprintf(h->source, sizeof(h->source), "%s",
			 tsblog_diagnosis_source(d));
		snprintf(h->text, sizeof(h->text), "%s",
			 tsblog_diagnosis_text(d));
		h->line = tsblog_diagnosis_line(d);
	}
	ck_assert_msg(rc == 0, "next: %d: %s", rc, err.message);
}

/* A small deterministic generator, so that every libc cuts the same
 * chunks. */
static unsigned int
lcg(unsigned int *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/* Feed @len bytes in chunks: @chunk 0 = all at once, >0 = that size,
 * <0 = random sizes 1..-chunk from seed @seed; then finish and drain. */
static void
feed_all(tsblog_scanner *s, const char *in, size_t len, int chunk,
	 unsigned int seed, hits *out)
{
	tsblog_error err;
	size_t off = 0;

	while (off < len) {
		size_t n = len - off;
		if (chunk > 0 && n > (size_t)chunk)
			n = (size_t)chunk;
		else if (chunk < 0) {
			size_t r = 1 + lcg(&seed) % (unsigned int)-chunk;
			if (n > r)
				n = r;
		}
		ck_assert_int_eq(tsblog_scanner_feed(s, in + off, n, &err), 0);
		drain(s, out);
		off += n;
	}
	ck_assert_int_eq(tsblog_scanner_end(s, &err), 0);
	drain(s, out);
	/* Finished and drained: nothing more comes. */
	drain(s, out);
}

static tsblog_scanner *
scanner(const tsblog_ruleset *rs, const char *source, size_t max_record)
{
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
	tsblog_error err;

	o.max_record = max_record;
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, source, &o, &err), 0);
	return s;
}

static void
scan(const tsblog_ruleset *rs, size_t max_record, const char *in,
     size_t len, int chunk, unsigned int seed, hits *out)
{
	tsblog_scanner *s = scanner(rs, "in.log", max_record);

	out->n = 0;
	feed_all(s, in, len, chunk, seed, out);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), len);
	tsblog_scanner_free(s);
}

static void
same_hits(const hits *a, const hits *b, const char *how)
{
	int i;

	ck_assert_msg(a->n == b->n, "%s: %d diagnoses, expected %d", how,
		      b->n, a->n);
	for (i = 0; i < a->n; i++) {
		ck_assert_msg(!strcmp(a->h[i].rule, b->h[i].rule) &&
				      a->h[i].line == b->h[i].line &&
				      !strcmp(a->h[i].text, b->h[i].text),
			      "%s: diagnosis %d is %s:%llu \"%s\", expected %s:%llu \"%s\"",
			      how, i, b->h[i].rule,
			      (unsigned long long)b->h[i].line, b->h[i].text,
			      a->h[i].rule, (unsigned long long)a->h[i].line,
			      a->h[i].text);
	}
}

static void
expect_base(const hits *r)
{
	ck_assert_int_eq(r->n, 4);
	expect_hit(&r->h[0], "conn-refused", 2,
		   "connect to db.local:5432 failed: connection refused");
	expect_hit(&r->h[1], "dns-fail", 4, "lookup api.example: no such host");
	expect_hit(&r->h[2], "any-failure", 6, "handshake failed");
	expect_hit(&r->h[3], "conn-refused", 7,
		   "connect to cache:6379 failed: connection refused");
}

START_TEST(scanner_whole_input)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "pod.log", 0);
	hits r = { .n = 0 };

	feed_all(s, BASE, sizeof(BASE) - 1, 0, 0, &r);
	expect_base(&r);
	ck_assert_str_eq(r.h[0].source, "pod.log");
	ck_assert_uint_eq(tsblog_scanner_records(s), 7);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), sizeof(BASE) - 1);
	ck_assert_uint_eq(tsblog_scanner_truncated(s), 0);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_one_byte_at_a_time)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	hits r = { .n = 0 };

	scan(rs, 0, BASE, sizeof(BASE) - 1, 1, 0, &r);
	expect_base(&r);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_random_chunks)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	hits r = { .n = 0 };
	unsigned int seed;

	for (seed = 1; seed <= 50; seed++) {
		scan(rs, 0, BASE, sizeof(BASE) - 1, -17, seed, &r);
		expect_base(&r);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* A larger input with everything the scanner cleans or bounds, cut in
 * every way: the diagnoses must not depend on where the cuts fall. */
START_TEST(scanner_chunking_never_changes_result)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	size_t cap = 64 * 1024, len = 0;
	char *in = malloc(cap);
	hits whole = { .n = 0 }, r = { .n = 0 };
	unsigned int seed;
	int i, sizes[] = { 1, 2, 3, 7, 64, 65, 66, 1000 };

	len += (size_t)sprintf(in + len, "\xEF\xBB\xBFhandshake failed\r\n");
	for (i = 0; i < 40; i++) {
		len += (size_t)sprintf(in + len,
			"%sconnect to h%d.local:%d failed: connection refused\x1b[0m%s",
			i % 3 ? "" : "\x1b[1;31m", i, 1000 + i,
			i % 2 ? "\r\n" : "\n");
		len += (size_t)sprintf(in + len, "noise %d\n\n", i);
		if (i % 5 == 0)
			/* Longer than max_record: only its start is seen. */
			len += (size_t)sprintf(in + len,
				"lookup n%d.example: no such host %0100d\n", i, 0);
	}
	len += (size_t)sprintf(in + len, "tail failed");

	scan(rs, 64, in, len, 0, 0, &whole);
	ck_assert_int_eq(whole.n, 1 + 40 + 8 + 1);
	expect_hit(&whole.h[0], "any-failure", 1, "handshake failed");
	expect_hit(&whole.h[1], "conn-refused", 2,
		   "connect to h0.local:1000 failed: connection refused");
	expect_hit(&whole.h[2], "dns-fail", 5,
		   "lookup n0.example: no such host 00000000000000000000000000000000");
	expect_hit(&whole.h[3], "conn-refused", 6,
		   "connect to h1.local:1001 failed: connection refused");
	expect_hit(&whole.h[whole.n - 1], "any-failure", 40 * 3 + 8 + 2,
		   "tail failed");

	for (i = 0; i < (int)(sizeof(sizes) / sizeof(*sizes)); i++) {
		char how[32];
		snprintf(how, sizeof(how), "chunks of %d", sizes[i]);
		scan(rs, 64, in, len, sizes[i], 0, &r);
		same_hits(&whole, &r, how);
	}
	for (seed = 1; seed <= 20; seed++) {
		char how[32];
		snprintf(how, sizeof(how), "random seed %u", seed);
		scan(rs, 64, in, len, -200, seed, &r);
		same_hits(&whole, &r, how);
	}
	free(in);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_last_line_needs_finish)
{
	static const char in[] =
		"noise\nconnect to db.local:5432 failed: connection refused";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, NULL, 0);
	hits r = { .n = 0 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_feed(s, in, sizeof(in) - 1, &err), 0);
	drain(s, &r);
	/* The unterminated line may go on in the next chunk. */
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(tsblog_scanner_records(s), 1);
	ck_assert_int_eq(tsblog_scanner_end(s, &err), 0);
	drain(s, &r);
	ck_assert_int_eq(r.n, 1);
	expect_hit(&r.h[0], "conn-refused", 2,
		   "connect to db.local:5432 failed: connection refused");
	ck_assert_str_eq(r.h[0].source, "-");
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	/* Finished: nothing more may be fed. */
	ck_assert_int_eq(tsblog_scanner_feed(s, "x\n", 2, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(err.code, TSBLOG_EINVAL);
	ck_assert_str_eq(err.message, "tsblog_scanner_feed: input already finished");
	drain(s, &r);
	ck_assert_int_eq(r.n, 1);
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Input that ends in LF has no extra empty record at the end. */
START_TEST(scanner_trailing_newline_no_extra_record)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, NULL, 0);
	hits r = { .n = 0 };

	feed_all(s, "a\nb failed\n", 11, 0, 0, &r);
	ck_assert_int_eq(r.n, 1);
	expect_hit(&r.h[0], "any-failure", 2, "b failed");
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	tsblog_scanner_free(s);

	/* Nothing at all: no record. */
	s = scanner(rs, NULL, 0);
	feed_all(s, "", 0, 0, 0, &r);
	ck_assert_uint_eq(tsblog_scanner_records(s), 0);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), 0);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_crlf_stripped)
{
	static const char in[] =
		"x failed\r\n"
		"\r\n"
		"lookup a.b: no such host\r\r\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	hits r = { .n = 0 };
	int chunk;

	for (chunk = 0; chunk <= 2; chunk++) {
		scan(rs, 0, in, sizeof(in) - 1, chunk, 0, &r);
		ck_assert_int_eq(r.n, 2);
		expect_hit(&r.h[0], "any-failure", 1, "x failed");
		/* One line ending is removed, not every CR. */
		expect_hit(&r.h[1], "dns-fail", 3, "lookup a.b: no such host\r");
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* The byte order mark opens an input, so it goes from line 1 only; after
 * a reset the next input's line 1 may have one too. */
START_TEST(scanner_bom_stripped_on_line_one)
{
	static const char in[] =
		"\xEF\xBB\xBFlookup bom.example: no such host\n"
		"\xEF\xBB\xBFlookup two.example: no such host\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s;
	hits r = { .n = 0 };
	int chunk;

	for (chunk = 0; chunk <= 2; chunk++) {
		scan(rs, 0, in, sizeof(in) - 1, chunk, 0, &r);
		ck_assert_int_eq(r.n, 2);
		expect_hit(&r.h[0], "dns-fail", 1,
			   "lookup bom.example: no such host");
		/* Whatever becomes of a BOM further down, the line is
		 * still matched and numbered. */
		ck_assert_str_eq(r.h[1].rule, "dns-fail");
		ck_assert_uint_eq(r.h[1].line, 2);
	}

	s = scanner(rs, "a.log", 0);
	r.n = 0;
	feed_all(s, in, sizeof(in) - 1, 0, 0, &r);
	ck_assert_int_eq(tsblog_scanner_reset(s, "b.log"), 0);
	feed_all(s, in, sizeof(in) - 1, 0, 0, &r);
	ck_assert_int_eq(r.n, 4);
	expect_hit(&r.h[2], "dns-fail", 1, "lookup bom.example: no such host");
	ck_assert_str_eq(r.h[2].source, "b.log");
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Colour codes between the words of a signature would hide it. */
START_TEST(scanner_ansi_escapes_removed)
{
	static const char in[] =
		"\x1b[32mok\x1b[0m\n"
		"connect to db.local:5432\x1b[0m failed: \x1b[1;31mconnection refused\x1b[0m\n"
		"\x1b]0;window title\x07lookup osc.example: no such host\n"
		"\x1b]8;;http://x\x1b\\lookup link.example\x1b]8;;\x1b\\: no such host\n"
		"\x1b" "cretry failed\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	hits r = { .n = 0 };
	int chunk;

	for (chunk = 0; chunk <= 3; chunk++) {
		scan(rs, 0, in, sizeof(in) - 1, chunk, 0, &r);
		ck_assert_int_eq(r.n, 4);
		expect_hit(&r.h[0], "conn-refused", 2,
			   "connect to db.local:5432 failed: connection refused");
		expect_hit(&r.h[1], "dns-fail", 3,
			   "lookup osc.example: no such host");
		expect_hit(&r.h[2], "dns-fail", 4,
			   "lookup link.example: no such host");
		/* A two-byte escape (ESC c) goes as a whole. */
		expect_hit(&r.h[3], "any-failure", 5, "retry failed");
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* A line longer than max_record is matched on its first max_record bytes
 * and counted; the lines after it keep their numbers.  Fed whole it is
 * cut in place, fed in pieces it goes through the carry buffer. */
START_TEST(scanner_long_line_truncated)
{
	char in[1024];
	size_t len = 0;
	tsblog_ruleset *rs = tu_rules(RULES);
	int chunk;

	len += (size_t)sprintf(in + len, "first failed\n");
	/* 32 bytes of signature, then 300 more. */
	len += (size_t)sprintf(in + len, "lookup api.example: no such host%0300d\n", 7);
	/* The signature starts after byte 64: not seen. */
	len += (size_t)sprintf(in + len, "%070d lookup late.example: no such host\n", 0);
	len += (size_t)sprintf(in + len, "after failed\n");
	for (chunk = 0; chunk <= 50; chunk += 5) {
		tsblog_scanner *s = scanner(rs, NULL, 64);
		hits r = { .n = 0 };

		feed_all(s, in, len, chunk, 0, &r);
		ck_assert_int_eq(r.n, 3);
		expect_hit(&r.h[0], "any-failure", 1, "first failed");
		expect_hit(&r.h[1], "dns-fail", 2,
			   "lookup api.example: no such host00000000000000000000000000000000");
		ck_assert_uint_eq(strlen(r.h[1].text), 64);
		expect_hit(&r.h[2], "any-failure", 4, "after failed");
		ck_assert_uint_eq(tsblog_scanner_truncated(s), 2);
		ck_assert_uint_eq(tsblog_scanner_records(s), 4);
		ck_assert_uint_eq(tsblog_scanner_bytes(s), len);
		tsblog_scanner_free(s);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* Exactly max_record bytes is not too long. */
START_TEST(scanner_line_of_max_record_kept_whole)
{
	char in[256];
	size_t n;
	tsblog_ruleset *rs = tu_rules(RULES);
	int chunk;

	/* The signature is the last thing before the LF. */
	sprintf(in, "%048d lookup a.example: no such host\n", 0);
	n = strlen(in) - 1;
	for (chunk = 0; chunk <= 3; chunk++) {
		tsblog_scanner *s = scanner(rs, NULL, n);
		hits r = { .n = 0 };

		feed_all(s, in, n + 1, chunk, 0, &r);
		ck_assert_int_eq(r.n, 1);
		ck_assert_uint_eq(strlen(r.h[0].text), n);
		ck_assert_uint_eq(tsblog_scanner_truncated(s), 0);
		tsblog_scanner_free(s);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* The line ending is not part of the line: a CRLF line whose text is
 * max_record bytes is not too long either, and keeps its last byte. */
START_TEST(scanner_crlf_line_of_max_record_kept_whole)
{
	char in[256];
	size_t n;
	tsblog_ruleset *rs = tu_rules(RULES);
	int chunk;

	sprintf(in, "%048d lookup a.example: no such host\r\n", 0);
	n = strlen(in) - 2;
	for (chunk = 0; chunk <= 3; chunk++) {
		tsblog_scanner *s = scanner(rs, NULL, n);
		hits r = { .n = 0 };

		feed_all(s, in, n + 2, chunk, 0, &r);
		ck_assert_int_eq(r.n, 1);
		ck_assert_uint_eq(strlen(r.h[0].text), n);
		ck_assert_uint_eq(tsblog_scanner_truncated(s), 0);
		tsblog_scanner_free(s);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_counters)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, NULL, 0);
	hits r = { .n = 0 };
	tsblog_error err;

	ck_assert_uint_eq(tsblog_scanner_records(s), 0);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), 0);
	ck_assert_int_eq(tsblog_scanner_feed(s, "a\nb\nc", 5, &err), 0);
	/* Bytes count on feed; records once a line is complete. */
	ck_assert_uint_eq(tsblog_scanner_bytes(s), 5);
	drain(s, &r);
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	ck_assert_int_eq(tsblog_scanner_feed(s, "c\n\n", 3, &err), 0);
	drain(s, &r);
	ck_assert_uint_eq(tsblog_scanner_records(s), 4);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), 8);
	ck_assert_int_eq(r.n, 0);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A reset starts a new input: numbers restart, the name changes, an
 * unfinished line is dropped, totals go on. */
START_TEST(scanner_reset_restarts_lines)
{
	static const char a[] = "x\ny failed\nconnect to lost:1 failed: connection refused";
	static const char b[] = "\nlookup b.example: no such host\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "a.log", 0);
	hits r = { .n = 0 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_feed(s, a, sizeof(a) - 1, &err), 0);
	drain(s, &r);
	ck_assert_int_eq(r.n, 1);
	expect_hit(&r.h[0], "any-failure", 2, "y failed");
	ck_assert_str_eq(r.h[0].source, "a.log");

	ck_assert_int_eq(tsblog_scanner_reset(s, "b.log"), 0);
	feed_all(s, b, sizeof(b) - 1, 0, 0, &r);
	/* The carried "connect to lost..." did not join b's first line. */
	ck_assert_int_eq(r.n, 2);
	expect_hit(&r.h[1], "dns-fail", 2, "lookup b.example: no such host");
	ck_assert_str_eq(r.h[1].source, "b.log");
	ck_assert_uint_eq(tsblog_scanner_records(s), 2 + 2);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), sizeof(a) - 1 + sizeof(b) - 1);

	/* A reset also reopens a finished scanner; NULL names it "-". */
	ck_assert_int_eq(tsblog_scanner_reset(s, NULL), 0);
	feed_all(s, "z failed\n", 9, 0, 0, &r);
	ck_assert_int_eq(r.n, 3);
	expect_hit(&r.h[2], "any-failure", 1, "z failed");
	ck_assert_str_eq(r.h[2].source, "-");
	ck_assert_int_eq(tsblog_scanner_reset(NULL, "x"), TSBLOG_EINVAL);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

static char *
summary_of(const tsblog_scanner *s)
{
	char *json = NULL;
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_summary_json(&json, s, &err), 0);
	return json;
}

static void
expect_same_totals(const tsblog_scanner *a, const tsblog_scanner *b,
		   size_t nrules)
{
	char *ja = summary_of(a), *jb = summary_of(b);
	size_t i;

	ck_assert_str_eq(ja, jb);
	ck_assert_uint_eq(tsblog_scanner_records(a), tsblog_scanner_records(b));
	ck_assert_uint_eq(tsblog_scanner_bytes(a), tsblog_scanner_bytes(b));
	for (i = 0; i < nrules; i++) {
		tsblog_rule_stats sa, sb;
		ck_assert_int_eq(tsblog_scanner_rule_stats(a, i, &sa), 0);
		ck_assert_int_eq(tsblog_scanner_rule_stats(b, i, &sb), 0);
		ck_assert_uint_eq(sa.literal_hits, sb.literal_hits);
		ck_assert_uint_eq(sa.regex_runs, sb.regex_runs);
		ck_assert_uint_eq(sa.matches, sb.matches);
	}
	tsblog_free(ja);
	tsblog_free(jb);
}

/* clear() leaves nothing of what came before: a cleared scanner reports
 * exactly what a new one does. */
START_TEST(scanner_clear_forgets_everything)
{
	static const char a[] = "x failed\nlookup a.example: no such host\nhalf";
	static const char b[] = "lookup b.example: no such host\ny failed\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "a.log", 0);
	tsblog_scanner *fresh = scanner(rs, "b.log", 0);
	hits r = { .n = 0 }, rf = { .n = 0 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_feed(s, a, sizeof(a) - 1, &err), 0);
	drain(s, &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(tsblog_scanner_clear(s, "b.log"), 0);
	r.n = 0;
	feed_all(s, b, sizeof(b) - 1, 0, 0, &r);
	feed_all(fresh, b, sizeof(b) - 1, 0, 0, &rf);
	/* "half" was not carried into b's first line. */
	ck_assert_int_eq(r.n, 2);
	expect_hit(&r.h[0], "dns-fail", 1, "lookup b.example: no such host");
	ck_assert_str_eq(r.h[0].source, "b.log");
	expect_hit(&r.h[1], "any-failure", 2, "y failed");
	expect_same_totals(s, fresh, tsblog_ruleset_count(rs));
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	ck_assert_int_eq(tsblog_scanner_clear(NULL, "x"), TSBLOG_EINVAL);
	tsblog_scanner_free(s);
	tsblog_scanner_free(fresh);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A file cut at line boundaries, its pieces scanned apart (one scanner
 * cleared and reused, as tsblog -j does) and absorbed in order, adds up to
 * the file scanned whole: summary (lines shifted), totals, statistics. */
START_TEST(scanner_absorb_pieces_equal_whole)
{
	static const char in[] =
		"x failed\nlookup a.example: no such host\n"
		"W1126 warning: disk nearly full\n"
		"lookup a.example: no such host\nconnect to h:1 failed: connection refused\n"
		"z failed\nlookup c.example: no such host\n";
	static const size_t cuts[] = { 0, 9, 72, 145, sizeof(in) - 1 };
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *whole = scanner(rs, "f.log", 0);
	tsblog_scanner *all = scanner(rs, "f.log", 0);
	tsblog_scanner *piece = scanner(rs, "f.log", 0);
	hits r = { .n = 0 };
	tsblog_error err;
	size_t i;

	feed_all(whole, in, sizeof(in) - 1, 0, 0, &r);
	for (i = 0; i + 1 < sizeof(cuts) / sizeof(cuts[0]); i++) {
		ck_assert(cuts[i] == 0 || in[cuts[i] - 1] == '\n');
		ck_assert_int_eq(tsblog_scanner_clear(piece, "f.log"), 0);
		feed_all(piece, in + cuts[i], cuts[i + 1] - cuts[i], 0, 0, &r);
		ck_assert_int_eq(tsblog_scanner_absorb(all, piece, &err), 0);
	}
	expect_same_totals(all, whole, tsblog_ruleset_count(rs));
	ck_assert_int_eq(tsblog_scanner_absorb(all, all, &err), TSBLOG_EINVAL);
	tsblog_scanner_free(whole);
	tsblog_scanner_free(all);
	tsblog_scanner_free(piece);
	tsblog_ruleset_free(rs);
}
END_TEST

/* The fed bytes are borrowed: feeding again before next() has returned 0
 * would lose the rest of the chunk, so it is refused, and the scan goes
 * on as if it had not been tried. */
START_TEST(scanner_feed_before_drain_refused)
{
	static const char in[] = "a failed\nb failed\nc failed\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, NULL, 0);
	const tsblog_diagnosis *d;
	hits r = { .n = 0 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_feed(s, in, sizeof(in) - 1, &err), 0);
	ck_assert_int_eq(tsblog_scanner_next(s, &d, &err), 1);
	ck_assert_str_eq(tsblog_diagnosis_text(d), "a failed");
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(tsblog_scanner_feed(s, "d failed\n", 9, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(err.code, TSBLOG_EINVAL);
	ck_assert_str_eq(err.message,
			 "tsblog_scanner_feed: previous chunk not drained by tsblog_scanner_next()");
	drain(s, &r);
	ck_assert_int_eq(r.n, 2);
	expect_hit(&r.h[0], "any-failure", 2, "b failed");
	expect_hit(&r.h[1], "any-failure", 3, "c failed");
	/* The refused chunk was not counted. */
	ck_assert_uint_eq(tsblog_scanner_bytes(s), sizeof(in) - 1);
	ck_assert_int_eq(tsblog_scanner_feed(s, "d failed\n", 9, &err), 0);
	drain(s, &r);
	expect_hit(&r.h[2], "any-failure", 4, "d failed");
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A scanner's diagnosis knows where it came from. */
START_TEST(scanner_diagnosis_json)
{
	static const char in[] = "x\ny\nz\nlookup q.example: no such host\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "pod.log", 0);
	const tsblog_diagnosis *d;
	char *json = NULL;

	ck_assert_int_eq(tsblog_scanner_feed(s, in, sizeof(in) - 1, NULL), 0);
	ck_assert_int_eq(tsblog_scanner_next(s, &d, NULL), 1);
	ck_assert_int_eq(tsblog_diagnosis_to_json(&json, d, NULL), 0);
	ck_assert_str_eq(json,
		"{\"rule\":\"dns-fail\",\"severity\":\"warning\","
		"\"component\":null,\"title\":\"DNS failure\","
		"\"summary\":\"cannot resolve q.example\",\"fix\":[],"
		"\"fields\":{\"name\":\"q.example\"},\"see_also\":[],"
		"\"docs\":null,\"source\":\"pod.log\",\"line\":4,"
		"\"timestamp\":null,\"level\":null,\"pod\":null,"
		"\"container\":null,\"namespace\":null,\"count\":1,"
		"\"text\":\"lookup q.example: no such host\"}");
	tsblog_free(json);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_bad_arguments)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
	const tsblog_diagnosis *d;
	tsblog_error err;

	o.version = TSBLOG_SCAN_OPTIONS_VERSION + 1;
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, NULL, &o, &err),
			 TSBLOG_EINVAL);
	ck_assert_str_eq(err.message,
			 "tsblog_scanner_new: unknown options version");
	ck_assert_ptr_null(s);
	ck_assert_int_eq(tsblog_scanner_new(&s, NULL, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_new(NULL, rs, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, NULL, NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_feed(s, NULL, 1, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_next(s, NULL, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_next(NULL, &d, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_end(NULL, &err), TSBLOG_EINVAL);
	ck_assert_uint_eq(tsblog_scanner_records(NULL), 0);
	tsblog_scanner_free(s);
	tsblog_scanner_free(NULL);
	tsblog_ruleset_free(rs);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("scanner");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, scanner_whole_input);
	tcase_add_test(tc, scanner_one_byte_at_a_time);
	tcase_add_test(tc, scanner_random_chunks);
	tcase_add_test(tc, scanner_chunking_never_changes_result);
	tcase_add_test(tc, scanner_last_line_needs_finish);
	tcase_add_test(tc, scanner_trailing_newline_no_extra_record);
	tcase_add_test(tc, scanner_crlf_stripped);
	tcase_add_test(tc, scanner_bom_stripped_on_line_one);
	tcase_add_test(tc, scanner_ansi_escapes_removed);
	tcase_add_test(tc, scanner_long_line_truncated);
	tcase_add_test(tc, scanner_line_of_max_record_kept_whole);
	tcase_add_test(tc, scanner_crlf_line_of_max_record_kept_whole);
	tcase_add_test(tc, scanner_counters);
	tcase_add_test(tc, scanner_reset_restarts_lines);
	tcase_add_test(tc, scanner_clear_forgets_everything);
	tcase_add_test(tc, scanner_absorb_pieces_equal_whole);
	tcase_add_test(tc, scanner_feed_before_drain_refused);
	tcase_add_test(tc, scanner_diagnosis_json);
	tcase_add_test(tc, scanner_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
