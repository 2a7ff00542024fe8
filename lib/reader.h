/* The record reader (reader.c, with events.c for Event objects and
 * pretty-printed event documents). */
#ifndef TSBLOG_READER_H
#define TSBLOG_READER_H

#include <jansson.h>
#include <string.h>
#include "envelope.h"
#include "jsonline.h"
#include "limits.h"

/* Turns lines into records.  Most lines are one record each; a line may
 * open a `kubectl get events -o json` document, whose events become
 * records as each one closes, and a compact EventList line is many. */
typedef struct reader_s {
	/* kubectl describe */
	buf_t describe_pod, describe_ns;
	int in_events;
	/* kubectl get events (table) */
	int table_cols;         /* 0 = no table header seen */
	int col_ns, col_age, col_type, col_reason, col_object, col_msg;
	/* kubectl get events -o json, pretty-printed over many lines */
	int in_doc;
	char doc_stack[MAX_DOC_DEPTH];      /* container kinds at depth 1..3 */
	int doc_depth, doc_in_str, doc_esc;
	buf_t item;
	uint64_t item_line, doc_line;
	int item_open, item_oversized;
	int item_indent;        /* of the line its '{' opens, or -1 */
	int resync;             /* a cut line lost the item's end: wait for
				 * the "}" line at item_indent */
	size_t max_item;
	uint64_t walk_line;     /* of the line being walked */
	int doc_closed;         /* its top object ended */
	/* The lines of an open document since it opened or its last item
	 * closed, up to window bytes: read as plain lines, in order, if the
	 * document turns out not to be one (doc_abandon). */
	buf_t held;
	size_t window, replay_at;
	int replaying, held_off, doc_items;
	/* the line that showed it, read after them */
	const char *pend;
	size_t pend_n;
	uint64_t pend_line;
	int has_pend;
	/* a compact list longer than max_record, walked a part at a time */
	int streaming, seg_last;
	const char *seg;        /* borrowed until the part is used up */
	size_t seg_n, seg_at;
	/* records waiting to be taken */
	json_t *root;           /* keeps decoded strings alive */
	json_t *items;          /* EventList being walked, or NULL */
	size_t item_idx;
	uint64_t items_line;
	int have_line_rec;
	record line_rec;
	buf_t msg, text;        /* decoded message and text */
	/* Set by the scanner for a line with no literal and no disguise in
	 * it, which no rule can match (literal_byte()): its records go to
	 * the summary untried, and the summary reads only their message and
	 * level, so a JSON line's other members are not appended, nor its
	 * time and scope read, nor kubelet's pod. */
	int summary_only;
	jsonline jl;            /* the JSON log line's members */
	/* a malformed event document: reported once through the scanner */
	int doc_error;
	int err_line, err_col;
	/* the message's text after its location */
	char err_text[sizeof(((tsblog_error *)0)->message)];
} reader;

void reader_init(reader *rd, size_t max_item);
void reader_reset(reader *rd);
void reader_fini(reader *rd);
/* Whether a cleaned line, read in the plain state, would put the reader
 * in another one (open a JSON document, a describe section, an events
 * table): such lines must be read even when nothing else in them is of
 * interest. */
int reader_line_changes_state(const char *p, size_t n);
/* reader_line_changes_state() for the fast path, which asks it of every
 * line: only a line that starts with a blank or '{' (a document) or a
 * capital letter (a header) can, and most start with none. */
static inline int
reader_line_may_change_state(const char *p, size_t n)
{
	unsigned char c = n ? (unsigned char)p[0] : 0;

	return (c == ' ' || c == '\t' || c == '{' || (c >= 'A' && c <= 'Z')) &&
	       reader_line_changes_state(p, n);
}
/* Whether a cleaned line, read in the plain state, may give a record
 * whose level is warn or above: the level read where its envelope puts
 * it (console, klog, a JSON level key, an Event's type), after kubectl's
 * prefix and timestamp.  Never no for a line that gives one. */
int reader_line_alert(const char *p, size_t n);
/* Take one cleaned line (@cut: it was longer than max_record and is only
 * its first part); then call reader_take() until it returns 0. */
int reader_line(reader *rd, const char *p, size_t n, uint64_t line_no,
		int cut);
/* 1 with the next record in *rec (valid until the next reader call), 0
 * when this line has no more, -1 on no memory. */
int reader_take(reader *rd, record *rec, uint64_t *rec_line);
/* End of input: an unterminated document becomes an error, and its held
 * lines records. */
void reader_finish(reader *rd, uint64_t line_no);
/* A line longer than max_record that starts a compact JSON list, given a
 * part at a time (@p borrowed until reader_take() returns 0), @last with
 * the line's end: its items become records one by one, so memory stays
 * within max_item whatever the list's length.  The first call returns 0
 * (nothing taken: cut the line as usual) unless an item of the list
 * opens in its first max_item bytes; later calls return 1. */
int reader_stream(reader *rd, const char *p, size_t n, uint64_t line_no,
		  int last);
/* Whether the reader holds nothing for lines to come. */
int reader_idle(const reader *rd);

/* --- between reader.c and events.c ----------------------------------- */


static inline int
is(slice s, const char *word)
{
	/* The first byte first: a JSON line's every key is asked of a dozen
	 * words. */
	return (!s.n || s.p[0] == word[0]) && s.n == strlen(word) &&
	       !memcmp(s.p, word, s.n);
}

/* The string member @key of @obj, or an empty slice. */
static inline slice
jstr(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return sl(json_string_value(v), json_string_length(v));
	return sl(NULL, 0);
}

/* Release the decoded document and the EventList being walked. */
void events_drop(reader *rd);
/* Report a malformed event document once, through the scanner. */
void doc_fail(reader *rd, uint64_t line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* One core/v1 or events.k8s.io/v1 Event as a record; 0 if it is none. */
int event_record(json_t *ev, record *rec);
/* Whether @o is an EventList ({"items": [...]}). */
int is_event_list(json_t *o);
/* Whether a line opens a pretty-printed document (it is only "{"). */
int doc_opens(const char *p, size_t n);
/* Follow one line of an open document: 1 when it closed an item. */
int doc_line(reader *rd, const char *p, size_t n, uint64_t line_no);
/* Decode the item just closed into @rec: 1, 0 (none; maybe reported),
 * -1 on no memory. */
int doc_item(reader *rd, record *rec);
/* The next item of a streamed list: 1, 0 (part used up), -1. */
int stream_next(reader *rd, record *rec);
/* A line after a cut one inside an item: wait for the item's end. */
int doc_resync(reader *rd, const char *p, size_t n, uint64_t line_no,
	       record *rec);

#endif
