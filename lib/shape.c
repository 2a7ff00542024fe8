/* Message shapes: see shape.h. */
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "shape.h"

pcre2_code *
shape_compile(void)
{
	buf_t p = { 0 };
	pcre2_code *code = NULL;
	size_t i;
	int bad = 0;

	for (i = 0; i < SHAPE_HOLES; i++)
		bad |= buf_add(&p, i ? "|(?<" : "(?<", i ? 4 : 3) < 0 ||
		       buf_add(&p, shape_holes[i].name,
			       strlen(shape_holes[i].name)) < 0 ||
		       buf_add(&p, ">", 1) < 0 ||
		       buf_add(&p, shape_holes[i].regex,
			       strlen(shape_holes[i].regex)) < 0 ||
		       buf_add(&p, ")", 1) < 0;
	if (!bad)
		code = compile_own(p.data);
	buf_free(&p);
	return code;
}

int
shape_make(const pcre2_code *code, pcre2_match_data *md, cleaner *cl,
	   const char *msg, size_t n, buf_t *out)
{
	PCRE2_SIZE at = 0;
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

	out->len = 0;
	/* Secrets are found in the whole message: a hole cut inside one must
	 * not leave the rest of it unrecognised. */
	if (cleaner_subject(cl, msg, n) < 0)
		return -1;
	/* klog's structured lines start with the constant message quoted:
	 * "Unable to attach or mount volumes for pod; skipping pod" err=... */
	if (n > 2 && msg[0] == '"') {
		const char *q = memchr(msg + 1, '"', n - 1);
		if (q) {
			at = (PCRE2_SIZE)(q - msg) + 1;
			if (clean_add(cl, out, msg, at) < 0)
				return -1;
		}
	}
	while (at <= n && out->len < MAX_SHAPE_LEN) {
		int rc = pcre2_match(code, (PCRE2_SPTR)msg, n, at, 0, md,
				     NULL);
		uint32_t g;
		if (rc < 0) {
			if (clean_add(cl, out, msg + at, n - at) < 0)
				return -1;
			break;
		}
		if (clean_add(cl, out, msg + at, ov[0] - at) < 0)
			return -1;
		for (g = 1; g <= SHAPE_HOLES && ov[2 * g] == PCRE2_UNSET; g++)
			;
		if (g <= SHAPE_HOLES &&
		    (buf_add(out, "<", 1) < 0 ||
		     buf_add(out, shape_holes[g - 1].name,
			     strlen(shape_holes[g - 1].name)) < 0 ||
		     buf_add(out, ">", 1) < 0))
			return -1;
		at = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	if (out->len > MAX_SHAPE_LEN) {
		/* Cut on a character boundary. */
		size_t k = MAX_SHAPE_LEN;
		while (k && ((unsigned char)out->data[k] & 0xC0) == 0x80)
			k--;
		out->len = k;
		out->data[k] = '\0';
	}
	return cleaner_subject(cl, NULL, 0);
}

