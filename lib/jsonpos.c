/*
 * jansson reports positions for syntax errors only.  To point at the member
 * a semantic error is about ("rules[3].match"), we walk the already valid
 * text once more along that path.  This runs only when an error or a
 * failed self-test is reported, never while matching, so a simple skipper
 * over valid JSON is enough.
 */
#include <string.h>
#include "tsblog-private.h"

typedef struct {
	const char *s;
	size_t len, i;
} cur;

static void
ws(cur *c)
{
	while (c->i < c->len && strchr(" \t\r\n", c->s[c->i]) && c->s[c->i])
		c->i++;
}

static int
skip_string(cur *c)
{
	if (c->i >= c->len || c->s[c->i] != '"')
		return -1;
	for (c->i++; c->i < c->len; c->i++) {
		if (c->s[c->i] == '\\')
			c->i++;
		else if (c->s[c->i] == '"') {
			c->i++;
			return 0;
		}
	}
	return -1;
}

static int
skip_value(cur *c, int depth)
{
	char open, close;

	if (depth > 4096)
		return -1;
	ws(c);
	if (c->i >= c->len)
		return -1;
	open = c->s[c->i];
	if (open == '"')
		return skip_string(c);
	if (open != '{' && open != '[') {
		while (c->i < c->len && !strchr(",]} \t\r\n", c->s[c->i]))
			c->i++;
		return 0;
	}
	close = open == '{' ? '}' : ']';
	c->i++;
	ws(c);
	if (c->i < c->len && c->s[c->i] == close) {
		c->i++;
		return 0;
	}
	for (;;) {
		if (open == '{') {
			ws(c);
			if (skip_string(c) < 0)
				return -1;
			ws(c);
			if (c->i >= c->len || c->s[c->i] != ':')
				return -1;
			c->i++;
		}
		if (skip_value(c, depth + 1) < 0)
			return -1;
		ws(c);
		if (c->i >= c->len)
			return -1;
		if (c->s[c->i] == close) {
			c->i++;
			return 0;
		}
		if (c->s[c->i] != ',')
			return -1;
		c->i++;
	}
}

/* Keys are compared as written; a key spelt with escapes is not found and
 * the caller falls back to the enclosing value's position. */
static int
key_is(cur *c, size_t start, const char *key)
{
	size_t n = strlen(key);
	return c->i - start == n + 2 && !memcmp(c->s + start + 1, key, n);
}

int
json_locate(const char *text, size_t len, const json_step *path, size_t n,
	    int want_key, size_t *off)
{
	cur c = { text, len, 0 };
	size_t k, best;

	ws(&c);
	best = c.i;
	for (k = 0; k < n; k++) {
		int found = 0;
		ws(&c);
		if (path[k].key) {
			if (c.i >= len || text[c.i] != '{')
				break;
			c.i++;
			ws(&c);
			while (c.i < len && text[c.i] != '}') {
				size_t kstart = c.i;
				if (skip_string(&c) < 0)
					goto out;
				if (key_is(&c, kstart, path[k].key)) {
					found = 1;
					if (k + 1 == n && want_key) {
						*off = kstart;
						return 0;
					}
				}
				ws(&c);
				c.i++; /* ':' */
				ws(&c);
				if (found)
					break;
				if (skip_value(&c, 0) < 0)
					goto out;
				ws(&c);
				if (c.i < len && text[c.i] == ',')
					c.i++;
				ws(&c);
			}
		} else {
			size_t idx = 0;
			if (c.i >= len || text[c.i] != '[')
				break;
			c.i++;
			ws(&c);
			while (c.i < len && text[c.i] != ']') {
				if (idx == path[k].index) {
					found = 1;
					break;
				}
				if (skip_value(&c, 0) < 0)
					goto out;
				ws(&c);
				if (c.i < len && text[c.i] == ',')
					c.i++;
				ws(&c);
				idx++;
			}
		}
		if (!found)
			break;
		ws(&c);
		best = c.i;
	}
out:
	*off = best;
	return k == n ? 0 : -1;
}
