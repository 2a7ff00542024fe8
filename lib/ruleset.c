/* The immutable rule set: made ready for scanning (prefilters, the
 * library's own patterns), lazy JIT, lookup, release. */
#include <stdlib.h>
#include <string.h>
#include "level.h"
#include "prefilter.h"
#include "shape.h"

/* Every upper/lower-case spelling of @stem, appended to lits[*n]. */
static int
add_case_variants(char **lits, int *owner, size_t *n, const char *stem)
{
	size_t len = strlen(stem), v, k;

	for (v = 0; v < (1u << len); v++) {
		char *w = malloc(len + 1);
		if (!w)
			return -1;
		for (k = 0; k < len; k++)
			w[k] = (char)(v >> k & 1 ? stem[k] - 'a' + 'A' : stem[k]);
		w[len] = '\0';
		lits[*n] = w;
		owner[(*n)++] = -1;
	}
	return 0;
}

/* Both prefilters, or neither: one rule without a literal means every
 * line must be tried, and then there is nothing to skip. */
static int
build_prefilters(tsblog_ruleset *rs)
{
	char **lits;
	int *owner;
	size_t i, k, n = 0, nlevels = 0, nrule;
	int rc = 0;

	for (i = 0; i < rs->nrules; i++) {
		if (!rs->rules[i]->nliterals)
			return 0;
		n += rs->rules[i]->nliterals;
	}
	/* The summary looks at lines with a level word even when no rule's
	 * literal is in them: the stems, in every mix of case. */
	for (i = 0; level_stem(i); i++)
		nlevels += (size_t)1 << strlen(level_stem(i));
	if (!n)
		return 0;
	nrule = n;
	lits = calloc(n + nlevels, sizeof(char *));
	owner = calloc(n + nlevels, sizeof(int));
	if (!lits || !owner) {
		rc = -1;
		goto out;
	}
	n = 0;
	for (i = 0; i < rs->nrules; i++)
		for (k = 0; k < rs->rules[i]->nliterals; k++) {
			lits[n] = rs->rules[i]->literals[k];
			owner[n++] = (int)i;
		}
	for (i = 0; level_stem(i); i++)
		if (add_case_variants(lits, owner, &n, level_stem(i)) < 0) {
			rc = -1;
			goto out;
		}
	rs->pf = pf_new(lits, owner, nrule);
	rs->pf_levels = pf_new(lits, owner, n);
	if (!rs->pf || !rs->pf_levels)
		rc = -1;
out:
	for (i = nrule; lits && i < n; i++)
		free(lits[i]);
	free(lits);
	free(owner);
	return rc;
}

int
ruleset_prepare(tsblog_ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i]->ngroups > rs->max_groups)
			rs->max_groups = rs->rules[i]->ngroups;
	rs->shape_code = shape_compile();
	rs->redact_code = redact_compile();
	if (rs->shape_code && rs->redact_code &&
	    pthread_mutex_init(&rs->jit_lock, NULL) == 0) {
		if (build_prefilters(rs) == 0)
			return 0;
		pf_free(rs->pf);
		pf_free(rs->pf_levels);
		pthread_mutex_destroy(&rs->jit_lock);
	}
	pcre2_code_free(rs->shape_code);
	pcre2_code_free(rs->redact_code);
	return -1;
}

void
tsblog_ruleset_free(tsblog_ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	strmap_free(&rs->ids);
	pcre2_code_free(rs->shape_code);
	pcre2_code_free(rs->redact_code);
	pf_free(rs->pf);
	pf_free(rs->pf_levels);
	pthread_mutex_destroy(&rs->jit_lock);
	free(rs);
}

/* JIT compiling costs more than compiling, and in a big rule set most
 * rules never meet a line holding their literal: so a pattern is JIT
 * compiled when first matched (1000 rules, 200 MB: 52 ever were).  Once
 * per rule, under the set's lock; the flag is set after, so a reader that
 * sees it sees the finished code.  Without JIT (unsupported CPU, no
 * executable memory, no_jit) PCRE2 interprets: slower, same results. */
void
rule_jit(const struct tsblog_ruleset *rs, const struct tsblog_rule *r)
{
	/* The lock and the flag are what a const rule set may change. */
	pthread_mutex_t *lock = (pthread_mutex_t *)&rs->jit_lock;
	atomic_int *jitted = (atomic_int *)&r->jitted;

	if (atomic_load_explicit(jitted, memory_order_acquire))
		return;
	pthread_mutex_lock(lock);
	if (!atomic_load_explicit(jitted, memory_order_relaxed)) {
		if (!rs->opts.no_jit)
			(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(jitted, 1, memory_order_release);
	}
	pthread_mutex_unlock(lock);
}

size_t
tsblog_ruleset_count(const tsblog_ruleset *rs)
{
	return rs ? rs->nrules : 0;
}

const tsblog_rule *
tsblog_ruleset_rule(const tsblog_ruleset *rs, size_t index)
{
	return rs && index < rs->nrules ? rs->rules[index] : NULL;
}

const tsblog_rule *
tsblog_ruleset_find(const tsblog_ruleset *rs, const char *id)
{
	return rs ? rule_by_id(rs->rules, &rs->ids, id) : NULL;
}

