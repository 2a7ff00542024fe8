/* Levels: see level.h.  Adding a word here is all it takes: the scanner
 * reads levels from envelopes through level_name(). */
#include <string.h>
#include "level.h"

/* Level words as the Go loggers print them. */
static const struct {
	const char *word, *level;
} words[] = {
	{ "debug", "debug" }, { "info", "info" },
	{ "warn", "warn" }, { "warning", "warn" },
	{ "error", "error" }, { "err", "error" },
	{ "fatal", "fatal" }, { "panic", "panic" },
	{ "dpanic", "panic" }, { "critical", "fatal" },
	{ "trace", "debug" }, { "none", NULL },
};
#define NWORDS (sizeof(words) / sizeof(*words))

const char *
level_name(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < NWORDS; i++) {
		if (strlen(words[i].word) != n)
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

int
level_warn(const char *level)
{
	return level && (!strcmp(level, "warn") || !strcmp(level, "error") ||
			 !strcmp(level, "fatal") || !strcmp(level, "panic"));
}
