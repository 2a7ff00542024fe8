/* Disguises (disguise.c): the byte tests its searches share with the
 * prefilter's Teddy walk, which looks for disguises in the loads it makes
 * anyway (pf_find_odd()). */
#ifndef TSBLOG_DISGUISE_H
#define TSBLOG_DISGUISE_H

#include <stdint.h>
#include "tsblog-private.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_DISGUISE_SIMD 1
#endif

/* Whether the backslash at @q (before 'u' or '/') starts an escape:
 * backslashes pair up from @p, so it does when an even number of them
 * come right before it. */
static inline int
escape_starts(const char *p, const char *q)
{
	const char *b = q;

	while (b > p && b[-1] == '\\')
		b--;
	return !((q - b) & 1);
}

/* Whether the byte at @q, of [@p, @end), is a disguise. */
static inline int
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

/* The first disguise from @q on, a byte at a time: a kernel's last
 * bytes. */
static inline const char *
disguise_bytewise(const char *p, const char *q, const char *end)
{
	for (; q < end; q++)
		if (disguise(p, q, end))
			return q;
	return NULL;
}

/* The first disguise among the places q + k whose bit k of @m is set
 * (a kernel's candidates, judged by disguise()), or NULL. */
static inline const char *
disguise_first_of(const char *p, const char *q, uint64_t m, const char *end)
{
	for (; m; m &= m - 1) {
		const char *at = q + __builtin_ctzll(m);
		if (disguise(p, at, end))
			return at;
	}
	return NULL;
}

#ifdef HAVE_DISGUISE_SIMD
/* For a byte below 0x80, its low nibble's one of the three bytes a
 * disguise starts with (they have different ones), or a byte that cannot
 * have it; a byte from 0x80 looks up 0, which it never equals. */
#define DISGUISE_SET16                                                      \
	_mm_setr_epi8(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\x1b', '\\', '\r', 0, \
		      0)

/* The bytes of the 64 in @v that are an escape byte, a CR or a
 * backslash (@set: DISGUISE_SET16 in each lane). */
__attribute__((target("avx512bw"))) static inline uint64_t
disguise_bytes512(__m512i set, __m512i v)
{
	return _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(set, v), v);
}

/* The bytes of the 64 at @q that may be a disguise, judged by the byte
 * after them too (@q[64] is read): in most logs a backslash quotes a
 * quote, and a CR comes before a LF.  Only escape_starts() is left to
 * ask. */
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
#endif

#endif
