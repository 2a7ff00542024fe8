/*
 * Context conditions: a rule may require, besides its message pattern,
 * that the envelope's metadata (pod, container, namespace, level, logger
 * scope) match regexes.  "context" is an object of such conditions, all
 * of which must hold, or an array of objects, any one of which must.  A
 * value the envelope did not carry is tested as the empty string, so
 * "^(?:edge-|$)" also accepts a line with no pod.  A condition on the
 * message lets one alternative recognise the source by its text when the
 * envelope says nothing ("token rotation failed" is the TSB operator's).
 * Conditions are tried only after the pattern matched, so they cost
 * nothing on other lines.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonw.h"
#include "level.h"
#include "limits.h"
#include "tsblog-private.h"

static const char *const ctx_keys[CTX_NKEYS + 1] = {
	"pod", "container", "namespace", "level", "scope", "message", NULL
};

static int
key_index(const char *key)
{
	int i;
	for (i = 0; i < CTX_NKEYS; i++)
		if (!strcmp(ctx_keys[i], key))
			return i;
	return -1;
}

static slice
rec_value(const record *rec, int key)
{
	slice none = { "", 0 };
	slice v = key == CTX_POD         ? rec->pod
		  : key == CTX_CONTAINER ? rec->container
		  : key == CTX_NAMESPACE ? rec->namespace
		  : key == CTX_SCOPE     ? rec->scope
		  : key == CTX_MESSAGE   ? rec->msg
					 : none;
	if (key == CTX_LEVEL && rec->level) {
		v.p = rec->level;
		v.n = strlen(rec->level);
	}
	return v.p ? v : none;
}

/* Give @rec the value @v (NULL: leave it) for @key; a level is taken in
 * the normalised vocabulary the envelopes use. */
static void
rec_set(record *rec, int key, const char *v)
{
	slice s = { v, v ? strlen(v) : 0 };

	if (!v)
		return;
	switch (key) {
	case CTX_POD: rec->pod = s; break;
	case CTX_CONTAINER: rec->container = s; break;
	case CTX_NAMESPACE: rec->namespace = s; break;
	case CTX_SCOPE: rec->scope = s; break;
	case CTX_LEVEL: rec->level = level_name(s.p, s.n); break;
	default: break; /* the message is the line's own */
	}
}

static int
bad_key(char *bad, size_t size, const char *key)
{
	snprintf(bad, size,
		 "unknown context key \"%s\" (allowed: pod, container, namespace, level, scope, message)",
		 key);
	return TSBLOG_ESCHEMA;
}

/* The regex of condition @k of @a, NULL when there is none; a bundled
 * rule's is compiled on first use, by whichever thread comes first (the
 * others free theirs), so the rule set stays shareable.  -1 in *rc when
 * it cannot be (no memory: the build compiled every bundled one). */
static const pcre2_code *
alt_re(struct ctx_alt *a, int k, int *rc)
{
	pcre2_code *re = atomic_load_explicit(&a->re[k], memory_order_acquire);
	pcre2_code *none = NULL;
	PCRE2_SIZE eo;
	int ec;

	if (re || !a->src[k])
		return re;
	re = pcre2_compile((PCRE2_SPTR)a->src[k], PCRE2_ZERO_TERMINATED,
			   PATTERN_OPTIONS, &ec, &eo, NULL);
	if (!re) {
		*rc = -1;
		return NULL;
	}
	if (!atomic_compare_exchange_strong_explicit(&a->re[k], &none, re,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		pcre2_code_free(re);
		re = none;
	}
	return re;
}

static int
compile_alt(struct ctx_alt *a, json_t *obj, pcre2_compile_context *cc,
	    char *bad, size_t size, json_step *where, size_t *nwhere)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj) || !json_object_size(obj)) {
		snprintf(bad, size,
			 "must be an object of key: regex (keys pod, container, namespace, level, scope, message), or an array of such objects");
		return TSBLOG_ESCHEMA;
	}
	json_object_foreach(obj, key, v) {
		int k = key_index(key), ec;
		PCRE2_SIZE eo;

		where[*nwhere].key = key;
		where[*nwhere].index = 0;
		(*nwhere)++;
		if (k < 0)
			return bad_key(bad, size, key);
		if (!json_is_string(v)) {
			snprintf(bad, size, "context \"%s\" must be a regex string",
				 key);
			return TSBLOG_ESCHEMA;
		}
		a->src[k] = strdup(json_string_value(v));
		if (!a->src[k])
			return TSBLOG_ENOMEM;
		a->re[k] = pcre2_compile((PCRE2_SPTR)a->src[k],
					 PCRE2_ZERO_TERMINATED, PATTERN_OPTIONS,
					 &ec, &eo, cc);
		if (!a->re[k]) {
			PCRE2_UCHAR msg[256];
			if (ec == PCRE2_ERROR_NOMEMORY ||
			    ec == PCRE2_ERROR_HEAP_FAILED)
				return TSBLOG_ENOMEM;
			pcre2_get_error_message(ec, msg, sizeof(msg));
			snprintf(bad, size,
				 "context \"%s\": PCRE2 error at offset %zu: %s",
				 key, (size_t)eo, (const char *)msg);
			return TSBLOG_EREGEX;
		}
		(*nwhere)--;
	}
	return 0;
}

int
context_compile(struct tsblog_rule *r, json_t *v, pcre2_compile_context *cc,
		char *bad, size_t size, json_step *where, size_t *nwhere)
{
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;
	int rc;

	*nwhere = 0;
	if (json_is_array(v) && !n) {
		snprintf(bad, size, "an array of alternatives must not be empty");
		return TSBLOG_ESCHEMA;
	}
	r->ctx = calloc(n, sizeof(*r->ctx));
	r->ctx_text = json_text(v, JSON_COMPACT);
	if (!r->ctx || !r->ctx_text)
		return TSBLOG_ENOMEM;
	r->nctx = n;
	for (i = 0; i < n; i++) {
		if (json_is_array(v)) {
			where[0].key = NULL;
			where[0].index = i;
			*nwhere = 1;
		}
		rc = compile_alt(&r->ctx[i],
				 json_is_array(v) ? json_array_get(v, i) : v,
				 cc, bad, size, where, nwhere);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
context_values_parse(ctx_values *out, json_t *v, char *bad, size_t size,
		     json_step *where, size_t *nwhere)
{
	const char *key;
	json_t *e;

	*nwhere = 0;
	if (!json_is_object(v)) {
		snprintf(bad, size,
			 "\"context\" must be an object of key: value (the pod, container, namespace, level, scope the line came with)");
		return TSBLOG_ESCHEMA;
	}
	json_object_foreach(v, key, e) {
		int k = key_index(key);
		where[0].key = key;
		where[0].index = 0;
		*nwhere = 1;
		if (k == CTX_MESSAGE) {
			snprintf(bad, size,
				 "\"message\" is the line's own: give the envelope's pod, container, namespace, level or scope");
			return TSBLOG_ESCHEMA;
		}
		if (k < 0)
			return bad_key(bad, size, key);
		if (!json_is_string(e)) {
			snprintf(bad, size, "context \"%s\" must be a string",
				 key);
			return TSBLOG_ESCHEMA;
		}
		free(out->v[k]);
		if (!(out->v[k] = strdup(json_string_value(e))))
			return TSBLOG_ENOMEM;
	}
	*nwhere = 0;
	return 0;
}

void
context_values_free(ctx_values *cv)
{
	int k;
	for (k = 0; cv && k < CTX_NKEYS; k++) {
		free(cv->v[k]);
		cv->v[k] = NULL;
	}
}

void
context_free(struct tsblog_rule *r)
{
	size_t i;
	int k;

	for (i = 0; r->ctx && i < r->nctx; i++)
		for (k = 0; k < CTX_NKEYS; k++) {
			pcre2_code_free(r->ctx[i].re[k]);
			if (!r->borrowed)
				free(r->ctx[i].src[k]);
		}
	free(r->ctx);
	if (!r->borrowed)
		free(r->ctx_text);
	r->ctx = NULL;
	r->ctx_text = NULL;
	r->nctx = 0;
}

int
context_holds(const struct tsblog_rule *r, const record *rec,
	      pcre2_match_data *md, pcre2_match_context *mc,
	      unsigned long budget, char *why, size_t size)
{
	size_t i;
	int k;

	if (!r->nctx)
		return 1;
	for (i = 0; i < r->nctx; i++) {
		struct ctx_alt *a = &r->ctx[i];
		for (k = 0; k < CTX_NKEYS; k++) {
			slice v;
			int rc = 0;
			const pcre2_code *re = alt_re(a, k, &rc);
			if (rc < 0)
				return -1;
			if (!re)
				continue;
			v = rec_value(rec, k);
			/* Metadata values are short: the per-start limit
			 * is the budget. */
			pcre2_set_match_limit(mc, budget < UINT32_MAX ? (uint32_t)budget : UINT32_MAX);
			rc = pcre2_match(re, (PCRE2_SPTR)v.p, v.n, 0, 0,
					 md, mc);
			if (rc == PCRE2_ERROR_NOMEMORY)
				return -1;
			if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
				rc = PCRE2_ERROR_NOMATCH; /* a limit: no */
			if (rc == PCRE2_ERROR_NOMATCH) {
				/* The first alternative's failure is the
				 * one worth telling. */
				if (why && i == 0)
					snprintf(why, size,
						 "%s \"%.*s\" does not match %s%s",
						 ctx_keys[k], (int)(v.n > 80 ? 80 : v.n),
						 v.p, a->src[k],
						 r->nctx > 1 ? " (nor does any other alternative hold)" : "");
				break;
			}
		}
		if (k == CTX_NKEYS)
			return 1;
	}
	return 0;
}

/* --- the public side ------------------------------------------------- */

const char *
tsblog_rule_context(const tsblog_rule *r)
{
	return r ? r->ctx_text : NULL;
}

void
context_record_set(record *rec, const tsblog_envelope *env)
{
	if (!env)
		return;
	rec_set(rec, CTX_POD, env->pod_name);
	rec_set(rec, CTX_CONTAINER, env->container_name);
	rec_set(rec, CTX_NAMESPACE, env->namespace_name);
	rec_set(rec, CTX_SCOPE, env->scope);
	/* a level word the library does not know leaves the line's own */
	if (env->level && level_name(env->level, strlen(env->level)))
		rec_set(rec, CTX_LEVEL, env->level);
	if (env->timestamp) {
		rec->timestamp.p = env->timestamp;
		rec->timestamp.n = strlen(env->timestamp);
	}
}

int
tsblog_rule_context_holds(const tsblog_rule *r, const char *line, size_t len,
			  const tsblog_envelope *env, char *why, size_t size)
{
	record rec;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int rc;

	if (!r || (!line && len) || (why && !size) ||
	    (env && env->version != TSBLOG_ENVELOPE_VERSION))
		return TSBLOG_EINVAL;
	if (why)
		why[0] = '\0';
	memset(&rec, 0, sizeof(rec));
	rec.msg.p = line ? line : "";
	rec.msg.n = len;
	context_record_set(&rec, env);
	md = pcre2_match_data_create(1, NULL);
	mc = pcre2_match_context_create(NULL);
	rc = md && mc ? context_holds(r, &rec, md, mc, DEFAULT_MATCH_LIMIT,
				      why, size)
		      : -1;
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return rc < 0 ? TSBLOG_ENOMEM : rc;
}

void
context_record_values(record *rec, const ctx_values *cv)
{
	int k;

	for (k = 0; cv && k < CTX_NKEYS; k++)
		rec_set(rec, k, cv->v[k]);
}
