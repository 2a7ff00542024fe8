/*
 * tsblog -j N: one regular file, cut at line boundaries into pieces of a
 * few MiB that N threads (this one included) take in turn, each with a
 * scanner of its own over the one shared rule set.  Small pieces handed
 * out one at a time keep both cores busy to the end whatever the pieces
 * cost; whoever finishes the next piece in input order merges it
 * (diagnoses with their line numbers shifted, the summary absorbed) and
 * any finished ones after it, so the output streams in input order and
 * equals what -j 1 prints.  At most a window of pieces is in flight, so
 * memory stays bounded however big the file.
 *
 * A piece whose scanner does not end at rest (a describe section, events
 * table or JSON document runs across the cut), that met a malformed
 * document or that starts with a BOM stops the sharing: everything before it is already merged and
 * the caller scans serially from that piece's first byte, so the state
 * that runs across the cut and the message's line number come out right.
 */
#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parallel.h"

/* Read size: what a thread copies out of the page cache at a time; small
 * enough to be scanned while still in the core's cache. */
#define READ_SIZE (256 * 1024)
#define PIECE_MIN (1024 * 1024)
#define PIECE_MAX (4 * 1024 * 1024)

typedef struct {
	const char *json;       /* NULL unless collecting JSON */
	const tsblog_rule *rule;
} found;

typedef struct {
	int done;               /* scanned, waiting to be merged */
	off_t from, to;
	tsblog_scanner *s;
	found *found;
	size_t nfound, capfound;
	int at_rest, trouble, nomem;
} slot;

typedef struct {
	const parallel_job *job;
	tsblog_scanner *main;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	slot *slots;
	long nslots;
	long long npieces, next, merged;  /* pieces handed out, merged */
	off_t piece;                      /* nominal piece size */
	uint64_t offset;                  /* lines merged so far */
	int stop, rc;
	off_t resume_at;
} pool;

static void
slot_clear(slot *sl)
{
	size_t k;

	for (k = 0; k < sl->nfound; k++)
		tsblog_free((char *)sl->found[k].json);
	sl->nfound = 0;
}

static int
collect(slot *sl, int want_json)
{
	const tsblog_diagnosis *d;
	tsblog_error err;
	int rc;

	while ((rc = tsblog_scanner_next(sl->s, &d, &err)) != 0) {
		found *f;
		char *json = NULL;
		if (rc < 0) {
			/* A malformed document: its message would carry a
			 * line number of this piece; the caller rescans. */
			sl->trouble = 1;
			if (rc != TSBLOG_ESYNTAX)
				return -1;
			continue;
		}
		if (sl->nfound == sl->capfound) {
			size_t cap = sl->capfound ? sl->capfound * 2 : 64;
			found *p = realloc(sl->found, cap * sizeof(*p));
			if (!p)
				return -1;
			sl->found = p;
			sl->capfound = cap;
		}
		if (want_json && tsblog_diagnosis_to_json(&json, d, &err) < 0)
			return -1;
		f = &sl->found[sl->nfound++];
		f->json = json;
		f->rule = tsblog_diagnosis_rule(d);
	}
	return 0;
}

/* The first line start at or after @at. */
static off_t
line_start_after(int fd, off_t at, off_t size)
{
	char buf[4096];

	while (at < size) {
		ssize_t n = pread(fd, buf, sizeof(buf), at);
		char *nl;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return size;
		nl = memchr(buf, '\n', (size_t)n);
		if (nl)
			return at + (nl - buf) + 1;
		at += n;
	}
	return size;
}

static void
scan_piece(pool *p, slot *sl, long long k, char *buf)
{
	const parallel_job *job = p->job;
	tsblog_error err;
	off_t at;

	/* The cuts depend only on k, so neighbours agree on them. */
	sl->from = k ? line_start_after(job->fd, p->piece * k, job->size) : 0;
	sl->to = k == p->npieces - 1
			 ? job->size
			 : line_start_after(job->fd, p->piece * (k + 1), job->size);
	sl->at_rest = sl->trouble = sl->nomem = 0;
	/* A slot's scanner is cleared, not made anew: a new one costs a
	 * JIT stack mapped and unmapped, which dwarfs a small piece. */
	if (sl->s ? tsblog_scanner_clear(sl->s, job->name) < 0
		  : tsblog_scanner_new(&sl->s, job->rs, job->name, job->opts,
				       &err) < 0) {
		sl->nomem = 1;
		return;
	}
	for (at = sl->from; at < sl->to;) {
		size_t want = sl->to - at < READ_SIZE ? (size_t)(sl->to - at)
						      : READ_SIZE;
		ssize_t n = pread(job->fd, buf, want, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sl->trouble = 1;        /* the serial read says why */
			return;
		}
		/* A BOM is only stripped from an input's first line: one at
		 * a cut (files concatenated) must be read as -j 1 reads it. */
		if (k && at == sl->from && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
			sl->trouble = 1;
			return;
		}
		at += n;
		if (tsblog_scanner_feed(sl->s, buf, (size_t)n, &err) < 0 ||
		    collect(sl, job->want_json) < 0) {
			sl->nomem = 1;
			return;
		}
	}
	/* Before finish(): an open document would be closed by it. */
	sl->at_rest = tsblog_scanner_at_rest(sl->s);
	tsblog_scanner_end(sl->s, &err);
	if (collect(sl, job->want_json) < 0)
		sl->nomem = 1;
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

/* Merge piece @k (finished, next in order) into the output.  Called with
 * the lock held, so emit() and the main scanner see one thread at a time. */
static void
merge(pool *p, long long k, slot *sl)
{
	const parallel_job *job = p->job;
	tsblog_error err;
	size_t i;

	/* Out of memory in a piece: the serial scan needs less, and says so
	 * itself if that fails too. */
	if (sl->nomem || sl->trouble || (k < p->npieces - 1 && !sl->at_rest)) {
		if (getenv("TSBLOG_DEBUG"))
			fprintf(stderr, "tsblog: %s: piece at byte %lld did not end at rest; scanning on serially from there\n",
				job->name, (long long)sl->from);
		p->resume_at = sl->from;
		p->stop = 1;
		return;
	}
	for (i = 0; i < sl->nfound && p->rc == 0; i++) {
		char *shifted = NULL;
		const char *json = sl->found[i].json;
		if (json && p->offset) {
			shifted = shift_line(json, p->offset);
			if (!shifted) {
				p->rc = -1;
				break;
			}
			json = shifted;
		}
		if (job->emit(job->ctx, sl->found[i].rule, json) < 0)
			p->rc = -1;
		free(shifted);
	}
	p->offset += tsblog_scanner_records(sl->s);
	if (tsblog_scanner_absorb(p->main, sl->s, &err) < 0)
		p->rc = -1;
	if (p->rc < 0)
		p->stop = 1;
	else if (job->progress)
		job->progress(job->ctx, (long long)sl->to);
}

static void *
worker(void *arg)
{
	pool *p = arg;
	char *buf = malloc(READ_SIZE);

	pthread_mutex_lock(&p->mu);
	for (;;) {
		long long k;
		slot *sl;
		while (!p->stop && p->next < p->npieces &&
		       p->next >= p->merged + p->nslots)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next >= p->npieces || !buf)
			break;        /* (no buffer: the others go on) */
		k = p->next++;
		sl = &p->slots[k % p->nslots];
		pthread_mutex_unlock(&p->mu);

		scan_piece(p, sl, k, buf);

		pthread_mutex_lock(&p->mu);
		sl->done = 1;
		while (!p->stop &&
		       (sl = &p->slots[p->merged % p->nslots])->done) {
			merge(p, p->merged, sl);
			slot_clear(sl);
			sl->done = 0;
			p->merged++;
		}
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	free(buf);
	return NULL;
}

int
scan_parallel(const parallel_job *job, tsblog_scanner *main_scanner,
	      off_t *resume_at)
{
	pool p;
	pthread_t *tids;
	int n = job->jobs, i, started = 0;
	long k;

	memset(&p, 0, sizeof(p));
	p.job = job;
	p.main = main_scanner;
	p.resume_at = -1;
	/* Several pieces per thread, so a slow one is made up for. */
	p.piece = job->size / ((off_t)n * 8);
	p.piece = p.piece < PIECE_MIN ? PIECE_MIN
		  : p.piece > PIECE_MAX ? PIECE_MAX : p.piece;
	p.npieces = (job->size + p.piece - 1) / p.piece;
	p.nslots = 2L * n;
	p.slots = calloc((size_t)p.nslots, sizeof(*p.slots));
	tids = calloc((size_t)n, sizeof(*tids));
	if (!p.slots || !tids || pthread_mutex_init(&p.mu, NULL) != 0) {
		free(p.slots);
		free(tids);
		*resume_at = 0;         /* serially, then */
		return 0;
	}
	if (pthread_cond_init(&p.cv, NULL) != 0) {
		pthread_mutex_destroy(&p.mu);
		free(p.slots);
		free(tids);
		*resume_at = 0;
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (pthread_create(&tids[i], NULL, worker, &p) != 0)
			break;
		started = i;
	}
	worker(&p);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	/* Threads that could not get going leave pieces unscanned. */
	if (p.rc == 0 && !p.stop && p.merged < p.npieces)
		p.resume_at = p.merged ? line_start_after(job->fd,
							   p.piece * p.merged,
							   job->size)
				       : 0;
	for (k = 0; k < p.nslots; k++) {
		slot_clear(&p.slots[k]);
		free(p.slots[k].found);
		tsblog_scanner_free(p.slots[k].s);
	}
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(p.slots);
	free(tids);
	if (p.rc < 0) {
		die_msg("%s: out of memory", job->name);
		return -1;
	}
	if (p.resume_at >= 0) {
		*resume_at = p.resume_at;
		return 0;
	}
	return 1;
}
