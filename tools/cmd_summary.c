/* tsblog summary merge: many summary documents (from nodes, files, parts
 * of an archive) into the one a scan of everything gives. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

static const char usage[] =
	"Usage: tsblog summary merge FILE...\n"
	"Merge summary documents (tsblog -o summary-json) into one on standard\n"
	"output.  Counts add up, times and first sightings are the earliest,\n"
	"sources are joined: the result does not depend on the order of the\n"
	"FILEs.  '-' reads standard input.\n";

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0, k;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			char *p = realloc(buf, cap = cap ? 2 * cap : 65536);
			if (!p) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = p;
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k);
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

static int
summary_merge(int argc, char **argv)
{
	char **docs, *out = NULL;
	size_t *lens, i, n;
	tsblog_error err;
	int rc = EXIT_CLEAN;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return EXIT_CLEAN;
	}
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_TROUBLE;
	}
	n = (size_t)argc - 1;
	docs = calloc(n, sizeof(*docs));
	lens = calloc(n, sizeof(*lens));
	if (!docs || !lens) {
		print_error("out of memory");
		return EXIT_TROUBLE;
	}
	for (i = 0; i < n && rc == EXIT_CLEAN; i++)
		if (!(docs[i] = slurp(argv[i + 1], &lens[i]))) {
			print_error("%s: %s", argv[i + 1], strerror(errno));
			rc = EXIT_TROUBLE;
		}
	if (rc == EXIT_CLEAN) {
		if (tsblog_summary_merge(&out, (const char *const *)docs, lens,
					 (const char *const *)argv + 1, n,
					 &err) < 0) {
			print_error("%s", err.message);
			rc = EXIT_TROUBLE;
		} else {
			puts(out);
			tsblog_free(out);
		}
	}
	for (i = 0; i < n; i++)
		free(docs[i]);
	free(docs);
	free(lens);
	return rc;
}

const command summary_commands[] = {
	{ "merge", summary_merge, "FILE...",
	  "summary documents (-o summary-json) merged into one", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
