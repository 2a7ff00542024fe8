/*
 * The rule language and its compiler, seen through the public API: what a
 * valid rule file turns into (accessors, macros, templates, order), the
 * bundled catalog, the self-test runner and tsblog_rule_to_json().
 *
 * Rule files are written with ' for " (see dq()) so that they stay
 * readable; nothing in them needs a literal apostrophe.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"

/* Turn a rule file written with single quotes into JSON.  Caller frees. */
static char *
dq(const char *q)
{
	char *s = strdup(q), *p;

	ck_assert_ptr_nonnull(s);
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static tsblog_ruleset *
rules_q(const char *q)
{
	char *json = dq(q);
	tsblog_ruleset *rs = tu_rules(json);

	free(json);
	return rs;
}

/* Add a single-quoted rule file to @b under @name; returns the code. */
static int
add_q(tsblog_builder *b, const char *name, const char *q, tsblog_error *err)
{
	char *json = dq(q);
	int rc = tsblog_builder_add_string(b, name, json, strlen(json), err);

	free(json);
	return rc;
}

/* Match one line and return the diagnosis (borrowed from @m), or NULL. */
static const tsblog_diagnosis *
match1(tsblog_matcher *m, const char *line)
{
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	int rc = tsblog_matcher_match(m, line, strlen(line), &d, &err);

	ck_assert_int_ge(rc, 0);
	return rc == 1 ? d : NULL;
}

static const char *const FULL_RULE =
	"{'tsblog': 1, 'rules': [{"
	" 'id': 'svc.port-closed',"
	" 'severity': 'warning',"
	" 'component': 'istio-proxy',"
	" 'title': 'Port closed',"
	" 'match': 'service (?<svc>[a-z]+) port (?<port>[0-9]+) in (?<ns>[a-z]+) closed',"
	" 'key': ['ns', 'svc'],"
	" 'summary': 'Service {svc} closed port {port}',"
	" 'fix': ['kubectl -n {ns} get svc {svc}', 'restart it'],"
	" 'see_also': ['other-rule', 'third.rule'],"
	" 'docs': 'Docs > Ports',"
	" 'examples': ["
	"  {'line': 'service web port 80 in prod closed',"
	"   'fields': {'svc': 'web', 'port': '80'}},"
	"  {'line': 'service db port 5432 in dev closed'}],"
	" 'counter_examples': ['service web port 80 open', 'nothing']"
	"}]}";

START_TEST(ruleset_accessors_full_rule)
{
	tsblog_ruleset *rs = rules_q(FULL_RULE);
	const tsblog_rule *r;

	ck_assert_uint_eq(tsblog_ruleset_count(rs), 1);
	r = tsblog_ruleset_rule(rs, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(tsblog_rule_id(r), "svc.port-closed");
	ck_assert_int_eq(tsblog_rule_severity(r), TSBLOG_SEVERITY_WARNING);
	ck_assert_str_eq(tsblog_rule_component(r), "istio-proxy");
	ck_assert_str_eq(tsblog_rule_title(r), "Port closed");
	ck_assert_str_eq(tsblog_rule_docs(r), "Docs > Ports");
	ck_assert_str_eq(tsblog_rule_match(r),
			 "service (?<svc>[a-z]+) port (?<port>[0-9]+) in (?<ns>[a-z]+) closed");
	/* No macros: the PCRE2 pattern is the pattern as written. */
	ck_assert_str_eq(tsblog_rule_pattern(r), tsblog_rule_match(r));
	ck_assert_str_eq(tsblog_rule_summary(r),
			 "Service {svc} closed port {port}");
	ck_assert_str_eq(tsblog_rule_source(r), "test.json");

	ck_assert_uint_eq(tsblog_rule_fix_count(r), 2);
	ck_assert_str_eq(tsblog_rule_fix(r, 0), "kubectl -n {ns} get svc {svc}");
	ck_assert_str_eq(tsblog_rule_fix(r, 1), "restart it");
	ck_assert_ptr_null(tsblog_rule_fix(r, 2));

	ck_assert_uint_eq(tsblog_rule_see_also_count(r), 2);
	ck_assert_str_eq(tsblog_rule_see_also(r, 0), "other-rule");
	ck_assert_str_eq(tsblog_rule_see_also(r, 1), "third.rule");
	ck_assert_ptr_null(tsblog_rule_see_also(r, 2));

	ck_assert_uint_eq(tsblog_rule_example_count(r), 2);
	ck_assert_str_eq(tsblog_rule_example(r, 0),
			 "service web port 80 in prod closed");
	ck_assert_str_eq(tsblog_rule_example(r, 1),
			 "service db port 5432 in dev closed");
	ck_assert_ptr_null(tsblog_rule_example(r, 2));

	ck_assert_uint_eq(tsblog_rule_counter_example_count(r), 2);
	ck_assert_str_eq(tsblog_rule_counter_example(r, 0),
			 "service web port 80 open");
	ck_assert_str_eq(tsblog_rule_counter_example(r, 1), "nothing");
	ck_assert_ptr_null(tsblog_rule_counter_example(r, 2));

	ck_assert_ptr_null(tsblog_ruleset_rule(rs, 1));
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_optional_members_absent)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'info',"
		" 'title': 'T', 'match': 'x', 'summary': 's'}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);

	ck_assert_int_eq(tsblog_rule_severity(r), TSBLOG_SEVERITY_INFO);
	ck_assert_ptr_null(tsblog_rule_component(r));
	ck_assert_ptr_null(tsblog_rule_docs(r));
	ck_assert_uint_eq(tsblog_rule_fix_count(r), 0);
	ck_assert_ptr_null(tsblog_rule_fix(r, 0));
	ck_assert_uint_eq(tsblog_rule_see_also_count(r), 0);
	ck_assert_uint_eq(tsblog_rule_field_count(r), 0);
	ck_assert_uint_eq(tsblog_rule_key_count(r), 0);
	ck_assert_ptr_null(tsblog_rule_key(r, 0));
	ck_assert_uint_eq(tsblog_rule_example_count(r), 0);
	ck_assert_uint_eq(tsblog_rule_counter_example_count(r), 0);
	tsblog_ruleset_free(rs);
}
END_TEST

/* PCRE2's name table is sorted by name; fields must come out in the order
 * the groups appear in the pattern, which is deliberately not alphabetic
 * here. */
START_TEST(ruleset_fields_in_pattern_order)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error',"
		" 'title': 'T', 'summary': 's',"
		" 'match': '(?<zeta>[a-z]+) (x)(?<alpha>[0-9]+) (?<mid>[a-z]+)'}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);

	ck_assert_uint_eq(tsblog_rule_field_count(r), 3);
	ck_assert_str_eq(tsblog_rule_field(r, 0), "zeta");
	ck_assert_str_eq(tsblog_rule_field(r, 1), "alpha");
	ck_assert_str_eq(tsblog_rule_field(r, 2), "mid");
	ck_assert_ptr_null(tsblog_rule_field(r, 3));
	/* No "key": every field, in the same order. */
	ck_assert_uint_eq(tsblog_rule_key_count(r), 3);
	ck_assert_str_eq(tsblog_rule_key(r, 0), "zeta");
	ck_assert_str_eq(tsblog_rule_key(r, 1), "alpha");
	ck_assert_str_eq(tsblog_rule_key(r, 2), "mid");
	ck_assert_ptr_null(tsblog_rule_key(r, 3));
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_explicit_key_keeps_its_order)
{
	tsblog_ruleset *rs = rules_q(FULL_RULE);
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);

	ck_assert_uint_eq(tsblog_rule_field_count(r), 3);
	ck_assert_str_eq(tsblog_rule_field(r, 0), "svc");
	ck_assert_str_eq(tsblog_rule_field(r, 1), "port");
	ck_assert_str_eq(tsblog_rule_field(r, 2), "ns");
	ck_assert_uint_eq(tsblog_rule_key_count(r), 2);
	ck_assert_str_eq(tsblog_rule_key(r, 0), "ns");
	ck_assert_str_eq(tsblog_rule_key(r, 1), "svc");
	ck_assert_ptr_null(tsblog_rule_key(r, 2));
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_empty_key_list)
{
	/* "key": [] says no field identifies the problem; it is not the
	 * same as leaving "key" out. */
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error',"
		" 'title': 'T', 'summary': 's', 'key': [],"
		" 'match': '(?<f>x)'}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);

	ck_assert_uint_eq(tsblog_rule_field_count(r), 1);
	ck_assert_uint_eq(tsblog_rule_key_count(r), 0);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_macro_plain_is_non_capturing)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'patterns': {'NUM': '[0-9]+'},"
		" 'rules': [{'id': 'a', 'severity': 'error', 'title': 'T',"
		" 'summary': 's', 'match': 'port %{NUM} closed'}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);

	ck_assert_str_eq(tsblog_rule_match(r), "port %{NUM} closed");
	ck_assert_str_eq(tsblog_rule_pattern(r), "port (?:[0-9]+) closed");
	ck_assert_uint_eq(tsblog_rule_field_count(r), 0);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_macro_with_field_is_named_group)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'patterns': {'NUM': '[0-9]+'},"
		" 'rules': [{'id': 'a', 'severity': 'error', 'title': 'T',"
		" 'summary': 'port {port}',"
		" 'match': 'port %{NUM:port} closed after %{NUM}s'}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_str_eq(tsblog_rule_pattern(r),
			 "port (?<port>[0-9]+) closed after (?:[0-9]+)s");
	ck_assert_uint_eq(tsblog_rule_field_count(r), 1);
	ck_assert_str_eq(tsblog_rule_field(r, 0), "port");

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "port 8443 closed after 30s");
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 1);
	ck_assert_str_eq(tsblog_diagnosis_get(d, "port"), "8443");
	ck_assert_str_eq(tsblog_diagnosis_summary(d), "port 8443");
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

/* A pattern may use another pattern, defined before or after it; the
 * inner reference is expanded inside the outer group. */
START_TEST(ruleset_macro_nested)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'patterns': {"
		"  'IP': '%{OCTET}(?:[.]%{OCTET}){3}',"
		"  'OCTET': '[0-9]{1,3}',"
		"  'ADDR': '%{IP}:%{OCTET:unused_never}'"
		" },"
		" 'rules': [{'id': 'a', 'severity': 'error', 'title': 'T',"
		" 'summary': 'from {addr}', 'match': 'from %{IP:addr} '}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_str_eq(tsblog_rule_pattern(r),
			 "from (?<addr>(?:[0-9]{1,3})(?:[.](?:[0-9]{1,3})){3}) ");
	/* A named group inside an unused pattern does not leak into rules
	 * that do not refer to it. */
	ck_assert_uint_eq(tsblog_rule_field_count(r), 1);
	ck_assert_str_eq(tsblog_rule_field(r, 0), "addr");

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "conn from 10.0.12.7 reset");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(tsblog_diagnosis_get(d, "addr"), "10.0.12.7");
	ck_assert_ptr_null(match1(m, "conn from 10.0.12 reset"));
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

/* "\%{" is a regex-escaped percent sign followed by a brace: it is kept
 * as written and matches the literal text "%{". */
START_TEST(ruleset_macro_escaped_is_literal)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'patterns': {'NUM': '[0-9]+'},"
		" 'rules': [{'id': 'a', 'severity': 'error', 'title': 'T',"
		" 'summary': 's', 'match': 'fmt \\\\%{NUM} unexpanded'}]}");
	const tsblog_rule *r = tsblog_ruleset_rule(rs, 0);
	tsblog_matcher *m;

	ck_assert_str_eq(tsblog_rule_match(r), "fmt \\%{NUM} unexpanded");
	ck_assert_str_eq(tsblog_rule_pattern(r), "fmt \\%{NUM} unexpanded");
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	ck_assert_ptr_nonnull(match1(m, "log fmt %{NUM} unexpanded"));
	ck_assert_ptr_null(match1(m, "log fmt 42 unexpanded"));
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_template_fields_and_braces)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error',"
		" 'title': 'T',"
		" 'match': 'user (?<user>[a-z]+) denied on (?<host>[a-z.]+)',"
		" 'summary': '{{user}} is {user}; {{{{host}}}} is {host}{{}}',"
		" 'fix': ['{host}{user}', 'jsonpath={{.items[*]}}', 'plain']}]}");
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "user bob denied on db.example");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(tsblog_diagnosis_summary(d),
			 "{user} is bob; {{host}} is db.example{}");
	ck_assert_uint_eq(tsblog_diagnosis_fix_count(d), 3);
	ck_assert_str_eq(tsblog_diagnosis_fix(d, 0), "db.examplebob");
	ck_assert_str_eq(tsblog_diagnosis_fix(d, 1), "jsonpath={.items[*]}");
	ck_assert_str_eq(tsblog_diagnosis_fix(d, 2), "plain");
	ck_assert_ptr_null(tsblog_diagnosis_fix(d, 3));
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_template_unset_field_renders_empty)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error',"
		" 'title': 'T',"
		" 'match': 'lookup (?<name>[a-z.]+)(?: via (?<server>[0-9.]+))?: failed',"
		" 'summary': '{name} [{server}]', 'fix': ['ask {server}']}]}");
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "lookup api.local: failed");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(tsblog_diagnosis_summary(d), "api.local []");
	ck_assert_str_eq(tsblog_diagnosis_fix(d, 0), "ask ");
	/* The unset field did not take part in the match. */
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 1);
	ck_assert_ptr_null(tsblog_diagnosis_get(d, "server"));

	d = match1(m, "lookup api.local via 10.0.0.10: failed");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(tsblog_diagnosis_summary(d), "api.local [10.0.0.10]");
	ck_assert_uint_eq(tsblog_diagnosis_field_count(d), 2);
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Within one file, rules are tried in the order written. */
START_TEST(ruleset_first_match_within_file)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': ["
		" {'id': 'specific', 'severity': 'error', 'title': 'T',"
		"  'summary': 's', 'match': 'timeout after [0-9]+s'},"
		" {'id': 'generic', 'severity': 'warning', 'title': 'T',"
		"  'summary': 's', 'match': 'timeout'}]}");
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(rs, 0)), "specific");
	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(rs, 1)), "generic");
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "upstream timeout after 15s");
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "specific");
	d = match1(m, "upstream timeout");
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "generic");
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

static const char *const FILE_A =
	"{'tsblog': 1, 'rules': [{'id': 'a-refused', 'severity': 'error',"
	" 'title': 'A', 'summary': 'from A', 'match': 'connection refused'}]}";
static const char *const FILE_B =
	"{'tsblog': 1, 'rules': ["
	" {'id': 'b-refused', 'severity': 'warning', 'title': 'B',"
	"  'summary': 'from B', 'match': 'refused'},"
	" {'id': 'b-other', 'severity': 'info', 'title': 'B2',"
	"  'summary': 'other', 'match': 'reset'}]}";

static tsblog_ruleset *
two_files(const char *first_name, const char *first,
	  const char *second_name, const char *second)
{
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(add_q(b, first_name, first, &err), 0);
	ck_assert_int_eq(add_q(b, second_name, second, &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	tsblog_builder_free(b);
	return rs;
}

/* Loading order is matching order across files too: the file added first
 * overrides a later one for a line both match. */
START_TEST(ruleset_first_match_across_files)
{
	tsblog_ruleset *rs = two_files("a.json", FILE_A, "b.json", FILE_B);
	tsblog_matcher *m;
	const tsblog_diagnosis *d;

	ck_assert_uint_eq(tsblog_ruleset_count(rs), 3);
	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(rs, 0)), "a-refused");
	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(rs, 1)), "b-refused");
	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(rs, 2)), "b-other");
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 0)), "a.json");
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 2)), "b.json");

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "dial tcp: connection refused");
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "a-refused");
	ck_assert_str_eq(tsblog_diagnosis_summary(d), "from A");
	/* Only B's looser rule matches this one. */
	d = match1(m, "request refused");
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "b-refused");
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);

	/* The other way round, B shadows A for the same line. */
	rs = two_files("b.json", FILE_B, "a.json", FILE_A);
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, NULL), 0);
	d = match1(m, "dial tcp: connection refused");
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "b-refused");
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_find_by_id)
{
	tsblog_ruleset *rs = two_files("a.json", FILE_A, "b.json", FILE_B);
	const tsblog_rule *r;

	r = tsblog_ruleset_find(rs, "b-other");
	ck_assert_ptr_eq(r, tsblog_ruleset_rule(rs, 2));
	ck_assert_str_eq(tsblog_rule_title(r), "B2");
	ck_assert_ptr_eq(tsblog_ruleset_find(rs, "a-refused"),
			 tsblog_ruleset_rule(rs, 0));
	ck_assert_ptr_null(tsblog_ruleset_find(rs, "b-othe"));
	ck_assert_ptr_null(tsblog_ruleset_find(rs, "B-OTHER"));
	ck_assert_ptr_null(tsblog_ruleset_find(rs, ""));
	ck_assert_ptr_null(tsblog_ruleset_find(rs, NULL));
	ck_assert_ptr_null(tsblog_ruleset_find(NULL, "a-refused"));
	tsblog_ruleset_free(rs);
}
END_TEST

/* Enough rules to make the id index grow several times. */
START_TEST(ruleset_find_many_rules)
{
	char *json = malloc(200 * 120 + 64), *p = json, id[32];
	tsblog_ruleset *rs;
	int i;

	p += sprintf(p, "{\"tsblog\": 1, \"rules\": [");
	for (i = 0; i < 200; i++)
		p += sprintf(p, "%s{\"id\": \"r%d\", \"severity\": \"info\", \"title\": \"T\", \"summary\": \"s\", \"match\": \"m%d;\"}",
			     i ? "," : "", i, i);
	sprintf(p, "]}");
	rs = tu_rules(json);
	ck_assert_uint_eq(tsblog_ruleset_count(rs), 200);
	for (i = 0; i < 200; i++) {
		const tsblog_rule *r;
		snprintf(id, sizeof(id), "r%d", i);
		r = tsblog_ruleset_find(rs, id);
		ck_assert_ptr_nonnull(r);
		ck_assert_ptr_eq(r, tsblog_ruleset_rule(rs, (size_t)i));
	}
	ck_assert_ptr_null(tsblog_ruleset_find(rs, "r200"));
	tsblog_ruleset_free(rs);
	free(json);
}
END_TEST

START_TEST(ruleset_duplicate_id_across_files)
{
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(add_q(b, "a.json", FILE_A, &err), 0);
	ck_assert_int_eq(add_q(b, "again.json", FILE_A, &err),
			 TSBLOG_EDUPLICATE);
	ck_assert_str_eq(err.rule_id, "a-refused");
	ck_assert_str_eq(err.source, "again.json");
	/* The failed file added nothing; the first one is intact. */
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	ck_assert_uint_eq(tsblog_ruleset_count(rs), 1);
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 0)), "a.json");
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
}
END_TEST

/* build() empties the builder: ids of built rules may be used again. */
START_TEST(ruleset_builder_reusable_after_build)
{
	tsblog_builder *b;
	tsblog_ruleset *rs1, *rs2, *rs3;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(add_q(b, "a.json", FILE_A, &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs1, b, &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs2, b, &err), 0);
	ck_assert_uint_eq(tsblog_ruleset_count(rs2), 0);
	ck_assert_int_eq(add_q(b, "a2.json", FILE_A, &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs3, b, &err), 0);
	tsblog_builder_free(b);

	ck_assert_uint_eq(tsblog_ruleset_count(rs1), 1);
	ck_assert_uint_eq(tsblog_ruleset_count(rs3), 1);
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs3, 0)),
			 "a2.json");
	ck_assert_ptr_null(tsblog_ruleset_find(rs2, "a-refused"));
	/* The rule sets are independent of each other and of the builder. */
	tsblog_ruleset_free(rs3);
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_find(rs1, "a-refused")),
			 "a.json");
	tsblog_ruleset_free(rs1);
	tsblog_ruleset_free(rs2);
}
END_TEST

START_TEST(ruleset_add_file_names_source)
{
	char path[] = "/tmp/tsblog-test-XXXXXX";
	char *json = dq(FILE_B);
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_file(b, path, &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	unlink(path);
	ck_assert_uint_eq(tsblog_ruleset_count(rs), 2);
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 1)), path);
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
	free(json);
}
END_TEST

/* A NULL name for a buffer is reported as "<string>". */
START_TEST(ruleset_add_string_default_name)
{
	char *json = dq(FILE_A);
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, NULL, json, strlen(json),
						   &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 0)),
			 "<string>");
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
	free(json);
}
END_TEST

/* The text need not be NUL-terminated: only len bytes are read. */
START_TEST(ruleset_add_string_uses_len)
{
	char *json = dq(FILE_A);
	size_t n = strlen(json);
	char *padded = malloc(n + 8);
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;

	memcpy(padded, json, n);
	memcpy(padded + n, "garbage", 7);
	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "p.json", padded, n,
						   &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	ck_assert_uint_eq(tsblog_ruleset_count(rs), 1);
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
	free(padded);
	free(json);
}
END_TEST

START_TEST(ruleset_builtin_catalog_loads)
{
	tsblog_ruleset *rs = tu_builtin();
	size_t i, n = tsblog_ruleset_count(rs);

	ck_assert_uint_gt(n, 0);
	/* rules/catalog.txt starts with the TSB onboarding file. */
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 0)),
			 "builtin:tsb.json");
	for (i = 0; i < n; i++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, i);
		const char *id = tsblog_rule_id(r);

		ck_assert_msg(!strncmp(tsblog_rule_source(r), "builtin:", 8),
			      "rule %s comes from %s", id, tsblog_rule_source(r));
		ck_assert_ptr_eq(tsblog_ruleset_find(rs, id), r);
		ck_assert_msg(tsblog_rule_example_count(r) >= 2,
			      "rule %s has %zu examples, want >= 2", id,
			      tsblog_rule_example_count(r));
		ck_assert_msg(tsblog_rule_counter_example_count(r) >= 1,
			      "rule %s has no counter-example", id);
		ck_assert_msg(*tsblog_rule_title(r) && *tsblog_rule_summary(r),
			      "rule %s: empty title or summary", id);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

/* tsblog_builder_add_builtin() and the shortcut give the same rules. */
START_TEST(ruleset_builtin_via_builder)
{
	tsblog_ruleset *a = tu_builtin(), *b2;
	tsblog_builder *b;
	tsblog_error err;
	size_t i;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(add_q(b, "local.json", FILE_A, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_builtin(b, &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&b2, b, &err), 0);
	tsblog_builder_free(b);
	ck_assert_uint_eq(tsblog_ruleset_count(b2), tsblog_ruleset_count(a) + 1);
	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(b2, 0)), "a-refused");
	for (i = 0; i < tsblog_ruleset_count(a); i++)
		ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(b2, i + 1)),
				 tsblog_rule_id(tsblog_ruleset_rule(a, i)));
	tsblog_ruleset_free(a);
	tsblog_ruleset_free(b2);
}
END_TEST

/* --- self-tests ------------------------------------------------------ */

#define MAX_FAILS 16

typedef struct {
	char rule_id[64], source[64], kind[32], message[600];
	int line, column, severity;
	size_t index;
} fail_rec;

typedef struct {
	fail_rec f[MAX_FAILS];
	int n;
	int stop_after; /* 0: never */
} fail_log;

static int
collect(const tsblog_check_failure *f, void *payload)
{
	fail_log *log = payload;
	fail_rec *r;

	ck_assert_int_lt(log->n, MAX_FAILS);
	r = &log->f[log->n++];
	snprintf(r->rule_id, sizeof(r->rule_id), "%s", f->rule_id);
	snprintf(r->source, sizeof(r->source), "%s", f->source);
	snprintf(r->kind, sizeof(r->kind), "%s", f->kind);
	snprintf(r->message, sizeof(r->message), "%s", f->message);
	r->line = f->line;
	r->column = f->column;
	r->index = f->index;
	r->severity = f->severity;
	return log->stop_after && log->n >= log->stop_after;
}

static void
expect_fail(const fail_rec *r, const char *rule_id, const char *kind,
	    size_t index, int line, int column, const char *message)
{
	ck_assert_str_eq(r->rule_id, rule_id);
	ck_assert_str_eq(r->source, "test.json");
	ck_assert_str_eq(r->kind, kind);
	ck_assert_uint_eq(r->index, index);
	ck_assert_int_eq(r->line, line);
	ck_assert_int_eq(r->column, column);
	ck_assert_str_eq(r->message, message);
	ck_assert_int_eq(r->severity, strstr(message, ": warning: ")
					      ? TSBLOG_SEVERITY_WARNING
					      : TSBLOG_SEVERITY_ERROR);
}

START_TEST(ruleset_check_builtin_passes)
{
	tsblog_ruleset *rs = tu_builtin();
	fail_log log = { .n = 0 };
	tsblog_error err;
	int rc = tsblog_ruleset_check(rs, collect, &log, &err);

	ck_assert_msg(rc == 0, "%d failures, first: %s", rc,
		      log.n ? log.f[0].message : "?");
	ck_assert_int_eq(log.n, 0);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Each kind of self-test failure, one per line so that the reported
 * line and column can be checked by eye (each rule's short literal is
 * warned about after its failures):
 *   line 5  examples[1]: matches nothing
 *   line 6  examples[2]: wrong field value
 *   line 8  counter_examples[1]: matched by its own rule
 *   line 9  see_also[1]: no such rule
 *   line 11 examples[0] of "second": shadowed by "first"
 *   line 13 examples[0] of "third": a listed field did not take part */
static const char *const BAD_SELFTESTS =
	"{'tsblog': 1, 'rules': [\n"
	" {'id': 'first', 'severity': 'error', 'title': 'T', 'match': 'boom (?<n>[0-9]+)', 'summary': 's',\n"
	"  'examples': [\n"
	"   {'line': 'boom 1', 'fields': {'n': '1'}},\n"
	"   {'line': 'no match here'},\n"
	"   {'line': 'boom 7', 'fields': {'n': '8'}}\n"
	"  ],\n"
	"  'counter_examples': ['bang 1', 'boom 2'],\n"
	"  'see_also': ['second', 'nowhere']},\n"
	" {'id': 'second', 'severity': 'warning', 'title': 'T2', 'match': 'boom', 'summary': 's2',\n"
	"  'examples': [{'line': 'boom 3'}]},\n"
	" {'id': 'third', 'severity': 'info', 'title': 'T3', 'match': 'bang(?: (?<opt>x))?', 'summary': 's3',\n"
	"  'examples': [{'line': 'bang', 'fields': {'opt': 'x'}}, {'line': 'bang x', 'fields': {'opt': 'x'}}]}\n"
	"]}\n";

START_TEST(ruleset_check_reports_each_failure)
{
	tsblog_ruleset *rs = rules_q(BAD_SELFTESTS);
	fail_log log = { .n = 0 };
	tsblog_error err;
	int rc = tsblog_ruleset_check(rs, collect, &log, &err);

	ck_assert_int_eq(rc, 6);
	ck_assert_int_eq(log.n, 9);
	expect_fail(&log.f[0], "first", "examples", 1, 5, 4,
		    "test.json:5:4: rule \"first\": examples[1]: no rule matches \"no match here\"");
	expect_fail(&log.f[1], "first", "examples", 2, 6, 4,
		    "test.json:6:4: rule \"first\": examples[2]: field \"n\": expected \"8\", got \"7\"");
	expect_fail(&log.f[2], "first", "counter_examples", 1, 8, 34,
		    "test.json:8:34: rule \"first\": counter_examples[1]: the rule matches \"boom 2\"");
	expect_fail(&log.f[3], "first", "see_also", 1, 9, 26,
		    "test.json:9:26: rule \"first\": see_also[1]: no rule \"nowhere\" in the rule set");
	expect_fail(&log.f[4], "first", "match", 0, 2, 62,
		    "test.json:2:62: rule \"first\": match: warning: literal \"boom \" is short and will hit many lines; a longer one in \"literal\" makes scans faster");
	expect_fail(&log.f[5], "second", "examples", 0, 11, 16,
		    "test.json:11:16: rule \"second\": examples[0]: matched by earlier rule \"first\" instead (first match wins)");
	expect_fail(&log.f[6], "second", "match", 0, 10, 66,
		    "test.json:10:66: rule \"second\": match: warning: literal \"boom\" is short and will hit many lines; a longer one in \"literal\" makes scans faster");
	expect_fail(&log.f[7], "third", "examples", 0, 13, 16,
		    "test.json:13:16: rule \"third\": examples[0]: field \"opt\": expected \"x\", but it did not match");
	expect_fail(&log.f[8], "third", "match", 0, 12, 62,
		    "test.json:12:62: rule \"third\": match: warning: literal \"bang\" is short and will hit many lines; a longer one in \"literal\" makes scans faster");
	tsblog_ruleset_free(rs);
}
END_TEST

/* Without a callback the failures are only counted. */
START_TEST(ruleset_check_counts_without_callback)
{
	tsblog_ruleset *rs = rules_q(BAD_SELFTESTS);

	ck_assert_int_eq(tsblog_ruleset_check(rs, NULL, NULL, NULL), 6);
	tsblog_ruleset_free(rs);
}
END_TEST

/* The lints are warnings: reported where the rule says what they are
 * about, not counted as failures. */
START_TEST(ruleset_check_lints)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'rules': [\n"
		" {'id': 'any', 'severity': 'error', 'title': 'T', 'summary': 's',\n"
		"  'match': '^(?<x>(a+)+)$', 'examples': [{'line': 'aaaa'}]},\n"
		" {'id': 'terse', 'severity': 'error', 'title': 'T', 'summary': 's',\n"
		"  'match': 'dial tcp', 'literal': 'dial'},\n"
		" {'id': 'fine', 'severity': 'error', 'title': 'T', 'summary': 's',\n"
		"  'match': 'connection refused', 'examples': [{'line': 'x: connection refused'}]}\n"
		"]}\n");
	fail_log log = { .n = 0 };

	ck_assert_int_eq(tsblog_ruleset_check(rs, collect, &log, NULL), 0);
	ck_assert_int_eq(log.n, 3);
	expect_fail(&log.f[0], "any", "match", 0, 3, 12,
		    "test.json:3:12: rule \"any\": match: warning: no literal found in the pattern, so every line pays for its regex; add \"literal\": \"text every match contains\"");
	expect_fail(&log.f[1], "any", "examples", 0, 3, 42,
		    "test.json:3:42: rule \"any\": examples[0]: warning: padded with noise to 65536 bytes, it makes the pattern spend over 625000 PCRE2 steps (its budget of 10000000 for a line, cut to that length): it backtracks too much (look for nested quantifiers such as (a+)+), and lines like it will not be matched");
	expect_fail(&log.f[2], "terse", "literal", 0, 5, 35,
		    "test.json:5:35: rule \"terse\": literal: warning: literal \"dial\" is short and will hit many lines; a longer one in \"literal\" makes scans faster");
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_check_callback_stops)
{
	tsblog_ruleset *rs = rules_q(BAD_SELFTESTS);
	fail_log log = { .n = 0, .stop_after = 2 };
	tsblog_error err;

	ck_assert_int_eq(tsblog_ruleset_check(rs, collect, &log, &err),
			 TSBLOG_EUSER);
	ck_assert_int_eq(err.code, TSBLOG_EUSER);
	/* Not called again once it asked to stop. */
	ck_assert_int_eq(log.n, 2);
	ck_assert_uint_eq(log.f[1].index, 2);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Self-tests judge examples under the order of the whole set: a rule that
 * passes alone fails once an earlier file shadows it, and its see_also
 * can be satisfied by a rule from another file. */
START_TEST(ruleset_check_uses_whole_set)
{
	static const char *const own =
		"{'tsblog': 1, 'rules': [{'id': 'late', 'severity': 'error',"
		" 'title': 'T', 'summary': 's', 'match': 'connection refused',"
		" 'see_also': ['a-refused'],"
		" 'examples': [{'line': 'x: connection refused'}]}]}";
	tsblog_ruleset *rs = rules_q(own);
	fail_log log = { .n = 0 };

	/* Alone: see_also names a rule that is not there. */
	ck_assert_int_eq(tsblog_ruleset_check(rs, collect, &log, NULL), 1);
	ck_assert_str_eq(log.f[0].kind, "see_also");
	tsblog_ruleset_free(rs);

	log.n = 0;
	rs = two_files("a.json", FILE_A, "test.json", own);
	ck_assert_int_eq(tsblog_ruleset_check(rs, collect, &log, NULL), 1);
	ck_assert_str_eq(log.f[0].rule_id, "late");
	ck_assert_str_eq(log.f[0].kind, "examples");
	ck_assert_str_eq(log.f[0].message,
			 "test.json:1:162: rule \"late\": examples[0]: matched by earlier rule \"a-refused\" instead (first match wins)");
	tsblog_ruleset_free(rs);
}
END_TEST

/* --- tsblog_rule_to_json ----------------------------------------------- */

START_TEST(ruleset_rule_to_json_exact)
{
	tsblog_ruleset *rs = rules_q(FULL_RULE);
	char *s = NULL;
	tsblog_error err;

	ck_assert_int_eq(tsblog_rule_to_json(&s, tsblog_ruleset_rule(rs, 0),
					     &err), 0);
	ck_assert_str_eq(s,
		"{\"id\":\"svc.port-closed\",\"severity\":\"warning\","
		"\"component\":\"istio-proxy\",\"title\":\"Port closed\","
		"\"match\":\"service (?<svc>[a-z]+) port (?<port>[0-9]+) in (?<ns>[a-z]+) closed\","
		"\"key\":[\"ns\",\"svc\"],"
		"\"summary\":\"Service {svc} closed port {port}\","
		"\"fix\":[\"kubectl -n {ns} get svc {svc}\",\"restart it\"],"
		"\"see_also\":[\"other-rule\",\"third.rule\"],"
		"\"docs\":\"Docs > Ports\","
		"\"examples\":[{\"line\":\"service web port 80 in prod closed\",\"fields\":{\"svc\":\"web\",\"port\":\"80\"}},"
		"{\"line\":\"service db port 5432 in dev closed\",\"fields\":{}}],"
		"\"counter_examples\":[\"service web port 80 open\",\"nothing\"],"
		"\"literals\":[\"service \"],\"source\":\"test.json\"}");
	tsblog_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Absent optional members are left out, and "key" shows the default. */
START_TEST(ruleset_rule_to_json_minimal)
{
	tsblog_ruleset *rs = rules_q(
		"{'tsblog': 1, 'patterns': {'N': '[0-9]+'}, 'rules': [{'id': 'a',"
		" 'severity': 'error', 'title': 'T', 'summary': 's',"
		" 'match': 'x %{N:n} (?<m>y)'}]}");
	char *s = NULL;

	ck_assert_int_eq(tsblog_rule_to_json(&s, tsblog_ruleset_rule(rs, 0),
					     NULL), 0);
	/* "match" is the pattern as written, not expanded. */
	ck_assert_str_eq(s,
		"{\"id\":\"a\",\"severity\":\"error\",\"title\":\"T\","
		"\"match\":\"x %{N:n} (?<m>y)\",\"key\":[\"n\",\"m\"],"
		"\"summary\":\"s\",\"fix\":[],\"see_also\":[],\"examples\":[],"
		"\"counter_examples\":[],\"literals\":[],\"source\":\"test.json\"}");
	tsblog_free(s);
	tsblog_ruleset_free(rs);
}
END_TEST

/* The JSON is in rule-file form: put back in a file (without the
 * informational "source"), it compiles to the same rule. */
START_TEST(ruleset_rule_to_json_round_trip)
{
	tsblog_ruleset *rs = rules_q(FULL_RULE), *rs2;
	const tsblog_rule *a = tsblog_ruleset_rule(rs, 0), *b;
	json_t *obj, *file;
	json_error_t jerr;
	char *s = NULL, *again = NULL, *text;
	size_t i;

	ck_assert_int_eq(tsblog_rule_to_json(&s, a, NULL), 0);
	obj = json_loads(s, 0, &jerr);
	ck_assert_msg(obj != NULL, "not JSON: %s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(obj, "source")),
			 "test.json");
	json_object_del(obj, "source");
	/* "literals" is derived, like "source": not a rule-file member. */
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(obj, "literals"), 0)),
			 "service ");
	json_object_del(obj, "literals");
	file = json_pack("{s:i, s:[o]}", "tsblog", 1, "rules", obj);
	ck_assert_ptr_nonnull(file);
	text = json_dumps(file, 0);
	json_decref(file);
	rs2 = tu_rules(text);
	free(text);

	b = tsblog_ruleset_rule(rs2, 0);
	ck_assert_str_eq(tsblog_rule_id(b), tsblog_rule_id(a));
	ck_assert_int_eq(tsblog_rule_severity(b), tsblog_rule_severity(a));
	ck_assert_str_eq(tsblog_rule_component(b), tsblog_rule_component(a));
	ck_assert_str_eq(tsblog_rule_title(b), tsblog_rule_title(a));
	ck_assert_str_eq(tsblog_rule_docs(b), tsblog_rule_docs(a));
	ck_assert_str_eq(tsblog_rule_match(b), tsblog_rule_match(a));
	ck_assert_str_eq(tsblog_rule_summary(b), tsblog_rule_summary(a));
	ck_assert_uint_eq(tsblog_rule_key_count(b), tsblog_rule_key_count(a));
	for (i = 0; i < tsblog_rule_key_count(a); i++)
		ck_assert_str_eq(tsblog_rule_key(b, i), tsblog_rule_key(a, i));
	ck_assert_uint_eq(tsblog_rule_fix_count(b), tsblog_rule_fix_count(a));
	ck_assert_uint_eq(tsblog_rule_see_also_count(b), 2);
	ck_assert_uint_eq(tsblog_rule_example_count(b), 2);
	ck_assert_uint_eq(tsblog_rule_counter_example_count(b), 2);

	/* And it serialises to the same text again. */
	ck_assert_int_eq(tsblog_rule_to_json(&again, b, NULL), 0);
	ck_assert_str_eq(again, s);
	tsblog_free(again);
	tsblog_free(s);
	tsblog_ruleset_free(rs2);
	tsblog_ruleset_free(rs);
}
END_TEST

/* Every bundled rule serialises to valid JSON with the rule-file keys. */
START_TEST(ruleset_rule_to_json_builtin_keys)
{
	static const char *const keys[] = { "id", "severity", "title",
					    "match", "key", "summary", "fix",
					    "see_also", "examples",
					    "counter_examples", "source" };
	tsblog_ruleset *rs = tu_builtin();
	size_t i, k;

	for (i = 0; i < tsblog_ruleset_count(rs); i++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, i);
		json_error_t jerr;
		json_t *o;
		char *s = NULL;

		ck_assert_int_eq(tsblog_rule_to_json(&s, r, NULL), 0);
		o = json_loads(s, 0, &jerr);
		ck_assert_msg(o != NULL, "%s: %s", tsblog_rule_id(r), jerr.text);
		for (k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			ck_assert_msg(json_object_get(o, keys[k]) != NULL,
				      "%s: no \"%s\"", tsblog_rule_id(r),
				      keys[k]);
		ck_assert_str_eq(json_string_value(json_object_get(o, "id")),
				 tsblog_rule_id(r));
		ck_assert_uint_eq(json_array_size(json_object_get(o, "examples")),
				  tsblog_rule_example_count(r));
		ck_assert_uint_eq(json_array_size(json_object_get(o, "key")),
				  tsblog_rule_key_count(r));
		json_decref(o);
		tsblog_free(s);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(ruleset_severity_names)
{
	ck_assert_str_eq(tsblog_severity_name(TSBLOG_SEVERITY_ERROR), "error");
	ck_assert_str_eq(tsblog_severity_name(TSBLOG_SEVERITY_WARNING), "warning");
	ck_assert_str_eq(tsblog_severity_name(TSBLOG_SEVERITY_INFO), "info");
	ck_assert_str_eq(tsblog_severity_name(3), "unknown");
	ck_assert_str_eq(tsblog_severity_name(-1), "unknown");
}
END_TEST

START_TEST(ruleset_compile_options)
{
	tsblog_compile_options o;
	tsblog_builder *b = NULL;
	tsblog_error err;

	ck_assert_int_eq(tsblog_compile_options_init(&o, 1), 0);
	ck_assert_uint_eq(o.version, TSBLOG_COMPILE_OPTIONS_VERSION);
	ck_assert_int_eq(o.no_jit, 0);
	ck_assert_uint_eq(o.match_limit, 10000000);
	ck_assert_uint_eq(o.depth_limit, 10000);
	ck_assert_uint_eq(o.heap_limit, 20000);
	ck_assert_int_eq(tsblog_compile_options_init(&o, 2), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_compile_options_init(NULL, 1), TSBLOG_EINVAL);

	o.version = 99;
	ck_assert_int_eq(tsblog_builder_new(&b, &o, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(err.code, TSBLOG_EINVAL);
	ck_assert_ptr_null(b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ruleset");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ruleset_accessors_full_rule);
	tcase_add_test(tc, ruleset_optional_members_absent);
	tcase_add_test(tc, ruleset_fields_in_pattern_order);
	tcase_add_test(tc, ruleset_explicit_key_keeps_its_order);
	tcase_add_test(tc, ruleset_empty_key_list);
	tcase_add_test(tc, ruleset_macro_plain_is_non_capturing);
	tcase_add_test(tc, ruleset_macro_with_field_is_named_group);
	tcase_add_test(tc, ruleset_macro_nested);
	tcase_add_test(tc, ruleset_macro_escaped_is_literal);
	tcase_add_test(tc, ruleset_template_fields_and_braces);
	tcase_add_test(tc, ruleset_template_unset_field_renders_empty);
	tcase_add_test(tc, ruleset_first_match_within_file);
	tcase_add_test(tc, ruleset_first_match_across_files);
	tcase_add_test(tc, ruleset_find_by_id);
	tcase_add_test(tc, ruleset_find_many_rules);
	tcase_add_test(tc, ruleset_duplicate_id_across_files);
	tcase_add_test(tc, ruleset_builder_reusable_after_build);
	tcase_add_test(tc, ruleset_add_file_names_source);
	tcase_add_test(tc, ruleset_add_string_default_name);
	tcase_add_test(tc, ruleset_add_string_uses_len);
	tcase_add_test(tc, ruleset_builtin_catalog_loads);
	tcase_add_test(tc, ruleset_builtin_via_builder);
	tcase_add_test(tc, ruleset_check_builtin_passes);
	tcase_add_test(tc, ruleset_check_reports_each_failure);
	tcase_add_test(tc, ruleset_check_counts_without_callback);
	tcase_add_test(tc, ruleset_check_lints);
	tcase_add_test(tc, ruleset_check_callback_stops);
	tcase_add_test(tc, ruleset_check_uses_whole_set);
	tcase_add_test(tc, ruleset_rule_to_json_exact);
	tcase_add_test(tc, ruleset_rule_to_json_minimal);
	tcase_add_test(tc, ruleset_rule_to_json_round_trip);
	tcase_add_test(tc, ruleset_rule_to_json_builtin_keys);
	tcase_add_test(tc, ruleset_severity_names);
	tcase_add_test(tc, ruleset_compile_options);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
