/*
 * The summary read in place (tsblog/summary.h): every value equals the
 * member of the same name in tsblog_scanner_summary_json() of the same
 * scan, in the same order, whether the view reads the scanner or a parsed
 * document.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "testutil.h"

static const char *const RULES =
	"{\"tsblog\": 1,\n"
	" \"patterns\": {\"HOST\": \"[a-z0-9.-]+\", \"PORT\": \"[0-9]+\"},\n"
	" \"rules\": [\n"
	"  {\"id\": \"conn-refused\", \"severity\": \"error\", \"title\": \"Connection refused\",\n"
	"   \"match\": \"connect to %{HOST:host}:%{PORT:port} failed: connection refused\",\n"
	"   \"key\": [\"host\"], \"summary\": \"{host}:{port} refused\",\n"
	"   \"fix\": [\"Check {host}\", \"Then: kubectl get svc {host}\"]},\n"
	"  {\"id\": \"dns-fail\", \"severity\": \"warning\", \"title\": \"DNS failure\",\n"
	"   \"match\": \"lookup (?<name>[^ :]+): no such host\",\n"
	"   \"summary\": \"cannot resolve {name}\"},\n"
	"  {\"id\": \"any-failure\", \"severity\": \"info\", \"title\": \"Some failure\",\n"
	"   \"match\": \"(?<what>[a-z]+) failed$\", \"summary\": \"{what} failed\"},\n"
	"  {\"id\": \"redos\", \"severity\": \"warning\", \"title\": \"Slow\",\n"
	"   \"match\": \"aaa(a+)+$\", \"summary\": \"s\"}\n"
	" ]}\n";

/* The info problem comes first but is listed last; conn-refused is seen
 * in both inputs, first with a pod and a time; two unclassified groups;
 * the last line of a.log makes "redos" give up at its match limit. */
static const char A_LOG[] =
	"handshake failed\n"
	"[pod/web-1/app] 2026-11-20T08:00:02.000000000Z connect to db.local:5432 failed: connection refused\n"
	"W1120 08:00:25.526369       1 x.go:9] disk 1 nearly full\n"
	"2026-11-20T08:00:09.000000000Z connect to db.local:5433 failed: connection refused\n"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n";
static const char B_LOG[] =
	"connect to db.local:5432 failed: connection refused\n"
	"lookup api.example: no such host\n"
	"E1120 08:00:25.526369       1 x.go:9] disk 2 broken\n";

static int
ignore(tsblog_scan_what what, const tsblog_diagnosis *d,
       const tsblog_error *event, void *payload)
{
	(void)what, (void)d, (void)event, (void)payload;
	return TSBLOG_CONTINUE;
}

static tsblog_scanner *
scan_both(const tsblog_ruleset *rs)
{
	tsblog_scanner *s;
	tsblog_error err;

	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "a.log", NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_scan(s, A_LOG, sizeof(A_LOG) - 1,
					     ignore, NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(s, ignore, NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_reset(s, "b.log"), 0);
	ck_assert_int_eq(tsblog_scanner_scan(s, B_LOG, sizeof(B_LOG) - 1,
					     ignore, NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(s, ignore, NULL, &err), 0);
	return s;
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static uint64_t
num(json_t *o, const char *k)
{
	return (uint64_t)json_integer_value(json_object_get(o, k));
}

/* Every value of @v against the document @text, member by member. */
static void
expect_view_is_doc(const tsblog_summary *v, const char *text)
{
	static const char *const totals[] = {
		"records", "bytes", "truncated", "malformed", "limit_hits",
		"problems_dropped", "unclassified_dropped"
	};
	json_t *doc = json_loads(text, 0, NULL), *a, *e;
	size_t i, k;
	uint64_t hits;

	ck_assert_ptr_nonnull(doc);
	for (i = 0; i < sizeof(totals) / sizeof(*totals); i++)
		ck_assert_uint_eq(tsblog_summary_total_get(v, (tsblog_summary_total)i),
				  num(doc, totals[i]));
	a = json_object_get(doc, "problems");
	ck_assert_uint_eq(tsblog_summary_problem_count(v), json_array_size(a));
	json_array_foreach(a, i, e) {
		const tsblog_summary_problem *p = tsblog_summary_problem_get(v, i);
		json_t *fix = json_object_get(e, "fix");
		json_t *src = json_object_get(e, "sources");
		ck_assert_str_eq(tsblog_summary_problem_rule(p), str(e, "rule"));
		ck_assert_str_eq(tsblog_summary_problem_text(p), str(e, "summary"));
		ck_assert_pstr_eq(tsblog_summary_problem_first_time(p), str(e, "first_time"));
		ck_assert_pstr_eq(tsblog_summary_problem_last_time(p), str(e, "last_time"));
		ck_assert_pstr_eq(tsblog_summary_problem_pod(p), str(e, "pod"));
		ck_assert_pstr_eq(tsblog_summary_problem_container(p), str(e, "container"));
		ck_assert_pstr_eq(tsblog_summary_problem_namespace(p), str(e, "namespace"));
		ck_assert_uint_eq(tsblog_summary_problem_sightings(p), num(e, "count"));
		ck_assert_uint_eq(tsblog_summary_problem_first_line(p), num(e, "first_line"));
		ck_assert_uint_eq(tsblog_summary_problem_last_line(p), num(e, "last_line"));
		ck_assert_uint_eq(tsblog_summary_problem_fix_count(p), json_array_size(fix));
		for (k = 0; k < json_array_size(fix); k++)
			ck_assert_str_eq(tsblog_summary_problem_fix(p, k),
					 json_string_value(json_array_get(fix, k)));
		ck_assert_ptr_null(tsblog_summary_problem_fix(p, k));
		ck_assert_uint_eq(tsblog_summary_problem_source_count(p), json_array_size(src));
		for (k = 0; k < json_array_size(src); k++)
			ck_assert_str_eq(tsblog_summary_problem_source(p, k),
					 json_string_value(json_array_get(src, k)));
		ck_assert_ptr_null(tsblog_summary_problem_source(p, k));
	}
	ck_assert_ptr_null(tsblog_summary_problem_get(v, i));
	a = json_object_get(doc, "unclassified");
	ck_assert_uint_eq(tsblog_summary_group_count(v), json_array_size(a));
	json_array_foreach(a, i, e) {
		const tsblog_summary_group *g = tsblog_summary_group_get(v, i);
		ck_assert_str_eq(tsblog_summary_group_shape(g), str(e, "shape"));
		ck_assert_str_eq(tsblog_summary_group_level(g), str(e, "level"));
		ck_assert_str_eq(tsblog_summary_group_example(g), str(e, "example"));
		ck_assert_uint_eq(tsblog_summary_group_sightings(g), num(e, "count"));
	}
	ck_assert_ptr_null(tsblog_summary_group_get(v, i));
	a = json_object_get(doc, "limit_hit_rules");
	ck_assert_uint_eq(tsblog_summary_limited_count(v), json_array_size(a));
	json_array_foreach(a, i, e) {
		ck_assert_str_eq(tsblog_summary_limited_get(v, i, &hits), str(e, "rule"));
		ck_assert_uint_eq(hits, num(e, "count"));
	}
	ck_assert_ptr_null(tsblog_summary_limited_get(v, i, &hits));
	json_decref(doc);
}

/* What this scan must give, whichever way the summary is read. */
static void
expect_this_scan(const tsblog_summary *v, uint64_t times)
{
	const tsblog_summary_problem *p = tsblog_summary_problem_get(v, 0);
	uint64_t hits = 0;

	ck_assert_uint_eq(tsblog_summary_total_get(v, TSBLOG_SUMMARY_RECORDS),
			  8 * times);
	ck_assert_uint_eq(tsblog_summary_total_get(v, TSBLOG_SUMMARY_BYTES),
			  (sizeof(A_LOG) + sizeof(B_LOG) - 2) * times);
	ck_assert_uint_eq(tsblog_summary_total_get(v, TSBLOG_SUMMARY_LIMIT_HITS),
			  times);
	ck_assert_uint_eq(tsblog_summary_total_get(v, (tsblog_summary_total)99), 0);
	ck_assert_uint_eq(tsblog_summary_problem_count(v), 3);
	ck_assert_str_eq(tsblog_summary_problem_rule(p), "conn-refused");
	ck_assert_uint_eq(tsblog_summary_problem_sightings(p), 3 * times);
	ck_assert_str_eq(tsblog_summary_problem_text(p), "db.local:5432 refused");
	ck_assert_str_eq(tsblog_summary_problem_pod(p), "web-1");
	ck_assert_str_eq(tsblog_summary_problem_container(p), "app");
	ck_assert_ptr_null(tsblog_summary_problem_namespace(p));
	ck_assert_str_eq(tsblog_summary_problem_first_time(p),
			 "2026-11-20T08:00:02.000000000Z");
	ck_assert_uint_eq(tsblog_summary_problem_first_line(p), 2);
	ck_assert_uint_eq(tsblog_summary_problem_fix_count(p), 2);
	ck_assert_str_eq(tsblog_summary_problem_fix(p, 1),
			 "Then: kubectl get svc db.local");
	ck_assert_uint_eq(tsblog_summary_problem_source_count(p), 2);
	ck_assert_str_eq(tsblog_summary_problem_source(p, 0), "a.log");
	ck_assert_str_eq(tsblog_summary_problem_source(p, 1), "b.log");
	ck_assert_str_eq(tsblog_summary_problem_rule(tsblog_summary_problem_get(v, 1)),
			 "dns-fail");
	ck_assert_str_eq(tsblog_summary_problem_rule(tsblog_summary_problem_get(v, 2)),
			 "any-failure");
	ck_assert_uint_eq(tsblog_summary_group_count(v), 2);
	ck_assert_str_eq(tsblog_summary_group_shape(tsblog_summary_group_get(v, 0)),
			 "disk <num> nearly full");
	ck_assert_str_eq(tsblog_summary_group_level(tsblog_summary_group_get(v, 1)),
			 "error");
	ck_assert_str_eq(tsblog_summary_limited_get(v, 0, &hits), "redos");
	ck_assert_uint_eq(hits, times);
}

START_TEST(summary_view_equals_document)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scan_both(rs);
	tsblog_summary *v = NULL;
	tsblog_error err;
	char *doc;

	ck_assert_int_eq(tsblog_scanner_summary_json(&doc, s, &err), 0);
	ck_assert_int_eq(tsblog_scanner_summary(&v, s, &err), 0);
	expect_view_is_doc(v, doc);
	expect_this_scan(v, 1);
	/* A reset does not touch the tables the view reads. */
	ck_assert_int_eq(tsblog_scanner_reset(s, "c.log"), 0);
	expect_view_is_doc(v, doc);
	tsblog_summary_free(v);
	tsblog_free(doc);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(summary_parsed_equals_document)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s = scan_both(rs);
	tsblog_summary *v = NULL;
	tsblog_error err;
	const char *docs[2];
	size_t lens[2];
	char *doc, *merged;

	ck_assert_int_eq(tsblog_scanner_summary_json(&doc, s, &err), 0);
	ck_assert_int_eq(tsblog_summary_parse(&v, doc, strlen(doc), &err), 0);
	expect_view_is_doc(v, doc);
	expect_this_scan(v, 1);
	tsblog_summary_free(v);
	/* A merge of the summary with itself: every count doubles. */
	docs[0] = docs[1] = doc;
	lens[0] = lens[1] = strlen(doc);
	ck_assert_int_eq(tsblog_summary_merge(&merged, docs, lens, NULL, 2, &err), 0);
	ck_assert_int_eq(tsblog_summary_parse(&v, merged, strlen(merged), &err), 0);
	expect_view_is_doc(v, merged);
	expect_this_scan(v, 2);
	tsblog_summary_free(v);
	tsblog_free(merged);
	tsblog_free(doc);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* The document is written by hand (lib/jsonw.c) as jansson's compact
 * dump would write it, whatever its strings hold: read back and dumped
 * again by jansson, it is the same bytes.  A source name that is not
 * UTF-8 (a file name can be any bytes) is written with U+FFFD for the
 * bad byte, as -o json writes it, where it was "out of memory". */
START_TEST(summary_document_as_jansson_writes_it)
{
	static const char LOG[] =
		"connect to db.local:5432 failed: connection refused\n"
		"E1120 08:00:25.526369       1 x.go:9] open \"C:\\tmp\\\xc3\xa9t\xc3\xa9\" a/b \x7f\x01 failed \xf0\x9f\x94\xa5\n"
		"2026-11-20T08:14:02Z\terror\tkube\tquota \"team-a\" exceeded\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *s;
	tsblog_error err;
	json_t *doc;
	char *text, *again;

	ck_assert_int_eq(tsblog_scanner_new(&s, rs, "bad\xffname.log", NULL,
					    &err), 0);
	ck_assert_int_eq(tsblog_scanner_scan(s, LOG, sizeof(LOG) - 1, ignore,
					     NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(s, ignore, NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_summary_json(&text, s, &err), 0);
	doc = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	again = json_dumps(doc, JSON_COMPACT);
	ck_assert_str_eq(text, again);
	/* What the comparison is about: escapes, a null key value, UTF-8. */
	ck_assert_ptr_nonnull(strstr(text, "\"key\":[\"conn-refused\",\"db.local\"]"));
	ck_assert_ptr_nonnull(strstr(text, "\"pod\":null"));
	ck_assert_ptr_nonnull(strstr(text, "\\\"C:\\\\tmp\\\\\xc3\xa9t\xc3\xa9\\\""));
	ck_assert_ptr_nonnull(strstr(text, "\\t"));
	ck_assert_ptr_nonnull(strstr(text, "\"source\":\"bad\xef\xbf\xbdname.log\""));
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "unclassified")), 2);
	free(again);
	json_decref(doc);
	tsblog_free(text);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(summary_parse_errors)
{
	static const char *const bad[] = {
		"{\"problems\": [], \"unclassified\": {}}",
		"{\"problems\": [{\"summary\": \"s\"}], \"unclassified\": []}",
		"{\"problems\": [{\"rule\": \"r\", \"summary\": \"s\", \"fix\": [1]}], \"unclassified\": []}",
		"{\"problems\": [], \"unclassified\": [{\"shape\": \"s\", \"level\": \"warn\"}]}",
		"{\"problems\": [], \"unclassified\": [], \"limit_hit_rules\": [{\"count\": 1}]}",
	};
	tsblog_summary *v = (tsblog_summary *)&v;
	tsblog_error err;
	size_t i;

	ck_assert_int_eq(tsblog_summary_parse(&v, "{\"problems\": [", 14, &err),
			 TSBLOG_ESYNTAX);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 14);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_int_eq(tsblog_summary_parse(&v, bad[i], strlen(bad[i]), &err),
				 TSBLOG_ESCHEMA);
		ck_assert_ptr_null(v);
	}
	ck_assert_str_eq(err.message, "<summary>: limit_hit_rules: an entry without rule");
	ck_assert_int_eq(tsblog_summary_parse(NULL, "{}", 2, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_summary_parse(&v, NULL, 0, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_scanner_summary(&v, NULL, &err), TSBLOG_EINVAL);
	/* An empty summary is a summary. */
	ck_assert_int_eq(tsblog_summary_parse(&v, "{\"problems\": [], \"unclassified\": []}",
					      36, &err), 0);
	ck_assert_uint_eq(tsblog_summary_problem_count(v), 0);
	ck_assert_ptr_null(tsblog_summary_problem_get(v, 0));
	ck_assert_uint_eq(tsblog_summary_total_get(v, TSBLOG_SUMMARY_RECORDS), 0);
	tsblog_summary_free(v);
	tsblog_summary_free(NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, summary_view_equals_document);
	tcase_add_test(tc, summary_parsed_equals_document);
	tcase_add_test(tc, summary_document_as_jansson_writes_it);
	tcase_add_test(tc, summary_parse_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
