/*
 * One rule set, many threads: the documented thread-safety contract
 * (tsblog/ruleset.h: a built rule set is shared read-only; one scanner or
 * matcher per thread).  Eight threads scan the same input, each in its own
 * chunk sizes, several times over, and also self-test the rule set and
 * dump its rules; every thread must produce exactly what one thread alone
 * produces.  Built normally it checks the results; built with
 * -Db_sanitize=thread (tests/reliability/tsan.sh) ThreadSanitizer also
 * checks that nothing shared is written.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "scan-util.h"

#define NTHREADS 8
#define ROUNDS 4

static const char *const inputs[] = {
	"sample/operator.log",
	"envelopes/events.json",
	"envelopes/events-v1.json",
	"envelopes/events-compact.json",
	"envelopes/json-lines.log",
	"envelopes/describe-pod.txt",
	"envelopes/events-table.txt",
	"envelopes/events-table-all-namespaces.txt",
	"envelopes/klog.log",
	"invalid-utf8.log",
};

/* Two chunk sizes per thread, used in turn; 0 = the whole input. */
static const size_t chunking[NTHREADS][2] = {
	{ 0, 0 }, { 1, 1 }, { 3, 17 }, { 64, 1 }, { 509, 4096 },
	{ 4096, 7 }, { 65536, 65536 }, { 2, 1000 },
};

typedef struct {
	const tsblog_ruleset *rs;
	const char *input;
	size_t len;
	size_t sizes[2];
	/* results of the last round, and whether all rounds agreed */
	char *diags, *summary;
	char *rules_json;
	uint64_t records;
	int check_failures;
	int rounds_agree;
	int error;
	char error_msg[512];
} job;

/* Scan alternating between the two chunk sizes. */
static void
scan_chunked(job *j, scan_result *r)
{
	tsblog_scanner *s = NULL;
	tsblog_error err;
	size_t at = 0, k = 0;

	memset(r, 0, sizeof(*r));
	if (tsblog_scanner_new(&s, j->rs, "test", NULL, &err) < 0) {
		r->fatal = err.code;
		return;
	}
	while (at < j->len) {
		size_t n = j->sizes[k++ & 1];
		if (!n || n > j->len - at)
			n = j->len - at;
		if (su_scan_chunk(s, j->input + at, n, r) < 0)
			goto out;
		at += n;
	}
	if (su_scan_chunk(s, NULL, 0, r) == 0)
		su_totals(s, r);
out:
	tsblog_scanner_free(s);
}

/* Every rule as JSON, concatenated. */
static char *
rules_json(const tsblog_ruleset *rs)
{
	scan_result acc;
	size_t i;

	memset(&acc, 0, sizeof(acc));
	for (i = 0; i < tsblog_ruleset_count(rs); i++) {
		char *js = NULL;
		if (tsblog_rule_to_json(&js, tsblog_ruleset_rule(rs, i), NULL) < 0)
			break;
		su_append(&acc, js, strlen(js));
		tsblog_free(js);
	}
	return acc.diags;
}

static void *
worker(void *arg)
{
	job *j = arg;
	int round;

	j->rounds_agree = 1;
	j->check_failures = tsblog_ruleset_check(j->rs, NULL, NULL, NULL);
	j->rules_json = rules_json(j->rs);
	for (round = 0; round < ROUNDS; round++) {
		scan_result r;
		scan_chunked(j, &r);
		if (r.fatal) {
			j->error = r.fatal;
			snprintf(j->error_msg, sizeof(j->error_msg), "%s",
				 r.fatal_msg);
			su_free(&r);
			break;
		}
		if (round == 0) {
			j->diags = r.diags;
			j->summary = r.summary;
			j->records = r.records;
			r.diags = NULL;
			r.summary = NULL;
		} else if (strcmp(r.diags ? r.diags : "",
				  j->diags ? j->diags : "") ||
			   strcmp(r.summary, j->summary)) {
			j->rounds_agree = 0;
		}
		su_free(&r);
	}
	return NULL;
}

static char *
read_inputs(size_t *len)
{
	scan_result acc;
	size_t i;

	memset(&acc, 0, sizeof(acc));
	for (i = 0; i < sizeof(inputs) / sizeof(*inputs); i++) {
		size_t n;
		char *p = tu_read_file(tu_data(inputs[i]), &n);
		/* su_append ends each file with a newline of its own. */
		while (n && p[n - 1] == '\n')
			n--;
		su_append(&acc, p, n);
		free(p);
	}
	*len = acc.diags_len;
	return acc.diags;
}

START_TEST(threads_share_one_ruleset)
{
	/* The threads get a rule set nobody has matched with yet, so they
	 * also race to JIT-compile each pattern on first use. */
	tsblog_ruleset *rs = tu_builtin(), *ref_rs = tu_builtin();
	pthread_t tid[NTHREADS];
	job jobs[NTHREADS];
	scan_result ref;
	char *ref_rules;
	size_t len, i;
	char *input = read_inputs(&len);

	/* The reference: one thread, one chunk. */
	su_scan(ref_rs, NULL, input, len, 0, &ref);
	ck_assert_msg(ref.fatal == 0, "%s", ref.fatal_msg);
	ck_assert_uint_eq(ref.records, su_lines(input, len));
	ck_assert_uint_ge(ref.ndiags, 10);
	ref_rules = rules_json(ref_rs);

	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < NTHREADS; i++) {
		jobs[i].rs = rs;
		jobs[i].input = input;
		jobs[i].len = len;
		jobs[i].sizes[0] = chunking[i][0];
		jobs[i].sizes[1] = chunking[i][1];
		ck_assert_int_eq(pthread_create(&tid[i], NULL, worker, &jobs[i]),
				 0);
	}
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(tid[i], NULL), 0);

	for (i = 0; i < NTHREADS; i++) {
		job *j = &jobs[i];
		ck_assert_msg(j->error == 0, "thread %zu: %d: %s", i, j->error,
			      j->error_msg);
		ck_assert_msg(j->rounds_agree, "thread %zu: rounds differ", i);
		ck_assert_int_eq(j->check_failures, 0);
		ck_assert_str_eq(j->rules_json, ref_rules);
		ck_assert_uint_eq(j->records, ref.records);
		ck_assert_msg(!strcmp(j->diags, ref.diags),
			      "thread %zu (chunks %zu/%zu): diagnoses differ",
			      i, j->sizes[0], j->sizes[1]);
		if (strcmp(j->summary, ref.summary))
			fprintf(stderr, "# thread %zu summary: %s\n# reference: %s\n",
				i, j->summary, ref.summary);
		ck_assert_msg(!strcmp(j->summary, ref.summary),
			      "thread %zu (chunks %zu/%zu): summary differs",
			      i, j->sizes[0], j->sizes[1]);
		free(j->diags);
		tsblog_free(j->summary);
		free(j->rules_json);
	}
	free(ref_rules);
	su_free(&ref);
	free(input);
	tsblog_ruleset_free(rs);
	tsblog_ruleset_free(ref_rs);
}
END_TEST

static int
count_diagnoses(tsblog_scan_what what, const tsblog_diagnosis *d,
		const tsblog_error *event, void *payload)
{
	(void)d;
	(void)event;
	*(int *)payload += what == TSBLOG_SCAN_DIAGNOSIS;
	return TSBLOG_CONTINUE;
}

/* Many threads making and freeing their own matchers and scanners on one
 * rule set at the same time. */
static void *
churn(void *arg)
{
	const tsblog_ruleset *rs = arg;
	static const char line[] =
		"2026-11-20T08:10:01.251903Z\terror\tcontrolplane\ttoken rotation "
		"failed, retrying in 15m0s: secret istio-system/cluster-service-"
		"account not found";
	long ok = 0;
	int i;

	for (i = 0; i < 200; i++) {
		tsblog_matcher *m = NULL;
		tsblog_scanner *s = NULL;
		const tsblog_diagnosis *d;
		int found = 0;
		if (tsblog_matcher_new(&m, rs, NULL) == 0 &&
		    tsblog_matcher_match(m, line, sizeof(line) - 1, &d, NULL) == 1 &&
		    !strcmp(tsblog_rule_id(tsblog_diagnosis_rule(d)),
			    "cp-sa-secret-missing"))
			ok++;
		if (tsblog_scanner_new(&s, rs, "churn", NULL, NULL) == 0 &&
		    tsblog_scanner_scan(s, line, sizeof(line) - 1, NULL, NULL,
					NULL) == 0 &&
		    tsblog_scanner_finish(s, count_diagnoses, &found,
					  NULL) == 0)
			ok += found == 1;
		tsblog_scanner_free(s);
		tsblog_matcher_free(m);
	}
	return (void *)ok;
}

START_TEST(threads_make_and_free_concurrently)
{
	tsblog_ruleset *rs = tu_builtin();
	pthread_t tid[NTHREADS];
	size_t i;

	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&tid[i], NULL, churn, rs), 0);
	for (i = 0; i < NTHREADS; i++) {
		void *ok;
		ck_assert_int_eq(pthread_join(tid[i], &ok), 0);
		ck_assert_int_eq((long)ok, 400);
	}
	tsblog_ruleset_free(rs);
}
END_TEST

static Suite *
threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("shared");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, threads_share_one_ruleset);
	tcase_add_test(tc, threads_make_and_free_concurrently);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(threads_suite());
}
