/*
 * The scan: each input through the library's callback scan, diagnoses to
 * the chosen output as they come, the summary at the end.  A regular file
 * goes to tsblog_scan_fd() (which uses -j threads); a pipe or terminal,
 * and --passthrough, are read here chunk by chunk so Ctrl-C and each
 * line's annotation come at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "scan.h"

#define PROGRESS_MIN (64LL * 1024 * 1024)
/* The shell's status for a command ended by SIGINT. */
#define EXIT_INTERRUPTED 130

volatile sig_atomic_t scan_interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	scan_interrupted = 1;
}

const char *
input_status_name(input_status s)
{
	static const char *const names[] = { "read", "unreadable", "binary",
					     "interrupted" };
	return names[s];
}

int
inputs_complete(const input_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].status != INPUT_READ)
			return 0;
	return 1;
}

int
add_input(scan_state *st, const char *name, input_status status)
{
	input *v = st->inputs.v;

	if (st->inputs.n == st->inputs.cap) {
		size_t cap = st->inputs.cap ? 2 * st->inputs.cap : 8;
		v = realloc(v, cap * sizeof(*v));
		if (!v)
			goto nomem;
		st->inputs.v = v;
		st->inputs.cap = cap;
	}
	memset(&v[st->inputs.n], 0, sizeof(*v));
	v[st->inputs.n].name = strdup(name);
	if (!v[st->inputs.n].name)
		goto nomem;
	v[st->inputs.n++].status = status;
	return 0;
nomem:
	print_error("out of memory");
	st->trouble = 1;
	return -1;
}

/* Whether standard output is still read.  With SIGPIPE ignored, a write
 * to a pipe whose reader is gone fails with EPIPE instead of ending us:
 * then every loop stops reading, as SIGPIPE would have stopped it, and
 * the end says so.  @ask: also ask a pipe (a poll() per block read), so
 * that a scan whose output is rare stops as soon. */
static int
output_read(scan_state *st, int ask)
{
	struct pollfd pf = { 1, POLLOUT, 0 };

	if (!st->output_gone && ferror(stdout))
		st->output_gone = errno ? errno : EIO;
	if (!st->output_gone && ask && st->out_pipe && poll(&pf, 1, 0) == 1 &&
	    (pf.revents & POLLERR))
		st->output_gone = EPIPE;
	return !st->output_gone;
}

static int
emit(scan_state *st, const tsblog_diagnosis *d)
{
	const tsblog_rule *r = tsblog_diagnosis_rule(d);
	problem_view v;

	if (!scan_keeps(st->o, r))
		return 0;
	if (tsblog_rule_severity(r) >= st->o->fail_on)
		st->failed = 1;
	if (st->o->passthrough) {
		out_annotation(&st->out, d);
	} else if (st->o->output == OUT_JSON) {
		if (out_json_line(d) < 0)
			return -1;
	} else if (st->o->output == OUT_TEXT && st->live) {
		if (tsblog_diagnosis_occurrences(d) <= tsblog_diagnosis_count(d)) {
			view_from_diagnosis(&v, d);
			out_block(&st->out, &v);
			st->last_was_repeat = 0;
		} else {
			/* On a terminal the counter line is rewritten in
			 * place rather than repeated. */
			if (st->last_was_repeat && st->out.color)
				fputs("\033[1A\r\033[K", stdout);
			out_repeat(&st->out, d);
			st->last_was_repeat = 1;
		}
	}
	if (st->live)
		fflush(stdout);
	return 0;
}

/* The progress line, at most four times a second. */
static void
progress(scan_state *st)
{
	long long done = (long long)(tsblog_scanner_bytes(st->s) - st->bytes0);
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - st->shown.tv_sec) * 1000000000L +
		    (now.tv_nsec - st->shown.tv_nsec) < 250000000L)
		return;
	st->shown = now;
	secs = (double)(now.tv_sec - st->t0.tv_sec) +
	       (double)(now.tv_nsec - st->t0.tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[Ktsblog: %3lld%%  %.0f MB/s",
		st->total ? done * 100 / st->total : 0,
		secs > 0 ? (double)done / 1e6 / secs : 0.0);
	fflush(stderr);
}

int
on_scan(tsblog_scan_what what, const tsblog_diagnosis *d,
	const tsblog_error *event, void *payload)
{
	scan_state *st = payload;

	switch (what) {
	case TSBLOG_SCAN_MALFORMED:
		/* A malformed event: say where, scan on. */
		print_error("%s", event->message);
		st->trouble = 1;
		return TSBLOG_CONTINUE;
	case TSBLOG_SCAN_PROGRESS:
		if (st->show)
			progress(st);
		output_read(st, 1);
		break;
	case TSBLOG_SCAN_DIAGNOSIS:
		if (emit(st, d) < 0) {
			st->trouble = 1;
			return TSBLOG_ABORT;
		}
		output_read(st, 0);
		break;
	}
	return scan_stopping(st) ? TSBLOG_ABORT : TSBLOG_CONTINUE;
}

/* --passthrough: a whole line out, its secrets redacted unless
 * --no-redact (--raw is about control sequences, not secrets), then what
 * it triggered. */
static int
pass_line(scan_state *st, tsblog_scanner *s, const char *p, size_t n,
	  tsblog_error *err)
{
	char *red = NULL;
	size_t red_n;
	int rc = st->redactor ? tsblog_matcher_redact(st->redactor, p, n,
						       &red, &red_n, err)
			      : 0;

	if (rc < 0)
		return rc;
	if (st->o->raw)
		fwrite(red ? red : p, 1, red ? red_n : n, stdout);
	else
		put_passthrough(stdout, red ? red : p, red ? red_n : n);
	tsblog_free(red);
	if (!output_read(st, 0))
		return TSBLOG_EUSER;
	return tsblog_scanner_scan(s, p, n, on_scan, st, err);
}

static int
pass_held(scan_state *st, tsblog_error *err)
{
	size_t n = st->held_n;

	st->held_n = 0;
	return n ? pass_line(st, st->held_s, st->held, n, err) : 0;
}

/* Lines go out whole, so the annotations come after them and a secret is
 * not cut in two; the end of a read waits for the rest of its line. */
static int
scan_passthrough(scan_state *st, tsblog_scanner *s, const char *p, size_t n,
		 tsblog_error *err)
{
	int rc = 0;

	if (st->held_s != s)
		rc = pass_held(st, err); /* -f: another file's line */
	st->held_s = s;
	while (n && rc == 0) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;
		if (nl && !st->held_n) {
			rc = pass_line(st, s, p, k, err);
		} else {
			if (st->held_n + k > st->held_cap) {
				size_t cap = st->held_n + k > PASS_HOLD
						     ? st->held_n + k
						     : PASS_HOLD;
				char *h = realloc(st->held, cap);
				if (!h) {
					snprintf(err->message,
						 sizeof(err->message),
						 "out of memory");
					return TSBLOG_ENOMEM;
				}
				st->held = h;
				st->held_cap = cap;
			}
			memcpy(st->held + st->held_n, p, k);
			st->held_n += k;
			if (nl || st->held_n >= PASS_HOLD)
				rc = pass_held(st, err);
		}
		p += k;
		n -= k;
	}
	return rc;
}

int
input_finish(scan_state *st, tsblog_scanner *s, tsblog_error *err)
{
	int rc = st->held_s == s ? pass_held(st, err) : 0;

	return rc == 0 ? tsblog_scanner_finish(s, on_scan, st, err) : rc;
}

int
input_scan(scan_state *st, tsblog_scanner *s, const char *p, size_t n,
	   tsblog_error *err)
{
	int rc = st->o->passthrough
			 ? scan_passthrough(st, s, p, n, err)
			 : tsblog_scanner_scan(s, p, n, on_scan, st, err);
	if (st->show)
		progress(st);
	if (rc == 0 && !output_read(st, 1))
		rc = TSBLOG_EUSER;
	return rc;
}

int
input_begin(scan_state *st, tsblog_scanner *s, const char *name,
	    long long size)
{
	tsblog_error err;

	clock_gettime(CLOCK_MONOTONIC, &st->t0);
	st->shown = st->t0;
	st->total = size;
	st->show = st->progress && size > PROGRESS_MIN && s == st->s;
	/* -f: a file truncated in the middle of a line */
	if (st->held_s == s && pass_held(st, &err) < 0 && !scan_stopping(st)) {
		print_error("%s", err.message);
		st->trouble = 1;
	}
	st->bytes0 = tsblog_scanner_bytes(s);
	st->records0 = tsblog_scanner_records(s);
	if (tsblog_scanner_reset(s, name) < 0) {
		print_error("out of memory");
		st->trouble = 1;
		return -1;
	}
	return 0;
}

void
input_end(scan_state *st, tsblog_scanner *s, const char *name,
	  input_status status, int rc, const tsblog_error *err)
{
	input *in;

	if (rc == TSBLOG_EUSER && scan_stopping(st)) {
		status = INPUT_INTERRUPTED;
	} else if (rc == TSBLOG_EIO) {
		print_error("%s", err->message);
		status = INPUT_UNREADABLE;
	} else if (rc < 0 && rc != TSBLOG_EUSER) {
		print_error("%s", err->message);
		st->trouble = 1;
	}
	if (status == INPUT_BINARY)
		print_error("%s: binary input skipped (-a reads it as text)",
			    name);
	if (st->show)
		fputs("\r\033[K", stderr);
	st->show = 0;
	if (add_input(st, name, status) < 0)
		return;
	in = &st->inputs.v[st->inputs.n - 1];
	in->lines = tsblog_scanner_records(s) - st->records0;
	in->bytes = tsblog_scanner_bytes(s) - st->bytes0;
	in->size = (uint64_t)st->total;
}

/* A pipe, a terminal or --passthrough: read here, so that Ctrl-C (read()
 * returns EINTR) ends the input at once.  *status is set for a binary
 * first block or a read error. */
static int
scan_stream(scan_state *st, int fd, const char *name, input_status *status,
	    tsblog_error *err)
{
	int first = 1, rc = 0;
	ssize_t n;

	while (!scan_stopping(st) && rc == 0) {
		n = read(fd, st->buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			print_error("%s: read error: %s", name, strerror(errno));
			*status = INPUT_UNREADABLE;
			return 0;
		}
		if (n == 0)
			break;
		if (first && is_packed(st->buf, (size_t)n)) {
			scan_packed(st, fd, name, st->buf, (size_t)n);
			return 1;
		}
		if (first && !st->o->text && memchr(st->buf, 0, (size_t)n)) {
			*status = INPUT_BINARY;
			return 0;
		}
		first = 0;
		rc = input_scan(st, st->s, st->buf, (size_t)n, err);
	}
	if (scan_interrupted)
		*status = INPUT_INTERRUPTED;
	return rc == 0 ? input_finish(st, st->s, err) : rc;
}

static void walk(scan_state *st, const char *dir);

/* Scan one input to its end (or Ctrl-C) and record how that went. */
static void
scan_input(scan_state *st, int fd, const char *name)
{
	input_status status = INPUT_READ;
	tsblog_error err;
	struct stat sb;
	int rc;
	ssize_t n;

	if (fstat(fd, &sb) < 0)
		memset(&sb, 0, sizeof(sb));
	if (S_ISDIR(sb.st_mode)) {
		if (st->o->recursive) {
			walk(st, name);
			return;
		}
		print_error("%s: is a directory (-R reads the files in it)",
			    name);
		add_input(st, name, INPUT_UNREADABLE);
		return;
	}
	if (S_ISREG(sb.st_mode) && !st->live && !st->o->passthrough) {
		/* Peek without moving the offset tsblog_scan_fd() starts at. */
		n = pread(fd, st->buf, BINARY_PEEK, lseek(fd, 0, SEEK_CUR));
		if (n > 0 && is_packed(st->buf, (size_t)n)) {
			scan_packed(st, fd, name, NULL, 0);
			return;
		}
		if (input_begin(st, st->s, name, sb.st_size) < 0)
			return;
		if (n < 0) {
			print_error("%s: read error: %s", name, strerror(errno));
			status = INPUT_UNREADABLE;
		} else if (!st->o->text && memchr(st->buf, 0, (size_t)n)) {
			status = INPUT_BINARY;
		}
		rc = status == INPUT_READ
			     ? tsblog_scan_fd(st->s, fd, on_scan, st, &err)
			     : 0;
	} else {
		if (input_begin(st, st->s, name,
				S_ISREG(sb.st_mode) ? sb.st_size : 0) < 0)
			return;
		rc = scan_stream(st, fd, name, &status, &err);
		if (rc == 1)
			return; /* packed: its members are inputs */
	}
	input_end(st, st->s, name, status, rc, &err);
}

static int
by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* -R: every file under @dir, in name order, as grep -R does (symbolic
 * links followed, a directory met twice read once). */
static void
walk(scan_state *st, const char *dir)
{
	char *const paths[] = { (char *)dir, NULL };
	FTS *fts = fts_open(paths, FTS_LOGICAL | FTS_NOCHDIR, by_name);
	FTSENT *e;
	int fd;

	if (!fts) {
		print_error("%s: cannot read: %s", dir, strerror(errno));
		add_input(st, dir, INPUT_UNREADABLE);
		return;
	}
	while (!scan_stopping(st) && (e = fts_read(fts))) {
		switch (e->fts_info) {
		case FTS_F:
			fd = open(e->fts_accpath, O_RDONLY);
			if (fd < 0) {
				print_error("%s: cannot open: %s", e->fts_path,
					    strerror(errno));
				add_input(st, e->fts_path, INPUT_UNREADABLE);
				break;
			}
			scan_input(st, fd, e->fts_path);
			close(fd);
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
		case FTS_SLNONE:
			print_error("%s: cannot read: %s", e->fts_path,
				    strerror(e->fts_errno ? e->fts_errno
							  : ENOENT));
			add_input(st, e->fts_path, INPUT_UNREADABLE);
			break;
		}
	}
	fts_close(fts);
}

/* Files named on the command line ("-" is standard input). */
typedef struct {
	const char *const *paths;
	int n;
} file_list;

static int
files_open(void *ctx, int i, const char **name)
{
	file_list *fl = ctx;
	int fd;

	if (i >= fl->n)
		return SOURCE_END;
	*name = fl->paths[i];
	if (!strcmp(fl->paths[i], "-"))
		return 0;
	fd = open(fl->paths[i], O_RDONLY);
	if (fd < 0) {
		print_error("%s: cannot open: %s", fl->paths[i], strerror(errno));
		return SOURCE_FAILED;
	}
	return fd;
}

static int
files_close(void *ctx, int i, int fd)
{
	(void)ctx;
	(void)i;
	if (fd > 0)
		close(fd);
	return 0;
}

/* The summary at the end, in the chosen output: the text report reads
 * it in place; -o summary-json filters and extends its document. */
static void
finish(scan_state *st)
{
	tsblog_summary *view = NULL;
	tsblog_error err;
	char *doc = st->merged; /* -f on several files */
	int rc;

	if (st->o->output == OUT_JSON || st->o->passthrough ||
	    st->output_gone)
		return;
	if (st->o->output == OUT_TEXT) {
		rc = doc ? tsblog_summary_parse(&view, doc, strlen(doc), &err)
			 : tsblog_scanner_summary(&view, st->s, &err);
		if (rc < 0) {
			print_error("%s", err.message);
			st->trouble = 1;
		} else {
			out_report(&st->out, st->rs, view, st->live, st->o,
				   &st->inputs);
		}
		tsblog_summary_free(view);
	} else if (!doc && tsblog_scanner_summary_json(&doc, st->s, &err) < 0) {
		print_error("%s", err.message);
		st->trouble = 1;
	} else if (out_summary_json(doc, st->rs, st->o, &st->inputs) < 0) {
		st->trouble = 1;
	}
	tsblog_free(doc);
	st->merged = NULL;
}

int
run_scan(const scan_opts *o, const input_source *source,
	 const char *const *paths, int n)
{
	static const char *const stdin_only[] = { "-" };
	file_list fl = { paths, n };
	input_source files = { files_open, files_close, &fl, NULL };
	tsblog_scan_options sopts = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_error err;
	scan_state st;
	struct sigaction sa;
	struct stat sb;
	size_t nread = 0, k;
	int i, following;

	memset(&st, 0, sizeof(st));
	st.o = o;
	if (!fl.n) {
		fl.paths = stdin_only;
		fl.n = 1;
	}
	st.rs = load_rules(&o->rules);
	if (!st.rs)
		goto done;
	for (i = 0; i < o->nonly; i++)
		if (!tsblog_ruleset_find(st.rs, o->only[i])) {
			print_error("--rule %s: no such rule (tsblog rules list shows them)",
				    o->only[i]);
			goto done;
		}

	st.out.f = stdout;
	st.out.color = o->output == OUT_TEXT ? color_choice(o->color, stdout)
					     : 0;
	/* Live when following, or when the input is a pipe or a terminal:
	 * kubectl logs -f | tsblog must show problems as they happen. */
	st.live = o->follow ||
		  (!source && fl.n == 1 && !strcmp(fl.paths[0], "-") &&
		   fstat(0, &sb) == 0 && !S_ISREG(sb.st_mode));
	st.progress = o->output == OUT_TEXT && !o->passthrough && isatty(2);
	if (st.live)
		setvbuf(stdout, NULL, _IOLBF, 0);
	sopts.flags = o->output == OUT_JSON || o->passthrough
			      ? TSBLOG_SCAN_NO_SUMMARY
			      : 0;
	if (o->no_redact)
		sopts.flags |= TSBLOG_SCAN_NO_REDACT;
	/* A report made at the end needs a problem's first sighting only
	 * (its rule, for --fail-on); live output shows each. */
	if (!st.live && !o->passthrough && o->output != OUT_JSON)
		sopts.flags |= TSBLOG_SCAN_FIRST_SIGHTINGS;
	sopts.jobs = (unsigned int)o->jobs;
	st.sopts = &sopts;
	st.buf = malloc(READ_CHUNK);
	if (!st.buf || tsblog_scanner_new(&st.s, st.rs, NULL, &sopts, &err) < 0 ||
	    (o->passthrough && !o->no_redact &&
	     tsblog_matcher_new(&st.redactor, st.rs, &err) < 0)) {
		print_error("out of memory");
		goto done;
	}
	st.out_pipe = fstat(1, &sb) == 0 && S_ISFIFO(sb.st_mode);
	/* Ctrl-C ends the scan with the report of what was read; no
	 * SA_RESTART, so a read() of a pipe returns. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	/* -f on a pipe is what reading it does anyway. */
	following = !source && o->follow &&
		    !(fl.n == 1 && !strcmp(fl.paths[0], "-") &&
		      fstat(0, &sb) == 0 && !S_ISREG(sb.st_mode));
	if (following)
		follow_files(&st, fl.paths, fl.n);
	if (!source)
		source = &files;
	for (i = 0; !following && !scan_stopping(&st); i++) {
		const char *name = "-";
		int fd = source->open(source->ctx, i, &name);
		if (fd == SOURCE_END)
			break;
		if (fd == SOURCE_FAILED) {
			add_input(&st, name, INPUT_UNREADABLE);
			continue;
		}
		scan_input(&st, fd, name);
		if (source->close(source->ctx, i, fd) < 0 && st.inputs.n)
			st.inputs.v[st.inputs.n - 1].status = INPUT_UNREADABLE;
	}
	if (pass_held(&st, &err) < 0 && !scan_stopping(&st)) {
		print_error("%s", err.message);
		st.trouble = 1;
	}
	finish(&st);
	for (k = 0; k < st.inputs.n; k++) {
		nread += st.inputs.v[k].status == INPUT_READ;
		if (st.inputs.v[k].status == INPUT_UNREADABLE &&
		    !source->none_read)
			st.trouble = 1;
	}
	if (source->none_read && !nread && st.inputs.n) {
		print_error("%s", source->none_read);
		st.trouble = 1;
	}
	fflush(stdout);
	if (!output_read(&st, 0)) {
		print_error("cannot write output: %s", strerror(st.output_gone));
		st.trouble = 1;
	}
done:
	tsblog_matcher_free(st.redactor);
	free(st.held);
	tsblog_scanner_free(st.s);
	tsblog_ruleset_free(st.rs);
	free(st.buf);
	for (k = 0; k < st.inputs.n; k++)
		free(st.inputs.v[k].name);
	free(st.inputs.v);
	if (!st.s)
		return EXIT_TROUBLE;
	if (scan_interrupted)
		return EXIT_INTERRUPTED;
	return st.trouble ? EXIT_TROUBLE : st.failed ? EXIT_FOUND : EXIT_CLEAN;
}

/* For `rules stats` and `learn`: the input counted and summarised. */
static int
count_malformed(tsblog_scan_what what, const tsblog_diagnosis *d,
		const tsblog_error *event, void *payload)
{
	(void)d;
	if (what == TSBLOG_SCAN_MALFORMED) {
		print_error("%s", event->message);
		++*(unsigned long long *)payload;
	}
	return TSBLOG_CONTINUE;
}

int
scan_file_quietly(tsblog_scanner *s, const char *path,
		  unsigned long long *malformed)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
	tsblog_error err;
	int rc;

	if (fd < 0) {
		print_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	rc = tsblog_scanner_reset(s, path);
	if (rc == 0)
		rc = tsblog_scan_fd(s, fd, count_malformed, malformed, &err);
	else
		snprintf(err.message, sizeof(err.message), "out of memory");
	if (fd > 0)
		close(fd);
	if (rc < 0) {
		print_error("%s", err.message);
		return -1;
	}
	return 0;
}
