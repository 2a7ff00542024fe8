/* tsblog_ruleset_check: each rule's examples, counter-examples and
 * see_also against the rule set, then lints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "tsblog-private.h"

typedef struct {
	const tsblog_ruleset *rs;
	tsblog_check_cb cb;
	void *payload;
	int failures;
	int stopped;
} check_ctx;

static void
check_fail(check_ctx *c, const struct tsblog_rule *r, const char *kind,
	   size_t index, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
check_fail(check_ctx *c, const struct tsblog_rule *r, const char *kind,
	   size_t index, const char *fmt, ...)
{
	json_step path[4] = { { "rules", 0 }, { NULL, r->file_index },
			      { kind, 0 }, { NULL, index } };
	tsblog_check_failure f;
	char what[600], msg[900];
	size_t off = 0;
	va_list ap;

	c->failures++;
	if (!c->cb || c->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	json_locate(r->file->text, r->file->len, path, 4, 0, &off);
	memset(&f, 0, sizeof(f));
	offset_to_line_col(r->file->text, r->file->len, off, &f.line,
			   &f.column);
	snprintf(msg, sizeof(msg), "%s:%d:%d: rule \"%s\": %s[%zu]: %s",
		 r->file->name, f.line, f.column, r->id, kind, index, what);
	/* One line, whatever the example held. */
	for (char *q = msg; *q; q++)
		if (*q == '\n' || *q == '\r')
			*q = ' ';
	f.rule_id = r->id;
	f.source = r->file->name;
	f.kind = kind;
	f.index = index;
	f.message = msg;
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

static void
check_rule(check_ctx *c, tsblog_matcher *m, const struct tsblog_rule *r)
{
	size_t i, k;
	char b1[120], b2[120];

	for (i = 0; i < r->nexamples && !c->stopped; i++) {
		const rule_example *ex = &r->examples[i];
		const tsblog_diagnosis *d = NULL;
		int rc = tsblog_matcher_match(m, ex->line, strlen(ex->line),
					      &d, NULL);
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
		pcre2_match_data *md =
			pcre2_match_data_create_from_pattern(r->code, NULL);
		int rc;
		if (!md) {
			c->failures++;
			c->stopped = 1;
			return;
		}
		rule_jit(c->rs, r);
		rc = pcre2_match(r->code, (PCRE2_SPTR)r->counter[i],
				 strlen(r->counter[i]), 0, 0, md, NULL);
		pcre2_match_data_free(md);
		if (rc >= 0)
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

int
tsblog_ruleset_check(const tsblog_ruleset *rs, tsblog_check_cb cb,
		     void *payload, tsblog_error *err)
{
	check_ctx c = { rs, cb, payload, 0, 0 };
	tsblog_matcher *m;
	size_t i;
	int rc;

	if (!rs)
		return err_inval(err, "tsblog_ruleset_check: rule set is NULL");
	rc = tsblog_matcher_new(&m, rs, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < rs->nrules && !c.stopped; i++)
		check_rule(&c, m, rs->rules[i]);
	tsblog_matcher_free(m);
	if (c.stopped) {
		err_raise(err, TSBLOG_EUSER, NULL, NO_POS, NULL, NULL,
			  "self-test stopped by the callback");
		return TSBLOG_EUSER;
	}
	return c.failures;
}
