/* The scanner's summary of what went wrong (summary.c). */
#ifndef TSBLOG_LIB_SUMMARY_H
#define TSBLOG_LIB_SUMMARY_H

#include <jansson.h>
#include "tsblog-private.h"
#include "shape.h"

typedef struct {
	const struct tsblog_rule *rule;
	size_t seq;             /* order of first sighting */
	uint64_t count, first_line, last_line;
	char *first_time, *last_time, *summary;
	char *pod, *container, *namespace;      /* of the first sighting */
	char **fix;
	size_t nfix;
	char **names, **values; /* fields of the first sighting */
	size_t nfields;
	size_t *sources;        /* indices into summary.sources */
	size_t nsources, capsources;
} problem;

typedef struct {
	char *shape;            /* in summary.strs, as example */
	const char *level;      /* static */
	char *example;
	size_t example_n;       /* its length: raw bytes (summary.raw_examples) may hold NULs */
	uint64_t count, first_line;
	size_t source;
} unclassified;

typedef struct {
	problem *problems;
	size_t nproblems, capproblems;
	unclassified *shapes;
	size_t nshapes, capshapes;
	char **sources;
	size_t nsources, capsources;
	strmap problem_ix, shape_ix, source_ix;
	cleaner clean;          /* for examples and shapes */
	shape_memo memo;
	uint64_t problems_dropped, shapes_dropped;
	/* When set, the only shapes kept (borrowed, read-only): a piece of
	 * a -j scan after the whole input's table is full. */
	const strmap *allow;
	/* A -j piece's: each shape's example is the line's raw bytes,
	 * redacted by summary_absorb() only for the shapes the whole input
	 * takes from this piece, not by every piece that meets the shape. */
	int raw_examples;
	buf_t key, example;     /* scratch, kept across lines */
	arena_t strs;           /* the shapes' strings */
} summary;

typedef struct {
	uint64_t records, bytes, truncated, malformed, limit_hits;
	/* per rule, for the rules that hit a PCRE2 limit */
	const struct tsblog_ruleset *rs;
	const tsblog_rule_stats *stats;
} summary_totals;

/* Members of a summary document (summary_merge.c): member @k of @o as a
 * count (0 unless a positive integer), or a string (NULL if none). */
json_int_t summary_count_of(json_t *o, const char *k);
const char *summary_str_of(json_t *o, const char *k);

int summary_init(summary *sm, const struct tsblog_ruleset *rs,
		 int redacting);
void summary_fini(summary *sm);
/* @sm as summary_init() left it, but for the room its tables have grown,
 * its cleaner and its memo (in a new epoch): a -j scanner is cleared for
 * each piece, whose tables grew and were rehashed from nothing each time
 * (0.7% of -j 2's instructions in a text report at 50% warn/error). */
void summary_clear(summary *sm);
/* Count a diagnosis (after its source and line are set); sets its
 * occurrences.  SUMMARY_NEW when it made its problem, SUMMARY_DROPPED
 * when it would have but the table is full (MAX_PROBLEMS), 0 for a
 * problem seen before, -1 on no memory. */
enum { SUMMARY_NEW = 1, SUMMARY_DROPPED = 2 };
int summary_add(summary *sm, tsblog_diagnosis *d);
/* summary_add() in two steps: the index of @d's problem (of which only
 * the key fields are read), STRMAP_NONE for a new one or STRMAP_NOMEM,
 * with its key in sm->key and its hash in *@hash; then the count, given
 * both, before @sm changes. */
size_t summary_find(summary *sm, const tsblog_diagnosis *d, size_t *hash);
int summary_add_found(summary *sm, tsblog_diagnosis *d, size_t k,
		      size_t hash);
/* Count a record no rule matched, if its level is warn or above. */
int summary_unmatched(summary *sm, const record *rec, uint64_t line,
		      const char *source);
/* Add @src's problems and shapes to @dst, as if @src's input had come
 * after @dst's, its line numbers shifted by @offset. */
int summary_absorb(summary *dst, const summary *src, uint64_t offset);
/* Into the empty @out: the shapes @dst keeps once @src is absorbed, were
 * @src's table complete (its first ones in order fill @dst up); -1 on no
 * memory.  -j uses it when a piece's own table overflowed. */
int summary_kept_shapes(const summary *dst, const summary *src, strmap *out);
/* The summary document (-o summary-json) as compact JSON text, malloc'd;
 * NULL on no memory. */
char *summary_json(const summary *sm, const summary_totals *t);
/* The order of problems in the document, for qsort() of an array of
 * const problem *: by severity, then first seen. */
int summary_cmp_problem(const void *a, const void *b);

#endif
