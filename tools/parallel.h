/* tsblog -j N over one regular file (parallel.c). */
#ifndef TSBLOG_PARALLEL_H
#define TSBLOG_PARALLEL_H

#include <sys/types.h>
#include "cmd.h"

typedef struct {
	const tsblog_ruleset *rs;
	const tsblog_scan_options *opts;
	int fd;
	const char *name;
	off_t size;
	int jobs;
	int want_json;          /* hand emit() each diagnosis' JSON line */
	/* Called for every diagnosis in input order, with its JSON line
	 * (line number already shifted) or NULL; <0 stops with an error.
	 * Any thread may call it, one at a time. */
	int (*emit)(void *ctx, const tsblog_rule *rule, const char *json);
	/* NULL, or called like emit() with the bytes done so far. */
	void (*progress)(void *ctx, long long done);
	void *ctx;
} parallel_job;

/* 1 when the whole file was scanned: @main_scanner (reset by the caller)
 * holds its totals and summary.  0 when the caller must scan on serially
 * from byte *resume_at with @main_scanner, which holds everything before
 * it (whose diagnoses were emitted).  -1 on an error (reported). */
int scan_parallel(const parallel_job *job, tsblog_scanner *main_scanner,
		  off_t *resume_at);

#endif
