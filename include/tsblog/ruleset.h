/**
 * @file tsblog/ruleset.h
 * @brief Compile rule files into an immutable, thread-shareable rule set.
 *
 * A tsblog_builder collects rule files (a path, a buffer, the bundled
 * catalog) in load order; tsblog_builder_build() turns them into a
 * tsblog_ruleset.  Loading order is matching order: the first rule that
 * matches a line wins, so files loaded before the bundled catalog override
 * it.
 *
 * Thread safety: a tsblog_builder is used by one thread at a time.  A
 * tsblog_ruleset is never modified after it is built: any number of threads
 * may use it at once (each with its own tsblog_matcher or tsblog_scanner),
 * and it must outlive them.
 */
#ifndef TSBLOG_RULESET_H
#define TSBLOG_RULESET_H

#include "common.h"
#include "errors.h"

TSBLOG_BEGIN_DECL

typedef struct tsblog_builder tsblog_builder;
typedef struct tsblog_ruleset tsblog_ruleset;
typedef struct tsblog_rule tsblog_rule;

typedef enum {
	TSBLOG_SEVERITY_INFO = 0,
	TSBLOG_SEVERITY_WARNING = 1,
	TSBLOG_SEVERITY_ERROR = 2
} tsblog_severity;

/** "error", "warning" or "info"; "unknown" for other values.  Static. */
TSBLOG_EXTERN(const char *) tsblog_severity_name(int severity);

#define TSBLOG_COMPILE_OPTIONS_VERSION 1

/**
 * How rules are compiled.  Initialise with TSBLOG_COMPILE_OPTIONS_INIT or
 * tsblog_compile_options_init(); pass NULL anywhere for the defaults.
 */
typedef struct tsblog_compile_options {
	unsigned int version;       /**< TSBLOG_COMPILE_OPTIONS_VERSION */
	int no_jit;                 /**< non-zero: never JIT-compile */
	unsigned long match_limit;  /**< PCRE2 match limit per rule and line;
				     * 0 = default (1000000) */
	unsigned long depth_limit;  /**< PCRE2 depth limit; 0 = default (10000) */
	unsigned long heap_limit;   /**< PCRE2 heap limit in KiB; 0 = 20000 */
} tsblog_compile_options;

#define TSBLOG_COMPILE_OPTIONS_INIT { TSBLOG_COMPILE_OPTIONS_VERSION, 0, 0, 0, 0 }

/**
 * Initialise @p opts to the defaults for @p version.
 *
 * @return 0, or TSBLOG_EINVAL if @p opts is NULL or @p version unknown.
 */
TSBLOG_EXTERN(int) tsblog_compile_options_init(tsblog_compile_options *opts,
					       unsigned int version);

/**
 * Start a rule set.
 *
 * @param[out] out  Caller owns *out; release with tsblog_builder_free().
 * @param opts      copied; NULL for defaults.
 * @param[out] err  nullable.
 * @return 0, TSBLOG_ENOMEM, or TSBLOG_EINVAL (bad options version).
 */
TSBLOG_EXTERN(int) tsblog_builder_new(tsblog_builder **out,
				      const tsblog_compile_options *opts,
				      tsblog_error *err);

/**
 * Load and compile one rule file.  On failure nothing from this file is
 * kept, and the builder can still be used or freed.
 *
 * @param path  read fully; also the name used in messages.
 * @return 0 or a negative code: TSBLOG_EIO, TSBLOG_ESYNTAX, TSBLOG_ESCHEMA,
 *         TSBLOG_EVERSION, TSBLOG_EREGEX, TSBLOG_EMACRO, TSBLOG_ETEMPLATE,
 *         TSBLOG_EDUPLICATE, TSBLOG_ENOMEM; @p err says where.
 */
TSBLOG_EXTERN(int) tsblog_builder_add_file(tsblog_builder *b, const char *path,
					   tsblog_error *err);

/**
 * Like tsblog_builder_add_file(), for a rule file already in memory.
 *
 * @param name  used in messages as the file name; NULL means "<string>".
 * @param text  @p len bytes, copied as needed; need not be NUL-terminated.
 */
TSBLOG_EXTERN(int) tsblog_builder_add_string(tsblog_builder *b,
					     const char *name,
					     const char *text, size_t len,
					     tsblog_error *err);

/**
 * Add the bundled catalog: the rule files listed in meson.build's
 * rules_json, compiled into the library, in that order; each rule's source
 * name is "builtin:<file name>" (e.g. "builtin:tsb.json").
 *
 * @return as tsblog_builder_add_file(), without TSBLOG_EIO.
 */
TSBLOG_EXTERN(int) tsblog_builder_add_builtin(tsblog_builder *b,
					      tsblog_error *err);

/**
 * Finish: move every added rule into a new rule set, JIT-compiled.
 * The builder is left empty and may be reused or freed.
 *
 * @param[out] out  Caller owns *out; release with tsblog_ruleset_free().
 * @return 0, TSBLOG_ENOMEM, or TSBLOG_EREGEX (JIT failure).
 */
TSBLOG_EXTERN(int) tsblog_builder_build(tsblog_ruleset **out,
					tsblog_builder *b, tsblog_error *err);

/** Release a builder and any rules not yet built.  NULL is a no-op. */
TSBLOG_EXTERN(void) tsblog_builder_free(tsblog_builder *b);

/**
 * Shortcut: a rule set of the bundled catalog alone.
 *
 * @param[out] out  Caller owns *out; release with tsblog_ruleset_free().
 */
TSBLOG_EXTERN(int) tsblog_ruleset_new_builtin(tsblog_ruleset **out,
					      tsblog_error *err);

/**
 * Release a rule set.  Every matcher and scanner made from it must be freed
 * first.  NULL is a no-op.
 */
TSBLOG_EXTERN(void) tsblog_ruleset_free(tsblog_ruleset *rs);

/** Number of rules, in matching order. */
TSBLOG_EXTERN(size_t) tsblog_ruleset_count(const tsblog_ruleset *rs);

/**
 * The rule at @p index (0-based, matching order).
 *
 * @return Borrowed: valid while @p rs lives; NULL if out of range.
 */
TSBLOG_EXTERN(const tsblog_rule *) tsblog_ruleset_rule(const tsblog_ruleset *rs,
						       size_t index);

/**
 * The rule with id @p id.
 *
 * @return Borrowed: valid while @p rs lives; NULL if there is none.
 */
TSBLOG_EXTERN(const tsblog_rule *) tsblog_ruleset_find(const tsblog_ruleset *rs,
						       const char *id);

/* Rule accessors.  Every string is borrowed: valid while the rule set
 * lives; NUL-terminated UTF-8.  Optional members give NULL when absent. */

TSBLOG_EXTERN(const char *) tsblog_rule_id(const tsblog_rule *r);
TSBLOG_EXTERN(int) tsblog_rule_severity(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_component(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_title(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_docs(const tsblog_rule *r);
/** The pattern as written in the rule file. */
TSBLOG_EXTERN(const char *) tsblog_rule_match(const tsblog_rule *r);
/** The pattern given to PCRE2, with every %{NAME} expanded. */
TSBLOG_EXTERN(const char *) tsblog_rule_pattern(const tsblog_rule *r);
/** The summary template, unrendered. */
TSBLOG_EXTERN(const char *) tsblog_rule_summary(const tsblog_rule *r);
/** Name of the rule file the rule came from. */
TSBLOG_EXTERN(const char *) tsblog_rule_source(const tsblog_rule *r);
TSBLOG_EXTERN(size_t) tsblog_rule_fix_count(const tsblog_rule *r);
/** Fix step template @p i; NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_rule_fix(const tsblog_rule *r, size_t i);
TSBLOG_EXTERN(size_t) tsblog_rule_see_also_count(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_see_also(const tsblog_rule *r,
						 size_t i);
/** Named groups of the pattern, in pattern order. */
TSBLOG_EXTERN(size_t) tsblog_rule_field_count(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_field(const tsblog_rule *r, size_t i);
/** The key fields (the "key" member, or every field). */
TSBLOG_EXTERN(size_t) tsblog_rule_key_count(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_key(const tsblog_rule *r, size_t i);
TSBLOG_EXTERN(size_t) tsblog_rule_example_count(const tsblog_rule *r);
/** Example line @p i; NULL if out of range. */
TSBLOG_EXTERN(const char *) tsblog_rule_example(const tsblog_rule *r,
						size_t i);
TSBLOG_EXTERN(size_t) tsblog_rule_counter_example_count(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_counter_example(const tsblog_rule *r,
							size_t i);

/** Literals one of which every match contains (the "literal" member, or
 * found in the pattern); 0 when the rule has none, and then every line
 * must be tried against its regex. */
TSBLOG_EXTERN(size_t) tsblog_rule_literal_count(const tsblog_rule *r);
TSBLOG_EXTERN(const char *) tsblog_rule_literal(const tsblog_rule *r,
						size_t i);

#define TSBLOG_ENVELOPE_VERSION 1

/**
 * What is known about a line besides its text: the envelope's metadata,
 * for rules with a "context" and for tsblog_matcher_match_envelope().
 * Every member is a NUL-terminated string, or NULL for unknown (a rule's
 * context then tests it as the empty string); all are borrowed for the
 * call only.  Start from TSBLOG_ENVELOPE_INIT.
 */
typedef struct tsblog_envelope {
	unsigned int version;   /**< TSBLOG_ENVELOPE_VERSION */
	const char *pod_name;   /**< the names the kubelet uses */
	const char *namespace_name;
	const char *container_name;
	const char *timestamp;  /**< as the engine writes it */
	const char *level;      /**< a level word ("warning", "err", "info"…);
				 * one the library does not know is
				 * ignored */
	const char *scope;      /**< the logger scope (Istio/TSB "scope") */
} tsblog_envelope;

#define TSBLOG_ENVELOPE_INIT \
	{ TSBLOG_ENVELOPE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }

/** The rule's "context" member as compact JSON; NULL when it has none. */
TSBLOG_EXTERN(const char *) tsblog_rule_context(const tsblog_rule *r);

/**
 * Whether a line (the message @p line, @p len bytes) with metadata @p env
 * satisfies the rule's context conditions (a rule without any is satisfied
 * by every context).  Whether the rule's pattern matches is not asked.
 *
 * @param line      may be NULL when @p len is 0.
 * @param env       may be NULL: nothing known.
 * @param[out] why  may be NULL; on 0, the first condition that failed,
 *                  e.g. `pod "cert-manager-webhook-5d8" does not match
 *                  ^edge-`, cut to @p size bytes.
 * @return 1, 0, TSBLOG_EINVAL (@p r NULL, @p line NULL with @p len, or
 *         @p why with @p size 0) or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_rule_context_holds(const tsblog_rule *r,
					     const char *line, size_t len,
					     const tsblog_envelope *env,
					     char *why, size_t size);

/**
 * The rule as one JSON object, in rule-file form (what `tsblog explain`
 * and `tsblog rules list -o json` print), plus "literals" (see
 * tsblog_rule_literal()) and "source" (its rule file).
 *
 * @param[out] out  Caller owns *out; release with tsblog_free().
 * @return 0 or TSBLOG_ENOMEM.
 */
TSBLOG_EXTERN(int) tsblog_rule_to_json(char **out, const tsblog_rule *r,
				       tsblog_error *err);

/** One failed self-test, handed to a tsblog_check_cb. */
typedef struct tsblog_check_failure {
	const char *rule_id;  /**< the rule at fault */
	const char *source;   /**< its rule file */
	int line, column;     /**< where the member is in that file */
	const char *kind;     /**< the member: "examples",
			       * "counter_examples", "see_also", or for a
			       * warning also "match" or "literal" */
	size_t index;         /**< which one (0-based; 0 for "match" and
			       * "literal") */
	const char *message;  /**< one line, with the location first;
			       * "warning: " follows it for a warning */
	int severity;         /**< TSBLOG_SEVERITY_ERROR: a self-test
			       * failed; TSBLOG_SEVERITY_WARNING: a lint */
} tsblog_check_failure;

/**
 * Called once per failure and per warning.  Every pointer in @p f is borrowed for the
 * duration of the call.  Return 0 to go on, non-zero to stop.
 */
typedef int (*tsblog_check_cb)(const tsblog_check_failure *f, void *payload);

/**
 * Run every rule's self-tests: each example must get a diagnosis of that
 * rule (under first-match order across the whole set) with the listed
 * field values; no counter-example may match that rule (under the set's
 * match limits); every see_also id must exist in the set.  Then lint each
 * rule, reporting warnings, which are not failures: no literal in the
 * pattern (every line pays for its regex, "match"), a literal shorter
 * than 6 bytes ("literal", or "match" when the prefilter found it), and
 * an example that, padded with noise, makes the pattern hit a PCRE2 limit
 * (it backtracks too much, "examples").  A rule's failures come before
 * its warnings, rules in set order.
 *
 * @param cb  nullable: then failures are only counted.
 * @return the number of failures, not counting warnings (>= 0),
 *         TSBLOG_EUSER if @p cb stopped, or another negative code.
 */
TSBLOG_EXTERN(int) tsblog_ruleset_check(const tsblog_ruleset *rs,
					tsblog_check_cb cb, void *payload,
					tsblog_error *err);

TSBLOG_END_DECL

#endif
