/* Envelope recognisers (envelope.c) and the record reader (records.c). */
#ifndef TSBLOG_ENVELOPE_H
#define TSBLOG_ENVELOPE_H

#include <jansson.h>
#include "level.h"
#include "limits.h"
#include "tsblog-private.h"

size_t rfc3339_len(const char *p, size_t n);
size_t split_columns(const char *p, size_t n, slice *cols, size_t max);
uint64_t age_count(slice age);
int env_kubectl_prefix(record *rec);
int env_kubectl_timestamp(record *rec);
int env_console(record *rec);
int env_klog(record *rec);

/* Turns lines into records.  Most lines are one record each; a line may
 * open a `kubectl get events -o json` document, whose events become
 * records as each one closes, and a compact EventList line is many. */
typedef struct {
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
	/* records waiting to be taken */
	json_t *root;           /* keeps decoded strings alive */
	json_t *items;          /* EventList being walked, or NULL */
	size_t item_idx;
	uint64_t items_line;
	int have_line_rec;
	record line_rec;
	buf_t msg, text;        /* decoded message and text */
	/* a malformed event document: reported once through the scanner */
	int doc_error;
	int err_line, err_col;
	char err_text[200];
} reader;

void reader_init(reader *rd, size_t max_item);
void reader_reset(reader *rd);
void reader_fini(reader *rd);
/* Whether a cleaned line, read in the plain state, would put the reader
 * in another one (open a JSON document, a describe section, an events
 * table): such lines must be read even when nothing else in them is of
 * interest. */
int reader_line_changes_state(const char *p, size_t n);
/* Take one cleaned line (@cut: it was longer than max_record and is only
 * its first part); then call reader_take() until it returns 0. */
int reader_line(reader *rd, const char *p, size_t n, uint64_t line_no,
		int cut);
/* 1 with the next record in *rec (valid until the next reader call), 0
 * when this line has no more, -1 on no memory. */
int reader_take(reader *rd, record *rec, uint64_t *rec_line);
/* End of input: an unterminated document becomes an error. */
void reader_finish(reader *rd, uint64_t line_no);

#endif
