/* What the library is, and how its allocations are given back. */
#include <stdlib.h>
#include "tsblog.h"

const char *
tsblog_version(void)
{
	return TSBLOG_VERSION;
}

void
tsblog_free(void *p)
{
	free(p);
}
