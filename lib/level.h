/* Levels (level.c): the one vocabulary a record's level is given in
 * (debug info warn error fatal panic, as static strings), and everything
 * the library knows about the words that spell them. */
#ifndef TSBLOG_LEVEL_H
#define TSBLOG_LEVEL_H

#include <stddef.h>

/* The level a logger's word means (any case), or NULL. */
const char *level_name(const char *p, size_t n);
/* The level of a klog line's first letter (I W E F), or NULL. */
const char *level_klog(char letter);
/* Whether @level (NULL: none) is warn or above: what the summary counts
 * when no rule matched. */
int level_warn(const char *level);

#endif
