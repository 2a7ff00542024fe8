/* Summary and fix templates: "{field}" is a captured value, "{{" and "}}"
 * are literal braces.  Parsed once at compile time into segments so that
 * rendering a diagnosis is a few memcpy()s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tsblog-private.h"

static int
add_seg(tmpl *t, size_t *cap, int field, size_t off, size_t len)
{
	if (field < 0 && len == 0)
		return 0;
	if (t->nsegs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		tmpl_seg *s = realloc(t->segs, ncap * sizeof(*s));
		if (!s)
			return -1;
		t->segs = s;
		*cap = ncap;
	}
	t->segs[t->nsegs].field = field;
	t->segs[t->nsegs].off = off;
	t->segs[t->nsegs].len = len;
	t->nsegs++;
	return 0;
}

static int
field_index(const struct tsblog_rule *r, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < r->nfields; i++)
		if (strlen(r->fields[i]) == len &&
		    !memcmp(r->fields[i], name, len))
			return (int)i;
	return -1;
}

int
tmpl_parse(tmpl *t, const char *src, const struct tsblog_rule *r, char *bad,
	   size_t badlen)
{
	size_t n = strlen(src), i = 0, lit = 0, run = 0, cap = 0;

	memset(t, 0, sizeof(*t));
	t->lit = malloc(n + 1);
	if (!t->lit)
		return TSBLOG_ENOMEM;
	while (i < n) {
		char c = src[i];
		if ((c == '{' || c == '}') && i + 1 < n && src[i + 1] == c) {
			t->lit[lit + run++] = c;
			i += 2;
			continue;
		}
		if (c == '}') {
			snprintf(bad, badlen,
				 "unmatched '}' at offset %zu (write '}}' for a literal brace)",
				 i);
			goto bad;
		}
		if (c != '{') {
			t->lit[lit + run++] = c;
			i++;
			continue;
		}
		{
			const char *end = memchr(src + i + 1, '}', n - i - 1);
			int f;
			if (!end) {
				snprintf(bad, badlen,
					 "unclosed '{' at offset %zu (write '{{' for a literal brace)",
					 i);
				goto bad;
			}
			f = field_index(r, src + i + 1,
					(size_t)(end - src - i - 1));
			if (f < 0) {
				snprintf(bad, badlen,
					 "{%.*s} at offset %zu names no field of the pattern",
					 (int)(end - src - i - 1), src + i + 1,
					 i);
				goto bad;
			}
			if (add_seg(t, &cap, -1, lit, run) < 0 ||
			    add_seg(t, &cap, f, 0, 0) < 0)
				goto nomem;
			lit += run;
			run = 0;
			i = (size_t)(end - src) + 1;
		}
	}
	if (add_seg(t, &cap, -1, lit, run) < 0)
		goto nomem;
	return 0;
nomem:
	tmpl_free(t);
	return TSBLOG_ENOMEM;
bad:
	tmpl_free(t);
	return TSBLOG_ETEMPLATE;
}

int
tmpl_render(buf_t *out, const tmpl *t, const struct tsblog_rule *r,
	    const char *subject, const PCRE2_SIZE *ov, cleaner *cl)
{
	size_t i;

	for (i = 0; i < t->nsegs; i++) {
		const tmpl_seg *s = &t->segs[i];
		if (s->field < 0) {
			if (buf_add(out, t->lit + s->off, s->len) < 0)
				return -1;
		} else {
			uint32_t g = r->field_group[s->field];
			if (ov[2 * g] == PCRE2_UNSET)
				continue;
			if (clean_add(cl, out, subject + ov[2 * g],
				      group_len(ov, g)) < 0)
				return -1;
		}
	}
	return 0;
}

void
tmpl_free(tmpl *t)
{
	free(t->lit);
	free(t->segs);
	memset(t, 0, sizeof(*t));
}
