/* Message shapes: see shape.h.  One left-to-right pass: where a word
 * starts, each hole of shape_holes is tried in order, as a leftmost-first
 * regex alternation would, and a word no hole takes is copied whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "limits.h"
#include "shape.h"

enum { H_STR, H_UUID, H_IP, H_DUR, H_POD, H_HEX, H_NUM };

/* Byte classes by table: a message's every byte is asked one or more.
 * \w and \b as PCRE2 has them without PCRE2_UCP: ASCII only.  C_P:
 * POD_ALPHABET's, read from it here (its 27 bytes and the NUL).  C_S:
 * the bytes besides \w a hole can start with. */
enum { C_W = 1, C_D = 2, C_X = 4, C_P = 8, C_S = 16 };
#define IS_D(c) ((c) >= '0' && (c) <= '9')
#define IS_AZ(c, z) (((c) | 0x20) >= 'a' && ((c) | 0x20) <= (z))
#define POD_AT(k) ((unsigned char)POD_ALPHABET[k])
#define POD4(c, k)                                                    \
	((c) == POD_AT(k) || (c) == POD_AT((k) + 1) ||                \
	 (c) == POD_AT((k) + 2) || (c) == POD_AT((k) + 3))
#define IS_POD(c)                                                     \
	((c) && (POD4(c, 0) || POD4(c, 4) || POD4(c, 8) || POD4(c, 12) || \
		 POD4(c, 16) || POD4(c, 20) || POD4(c, 24)))
_Static_assert(sizeof(POD_ALPHABET) == 28, "IS_POD reads 28 bytes");
#define CLS(c)                                                      \
	((IS_D(c) || IS_AZ(c, 'z') || (c) == '_' ? C_W : 0) |       \
	 (IS_D(c) ? C_D : 0) | (IS_D(c) || IS_AZ(c, 'f') ? C_X : 0) | \
	 (IS_POD(c) ? C_P : 0) |                                    \
	 ((c) == '"' || (c) == '\'' || (c) == '[' ? C_S : 0))
#define CLS4(c) CLS(c), CLS((c) + 1), CLS((c) + 2), CLS((c) + 3)
#define CLS16(c) CLS4(c), CLS4((c) + 4), CLS4((c) + 8), CLS4((c) + 12)
#define CLS64(c) CLS16(c), CLS16((c) + 16), CLS16((c) + 32), CLS16((c) + 48)
static const unsigned char cls[256] = { CLS64(0), CLS64(64), CLS64(128),
					CLS64(192) };

static int
isw(unsigned char c)
{
	return cls[c] & C_W;
}

static int
isd(unsigned char c)
{
	return cls[c] & C_D;
}

static int
isx(unsigned char c)
{
	return cls[c] & C_X;
}

/* Word character at @i of @s[0..n), out of range being none. */
static int
wat(const char *s, size_t n, size_t i)
{
	return i < n && isw((unsigned char)s[i]);
}

/* How many bytes from @i on are of class @c. */
static size_t
run(const char *s, size_t n, size_t i, unsigned char c)
{
	size_t k = i;
	while (k < n && (cls[(unsigned char)s[k]] & c))
		k++;
	return k - i;
}

/* Each returns the end of the hole starting at @i, or 0. */

/* @dead: a '"' before it opens no string.  A scan from a '"' that finds
 * no closing one fails at a point every '"' it passed fails at too (each
 * was escaped, so a scan from it reads the same escapes), and a line of
 * \" would otherwise be rescanned to its end from each of them. */
static size_t
m_str(const char *s, size_t n, size_t i, size_t *dead)
{
	size_t k;

	if (s[i] == '"') {
		if (i < *dead)
			return 0;
		/* \\. as PCRE2 has it: '.' is not a newline. */
		for (k = i + 1; k < n && s[k] != '"'; k++)
			if (s[k] == '\\' && (++k == n || s[k] == '\n'))
				break;
		if (k < n && s[k] == '"')
			return k + 1;
		*dead = k;
		return 0;
	}
	/* \s as the regex has it; a NUL ends the run too (strchr's did). */
	for (k = i + 1; k < n && s[k] != '\'' && s[k] != ' ' &&
			(s[k] < '\t' || s[k] > '\r') && s[k];
	     k++)
		;
	return k < n && s[k] == '\'' ? k + 1 : 0;
}

static size_t
m_uuid(const char *s, size_t n, size_t i)
{
	static const unsigned char len[] = { 8, 4, 4, 4, 12 };
	size_t g, k = i;

	for (g = 0; g < 5; g++) {
		if (g && (k >= n || s[k++] != '-'))
			return 0;
		if (run(s, n, k, C_X) < len[g])
			return 0;
		k += len[g];
	}
	return wat(s, n, k) ? 0 : k;
}

/* [v6]:port, at a '['. */
static size_t
m_ip6(const char *s, size_t n, size_t i)
{
	size_t k = i + 1, colon = 0, p;

	for (; k < n && (isx((unsigned char)s[k]) || s[k] == ':'); k++)
		colon |= s[k] == ':';
	if (!colon || k >= n || s[k] != ']')
		return 0;
	k++;
	p = k < n && s[k] == ':' ? run(s, n, k + 1, C_D) : 0;
	return p ? k + 1 + p : k;
}

static size_t
m_ip4(const char *s, size_t n, size_t i)
{
	size_t g, k = i, d, p;

	for (g = 0; g < 4; g++) {
		if (g && (k >= n || s[k++] != '.'))
			return 0;
		d = run(s, n, k, C_D);
		if (!d || d > 3)
			return 0;
		k += d;
	}
	/* :port or _port (Envoy's cluster names), if a word ends there. */
	p = k < n && (s[k] == ':' || s[k] == '_') ? run(s, n, k + 1, C_D) : 0;
	if (p && !wat(s, n, k + 1 + p))
		return k + 1 + p;
	return wat(s, n, k) ? 0 : k;
}

static size_t
m_dur(const char *s, size_t n, size_t i)
{
#define UNIT(u) { u, sizeof(u) - 1 }
	static const struct {
		const char *u;
		size_t n;
	} unit[] = { UNIT("ns"), UNIT("us"), UNIT("\xc2\xb5s"), UNIT("ms"),
		     UNIT("s"),  UNIT("m"),  UNIT("h") };
#undef UNIT
	size_t k = i, d, u;

	/* Only the longest unit can be followed by a word end or a digit. */
	for (;;) {
		k += run(s, n, k, C_D);
		if (k < n && s[k] == '.' && (d = run(s, n, k + 1, C_D)))
			k += 1 + d;
		/* Most numbers end in none: their next byte rules each out. */
		for (u = 0; u < sizeof(unit) / sizeof(*unit); u++)
			if (n - k >= unit[u].n && s[k] == unit[u].u[0] &&
			    !memcmp(s + k, unit[u].u, unit[u].n))
				break;
		if (u == sizeof(unit) / sizeof(*unit))
			return 0;
		k += unit[u].n;
		if (k >= n || !isd((unsigned char)s[k]))
			return wat(s, n, k) ? 0 : k;
	}
}

static int
has_digit(const char *s, size_t n)
{
	while (n--)
		if (isd((unsigned char)*s++))
			return 1;
	return 0;
}

static size_t
m_pod(const char *s, size_t n, size_t i)
{
	size_t a, b, k;

	if (i < 2 || s[i - 1] != '-' || !isw((unsigned char)s[i - 2]) ||
	    s[i - 2] == '_')
		return 0;
	a = run(s, n, i, C_P);
	k = i + a;
	if (a >= 6 && a <= 10 && k < n && s[k] == '-' &&
	    (b = run(s, n, k + 1, C_P)) == 5 && !wat(s, n, k + 6) &&
	    (k + 6 >= n || s[k + 6] != '-'))
		return k + 6;
	if (((a >= 6 && a <= 10) || a == 5) && has_digit(s + i, a) &&
	    !wat(s, n, k) && (k >= n || s[k] != '-'))
		return k;
	return 0;
}

static size_t
m_hex(const char *s, size_t n, size_t i)
{
	size_t k = i, r, j;
	int digit = 0, letter = 0;

	if (n - i > 2 && s[i] == '0' && s[i + 1] == 'x')
		k += 2;
	r = run(s, n, k, C_X);
	for (j = k; j < k + r; j++) {
		digit |= isd((unsigned char)s[j]);
		letter |= !isd((unsigned char)s[j]);
	}
	return r >= 5 && digit && letter && !wat(s, n, k + r) ? k + r : 0;
}

static size_t
m_num(const char *s, size_t n, size_t i)
{
	size_t k = i + run(s, n, i, C_D), d;

	if (k < n && s[k] == '.' && (d = run(s, n, k + 1, C_D)) &&
	    !wat(s, n, k + 1 + d))
		return k + 1 + d;
	return wat(s, n, k) ? 0 : k;
}

/* The hole at @i, its kind in @h; 0 if none starts there.  @dead is
 * m_str's, 0 at a message's start. */
static size_t
hole_at(const char *s, size_t n, size_t i, int *h, size_t *dead)
{
	unsigned char c = (unsigned char)s[i];
	size_t e = 0;

	if (c == '"' || c == '\'')
		return (*h = H_STR, m_str(s, n, i, dead));
	if (c == '[')
		return (*h = H_IP, m_ip6(s, n, i));
	if (!isw(c) || (i && isw((unsigned char)s[i - 1])))
		return 0;
	if (!isd(c)) {
		/* A word of letters: a uuid or an id needs a run of 8 or 5
		 * hex digits from here, which most words end before. */
		size_t x = run(s, n, i, C_X);
		if (x >= 8 && (e = m_uuid(s, n, i)))
			return (*h = H_UUID, e);
		if ((e = m_pod(s, n, i)))
			return (*h = H_POD, e);
		if (x >= 5 && (e = m_hex(s, n, i)))
			return (*h = H_HEX, e);
		return 0;
	}
	/* A number: any hole but a string. */
	if ((e = m_uuid(s, n, i)))
		return (*h = H_UUID, e);
	if ((e = m_ip4(s, n, i)))
		return (*h = H_IP, e);
	if ((e = m_dur(s, n, i)))
		return (*h = H_DUR, e);
	if ((e = m_pod(s, n, i)))
		return (*h = H_POD, e);
	if ((e = m_hex(s, n, i)))
		return (*h = H_HEX, e);
	if ((e = m_num(s, n, i)))
		return (*h = H_NUM, e);
	return 0;
}

/* Where holes may start, a window of the message at a time: hole_at()
 * is asked only there, and most words (letters that start no hex run of
 * 5, after no '-') are passed over without a look.  A window's bits come
 * from 64 bytes, but hex runs of 5 are known for its first 60 only. */
#define WIN_BYTES 64
#define WIN_STEP 60
typedef struct {
	size_t at;              /* the window's first byte */
	uint64_t may;           /* bit k: a hole may start at at + k */
} starts;

#ifdef __SSE2__
/* Bit k of the result: byte k of @v is in [@lo, @lo + @span]. */
static inline unsigned
in_range(__m128i v, char lo, char span)
{
	__m128i t = _mm_sub_epi8(v, _mm_set1_epi8(lo));

	return (unsigned)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(span)), t));
}
#endif

/* The classes of the 64 bytes at @p (@avail of them the message's; past
 * it a NUL, which is of none): word bytes, hex digits, digits, '-', and
 * the bytes a string or [v6] starts with. */
static void
window_bits(const unsigned char *p, size_t avail, uint64_t *w, uint64_t *x,
	    uint64_t *d, uint64_t *dash, uint64_t *str)
{
	unsigned char pad[WIN_BYTES];
	size_t k;

	if (avail < WIN_BYTES) {
		memset(pad, 0, sizeof(pad));
		memcpy(pad, p, avail);
		p = pad;
	}
	*w = *x = *d = *dash = *str = 0;
#ifdef __SSE2__
	for (k = 0; k < WIN_BYTES; k += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + k));
		__m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
		uint64_t dg = in_range(v, '0', 9);
		*d |= dg << k;
		*x |= (dg | in_range(l, 'a', 5)) << k;
		*w |= (dg | in_range(l, 'a', 25) |
		       (unsigned)_mm_movemask_epi8(
			       _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))))
		      << k;
		*dash |= (uint64_t)(unsigned)_mm_movemask_epi8(
				 _mm_cmpeq_epi8(v, _mm_set1_epi8('-')))
			 << k;
		*str |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
					     _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))),
				_mm_cmpeq_epi8(v, _mm_set1_epi8('['))))
			<< k;
	}
#else
	for (k = 0; k < WIN_BYTES; k++) {
		uint64_t bit = (uint64_t)1 << k;
		unsigned char c = cls[p[k]];
		*w |= c & C_W ? bit : 0;
		*x |= c & C_X ? bit : 0;
		*d |= c & C_D ? bit : 0;
		*dash |= p[k] == '-' ? bit : 0;
		*str |= c & C_S ? bit : 0;
	}
#endif
}

/* The window of @s[0..@n) at @at. */
static void
window(starts *st, const char *s, size_t n, size_t at)
{
	uint64_t w, x, d, dash, str, word_before, dash_before, x5;
	const unsigned char *u = (const unsigned char *)s;

	window_bits(u + at, n - at, &w, &x, &d, &dash, &str);
	/* A word starts after a byte of no word; hole_at() tries a word of
	 * letters only for a uuid or an id (a hex run of 8 or 5) or a <pod>
	 * (after a '-'), a word of digits for every hole. */
	word_before = w << 1 | (at && isw(u[at - 1]));
	dash_before = dash << 1 | (at && u[at - 1] == '-');
	x5 = x & x >> 1 & x >> 2 & x >> 3 & x >> 4;
	st->at = at;
	st->may = ((w & ~word_before & (d | x5 | dash_before)) | str) &
		  (((uint64_t)1 << WIN_STEP) - 1);
}

/* The first place at or after @i where a hole may start, or @n. */
static size_t
next_start(starts *st, const char *s, size_t n, size_t i)
{
	uint64_t m;

	for (;;) {
		if (i >= n)
			return n;
		if (i < st->at || i >= st->at + WIN_STEP)
			window(st, s, n, i);
		m = st->may & (~(uint64_t)0 << (i - st->at));
		if (m)
			return st->at + (size_t)__builtin_ctzll(m);
		i = st->at + WIN_STEP;
	}
}

int
shape_make(cleaner *cl, const char *msg, size_t n, buf_t *out)
{
	size_t at = 0, i = 0, e, dead = 0;
	starts st = { (size_t)-1 / 2, 0 };      /* no window yet */
	int h;

	out->len = 0;
	/* Secrets are found in the whole message: a hole cut inside one must
	 * not leave the rest of it unrecognised. */
	if (cleaner_subject(cl, msg, n) < 0)
		return -1;
	/* klog's structured lines start with the constant message quoted:
	 * "Unable to attach or mount volumes for pod; skipping pod" err=... */
	if (n > 2 && msg[0] == '"') {
		const char *q = memchr(msg + 1, '"', n - 1);
		if (q)
			i = (size_t)(q - msg) + 1;
	}
	while ((i = next_start(&st, msg, n, i)) < n &&
	       out->len < MAX_SHAPE_LEN) {
		/* A word no hole takes: no hole starts inside it, and the
		 * next place is past it. */
		if (!(e = hole_at(msg, n, i, &h, &dead))) {
			i++;
			continue;
		}
		if (clean_add(cl, out, msg + at, i - at) < 0 ||
		    buf_add(out, "<", 1) < 0 ||
		    buf_add(out, shape_holes[h].name,
			    strlen(shape_holes[h].name)) < 0 ||
		    buf_add(out, ">", 1) < 0)
			return -1;
		at = i = e;
	}
	if (out->len < MAX_SHAPE_LEN && clean_add(cl, out, msg + at, n - at) < 0)
		return -1;
	if (out->len > MAX_SHAPE_LEN) {
		/* Cut on a character boundary. */
		size_t k = MAX_SHAPE_LEN;
		while (k && ((unsigned char)out->data[k] & 0xC0) == 0x80)
			k--;
		out->len = k;
		out->data[k] = '\0';
	}
	return cleaner_subject(cl, NULL, 0);
}

_Static_assert(SHAPE_MEMO_SLOTS % SHAPE_MEMO_WAYS == 0,
	       "a memo is whole sets of slots");

static size_t
set_of(uint64_t h)
{
	return h % (SHAPE_MEMO_SLOTS / SHAPE_MEMO_WAYS) * SHAPE_MEMO_WAYS;
}

size_t
shape_memo_set(const char *msg, size_t n)
{
	return set_of(strmap_hash(msg, n));
}

/* A string of the ring: the slot it was written for, its size (this head
 * included, a multiple of 8), then the message and its shape. */
typedef struct {
	uint32_t slot, size;
} ring_head;

/* What of a memo's block its hashes and slots take, before the ring. */
#define MEMO_SLOTS_BYTES \
	(SHAPE_MEMO_SLOTS * (sizeof(uint64_t) + sizeof(struct shape_memo_slot)))

_Static_assert(SHAPE_MEMO_SLOTS <= UINT32_MAX &&
		       sizeof(ring_head) + SHAPE_MEMO_MSG + MAX_SHAPE_LEN + 8 <=
			       SHAPE_MEMO_RING &&
		       MEMO_SLOTS_BYTES + SHAPE_MEMO_RING <= SHAPE_MEMO_HUGE,
	       "a ring string names its slot and fits in the ring, and the "
	       "block in a huge page");

/* Overwrite the last lap's strings up to @to: the slots that still hold
 * them are emptied. */
static void
ring_evict(shape_memo *m, size_t to)
{
	while (m->old < m->old_end && m->old < to) {
		const ring_head *e = (const ring_head *)(void *)(m->ring + m->old);
		struct shape_memo_slot *sl = &m->slots[e->slot];
		if (sl->msg == (const char *)(e + 1)) {
			sl->msg = NULL;
			m->hashes[e->slot] = 0;
		}
		m->old += e->size;
	}
}

/* Room for @bytes of slot @slot's at the ring's head. */
static char *
ring_put(shape_memo *m, size_t slot, size_t bytes)
{
	size_t size = sizeof(ring_head) + ((bytes + 7) & ~(size_t)7);
	ring_head *e;

	if (m->head + size > SHAPE_MEMO_RING) {
		ring_evict(m, SHAPE_MEMO_RING);
		m->old = 0;
		m->old_end = m->head;
		m->head = 0;
	}
	ring_evict(m, m->head + size);
	e = (ring_head *)(void *)(m->ring + m->head);
	e->slot = (uint32_t)slot;
	e->size = (uint32_t)size;
	m->head += size;
	return (char *)(e + 1);
}

/* A string met again that the ring will soon write over is copied to
 * its head, so a message that keeps coming stays, as it would in a
 * memo of least recently used messages only.  Not when the copy would
 * write over it or the ring turns first. */
static void
ring_keep(shape_memo *m, struct shape_memo_slot *sl)
{
	const ring_head *e = (const ring_head *)(const void *)sl->msg - 1;
	size_t at = (size_t)((const char *)e - m->ring);
	char *p;

	if (at < m->old || at >= m->old + SHAPE_MEMO_RING / 4 ||
	    at < m->head + e->size || m->head + e->size > SHAPE_MEMO_RING)
		return;
	p = ring_put(m, (size_t)(sl - m->slots), e->size - sizeof(*e));
	memcpy(p, sl->msg, e->size - sizeof(*e));
	sl->shape = p + sl->n;
	sl->msg = p;
}

/* The slots' block; with @huge, in a huge page of its own, advised to
 * be one.  (The ring stays SHAPE_MEMO_RING bytes in it: where the
 * system gives no huge page, the block's pages are touched as usual.) */
static uint64_t *
memo_block(int huge)
{
	void *b;

#ifdef MADV_HUGEPAGE
	if (huge && !posix_memalign(&b, SHAPE_MEMO_HUGE, SHAPE_MEMO_HUGE)) {
		(void)madvise(b, SHAPE_MEMO_HUGE, MADV_HUGEPAGE);
		return b;
	}
#else
	(void)huge;
#endif
	return malloc(MEMO_SLOTS_BYTES + SHAPE_MEMO_RING);
}

int
shape_memo_make(shape_memo *m, cleaner *cl, const char *msg, size_t n,
		buf_t *out, struct shape_memo_slot **slot)
{
	struct shape_memo_slot *sl, *lru;
	uint64_t h, tag;
	size_t set, w;
	char *p;

	*slot = NULL;
	if (n > SHAPE_MEMO_MSG)
		return shape_make(cl, msg, n, out);
	if (!m->slots) {
		/* The hashes, the slots and the ring in one block.  Only the
		 * hashes are zeroed: a slot is read only once its hash says
		 * it is filled, so its pages, like the ring's, are touched as
		 * the memo fills.  Written, not calloc()ed: calloc()'s fresh
		 * pages are read first (the lookups), mapped to the zero
		 * page, and each written later by a copy-on-write fault that
		 * flushes every core's TLB while another thread runs (-j). */
		if (!(m->hashes = memo_block(m->huge)))
			return -1;
		m->slots = (struct shape_memo_slot *)(void *)(m->hashes +
							       SHAPE_MEMO_SLOTS);
		m->ring = (char *)(m->slots + SHAPE_MEMO_SLOTS);
		m->head = m->old = m->old_end = 0;
		memset(m->hashes, 0, SHAPE_MEMO_SLOTS * sizeof(*m->hashes));
	}
	h = strmap_hash(msg, n);
	set = set_of(h);
	/* 0 is an empty slot's. */
	tag = h | 1;
	for (w = set; w < set + SHAPE_MEMO_WAYS; w++) {
		sl = &m->slots[w];
		if (m->hashes[w] == tag && sl->n == n &&
		    (!n || !memcmp(sl->msg, msg, n))) {
			sl->used = ++m->clock;
			*slot = sl;
			ring_keep(m, sl);
			return 1;
		}
	}
	if (shape_make(cl, msg, n, out) < 0)
		return -1;
	/* An empty slot, else the least recently used. */
	for (w = set; w < set + SHAPE_MEMO_WAYS && m->hashes[w]; w++)
		;
	if (w < set + SHAPE_MEMO_WAYS) {
		lru = &m->slots[w];
	} else {
		lru = &m->slots[set];
		for (w = set + 1; w < set + SHAPE_MEMO_WAYS; w++)
			if (m->slots[w].used < lru->used)
				lru = &m->slots[w];
	}
	/* The string lru held, if any, stays in the ring until the ring
	 * comes round to it. */
	p = ring_put(m, (size_t)(lru - m->slots), n + out->len);
	*slot = lru;
	lru->level = NULL;
	/* An empty message or shape may have no buffer at all. */
	if (n)
		memcpy(p, msg, n);
	if (out->len)
		memcpy(p + n, out->data, out->len);
	lru->msg = p;
	lru->shape = p + n;
	lru->n = n;
	lru->len = out->len;
	lru->used = ++m->clock;
	m->hashes[lru - m->slots] = tag;
	return 0;
}

void
shape_memo_move(shape_memo *dst, shape_memo *src)
{
	*dst = *src;
	dst->epoch++;
	memset(src, 0, sizeof(*src));
}

void
shape_memo_free(shape_memo *m)
{
	free(m->hashes);
	m->slots = NULL;
	m->hashes = NULL;
	m->ring = NULL;
}
