/*
 * Rule context conditions: the envelope's pod, container, namespace, level
 * and scope, tested after the message matched; loading errors at their
 * place; what the scanner passes; self-tests with examples' context; and
 * the bundled catalog's context-dependent advice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

/* The same message, TSB advice for the TSB operator, generic elsewhere. */
static const char *const RULES =
	"{\"tsblog\": 1, \"rules\": [\n"
	" {\"id\": \"expired-tsb\", \"severity\": \"error\", \"title\": \"t\",\n"
	"  \"match\": \"certificate has expired\", \"summary\": \"tsb\",\n"
	"  \"context\": {\"pod\": \"^tsb-operator-control-plane-\",\n"
	"              \"namespace\": \"^istio-system$\"}},\n"
	" {\"id\": \"expired-edge\", \"severity\": \"error\", \"title\": \"t\",\n"
	"  \"match\": \"certificate has expired\", \"summary\": \"edge\",\n"
	"  \"context\": [{\"pod\": \"^edge-\"}, {\"scope\": \"^stream$\", \"level\": \"^warn$\"}]},\n"
	" {\"id\": \"expired\", \"severity\": \"error\", \"title\": \"t\",\n"
	"  \"match\": \"certificate has expired\", \"summary\": \"generic\"}\n"
	"]}\n";

/* pod, container, namespace, level, scope */
#define ENV(pod, container, ns, level, scope) \
	{ TSBLOG_ENVELOPE_VERSION, pod, ns, container, NULL, level, scope }

static const char *const LINE = "x509: certificate has expired or is not yet valid";

static const char *
first_rule(tsblog_matcher *m, const tsblog_envelope *ctx)
{
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	int rc = tsblog_matcher_match_context(m, LINE, strlen(LINE), ctx, &d,
					      &err);

	ck_assert_int_ge(rc, 0);
	return rc ? tsblog_rule_id(tsblog_diagnosis_rule(d)) : "(none)";
}

START_TEST(context_decides_between_rules)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_matcher *m;
	tsblog_error err;
	tsblog_envelope op = ENV( "tsb-operator-control-plane-7d9c", NULL,
			      "istio-system", NULL, NULL );
	tsblog_envelope op_elsewhere = ENV( "tsb-operator-control-plane-7d9c", NULL,
					"default", NULL, NULL );
	tsblog_envelope edge = ENV( "edge-6b8f9c7d4-m2xq9", NULL, NULL, NULL, NULL );
	tsblog_envelope stream = ENV( NULL, NULL, NULL, "warning", "stream" );
	tsblog_envelope stream_err = ENV( NULL, NULL, NULL, "error", "stream" );
	tsblog_envelope webhook = ENV( "cert-manager-webhook-5d8", "webhook",
				   "cert-manager", "error", NULL );

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
	ck_assert_str_eq(first_rule(m, &op), "expired-tsb");
	ck_assert_str_eq(first_rule(m, &op_elsewhere), "expired");
	ck_assert_str_eq(first_rule(m, &edge), "expired-edge");
	ck_assert_str_eq(first_rule(m, &stream), "expired-edge");
	ck_assert_str_eq(first_rule(m, &stream_err), "expired");
	ck_assert_str_eq(first_rule(m, &webhook), "expired");
	ck_assert_str_eq(first_rule(m, NULL), "expired");
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

START_TEST(context_holds_says_which_condition_failed)
{
	tsblog_ruleset *rs = tu_rules(RULES);
	const tsblog_rule *tsb = tsblog_ruleset_find(rs, "expired-tsb");
	const tsblog_rule *edge = tsblog_ruleset_find(rs, "expired-edge");
	const tsblog_rule *plain = tsblog_ruleset_find(rs, "expired");
	tsblog_envelope webhook = ENV( "cert-manager-webhook-5d8", NULL, NULL,
				   NULL, NULL );
	tsblog_envelope op = ENV( "tsb-operator-control-plane-7d9c", NULL, "tsb",
			      NULL, NULL );
	char why[200];

	ck_assert_int_eq(tsblog_rule_context_holds(tsb, LINE, strlen(LINE), &webhook,
						   why, sizeof(why)), 0);
	ck_assert_str_eq(why, "pod \"cert-manager-webhook-5d8\" does not match ^tsb-operator-control-plane-");
	ck_assert_int_eq(tsblog_rule_context_holds(tsb, LINE, strlen(LINE), &op, why,
						   sizeof(why)), 0);
	ck_assert_str_eq(why, "namespace \"tsb\" does not match ^istio-system$");
	ck_assert_int_eq(tsblog_rule_context_holds(tsb, LINE, strlen(LINE), NULL, why,
						   sizeof(why)), 0);
	ck_assert_str_eq(why, "pod \"\" does not match ^tsb-operator-control-plane-");
	ck_assert_int_eq(tsblog_rule_context_holds(edge, LINE, strlen(LINE), &webhook,
						   why, sizeof(why)), 0);
	ck_assert_str_eq(why, "pod \"cert-manager-webhook-5d8\" does not match ^edge- (nor does any other alternative hold)");
	ck_assert_int_eq(tsblog_rule_context_holds(plain, NULL, 0, &webhook, why,
						   sizeof(why)), 1);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(tsblog_rule_context_holds(tsb, LINE, strlen(LINE), &webhook,
						   why, 0),
			 TSBLOG_EINVAL);
	ck_assert_ptr_null(tsblog_rule_context(plain));
	ck_assert_str_eq(tsblog_rule_context(edge),
			 "[{\"pod\":\"^edge-\"},{\"scope\":\"^stream$\",\"level\":\"^warn$\"}]");
	tsblog_ruleset_free(rs);
}
END_TEST

typedef struct {
	char got[8][64];
	int n;
} seen;

static int
collect(tsblog_scan_what what, const tsblog_diagnosis *d,
	const tsblog_error *event, void *payload)
{
	seen *s = payload;

	(void)event;
	if (what == TSBLOG_SCAN_DIAGNOSIS && s->n < 8)
		snprintf(s->got[s->n++], sizeof(s->got[0]), "%s",
			 tsblog_rule_id(tsblog_diagnosis_rule(d)));
	return TSBLOG_CONTINUE;
}

/* What the envelopes carry reaches the conditions: the kubectl --prefix
 * pod, the console scope and level, a JSON line's logger, an events row's
 * namespace. */
START_TEST(context_from_the_scanner)
{
	static const char input[] =
		"[pod/edge-6b8f9c7d4-m2xq9/edge] x509: certificate has expired or is not yet valid\n"
		"[pod/cert-manager-webhook-5d8/webhook] x509: certificate has expired or is not yet valid\n"
		"2026-11-20T08:14:02.401127Z\twarn\tstream\terror getting stream: x509: certificate has expired or is not yet valid\n"
		"2026-11-20T08:14:02.401127Z\twarn\tads\tx509: certificate has expired or is not yet valid\n"
		"{\"level\":\"warn\",\"logger\":\"stream\",\"msg\":\"x509: certificate has expired\"}\n"
		"{\"level\":\"warn\",\"logger\":\"ads\",\"msg\":\"x509: certificate has expired\"}\n";
	tsblog_ruleset *rs = tu_rules(RULES);
	tsblog_scanner *sc;
	tsblog_error err;
	seen s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(tsblog_scanner_new(&sc, rs, "t", NULL, &err), 0);
	ck_assert_int_eq(tsblog_scanner_scan(sc, input, sizeof(input) - 1,
					     collect, &s, &err), 0);
	ck_assert_int_eq(tsblog_scanner_finish(sc, collect, &s, &err), 0);
	ck_assert_int_eq(s.n, 6);
	ck_assert_str_eq(s.got[0], "expired-edge");
	ck_assert_str_eq(s.got[1], "expired");
	ck_assert_str_eq(s.got[2], "expired-edge");
	ck_assert_str_eq(s.got[3], "expired");
	ck_assert_str_eq(s.got[4], "expired-edge");
	ck_assert_str_eq(s.got[5], "expired");
	tsblog_scanner_free(sc);
	tsblog_ruleset_free(rs);
}
END_TEST

static const char *
load_error(const char *json)
{
	static tsblog_error err;
	tu_rules_fail(json, &err);
	return err.message;
}

START_TEST(context_errors_are_located)
{
	ck_assert_str_eq(load_error(
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\",\n"
		" \"title\": \"t\", \"match\": \"m\", \"summary\": \"s\",\n"
		" \"context\": {\"pod\": \"^a\", \"node\": \"n1\"}}]}"),
		"test.json:3:27: rule \"a\": context: unknown context key \"node\" (allowed: pod, container, namespace, level, scope, message)");
	ck_assert_str_eq(load_error(
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\",\n"
		" \"title\": \"t\", \"match\": \"m\", \"summary\": \"s\",\n"
		" \"context\": [{\"pod\": \"^a\"}, {\"level\": \"(err\"}]}]}"),
		"test.json:3:30: rule \"a\": context: context \"level\": PCRE2 error at offset 4: missing closing parenthesis");
	ck_assert_str_eq(load_error(
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\",\n"
		" \"title\": \"t\", \"match\": \"m\", \"summary\": \"s\",\n"
		" \"context\": {}}]}"),
		"test.json:3:13: rule \"a\": context: must be an object of key: regex (keys pod, container, namespace, level, scope, message), or an array of such objects");
	ck_assert_str_eq(load_error(
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\",\n"
		" \"title\": \"t\", \"match\": \"m\", \"summary\": \"s\",\n"
		" \"examples\": [{\"line\": \"m\", \"context\": {\"pod\": 7}}]}]}"),
		"test.json:3:41: rule \"a\": context: context \"pod\" must be a string");
	ck_assert_str_eq(load_error(
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\",\n"
		" \"title\": \"t\", \"match\": \"m\", \"summary\": \"s\",\n"
		" \"examples\": [{\"line\": \"m\", \"context\": {\"message\": \"m\"}}]}]}"),
		"test.json:3:41: rule \"a\": context: \"message\" is the line's own: give the envelope's pod, container, namespace, level or scope");
	ck_assert_str_eq(load_error(
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"a\", \"severity\": \"info\",\n"
		" \"title\": \"t\", \"match\": \"m\", \"summary\": \"s\",\n"
		" \"counter_examples\": [\"x\", {\"line\": \"y\", \"context\": {\"host\": \"h\"}}]}]}"),
		"test.json:3:54: rule \"a\": context: unknown context key \"host\" (allowed: pod, container, namespace, level, scope, message)");
}
END_TEST

static int
count_failure(const tsblog_check_failure *f, void *payload)
{
	char *last = payload;
	snprintf(last, 400, "%s", f->message);
	return 0;
}

/* Examples are read through their envelope and may add context;
 * counter-examples may carry the context that keeps the rule silent. */
START_TEST(context_in_self_tests)
{
	static const char *const ok =
		"{\"tsblog\": 1, \"rules\": [\n"
		" {\"id\": \"edge-expired\", \"severity\": \"error\", \"title\": \"t\",\n"
		"  \"match\": \"certificate has expired\", \"summary\": \"edge\",\n"
		"  \"context\": {\"pod\": \"^edge-\", \"namespace\": \"^istio-system$\"},\n"
		"  \"examples\": [{\"line\": \"[pod/edge-1/edge] certificate has expired\",\n"
		"                 \"context\": {\"namespace\": \"istio-system\"}},\n"
		"               {\"line\": \"certificate has expired\",\n"
		"                 \"context\": {\"pod\": \"edge-2\", \"namespace\": \"istio-system\"}}],\n"
		"  \"counter_examples\": [{\"line\": \"certificate has expired\",\n"
		"                         \"context\": {\"pod\": \"app-1\", \"namespace\": \"istio-system\"}},\n"
		"                        \"certificate has expired\"]}\n"
		"]}\n";
	static const char *const bad =
		"{\"tsblog\": 1, \"rules\": [\n"
		" {\"id\": \"edge-expired\", \"severity\": \"error\", \"title\": \"t\",\n"
		"  \"match\": \"certificate has expired\", \"summary\": \"edge\",\n"
		"  \"context\": {\"pod\": \"^edge-\"},\n"
		"  \"examples\": [{\"line\": \"certificate has expired\"}],\n"
		"  \"counter_examples\": [{\"line\": \"certificate has expired\",\n"
		"                         \"context\": {\"pod\": \"edge-3\"}}]}\n"
		"]}\n";
	tsblog_ruleset *rs = tu_rules(ok);
	tsblog_error err;
	char last[400] = "";

	ck_assert_int_eq(tsblog_ruleset_check(rs, count_failure, last, &err), 0);
	tsblog_ruleset_free(rs);
	rs = tu_rules(bad);
	ck_assert_int_eq(tsblog_ruleset_check(rs, count_failure, last, &err), 2);
	ck_assert_str_eq(last, "test.json:6:24: rule \"edge-expired\": counter_examples[0]: the rule matches \"certificate has expired\"");
	tsblog_ruleset_free(rs);
}
END_TEST

static const tsblog_diagnosis *
builtin_match(tsblog_matcher *m, const char *line, const tsblog_envelope *ctx)
{
	const tsblog_diagnosis *d = NULL;
	tsblog_error err;
	ck_assert_int_eq(tsblog_matcher_match_context(m, line, strlen(line), ctx,
						      &d, &err), 1);
	return d;
}

/* The bundled catalog: one line, the advice that fits who printed it. */
START_TEST(context_builtin_advice_fits_the_source)
{
	static const char expired[] =
		"x509: certificate has expired or is not yet valid: current time 2026-11-20T08:14:02Z is after 2026-11-19T23:59:59Z";
	static const char unmounted[] =
		"Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-x2k4q], failed to process volumes=[]: timed out waiting for the condition";
	tsblog_envelope op = ENV( "tsb-operator-control-plane-7d9c", NULL,
			      "istio-system", NULL, NULL );
	tsblog_envelope webhook = ENV( "cert-manager-webhook-5d8", NULL,
				   "cert-manager", NULL, NULL );
	tsblog_envelope app = ENV( "payments-7f9d8c6b5-2xkqz", NULL, "payments",
			       NULL, NULL );
	tsblog_envelope edge = ENV( "edge-6b8f9c7d4-m2xq9", NULL, "istio-system",
				NULL, NULL );
	tsblog_ruleset *rs = tu_builtin();
	tsblog_matcher *m;
	tsblog_error err;
	const tsblog_diagnosis *d;

	ck_assert_int_eq(tsblog_matcher_new(&m, rs, &err), 0);
	d = builtin_match(m, expired, &op);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "tls-cert-expired");
	ck_assert_ptr_nonnull(strstr(tsblog_diagnosis_fix(d, 0), "tsb-certs"));
	d = builtin_match(m, expired, &webhook);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "x509-cert-expired");
	ck_assert_ptr_null(strstr(tsblog_diagnosis_summary(d), "tsb-certs"));
	ck_assert_str_eq(tsblog_diagnosis_get(d, "when"), "after");
	/* No envelope, but the text says who printed it. */
	d = builtin_match(m, "token rotation failed, retrying in 3.2s: generate tokens: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: x509: certificate has expired or is not yet valid\"", NULL);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "tls-cert-expired");
	d = builtin_match(m, unmounted, &edge);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "edge-volumes-unmounted");
	d = builtin_match(m, unmounted, &app);
	ck_assert_str_eq(tsblog_rule_id(tsblog_diagnosis_rule(d)), "pod-volumes-unmounted");
	ck_assert_ptr_null(strstr(tsblog_diagnosis_summary(d), "edge"));
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("context");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, context_decides_between_rules);
	tcase_add_test(tc, context_holds_says_which_condition_failed);
	tcase_add_test(tc, context_from_the_scanner);
	tcase_add_test(tc, context_errors_are_located);
	tcase_add_test(tc, context_in_self_tests);
	tcase_add_test(tc, context_builtin_advice_fits_the_source);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
