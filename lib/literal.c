/*
 * The literal text every match of a pattern must contain, found from the
 * pattern itself, so one multi-literal search over a whole buffer can
 * tell which lines might match which rules.
 *
 * Conservative by design: a run of plain characters at the top level of a
 * branch, broken by anything that is not certainly one fixed byte.  Runs
 * hold only literal_byte()s: a literal must be found in the raw line of a
 * JSON log as well as in the text its message and members are matched
 * as.  A pattern with (?i) gets no literal.
 */
#include <string.h>
#include <stdlib.h>
#include "limits.h"
#include "prefilter.h"
#include "tsblog-private.h"

/* Just past a POSIX class [:alpha:] (also [.x.], [=x=]) starting at @p
 * inside a class, or NULL if PCRE2 would not read one there (its
 * check_posix_syntax()). */
static const char *
posix_class_end(const char *p)
{
	char t = p[1];

	if (p[0] != '[' || (t != ':' && t != '.' && t != '='))
		return NULL;
	for (p += 2; p[0] && p[1]; p++) {
		if (p[0] == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((p[0] == '[' && p[1] == t) || p[0] == ']')
			return NULL;
		else if (p[0] == t && p[1] == ']')
			return p + 2;
	}
	return NULL;
}

/* Just past \Q...\E at @p (or the end of the pattern, as PCRE2 reads an
 * unclosed \Q). */
static const char *
quoted_end(const char *p)
{
	const char *e = strstr(p + 2, "\\E");

	return e ? e + 2 : p + strlen(p);
}

/* Skip from p (just after an opening '(' or '[') to just after the
 * matching close, honouring escapes, quoting, classes (with their POSIX
 * classes), comments and nesting. */
static const char *
skip_group(const char *p, char close)
{
	int depth = 1;

	if (close == ')' && p[0] == '?' && p[1] == '#') {
		const char *e = strchr(p, ')');
		return e ? e + 1 : p + strlen(p);
	}
	while (*p && depth) {
		const char *q;

		if (*p == '\\' && p[1] == 'Q') {
			p = quoted_end(p);
			continue;
		}
		if (*p == '\\' && p[1]) {
			p += 2;
			continue;
		}
		if (close == ']') {
			if ((q = posix_class_end(p)))
				p = q;
			else if (*p++ == ']')
				depth = 0;
			continue;
		}
		if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			p = skip_group(p, ']');
			continue;
		}
		if (*p == '(' && p[1] == '?' && p[2] == '#') {
			q = strchr(p, ')');        /* (?#...) ends at ')' */
			p = q ? q + 1 : p + strlen(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		p++;
	}
	return p;
}

/* Just past a letter or digit escape starting at @e (the character after
 * the backslash), with its argument: \x41 \x{1F600} \o{17} \N{U+41}
 * \p{Lu} \pL \cA \g{-1} \k<name> \12.  None of them is taken as a
 * literal byte: that would need decoding for little gain. */
static const char *
escape_end(const char *e)
{
	const char *q = e + 1;
	char close = 0;
	int i;

	switch (*e) {
	case 'x':
		if (*q == '{')
			close = '}';
		else
			for (i = 0; i < 2 && ((*q >= '0' && *q <= '9') ||
					      (*q >= 'a' && *q <= 'f') ||
					      (*q >= 'A' && *q <= 'F'));
			     i++)
				q++;
		break;
	case 'o': case 'N': case 'p': case 'P':
		if (*q == '{')
			close = '}';
		else if ((*e == 'p' || *e == 'P') && *q)
			q++;
		break;
	case 'c':
		if (*q)
			q++;
		break;
	case 'g': case 'k':
		if (*q == '{')
			close = '}';
		else if (*q == '<')
			close = '>';
		else if (*q == '\'')
			close = '\'';
		else
			while (*q == '-' || *q == '+' || (*q >= '0' && *q <= '9'))
				q++;
		break;
	default:
		if (*e >= '0' && *e <= '9')
			while (*q >= '0' && *q <= '9')
				q++;
	}
	if (close) {
		const char *c = strchr(q, close);
		q = c ? c + 1 : q + strlen(q);
	}
	return q;
}

typedef struct {
	char best[MAX_LITERAL_LEN];
	size_t best_n;
	char cur[MAX_LITERAL_LEN];
	size_t cur_n;
	/* A group whose every alternative has a literal: one of them is in
	 * every match.  Kept when its shortest beats the best run. */
	char **set;
	int nset;
	size_t set_score;
} runs;

static int pattern_literals_at(const char *pattern, const char *end,
			       char ***out, int depth);

/* Where a group's content starts, or NULL for groups that do not consume
 * (lookarounds, verbs, comments, option settings). */
static const char *
group_body(const char *p)
{
	if (*p == '*')
		return NULL;                     /* (*COMMIT) */
	if (*p != '?')
		return p;                        /* (...) */
	p++;
	if (*p == ':' || *p == '|' || *p == '>')
		return p + 1;
	if (*p == 'P' && p[1] == '<')
		p++;
	if (*p == '<' && p[1] != '=' && p[1] != '!') {
		const char *q = strchr(p, '>');  /* (?<name>...) */
		return q ? q + 1 : NULL;
	}
	if (*p == '\'' ) {
		const char *q = strchr(p + 1, '\'');
		return q ? q + 1 : NULL;
	}
	return NULL;
}

static void
free_set(char **set, int n)
{
	while (n > 0)
		free(set[--n]);
	free(set);
}

static size_t
set_min(char **set, int n)
{
	size_t m = (size_t)-1;
	int i;
	for (i = 0; i < n; i++)
		if (strlen(set[i]) < m)
			m = strlen(set[i]);
	return m;
}

static void
end_run(runs *r)
{
	if (r->cur_n > r->best_n) {
		memcpy(r->best, r->cur, r->cur_n);
		r->best_n = r->cur_n;
	}
	r->cur_n = 0;
}

static void
add_char(runs *r, char c)
{
	if (!literal_byte((unsigned char)c))
		end_run(r);
	else if (r->cur_n < sizeof(r->cur))
		r->cur[r->cur_n++] = c;
}

/* A quantifier at p applies to the atom just before it.  Returns what
 * follows it; *optional tells whether that atom may be absent. */
static const char *
quantifier(const char *p, int *present, int *optional)
{
	*present = 1;
	*optional = 0;
	if (*p == '*' || *p == '?') {
		*optional = 1;
		p++;
	} else if (*p == '+') {
		p++;
	} else if (*p == '{' && (p[1] >= '0' && p[1] <= '9')) {
		/* {n}, {n,} or {n,m} exactly; anything else is a literal
		 * '{', as PCRE2 reads it.  Only the digits are looked at, so
		 * a pattern of many "{2," stays linear. */
		const char *q = p + 1;
		int zero = 1;
		for (; *q >= '0' && *q <= '9'; q++)
			zero &= *q == '0';
		if (*q == ',')
			for (q++; *q >= '0' && *q <= '9'; q++)
				;
		if (*q != '}') {
			*present = 0;
			return p;
		}
		*optional = zero;
		p = q + 1;
	} else {
		*present = 0;
		return p;
	}
	if (*p == '?' || *p == '+') /* lazy, possessive */
		p++;
	return p;
}

/* The best literals of one top-level branch [p, end): its longest run,
 * or a group's set of alternatives if that is better.  Returns how many
 * (0: none) and the strings in *out, or -1 on no memory. */
static int
branch_literals(const char *p, const char *end, char ***out, int depth)
{
	runs r;
	int present, optional;

	memset(&r, 0, sizeof(r));
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		int lit = -1; /* the literal byte this atom is, if it is one */
		const char *next = p + 1;

		if (c == '\\') {
			unsigned char e = (unsigned char)p[1];
			next = p + 2;
			if (!e)
				break;
			if (e == 'Q') {
				/* \Q...\E: quoted text, literal as it stands */
				const char *q = strstr(p + 2, "\\E");
				const char *stop = q && q < end ? q : end;
				for (p += 2; p < stop; p++)
					add_char(&r, *p);
				p = stop < end ? stop + 2 : end;
				continue;
			}
			if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
			      (e >= '0' && e <= '9')) && e != '"' && e != '\\' &&
			    e < 0x80)
				lit = e;
			else
				next = escape_end(p + 1);
		} else if (c == '(') {
			if (p[1] == '?' && p[2] && strchr("imnsxJU-^", p[2])) {
				/* (?i) or (?i:...): case folding defeats a
				 * byte literal anywhere after it; (?x) makes
				 * spaces mean nothing. */
				const char *q = p + 2;
				while (*q && *q != ')' && *q != ':') {
					if (*q == 'i' || *q == 'x') {
						free_set(r.set, r.nset);
						return 0;
					}
					q++;
				}
			}
			end_run(&r);
			next = skip_group(p + 1, ')');
			{
				const char *body = group_body(p + 1);
				int pres, opt;
				quantifier(next, &pres, &opt);
				if (body && body < next && !(pres && opt) &&
				    depth < MAX_LITERAL_DEPTH) {
					char **set = NULL;
					int n = pattern_literals_at(
						body, next - 1, &set, depth + 1);
					if (n > 0 && set_min(set, n) > r.set_score) {
						free_set(r.set, r.nset);
						r.set = set;
						r.nset = n;
						r.set_score = set_min(set, n);
					} else if (n > 0) {
						free_set(set, n);
					}
				}
			}
		} else if (c == '[') {
			const char *q = p + 1;
			end_run(&r);
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			next = skip_group(q, ']');
		} else if (c == '.' || c == '^' || c == '$') {
			end_run(&r);
		} else if (c == '*' || c == '+' || c == '?' ||
			   (c == '{' && p[1] >= '0' && p[1] <= '9')) {
			/* a quantifier with nothing literal before it */
			next = quantifier(p, &present, &optional);
			if (!present) {
				/* "{1x}": not a quantifier, a literal '{' */
				lit = c;
				next = p + 1;
			}
		} else {
			lit = c;
		}
		/* Whatever the atom was, a quantifier after it decides
		 * whether it is certainly there once. */
		{
			const char *q = quantifier(next, &present, &optional);
			if (present) {
				if (lit >= 0 && !optional)
					add_char(&r, (char)lit);
				end_run(&r);
				p = q;
				continue;
			}
		}
		if (lit >= 0)
			add_char(&r, (char)lit);
		else
			end_run(&r);
		p = next;
	}
	end_run(&r);
	if (r.best_n >= MIN_LITERAL && r.best_n >= r.set_score) {
		free_set(r.set, r.nset);
		*out = calloc(1, sizeof(char *));
		if (!*out || !((*out)[0] = strndup(r.best, r.best_n))) {
			free(*out);
			return -1;
		}
		return 1;
	}
	*out = r.set;
	return r.nset;
}

/* Literals of each top-level branch of [pattern, end); all branches must
 * have some.  Returns the number found (0: no usable literal), or -1 on no
 * memory; *out is an array of strings the caller frees. */
static int
pattern_literals_at(const char *pattern, const char *end, char ***out,
		    int depth)
{
	const char *p = pattern, *start = pattern;
	char **lits = NULL;
	int n = 0;

	*out = NULL;
	for (;; p++) {
		if (p < end && *p == '\\' && p + 1 < end && p[1] == 'Q') {
			p = quoted_end(p) - 1;
			if (p >= end)
				p = end - 1;
			continue;
		}
		if (p < end && *p == '\\' && p + 1 < end) {
			p++;
			continue;
		}
		if (p < end && *p == '(') {
			p = skip_group(p + 1, ')') - 1;
			continue;
		}
		if (p < end && *p == '[') {
			const char *q = p + 1;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			p = skip_group(q, ']') - 1;
			continue;
		}
		if (p >= end || *p == '|') {
			char **got, **grown;
			int k, g = branch_literals(start, p, &got, depth);
			if (g < 0)
				goto nomem;
			if (g == 0)
				goto none;
			grown = realloc(lits, (size_t)(n + g) * sizeof(*lits));
			if (!grown) {
				free_set(got, g);
				goto nomem;
			}
			lits = grown;
			for (k = 0; k < g; k++)
				lits[n++] = got[k];
			free(got);
			if (p >= end)
				break;
			start = p + 1;
		}
	}
	*out = lits;
	return n;
none:
	free_set(lits, n);
	return 0;
nomem:
	free_set(lits, n);
	return -1;
}

int
pattern_literals(const char *pattern, char ***out)
{
	/* (*ACCEPT) ends a match early, before text the pattern goes on to
	 * name; a callout's string may hold any bracket.  No literal. */
	*out = NULL;
	if (strstr(pattern, "(*ACCEPT") || strstr(pattern, "(?C"))
		return 0;
	return pattern_literals_at(pattern, pattern + strlen(pattern), out, 0);
}
