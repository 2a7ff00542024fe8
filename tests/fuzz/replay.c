/*
 * Replay fuzz inputs without libFuzzer: the seed corpora and every saved
 * regression input go through the same LLVMFuzzerTestOneInput() the
 * fuzzers run, in the normal test suite (and so under ASan/UBSan in CI's
 * sanitizer build, and under valgrind with --setup valgrind).
 *
 *   fuzz-replay TARGET:PATH [TARGET:PATH ...]
 *
 * TARGET is rules, scanner, events, prefilter, envelope or redact; PATH a file
 * or a directory (its files, not recursing; dot files skipped; a missing
 * directory is skipped).  Each input runs in a child process, so every failing input
 * is named (FUZZ_REPLAY_NOFORK=1 runs them in-process, for a debugger),
 * and gets FUZZ_REPLAY_TIMEOUT seconds (default 60): a hang is a
 * failure.  Each input is copied so that it ends right before an
 * unreadable page: reading one byte past the input faults even without
 * a sanitizer, as it would under libFuzzer with ASan.  Fails if no input
 * at all was run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DECLARE_TARGET(t)                                                   \
	int fuzz_##t##_input(const uint8_t *data, size_t size);             \
	int fuzz_##t##_init(int *argc, char ***argv);
DECLARE_TARGET(rules)
DECLARE_TARGET(scanner)
DECLARE_TARGET(events)
DECLARE_TARGET(prefilter)
DECLARE_TARGET(envelope)
DECLARE_TARGET(redact)

static const struct {
	const char *name;
	int (*init)(int *, char ***);
	int (*input)(const uint8_t *, size_t);
} targets[] = {
	{ "rules", fuzz_rules_init, fuzz_rules_input },
	{ "scanner", fuzz_scanner_init, fuzz_scanner_input },
	{ "events", fuzz_events_init, fuzz_events_input },
	{ "prefilter", fuzz_prefilter_init, fuzz_prefilter_input },
	{ "envelope", fuzz_envelope_init, fuzz_envelope_input },
	{ "redact", fuzz_redact_init, fuzz_redact_input },
};
#define NTARGETS (sizeof(targets) / sizeof(*targets))

static long page;
static int nofork;      /* FUZZ_REPLAY_NOFORK=1: run inputs in-process */
static size_t failed;
static unsigned input_timeout = 60; /* seconds; FUZZ_REPLAY_TIMEOUT */

/* Run one file, placed flush against a PROT_NONE page. */
static int
run_file(size_t t, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	size_t size, span;
	uint8_t *map, *data;
	pid_t pid;
	int status;

	if (!fp || fstat(fileno(fp), &st) < 0) {
		fprintf(stderr, "fuzz-replay: %s: %s\n", path, strerror(errno));
		if (fp)
			fclose(fp);
		return -1;
	}
	size = (size_t)st.st_size;
	span = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
	map = mmap(NULL, span + (size_t)page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED ||
	    mprotect(map + span, (size_t)page, PROT_NONE) < 0) {
		fprintf(stderr, "fuzz-replay: mmap: %s\n", strerror(errno));
		fclose(fp);
		return -1;
	}
	data = map + span - size;
	if (size && fread(data, 1, size, fp) != size) {
		fprintf(stderr, "fuzz-replay: %s: short read\n", path);
		fclose(fp);
		munmap(map, span + (size_t)page);
		return -1;
	}
	fclose(fp);
	fprintf(stderr, "fuzz-replay: %s %s (%zu bytes)\n", targets[t].name,
		path, size);
	if (nofork) {
		/* A failed check aborts: the log ends with this name. */
		alarm(input_timeout);
		targets[t].input(data, size);
		alarm(0);
		munmap(map, span + (size_t)page);
		return 0;
	}
	/* One child per input, so that one failure does not hide the
	 * others; exit() (not _exit) so leak checkers run in the child. */
	pid = fork();
	if (pid == 0) {
		/* A hang is a failure too (libFuzzer's -timeout). */
		alarm(input_timeout);
		targets[t].input(data, size);
		exit(0);
	}
	munmap(map, span + (size_t)page);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fprintf(stderr, "fuzz-replay: fork: %s\n", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		fprintf(stderr, "fuzz-replay: FAILED %s %s: signal %d\n",
			targets[t].name, path, WTERMSIG(status));
	else
		fprintf(stderr, "fuzz-replay: FAILED %s %s: exit status %d\n",
			targets[t].name, path, WEXITSTATUS(status));
	failed++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of a directory in name order, so runs are reproducible. */
static int
run_dir(size_t t, const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!p)
			abort();
		sprintf(p, "%s/%s", dir, e->d_name);
		names[n++] = p;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (rc == 0 && run_file(t, names[i]) < 0)
			rc = -1;
		else if (rc == 0)
			(*count)++;
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	int inited[NTARGETS] = { 0 };
	size_t count = 0;
	int i;

	page = sysconf(_SC_PAGESIZE);
	nofork = getenv("FUZZ_REPLAY_NOFORK") != NULL;
	if (getenv("FUZZ_REPLAY_TIMEOUT"))
		input_timeout = (unsigned)atoi(getenv("FUZZ_REPLAY_TIMEOUT"));
	for (i = 1; i < argc; i++) {
		const char *colon = strchr(argv[i], ':');
		struct stat st;
		size_t t;

		for (t = 0; colon && t < NTARGETS; t++)
			if (strlen(targets[t].name) == (size_t)(colon - argv[i]) &&
			    !strncmp(argv[i], targets[t].name,
				     (size_t)(colon - argv[i])))
				break;
		if (!colon || t == NTARGETS) {
			fprintf(stderr, "usage: fuzz-replay TARGET:PATH ...\n");
			return 2;
		}
		if (!inited[t]) {
			targets[t].init(&argc, &argv);
			inited[t] = 1;
		}
		if (stat(colon + 1, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(t, colon + 1) < 0)
				return 1;
			count++;
		} else if (run_dir(t, colon + 1, &count) < 0) {
			fprintf(stderr, "fuzz-replay: %s: %s\n", colon + 1,
				strerror(errno));
			return 1;
		}
	}
	if (failed) {
		fprintf(stderr, "fuzz-replay: %zu of %zu inputs FAILED\n",
			failed, count);
		return 1;
	}
	fprintf(stderr, "fuzz-replay: %zu inputs, all passed\n", count);
	return count ? 0 : 1;
}
