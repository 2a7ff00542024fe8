/*
 * The summary read in place (tsblog/summary.h): the command renders its
 * report from this instead of dumping the scanner's tables to JSON and
 * parsing that back, a fixed cost of ~250M instructions a run once the
 * shape table is full.  One flat form serves both origins, so each
 * accessor is one line: pointers into the scanner's tables, or into a
 * parsed document that the view keeps alive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "jsonline.h"
#include "scanner.h"
#include "summary.h"
#include "tsblog/summary.h"

struct tsblog_summary_problem {
	const char *rule, *text, *first_time, *last_time;
	const char *pod, *container, *namespace;
	const char *const *fix, *const *sources;
	size_t nfix, nsources;
	uint64_t count, first_line, last_line;
};

struct tsblog_summary_group {
	const char *shape, *level, *example;
	uint64_t count;
};

typedef struct {
	const char *rule;
	uint64_t hits;
} limited;

#define NTOTALS (TSBLOG_SUMMARY_UNCLASSIFIED_DROPPED + 1)

struct tsblog_summary {
	uint64_t totals[NTOTALS];
	struct tsblog_summary_problem *problems;
	struct tsblog_summary_group *groups;
	limited *limited;
	size_t nproblems, ngroups, nlimited;
	const char **pool;      /* the problems' sources (and parsed fix) */
	json_t *doc;            /* owns the strings of a parsed summary */
};

/* The document's member of each tsblog_summary_total. */
static const char *const total_names[NTOTALS] = {
	"records", "bytes", "truncated", "malformed", "limit_hits",
	"problems_dropped", "unclassified_dropped"
};

static tsblog_summary *
view_new(size_t nproblems, size_t ngroups, size_t nlimited, size_t npool)
{
	tsblog_summary *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->problems = calloc(nproblems + 1, sizeof(*v->problems));
	v->groups = calloc(ngroups + 1, sizeof(*v->groups));
	v->limited = calloc(nlimited + 1, sizeof(*v->limited));
	v->pool = calloc(npool + 1, sizeof(*v->pool));
	if (!v->problems || !v->groups || !v->limited || !v->pool) {
		tsblog_summary_free(v);
		return NULL;
	}
	return v;
}

void
tsblog_summary_free(tsblog_summary *sum)
{
	if (!sum)
		return;
	free(sum->problems);
	free(sum->groups);
	free(sum->limited);
	free(sum->pool);
	json_decref(sum->doc);
	free(sum);
}

int
tsblog_scanner_summary(tsblog_summary **out, const tsblog_scanner *s,
		       tsblog_error *err)
{
	const summary *sm;
	const problem **order = NULL;
	const tsblog_ruleset *rs;
	tsblog_summary *v;
	size_t i, k, npool = 0, nlimited = 0;

	if (!out || !s)
		return err_inval(err, "tsblog_scanner_summary: NULL argument");
	*out = NULL;
	sm = &s->sm;
	rs = s->m.rs;
	for (i = 0; i < sm->nproblems; i++)
		npool += sm->problems[i].nsources;
	for (i = 0; i < rs->nrules; i++)
		nlimited += s->m.stats[i].limit_hits != 0;
	v = view_new(sm->nproblems, sm->nshapes, nlimited, npool);
	order = malloc((sm->nproblems + 1) * sizeof(*order));
	if (!v || !order) {
		free(order);
		tsblog_summary_free(v);
		return err_nomem(err);
	}
	v->totals[TSBLOG_SUMMARY_RECORDS] = s->records;
	v->totals[TSBLOG_SUMMARY_BYTES] = s->bytes;
	v->totals[TSBLOG_SUMMARY_TRUNCATED] = s->truncated;
	v->totals[TSBLOG_SUMMARY_MALFORMED] = s->malformed;
	v->totals[TSBLOG_SUMMARY_LIMIT_HITS] = s->m.limit_hits;
	v->totals[TSBLOG_SUMMARY_PROBLEMS_DROPPED] = sm->problems_dropped;
	v->totals[TSBLOG_SUMMARY_UNCLASSIFIED_DROPPED] = sm->shapes_dropped;
	for (i = 0; i < sm->nproblems; i++)
		order[i] = &sm->problems[i];
	qsort(order, sm->nproblems, sizeof(*order), summary_cmp_problem);
	npool = 0;
	for (i = 0; i < sm->nproblems; i++) {
		const problem *p = order[i];
		struct tsblog_summary_problem *q = &v->problems[i];
		q->rule = p->rule->id;
		q->text = p->summary;
		q->first_time = p->first_time;
		q->last_time = p->last_time;
		q->pod = p->pod;
		q->container = p->container;
		q->namespace = p->namespace;
		q->fix = (const char *const *)p->fix;
		q->nfix = p->nfix;
		q->sources = &v->pool[npool];
		q->nsources = p->nsources;
		for (k = 0; k < p->nsources; k++)
			v->pool[npool++] = sm->sources[p->sources[k]];
		q->count = p->count;
		q->first_line = p->first_line;
		q->last_line = p->last_line;
	}
	free(order);
	v->nproblems = sm->nproblems;
	for (i = 0; i < sm->nshapes; i++) {
		const unclassified *u = &sm->shapes[i];
		v->groups[i].shape = u->shape;
		v->groups[i].level = u->level;
		v->groups[i].example = u->example;
		v->groups[i].count = u->count;
	}
	v->ngroups = sm->nshapes;
	for (i = 0; i < rs->nrules; i++) {
		uint64_t n = s->m.stats[i].limit_hits;
		if (!n)
			continue;
		v->limited[v->nlimited].rule = rs->rules[i]->id;
		/* The document's integers are int64. */
		v->limited[v->nlimited++].hits =
			n > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : n;
	}
	*out = v;
	return 0;
}

/* The strings of array @a into @pool; -1 if one is not a string. */
static int
strings_of(json_t *a, const char **pool, size_t *n)
{
	size_t i;

	*n = json_array_size(a);
	for (i = 0; i < *n; i++)
		if (!(pool[i] = json_string_value(json_array_get(a, i))))
			return -1;
	return 0;
}

/* Fill @v from @doc; the member that is wrong, or NULL. */
static const char *
fill_parsed(tsblog_summary *v, json_t *doc)
{
	json_t *probs = json_object_get(doc, "problems");
	json_t *uncl = json_object_get(doc, "unclassified");
	json_t *lim = json_object_get(doc, "limit_hit_rules");
	json_t *e;
	size_t i, npool = 0;

	for (i = 0; i < NTOTALS; i++)
		v->totals[i] = (uint64_t)summary_count_of(doc, total_names[i]);
	json_array_foreach(probs, i, e) {
		struct tsblog_summary_problem *q = &v->problems[i];
		q->rule = summary_str_of(e, "rule");
		q->text = summary_str_of(e, "summary");
		if (!q->rule || !q->text)
			return "problems: a problem without rule or summary";
		q->first_time = summary_str_of(e, "first_time");
		q->last_time = summary_str_of(e, "last_time");
		q->pod = summary_str_of(e, "pod");
		q->container = summary_str_of(e, "container");
		q->namespace = summary_str_of(e, "namespace");
		q->fix = &v->pool[npool];
		if (strings_of(json_object_get(e, "fix"), &v->pool[npool],
			       &q->nfix) < 0)
			return "problems: fix holds a non-string";
		npool += q->nfix;
		q->sources = &v->pool[npool];
		if (strings_of(json_object_get(e, "sources"), &v->pool[npool],
			       &q->nsources) < 0)
			return "problems: sources holds a non-string";
		npool += q->nsources;
		q->count = (uint64_t)summary_count_of(e, "count");
		q->first_line = (uint64_t)summary_count_of(e, "first_line");
		q->last_line = (uint64_t)summary_count_of(e, "last_line");
	}
	v->nproblems = json_array_size(probs);
	json_array_foreach(uncl, i, e) {
		struct tsblog_summary_group *g = &v->groups[i];
		g->shape = summary_str_of(e, "shape");
		g->level = summary_str_of(e, "level");
		g->example = summary_str_of(e, "example");
		if (!g->shape || !g->level || !g->example)
			return "unclassified: a group without shape, level or example";
		g->count = (uint64_t)summary_count_of(e, "count");
	}
	v->ngroups = json_array_size(uncl);
	json_array_foreach(lim, i, e) {
		if (!(v->limited[i].rule = summary_str_of(e, "rule")))
			return "limit_hit_rules: an entry without rule";
		v->limited[i].hits = (uint64_t)summary_count_of(e, "count");
	}
	v->nlimited = json_array_size(lim);
	return NULL;
}

int
tsblog_summary_parse(tsblog_summary **out, const char *doc, size_t len,
		     tsblog_error *err)
{
	json_error_t jerr;
	json_t *root, *probs, *e;
	tsblog_summary *v;
	const char *why = NULL;
	size_t i, npool = 0;

	if (!out || !doc)
		return err_inval(err, "tsblog_summary_parse: NULL argument");
	*out = NULL;
	root = jsonline_loadb(doc, len, 0, &jerr);
	if (!root && json_error_code(&jerr) == json_error_out_of_memory)
		return err_nomem(err);
	if (!root) {
		err_raise_lc(err, TSBLOG_ESYNTAX, "<summary>", jerr.line,
			     jerr.column, (size_t)jerr.position, "%s",
			     jerr.text);
		return TSBLOG_ESYNTAX;
	}
	probs = json_object_get(root, "problems");
	if (!json_is_array(probs) ||
	    !json_is_array(json_object_get(root, "unclassified")))
		why = "not a summary: no problems or unclassified arrays";
	json_array_foreach(probs, i, e)
		npool += json_array_size(json_object_get(e, "fix")) +
			 json_array_size(json_object_get(e, "sources"));
	v = why ? NULL
		: view_new(json_array_size(probs),
			   json_array_size(json_object_get(root, "unclassified")),
			   json_array_size(json_object_get(root, "limit_hit_rules")),
			   npool);
	if (!why && !v) {
		json_decref(root);
		return err_nomem(err);
	}
	if (v) {
		v->doc = root;
		why = fill_parsed(v, root);
	} else {
		json_decref(root);
	}
	if (why) {
		tsblog_summary_free(v);
		err_raise(err, TSBLOG_ESCHEMA, NULL, NO_POS, NULL, NULL,
			  "<summary>: %s", why);
		return TSBLOG_ESCHEMA;
	}
	*out = v;
	return 0;
}

uint64_t
tsblog_summary_total_get(const tsblog_summary *sum,
			 tsblog_summary_total which)
{
	return sum && (unsigned)which < NTOTALS ? sum->totals[which] : 0;
}

size_t
tsblog_summary_problem_count(const tsblog_summary *sum)
{
	return sum ? sum->nproblems : 0;
}

const tsblog_summary_problem *
tsblog_summary_problem_get(const tsblog_summary *sum, size_t i)
{
	return sum && i < sum->nproblems ? &sum->problems[i] : NULL;
}

const char *
tsblog_summary_problem_rule(const tsblog_summary_problem *p)
{
	return p->rule;
}

uint64_t
tsblog_summary_problem_sightings(const tsblog_summary_problem *p)
{
	return p->count;
}

uint64_t
tsblog_summary_problem_first_line(const tsblog_summary_problem *p)
{
	return p->first_line;
}

uint64_t
tsblog_summary_problem_last_line(const tsblog_summary_problem *p)
{
	return p->last_line;
}

const char *
tsblog_summary_problem_first_time(const tsblog_summary_problem *p)
{
	return p->first_time;
}

const char *
tsblog_summary_problem_last_time(const tsblog_summary_problem *p)
{
	return p->last_time;
}

const char *
tsblog_summary_problem_pod(const tsblog_summary_problem *p)
{
	return p->pod;
}

const char *
tsblog_summary_problem_container(const tsblog_summary_problem *p)
{
	return p->container;
}

const char *
tsblog_summary_problem_namespace(const tsblog_summary_problem *p)
{
	return p->namespace;
}

const char *
tsblog_summary_problem_text(const tsblog_summary_problem *p)
{
	return p->text;
}

size_t
tsblog_summary_problem_fix_count(const tsblog_summary_problem *p)
{
	return p->nfix;
}

const char *
tsblog_summary_problem_fix(const tsblog_summary_problem *p, size_t i)
{
	return i < p->nfix ? p->fix[i] : NULL;
}

size_t
tsblog_summary_problem_source_count(const tsblog_summary_problem *p)
{
	return p->nsources;
}

const char *
tsblog_summary_problem_source(const tsblog_summary_problem *p, size_t i)
{
	return i < p->nsources ? p->sources[i] : NULL;
}

size_t
tsblog_summary_group_count(const tsblog_summary *sum)
{
	return sum ? sum->ngroups : 0;
}

const tsblog_summary_group *
tsblog_summary_group_get(const tsblog_summary *sum, size_t i)
{
	return sum && i < sum->ngroups ? &sum->groups[i] : NULL;
}

const char *
tsblog_summary_group_shape(const tsblog_summary_group *g)
{
	return g->shape;
}

const char *
tsblog_summary_group_level(const tsblog_summary_group *g)
{
	return g->level;
}

const char *
tsblog_summary_group_example(const tsblog_summary_group *g)
{
	return g->example;
}

uint64_t
tsblog_summary_group_sightings(const tsblog_summary_group *g)
{
	return g->count;
}

size_t
tsblog_summary_limited_count(const tsblog_summary *sum)
{
	return sum ? sum->nlimited : 0;
}

const char *
tsblog_summary_limited_get(const tsblog_summary *sum, size_t i,
			   uint64_t *hits)
{
	if (!sum || i >= sum->nlimited)
		return NULL;
	if (hits)
		*hits = sum->limited[i].hits;
	return sum->limited[i].rule;
}
