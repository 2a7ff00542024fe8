/*
 * Secrets stay secret: the logs of this job carry service-account JWTs,
 * JWKs, bearer tokens and PEM keys, and a diagnosis quotes the log.  Every
 * string we hand out from input bytes goes through here: made valid UTF-8
 * and, unless redaction is off, with each secret replaced by a marker
 * such as <redacted:jwt>.
 */
#include <string.h>
#include "tsblog-private.h"

/* One alternation, one left-to-right pass.  JWK members may sit in JSON
 * that is itself escaped inside a JSON log line (\"d\":\"...\"). */
static const char redact_pattern[] =
	"(?<jwt>\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*)"
	"|(?<bearer>\\b(?i:bearer)\\s+)[A-Za-z0-9._~+/=-]{8,}"
	"|(?<pem>-----BEGIN [A-Z0-9 ]+-----(?:(?!-----END ).)*"
	"(?:-----END [A-Z0-9 ]+-----)?)"
	"|(?<jwk>(?<q>\\\\?\")(?:d|p|q|dp|dq|qi|k)\\k<q>\\s*:\\s*\\k<q>)"
	"[^\"\\\\]*(?=\\k<q>)";

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
	return compile_own(redact_pattern);
}

static uint32_t
group(const pcre2_code *code, const char *name)
{
	return (uint32_t)pcre2_substring_number_from_name(code,
							  (PCRE2_SPTR)name);
}

int
cleaner_init(cleaner *cl, const pcre2_code *code, int on)
{
	cl->code = code;
	cl->on = on && code;
	cl->md = cl->on ? pcre2_match_data_create_from_pattern(code, NULL)
			: NULL;
	if (cl->md) {
		/* By name, so that the pattern's groups may be reordered. */
		cl->jwt = group(code, "jwt");
		cl->bearer = group(code, "bearer");
		cl->pem = group(code, "pem");
		cl->jwk = group(code, "jwk");
	}
	return cl->on && !cl->md ? -1 : 0;
}

void
cleaner_fini(cleaner *cl)
{
	pcre2_match_data_free(cl->md);
	cl->md = NULL;
}

int
clean_add(cleaner *cl, buf_t *out, const char *s, size_t n)
{
	PCRE2_SIZE at = 0;
	const PCRE2_SIZE *ov;

	/* Most strings hold no secret: one cheap look for a sign of one.
	 * (!s keeps memmem() from ever seeing NULL; gcc 12 with UBSan warns
	 * -Wnonnull of such a path otherwise.) */
	if (!s || !cl->on || n < 8 ||
	    !(memmem(s, n, "eyJ", 3) || memmem(s, n, "earer", 5) ||
	      memmem(s, n, "EARER", 5) || memmem(s, n, "-----BEGIN ", 11) ||
	      memchr(s, '"', n)))
		return buf_add_utf8(out, s, n);
	ov = pcre2_get_ovector_pointer(cl->md);
	while (at < n) {
		const char *mark;
		PCRE2_SIZE keep;
		int rc = pcre2_match(cl->code, (PCRE2_SPTR)s, n, at, 0, cl->md,
				     NULL);
		if (rc < 0)
			break;
		if (ov[2 * cl->jwt] != PCRE2_UNSET) {
			mark = "<redacted:jwt>";
			keep = ov[0];
		} else if (ov[2 * cl->bearer] != PCRE2_UNSET) {
			mark = "<redacted:token>";
			keep = ov[2 * cl->bearer + 1]; /* "Bearer " stays */
		} else if (ov[2 * cl->pem] != PCRE2_UNSET) {
			mark = "<redacted:pem>";
			keep = ov[0];
		} else {
			mark = "<redacted:jwk>";
			keep = ov[2 * cl->jwk + 1];    /* "d":" stays */
		}
		if (buf_add_utf8(out, s + at, keep - at) < 0 ||
		    buf_add(out, mark, strlen(mark)) < 0)
			return -1;
		at = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	return at < n ? buf_add_utf8(out, s + at, n - at) : 0;
}
