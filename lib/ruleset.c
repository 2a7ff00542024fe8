#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "prefilter.h"
#include "summary.h"

#define DEFAULT_MATCH_LIMIT 1000000UL
#define DEFAULT_DEPTH_LIMIT 10000UL
#define DEFAULT_HEAP_LIMIT 20000UL

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

int
tsblog_compile_options_init(tsblog_compile_options *opts, unsigned int version)
{
	if (!opts || version != TSBLOG_COMPILE_OPTIONS_VERSION)
		return TSBLOG_EINVAL;
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	opts->match_limit = DEFAULT_MATCH_LIMIT;
	opts->depth_limit = DEFAULT_DEPTH_LIMIT;
	opts->heap_limit = DEFAULT_HEAP_LIMIT;
	return 0;
}

static int
invalid(tsblog_error *err, const char *what)
{
	err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL, "%s", what);
	return TSBLOG_EINVAL;
}

static int
nomem(tsblog_error *err)
{
	err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
		  "out of memory");
	return TSBLOG_ENOMEM;
}

int
tsblog_builder_new(tsblog_builder **out, const tsblog_compile_options *opts,
		   tsblog_error *err)
{
	tsblog_builder *b;

	if (!out)
		return invalid(err, "tsblog_builder_new: out is NULL");
	if (opts && opts->version != TSBLOG_COMPILE_OPTIONS_VERSION)
		return invalid(err, "tsblog_builder_new: unknown options version");
	b = calloc(1, sizeof(*b));
	if (!b)
		return nomem(err);
	tsblog_compile_options_init(&b->opts, TSBLOG_COMPILE_OPTIONS_VERSION);
	if (opts) {
		b->opts.no_jit = opts->no_jit;
		if (opts->match_limit)
			b->opts.match_limit = opts->match_limit;
		if (opts->depth_limit)
			b->opts.depth_limit = opts->depth_limit;
		if (opts->heap_limit)
			b->opts.heap_limit = opts->heap_limit;
	}
	b->cctx = pcre2_compile_context_create(NULL);
	if (!b->cctx) {
		free(b);
		return nomem(err);
	}
	*out = b;
	return 0;
}

static void
builder_clear(tsblog_builder *b)
{
	size_t i;
	for (i = 0; i < b->nrules; i++)
		rule_free(b->rules[i]);
	for (i = 0; i < b->nfiles; i++)
		rule_file_unref(b->files[i]);
	free(b->rules);
	free(b->files);
	strmap_free(&b->ids);
	b->rules = NULL;
	b->files = NULL;
	b->nrules = b->caprules = b->nfiles = b->capfiles = 0;
}

void
tsblog_builder_free(tsblog_builder *b)
{
	if (!b)
		return;
	builder_clear(b);
	pcre2_compile_context_free(b->cctx);
	free(b);
}

int
tsblog_builder_add_string(tsblog_builder *b, const char *name,
			  const char *text, size_t len, tsblog_error *err)
{
	char *copy;

	if (!b || (!text && len))
		return invalid(err, "tsblog_builder_add_string: NULL argument");
	copy = malloc(len + 1);
	if (!copy)
		return nomem(err);
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return rules_load(b, name ? name : "<string>", copy, len, err);
}

int
tsblog_builder_add_builtin(tsblog_builder *b, tsblog_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < tsblog_builtin_nfiles; i++) {
		rc = tsblog_builder_add_string(b, tsblog_builtin_files[i].name,
					       tsblog_builtin_files[i].text,
					       tsblog_builtin_files[i].len, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
tsblog_builder_add_file(tsblog_builder *b, const char *path,
			tsblog_error *err)
{
	err_where w = { path, NULL, 0 };
	FILE *fp;
	buf_t text = { 0 };
	char chunk[65536];
	size_t n;

	if (!b || !path)
		return invalid(err, "tsblog_builder_add_file: NULL argument");
	fp = fopen(path, "rb");
	if (!fp) {
		err_raise(err, TSBLOG_EIO, &w, NO_POS, NULL, NULL,
			  "cannot open rule file: %s", strerror(errno));
		return TSBLOG_EIO;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_add(&text, chunk, n) < 0) {
			fclose(fp);
			buf_free(&text);
			return nomem(err);
		}
	}
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		buf_free(&text);
		err_raise(err, TSBLOG_EIO, &w, NO_POS, NULL, NULL,
			  "cannot read rule file: %s", strerror(e));
		return TSBLOG_EIO;
	}
	fclose(fp);
	if (!text.data && buf_add(&text, "", 0) < 0)
		return nomem(err);
	return rules_load(b, path, text.data, text.len, err);
}

/* Words that make a line worth a look for the summary's unclassified
 * errors even when no rule's literal is in it: the stems of the level
 * names level_name() knows, in every mix of case it accepts. */
static const char *const level_stems[] = { "err", "warn", "fatal", "panic",
					   "crit", NULL };

/* Every upper/lower-case spelling of @stem, appended to lits[*n]. */
static int
add_case_variants(char **lits, int *owner, size_t *n, const char *stem)
{
	size_t len = strlen(stem), v, k;

	for (v = 0; v < (1u << len); v++) {
		char *w = malloc(len + 1);
		if (!w)
			return -1;
		for (k = 0; k < len; k++)
			w[k] = (char)(v >> k & 1 ? stem[k] - 'a' + 'A' : stem[k]);
		w[len] = '\0';
		lits[*n] = w;
		owner[(*n)++] = -1;
	}
	return 0;
}

/* Both prefilters, or neither: one rule without a literal means every
 * line must be tried, and then there is nothing to skip. */
static int
build_prefilters(tsblog_ruleset *rs)
{
	char **lits;
	int *owner;
	size_t i, k, n = 0, nlevels = 0, nrule;
	int rc = 0;

	for (i = 0; i < rs->nrules; i++) {
		if (!rs->rules[i]->nliterals)
			return 0;
		n += rs->rules[i]->nliterals;
	}
	for (i = 0; level_stems[i]; i++)
		nlevels += (size_t)1 << strlen(level_stems[i]);
	if (!n)
		return 0;
	nrule = n;
	lits = calloc(n + nlevels, sizeof(char *));
	owner = calloc(n + nlevels, sizeof(int));
	if (!lits || !owner) {
		rc = -1;
		goto out;
	}
	n = 0;
	for (i = 0; i < rs->nrules; i++)
		for (k = 0; k < rs->rules[i]->nliterals; k++) {
			lits[n] = rs->rules[i]->literals[k];
			owner[n++] = (int)i;
		}
	for (i = 0; level_stems[i]; i++)
		if (add_case_variants(lits, owner, &n, level_stems[i]) < 0) {
			rc = -1;
			goto out;
		}
	rs->pf = pf_new(lits, owner, nrule);
	rs->pf_levels = pf_new(lits, owner, n);
	if (!rs->pf || !rs->pf_levels)
		rc = -1;
out:
	for (i = nrule; lits && i < n; i++)
		free(lits[i]);
	free(lits);
	free(owner);
	return rc;
}

int
tsblog_builder_build(tsblog_ruleset **out, tsblog_builder *b,
		     tsblog_error *err)
{
	tsblog_ruleset *rs;
	size_t i;

	if (!out || !b)
		return invalid(err, "tsblog_builder_build: NULL argument");
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return nomem(err);
	rs->shape_code = shape_compile();
	rs->redact_code = redact_compile();
	if (!rs->shape_code || !rs->redact_code) {
		pcre2_code_free(rs->shape_code);
		pcre2_code_free(rs->redact_code);
		free(rs);
		return nomem(err);
	}
	if (pthread_mutex_init(&rs->jit_lock, NULL) != 0) {
		pcre2_code_free(rs->shape_code);
		pcre2_code_free(rs->redact_code);
		free(rs);
		return nomem(err);
	}
	rs->opts = b->opts;
	rs->rules = b->rules;
	rs->nrules = b->nrules;
	rs->files = b->files;
	rs->nfiles = b->nfiles;
	rs->ids = b->ids;
	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i]->ngroups > rs->max_groups)
			rs->max_groups = rs->rules[i]->ngroups;
	if (build_prefilters(rs) < 0) {
		/* Give the rules back: the builder still owns them. */
		pf_free(rs->pf);
		pf_free(rs->pf_levels);
		pcre2_code_free(rs->shape_code);
		pcre2_code_free(rs->redact_code);
		pthread_mutex_destroy(&rs->jit_lock);
		free(rs);
		return nomem(err);
	}
	memset(&b->ids, 0, sizeof(b->ids));
	b->rules = NULL;
	b->files = NULL;
	b->nrules = b->caprules = b->nfiles = b->capfiles = 0;
	*out = rs;
	return 0;
}

int
tsblog_ruleset_new_builtin(tsblog_ruleset **out, tsblog_error *err)
{
	tsblog_builder *b;
	int rc;

	if (!out)
		return invalid(err, "tsblog_ruleset_new_builtin: out is NULL");
	rc = tsblog_builder_new(&b, NULL, err);
	if (rc < 0)
		return rc;
	rc = tsblog_builder_add_builtin(b, err);
	if (rc == 0)
		rc = tsblog_builder_build(out, b, err);
	tsblog_builder_free(b);
	return rc;
}

void
tsblog_ruleset_free(tsblog_ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	for (i = 0; i < rs->nfiles; i++)
		rule_file_unref(rs->files[i]);
	free(rs->rules);
	free(rs->files);
	strmap_free(&rs->ids);
	pcre2_code_free(rs->shape_code);
	pcre2_code_free(rs->redact_code);
	pf_free(rs->pf);
	pf_free(rs->pf_levels);
	pthread_mutex_destroy(&rs->jit_lock);
	free(rs);
}

/* JIT compiling costs more than compiling, and in a big rule set most
 * rules never meet a line holding their literal: so a pattern is JIT
 * compiled when first matched (1000 rules, 200 MB: 52 ever were).  Once
 * per rule, under the set's lock; the flag is set after, so a reader that
 * sees it sees the finished code.  Without JIT (unsupported CPU, no
 * executable memory, no_jit) PCRE2 interprets: slower, same results. */
void
rule_jit(const struct tsblog_ruleset *rs, const struct tsblog_rule *r)
{
	/* The lock and the flag are what a const rule set may change. */
	pthread_mutex_t *lock = (pthread_mutex_t *)&rs->jit_lock;
	atomic_int *jitted = (atomic_int *)&r->jitted;

	if (atomic_load_explicit(jitted, memory_order_acquire))
		return;
	pthread_mutex_lock(lock);
	if (!atomic_load_explicit(jitted, memory_order_relaxed)) {
		if (!rs->opts.no_jit)
			(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(jitted, 1, memory_order_release);
	}
	pthread_mutex_unlock(lock);
}

size_t
tsblog_ruleset_count(const tsblog_ruleset *rs)
{
	return rs ? rs->nrules : 0;
}

const tsblog_rule *
tsblog_ruleset_rule(const tsblog_ruleset *rs, size_t index)
{
	return rs && index < rs->nrules ? rs->rules[index] : NULL;
}

const tsblog_rule *
tsblog_ruleset_find(const tsblog_ruleset *rs, const char *id)
{
	return rs ? rule_by_id(rs->rules, &rs->ids, id) : NULL;
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
		return invalid(err, "tsblog_rule_to_json: NULL argument");
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
	      json_object_set_new(o, "source", json_string(r->file->name)) < 0;
	*out = bad ? NULL : json_text(o, JSON_COMPACT);
	json_decref(o);
	if (!*out)
		return nomem(err);
	return 0;
}

/* --- self-tests ------------------------------------------------------ */

typedef struct {
	const tsblog_ruleset *rs;
	tsblog_check_cb cb;
	void *payload;
	int failures;
	int stopped;
} check_ctx;

static void
check_fail(check_ctx *c, const struct tsblog_rule *r, const char *kind,
	   size_t index, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
check_fail(check_ctx *c, const struct tsblog_rule *r, const char *kind,
	   size_t index, const char *fmt, ...)
{
	json_step path[4] = { { "rules", 0 }, { NULL, r->file_index },
			      { kind, 0 }, { NULL, index } };
	tsblog_check_failure f;
	char what[600], msg[900];
	size_t off = 0;
	va_list ap;

	c->failures++;
	if (!c->cb || c->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	json_locate(r->file->text, r->file->len, path, 4, 0, &off);
	memset(&f, 0, sizeof(f));
	offset_to_line_col(r->file->text, r->file->len, off, &f.line,
			   &f.column);
	snprintf(msg, sizeof(msg), "%s:%d:%d: rule \"%s\": %s[%zu]: %s",
		 r->file->name, f.line, f.column, r->id, kind, index, what);
	/* One line, whatever the example held. */
	for (char *q = msg; *q; q++)
		if (*q == '\n' || *q == '\r')
			*q = ' ';
	f.rule_id = r->id;
	f.source = r->file->name;
	f.kind = kind;
	f.index = index;
	f.message = msg;
	if (c->cb(&f, c->payload))
		c->stopped = 1;
}

/* Shorten a value for a message, so one bad example stays one line. */
static const char *
clip(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);
	if (n < size)
		return s;
	memcpy(buf, s, size - 4);
	memcpy(buf + size - 4, "...", 4);
	return buf;
}

static void
check_rule(check_ctx *c, tsblog_matcher *m, const struct tsblog_rule *r)
{
	size_t i, k;
	char b1[120], b2[120];

	for (i = 0; i < r->nexamples && !c->stopped; i++) {
		const rule_example *ex = &r->examples[i];
		const tsblog_diagnosis *d = NULL;
		int rc = tsblog_matcher_match(m, ex->line, strlen(ex->line),
					      &d, NULL);
		if (rc <= 0) {
			check_fail(c, r, "examples", i,
				   "no rule matches \"%s\"",
				   clip(ex->line, b1, sizeof(b1)));
			continue;
		}
		if (d->rule != r) {
			check_fail(c, r, "examples", i,
				   "matched by earlier rule \"%s\" instead (first match wins)",
				   d->rule->id);
			continue;
		}
		for (k = 0; k < ex->nfields; k++) {
			const char *got = tsblog_diagnosis_get(d, ex->names[k]);
			if (!got)
				check_fail(c, r, "examples", i,
					   "field \"%s\": expected \"%s\", but it did not match",
					   ex->names[k],
					   clip(ex->values[k], b1, sizeof(b1)));
			else if (strcmp(got, ex->values[k]))
				check_fail(c, r, "examples", i,
					   "field \"%s\": expected \"%s\", got \"%s\"",
					   ex->names[k],
					   clip(ex->values[k], b1, sizeof(b1)),
					   clip(got, b2, sizeof(b2)));
		}
	}
	/* A counter-example may match another rule; it must not match this
	 * one, whatever the order. */
	for (i = 0; i < r->ncounter && !c->stopped; i++) {
		pcre2_match_data *md =
			pcre2_match_data_create_from_pattern(r->code, NULL);
		int rc;
		if (!md) {
			c->failures++;
			c->stopped = 1;
			return;
		}
		rule_jit(c->rs, r);
		rc = pcre2_match(r->code, (PCRE2_SPTR)r->counter[i],
				 strlen(r->counter[i]), 0, 0, md, NULL);
		pcre2_match_data_free(md);
		if (rc >= 0)
			check_fail(c, r, "counter_examples", i,
				   "the rule matches \"%s\"",
				   clip(r->counter[i], b1, sizeof(b1)));
	}
	for (i = 0; i < r->nsee && !c->stopped; i++)
		if (!tsblog_ruleset_find(c->rs, r->see_also[i]))
			check_fail(c, r, "see_also", i,
				   "no rule \"%s\" in the rule set",
				   r->see_also[i]);
}

int
tsblog_ruleset_check(const tsblog_ruleset *rs, tsblog_check_cb cb,
		     void *payload, tsblog_error *err)
{
	check_ctx c = { rs, cb, payload, 0, 0 };
	tsblog_matcher *m;
	size_t i;
	int rc;

	if (!rs)
		return invalid(err, "tsblog_ruleset_check: rule set is NULL");
	rc = tsblog_matcher_new(&m, rs, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < rs->nrules && !c.stopped; i++)
		check_rule(&c, m, rs->rules[i]);
	tsblog_matcher_free(m);
	if (c.stopped) {
		err_raise(err, TSBLOG_EUSER, NULL, NO_POS, NULL, NULL,
			  "self-test stopped by the callback");
		return TSBLOG_EUSER;
	}
	return c.failures;
}
