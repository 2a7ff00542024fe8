/**
 * @file tsblog/summary.h
 * @brief Reading a summary without going through its JSON text: the
 * problems, the unclassified groups and the totals that
 * tsblog_scanner_summary_json() would write, in the same order.
 *
 * A tsblog_summary comes from a scanner (tsblog_scanner_summary(): it
 * reads the scanner's tables in place) or from a summary document
 * (tsblog_summary_parse(), e.g. the result of tsblog_summary_merge()).
 * Either way the caller owns it and frees it with tsblog_summary_free().
 * Problems and groups are borrowed from their summary; so are all
 * strings.  Values equal the document's members of the same name; a
 * member the document leaves out or sets to null reads as NULL (strings)
 * or 0 (numbers).
 */
#ifndef TSBLOG_SUMMARY_H
#define TSBLOG_SUMMARY_H

#include "common.h"
#include "errors.h"
#include "scanner.h"

TSBLOG_BEGIN_DECL

typedef struct tsblog_summary tsblog_summary;
/** One problem: a rule and its key fields, with how often and where. */
typedef struct tsblog_summary_problem tsblog_summary_problem;
/** Warnings or errors no rule matched, grouped by message shape. */
typedef struct tsblog_summary_group tsblog_summary_group;

/** The document's counters, by member name. */
typedef enum {
	TSBLOG_SUMMARY_RECORDS,
	TSBLOG_SUMMARY_BYTES,
	TSBLOG_SUMMARY_TRUNCATED,
	TSBLOG_SUMMARY_MALFORMED,
	TSBLOG_SUMMARY_LIMIT_HITS,
	TSBLOG_SUMMARY_PROBLEMS_DROPPED,
	TSBLOG_SUMMARY_UNCLASSIFIED_DROPPED
} tsblog_summary_total;

/**
 * The summary of everything @p s has scanned, without building its JSON
 * document.  Nothing is copied: use it only while @p s is neither
 * scanning, cleared nor freed (tsblog_scanner_reset() alone is fine).
 *
 * @param[out] out  Caller owns *out; release with tsblog_summary_free().
 * @return 0, TSBLOG_EINVAL (NULL argument) or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_scanner_summary(tsblog_summary **out,
					  const tsblog_scanner *s,
					  tsblog_error *err);

/**
 * Read a summary document of @p len bytes (tsblog_scanner_summary_json(),
 * tsblog_summary_merge(), `tsblog -o summary-json`); @p doc is borrowed
 * for the call only.
 *
 * @param[out] out  Caller owns *out; release with tsblog_summary_free().
 * @return 0; TSBLOG_ESYNTAX (not JSON, @p err says where) or
 *         TSBLOG_ESCHEMA (not a summary: @p err says which member);
 *         TSBLOG_EINVAL (NULL arguments); TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_summary_parse(tsblog_summary **out,
					const char *doc, size_t len,
					tsblog_error *err);

/** Free @p sum and everything borrowed from it.  NULL is a no-op. */
TSBLOG_EXTERN(void) tsblog_summary_free(tsblog_summary *sum);

/** Counter @p which; 0 for an unknown one. */
TSBLOG_EXTERN(uint64_t) tsblog_summary_total_get(const tsblog_summary *sum,
						  tsblog_summary_total which);

/** Problems, by severity (errors first), then first seen. */
TSBLOG_EXTERN(size_t) tsblog_summary_problem_count(const tsblog_summary *sum);
/** Problem @p i; NULL if out of range. */
TSBLOG_EXTERN(const tsblog_summary_problem *) tsblog_summary_problem_get(
	const tsblog_summary *sum, size_t i);
/** The rule's id; never NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_problem_rule(
	const tsblog_summary_problem *p);
/** Sightings, counted as tsblog_diagnosis_count() does. */
TSBLOG_EXTERN(uint64_t) tsblog_summary_problem_sightings(
	const tsblog_summary_problem *p);
/** Line of the first and of the last sighting in its input; 0 if unknown. */
TSBLOG_EXTERN(uint64_t) tsblog_summary_problem_first_line(
	const tsblog_summary_problem *p);
TSBLOG_EXTERN(uint64_t) tsblog_summary_problem_last_line(
	const tsblog_summary_problem *p);
/** Timestamps of the first and the last sighting, as written; or NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_problem_first_time(
	const tsblog_summary_problem *p);
TSBLOG_EXTERN(const char *) tsblog_summary_problem_last_time(
	const tsblog_summary_problem *p);
/** Pod, container and namespace of the first sighting; or NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_problem_pod(
	const tsblog_summary_problem *p);
TSBLOG_EXTERN(const char *) tsblog_summary_problem_container(
	const tsblog_summary_problem *p);
TSBLOG_EXTERN(const char *) tsblog_summary_problem_namespace(
	const tsblog_summary_problem *p);
/** The first sighting's rendered summary; never NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_problem_text(
	const tsblog_summary_problem *p);
TSBLOG_EXTERN(size_t) tsblog_summary_problem_fix_count(
	const tsblog_summary_problem *p);
/** The first sighting's fix step @p i; NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_summary_problem_fix(
	const tsblog_summary_problem *p, size_t i);
/** Inputs it was seen in; the first sighting's comes first. */
TSBLOG_EXTERN(size_t) tsblog_summary_problem_source_count(
	const tsblog_summary_problem *p);
/** Input @p i ("-" for stdin); NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_summary_problem_source(
	const tsblog_summary_problem *p, size_t i);

/** Unclassified groups, in the order first seen. */
TSBLOG_EXTERN(size_t) tsblog_summary_group_count(const tsblog_summary *sum);
/** Group @p i; NULL if out of range. */
TSBLOG_EXTERN(const tsblog_summary_group *) tsblog_summary_group_get(
	const tsblog_summary *sum, size_t i);
/** The message shape, placeholders in angle brackets; never NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_group_shape(
	const tsblog_summary_group *g);
/** "warn", "error", "fatal" or "panic"; never NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_group_level(
	const tsblog_summary_group *g);
/** The first line of that shape, redacted and cut; never NULL. */
TSBLOG_EXTERN(const char *) tsblog_summary_group_example(
	const tsblog_summary_group *g);
TSBLOG_EXTERN(uint64_t) tsblog_summary_group_sightings(
	const tsblog_summary_group *g);

/** Rules that gave up on lines at a PCRE2 limit, in the document's order. */
TSBLOG_EXTERN(size_t) tsblog_summary_limited_count(
	const tsblog_summary *sum);
/**
 * Rule id of limited rule @p i (NULL if out of range); its number of
 * limit hits in *@p hits, when @p hits is not NULL.
 */
TSBLOG_EXTERN(const char *) tsblog_summary_limited_get(
	const tsblog_summary *sum, size_t i, uint64_t *hits);

TSBLOG_END_DECL

#endif
