#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tsblog-private.h"

const char *
tsblog_error_code_name(int code)
{
	switch (code) {
	case TSBLOG_OK: return "ok";
	case TSBLOG_ENOMEM: return "nomem";
	case TSBLOG_EINVAL: return "invalid";
	case TSBLOG_EIO: return "io";
	case TSBLOG_ESYNTAX: return "syntax";
	case TSBLOG_ESCHEMA: return "schema";
	case TSBLOG_EREGEX: return "regex";
	case TSBLOG_ETEMPLATE: return "template";
	case TSBLOG_EMACRO: return "macro";
	case TSBLOG_EDUPLICATE: return "duplicate";
	case TSBLOG_EVERSION: return "version";
	case TSBLOG_EMATCH: return "match";
	case TSBLOG_EUSER: return "user";
	default: return "unknown";
	}
}

/* Columns count characters, not bytes, as jansson's do, so that our
 * locations and jansson's agree on non-ASCII rule files. */
void
offset_to_line_col(const char *text, size_t len, size_t off, int *line,
		   int *col)
{
	size_t i;
	int l = 1, c = 1;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static void
copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
err_vbuild(tsblog_error *err, int code, const char *source, int line,
	   int column, size_t pos, const char *rule_id, const char *member,
	   const char *fmt, va_list ap)
{
	size_t n = 0;
	int k;

	memset(err, 0, sizeof(*err));
	err->code = code;
	copy_str(err->source, sizeof(err->source), source);
	copy_str(err->rule_id, sizeof(err->rule_id), rule_id);
	copy_str(err->member, sizeof(err->member), member);
	err->line = line;
	err->column = column;
	err->position = pos == NO_POS ? 0 : pos;

	if (source && line > 0)
		k = snprintf(err->message, sizeof(err->message), "%s:%d:%d: ",
			     source, line, column);
	else if (source)
		k = snprintf(err->message, sizeof(err->message), "%s: ",
			     source);
	else
		k = 0;
	n = k > 0 ? (size_t)k : 0;
	if (rule_id && *rule_id && n < sizeof(err->message)) {
		k = snprintf(err->message + n, sizeof(err->message) - n,
			     "rule \"%s\": ", rule_id);
		n += k > 0 ? (size_t)k : 0;
	}
	if (member && *member && n < sizeof(err->message)) {
		k = snprintf(err->message + n, sizeof(err->message) - n,
			     "%s: ", member);
		n += k > 0 ? (size_t)k : 0;
	}
	if (n < sizeof(err->message))
		vsnprintf(err->message + n, sizeof(err->message) - n, fmt, ap);
	/* A message is one line whatever went into it. */
	for (n = 0; err->message[n]; n++)
		if (err->message[n] == '\n' || err->message[n] == '\r')
			err->message[n] = ' ';
}

void
err_raise(tsblog_error *err, int code, const err_where *w, size_t pos,
	  const char *rule_id, const char *member, const char *fmt, ...)
{
	va_list ap;
	int line = 0, col = 0;

	if (!err)
		return;
	if (w && w->text && pos != NO_POS)
		offset_to_line_col(w->text, w->len, pos, &line, &col);
	va_start(ap, fmt);
	err_vbuild(err, code, w ? w->source : NULL, line, col, pos, rule_id,
		   member, fmt, ap);
	va_end(ap);
}

void
err_raise_lc(tsblog_error *err, int code, const char *source, int line,
	     int column, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	err_vbuild(err, code, source, line, column, pos, NULL, NULL, fmt, ap);
	va_end(ap);
}

int
err_nomem(tsblog_error *err)
{
	err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
		  "out of memory");
	return TSBLOG_ENOMEM;
}

int
err_inval(tsblog_error *err, const char *what)
{
	err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL, "%s", what);
	return TSBLOG_EINVAL;
}
