/* What the scan prints: the text report (out_text.c), JSON (out_json.c). */
#ifndef TSBLOG_OUT_H
#define TSBLOG_OUT_H

#include <jansson.h>
#include "cmd.h"

/* What became of each input, for the report and the summary document:
 * no all-clear for input that was not read. */
typedef enum {
	INPUT_READ, INPUT_UNREADABLE, INPUT_BINARY, INPUT_INTERRUPTED
} input_status;

typedef struct {
	char *name;
	input_status status;
	/* how far it got: lines and bytes read, and its size when known */
	uint64_t lines, bytes, size;
} input;

typedef struct {
	input *v;
	size_t n, cap;
} input_list;

/* "read", "unreadable", "binary", "interrupted". */
const char *input_status_name(input_status s);
/* Whether every input was read to its end. */
int inputs_complete(const input_list *l);

/* One problem, whether it comes from a live diagnosis or the summary. */
typedef struct {
	const tsblog_rule *rule;
	const char *summary;
	size_t nfix;
	const char *(*fix)(const void *from, size_t i); /* step i */
	const void *fix_from;
	const char *source, *pod, *container, *namespace;
	uint64_t first_line, last_line, count;
	size_t nsources;        /* inputs it was seen in (0 or 1: one) */
	const char *first_time, *last_time;
} problem_view;

void out_block(term *t, const problem_view *p);
/* "  ↻ again ×N ..." for a problem already shown. */
void out_repeat(term *t, const tsblog_diagnosis *d);
/* A view of a diagnosis, valid while @d is. */
void view_from_diagnosis(problem_view *p, const tsblog_diagnosis *d);
/* The end: every problem of @summary that @o keeps (as blocks, or one
 * line each when brief), then the unclassified errors, the totals, and
 * the inputs that were not read. */
void out_report(term *t, const tsblog_ruleset *rs,
		const tsblog_summary *summary, int brief, const scan_opts *o,
		const input_list *inputs);
/* An annotation after a log line, for --passthrough. */
void out_annotation(term *t, const tsblog_diagnosis *d);

/* -o json: the diagnosis as one line; -1 (reported) on failure. */
int out_json_line(const tsblog_diagnosis *d);
/* -o summary-json: the summary document @doc (compact JSON, as
 * tsblog_scanner_summary_json() or tsblog_summary_merge() write it) with
 * the problems @o keeps, the status of each input and whether the result
 * is complete; -1 (reported) on failure. */
int out_summary_json(const char *doc, const tsblog_ruleset *rs,
		     const scan_opts *o, const input_list *inputs);

#endif
