/*
 * Rule files: JSON (read with jansson) -> validated, compiled rules.
 *
 * A file is read whole or not at all: its rules are built in a local
 * array and handed to the caller (the builder) only when every one of
 * them compiled.  Every error names the file, line and column of the
 * offending member.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonline.h"
#include "jsonw.h"
#include "macro.h"
#include "prefilter.h"

#define FORMAT_VERSION 1

typedef struct {
	pcre2_compile_context *cctx;
	err_where w;
	tsblog_error *err;
	json_t *root;
	/* Deferred (see rulefile_load()): the rules' texts, each built
	 * into a tree in its turn; else the tree's "rules" array holds
	 * them. */
	slice *items;
	size_t nitems;
	buf_t scratch;          /* jsonline_tree_in()'s, for each rule */
	macro_table macros;
	arena_t *mem;           /* the file's: what its rules keep */
	/* the rule being loaded, for locations */
	size_t rule_index;
	const char *rule_id;
} load_ctx;

static const char *const top_members[] = { "tsblog", "patterns", "rules",
					   NULL };
static const char *const rule_members[] = {
	"id", "severity", "component", "title", "match", "key", "summary",
	"fix", "see_also", "docs", "examples", "counter_examples", "literal",
	"context", NULL
};
static const char *const example_members[] = { "line", "fields", "context",
					       NULL };

/* Report an error located at a path inside the current file.  Paths are
 * written as "rules", index, member, index ... with (size_t)-1 meaning
 * "no index here". */
static int
fail_path(load_ctx *c, int code, const json_step *path, size_t n,
	  int want_key, const char *member, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static int
fail_path(load_ctx *c, int code, const json_step *path, size_t n,
	  int want_key, const char *member, const char *fmt, ...)
{
	char msg[400];
	size_t off = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_locate(c->w.text, c->w.len, path, n, want_key, &off);
	err_raise(c->err, code, &c->w, off, c->rule_id, member, "%s", msg);
	return code;
}

/* Shorthand for the common case: rules[i].member[.sub] */
#define RULE_PATH(c, mem)                                                   \
	json_step path[4] = { { "rules", 0 }, { NULL, (c)->rule_index },    \
			      { (mem), 0 }, { NULL, 0 } }

static int
fail_rule(load_ctx *c, int code, const char *member, int want_key,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
fail_rule(load_ctx *c, int code, const char *member, int want_key,
	  const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	RULE_PATH(c, member);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail_path(c, code, path, member ? 3 : 2, want_key, member, "%s",
			 msg);
}

/* Same, one level deeper: rules[i].member[k] */
static int
fail_elem(load_ctx *c, int code, const char *member, size_t k,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
fail_elem(load_ctx *c, int code, const char *member, size_t k,
	  const char *fmt, ...)
{
	char msg[400], mem[64];
	va_list ap;
	RULE_PATH(c, member);

	path[3].index = k;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(mem, sizeof(mem), "%s[%zu]", member, k);
	return fail_path(c, code, path, 4, 0, mem, "%s", msg);
}

static const char *
json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

static void
list_join(char *dst, size_t size, const char *const *list)
{
	size_t n = 0;
	dst[0] = '\0';
	for (; *list && n < size; list++)
		n += (size_t)snprintf(dst + n, size - n, "%s%s", n ? ", " : "",
				      *list);
}

/* An unknown member is an error so that a typo ("sumary") never passes
 * silently. */
static int
check_members(load_ctx *c, json_t *obj, const char *const *allowed,
	      const json_step *path, size_t n, const char *what)
{
	const char *key;
	json_t *v;
	char allowed_s[200];
	json_step p[6];

	json_object_foreach(obj, key, v) {
		if (in_list(allowed, key))
			continue;
		memcpy(p, path, n * sizeof(*p));
		p[n].key = key;
		p[n].index = 0;
		list_join(allowed_s, sizeof(allowed_s), allowed);
		return fail_path(c, TSBLOG_ESCHEMA, p, n + 1, 1, NULL,
				 "unknown member \"%s\" in %s (allowed: %s)",
				 key, what, allowed_s);
	}
	return 0;
}

static int
valid_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '-'))
			return 0;
	return 1;
}

/* A copy of @s among the file's strings; NULL on no memory. */
static char *
keep(load_ctx *c, const char *s)
{
	return arena_add(c->mem, s, strlen(s));
}

/* Report a failed expansion at the pattern at fault, or at @where (the
 * string being expanded) when the fault is in that string itself. */
static int
macro_failed(load_ctx *c, int rc, const json_step *where, size_t nwhere,
	     const char *member)
{
	json_step in[2] = { { "patterns", 0 }, { NULL, 0 } };

	if (rc != TSBLOG_EMACRO)
		return rc;
	if (c->macros.err_in) {
		in[1].key = c->macros.err_in;
		return fail_path(c, rc, in, 2, 0, NULL, "%s",
				 c->macros.err_msg);
	}
	return fail_path(c, rc, where, nwhere, 0, member, "%s",
			 c->macros.err_msg);
}

/* Fill c->macros from "patterns" (checked here) and expand them all. */
static int
load_patterns(load_ctx *c)
{
	json_t *pats = json_object_get(c->root, "patterns"), *v;
	json_step where[2] = { { "patterns", 0 }, { NULL, 0 } };
	const char *key;
	size_t i = 0;

	if (!pats)
		return 0;
	if (!json_is_object(pats))
		return fail_path(c, TSBLOG_ESCHEMA, where, 1, 0, "patterns",
				 "must be an object of NAME: regex, not %s",
				 json_type_name(pats));
	c->macros.defs = calloc(json_object_size(pats) + 1,
				sizeof(*c->macros.defs));
	if (!c->macros.defs)
		return TSBLOG_ENOMEM;
	json_object_foreach(pats, key, v) {
		const char *k;
		where[1].key = key;
		for (k = key; *k && macro_is_word(*k, k == key); k++)
			;
		if (!*key || *k)
			return fail_path(c, TSBLOG_ESCHEMA, where, 2, 1, NULL,
					 "pattern name \"%s\" must be letters, digits and _ (not starting with a digit)",
					 key);
		if (!json_is_string(v))
			return fail_path(c, TSBLOG_ESCHEMA, where, 2, 0, NULL,
					 "pattern \"%s\" must be a string, not %s",
					 key, json_type_name(v));
		c->macros.defs[i].name = key;
		c->macros.defs[i++].src = json_string_value(v);
	}
	c->macros.n = i;
	return macro_failed(c, macro_expand_all(&c->macros), NULL, 0, NULL);
}

/* --- one rule ------------------------------------------------------- */

/* Fetch an optional string member; -1 (error reported) if present with
 * another type. */
static int
get_string(load_ctx *c, json_t *obj, const char *member, int required,
	   const char **out)
{
	json_t *v = json_object_get(obj, member);

	*out = NULL;
	if (!v) {
		if (!required)
			return 0;
		return fail_rule(c, TSBLOG_ESCHEMA, NULL, 0,
				 "missing required member \"%s\"", member);
	}
	if (!json_is_string(v))
		return fail_rule(c, TSBLOG_ESCHEMA, member, 0,
				 "must be a string, not %s",
				 json_type_name(v));
	*out = json_string_value(v);
	if (required && !**out)
		return fail_rule(c, TSBLOG_ESCHEMA, member, 0,
				 "must not be empty");
	return 0;
}

/* An optional array of strings, copied among the file's. */
static int
get_strings(load_ctx *c, json_t *obj, const char *member, char ***out,
	    size_t *n)
{
	json_t *v = json_object_get(obj, member), *e;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail_rule(c, TSBLOG_ESCHEMA, member, 0,
				 "must be an array of strings, not %s",
				 json_type_name(v));
	*out = arena_calloc(c->mem, json_array_size(v) + 1, sizeof(char *));
	if (!*out)
		return TSBLOG_ENOMEM;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return fail_elem(c, TSBLOG_ESCHEMA, member, i,
					 "must be a string, not %s",
					 json_type_name(e));
		(*out)[i] = keep(c, json_string_value(e));
		if (!(*out)[i])
			return TSBLOG_ENOMEM;
		*n = i + 1;
	}
	return 0;
}

static int
field_of(const struct tsblog_rule *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i], name))
			return (int)i;
	return -1;
}

static int
compile_pattern(load_ctx *c, struct tsblog_rule *r)
{
	json_step where[3] = { { "rules", 0 }, { NULL, c->rule_index },
			       { "match", 0 } };
	size_t len;
	int ec, rc;
	PCRE2_SIZE eo;
	uint32_t count, size, i;
	PCRE2_SPTR table;

	rc = macro_expand(&c->macros, r->match, &r->pattern, &len);
	if (rc < 0)
		return macro_failed(c, rc, where, 3, "match");
	/* Compiled here to check it and read its groups, then freed: most
	 * of a big set's rules never meet a line holding their literal, and
	 * rule_jit() compiles a rule for matching when one does.  Without
	 * the passes that only speed up matching (auto-possessifying, start
	 * optimisations), which report no errors: 1000 rules load in 0.93x
	 * the CPU. */
	r->code = pcre2_compile((PCRE2_SPTR)r->pattern, len,
				PATTERN_OPTIONS | PCRE2_NO_AUTO_POSSESS |
					PCRE2_NO_START_OPTIMIZE |
					PCRE2_NO_DOTSTAR_ANCHOR,
				&ec, &eo, c->cctx);
	if (!r->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		if (ec == PCRE2_ERROR_NOMEMORY || ec == PCRE2_ERROR_HEAP_FAILED)
			return TSBLOG_ENOMEM;
		rc = fail_rule(c, TSBLOG_EREGEX, "match", 0,
			       "PCRE2 error at offset %zu%s: %s", (size_t)eo,
			       strcmp(r->pattern, r->match)
				       ? " of the expanded pattern"
				       : "",
			       (const char *)msg);
		if (c->err)
			c->err->pattern_offset = eo;
		return rc;
	}
	pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ngroups);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
	r->fields = arena_calloc(c->mem, count + 1, sizeof(char *));
	r->field_group = arena_calloc(c->mem, count + 1, sizeof(uint32_t));
	if (!r->fields || !r->field_group)
		goto nomem;
	/* The name table is sorted by name; fields go in pattern order. */
	for (i = 0; i < count; i++) {
		const unsigned char *e = table + (size_t)i * size;
		uint32_t g = ((uint32_t)e[0] << 8) | e[1];
		size_t k = r->nfields;
		while (k > 0 && r->field_group[k - 1] > g) {
			r->fields[k] = r->fields[k - 1];
			r->field_group[k] = r->field_group[k - 1];
			k--;
		}
		r->nfields++;
		r->field_group[k] = g;
		r->fields[k] = keep(c, (const char *)e + 2);
		if (!r->fields[k])
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	rc = TSBLOG_ENOMEM;
out:
	/* The name table is the code's: freed only now. */
	pcre2_code_free(r->code);
	r->code = NULL;
	return rc;
}

/* --- context conditions (context.c) ---------------------------------- */

/* An example's or counter-example's "context" at @path (n steps). */
static int
load_example_context(load_ctx *c, json_t *e, ctx_values *cv,
		     const json_step *path, size_t n)
{
	json_t *v = json_object_get(e, "context");
	json_step p[8];
	size_t nw = 0;
	char bad[300];
	int rc;

	if (!v)
		return 0;
	memcpy(p, path, n * sizeof(*p));
	p[n].key = "context";
	p[n].index = 0;
	rc = context_values_parse(cv, v, bad, sizeof(bad), p + n + 1, &nw);
	if (rc == TSBLOG_ENOMEM || rc == 0)
		return rc;
	return fail_path(c, rc, p, n + 1 + nw, nw > 0, "context", "%s", bad);
}

static int
load_context(load_ctx *c, json_t *obj, struct tsblog_rule *r)
{
	json_t *v = json_object_get(obj, "context");
	json_step p[5] = { { "rules", 0 }, { NULL, c->rule_index },
			   { "context", 0 } };
	size_t nw = 0;
	char bad[300];
	int rc;

	if (!v)
		return 0;
	rc = context_compile(r, v, c->cctx, bad, sizeof(bad), p + 3, &nw);
	if (rc == TSBLOG_ENOMEM || rc == 0)
		return rc;
	return fail_path(c, rc, p, 3 + nw, nw > 0 && p[2 + nw].key, "context",
			 "%s", bad);
}

/* "counter_examples": lines, or {"line": ..., "context": {...}}. */
static int
load_counters(load_ctx *c, json_t *obj, struct tsblog_rule *r)
{
	json_t *v = json_object_get(obj, "counter_examples"), *e;
	static const char *const members[] = { "line", "context", NULL };
	size_t i;
	int rc;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail_rule(c, TSBLOG_ESCHEMA, "counter_examples", 0,
				 "must be an array of lines or {\"line\": ..., \"context\": {...}}, not %s",
				 json_type_name(v));
	r->counter = arena_calloc(c->mem, json_array_size(v) + 1,
				  sizeof(char *));
	r->counter_ctx = arena_calloc(c->mem, json_array_size(v) + 1,
				      sizeof(ctx_values));
	if (!r->counter || !r->counter_ctx)
		return TSBLOG_ENOMEM;
	json_array_foreach(v, i, e) {
		json_step path[4] = { { "rules", 0 }, { NULL, c->rule_index },
				      { "counter_examples", 0 }, { NULL, i } };
		json_t *line = json_is_object(e) ? json_object_get(e, "line") : e;

		r->ncounter = i + 1;
		if (json_is_object(e) &&
		    (rc = check_members(c, e, members, path, 4,
					"a counter-example")) < 0)
			return rc;
		if (!json_is_string(line))
			return fail_elem(c, TSBLOG_ESCHEMA, "counter_examples", i,
					 "must be a line or {\"line\": ..., \"context\": {...}}, not %s",
					 json_type_name(e));
		if (!(r->counter[i] = keep(c, json_string_value(line))))
			return TSBLOG_ENOMEM;
		if (json_is_object(e) &&
		    (rc = load_example_context(c, e, &r->counter_ctx[i], path,
					       4)) < 0)
			return rc;
	}
	return 0;
}

static int
load_examples(load_ctx *c, json_t *obj, struct tsblog_rule *r)
{
	json_t *v = json_object_get(obj, "examples"), *e;
	size_t i;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail_rule(c, TSBLOG_ESCHEMA, "examples", 0,
				 "must be an array of {\"line\": ..., \"fields\": {...}}, not %s",
				 json_type_name(v));
	r->examples = arena_calloc(c->mem, json_array_size(v) + 1,
				   sizeof(*r->examples));
	if (!r->examples)
		return TSBLOG_ENOMEM;
	json_array_foreach(v, i, e) {
		json_step path[5] = { { "rules", 0 }, { NULL, c->rule_index },
				      { "examples", 0 }, { NULL, i },
				      { NULL, 0 } };
		rule_example *ex = &r->examples[i];
		json_t *line, *fields, *fv;
		const char *key;
		char mem[64];
		size_t k = 0;
		int rc;

		r->nexamples = i + 1;
		snprintf(mem, sizeof(mem), "examples[%zu]", i);
		if (!json_is_object(e))
			return fail_path(c, TSBLOG_ESCHEMA, path, 4, 0, mem,
					 "must be an object {\"line\": ..., \"fields\": {...}}, not %s",
					 json_type_name(e));
		rc = check_members(c, e, example_members, path, 4,
				   "an example");
		if (rc < 0)
			return rc;
		line = json_object_get(e, "line");
		if (!json_is_string(line))
			return fail_path(c, TSBLOG_ESCHEMA, path, 4, 0, mem,
					 "needs \"line\": a string");
		ex->line = keep(c, json_string_value(line));
		if (!ex->line)
			return TSBLOG_ENOMEM;
		if ((rc = load_example_context(c, e, &ex->ctx, path, 4)) < 0)
			return rc;
		fields = json_object_get(e, "fields");
		if (!fields)
			continue;
		path[4].key = "fields";
		if (!json_is_object(fields))
			return fail_path(c, TSBLOG_ESCHEMA, path, 5, 0, mem,
					 "\"fields\" must be an object of field: value, not %s",
					 json_type_name(fields));
		ex->names = arena_calloc(c->mem, json_object_size(fields) + 1,
					 sizeof(char *));
		ex->values = arena_calloc(c->mem, json_object_size(fields) + 1,
					  sizeof(char *));
		if (!ex->names || !ex->values)
			return TSBLOG_ENOMEM;
		json_object_foreach(fields, key, fv) {
			json_step fp[6];
			memcpy(fp, path, sizeof(path));
			fp[5].key = key;
			if (field_of(r, key) < 0)
				return fail_path(c, TSBLOG_ESCHEMA, fp, 6, 1,
						 mem,
						 "\"%s\" is not a field of the pattern",
						 key);
			if (!json_is_string(fv))
				return fail_path(c, TSBLOG_ESCHEMA, fp, 6, 0,
						 mem,
						 "field \"%s\" must be a string, not %s",
						 key, json_type_name(fv));
			ex->names[k] = keep(c, key);
			ex->values[k] = keep(c, json_string_value(fv));
			ex->nfields = ++k;
			if (!ex->names[k - 1] || !ex->values[k - 1])
				return TSBLOG_ENOMEM;
		}
	}
	return 0;
}

static int
load_templates(load_ctx *c, struct tsblog_rule *r)
{
	char bad[300];
	size_t i;
	int rc;

	rc = tmpl_parse(&r->summary, r->summary_src, r, c->mem, bad,
			sizeof(bad));
	if (rc == TSBLOG_ETEMPLATE)
		return fail_rule(c, rc, "summary", 0, "%s", bad);
	if (rc < 0)
		return rc;
	r->fix = arena_calloc(c->mem, r->nfix + 1, sizeof(*r->fix));
	if (!r->fix)
		return TSBLOG_ENOMEM;
	for (i = 0; i < r->nfix; i++) {
		rc = tmpl_parse(&r->fix[i], r->fix_src[i], r, c->mem, bad,
				sizeof(bad));
		if (rc == TSBLOG_ETEMPLATE)
			return fail_elem(c, rc, "fix", i, "%s", bad);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
load_keys(load_ctx *c, json_t *obj, struct tsblog_rule *r)
{
	char **keys = NULL;
	size_t n = 0, i;
	int rc = get_strings(c, obj, "key", &keys, &n);

	if (rc == 0 && !json_object_get(obj, "key")) {
		/* Default: every field identifies the problem. */
		r->keys = arena_calloc(c->mem, r->nfields + 1, sizeof(size_t));
		if (!r->keys)
			rc = TSBLOG_ENOMEM;
		for (i = 0; rc == 0 && i < r->nfields; i++)
			r->keys[i] = i;
		r->nkeys = rc == 0 ? r->nfields : 0;
	} else if (rc == 0) {
		r->keys = arena_calloc(c->mem, n + 1, sizeof(size_t));
		if (!r->keys)
			rc = TSBLOG_ENOMEM;
		for (i = 0; rc == 0 && i < n; i++) {
			int f = field_of(r, keys[i]);
			if (f < 0)
				rc = fail_elem(c, TSBLOG_ESCHEMA, "key", i,
					       "\"%s\" is not a field of the pattern",
					       keys[i]);
			else
				r->keys[r->nkeys++] = (size_t)f;
		}
	}
	return rc;
}

/* The literal the prefilter looks for: given by the author, or found in
 * the pattern. */
static int
load_literal(load_ctx *c, json_t *obj, struct tsblog_rule *r)
{
	const char *lit, *q;
	int rc = get_string(c, obj, "literal", 0, &lit), n;

	if (rc < 0)
		return rc;
	if (lit) {
		if (strlen(lit) < MIN_LITERAL)
			return fail_rule(c, TSBLOG_ESCHEMA, "literal", 0,
					 "\"%s\" is too short: give at least %d characters every match contains",
					 lit, MIN_LITERAL);
		for (q = lit; *q; q++)
			if (!literal_byte((unsigned char)*q))
				return fail_rule(c, TSBLOG_ESCHEMA, "literal", 0,
						 "must be plain ASCII without quotes, backslashes or '=', at offset %zu (JSON logs escape quotes and backslashes, and hold their fields as \"key\":value, matched as key=value)",
						 (size_t)(q - lit));
		r->literals = calloc(1, sizeof(char *));
		if (!r->literals || !(r->literals[0] = strdup(lit)))
			return TSBLOG_ENOMEM;
		r->nliterals = 1;
		return 0;
	}
	n = pattern_literals(r->pattern, &r->literals);
	if (n < 0)
		return TSBLOG_ENOMEM;
	r->nliterals = (size_t)n;
	return 0;
}

static int
load_rule(load_ctx *c, json_t *obj, struct tsblog_rule *r)
{
	json_step path[2] = { { "rules", 0 }, { NULL, c->rule_index } };
	const char *id, *sev, *s;
	size_t i;
	int rc;

	if (!json_is_object(obj))
		return fail_path(c, TSBLOG_ESCHEMA, path, 2, 0, NULL,
				 "rules[%zu] must be an object, not %s",
				 c->rule_index, json_type_name(obj));
	if ((rc = get_string(c, obj, "id", 1, &id)) < 0)
		return rc;
	if (!valid_id(id))
		return fail_rule(c, TSBLOG_ESCHEMA, "id", 0,
				 "\"%s\" is not a valid id (lower-case letters, digits, '.' and '-'; starting with a letter or digit)",
				 id);
	c->rule_id = id;
	if ((rc = check_members(c, obj, rule_members, path, 2, "a rule")) < 0)
		return rc;
	if (!(r->id = keep(c, id)))
		return TSBLOG_ENOMEM;
	if ((rc = get_string(c, obj, "severity", 1, &sev)) < 0)
		return rc;
	if (!strcmp(sev, "error"))
		r->severity = TSBLOG_SEVERITY_ERROR;
	else if (!strcmp(sev, "warning"))
		r->severity = TSBLOG_SEVERITY_WARNING;
	else if (!strcmp(sev, "info"))
		r->severity = TSBLOG_SEVERITY_INFO;
	else
		return fail_rule(c, TSBLOG_ESCHEMA, "severity", 0,
				 "\"%s\" is not one of error, warning, info",
				 sev);
	if ((rc = get_string(c, obj, "title", 1, &s)) < 0 ||
	    !(r->title = keep(c, s)))
		return rc < 0 ? rc : TSBLOG_ENOMEM;
	if ((rc = get_string(c, obj, "match", 1, &s)) < 0 ||
	    !(r->match = keep(c, s)))
		return rc < 0 ? rc : TSBLOG_ENOMEM;
	if ((rc = get_string(c, obj, "summary", 1, &s)) < 0 ||
	    !(r->summary_src = keep(c, s)))
		return rc < 0 ? rc : TSBLOG_ENOMEM;
	if ((rc = get_string(c, obj, "component", 0, &s)) < 0 ||
	    (s && !(r->component = keep(c, s))))
		return rc < 0 ? rc : TSBLOG_ENOMEM;
	if ((rc = get_string(c, obj, "docs", 0, &s)) < 0 ||
	    (s && !(r->docs = keep(c, s))))
		return rc < 0 ? rc : TSBLOG_ENOMEM;
	if ((rc = get_strings(c, obj, "fix", &r->fix_src, &r->nfix)) < 0 ||
	    (rc = get_strings(c, obj, "see_also", &r->see_also, &r->nsee)) < 0 ||
	    (rc = load_counters(c, obj, r)) < 0)
		return rc;
	for (i = 0; i < r->nsee; i++)
		if (!valid_id(r->see_also[i]))
			return fail_elem(c, TSBLOG_ESCHEMA, "see_also", i,
					 "\"%s\" is not a valid rule id",
					 r->see_also[i]);
	if ((rc = compile_pattern(c, r)) < 0)
		return rc;
	/* (?J) allows a name twice; a field must be one value. */
	for (i = 1; i < r->nfields; i++)
		if (field_of(r, r->fields[i]) != (int)i)
			return fail_rule(c, TSBLOG_EREGEX, "match", 0,
					 "field \"%s\" is captured twice",
					 r->fields[i]);
	if ((rc = load_context(c, obj, r)) < 0 ||
	    (rc = load_literal(c, obj, r)) < 0 ||
	    (rc = load_keys(c, obj, r)) < 0 ||
	    (rc = load_templates(c, r)) < 0 ||
	    (rc = load_examples(c, obj, r)) < 0)
		return rc;
	return 0;
}

static int
load_root(load_ctx *c, struct tsblog_rule ***out, size_t *nout)
{
	json_step path[2] = { { "tsblog", 0 }, { NULL, 0 } };
	json_t *ver, *rules, *v;
	struct tsblog_rule **list;
	size_t i, n;
	int rc;

	if (!json_is_object(c->root))
		return fail_path(c, TSBLOG_ESCHEMA, path, 0, 0, NULL,
				 "a rule file is a JSON object {\"tsblog\": 1, \"rules\": [...]}, not %s",
				 json_type_name(c->root));
	ver = json_object_get(c->root, "tsblog");
	if (!ver)
		return fail_path(c, TSBLOG_EVERSION, path, 0, 0, NULL,
				 "missing the format version member \"tsblog\": %d",
				 FORMAT_VERSION);
	if (!json_is_integer(ver) ||
	    json_integer_value(ver) != FORMAT_VERSION) {
		char *shown = json_text(ver, JSON_ENCODE_ANY | JSON_COMPACT);
		rc = fail_path(c, TSBLOG_EVERSION, path, 1, 0, "tsblog",
			       "format version %s is not supported (this library reads %d)",
			       shown ? shown : "?", FORMAT_VERSION);
		free(shown);
		return rc;
	}
	if ((rc = check_members(c, c->root, top_members, path, 0,
				"the rule file")) < 0)
		return rc;
	rules = json_object_get(c->root, "rules");
	path[0].key = "rules";
	if (!rules)
		return fail_path(c, TSBLOG_ESCHEMA, path, 0, 0, NULL,
				 "missing required member \"rules\"");
	if (!json_is_array(rules))
		return fail_path(c, TSBLOG_ESCHEMA, path, 1, 0, "rules",
				 "must be an array of rules, not %s",
				 json_type_name(rules));
	if ((rc = load_patterns(c)) < 0)
		return rc;
	n = c->items ? c->nitems : json_array_size(rules);
	list = calloc(n + 1, sizeof(*list));
	if (!list)
		return TSBLOG_ENOMEM;
	*out = list;
	for (i = 0; i < n; i++) {
		struct tsblog_rule *r = calloc(1, sizeof(*r));
		if (!r)
			return TSBLOG_ENOMEM;
		list[i] = r;
		*nout = i + 1;
		r->file_index = i;
		c->rule_index = i;
		c->rule_id = NULL;
		v = c->items ? jsonline_tree_in(c->items[i].p, c->items[i].n,
						JSON_REJECT_DUPLICATES,
						&c->scratch)
			     : json_array_get(rules, i);
		if (!v)
			return TSBLOG_ESYNTAX;  /* read whole, jansson says */
		rc = load_rule(c, v, r);
		/* The rule holds copies of all it needs: free its tree now,
		 * so that the next rules reuse that memory instead of
		 * touching fresh pages (~12 us each on the bench's VM). */
		if (c->items)
			json_decref(v);
		else
			json_array_set_new(rules, i, json_null());
		if (rc < 0)
			return rc;
	}
	return 0;
}


int
rulefile_load(const char *name, char *text, size_t len,
	      pcre2_compile_context *cctx, struct tsblog_rule ***out,
	      size_t *nout, tsblog_error *err)
{
	load_ctx c;
	json_error_t jerr;
	struct tsblog_rule **list = NULL;
	size_t n = 0, i;
	rule_file *f;
	int rc;

	memset(&c, 0, sizeof(c));
	c.cctx = cctx;
	c.err = err;
	c.w.source = name;
	c.w.text = text;
	c.w.len = len;

	/* The file object owns the text from here on, and what its rules
	 * keep. */
	f = calloc(1, sizeof(*f));
	if (!f || !(f->name = strdup(name))) {
		free(f);
		free(text);
		return err_nomem(err);
	}
	f->text = text;
	f->len = len;
	f->refs = 1;
	c.mem = &f->mem;

	if (len > MAX_RULE_FILE) {
		err_raise(err, TSBLOG_ESCHEMA, &c.w, NO_POS, NULL, NULL,
			  "rule file larger than %u MiB; split it into several files",
			  MAX_RULE_FILE >> 20);
		rule_file_unref(f);
		return TSBLOG_ESCHEMA;
	}
	/* Rule by rule first: the tree of each rule is built, loaded and
	 * freed in turn (jsonline_tree_deferring()).  If anything is
	 * amiss, the file is read again whole, so that the error reported
	 * is the one a whole read finds first: jansson's for invalid JSON
	 * anywhere in it, else the first rule's that fails. */
	c.root = jsonline_tree_deferring(text, len, JSON_REJECT_DUPLICATES,
					 "rules", &c.items, &c.nitems);
	if (c.root) {
		c.err = NULL;
		rc = load_root(&c, &list, &n);
		buf_free(&c.scratch);
		if (rc == 0)
			goto loaded;
		for (i = 0; i < n; i++)
			rule_free(list[i]);
		free(list);
		list = NULL;
		n = 0;
		arena_clear(&f->mem);
		macro_table_fini(&c.macros);
		json_decref(c.root);
		free(c.items);
		c.items = NULL;
		c.err = err;
	}
	c.root = jsonline_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!c.root) {
		rc = json_error_code(&jerr) == json_error_out_of_memory
			     ? TSBLOG_ENOMEM
			     : TSBLOG_ESYNTAX;
		err_raise_lc(err, rc, name, jerr.line, jerr.column,
			     (size_t)(jerr.position > 0 ? jerr.position : 0),
			     "invalid JSON: %s", jerr.text);
		rule_file_unref(f);
		return rc;
	}
	rc = load_root(&c, &list, &n);
loaded:
	for (i = 0; i < n; i++) {
		list[i]->file = f;
		f->refs++;
	}
	if (rc == TSBLOG_ENOMEM)
		err_nomem(err);
	if (rc < 0) {
		for (i = 0; i < n; i++)
			rule_free(list[i]);
		free(list);
	} else {
		*out = list;
		*nout = n;
	}
	macro_table_fini(&c.macros);
	json_decref(c.root);
	free(c.items);
	rule_file_unref(f);
	return rc;
}
