/* %{NAME} macro expansion (macro.c). */
#ifndef TSBLOG_MACRO_H
#define TSBLOG_MACRO_H

#include "limits.h"
#include "tsblog-private.h"

enum { MACRO_NEW, MACRO_EXPANDING, MACRO_DONE };

typedef struct {
	const char *name, *src;         /* borrowed */
	char *expanded;
	int state;
} macro_def;

typedef struct {
	macro_def *defs;                /* caller fills name and src */
	size_t n;
	const char *stack[MAX_NESTING]; /* patterns being expanded */
	size_t depth;
	/* on TSBLOG_EMACRO: the pattern whose text is at fault, or NULL for
	 * the string given to macro_expand(), and what is wrong */
	const char *err_in;
	char err_msg[400];
} macro_table;

/* Whether @ch may appear in a NAME (@first: as its first character). */
int macro_is_word(char ch, int first);
/* Expand every definition, so a cycle in an unused one is found too.
 * 0, TSBLOG_EMACRO (see err_in/err_msg) or TSBLOG_ENOMEM. */
int macro_expand_all(macro_table *t);
/* @src expanded into *out (caller frees), its length in *len; errors as
 * macro_expand_all(). */
int macro_expand(macro_table *t, const char *src, char **out, size_t *len);
void macro_table_fini(macro_table *t);

#endif
