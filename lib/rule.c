/* A compiled rule: freeing it, its accessors and its JSON form. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "jsonw.h"
#include "tsblog-private.h"

const char *
tsblog_severity_name(int severity)
{
	switch (severity) {
	case TSBLOG_SEVERITY_ERROR: return "error";
	case TSBLOG_SEVERITY_WARNING: return "warning";
	case TSBLOG_SEVERITY_INFO: return "info";
	default: return "unknown";
	}
}

void
rule_file_unref(rule_file *f)
{
	if (!f || --f->refs > 0)
		return;
	if (!f->borrowed) {
		free(f->name);
		free(f->text);
	}
	arena_free(&f->mem);
	free(f);
}

struct tsblog_rule *
rule_borrow(const struct tsblog_rule *src, rule_file *f)
{
	struct tsblog_rule *r = malloc(sizeof(*r));
	size_t i;
	int k;

	if (!r)
		return NULL;
	memcpy(r, src, sizeof(*r));
	r->borrowed = 1;
	r->code = NULL;
	atomic_init(&r->jitted, 0);
	/* The compiled context regexes are this rule set's own. */
	r->ctx = src->nctx ? calloc(src->nctx, sizeof(*r->ctx)) : NULL;
	if (src->nctx && !r->ctx) {
		free(r);
		return NULL;
	}
	for (i = 0; i < src->nctx; i++)
		for (k = 0; k < CTX_NKEYS; k++)
			r->ctx[i].src[k] = src->ctx[i].src[k];
	r->file = f;
	f->refs++;
	return r;
}

void
rule_free(struct tsblog_rule *r)
{
	size_t i;

	if (!r)
		return;
	if (r->borrowed) {
		pcre2_code_free(r->code);
		pcre2_code_free(r->anchored);
		context_free(r);
		rule_file_unref(r->file);
		free(r);
		return;
	}
	for (i = 0; r->examples && i < r->nexamples; i++)
		context_values_free(&r->examples[i].ctx);
	for (i = 0; r->counter_ctx && i < r->ncounter; i++)
		context_values_free(&r->counter_ctx[i]);
	/* Its strings and arrays are its file's (rulefile.c). */
	free(r->pattern);
	pcre2_code_free(r->code);
	pcre2_code_free(r->anchored);
	context_free(r);
	strv_free(r->literals, r->nliterals);
	rule_file_unref(r->file);
	free(r);
}

struct tsblog_rule *
rule_by_id(struct tsblog_rule *const *rules, const strmap *ids,
	   const char *id)
{
	size_t i = id ? strmap_find(ids, id, strlen(id)) : STRMAP_NONE;
	return i == STRMAP_NONE ? NULL : rules[i];
}

const char *tsblog_rule_id(const tsblog_rule *r) { return r->id; }
int tsblog_rule_severity(const tsblog_rule *r) { return r->severity; }
const char *tsblog_rule_component(const tsblog_rule *r) { return r->component; }
const char *tsblog_rule_title(const tsblog_rule *r) { return r->title; }
const char *tsblog_rule_docs(const tsblog_rule *r) { return r->docs; }
const char *tsblog_rule_match(const tsblog_rule *r) { return r->match; }
const char *tsblog_rule_pattern(const tsblog_rule *r) { return r->pattern; }
const char *tsblog_rule_summary(const tsblog_rule *r) { return r->summary_src; }
const char *tsblog_rule_source(const tsblog_rule *r) { return r->file->name; }
size_t tsblog_rule_fix_count(const tsblog_rule *r) { return r->nfix; }
size_t tsblog_rule_see_also_count(const tsblog_rule *r) { return r->nsee; }
size_t tsblog_rule_field_count(const tsblog_rule *r) { return r->nfields; }
size_t tsblog_rule_key_count(const tsblog_rule *r) { return r->nkeys; }
size_t tsblog_rule_example_count(const tsblog_rule *r) { return r->nexamples; }
size_t tsblog_rule_counter_example_count(const tsblog_rule *r) { return r->ncounter; }
size_t tsblog_rule_literal_count(const tsblog_rule *r) { return r->nliterals; }

const char *
tsblog_rule_literal(const tsblog_rule *r, size_t i)
{
	return i < r->nliterals ? r->literals[i] : NULL;
}

const char *
tsblog_rule_fix(const tsblog_rule *r, size_t i)
{
	return i < r->nfix ? r->fix_src[i] : NULL;
}

const char *
tsblog_rule_see_also(const tsblog_rule *r, size_t i)
{
	return i < r->nsee ? r->see_also[i] : NULL;
}

const char *
tsblog_rule_field(const tsblog_rule *r, size_t i)
{
	return i < r->nfields ? r->fields[i] : NULL;
}

const char *
tsblog_rule_key(const tsblog_rule *r, size_t i)
{
	return i < r->nkeys ? r->fields[r->keys[i]] : NULL;
}

const char *
tsblog_rule_example(const tsblog_rule *r, size_t i)
{
	return i < r->nexamples ? r->examples[i].line : NULL;
}

const char *
tsblog_rule_counter_example(const tsblog_rule *r, size_t i)
{
	return i < r->ncounter ? r->counter[i] : NULL;
}

static json_t *
strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int
set_opt(json_t *o, const char *k, const char *v)
{
	return v ? json_object_set_new(o, k, json_string(v)) : 0;
}

int
tsblog_rule_to_json(char **out, const tsblog_rule *r, tsblog_error *err)
{
	json_t *o = json_object(), *keys = json_array(), *ex = json_array();
	size_t i, k;
	int bad = !o || !keys || !ex;

	if (!out || !r) {
		json_decref(o);
		json_decref(keys);
		json_decref(ex);
		return err_inval(err, "tsblog_rule_to_json: NULL argument");
	}
	for (i = 0; !bad && i < r->nkeys; i++)
		bad |= json_array_append_new(
			       keys, json_string(r->fields[r->keys[i]])) < 0;
	for (i = 0; !bad && i < r->nexamples; i++) {
		json_t *e = json_object(), *f = json_object();
		bad |= !e || !f;
		for (k = 0; !bad && k < r->examples[i].nfields; k++)
			bad |= json_object_set_new(
				       f, r->examples[i].names[k],
				       json_string(r->examples[i].values[k])) < 0;
		bad = bad ||
		      json_object_set_new(e, "line",
					  json_string(r->examples[i].line)) < 0 ||
		      json_object_set_new(e, "fields", f) < 0 ||
		      json_array_append_new(ex, e) < 0;
		if (bad)
			json_decref(e);
	}
	bad = bad || json_object_set_new(o, "id", json_string(r->id)) < 0 ||
	      json_object_set_new(o, "severity",
				  json_string(tsblog_severity_name(r->severity))) < 0 ||
	      set_opt(o, "component", r->component) < 0 ||
	      json_object_set_new(o, "title", json_string(r->title)) < 0 ||
	      json_object_set_new(o, "match", json_string(r->match)) < 0 ||
	      (r->ctx_text &&
	       json_object_set_new(o, "context",
				   json_loads(r->ctx_text, 0, NULL)) < 0) ||
	      json_object_set_new(o, "key", keys) < 0 ||
	      json_object_set_new(o, "summary", json_string(r->summary_src)) < 0 ||
	      json_object_set_new(o, "fix", strv_json(r->fix_src, r->nfix)) < 0 ||
	      json_object_set_new(o, "see_also", strv_json(r->see_also, r->nsee)) < 0 ||
	      set_opt(o, "docs", r->docs) < 0 ||
	      json_object_set_new(o, "examples", ex) < 0 ||
	      json_object_set_new(o, "counter_examples",
				  strv_json(r->counter, r->ncounter)) < 0 ||
	      json_object_set_new(o, "literals",
				  strv_json(r->literals, r->nliterals)) < 0 ||
	      json_object_set_new(o, "source", json_string_utf8(r->file->name)) < 0;
	*out = bad ? NULL : json_text(o, JSON_COMPACT);
	json_decref(o);
	if (!*out)
		return err_nomem(err);
	return 0;
}

