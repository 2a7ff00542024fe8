/*
 * The streaming scanner: split fed chunks into lines without copying them,
 * carry a line that straddles chunks in a buffer bounded by max_record,
 * clean each line (CR, BOM, colour escapes) and match it.
 */
#include <stdlib.h>
#include <string.h>
#include "prefilter.h"
#include "level.h"
#include "limits.h"
#include "scanner.h"

int
tsblog_scanner_new(tsblog_scanner **out, const tsblog_ruleset *rs,
		   const char *source, const tsblog_scan_options *opts,
		   tsblog_error *err)
{
	tsblog_scanner *s;

	int bad_version = opts && (opts->version < 1 ||
				   opts->version > TSBLOG_SCAN_OPTIONS_VERSION);

	if (!out || !rs || bad_version) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_scanner_new: %s",
			  bad_version ? "unknown options version"
				      : "NULL argument");
		return TSBLOG_EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || matcher_init(&s->m, rs) < 0)
		goto nomem;
	s->opts.version = TSBLOG_SCAN_OPTIONS_VERSION;
	s->opts.max_record = opts && opts->max_record ? opts->max_record
						     : DEFAULT_MAX_RECORD;
	s->opts.flags = opts ? opts->flags : 0;
	s->opts.jobs = opts && opts->version >= 2 ? opts->jobs : 0;
	s->summarise = !(s->opts.flags & TSBLOG_SCAN_NO_SUMMARY);
	s->first_only = s->summarise &&
			(s->opts.flags & TSBLOG_SCAN_FIRST_SIGHTINGS);
	s->m.keys_only = s->first_only;
	level_finder_init(&s->lvf);
	s->odd_kernel = disguise_kernel();
	s->m.timing = !!(s->opts.flags & TSBLOG_SCAN_TIME_RULES);
	/* s->pf is taken when input comes (scanner_feed()).  The summary
	 * also wants warnings no rule knows: special_line() reads each
	 * line's level from its envelope. */
	reader_init(&s->rd, s->opts.max_record);
	s->m.clean.on = !(s->opts.flags & TSBLOG_SCAN_NO_REDACT);
	if (summary_init(&s->sm, rs,
			 s->m.clean.on) < 0)
		goto nomem;
	if (tsblog_scanner_reset(s, source) < 0)
		goto nomem;
	*out = s;
	return 0;
nomem:
	tsblog_scanner_free(s);
	err_raise(err, TSBLOG_ENOMEM, NULL, NO_POS, NULL, NULL,
		  "out of memory");
	return TSBLOG_ENOMEM;
}

void
tsblog_scanner_free(tsblog_scanner *s)
{
	if (!s)
		return;
	if (s->m.rs)
		matcher_fini(&s->m);
	reader_fini(&s->rd);
	summary_fini(&s->sm);
	strmap_free(&s->seen);
	buf_free(&s->carry);
	buf_free(&s->clean);
	free(s->source);
	free(s);
}

/* The line being carried is done with. */
static void
carry_done(tsblog_scanner *s)
{
	s->carry.len = 0;
	s->carry_open = s->carry_over = s->carry_cr = 0;
	s->carry_stream = s->carry_probed = s->stream_cr = 0;
}

int
tsblog_scanner_reset(tsblog_scanner *s, const char *source)
{
	char *name;

	if (!s)
		return TSBLOG_EINVAL;
	name = strdup(source ? source : "-");
	if (!name)
		return TSBLOG_ENOMEM;
	free(s->source);
	s->source = name;
	s->chunk = NULL;
	s->chunk_len = s->pos = 0;
	carry_done(s);
	s->finished = 0;
	s->line_no = 0;
	s->hit = s->odd = s->lvl = NULL;
	memset(&s->pfc, 0, sizeof(s->pfc));
	reader_reset(&s->rd);
	return 0;
}

int
scanner_clear(tsblog_scanner *s, const char *source)
{
	if (!s)
		return TSBLOG_EINVAL;
	/* Everything that can fail comes before anything changes. */
	if (tsblog_scanner_reset(s, source) < 0)
		return TSBLOG_ENOMEM;
	/* A message's shape depends on nothing else (the cleaner is the
	 * same), so the memo is kept: -j clears a scanner for each piece,
	 * and shaping every piece's messages anew cost -j 2 a sixth more
	 * instructions than -j 1 on a text report. */
	summary_clear(&s->sm);
	strmap_clear(&s->seen);
	s->records = s->bytes = s->truncated = s->malformed = 0;
	s->m.limit_hits = 0;
	memset(s->m.stats, 0, (s->m.rs->nrules + 1) * sizeof(*s->m.stats));
	return 0;
}

int
scanner_feed(tsblog_scanner *s, const char *buf, size_t len,
		    tsblog_error *err)
{
	if (!s || (!buf && len) || s->pos < s->chunk_len || s->finished) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_scanner_scan: %s",
			  !s || (!buf && len) ? "NULL argument"
			  : s->finished ? "input already finished"
					: "previous chunk not drained");
		return TSBLOG_EINVAL;
	}
	if (len && !s->pf) {
		int rc = 0;
		s->pf = ruleset_pf(s->m.rs, &rc);
		if (rc < 0)
			return err_nomem(err);
		s->pf_odd = s->pf && pf_finds_odd(s->pf);
	}
	s->chunk = buf;
	s->chunk_len = len;
	s->hit = s->odd = s->lvl = NULL;
	memset(&s->pfc, 0, sizeof(s->pfc));
	s->pos = 0;
	s->bytes += len;
	return 0;
}

int
scanner_end(tsblog_scanner *s, tsblog_error *err)
{
	if (!s) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_scanner_finish: NULL argument");
		return TSBLOG_EINVAL;
	}
	s->finished = 1;
	return 0;
}

/* With first_only, s->m.diag (partial) matched @rec: count it, and
 * render it whole if it is to be given.  Its problem seen before: 0; the
 * first sighting (or one the summary has no room for): >0, rendered;
 * <0 on no memory.  A piece's scanner gives every sighting (see
 * first_only). */
static int
first_sighting(tsblog_scanner *s, const record *rec, uint64_t line)
{
	tsblog_diagnosis *d = &s->m.diag;
	size_t hash, k = summary_find(&s->sm, d, &hash);
	int rc;

	if (k == STRMAP_NOMEM)
		return -1;
	if (s->problems_at_merge) {
		/* The piece's own summary counts nothing: its key is only
		 * made there, and looked up among the piece's. */
		k = strmap_find_hashed(&s->seen, s->sm.key.data,
				       s->sm.key.len, hash);
		if (k != STRMAP_NONE)
			return 1;
		/* Past the bound a problem's sightings are all whole. */
		if (s->seen.count < MAX_PROBLEMS &&
		    strmap_put_hashed(&s->seen, s->sm.key.data, s->sm.key.len,
				      hash, 0) == STRMAP_NOMEM)
			return -1;
	} else if (k != STRMAP_NONE) {
		return summary_add_found(&s->sm, d, k, hash) < 0 ? -1 : 0;
	}
	if (matcher_render(&s->m, rec) < 0)
		return -1;
	d->source = s->source;
	d->line = line;
	if (s->problems_at_merge)
		return 1;
	/* Rendering left the key where it was: the summary is unchanged. */
	rc = summary_add_found(&s->sm, d, k, hash);
	return rc < 0 ? -1 : 1;
}

/* Match the records the reader holds until one gives a diagnosis. */
static int
take_records(tsblog_scanner *s, const tsblog_diagnosis **out,
	     tsblog_error *err)
{
	record rec;
	uint64_t line;
	int rc;

	while ((rc = reader_take(&s->rd, &rec, &line)) == 1) {
		rc = s->rd.summary_only ? 0
					: matcher_match_record(&s->m, &rec, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (s->summarise &&
			    summary_unmatched(&s->sm, &rec, line, s->source) < 0)
				return err_nomem(err);
			continue;
		}
		s->m.diag.source = s->source;
		s->m.diag.line = line;
		rc = s->first_only ? first_sighting(s, &rec, line)
		     : s->summarise && !s->problems_at_merge
			     ? summary_add(&s->sm, &s->m.diag)
			     : 1;
		if (rc < 0)
			return err_nomem(err);
		if (s->first_only && !rc)
			continue;
		*out = &s->m.diag;
		return 1;
	}
	if (rc < 0)
		return err_nomem(err);
	if (s->rd.doc_error) {
		/* Reported once, then the scan goes on: everything before
		 * and after the bad event still counts. */
		s->rd.doc_error = 0;
		s->malformed++;
		err_raise_lc(err, TSBLOG_ESYNTAX, s->source, s->rd.err_line,
			     s->rd.err_col, 0, "%s", s->rd.err_text);
		return TSBLOG_ESYNTAX;
	}
	return 0;
}

/* Remove ANSI CSI/OSC escape sequences (colour, cursor): kubectl passes
 * them through from pods that log to a terminal. */
int
strip_escapes(buf_t *out, const char *p, size_t n)
{
	size_t i = 0;

	out->len = 0;
	if (buf_reserve(out, n) < 0)
		return -1;
	while (i < n) {
		if (p[i] != '\x1b') {
			out->data[out->len++] = p[i++];
			continue;
		}
		i++;
		if (i < n && p[i] == '[') {
			/* CSI: parameters and intermediates, then a final
			 * byte in 0x40-0x7E. */
			for (i++; i < n && ((unsigned char)p[i] < 0x40 ||
					    (unsigned char)p[i] > 0x7E);
			     i++)
				;
			i++;
		} else if (i < n && p[i] == ']') {
			/* OSC: up to BEL or ESC \ */
			for (i++; i < n && p[i] != '\a' &&
				  !(p[i] == '\x1b' && i + 1 < n &&
				    p[i + 1] == '\\');
			     i++)
				;
			i += i < n && p[i] == '\a' ? 1 : 2;
		} else if (i < n) {
			i++; /* two-byte escape */
		}
	}
	out->data[out->len] = '\0';
	return 0;
}

/* Where in the @n bytes at @p the first disguise may be, as far as
 * skip_lines() knows, which searched the chunk from a line before them:
 * @p + @n when none is, @p when it has not looked. */
static const char *
clean_until(const tsblog_scanner *s, const char *p, size_t n)
{
	const char *c = s->chunk, *c_end = s->chunk + s->chunk_len;

	if (!s->odd || s->odd < p || p < c || p >= c_end)
		return p;
	return s->odd < p + n ? s->odd : p + n;
}

/* Read one complete line into records and match them.  1 with a
 * diagnosis, 0 without, <0 error. */
static int
scan_line(tsblog_scanner *s, const char *p, size_t n, int over,
	  const tsblog_diagnosis **out, tsblog_error *err)
{
	const char *from;

	s->records++;
	s->line_no++;
	/* CR and BOM are not text: remove them before the length limit. */
	if (s->line_no == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		n -= 3;
	}
	if (n && p[n - 1] == '\r' && !over)
		n--;
	if (!over && n > s->opts.max_record &&
	    reader_stream(&s->rd, p, n, s->line_no, 1))
		return take_records(s, out, err);
	if (over || n > s->opts.max_record) {
		n = n > s->opts.max_record ? s->opts.max_record : n;
		s->truncated++;
		over = 1;
	}
	from = clean_until(s, p, n);
	if (from < p + n && memchr(from, '\x1b', (size_t)(p + n - from))) {
		if (strip_escapes(&s->clean, p, n) < 0)
			return err_nomem(err);
		p = s->clean.data;
		n = s->clean.len;
	}
	if (reader_line(&s->rd, p, n, s->line_no, over) < 0)
		return err_nomem(err);
	return take_records(s, out, err);
}

/* Keep at most max_record (+LINE_SLACK) bytes of a line that has not ended yet; the rest
 * is counted but not stored, so memory stays bounded. */
static int
carry_add(tsblog_scanner *s, const char *p, size_t n)
{
	/* Room for a BOM and a CR too, which do not count against the
	 * limit: a line is cut the same whether it came whole or in
	 * pieces. */
	size_t room = s->opts.max_record + LINE_SLACK > s->carry.len
			      ? s->opts.max_record + LINE_SLACK - s->carry.len
			      : 0;
	s->carry_open = 1;
	if (n)
		s->carry_cr = p[n - 1] == '\r';
	if (n > room) {
		s->carry_over = 1;
		n = room;
	}
	return buf_add(&s->carry, p, n);
}

/* Whether the level word level_next() found at @at in the line at @p
 * stands where envelopes put a level: at the line's start (klog), after a
 * tab (the console), a bracket (Envoy) or '=' (logfmt), as a JSON value,
 * or as klog's letter after a blank (behind kubectl's or stern's prefix,
 * journald's "kubelet[2210]: " or a timestamp: a fifth of the corpus's
 * warnings, each read twice before).  Only a guess: a wrong one costs
 * time, never a line. */
static int
level_field(const char *p, const char *at)
{
	const char *q;

	if (at == p)
		return 1;
	switch (at[-1]) {
	case '\t':
	case '[':
	case '=':
		return 1;
	case ' ':
		/* level_next() found a letter before four digits */
		return at[1] >= '0' && at[1] <= '9';
	case '"':
		for (q = at - 1; q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
			;
		return q > p && q[-1] == ':';
	default:
		return 0;
	}
}

/* Whether the full path would do anything with this line beyond counting
 * it, when no literal is in it: it changes the reader's state (seen as
 * the full path sees it: without CR, cut at max_record), or, for the
 * summary, its level is warn or above (only asked when @named: the line
 * holds a place level_next() found).  Erring towards yes only costs
 * time. */
static int
special_line(const tsblog_scanner *s, const char *p, size_t n, int named)
{
	if (n && p[n - 1] == '\r')
		n--;
	if (n > s->opts.max_record && p[0] == '{')
		return 1; /* maybe a long list, read in parts */
	if (n > s->opts.max_record)
		n = s->opts.max_record;
	if (!n)
		return 0;
	if (reader_line_may_change_state(p, n))
		return 1;
	if (!s->summarise || !named)
		return 0;
	/* A word where envelopes put the level: the line is all but surely
	 * warn or above, and its envelopes would be read twice.  Without a
	 * kernel level_next() names every line's start, not a word. */
	return (s->lvf.kernel && level_field(p, s->lvl)) ||
	       reader_line_alert(p, n);
}

/* Where the line at @p ends: a LF, or a CR followed by neither LF nor CR
 * (old Mac line ends; a CR as the last byte waits for the next one).
 * Looked for in windows that double, so a line costs about its length
 * whichever end it has, never the rest of the chunk.  Both searches stop
 * at the LF, so a first window longer than most lines costs a short one
 * nothing.  A lone CR is looked for from @from on (skip_lines() found no
 * disguise before it). */
static const char *
line_end(const char *p, size_t avail, const char *from)
{
	const char *end = p + avail, *q = p, *w, *nl, *cr;
	size_t win = 1024;

	for (; q < end; q = w, win *= 2) {
		w = (size_t)(end - q) > win ? q + win : end;
		nl = memchr(q, '\n', (size_t)(w - q));
		if (nl && from >= nl)
			return nl;
		for (cr = q > from ? q : from;
		     cr < (nl ? nl : w) &&
		     (cr = memchr(cr, '\r', (size_t)((nl ? nl : w) - cr)));
		     cr++) {
			if (cr + 1 >= end)
				return NULL;
			if (cr[1] != '\n' && cr[1] != '\r')
				return cr;
		}
		if (nl)
			return nl;
	}
	return NULL;
}

static const char *
earliest(const char *a, const char *b)
{
	return a < b ? a : b;
}

/* The start of the line holding @d, not before @p. */
static const char *
line_start(const char *p, const char *d)
{
	const char *nl = d > p ? memrchr(p, '\n', (size_t)(d - p)) : NULL;

	return nl ? nl + 1 : p;
}

/* The fast path: count, without reading them, the whole lines before the
 * next prefilter hit.  Stops at the hit's line, at a special line, or at
 * a partial line at the end of the chunk; those take the full path.  The
 * next hit and the next disguise in the chunk are kept, with their lines'
 * starts, so that each is looked for once per chunk, not once per line
 * the full path takes. */
static void
skip_lines(tsblog_scanner *s)
{
	const char *p = s->chunk + s->pos, *end = s->chunk + s->chunk_len;
	const char *limit, *nl;

	if (s->pf_odd && (!s->hit || s->hit < p || !s->odd || s->odd < p)) {
		/* One walk for both.  It stops at the first of them, and
		 * what lies past that was not searched: the one it did not
		 * find is taken to be there too. */
		const char *odd, *h = pf_find_odd(s->pf, p, end, &odd);
		s->hit = h ? h : end;
		s->odd = odd ? odd : s->hit;
		s->hit_line = line_start(p, s->hit);
		s->odd_line = s->odd == s->hit ? s->hit_line
					       : line_start(p, s->odd);
	}
	if (!s->hit || s->hit < p) {
		s->hit = pf_next(s->pf, &s->pfc, p, end);
		if (!s->hit)
			s->hit = end;
		s->hit_line = line_start(p, s->hit);
	}
	if (!s->odd || s->odd < p) {
		s->odd = disguise_find(p, end, s->odd_kernel);
		if (!s->odd)
			s->odd = end;
		s->odd_line = line_start(p, s->odd);
	}
	limit = earliest(s->hit_line, s->odd_line);
	if (limit < p)
		limit = p;
	/* A memchr() per line: an index of the chunk's line feeds made in
	 * level_next()'s own loads (a bit a byte, scanned per line) cost
	 * 1.02-1.05x the CPU on the corpus and with -o json, 0.98x only at
	 * 50% warn/error (tools/bench/ab.py, 2026-12-05).  Nor does
	 * counting them 32 bytes a step up to the next level word pay: on
	 * the corpus that is a few lines away (1.015x, the line checks
	 * left out). */
	while (p < limit && (nl = memchr(p, '\n', (size_t)(limit - p)))) {
		size_t n = (size_t)(nl - p);
		/* Most lines name no level of warn or above: the search for
		 * the next that may costs less than reading their envelopes. */
		if (s->summarise && (!s->lvl || s->lvl < p)) {
			s->lvl = level_next(&s->lvf, p, end);
			if (!s->lvl)
				s->lvl = end;
		}
		if (special_line(s, p, n, s->lvl < nl))
			break;
		if (n && p[n - 1] == '\r')
			n--;
		if (n > s->opts.max_record)
			s->truncated++;
		s->records++;
		s->line_no++;
		p = nl + 1;
	}
	s->pos = (size_t)(p - s->chunk);
}

static int
reader_plain(const reader *rd)
{
	return !rd->in_doc && !rd->in_events && !rd->table_cols;
}

static const char two_crs[2] = { '\r', '\r' };

/* Give the reader @n bytes of the streamed line at @p, @last with its
 * end.  Up to two CRs that end them without the line's end are held in
 * s->stream_cr: line_end() needs the byte after a CR to say whether it
 * ends the line, and the chunk may end first.  reader_stream()'s
 * result. */
static int
stream_give(tsblog_scanner *s, const char *p, size_t n, int last)
{
	size_t t = 0;

	while (!last && t < 2 && t < n && p[n - 1 - t] == '\r')
		t++;
	s->stream_cr = (int)t;
	return reader_stream(&s->rd, p, n - t, s->line_no, last);
}

/* The next part of a streamed line, at @p (@avail bytes of the chunk).
 * The reader gets the bytes scan_line() would give it if the line came
 * whole, however the input is cut: CRs are its text, or its end (a CR
 * before anything but LF and CR), or dropped (the one before the end). */
static void
stream_part(tsblog_scanner *s, const char *p, size_t avail)
{
	const char *nl;
	size_t len;

	if (s->stream_cr) {
		if (*p == '\r') {
			/* The run goes on: all but its last two are text. */
			if (s->stream_cr == 2)
				reader_stream(&s->rd, two_crs, 1, s->line_no, 0);
			s->stream_cr = 2;
			s->pos++;
			return;
		}
		/* Before a LF, the last CR is dropped; before anything else it
		 * ends the line and the one before it is dropped. */
		reader_stream(&s->rd, two_crs,
			      *p == '\n' ? (size_t)s->stream_cr - 1 : 0,
			      s->line_no, 1);
		s->pos += *p == '\n';
		carry_done(s);
		return;
	}
	nl = line_end(p, avail, p);
	len = nl ? (size_t)(nl - p) : avail;
	s->pos += len + !!nl;
	if (nl && len && p[len - 1] == '\r')
		len--;
	stream_give(s, p, len, !!nl);
	if (nl)
		carry_done(s);
}

/* Byte @i of the line being read: the carry, then the @len bytes at @p;
 * 0 past them. */
static unsigned char
line_byte(const tsblog_scanner *s, const char *p, size_t len, size_t i)
{
	if (i < s->carry.len)
		return (unsigned char)s->carry.data[i];
	i -= s->carry.len;
	return i < len ? (unsigned char)p[i] : 0;
}

/* 3 when the line being read is the input's first and starts with a
 * BOM, which scan_line() strips before anything reads the line; else 0.
 * A long compact list after a BOM is streamed whole or cut alike. */
static size_t
bom_len(const tsblog_scanner *s, const char *p, size_t len)
{
	return s->line_no == 0 && line_byte(s, p, len, 0) == 0xEF &&
			       line_byte(s, p, len, 1) == 0xBB &&
			       line_byte(s, p, len, 2) == 0xBF
		       ? 3
		       : 0;
}

/* The line being carried goes past max_record with the @n bytes at @p.
 * If it starts a compact JSON list, it is read a part at a time from
 * here instead of being cut: 1 when the reader took the carry (filled
 * up to the limit from @p, s->pos moved past what of @p it took, CRs at
 * its end held), else 0 and the line is cut as usual. */
static int
stream_start(tsblog_scanner *s, const char *p, size_t n)
{
	size_t room = s->opts.max_record + LINE_SLACK;
	size_t k = room > s->carry.len ? room - s->carry.len : 0, bom;

	s->carry_probed = 1;
	if (k > n)
		k = n;
	bom = bom_len(s, p, k);
	if (carry_add(s, p, k) < 0)
		return -1;
	/* Held CRs leave at least max_record bytes (max_item) to probe. */
	s->line_no++;
	if (!stream_give(s, s->carry.data + bom, s->carry.len - bom, 0)) {
		s->line_no--;
		s->stream_cr = 0;
		s->carry.len -= k; /* carried on as usual */
		return 0;
	}
	s->pos += k;
	s->records++;
	s->carry_stream = 1;
	s->carry_cr = 0;
	return 1;
}

int
scanner_next(tsblog_scanner *s, const tsblog_diagnosis **out,
		    tsblog_error *err)
{
	if (!s || !out) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_scanner_scan: NULL argument");
		return TSBLOG_EINVAL;
	}
	{
		int rc = take_records(s, out, err);
		if (rc != 0)
			return rc;
	}
	while (s->pos < s->chunk_len) {
		const char *p, *nl;
		size_t avail, len;
		int rc, bare;

		bare = 0;
		if (s->pf && !s->carry_open && s->line_no > 0 &&
		    reader_plain(&s->rd)) {
			skip_lines(s);
			if (s->pos >= s->chunk_len)
				break;
			/* Stopped for the line's level or state, not for a
			 * hit or a disguise in it. */
			bare = s->hit_line > s->chunk + s->pos &&
			       s->odd_line > s->chunk + s->pos;
		}
		p = s->chunk + s->pos;
		avail = s->chunk_len - s->pos;
		if (s->carry_open && s->carry_cr && *p != '\n' && *p != '\r') {
			/* The last chunk ended on a CR line end (the CR itself
			 * may be past max_record, and not stored). */
			if (s->carry.len && s->carry.data[s->carry.len - 1] == '\r')
				s->carry.len--;
			rc = scan_line(s, s->carry.data, s->carry.len,
				       s->carry_over, out, err);
			carry_done(s);
			if (rc != 0)
				return rc;
			continue;
		}
		if (s->carry_stream) {
			/* The next part of a long compact list. */
			stream_part(s, p, avail);
			rc = take_records(s, out, err);
			if (rc != 0)
				return rc;
			continue;
		}
		nl = line_end(p, avail, clean_until(s, p, avail));
		len = nl ? (size_t)(nl - p) : avail;
		if ((!nl || s->carry_open) && !s->carry_over &&
		    !s->carry_probed &&
		    line_byte(s, p, len, bom_len(s, p, len)) == '{' &&
		    s->carry.len + len > s->opts.max_record + LINE_SLACK) {
			rc = stream_start(s, p, len);
			if (rc < 0)
				goto nomem;
			if (rc == 1) {
				rc = take_records(s, out, err);
				if (rc != 0)
					return rc;
				continue;
			}
		}

		if (!nl) {
			s->pos = s->chunk_len;
			if (carry_add(s, p, avail) < 0)
				goto nomem;
			break;
		}
		s->pos += (size_t)(nl - p) + 1;
		if (s->carry_open) {
			if (carry_add(s, p, (size_t)(nl - p)) < 0)
				goto nomem;
			rc = scan_line(s, s->carry.data, s->carry.len,
				       s->carry_over, out, err);
			carry_done(s);
		} else {
			s->rd.summary_only = bare;
			rc = scan_line(s, p, (size_t)(nl - p), 0, out, err);
			s->rd.summary_only = 0;
		}
		if (rc != 0)
			return rc;
	}
	if (s->finished && s->carry_open) {
		int rc;
		if (s->carry_stream) {
			/* The input's last CR is no text, as in scan_line(). */
			reader_stream(&s->rd, two_crs,
				      s->stream_cr ? (size_t)s->stream_cr - 1 : 0,
				      s->line_no, 1);
			carry_done(s);
			rc = take_records(s, out, err);
		} else {
			rc = scan_line(s, s->carry.data, s->carry.len,
				       s->carry_over, out, err);
			carry_done(s);
		}
		if (rc != 0)
			return rc;
	}
	if (s->finished && s->rd.in_doc) {
		reader_finish(&s->rd, s->line_no);
		return take_records(s, out, err);
	}
	return 0;
nomem:
	return err_nomem(err);
}

uint64_t
tsblog_scanner_records(const tsblog_scanner *s)
{
	return s ? s->records : 0;
}

uint64_t
tsblog_scanner_bytes(const tsblog_scanner *s)
{
	return s ? s->bytes : 0;
}

uint64_t
tsblog_scanner_truncated(const tsblog_scanner *s)
{
	return s ? s->truncated : 0;
}

int
tsblog_scanner_rule_stats(const tsblog_scanner *s, size_t index,
			  tsblog_rule_stats *out)
{
	return s ? tsblog_matcher_rule_stats(&s->m, index, out)
		 : TSBLOG_EINVAL;
}

uint64_t
tsblog_scanner_malformed(const tsblog_scanner *s)
{
	return s ? s->malformed : 0;
}

int
tsblog_scanner_summary_json(char **out, const tsblog_scanner *s,
			    tsblog_error *err)
{
	summary_totals t;

	if (!out || !s) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "tsblog_scanner_summary_json: NULL argument");
		return TSBLOG_EINVAL;
	}
	t.records = s->records;
	t.bytes = s->bytes;
	t.truncated = s->truncated;
	t.malformed = s->malformed;
	t.limit_hits = s->m.limit_hits;
	t.rs = s->m.rs;
	t.stats = s->m.stats;
	*out = summary_json(&s->sm, &t);
	if (!*out)
		return err_nomem(err);
	return 0;
}

int
scanner_at_rest(const tsblog_scanner *s)
{
	/* Inside a describe header the object's name is remembered for the
	 * Events rows to come: not at rest either. */
	return s && !s->carry_open && s->pos >= s->chunk_len &&
	       reader_idle(&s->rd) && !s->rd.describe_pod.len &&
	       !s->rd.describe_ns.len;
}

int
scanner_absorb(tsblog_scanner *dst, const tsblog_scanner *src,
		      tsblog_error *err)
{
	size_t i;

	if (!dst || !src || dst == src || dst->m.rs != src->m.rs) {
		err_raise(err, TSBLOG_EINVAL, NULL, NO_POS, NULL, NULL,
			  "scanner_absorb: %s",
			  dst && src && dst != src ? "scanners of different rule sets"
						   : "bad arguments");
		return TSBLOG_EINVAL;
	}
	if (dst->summarise && src->summarise &&
	    summary_absorb(&dst->sm, &src->sm, dst->line_no) < 0)
		return err_nomem(err);
	dst->records += src->records;
	dst->bytes += src->bytes;
	dst->truncated += src->truncated;
	dst->malformed += src->malformed;
	dst->line_no += src->line_no;
	dst->m.limit_hits += src->m.limit_hits;
	for (i = 0; i < dst->m.rs->nrules; i++) {
		tsblog_rule_stats *a = &dst->m.stats[i];
		const tsblog_rule_stats *b = &src->m.stats[i];
		a->literal_hits += b->literal_hits;
		a->regex_runs += b->regex_runs;
		a->matches += b->matches;
		a->limit_hits += b->limit_hits;
		a->nanoseconds += b->nanoseconds;
	}
	return 0;
}

int
tsblog_scan_options_init(tsblog_scan_options *opts, unsigned int version)
{
	static const tsblog_scan_options defaults = TSBLOG_SCAN_OPTIONS_INIT;

	if (!opts || version != TSBLOG_SCAN_OPTIONS_VERSION)
		return TSBLOG_EINVAL;
	*opts = defaults;
	return 0;
}

int
scanner_stopped(tsblog_error *err)
{
	err_raise(err, TSBLOG_EUSER, NULL, NO_POS, NULL, NULL,
		  "scan stopped by its callback");
	return TSBLOG_EUSER;
}

/* Drain what the fed chunk (or the finished input) holds into @cb.  On an
 * abort the rest of the chunk is dropped, so the next chunk can be fed. */
static int
drain(tsblog_scanner *s, tsblog_scan_cb cb, void *payload, tsblog_error *err)
{
	const tsblog_diagnosis *d;
	tsblog_error ev;
	int rc;

	while ((rc = scanner_next(s, &d, &ev)) != 0) {
		int stop;
		if (rc == TSBLOG_ESYNTAX)
			stop = cb && cb(TSBLOG_SCAN_MALFORMED, NULL, &ev,
					payload) != TSBLOG_CONTINUE;
		else if (rc < 0) {
			if (err)
				*err = ev;
			return rc;
		} else
			stop = cb && cb(TSBLOG_SCAN_DIAGNOSIS, d, NULL,
					payload) != TSBLOG_CONTINUE;
		if (stop) {
			s->pos = s->chunk_len;
			return scanner_stopped(err);
		}
	}
	return 0;
}

int
tsblog_scanner_scan(tsblog_scanner *s, const char *buf, size_t len,
		    tsblog_scan_cb cb, void *payload, tsblog_error *err)
{
	int rc = scanner_feed(s, buf, len, err);

	return rc < 0 ? rc : drain(s, cb, payload, err);
}

int
tsblog_scanner_finish(tsblog_scanner *s, tsblog_scan_cb cb, void *payload,
		      tsblog_error *err)
{
	int rc = scanner_end(s, err);

	return rc < 0 ? rc : drain(s, cb, payload, err);
}
