/* The scanner's state and its internal pull interface (scanner.c), for
 * tsblog_scan_fd's pieces (parallel.c) and the tests of internal
 * behaviour.  Never installed: callers scan through the callback
 * functions of tsblog/scanner.h. */
#ifndef TSBLOG_LIB_SCANNER_H
#define TSBLOG_LIB_SCANNER_H

#include <sys/types.h>
#include "reader.h"
#include "level.h"
#include "prefilter.h"
#include "summary.h"

struct tsblog_scanner {
	struct tsblog_matcher m;
	tsblog_scan_options opts;
	char *source;
	const char *chunk;      /* borrowed from the caller */
	size_t chunk_len, pos;
	buf_t carry;            /* start of a line not yet ended */
	int carry_open;         /* a line has started in carry */
	int carry_over;         /* that line went past max_record */
	int carry_stream;       /* that line is a long compact list, given to
				 * the reader a part at a time */
	int carry_probed;       /* that line is not one */
	int carry_cr;           /* that line's last byte so far is a CR (kept
				 * even when the byte itself was not stored) */
	int stream_cr;          /* CRs (0-2) that ended the streamed line's
				 * last part: its text or its end, by the
				 * byte that follows (stream_part()) */
	int finished;
	buf_t clean;            /* scratch for lines with escapes */
	reader rd;
	summary sm;
	int summarise;
	/* A piece of tsblog_scan_fd: its diagnoses go into the summary when
	 * the piece is merged, in input order, so that their occurrences
	 * count the whole input. */
	int problems_at_merge;
	/* TSBLOG_SCAN_FIRST_SIGHTINGS with the summary: only a problem's
	 * first sighting is rendered whole and given.  A piece gives every
	 * sighting, those of a problem seen before it (in @seen, by
	 * summary key: its thread's earlier pieces, lent by parallel.c, and
	 * its own lines) partial, for the merge to count. */
	int first_only;
	strmap seen;
	const prefilter *pf;    /* lines without a hit are only counted */
	const char *hit;        /* next prefilter hit in the chunk, or NULL */
	pf_cursor pfc;          /* how far pf_next() has searched the chunk */
	const char *odd;        /* next disguise in the chunk (disguise_at()),
				 * the chunk's end for none, or NULL */
	const char *hit_line, *odd_line;    /* where their lines start */
	int odd_kernel;         /* disguise_kernel() */
	int pf_odd;             /* pf_finds_odd(pf): skip_lines() finds hit
				 * and odd in one walk (pf_find_odd()) */
	level_finder lvf;
	const char *lvl;        /* next place a level of warn or above may be
				 * named (level_next()), or NULL */
	uint64_t line_no, records, bytes, truncated, malformed;
};

/* Hand the scanner the next chunk of the current input; @buf is borrowed
 * until scanner_next() has returned 0.  0 or TSBLOG_EINVAL. */
int scanner_feed(tsblog_scanner *s, const char *buf, size_t len,
		 tsblog_error *err);
/* No chunk follows: the next scanner_next() calls read the last,
 * unterminated line and close an open document. */
int scanner_end(tsblog_scanner *s, tsblog_error *err);
/* 1 with the next diagnosis (*out borrowed until the next call), 0 when
 * the chunk is used up, TSBLOG_ESYNTAX for a malformed event (in *err;
 * call again to go on), or another error. */
int scanner_next(tsblog_scanner *s, const tsblog_diagnosis **out,
		 tsblog_error *err);

/* Start over as if just made, keeping buffers and PCRE2 state: totals,
 * rule statistics and summary go too.  0, or TSBLOG_ENOMEM (then @s is
 * unchanged). */
int scanner_clear(tsblog_scanner *s, const char *source);
/* Whether @s stands between records: nothing fed is left unread, no line
 * is half read, and no describe section (from its Name: to the end of
 * its Events table), events table or JSON document is open.  A file may
 * be cut for parallel scanning only where the scanner of the piece
 * before stops at rest. */
int scanner_at_rest(const tsblog_scanner *s);
/* Take in what @src has counted, as if @src's input had followed the
 * current input of @dst: its line numbers shifted by the lines @dst has
 * read of its input, its summary merged, its totals and rule statistics
 * added; then @dst's input goes on where @src's ended.  0,
 * TSBLOG_EINVAL (different rule sets) or TSBLOG_ENOMEM. */
int scanner_absorb(tsblog_scanner *dst, const tsblog_scanner *src,
		   tsblog_error *err);
/* parallel.c: scan [start, end) of the regular file @fd in pieces on
 * s->opts.jobs threads, merged into @s (which must be at rest) and handed
 * to @cb in input order.  @buf is the calling thread's read buffer, of
 * READ_SIZE bytes (parallel.c), still the caller's after; or NULL to have
 * one made.
 * *resume_at is -1 when all of it was merged (@s is not finished), else
 * the offset from which the caller must read on serially with @s, which
 * then holds everything before it.  0 or <0. */
int scan_pieces(tsblog_scanner *s, int fd, off_t start, off_t end, char *buf,
		tsblog_scan_cb cb, void *payload, tsblog_error *err,
		off_t *resume_at);

/* A scan callback returned TSBLOG_ABORT: TSBLOG_EUSER, said in @err. */
int scanner_stopped(tsblog_error *err);

#endif
