/**
 * @file tsblog/scanner.h
 * @brief Stream bytes through a rule set and get diagnoses in input order.
 *
 * The scanner is a pull parser: hand it a chunk with tsblog_scanner_feed(),
 * then call tsblog_scanner_next() until it returns 0, then feed the next
 * chunk.  Chunks may split lines anywhere; a line that straddles chunks is
 * carried over in a buffer bounded by the maximum record length.  After the
 * last chunk call tsblog_scanner_end() and drain next() once more, so a
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

#define TSBLOG_SCAN_OPTIONS_VERSION 2

/** Scanner settings.  NULL anywhere means the defaults.  Version 1 (without
 * jobs) is still accepted. */
typedef struct tsblog_scan_options {
	unsigned int version;     /**< TSBLOG_SCAN_OPTIONS_VERSION */
	size_t max_record;        /**< longest line kept whole, in bytes; a
				   * longer one is matched on its first
				   * max_record bytes.  0 = 1 MiB.  Also
				   * bounds one event of an events JSON
				   * document. */
	unsigned int flags;       /**< TSBLOG_SCAN_* flags */
	unsigned int jobs;        /**< threads tsblog_scan_fd() may use on a
				   * regular file; 0 or 1 = this thread
				   * only.  Output is the same for any
				   * value. */
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

#define TSBLOG_SCAN_OPTIONS_INIT { TSBLOG_SCAN_OPTIONS_VERSION, 0, 0, 0 }

/**
 * Fill @p opts with the defaults (the same as TSBLOG_SCAN_OPTIONS_INIT).
 *
 * @param version  TSBLOG_SCAN_OPTIONS_VERSION.
 * @return 0, or TSBLOG_EINVAL for NULL or an unknown version.
 */
TSBLOG_EXTERN(int) tsblog_scan_options_init(tsblog_scan_options *opts,
					    unsigned int version);

/** Why a scan callback is called. */
typedef enum {
	/** @p d is a diagnosis; @p event is NULL. */
	TSBLOG_SCAN_DIAGNOSIS = 1,
	/** An event of a `kubectl get events -o json` document could not be
	 * read: @p event says where and why (code TSBLOG_ESYNTAX); it is
	 * counted as malformed and skipped, and the scan goes on.  @p d is
	 * NULL. */
	TSBLOG_SCAN_MALFORMED = 2,
	/** tsblog_scan_fd() has read another block: a chance to show
	 * progress or to abort.  @p d and @p event are NULL. */
	TSBLOG_SCAN_PROGRESS = 3
} tsblog_scan_what;

/** What a scan callback returns. */
#define TSBLOG_CONTINUE 0
#define TSBLOG_ABORT 1

/**
 * Called by the scanning functions, in input order, from the thread that
 * called them.
 *
 * @param d        borrowed: valid only during the call.
 * @param event    borrowed: valid only during the call.
 * @param payload  what the caller passed to the scanning function.
 * @return TSBLOG_CONTINUE, or TSBLOG_ABORT to stop: the scanning function
 *         then returns TSBLOG_EUSER.  The callback must not call scanning
 *         functions on the same scanner.
 */
typedef int (*tsblog_scan_cb)(tsblog_scan_what what,
			      const tsblog_diagnosis *d,
			      const tsblog_error *event, void *payload);

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
 * Scan the next @p len bytes of the current input and call @p cb for what
 * they hold.  @p buf is only read during the call; a trailing partial line
 * is copied and completed by the next chunk (or by finish).
 *
 * @param cb  may be NULL: then diagnoses are only counted and summarised.
 * @return 0; TSBLOG_EUSER if @p cb aborted (the rest of the chunk is not
 *         scanned; the scanner may go on with the next chunk);
 *         TSBLOG_ENOMEM; or TSBLOG_EINVAL (NULL scanner, or the input was
 *         finished and not started again with tsblog_scanner_reset()).
 */
TSBLOG_EXTERN(int) tsblog_scanner_scan(tsblog_scanner *s, const char *buf,
				       size_t len, tsblog_scan_cb cb,
				       void *payload, tsblog_error *err);

/**
 * End the current input: scan its last, unterminated line and close any
 * document still open, calling @p cb for what they hold.  Start another
 * input with tsblog_scanner_reset().
 *
 * @return as tsblog_scanner_scan().
 */
TSBLOG_EXTERN(int) tsblog_scanner_finish(tsblog_scanner *s,
					 tsblog_scan_cb cb, void *payload,
					 tsblog_error *err);

/**
 * Read @p fd to its end as the current input, scan it and finish it.  With
 * opts.jobs > 1 and a regular file, pieces of the file are scanned on that
 * many threads and merged in order: @p cb still sees everything in input
 * order, from the calling thread, exactly as with one job.  @p fd is read
 * from its current offset and not closed.
 *
 * @return as tsblog_scanner_scan(), or TSBLOG_EIO if reading failed (@p err
 *         names the scanner's source and errno's text).
 */
TSBLOG_EXTERN(int) tsblog_scan_fd(tsblog_scanner *s, int fd,
				  tsblog_scan_cb cb, void *payload,
				  tsblog_error *err);

/* The pull interface below is being made private (issue 12): new code uses
 * the callback functions above. */
TSBLOG_EXTERN(int) tsblog_scanner_feed(tsblog_scanner *s, const char *buf,
				       size_t len, tsblog_error *err);
TSBLOG_EXTERN(int) tsblog_scanner_end(tsblog_scanner *s, tsblog_error *err);
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
 * seen), problems_dropped (sightings of further problems once the table
 * is full), unclassified (warnings and errors no rule matched, grouped by
 * the shape of their message: shape, level, count, first_line, source,
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
