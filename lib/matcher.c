#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "limits.h"
#include "prefilter.h"
#include "reader.h"
#include "tsblog-private.h"

int
matcher_init(struct tsblog_matcher *m, const struct tsblog_ruleset *rs)
{
	memset(m, 0, sizeof(*m));
	m->rs = rs;
	m->md = pcre2_match_data_create(rs->max_groups + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	if (!m->md || !m->mctx)
		goto fail;
	pcre2_set_depth_limit(m->mctx, (uint32_t)rs->opts.depth_limit);
	pcre2_set_heap_limit(m->mctx, (uint32_t)rs->opts.heap_limit);
	if (!rs->opts.no_jit) {
		/* Without a stack of its own, JIT uses 32 KiB of the machine
		 * stack; a private one keeps deep patterns off it. */
		m->jit_stack = pcre2_jit_stack_create(JIT_STACK_START,
						      JIT_STACK_MAX, NULL);
		if (m->jit_stack)
			pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
	}
	/* Redaction is on unless the scanner turns it off. */
	if (cleaner_init(&m->clean, rs, 1) < 0)
		goto fail;
	m->cand = calloc(rs->nrules + 1, 1);
	m->stats = calloc(rs->nrules + 1, sizeof(*m->stats));
	m->diag.field_idx = calloc(rs->max_groups + 1, sizeof(size_t));
	m->diag.field_off = calloc(rs->max_groups + 1, sizeof(size_t));
	if (!m->cand || !m->stats || !m->diag.field_idx || !m->diag.field_off)
		goto fail;
	return 0;
fail:
	matcher_fini(m);
	return TSBLOG_ENOMEM;
}

void
matcher_fini(struct tsblog_matcher *m)
{
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit_stack);
	buf_free(&m->diag.store);
	free(m->diag.field_idx);
	free(m->diag.field_off);
	free(m->diag.fix_off);
	free(m->cand);
	free(m->stats);
	cleaner_fini(&m->clean);
	/* What tsblog_matcher_match_envelope() made. */
	if (m->rd) {
		reader_fini(m->rd);
		free(m->rd);
	}
	buf_free(&m->line);
	memset(m, 0, sizeof(*m));
}

int
tsblog_matcher_new(tsblog_matcher **out, const tsblog_ruleset *rs,
		   tsblog_error *err)
{
	tsblog_matcher *m;

	if (!out || !rs)
		return err_inval(err, "tsblog_matcher_new: NULL argument");
	m = malloc(sizeof(*m));
	if (!m || matcher_init(m, rs) < 0) {
		free(m);
		return err_nomem(err);
	}
	*out = m;
	return 0;
}

void
tsblog_matcher_free(tsblog_matcher *m)
{
	if (!m)
		return;
	matcher_fini(m);
	free(m);
}

int
tsblog_matcher_set_redact(tsblog_matcher *m, int on)
{
	if (!m)
		return TSBLOG_EINVAL;
	m->clean.on = on && m->clean.rs;
	return 0;
}

int
tsblog_matcher_rule_stats(const tsblog_matcher *m, size_t index,
			  tsblog_rule_stats *out)
{
	if (!m || !out || index >= m->rs->nrules)
		return TSBLOG_EINVAL;
	*out = m->stats[index];
	return 0;
}

static uint64_t
now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

uint64_t
tsblog_matcher_limit_hits(const tsblog_matcher *m)
{
	return m ? m->limit_hits : 0;
}

static int
add_meta(struct tsblog_matcher *m, int i, slice v)
{
	struct tsblog_diagnosis *d = &m->diag;

	d->meta_off[i] = (size_t)-1;
	if (!v.p)
		return 0;
	d->meta_off[i] = d->store.len;
	return clean_add(&m->clean, &d->store, v.p, v.n) < 0 ||
			       buf_add(&d->store, "", 1) < 0
		       ? -1
		       : 0;
}

/* Whether field @i of @r tells its problems apart. */
static int
is_key(const struct tsblog_rule *r, size_t i)
{
	size_t k;

	for (k = 0; k < r->nkeys; k++)
		if (r->keys[k] == i)
			return 1;
	return 0;
}

/* Turn the match in m->md into m->diag: whole, or (@whole 0) only its key
 * fields and time, the rest empty.  Offsets, not pointers, while the
 * store may still move. */
static int
render(struct tsblog_matcher *m, const struct tsblog_rule *r,
       const record *rec, int whole)
{
	struct tsblog_diagnosis *d = &m->diag;
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	const char *line = rec->msg.p;
	size_t i;

	d->store.len = 0;
	if (cleaner_subject(&m->clean, line, rec->msg.n) < 0)
		return -1;
	d->rule = r;
	d->nfields = 0;
	d->source = NULL;
	d->line = 0;
	d->count = rec->count;
	d->occurrences = 0;
	d->level = rec->level;
	d->partial = !whole;
	if (r->nfix) {
		size_t *p = realloc(d->fix_off, r->nfix * sizeof(size_t));
		if (!p)
			return -1;
		d->fix_off = p;
	}
	for (i = 0; i < r->nfields; i++) {
		uint32_t g = r->field_group[i];
		if (ov[2 * g] == PCRE2_UNSET || (!whole && !is_key(r, i)))
			continue;
		d->field_idx[d->nfields] = i;
		d->field_off[d->nfields] = d->store.len;
		if (clean_add(&m->clean, &d->store, line + ov[2 * g],
			      group_len(ov, g)) < 0 ||
		    buf_add(&d->store, "", 1) < 0)
			return -1;
		d->nfields++;
	}
	if (!whole) {
		d->summary_off = d->text_off = d->store.len;
		for (i = 0; i < r->nfix; i++)
			d->fix_off[i] = d->store.len;
		d->meta_off[META_POD] = d->meta_off[META_CONTAINER] =
			d->meta_off[META_NAMESPACE] = (size_t)-1;
		if (buf_add(&d->store, "", 1) < 0 ||
		    add_meta(m, META_TIMESTAMP, rec->timestamp) < 0)
			return -1;
		return cleaner_subject(&m->clean, NULL, 0);
	}
	d->summary_off = d->store.len;
	if (tmpl_render(&d->store, &r->summary, r, line, ov, &m->clean) < 0 ||
	    buf_add(&d->store, "", 1) < 0)
		return -1;
	for (i = 0; i < r->nfix; i++) {
		d->fix_off[i] = d->store.len;
		if (tmpl_render(&d->store, &r->fix[i], r, line, ov,
				&m->clean) < 0 ||
		    buf_add(&d->store, "", 1) < 0)
			return -1;
	}
	if (add_meta(m, META_TIMESTAMP, rec->timestamp) < 0 ||
	    add_meta(m, META_POD, rec->pod) < 0 ||
	    add_meta(m, META_CONTAINER, rec->container) < 0 ||
	    add_meta(m, META_NAMESPACE, rec->namespace) < 0)
		return -1;
	d->text_off = d->store.len;
	if (clean_add(&m->clean, &d->store, rec->text.p, rec->text.n) < 0)
		return -1;
	return cleaner_subject(&m->clean, NULL, 0);
}

int
matcher_render(struct tsblog_matcher *m, const record *rec)
{
	return render(m, m->diag.rule, rec, 1);
}

int
matcher_match_record(struct tsblog_matcher *m, const record *rec,
		     tsblog_error *err)
{
	const struct tsblog_ruleset *rs = m->rs;
	const char *line = rec->msg.p ? rec->msg.p : "";
	int pf_rc = 0;
	const prefilter *pf = ruleset_pf(rs, &pf_rc);
	size_t i;

	if (pf_rc < 0)
		return err_nomem(err);
	/* Only rules whose literal is in the line can match it. */
	if (pf) {
		memset(m->cand, 0, rs->nrules);
		if (!pf_collect(pf, line, rec->msg.n, m->cand, rs->nrules))
			return 0;
		for (i = 0; i < rs->nrules; i++)
			m->stats[i].literal_hits += m->cand[i];
	}
	for (i = 0; i < rs->nrules; i++) {
		const struct tsblog_rule *r = rs->rules[i];
		int rc;

		uint64_t t0 = 0;

		if (pf && !m->cand[i])
			continue;
		if (rule_jit(rs, r) < 0) {
			err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, r->id,
				  NULL, "out of memory compiling the pattern");
			return TSBLOG_ENOMEM;
		}
		if (m->timing)
			t0 = now_ns();
		rc = budget_match(rs, r, r->code, line, rec->msg.n,
				  rs->opts.match_limit, m->md, m->mctx);
		m->stats[i].regex_runs++;
		if (m->timing)
			m->stats[i].nanoseconds += now_ns() - t0;
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc == PCRE2_ERROR_NOMEMORY) {
			err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, r->id,
				  NULL, "out of memory while matching");
			return TSBLOG_ENOMEM;
		}
		if (rc < 0) {
			/* Match, depth, heap or JIT stack limit: this rule
			 * gives up on this line, the others still try. */
			m->limit_hits++;
			m->stats[i].limit_hits++;
			continue;
		}
		/* The envelope's metadata, only for a rule whose message
		 * matched: most lines never get here. */
		if (r->nctx) {
			rc = context_holds(r, rec, m->md, m->mctx,
					   rs->opts.match_limit, NULL, 0);
			if (rc < 0) {
				err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS,
					  r->id, NULL, "out of memory");
				return TSBLOG_ENOMEM;
			}
			if (!rc)
				continue;
		}
		m->stats[i].matches++;
		if (render(m, r, rec, !m->keys_only) < 0) {
			err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, r->id,
				  NULL, "out of memory");
			return TSBLOG_ENOMEM;
		}
		return 1;
	}
	return 0;
}

int
tsblog_matcher_match_context(tsblog_matcher *m, const char *line, size_t len,
			     const tsblog_envelope *env,
			     const tsblog_diagnosis **out, tsblog_error *err)
{
	record rec;
	int rc;

	if (!m || (!line && len))
		return err_inval(err, "tsblog_matcher_match: NULL argument");
	if (env && env->version != TSBLOG_ENVELOPE_VERSION)
		return err_inval(err, "tsblog_matcher_match_context: unknown envelope version");
	/* A line read with its end (fgets, a binding's readline) is the
	 * same line: the scanner never sees line ends either. */
	if (len && line[len - 1] == '\n')
		len -= len > 1 && line[len - 2] == '\r' ? 2 : 1;
	memset(&rec, 0, sizeof(rec));
	rec.msg.p = rec.text.p = line ? line : "";
	rec.msg.n = rec.text.n = len;
	rec.count = 1;
	context_record_set(&rec, env);
	rc = matcher_match_record(m, &rec, err);
	if (rc == 1 && out)
		*out = &m->diag;
	return rc;
}

/* tsblog_matcher_match_context() with nothing known. */
int
tsblog_matcher_match(tsblog_matcher *m, const char *line, size_t len,
		     const tsblog_diagnosis **out, tsblog_error *err)
{
	return tsblog_matcher_match_context(m, line, len, NULL, out, err);
}
