/* Message shapes (shape.c): the variable parts of a message replaced by
 * placeholders, so that the summary groups the warnings no rule knows.
 * The table is data only, so that `tsblog learn` (tools/cmd_learn.c)
 * turns each placeholder back into the very regex that made it. */
#ifndef TSBLOG_SHAPE_H
#define TSBLOG_SHAPE_H

/* Most specific first: shape_make() (a hand-written pass, one byte at a
 * time) tries them in this order where a word starts, and each regex here
 * matches exactly what it replaces, so learn's rules match the messages
 * they were learned from.  A placeholder is its name in angle brackets
 * ("<ip>").  <pod> is a pod-template/ReplicaSet hash and a pod's random
 * suffix behind a name and a dash (web-7d9f8c6b5-x2k4j, web-7d9f8c6b5,
 * fluentd-x2k4j): Kubernetes draws them from POD_ALPHABET, which has no
 * vowels, so words do not look like them.  Not a key: they change with
 * every rollout. */
#define POD_ALPHABET "bcdfghjklmnpqrstvwxz2456789"
static const struct shape_hole {
	const char *name;       /* capture group, and placeholder */
	const char *field;      /* what learn calls the field */
	const char *regex;
	int key;                /* identifies a problem (counts do not) */
} shape_holes[] = {
	{ "str", "str", "\"(?:[^\"\\\\]|\\\\.)*\"|'[^'\\s]*'", 1 },
	{ "uuid", "uuid", "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b", 1 },
	{ "ip", "addr", "\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?:[:_]\\d+)?\\b|\\[[0-9a-fA-F:]*:[0-9a-fA-F:]*\\](?::\\d+)?", 1 },
	{ "dur", "duration", "\\b\\d+(?:\\.\\d+)?(?:ns|us|\xc2\xb5s|ms|s|m|h)(?:\\d+(?:\\.\\d+)?(?:ns|us|\xc2\xb5s|ms|s|m|h))*\\b", 0 },
	{ "pod", "pod", "(?<=[0-9A-Za-z]-)(?:[" POD_ALPHABET "]{6,10}-[" POD_ALPHABET "]{5}|(?=[a-z]*\\d)[" POD_ALPHABET "]{6,10}|(?=[a-z]*\\d)[" POD_ALPHABET "]{5})(?![-\\w])", 0 },
	{ "hex", "id", "\\b(?:0x)?(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{5,}\\b", 1 },
	{ "num", "n", "\\b\\d+(?:\\.\\d+)?\\b", 0 },
};
#define SHAPE_HOLES (sizeof(shape_holes) / sizeof(*shape_holes))

#ifndef TSBLOG_SHAPE_DATA_ONLY
#include <stdint.h>
#include "tsblog-private.h"

/* @msg's shape into @out (reset first), at most MAX_SHAPE_LEN bytes, made
 * clean by @cl; -1 on no memory. */
int shape_make(cleaner *cl, const char *msg, size_t n, buf_t *out);

/* An exact memo of shape_make(): the same message bytes, the same shape.
 * A message may take any of the SHAPE_MEMO_WAYS slots of the set its hash
 * names; the least recently used one makes room.  The slots' strings
 * share a ring, which empties a slot when it comes round to its string
 * again (unless the message was met shortly before).  A slot also keeps
 * what its user (the summary) made of the shape at one level, valid while
 * the memo's epoch is what it was then: moving the memo to another user
 * (shape_memo_move()) starts a new epoch. */
typedef struct {
	struct shape_memo_slot {
		char *msg, *shape;      /* in the ring, msg first */
		size_t n, len;
		const char *level;      /* NULL: nothing kept */
		uint64_t epoch;
		size_t index;
		uint64_t used;          /* the memo's clock at its last use */
	} *slots;               /* SHAPE_MEMO_SLOTS, in hashes' block */
	/* Each slot's message hash with its low bit set, 0 for an empty
	 * slot, a set's in one cache line: a lookup reads the slot of a
	 * matching hash only.  Made on first use, the slots after them. */
	uint64_t *hashes;
	/* The slots' strings, SHAPE_MEMO_RING bytes in hashes' block,
	 * written in turn from @head on: a string written over (at @old,
	 * of the last lap's, which end at @old_end) empties the slot that
	 * still holds it.  An allocation a message grew a -j thread's
	 * malloc arena a page, and an mprotect(), at a time. */
	char *ring;
	size_t head, old, old_end;
	/* Set by the memo's user before its first use: the input will fill
	 * it (limits.h's SHAPE_MEMO_HUGE_INPUT). */
	int huge;
	uint64_t epoch, clock;
} shape_memo;
/* The index in a memo's slots of the first slot of @msg's set. */
size_t shape_memo_set(const char *msg, size_t n);
/* shape_make() through @m; *@slot is then the slot that holds @msg, or
 * NULL (too long to keep).  1 when @msg was in
 * the memo: its shape is the slot's, and @out is left as it was (most
 * callers only want what they kept in the slot); 0 when it was made, into
 * @out; -1 on no memory. */
int shape_memo_make(shape_memo *m, cleaner *cl, const char *msg, size_t n,
		    buf_t *out, struct shape_memo_slot **slot);
/* Give @src's memo to @dst (whose own must be free) in a new epoch;
 * @src is left empty. */
void shape_memo_move(shape_memo *dst, shape_memo *src);
void shape_memo_free(shape_memo *m);
#endif

#endif
