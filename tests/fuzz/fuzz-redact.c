/*
 * libFuzzer target: redaction's pre-check is sound.  find_secrets() runs
 * the secret patterns only on a string redact_maybe() lets through, so a
 * "no" for a string the patterns match would print a secret.  For the
 * whole input and for each of its lines: if the patterns match, the
 * pre-check says maybe.  (tests/reliability/test-redact.c checks the same
 * on generated lines; this explores the bytes it does not think of.)
 */
#include "fuzz-common.h"
#include "redact.h"
#include "tsblog-private.h"

static pcre2_code *re;
static pcre2_match_data *md;

static void
free_patterns(void)
{
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

static void
sound(const char *s, size_t n)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);

	/* A limit hit is withheld whole, so it is no finding here. */
	FUZZ_CHECK(rc < 0 || redact_maybe(s, n),
		   "the secret patterns match at %zu..%zu, the pre-check says "
		   "no: %.*s",
		   (size_t)pcre2_get_ovector_pointer(md)[0],
		   (size_t)pcre2_get_ovector_pointer(md)[1],
		   (int)(n < 400 ? n : 400), s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *e;

	if (!re) {
		FUZZ_CHECK((re = redact_compile()) != NULL, "no memory");
		FUZZ_CHECK((md = pcre2_match_data_create_from_pattern(re, NULL)),
			   "no memory");
		atexit(free_patterns);
	}
	sound(p, size);
	for (; p < end; p = e + 1) {
		if (!(e = memchr(p, '\n', (size_t)(end - p))))
			e = end;
		sound(p, (size_t)(e - p));
	}
	return 0;
}
