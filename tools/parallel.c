/*
 * tsblog -j N: one regular file, cut at line boundaries into N pieces,
 * each scanned on its own thread with its own scanner over the one shared
 * rule set.  The results are put together in input order: diagnoses with
 * their line numbers shifted, summaries absorbed piece by piece, so the
 * output is what -j 1 prints.  Where a piece does not end at rest (a
 * describe section, an events table or a JSON document runs across the
 * cut) or reported a malformed document, the whole file is scanned again
 * on one thread instead.
 */
#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parallel.h"

#define CHUNK (1024 * 1024)

typedef struct {
	const char *json;       /* NULL unless collecting JSON */
	const tsblog_rule *rule;
} found;

typedef struct {
	const tsblog_ruleset *rs;
	tsblog_scan_options opts;
	int fd, want_json;
	const char *name;
	off_t from, to;
	tsblog_scanner *s;
	found *found;
	size_t nfound, capfound;
	int at_rest, trouble, nomem;
} piece;

static int
collect(piece *pc)
{
	const tsblog_diagnosis *d;
	tsblog_error err;
	int rc;

	while ((rc = tsblog_scanner_next(pc->s, &d, &err)) != 0) {
		found *f;
		char *json = NULL;
		if (rc < 0) {
			/* A malformed document: its message would carry a
			 * line number of this piece; start over serially. */
			pc->trouble = 1;
			if (rc != TSBLOG_ESYNTAX)
				return -1;
			continue;
		}
		if (pc->nfound == pc->capfound) {
			size_t cap = pc->capfound ? pc->capfound * 2 : 64;
			found *p = realloc(pc->found, cap * sizeof(*p));
			if (!p)
				return -1;
			pc->found = p;
			pc->capfound = cap;
		}
		if (pc->want_json && tsblog_diagnosis_to_json(&json, d, &err) < 0)
			return -1;
		f = &pc->found[pc->nfound++];
		f->json = json;
		f->rule = tsblog_diagnosis_rule(d);
	}
	return 0;
}

static void *
run_piece(void *arg)
{
	piece *pc = arg;
	tsblog_error err;
	char *buf = malloc(CHUNK);
	off_t at = pc->from;

	if (!buf || tsblog_scanner_new(&pc->s, pc->rs, pc->name, &pc->opts,
				       &err) < 0) {
		pc->nomem = 1;
		free(buf);
		return NULL;
	}
	while (at < pc->to) {
		size_t want = (size_t)(pc->to - at) < CHUNK ? (size_t)(pc->to - at)
							    : CHUNK;
		ssize_t n = pread(pc->fd, buf, want, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pc->trouble = 1;
			break;
		}
		at += n;
		if (tsblog_scanner_feed(pc->s, buf, (size_t)n, &err) < 0 ||
		    collect(pc) < 0) {
			pc->nomem = 1;
			break;
		}
	}
	/* Before finish(): an open document would be closed by it. */
	pc->at_rest = tsblog_scanner_at_rest(pc->s);
	tsblog_scanner_finish(pc->s, &err);
	if (collect(pc) < 0)
		pc->nomem = 1;
	free(buf);
	return NULL;
}

/* The first line start at or after @at. */
static off_t
line_start_after(int fd, off_t at, off_t size)
{
	char buf[65536];

	while (at < size) {
		ssize_t n = pread(fd, buf, sizeof(buf), at);
		char *nl;
		if (n <= 0)
			return size;
		nl = memchr(buf, '\n', (size_t)n);
		if (nl)
			return at + (nl - buf) + 1;
		at += n;
	}
	return size;
}

/* Put a piece's line offset into a diagnosis line.  The line is the
 * library's JSON, whose keys come in a fixed order: the last ,"line": in
 * it is the top-level key (no string value can hold an unescaped quote,
 * and only "fields", which comes before it, holds names of the user's),
 * so the number after it is replaced without parsing the whole line. */
static char *
shift_line(const char *json, uint64_t offset)
{
	static const char key[] = ",\"line\":";
	const char *at = NULL, *p = json, *num;
	unsigned long long line;
	char *end, *out;
	size_t head, n;

	while ((p = strstr(p, key)))
		at = p++;
	if (!at)
		return NULL;
	num = at + sizeof(key) - 1;
	if (*num < '0' || *num > '9')
		return NULL;            /* null: no line to shift */
	line = strtoull(num, &end, 10);
	head = (size_t)(num - json);
	n = head + 24 + strlen(end) + 1;
	out = malloc(n);
	if (!out)
		return NULL;
	memcpy(out, json, head);
	snprintf(out + head, n - head, "%llu%s", line + offset, end);
	return out;
}

int
scan_parallel(const parallel_job *job, tsblog_scanner *main_scanner)
{
	piece *pcs;
	pthread_t *tids;
	int n = job->jobs, i, started = 0, ok = 1, rc = 0;
	uint64_t offset = 0;
	tsblog_error err;

	pcs = calloc((size_t)n, sizeof(*pcs));
	tids = calloc((size_t)n, sizeof(*tids));
	if (!pcs || !tids) {
		free(pcs);
		free(tids);
		return 0;
	}
	for (i = 0; i < n; i++) {
		pcs[i].rs = job->rs;
		pcs[i].opts = *job->opts;
		pcs[i].fd = job->fd;
		pcs[i].name = job->name;
		pcs[i].want_json = job->want_json;
		pcs[i].from = i ? pcs[i - 1].to : 0;
		pcs[i].to = i == n - 1 ? job->size
			    : line_start_after(job->fd,
					       job->size / n * (i + 1),
					       job->size);
		if (pcs[i].to < pcs[i].from)
			pcs[i].to = pcs[i].from;
	}
	/* Piece 0 runs here; the others on threads of their own. */
	for (i = 1; i < n; i++) {
		if (pthread_create(&tids[i], NULL, run_piece, &pcs[i]) != 0)
			break;
		started = i;
	}
	run_piece(&pcs[0]);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	if (started != n - 1)
		ok = 0;
	for (i = 0; i < n && ok; i++)
		if (pcs[i].nomem || pcs[i].trouble ||
		    (i < n - 1 && !pcs[i].at_rest))
			ok = 0;
	if (ok && tsblog_scanner_reset(main_scanner, job->name) < 0)
		ok = 0;
	for (i = 0; i < n && ok; i++) {
		size_t k;
		for (k = 0; k < pcs[i].nfound; k++) {
			char *shifted = NULL;
			const char *json = pcs[i].found[k].json;
			if (json && offset) {
				shifted = shift_line(json, offset);
				if (!shifted) {
					rc = -1;
					break;
				}
				json = shifted;
			}
			if (job->emit(job->ctx, pcs[i].found[k].rule, json) < 0)
				rc = -1;
			free(shifted);
		}
		offset += tsblog_scanner_records(pcs[i].s);
		if (tsblog_scanner_absorb(main_scanner, pcs[i].s, &err) < 0)
			rc = -1;
	}
	for (i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < pcs[i].nfound; k++)
			tsblog_free((char *)pcs[i].found[k].json);
		free(pcs[i].found);
		tsblog_scanner_free(pcs[i].s);
	}
	free(pcs);
	free(tids);
	if (!ok && getenv("TSBLOG_DEBUG"))
		fprintf(stderr, "tsblog: %s: a piece did not end at rest; scanning it serially\n",
			job->name);
	if (!ok)
		return 0;
	return rc < 0 ? -1 : 1;
}
