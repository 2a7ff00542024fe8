/**
 * @file tsblog/scanner.h
 * @brief Stream bytes through a rule set and get diagnoses in input order.
 *
 * The scanner is a pull parser: hand it a chunk with tsblog_scanner_feed(),
 * then call tsblog_scanner_next() until it returns 0, then feed the next
 * chunk.  Chunks may split lines anywhere; a line that straddles chunks is
 * carried over in a buffer bounded by the maximum record length.  After the
 * last chunk call tsblog_scanner_finish() and drain next() once more, so a
 * last line without a newline is scanned too.
 *
 * Each line is read through its envelope before matching: `kubectl logs`
 * --prefix and --timestamps, Istio/TSB console lines, JSON log lines (zap,
 * Istio --log_as_json), klog, `kubectl describe pod` Events rows,
 * `kubectl get events` tables and `kubectl get events -o json` documents
 * (each event a record).  Rules match the message; the envelope's
 * metadata goes into the diagnosis.
 *
 * Thread safety: one scanner per thread; many scanners may share one
 * tsblog_ruleset.
 */
#ifndef TSBLOG_SCANNER_H
#define TSBLOG_SCANNER_H

#include "common.h"
#include "errors.h"
#include "ruleset.h"
#include "diagnosis.h"
#include "matcher.h"

TSBLOG_BEGIN_DECL

typedef struct tsblog_scanner tsblog_scanner;

#define TSBLOG_SCAN_OPTIONS_VERSION 1

/** Scanner settings.  NULL anywhere means the defaults. */
typedef struct tsblog_scan_options {
	unsigned int version;     /**< TSBLOG_SCAN_OPTIONS_VERSION */
	size_t max_record;        /**< longest line kept whole, in bytes; a
				   * longer one is matched on its first
				   * max_record bytes.  0 = 1 MiB.  Also
				   * bounds one event of an events JSON
				   * document. */
	unsigned int flags;       /**< TSBLOG_SCAN_* flags */
} tsblog_scan_options;

/** Keep no summary (problems, unclassified errors): less work per line
 * when only the diagnoses are wanted. */
#define TSBLOG_SCAN_NO_SUMMARY 1u

/** Time every regex run, for tsblog_scanner_rule_stats() (costs two
 * clock reads per run). */
#define TSBLOG_SCAN_TIME_RULES 2u

/** Do not redact.  By default every string a diagnosis or the summary
 * quotes from the input (fields, summary, fix, text, examples, shapes)
 * has its secrets replaced by markers: JWTs (three base64url segments,
 * the first starting "eyJ") by <redacted:jwt>, the token after "Bearer "
 * by <redacted:token>, PEM blocks by <redacted:pem>, and the values of the
 * private JWK members d, p, q, dp, dq, qi and k by <redacted:jwk>. */
#define TSBLOG_SCAN_NO_REDACT 4u

#define TSBLOG_SCAN_OPTIONS_INIT { TSBLOG_SCAN_OPTIONS_VERSION, 0, 0 }

/**
 * @param[out] out  Caller owns *out; release with tsblog_scanner_free().
 * @param rs        borrowed: must outlive the scanner.
 * @param source    name reported in diagnoses ("-" for stdin); copied;
 *                  NULL means "-".
 * @param opts      copied; NULL for defaults.
 * @return 0, TSBLOG_EINVAL or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_scanner_new(tsblog_scanner **out,
				      const tsblog_ruleset *rs,
				      const char *source,
				      const tsblog_scan_options *opts,
				      tsblog_error *err);

/** Release a scanner.  NULL is a no-op. */
TSBLOG_EXTERN(void) tsblog_scanner_free(tsblog_scanner *s);

/**
 * Start a new input named @p source: line numbers restart at 1 and any
 * unfinished line of the previous input is dropped.  Totals are kept.
 *
 * @return 0, TSBLOG_EINVAL or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_scanner_reset(tsblog_scanner *s, const char *source);

/**
 * Start over as if @p s had just been made by tsblog_scanner_new() with its
 * rule set and options: totals, rule statistics and summary are dropped
 * too, but the scanner's buffers and PCRE2 state are kept.  Cheaper than
 * a new scanner when many short inputs are scanned and absorbed one by
 * one (as tsblog -j does with the pieces of a file).
 *
 * @return 0, TSBLOG_EINVAL or TSBLOG_ENOMEM (then @p s is unchanged).
 */
TSBLOG_EXTERN(int) tsblog_scanner_clear(tsblog_scanner *s, const char *source);

/**
 * Hand the scanner the next @p len bytes of input.  The bytes are
 * borrowed, not copied (except a trailing partial line): keep @p buf
 * unchanged until tsblog_scanner_next() has returned 0.
 *
 * @return 0, or TSBLOG_EINVAL if the previous chunk is not drained yet or
 *         the input was finished.
 */
TSBLOG_EXTERN(int) tsblog_scanner_feed(tsblog_scanner *s, const char *buf,
				       size_t len, tsblog_error *err);

/** Declare the end of input; next() then scans the last, unterminated line. */
TSBLOG_EXTERN(int) tsblog_scanner_finish(tsblog_scanner *s, tsblog_error *err);

/**
 * Scan on to the next diagnosis.
 *
 * @param[out] out  on 1: Borrowed, valid until the next call on @p s.
 * @return 1 with a diagnosis, 0 when the fed input is used up, or a
 *         negative code: TSBLOG_ENOMEM; or TSBLOG_ESYNTAX for a malformed
 *         event in a `kubectl get events -o json` document (@p err says
 *         where; the event is counted as malformed and skipped, and the
 *         next call goes on with the rest of the input).
 */
TSBLOG_EXTERN(int) tsblog_scanner_next(tsblog_scanner *s,
				       const tsblog_diagnosis **out,
				       tsblog_error *err);

/** Lines (records) seen so far, over all inputs. */
TSBLOG_EXTERN(uint64_t) tsblog_scanner_records(
	const tsblog_scanner *s);
/** Bytes seen so far, over all inputs. */
TSBLOG_EXTERN(uint64_t) tsblog_scanner_bytes(const tsblog_scanner *s);
/** Lines longer than max_record, matched on their first part. */
TSBLOG_EXTERN(uint64_t) tsblog_scanner_truncated(
	const tsblog_scanner *s);

/**
 * Counters of rule @p index (matching order) over everything scanned:
 * literal hits, regex runs, matches, limit hits, and the time spent when
 * the scanner was made with TSBLOG_SCAN_TIME_RULES.
 *
 * @return 0, or TSBLOG_EINVAL if @p index is out of range.
 */
TSBLOG_EXTERN(int) tsblog_scanner_rule_stats(const tsblog_scanner *s,
					     size_t index,
					     tsblog_rule_stats *out);

/**
 * Whether @p s stands between records: nothing fed is left unread, no line
 * is half read, and no describe section (from its Name: to the end of its
 * Events table), events table or JSON document is open.  A file may be cut into pieces for parallel scanning only where
 * the scanner of the piece before stops at rest.
 */
TSBLOG_EXTERN(int) tsblog_scanner_at_rest(const tsblog_scanner *s);

/**
 * Take in what @p src has counted, as if @p src's input had followed the
 * current input of @p dst: its line numbers are shifted by the lines
 * @p dst has read of its current input, its problems and unclassified
 * errors merged into @p dst's summary, its totals and rule statistics
 * added.  Then @p dst's current input goes on where @p src's ended.  Used
 * to scan the pieces of one file on several threads and report the whole.
 * @p src is not changed.
 *
 * @return 0, TSBLOG_EINVAL (different rule sets) or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_scanner_absorb(tsblog_scanner *dst,
					 const tsblog_scanner *src,
					 tsblog_error *err);

/** Events of JSON documents that could not be read whole. */
TSBLOG_EXTERN(uint64_t) tsblog_scanner_malformed(const tsblog_scanner *s);

/**
 * Everything scanned so far as one JSON document (what
 * `tsblog -o summary-json` prints): schema_version, records, bytes,
 * truncated, malformed, limit_hits, problems (one per rule and key
 * fields: rule, severity, title, fields, count, first_line, last_line,
 * first_time, last_time, pod, container, namespace (of the first
 * sighting), summary, fix, sources; by severity, then first
 * seen), unclassified (warnings and errors no rule matched, grouped by the
 * shape of their message: shape, level, count, first_line, source,
 * example) and unclassified_dropped.  Empty unless the scanner was made
 * without TSBLOG_SCAN_NO_SUMMARY.
 *
 * @param[out] out  Caller owns *out; release with tsblog_free().
 * @return 0, TSBLOG_EINVAL or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_scanner_summary_json(char **out,
					       const tsblog_scanner *s,
					       tsblog_error *err);

TSBLOG_END_DECL

#endif
