/* Inside the scan command: what scan.c, archive.c and follow.c share. */
#ifndef TSBLOG_SCAN_H
#define TSBLOG_SCAN_H

#include <signal.h>
#include <time.h>
#include "out.h"

#define READ_CHUNK (256 * 1024)
/* --passthrough holds a line until its end, up to this many bytes (the
 * library's default max_record), so that its secrets are found whole; a
 * longer line goes out in pieces redacted each on its own. */
#define PASS_HOLD (1024 * 1024)
/* grep's test for binary input: a NUL byte in the first block. */
#define BINARY_PEEK (32 * 1024)

typedef struct {
	const scan_opts *o;
	tsblog_ruleset *rs;
	tsblog_scanner *s;
	const tsblog_scan_options *sopts;
	term out;
	char *buf;
	int live, progress;
	int failed, trouble, last_was_repeat;
	/* errno of the write that found standard output gone, or 0 */
	int output_gone;
	int out_pipe;           /* standard output is a pipe */
	input_list inputs;
	char *merged;           /* the summary document, when not st->s's */
	/* --passthrough: what redacts the lines copied (NULL with
	 * --no-redact), and the start of a line not yet ended, of @held_s's
	 * input */
	tsblog_matcher *redactor;
	char *held;
	size_t held_n, held_cap;
	tsblog_scanner *held_s;
	/* the current input, from input_begin() */
	uint64_t records0, bytes0;
	/* the progress line */
	int show;
	long long total;
	struct timespec t0, shown;
} scan_state;

/* Set by SIGINT: every loop ends and the report says so. */
extern volatile sig_atomic_t scan_interrupted;

/* Whether reading should stop: Ctrl-C, or nobody reads what we write. */
static inline int
scan_stopping(const scan_state *st)
{
	return scan_interrupted || st->output_gone;
}

/* The scan callback of every scanning call: diagnoses to the output. */
int on_scan(tsblog_scan_what what, const tsblog_diagnosis *d,
	    const tsblog_error *event, void *payload);

/* Start input @name on @s (the scanner of @st, or a follower's) whose
 * size is @size (0: unknown); -1 (reported) if out of memory. */
int input_begin(scan_state *st, tsblog_scanner *s, const char *name,
		long long size);
/* Scan @n bytes of the current input (--passthrough copies them). */
int input_scan(scan_state *st, tsblog_scanner *s, const char *p, size_t n,
	       tsblog_error *err);
/* End the current input of @s: tsblog_scanner_finish(), after the line
 * --passthrough holds. */
int input_finish(scan_state *st, tsblog_scanner *s, tsblog_error *err);
/* Record how input @name on @s went: @rc is what the scan returned (its
 * error in @err), @status what the reading found. */
void input_end(scan_state *st, tsblog_scanner *s, const char *name,
	       input_status status, int rc, const tsblog_error *err);
/* Add @name to the inputs; -1 (reported) if out of memory. */
int add_input(scan_state *st, const char *name, input_status status);

/* Whether the first bytes of an input are those of gzip, zstd, tar or
 * zip (its magic numbers; names do not count). */
int is_packed(const char *p, size_t n);
/* Scan every member of the packed input @fd called @name, whose first
 * @n bytes were already read into @peek (NULL: none were): each member
 * is an input of its own, "NAME:PATH" (NAME for a compressed file). */
void scan_packed(scan_state *st, int fd, const char *name, const char *peek,
		 size_t n);

/* -f: scan the @n @paths, then follow them as tail -F does, until
 * Ctrl-C. */
void follow_files(scan_state *st, const char *const *paths, int n);

#endif
