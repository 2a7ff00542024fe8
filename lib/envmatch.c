/*
 * One record from a log engine: the line reader's envelopes, then the
 * metadata the engine already has, then the matcher — the path a line of
 * a file takes through the scanner, without the scanner's state.
 */
#include <stdlib.h>
#include <string.h>
#include "reader.h"
#include "prefilter.h"

int
tsblog_matcher_match_envelope(tsblog_matcher *m, const char *msg, size_t len,
			      const tsblog_envelope *env,
			      const tsblog_diagnosis **out, tsblog_error *err)
{
	record rec;
	uint64_t line;
	const prefilter *pf;
	int rc, pf_rc = 0;

	if (!m || (!msg && len) ||
	    (env && env->version != TSBLOG_ENVELOPE_VERSION)) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_matcher_match_envelope: %s",
			  env && env->version != TSBLOG_ENVELOPE_VERSION
				  ? "unknown envelope version"
				  : "NULL argument");
		return TSBLOG_EINVAL;
	}
	if (!m->rd) {
		m->rd = malloc(sizeof(*m->rd));
		if (!m->rd)
			goto nomem;
		reader_init(m->rd, (size_t)-1);
	}
	if (!msg)
		msg = "";
	if (len && msg[len - 1] == '\r')
		len--;
	/* As the scanner skips them: without a rule literal in its bytes,
	 * and nothing that could hide one, no envelope needs reading. */
	pf = ruleset_pf(m->rs, &pf_rc);
	if (pf_rc < 0)
		goto nomem;
	if (pf && !pf_find(pf, msg, len) && !disguise_at(msg, msg + len))
		return 0;
	if (memchr(msg, '\x1b', len)) {
		if (strip_escapes(&m->line, msg, len) < 0)
			goto nomem;
		msg = m->line.data;
		len = m->line.len;
	}
	/* Each record stands alone: no describe section or document spans
	 * two calls. */
	reader_reset(m->rd);
	if (reader_line(m->rd, msg, len, 1, 0) < 0)
		goto nomem;
	while ((rc = reader_take(m->rd, &rec, &line)) == 1) {
		context_record_set(&rec, env);
		rc = matcher_match_record(m, &rec, err);
		if (rc == 1 && out)
			*out = &m->diag;
		if (rc != 0)
			return rc;
	}
	if (rc == 0)
		return 0;
nomem:
	err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
		  "out of memory");
	return TSBLOG_ENOMEM;
}
