/* Summary and fix templates: "{field}" is a captured value, "{{" and "}}"
 * are literal braces.  Parsed once at compile time into segments so that
 * rendering a diagnosis is a few memcpy()s. */
#include <stdio.h>
#include <string.h>
#include "tsblog-private.h"

/* Room for every segment was made by tmpl_parse(). */
static void
add_seg(tmpl *t, int field, size_t off, size_t len)
{
	if (field < 0 && len == 0)
		return;
	t->segs[t->nsegs].field = field;
	t->segs[t->nsegs].off = off;
	t->segs[t->nsegs].len = len;
	t->nsegs++;
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
tmpl_parse(tmpl *t, const char *src, const struct tsblog_rule *r,
	   arena_t *mem, char *bad, size_t badlen)
{
	size_t n = strlen(src), i = 0, lit = 0, run = 0, opens = 0;
	const char *q;

	/* A literal run and a field per '{', and the last run. */
	for (q = src; (q = strchr(q, '{')); q++)
		opens++;
	memset(t, 0, sizeof(*t));
	t->lit = arena_add(mem, src, n);
	t->segs = arena_calloc(mem, 2 * opens + 1, sizeof(*t->segs));
	if (!t->lit || !t->segs)
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
			add_seg(t, -1, lit, run);
			add_seg(t, f, 0, 0);
			lit += run;
			run = 0;
			i = (size_t)(end - src) + 1;
		}
	}
	add_seg(t, -1, lit, run);
	return 0;
bad:
	memset(t, 0, sizeof(*t));
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
