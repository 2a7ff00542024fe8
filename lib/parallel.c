/*
 * tsblog_scan_fd(): a file descriptor read through a scanner.  With
 * opts.jobs > 1 a regular file is cut at line boundaries into pieces of
 * 1-4 MiB that the threads (the caller's included) take in turn, each
 * with a scanner of its own over the one shared rule set.  Small pieces
 * handed out one at a time keep every thread busy to the end whatever the
 * pieces cost.  The calling thread merges finished pieces in input order:
 * each kept diagnosis gets its line in the whole input and its count in
 * the summary, goes to the callback, then the piece's totals are
 * absorbed, so the callback sees what one thread would have shown it.
 * At most a window of pieces is in flight, so memory stays bounded however
 * big the file.
 *
 * The first MiB is read on the calling thread: when a describe section,
 * events table or JSON document is still open at its end, the input is
 * read serially from there (a `kubectl get events` table runs to the end
 * of its file).  Later, a piece whose scanner does not end at rest, that
 * met a malformed document or that starts with a BOM stops the sharing:
 * everything before it is merged, and the rest is read serially from
 * that piece's first byte, so the state that runs across the cut and the
 * message's line number come out right.
 *
 * The shape table keeps the first MAX_SHAPES shapes of the whole input.
 * A piece's own table that overflowed lost the counts of shapes it met
 * after it was full, which the whole input may keep: that piece is
 * scanned again counting only the shapes the whole input keeps, which
 * are known from then on, and later pieces count only those too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scanner.h"

/* What one read copies out of the page cache: small enough to be scanned
 * while still in the core's cache.  (Scanning each read in parts of 16 or
 * 32 KiB, so that every search over a part finds it in L1, cost 1.04x:
 * the searches restart more often than the cache misses they save.) */
#define READ_SIZE (256 * 1024)
#define PIECE_MIN (1024 * 1024)
#define PIECE_MAX (4 * 1024 * 1024)

typedef struct {
	int done;               /* scanned, waiting to be merged */
	int serial;             /* must be read again serially */
	int at_rest;
	off_t from, to;
	const strmap *allow;    /* the shapes it was scanned for, or NULL */
	tsblog_scanner *s;      /* made on first use, then cleared */
	diag_list found;
} slot;

/* What a thread keeps for itself across the pieces it scans: its read
 * buffer, and the memo of message shapes, lent to the scanner of each
 * piece.  A memo per slot instead filled as many memos as slots, each
 * cold in the cache of whichever thread took the slot next. */
typedef struct {
	char *buf;
	shape_memo *memo;
	/* TSBLOG_SCAN_FIRST_SIGHTINGS: the problems this thread met in its
	 * pieces so far (scanner.h's seen), all before the next piece it
	 * takes, since pieces are taken in order; NULL for none. */
	strmap *seen;
} lane;

typedef struct {
	tsblog_scanner *main;
	const tsblog_ruleset *rs;       /* main's, read by every thread */
	const tsblog_scan_options *opts;
	const char *source;
	int bom_is_text;        /* main has read lines of this input */
	int fd;
	off_t start, end;       /* what of the file is to be read */
	off_t piece;            /* nominal piece size */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	slot *slots;
	long long nslots, npieces, next, merged;  /* handed out, merged */
	int stop;
	int frozen;             /* kept is final, read by every thread */
	int memo_huge;          /* main's memo's huge, for the threads' */
	strmap kept;            /* the shapes the whole input keeps */
} pool;

static int
io_err(const tsblog_scanner *s, tsblog_error *err)
{
	err_where w = { s->source, NULL, 0 };

	err_raise(err, TSBLOG_EIO, &w, NO_POS, NULL, NULL, "%s",
		  strerror(errno));
	return TSBLOG_EIO;
}

/* The first line start after @at (past the first newline at or after it). */
static off_t
line_start_after(int fd, off_t at, off_t end)
{
	char buf[4096];

	while (at < end) {
		ssize_t n = pread(fd, buf, sizeof(buf), at);
		char *nl;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return end;
		nl = memchr(buf, '\n', (size_t)n);
		if (nl)
			return at + (nl - buf) + 1;
		at += n;
	}
	return end;
}

/* A piece's scan callback: keep each diagnosis for the merge. */
static int
keep(tsblog_scan_what what, const tsblog_diagnosis *d,
     const tsblog_error *event, void *payload)
{
	slot *sl = payload;

	(void)event;
	/* A malformed event's message would carry a line number of the
	 * piece: read serially.  So, too, without memory for a copy: the
	 * serial scan needs less, and says so itself if that fails too. */
	if (what == TSBLOG_SCAN_MALFORMED || diag_list_add(&sl->found, d) < 0) {
		sl->serial = 1;
		return TSBLOG_ABORT;
	}
	return TSBLOG_CONTINUE;
}

/* Read piece @k into its slot's scanner, made ready by scan_piece(). */
static void
scan_lent(pool *p, slot *sl, long long k, char *buf)
{
	off_t at;

	for (at = sl->from; at < sl->to;) {
		size_t want = sl->to - at < READ_SIZE ? (size_t)(sl->to - at)
						      : READ_SIZE;
		ssize_t n = pread(p->fd, buf, want, at);
		if (n < 0 && errno == EINTR)
			continue;
		/* A read error: the serial read says what it is.  A BOM is
		 * stripped only from an input's first line: one at a cut
		 * (files concatenated) is read as one thread reads it. */
		if (n <= 0 || ((k || p->bom_is_text) && at == sl->from &&
			       n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))) {
			sl->serial = 1;
			return;
		}
		at += n;
		/* A long compact list is read as one line of any length:
		 * its diagnoses would pile up here, so it is read serially. */
		if (tsblog_scanner_scan(sl->s, buf, (size_t)n, keep, sl,
					NULL) < 0 ||
		    sl->s->carry_stream) {
			sl->serial = 1;
			return;
		}
	}
	/* Before finishing, which would close an open document. */
	sl->at_rest = scanner_at_rest(sl->s);
	if (tsblog_scanner_finish(sl->s, keep, sl, NULL) < 0)
		sl->serial = 1;
}

static void
swap_seen(strmap *a, strmap *b)
{
	strmap t = *a;

	*a = *b;
	*b = t;
}

/* Scan piece @k into slot @sl on the thread that owns @ln; sl->serial
 * says when it must be read serially instead. */
static void
scan_piece(pool *p, slot *sl, long long k, const lane *ln)
{
	/* The cuts depend only on k, so neighbours agree on them. */
	sl->from = k ? line_start_after(p->fd, p->start + p->piece * k, p->end)
		     : p->start;
	sl->to = k == p->npieces - 1
			 ? p->end
			 : line_start_after(p->fd, p->start + p->piece * (k + 1),
					    p->end);
	sl->at_rest = sl->serial = 0;
	/* Cleared, not made anew: a new scanner costs a JIT stack mapped
	 * and unmapped, which dwarfs a small piece. */
	if (sl->s ? scanner_clear(sl->s, p->source) < 0
		  : tsblog_scanner_new(&sl->s, p->rs, p->source, p->opts,
				       NULL) < 0) {
		sl->serial = 1;
		return;
	}
	sl->s->problems_at_merge = 1;
	sl->s->sm.allow = sl->allow;
	sl->s->sm.raw_examples = 1;
	shape_memo_free(&sl->s->sm.memo);
	shape_memo_move(&sl->s->sm.memo, ln->memo);
	if (ln->seen)
		swap_seen(&sl->s->seen, ln->seen);
	scan_lent(p, sl, k, ln->buf);
	if (ln->seen)
		swap_seen(&sl->s->seen, ln->seen);
	shape_memo_move(ln->memo, &sl->s->sm.memo);
}

/* Hand piece @sl's diagnoses to @cb with their place in the whole input,
 * then absorb its totals.  0 or <0. */
static int
merge(pool *p, slot *sl, tsblog_scan_cb cb, void *payload,
      tsblog_error *err)
{
	tsblog_scanner *m = p->main;
	size_t i;
	int rc;

	for (i = 0; i < sl->found.n; i++) {
		tsblog_diagnosis d;
		diag_list_get(&sl->found, i, &d);
		d.source = m->source;
		if (d.line)
			d.line += m->line_no;
		rc = m->summarise ? summary_add(&m->sm, &d) : 0;
		if (rc < 0)
			return err_nomem(err);
		/* With first_only, the whole input's first sightings: a
		 * piece's partial ones never are. */
		if (m->first_only && (d.partial || !rc))
			continue;
		if (cb && cb(TSBLOG_SCAN_DIAGNOSIS, &d, NULL, payload) !=
				  TSBLOG_CONTINUE)
			return scanner_stopped(err);
	}
	rc = scanner_absorb(m, sl->s, err);
	if (rc == 0 && cb &&
	    cb(TSBLOG_SCAN_PROGRESS, NULL, NULL, payload) != TSBLOG_CONTINUE)
		rc = scanner_stopped(err);
	return rc;
}

/* Piece @k's shape counts made whole (see the top); 0 or <0. */
static int
settle(pool *p, slot *sl, long long k, const lane *ln, tsblog_error *err)
{
	const summary *m = &p->main->sm;
	lane again;

	if (!p->main->summarise || sl->allow || !sl->s->sm.shapes_dropped)
		return 0;
	if (!p->frozen) {
		if (summary_kept_shapes(m, &sl->s->sm, &p->kept) < 0)
			return err_nomem(err);
		pthread_mutex_lock(&p->mu);
		p->frozen = 1;
		pthread_mutex_unlock(&p->mu);
	}
	/* With nothing before it, the piece's first shapes are the kept
	 * ones and their counts are whole. */
	if (!m->nshapes)
		return 0;
	diag_list_clear(&sl->found);
	sl->allow = &p->kept;
	/* This thread may have taken pieces after this one: what they saw
	 * is not before it. */
	again = *ln;
	again.seen = NULL;
	scan_piece(p, sl, k, &again);
	return 0;
}

/* The next piece to scan, if the window has room for it (lock held). */
static int
take(pool *p, long long *k)
{
	if (p->stop || p->next >= p->npieces ||
	    p->next >= p->merged + p->nslots)
		return 0;
	*k = p->next++;
	return 1;
}

/* Scan piece @k outside the lock (held on entry and on return). */
static void
scan_unlocked(pool *p, long long k, const lane *ln)
{
	slot *sl = &p->slots[k % p->nslots];

	sl->allow = p->frozen ? &p->kept : NULL;
	pthread_mutex_unlock(&p->mu);
	scan_piece(p, sl, k, ln);
	pthread_mutex_lock(&p->mu);
	sl->done = 1;
	pthread_cond_broadcast(&p->cv);
}

static void *
worker(void *arg)
{
	pool *p = arg;
	shape_memo memo = { .huge = p->memo_huge };
	strmap seen = { 0 };
	lane ln = { malloc(READ_SIZE), &memo, &seen };
	long long k;

	pthread_mutex_lock(&p->mu);
	while (ln.buf && !p->stop && p->next < p->npieces) {
		if (take(p, &k))
			scan_unlocked(p, k, &ln);
		else
			pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	free(ln.buf);
	shape_memo_free(&memo);
	strmap_free(&seen);
	return NULL;
}

/* The calling thread: merge the next piece in order as soon as it is
 * done, else scan one, else wait.  Merging happens outside the lock: the
 * slot of the next piece to merge is reused only after it is merged. */
static int
run(pool *p, const lane *ln, tsblog_scan_cb cb, void *payload,
    tsblog_error *err, off_t *resume_at)
{
	long long k;
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->merged < p->npieces) {
		slot *sl = &p->slots[p->merged % p->nslots];
		if (sl->done) {
			/* The piece that reads to the end: later ones are empty
			 * when the input's last line has no newline and holds
			 * their cuts.  Its scanner has finished that line. */
			int last = sl->to == p->end;
			pthread_mutex_unlock(&p->mu);
			if (sl->serial || (!last && !sl->at_rest))
				*resume_at = sl->from;
			else if ((rc = settle(p, sl, p->merged, ln, err)) == 0) {
				if (sl->serial)
					*resume_at = sl->from;
				else
					rc = merge(p, sl, cb, payload, err);
			}
			pthread_mutex_lock(&p->mu);
			diag_list_clear(&sl->found);
			sl->done = 0;
			p->merged++;
			p->stop = rc < 0 || *resume_at >= 0;
			pthread_cond_broadcast(&p->cv);
		} else if (take(p, &k)) {
			scan_unlocked(p, k, ln);
		} else {
			pthread_cond_wait(&p->cv, &p->mu);
		}
	}
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
scan_pieces(tsblog_scanner *s, int fd, off_t start, off_t end, char *buf,
	    tsblog_scan_cb cb, void *payload, tsblog_error *err,
	    off_t *resume_at)
{
	pool p;
	lane ln;
	strmap seen = { 0 };
	pthread_t *tids;
	char *own = NULL;
	long long n, i, started = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	*resume_at = start;     /* unless the pool gets going */
	p.main = s;
	p.rs = s->m.rs;
	p.opts = &s->opts;
	p.source = s->source;
	p.bom_is_text = s->line_no > 0;
	/* Read before main's memo is lent to a piece (and so emptied). */
	p.memo_huge = s->sm.memo.huge;
	p.fd = fd;
	p.start = start;
	p.end = end;
	/* Several pieces per thread, so a slow one is made up for. */
	n = s->opts.jobs;
	p.piece = (end - start) / (n * 8);
	p.piece = p.piece < PIECE_MIN ? PIECE_MIN
		  : p.piece > PIECE_MAX ? PIECE_MAX : p.piece;
	p.npieces = (end - start + p.piece - 1) / p.piece;
	if (n > p.npieces)
		n = p.npieces;
	if (n < 2)
		return 0;
	p.nslots = 2 * n;
	p.slots = calloc((size_t)p.nslots, sizeof(*p.slots));
	tids = calloc((size_t)n, sizeof(*tids));
	if (!buf)
		buf = own = malloc(READ_SIZE);
	if (!p.slots || !tids || !buf || pthread_mutex_init(&p.mu, NULL)) {
		free(p.slots);
		free(tids);
		free(own);
		return 0;
	}
	if (pthread_cond_init(&p.cv, NULL)) {
		pthread_mutex_destroy(&p.mu);
		free(p.slots);
		free(tids);
		free(own);
		return 0;
	}
	*resume_at = -1;
	/* Threads that cannot be made leave their share to the others. */
	for (i = 1; i < n && !pthread_create(&tids[i], NULL, worker, &p); i++)
		started = i;
	/* The main scanner shapes nothing while the pieces go on: its memo
	 * is this thread's. */
	ln.buf = buf;
	ln.memo = &s->sm.memo;
	ln.seen = &seen;
	rc = run(&p, &ln, cb, payload, err, resume_at);
	strmap_free(&seen);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < p.nslots; i++) {
		diag_list_free(&p.slots[i].found);
		tsblog_scanner_free(p.slots[i].s);
	}
	strmap_free(&p.kept);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(p.slots);
	free(tids);
	free(own);
	return rc;
}

/* Read @fd from its offset through @s, one block at a time into @buf
 * (READ_SIZE bytes): @limit bytes of it, or (@limit < 0) all of it, and
 * then finish the input. */
static int
scan_serially(tsblog_scanner *s, int fd, off_t limit, char *buf,
	      tsblog_scan_cb cb, void *payload, tsblog_error *err)
{
	int rc = 0;

	for (;;) {
		size_t want = limit >= 0 && limit < READ_SIZE ? (size_t)limit
							      : READ_SIZE;
		ssize_t n = want ? read(fd, buf, want) : 0;
		if (n < 0 && errno != EINTR) {
			rc = io_err(s, err);
			break;
		}
		if (n == 0) {
			if (limit < 0)
				rc = tsblog_scanner_finish(s, cb, payload,
							   err);
			break;
		}
		if (n > 0 && limit >= 0)
			limit -= n;
		/* A signal (Ctrl-C on a pipe that stays open) is a chance
		 * to stop too. */
		if (n > 0)
			rc = tsblog_scanner_scan(s, buf, (size_t)n, cb,
						 payload, err);
		if (rc == 0 && cb &&
		    cb(TSBLOG_SCAN_PROGRESS, NULL, NULL, payload) !=
			    TSBLOG_CONTINUE)
			rc = scanner_stopped(err);
		if (rc < 0)
			break;
	}
	return rc;
}

/* tsblog_scan_fd() with its read buffer, @buf. */
static int
scan_fd(tsblog_scanner *s, int fd, char *buf, tsblog_scan_cb cb,
	void *payload, tsblog_error *err)
{
	struct stat sb;
	off_t at = 0, first, resume_at;
	int rc, file;

	file = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	       (at = lseek(fd, 0, SEEK_CUR)) >= 0;
	/* Enough to fill the shape memo (limits.h). */
	if (file && sb.st_size - at >= SHAPE_MEMO_HUGE_INPUT)
		s->sm.memo.huge = 1;
	/* Pieces only where they can be cut and read with pread: a
	 * regular file, with this input between records. */
	if (s->opts.jobs < 2 || s->finished || !scanner_at_rest(s) || !file ||
	    sb.st_size - at <= PIECE_MIN)
		return scan_serially(s, fd, -1, buf, cb, payload, err);
	/* The first piece on this thread: an input that opens an events
	 * table, a describe section or a document there and keeps it open
	 * (kubectl get events, a whole file of it) cannot be cut, so no
	 * thread scans a piece only to have it scanned again. */
	first = line_start_after(fd, at + PIECE_MIN, sb.st_size);
	rc = scan_serially(s, fd, first - at, buf, cb, payload, err);
	if (rc < 0)
		return rc;
	if (!scanner_at_rest(s) || lseek(fd, 0, SEEK_CUR) != first ||
	    sb.st_size - first <= PIECE_MIN)
		return scan_serially(s, fd, -1, buf, cb, payload, err);
	rc = scan_pieces(s, fd, first, sb.st_size, buf, cb, payload, err,
			 &resume_at);
	if (rc < 0)
		return rc;
	if (lseek(fd, resume_at >= 0 ? resume_at : sb.st_size, SEEK_SET) < 0)
		return io_err(s, err);
	if (resume_at < 0)
		return tsblog_scanner_finish(s, cb, payload, err);
	return scan_serially(s, fd, -1, buf, cb, payload, err);
}

int
tsblog_scan_fd(tsblog_scanner *s, int fd, tsblog_scan_cb cb, void *payload,
	       tsblog_error *err)
{
	char *buf;
	int rc;

	if (!s || fd < 0) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_scan_fd: %s", s ? "bad descriptor"
						  : "NULL argument");
		return TSBLOG_EINVAL;
	}
	/* One read buffer for the whole input, lent to the pieces read on
	 * this thread: a buffer made anew is pages touched anew, each a
	 * page fault (~11 us each on the bench's VM; 64 to a buffer). */
	if (!(buf = malloc(READ_SIZE)))
		return err_nomem(err);
	rc = scan_fd(s, fd, buf, cb, payload, err);
	free(buf);
	return rc;
}
