/* tsblog_ruleset_check: each rule's examples, counter-examples and
 * see_also against the rule set (failures), then lints (warnings) about
 * what makes scans slow or lines unmatched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "reader.h"
#include "tsblog-private.h"

typedef struct {
	const tsblog_ruleset *rs;
	tsblog_matcher *m;
	tsblog_check_cb cb;
	void *payload;
	int failures;
	int stopped;
} check_ctx;

#define NO_INDEX ((size_t)-1)

/* Report at rules[i].kind[index] (NO_INDEX: at rules[i].kind). */
static void
report(check_ctx *c, int severity, const struct tsblog_rule *r,
       const char *kind, size_t index, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void
report(check_ctx *c, int severity, const struct tsblog_rule *r,
       const char *kind, size_t index, const char *fmt, ...)
{
	json_step path[4] = { { "rules", 0 }, { NULL, r->file_index },
			      { kind, 0 }, { NULL, index } };
	tsblog_check_failure f;
	char what[600], at[80], msg[900];
	size_t off = 0;
	va_list ap;

	if (severity == TSBLOG_SEVERITY_ERROR)
		c->failures++;
	if (!c->cb || c->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	json_locate(r->file->text, r->file->len, path,
		    index == NO_INDEX ? 3 : 4, 0, &off);
	memset(&f, 0, sizeof(f));
	offset_to_line_col(r->file->text, r->file->len, off, &f.line,
			   &f.column);
	if (index == NO_INDEX)
		snprintf(at, sizeof(at), "%s", kind);
	else
		snprintf(at, sizeof(at), "%s[%zu]", kind, index);
	snprintf(msg, sizeof(msg), "%s:%d:%d: rule \"%s\": %s: %s%s",
		 r->file->name, f.line, f.column, r->id, at,
		 severity == TSBLOG_SEVERITY_ERROR ? "" : "warning: ", what);
	/* One line, whatever the example held. */
	for (char *q = msg; *q; q++)
		if (*q == '\n' || *q == '\r')
			*q = ' ';
	f.rule_id = r->id;
	f.source = r->file->name;
	f.kind = kind;
	f.index = index == NO_INDEX ? 0 : index;
	f.message = msg;
	f.severity = severity;
	if (c->cb(&f, c->payload))
		c->stopped = 1;
}

/* Shorten a value for a message, so one bad example stays one line. */
static const char *
clip(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);
	if (n < size)
		return s;
	memcpy(buf, s, size - 4);
	memcpy(buf + size - 4, "...", 4);
	return buf;
}

#define check_fail(c, r, kind, index, ...) \
	report(c, TSBLOG_SEVERITY_ERROR, r, kind, index, __VA_ARGS__)

/* @r alone on @s, with the rule set's limits: PCRE2's result. */
static int
match_rule(check_ctx *c, const struct tsblog_rule *r, const char *s,
	   size_t n, unsigned long budget)
{
	if (rule_jit(c->rs, r) < 0)
		return PCRE2_ERROR_NOMEMORY;
	return budget_match(c->rs, r, r->code, s, n, budget, c->m->md,
			    c->m->mctx);
}

/* @line through the envelope reader, as the scanner reads it, with @cv
 * over the metadata it found.  *rec points into @rd until reader_fini. */
static int
read_example(reader *rd, const char *line, const ctx_values *cv, record *rec)
{
	uint64_t at;
	int rc;

	reader_init(rd, 1 << 20);
	rc = reader_line(rd, line, strlen(line), 1, 0);
	if (rc >= 0)
		rc = reader_take(rd, rec, &at);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		memset(rec, 0, sizeof(*rec));
		rec->msg.p = rec->text.p = line;
		rec->msg.n = rec->text.n = strlen(line);
		rec->count = 1;
	}
	context_record_values(rec, cv);
	return 0;
}

static int
context_example_match(struct tsblog_matcher *m, const char *line,
		      const ctx_values *cv, const tsblog_diagnosis **out,
		      tsblog_error *err)
{
	reader rd;
	record rec;
	int rc = read_example(&rd, line, cv, &rec);

	if (rc == 0) {
		rc = matcher_match_record(m, &rec, err);
		if (rc == 1)
			*out = &m->diag;
	} else {
		err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
			  "out of memory");
		rc = TSBLOG_ENOMEM;
	}
	reader_fini(&rd);
	return rc;
}

static int
context_counter_fires(struct tsblog_matcher *m, const struct tsblog_rule *r,
		      const char *line, const ctx_values *cv)
{
	reader rd;
	record rec;
	int rc = read_example(&rd, line, cv, &rec);

	if (rc == 0) {
		rc = rule_jit(m->rs, r);
		if (rc == 0)
			rc = budget_match(m->rs, r, r->code, rec.msg.p,
					  rec.msg.n, m->rs->opts.match_limit,
					  m->md, m->mctx) >= 0;
		if (rc == 1)
			rc = context_holds(r, &rec, m->md, m->mctx,
					   m->rs->opts.match_limit, NULL, 0);
	}
	reader_fini(&rd);
	return rc;
}

static void
check_rule(check_ctx *c, const struct tsblog_rule *r)
{
	tsblog_matcher *m = c->m;
	size_t i, k;
	char b1[120], b2[120];

	for (i = 0; i < r->nexamples && !c->stopped; i++) {
		const rule_example *ex = &r->examples[i];
		const tsblog_diagnosis *d = NULL;
		int rc = context_example_match(m, ex->line, &ex->ctx, &d,
					       NULL);
		if (rc <= 0) {
			check_fail(c, r, "examples", i,
				   "no rule matches \"%s\"",
				   clip(ex->line, b1, sizeof(b1)));
			continue;
		}
		if (d->rule != r) {
			check_fail(c, r, "examples", i,
				   "matched by earlier rule \"%s\" instead (first match wins)",
				   d->rule->id);
			continue;
		}
		for (k = 0; k < ex->nfields; k++) {
			const char *got = tsblog_diagnosis_get(d, ex->names[k]);
			if (!got)
				check_fail(c, r, "examples", i,
					   "field \"%s\": expected \"%s\", but it did not match",
					   ex->names[k],
					   clip(ex->values[k], b1, sizeof(b1)));
			else if (strcmp(got, ex->values[k]))
				check_fail(c, r, "examples", i,
					   "field \"%s\": expected \"%s\", got \"%s\"",
					   ex->names[k],
					   clip(ex->values[k], b1, sizeof(b1)),
					   clip(got, b2, sizeof(b2)));
		}
	}
	/* A counter-example may match another rule; it must not match this
	 * one, whatever the order. */
	for (i = 0; i < r->ncounter && !c->stopped; i++) {
		int rc = context_counter_fires(m, r, r->counter[i],
					       &r->counter_ctx[i]);
		if (rc < 0) {
			c->failures++;
			c->stopped = 1;
			return;
		}
		if (rc)
			check_fail(c, r, "counter_examples", i,
				   "the rule matches \"%s\"",
				   clip(r->counter[i], b1, sizeof(b1)));
	}
	for (i = 0; i < r->nsee && !c->stopped; i++)
		if (!tsblog_ruleset_find(c->rs, r->see_also[i]))
			check_fail(c, r, "see_also", i,
				   "no rule \"%s\" in the rule set",
				   r->see_also[i]);
}

#define warn(c, r, kind, index, ...) \
	report(c, TSBLOG_SEVERITY_WARNING, r, kind, index, __VA_ARGS__)

/* A pattern that backtracks badly (nested quantifiers such as (a+)+)
 * spends its whole budget for a line on lines a log can well hold.  Its
 * own examples, padded with noise, are such lines: a run of the last
 * byte after one, a run of the first before it, and itself over and
 * over; each ended by a byte that breaks a match anchored at the end.
 * Padded to LINT_PAD bytes, not the longest record, with the budget cut
 * in proportion: a linear pattern costs the same per byte, and the lint
 * stays cheap. */
static unsigned long
lint_budget(const check_ctx *c)
{
	return c->rs->opts.match_limit / (DEFAULT_MAX_RECORD / LINT_PAD);
}

static int
backtracks(check_ctx *c, const struct tsblog_rule *r, const char *ex)
{
	size_t n = strlen(ex), len, max = LINT_PAD;
	char *b = n && n < max ? malloc(max) : NULL;
	int v, rc = 0;

	for (v = 0; b && v < 3 && !rc; v++) {
		len = max - 1;
		if (v == 0) {
			memcpy(b, ex, n);
			memset(b + n, ex[n - 1], len - n);
		} else if (v == 1) {
			memset(b, ex[0], len - n);
			memcpy(b + len - n, ex, n);
		} else {
			for (len = 0; len + n + 1 < max; len += n + 1) {
				memcpy(b + len, ex, n);
				b[len + n] = ' ';
			}
		}
		b[len++] = '!';
		rc = match_rule(c, r, b, len, lint_budget(c));
		rc = rc == PCRE2_ERROR_MATCHLIMIT ||
		     rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT;
	}
	free(b);
	return rc;
}

static void
lint_rule(check_ctx *c, const struct tsblog_rule *r)
{
	json_step lit[3] = { { "rules", 0 }, { NULL, r->file_index },
			     { "literal", 0 } };
	size_t i, off, shortest = 0;

	for (i = 0; i < r->nliterals; i++)
		if (!i || strlen(r->literals[i]) < shortest)
			shortest = strlen(r->literals[i]);
	if (!r->nliterals)
		warn(c, r, "match", NO_INDEX,
		     "no literal found in the pattern, so every line pays for its regex; add \"literal\": \"text every match contains\"");
	else if (shortest < LINT_SHORT_LITERAL)
		warn(c, r,
		     json_locate(r->file->text, r->file->len, lit, 3, 0,
				 &off) == 0 ? "literal" : "match",
		     NO_INDEX,
		     "literal \"%s\" is short and will hit many lines; a longer one in \"literal\" makes scans faster",
		     r->literals[0]);
	for (i = 0; i < r->nexamples && !c->stopped; i++)
		if (backtracks(c, r, r->examples[i].line)) {
			warn(c, r, "examples", i,
			     "padded with noise to %d bytes, it makes the pattern spend over %lu PCRE2 steps (its budget of %lu for a line, cut to that length): it backtracks too much (look for nested quantifiers such as (a+)+), and lines like it will not be matched",
			     LINT_PAD, lint_budget(c), c->rs->opts.match_limit);
			break;
		}
}

int
tsblog_ruleset_check(const tsblog_ruleset *rs, tsblog_check_cb cb,
		     void *payload, tsblog_error *err)
{
	check_ctx c = { rs, NULL, cb, payload, 0, 0 };
	size_t i;
	int rc;

	if (!rs)
		return err_inval(err, "tsblog_ruleset_check: rule set is NULL");
	rc = tsblog_matcher_new(&c.m, rs, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < rs->nrules && !c.stopped; i++) {
		check_rule(&c, rs->rules[i]);
		lint_rule(&c, rs->rules[i]);
	}
	tsblog_matcher_free(c.m);
	if (c.stopped) {
		err_raise(err, TSBLOG_EUSER, NULL, NO_POS, NULL, NULL,
			  "self-test stopped by the callback");
		return TSBLOG_EUSER;
	}
	return c.failures;
}
