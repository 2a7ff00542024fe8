/* Levels: see level.h.  Adding a word here is all it takes: the scanner
 * reads levels from envelopes through level_name(). */
#include <string.h>
#include "level.h"

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

int
level_warn(const char *level)
{
	if (!level)
		return 0;
	/* The vocabulary's levels differ in their first letter, so one
	 * comparison decides (the fast path asks it of every line). */
	switch (level[0]) {
	case 'w': return !strcmp(level, "warn");
	case 'e': return !strcmp(level, "error");
	case 'f': return !strcmp(level, "fatal");
	case 'p': return !strcmp(level, "panic");
	default: return 0;
	}
}
