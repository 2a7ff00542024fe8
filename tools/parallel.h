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
	 * (line number already shifted) or NULL; <0 stops with an error. */
	int (*emit)(void *ctx, const tsblog_rule *rule, const char *json);
	void *ctx;
} parallel_job;

/* 1 when the file was scanned and @main_scanner holds its totals and
 * summary; 0 when it must be scanned serially instead (nothing was
 * emitted); -1 on an error (reported). */
int scan_parallel(const parallel_job *job, tsblog_scanner *main_scanner);

#endif
