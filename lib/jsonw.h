/* JSON text written by hand into a buf_t (jsonw.c), byte for byte as
 * jansson's json_dumps(JSON_COMPACT) writes the same values: the same
 * escapes (\" \\ \b \f \n \r \t, \u00XX in upper case for the other
 * control characters, '/', DEL and non-ASCII as they are), members in
 * the order written.  It is what the scan writes for every diagnosis
 * (-o json) and for the summary: building jansson values first cost
 * tens of times the writing.
 *
 * A value or key is preceded by a comma unless it is the first in its
 * object or array (the buffer's last byte says so: '{', '[' or ':'), so
 * a buffer holds one document.  Each call returns 0, or -1 on no memory
 * (the buffer stays valid). */
#ifndef TSBLOG_JSONW_H
#define TSBLOG_JSONW_H

#include <jansson.h>
#include <stdint.h>
#include "tsblog-private.h"

/* '{' or '[' (@c), and the matching close. */
int jw_open(buf_t *b, char c);
int jw_close(buf_t *b, char c);
/* "key": for the value that follows. */
int jw_key(buf_t *b, const char *key);
/* A string; @s must be valid UTF-8 (what the library made). */
int jw_str(buf_t *b, const char *s);
/* A string of any bytes (a file name): each byte of an invalid UTF-8
 * sequence as U+FFFD, as buf_add_utf8() makes it. */
int jw_str_utf8(buf_t *b, const char *s);
int jw_null(buf_t *b);
/* @v in decimal; @null_if_zero: 0 as null (a line number not known). */
int jw_uint(buf_t *b, uint64_t v, int null_if_zero);

/* "key": and the value: the string @s, or null for NULL. */
int jw_kstr(buf_t *b, const char *key, const char *s);
int jw_kuint(buf_t *b, const char *key, uint64_t v, int null_if_zero);

/* The tree @v as json_dumps(@v, JSON_COMPACT | JSON_ENCODE_ANY) writes
 * it (json_text() uses it: jansson's dump costs ~130 instructions a
 * byte).  Reals are jansson's own text.  1 when @v holds what this writer
 * leaves to jansson (a string or key with a NUL in it); the buffer then
 * holds part of it. */
int jw_tree(buf_t *b, const json_t *v);
/* jansson's text of @v (json_dumps() flags), or NULL on no memory: unlike
 * json_dumps(), never a document cut short by a failed allocation. */
char *json_text(const json_t *v, size_t flags);

#endif
