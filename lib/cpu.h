/* Which vector kernels this CPU runs: the searches in prefilter.c,
 * level.c and disguise.c each pick the widest it has, once. */
#ifndef TSBLOG_CPU_H
#define TSBLOG_CPU_H

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>

/* The AVX-512 kernels: AVX-512BW's byte compares and masks, and VBMI's
 * vpermi2b, which looks a byte up in a 128-byte table (Ice Lake, Zen 4
 * and later).  Skylake-X has no VBMI and keeps AVX2, which spares it the
 * lower clock 512-bit instructions cost there. */
static inline int
cpu_avx512(void)
{
	return __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512vbmi");
}

/* Teddy's lookup, AVX-512's way: the bucket bits of each of the 64 bytes
 * at @q, from a table of the 128 bytes below 0x80 (@lo the first 64, @hi
 * the rest), and none for 0x80 and above, which no literal or level word
 * holds.  vpermi2b reads the table by a byte's low seven bits: one
 * lookup where SSSE3 and AVX2 take two shuffles (low and high nibble),
 * two ANDs and a shift, and no pair of nibbles lets through a byte that
 * neither table holds. */
__attribute__((target("avx512bw,avx512vbmi"))) static inline __m512i
cpu_ascii512(__m512i lo, __m512i hi, const char *q)
{
	__m512i v = _mm512_loadu_si512((const void *)q);

	return _mm512_maskz_permutex2var_epi8(
		_mm512_testn_epi8_mask(v, _mm512_set1_epi8((char)0x80)), lo, v,
		hi);
}
#endif

#endif
