/**
 * @file tsblog/diagnosis.h
 * @brief What a matched line means: the rule, its fields, the rendered
 * summary and fix, and where the line came from.
 *
 * A tsblog_diagnosis is always borrowed from the tsblog_matcher or
 * tsblog_scanner that produced it, and is valid until the next call on that
 * object (match, feed, next, finish, free).  Copy what you need to keep.
 * Strings are NUL-terminated UTF-8: each input byte that is not part of a
 * valid UTF-8 sequence, and each NUL byte, is replaced by U+FFFD, so text
 * and JSON are always valid UTF-8.
 */
#ifndef TSBLOG_DIAGNOSIS_H
#define TSBLOG_DIAGNOSIS_H

#include "common.h"
#include "errors.h"
#include "ruleset.h"

TSBLOG_BEGIN_DECL

typedef struct tsblog_diagnosis tsblog_diagnosis;

/** The rule that matched.  Borrowed: valid while the rule set lives. */
TSBLOG_EXTERN(const tsblog_rule *) tsblog_diagnosis_rule(
	const tsblog_diagnosis *d);
/** The rendered summary.  Borrowed; never NULL. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_summary(const tsblog_diagnosis *d);
TSBLOG_EXTERN(size_t) tsblog_diagnosis_fix_count(const tsblog_diagnosis *d);
/** Rendered fix step @p i.  Borrowed; NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_fix(const tsblog_diagnosis *d,
						 size_t i);

/** Number of fields that took part in the match. */
TSBLOG_EXTERN(size_t) tsblog_diagnosis_field_count(const tsblog_diagnosis *d);
/** Name of field @p i (pattern order).  Borrowed; NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_field_name(
	const tsblog_diagnosis *d, size_t i);
/** Value of field @p i.  Borrowed; NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_field_value(
	const tsblog_diagnosis *d, size_t i);
/** Value of the field called @p name, or NULL if it did not match. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_get(const tsblog_diagnosis *d,
						 const char *name);

/** Name of the input ("-" for stdin); NULL from tsblog_matcher_match(). */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_source(const tsblog_diagnosis *d);
/** 1-based line where the record starts; 0 from tsblog_matcher_match(). */
TSBLOG_EXTERN(uint64_t) tsblog_diagnosis_line(
	const tsblog_diagnosis *d);
/** Timestamp as written in the input (kubectl --timestamps, the log's
 * own, or the event's last timestamp); NULL if none. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_timestamp(
	const tsblog_diagnosis *d);
/** Level, normalised: "debug", "info", "warn", "error", "fatal", "panic";
 * NULL if the envelope gave none.  Static string. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_level(const tsblog_diagnosis *d);
/** Pod name (kubectl --prefix, describe header, event object); or NULL. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_pod(const tsblog_diagnosis *d);
/** Container (kubectl --prefix); or NULL. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_container(
	const tsblog_diagnosis *d);
/** Namespace (describe header, events); or NULL. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_namespace(
	const tsblog_diagnosis *d);
/** How many times it happened: an event's count, else 1. */
TSBLOG_EXTERN(uint64_t) tsblog_diagnosis_count(const tsblog_diagnosis *d);
/**
 * How many times this diagnosis' problem (its rule and key fields) has
 * been seen by the scanner so far, counting this one and event counts:
 * 1 the first time.  0 from tsblog_matcher_match() and from scanners made
 * with TSBLOG_SCAN_NO_SUMMARY.
 */
TSBLOG_EXTERN(uint64_t) tsblog_diagnosis_occurrences(
	const tsblog_diagnosis *d);
/** The line as read (CR, BOM and colour escapes removed); for an event
 * inside `kubectl get events -o json`, its message.  Never NULL. */
TSBLOG_EXTERN(const char *) tsblog_diagnosis_text(const tsblog_diagnosis *d);

/**
 * The diagnosis as one JSON object on one line, without a newline: the
 * line `tsblog -o json` prints.  Keys, in this order: rule, severity,
 * component, title, summary, fix, fields, see_also, docs, source, line,
 * timestamp, level, pod, container, namespace, count, text; absent values
 * are null (so "line" is null, not 0, from tsblog_matcher_match()).
 *
 * @param[out] out  Caller owns *out; release with tsblog_free().
 * @return 0 or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_diagnosis_to_json(char **out,
					    const tsblog_diagnosis *d,
					    tsblog_error *err);

TSBLOG_END_DECL

#endif
