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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "tsblog-private.h"

/* One alternation, one left-to-right pass; \K starts the secret where a
 * branch names its context first ("Bearer ", "d": ").  Every branch is
 * linear: possessive runs, and a look-behind so no branch restarts
 * inside a run it has just scanned (eyJ-eyJ-... was quadratic). */
static const struct {
	const char *mark;
	const char *re;
} kinds[] = {
	{ "<redacted:jwt>", "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}+\\."
			    "[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]*+" },
	{ "<redacted:token>", "\\b(?i:bearer|basic)\\s++\\K"
			      "[A-Za-z0-9._~+/=-]{8,}+" },
	{ "<redacted:pem>", "-----BEGIN [A-Z0-9 ]++-----(?:(?!-----END ).)*+"
			    "(?:-----END [A-Z0-9 ]++-----)?" },
	/* base64 of "-----BEGIN": kubeconfig client-key-data and friends */
	{ "<redacted:pem>", "LS0tLS1CRUdJTi[A-Za-z0-9+/=]*+" },
	{ "<redacted:key>", "\\b(?i:client-key-data|client-certificate-data|"
			    "(?:id|refresh|access)[-_]token|secret[-_]?key|"
			    "password|passwd)"
			    "(?:\\\\*+[\"'])?\\s*+[:=]\\s*+(?:\\\\*+[\"'])?\\K"
			    "[^\\s\"'\\\\,;]{4,}+" },
	/* scheme://user:password@host */
	{ "<redacted:password>", "://[^\\s:/@]*+:\\K[^\\s/@]++(?=@)" },
	{ "<redacted:aws>", "(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}"
			    "(?![A-Z0-9])" },
	{ "<redacted:aws>", "\\b(?i:aws_secret_access_key|secret_access_key|"
			    "aws_session_token)(?:\\\\*+[\"'])?\\s*+[:=]"
			    "\\s*+(?:\\\\*+[\"'])?\\K[A-Za-z0-9/+=]{16,}+" },
	/* private JWK members, quoted with any escaping ("d", \"d\",
	 * \\\"d\\\", 'd'), or in YAML (d: ...) */
	{ "<redacted:jwk>", "(?<![\\\\])(?<q>\\\\*+[\"'])"
			    "(?:d|p|q|dp|dq|qi|k)\\k<q>\\s*+:\\s*+\\k<q>\\K"
			    "[^\"'\\\\]++(?=\\k<q>)" },
	{ "<redacted:jwk>", "(?:^|(?<=[\\s{,]))(?:d|p|q|dp|dq|qi|k):\\s++\\K"
			    "[A-Za-z0-9_-]{16,}+" },
};
#define NKINDS (sizeof(kinds) / sizeof(*kinds))

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

static pcre2_code *
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

/* The code and match data, made when first looked for: a command that
 * meets no line never compiles the secret patterns (most of start-up). */
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
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(cl->md);
	PCRE2_SIZE at = 0;

	sp->n = 0;
	while (s && at < n) {
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
	if (cleaner_ready(cl) < 0 || find_secrets(cl, &cl->line, s, n) < 0)
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
	if (cleaner_ready(cl) < 0 || find_secrets(cl, &cl->other, s, n) < 0)
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
	if (cleaner_ready(cl) < 0 ||
	    find_secrets(cl, &cl->other, text, len) < 0)
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
