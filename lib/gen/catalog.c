/* Build-time generator: load the bundled rule files with the library's own
 * loader (any error fails the build, with its file, line and column), then
 * write them as static C tables, so that a program starting with the
 * bundled catalog parses no JSON and compiles no pattern.
 *
 * Usage: catalog OUT.c RULES.json... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tsblog-private.h"

/* This program links the library without a catalog. */
const builtin_rule_file tsblog_builtin_files[1];
const size_t tsblog_builtin_nfiles = 0;

static FILE *out;

/* @n bytes of @s as a C string literal. */
static void
strn(const char *s, size_t n)
{
	const char *end = s + n;

	putc('"', out);
	for (; s < end; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\' || ch == '?')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(out, "\\%03o", ch);
		else
			putc(ch, out);
	}
	putc('"', out);
}

static void
str(const char *s)
{
	if (s)
		strn(s, strlen(s));
	else
		fputs("NULL", out);
}

/* A named array of strings, or nothing when empty. */
static void
strv(const char *name, char *const *v, size_t n)
{
	size_t i;

	if (!n)
		return;
	fprintf(out, "static char *const %s[] = {", name);
	for (i = 0; i < n; i++) {
		fputs(i ? ", " : " ", out);
		str(v[i]);
	}
	fputs(" };\n", out);
}

/* The name of rule @n's table @what, until the next call. */
static const char *
nm(const char *what, size_t n)
{
	static char name[64];
	snprintf(name, sizeof(name), "%s%zu", what, n);
	return name;
}

static void
ref(const char *type, const char *name, size_t n)
{
	if (n)
		fprintf(out, "(%s)%s", type, name);
	else
		fputs("NULL", out);
}

static void
ctxv(const ctx_values *cv)
{
	int k;

	fputs("{ { ", out);
	for (k = 0; k < CTX_NKEYS; k++) {
		fputs(k ? ", " : "", out);
		str(cv ? cv->v[k] : NULL);
	}
	fputs(" } }", out);
}

static void
segs(const char *name, const tmpl *t)
{
	size_t i;

	if (!t->nsegs)
		return;
	fprintf(out, "static const tmpl_seg %s[] = {", name);
	for (i = 0; i < t->nsegs; i++)
		fprintf(out, "%s{ %d, %zu, %zu }", i ? ", " : " ",
			t->segs[i].field, t->segs[i].off, t->segs[i].len);
	fputs(" };\n", out);
}

static void
tmpl_init(const tmpl *t, const char *segs_name)
{
	size_t i, n = 0;

	/* A template's literal bytes are not NUL-terminated: their length
	 * is where the last literal segment ends. */
	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].field < 0 && t->segs[i].off + t->segs[i].len > n)
			n = t->segs[i].off + t->segs[i].len;
	fputs("{ ", out);
	if (t->lit)
		strn(t->lit, n);
	else
		fputs("NULL", out);
	fputs(", ", out);
	ref("tmpl_seg *", segs_name, t->nsegs);
	fprintf(out, ", %zu }", t->nsegs);
}

/* Everything rule @n points to, then its initializer into @rules. */
static void
rule_tables(const struct tsblog_rule *r, size_t n, FILE *rules)
{
	char name[64];
	size_t i, k;

	strv(nm("fix", n), r->fix_src, r->nfix);
	strv(nm("see", n), r->see_also, r->nsee);
	segs(nm("sum", n), &r->summary);
	for (i = 0; i < r->nfix; i++) {
		snprintf(name, sizeof(name), "fix%zu_%zu", n, i);
		segs(name, &r->fix[i]);
	}
	if (r->nfix) {
		fprintf(out, "static const tmpl fixt%zu[] = {", n);
		for (i = 0; i < r->nfix; i++) {
			snprintf(name, sizeof(name), "fix%zu_%zu", n, i);
			fputs(i ? ", " : " ", out);
			tmpl_init(&r->fix[i], name);
		}
		fputs(" };\n", out);
	}
	strv(nm("fields", n), r->fields, r->nfields);
	if (r->nfields) {
		fprintf(out, "static const uint32_t groups%zu[] = {", n);
		for (i = 0; i < r->nfields; i++)
			fprintf(out, "%s%u", i ? ", " : " ", r->field_group[i]);
		fputs(" };\n", out);
	}
	if (r->nkeys) {
		fprintf(out, "static const size_t keys%zu[] = {", n);
		for (i = 0; i < r->nkeys; i++)
			fprintf(out, "%s%zu", i ? ", " : " ", r->keys[i]);
		fputs(" };\n", out);
	}
	for (i = 0; i < r->nexamples; i++) {
		snprintf(name, sizeof(name), "exn%zu_%zu", n, i);
		strv(name, r->examples[i].names, r->examples[i].nfields);
		snprintf(name, sizeof(name), "exv%zu_%zu", n, i);
		strv(name, r->examples[i].values, r->examples[i].nfields);
	}
	if (r->nexamples) {
		fprintf(out, "static const rule_example ex%zu[] = {\n", n);
		for (i = 0; i < r->nexamples; i++) {
			const rule_example *e = &r->examples[i];
			fputs("\t{ ", out);
			str(e->line);
			fputs(", ", out);
			ctxv(&e->ctx);
			fprintf(out, ", %zu, ", e->nfields);
			snprintf(name, sizeof(name), "exn%zu_%zu", n, i);
			ref("char **", name, e->nfields);
			fputs(", ", out);
			snprintf(name, sizeof(name), "exv%zu_%zu", n, i);
			ref("char **", name, e->nfields);
			fputs(" },\n", out);
		}
		fputs("};\n", out);
	}
	strv(nm("counter", n), r->counter, r->ncounter);
	if (r->ncounter) {
		fprintf(out, "static const ctx_values counterctx%zu[] = {", n);
		for (i = 0; i < r->ncounter; i++) {
			fputs(i ? ", " : " ", out);
			ctxv(r->counter_ctx ? &r->counter_ctx[i] : NULL);
		}
		fputs(" };\n", out);
	}
	if (r->nctx) {
		fprintf(out, "static const struct ctx_alt ctx%zu[] = {", n);
		for (i = 0; i < r->nctx; i++) {
			fputs(i ? ", { .src = { " : " { .src = { ", out);
			for (k = 0; k < CTX_NKEYS; k++) {
				fputs(k ? ", " : "", out);
				str(r->ctx[i].src[k]);
			}
			fputs(" } }", out);
		}
		fputs(" };\n", out);
	}
	strv(nm("lits", n), r->literals, r->nliterals);

	/* The initializer, in the struct's order. */
#define F(...) fprintf(rules, __VA_ARGS__)
#define S(s) (out = rules, str(s), out = tables)
	{
		FILE *tables = out;
		F("\t{ .id = "); S(r->id);
		F(", .component = "); S(r->component);
		F(", .title = "); S(r->title);
		F(",\n\t  .docs = "); S(r->docs);
		F(",\n\t  .match = "); S(r->match);
		F(",\n\t  .pattern = "); S(r->pattern);
		F(",\n\t  .summary_src = "); S(r->summary_src);
		F(",\n\t  .severity = %d", r->severity);
		F(", .fix_src = "); out = rules;
		ref("char **", nm("fix", n), r->nfix);
		F(", .nfix = %zu, .see_also = ", r->nfix);
		ref("char **", nm("see", n), r->nsee);
		F(", .nsee = %zu,\n\t  .summary = ", r->nsee);
		tmpl_init(&r->summary, nm("sum", n));
		F(", .fix = ");
		ref("tmpl *", nm("fixt", n), r->nfix);
		F(", .ngroups = %u,\n\t  .fields = ", r->ngroups);
		ref("char **", nm("fields", n), r->nfields);
		F(", .field_group = ");
		ref("uint32_t *", nm("groups", n), r->nfields);
		F(", .nfields = %zu, .keys = ", r->nfields);
		ref("size_t *", nm("keys", n), r->nkeys);
		F(", .nkeys = %zu,\n\t  .examples = ", r->nkeys);
		ref("rule_example *", nm("ex", n), r->nexamples);
		F(", .nexamples = %zu, .counter = ", r->nexamples);
		ref("char **", nm("counter", n), r->ncounter);
		F(", .counter_ctx = ");
		ref("ctx_values *", nm("counterctx", n), r->ncounter);
		F(", .ncounter = %zu,\n\t  .ctx = ", r->ncounter);
		ref("struct ctx_alt *", nm("ctx", n), r->nctx);
		F(", .nctx = %zu, .ctx_text = ", r->nctx);
		str(r->ctx_text);
		F(",\n\t  .literals = ");
		ref("char **", nm("lits", n), r->nliterals);
		F(", .nliterals = %zu, .file_index = %zu },\n",
		  r->nliterals, r->file_index);
		out = tables;
	}
#undef F
#undef S
}

int
main(int argc, char **argv)
{
	tsblog_builder *b;
	tsblog_error err;
	FILE *rules;
	size_t i, f, first = 0;
	char *rules_text = NULL;
	size_t rules_len = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT.c RULES.json...\n", argv[0]);
		return 2;
	}
	memset(&err, 0, sizeof(err));
	if (tsblog_builder_new(&b, NULL, &err) < 0)
		goto fail;
	out = fopen(argv[1], "w");
	rules = open_memstream(&rules_text, &rules_len);
	if (!out || !rules) {
		perror(argv[1]);
		return 1;
	}
	fputs("/* Generated from the rules/ files by lib/gen/catalog.c. */\n"
	      "#include \"tsblog-private.h\"\n\n", out);
	fputs("static const struct tsblog_rule rules[] = {\n", rules);
	for (f = 2; f < (size_t)argc; f++) {
		const char *base = strrchr(argv[f], '/');
		const rule_file *rf;

		if (tsblog_builder_add_file(b, argv[f], &err) < 0)
			goto fail;
		base = base ? base + 1 : argv[f];
		for (i = first; i < b->nrules; i++)
			rule_tables(b->rules[i], i, rules);
		rf = b->nrules > first ? b->rules[first]->file : NULL;
		fprintf(out, "static const char text%zu[] = ", f - 2);
		str(rf ? rf->text : "");
		fputs(";\n", out);
		first = b->nrules;
	}
	fputs("};\n\n", rules);
	fclose(rules);
	fwrite(rules_text, 1, rules_len, out);
	free(rules_text);
	fputs("const builtin_rule_file tsblog_builtin_files[] = {\n", out);
	for (first = 0, f = 2; f < (size_t)argc; f++) {
		const char *base = strrchr(argv[f], '/');
		size_t n = 0, len;

		base = base ? base + 1 : argv[f];
		while (first + n < b->nrules &&
		       b->rules[first + n]->file == b->rules[first]->file)
			n++;
		len = n ? b->rules[first]->file->len : 0;
		fprintf(out, "\t{ \"builtin:%s\", text%zu, %zu, rules + %zu, %zu },\n",
			base, f - 2, len, first, n);
		first += n;
	}
	fprintf(out, "};\nconst size_t tsblog_builtin_nfiles = %d;\n",
		argc - 2);
	tsblog_builder_free(b);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "%s\n", err.message);
	return 1;
}
