/* Levels: see level.h.  Adding a word here is all it takes: the scanner
 * reads levels from envelopes through level_name(). */
#include <stdint.h>
#include <string.h>
#include "cpu.h"
#include "level.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_SIMD 1
_Static_assert(LEVEL_FP == 3, "the kernels AND three bytes");
#endif

/* Level words as the Go loggers print them.  Their lengths are kept
 * since every line of the fast path asks level_name(). */
#define WORD(w, level) { w, sizeof(w) - 1, level }
static const struct {
	const char *word;
	size_t n;
	const char *level;
} words[] = {
	WORD("debug", "debug"), WORD("info", "info"),
	WORD("warn", "warn"), WORD("warning", "warn"),
	WORD("error", "error"), WORD("err", "error"),
	WORD("fatal", "fatal"), WORD("panic", "panic"),
	WORD("dpanic", "panic"), WORD("critical", "fatal"),
	WORD("trace", "debug"), WORD("none", NULL),
};
#define NWORDS (sizeof(words) / sizeof(*words))

const char *
level_name(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < NWORDS; i++) {
		if (words[i].n != n)
			continue;
		for (k = 0; k < n; k++)
			if ((p[k] | 0x20) != words[i].word[k])
				break;
		if (k == n)
			return words[i].level;
	}
	return NULL;
}

const char *
level_klog(char letter)
{
	switch (letter) {
	case 'I': return "info";
	case 'W': return "warn";
	case 'E': return "error";
	case 'F': return "fatal";
	default: return NULL;
	}
}

/* Whether @level is @word: its first letter is known to match.  The fast
 * path asks level_warn() of every line it stops at; a strcmp() call cost
 * more than these few bytes' comparison. */
static inline int
rest_is(const char *level, const char *word)
{
	size_t k = 1;

	while (word[k] && level[k] == word[k])
		k++;
	return !word[k] && !level[k];
}

int
level_warn(const char *level)
{
	if (!level)
		return 0;
	/* The vocabulary's levels differ in their first letter, so one
	 * comparison decides. */
	switch (level[0]) {
	case 'w': return rest_is(level, "warn");
	case 'e': return rest_is(level, "error");
	case 'f': return rest_is(level, "fatal");
	case 'p': return rest_is(level, "panic");
	default: return 0;
	}
}

/* --- finding level words ---------------------------------------------- */

static int
is_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Byte @c at fingerprint byte @j means bucket @bit; with @fold, in
 * both cases, as level_name() reads words. */
static void
set_byte(level_finder *f, int j, unsigned char c, unsigned char bit,
	 int fold)
{
	f->nib[j][0][c & 15] |= bit;
	f->nib[j][1][c >> 4] |= bit;
	if (fold && is_letter(c))
		f->nib[j][1][(c ^ 0x20) >> 4] |= bit;
}

void
level_finder_init(level_finder *f)
{
	const char *prefix[8];
	int nb = 0, b, j;
	size_t i;
	unsigned c;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < NWORDS; i++) {
		if (!level_warn(words[i].level))
			continue;
		/* A word too short to fingerprint, or more words than
		 * buckets: every place is a candidate (kernel 0). */
		if (words[i].n < LEVEL_FP)
			return;
		for (b = 0; b < nb && memcmp(prefix[b], words[i].word, LEVEL_FP);
		     b++)
			;
		if (b < nb)
			continue;
		if (nb == 7)
			return;
		prefix[nb++] = words[i].word;
		for (j = 0; j < LEVEL_FP; j++)
			set_byte(f, j, (unsigned char)words[i].word[j],
				 (unsigned char)(1u << b), 1);
	}
	f->klog = (unsigned char)(1u << nb);
	for (c = 0; c < 256; c++) {
		if (level_warn(level_klog((char)c)))
			set_byte(f, 0, (unsigned char)c, f->klog, 0);
		for (j = 1; j < LEVEL_FP; j++)
			if (is_digit((unsigned char)c))
				set_byte(f, j, (unsigned char)c, f->klog, 0);
	}
	for (j = 0; j < LEVEL_FP; j++)
		for (c = 0; c < 128; c++)
			f->ascii[j][c] = f->nib[j][0][c & 15] & f->nib[j][1][c >> 4];
#ifdef HAVE_SIMD
	f->kernel = cpu_avx512()                  ? 3
		    : __builtin_cpu_supports("avx2")  ? 2
		    : __builtin_cpu_supports("ssse3") ? 1
						      : 0;
#endif
}

/* Whether what starts at p[i] (of @n) is what @bits' buckets stand for:
 * a run of letters level_name() reads as warn or above, or a klog letter
 * of warn or above before four digits. */
static int
accept(const level_finder *f, const char *p, size_t n, size_t i,
       unsigned bits)
{
	size_t k;

	if (bits & f->klog) {
		if (level_warn(level_klog(p[i])) && n - i >= 5) {
			for (k = 1; k < 5 && is_digit((unsigned char)p[i + k]); k++)
				;
			if (k == 5)
				return 1;
		}
		bits &= ~(unsigned)f->klog;
	}
	if (!bits)
		return 0;
	/* No level word is longer than 16 letters. */
	for (k = 0; i + k < n && k <= 16 && is_letter((unsigned char)p[i + k]);
	     k++)
		;
	return level_warn(level_name(p + i, k));
}

/* Positions from @c on, one at a time. */
static const char *
tail(const level_finder *f, const char *p, size_t n, size_t c)
{
	for (; c + LEVEL_FP <= n; c++) {
		unsigned bits = 0xFF;
		int j;
		for (j = 0; j < LEVEL_FP; j++) {
			unsigned char u = (unsigned char)p[c + j];
			bits &= f->nib[j][0][u & 15] & f->nib[j][1][u >> 4];
		}
		if (bits && accept(f, p, n, c, bits))
			return p + c;
	}
	return NULL;
}

#ifdef HAVE_SIMD
/* The first of the places c + k (bit k of @m set, its buckets in r8[k])
 * that accept() takes, or NULL. */
static const char *
hits(const level_finder *f, const char *p, size_t n, size_t c, uint64_t m,
     const unsigned char *r8)
{
	for (; m; m &= m - 1) {
		unsigned k = (unsigned)__builtin_ctzll(m);
		if (accept(f, p, n, c + k, r8[k]))
			return p + c + k;
	}
	return NULL;
}

/* The buckets whose fingerprint byte @j may be each of the bytes at @q:
 * those of its low nibble AND those of its high nibble. */
__attribute__((target("ssse3"))) static inline __m128i
nib128(const __m128i *lo, const __m128i *hi, int j, const char *q)
{
	const __m128i low = _mm_set1_epi8(15);
	__m128i v = _mm_loadu_si128((const __m128i *)q);

	return _mm_and_si128(
		_mm_shuffle_epi8(lo[j], _mm_and_si128(v, low)),
		_mm_shuffle_epi8(hi[j], _mm_and_si128(_mm_srli_epi16(v, 4), low)));
}

__attribute__((target("ssse3"))) static const char *
next_ssse3(const level_finder *f, const char *p, size_t n)
{
	__m128i lo[LEVEL_FP], hi[LEVEL_FP];
	unsigned char r8[16];
	const char *q;
	size_t c;
	int j;

	for (j = 0; j < LEVEL_FP; j++) {
		lo[j] = _mm_loadu_si128((const __m128i *)f->nib[j][0]);
		hi[j] = _mm_loadu_si128((const __m128i *)f->nib[j][1]);
	}
	for (c = 0; c + 16 + LEVEL_FP - 1 <= n; c += 16) {
		__m128i r = _mm_and_si128(
			_mm_and_si128(nib128(lo, hi, 0, p + c),
				      nib128(lo, hi, 1, p + c + 1)),
			nib128(lo, hi, 2, p + c + 2));
		unsigned m = ~(unsigned)_mm_movemask_epi8(
				     _mm_cmpeq_epi8(r, _mm_setzero_si128())) &
			     0xFFFF;
		if (!m)
			continue;
		_mm_storeu_si128((__m128i *)r8, r);
		if ((q = hits(f, p, n, c, m, r8)))
			return q;
	}
	return tail(f, p, n, c);
}

/* nib128() for 32 bytes: each 16-byte lane looks up its own copy. */
__attribute__((target("avx2"))) static inline __m256i
nib256(const __m256i *lo, const __m256i *hi, int j, const char *q)
{
	const __m256i low = _mm256_set1_epi8(15);
	__m256i v = _mm256_loadu_si256((const __m256i *)q);

	return _mm256_and_si256(
		_mm256_shuffle_epi8(lo[j], _mm256_and_si256(v, low)),
		_mm256_shuffle_epi8(hi[j], _mm256_and_si256(
						   _mm256_srli_epi16(v, 4), low)));
}

__attribute__((target("avx2"))) static const char *
next_avx2(const level_finder *f, const char *p, size_t n)
{
	__m256i lo[LEVEL_FP], hi[LEVEL_FP];
	unsigned char r8[32];
	const char *q;
	size_t c;
	int j;

	for (j = 0; j < LEVEL_FP; j++) {
		lo[j] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)f->nib[j][0]));
		hi[j] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)f->nib[j][1]));
	}
	for (c = 0; c + 32 + LEVEL_FP - 1 <= n; c += 32) {
		__m256i r = _mm256_and_si256(
			_mm256_and_si256(nib256(lo, hi, 0, p + c),
					 nib256(lo, hi, 1, p + c + 1)),
			nib256(lo, hi, 2, p + c + 2));
		unsigned m = ~(unsigned)_mm256_movemask_epi8(
			_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
		if (!m)
			continue;
		_mm256_storeu_si256((__m256i *)r8, r);
		if ((q = hits(f, p, n, c, m, r8)))
			return q;
	}
	return tail(f, p, n, c);
}

/* 64 places a step (cpu_ascii512()). */
__attribute__((target("avx512bw,avx512vbmi"))) static const char *
next_avx512(const level_finder *f, const char *p, size_t n)
{
#define TABLE(j, h) _mm512_loadu_si512((const void *)(f->ascii[j] + 64 * (h)))
	const __m512i l0 = TABLE(0, 0), h0 = TABLE(0, 1);
	const __m512i l1 = TABLE(1, 0), h1 = TABLE(1, 1);
	const __m512i l2 = TABLE(2, 0), h2 = TABLE(2, 1);
#undef TABLE
	unsigned char r8[64];
	const char *q;
	size_t c;

	for (c = 0; c + 64 + LEVEL_FP - 1 <= n; c += 64) {
		__m512i r = _mm512_and_si512(
			_mm512_and_si512(cpu_ascii512(l0, h0, p + c),
					 cpu_ascii512(l1, h1, p + c + 1)),
			cpu_ascii512(l2, h2, p + c + 2));
		uint64_t m = _mm512_test_epi8_mask(r, r);
		if (!m)
			continue;
		_mm512_storeu_si512((void *)r8, r);
		if ((q = hits(f, p, n, c, m, r8)))
			return q;
	}
	return tail(f, p, n, c);
}
#endif

const char *
level_next(const level_finder *f, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

#ifdef HAVE_SIMD
	if (f->kernel == 3)
		return next_avx512(f, p, n);
	if (f->kernel == 2)
		return next_avx2(f, p, n);
	if (f->kernel == 1)
		return next_ssse3(f, p, n);
#endif
	return n ? p : NULL;
}
