/*
 * The streaming scanner: chunking must never change the result, and each
 * line is cleaned (CRLF, BOM, colour escapes) and bounded (max_record)
 * the same way whichever path it took through the carry buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "scanner.h"    /* private: clear and absorb, tsblog -j's pieces */

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

/* A scan callback that records each diagnosis in a hits list. */
static int
collect(tsblog_scan_what what, const tsblog_diagnosis *d,
	const tsblog_error *event, void *payload)
{
	hits *out = payload;
	hit *h;

	ck_assert_msg(what == TSBLOG_SCAN_DIAGNOSIS && d && !event,
		      "unexpected callback %d: %s", (int)what,
		      event ? event->message : "");
	ck_assert_int_lt(out->n, 64);
	h = &out->h[out->n++];
	snprintf(h->rule, sizeof(h->rule), "%s",
		 tsblog_rule_id(tsblog_diagnosis_rule(d)));
	snprintf(h->source, sizeof(h->source), "%s",
		 tsblog_diagnosis_source(d));
	snprintf(h->text, sizeof(h->text), "%s", tsblog_diagnosis_text(d));
	h->line = tsblog_diagnosis_line(d);
	return TSBLOG_CONTINUE;
}

static void
scan_chunk(tsblog_scanner *s, const char *in, size_t n, hits *out)
{
	tsblog_error err;
	int rc = tsblog_scanner_scan(s, in, n, collect, out, &err);

	ck_assert_msg(rc == 0, "scan: %d: %s", rc, err.message);
}

static void
finish(tsblog_scanner *s, hits *out)
{
	tsblog_error err;
	int rc = tsblog_scanner_finish(s, collect, out, &err);

	ck_assert_msg(rc == 0, "finish: %d: %s", rc, err.message);
}

/* A small deterministic generator, so that every libc cuts the same
 * chunks. */
static unsigned int
lcg(unsigned int *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/* Scan @len bytes in chunks: @chunk 0 = all at once, >0 = that size,
 * <0 = random sizes 1..-chunk from seed @seed; then finish. */
static void
feed_all(tsblog_scanner *s, const char *in, size_t len, int chunk,
	 unsigned int seed, hits *out)
{
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
		scan_chunk(s, in + off, n, out);
		off += n;
	}
	finish(s, out);
	/* Finished: nothing more comes. */
	finish(s, out);
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

/* The diagnoses of @whole again, in chunks of random sizes up to
 * @most bytes, for seeds 1 to @seeds. */
static void
random_chunkings(const tsblog_ruleset *rs, size_t max_record, const char *in,
		 size_t len, int most, unsigned int seeds, const hits *whole)
{
	hits r = { .n = 0 };
	unsigned int seed;

	for (seed = 1; seed <= seeds; seed++) {
		char how[32];
		snprintf(how, sizeof(how), "random seed %u", seed);
		scan(rs, max_record, in, len, -most, seed, &r);
		same_hits(whole, &r, how);
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
	random_chunkings(rs, 64, in, len, 200, 20, &whole);
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

	scan_chunk(s, in, sizeof(in) - 1, &r);
	/* The unterminated line may go on in the next chunk. */
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(tsblog_scanner_records(s), 1);
	finish(s, &r);
	ck_assert_int_eq(r.n, 1);
	expect_hit(&r.h[0], "conn-refused", 2,
		   "connect to db.local:5432 failed: connection refused");
	ck_assert_str_eq(r.h[0].source, "-");
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	/* Finished: nothing more may be scanned. */
	ck_assert_int_eq(tsblog_scanner_scan(s, "x\n", 2, collect, &r, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(err.code, TSBLOG_EINVAL);
	ck_assert_str_eq(err.message, "tsblog_scanner_scan: input already finished");
	finish(s, &r);
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

/* A compact events list longer than max_record is read an event at a
 * time, and its CRs are what they are in any other line: the line's end
 * (the last of a run before anything but LF), dropped (the one before
 * the end) or text (the others).  A chunk may end after any of them,
 * before the byte that says which: the result must not depend on it. */
static size_t
add_list(char *out, int first)
{
	size_t len = 0;
	int i;

	len += (size_t)sprintf(out, "{\"kind\":\"List\",\"items\":[");
	for (i = first; i < first + 3; i++)
		len += (size_t)sprintf(out + len,
			"%s{\"kind\":\"Event\",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\"},\"type\":\"Warning\",\"message\":\"connect to h%d.local:%d failed: connection refused\"}",
			i > first ? ", " : "", i, 1000 + i);
	return len + (size_t)sprintf(out + len, "]}");
}

START_TEST(scanner_long_compact_list_crs_any_chunking)
{
	static const char *const ends[] = { "\r", "\r\r\n", "\r\n", "\r\r",
					    "\r\r\r", "\r\r\r\n", "\n", "\r" };
	tsblog_ruleset *rs = tu_rules(RULES);
	char in[4096];
	size_t len = 0;
	hits whole = { .n = 0 }, r = { .n = 0 };
	int i, chunk;

	for (i = 0; i < 8; i++) {
		len += add_list(in + len, 3 * i);
		len += (size_t)sprintf(in + len, "%s", ends[i]);
	}
	for (chunk = 0; chunk <= 200; chunk++) {
		tsblog_scanner *s = scanner(rs, "events.json", 192);
		char how[32];

		r.n = 0;
		feed_all(s, in, len, chunk, 0, &r);
		snprintf(how, sizeof(how), "chunks of %d", chunk);
		if (chunk == 0) {
			whole = r;
			ck_assert_int_eq(whole.n, 24);
			for (i = 0; i < 24; i++) {
				char text[80];
				snprintf(text, sizeof(text),
					 "connect to h%d.local:%d failed: connection refused",
					 i, 1000 + i);
				expect_hit(&whole.h[i], "conn-refused",
					   (uint64_t)i / 3 + 1, text);
			}
		}
		same_hits(&whole, &r, how);
		ck_assert_msg(tsblog_scanner_records(s) == 8 &&
				      tsblog_scanner_truncated(s) == 0 &&
				      tsblog_scanner_malformed(s) == 0,
			      "%s: %llu records, %llu truncated, %llu malformed",
			      how,
			      (unsigned long long)tsblog_scanner_records(s),
			      (unsigned long long)tsblog_scanner_truncated(s),
			      (unsigned long long)tsblog_scanner_malformed(s));
		tsblog_scanner_free(s);
	}
	random_chunkings(rs, 192, in, len, 40, 50, &whole);
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

	ck_assert_uint_eq(tsblog_scanner_records(s), 0);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), 0);
	/* Bytes count as scanned; records once a line is complete. */
	scan_chunk(s, "a\nb\nc", 5, &r);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), 5);
	ck_assert_uint_eq(tsblog_scanner_records(s), 2);
	scan_chunk(s, "c\n\n", 3, &r);
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

	scan_chunk(s, a, sizeof(a) - 1, &r);
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

/* The summary does not depend on chunking either: a klog warning behind a
 * kubectl prefix or timestamp has no level word for the prefilter, and
 * must be seen whether or not its line straddles two chunks. */
START_TEST(scanner_chunking_never_changes_summary)
{
	static const char in[] =
		"noise\n"
		"[pod/edge-0/edge] W1120 08:00:25.526369       1 x.go:9] disk 1 nearly full\n"
		"noise\n"
		"2026-11-20T08:00:25.526369000Z E1120 08:00:25.526369       1 x.go:9] disk 2 broken\n"
		"noise\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *whole = scanner(rs, "f.log", 0);
	char *want, *got;
	hits r = { .n = 0 };
	int i;

	feed_all(whole, in, sizeof(in) - 1, 0, 0, &r);
	want = summary_of(whole);
	ck_assert_msg(strstr(want, "\"shape\":\"disk <num> nearly full\",\"level\":\"warn\"") &&
			      strstr(want, "\"shape\":\"disk <num> broken\",\"level\":\"error\""),
		      "%s", want);
	for (i = 1; i < 100; i += 7) {
		tsblog_scanner *s = scanner(rs, "f.log", 0);
		feed_all(s, in, sizeof(in) - 1, i, 0, &r);
		got = summary_of(s);
		ck_assert_msg(!strcmp(want, got), "chunks of %d:\n%s\n%s", i,
			      got, want);
		tsblog_free(got);
		tsblog_scanner_free(s);
	}
	tsblog_free(want);
	tsblog_scanner_free(whole);
	tsblog_ruleset_free(rs);
}
END_TEST

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

	scan_chunk(s, a, sizeof(a) - 1, &r);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(scanner_clear(s, "b.log"), 0);
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
	ck_assert_int_eq(scanner_clear(NULL, "x"), TSBLOG_EINVAL);
	tsblog_scanner_free(s);
	tsblog_scanner_free(fresh);
	tsblog_ruleset_free(rs);
}
END_TEST

/* clear() keeps the summary's shape memo, never what it was told: a
 * cleared scanner's shapes and examples of warnings with secrets (a
 * message met before, now at another level, and one not met before) are
 * a new scanner's, redacted the same. */
START_TEST(scanner_clear_keeps_no_secret)
{
	static const char a[] =
		"W1120 08:00:25.526369       1 x.go:9] retry https://u:sekr1t@h/ in 5s\n"
		"W1120 08:00:26.526369       1 x.go:9] token Bearer abcdefghijkl refused\n";
	static const char b[] =
		"E1120 08:00:27.526369       1 x.go:9] retry https://u:sekr1t@h/ in 5s\n"
		"W1120 08:00:28.526369       1 x.go:9] retry https://v:other2@h/ in 6s\n"
		"E1120 08:00:29.526369       1 x.go:9] token Bearer mnopqrstuvwx refused\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "a.log", 0);
	tsblog_scanner *fresh = scanner(rs, "b.log", 0);
	hits r = { .n = 0 };
	char *got;

	feed_all(s, a, sizeof(a) - 1, 0, 0, &r);
	ck_assert_int_eq(scanner_clear(s, "b.log"), 0);
	feed_all(s, b, sizeof(b) - 1, 0, 0, &r);
	feed_all(fresh, b, sizeof(b) - 1, 0, 0, &r);
	expect_same_totals(s, fresh, tsblog_ruleset_count(rs));
	got = summary_of(s);
	ck_assert_msg(strstr(got, "<redacted:password>") &&
			      strstr(got, "<redacted:token>") &&
			      !strstr(got, "sekr1t") && !strstr(got, "other2") &&
			      !strstr(got, "mnopqrstuvwx"),
		      "%s", got);
	tsblog_free(got);
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
		ck_assert_int_eq(scanner_clear(piece, "f.log"), 0);
		feed_all(piece, in + cuts[i], cuts[i + 1] - cuts[i], 0, 0, &r);
		ck_assert_int_eq(scanner_absorb(all, piece, &err), 0);
	}
	expect_same_totals(all, whole, tsblog_ruleset_count(rs));
	ck_assert_int_eq(scanner_absorb(all, all, &err), TSBLOG_EINVAL);
	tsblog_scanner_free(whole);
	tsblog_scanner_free(all);
	tsblog_scanner_free(piece);
	tsblog_ruleset_free(rs);
}
END_TEST

/* The summary takes a line's level from where its envelope puts it, also
 * on lines no rule literal is in: a klog warning behind kubectl's prefix
 * and timestamp, a JSON severity, a console level; a level word in an
 * info line's message does not count. */
/* The same summary whichever way level_next() searches: AVX2, SSSE3, or
 * (kernel 0, a CPU without them) naming every line. */
START_TEST(scanner_summary_levels_from_envelopes)
{
	static const char in[] =
		"x ok\n"
		"[pod/web-1/app] 2026-11-20T08:00:00.1Z W1120 08:00:00.013265       1 cache.go:1] disk nearly full\n"
		"2026-11-20T08:00:00Z\tinfo\tads\tan error here is only info\n"
		"{\"severity\":\"ERROR\",\"msg\":\"queue stalled\"}\n"
		"{\"level\": \"info\", \"msg\": \"error word in info\"}\n"
		"warn\tcache\tmemory low\n"
		"{\"level\":\"info\",\"error\":\"a key, not a level\",\"msg\":\"fine\"}\n"
		"[2026-12-03 10:12:04.111][14][critical][main] [src/a.cc:1] no listener\n"
		"time=\"2026-12-03T10:14:02Z\" level=error msg=\"pull stopped\"\n"
		"E1120 08:00:00.013265       1 cache.go:1] cache gone\n"
		"I1120 08:00:00.013265       1 cache.go:1] no ERROR here\n";
	static const char *const want[] = {
		"\"unclassified\":[{\"shape\":\"disk nearly full\",\"level\":\"warn\",\"count\":1,\"first_line\":2,",
		"{\"shape\":\"queue stalled\",\"level\":\"error\",\"count\":1,\"first_line\":4,",
		"{\"shape\":\"memory low\",\"level\":\"warn\",\"count\":1,\"first_line\":6,",
		"{\"shape\":\"no listener\",\"level\":\"fatal\",\"count\":1,\"first_line\":8,",
		"{\"shape\":\"pull stopped\",\"level\":\"error\",\"count\":1,\"first_line\":9,",
		"{\"shape\":\"cache gone\",\"level\":\"error\",\"count\":1,\"first_line\":10,",
	};
	static const char *const unwanted[] = {
		"only info", "error word", "a key, not a level", "no ERROR here",
	};
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "lv.log", 0);
	hits r = { .n = 0 };
	char *json, *other;
	int kernel;
	size_t i;

	feed_all(s, in, sizeof(in) - 1, 0, 0, &r);
	ck_assert_int_eq(r.n, 0);
	json = summary_of(s);
	for (kernel = s->lvf.kernel - 1; kernel >= 0; kernel--) {
		tsblog_scanner *k = scanner(rs, "lv.log", 0);
		k->lvf.kernel = kernel;
		feed_all(k, in, sizeof(in) - 1, 0, 0, &r);
		other = summary_of(k);
		ck_assert_str_eq(other, json);
		tsblog_free(other);
		tsblog_scanner_free(k);
	}
	for (i = 0; i < sizeof(want) / sizeof(*want); i++)
		ck_assert_msg(strstr(json, want[i]), "no %s in %s", want[i], json);
	for (i = 0; i < sizeof(unwanted) / sizeof(*unwanted); i++)
		ck_assert_msg(!strstr(json, unwanted[i]), "%s in %s", unwanted[i],
			      json);
	tsblog_free(json);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A JSON line's members other than its message are matched as
 * "<TAB>key=value", which its raw bytes do not hold ("key":value).  A
 * rule's literal holding that '=' hid the diagnosis wherever the fast
 * path reads a line (no literal in it: skipped), as it does every line
 * after the first; the text report, which reads warnings whole, found it.
 * The rule's literal is "attempt", and both lines are found. */
START_TEST(scanner_json_member_literal)
{
	static const char rules[] =
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"retry\", \"severity\": \"warning\",\n"
		" \"title\": \"Retrying\", \"match\": \"attempt=(?<n>\\\\d+)\",\n"
		" \"summary\": \"attempt {n}\"}]}\n";
	static const char in[] =
		"starting up\n"
		"{\"level\":\"info\",\"msg\":\"update conflict, retrying\",\"attempt\":5}\n"
		"noise noise\n"
		"{\"level\":\"warn\",\"msg\":\"update conflict, retrying\",\"attempt\":6}\n";
	tsblog_ruleset *rs = tu_rules(rules);
	hits r = { .n = 0 };

	ck_assert_uint_eq(tsblog_rule_literal_count(tsblog_ruleset_rule(rs, 0)), 1);
	ck_assert_str_eq(tsblog_rule_literal(tsblog_ruleset_rule(rs, 0), 0),
			 "attempt");
	scan(rs, 0, in, sizeof(in) - 1, 0, 0, &r);
	ck_assert_int_eq(r.n, 2);
	expect_hit(&r.h[0], "retry", 2,
		   "{\"level\":\"info\",\"msg\":\"update conflict, retrying\",\"attempt\":5}");
	expect_hit(&r.h[1], "retry", 4,
		   "{\"level\":\"warn\",\"msg\":\"update conflict, retrying\",\"attempt\":6}");
	random_chunkings(rs, 0, in, sizeof(in) - 1, 40, 20, &r);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A callback that stops after @limit diagnoses, keeping their texts. */
typedef struct {
	int limit, n, progress, malformed;
	char text[8][64];
	char event[8][sizeof(((tsblog_error *)0)->message)];
} stopper;

static int
stop_after(tsblog_scan_what what, const tsblog_diagnosis *d,
	   const tsblog_error *event, void *payload)
{
	stopper *st = payload;

	if (what == TSBLOG_SCAN_PROGRESS) {
		st->progress++;
		return TSBLOG_CONTINUE;
	}
	if (what == TSBLOG_SCAN_MALFORMED) {
		ck_assert_ptr_null(d);
		ck_assert_int_eq(event->code, TSBLOG_ESYNTAX);
		snprintf(st->event[st->malformed++ % 8], sizeof(st->event[0]), "%s",
			 event->message);
		return TSBLOG_CONTINUE;
	}
	ck_assert_ptr_null(event);
	snprintf(st->text[st->n++ % 8], 64, "%s", tsblog_diagnosis_text(d));
	return st->n == st->limit ? TSBLOG_ABORT : TSBLOG_CONTINUE;
}

/* TSBLOG_ABORT stops the scan with TSBLOG_EUSER: the rest of the chunk is
 * not scanned, and the scanner goes on with the next chunk. */
START_TEST(scanner_callback_aborts)
{
	static const char in[] = "a failed\nb failed\nc failed\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, NULL, 0);
	stopper st = { .limit = 1 };
	hits r = { .n = 0 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_scan(s, in, sizeof(in) - 1, stop_after,
					     &st, &err), TSBLOG_EUSER);
	ck_assert_int_eq(err.code, TSBLOG_EUSER);
	ck_assert_str_eq(err.message, "scan stopped by its callback");
	ck_assert_int_eq(st.n, 1);
	ck_assert_str_eq(st.text[0], "a failed");
	scan_chunk(s, "d failed\n", 9, &r);
	finish(s, &r);
	ck_assert_int_eq(r.n, 1);
	expect_hit(&r.h[0], "any-failure", 2, "d failed");
	ck_assert_uint_eq(tsblog_scanner_bytes(s), sizeof(in) - 1 + 9);
	/* Without a callback, diagnoses are only counted. */
	ck_assert_int_eq(tsblog_scanner_reset(s, NULL), 0);
	ck_assert_int_eq(tsblog_scanner_scan(s, in, sizeof(in) - 1, NULL, NULL,
					     &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(s, NULL, NULL, &err), 0);
	ck_assert_uint_eq(tsblog_scanner_records(s), 2 + 3);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A malformed event of an events document is called back with where it
 * is and why; what comes after it is still scanned. */
START_TEST(scanner_malformed_event_called_back)
{
	size_t len;
	char *doc = tu_read_file(tu_data("../golden/malformed-events-doc/malformed.json"),
				 &len);
	tsblog_ruleset *rs = tu_builtin();
	tsblog_scanner *s = scanner(rs, "ev.json", 0);
	stopper st = { .limit = -1 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_scan(s, doc, len, stop_after, &st,
					     &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(s, stop_after, &st, &err), 0);
	ck_assert_int_eq(st.malformed, 1);
	ck_assert_msg(!strncmp(st.event[0], "ev.json:", 8), "%s", st.event[0]);
	ck_assert_uint_eq(tsblog_scanner_malformed(s), 1);
	ck_assert_int_gt(st.n, 0);
	free(doc);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

static int
first_json(tsblog_scan_what what, const tsblog_diagnosis *d,
	   const tsblog_error *event, void *payload)
{
	char **json = payload;

	(void)event;
	ck_assert_int_eq(what, TSBLOG_SCAN_DIAGNOSIS);
	ck_assert_int_eq(tsblog_diagnosis_to_json(json, d, NULL), 0);
	return TSBLOG_ABORT;
}

/* A scanner's diagnosis knows where it came from. */
START_TEST(scanner_diagnosis_json)
{
	static const char in[] = "x\ny\nz\nlookup q.example: no such host\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scanner(rs, "pod.log", 0);
	char *json = NULL;

	ck_assert_int_eq(tsblog_scanner_scan(s, in, sizeof(in) - 1, first_json,
					     &json, NULL), TSBLOG_EUSER);
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

/* An unlinked temporary file holding @len bytes of @data, read from 0. */
static int
temp_file(const char *data, size_t len)
{
	char path[] = "/tmp/test-scanner-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* Everything a scan hands its callback, as text: each diagnosis' JSON
 * line and occurrences, each malformed event, and the progress calls. */
typedef struct {
	char *text;
	size_t len, cap;
	int progress, limit, n;
	/* Keep only each problem's first sighting (by rule and key
	 * fields), as TSBLOG_SCAN_FIRST_SIGHTINGS should: the keys met. */
	int first_only;
	char **keys;
	size_t nkeys;
} transcript;

/* Whether @t has met @d's problem before; remembers it. */
static int
seen_before(transcript *t, const tsblog_diagnosis *d)
{
	const tsblog_rule *r = tsblog_diagnosis_rule(d);
	char key[1024];
	size_t i, n = (size_t)snprintf(key, sizeof(key), "%s", tsblog_rule_id(r));

	for (i = 0; i < tsblog_rule_key_count(r); i++) {
		const char *v = tsblog_diagnosis_get(d, tsblog_rule_key(r, i));
		n += (size_t)snprintf(key + n, sizeof(key) - n, "\x1f%s",
				      v ? v : "");
		ck_assert_uint_lt(n, sizeof(key));
	}
	for (i = 0; i < t->nkeys; i++)
		if (!strcmp(t->keys[i], key))
			return 1;
	t->keys = realloc(t->keys, (t->nkeys + 1) * sizeof(*t->keys));
	ck_assert_ptr_nonnull(t->keys);
	ck_assert_ptr_nonnull(t->keys[t->nkeys++] = strdup(key));
	return 0;
}

static void
say(transcript *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->cap) {
		t->cap = 2 * (t->len + n + 1);
		t->text = realloc(t->text, t->cap);
		ck_assert_ptr_nonnull(t->text);
	}
	memcpy(t->text + t->len, s, n + 1);
	t->len += n;
}

static int
record_all(tsblog_scan_what what, const tsblog_diagnosis *d,
	   const tsblog_error *event, void *payload)
{
	transcript *t = payload;
	char num[32], *json;

	if (what == TSBLOG_SCAN_PROGRESS) {
		t->progress++;
		return TSBLOG_CONTINUE;
	}
	if (what == TSBLOG_SCAN_MALFORMED) {
		say(t, event->message);
		say(t, "\n");
		return TSBLOG_CONTINUE;
	}
	if (t->first_only && seen_before(t, d))
		return TSBLOG_CONTINUE;
	ck_assert_int_eq(tsblog_diagnosis_to_json(&json, d, NULL), 0);
	say(t, json);
	snprintf(num, sizeof(num), " %llu\n",
		 (unsigned long long)tsblog_diagnosis_occurrences(d));
	say(t, num);
	tsblog_free(json);
	return ++t->n == t->limit ? TSBLOG_ABORT : TSBLOG_CONTINUE;
}

/* Some 3 MiB of lines: diagnoses whose problems repeat (occurrences),
 * klog warnings no rule knows (summary shapes), noise, CRLF; and, when
 * @doc, events documents running across every cut in the middle. */
static char *
big_input(size_t *len, int doc)
{
	size_t cap = 5 << 20, n = 0, ev_len = 0;
	char *in = malloc(cap), *ev = doc ? tu_read_file(tu_data("envelopes/events.json"), &ev_len) : NULL;
	int i;

	ck_assert_ptr_nonnull(in);
	for (i = 0; n < (3u << 20); i++) {
		if (ev && n >= (3u << 19)) {   /* in the second MiB */
			int k;
			for (k = 0; k < 200; k++) {
				memcpy(in + n, ev, ev_len);
				n += ev_len;
			}
			free(ev);
			ev = NULL;
		}
		if (i % 17 == 0)
			n += (size_t)sprintf(in + n, "connect to h%d.local:%d failed: connection refused\n",
					     i % 5, 1000 + i % 3);
		else if (i % 11 == 0)
			n += (size_t)sprintf(in + n, "W1126 12:00:%02d.000000 1 disk.go:9] disk %d nearly full\r\n",
					     i % 60, i);
		else if (i % 23 == 0)
			n += (size_t)sprintf(in + n, "lookup n%d.example: no such host\n", i % 4);
		else
			n += (size_t)sprintf(in + n, "noise %d\n", i);
	}
	*len = n;
	return in;
}

/* tsblog_scan_fd() over @in with @jobs threads and @flags, its callback
 * stopping at the @limit'th diagnosis: the transcript (@first_only: of
 * first sightings), then the summary and totals. */
static char *
scan_fd_with(const tsblog_ruleset *rs, const char *in, size_t len,
	     unsigned int jobs, int limit, unsigned int flags, int first_only,
	     int *rc)
{
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
	transcript t = { .limit = limit, .first_only = first_only };
	tsblog_error err;
	char *sum, tot[128];
	int fd = temp_file(in, len);
	size_t i;

	o.jobs = jobs;
	o.flags = flags;
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "big.log", &o, &err), 0);
	*rc = tsblog_scan_fd(s, fd, record_all, &t, &err);
	ck_assert_msg(*rc == 0 || *rc == TSBLOG_EUSER, "%d %s", *rc, err.message);
	ck_assert_int_gt(t.progress, 0);
	ck_assert_int_eq(tsblog_scanner_summary_json(&sum, s, &err), 0);
	say(&t, sum);
	snprintf(tot, sizeof(tot), "\n%llu records %llu bytes %llu truncated %llu malformed\n",
		 (unsigned long long)tsblog_scanner_records(s),
		 (unsigned long long)tsblog_scanner_bytes(s),
		 (unsigned long long)tsblog_scanner_truncated(s),
		 (unsigned long long)tsblog_scanner_malformed(s));
	say(&t, tot);
	tsblog_free(sum);
	close(fd);
	tsblog_scanner_free(s);
	for (i = 0; i < t.nkeys; i++)
		free(t.keys[i]);
	free(t.keys);
	return t.text;
}

static char *
scan_fd_jobs(const tsblog_ruleset *rs, const char *in, size_t len,
	     unsigned int jobs, int limit, int *rc)
{
	return scan_fd_with(rs, in, len, jobs, limit, 0, 0, rc);
}

/* Pieces on threads change nothing the callback sees: the same
 * diagnoses with the same lines and occurrences, in the same order, and
 * the same summary and totals, with or without a document across the
 * cuts. */
START_TEST(scanner_scan_fd_jobs_equal_one)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	int doc, rc;

	for (doc = 0; doc <= 1; doc++) {
		size_t len, lines, i;
		char *in = big_input(&len, doc), want[64];
		char *one = scan_fd_jobs(rs, in, len, 1, 0, &rc);
		unsigned int jobs;
		ck_assert_int_eq(rc, 0);
		for (i = lines = 0; i < len; i++)
			lines += in[i] == '\n';
		snprintf(want, sizeof(want), "\n%zu records %zu bytes ", lines,
			 len);
		ck_assert_ptr_nonnull(strstr(one, want));
		for (jobs = 2; jobs <= 3; jobs++) {
			char *many = scan_fd_jobs(rs, in, len, jobs, 0, &rc);
			ck_assert_int_eq(rc, 0);
			ck_assert_msg(!strcmp(one, many), "jobs %u, doc %d differ",
				      jobs, doc);
			free(many);
		}
		free(one);
		free(in);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* With TSBLOG_SCAN_FIRST_SIGHTINGS the callback is shown each problem's
 * first sighting only, whole, as a scan without the flag shows it (its
 * line, fields, text and occurrences), on any number of threads, and the
 * summary and totals are the same: later sightings are still counted. */
START_TEST(scanner_first_sightings)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	int doc, rc;

	for (doc = 0; doc <= 1; doc++) {
		size_t len;
		char *in = big_input(&len, doc);
		char *all = scan_fd_with(rs, in, len, 1, 0, 0, 0, &rc);
		char *want = scan_fd_with(rs, in, len, 1, 0, 0, 1, &rc);
		unsigned int jobs;
		ck_assert_int_eq(rc, 0);
		/* The input repeats problems, and has several. */
		ck_assert_uint_lt(strlen(want) + 100000, strlen(all));
		ck_assert_ptr_nonnull(strstr(want, "h3.local"));
		ck_assert_ptr_nonnull(strstr(want, "n2.example"));
		for (jobs = 1; jobs <= 3; jobs++) {
			char *got = scan_fd_with(rs, in, len, jobs, 0,
						 TSBLOG_SCAN_FIRST_SIGHTINGS,
						 0, &rc);
			ck_assert_int_eq(rc, 0);
			ck_assert_msg(!strcmp(want, got), "jobs %u, doc %d differ",
				      jobs, doc);
			free(got);
		}
		free(all);
		free(want);
		free(in);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* Counts the diagnoses it is shown, and those of names from n10000 on. */
typedef struct {
	int n, late;
} sightings;

static int
count_sightings(tsblog_scan_what what, const tsblog_diagnosis *d,
		const tsblog_error *event, void *payload)
{
	sightings *c = payload;
	const char *name;

	(void)event;
	ck_assert_int_eq(what == TSBLOG_SCAN_MALFORMED, 0);
	if (what != TSBLOG_SCAN_DIAGNOSIS)
		return TSBLOG_CONTINUE;
	name = tsblog_diagnosis_get(d, "name");
	ck_assert_ptr_nonnull(name);
	/* Given whole. */
	ck_assert_str_eq(tsblog_diagnosis_summary(d) +
				 strlen("cannot resolve "), name);
	c->n++;
	c->late += atoi(name + 1) >= 10000;
	return TSBLOG_CONTINUE;
}

/* Past the summary's 10,000 problems, a problem it has no room for is
 * still given (each sighting, on one thread), and counted as dropped. */
START_TEST(scanner_first_sightings_past_the_cap)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
	tsblog_error err;
	sightings c = { 0, 0 };
	size_t cap = 2 * 10050 * 40, n = 0;
	char *in = malloc(cap), *json;
	int round, i;

	ck_assert_ptr_nonnull(in);
	for (round = 0; round < 2; round++)
		for (i = 0; i < 10050; i++)
			n += (size_t)snprintf(in + n, cap - n,
					      "lookup n%d.example: no such host\n", i);
	o.flags = TSBLOG_SCAN_FIRST_SIGHTINGS;
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "cap.log", &o, &err), 0);
	ck_assert_int_eq(tsblog_scanner_scan(s, in, n, count_sightings, &c, &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(s, count_sightings, &c, &err), 0);
	ck_assert_int_eq(c.n, 10000 + 2 * 50);
	ck_assert_int_eq(c.late, 2 * 50);
	json = summary_of(s);
	ck_assert_ptr_nonnull(strstr(json, "\"problems_dropped\":100,"));
	tsblog_free(json);
	tsblog_scanner_free(s);
	free(in);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A callback's abort stops a scan on threads too, after exactly the
 * diagnoses it was shown. */
START_TEST(scanner_scan_fd_jobs_abort)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	size_t len;
	char *in = big_input(&len, 0);
	int rc;
	char *one = scan_fd_jobs(rs, in, len, 1, 10000, &rc);
	char *many;

	ck_assert_int_eq(rc, TSBLOG_EUSER);
	many = scan_fd_jobs(rs, in, len, 2, 10000, &rc);
	ck_assert_int_eq(rc, TSBLOG_EUSER);
	/* The same 10000 diagnoses; the totals then differ (a block or a
	 * piece is counted whole). */
	*strstr(one, "{\"schema_version\"") = '\0';
	*strstr(many, "{\"schema_version\"") = '\0';
	ck_assert_str_eq(one, many);
	free(one);
	free(many);
	free(in);
	tsblog_ruleset_free(rs);
}
END_TEST

/* @in scanned by scan_pieces() with two jobs, its callback's calls in
 * @t and where it says to read on serially in *@resume_at. */
static tsblog_scanner *
scan_in_pieces(const tsblog_ruleset *rs, const char *in, size_t len,
	       transcript *t, off_t *resume_at)
{
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
	tsblog_error err;
	int fd = temp_file(in, len);

	o.jobs = 2;
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "big.log", &o, &err), 0);
	ck_assert_int_eq(scan_pieces(s, fd, 0, (off_t)len, NULL, record_all, t,
				     &err, resume_at), 0);
	close(fd);
	return s;
}

/* Where a document runs across a cut, the pieces stop at the piece it
 * starts in: the caller reads on serially from there, with everything
 * before it merged. */
START_TEST(scanner_pieces_stop_at_document)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	transcript t = { 0 };
	size_t len, lines = 0, i;
	int found = 0;
	char *in = big_input(&len, 1);
	const char *doc = strstr(in, "{\n    \"apiVersion\"");
	off_t resume_at;
	tsblog_scanner *s = scan_in_pieces(rs, in, len, &t, &resume_at);

	/* Pieces are 1 MiB here, cut after a newline. */
	ck_assert_int_gt(resume_at, 0);
	ck_assert_int_le(resume_at, doc - in);
	ck_assert_int_gt(resume_at, doc - in - (1 << 20) - 100);
	ck_assert_int_eq(in[resume_at - 1], '\n');
	for (i = 0; i < (size_t)resume_at; i++) {
		if (!i || in[i - 1] == '\n')
			found += !strncmp(in + i, "connect", 7) ||
				 !strncmp(in + i, "lookup", 6);
		lines += in[i] == '\n';
	}
	ck_assert_uint_eq(tsblog_scanner_records(s), lines);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), (uint64_t)resume_at);
	ck_assert_int_eq(t.n, found);
	free(t.text);
	free(in);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A last line without a newline, longer than a piece, holds the cuts
 * after the piece it starts in: that piece reads to the end, and its
 * line is finished there, so nothing is read again serially. */
START_TEST(scanner_pieces_unterminated_last_line)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	transcript t = { 0 };
	size_t len, tail = (3u << 20) / 2, lines = 0, i;
	char *in = big_input(&len, 0), *all = realloc(in, len + tail);
	off_t resume_at;
	tsblog_scanner *s;

	ck_assert_ptr_nonnull(all);
	memset(all + len, 'x', tail);
	len += tail;
	for (i = 0; i < len; i++)
		lines += all[i] == '\n';
	s = scan_in_pieces(rs, all, len, &t, &resume_at);
	ck_assert_int_eq(resume_at, -1);
	ck_assert_uint_eq(tsblog_scanner_bytes(s), (uint64_t)len);
	ck_assert_uint_eq(tsblog_scanner_records(s), lines + 1);
	ck_assert_uint_eq(tsblog_scanner_truncated(s), 1);
	free(t.text);
	free(all);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Through a pipe, tsblog_scan_fd() reads on this thread: the same as
 * scanning the bytes. */
START_TEST(scanner_scan_fd_pipe)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
	stopper st = { .limit = -1 };
	tsblog_error err;
	int p[2];

	o.jobs = 4;
	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "pipe", &o, &err), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], BASE, sizeof(BASE) - 1),
			 (ssize_t)sizeof(BASE) - 1);
	close(p[1]);
	ck_assert_int_eq(tsblog_scan_fd(s, p[0], stop_after, &st, &err), 0);
	close(p[0]);
	ck_assert_int_eq(st.n, 4);
	ck_assert_str_eq(st.text[3], "connect to cache:6379 failed: connection refused");
	ck_assert_int_eq(st.progress, 1);
	ck_assert_uint_eq(tsblog_scanner_records(s), 7);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(scanner_bad_arguments)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_scanner *s = NULL;
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
	ck_assert_int_eq(tsblog_scanner_scan(s, NULL, 1, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_str_eq(err.message, "tsblog_scanner_scan: NULL argument");
	ck_assert_int_eq(tsblog_scanner_scan(NULL, "x", 1, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_finish(NULL, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scan_fd(NULL, 0, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scan_fd(s, -1, NULL, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_str_eq(err.message, "tsblog_scan_fd: bad descriptor");
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
	tcase_add_test(tc, scanner_long_compact_list_crs_any_chunking);
	tcase_add_test(tc, scanner_last_line_needs_finish);
	tcase_add_test(tc, scanner_trailing_newline_no_extra_record);
	tcase_add_test(tc, scanner_crlf_stripped);
	tcase_add_test(tc, scanner_bom_stripped_on_line_one);
	tcase_add_test(tc, scanner_ansi_escapes_removed);
	tcase_add_test(tc, scanner_long_line_truncated);
	tcase_add_test(tc, scanner_line_of_max_record_kept_whole);
	tcase_add_test(tc, scanner_crlf_line_of_max_record_kept_whole);
	tcase_add_test(tc, scanner_chunking_never_changes_summary);
	tcase_add_test(tc, scanner_counters);
	tcase_add_test(tc, scanner_reset_restarts_lines);
	tcase_add_test(tc, scanner_clear_forgets_everything);
	tcase_add_test(tc, scanner_clear_keeps_no_secret);
	tcase_add_test(tc, scanner_absorb_pieces_equal_whole);
	tcase_add_test(tc, scanner_callback_aborts);
	tcase_add_test(tc, scanner_malformed_event_called_back);
	tcase_add_test(tc, scanner_summary_levels_from_envelopes);
	tcase_add_test(tc, scanner_json_member_literal);
	tcase_add_test(tc, scanner_diagnosis_json);
	tcase_add_test(tc, scanner_scan_fd_jobs_equal_one);
	tcase_add_test(tc, scanner_first_sightings);
	tcase_add_test(tc, scanner_first_sightings_past_the_cap);
	tcase_add_test(tc, scanner_scan_fd_jobs_abort);
	tcase_add_test(tc, scanner_pieces_stop_at_document);
	tcase_add_test(tc, scanner_pieces_unterminated_last_line);
	tcase_add_test(tc, scanner_scan_fd_pipe);
	tcase_add_test(tc, scanner_bad_arguments);
	/* Scans of a few MiB on a loaded machine. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
