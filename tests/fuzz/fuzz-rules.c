/*
 * libFuzzer target: the input is a rule file.
 *
 * It is added with tsblog_builder_add_string(); a failure must be one of
 * the documented codes with a one-line message that names the file.  A
 * file that loads is added a second time (every rule id is then a
 * duplicate), built, self-tested with tsblog_ruleset_check(), dumped rule
 * by rule with tsblog_rule_to_json(), and used to match a few fixed lines
 * and its own examples, alone and through a scanner.  Every match is
 * checked against PCRE2 itself: the first rule whose expanded pattern
 * PCRE2 matches must be the rule tsblog_matcher_match() reports (the
 * prefilter's literals may only skip rules that cannot match).  Before
 * all that, the tree the library reads rule files into
 * (jsonline_tree()) must be jansson's tree of the same bytes, and the
 * library's dump of it (json_text()) jansson's dump.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "fuzz-common.h"
#include "jsonline.h"
#include "jsonw.h"

#define L(s) { s, sizeof(s) - 1 }
static const struct {
	const char *p;
	size_t n;
} lines[] = {
	L(""),
	L("2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation "
	  "failed, retrying in 15m0s: secret istio-system/cluster-service-"
	  "account not found: Secret \"cluster-service-account\" not found"),
	L("{\"level\":\"error\",\"msg\":\"x509: certificate signed by "
	  "unknown authority\",\"name\":\"configs-4d116fd6\"}"),
	L("E1120 08:14:02.401127       1 reflector.go:138] failed to list "
	  "*v1.Secret: secrets is forbidden"),
	L("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
	L("\xff\xfe invalid \xc3\x28 utf-8 \xe2\x82 and a NUL here: \0 end"),
};

static const char log_text[] =
	"2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation "
	"failed: secret a/b not found\n"
	"[pod/edge-1/istio-proxy] warn\tupstream connect error 503\n"
	"plain line\r\n"
	"\xef\xbb\xbf{\"level\":\"warn\",\"msg\":\"\\u00e9 x\"}\n"
	"tail without newline";

static const int load_codes[] = {
	TSBLOG_ESYNTAX, TSBLOG_ESCHEMA, TSBLOG_EVERSION, TSBLOG_EREGEX,
	TSBLOG_EMACRO, TSBLOG_ETEMPLATE, TSBLOG_EDUPLICATE, 0
};

static void
check_error(int rc, const tsblog_error *err, size_t size)
{
	size_t i;

	for (i = 0; load_codes[i] && load_codes[i] != rc; i++)
		;
	FUZZ_CHECK(load_codes[i] == rc, "unexpected code %d (%s): %s", rc,
		   tsblog_error_code_name(rc), err->message);
	FUZZ_CHECK(err->code == rc, "err.code %d, returned %d", err->code, rc);
	FUZZ_CHECK(!strcmp(err->source, "fuzz.json"), "source \"%s\"",
		   err->source);
	FUZZ_CHECK(!strncmp(err->message, "fuzz.json", 9),
		   "message does not start with the file: %s", err->message);
	FUZZ_CHECK(!strpbrk(err->message, "\r\n"), "message not one line");
	FUZZ_CHECK(err->position <= size, "position %zu past the end %zu",
		   err->position, size);
	FUZZ_CHECK(err->line >= 0 && err->column >= 0, "negative location");
}

static int
on_failure(const tsblog_check_failure *f, void *payload)
{
	(void)payload;
	FUZZ_CHECK(f->rule_id && f->message && f->kind, "incomplete failure");
	FUZZ_CHECK(!strpbrk(f->message, "\r\n"), "failure not one line: %s",
		   f->message);
	return 0;
}

/* The rules compiled again, straight with PCRE2, with the same limits. */
typedef struct {
	const tsblog_ruleset *rs;
	pcre2_code **codes;
	size_t n;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
} oracle;

static void
oracle_init(oracle *o, const tsblog_ruleset *rs,
	    const tsblog_compile_options *opts)
{
	size_t i;

	o->rs = rs;
	o->n = tsblog_ruleset_count(rs);
	o->codes = calloc(o->n + 1, sizeof(*o->codes));
	o->md = pcre2_match_data_create(1, NULL);
	o->mctx = pcre2_match_context_create(NULL);
	FUZZ_CHECK(o->codes && o->md && o->mctx, "out of memory in the harness");
	pcre2_set_match_limit(o->mctx, (uint32_t)opts->match_limit);
	pcre2_set_depth_limit(o->mctx, (uint32_t)opts->depth_limit);
	pcre2_set_heap_limit(o->mctx, (uint32_t)opts->heap_limit);
	for (i = 0; i < o->n; i++) {
		const char *pat = tsblog_rule_pattern(tsblog_ruleset_rule(rs, i));
		int ec;
		PCRE2_SIZE eo;
		o->codes[i] = pcre2_compile((PCRE2_SPTR)pat, strlen(pat),
					    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
					    &ec, &eo, NULL);
		FUZZ_CHECK(o->codes[i] != NULL,
			   "PCRE2 rejects a pattern the library compiled: %s",
			   pat);
	}
}

static void
oracle_fini(oracle *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		pcre2_code_free(o->codes[i]);
	free(o->codes);
	pcre2_match_data_free(o->md);
	pcre2_match_context_free(o->mctx);
}

/* Index of the first rule PCRE2 matches, -1 for none, -2 when a limit
 * made the answer uncertain. */
static long
oracle_first(oracle *o, const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		int rc = pcre2_match(o->codes[i], (PCRE2_SPTR)line, len, 0, 0,
				     o->md, o->mctx);
		/* A bare line has no envelope: a rule with a context
		 * matches only where that holds for nothing known. */
		if (rc >= 0 && tsblog_rule_context_holds(
				       tsblog_ruleset_rule(o->rs, i), line,
				       len, NULL, NULL, 0) == 0)
			continue;
		if (rc >= 0)
			return (long)i;
		if (rc != PCRE2_ERROR_NOMATCH)
			return -2;
	}
	return -1;
}

static oracle *cur_oracle;

static void
match_one(tsblog_matcher *m, const char *line, size_t len)
{
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	uint64_t hits = tsblog_matcher_limit_hits(m);
	int rc = tsblog_matcher_match(m, line, len, &d, &err);

	FUZZ_CHECK(rc == 0 || rc == 1, "tsblog_matcher_match: %d: %s", rc,
		   err.message);
	if (cur_oracle && tsblog_matcher_limit_hits(m) == hits) {
		long want = oracle_first(cur_oracle, line, len), got = -1;
		if (rc == 1)
			while (tsblog_ruleset_rule(cur_oracle->rs, (size_t)++got) !=
			       tsblog_diagnosis_rule(d))
				;
		FUZZ_CHECK(want == -2 || want == got,
			   "PCRE2 says rule %ld, the matcher rule %ld, on "
			   "\"%.200s\"", want, got, line);
	}
	if (rc == 1) {
		char *js = NULL;
		size_t i;

		FUZZ_CHECK(tsblog_diagnosis_to_json(&js, d, &err) == 0,
			   "tsblog_diagnosis_to_json: %s", err.message);
		json_decref(fuzz_json_object(js));
		tsblog_free(js);
		for (i = 0; i < tsblog_diagnosis_field_count(d); i++)
			FUZZ_CHECK(tsblog_diagnosis_get(
					   d, tsblog_diagnosis_field_name(d, i)) != NULL,
				   "field %zu not found by name", i);
	}
}

static void
use_rules(const tsblog_ruleset *rs, const tsblog_compile_options *opts)
{
	tsblog_matcher *m = NULL;
	tsblog_error err;
	oracle o;
	size_t i, k;
	int rc;

	oracle_init(&o, rs, opts);
	cur_oracle = &o;

	rc = tsblog_ruleset_check(rs, on_failure, NULL, &err);
	FUZZ_CHECK(rc >= 0, "tsblog_ruleset_check: %d: %s", rc, err.message);
	FUZZ_CHECK(tsblog_matcher_new(&m, rs, &err) == 0,
		   "tsblog_matcher_new: %s", err.message);
	for (i = 0; i < tsblog_ruleset_count(rs); i++) {
		const tsblog_rule *r = tsblog_ruleset_rule(rs, i);
		char *js = NULL;

		FUZZ_CHECK(tsblog_ruleset_find(rs, tsblog_rule_id(r)) == r,
			   "rule %zu not found by id", i);
		FUZZ_CHECK(tsblog_rule_to_json(&js, r, &err) == 0,
			   "tsblog_rule_to_json: %s", err.message);
		json_decref(fuzz_json_object(js));
		tsblog_free(js);
		for (k = 0; k < tsblog_rule_example_count(r); k++) {
			const char *ex = tsblog_rule_example(r, k);
			match_one(m, ex, strlen(ex));
		}
		for (k = 0; k < tsblog_rule_counter_example_count(r); k++) {
			const char *ex = tsblog_rule_counter_example(r, k);
			match_one(m, ex, strlen(ex));
		}
	}
	for (i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		match_one(m, lines[i].p, lines[i].n);
	tsblog_matcher_free(m);
	cur_oracle = NULL;
	oracle_fini(&o);

	{
		static const size_t sizes[] = { 7, 0 };
		fuzz_scan a;
		fuzz_run_scan(rs, NULL, (const uint8_t *)log_text,
			      sizeof(log_text) - 1, sizes, &a);
		FUZZ_CHECK(a.records == 5, "records %llu",
			   (unsigned long long)a.records);
		fuzz_scan_free(&a);
	}
}

/* A file read rule by rule (jsonline_tree_deferring()) reads as jansson
 * read it whole, @j (NULL: not yet read): the root with an empty
 * "rules", and each element. */
static void
check_deferred(const char *p, size_t n, size_t flags, json_t *j)
{
	json_t *t, *e, *want;
	slice *items = NULL;
	size_t k, nitems = 0;
	char *a, *b;

	t = jsonline_tree_deferring(p, n, flags, "rules", &items, &nitems);
	if (!t)
		return;
	if (!j)
		j = json_loadb(p, n, flags, NULL);
	else
		json_incref(j);
	/* Where jansson refuses the whole, one of the elements must be
	 * refused too: the rule file is then read whole. */
	for (k = 0; !j && k < nitems; k++) {
		e = json_loadb(items[k].p, items[k].n, flags | JSON_DECODE_ANY,
			       NULL);
		if (!e)
			break;
		json_decref(e);
	}
	FUZZ_CHECK(j || k < nitems, "deferred: every item read, jansson "
				    "refuses the whole");
	if (!j) {
		json_decref(t);
		free(items);
		return;
	}
	want = json_object_get(j, "rules");
	FUZZ_CHECK(json_is_array(want) && json_array_size(want) == nitems,
		   "%zu deferred items, jansson's rules: %zu", nitems,
		   json_array_size(want));
	for (k = 0; k < nitems; k++) {
		e = json_loadb(items[k].p, items[k].n, flags | JSON_DECODE_ANY,
			       NULL);
		a = e ? json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
		b = json_dumps(json_array_get(want, k),
			       JSON_COMPACT | JSON_ENCODE_ANY);
		FUZZ_CHECK(a && b && !strcmp(a, b), "item %zu: %s, jansson %s",
			   k, a ? a : "(refused)", b);
		free(a);
		free(b);
		json_decref(e);
	}
	e = json_deep_copy(j);
	json_object_set_new(e, "rules", json_array());
	a = json_dumps(t, JSON_COMPACT);
	b = json_dumps(e, JSON_COMPACT);
	FUZZ_CHECK(a && b && !strcmp(a, b), "deferred root %s, jansson %s", a,
		   b);
	free(a);
	free(b);
	json_decref(e);
	json_decref(t);
	json_decref(j);
	free(items);
}

static void
check_tree(const char *p, size_t n, size_t flags)
{
	json_error_t jerr;
	json_t *t = jsonline_tree(p, n, flags), *j;
	char *a, *b;

	if (!t) {
		check_deferred(p, n, flags, NULL);
		return;
	}
	j = json_loadb(p, n, flags, &jerr);
	FUZZ_CHECK(j != NULL, "jsonline_tree read what jansson refuses: %s",
		   jerr.text);
	a = json_dumps(t, JSON_COMPACT);
	b = json_dumps(j, JSON_COMPACT);
	FUZZ_CHECK(a && b && !strcmp(a, b), "jsonline_tree %s, jansson %s", a, b);
	free(a);
	/* and the library's dump of a tree (jw_tree()) is jansson's */
	a = json_text(j, JSON_COMPACT);
	FUZZ_CHECK(a && !strcmp(a, b), "json_text %s, jansson %s", a, b);
	free(a);
	free(b);
	check_deferred(p, n, flags, j);
	json_decref(t);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsblog_compile_options opts = TSBLOG_COMPILE_OPTIONS_INIT;
	tsblog_builder *b = NULL;
	tsblog_ruleset *rs = NULL;
	tsblog_error err;
	int rc, again;

	check_tree((const char *)data, size, 0);
	check_tree((const char *)data, size, JSON_REJECT_DUPLICATES);
	/* The library's own limits: a catastrophic pattern must give up
	 * on its line where PCRE2's real match limit says so. */
	FUZZ_CHECK(tsblog_builder_new(&b, &opts, &err) == 0,
		   "tsblog_builder_new: %s", err.message);
	memset(&err, 0, sizeof(err));
	rc = tsblog_builder_add_string(b, "fuzz.json", (const char *)data,
				       size, &err);
	if (rc < 0) {
		check_error(rc, &err, size);
		/* Nothing was kept: the builder builds an empty set. */
		FUZZ_CHECK(tsblog_builder_build(&rs, b, &err) == 0,
			   "build after failure: %s", err.message);
		FUZZ_CHECK(tsblog_ruleset_count(rs) == 0, "%zu rules kept",
			   tsblog_ruleset_count(rs));
		goto out;
	}
	FUZZ_CHECK(rc == 0, "tsblog_builder_add_string returned %d", rc);
	memset(&err, 0, sizeof(err));
	again = tsblog_builder_add_string(b, "fuzz.json", (const char *)data,
					  size, &err);
	FUZZ_CHECK(tsblog_builder_build(&rs, b, &err) == 0, "build: %s",
		   err.message);
	if (tsblog_ruleset_count(rs) == 0) {
		FUZZ_CHECK(again == 0, "empty file failed the second time: %d",
			   again);
	} else {
		FUZZ_CHECK(again == TSBLOG_EDUPLICATE,
			   "second copy gave %d, not EDUPLICATE", again);
		FUZZ_CHECK(err.code == TSBLOG_EDUPLICATE && err.rule_id[0],
			   "duplicate report without the rule: %s",
			   err.message);
	}
	use_rules(rs, &opts);
out:
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
	return 0;
}
