/**
 * @file tsblog/errors.h
 * @brief Error codes and the caller-owned error report.
 *
 * Every function that can fail returns an int: 0 (or a count) on success, a
 * negative tsblog_error_code on failure.  Functions that take a
 * `tsblog_error *err` fill it on failure only; err may be NULL.  There is no
 * hidden "last error" state, so any thread may call any function.
 */
#ifndef TSBLOG_ERRORS_H
#define TSBLOG_ERRORS_H

#include "common.h"

TSBLOG_BEGIN_DECL

/** Negative return codes.  Bindings map them to exception types. */
typedef enum {
	TSBLOG_OK = 0,
	TSBLOG_ENOMEM = -1,     /**< an allocation failed */
	TSBLOG_EINVAL = -2,     /**< a bad argument (NULL, wrong state) */
	TSBLOG_EIO = -3,        /**< a file could not be opened or read */
	TSBLOG_ESYNTAX = -4,    /**< a rule file is not valid JSON */
	TSBLOG_ESCHEMA = -5,    /**< valid JSON, but not a valid rule file */
	TSBLOG_EREGEX = -6,     /**< PCRE2 rejected a pattern */
	TSBLOG_ETEMPLATE = -7,  /**< a summary or fix template is wrong */
	TSBLOG_EMACRO = -8,     /**< unknown or cyclic %{PATTERN} */
	TSBLOG_EDUPLICATE = -9, /**< a rule id is used twice */
	TSBLOG_EVERSION = -10,  /**< "tsblog" format version not supported */
	TSBLOG_EMATCH = -11,    /**< PCRE2 failed while matching */
	TSBLOG_EUSER = -12      /**< a callback asked to stop */
} tsblog_error_code;

/**
 * Where and why something failed.  Stack-allocate it; it owns no memory.
 *
 * `message` is always one complete line, ready to print, that starts with
 * the location ("rules.json:12:18: rule \"x\": match: ...").  The other
 * members hold the same facts for programs.  Numbers are 0 and strings ""
 * where they do not apply.
 */
typedef struct tsblog_error {
	int code;               /**< a tsblog_error_code */
	char source[256];       /**< file name or name given for a buffer */
	int line;               /**< 1-based line in source */
	int column;             /**< 1-based column, in characters
				 * (UTF-8 code points), as jansson counts */
	size_t position;        /**< 0-based byte offset in source */
	char rule_id[64];       /**< the rule concerned */
	char member[64];        /**< the rule member concerned ("match") */
	size_t pattern_offset;  /**< PCRE2 offset in the expanded pattern */
	char message[512];      /**< one line: location, then what is wrong */
} tsblog_error;

/**
 * A short constant name for an error code ("syntax", "regex", ...).
 *
 * @return Borrowed static string; never NULL ("unknown" for other values).
 */
TSBLOG_EXTERN(const char *) tsblog_error_code_name(int code);

/**
 * Release memory the library handed to the caller as `char *` (for example
 * from tsblog_diagnosis_to_json()).  Never use free() on it.
 *
 * @param p  the string; NULL is a no-op.
 */
TSBLOG_EXTERN(void) tsblog_free(void *p);

TSBLOG_END_DECL

#endif
