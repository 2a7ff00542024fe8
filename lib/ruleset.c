/* The immutable rule set: made ready for scanning (prefilters, the
 * library's own patterns), lazy JIT, lookup, release. */
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "prefilter.h"
#include "tsblog-private.h"

/* One rule without a literal means every line must be tried, and then
 * there is nothing to skip: no prefilter. */
static size_t
count_literals(const tsblog_ruleset *rs)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nrules; i++) {
		if (!rs->rules[i]->nliterals)
			return 0;
		n += rs->rules[i]->nliterals;
	}
	return n;
}

static prefilter *
build_prefilter(const tsblog_ruleset *rs)
{
	char **lits = calloc(rs->pf_nlits, sizeof(char *));
	int *owner = calloc(rs->pf_nlits, sizeof(int));
	prefilter *pf = NULL;
	size_t i, k, n = 0;

	if (lits && owner) {
		for (i = 0; i < rs->nrules; i++)
			for (k = 0; k < rs->rules[i]->nliterals; k++) {
				lits[n] = rs->rules[i]->literals[k];
				owner[n++] = (int)i;
			}
		pf = pf_new(lits, owner, n);
	}
	free(lits);
	free(owner);
	return pf;
}

/* Building the prefilter's tables was a third of the bundled catalog's
 * start-up, and a run that meets no line never uses them: built on first
 * use, like redact_code(). */
const prefilter *
ruleset_pf(const tsblog_ruleset *rs, int *rc)
{
	_Atomic(prefilter *) *slot = (_Atomic(prefilter *) *)&rs->pf;
	prefilter *pf = atomic_load_explicit(slot, memory_order_acquire);
	prefilter *none = NULL;

	if (pf || !rs->pf_nlits)
		return pf;
	if (!(pf = build_prefilter(rs))) {
		*rc = -1;
		return NULL;
	}
	if (!atomic_compare_exchange_strong_explicit(slot, &none, pf,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		pf_free(pf);
		pf = none;
	}
	return pf;
}

int
ruleset_prepare(tsblog_ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i]->ngroups > rs->max_groups)
			rs->max_groups = rs->rules[i]->ngroups;
	rs->pf_nlits = count_literals(rs);
	return pthread_mutex_init(&rs->jit_lock, NULL) == 0 ? 0 : -1;
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
	pcre2_code_free(rs->redact_code);
	pf_free(rs->pf);
	pthread_mutex_destroy(&rs->jit_lock);
	free(rs);
}

/* JIT compiling costs more than compiling, and in a big rule set most
 * rules never meet a line holding their literal: so a pattern is JIT
 * compiled when first matched (1000 rules, 200 MB: 52 ever were), and a
 * bundled one, checked at build time, is only compiled then.  Once per
 * rule, under the set's lock; the flag is set after, so a reader that
 * sees it sees the finished code.  Without JIT (unsupported CPU, no
 * executable memory, no_jit) PCRE2 interprets: slower, same results. */
int
rule_jit(const struct tsblog_ruleset *rs, const struct tsblog_rule *r)
{
	/* The lock, the code of a bundled rule and the flag are what a
	 * const rule set may change. */
	pthread_mutex_t *lock = (pthread_mutex_t *)&rs->jit_lock;
	struct tsblog_rule *w = (struct tsblog_rule *)r;
	int rc = 0;

	if (atomic_load_explicit(&w->jitted, memory_order_acquire))
		return 0;
	pthread_mutex_lock(lock);
	if (!atomic_load_explicit(&w->jitted, memory_order_relaxed)) {
		if (!w->code) {
			int ec;
			PCRE2_SIZE eo;
			w->code = pcre2_compile((PCRE2_SPTR)w->pattern,
						PCRE2_ZERO_TERMINATED,
						PATTERN_OPTIONS, &ec, &eo, NULL);
		}
		if (!w->code)
			rc = -1;
		else {
			if (!rs->opts.no_jit)
				(void)pcre2_jit_compile(w->code,
							PCRE2_JIT_COMPLETE);
			atomic_store_explicit(&w->jitted, 1,
					      memory_order_release);
		}
	}
	pthread_mutex_unlock(lock);
	return rc;
}

/* PCRE2 counts its match limit per start position, so under it alone
 * (a+)+$ takes 25 s on a 1 MiB line.  The budget is for the whole
 * subject.  First each position PCRE2 may start at gets an equal share
 * (one position if the pattern is anchored; none closer to the end than
 * the shortest match): one call, and every start together stays within
 * the budget.  If a start needs more than its share (a match spanning a
 * long line does), each start is tried on its own: BUDGET_FREE_STEPS
 * free, then limits doubling from there charged to a second budget, so a
 * start is charged at most four times what it takes. */
/* r->code compiled anchored and JIT-compiled, made once; NULL without
 * JIT (the interpreter checks UTF-8 from the start offset to the end on
 * every call, so one call per start would be quadratic) or memory. */
static const pcre2_code *
rule_anchored(const struct tsblog_ruleset *rs, const struct tsblog_rule *r)
{
	pthread_mutex_t *lock = (pthread_mutex_t *)&rs->jit_lock;
	atomic_int *tried = (atomic_int *)&r->anchored_tried;
	struct tsblog_rule *w = (struct tsblog_rule *)r;
	size_t jit = 0;
	int ec;
	PCRE2_SIZE eo;

	if (atomic_load_explicit(tried, memory_order_acquire))
		return r->anchored;
	pthread_mutex_lock(lock);
	if (!atomic_load_explicit(tried, memory_order_relaxed)) {
		pcre2_pattern_info(r->code, PCRE2_INFO_JITSIZE, &jit);
		if (jit)
			w->anchored = pcre2_compile(
				(PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
				PATTERN_OPTIONS | PCRE2_ANCHORED |
					PCRE2_NO_START_OPTIMIZE, &ec, &eo, NULL);
		if (w->anchored &&
		    pcre2_jit_compile(w->anchored, PCRE2_JIT_COMPLETE) < 0) {
			pcre2_code_free(w->anchored);
			w->anchored = NULL;
		}
		atomic_store_explicit(tried, 1, memory_order_release);
	}
	pthread_mutex_unlock(lock);
	return r->anchored;
}

static void
set_limit(pcre2_match_context *mc, unsigned long l)
{
	pcre2_set_match_limit(mc, l < UINT32_MAX ? (uint32_t)l : UINT32_MAX);
}

/* The second pass tries starts without PCRE2's start optimisations, so it
 * would lose their cheapest refusal (`.*?x[a-z]*@` on 1 MiB of `xa` took
 * 300 s): a code unit every match holds.  Refuse when the line lacks it.
 * ASCII units only, a letter in both cases; not k or s, which caseless
 * UTF matching folds to characters outside ASCII. */
static int
lacks_required(const pcre2_code *code, const char *s, size_t n)
{
	uint32_t type = 0, cu = 0;
	int lo, up;

	if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &type) ||
	    type != 1 ||
	    pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &cu) ||
	    cu >= 0x80)
		return 0;
	lo = cu >= 'A' && cu <= 'Z' ? (int)cu + 32 : (int)cu;
	up = cu >= 'a' && cu <= 'z' ? (int)cu - 32 : (int)cu;
	if (lo == 'k' || lo == 's')
		return 0;
	return !memchr(s, lo, n) && !memchr(s, up, n);
}

int
budget_match(const struct tsblog_ruleset *rs, const struct tsblog_rule *r,
	     const pcre2_code *code, const char *s, size_t n,
	     unsigned long budget, pcre2_match_data *md,
	     pcre2_match_context *mc)
{
	const pcre2_code *one;
	uint32_t opts, minlen;
	size_t starts = 1, at;
	unsigned long share, left = budget, l;
	int rc;

	pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &opts);
	pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
	if (!(opts & PCRE2_ANCHORED) && n > minlen)
		starts = n - minlen + 1;
	share = budget / starts;
	set_limit(mc, share ? share : 1);
	rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, mc);
	if (rc != PCRE2_ERROR_MATCHLIMIT || starts == 1 || !r ||
	    !(one = rule_anchored(rs, r)))
		return rc;
	if (lacks_required(code, s, n))
		return PCRE2_ERROR_NOMATCH;
	for (at = 0; at < starts; at++) {
		/* A start inside a UTF-8 character is none; a pattern that
		 * can match empty may also start at the end (at == n). */
		if (at < n && (s[at] & 0xC0) == 0x80)
			continue;
		for (l = BUDGET_FREE_STEPS;; l *= 2) {
			if (l > BUDGET_FREE_STEPS) {
				if (!left)
					return PCRE2_ERROR_MATCHLIMIT;
				l = l < left ? l : left;
				left -= l;
			}
			set_limit(mc, l);
			rc = pcre2_match(one, (PCRE2_SPTR)s, n, at, 0, md,
					 mc);
			if (rc != PCRE2_ERROR_MATCHLIMIT)
				break;
		}
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
	}
	return PCRE2_ERROR_NOMATCH;
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

