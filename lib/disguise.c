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
#include "disguise.h"

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

#ifdef HAVE_DISGUISE_SIMD
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
	const __m256i set = _mm256_broadcastsi128_si256(DISGUISE_SET16);
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
			if ((at = disguise_first_of(p, q + k, disguises(q + k),
						    end)))
				return at;
	}
	return disguise_bytewise(p, q, end);
}

/* scan_avx2() 64 bytes a register: a lookup and a compare into a mask
 * for each. */
__attribute__((target("avx512bw"))) static const char *
scan_avx512(const char *p, const char *end)
{
	const __m512i set = _mm512_broadcast_i32x4(DISGUISE_SET16);
	const char *q = p, *at;
	int k;

	for (; end - q > 128; q += 128) {
		__m512i a = _mm512_loadu_si512((const void *)q);
		__m512i b = _mm512_loadu_si512((const void *)(q + 64));
		if (!(disguise_bytes512(set, a) | disguise_bytes512(set, b)))
			continue;
		for (k = 0; k < 128; k += 64)
			if ((at = disguise_first_of(p, q + k,
						    disguises512(q + k), end)))
				return at;
	}
	return disguise_bytewise(p, q, end);
}
#endif

const char *
disguise_find(const char *p, const char *end, int kernel)
{
#ifdef HAVE_DISGUISE_SIMD
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
#ifdef HAVE_DISGUISE_SIMD
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
