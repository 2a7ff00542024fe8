/* The top-level members of a JSON log line, read in one pass without
 * building a tree (jsonline.c): jansson costs ~150 instructions a byte
 * on these lines, most of it allocating values nobody reads.  And the
 * same reader's jansson trees, for JSON read whole (jsonline_loadb()). */
#ifndef TSBLOG_JSONLINE_H
#define TSBLOG_JSONLINE_H

#include <jansson.h>
#include "tsblog-private.h"

typedef enum {
	JL_STRING, JL_INTEGER, JL_REAL, JL_TRUE, JL_FALSE, JL_NULL,
	JL_OBJECT, JL_ARRAY
} jl_type;

typedef struct {
	slice key;              /* decoded; never holds a NUL */
	jl_type type;
	slice str;              /* JL_STRING: decoded; never holds a NUL */
	json_int_t integer;     /* JL_INTEGER */
	double real;            /* JL_REAL, unless real_later: jsonline_real() */
	int real_later;         /* a JL_REAL whose text is yet to be read */
	slice text;             /* a number as written (jsonline_read()) */
} jl_member;

/* One object's members in jansson's order: where a key first appears,
 * with the value it last had.  Slices point into the line, into @dec or
 * into the tree they were taken from; valid until the next read. */
typedef struct {
	jl_member *m;
	size_t n, cap;
	buf_t dec;              /* strings that held escapes */
} jsonline;

enum { JL_INVALID = 0, JL_OK = 1, JL_UNSURE = 2 };

/* Read the object @p[0..@n) (a line that starts with '{').  JL_OK with
 * its members in @jl; JL_INVALID exactly when json_loadb(p, n, 0) would
 * fail (not JSON, invalid UTF-8, a \u0000, a lone surrogate, a number
 * out of range, text after the object); JL_UNSURE when this reader does
 * not decide (nesting or member count beyond JSONLINE_MAX_*, a number
 * longer than JSONLINE_MAX_NUMBER): ask jansson.  -1 on no memory. */
int jsonline_read(jsonline *jl, const char *p, size_t n);
/* json_loadb(@p, @n, @flags, 0)'s tree, read by this file's lexer, or
 * NULL when it does not decide: not JSON, beyond JSONLINE_MAX_* or
 * jansson's error to report (a repeated key under
 * JSON_REJECT_DUPLICATES), any other flag, or no memory.  The caller
 * owns the tree (one reference). */
json_t *jsonline_tree(const char *p, size_t n, size_t flags);
/* jsonline_tree() decoding strings in @scratch (NULL: a buffer of its
 * own), which the caller keeps for the next call and frees: a rule
 * file's rules, one tree each, each time a fresh buffer of the rule's
 * size, made glibc's malloc() consolidate its free chunks 1000 times. */
json_t *jsonline_tree_in(const char *p, size_t n, size_t flags,
			 buf_t *scratch);
/* jsonline_tree() of a JSON object whose member @key holds an array,
 * but that array is only checked as json_loadb() would, not built: the
 * tree gets an empty array there and *@items (the caller frees it) the
 * text of each element, which jsonline_tree() then builds one at a time
 * (a rule file's rules: the whole tree at once, 4 MB for 1000 rules, was
 * 1000 fresh pages).  NULL when jsonline_tree() would give NULL, the
 * root has no such member, or has it again after its array (jansson
 * keeps the last value: read the text whole); a NULL tree for an
 * element means the whole text is for jsonline_loadb() to judge. */
json_t *jsonline_tree_deferring(const char *p, size_t n, size_t flags,
				const char *key, slice **items,
				size_t *nitems);
/* json_loadb()'s result and error: jsonline_tree(), else jansson.  A
 * rule file's tree this way costs a seventh of jansson's instructions
 * (jansson saves and copies each byte on its own). */
json_t *jsonline_loadb(const char *p, size_t n, size_t flags,
		       json_error_t *err);
/* The members of a jansson object @o; strings borrowed from @o.  -1 on
 * no memory. */
int jsonline_from_tree(jsonline *jl, json_t *o);
/* The member named @key, or NULL. */
const jl_member *jsonline_get(const jsonline *jl, const char *key);
/* jsonline_get() of the @n bytes at @key. */
const jl_member *jsonline_get_n(const jsonline *jl, const char *key,
				size_t n);
void jsonline_free(jsonline *jl);
/* The value of the real member @v, read from its text if the reader left
 * that for later. */
double jsonline_real(const jl_member *v);
/* The shortest "%.*g" text that reads back (strtod) as @d, written to
 * @buf (@size bytes, 32 are enough); returns its length as snprintf
 * does.  zap writes epoch seconds as 1763626442.401127, and that is what
 * users should see. */
int jsonline_real_text(char *buf, size_t size, double d);
/* The text of number member @v as jsonline_real_text() (a real) or
 * "%lld" (an integer) would print its value, when that is how the line
 * wrote it (most numbers: 0.25, 1763626442.401127, 42); else an empty
 * slice, and the caller prints the value. */
slice jsonline_number_as_written(const jl_member *v);

#endif
