/* The tests' random numbers: xorshift64 from a fixed seed, so generated
 * inputs (and the counts tests assert on them) are the same on every
 * machine.  Not for anything that must be unpredictable. */
#ifndef TSBLOG_TESTS_XORSHIFT_H
#define TSBLOG_TESTS_XORSHIFT_H

#include <stdint.h>

/* A number below @n (n > 0), advancing *@state (never 0). */
static inline unsigned
xorshift_below(uint64_t *state, unsigned n)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (unsigned)(*state % n);
}

#endif
