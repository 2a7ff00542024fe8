/* The readable report: problem blocks, repeat counters, the summary. */
#include <stdlib.h>
#include <string.h>
#include "out.h"

/* Unclassified message shapes listed; -o summary-json has them all. */
#define UNCLASSIFIED_SHOWN 10

static enum color
sev_color(int severity)
{
	return severity == TSBLOG_SEVERITY_ERROR     ? C_RED
	       : severity == TSBLOG_SEVERITY_WARNING ? C_YELLOW
						     : C_CYAN;
}

static void
put_sev(term *t, int severity)
{
	static const char *const label[] = { "INFO   ", "WARNING", "ERROR  " };
	term_color(t, sev_color(severity));
	fputs(label[severity >= 0 && severity <= 2 ? severity : 0], t->f);
	term_color(t, C_RESET);
}

/* Where a fix step's command starts: after "...: " when what follows is a
 * command line, so it can go on a line of its own and be copied whole. */
static const char *
command_start(const char *step)
{
	static const char *const cmds[] = { "kubectl ", "tctl ", "helm ",
					    "curl ", "openssl ", "istioctl ",
					    "dig ", "nslookup ", NULL };
	const char *p;
	int i;

	for (p = strstr(step, ": "); p; p = strstr(p + 1, ": ")) {
		const char *q;
		int depth = 0;
		/* Not inside "(check: kubectl ...)": prose stays prose. */
		for (q = step; q < p; q++)
			depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
		if (depth > 0)
			continue;
		for (i = 0; cmds[i]; i++)
			if (!strncmp(p + 2, cmds[i], strlen(cmds[i])))
				return p + 2;
	}
	for (i = 0; cmds[i]; i++)
		if (!strncmp(step, cmds[i], strlen(cmds[i])))
			return step;
	return NULL;
}

void
out_block(term *t, const problem_view *p)
{
	char b1[32], b2[32];
	const char *t1 = short_time(p->first_time, b1, sizeof(b1));
	const char *t2 = short_time(p->last_time, b2, sizeof(b2));
	size_t i, n;

	fputc('\n', t->f);
	put_sev(t, tsblog_rule_severity(p->rule));
	fputs("  ", t->f);
	term_color(t, C_BOLD);
	term_put(t, tsblog_rule_title(p->rule));
	term_color(t, C_RESET);
	term_color(t, C_DIM);
	fprintf(t->f, "  [%s]\n", tsblog_rule_id(p->rule));
	term_color(t, C_RESET);

	fputs("  where  ", t->f);
	term_put(t, p->source ? p->source : "-");
	fprintf(t->f, ":%llu", (unsigned long long)p->first_line);
	if (p->pod) {
		fputs("  pod ", t->f);
		if (p->namespace) {
			term_put(t, p->namespace);
			fputc('/', t->f);
		}
		term_put(t, p->pod);
		if (p->container) {
			fputc('/', t->f);
			term_put(t, p->container);
		}
	} else if (p->namespace) {
		fputs("  namespace ", t->f);
		term_put(t, p->namespace);
	}
	if (t1) {
		fputs("  at ", t->f);
		term_put(t, t1);
	}
	fputc('\n', t->f);
	if (p->count > 1) {
		fprintf(t->f, "  seen   \xc3\x97%llu", (unsigned long long)p->count);
		if (t1 && t2 && strcmp(t1, t2)) {
			fputs(", ", t->f);
			term_put(t, t1);
			fputs(" \xe2\x86\x92 ", t->f);
			term_put(t, t2);
		} else if (p->nsources > 1) {
			fprintf(t->f, " in %zu inputs", p->nsources);
		} else if (p->last_line != p->first_line) {
			fprintf(t->f, ", lines %llu \xe2\x86\x92 %llu",
				(unsigned long long)p->first_line,
				(unsigned long long)p->last_line);
		}
		fputc('\n', t->f);
	}
	fputs("\n  ", t->f);
	term_put(t, p->summary);
	fputc('\n', t->f);
	if (p->nfix)
		fputs("\n  Fix:\n", t->f);
	for (i = 0; i < p->nfix; i++) {
		const char *step = p->fix(p->fix_from, i);
		const char *cmd = command_start(step);
		fprintf(t->f, "  %2zu. ", i + 1);
		if (!cmd) {
			term_put(t, step);
			fputc('\n', t->f);
			continue;
		}
		if (cmd > step) {
			char *prose = strndup(step, (size_t)(cmd - step) - 1);
			term_put(t, prose ? prose : "");
			free(prose);
		}
		fputs("\n        ", t->f);
		term_color(t, C_GREEN);
		term_put(t, cmd);
		term_color(t, C_RESET);
		fputc('\n', t->f);
	}
	n = tsblog_rule_see_also_count(p->rule);
	if (n) {
		fputs("\n  See also: ", t->f);
		for (i = 0; i < n; i++) {
			if (i)
				fputs(", ", t->f);
			term_put(t, tsblog_rule_see_also(p->rule, i));
		}
		fprintf(t->f, "  (tsblog explain ID)\n");
	}
}

static const char *
diagnosis_fix(const void *d, size_t i)
{
	return tsblog_diagnosis_fix(d, i);
}

static const char *
summary_fix(const void *p, size_t i)
{
	return tsblog_summary_problem_fix(p, i);
}

void
view_from_diagnosis(problem_view *p, const tsblog_diagnosis *d)
{
	memset(p, 0, sizeof(*p));
	p->rule = tsblog_diagnosis_rule(d);
	p->summary = tsblog_diagnosis_summary(d);
	p->nfix = tsblog_diagnosis_fix_count(d);
	p->fix = diagnosis_fix;
	p->fix_from = d;
	p->source = tsblog_diagnosis_source(d);
	p->pod = tsblog_diagnosis_pod(d);
	p->container = tsblog_diagnosis_container(d);
	p->namespace = tsblog_diagnosis_namespace(d);
	p->first_line = p->last_line = tsblog_diagnosis_line(d);
	p->first_time = p->last_time = tsblog_diagnosis_timestamp(d);
	p->count = tsblog_diagnosis_count(d);
}

void
out_repeat(term *t, const tsblog_diagnosis *d)
{
	const tsblog_rule *r = tsblog_diagnosis_rule(d);
	char b[32];
	const char *ts = short_time(tsblog_diagnosis_timestamp(d), b, sizeof(b));

	term_color(t, C_DIM);
	fprintf(t->f, "  \xe2\x86\xbb again  [%s] \xc3\x97%llu  ", tsblog_rule_id(r),
		(unsigned long long)tsblog_diagnosis_occurrences(d));
	term_put(t, tsblog_diagnosis_source(d));
	fprintf(t->f, ":%llu", (unsigned long long)tsblog_diagnosis_line(d));
	if (ts) {
		fputs("  at ", t->f);
		term_put(t, ts);
	}
	term_color(t, C_RESET);
	fputc('\n', t->f);
}

void
out_annotation(term *t, const tsblog_diagnosis *d)
{
	const tsblog_rule *r = tsblog_diagnosis_rule(d);
	size_t n = tsblog_diagnosis_fix_count(d);

	term_color(t, sev_color(tsblog_rule_severity(r)));
	fprintf(t->f, ">> tsblog %s [%s] ",
		tsblog_severity_name(tsblog_rule_severity(r)),
		tsblog_rule_id(r));
	term_color(t, C_RESET);
	term_put(t, tsblog_diagnosis_summary(d));
	fputc('\n', t->f);
	if (n) {
		fputs(">>   fix: ", t->f);
		term_put(t, tsblog_diagnosis_fix(d, 0));
		if (n > 1)
			fprintf(t->f, "  (%zu steps: tsblog explain %s)", n,
				tsblog_rule_id(r));
		fputc('\n', t->f);
	}
}

/* The inputs of @status, as "a, b"; none: 0. */
static size_t
put_inputs(term *t, const input_list *inputs, input_status status,
	   const char *label)
{
	size_t i, n = 0;

	for (i = 0; i < inputs->n; i++) {
		if (inputs->v[i].status != status)
			continue;
		fputs(n++ ? ", " : label, t->f);
		term_put(t, inputs->v[i].name);
	}
	if (n)
		fputc('\n', t->f);
	return n;
}

/* "tsblog: interrupted: big.log after 81234 lines (45 MB of 400 MB)". */
static void
put_interrupted(term *t, const input_list *inputs)
{
	size_t i;

	for (i = 0; i < inputs->n; i++) {
		const input *in = &inputs->v[i];
		if (in->status != INPUT_INTERRUPTED)
			continue;
		fputs("tsblog: interrupted: ", t->f);
		term_put(t, in->name);
		fprintf(t->f, " after %llu lines", (unsigned long long)in->lines);
		if (in->size)
			fprintf(t->f, " (%.0f MB of %.0f MB)", in->bytes / 1e6,
				in->size / 1e6);
		fputc('\n', t->f);
	}
}

void
out_report(term *t, const tsblog_ruleset *rs, const tsblog_summary *sum,
	   int brief, const scan_opts *o, const input_list *inputs)
{
	int complete = inputs_complete(inputs);
	size_t i, n, shown = 0, nsev[3] = { 0, 0, 0 };
	const char *id;
	uint64_t hits, k;

	if (brief && tsblog_summary_problem_count(sum))
		fputs("\nSummary:\n", t->f);
	for (i = 0; i < tsblog_summary_problem_count(sum); i++) {
		const tsblog_summary_problem *p = tsblog_summary_problem_get(sum, i);
		const tsblog_rule *r =
			tsblog_ruleset_find(rs, tsblog_summary_problem_rule(p));
		problem_view v;

		if (!r || !scan_keeps(o, r))
			continue;
		shown++;
		nsev[tsblog_rule_severity(r)]++;
		if (brief) {
			fputs("  ", t->f);
			put_sev(t, tsblog_rule_severity(r));
			fprintf(t->f, " \xc3\x97%-5llu [%s] ",
				(unsigned long long)tsblog_summary_problem_sightings(p),
				tsblog_rule_id(r));
			term_put(t, tsblog_rule_title(r));
			fputc('\n', t->f);
			continue;
		}
		memset(&v, 0, sizeof(v));
		v.rule = r;
		v.summary = tsblog_summary_problem_text(p);
		v.nfix = tsblog_summary_problem_fix_count(p);
		v.fix = summary_fix;
		v.fix_from = p;
		v.source = tsblog_summary_problem_source(p, 0);
		v.nsources = tsblog_summary_problem_source_count(p);
		v.pod = tsblog_summary_problem_pod(p);
		v.container = tsblog_summary_problem_container(p);
		v.namespace = tsblog_summary_problem_namespace(p);
		v.first_line = tsblog_summary_problem_first_line(p);
		v.last_line = tsblog_summary_problem_last_line(p);
		v.first_time = tsblog_summary_problem_first_time(p);
		v.last_time = tsblog_summary_problem_last_time(p);
		v.count = tsblog_summary_problem_sightings(p);
		out_block(t, &v);
	}
	n = tsblog_summary_group_count(sum);
	if (n) {
		fputs("\nWarnings and errors no rule knows yet:\n", t->f);
		for (i = 0; i < n; i++) {
			const tsblog_summary_group *g = tsblog_summary_group_get(sum, i);
			if (i == UNCLASSIFIED_SHOWN) {
				fprintf(t->f, "  ... and %zu more groups (-o summary-json lists them all)\n",
					n - UNCLASSIFIED_SHOWN);
				break;
			}
			fprintf(t->f, "  \xc3\x97%-5llu %-5s ",
				(unsigned long long)tsblog_summary_group_sightings(g),
				tsblog_summary_group_level(g));
			term_put(t, tsblog_summary_group_shape(g));
			fputc('\n', t->f);
		}
		fputs("  (tsblog learn FILE turns these into rule skeletons)\n",
		      t->f);
	}
	if (tsblog_summary_limited_count(sum)) {
		fputs("\nRules that gave up on lines at their PCRE2 match limit (those lines\n"
		      "were not matched by them; tsblog rules stats FILE shows what each costs):\n",
		      t->f);
		for (i = 0; (id = tsblog_summary_limited_get(sum, i, &hits)); i++) {
			fprintf(t->f, "  \xc3\x97%-5llu [", (unsigned long long)hits);
			term_put(t, id);
			fputs("]\n", t->f);
		}
	}
	fputc('\n', t->f);
	term_color(t, C_DIM);
	fprintf(t->f, "tsblog: %llu lines, ",
		(unsigned long long)tsblog_summary_total_get(sum, TSBLOG_SUMMARY_RECORDS));
	if (!shown && complete)
		fputs("no known problem found", t->f);
	else if (!shown)
		fputs("no known problem in what was read", t->f);
	else
		fprintf(t->f, "%zu problem%s (%zu error%s, %zu warning%s, %zu info)",
			shown, shown == 1 ? "" : "s", nsev[2],
			nsev[2] == 1 ? "" : "s", nsev[1], nsev[1] == 1 ? "" : "s",
			nsev[0]);
	if ((k = tsblog_summary_total_get(sum, TSBLOG_SUMMARY_TRUNCATED)))
		fprintf(t->f, ", %llu over-long lines matched on their first MiB",
			(unsigned long long)k);
	if ((k = tsblog_summary_total_get(sum, TSBLOG_SUMMARY_MALFORMED)))
		fprintf(t->f, ", %llu malformed events skipped",
			(unsigned long long)k);
	if ((k = tsblog_summary_total_get(sum, TSBLOG_SUMMARY_PROBLEMS_DROPPED)))
		fprintf(t->f, ", %llu sightings of further problems not listed (the problem table was full)",
			(unsigned long long)k);
	term_color(t, C_RESET);
	fputc('\n', t->f);
	if (complete)
		return;
	/* Bold, not dim: a result that is not whole must not pass unseen. */
	term_color(t, C_BOLD);
	put_inputs(t, inputs, INPUT_UNREADABLE, "tsblog: not read: ");
	put_inputs(t, inputs, INPUT_BINARY,
		   "tsblog: skipped as binary (-a reads them as text): ");
	put_interrupted(t, inputs);
	term_color(t, C_RESET);
}
