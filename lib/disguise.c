/*
 * Disguises: bytes that can hide a rule literal or a level word from a
 * search over the raw bytes.  A colour escape can split one (escapes are
 * removed before matching), a JSON escape like \u0074 or \/ can spell one,
 * and a lone CR ends a line where the raw bytes go on.  A line with none
 * reads the same raw as cleaned; the scanner reads the others in full.
 *
 * One pass looks for all three kinds: three memchr() passes (the escape
 * byte, CR, and backslash to backslash) took 6.8% of the text report's
 * samples on the bench corpus (perf, 2026-12-05), which has no escape
 * byte, no CR and a backslash every 600 bytes; this one 2.3-2.9%.  Its
 * AVX-512 form compares into masks, 64 bytes a register.
 */
#include <stdint.h>
#include <string.h>
#include "cpu.h"
#include "tsblog-private.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2 1
#endif

/* Whether the backslash at @q (before 'u' or '/') starts an escape:
 * backslashes pair up from @p, so it does when an even number of them
 * come right before it. */
static int
escape_starts(const char *p, const char *q)
{
	const char *b = q;

	while (b > p && b[-1] == '\\')
		b--;
	return !((q - b) & 1);
}

/* Whether the byte at @q, of [@p, @end), is a disguise. */
static int
disguise(const char *p, const char *q, const char *end)
{
	switch (*q) {
	case '\x1b':
		return 1;
	case '\r':
		/* A CR as the last byte waits for the next one. */
		return q + 1 < end && q[1] != '\n' && q[1] != '\r';
	case '\\':
		return q + 1 < end && (q[1] == 'u' || q[1] == '/') &&
		       escape_starts(p, q);
	default:
		return 0;
	}
}

/* Without SIMD: memchr() for each byte, each kind's next place kept, so
 * that a backslash every few bytes does not cost a search to @end for the
 * others each time. */
static const char *
scan_memchr(const char *p, const char *end)
{
	static const char bytes[3] = { '\x1b', '\r', '\\' };
	const char *next[3] = { NULL, NULL, NULL }, *q = p, *at;
	int k;

	for (;;) {
		at = end;
		for (k = 0; k < 3; k++) {
			if (!next[k] || next[k] < q) {
				next[k] = memchr(q, bytes[k], (size_t)(end - q));
				if (!next[k])
					next[k] = end;
			}
			if (next[k] < at)
				at = next[k];
		}
		if (at == end)
			return NULL;
		if (disguise(p, at, end))
			return at;
		q = at + 1;
	}
}

#ifdef HAVE_AVX2
/* The first disguise among the places q + k whose bit k of @m is set
 * (a kernel's candidates, judged by disguise()), or NULL. */
static const char *
first_of(const char *p, const char *q, uint64_t m, const char *end)
{
	for (; m; m &= m - 1) {
		const char *at = q + __builtin_ctzll(m);
		if (disguise(p, at, end))
			return at;
	}
	return NULL;
}

/* The first disguise from @q on, a byte at a time: a kernel's last
 * bytes. */
static const char *
bytewise(const char *p, const char *q, const char *end)
{
	for (; q < end; q++)
		if (disguise(p, q, end))
			return q;
	return NULL;
}

/* The bytes of 32 at @q that are an escape byte, a CR or a backslash, as
 * a bit each.  A byte below 0x80 looks its low nibble up in @set, which
 * holds, for each nibble, the one of the three bytes with that low nibble
 * (they have different ones) or a byte that cannot have it; a byte from
 * 0x80 looks up 0, which it never equals. */
__attribute__((target("avx2"))) static inline __m256i
candidates(__m256i set, const char *q)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)q);

	return _mm256_cmpeq_epi8(_mm256_shuffle_epi8(set, v), v);
}

/* The bytes of 32 at @q that may be a disguise, judged by the byte after
 * them too: in most logs a backslash quotes a quote, and a CR comes
 * before a LF.  Only escape_starts() is left to ask. */
__attribute__((target("avx2"))) static inline unsigned
disguises(const char *q)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)q);
	__m256i w = _mm256_loadu_si256((const __m256i *)(q + 1));
	__m256i cr = _mm256_andnot_si256(
		_mm256_or_si256(_mm256_cmpeq_epi8(w, _mm256_set1_epi8('\n')),
				_mm256_cmpeq_epi8(w, _mm256_set1_epi8('\r'))),
		_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')));
	__m256i bs = _mm256_and_si256(
		_mm256_or_si256(_mm256_cmpeq_epi8(w, _mm256_set1_epi8('u')),
				_mm256_cmpeq_epi8(w, _mm256_set1_epi8('/'))),
		_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')));

	return (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
		_mm256_or_si256(cr, bs),
		_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\x1b'))));
}

/* 128 bytes a step, two instructions for each 32 of them when none of
 * the three bytes is there (most of a log).  Steps stop one byte short of
 * @end, which a CR or a backslash needs to be judged. */
__attribute__((target("avx2"))) static const char *
scan_avx2(const char *p, const char *end)
{
	const __m128i set16 = _mm_setr_epi8(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					    '\x1b', '\\', '\r', 0, 0);
	const __m256i set = _mm256_broadcastsi128_si256(set16);
	const char *q = p, *at;
	int k;

	for (; end - q > 128; q += 128) {
		__m256i a = _mm256_or_si256(candidates(set, q),
					    candidates(set, q + 32));
		__m256i b = _mm256_or_si256(candidates(set, q + 64),
					    candidates(set, q + 96));
		if (_mm256_testz_si256(_mm256_or_si256(a, b),
				       _mm256_set1_epi8(-1)))
			continue;
		for (k = 0; k < 128; k += 32)
			if ((at = first_of(p, q + k, disguises(q + k), end)))
				return at;
	}
	return bytewise(p, q, end);
}

/* disguises() for 64 bytes, as a mask. */
__attribute__((target("avx512bw"))) static inline uint64_t
disguises512(const char *q)
{
	__m512i v = _mm512_loadu_si512((const void *)q);
	__m512i w = _mm512_loadu_si512((const void *)(q + 1));
	__mmask64 cr = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')) &
		       _mm512_cmpneq_epi8_mask(w, _mm512_set1_epi8('\n')) &
		       _mm512_cmpneq_epi8_mask(w, _mm512_set1_epi8('\r'));
	__mmask64 bs = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')) &
		       (_mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('u')) |
			_mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('/')));

	return cr | bs | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\x1b'));
}

/* scan_avx2() 64 bytes a register: a lookup and a compare into a mask
 * for each. */
__attribute__((target("avx512bw"))) static const char *
scan_avx512(const char *p, const char *end)
{
	const __m512i set = _mm512_broadcast_i32x4(_mm_setr_epi8(
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\x1b', '\\', '\r', 0, 0));
	const char *q = p, *at;
	int k;

	for (; end - q > 128; q += 128) {
		__m512i a = _mm512_loadu_si512((const void *)q);
		__m512i b = _mm512_loadu_si512((const void *)(q + 64));
		if (!(_mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(set, a), a) |
		      _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(set, b), b)))
			continue;
		for (k = 0; k < 128; k += 64)
			if ((at = first_of(p, q + k, disguises512(q + k), end)))
				return at;
	}
	return bytewise(p, q, end);
}
#endif

const char *
disguise_find(const char *p, const char *end, int kernel)
{
#ifdef HAVE_AVX2
	if (kernel == DISGUISE_AVX512)
		return scan_avx512(p, end);
	if (kernel == DISGUISE_AVX2)
		return scan_avx2(p, end);
#endif
	(void)kernel;
	return scan_memchr(p, end);
}

int
disguise_kernel(void)
{
#ifdef HAVE_AVX2
	if (cpu_avx512())
		return DISGUISE_AVX512;
	if (__builtin_cpu_supports("avx2"))
		return DISGUISE_AVX2;
#endif
	return DISGUISE_MEMCHR;
}

const char *
disguise_at(const char *p, const char *end)
{
	return disguise_find(p, end, disguise_kernel());
}
