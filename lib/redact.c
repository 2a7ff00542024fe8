/*
 * Secrets stay secret: the logs of this job carry service-account JWTs,
 * JWKs, bearer tokens, PEM keys, kubeconfigs and cloud credentials, and a
 * diagnosis quotes the log.  Every string we hand out from input bytes
 * goes through here: made valid UTF-8 and, unless redaction is off, with
 * each secret replaced by a marker such as <redacted:jwt>.
 *
 * Secrets are found in the whole line (cleaner_subject) and a piece of
 * that line (a captured field, a piece between summary placeholders) is
 * cleaned with the line's secret spans: a field that captured a token
 * without its "Bearer " is still redacted, and nothing that cuts a
 * secret in two lets its second half out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "limits.h"
#include "redact.h"
#include "tsblog-private.h"

/* One alternation, one left-to-right pass; \K starts the secret where a
 * branch names its context first ("Bearer ", "d": ").  Every branch is
 * linear: possessive runs, and a look-behind so no branch restarts
 * inside a run it has just scanned (eyJ-eyJ-... was quadratic).  The
 * text each branch holds is in redact.h, for redact_maybe() below. */
#define RE_W(w) w
#define RE_OR "|"
static const struct {
	const char *mark;
	const char *re;
} kinds[] = {
	{ "<redacted:jwt>", "(?<![A-Za-z0-9_-])" JWT_START "[A-Za-z0-9_-]{4,}+"
			    "\\.[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]*+" },
	{ "<redacted:token>", "\\b(?i:" TOKEN_WORDS(RE_W, RE_OR) ")\\s++\\K"
			      "[A-Za-z0-9._~+/=-]{8,}+" },
	{ "<redacted:pem>", PEM_BEGIN "[A-Z0-9 ]++-----(?:(?!-----END ).)*+"
			    "(?:-----END [A-Z0-9 ]++-----)?" },
	{ "<redacted:pem>", PEM64_BEGIN "[A-Za-z0-9+/=]*+" },
	{ "<redacted:key>", "\\b(?i:" KEY_WORDS(RE_W, RE_OR) ")"
			    "(?:\\\\*+[\"'])?\\s*+[:=]\\s*+(?:\\\\*+[\"'])?\\K"
			    "[^\\s\"'\\\\,;]{4,}+" },
	/* scheme://user:password@host */
	{ "<redacted:password>", "://[^\\s:/@]*+:\\K[^\\s/@]++(?=@)" },
	{ "<redacted:aws>", "(?<![A-Z0-9])(?:" AWS_IDS(RE_W, RE_OR) ")[A-Z0-9]{16}"
			    "(?![A-Z0-9])" },
	{ "<redacted:aws>", "\\b(?i:" AWS_WORDS(RE_W, RE_OR) ")(?:\\\\*+[\"'])?\\s*+[:=]"
			    "\\s*+(?:\\\\*+[\"'])?\\K[A-Za-z0-9/+=]{16,}+" },
	/* private JWK members, quoted with any escaping ("d", \"d\",
	 * \\\"d\\\", 'd'), or in YAML (d: ...) */
	{ "<redacted:jwk>", "(?<![\\\\])(?<q>\\\\*+[\"'])"
			    "(?:" JWK_MEMBERS(RE_W, RE_OR) ")\\k<q>\\s*+:\\s*+\\k<q>\\K"
			    "[^\"'\\\\]++(?=\\k<q>)" },
	{ "<redacted:jwk>", "(?:^|(?<=[\\s{,]))(?:" JWK_MEMBERS(RE_W, RE_OR) "):\\s++\\K"
			    "[A-Za-z0-9_-]{16,}+" },
};
#define NKINDS (sizeof(kinds) / sizeof(*kinds))

/* The lists again, as arrays for redact_maybe(). */
typedef struct {
	const char *s;
	size_t n;
} item;
#define ITEM(w) { w, sizeof(w) - 1 },
#define LIST(name, L) static const item name[] = { L(ITEM, ) }
LIST(token_words, TOKEN_WORDS);
LIST(key_words, KEY_WORDS);
LIST(aws_ids, AWS_IDS);
LIST(aws_words, AWS_WORDS);
LIST(jwk_members, JWK_MEMBERS);
LIST(ascii_folds, ASCII_FOLDS);
static const item jwt_start[] = { ITEM(JWT_START) };
static const item pem_begin[] = { ITEM(PEM_BEGIN) };
static const item pem64_begin[] = { ITEM(PEM64_BEGIN) };
#define N(a) (sizeof(a) / sizeof(*(a)))

static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');  /* \s without UCP */
}

/* Whether an item of @l, where it holds the byte s[i], sits there;
 * aligning only its first such byte suffices, as that is in s too.
 * Items are a few bytes: looked through in place, as a memchr() call
 * cost more than the item. */
static int
lit_at(const unsigned char *s, size_t n, size_t i, const item *l, size_t nl)
{
	for (; nl--; l++) {
		size_t at = 0;
		while (at < l->n && (unsigned char)l->s[at] != s[i])
			at++;
		/* The first byte before the rest: 'I' is klog's info letter. */
		if (at < l->n && i >= at && n - (i - at) >= l->n &&
		    s[i - at] == (unsigned char)l->s[0] &&
		    !memcmp(s + i - at, l->s, l->n))
			return 1;
	}
	return 0;
}

/* Whether @c is a byte of the string @set: strchr() unrolled for a
 * constant @set, without a call (key_at() asks at every ':' and '='). */
static inline int
in_set(const char *set, unsigned char c)
{
	for (; *set; set++)
		if ((unsigned char)*set == c)
			return 1;
	return 0;
}

/* (?i) in ASCII: @w is lower case */
static int
ci_eq(unsigned char c, char w)
{
	return c == (unsigned char)w ||
	       (w >= 'a' && w <= 'z' && (c | 0x20) == (unsigned char)w);
}

/* Whether a word of @l ends before s[j]; its last letter, compared
 * first, rules most words out. */
static int
word_ends(const unsigned char *s, size_t j, const item *l, size_t nl)
{
	unsigned char c = j ? s[j - 1] | 0x20 : 0;

	for (; nl--; l++) {
		size_t k = l->n;
		if (!j || c != ((unsigned char)l->s[k - 1] | 0x20) || j < k)
			continue;
		while (k && ci_eq(s[j - l->n + k - 1], l->s[k - 1]))
			k--;
		if (!k)
			return 1;
	}
	return 0;
}

/* Whether a word of @l starts at s[i]. */
static int
word_starts(const unsigned char *s, size_t n, size_t i, const item *l,
	    size_t nl)
{
	for (; nl--; l++)
		if (n - i >= l->n && word_ends(s + i, l->n, l, 1))
			return 1;
	return 0;
}

/* The key branches at a ':' or '=' at s[i]: a word, an optional
 * \\*+["'], spaces. */
static int
key_at(const unsigned char *s, size_t i)
{
	while (i && is_space(s[i - 1]))
		i--;
	if (i && (s[i - 1] == '"' || s[i - 1] == '\'')) {
		i--;
		while (i && s[i - 1] == '\\')
			i--;
	}
	/* ':' and '=' are common in logs, a key word's end seldom */
	if (i < 2 || !in_set(KEY_LAST_LETTERS, s[i - 1] | 0x20) ||
	    !in_set(KEY_NEXT_TO_LAST_LETTERS, s[i - 2] | 0x20))
		return 0;
	return word_ends(s, i, key_words, N(key_words)) ||
	       word_ends(s, i, aws_words, N(aws_words));
}

/* Whether a JWK member ends at s[j], after a byte of @before (or at
 * the line's start, when @start). */
static int
member_at(const unsigned char *s, size_t j, const char *before, int start)
{
	const item *l = jwk_members;
	size_t nl = N(jwk_members);

	/* Most words end in another letter, or are longer than one or two
	 * letters after a byte of @before: a test or two for all members. */
	if (!j || !in_set(JWK_LAST_LETTERS, s[j - 1]) ||
	    (!(j == 1 ? start : in_set(before, s[j - 2])) &&
	     !(j == 2 ? start : j > 2 && in_set(before, s[j - 3]))))
		return 0;
	for (; nl--; l++)
		if (j >= l->n && s[j - 1] == (unsigned char)l->s[l->n - 1] &&
		    !memcmp(s + j - l->n, l->s, l->n) &&
		    (j == l->n ? start : s[j - l->n - 1] &&
		     strchr(before, s[j - l->n - 1]) != NULL))
			return 1;
	return 0;
}

/* The JWK branches at a ':' at s[i]: "d": (any quote, any escaping, as
 * the closing quote repeats the opening one) or d: after a space, '{',
 * ',' or the line's start. */
static int
jwk_at(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i;

	if (i + 1 < n && is_space(s[i + 1]) &&
	    member_at(s, i, " \t\n\v\f\r{,", 1))
		return 1;
	while (j && is_space(s[j - 1]))
		j--;
	if (!j || (s[j - 1] != '"' && s[j - 1] != '\''))
		return 0;
	j--;
	while (j && s[j - 1] == '\\')
		j--;
	return member_at(s, j, "\"'", 0);
}

/* scheme://user:password@host at the ':' at s[i], as its branch reads
 * it: [^\s:/@]*+ then ':' then [^\s/@]++ up to an '@'. */
static int
url_at(const unsigned char *s, size_t n, size_t i)
{
	if (n - i < 3 || s[i + 1] != '/' || s[i + 2] != '/')
		return 0;
	for (i += 3; i < n && !is_space(s[i]) && s[i] != ':' && s[i] != '/' &&
		     s[i] != '@'; i++)
		;
	if (i == n || s[i] != ':')
		return 0;
	for (i++; i < n && !is_space(s[i]) && s[i] != '/' && s[i] != '@'; i++)
		;
	return i < n && s[i] == '@';
}

/* Whether a match's text can hold the byte s[i]: the bytes some
 * branch's text holds and logs seldom do, and the text around them. */
static int
anchor_at(const unsigned char *s, size_t n, size_t i)
{
	switch (s[i]) {
	case 'J':
		return lit_at(s, n, i, jwt_start, 1) ||
		       lit_at(s, n, i, pem64_begin, 1);
	case 'G':
		return lit_at(s, n, i, pem_begin, 1);
	case 'I':
		return lit_at(s, n, i, aws_ids, N(aws_ids));
	case 'b':
	case 'B':
		return word_starts(s, n, i, token_words, N(token_words));
	case ':':
		if (url_at(s, n, i) || jwk_at(s, n, i))
			return 1;
		/* fall through */
	case '=':
		return key_at(s, i);
	case 0xc5:
	case 0xe2:
		return lit_at(s, n, i, ascii_folds, N(ascii_folds));
	}
	return 0;
}

#ifdef __SSE2__
/* The bytes of the string literal @set in @v: a compare for each, the
 * loop unrolled so that each byte is a constant. */
#define eq_any(v, set) eq_n(v, set, sizeof(set) - 1)
static inline __attribute__((always_inline)) __m128i
eq_n(__m128i v, const char *set, size_t n)
{
	__m128i m = _mm_setzero_si128();
	size_t k;

#pragma GCC unroll 8
	for (k = 0; k < n; k++)
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(set[k])));
	return m;
}

/* Which of 16 bytes are anchor_at()'s case labels, byte k as bit k: most
 * bytes are not. */
static unsigned
anchors(const unsigned char *p)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)p);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
		eq_any(x, "JGI:=\xc5\xe2"),
		eq_any(_mm_or_si128(x, _mm_set1_epi8(0x20)), "b")));
}
#define NEXT(m) (unsigned)__builtin_ctz(m)

/* anchors() of the 16 bytes at @p, less the common ones whose neighbours
 * already rule out every branch anchor_at() would try there: a ':' or
 * '=' that no key word, JWK member, quote or blank ends before (and, for
 * ':', no "//" follows), a 'b' that starts no TOKEN_WORDS, an 'I' that
 * ends no AWS_IDS' "AK" or "AS".  Reads p[-1] to p[16].  ':', 'I' and
 * 'b' are in most log messages, and anchor_at() branches on each: with
 * the built-in catalog on 20 MB of the bench corpus, anchor_at() went
 * from 28.4M instructions to 16.1M and the vector steps from 9.7M to
 * 18.3M, and the text report's CPU to 0.97x (2026-12-05). */
static unsigned
anchors_near(const unsigned char *p)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)p);
	const __m128i prev = _mm_loadu_si128((const __m128i *)(p - 1));
	const __m128i next = _mm_loadu_si128((const __m128i *)(p + 1));
	const __m128i lower = _mm_set1_epi8(0x20);
	/* \s without UCP: ' ', or '\t' to '\r' (9 to 13) */
	const __m128i ctl = _mm_sub_epi8(prev, _mm_set1_epi8('\t'));
	__m128i blank = _mm_or_si128(
		eq_any(prev, " "),
		_mm_cmpeq_epi8(_mm_min_epu8(ctl, _mm_set1_epi8(4)), ctl));
	__m128i key = _mm_or_si128(
		_mm_or_si128(blank, eq_any(prev, "\"'")),
		eq_any(_mm_or_si128(prev, lower), KEY_LAST_LETTERS));
	__m128i colon = _mm_and_si128(
		eq_any(x, ":"),
		_mm_or_si128(_mm_or_si128(key, eq_any(prev, JWK_LAST_LETTERS)),
			     eq_any(next, "/")));
	__m128i equals = _mm_and_si128(eq_any(x, "="), key);
	__m128i b = _mm_and_si128(
		eq_any(_mm_or_si128(x, lower), "b"),
		eq_any(_mm_or_si128(next, lower), TOKEN_SECOND_LETTERS));
	__m128i i = _mm_and_si128(eq_any(x, "I"), eq_any(prev, AWS_I_AFTER));
	__m128i rare = eq_any(x, "JG\xc5\xe2");

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
		_mm_or_si128(colon, equals),
		_mm_or_si128(_mm_or_si128(b, i), rare)));
}
#elif defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Which of 16 bytes are anchor_at()'s case labels, byte k as bit k (the
 * gather below reads bytes little-endian), by a vector compare: most
 * bytes are not. */
typedef unsigned char v16 __attribute__((vector_size(16)));
static unsigned
anchors(const unsigned char *p)
{
	v16 x;
	uint64_t h[2];

	memcpy(&x, p, sizeof(x));
	x = (v16)((x == 'J') | (x == 'G') | (x == 'I') | ((x | 0x20) == 'b') |
		  (x == ':') | (x == '=') | (x == 0xc5) | (x == 0xe2));
	memcpy(h, &x, sizeof(h));
	/* each byte's top bit, gathered into the top byte */
	return (unsigned)(((h[0] & 0x8080808080808080u) *
			   0x0002040810204081u) >> 56 |
			  ((h[1] & 0x8080808080808080u) *
			   0x0002040810204081u) >> 56 << 8);
}
#define NEXT(m) (unsigned)__builtin_ctz(m)
#else
#define anchors(p) 0xffffu
#define NEXT(m) next_bit(m)
static unsigned
next_bit(unsigned m)
{
	unsigned k = 0;
	while (!(m >> k & 1))
		k++;
	return k;
}
#endif

/* A "maybe" costs the regex; a "no" must be sound:
 * tests/reliability/test-redact.c checks it against the regex. */
int
redact_maybe(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;
	unsigned m;

	for (i = 0; n - i >= 16; i += 16) {
		m = anchors(s + i);
#ifdef __SSE2__
		/* Half the steps of a log message hold no anchor at all. */
		if (m && i && n - i > 16)
			m = anchors_near(s + i);
#endif
		for (; m; m &= m - 1)
			if (anchor_at(s, n, i + NEXT(m)))
				return 1;
	}
	if (i < n && n >= 16) {
		/* The last 16 bytes, of which those before i are done. */
		for (m = anchors(s + n - 16) >> (16 - (n - i)); m; m &= m - 1)
			if (anchor_at(s, n, i + NEXT(m)))
				return 1;
		return 0;
	}
	for (; i < n; i++)
		if (anchor_at(s, n, i))
			return 1;
	return 0;
}

/* Past REDACT_MATCH_LIMIT (limits.h), the rest of a string is withheld. */
static const char withheld[] = "<redacted:unchecked>";

/* The library's own patterns (shapes, secrets) are compiled as rules are,
 * JIT included. */
pcre2_code *
compile_own(const char *pattern)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern,
				      PCRE2_ZERO_TERMINATED, PATTERN_OPTIONS,
				      &ec, &eo, NULL);
	if (c)
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

pcre2_code *
redact_compile(void)
{
	buf_t b = { 0 };
	pcre2_code *c = NULL;
	size_t i;

	/* Each branch names itself: (*MARK:3) */
	for (i = 0; i < NKINDS; i++) {
		char mark[16];
		int k = snprintf(mark, sizeof(mark), "%s(*MARK:%zu)",
				 i ? "|" : "", i);
		if (buf_add(&b, mark, (size_t)k) < 0 ||
		    buf_add(&b, kinds[i].re, strlen(kinds[i].re)) < 0)
			goto out;
	}
	if (buf_add(&b, "", 1) == 0)
		c = compile_own(b.data);
out:
	buf_free(&b);
	return c;
}

/* Compiling the secret patterns was 60% of start-up, and a run that
 * meets no line needs none of it: compiled on first use, by whichever
 * thread comes first (the others free theirs), so the rule set stays
 * shareable. */
const pcre2_code *
redact_code(const tsblog_ruleset *rs)
{
	_Atomic(pcre2_code *) *slot =
		(_Atomic(pcre2_code *) *)&rs->redact_code;
	pcre2_code *c = atomic_load_explicit(slot, memory_order_acquire);
	pcre2_code *none = NULL;

	if (c || !(c = redact_compile()))
		return c;
	if (!atomic_compare_exchange_strong_explicit(slot, &none, c,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		pcre2_code_free(c);
		c = none;
	}
	return c;
}

int
cleaner_init(cleaner *cl, const struct tsblog_ruleset *rs, int on)
{
	memset(cl, 0, sizeof(*cl));
	cl->rs = rs;
	cl->on = on && rs;
	return 0;
}

/* The code and match data, made when a string first may hold a secret
 * (find_secrets()): a command that meets no such string never compiles
 * the secret patterns (30 pages of JIT code, 1.3 ms of a one-line
 * input's 6.4 on the bench's VM). */
static int
cleaner_ready(cleaner *cl)
{
	if (cl->md)
		return 0;
	if (!cl->rs || !(cl->code = redact_code(cl->rs)))
		return -1;
	if (!cl->mc && !(cl->mc = pcre2_match_context_create(NULL)))
		return -1;
	pcre2_set_match_limit(cl->mc, REDACT_MATCH_LIMIT);
	cl->md = pcre2_match_data_create_from_pattern(cl->code, NULL);
	return cl->md ? 0 : -1;
}

void
cleaner_fini(cleaner *cl)
{
	pcre2_match_data_free(cl->md);
	pcre2_match_context_free(cl->mc);
	free(cl->line.v);
	free(cl->other.v);
	memset(cl, 0, sizeof(*cl));
}

static int
add_span(spans *sp, size_t start, size_t end, const char *mark)
{
	if (sp->n == sp->cap) {
		size_t cap = sp->cap ? 2 * sp->cap : 8;
		secret_span *v = realloc(sp->v, cap * sizeof(*v));
		if (!v)
			return -1;
		sp->v = v;
		sp->cap = cap;
	}
	sp->v[sp->n].start = start;
	sp->v[sp->n].end = end;
	sp->v[sp->n].mark = mark;
	sp->n++;
	return 0;
}

/* The secrets in [s, s+n), in order, into @sp. */
static int
find_secrets(cleaner *cl, spans *sp, const char *s, size_t n)
{
	const PCRE2_SIZE *ov;
	PCRE2_SIZE at = 0;

	sp->n = 0;
	if (!s || !redact_maybe(s, n))
		return 0;
	if (cleaner_ready(cl) < 0)
		return -1;
	ov = pcre2_get_ovector_pointer(cl->md);
	while (at < n) {
		PCRE2_SPTR name;
		size_t k;
		int rc = pcre2_match(cl->code, (PCRE2_SPTR)s, n, at, 0, cl->md,
				     cl->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return add_span(sp, at, n, withheld);
		name = pcre2_get_mark(cl->md);
		k = name ? strtoul((const char *)name, NULL, 10) : NKINDS;
		if (ov[1] > ov[0] && k < NKINDS &&
		    add_span(sp, ov[0], ov[1], kinds[k].mark) < 0)
			return -1;
		at = ov[1] > at ? ov[1] : at + 1;
	}
	return 0;
}

int
cleaner_subject(cleaner *cl, const char *s, size_t n)
{
	cl->subject = NULL;
	cl->subject_n = 0;
	if (!cl->on || !s)
		return 0;
	if (find_secrets(cl, &cl->line, s, n) < 0)
		return -1;
	cl->subject = s;
	cl->subject_n = n;
	return 0;
}

/* [s, s+n) at offset @base of the text @sp was found in: the bytes
 * outside secrets through @add, one marker for each secret the piece
 * touches. */
static int
emit(buf_t *out, const spans *sp, size_t base, const char *s, size_t n,
     int (*add)(buf_t *, const char *, size_t))
{
	size_t pos = base, end = base + n, i;

	for (i = 0; i < sp->n; i++) {
		const secret_span *v = &sp->v[i];
		if (v->end <= base || v->start >= end)
			continue;
		if (v->start > pos &&
		    add(out, s + (pos - base), v->start - pos) < 0)
			return -1;
		if (buf_add(out, v->mark, strlen(v->mark)) < 0)
			return -1;
		if (v->end > pos)
			pos = v->end;
	}
	return pos < end ? add(out, s + (pos - base), end - pos) : 0;
}

int
clean_add(cleaner *cl, buf_t *out, const char *s, size_t n)
{
	if (!s || !cl->on)
		return buf_add_utf8(out, s, n);
	if (cl->subject && s >= cl->subject &&
	    s + n <= cl->subject + cl->subject_n)
		return emit(out, &cl->line, (size_t)(s - cl->subject), s, n,
			    buf_add_utf8);
	if (find_secrets(cl, &cl->other, s, n) < 0)
		return -1;
	return emit(out, &cl->other, 0, s, n, buf_add_utf8);
}

/* The matcher's cleaner can find secrets whether or not it redacts
 * diagnoses; "other" is scratch between its own uses, so the spans of
 * the line being matched stay as they are. */
int
tsblog_matcher_redact(tsblog_matcher *m, const char *text, size_t len,
		      char **out, size_t *out_len, tsblog_error *err)
{
	cleaner *cl;
	buf_t b = { 0 };

	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!m || !out || (!text && len))
		return err_inval(err, "tsblog_matcher_redact: NULL argument");
	cl = &m->clean;
	if (find_secrets(cl, &cl->other, text, len) < 0)
		return err_nomem(err);
	if (!cl->other.n)
		return 0;
	if (emit(&b, &cl->other, 0, text, len, buf_add) < 0) {
		buf_free(&b);
		return err_nomem(err);
	}
	*out = b.data;
	if (out_len)
		*out_len = b.len;
	return 1;
}
