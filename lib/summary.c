/*
 * The summary: distinct problems (rule + key fields) with counts, and the
 * warnings and errors no rule knew, grouped by the shape of their message.
 * Its size depends on how many distinct problems there are, never on how
 * long the input is; both tables are capped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "jsonw.h"
#include "level.h"
#include "limits.h"
#include "shape.h"
#include "summary.h"

/* Counts add up without wrapping: an event may claim any count, and the
 * summary prints them as JSON integers (int64). */
static uint64_t
add_count(uint64_t a, uint64_t b)
{
	const uint64_t max = (uint64_t)INT64_MAX;
	return a > max - (b > max ? max : b) ? max : a + b;
}

int
summary_init(summary *sm, const struct tsblog_ruleset *rs, int redacting)
{
	memset(sm, 0, sizeof(*sm));
	return cleaner_init(&sm->clean, rs, redacting);
}

static void
problem_free(problem *p)
{
	free(p->first_time);
	free(p->last_time);
	free(p->summary);
	free(p->pod);
	free(p->container);
	free(p->namespace);
	strv_free(p->fix, p->nfix);
	strv_free(p->names, p->nfields);
	strv_free(p->values, p->nfields);
	free(p->sources);
}

/* The entries' own memory; the tables stay. */
static void
free_entries(summary *sm)
{
	size_t i;

	for (i = 0; i < sm->nproblems; i++)
		problem_free(&sm->problems[i]);
	for (i = 0; i < sm->nsources; i++)
		free(sm->sources[i]);
}

void
summary_clear(summary *sm)
{
	free_entries(sm);
	arena_clear(&sm->strs);
	sm->nproblems = sm->nshapes = sm->nsources = 0;
	strmap_clear(&sm->problem_ix);
	strmap_clear(&sm->shape_ix);
	strmap_clear(&sm->source_ix);
	sm->problems_dropped = sm->shapes_dropped = 0;
	sm->allow = NULL;
	sm->raw_examples = 0;
	/* The memo's slots name entries of the tables just emptied. */
	sm->memo.epoch++;
}

void
summary_fini(summary *sm)
{
	free_entries(sm);
	free(sm->problems);
	free(sm->shapes);
	free(sm->sources);
	strmap_free(&sm->problem_ix);
	strmap_free(&sm->shape_ix);
	strmap_free(&sm->source_ix);
	cleaner_fini(&sm->clean);
	shape_memo_free(&sm->memo);
	buf_free(&sm->key);
	buf_free(&sm->example);
	arena_free(&sm->strs);
	memset(sm, 0, sizeof(*sm));
}

static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*arr, c * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

static char *
dupn(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int
source_index(summary *sm, const char *source, size_t *out)
{
	size_t k;

	source = source ? source : "-";
	k = strmap_put(&sm->source_ix, source, strlen(source), sm->nsources);
	if (k == STRMAP_NOMEM)
		return -1;
	if (k == sm->nsources) {
		if (grow((void **)&sm->sources, &sm->capsources, sm->nsources,
			 sizeof(char *)) < 0 ||
		    !(sm->sources[sm->nsources] = strdup(source)))
			return -1;
		sm->nsources++;
	}
	*out = k;
	return 0;
}

static int
set_time(char **dst, const char *t)
{
	char *c;
	if (!t)
		return 0;
	c = strdup(t);
	if (!c)
		return -1;
	free(*dst);
	*dst = c;
	return 0;
}

static int
new_problem(summary *sm, const tsblog_diagnosis *d, problem *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->rule = d->rule;
	p->first_line = d->line;
	p->seq = sm->nproblems;
	p->summary = dupn(tsblog_diagnosis_summary(d));
	if ((tsblog_diagnosis_pod(d) &&
	     !(p->pod = dupn(tsblog_diagnosis_pod(d)))) ||
	    (tsblog_diagnosis_container(d) &&
	     !(p->container = dupn(tsblog_diagnosis_container(d)))) ||
	    (tsblog_diagnosis_namespace(d) &&
	     !(p->namespace = dupn(tsblog_diagnosis_namespace(d)))))
		return -1;
	p->nfix = tsblog_diagnosis_fix_count(d);
	p->fix = calloc(p->nfix + 1, sizeof(char *));
	p->nfields = tsblog_diagnosis_field_count(d);
	p->names = calloc(p->nfields + 1, sizeof(char *));
	p->values = calloc(p->nfields + 1, sizeof(char *));
	if (!p->summary || !p->fix || !p->names || !p->values)
		return -1;
	for (i = 0; i < p->nfix; i++)
		if (!(p->fix[i] = dupn(tsblog_diagnosis_fix(d, i))))
			return -1;
	for (i = 0; i < p->nfields; i++)
		if (!(p->names[i] = dupn(tsblog_diagnosis_field_name(d, i))) ||
		    !(p->values[i] = dupn(tsblog_diagnosis_field_value(d, i))))
			return -1;
	return set_time(&p->first_time, tsblog_diagnosis_timestamp(d));
}

size_t
summary_find(summary *sm, const tsblog_diagnosis *d, size_t *hash)
{
	const struct tsblog_rule *r = d->rule;
	size_t i;

	/* Key: rule id, then each key field's value, \x1f-separated (a
	 * byte that sanitised values never contain unescaped in logs). */
	sm->key.len = 0;
	if (buf_add(&sm->key, r->id, strlen(r->id)) < 0)
		return STRMAP_NOMEM;
	for (i = 0; i < r->nkeys; i++) {
		const char *v = tsblog_diagnosis_get(d, r->fields[r->keys[i]]);
		if (buf_add(&sm->key, "\x1f", 1) < 0 ||
		    (v && buf_add(&sm->key, v, strlen(v)) < 0))
			return STRMAP_NOMEM;
	}
	*hash = strmap_hash(sm->key.data, sm->key.len);
	return strmap_find_hashed(&sm->problem_ix, sm->key.data, sm->key.len,
				  *hash);
}

int
summary_add(summary *sm, tsblog_diagnosis *d)
{
	size_t hash, k = summary_find(sm, d, &hash);

	return k == STRMAP_NOMEM ? -1 : summary_add_found(sm, d, k, hash);
}

int
summary_add_found(summary *sm, tsblog_diagnosis *d, size_t k, size_t hash)
{
	problem *p;
	size_t i, src;
	int made = 0;

	if (k == STRMAP_NONE) {
		if (sm->nproblems >= MAX_PROBLEMS) {
			/* Sightings, as unclassified_dropped counts them. */
			sm->problems_dropped =
				add_count(sm->problems_dropped, d->count);
			return SUMMARY_DROPPED;
		}
		if (grow((void **)&sm->problems, &sm->capproblems,
			 sm->nproblems, sizeof(problem)) < 0)
			return -1;
		p = &sm->problems[sm->nproblems];
		if (new_problem(sm, d, p) < 0 ||
		    strmap_put_hashed(&sm->problem_ix, sm->key.data,
				      sm->key.len, hash, sm->nproblems) ==
			    STRMAP_NOMEM) {
			problem_free(p);
			return -1;
		}
		k = sm->nproblems++;
		made = SUMMARY_NEW;
	}
	p = &sm->problems[k];
	p->count = add_count(p->count, d->count);
	d->occurrences = p->count;
	p->last_line = d->line;
	if (!p->first_time &&
	    set_time(&p->first_time, tsblog_diagnosis_timestamp(d)) < 0)
		return -1;
	if (set_time(&p->last_time, tsblog_diagnosis_timestamp(d)) < 0 ||
	    source_index(sm, d->source, &src) < 0)
		return -1;
	for (i = 0; i < p->nsources && p->sources[i] != src; i++)
		;
	if (i == p->nsources) {
		if (grow((void **)&p->sources, &p->capsources, p->nsources,
			 sizeof(size_t)) < 0)
			return -1;
		p->sources[p->nsources++] = src;
	}
	return made;
}

int
summary_unmatched(summary *sm, const record *rec, uint64_t line,
		  const char *source)
{
	/* The lookup key is scratch kept across lines: a buffer made and
	 * freed for each warning was most of the allocations of a scan, and
	 * they cost more once -j has started threads. */
	buf_t *shape = &sm->key;
	struct shape_memo_slot *slot;
	unclassified *u;
	size_t k, src, hash;
	int rc = -1, known;

	if (!level_warn(rec->level))
		return 0;
	if ((known = shape_memo_make(&sm->memo, &sm->clean, rec->msg.p,
				     rec->core_n ? rec->core_n : rec->msg.n,
				     shape, &slot)) < 0)
		goto out;
	/* The same message at the same level as before, in this summary:
	 * the same shape entry, without making its key and looking it up. */
	if (slot && slot->level == rec->level &&
	    slot->epoch == sm->memo.epoch && slot->index < sm->nshapes) {
		k = slot->index;
		goto count;
	}
	if (known) {
		shape->len = 0;
		if (buf_add(shape, slot->shape, slot->len) < 0)
			goto out;
	}
	if (buf_add(shape, "\x1f", 1) < 0 ||
	    buf_add(shape, rec->level, strlen(rec->level)) < 0)
		goto out;
	hash = strmap_hash(shape->data, shape->len);
	k = strmap_find_hashed(&sm->shape_ix, shape->data, shape->len, hash);
	if (k == STRMAP_NONE) {
		buf_t *ex = &sm->example;
		if (sm->allow ? strmap_find_hashed(sm->allow, shape->data,
						   shape->len, hash) == STRMAP_NONE
			      : sm->nshapes >= MAX_SHAPES) {
			sm->shapes_dropped = add_count(sm->shapes_dropped,
						       rec->count);
			rc = 0;
			goto out;
		}
		size_t n = rec->text.n > MAX_EXAMPLE_LEN ? MAX_EXAMPLE_LEN
							 : rec->text.n;
		ex->len = 0;
		if (grow((void **)&sm->shapes, &sm->capshapes, sm->nshapes,
			 sizeof(unclassified)) < 0 ||
		    source_index(sm, source, &src) < 0 ||
		    (sm->raw_examples ? buf_add(ex, rec->text.p, n)
				      : clean_add(&sm->clean, ex, rec->text.p, n)) < 0)
			goto out;
		u = &sm->shapes[sm->nshapes];
		memset(u, 0, sizeof(*u));
		u->example_n = ex->len;
		u->level = rec->level;
		u->first_line = line;
		u->source = src;
		/* The stored shape drops the level suffix. */
		if (!(u->example = arena_add(&sm->strs, ex->data, ex->len)) ||
		    !(u->shape = arena_add(&sm->strs, shape->data,
					   shape->len - 1 - strlen(rec->level))) ||
		    strmap_put_hashed(&sm->shape_ix, shape->data, shape->len,
				      hash, sm->nshapes) == STRMAP_NOMEM)
			goto out;
		k = sm->nshapes++;
	}
	if (slot) {
		slot->level = rec->level;
		slot->epoch = sm->memo.epoch;
		slot->index = k;
	}
count:
	sm->shapes[k].count = add_count(sm->shapes[k].count, rec->count);
	rc = 0;
out:
	return rc;
}

int
summary_cmp_problem(const void *a, const void *b)
{
	const problem *x = *(const problem *const *)a;
	const problem *y = *(const problem *const *)b;

	if (x->rule->severity != y->rule->severity)
		return y->rule->severity - x->rule->severity;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A count as the document has it: summary_merge.c reads counts back as
 * jansson integers, which stop at INT64_MAX. */
static int
jcount(buf_t *b, const char *key, uint64_t v)
{
	return jw_kuint(b, key, v > INT64_MAX ? INT64_MAX : v, 0);
}

/* "key":["rule id", each key field's value or null]: the problem's
 * identity across documents. */
static int
problem_key(buf_t *b, const problem *p)
{
	const struct tsblog_rule *r = p->rule;
	size_t i, k;

	if (jw_key(b, "key") < 0 || jw_open(b, '[') < 0 || jw_str(b, r->id) < 0)
		return -1;
	for (i = 0; i < r->nkeys; i++) {
		const char *name = r->fields[r->keys[i]], *v = NULL;
		for (k = 0; k < p->nfields && !v; k++)
			if (!strcmp(p->names[k], name))
				v = p->values[k];
		if ((v ? jw_str(b, v) : jw_null(b)) < 0)
			return -1;
	}
	return jw_close(b, '[');
}

static int
problem_json(buf_t *b, const summary *sm, const problem *p)
{
	size_t k;
	int bad = jw_open(b, '{') < 0 || jw_kstr(b, "rule", p->rule->id) < 0 ||
		  problem_key(b, p) < 0 ||
		  jw_kstr(b, "severity",
			  tsblog_severity_name(p->rule->severity)) < 0 ||
		  jw_kstr(b, "title", p->rule->title) < 0 ||
		  jw_key(b, "fields") < 0 || jw_open(b, '{') < 0;

	for (k = 0; !bad && k < p->nfields; k++)
		bad = jw_kstr(b, p->names[k], p->values[k]) < 0;
	bad = bad || jw_close(b, '{') < 0 || jcount(b, "count", p->count) < 0 ||
	      jw_kuint(b, "first_line", p->first_line, 1) < 0 ||
	      jw_kuint(b, "last_line", p->last_line, 1) < 0 ||
	      jw_kstr(b, "first_time", p->first_time) < 0 ||
	      jw_kstr(b, "last_time", p->last_time) < 0 ||
	      jw_kstr(b, "pod", p->pod) < 0 ||
	      jw_kstr(b, "container", p->container) < 0 ||
	      jw_kstr(b, "namespace", p->namespace) < 0 ||
	      jw_kstr(b, "summary", p->summary) < 0 ||
	      jw_key(b, "fix") < 0 || jw_open(b, '[') < 0;
	for (k = 0; !bad && k < p->nfix; k++)
		bad = jw_str(b, p->fix[k]) < 0;
	bad = bad || jw_close(b, '[') < 0 || jw_key(b, "sources") < 0 ||
	      jw_open(b, '[') < 0;
	/* A file's name can be any bytes. */
	for (k = 0; !bad && k < p->nsources; k++)
		bad = jw_str_utf8(b, sm->sources[p->sources[k]]) < 0;
	return bad || jw_close(b, '[') < 0 || jw_close(b, '{') < 0 ? -1 : 0;
}

static int
shape_json(buf_t *b, const summary *sm, const unclassified *u)
{
	return jw_open(b, '{') < 0 || jw_kstr(b, "shape", u->shape) < 0 ||
			       jw_kstr(b, "level", u->level) < 0 ||
			       jcount(b, "count", u->count) < 0 ||
			       jw_kuint(b, "first_line", u->first_line, 1) < 0 ||
			       jw_key(b, "source") < 0 ||
			       jw_str_utf8(b, sm->sources[u->source]) < 0 ||
			       jw_kstr(b, "example", u->example) < 0 ||
			       jw_close(b, '{') < 0
		       ? -1
		       : 0;
}

/* Written by hand (jsonw.h), not built with jansson and dumped: that
 * was ~110 instructions a byte of the document, a tenth of -o
 * summary-json on 20 MB of the bench's corpus. */
char *
summary_json(const summary *sm, const summary_totals *t)
{
	const problem **order = NULL;
	buf_t b = { 0 };
	size_t i;
	int bad = 0;

	if (sm->nproblems) {
		if (!(order = malloc(sm->nproblems * sizeof(*order))))
			return NULL;
		for (i = 0; i < sm->nproblems; i++)
			order[i] = &sm->problems[i];
		qsort(order, sm->nproblems, sizeof(*order), summary_cmp_problem);
	}
	bad = jw_open(&b, '{') < 0 || jw_kuint(&b, "schema_version", 1, 0) < 0 ||
	      jcount(&b, "records", t->records) < 0 ||
	      jcount(&b, "bytes", t->bytes) < 0 ||
	      jcount(&b, "truncated", t->truncated) < 0 ||
	      jcount(&b, "malformed", t->malformed) < 0 ||
	      jcount(&b, "limit_hits", t->limit_hits) < 0 ||
	      jw_key(&b, "limit_hit_rules") < 0 || jw_open(&b, '[') < 0;
	/* Which rules gave up on lines at a PCRE2 limit, and how often: a
	 * slow rule, or a line built to make it slow. */
	for (i = 0; !bad && t->rs && i < t->rs->nrules; i++)
		if (t->stats[i].limit_hits)
			bad = jw_open(&b, '{') < 0 ||
			      jw_kstr(&b, "rule", t->rs->rules[i]->id) < 0 ||
			      jcount(&b, "count", t->stats[i].limit_hits) < 0 ||
			      jw_close(&b, '{') < 0;
	bad = bad || jw_close(&b, '[') < 0 || jw_key(&b, "problems") < 0 ||
	      jw_open(&b, '[') < 0;
	for (i = 0; !bad && i < sm->nproblems; i++)
		bad = problem_json(&b, sm, order[i]) < 0;
	bad = bad || jw_close(&b, '[') < 0 ||
	      jcount(&b, "problems_dropped", sm->problems_dropped) < 0 ||
	      jw_key(&b, "unclassified") < 0 || jw_open(&b, '[') < 0;
	for (i = 0; !bad && i < sm->nshapes; i++)
		bad = shape_json(&b, sm, &sm->shapes[i]) < 0;
	bad = bad || jw_close(&b, '[') < 0 ||
	      jcount(&b, "unclassified_dropped", sm->shapes_dropped) < 0 ||
	      jw_close(&b, '{') < 0;
	free(order);
	if (bad) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* A map's key, as strmap_slot_key() gives it. */
typedef struct {
	const char *p;
	size_t len, hash;
} key_ref;

/* The key of each entry of @ix, by the index it maps to (p NULL for an
 * index none maps to). */
static key_ref *
keys_by_index(const strmap *ix, size_t n)
{
	key_ref *keys = calloc(n + 1, sizeof(*keys));
	size_t i, len, hash, val;
	const char *k;

	for (i = 0; keys && i < ix->cap; i++)
		if ((k = strmap_slot_key(ix, i, &len, &hash, &val)) && val < n)
			keys[val] = (key_ref){ k, len, hash };
	return keys;
}

static int
copy_problem(problem *d, const problem *s, uint64_t offset)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->rule = s->rule;
	d->count = s->count;
	d->first_line = s->first_line + offset;
	d->last_line = s->last_line + offset;
	d->nfix = s->nfix;
	d->nfields = s->nfields;
	d->fix = calloc(s->nfix + 1, sizeof(char *));
	d->names = calloc(s->nfields + 1, sizeof(char *));
	d->values = calloc(s->nfields + 1, sizeof(char *));
	if (!d->fix || !d->names || !d->values ||
	    (s->first_time && !(d->first_time = strdup(s->first_time))) ||
	    (s->last_time && !(d->last_time = strdup(s->last_time))) ||
	    !(d->summary = strdup(s->summary)) ||
	    (s->pod && !(d->pod = strdup(s->pod))) ||
	    (s->container && !(d->container = strdup(s->container))) ||
	    (s->namespace && !(d->namespace = strdup(s->namespace))))
		return -1;
	for (i = 0; i < s->nfix; i++)
		if (!(d->fix[i] = strdup(s->fix[i])))
			return -1;
	for (i = 0; i < s->nfields; i++)
		if (!(d->names[i] = strdup(s->names[i])) ||
		    !(d->values[i] = strdup(s->values[i])))
			return -1;
	return 0;
}

static int
add_sources(summary *dst, problem *p, const summary *src, const problem *sp)
{
	size_t i, k, idx;

	for (i = 0; i < sp->nsources; i++) {
		if (source_index(dst, src->sources[sp->sources[i]], &idx) < 0)
			return -1;
		for (k = 0; k < p->nsources && p->sources[k] != idx; k++)
			;
		if (k < p->nsources)
			continue;
		if (grow((void **)&p->sources, &p->capsources, p->nsources,
			 sizeof(size_t)) < 0)
			return -1;
		p->sources[p->nsources++] = idx;
	}
	return 0;
}

int
summary_kept_shapes(const summary *dst, const summary *src, strmap *out)
{
	key_ref *a = keys_by_index(&dst->shape_ix, dst->nshapes);
	key_ref *b = keys_by_index(&src->shape_ix, src->nshapes);
	size_t i;
	int rc = a && b ? 0 : -1;

	for (i = 0; rc == 0 && i < dst->nshapes; i++)
		rc = strmap_put_hashed(out, a[i].p, a[i].len, a[i].hash, i) ==
			     STRMAP_NOMEM ? -1 : 0;
	for (i = 0; rc == 0 && i < src->nshapes && out->count < MAX_SHAPES;
	     i++)
		if (strmap_find_hashed(out, b[i].p, b[i].len, b[i].hash) ==
		    STRMAP_NONE)
			rc = strmap_put_hashed(out, b[i].p, b[i].len, b[i].hash,
					       out->count) == STRMAP_NOMEM
				     ? -1 : 0;
	free(a);
	free(b);
	return rc;
}

int
summary_absorb(summary *dst, const summary *src, uint64_t offset)
{
	key_ref *keys = keys_by_index(&src->problem_ix, src->nproblems);
	key_ref *shapes = keys_by_index(&src->shape_ix, src->nshapes);
	buf_t ex = { 0 };
	size_t i, k, idx;
	int rc = -1;

	if (!keys || !shapes)
		goto out;
	/* In first-seen order, so new problems keep theirs after dst's. */
	for (i = 0; i < src->nproblems; i++) {
		const problem *sp = &src->problems[i];
		problem *p;
		if (!keys[i].p)
			continue;
		k = strmap_find_hashed(&dst->problem_ix, keys[i].p, keys[i].len,
				       keys[i].hash);
		if (k == STRMAP_NONE) {
			if (dst->nproblems >= MAX_PROBLEMS) {
				dst->problems_dropped = add_count(
					dst->problems_dropped, sp->count);
				continue;
			}
			if (grow((void **)&dst->problems, &dst->capproblems,
				 dst->nproblems, sizeof(problem)) < 0)
				goto out;
			p = &dst->problems[dst->nproblems];
			if (copy_problem(p, sp, offset) < 0 ||
			    strmap_put_hashed(&dst->problem_ix, keys[i].p,
					      keys[i].len, keys[i].hash,
					      dst->nproblems) == STRMAP_NOMEM) {
				problem_free(p);
				goto out;
			}
			p->seq = dst->nproblems++;
		} else {
			p = &dst->problems[k];
			p->count = add_count(p->count, sp->count);
			p->last_line = sp->last_line + offset;
			if ((sp->last_time && set_time(&p->last_time, sp->last_time) < 0) ||
			    (!p->first_time && sp->first_time &&
			     set_time(&p->first_time, sp->first_time) < 0))
				goto out;
		}
		if (add_sources(dst, p, src, sp) < 0)
			goto out;
	}
	for (i = 0; i < src->nshapes; i++) {
		const unclassified *su = &src->shapes[i];
		unclassified *du;
		if (!shapes[i].p)
			continue;
		k = strmap_find_hashed(&dst->shape_ix, shapes[i].p, shapes[i].len,
				       shapes[i].hash);
		if (k != STRMAP_NONE) {
			dst->shapes[k].count = add_count(dst->shapes[k].count,
							  su->count);
			continue;
		}
		if (dst->nshapes >= MAX_SHAPES) {
			dst->shapes_dropped = add_count(dst->shapes_dropped,
							su->count);
			continue;
		}
		if (grow((void **)&dst->shapes, &dst->capshapes, dst->nshapes,
			 sizeof(unclassified)) < 0 ||
		    source_index(dst, src->sources[su->source], &idx) < 0)
			goto out;
		ex.len = 0;
		if (src->raw_examples && !dst->raw_examples
			    ? clean_add(&dst->clean, &ex, su->example, su->example_n) < 0
			    : buf_add(&ex, su->example, su->example_n) < 0)
			goto out;
		du = &dst->shapes[dst->nshapes];
		*du = *su;
		du->first_line = su->first_line + offset;
		du->source = idx;
		du->example_n = ex.len;
		if (!(du->shape = arena_add(&dst->strs, su->shape,
					    strlen(su->shape))) ||
		    !(du->example = arena_add(&dst->strs, ex.data, ex.len)) ||
		    strmap_put_hashed(&dst->shape_ix, shapes[i].p, shapes[i].len,
				      shapes[i].hash, dst->nshapes) ==
			    STRMAP_NOMEM)
			goto out;
		dst->nshapes++;
	}
	dst->problems_dropped = add_count(dst->problems_dropped,
					  src->problems_dropped);
	dst->shapes_dropped = add_count(dst->shapes_dropped,
					src->shapes_dropped);
	rc = 0;
out:
	buf_free(&ex);
	free(keys);
	free(shapes);
	return rc;
}
