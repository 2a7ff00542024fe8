#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "jsonw.h"

const tsblog_rule *
tsblog_diagnosis_rule(const tsblog_diagnosis *d)
{
	return d->rule;
}

const char *
tsblog_diagnosis_summary(const tsblog_diagnosis *d)
{
	return d->store.data + d->summary_off;
}

size_t
tsblog_diagnosis_fix_count(const tsblog_diagnosis *d)
{
	return d->rule->nfix;
}

const char *
tsblog_diagnosis_fix(const tsblog_diagnosis *d, size_t i)
{
	return i < d->rule->nfix ? d->store.data + d->fix_off[i] : NULL;
}

size_t
tsblog_diagnosis_field_count(const tsblog_diagnosis *d)
{
	return d->nfields;
}

const char *
tsblog_diagnosis_field_name(const tsblog_diagnosis *d, size_t i)
{
	return i < d->nfields ? d->rule->fields[d->field_idx[i]] : NULL;
}

const char *
tsblog_diagnosis_field_value(const tsblog_diagnosis *d, size_t i)
{
	return i < d->nfields ? d->store.data + d->field_off[i] : NULL;
}

const char *
tsblog_diagnosis_get(const tsblog_diagnosis *d, const char *name)
{
	size_t i;
	for (i = 0; name && i < d->nfields; i++)
		if (!strcmp(d->rule->fields[d->field_idx[i]], name))
			return d->store.data + d->field_off[i];
	return NULL;
}

const char *
tsblog_diagnosis_source(const tsblog_diagnosis *d)
{
	return d->source;
}

uint64_t
tsblog_diagnosis_line(const tsblog_diagnosis *d)
{
	return d->line;
}

static const char *
meta(const tsblog_diagnosis *d, int i)
{
	return d->meta_off[i] == (size_t)-1 ? NULL
					    : d->store.data + d->meta_off[i];
}

const char *
tsblog_diagnosis_timestamp(const tsblog_diagnosis *d)
{
	return meta(d, META_TIMESTAMP);
}

const char *
tsblog_diagnosis_pod(const tsblog_diagnosis *d)
{
	return meta(d, META_POD);
}

const char *
tsblog_diagnosis_container(const tsblog_diagnosis *d)
{
	return meta(d, META_CONTAINER);
}

const char *
tsblog_diagnosis_namespace(const tsblog_diagnosis *d)
{
	return meta(d, META_NAMESPACE);
}

const char *
tsblog_diagnosis_level(const tsblog_diagnosis *d)
{
	return d->level;
}

uint64_t
tsblog_diagnosis_count(const tsblog_diagnosis *d)
{
	return d->count;
}

uint64_t
tsblog_diagnosis_occurrences(const tsblog_diagnosis *d)
{
	return d->occurrences;
}

const char *
tsblog_diagnosis_text(const tsblog_diagnosis *d)
{
	return d->store.data + d->text_off;
}

/* The JSON line is written by hand (jsonw.h): it is the per-diagnosis
 * cost of `tsblog -o json`. */

/* ["a","b"] from @n strings got by @at(ctx, i). */
static int
jw_list(buf_t *b, const char *key, size_t n,
	const char *(*at)(const void *, size_t), const void *ctx)
{
	size_t i;

	if (jw_key(b, key) < 0 || jw_open(b, '[') < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (jw_str(b, at(ctx, i)) < 0)
			return -1;
	return jw_close(b, '[');
}

static const char *
fix_at(const void *d, size_t i)
{
	return tsblog_diagnosis_fix(d, i);
}

static const char *
see_at(const void *r, size_t i)
{
	return tsblog_rule_see_also(r, i);
}

int
tsblog_diagnosis_to_json(char **out, const tsblog_diagnosis *d,
			 tsblog_error *err)
{
	const struct tsblog_rule *r;
	buf_t b = { 0 };
	size_t i;
	int bad;

	if (!out || !d)
		return err_inval(err, "tsblog_diagnosis_to_json: NULL argument");
	r = d->rule;
	/* Keys in a fixed order: users diff and grep this output. */
	bad = jw_open(&b, '{') < 0 || jw_kstr(&b, "rule", r->id) < 0 ||
	      jw_kstr(&b, "severity", tsblog_severity_name(r->severity)) < 0 ||
	      jw_kstr(&b, "component", r->component) < 0 ||
	      jw_kstr(&b, "title", r->title) < 0 ||
	      jw_kstr(&b, "summary", tsblog_diagnosis_summary(d)) < 0 ||
	      jw_list(&b, "fix", r->nfix, fix_at, d) < 0 ||
	      jw_key(&b, "fields") < 0 || jw_open(&b, '{') < 0;
	for (i = 0; !bad && i < d->nfields; i++)
		bad = jw_kstr(&b, tsblog_diagnosis_field_name(d, i),
			      tsblog_diagnosis_field_value(d, i)) < 0;
	bad = bad || jw_close(&b, '{') < 0 ||
	      jw_list(&b, "see_also", r->nsee, see_at, r) < 0 ||
	      jw_kstr(&b, "docs", r->docs) < 0 ||
	      jw_key(&b, "source") < 0 ||
	      (d->source ? jw_str_utf8(&b, d->source) : jw_null(&b)) < 0 ||
	      jw_kuint(&b, "line", d->line, 1) < 0 ||
	      jw_kstr(&b, "timestamp", meta(d, META_TIMESTAMP)) < 0 ||
	      jw_kstr(&b, "level", d->level) < 0 ||
	      jw_kstr(&b, "pod", meta(d, META_POD)) < 0 ||
	      jw_kstr(&b, "container", meta(d, META_CONTAINER)) < 0 ||
	      jw_kstr(&b, "namespace", meta(d, META_NAMESPACE)) < 0 ||
	      jw_kuint(&b, "count", d->count, 0) < 0 ||
	      jw_kstr(&b, "text", tsblog_diagnosis_text(d)) < 0 ||
	      jw_close(&b, '{') < 0;
	if (bad) {
		buf_free(&b);
		return err_nomem(err);
	}
	*out = b.data;
	return 0;
}

/* A copy is its offset arrays (field_idx, field_off, fix_off), then its
 * store, aligned for size_t. */
int
diag_list_add(diag_list *l, const struct tsblog_diagnosis *d)
{
	size_t nfix = d->rule->nfix, nidx = 2 * d->nfields + nfix;
	size_t pad = (sizeof(size_t) - l->bytes.len % sizeof(size_t)) %
		     sizeof(size_t);
	size_t at = l->bytes.len + pad;
	size_t *idx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		void *items = realloc(l->items, cap * sizeof(*l->items));
		if (!items)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	if (buf_reserve(&l->bytes, pad + nidx * sizeof(size_t) +
					   d->store.len + 1) < 0)
		return -1;
	idx = (size_t *)(void *)(l->bytes.data + at);
	memcpy(idx, d->field_idx, d->nfields * sizeof(size_t));
	memcpy(idx + d->nfields, d->field_off, d->nfields * sizeof(size_t));
	if (nfix)
		memcpy(idx + 2 * d->nfields, d->fix_off, nfix * sizeof(size_t));
	memcpy(idx + nidx, d->store.data, d->store.len + 1);
	l->bytes.len = at + nidx * sizeof(size_t) + d->store.len + 1;
	l->items[l->n].d = *d;
	l->items[l->n++].at = at;
	return 0;
}

void
diag_list_get(const diag_list *l, size_t i, struct tsblog_diagnosis *out)
{
	size_t *idx = (size_t *)(void *)(l->bytes.data + l->items[i].at);

	*out = l->items[i].d;
	out->field_idx = idx;
	out->field_off = idx + out->nfields;
	out->fix_off = idx + 2 * out->nfields;
	out->store.data = (char *)(out->fix_off + out->rule->nfix);
	out->store.cap = 0;     /* a view: nothing to free */
}

void
diag_list_clear(diag_list *l)
{
	l->n = 0;
	l->bytes.len = 0;
}

void
diag_list_free(diag_list *l)
{
	free(l->items);
	buf_free(&l->bytes);
	memset(l, 0, sizeof(*l));
}
