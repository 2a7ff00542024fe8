/* A program outside the project: built against the installed library
 * with nothing but pkg-config. */
#include <stdio.h>
#include <string.h>
#include <tsblog.h>

int
main(void)
{
	const char *line = "error\tcontrolplane\ttoken rotation failed, retrying in 15m0s: "
			   "secret istio-system/cluster-service-account not found: "
			   "Secret \"cluster-service-account\" not found [scope=\"controlplane\"]";
	tsblog_ruleset *rs;
	tsblog_matcher *m;
	const tsblog_diagnosis *d;
	tsblog_error err;
	int rc;

	if (tsblog_ruleset_new_builtin(&rs, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	if (tsblog_matcher_new(&m, rs, &err) < 0)
		return 1;
	rc = tsblog_matcher_match(m, line, strlen(line), &d, &err);
	if (rc == 1)
		printf("%s %s\n", tsblog_rule_id(tsblog_diagnosis_rule(d)),
		       tsblog_version());
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
	return rc == 1 ? 0 : 1;
}
