/* buf_t, the growable byte buffer; UTF-8 repair; arena_t. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <jansson.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "tsblog-private.h"

int
buf_reserve_grow(buf_t *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
buf_add_grow(buf_t *b, const char *s, size_t n)
{
	if (buf_reserve_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;
		if (c == 0xED && s[1] > 0x9F)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] > 0x8F)
			return 0;
		return 4;
	}
	return 0;
}

/* How many bytes from @p on are ASCII other than NUL (each a sequence of
 * its own): 16 a step where SSE2 is (every x86-64).  A shape's example
 * and every fix step pass through here, and nearly all of their bytes
 * are ASCII. */
static size_t
ascii_run(const unsigned char *p, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128();

	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		/* NUL and the bytes >= 0x80 (negative as signed) */
		int m = _mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(v, zero), _mm_cmplt_epi8(v, zero)));
		if (m)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	while (i < n && p[i] >= 0x01 && p[i] < 0x80)
		i++;
	return i;
}

/* Candidates are where the needle's first and last bytes both are, 16
 * a step where SSE2 is; glibc's memmem cost ~690 instructions a call on
 * kubelet's lines for a 6-byte needle, and this a fraction of that. */
const char *
mem_find(const char *h, size_t hn, const char *needle, size_t nn)
{
	size_t i = 0;

	if (nn > hn)
		return NULL;
#ifdef __SSE2__
	{
		const __m128i first = _mm_set1_epi8(needle[0]);
		const __m128i last = _mm_set1_epi8(needle[nn - 1]);

		for (; hn - nn + 1 - i >= 16; i += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(h + i));
			__m128i z = _mm_loadu_si128(
				(const __m128i *)(h + i + nn - 1));
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
				_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(z, last)));
			for (; m; m &= m - 1) {
				size_t k = i + (size_t)__builtin_ctz(m);
				if (!memcmp(h + k + 1, needle + 1, nn - 2))
					return h + k;
			}
		}
	}
#endif
	for (; i + nn <= hn; i++)
		if (h[i] == needle[0] && h[i + nn - 1] == needle[nn - 1] &&
		    !memcmp(h + i + 1, needle + 1, nn - 2))
			return h + i;
	return NULL;
}

/* 16 bytes a step where SSE2 is: a kubelet line's values (its err="..."
 * holds the whole error) were read a byte at a time. */
const char *
quote_close(const char *q, const char *end)
{
	while (q < end) {
#ifdef __SSE2__
		const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');

		for (; end - q >= 16; q += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)q);
			int m = _mm_movemask_epi8(_mm_or_si128(
				_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bs)));
			if (m) {
				q += __builtin_ctz((unsigned)m);
				break;
			}
		}
#endif
		while (q < end && *q != '"' && *q != '\\')
			q++;
		if (q >= end || *q == '"')
			return q;
		if (end - q <= 2)
			return end;
		q += 2;
	}
	return end;
}

int
buf_add_utf8(buf_t *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	/* Worst case every byte becomes the 3-byte U+FFFD. */
	if (n > ((size_t)-1 - 1) / 3 || buf_reserve(b, n * 3) < 0)
		return -1;
	while (i < n) {
		size_t k = ascii_run(p + i, n - i);
		if (k) {
			i += k;
			run += k;
			if (i == n)
				break;
		}
		k = utf8_seq(p + i, n - i);
		if (k) {
			i += k;
			run += k;
			continue;
		}
		memcpy(b->data + b->len, s + i - run, run);
		b->len += run;
		run = 0;
		memcpy(b->data + b->len, "\xEF\xBF\xBD", 3);
		b->len += 3;
		i++;
	}
	memcpy(b->data + b->len, s + i - run, run);
	b->len += run;
	b->data[b->len] = '\0';
	return 0;
}

void
strv_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void
buf_free(buf_t *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
mem_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)p + n) & ~(page - 1);

	/* EINVAL before Linux 5.14: the pages fault one by one, as ever. */
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* Blocks of this many bytes (a longer string gets one of its size):
 * below glibc's mmap threshold, and a summary's thousand shapes and
 * examples fill a few dozen. */
#define ARENA_BLOCK (16 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	_Alignas(ARENA_ALIGN) char data[];
};

/* Room for @n bytes at a multiple of @align (a power of two) in @a. */
static char *
arena_room(arena_t *a, size_t n, size_t align)
{
	struct arena_block *b = a->cur, *fresh;
	size_t at = 0;

	if (n >= (size_t)-1 - sizeof(*b) - align)
		return NULL;
	/* The blocks after the current one were emptied by arena_clear(). */
	for (;;) {
		if (b) {
			at = (b->used + align - 1) & ~(align - 1);
			if (at <= b->cap && b->cap - at >= n)
				break;
		}
		if (!b || !b->next) {
			size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
			if (!(fresh = malloc(sizeof(*fresh) + cap)))
				return NULL;
			mem_prefault(fresh, sizeof(*fresh) + cap);
			fresh->used = 0;
			fresh->cap = cap;
			fresh->next = NULL;
			if (b)
				b->next = fresh;
			else
				a->first = fresh;
			b = fresh;
			at = 0;
			break;
		}
		b = b->next;
		b->used = 0;
	}
	a->cur = b;
	b->used = at + n;
	return b->data + at;
}

char *
arena_add(arena_t *a, const char *p, size_t n)
{
	char *s = n < (size_t)-1 ? arena_room(a, n + 1, 1) : NULL;

	if (!s)
		return NULL;
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void *
arena_calloc(arena_t *a, size_t n, size_t size)
{
	char *p;

	if (size && n > (size_t)-1 / size)
		return NULL;
	p = arena_room(a, n * size, ARENA_ALIGN);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void
arena_clear(arena_t *a)
{
	a->cur = a->first;
	if (a->first)
		a->first->used = 0;
}

void
arena_free(arena_t *a)
{
	struct arena_block *b = a->first, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->first = a->cur = NULL;
}

json_t *
json_string_utf8(const char *s)
{
	buf_t b = { 0 };
	json_t *v = buf_add_utf8(&b, s, strlen(s)) < 0 ? NULL
						      : json_stringn(b.data, b.len);

	buf_free(&b);
	return v;
}
