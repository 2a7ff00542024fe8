/*
 * The bundled catalog is compiled at build time into static tables
 * (lib/gen/catalog.c).  Those tables must be exactly what loading the rule
 * files gives: every member of every rule, compared here with the rules
 * of the rule files loaded in catalog order, plus the lazy compilation of a
 * bundled rule's pattern and context on first use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "tsblog-private.h"

static void
str_eq(const char *a, const char *b, const char *id, const char *what)
{
	ck_assert_msg((!a && !b) || (a && b && !strcmp(a, b)),
		      "%s: %s: \"%s\" != \"%s\"", id, what, a ? a : "(null)",
		      b ? b : "(null)");
}

static void
strv_eq(char *const *a, char *const *b, size_t n, const char *id,
	const char *what)
{
	size_t i;
	for (i = 0; i < n; i++)
		str_eq(a[i], b[i], id, what);
}

static void
ctxv_eq(const ctx_values *a, const ctx_values *b, const char *id)
{
	int k;
	for (k = 0; k < CTX_NKEYS; k++)
		str_eq(a->v[k], b->v[k], id, "example context");
}

static void
tmpl_eq(const tmpl *a, const tmpl *b, const char *id)
{
	size_t i, n = 0;

	ck_assert_uint_eq(a->nsegs, b->nsegs);
	for (i = 0; i < a->nsegs; i++) {
		ck_assert_int_eq(a->segs[i].field, b->segs[i].field);
		ck_assert_uint_eq(a->segs[i].off, b->segs[i].off);
		ck_assert_uint_eq(a->segs[i].len, b->segs[i].len);
		if (a->segs[i].field < 0 &&
		    a->segs[i].off + a->segs[i].len > n)
			n = a->segs[i].off + a->segs[i].len;
	}
	ck_assert_msg(!n || !memcmp(a->lit, b->lit, n), "%s: template", id);
}

static void
rule_eq(const struct tsblog_rule *a, const struct tsblog_rule *b)
{
	const char *id = b->id;
	size_t i;
	int k;

	str_eq(a->id, b->id, id, "id");
	str_eq(a->component, b->component, id, "component");
	str_eq(a->title, b->title, id, "title");
	str_eq(a->docs, b->docs, id, "docs");
	str_eq(a->match, b->match, id, "match");
	str_eq(a->pattern, b->pattern, id, "pattern");
	str_eq(a->summary_src, b->summary_src, id, "summary");
	ck_assert_int_eq(a->severity, b->severity);
	ck_assert_uint_eq(a->nfix, b->nfix);
	strv_eq(a->fix_src, b->fix_src, a->nfix, id, "fix");
	ck_assert_uint_eq(a->nsee, b->nsee);
	strv_eq(a->see_also, b->see_also, a->nsee, id, "see_also");
	tmpl_eq(&a->summary, &b->summary, id);
	for (i = 0; i < a->nfix; i++)
		tmpl_eq(&a->fix[i], &b->fix[i], id);
	ck_assert_uint_eq(a->ngroups, b->ngroups);
	ck_assert_uint_eq(a->nfields, b->nfields);
	strv_eq(a->fields, b->fields, a->nfields, id, "fields");
	for (i = 0; i < a->nfields; i++)
		ck_assert_uint_eq(a->field_group[i], b->field_group[i]);
	ck_assert_uint_eq(a->nkeys, b->nkeys);
	for (i = 0; i < a->nkeys; i++)
		ck_assert_uint_eq(a->keys[i], b->keys[i]);
	ck_assert_uint_eq(a->nexamples, b->nexamples);
	for (i = 0; i < a->nexamples; i++) {
		const rule_example *x = &a->examples[i], *y = &b->examples[i];
		str_eq(x->line, y->line, id, "example");
		ctxv_eq(&x->ctx, &y->ctx, id);
		ck_assert_uint_eq(x->nfields, y->nfields);
		strv_eq(x->names, y->names, x->nfields, id, "example field");
		strv_eq(x->values, y->values, x->nfields, id, "example value");
	}
	ck_assert_uint_eq(a->ncounter, b->ncounter);
	strv_eq(a->counter, b->counter, a->ncounter, id, "counter-example");
	for (i = 0; i < a->ncounter; i++)
		ctxv_eq(&a->counter_ctx[i], &b->counter_ctx[i], id);
	ck_assert_uint_eq(a->nctx, b->nctx);
	for (i = 0; i < a->nctx; i++)
		for (k = 0; k < CTX_NKEYS; k++)
			str_eq(a->ctx[i].src[k], b->ctx[i].src[k], id, "context");
	str_eq(a->ctx_text, b->ctx_text, id, "context text");
	ck_assert_uint_eq(a->nliterals, b->nliterals);
	strv_eq(a->literals, b->literals, a->nliterals, id, "literals");
	ck_assert_uint_eq(a->file_index, b->file_index);
	ck_assert_uint_eq(a->file->len, b->file->len);
	ck_assert(!memcmp(a->file->text, b->file->text, a->file->len));
}

/* The rule files rules/catalog.txt lists, loaded as any rule file is. */
static tsblog_ruleset *
from_files(void)
{
	const char *dir = getenv("TSBLOG_RULES_DIR");
	char path[4096], line[256];
	tsblog_builder *b;
	tsblog_ruleset *rs;
	tsblog_error err;
	FILE *cat;

	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof(path), "%s/catalog.txt", dir);
	cat = fopen(path, "r");
	ck_assert_ptr_nonnull(cat);
	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	while (fgets(line, sizeof(line), cat)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		ck_assert_msg(tsblog_builder_add_file(b, path, &err) == 0,
			      "%s", err.message);
	}
	fclose(cat);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	tsblog_builder_free(b);
	return rs;
}

START_TEST(catalog_tables_equal_rule_files)
{
	tsblog_ruleset *files = from_files(), *builtin = tu_builtin();
	size_t i;

	ck_assert_uint_gt(tsblog_ruleset_count(files), 0);
	ck_assert_uint_eq(tsblog_ruleset_count(builtin),
			  tsblog_ruleset_count(files));
	for (i = 0; i < files->nrules; i++) {
		const char *src = strrchr(files->rules[i]->file->name, '/');
		char want[300];
		rule_eq(builtin->rules[i], files->rules[i]);
		snprintf(want, sizeof(want), "builtin:%s", src + 1);
		ck_assert_str_eq(tsblog_rule_source(builtin->rules[i]), want);
	}
	tsblog_ruleset_free(files);
	tsblog_ruleset_free(builtin);
}
END_TEST

/* Nothing is compiled at start: a rule's pattern is on its first match,
 * its context regexes when first tested, and nobody else's; the
 * prefilter when a first line is matched, the secret patterns when a
 * first string may hold a secret. */
START_TEST(catalog_compiled_on_first_use)
{
	static const char secret[] = "Authorization: Bearer abcdefghijkl";
	tsblog_ruleset *rs = tu_builtin();
	const struct tsblog_rule *r = NULL, *c = NULL;
	char *red;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;
	tsblog_error err;
	size_t i, hit = 0;
	char why[200];
	int k;

	for (i = 0; i < rs->nrules; i++) {
		const struct tsblog_rule *x = rs->rules[i];
		ck_assert_ptr_null(x->code);
		for (k = 0; x->nctx && k < CTX_NKEYS; k++)
			ck_assert_ptr_null(x->ctx[0].re[k]);
		if (!r && !x->nctx && x->nexamples)
			r = rs->rules[hit = i];
		if (!c && x->nctx)
			c = x;
	}
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_gt(rs->pf_nlits, 0);
	ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
	ck_assert_ptr_null(rs->redact_code);
	ck_assert_ptr_null(rs->pf);
	ck_assert_int_eq(tsblog_matcher_match(m, r->examples[0].line,
					      strlen(r->examples[0].line), &d,
					      &err), 1);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), r->id);
	ck_assert_ptr_nonnull(r->code);
	ck_assert_ptr_nonnull(rs->pf);
	for (i = hit + 1; i < rs->nrules; i++)
		ck_assert_ptr_null(rs->rules[i]->code);
	/* The secret patterns wait for a string that may hold a secret:
	 * the example holds none. */
	ck_assert(!strstr(r->examples[0].line, "earer"));
	ck_assert_ptr_null(rs->redact_code);
	ck_assert_int_eq(tsblog_matcher_redact(m, secret, strlen(secret),
					       &red, NULL, &err), 1);
	ck_assert_str_eq(red, "Authorization: Bearer <redacted:token>");
	free(red);
	ck_assert_ptr_nonnull(rs->redact_code);
	tsblog_matcher_free(m);

	ck_assert_int_ge(tsblog_rule_context_holds(c, "x", 1, NULL, why,
						   sizeof(why)), 0);
	for (k = 0; k < CTX_NKEYS; k++)
		ck_assert(!c->ctx[0].src[k] == !c->ctx[0].re[k]);
	tsblog_ruleset_free(rs);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, catalog_tables_equal_rule_files);
	tcase_add_test(tc, catalog_compiled_on_first_use);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
