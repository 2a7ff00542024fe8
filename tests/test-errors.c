/*
 * Every class of rule-file error, with the exact report: code, location
 * (line, column, byte position), the rule and member concerned, and the
 * one-line message.  A user fixes a rule file from this message alone, so
 * it is tested to the byte.
 *
 * Rule files are written with ' for " (see dq()); nothing in them needs a
 * literal apostrophe.  Expected positions are given as a marker string:
 * the error must point at the first byte of its first occurrence.  Line
 * and column are spelt out by hand.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "testutil.h"

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

/* Byte offset of the first occurrence of @marker (single-quoted like the
 * rule file) in @json. */
static size_t
pos_of(const char *json, const char *marker)
{
	char *m = dq(marker);
	const char *hit = strstr(json, m);

	ck_assert_msg(hit != NULL, "marker %s not in the test input", m);
	free(m);
	return (size_t)(hit - json);
}

/* Compile @q (single-quoted) as "test.json" and check the whole report. */
static void
expect_error(const char *q, int code, int line, int column,
	     const char *at, const char *rule_id, const char *member,
	     const char *message)
{
	char *json = dq(q);
	tsblog_error err;

	memset(&err, 0x5a, sizeof(err)); /* no stale member may survive */
	ck_assert_int_eq(tu_rules_fail(json, &err), code);
	ck_assert_int_eq(err.code, code);
	ck_assert_str_eq(err.source, "test.json");
	ck_assert_str_eq(err.message, message);
	ck_assert_int_eq(err.line, line);
	ck_assert_int_eq(err.column, column);
	ck_assert_uint_eq(err.position, pos_of(json, at));
	ck_assert_str_eq(err.rule_id, rule_id);
	ck_assert_str_eq(err.member, member);
	if (code != TSBLOG_EREGEX)
		ck_assert_uint_eq(err.pattern_offset, 0);
	ck_assert_ptr_null(strchr(err.message, '\n'));
	free(json);
}

/* A rule file with one rule whose members are given one per line:
 *   line 1  {'tsblog': 1, 'rules': [{
 *   line 2    'id': 'a',
 *   line 3    'severity': 'error',
 *   line 4    'title': 'T',
 *   line 5    <MATCH>,
 *   line 6    <SUMMARY>   (then any further members, one per line)
 *   last      }]}
 * so that locations can be read off directly. */
#define RULE_HEAD "{'tsblog': 1, 'rules': [{\n  'id': 'a',\n  'severity': 'error',\n  'title': 'T',\n"
#define RULE_TAIL "\n}]}\n"

/* --- invalid JSON: jansson's own location and text ------------------- */

START_TEST(errors_json_truncated)
{
	tsblog_error err;

	/* jansson reports end of input just past the last byte read. */
	ck_assert_int_eq(tu_rules_fail("{\"tsblog\": 1, \"rules\": [", &err),
			 TSBLOG_ESYNTAX);
	ck_assert_int_eq(err.code, TSBLOG_ESYNTAX);
	ck_assert_str_eq(err.message,
			 "test.json:1:24: invalid JSON: ']' expected near end of file");
	ck_assert_str_eq(err.source, "test.json");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 24);
	ck_assert_uint_eq(err.position, 24);
	ck_assert_str_eq(err.rule_id, "");
	ck_assert_str_eq(err.member, "");
}
END_TEST

START_TEST(errors_json_trailing_comma)
{
	tsblog_error err;
	char *json = dq("{'tsblog': 1,\n 'rules': [],\n}");

	ck_assert_int_eq(tu_rules_fail(json, &err), TSBLOG_ESYNTAX);
	ck_assert_str_eq(err.message,
			 "test.json:3:1: invalid JSON: string or '}' expected near '}'");
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 1);
	/* jansson's position is just past the offending token. */
	ck_assert_uint_eq(err.position, strlen(json));
	ck_assert_str_eq(err.rule_id, "");
	ck_assert_str_eq(err.member, "");
	free(json);
}
END_TEST

START_TEST(errors_json_duplicate_key)
{
	tsblog_error err;
	char *json = dq("{'tsblog': 1, 'rules': [], 'rules': []}");

	ck_assert_int_eq(tu_rules_fail(json, &err), TSBLOG_ESYNTAX);
	ck_assert_str_eq(err.message,
			 "test.json:1:34: invalid JSON: duplicate object key near '\"rules\"'");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 34);
	ck_assert_uint_eq(err.position, 34);
	free(json);
}
END_TEST

/* Rules are read one at a time (rulefile.c), but invalid JSON anywhere
 * in the file is still what is reported, before an earlier rule's own
 * error, at jansson's location: a repeated key in the second rule. */
#define TWO_RULES(second)                                                   \
	"{'tsblog': 1, 'rules': [\n"                                        \
	" {'id': 'a', 'severity': 'error', 'title': 'T', 'match': 'x', "    \
	"'sumary': 's'},\n"                                                 \
	" {'id': 'b', " second "}\n]}"

START_TEST(errors_json_later_rule_before_earlier_rule)
{
	expect_error(TWO_RULES("'id': 'c'"), TSBLOG_ESYNTAX, 3, 17, ": 'c'}",
		     "", "",
		     "test.json:3:17: invalid JSON: duplicate object key near '\"id\"'");
}
END_TEST

/* The same file with its JSON put right: the first rule's error. */
START_TEST(errors_first_rule_error_when_json_is_valid)
{
	expect_error(TWO_RULES("'idd': 'c'"), TSBLOG_ESCHEMA, 2, 63, "'sumary'",
		     "a", "",
		     "test.json:2:63: rule \"a\": unknown member \"sumary\" in a rule (allowed: id, severity, component, title, match, key, summary, fix, see_also, docs, examples, counter_examples, literal, context)");
}
END_TEST

START_TEST(errors_json_empty_file)
{
	tsblog_error err;

	ck_assert_int_eq(tu_rules_fail("", &err), TSBLOG_ESYNTAX);
	ck_assert_str_eq(err.message,
			 "test.json:1:0: invalid JSON: '[' or '{' expected near end of file");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 0);
	ck_assert_uint_eq(err.position, 0);
}
END_TEST

/* --- the top level --------------------------------------------------- */

START_TEST(errors_top_level_not_object)
{
	expect_error("  [{'tsblog': 1}]", TSBLOG_ESCHEMA, 1, 3, "[", "", "",
		     "test.json:1:3: a rule file is a JSON object {\"tsblog\": 1, \"rules\": [...]}, not an array");
}
END_TEST

START_TEST(errors_version_missing)
{
	expect_error("{'rules': []}", TSBLOG_EVERSION, 1, 1, "{", "", "",
		     "test.json:1:1: missing the format version member \"tsblog\": 1");
}
END_TEST

START_TEST(errors_version_unsupported)
{
	expect_error("{'rules': [],\n 'tsblog': 2}", TSBLOG_EVERSION, 2, 12,
		     "2}", "", "tsblog",
		     "test.json:2:12: tsblog: format version 2 is not supported (this library reads 1)");
}
END_TEST

START_TEST(errors_version_string)
{
	expect_error("{'tsblog': '1', 'rules': []}", TSBLOG_EVERSION, 1, 12,
		     "'1'", "", "tsblog",
		     "test.json:1:12: tsblog: format version \"1\" is not supported (this library reads 1)");
}
END_TEST

START_TEST(errors_unknown_top_member)
{
	expect_error("{'tsblog': 1, 'rules': [],\n  'rule': []}", TSBLOG_ESCHEMA,
		     2, 3, "'rule'", "", "",
		     "test.json:2:3: unknown member \"rule\" in the rule file (allowed: tsblog, patterns, rules)");
}
END_TEST

START_TEST(errors_rules_missing)
{
	expect_error("{'tsblog': 1}", TSBLOG_ESCHEMA, 1, 1, "{", "", "",
		     "test.json:1:1: missing required member \"rules\"");
}
END_TEST

START_TEST(errors_rules_not_array)
{
	expect_error("{'tsblog': 1, 'rules': {}}", TSBLOG_ESCHEMA, 1, 24, "{}",
		     "", "rules",
		     "test.json:1:24: rules: must be an array of rules, not an object");
}
END_TEST

START_TEST(errors_rule_not_object)
{
	expect_error("{'tsblog': 1, 'rules': [\n  'a']}", TSBLOG_ESCHEMA, 2, 3,
		     "'a'", "", "",
		     "test.json:2:3: rules[0] must be an object, not a string");
}
END_TEST

START_TEST(errors_patterns_not_object)
{
	expect_error("{'tsblog': 1, 'patterns': ['x'], 'rules': []}",
		     TSBLOG_ESCHEMA, 1, 27, "['x']", "", "patterns",
		     "test.json:1:27: patterns: must be an object of NAME: regex, not an array");
}
END_TEST

START_TEST(errors_pattern_bad_name)
{
	expect_error("{'tsblog': 1, 'patterns': {'OK': 'x', '9LIVES': 'y'}, 'rules': []}",
		     TSBLOG_ESCHEMA, 1, 39, "'9LIVES'", "", "",
		     "test.json:1:39: pattern name \"9LIVES\" must be letters, digits and _ (not starting with a digit)");
}
END_TEST

START_TEST(errors_pattern_not_string)
{
	expect_error("{'tsblog': 1, 'patterns': {'N': 5}, 'rules': []}",
		     TSBLOG_ESCHEMA, 1, 33, "5}", "", "",
		     "test.json:1:33: pattern \"N\" must be a string, not an integer");
}
END_TEST

/* --- members of a rule ----------------------------------------------- */

START_TEST(errors_unknown_rule_member)
{
	/* The typo is caught even though "summary" is then missing too:
	 * naming the typo is the more useful message. */
	expect_error(RULE_HEAD "  'match': 'x',\n  'sumary': 's'" RULE_TAIL,
		     TSBLOG_ESCHEMA, 6, 3, "'sumary'", "a", "",
		     "test.json:6:3: rule \"a\": unknown member \"sumary\" in a rule (allowed: id, severity, component, title, match, key, summary, fix, see_also, docs, examples, counter_examples, literal, context)");
}
END_TEST

START_TEST(errors_unknown_example_member)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n"
		     "  'examples': [{'line': 'x', 'feilds': {}}]" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 30, "'feilds'", "a", "",
		     "test.json:7:30: rule \"a\": unknown member \"feilds\" in an example (allowed: line, fields, context)");
}
END_TEST

START_TEST(errors_example_without_line)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n"
		     "  'examples': [{'line': 'x'}, {'fields': {}}]" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 31, "{'fields'", "a", "examples[1]",
		     "test.json:7:31: rule \"a\": examples[1]: needs \"line\": a string");
}
END_TEST

/* A literal is looked for in the raw line; a JSON line's members are
 * matched as key=value, but its raw bytes hold "key":value. */
START_TEST(errors_literal_with_equals)
{
	expect_error(RULE_HEAD "  'match': 'attempt=(?<n>\\\\d+)',\n  'summary': 's',\n"
		     "  'literal': 'attempt='" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 14, "'attempt='", "a", "literal",
		     "test.json:7:14: rule \"a\": literal: must be plain ASCII without quotes, backslashes or '=', at offset 7 (JSON logs escape quotes and backslashes, and hold their fields as \"key\":value, matched as key=value)");
}
END_TEST

/* A missing member is reported at the rule's opening brace. */
START_TEST(errors_missing_id)
{
	expect_error("{'tsblog': 1, 'rules': [{'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 1, 25, "{'severity'", "", "",
		     "test.json:1:25: missing required member \"id\"");
}
END_TEST

START_TEST(errors_missing_severity)
{
	expect_error("{'tsblog': 1, 'rules': [{'id': 'a', 'title': 'T', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 1, 25, "{'id'", "a", "",
		     "test.json:1:25: rule \"a\": missing required member \"severity\"");
}
END_TEST

START_TEST(errors_missing_title)
{
	expect_error("{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 1, 25, "{'id'", "a", "",
		     "test.json:1:25: rule \"a\": missing required member \"title\"");
}
END_TEST

START_TEST(errors_missing_match)
{
	expect_error("{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error', 'title': 'T', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 1, 25, "{'id'", "a", "",
		     "test.json:1:25: rule \"a\": missing required member \"match\"");
}
END_TEST

START_TEST(errors_missing_summary)
{
	/* Second rule, on its own line: the index is right too. */
	expect_error("{'tsblog': 1, 'rules': [\n"
		     " {'id': 'a', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'},\n"
		     " {'id': 'b', 'severity': 'error', 'title': 'T', 'match': 'x'}]}",
		     TSBLOG_ESCHEMA, 3, 2, "{'id': 'b'", "b", "",
		     "test.json:3:2: rule \"b\": missing required member \"summary\"");
}
END_TEST

START_TEST(errors_empty_required_string)
{
	expect_error(RULE_HEAD "  'match': '',\n  'summary': 's'" RULE_TAIL,
		     TSBLOG_ESCHEMA, 5, 12, "''", "a", "match",
		     "test.json:5:12: rule \"a\": match: must not be empty");
}
END_TEST

START_TEST(errors_wrong_type_string)
{
	expect_error("{'tsblog': 1, 'rules': [{'id': 'a', 'severity': 'error',\n"
		     "  'title': ['T'], 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 2, 12, "['T']", "a", "title",
		     "test.json:2:12: rule \"a\": title: must be a string, not an array");
}
END_TEST

START_TEST(errors_wrong_type_id)
{
	expect_error("{'tsblog': 1, 'rules': [{'id': 7, 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 1, 32, "7,", "", "id",
		     "test.json:1:32: id: must be a string, not an integer");
}
END_TEST

START_TEST(errors_wrong_type_component)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n  'component': null" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 16, "null", "a", "component",
		     "test.json:7:16: rule \"a\": component: must be a string, not null");
}
END_TEST

START_TEST(errors_wrong_type_array)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n  'fix': 'restart it'" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 10, "'restart it'", "a", "fix",
		     "test.json:7:10: rule \"a\": fix: must be an array of strings, not a string");
}
END_TEST

START_TEST(errors_wrong_type_array_element)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n  'fix': ['ok', true]" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 17, "true", "a", "fix[1]",
		     "test.json:7:17: rule \"a\": fix[1]: must be a string, not a boolean");
}
END_TEST

START_TEST(errors_wrong_type_examples)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n  'examples': {'line': 'x'}" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 15, "{'line'", "a", "examples",
		     "test.json:7:15: rule \"a\": examples: must be an array of {\"line\": ..., \"fields\": {...}}, not an object");
}
END_TEST

START_TEST(errors_wrong_type_example_field_value)
{
	expect_error(RULE_HEAD "  'match': '(?<n>[0-9]+)',\n  'summary': 's',\n"
		     "  'examples': [{'line': '1', 'fields': {'n': 1}}]" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 46, "1}", "a", "examples[0]",
		     "test.json:7:46: rule \"a\": examples[0]: field \"n\" must be a string, not an integer");
}
END_TEST

START_TEST(errors_bad_severity)
{
	expect_error("{'tsblog': 1, 'rules': [{\n  'id': 'a',\n  'severity': 'fatal',\n"
		     "  'title': 'T', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 3, 15, "'fatal'", "a", "severity",
		     "test.json:3:15: rule \"a\": severity: \"fatal\" is not one of error, warning, info");
}
END_TEST

START_TEST(errors_bad_id)
{
	expect_error("{'tsblog': 1, 'rules': [{\n  'id': 'Port_Closed',\n"
		     "  'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 2, 9, "'Port_Closed'", "", "id",
		     "test.json:2:9: id: \"Port_Closed\" is not a valid id (lower-case letters, digits, '.' and '-'; starting with a letter or digit)");
}
END_TEST

START_TEST(errors_bad_id_leading_dash)
{
	expect_error("{'tsblog': 1, 'rules': [{'id': '-a', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'}]}",
		     TSBLOG_ESCHEMA, 1, 32, "'-a'", "", "id",
		     "test.json:1:32: id: \"-a\" is not a valid id (lower-case letters, digits, '.' and '-'; starting with a letter or digit)");
}
END_TEST

/* The message points at the second definition and names the first. */
START_TEST(errors_duplicate_id_same_file)
{
	expect_error("{'tsblog': 1, 'rules': [\n"
		     " {'id': 'a', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'},\n"
		     " {'id': 'b', 'severity': 'error', 'title': 'T', 'match': 'y', 'summary': 's'},\n"
		     "   {'id': 'a', 'severity': 'error', 'title': 'T', 'match': 'z', 'summary': 's'}]}",
		     TSBLOG_EDUPLICATE, 4, 11, "'a', 'severity': 'error', 'title': 'T', 'match': 'z'",
		     "a", "id",
		     "test.json:4:11: rule \"a\": id: duplicate rule id, first defined at test.json:2:2");
}
END_TEST

START_TEST(errors_duplicate_id_across_files)
{
	char *first = dq("{'tsblog': 1, 'rules': [\n"
			 "  {'id': 'x', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'},\n"
			 "  {'id': 'a', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'}]}");
	char *second = dq("{'tsblog': 1, 'rules': [\n"
			  "{'id': 'a', 'severity': 'error', 'title': 'T', 'match': 'y', 'summary': 's'}]}");
	tsblog_builder *b;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "first.json", first,
						   strlen(first), &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "second.json", second,
						   strlen(second), &err),
			 TSBLOG_EDUPLICATE);
	ck_assert_int_eq(err.code, TSBLOG_EDUPLICATE);
	ck_assert_str_eq(err.message,
			 "second.json:2:8: rule \"a\": id: duplicate rule id, first defined at first.json:3:3");
	ck_assert_str_eq(err.source, "second.json");
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 8);
	ck_assert_uint_eq(err.position, pos_of(second, "'a'"));
	ck_assert_str_eq(err.rule_id, "a");
	ck_assert_str_eq(err.member, "id");
	tsblog_builder_free(b);
	free(first);
	free(second);
}
END_TEST

/* --- patterns and macros --------------------------------------------- */

START_TEST(errors_regex_syntax)
{
	char *json = dq(RULE_HEAD "  'match': 'conn (refused|reset',\n  'summary': 's'" RULE_TAIL);
	tsblog_error err;

	ck_assert_int_eq(tu_rules_fail(json, &err), TSBLOG_EREGEX);
	ck_assert_str_eq(err.message,
			 "test.json:5:12: rule \"a\": match: PCRE2 error at offset 19: missing closing parenthesis");
	ck_assert_int_eq(err.line, 5);
	ck_assert_int_eq(err.column, 12);
	ck_assert_uint_eq(err.position, pos_of(json, "'conn"));
	ck_assert_str_eq(err.rule_id, "a");
	ck_assert_str_eq(err.member, "match");
	ck_assert_uint_eq(err.pattern_offset, 19);
	free(json);
}
END_TEST

/* With macros the offset is into the expanded pattern (which
 * tsblog_rule_pattern() would show), and the message says so. */
START_TEST(errors_regex_syntax_expanded)
{
	char *json = dq("{'tsblog': 1, 'patterns': {'W': '[a-z]+'}, 'rules': [{\n"
			"  'id': 'a', 'severity': 'error', 'title': 'T',\n"
			"  'match': '%{W:w} x)', 'summary': 's'}]}");
	tsblog_error err;

	ck_assert_int_eq(tu_rules_fail(json, &err), TSBLOG_EREGEX);
	/* "(?<w>[a-z]+) x)": the stray ')' is at offset 14. */
	ck_assert_str_eq(err.message,
			 "test.json:3:12: rule \"a\": match: PCRE2 error at offset 14 of the expanded pattern: unmatched closing parenthesis");
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 12);
	ck_assert_uint_eq(err.position, pos_of(json, "'%{W:w}"));
	ck_assert_str_eq(err.member, "match");
	ck_assert_uint_eq(err.pattern_offset, 14);
	free(json);
}
END_TEST

/* A pattern with only an escaped "\%{" is not "expanded". */
START_TEST(errors_regex_syntax_escaped_macro)
{
	char *json = dq(RULE_HEAD "  'match': '\\\\%{X} [z-a]',\n  'summary': 's'" RULE_TAIL);
	tsblog_error err;

	ck_assert_int_eq(tu_rules_fail(json, &err), TSBLOG_EREGEX);
	ck_assert_str_eq(err.message,
			 "test.json:5:12: rule \"a\": match: PCRE2 error at offset 9: range out of order in character class");
	ck_assert_uint_eq(err.pattern_offset, 9);
	free(json);
}
END_TEST

START_TEST(errors_macro_unknown)
{
	expect_error("{'tsblog': 1, 'patterns': {'HOST': '[a-z]+'}, 'rules': [{\n"
		     "  'id': 'a', 'severity': 'error', 'title': 'T',\n"
		     "  'match': 'to %{HOST:h}:%{PORT:p} failed', 'summary': 's'}]}",
		     TSBLOG_EMACRO, 3, 12, "'to %{", "a", "match",
		     "test.json:3:12: rule \"a\": match: %{PORT:p} at offset 13: no pattern \"PORT\" in \"patterns\"");
}
END_TEST

/* An unknown name inside a pattern definition: no rule is concerned. */
START_TEST(errors_macro_unknown_in_pattern)
{
	expect_error("{'tsblog': 1,\n 'patterns': {'A': 'x', 'B': 'y%{C}'},\n 'rules': []}",
		     TSBLOG_EMACRO, 2, 30, "'y%{C}'", "", "",
		     "test.json:2:30: %{C} at offset 1: no pattern \"C\" in \"patterns\"");
}
END_TEST

START_TEST(errors_macro_malformed_unclosed)
{
	expect_error(RULE_HEAD "  'match': 'a %{HOST b',\n  'summary': 's'" RULE_TAIL,
		     TSBLOG_EMACRO, 5, 12, "'a %{", "a", "match",
		     "test.json:5:12: rule \"a\": match: malformed reference at offset 2: write %{NAME} or %{NAME:field} (\\%{ for a literal)");
}
END_TEST

START_TEST(errors_macro_malformed_empty_field)
{
	expect_error("{'tsblog': 1, 'patterns': {'N': '[0-9]+'}, 'rules': [{\n"
		     "  'id': 'a', 'severity': 'error', 'title': 'T',\n"
		     "  'match': 'x%{N:}', 'summary': 's'}]}",
		     TSBLOG_EMACRO, 3, 12, "'x%{", "a", "match",
		     "test.json:3:12: rule \"a\": match: malformed reference at offset 1: write %{NAME} or %{NAME:field} (\\%{ for a literal)");
}
END_TEST

START_TEST(errors_macro_malformed_at_end)
{
	expect_error(RULE_HEAD "  'match': 'abc%{',\n  'summary': 's'" RULE_TAIL,
		     TSBLOG_EMACRO, 5, 12, "'abc", "a", "match",
		     "test.json:5:12: rule \"a\": match: malformed reference at offset 3: write %{NAME} or %{NAME:field} (\\%{ for a literal)");
}
END_TEST

/* A cycle is an error even when no rule uses it; the message shows the
 * whole loop. */
START_TEST(errors_macro_cycle)
{
	expect_error("{'tsblog': 1, 'patterns': {\n"
		     "  'A': 'x%{B}',\n"
		     "  'B': '%{C}y',\n"
		     "  'C': '(%{A})'},\n"
		     " 'rules': []}",
		     TSBLOG_EMACRO, 2, 8, "'x%{B}'", "", "",
		     "test.json:2:8: pattern \"A\" refers to itself: A -> B -> C -> A");
}
END_TEST

START_TEST(errors_macro_self_reference)
{
	expect_error("{'tsblog': 1, 'patterns': {'OK': 'x', 'A': '%{A}'}, 'rules': []}",
		     TSBLOG_EMACRO, 1, 44, "'%{A}'", "", "",
		     "test.json:1:44: pattern \"A\" refers to itself: A -> A");
}
END_TEST

/* PCRE2 itself refuses two groups of one name. */
START_TEST(errors_field_captured_twice)
{
	expect_error("{'tsblog': 1, 'patterns': {'N': '[0-9]+'}, 'rules': [{\n"
		     "  'id': 'a', 'severity': 'error', 'title': 'T',\n"
		     "  'match': 'from %{N:port} to %{N:port}', 'summary': 's'}]}",
		     TSBLOG_EREGEX, 3, 12, "'from", "a", "match",
		     "test.json:3:12: rule \"a\": match: PCRE2 error at offset 32 of the expanded pattern: two named subpatterns have the same name (PCRE2_DUPNAMES not set)");
}
END_TEST

/* (?J) makes PCRE2 accept duplicate names; a field still has one value,
 * so the compiler refuses them itself. */
START_TEST(errors_field_captured_twice_dupnames)
{
	expect_error(RULE_HEAD "  'match': '(?J)(?<f>a)(?<f>b)',\n  'summary': 's'" RULE_TAIL,
		     TSBLOG_EREGEX, 5, 12, "'(?J)", "a", "match",
		     "test.json:5:12: rule \"a\": match: field \"f\" is captured twice");
}
END_TEST

/* The same with another field in between: the duplicates are not
 * neighbours in pattern order. */
START_TEST(errors_field_captured_twice_apart)
{
	expect_error(RULE_HEAD "  'match': '(?J)(?<f>a)(?<g>b)(?<f>c)',\n  'summary': 's'" RULE_TAIL,
		     TSBLOG_EREGEX, 5, 12, "'(?J)", "a", "match",
		     "test.json:5:12: rule \"a\": match: field \"f\" is captured twice");
}
END_TEST

/* --- templates, keys, examples, see_also ----------------------------- */

#define FIELDS_MATCH "  'match': 'host (?<host>[a-z.]+) down',\n"

START_TEST(errors_template_unknown_field_summary)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': '{host} is down on {port}'" RULE_TAIL,
		     TSBLOG_ETEMPLATE, 6, 14, "'{host} is", "a", "summary",
		     "test.json:6:14: rule \"a\": summary: {port} at offset 18 names no field of the pattern");
}
END_TEST

START_TEST(errors_template_unknown_field_fix)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': '{host} is down',\n"
		     "  'fix': ['ping {host}', 'check {pod}']" RULE_TAIL,
		     TSBLOG_ETEMPLATE, 7, 26, "'check", "a", "fix[1]",
		     "test.json:7:26: rule \"a\": fix[1]: {pod} at offset 6 names no field of the pattern");
}
END_TEST

START_TEST(errors_template_unmatched_close)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': '{host}} is down'" RULE_TAIL,
		     TSBLOG_ETEMPLATE, 6, 14, "'{host}}", "a", "summary",
		     "test.json:6:14: rule \"a\": summary: unmatched '}' at offset 6 (write '}}' for a literal brace)");
}
END_TEST

START_TEST(errors_template_unclosed_open)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': 'down',\n  'fix': ['ping {host']" RULE_TAIL,
		     TSBLOG_ETEMPLATE, 7, 11, "'ping", "a", "fix[0]",
		     "test.json:7:11: rule \"a\": fix[0]: unclosed '{' at offset 5 (write '{{' for a literal brace)");
}
END_TEST

START_TEST(errors_template_empty_braces)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': 'x {} y'" RULE_TAIL,
		     TSBLOG_ETEMPLATE, 6, 14, "'x {}", "a", "summary",
		     "test.json:6:14: rule \"a\": summary: {} at offset 2 names no field of the pattern");
}
END_TEST

START_TEST(errors_key_not_a_field)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': 's',\n  'key': ['host', 'port']" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 19, "'port'", "a", "key[1]",
		     "test.json:7:19: rule \"a\": key[1]: \"port\" is not a field of the pattern");
}
END_TEST

START_TEST(errors_example_field_not_a_field)
{
	expect_error(RULE_HEAD FIELDS_MATCH "  'summary': 's',\n"
		     "  'examples': [{'line': 'host a down', 'fields': {'host': 'a', 'hots': 'a'}}]" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 64, "'hots'", "a", "examples[0]",
		     "test.json:7:64: rule \"a\": examples[0]: \"hots\" is not a field of the pattern");
}
END_TEST

START_TEST(errors_see_also_invalid_id)
{
	expect_error(RULE_HEAD "  'match': 'x',\n  'summary': 's',\n  'see_also': ['b', 'Other Rule']" RULE_TAIL,
		     TSBLOG_ESCHEMA, 7, 21, "'Other", "a", "see_also[1]",
		     "test.json:7:21: rule \"a\": see_also[1]: \"Other Rule\" is not a valid rule id");
}
END_TEST

/* --- files ------------------------------------------------------------ */

START_TEST(errors_file_cannot_be_opened)
{
	tsblog_builder *b;
	tsblog_error err;
	const char *path = "/nonexistent-tsblog/rules.json";

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_file(b, path, &err), TSBLOG_EIO);
	ck_assert_int_eq(err.code, TSBLOG_EIO);
	ck_assert_str_eq(err.source, path);
	ck_assert_str_eq(err.message,
			 "/nonexistent-tsblog/rules.json: cannot open rule file: No such file or directory");
	ck_assert_int_eq(err.line, 0);
	ck_assert_int_eq(err.column, 0);
	ck_assert_uint_eq(err.position, 0);
	ck_assert_str_eq(err.rule_id, "");
	ck_assert_str_eq(err.member, "");
	tsblog_builder_free(b);
}
END_TEST

/* A directory opens but cannot be read. */
START_TEST(errors_file_is_directory)
{
	tsblog_builder *b;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_file(b, "/", &err), TSBLOG_EIO);
	ck_assert_str_eq(err.message,
			 "/: cannot read rule file: Is a directory");
	tsblog_builder_free(b);
}
END_TEST

/* The location is in characters, as jansson counts them, so that syntax
 * errors and our own agree on a line with non-ASCII text before them. */
START_TEST(errors_location_after_utf8)
{
	char *json = dq("{'tsblog': 1, 'rules': [{'id': 'a', 'title': 'Ünïcödé',"
			" 'severity': 'bad', 'match': 'x', 'summary': 's'}]}");
	tsblog_error err;

	ck_assert_int_eq(tu_rules_fail(json, &err), TSBLOG_ESCHEMA);
	ck_assert_uint_eq(err.position, pos_of(json, "'bad'"));
	/* 'Ünïcödé' has 4 two-byte characters. */
	ck_assert_int_eq(err.column, (int)err.position + 1 - 4);
	free(json);
}
END_TEST

/* --- the builder after a failure -------------------------------------- */

/* A file fails as a whole: its good first rule is not kept, and the
 * builder goes on to load and build a good file. */
START_TEST(errors_failed_add_leaves_builder_usable)
{
	char *bad = dq("{'tsblog': 1, 'rules': ["
		       "{'id': 'good-in-bad-file', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'},"
		       "{'id': 'broken', 'severity': 'error', 'title': 'T', 'match': '(', 'summary': 's'}]}");
	char *good = dq("{'tsblog': 1, 'rules': ["
			"{'id': 'good', 'severity': 'error', 'title': 'T', 'match': 'x', 'summary': 's'}]}");
	char *reuse = dq("{'tsblog': 1, 'rules': ["
			 "{'id': 'good-in-bad-file', 'severity': 'info', 'title': 'T', 'match': 'y', 'summary': 's'}]}");
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "bad.json", bad,
						   strlen(bad), &err),
			 TSBLOG_EREGEX);
	ck_assert_str_eq(err.rule_id, "broken");
	ck_assert_int_eq(tsblog_builder_add_string(b, "bad.json", "{", 1, &err),
			 TSBLOG_ESYNTAX);
	ck_assert_int_eq(tsblog_builder_add_file(b, "/nonexistent-tsblog/x.json",
						 &err), TSBLOG_EIO);
	ck_assert_int_eq(tsblog_builder_add_string(b, "good.json", good,
						   strlen(good), &err), 0);
	/* The id of the rejected file's rule is free to use. */
	ck_assert_int_eq(tsblog_builder_add_string(b, "reuse.json", reuse,
						   strlen(reuse), &err), 0);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	ck_assert_uint_eq(tsblog_ruleset_count(rs), 2);
	ck_assert_str_eq(tsblog_rule_id(tsblog_ruleset_rule(rs, 0)), "good");
	ck_assert_str_eq(tsblog_rule_source(tsblog_ruleset_rule(rs, 1)),
			 "reuse.json");
	ck_assert_int_eq(tsblog_rule_severity(tsblog_ruleset_find(rs, "good-in-bad-file")),
			 TSBLOG_SEVERITY_INFO);
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
	free(bad);
	free(good);
	free(reuse);
}
END_TEST

/* err is optional; the code alone still says what failed. */
START_TEST(errors_null_err_pointer)
{
	tsblog_builder *b;
	char *json = dq("{'tsblog': 2, 'rules': []}");

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, NULL), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "x.json", json,
						   strlen(json), NULL),
			 TSBLOG_EVERSION);
	ck_assert_int_eq(tsblog_builder_add_string(b, "x.json", "[", 1, NULL),
			 TSBLOG_ESYNTAX);
	ck_assert_int_eq(tsblog_builder_add_file(b, "/nonexistent-tsblog/x",
						 NULL), TSBLOG_EIO);
	tsblog_builder_free(b);
	free(json);
}
END_TEST

START_TEST(errors_bad_arguments)
{
	tsblog_builder *b;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(NULL, NULL, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(err.code, TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	ck_assert_int_eq(tsblog_builder_add_string(b, "x", NULL, 3, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_builder_add_string(NULL, "x", "{}", 2, &err),
			 TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_builder_add_file(b, NULL, &err), TSBLOG_EINVAL);
	ck_assert_int_eq(tsblog_builder_build(NULL, b, &err), TSBLOG_EINVAL);
	tsblog_builder_free(b);
}
END_TEST

START_TEST(errors_code_names)
{
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_OK), "ok");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_ENOMEM), "nomem");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EINVAL), "invalid");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EIO), "io");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_ESYNTAX), "syntax");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_ESCHEMA), "schema");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EREGEX), "regex");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_ETEMPLATE), "template");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EMACRO), "macro");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EDUPLICATE), "duplicate");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EVERSION), "version");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EMATCH), "match");
	ck_assert_str_eq(tsblog_error_code_name(TSBLOG_EUSER), "user");
	ck_assert_str_eq(tsblog_error_code_name(-13), "unknown");
	ck_assert_str_eq(tsblog_error_code_name(1), "unknown");
}
END_TEST

/* --- data-driven: tests/data/invalid/<case>/{rules.json,error} -------- */

/* Each case directory holds a rule file and the expected report, in the
 * manner of jansson's own test suite: "LINE COLUMN POSITION" on the first
 * line, the message on the second.  The message names the file
 * "rules.json" (also where it refers to another place in the file); it is
 * reported with the path the file was loaded by. */
static void
expand_name(char *out, size_t size, const char *msg, const char *path)
{
	size_t n = 0;
	const char *hit;

	while ((hit = strstr(msg, "rules.json:")) && n < size) {
		n += (size_t)snprintf(out + n, size - n, "%.*s%s",
				      (int)(hit - msg), msg, path);
		msg = hit + strlen("rules.json");
	}
	if (n < size)
		snprintf(out + n, size - n, "%s", msg);
}

static void
run_invalid_case(const char *dir, const char *name)
{
	char path[8192], want[2048], got_loc[64], *expect, *nl, *msg;
	tsblog_builder *b;
	tsblog_error err;
	int rc;

	ck_assert_int_lt(strlen(dir) + strlen(name), 4096);
	snprintf(path, sizeof(path), "%s/%s/error", dir, name);
	expect = tu_read_file(path, NULL);
	nl = strchr(expect, '\n');
	ck_assert_msg(nl != NULL, "%s: no message line", path);
	*nl = '\0';
	msg = nl + 1;
	if ((nl = strchr(msg, '\n')))
		*nl = '\0';
	ck_assert_msg(!strncmp(msg, "rules.json:", 11),
		      "%s: message must start with rules.json:", path);

	snprintf(path, sizeof(path), "%s/%s/rules.json", dir, name);
	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	rc = tsblog_builder_add_file(b, path, &err);
	tsblog_builder_free(b);
	ck_assert_msg(rc < 0, "%s: compiled", name);
	ck_assert_int_eq(rc, err.code);

	snprintf(got_loc, sizeof(got_loc), "%d %d %zu", err.line, err.column,
		 err.position);
	ck_assert_msg(!strcmp(got_loc, expect), "%s: location %s, expected %s",
		      name, got_loc, expect);
	expand_name(want, sizeof(want), msg, path);
	ck_assert_msg(!strcmp(err.message, want),
		      "%s: message\n  got:  %s\n  want: %s", name, err.message,
		      want);
	ck_assert_str_eq(err.source, path);
	free(expect);
}

START_TEST(errors_data_driven_cases)
{
	char dir[4096];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s", tu_data("invalid"));
	d = opendir(dir);
	ck_assert_msg(d != NULL, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		char sub[8192];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (stat(sub, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		run_invalid_case(dir, e->d_name);
		n++;
	}
	closedir(d);
	/* A missing directory or an empty one must not pass silently. */
	ck_assert_int_ge(n, 8);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("errors");
	TCase *json = tcase_create("json");
	TCase *top = tcase_create("top");
	TCase *rule = tcase_create("rule");
	TCase *pat = tcase_create("pattern");
	TCase *tmpl = tcase_create("template");
	TCase *misc = tcase_create("misc");

	tcase_add_test(json, errors_json_truncated);
	tcase_add_test(json, errors_json_trailing_comma);
	tcase_add_test(json, errors_json_duplicate_key);
	tcase_add_test(json, errors_json_later_rule_before_earlier_rule);
	tcase_add_test(json, errors_first_rule_error_when_json_is_valid);
	tcase_add_test(json, errors_json_empty_file);
	suite_add_tcase(s, json);

	tcase_add_test(top, errors_top_level_not_object);
	tcase_add_test(top, errors_version_missing);
	tcase_add_test(top, errors_version_unsupported);
	tcase_add_test(top, errors_version_string);
	tcase_add_test(top, errors_unknown_top_member);
	tcase_add_test(top, errors_rules_missing);
	tcase_add_test(top, errors_rules_not_array);
	tcase_add_test(top, errors_rule_not_object);
	tcase_add_test(top, errors_patterns_not_object);
	tcase_add_test(top, errors_pattern_bad_name);
	tcase_add_test(top, errors_pattern_not_string);
	suite_add_tcase(s, top);

	tcase_add_test(rule, errors_unknown_rule_member);
	tcase_add_test(rule, errors_unknown_example_member);
	tcase_add_test(rule, errors_example_without_line);
	tcase_add_test(rule, errors_literal_with_equals);
	tcase_add_test(rule, errors_missing_id);
	tcase_add_test(rule, errors_missing_severity);
	tcase_add_test(rule, errors_missing_title);
	tcase_add_test(rule, errors_missing_match);
	tcase_add_test(rule, errors_missing_summary);
	tcase_add_test(rule, errors_empty_required_string);
	tcase_add_test(rule, errors_wrong_type_string);
	tcase_add_test(rule, errors_wrong_type_id);
	tcase_add_test(rule, errors_wrong_type_component);
	tcase_add_test(rule, errors_wrong_type_array);
	tcase_add_test(rule, errors_wrong_type_array_element);
	tcase_add_test(rule, errors_wrong_type_examples);
	tcase_add_test(rule, errors_wrong_type_example_field_value);
	tcase_add_test(rule, errors_bad_severity);
	tcase_add_test(rule, errors_bad_id);
	tcase_add_test(rule, errors_bad_id_leading_dash);
	tcase_add_test(rule, errors_duplicate_id_same_file);
	tcase_add_test(rule, errors_duplicate_id_across_files);
	suite_add_tcase(s, rule);

	tcase_add_test(pat, errors_regex_syntax);
	tcase_add_test(pat, errors_regex_syntax_expanded);
	tcase_add_test(pat, errors_regex_syntax_escaped_macro);
	tcase_add_test(pat, errors_macro_unknown);
	tcase_add_test(pat, errors_macro_unknown_in_pattern);
	tcase_add_test(pat, errors_macro_malformed_unclosed);
	tcase_add_test(pat, errors_macro_malformed_empty_field);
	tcase_add_test(pat, errors_macro_malformed_at_end);
	tcase_add_test(pat, errors_macro_cycle);
	tcase_add_test(pat, errors_macro_self_reference);
	tcase_add_test(pat, errors_field_captured_twice);
	tcase_add_test(pat, errors_field_captured_twice_dupnames);
	tcase_add_test(pat, errors_field_captured_twice_apart);
	suite_add_tcase(s, pat);

	tcase_add_test(tmpl, errors_template_unknown_field_summary);
	tcase_add_test(tmpl, errors_template_unknown_field_fix);
	tcase_add_test(tmpl, errors_template_unmatched_close);
	tcase_add_test(tmpl, errors_template_unclosed_open);
	tcase_add_test(tmpl, errors_template_empty_braces);
	tcase_add_test(tmpl, errors_key_not_a_field);
	tcase_add_test(tmpl, errors_example_field_not_a_field);
	tcase_add_test(tmpl, errors_see_also_invalid_id);
	suite_add_tcase(s, tmpl);

	tcase_add_test(misc, errors_file_cannot_be_opened);
	tcase_add_test(misc, errors_file_is_directory);
	tcase_add_test(misc, errors_location_after_utf8);
	tcase_add_test(misc, errors_failed_add_leaves_builder_usable);
	tcase_add_test(misc, errors_null_err_pointer);
	tcase_add_test(misc, errors_bad_arguments);
	tcase_add_test(misc, errors_code_names);
	tcase_add_test(misc, errors_data_driven_cases);
	suite_add_tcase(s, misc);
	return s;
}

int
main(void)
{
	return tu_run(suite());
}
