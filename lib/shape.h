/* Message shapes (shape.c): the variable parts of a message replaced by
 * placeholders, so that the summary groups the warnings no rule knows.
 * The table is data only, so that `tsblog learn` (tools/cmd_learn.c)
 * turns each placeholder back into the very regex that made it. */
#ifndef TSBLOG_SHAPE_H
#define TSBLOG_SHAPE_H

/* Most specific first: the shape pattern is their alternation, so a
 * message is shaped in one left-to-right pass.  A placeholder is its name
 * in angle brackets ("<ip>"). */
static const struct shape_hole {
	const char *name;       /* capture group, and placeholder */
	const char *field;      /* what learn calls the field */
	const char *regex;
	int key;                /* identifies a problem (counts do not) */
} shape_holes[] = {
	{ "str", "str", "\"(?:[^\"\\\\]|\\\\.)*\"|'[^'\\s]*'", 1 },
	{ "uuid", "uuid", "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b", 1 },
	{ "ip", "addr", "\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b|\\[[0-9a-fA-F:]*:[0-9a-fA-F:]*\\](?::\\d+)?", 1 },
	{ "dur", "duration", "\\b\\d+(?:\\.\\d+)?(?:ns|us|\xc2\xb5s|ms|s|m|h)(?:\\d+(?:\\.\\d+)?(?:ns|us|\xc2\xb5s|ms|s|m|h))*\\b", 0 },
	{ "hex", "id", "\\b(?:0x)?(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{5,}\\b", 1 },
	{ "num", "n", "\\b\\d+(?:\\.\\d+)?\\b", 0 },
};
#define SHAPE_HOLES (sizeof(shape_holes) / sizeof(*shape_holes))

#ifndef TSBLOG_SHAPE_DATA_ONLY
#include "tsblog-private.h"

/* The alternation of shape_holes, compiled; NULL on no memory. */
pcre2_code *shape_compile(void);
/* @msg's shape into @out (reset first), at most MAX_SHAPE_LEN bytes, made
 * clean by @cl; -1 on no memory. */
int shape_make(const pcre2_code *code, pcre2_match_data *md, cleaner *cl,
	       const char *msg, size_t n, buf_t *out);
#endif

#endif
