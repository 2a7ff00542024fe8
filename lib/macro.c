/*
 * %{NAME} macros: a rule file's "patterns", expanded into rule patterns.
 * Schema checks (names, types) and error locations are rulefile.c's; this
 * file knows only the expansion, its cycles and its limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "macro.h"

static int expand(macro_table *t, const char *src, buf_t *out);

static int
fail(macro_table *t, const char *in, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(macro_table *t, const char *in, const char *fmt, ...)
{
	va_list ap;

	t->err_in = in;
	va_start(ap, fmt);
	vsnprintf(t->err_msg, sizeof(t->err_msg), fmt, ap);
	va_end(ap);
	return TSBLOG_EMACRO;
}

int
macro_is_word(char ch, int first)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       ch == '_' || (!first && ch >= '0' && ch <= '9');
}

static macro_def *
find_def(macro_table *t, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (strlen(t->defs[i].name) == len &&
		    !memcmp(t->defs[i].name, name, len))
			return &t->defs[i];
	return NULL;
}

static int
expand_def(macro_table *t, macro_def *p)
{
	buf_t out = { 0 };
	int rc;

	if (p->state == MACRO_DONE)
		return 0;
	if (t->depth == MAX_NESTING)
		return fail(t, p->name, "patterns nest more than %d deep here",
			    MAX_NESTING);
	if (p->state == MACRO_EXPANDING) {
		char cyc[300];
		size_t i, n = 0, from = 0;
		for (i = 0; i < t->depth; i++)
			if (!strcmp(t->stack[i], p->name))
				from = i;
		cyc[0] = '\0';
		for (i = from; i < t->depth && n < sizeof(cyc); i++)
			n += (size_t)snprintf(cyc + n, sizeof(cyc) - n,
					      "%s -> ", t->stack[i]);
		if (n < sizeof(cyc))
			snprintf(cyc + n, sizeof(cyc) - n, "%s", p->name);
		return fail(t, p->name,
			    "pattern \"%s\" refers to itself: %s", p->name,
			    cyc);
	}
	p->state = MACRO_EXPANDING;
	t->stack[t->depth++] = p->name;
	rc = expand(t, p->src, &out);
	t->depth--;
	if (rc < 0) {
		buf_free(&out);
		return rc;
	}
	if (!out.data && buf_add(&out, "", 0) < 0)
		return TSBLOG_ENOMEM;
	p->expanded = out.data;
	p->state = MACRO_DONE;
	return 0;
}

/* Copy @src to @out replacing %{NAME} by (?:...) and %{NAME:field} by
 * (?<field>...).  A backslash escapes the next character, so "\%{" stays
 * literal.  Errors are located in the pattern being expanded. */
static int
expand(macro_table *t, const char *src, buf_t *out)
{
	const char *in = t->depth ? t->stack[t->depth - 1] : NULL;
	size_t i = 0, n = strlen(src);

	while (i < n) {
		size_t start = i, name, namelen, field = 0, fieldlen = 0;
		macro_def *p;
		int rc;

		if (src[i] == '\\' && i + 1 < n) {
			if (buf_add(out, src + i, 2) < 0)
				return TSBLOG_ENOMEM;
			i += 2;
			continue;
		}
		if (!(src[i] == '%' && i + 1 < n && src[i + 1] == '{')) {
			if (buf_add(out, src + i, 1) < 0)
				return TSBLOG_ENOMEM;
			i++;
			continue;
		}
		i += 2;
		name = i;
		while (i < n && macro_is_word(src[i], 0))
			i++;
		namelen = i - name;
		if (i < n && src[i] == ':') {
			field = ++i;
			while (i < n && macro_is_word(src[i], i == field))
				i++;
			fieldlen = i - field;
		}
		if (!namelen || i >= n || src[i] != '}' ||
		    (field && !fieldlen))
			return fail(t, in,
				    "malformed reference at offset %zu: write %%{NAME} or %%{NAME:field} (\\%%{ for a literal)",
				    start);
		i++;
		p = find_def(t, src + name, namelen);
		if (!p)
			return fail(t, in,
				    "%%{%.*s} at offset %zu: no pattern \"%.*s\" in \"patterns\"",
				    (int)(i - start - 3), src + start + 2,
				    start, (int)namelen, src + name);
		rc = expand_def(t, p);
		if (rc < 0)
			return rc;
		if (fieldlen) {
			if (buf_add(out, "(?<", 3) < 0 ||
			    buf_add(out, src + field, fieldlen) < 0 ||
			    buf_add(out, ">", 1) < 0)
				return TSBLOG_ENOMEM;
		} else if (buf_add(out, "(?:", 3) < 0) {
			return TSBLOG_ENOMEM;
		}
		if (out->len + strlen(p->expanded) > MAX_EXPANDED)
			return fail(t, in,
				    "expands to more than %u bytes through %%{%.*s}",
				    MAX_EXPANDED, (int)namelen, src + name);
		if (buf_add(out, p->expanded, strlen(p->expanded)) < 0 ||
		    buf_add(out, ")", 1) < 0)
			return TSBLOG_ENOMEM;
	}
	return 0;
}

int
macro_expand_all(macro_table *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		int rc = expand_def(t, &t->defs[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
macro_expand(macro_table *t, const char *src, char **out, size_t *len)
{
	buf_t b = { 0 };
	int rc = expand(t, src, &b);

	if (rc == 0 && !b.data && buf_add(&b, "", 0) < 0)
		rc = TSBLOG_ENOMEM;
	if (rc < 0) {
		buf_free(&b);
		return rc;
	}
	*out = b.data;
	*len = b.len;
	return 0;
}

void
macro_table_fini(macro_table *t)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		free(t->defs[i].expanded);
	free(t->defs);
	memset(t, 0, sizeof(*t));
}
