/*
 * -f: follow files as tail -F does.  Each file is polled every tenth of a
 * second (simpler than inotify and right on every file system): what was
 * added is scanned, a file shorter than what was read was truncated and is
 * read again from its start, a path that now names another file (rotation
 * by rename) is reopened once the old file is read to its end.  Each file
 * has a scanner of its own, so a line half written in one is not cut by
 * lines of another; at the end their summaries are merged into one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scan.h"

#define POLL_NS 100000000L

typedef struct {
	const char *path;       /* "-": standard input, never reopened */
	int fd;                 /* -1 while the path names no file */
	dev_t dev;
	ino_t ino;
	off_t off;
	tsblog_scanner *s;
	int said_missing, opened, binary;
} followed;

static void
open_followed(scan_state *st, followed *f)
{
	struct stat sb;

	f->fd = strcmp(f->path, "-") ? open(f->path, O_RDONLY | O_NONBLOCK) : 0;
	if (f->fd < 0) {
		if (!f->said_missing)
			print_error("%s: cannot open: %s (waiting for it)",
				    f->path, strerror(errno));
		f->said_missing = 1;
		return;
	}
	if (f->said_missing)
		print_error("%s: has appeared; following it", f->path);
	f->said_missing = 0;
	f->opened = 1;
	fstat(f->fd, &sb);
	if (!S_ISREG(sb.st_mode))
		fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) | O_NONBLOCK);
	f->dev = sb.st_dev;
	f->ino = sb.st_ino;
	f->off = 0;
	f->binary = 0;
	input_begin(st, f->s, f->path, 0);
}

static void
close_followed(scan_state *st, followed *f)
{
	tsblog_error err;

	if (f->fd < 0)
		return;
	if (input_finish(st, f->s, &err) < 0 &&
	    !scan_stopping(st)) {
		print_error("%s", err.message);
		st->trouble = 1;
	}
	if (f->fd > 0)
		close(f->fd);
	f->fd = -1;
}

/* Scan what was added since the last call. */
static void
drain(scan_state *st, followed *f)
{
	tsblog_error err;
	ssize_t n = 0;

	while (!f->binary && !scan_stopping(st) &&
	       (n = read(f->fd, st->buf, READ_CHUNK)) > 0) {
		if (!f->off && !st->o->text && memchr(st->buf, 0, (size_t)n)) {
			print_error("%s: binary input skipped (-a reads it as text)",
				    f->path);
			f->binary = 1;
		} else if (input_scan(st, f->s, st->buf, (size_t)n, &err) < 0 &&
			   !scan_stopping(st)) {
			print_error("%s", err.message);
			st->trouble = 1;
		}
		f->off += n;
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		print_error("%s: read error: %s", f->path, strerror(errno));
		st->trouble = 1;
		close_followed(st, f);
	}
}

/* Truncated, or its path now names another file (or none). */
static void
check_file(scan_state *st, followed *f)
{
	struct stat sb, now;

	if (f->fd >= 0 && fstat(f->fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size < f->off) {
		print_error("%s: file truncated; reading it from the start",
			    f->path);
		lseek(f->fd, 0, SEEK_SET);
		f->off = 0;
		input_begin(st, f->s, f->path, 0);
	}
	if (!strcmp(f->path, "-"))
		return;
	if (stat(f->path, &now) < 0) {
		if (f->fd >= 0 && !f->said_missing) {
			print_error("%s: gone; waiting for it to reappear",
				    f->path);
			f->said_missing = 1;
		}
		return;
	}
	if (f->fd >= 0 && now.st_dev == f->dev && now.st_ino == f->ino)
		return;
	if (f->fd >= 0) {
		drain(st, f);
		close_followed(st, f);
		print_error("%s: replaced; following the new file", f->path);
		f->said_missing = 0;
	}
	open_followed(st, f);
	if (f->fd >= 0)
		drain(st, f);
}

/* One summary document for the report out of each file's, merged by the
 * library as `tsblog summary merge` does: a problem seen in several files
 * is one problem with its counts added. */
static void
merge_summaries(scan_state *st, followed *v, int n)
{
	char **docs = calloc((size_t)n, sizeof(*docs));
	size_t *lens = calloc((size_t)n, sizeof(*lens));
	const char **names = calloc((size_t)n, sizeof(*names));
	char *out = NULL;
	tsblog_error err;
	int i, ok = docs && lens && names;

	for (i = 0; ok && i < n; i++) {
		ok = tsblog_scanner_summary_json(&docs[i], v[i].s, &err) == 0;
		if (ok) {
			lens[i] = strlen(docs[i]);
			names[i] = v[i].path;
		}
	}
	if (ok && tsblog_summary_merge(&out, (const char *const *)docs, lens,
				       names, (size_t)n, &err) < 0) {
		print_error("%s", err.message);
		st->trouble = 1;
	} else if (!ok) {
		print_error("out of memory");
		st->trouble = 1;
	} else {
		st->merged = out;
	}
	for (i = 0; docs && i < n; i++)
		tsblog_free(docs[i]);
	free(docs);
	free(lens);
	free(names);
}

void
follow_files(scan_state *st, const char *const *paths, int n)
{
	followed *v = calloc((size_t)n, sizeof(*v));
	struct timespec pause = { 0, POLL_NS };
	tsblog_error err;
	int i;

	if (!v) {
		print_error("out of memory");
		st->trouble = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		v[i].path = paths[i];
		v[i].fd = -1;
		if (tsblog_scanner_new(&v[i].s, st->rs, paths[i], st->sopts,
				       &err) < 0) {
			print_error("out of memory");
			st->trouble = 1;
			goto done;
		}
		open_followed(st, &v[i]);
		if (v[i].fd >= 0)
			drain(st, &v[i]);
	}
	while (!scan_stopping(st)) {
		nanosleep(&pause, NULL); /* Ctrl-C cuts it short */
		for (i = 0; i < n && !scan_stopping(st); i++) {
			if (v[i].fd >= 0)
				drain(st, &v[i]);
			check_file(st, &v[i]);
		}
	}
done:
	for (i = 0; i < n; i++) {
		if (!v[i].s)
			continue;
		close_followed(st, &v[i]);
		if (add_input(st, v[i].path,
			      !v[i].opened   ? INPUT_UNREADABLE
			      : v[i].binary ? INPUT_BINARY
					    : INPUT_INTERRUPTED) == 0) {
			input *in = &st->inputs.v[st->inputs.n - 1];
			in->lines = tsblog_scanner_records(v[i].s);
			in->bytes = tsblog_scanner_bytes(v[i].s);
		}
	}
	if (st->o->output != OUT_JSON && !st->o->passthrough)
		merge_summaries(st, v, n);
	for (i = 0; i < n; i++)
		tsblog_scanner_free(v[i].s);
	free(v);
}
