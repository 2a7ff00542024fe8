/* The readable report: problem blocks, repeat counters, the summary. */
#ifndef TSBLOG_REPORT_H
#define TSBLOG_REPORT_H

#include <jansson.h>
#include "cmd.h"

/* One problem, whether it comes from a live diagnosis or the summary. */
typedef struct {
	const tsblog_rule *rule;
	const char *summary;
	const char **fix;
	size_t nfix;
	const char *source, *pod, *container, *namespace;
	uint64_t first_line, last_line, count;
	size_t nsources;        /* inputs it was seen in (0 or 1: one) */
	const char *first_time, *last_time;
} problem_view;

void report_block(term *t, const problem_view *p);
/* "  ↻ again ×N ..." for a problem already shown. */
void report_repeat(term *t, const tsblog_diagnosis *d);
/* Fill a view from a diagnosis (fix array must hold its fix count). */
void view_from_diagnosis(problem_view *p, const tsblog_diagnosis *d,
			 const char **fix);
/* The end: every problem of the summary document (as blocks, or one line
 * each when brief), then the unclassified errors and the totals. */
void report_summary(term *t, const tsblog_ruleset *rs, json_t *summary,
		    int brief, int (*keep)(const tsblog_rule *, void *),
		    void *payload);
/* An annotation after a log line, for --passthrough. */
void report_annotation(term *t, const tsblog_diagnosis *d);

#endif
