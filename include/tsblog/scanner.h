/**
 * @file tsblog/scanner.h
 * @brief Stream bytes through a rule set and get diagnoses in input order.
 *
 * Hand the scanner chunks of an input with tsblog_scanner_scan() and end
 * the input with tsblog_scanner_finish(), or let tsblog_scan_fd() read a
 * file descriptor (on several threads, if asked).  Each calls back, in
 * input order, with every diagnosis and every malformed event.  Chunks may
 * split lines anywhere; a line that straddles chunks is carried over in a
 * buffer bounded by the maximum record length.
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
 * has its secrets replaced by markers.  Secrets are found in the whole
 * line, so a piece of it (a captured field) is redacted as the line is:
 * - JWTs (three base64url segments, the first starting "eyJ"):
 *   <redacted:jwt>;
 * - the credentials after "Bearer " or "Basic ", in any case:
 *   <redacted:token>;
 * - PEM blocks, and base64 of a PEM block (kubeconfig client-key-data):
 *   <redacted:pem>;
 * - the value after "key: " or "key=" (quoted or not, in any JSON
 *   escaping) of client-key-data, client-certificate-data, id_token,
 *   refresh_token, access_token (with - or _), secret_key (with -, _
 *   or neither), password and passwd, in any case: <redacted:key>;
 * - the password of a URL's user:password@: <redacted:password>;
 * - AWS access key ids (AKIA..., ASIA...) and the values of
 *   aws_secret_access_key, secret_access_key and aws_session_token:
 *   <redacted:aws>;
 * - the values of the private JWK members d, p, q, dp, dq, qi and k,
 *   quoted in any JSON escaping or in YAML: <redacted:jwk>.
 * Should the search for secrets hit its work limit on a string, the rest
 * of that string is withheld as <redacted:unchecked>.
 * tsblog_matcher_redact() applies the same to text the caller shows. */
#define TSBLOG_SCAN_NO_REDACT 4u

/** Give the callback a problem's first sighting only, in input order (any
 * jobs): later sightings are counted in the summary (its count, last
 * line and time, sources) and not given.  For a report made from the
 * summary, which then costs less: a later sighting is rendered no
 * further than the fields that tell problems apart.  A problem the
 * summary has no room for (past its cap on problems, see
 * tsblog_summary_merge()) is given at least once, its first sighting
 * whole.  No effect with TSBLOG_SCAN_NO_SUMMARY. */
#define TSBLOG_SCAN_FIRST_SIGHTINGS 8u

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
	/** tsblog_scan_fd() has read another block, or a read was
	 * interrupted by a signal: a chance to show progress or to abort.
	 * @p d and @p event are NULL. */
	TSBLOG_SCAN_PROGRESS = 3
} tsblog_scan_what;

/** What a scan callback returns. */
#define TSBLOG_CONTINUE 0
#define TSBLOG_ABORT 1

/**
 * Called by the scanning functions, in input order, from the thread that
 * called them.
 *
 * @param d        borrowed: valid only during the call (copy what must
 *                 outlive it, e.g. with tsblog_diagnosis_to_json()).
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
 * Read @p fd to its end as the current input, scan it and finish it,
 * calling @p cb for what it holds and with TSBLOG_SCAN_PROGRESS after each
 * block read (a chance to show progress or to abort).  @p fd is read from
 * its current offset and not closed.
 *
 * With opts.jobs > 1, a regular file of more than 1 MiB and the current
 * input between records (as after tsblog_scanner_reset()), the first MiB
 * is scanned on this thread; then, unless an events table, describe
 * section or JSON document is open there (the file is read on this
 * thread only), pieces of 1-4 MiB are scanned on up to opts.jobs
 * threads, this one included, and merged in order: @p cb still sees everything in input order, from the
 * calling thread, with the same diagnoses, line numbers, summary and
 * totals as with one job; progress is reported as pieces are merged.  A
 * pipe, a terminal or a socket is read on this thread only.
 *
 * @param cb  may be NULL, as for tsblog_scanner_scan().
 * @return as tsblog_scanner_scan(), or TSBLOG_EIO if reading failed (@p err
 *         names the scanner's source and errno's text).
 */
TSBLOG_EXTERN(int) tsblog_scan_fd(tsblog_scanner *s, int fd,
				  tsblog_scan_cb cb, void *payload,
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

/** Events of JSON documents that could not be read whole. */
TSBLOG_EXTERN(uint64_t) tsblog_scanner_malformed(const tsblog_scanner *s);

/**
 * Everything scanned so far as one JSON document (what
 * `tsblog -o summary-json` prints): schema_version, records, bytes,
 * truncated, malformed, limit_hits, problems (one per rule and key
 * fields: rule, key (the rule id, then each key field's value or null),
 * severity, title, fields, count, first_line, last_line,
 * first_time, last_time, pod, container, namespace (of the first
 * sighting), summary, fix, sources; by severity, then first
 * seen), problems_dropped (sightings of further problems once the table
 * is full), unclassified (warnings and errors no rule matched, grouped by
 * the shape of their message: shape, level, count, first_line, source,
 * example) and unclassified_dropped.  Empty unless the scanner was made
 * without TSBLOG_SCAN_NO_SUMMARY.  tsblog_scanner_summary() reads the
 * same values without building the document.
 *
 * @param[out] out  Caller owns *out; release with tsblog_free().
 * @return 0, TSBLOG_EINVAL or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_scanner_summary_json(char **out,
					       const tsblog_scanner *s,
					       tsblog_error *err);

/**
 * Merge summary documents (tsblog_scanner_summary_json(), from any
 * machines, files or parts of files) into one, the same whatever their
 * order or grouping: merging is associative and commutative.
 *
 * Totals and counts add (stopping at INT64_MAX).  Problems are the same
 * when their "key" is; first_time and last_time are the earliest and
 * latest, compared in UTC for RFC 3339 times (other forms as written); the
 * first sighting (fields, summary, fix, pod, container, namespace,
 * first_line, and the first of "sources") is the smallest by (first_time,
 * missing last; source; first_line); sources are the union, the first
 * sighting's first and the rest sorted.  Unclassified groups are the same
 * when shape and level are; their example is the smallest by (source,
 * first_line).  Problems are listed by severity, then by their first
 * sighting's source and line; unclassified groups by source and line;
 * limit_hit_rules by rule id.  The caps (10000 problems, 1000
 * unclassified groups) apply to the result only, the rest counted in
 * problems_dropped and unclassified_dropped.  The command's "inputs" are
 * joined by source (one not read whole in any part is not read whole),
 * and "complete" is true only if it is in every part that has it.
 * When the parts were scanned in time order and named in that order, the
 * result is the document one scan of all of them gives.
 *
 * @param docs   @p n documents of @p lens bytes each (need not be
 *               NUL-terminated); borrowed for the call.
 * @param names  NULL, or @p n names used in error messages.
 * @param[out] out  Caller owns *out; release with tsblog_free().
 * @return 0; TSBLOG_ESYNTAX (not JSON) or TSBLOG_ESCHEMA (not a summary,
 *         or one without problem keys) with @p err saying which document
 *         and where; TSBLOG_EINVAL (NULL arguments); TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_summary_merge(char **out, const char *const *docs,
					const size_t *lens,
					const char *const *names, size_t n,
					tsblog_error *err);

TSBLOG_END_DECL

#endif
