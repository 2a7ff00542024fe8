/* Message shapes (lib/shape.c): the placeholders each message gets, the
 * hand-written pass equal to the alternation of shape_holes' regexes
 * (which `tsblog learn` writes into rules) on generated messages, and
 * what the memo's slots keep for their user and its ring of strings. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "testutil.h"
#include "limits.h"
#include "shape.h"

static char *
shape_of(const char *msg)
{
	cleaner cl;
	buf_t out = { 0 };

	ck_assert_int_eq(cleaner_init(&cl, NULL, 0), 0);
	ck_assert_int_eq(shape_make(&cl, msg, strlen(msg), &out), 0);
	cleaner_fini(&cl);
	return out.data ? out.data : strdup("");
}

START_TEST(placeholders)
{
	static const char *const cases[][2] = {
		{ "pod web-7d9f8c6b5-x2k4j restarted", "pod web-<pod> restarted" },
		{ "replicaset web-7d9f8c6b5 scaled", "replicaset web-<pod> scaled" },
		{ "pod kube-proxy-x2k4j: ok", "pod kube-proxy-<pod>: ok" },
		{ "istio-system/istiod-5b8c9d7f6-2xkqz.tsb", "istio-system/istiod-<pod>.tsb" },
		/* words and names without the hash alphabet's look stay */
		{ "re-sync of kube-proxy failed", "re-sync of kube-proxy failed" },
		{ "pod web-0 and web-zqvjm", "pod web-<num> and web-zqvjm" },
		{ "cluster outbound|9080||0.0.0.0_9080 gone", "cluster outbound|<num>||<ip> gone" },
		{ "dial 10.0.3.4:8080 and [fe80::1]:443 refused", "dial <ip> and <ip> refused" },
		{ "1.2.3.4:80x", "<ip>:80x" },
		{ "took 1h30m5.5s, then 250ms, 5min", "took <dur>, then <dur>, 5min" },
		{ "uid 3f2b6c1e-9a4d-4e2b-8c7f-1d2e3f4a5b6c", "uid <uuid>" },
		{ "sha 0x1f2e3d4c and deadbeef42 and abcde", "sha <hex> and <hex> and abcde" },
		{ "retry 3 of 1.5 \"quoted 9\" 'x1'", "retry <num> of <num> <str> <str>" },
		{ "\"Constant 1 message\" err=\"x 2\"", "\"Constant 1 message\" err=<str>" },
		/* an unclosed string fails for every quote it escaped too */
		{ "a \"\\\"b\\\n\"c\" d", "a \"\\\"b\\\n<str> d" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = shape_of(cases[i][0]);
		ck_assert_msg(!strcmp(got, cases[i][1]), "%s: got \"%s\", want \"%s\"",
			      cases[i][0], got, cases[i][1]);
		free(got);
	}
}
END_TEST

/* The shape shape_holes' alternation makes, as learn's rules see it. */
static void
regex_shape(pcre2_code *code, pcre2_match_data *md, const char *msg,
	    size_t n, buf_t *out)
{
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	PCRE2_SIZE at = 0;
	uint32_t g;

	out->len = 0;
	ck_assert_int_eq(buf_add(out, "", 0), 0);
	if (n > 2 && msg[0] == '"') {
		const char *q = memchr(msg + 1, '"', n - 1);
		if (q) {
			at = (PCRE2_SIZE)(q - msg) + 1;
			buf_add(out, msg, at);
		}
	}
	while (at <= n && out->len < MAX_SHAPE_LEN) {
		if (pcre2_match(code, (PCRE2_SPTR)msg, n, at, 0, md, NULL) < 0) {
			buf_add(out, msg + at, n - at);
			break;
		}
		buf_add(out, msg + at, ov[0] - at);
		for (g = 1; g <= SHAPE_HOLES && ov[2 * g] == PCRE2_UNSET; g++)
			;
		buf_add(out, "<", 1);
		buf_add(out, shape_holes[g - 1].name, strlen(shape_holes[g - 1].name));
		buf_add(out, ">", 1);
		at = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	if (out->len > MAX_SHAPE_LEN) {
		size_t k = MAX_SHAPE_LEN;
		while (k && ((unsigned char)out->data[k] & 0xC0) == 0x80)
			k--;
		out->len = k;
		out->data[k] = '\0';
	}
}

START_TEST(same_as_regexes)
{
	static const char *const toks[] = {
		"0", "1", "2", "5", "7", "9", ".", ":", "_", "-", "a", "b", "c",
		"d", "e", "f", "x", "m", "s", "h", "n", "u", "k", "g", "z", "A",
		"F", "\"", "'", "\\", "[", "]", " ", "\t", "\n", "\xc2\xb5",
		"\xc2\xb5s", "0x", "ms", "-7d9f8c6b5", "-x2k4j", "1.2.3.4",
		"[::1]", ":8080", "_9080", "\xc3\xa9", "12h30m", "web",
	};
	buf_t pat = { 0 }, a = { 0 }, b = { 0 }, msg = { 0 };
	pcre2_code *code;
	pcre2_match_data *md;
	cleaner cl;
	unsigned long seed = 1;
	size_t i, k, len;
	int ec;
	PCRE2_SIZE eo;

	for (i = 0; i < SHAPE_HOLES; i++) {
		buf_add(&pat, i ? "|(?<" : "(?<", i ? 4 : 3);
		buf_add(&pat, shape_holes[i].name, strlen(shape_holes[i].name));
		buf_add(&pat, ">", 1);
		buf_add(&pat, shape_holes[i].regex, strlen(shape_holes[i].regex));
		buf_add(&pat, ")", 1);
	}
	code = pcre2_compile((PCRE2_SPTR)pat.data, PCRE2_ZERO_TERMINATED,
			     PATTERN_OPTIONS, &ec, &eo, NULL);
	ck_assert_ptr_nonnull(code);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	ck_assert_int_eq(cleaner_init(&cl, NULL, 0), 0);
	for (i = 0; i < 100000; i++) {
		msg.len = 0;
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		len = 1 + (seed >> 33) % (i % 100 ? 40 : 400);
		for (k = 0; k < len; k++) {
			const char *t;
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			t = toks[(seed >> 33) % (sizeof(toks) / sizeof(*toks))];
			buf_add(&msg, t, strlen(t));
		}
		regex_shape(code, md, msg.data, msg.len, &a);
		ck_assert_int_eq(shape_make(&cl, msg.data, msg.len, &b), 0);
		ck_assert_msg(a.len == b.len && !memcmp(a.data, b.data, a.len),
			      "\"%s\": regexes \"%s\", pass \"%s\"", msg.data,
			      a.data, b.data);
	}
	cleaner_fini(&cl);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	buf_free(&pat);
	buf_free(&a);
	buf_free(&b);
	buf_free(&msg);
}
END_TEST

/* A slot holds its message and says so; what its user kept there is
 * gone once another message takes the slot, and is stale (another
 * epoch) once the memo has moved to another user. */
START_TEST(memo_slots)
{
	shape_memo m = { 0 }, moved = { 0 };
	struct shape_memo_slot *a, *b;
	cleaner cl;
	buf_t out = { 0 };
	char msg[64];
	size_t set, k;
	int i;

	ck_assert_int_eq(cleaner_init(&cl, NULL, 0), 0);
	ck_assert_int_eq(shape_memo_make(&m, &cl, "pod web-7d9f8c6b5-x2k4j failed",
					 30, &out, &a), 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(out.data, "pod web-<pod> failed");
	ck_assert_ptr_null(a->level);
	a->level = "warn";
	a->epoch = m.epoch;
	a->index = 7;
	/* Found: the shape is the slot's, and out is left as it was. */
	buf_add(&out, "untouched", 9);
	ck_assert_int_eq(shape_memo_make(&m, &cl, "pod web-7d9f8c6b5-x2k4j failed",
					 30, &out, &b), 1);
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(b->level, "warn");
	ck_assert_uint_eq(b->index, 7);
	ck_assert_uint_eq(b->len, 20);
	ck_assert_mem_eq(b->shape, "pod web-<pod> failed", 20);
	ck_assert_str_eq(out.data, "pod web-<pod> faileduntouched");

	/* The set of a's message holds SHAPE_MEMO_WAYS messages: as many
	 * more as fit beside it take the other slots and leave a as it is;
	 * the one after them takes the least recently used slot, a (used
	 * again above, but before all of them), and clears what was kept. */
	set = shape_memo_set("pod web-7d9f8c6b5-x2k4j failed", 30);
	ck_assert_ptr_eq(&m.slots[set], a);  /* the set was empty */
	for (i = 0, k = 0; k < SHAPE_MEMO_WAYS && i < 10000000; i++) {
		snprintf(msg, sizeof(msg), "message %d", i);
		if (shape_memo_set(msg, strlen(msg)) != set)
			continue;
		ck_assert_int_eq(shape_memo_make(&m, &cl, msg, strlen(msg),
						 &out, &b), 0);
		ck_assert_str_eq(out.data, "message <num>");
		if (++k < SHAPE_MEMO_WAYS) {
			ck_assert_ptr_eq(b, &m.slots[set + k]);
			ck_assert_str_eq(a->level, "warn");
		}
	}
	ck_assert_int_eq(k, SHAPE_MEMO_WAYS);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_null(b->level);
	ck_assert_uint_eq(b->n, strlen(msg));
	ck_assert_mem_eq(b->msg, msg, b->n);
	/* The message a held is shaped again (another slot), and the first
	 * of the others, now the least recently used, made room for it. */
	ck_assert_int_eq(shape_memo_make(&m, &cl, "pod web-7d9f8c6b5-x2k4j failed",
					 30, &out, &b), 0);
	ck_assert_ptr_eq(b, &m.slots[set + 1]);
	ck_assert_ptr_null(b->level);

	/* A message too long to keep has no slot. */
	{
		char *big = malloc(SHAPE_MEMO_MSG + 2);
		memset(big, 'x', SHAPE_MEMO_MSG + 1);
		big[SHAPE_MEMO_MSG + 1] = '\0';
		ck_assert_int_eq(shape_memo_make(&m, &cl, big, SHAPE_MEMO_MSG + 1,
						 &out, &b), 0);
		ck_assert_ptr_null(b);
		free(big);
	}

	a->level = "warn";
	a->epoch = m.epoch;
	shape_memo_move(&moved, &m);
	ck_assert_ptr_null(m.slots);
	ck_assert(moved.epoch != a->epoch);
	shape_memo_free(&moved);
	cleaner_fini(&cl);
	buf_free(&out);
}
END_TEST

/* Message @i of the ring test, @len bytes: letters g-z only, which
 * shape_make() leaves as they are, up to MAX_SHAPE_LEN. */
static void
ring_msg(char *out, int i, size_t len)
{
	size_t k = 5;

	memcpy(out, "ring ", 5);
	do {
		out[k++] = (char)('g' + i % 20);
		i /= 20;
	} while (i);
	out[k++] = ' ';
	while (k < len)
		out[k++] = 'x';
	out[len] = '\0';
}

/* Other messages, none in @set, until @count have been made or
 * @watch's slot is emptied; how many were made. */
static int
ring_fill(shape_memo *m, cleaner *cl, buf_t *out, size_t set, int *next,
	  int count, struct shape_memo_slot *const *watch)
{
	struct shape_memo_slot *b;
	char msg[SHAPE_MEMO_MSG + 1];
	int made = 0;

	while (made < count && (!watch || (*watch)->msg)) {
		ring_msg(msg, (*next)++, 400);
		if (shape_memo_set(msg, 400) == set)
			continue;
		ck_assert_int_eq(shape_memo_make(m, cl, msg, 400, out, &b), 0);
		ck_assert_ptr_nonnull(b);
		made++;
	}
	return made;
}

/* Whether @sl's string is in the ring's last lap, within @within bytes
 * of being written over. */
static int
ring_due(const shape_memo *m, const struct shape_memo_slot *sl,
	 size_t within)
{
	size_t at = (size_t)(sl->msg - m->ring) - 8;     /* its head */

	return at >= m->old && at < m->old_end && at < m->old + within;
}

/* What a string of the ring test takes: its head (8 bytes), then the
 * message and its shape, rounded up to 8. */
#define RING_STR (8 + (400 + MAX_SHAPE_LEN + 7) / 8 * 8)

/* The slots' strings live in a ring of SHAPE_MEMO_RING bytes: one the
 * ring comes round to is written over and its slot emptied, unless it
 * was met again shortly before, which copies it to the ring's head.
 * The same in a huge page's block (_i). */
START_TEST(memo_ring)
{
	shape_memo m = { .huge = _i };
	struct shape_memo_slot *a, *b, *c;
	cleaner cl;
	buf_t out = { 0 };
	char first[SHAPE_MEMO_MSG + 1], second[SHAPE_MEMO_MSG + 1];
	int per_lap, next = 1, made;
	size_t set;

	ck_assert_int_eq(cleaner_init(&cl, NULL, 0), 0);
	ring_msg(first, 0, 400);
	set = shape_memo_set(first, 400);
	ck_assert_int_eq(shape_memo_make(&m, &cl, first, 400, &out, &a), 0);
	ck_assert_mem_eq(a->msg, first, 400);
	ck_assert_uint_eq(a->len, MAX_SHAPE_LEN);       /* cut there */
	/* A memo for a long input has a huge page of a block. */
#ifdef MADV_HUGEPAGE
	if (_i)
		ck_assert_uint_eq((uintptr_t)m.hashes % SHAPE_MEMO_HUGE, 0);
#endif
	per_lap = SHAPE_MEMO_RING / RING_STR;
	a->level = "warn";

	/* No other message takes a slot of its set: only the ring empties
	 * a, the first string, when it comes round after a lap. */
	made = ring_fill(&m, &cl, &out, set, &next, 10 * per_lap, &a);
	ck_assert_ptr_null(a->msg);
	ck_assert_int_eq(made, per_lap);
	ck_assert_int_eq(shape_memo_make(&m, &cl, first, 400, &out, &b), 0);
	ck_assert_ptr_eq(b, a);
	ck_assert_ptr_null(b->level);
	b->level = "warn";

	/* Another message of a's set, made half a lap on, then left until
	 * its string is in the last lap and due to be written over within
	 * an eighth of the ring... */
	ring_fill(&m, &cl, &out, set, &next, per_lap / 2, NULL);
	for (;; next++) {
		ring_msg(second, next, 400);
		if (shape_memo_set(second, 400) == set)
			break;
	}
	ck_assert_int_eq(shape_memo_make(&m, &cl, second, 400, &out, &c), 0);
	c->level = "error";
	for (made = 0; !ring_due(&m, c, SHAPE_MEMO_RING / 8); made++) {
		ck_assert_int_lt(made, per_lap);
		ring_fill(&m, &cl, &out, set, &next, 1, NULL);
	}
	/* ...met again, it is found and copied to the head... */
	ck_assert_int_eq(shape_memo_make(&m, &cl, second, 400, &out, &b), 1);
	ck_assert_ptr_eq(b, c);
	ck_assert_uint_eq((size_t)(c->msg - m.ring) - 8 + RING_STR, m.head);
	ck_assert_mem_eq(c->msg, second, 400);
	ck_assert_mem_eq(c->shape, second, MAX_SHAPE_LEN);
	ck_assert_str_eq(c->level, "error");
	/* ...so it outlives the place it was by most of a lap, where a
	 * string not met again is gone within an eighth. */
	ring_fill(&m, &cl, &out, set, &next, per_lap - 2, NULL);
	ck_assert_ptr_nonnull(c->msg);
	ck_assert_int_eq(shape_memo_make(&m, &cl, second, 400, &out, &b), 1);
	ck_assert_str_eq(b->level, "error");
	ck_assert_ptr_null(a->msg);

	shape_memo_free(&m);
	cleaner_fini(&cl);
	buf_free(&out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("shape");
	TCase *tc = tcase_create("shape");

	tcase_add_test(tc, placeholders);
	tcase_add_test(tc, same_as_regexes);
	tcase_add_test(tc, memo_slots);
	tcase_add_loop_test(tc, memo_ring, 0, 2);       /* huge or not */
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
