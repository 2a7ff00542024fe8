/*
 * Matching single lines: what a diagnosis holds, first-match order, hostile
 * input (invalid UTF-8, NUL, CR, huge and empty lines, catastrophic
 * backtracking), the JSON form, and the bundled catalog against the seed
 * corpus in tests/data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "testutil.h"

/* Two rules that both look at connection failures, in a fixed order. */
static const char *const RULES =
	"{\"tsblog\": 1,\n"
	" \"patterns\": {\"HOST\": \"[a-z0-9.-]+\", \"PORT\": \"[0-9]+\"},\n"
	" \"rules\": [\n"
	"  {\"id\": \"conn-refused\", \"severity\": \"error\", \"component\": \"proxy\",\n"
	"   \"title\": \"Connection refused\",\n"
	"   \"match\": \"connect to %{HOST:host}:%{PORT:port} failed: connection refused\",\n"
	"   \"summary\": \"{host} refused a connection on port {port}\",\n"
	"   \"fix\": [\"check that {host} listens on {port}\", \"kubectl get svc\"],\n"
	"   \"see_also\": [\"dns-fail\"],\n"
	"   \"docs\": \"https://example.com/conn\"},\n"
	"  {\"id\": \"dns-fail\", \"severity\": \"warning\", \"title\": \"DNS failure\",\n"
	"   \"match\": \"lookup (?<name>[^ :]+)(?: on (?<server>[^ :]+))?: no such host\",\n"
	"   \"summary\": \"cannot resolve {name} via [{server}]\"},\n"
	"  {\"id\": \"any-failure\", \"severity\": \"info\", \"title\": \"Some failure\",\n"
	"   \"match\": \"(?<what>[a-z]+) failed\", \"summary\": \"{what} failed\"}\n"
	" ]}\n";

static const char *const REFUSED =
	"connect to db.local:5432 failed: connection refused";

typedef struct {
	tsblog_ruleset *rs;
	tsblog_matcher *m;
} fixture;

static fixture
setup(const char *json)
{
	fixture f;
	tsblog_error err;

	f.rs = json ? tu_rules(json) : tu_builtin();
	ck_assert_int_eq(tsblog_matcher_new(&f.m, f.rs, &err), 0);
	return f;
}

static void
teardown(fixture *f)
{
	tsblog_matcher_free(f->m);
	tsblog_ruleset_free(f->rs);
}

/* Match @len bytes; returns the diagnosis or NULL, failing on errors. */
static const tsblog_diagnosis *
match_n(tsblog_matcher *m, const char *line, size_t len)
{
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	int rc = tsblog_matcher_match(m, line, len, &d, &err);

	ck_assert_msg(rc == 0 || rc == 1, "match: %d: %s", rc, err.message);
	if (rc == 0)
		ck_assert_ptr_null(d);
	return rc == 1 ? d : NULL;
}

static const tsblog_diagnosis *
match_s(tsblog_matcher *m, const char *line)
{
	return match_n(m, line, strlen(line));
}

static const char *
rule_of(const tsblog_diagnosis *d)
{
	return d ? tsblog_rule_id(tsblog_diagnosis_rule(d)) : "-";
}

/* Strictly valid UTF-8 (RFC 3629), no NUL inside @n bytes. */
static int
valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t k, need;
		unsigned int cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

START_TEST(matcher_diagnosis_fields)
{
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = match_s(f.m, REFUSED);

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_eq(tsblog_diagnosis_rule(d),
			 tsblog_ruleset_find(f.rs, "conn-refused"));
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 2);
	ck_assert_str_eq(tsblog_diagnosis_field_name(d, 0), "host");
	ck_assert_str_eq(tsblog_diagnosis_field_value(d, 0), "db.local");
	ck_assert_str_eq(tsblog_diagnosis_field_name(d, 1), "port");
	ck_assert_str_eq(tsblog_diagnosis_field_value(d, 1), "5432");
	ck_assert_ptr_null(tsblog_diagnosis_field_name(d, 2));
	ck_assert_ptr_null(tsblog_diagnosis_field_value(d, 2));
	ck_assert_str_eq(tsblog_diagnosis_get(d, "port"), "5432");
	ck_assert_ptr_null(tsblog_diagnosis_get(d, "nope"));
	ck_assert_ptr_null(tsblog_diagnosis_get(d, NULL));
	ck_assert_str_eq(tsblog_diagnosis_summary(d),
			 "db.local refused a connection on port 5432");
	ck_assert_uint_eq(tsblog_diagnosis_fix_count(d), 2);
	ck_assert_str_eq(tsblog_diagnosis_fix(d, 0),
			 "check that db.local listens on 5432");
	ck_assert_str_eq(tsblog_diagnosis_fix(d, 1), "kubectl get svc");
	ck_assert_ptr_null(tsblog_diagnosis_fix(d, 2));
	ck_assert_str_eq(tsblog_diagnosis_text(d), REFUSED);
	/* A bare matcher knows nothing of files or lines. */
	ck_assert_ptr_null(tsblog_diagnosis_source(d));
	ck_assert_uint_eq(tsblog_diagnosis_line(d), 0);
	teardown(&f);
}
END_TEST

/* Fields that did not take part are not listed; the rest keep pattern
 * order. */
START_TEST(matcher_optional_field_absent)
{
	fixture f = setup(RULES);
	const tsblog_diagnosis *d;

	d = match_s(f.m, "dial: lookup api.example: no such host");
	ck_assert_str_eq(rule_of(d), "dns-fail");
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 1);
	ck_assert_str_eq(tsblog_diagnosis_field_name(d, 0), "name");
	ck_assert_str_eq(tsblog_diagnosis_field_value(d, 0), "api.example");
	ck_assert_ptr_null(tsblog_diagnosis_get(d, "server"));
	ck_assert_str_eq(tsblog_diagnosis_summary(d),
			 "cannot resolve api.example via []");
	ck_assert_uint_eq(tsblog_diagnosis_fix_count(d), 0);
	ck_assert_ptr_null(tsblog_diagnosis_fix(d, 0));

	d = match_s(f.m, "lookup api.example on 10.96.0.10: no such host");
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 2);
	ck_assert_str_eq(tsblog_diagnosis_field_name(d, 1), "server");
	ck_assert_str_eq(tsblog_diagnosis_field_value(d, 1), "10.96.0.10");
	ck_assert_str_eq(tsblog_diagnosis_summary(d),
			 "cannot resolve api.example via [10.96.0.10]");
	teardown(&f);
}
END_TEST

START_TEST(matcher_no_match)
{
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = (const tsblog_diagnosis *)&f;
	tsblog_error err;

	ck_assert_int_eq(tsblog_matcher_match(f.m, "all good", 8, &d, &err), 0);
	/* Untouched on 0. */
	ck_assert_ptr_eq(d, (const tsblog_diagnosis *)&f);
	/* Only the first len bytes are looked at. */
	ck_assert_int_eq(tsblog_matcher_match(f.m, REFUSED, 20, &d, &err), 0);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(f.m), 0);
	teardown(&f);
}
END_TEST

/* The first rule in order wins, even when a later one matches more. */
START_TEST(matcher_first_match_wins)
{
	fixture f = setup(RULES);
	const tsblog_diagnosis *d;

	/* This line matches dns-fail and any-failure. */
	d = match_s(f.m, "lookup x.y: no such host; retry failed");
	ck_assert_str_eq(rule_of(d), "dns-fail");
	d = match_s(f.m, "handshake failed");
	ck_assert_str_eq(rule_of(d), "any-failure");
	ck_assert_str_eq(tsblog_diagnosis_summary(d), "handshake failed");
	/* A diagnosis is replaced by the next match on the same matcher. */
	d = match_s(f.m, REFUSED);
	ck_assert_str_eq(tsblog_diagnosis_summary(d),
			 "db.local refused a connection on port 5432");
	teardown(&f);
}
END_TEST

START_TEST(matcher_out_param_optional)
{
	fixture f = setup(RULES);
	tsblog_error err;

	ck_assert_int_eq(tsblog_matcher_match(f.m, REFUSED, strlen(REFUSED),
					      NULL, &err), 1);
	ck_assert_int_eq(tsblog_matcher_match(f.m, NULL, 0, NULL, &err), 0);
	ck_assert_int_eq(tsblog_matcher_match(f.m, NULL, 3, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(err.code, TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_matcher_match(NULL, "x", 1, NULL, &err),
			 TSBLOG_EINVAL);
	teardown(&f);
}
END_TEST

START_TEST(matcher_empty_line)
{
	fixture f = setup(RULES);
	tsblog_ruleset *rs;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_ptr_null(match_n(f.m, "", 0));
	teardown(&f);

	/* A rule can still match an empty line; its text is "". */
	rs = tu_rules("{\"tsblog\": 1, \"rules\": [{\"id\": \"empty\","
		      " \"severity\": \"info\", \"title\": \"T\","
		      " \"summary\": \"empty\", \"match\": \"^$\"}]}");
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match_n(m, "", 0);
	ck_assert_str_eq(rule_of(d), "empty");
	ck_assert_str_eq(tsblog_diagnosis_text(d), "");
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 0);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Bad bytes before, between and after the signature: still found, and
 * every string handed out is valid UTF-8 with U+FFFD per bad byte. */
START_TEST(matcher_invalid_utf8_around_signature)
{
	static const char line[] =
		"\xff\xfe pod \xc3\x28: lookup api.example: no such host \xe2\x82";
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = match_n(f.m, line, sizeof(line) - 1);
	const char *t;

	ck_assert_str_eq(rule_of(d), "dns-fail");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "name"), "api.example");
	t = tsblog_diagnosis_text(d);
	/* 0xC3 0x28: the lead byte alone is bad, '(' survives; a truncated
	 * 3-byte sequence at the end is one bad byte per byte. */
	ck_assert_str_eq(t,
		"\xEF\xBF\xBD\xEF\xBF\xBD pod \xEF\xBF\xBD(: lookup api.example: no such host \xEF\xBF\xBD\xEF\xBF\xBD");
	ck_assert(valid_utf8(t, strlen(t)));
	teardown(&f);
}
END_TEST

/* PCRE2 never matches across a bad sequence, so a captured value stops
 * at one; overlong, surrogate and above-U+10FFFF encodings are bad too,
 * each of their bytes replaced on its own. */
START_TEST(matcher_invalid_utf8_overlong_and_surrogate)
{
	static const char line[] =
		"\xc0\xaf dial\xed\xa0\x80" "ab failed \xf4\x90\x80\x80";
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = match_n(f.m, line, sizeof(line) - 1);
	const char *t;

	ck_assert_str_eq(rule_of(d), "any-failure");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "what"), "ab");
	t = tsblog_diagnosis_text(d);
	ck_assert(valid_utf8(t, strlen(t)));
	ck_assert_str_eq(t,
		"\xEF\xBF\xBD\xEF\xBF\xBD dial\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "ab failed "
		"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	/* Valid multi-byte text passes through untouched. */
	d = match_s(f.m, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80 dial failed");
	ck_assert_str_eq(tsblog_diagnosis_text(d),
			 "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80 dial failed");
	teardown(&f);
}
END_TEST

/* NUL is a byte like any other when len is given; it comes out as
 * U+FFFD so that the C strings are whole. */
START_TEST(matcher_nul_bytes_inside_line)
{
	static const char line[] =
		"x\0y lookup a\0b on ns\0: no such host\0tail";
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = match_n(f.m, line, sizeof(line) - 1);

	ck_assert_str_eq(rule_of(d), "dns-fail");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "name"), "a\xEF\xBF\xBD" "b");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "server"), "ns\xEF\xBF\xBD");
	ck_assert_str_eq(tsblog_diagnosis_summary(d),
			 "cannot resolve a\xEF\xBF\xBD" "b via [ns\xEF\xBF\xBD]");
	ck_assert_str_eq(tsblog_diagnosis_text(d),
			 "x\xEF\xBF\xBDy lookup a\xEF\xBF\xBD" "b on ns\xEF\xBF\xBD: no such host\xEF\xBF\xBDtail");
	teardown(&f);
}
END_TEST

/* One trailing "\n" or "\r\n" is not part of the line (the contract the
 * bindings forward); anything more is. */
START_TEST(matcher_one_trailing_newline_dropped)
{
	fixture f = setup(RULES);
	static const char *const lines[] = { "\n", "\r\n" };
	const tsblog_diagnosis *d;
	char buf[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "lookup api.example: no such host%s",
			 lines[i]);
		d = match_s(f.m, buf);
		ck_assert_str_eq(rule_of(d), "dns-fail");
		ck_assert_str_eq(tsblog_diagnosis_text(d),
				 "lookup api.example: no such host");
	}
	/* A second one stays, and so does a CR without LF. */
	d = match_s(f.m, "lookup api.example: no such host\n\n");
	ck_assert_str_eq(tsblog_diagnosis_text(d),
			 "lookup api.example: no such host\n");
	d = match_s(f.m, "lookup api.example: no such host\r\r\n");
	ck_assert_str_eq(tsblog_diagnosis_text(d),
			 "lookup api.example: no such host\r");
	/* The newline alone is an empty line. */
	ck_assert_ptr_null(match_s(f.m, "\n"));
	teardown(&f);
}
END_TEST

/* A CR that does not end the line with LF is part of it (the scanner is
 * what strips line endings). */
START_TEST(matcher_cr_kept)
{
	fixture f = setup(RULES);
	const tsblog_diagnosis *d;

	d = match_s(f.m, "connect to db.local:5432 failed: connection refused\r");
	ck_assert_str_eq(rule_of(d), "conn-refused");
	ck_assert_str_eq(tsblog_diagnosis_text(d),
			 "connect to db.local:5432 failed: connection refused\r");
	/* A CR inside the signature breaks it. */
	ck_assert_ptr_null(match_s(f.m,
			   "connect to db.local:5432 failed:\rconnection refused"));
	teardown(&f);
}
END_TEST

#define HUGE_LEN (16u * 1024 * 1024)

/* CPU seconds of this process (Check forks one per test): the bounds
 * below catch runaway work, which a loaded machine's wall clock would
 * confuse with waiting for a core. */
static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(matcher_huge_line_signature_near_end)
{
	fixture f = setup(RULES);
	size_t sig = strlen(REFUSED), len = HUGE_LEN;
	char *line = malloc(len);
	const tsblog_diagnosis *d;
	const char *t;

	memset(line, '.', len);
	memcpy(line + len - sig - 7, REFUSED, sig);
	d = match_n(f.m, line, len);
	ck_assert_str_eq(rule_of(d), "conn-refused");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "host"), "db.local");
	t = tsblog_diagnosis_text(d);
	ck_assert_uint_eq(strlen(t), len);
	ck_assert_int_eq(memcmp(t + len - sig - 7, REFUSED, sig), 0);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(f.m), 0);
	free(line);
	teardown(&f);
}
END_TEST

START_TEST(matcher_huge_line_without_signature)
{
	fixture f = setup(RULES);
	char *line = malloc(HUGE_LEN);
	size_t i;

	/* Words and colons, so that the rules get partial starts. */
	for (i = 0; i < HUGE_LEN; i++)
		line[i] = "connect to x:1 lookup y "[i % 24];
	ck_assert_ptr_null(match_n(f.m, line, HUGE_LEN));
	ck_assert_uint_eq(tsblog_matcher_limit_hits(f.m), 0);
	free(line);
	teardown(&f);
}
END_TEST

static const char *const EVIL =
	"{\"tsblog\": 1, \"rules\": ["
	"{\"id\": \"evil\", \"severity\": \"error\", \"title\": \"T\","
	" \"summary\": \"s\", \"match\": \"(a+)+$\"}%s]}";
static const char *const AFTER_EVIL =
	", {\"id\": \"ends-in-b\", \"severity\": \"info\", \"title\": \"T\","
	" \"summary\": \"{n} a's\", \"match\": \"(?<n>a+)b$\"}";

static void
catastrophic(int no_jit, int with_next)
{
	char json[512], line[32];
	tsblog_compile_options o = TSBLOG_COMPILE_OPTIONS_INIT;
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_matcher *m;
	tsblog_error err;
	const tsblog_diagnosis *d = NULL;
	double t0;
	int rc;

	snprintf(json, sizeof(json), EVIL, with_next ? AFTER_EVIL : "");
	memset(line, 'a', 30);
	line[30] = 'b';
	line[31] = '\0';
	o.no_jit = no_jit;
	ck_assert_int_eq(tsblog_builder_new(&b, &o, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "evil.json", json,
						   strlen(json), &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	tsblog_builder_free(b);
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);

	t0 = now();
	rc = tsblog_matcher_match(m, line, 31, &d, &err);
	/* The limit ends it quickly; valgrind and TSan are slower. */
	ck_assert_msg(getenv("TSBLOG_TEST_SLOW") || now() - t0 < 1.0,
		      "took %.2fs", now() - t0);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(m), 1);
	if (with_next) {
		ck_assert_int_eq(rc, 1);
		ck_assert_str_eq(rule_of(d), "ends-in-b");
		ck_assert_str_eq(tsblog_diagnosis_summary(d),
				 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa a's");
	} else {
		ck_assert_int_eq(rc, 0);
	}
	/* The count goes on over lines; a harmless line adds nothing. */
	ck_assert_int_ge(tsblog_matcher_match(m, "aaab", 4, &d, &err), 0);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(m), 1);
	rc = tsblog_matcher_match(m, line, 31, &d, &err);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(m), 2);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}

START_TEST(matcher_catastrophic_pattern_limited)
{
	catastrophic(0, 0);
}
END_TEST

START_TEST(matcher_catastrophic_pattern_next_rule_matches)
{
	catastrophic(0, 1);
}
END_TEST

/* Without JIT the interpreter's limits apply the same way. */
START_TEST(matcher_catastrophic_pattern_no_jit)
{
	catastrophic(1, 1);
}
END_TEST

/* A match limit of the caller's choosing is honoured. */
START_TEST(matcher_custom_match_limit)
{
	tsblog_compile_options o;
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_matcher *m;
	const char *json =
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\","
		" \"title\": \"T\", \"summary\": \"s\", \"match\": \"(?:x|y)+z\"}]}";
	char line[64];

	memset(line, 'x', 40);
	memcpy(line + 40, "z", 2);
	tsblog_compile_options_init(&o, TSBLOG_COMPILE_OPTIONS_VERSION);
	o.match_limit = 5;
	o.no_jit = 1;
	ck_assert_int_eq(tsblog_builder_new(&b, &o, NULL), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "l.json", json,
						   strlen(json), NULL), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, NULL), 0);
	tsblog_builder_free(b);
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	ck_assert_int_eq(tsblog_matcher_match(m, line, 41, NULL, NULL), 0);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(m), 1);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(matcher_to_json_exact)
{
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = match_s(f.m, REFUSED);
	char *s = NULL;
	tsblog_error err;

	ck_assert_int_eq(tsblog_diagnosis_to_json(&s, d, &err), 0);
	ck_assert_str_eq(s,
		"{\"rule\":\"conn-refused\",\"severity\":\"error\","
		"\"component\":\"proxy\",\"title\":\"Connection refused\","
		"\"summary\":\"db.local refused a connection on port 5432\","
		"\"fix\":[\"check that db.local listens on 5432\",\"kubectl get svc\"],"
		"\"fields\":{\"host\":\"db.local\",\"port\":\"5432\"},"
		"\"see_also\":[\"dns-fail\"],"
		"\"docs\":\"https://example.com/conn\","
		"\"source\":null,\"line\":null,"
		"\"timestamp\":null,\"level\":null,\"pod\":null,"
		"\"container\":null,\"namespace\":null,\"count\":1,"
		"\"text\":\"connect to db.local:5432 failed: connection refused\"}");
	tsblog_free(s);
	teardown(&f);
}
END_TEST

/* Absent members are null or empty, and text is escaped as JSON: quotes,
 * backslashes, control characters, and U+FFFD for bad bytes. */
START_TEST(matcher_to_json_nulls_and_escapes)
{
	static const char line[] =
		"\"q\"\t\\ lookup x.y: no such host \x01\xff";
	fixture f = setup(RULES);
	const tsblog_diagnosis *d = match_n(f.m, line, sizeof(line) - 1);
	char *s = NULL;

	ck_assert_int_eq(tsblog_diagnosis_to_json(&s, d, NULL), 0);
	ck_assert_str_eq(s,
		"{\"rule\":\"dns-fail\",\"severity\":\"warning\","
		"\"component\":null,\"title\":\"DNS failure\","
		"\"summary\":\"cannot resolve x.y via []\","
		"\"fix\":[],\"fields\":{\"name\":\"x.y\"},\"see_also\":[],"
		"\"docs\":null,\"source\":null,\"line\":null,"
		"\"timestamp\":null,\"level\":null,\"pod\":null,"
		"\"container\":null,\"namespace\":null,\"count\":1,"
		"\"text\":\"\\\"q\\\"\\t\\\\ lookup x.y: no such host \\u0001\xEF\xBF\xBD\"}");
	tsblog_free(s);
	ck_assert_int_eq(tsblog_diagnosis_to_json(NULL, d, NULL), TSBLOG_EINVAL);
	teardown(&f);
}
END_TEST

/* --- the bundled catalog against the seed corpus ------------------- */

/* Split a file into lines (LF; the last may lack one).  Returns the count;
 * lines point into @buf, which is modified. */
static size_t
split_lines(char *buf, size_t len, char ***out)
{
	size_t n = 0, cap = 64, i, start = 0;
	char **v = malloc(cap * sizeof(*v));

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		buf[i] = '\0';
		v[n++] = buf + start;
		start = i + 1;
	}
	*out = v;
	return n;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name=value;name=value", sorted by name, as seed-expected.tsv has it. */
static void
fields_sorted(const tsblog_diagnosis *d, char *out, size_t size)
{
	size_t n = tsblog_diagnosis_field_count(d), i, k = 0;
	char **items = calloc(n + 1, sizeof(char *));

	for (i = 0; i < n; i++) {
		const char *name = tsblog_diagnosis_field_name(d, i);
		const char *val = tsblog_diagnosis_field_value(d, i);
		items[i] = malloc(strlen(name) + strlen(val) + 2);
		sprintf(items[i], "%s=%s", name, val);
	}
	qsort(items, n, sizeof(char *), by_name);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		k += (size_t)snprintf(out + k, k < size ? size - k : 0, "%s%s",
				      i ? ";" : "", items[i]);
		free(items[i]);
	}
	free(items);
	ck_assert_uint_lt(k, size);
}

START_TEST(matcher_seed_lines)
{
	fixture f = setup(NULL);
	char *lines_buf, *exp_buf, **lines, **exp;
	size_t nlines, nexp, lines_len, exp_len, i;
	char *seen;
	int failures = 0;

	lines_buf = tu_read_file(tu_data("seed-lines.txt"), &lines_len);
	exp_buf = tu_read_file(tu_data("seed-expected.tsv"), &exp_len);
	nlines = split_lines(lines_buf, lines_len, &lines);
	nexp = split_lines(exp_buf, exp_len, &exp);
	ck_assert_uint_gt(nlines, 0);
	seen = calloc(nlines + 1, 1);

	for (i = 0; i < nexp; i++) {
		char *rec = exp[i], *tab1, *tab2, got[4096];
		const char *want_rule, *want_fields;
		const tsblog_diagnosis *d;
		unsigned long lineno;

		if (!*rec)
			continue;
		tab1 = strchr(rec, '\t');
		ck_assert_msg(tab1 != NULL, "seed-expected.tsv:%zu: no tab", i + 1);
		*tab1 = '\0';
		lineno = strtoul(rec, NULL, 10);
		ck_assert_msg(lineno >= 1 && lineno <= nlines,
			      "seed-expected.tsv:%zu: no seed line %s", i + 1, rec);
		ck_assert_msg(!seen[lineno], "line %lu listed twice", lineno);
		seen[lineno] = 1;
		want_rule = tab1 + 1;
		tab2 = strchr(want_rule, '\t');
		if (tab2)
			*tab2 = '\0';
		want_fields = tab2 ? tab2 + 1 : "";

		d = match_s(f.m, lines[lineno - 1]);
		if (strcmp(rule_of(d), want_rule)) {
			fprintf(stderr, "# seed line %lu: rule %s, expected %s\n",
				lineno, rule_of(d), want_rule);
			failures++;
			continue;
		}
		if (!d)
			continue;
		fields_sorted(d, got, sizeof(got));
		if (strcmp(got, want_fields)) {
			fprintf(stderr, "# seed line %lu (%s): fields\n#   got:  %s\n#   want: %s\n",
				lineno, want_rule, got, want_fields);
			failures++;
		}
	}
	for (i = 1; i <= nlines; i++)
		ck_assert_msg(seen[i], "seed line %zu has no expectation", i);
	ck_assert_msg(failures == 0, "%d seed lines differ (see stderr)",
		      failures);
	ck_assert_uint_eq(tsblog_matcher_limit_hits(f.m), 0);
	free(seen);
	free(lines);
	free(exp);
	free(lines_buf);
	free(exp_buf);
	teardown(&f);
}
END_TEST

START_TEST(matcher_info_lines_do_not_match)
{
	fixture f = setup(NULL);
	char *buf, **lines;
	size_t len, n, i;
	int failures = 0;

	buf = tu_read_file(tu_data("info-lines.txt"), &len);
	n = split_lines(buf, len, &lines);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		const tsblog_diagnosis *d = match_s(f.m, lines[i]);
		if (d) {
			fprintf(stderr, "# info line %zu matched %s: %s\n",
				i + 1, rule_of(d), lines[i]);
			failures++;
		}
	}
	ck_assert_msg(failures == 0, "%d info lines matched (see stderr)",
		      failures);
	free(lines);
	free(buf);
	teardown(&f);
}
END_TEST

/* Every bundled example gives its rule with the listed fields when
 * matched alone, which is what the catalog promises its users.  A rule
 * with a "context" may need the envelope metadata its example came with,
 * which a bare line does not carry: tsblog_ruleset_check() and
 * test-context cover those. */
START_TEST(matcher_builtin_examples_match)
{
	fixture f = setup(NULL);
	size_t i, k;

	for (i = 0; i < tsblog_ruleset_count(f.rs); i++) {
		const tsblog_rule *r = tsblog_ruleset_rule(f.rs, i);
		if (tsblog_rule_context(r))
			continue;
		for (k = 0; k < tsblog_rule_example_count(r); k++) {
			const char *ex = tsblog_rule_example(r, k);
			const tsblog_diagnosis *d = match_s(f.m, ex);
			ck_assert_msg(d && tsblog_diagnosis_rule(d) == r,
				      "%s example %zu: got %s",
				      tsblog_rule_id(r), k, rule_of(d));
			ck_assert_str_eq(tsblog_diagnosis_text(d), ex);
		}
	}
	teardown(&f);
}
END_TEST

/* Two matchers on one rule set do not share diagnoses. */
START_TEST(matcher_independent_matchers)
{
	fixture f = setup(RULES);
	tsblog_matcher *m2;
	const tsblog_diagnosis *a, *b;

	ck_assert_int_eq(tsblog_matcher_new(&m2, f.rs, NULL), 0);
	a = match_s(f.m, REFUSED);
	b = match_s(m2, "lookup q.r: no such host");
	ck_assert_ptr_ne(a, b);
	ck_assert_str_eq(rule_of(a), "conn-refused");
	ck_assert_str_eq(tsblog_diagnosis_text(a), REFUSED);
	ck_assert_str_eq(rule_of(b), "dns-fail");
	tsblog_matcher_free(m2);
	ck_assert_int_eq(tsblog_matcher_new(NULL, f.rs, NULL), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_matcher_new(&m2, NULL, NULL), TSBLOG_EINVAL);
	teardown(&f);
}
END_TEST


/* One record with what the engine knows: the message's own envelope is
 * read (zap JSON here), and the engine's metadata takes precedence. */
START_TEST(envelope_metadata_reaches_diagnosis)
{
	static const char line[] =
		"{\"level\":\"error\",\"time\":\"2026-11-20T08:06:14Z\","
		"\"msg\":\"connect to db.local:5432 failed: connection refused\","
		"\"caller\":\"x.go:1\"}";
	fixture f = setup(RULES);
	tsblog_envelope env = TSBLOG_ENVELOPE_INIT;
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;

	env.pod_name = "db-client-7d9c5";
	env.namespace_name = "shop";
	env.container_name = "app";
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, line, strlen(line),
						       &env, &d, &err), 1);
	ck_assert_str_eq(rule_of(d), "conn-refused");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "host"), "db.local");
	ck_assert_str_eq(tsblog_diagnosis_get(d, "port"), "5432");
	ck_assert_str_eq(tsblog_diagnosis_timestamp(d), "2026-11-20T08:06:14Z");
	ck_assert_str_eq(tsblog_diagnosis_level(d), "error");
	ck_assert_str_eq(tsblog_diagnosis_pod(d), "db-client-7d9c5");
	ck_assert_str_eq(tsblog_diagnosis_namespace(d), "shop");
	ck_assert_str_eq(tsblog_diagnosis_container(d), "app");
	ck_assert_str_eq(tsblog_diagnosis_text(d), line);

	/* Engine level and time replace the message's; an unknown level
	 * word leaves the message's. */
	env.level = "Warning";
	env.timestamp = "2026-11-20T09:00:00Z";
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, line, strlen(line),
						       &env, &d, &err), 1);
	ck_assert_str_eq(tsblog_diagnosis_level(d), "warn");
	ck_assert_str_eq(tsblog_diagnosis_timestamp(d), "2026-11-20T09:00:00Z");
	env.level = "notice";
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, line, strlen(line),
						       &env, &d, &err), 1);
	ck_assert_str_eq(tsblog_diagnosis_level(d), "error");
	teardown(&f);
}
END_TEST

/* Without metadata, a kubectl --prefix line gives its own pod and
 * container; each call stands alone; bad arguments are refused. */
START_TEST(envelope_own_and_errors)
{
	static const char line[] =
		"[pod/web-1/proxy] connect to a.b:80 failed: connection refused\r";
	static const char open_doc[] = "{";
	fixture f = setup(RULES);
	tsblog_envelope env = TSBLOG_ENVELOPE_INIT;
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;

	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, line, strlen(line),
						       NULL, &d, &err), 1);
	ck_assert_str_eq(rule_of(d), "conn-refused");
	ck_assert_str_eq(tsblog_diagnosis_pod(d), "web-1");
	ck_assert_str_eq(tsblog_diagnosis_container(d), "proxy");
	ck_assert_ptr_null(tsblog_diagnosis_namespace(d));
	ck_assert_str_eq(tsblog_diagnosis_text(d),
			 "[pod/web-1/proxy] connect to a.b:80 failed: connection refused");
	/* A lone "{" would open a document in a file; here it is nothing,
	 * and the next record is read afresh. */
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, open_doc, 1, NULL,
						       &d, &err), 0);
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, REFUSED,
						       strlen(REFUSED), NULL,
						       &d, &err), 1);
	ck_assert_str_eq(rule_of(d), "conn-refused");
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, NULL, 0, NULL, &d,
						       &err), 0);
	ck_assert_int_eq(tsblog_matcher_match_envelope(NULL, "x", 1, NULL, &d,
						       &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, NULL, 1, NULL, &d,
						       &err), TSBLOG_EINVAL);
	env.version = 99;
	ck_assert_int_eq(tsblog_matcher_match_envelope(f.m, "x", 1, &env, &d,
						       &err), TSBLOG_EINVAL);
	ck_assert_str_eq(err.message,
			 "tsblog_matcher_match_envelope: unknown envelope version");
	teardown(&f);
}
END_TEST

/* What a diagnosis says apart from where it was read. */
static char *
signature(const tsblog_diagnosis *d)
{
	char *s = NULL, *src;

	ck_assert_int_eq(tsblog_diagnosis_to_json(&s, d, NULL), 0);
	/* "source":…,"line":… are the scanner's to know. */
	src = strstr(s, "\"source\":");
	ck_assert_ptr_nonnull(src);
	memmove(src, strstr(src, "\"timestamp\":"),
		strlen(strstr(src, "\"timestamp\":")) + 1);
	return s;
}

typedef struct {
	char **sigs;
	size_t n;
} sig_list;

static int
collect(tsblog_scan_what what, const tsblog_diagnosis *d,
	const tsblog_error *event, void *payload)
{
	sig_list *l = payload;

	if (what == TSBLOG_SCAN_DIAGNOSIS) {
		l->sigs = realloc(l->sigs, (l->n + 1) * sizeof(*l->sigs));
		l->sigs[l->n++] = signature(d);
	}
	return TSBLOG_CONTINUE;
}

/* Line by line, the envelope API gives what the scanner gives for a file
 * of single-record lines: the seed corpus and the envelope samples (not a
 * compact EventList, many records on one line). */
START_TEST(envelope_same_as_scanner)
{
	static const char *const files[] = { "seed-lines.txt",
					     "envelopes/json-lines.log",
					     "envelopes/klog.log",
					     "sample/operator.log" };
	fixture f = setup(NULL);
	size_t fi, i;

	for (fi = 0; fi < sizeof(files) / sizeof(*files); fi++) {
		tsblog_scanner *sc;
		sig_list want = { NULL, 0 };
		size_t len, n, got = 0;
		char *buf = tu_read_file(tu_data(files[fi]), &len), **lines;

		ck_assert_int_eq(tsblog_scanner_new(&sc, f.rs, "x", NULL, NULL), 0);
		ck_assert_int_eq(tsblog_scanner_scan(sc, buf, len, collect,
						     &want, NULL), 0);
		ck_assert_int_eq(tsblog_scanner_finish(sc, collect, &want,
						       NULL), 0);
		tsblog_scanner_free(sc);
		ck_assert_uint_gt(want.n, 0);
		n = split_lines(buf, len, &lines);
		for (i = 0; i < n; i++) {
			const tsblog_diagnosis *d;
			char *s;
			if (tsblog_matcher_match_envelope(f.m, lines[i],
							  strlen(lines[i]),
							  NULL, &d, NULL) != 1)
				continue;
			ck_assert_uint_lt(got, want.n);
			s = signature(d);
			ck_assert_msg(!strcmp(s, want.sigs[got]),
				      "%s line %zu:\n got  %s\n want %s",
				      files[fi], i + 1, s, want.sigs[got]);
			free(s);
			free(want.sigs[got++]);
		}
		ck_assert_msg(got == want.n, "%s: %zu of %zu diagnoses",
			      files[fi], got, want.n);
		free(want.sigs);
		free(lines);
		free(buf);
	}
	teardown(&f);
}
END_TEST

/* tsblog_matcher_redact(): markers for secrets, every other byte as it
 * was (NUL, invalid UTF-8, escapes), nothing allocated without a secret,
 * whatever the matcher's own redaction switch says. */
START_TEST(matcher_redact_copy)
{
	static const char line[] = "a\0\xff\x1b[1m Authorization: bEaReR "
				   "abcdefghijkl, pw https://u:sekr1t@h/ ok\n";
	static const char want[] = "a\0\xff\x1b[1m Authorization: bEaReR "
				   "<redacted:token>, pw https://u:"
				   "<redacted:password>@h/ ok\n";
	fixture f = setup(RULES);
	tsblog_error err;
	char *out = (char *)1;
	size_t n = 7;

	ck_assert_int_eq(tsblog_matcher_set_redact(f.m, 0), 0);
	ck_assert_int_eq(tsblog_matcher_redact(f.m, line, sizeof(line) - 1,
					       &out, &n, &err), 1);
	ck_assert_uint_eq(n, sizeof(want) - 1);
	ck_assert(!memcmp(out, want, n) && out[n] == '\0');
	tsblog_free(out);
	ck_assert_int_eq(tsblog_matcher_redact(f.m, REFUSED, strlen(REFUSED),
					       &out, &n, &err), 0);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(tsblog_matcher_redact(f.m, NULL, 0, &out, NULL, &err),
			 0);
	ck_assert_int_eq(tsblog_matcher_redact(f.m, NULL, 1, &out, NULL, &err),
			 TSBLOG_EINVAL);
	ck_assert_str_eq(err.message, "tsblog_matcher_redact: NULL argument");
	ck_assert_int_eq(tsblog_matcher_redact(NULL, "x", 1, &out, NULL, NULL),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_matcher_redact(f.m, "x", 1, NULL, NULL, NULL),
			 TSBLOG_EINVAL);
	teardown(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("matcher");
	TCase *tc = tcase_create("core");
	TCase *big = tcase_create("big");
	TCase *data = tcase_create("data");

	tcase_add_test(tc, matcher_diagnosis_fields);
	tcase_add_test(tc, matcher_optional_field_absent);
	tcase_add_test(tc, matcher_no_match);
	tcase_add_test(tc, matcher_first_match_wins);
	tcase_add_test(tc, matcher_out_param_optional);
	tcase_add_test(tc, matcher_empty_line);
	tcase_add_test(tc, matcher_invalid_utf8_around_signature);
	tcase_add_test(tc, matcher_invalid_utf8_overlong_and_surrogate);
	tcase_add_test(tc, matcher_nul_bytes_inside_line);
	tcase_add_test(tc, matcher_one_trailing_newline_dropped);
	tcase_add_test(tc, matcher_cr_kept);
	tcase_add_test(tc, matcher_redact_copy);
	tcase_add_test(tc, matcher_catastrophic_pattern_limited);
	tcase_add_test(tc, matcher_catastrophic_pattern_next_rule_matches);
	tcase_add_test(tc, matcher_catastrophic_pattern_no_jit);
	tcase_add_test(tc, matcher_custom_match_limit);
	tcase_add_test(tc, matcher_to_json_exact);
	tcase_add_test(tc, matcher_to_json_nulls_and_escapes);
	tcase_add_test(tc, matcher_independent_matchers);
	tcase_add_test(tc, envelope_metadata_reaches_diagnosis);
	tcase_add_test(tc, envelope_own_and_errors);
	suite_add_tcase(s, tc);

	/* 16 MiB lines: a few hundred ms each, more under sanitizers. */
	tcase_set_timeout(big, 30);
	tcase_add_test(big, matcher_huge_line_signature_near_end);
	tcase_add_test(big, matcher_huge_line_without_signature);
	suite_add_tcase(s, big);

	tcase_add_test(data, matcher_seed_lines);
	tcase_add_test(data, matcher_info_lines_do_not_match);
	tcase_add_test(data, matcher_builtin_examples_match);
	tcase_add_test(data, envelope_same_as_scanner);
	suite_add_tcase(s, data);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
