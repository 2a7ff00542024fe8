/**
 * @file tsblog/matcher.h
 * @brief Match single lines against a rule set.
 *
 * A matcher holds the per-thread state (PCRE2 match data, render buffers)
 * for one rule set.  Use one matcher per thread; make as many as you like
 * from one tsblog_ruleset.
 */
#ifndef TSBLOG_MATCHER_H
#define TSBLOG_MATCHER_H

#include "common.h"
#include "errors.h"
#include "ruleset.h"
#include "diagnosis.h"

TSBLOG_BEGIN_DECL

typedef struct tsblog_matcher tsblog_matcher;

/**
 * @param[out] out  Caller owns *out; release with tsblog_matcher_free().
 * @param rs        borrowed: must outlive the matcher.
 * @return 0, TSBLOG_EINVAL or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_matcher_new(tsblog_matcher **out,
				      const tsblog_ruleset *rs,
				      tsblog_error *err);

/** Release a matcher.  NULL is a no-op. */
TSBLOG_EXTERN(void) tsblog_matcher_free(tsblog_matcher *m);

/**
 * Find the first rule, in rule-set order, that matches @p line.
 *
 * Any bytes are accepted (invalid UTF-8, NUL, CR); the line is matched as
 * given, except that one trailing "\n" or "\r\n" is dropped first (it is
 * not in the diagnosis' text either); no envelope is read.  Secrets in what the diagnosis quotes are redacted (see
 * TSBLOG_SCAN_NO_REDACT).  A rule whose match hits a PCRE2 resource limit on this line is
 * skipped (counted by tsblog_matcher_limit_hits()) and the next rule tried.
 * Nothing is allocated when no rule matches.
 *
 * @param[out] out  on 1: Borrowed diagnosis, valid until the next call on
 *                  @p m; untouched otherwise.
 * @return 1 if a rule matched, 0 if none did, TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_matcher_match(tsblog_matcher *m, const char *line,
					size_t len,
					const tsblog_diagnosis **out,
					tsblog_error *err);

/**
 * Match one record the way `tsblog` matches one line of a file, for
 * engines that have already split their input into records.
 *
 * @p msg is read as the command reads a line: a trailing CR and colour
 * escapes are removed, and its own envelope is unwrapped (kubectl
 * --prefix and --timestamps, zap / Istio JSON, klog, Istio console, a
 * Kubernetes Event as JSON), so rules see the same message and the
 * diagnosis the same fields.  A compact EventList gives the first event
 * that matches.  Multi-line forms (kubectl describe, events tables,
 * pretty-printed documents) need the scanner.  Each member of @p env that
 * is set replaces what the message's envelope said, both in the diagnosis
 * and for rules' context conditions.
 *
 * @param env   NULL, or metadata; its version must be
 *              TSBLOG_ENVELOPE_VERSION.
 * @param[out] out  on 1: borrowed diagnosis, valid until the next call on
 *                  @p m; untouched otherwise.
 * @return 1 if a rule matched, 0 if none did, TSBLOG_EINVAL (NULL @p m,
 *         NULL @p msg with a length, unknown @p env version) or
 *         TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_matcher_match_envelope(tsblog_matcher *m,
						 const char *msg, size_t len,
						 const tsblog_envelope *env,
						 const tsblog_diagnosis **out,
						 tsblog_error *err);

/**
 * tsblog_matcher_match() of @p line as given (no envelope of its own is
 * read), for a line whose envelope metadata is known: rules with a
 * "context" match only when @p env satisfies it (see
 * tsblog_rule_context_holds()), and the diagnosis carries @p env's
 * members.  tsblog_matcher_match() is this with nothing known, which no
 * rule's "context" requiring a value accepts.
 *
 * @param env  borrowed, may be NULL; its version must be
 *             TSBLOG_ENVELOPE_VERSION.
 * @return as tsblog_matcher_match(), or TSBLOG_EINVAL for an unknown
 *         @p env version.
 */
TSBLOG_EXTERN(int) tsblog_matcher_match_context(tsblog_matcher *m,
						const char *line, size_t len,
						const tsblog_envelope *env,
						const tsblog_diagnosis **out,
						tsblog_error *err);

/**
 * Turn redaction of secrets in what diagnoses quote on (the default) or
 * off for @p m (see TSBLOG_SCAN_NO_REDACT for what is redacted).
 *
 * @return 0, or TSBLOG_EINVAL if @p m is NULL.
 */
TSBLOG_EXTERN(int) tsblog_matcher_set_redact(tsblog_matcher *m, int on);

/**
 * Redact secrets in @p text as diagnoses have them redacted (the forms
 * are listed at TSBLOG_SCAN_NO_REDACT), for a caller that shows input
 * lines itself (`tsblog --passthrough`).  Secrets are looked for in
 * @p text as a whole, so give it whole lines: a secret cut in two may not
 * be recognised in either piece.  Each secret becomes its marker; every
 * other byte is copied as it is (not made valid UTF-8, no control
 * dropped).  tsblog_matcher_set_redact() does not affect this call.
 *
 * @param text  borrowed for the call; any bytes, @p len of them.
 * @param[out] out  on 1: caller owns *out, the redacted copy,
 *                  NUL-terminated; release with tsblog_free().  NULL
 *                  otherwise.
 * @param[out] out_len  NULL, or on 1 the length of *out (without the
 *                  NUL; @p text may hold NUL bytes); 0 otherwise.
 * @return 1 if @p text held a secret; 0 if it held none (nothing is
 *         allocated: show @p text as it is); TSBLOG_EINVAL (NULL @p m or
 *         @p out, NULL @p text with a length); TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_matcher_redact(tsblog_matcher *m,
					 const char *text, size_t len,
					 char **out, size_t *out_len,
					 tsblog_error *err);

/** What one rule cost and found, counted by a matcher or scanner. */
typedef struct tsblog_rule_stats {
	uint64_t literal_hits;  /**< lines holding one of its literals */
	uint64_t regex_runs;    /**< times its regex was run */
	uint64_t matches;       /**< diagnoses it gave (first match wins) */
	uint64_t limit_hits;    /**< runs ended by a PCRE2 limit */
	uint64_t nanoseconds;   /**< time in its regex; 0 unless timed */
} tsblog_rule_stats;

/**
 * Counters of rule @p index (matching order) since @p m was made.
 *
 * @param[out] out  filled on success.
 * @return 0, or TSBLOG_EINVAL if @p index is out of range.
 */
TSBLOG_EXTERN(int) tsblog_matcher_rule_stats(const tsblog_matcher *m,
					     size_t index,
					     tsblog_rule_stats *out);

/** How many rule attempts hit a PCRE2 limit since the matcher was made. */
TSBLOG_EXTERN(uint64_t) tsblog_matcher_limit_hits(
	const tsblog_matcher *m);

TSBLOG_END_DECL

#endif
