/* Helpers shared by the Check suites. */
#ifndef TSBLOG_TESTUTIL_H
#define TSBLOG_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <tsblog.h>

/* Compile a rule file held in a string (no bundled rules); fails the test
 * with the library's message if it does not compile. */
tsblog_ruleset *tu_rules(const char *json);
/* Compile and expect failure; returns the code and fills *err. */
int tu_rules_fail(const char *json, tsblog_error *err);
tsblog_ruleset *tu_builtin(void);
/* Path of a file under tests/data (static buffer, next call overwrites). */
const char *tu_data(const char *rel);
/* Whole file, NUL-terminated; caller frees. */
char *tu_read_file(const char *path, size_t *len);
/* Run one suite; exit status for main(). */
int tu_run(Suite *s);

#endif
