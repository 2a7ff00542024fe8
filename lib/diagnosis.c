#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "tsblog-private.h"

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
	return meta(d, 0);
}

const char *
tsblog_diagnosis_pod(const tsblog_diagnosis *d)
{
	return meta(d, 1);
}

const char *
tsblog_diagnosis_container(const tsblog_diagnosis *d)
{
	return meta(d, 2);
}

const char *
tsblog_diagnosis_namespace(const tsblog_diagnosis *d)
{
	return meta(d, 3);
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

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int
tsblog_diagnosis_to_json(char **out, const tsblog_diagnosis *d,
			 tsblog_error *err)
{
	const struct tsblog_rule *r;
	json_t *o, *fix, *fields, *see;
	size_t i;
	int bad;

	if (!out || !d) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_diagnosis_to_json: NULL argument");
		return TSBLOG_EINVAL;
	}
	r = d->rule;
	o = json_object();
	fix = json_array();
	fields = json_object();
	see = json_array();
	bad = !o || !fix || !fields || !see;
	for (i = 0; !bad && i < r->nfix; i++)
		bad = json_array_append_new(
			      fix, json_string(tsblog_diagnosis_fix(d, i))) < 0;
	for (i = 0; !bad && i < d->nfields; i++)
		bad = json_object_set_new(
			      fields, tsblog_diagnosis_field_name(d, i),
			      json_string(tsblog_diagnosis_field_value(d, i))) < 0;
	for (i = 0; !bad && i < r->nsee; i++)
		bad = json_array_append_new(see,
					    json_string(r->see_also[i])) < 0;
	/* Keys in a fixed order: users diff and grep this output. */
	bad = bad || json_object_set_new(o, "rule", json_string(r->id)) < 0 ||
	      json_object_set_new(o, "severity",
				  json_string(tsblog_severity_name(r->severity))) < 0 ||
	      json_object_set_new(o, "component", str_or_null(r->component)) < 0 ||
	      json_object_set_new(o, "title", json_string(r->title)) < 0 ||
	      json_object_set_new(o, "summary",
				  json_string(tsblog_diagnosis_summary(d))) < 0 ||
	      json_object_set_new(o, "fix", fix) < 0 ||
	      json_object_set_new(o, "fields", fields) < 0 ||
	      json_object_set_new(o, "see_also", see) < 0 ||
	      json_object_set_new(o, "docs", str_or_null(r->docs)) < 0 ||
	      json_object_set_new(o, "source", str_or_null(d->source)) < 0 ||
	      json_object_set_new(o, "line",
				  d->line ? json_integer((json_int_t)d->line)
					  : json_null()) < 0 ||
	      json_object_set_new(o, "timestamp", str_or_null(meta(d, 0))) < 0 ||
	      json_object_set_new(o, "level", str_or_null(d->level)) < 0 ||
	      json_object_set_new(o, "pod", str_or_null(meta(d, 1))) < 0 ||
	      json_object_set_new(o, "container", str_or_null(meta(d, 2))) < 0 ||
	      json_object_set_new(o, "namespace", str_or_null(meta(d, 3))) < 0 ||
	      json_object_set_new(o, "count",
				  json_integer((json_int_t)d->count)) < 0 ||
	      json_object_set_new(o, "text",
				  json_string(tsblog_diagnosis_text(d))) < 0;
	if (bad) {
		/* set_new steals even on failure; only what was never
		 * attached is ours to release. */
		json_decref(o);
		err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
			  "out of memory");
		return TSBLOG_ENOMEM;
	}
	*out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!*out) {
		err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
			  "out of memory");
		return TSBLOG_ENOMEM;
	}
	return 0;
}
