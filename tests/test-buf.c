/* lib/buf.c's arena of strings (arena_t): strings stay where they were
 * put across blocks, a string longer than a block gets one of its own,
 * and an emptied arena reuses its blocks in order, whatever their sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "tsblog-private.h"

/* The @i-th test string: @len bytes of a pattern only it has, so a string
 * overwritten by another one's bytes shows. */
static char *
made(size_t i, size_t len)
{
	char *s = malloc(len + 1);
	size_t k;

	ck_assert_ptr_nonnull(s);
	for (k = 0; k < len; k++)
		s[k] = (char)('a' + (i * 7 + k) % 26);
	s[len] = '\0';
	return s;
}

/* Lengths that cross block ends and include blocks of their own: 16 KiB
 * blocks (ARENA_BLOCK) and strings from empty to 40 KB. */
static size_t
len_of(size_t i)
{
	static const size_t lens[] = { 0, 1, 300, 1000, 16383, 16384, 5000,
				       40000, 7, 16385, 999 };

	return lens[i % (sizeof(lens) / sizeof(*lens))] + i % 13;
}

/* Put @n strings into @a and check every one of them afterwards. */
static void
fill_and_check(arena_t *a, size_t n, size_t seed)
{
	char **got = calloc(n, sizeof(char *)), **want = calloc(n, sizeof(char *));
	size_t i;

	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(want);
	for (i = 0; i < n; i++) {
		size_t len = len_of(i + seed);
		want[i] = made(i + seed, len);
		got[i] = arena_add(a, want[i], len);
		ck_assert_ptr_nonnull(got[i]);
		ck_assert_uint_eq(got[i][len], '\0');
	}
	for (i = 0; i < n; i++) {
		ck_assert_msg(!strcmp(got[i], want[i]),
			      "string %zu (%zu bytes) changed", i,
			      strlen(want[i]));
		free(want[i]);
	}
	free(got);
	free(want);
}

START_TEST(arena_keeps_strings)
{
	arena_t a = { 0 };

	fill_and_check(&a, 200, 0);
	arena_free(&a);
	ck_assert_ptr_null(a.first);
	ck_assert_ptr_null(a.cur);
}
END_TEST

/* As a -j piece's summary does: filled, emptied, filled again with other
 * strings, longer and shorter, many times over the same blocks. */
START_TEST(arena_cleared_and_refilled)
{
	arena_t a = { 0 };
	size_t round;

	for (round = 0; round < 20; round++) {
		fill_and_check(&a, 5 + round * 13 % 90, round * 31);
		arena_clear(&a);
	}
	arena_free(&a);
}
END_TEST

/* Bytes as given, NULs inside included (a -j piece's raw examples). */
START_TEST(arena_raw_bytes)
{
	arena_t a = { 0 };
	const char raw[] = { 'a', '\0', 'b', '\xff', '\0' };
	char *s = arena_add(&a, raw, sizeof(raw));
	char *e = arena_add(&a, NULL, 0);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(memcmp(s, raw, sizeof(raw)), 0);
	ck_assert_uint_eq(s[sizeof(raw)], '\0');
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e, "");
	arena_clear(&a);
	arena_clear(&a);
	ck_assert_str_eq(arena_add(&a, "x", 1), "x");
	arena_free(&a);
	arena_free(&a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("arena");

	tcase_add_test(tc, arena_keeps_strings);
	tcase_add_test(tc, arena_cleared_and_refilled);
	tcase_add_test(tc, arena_raw_bytes);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
