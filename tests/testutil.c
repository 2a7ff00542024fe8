#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"

tsblog_ruleset *
tu_rules(const char *json)
{
	tsblog_builder *b;
	tsblog_ruleset *rs = NULL;
	tsblog_error err;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, &err), 0);
	if (tsblog_builder_add_string(b, "test.json", json, strlen(json),
				      &err) < 0)
		ck_abort_msg("rules do not compile: %s", err.message);
	ck_assert_int_eq(tsblog_builder_build(&rs, b, &err), 0);
	tsblog_builder_free(b);
	return rs;
}

int
tu_rules_fail(const char *json, tsblog_error *err)
{
	tsblog_builder *b;
	int rc;

	ck_assert_int_eq(tsblog_builder_new(&b, NULL, err), 0);
	rc = tsblog_builder_add_string(b, "test.json", json, strlen(json),
				       err);
	tsblog_builder_free(b);
	ck_assert_msg(rc < 0, "rules compiled but were expected to fail");
	return rc;
}

tsblog_ruleset *
tu_builtin(void)
{
	tsblog_ruleset *rs = NULL;
	tsblog_error err;
	if (tsblog_ruleset_new_builtin(&rs, &err) < 0)
		ck_abort_msg("bundled rules: %s", err.message);
	return rs;
}

const char *
tu_data(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("TSBLOG_TEST_DATA");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", rel);
	return path;
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return buf;
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
