/* tsblog [options] [FILE...]: scan logs and print diagnoses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

#define READ_CHUNK (256 * 1024)

enum output { OUT_JSON, OUT_SUMMARY_JSON };

typedef struct {
	tsblog_scanner *s;
	char *buf;
	enum output output;
	unsigned long long found;
	int trouble;
} scan_state;

static int
drain(scan_state *st)
{
	const tsblog_diagnosis *d;
	tsblog_error err;
	int rc;

	for (;;) {
		char *json;
		rc = tsblog_scanner_next(st->s, &d, &err);
		if (rc == TSBLOG_ESYNTAX) {
			/* A malformed event: say where, scan on. */
			die_msg("%s", err.message);
			st->trouble = 1;
			continue;
		}
		if (rc != 1)
			break;
		st->found++;
		if (st->output != OUT_JSON)
			continue;
		if (tsblog_diagnosis_to_json(&json, d, &err) < 0) {
			die_msg("%s", err.message);
			return -1;
		}
		fputs(json, stdout);
		fputc('\n', stdout);
		tsblog_free(json);
	}
	if (rc < 0) {
		die_msg("%s", err.message);
		return -1;
	}
	return 0;
}

static void
scan_file(scan_state *st, const char *path)
{
	int is_stdin = !strcmp(path, "-");
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	tsblog_error err;
	size_t n;

	if (!fp) {
		die_msg("%s: cannot open: %s", path, strerror(errno));
		st->trouble = 1;
		return;
	}
	if (tsblog_scanner_reset(st->s, path) < 0) {
		die_msg("out of memory");
		st->trouble = 1;
		goto out;
	}
	while ((n = fread(st->buf, 1, READ_CHUNK, fp)) > 0) {
		if (tsblog_scanner_feed(st->s, st->buf, n, &err) < 0) {
			die_msg("%s", err.message);
			st->trouble = 1;
			goto out;
		}
		if (drain(st) < 0) {
			st->trouble = 1;
			goto out;
		}
	}
	if (ferror(fp)) {
		die_msg("%s: read error: %s", path, strerror(errno));
		st->trouble = 1;
	}
	tsblog_scanner_finish(st->s, &err);
	if (drain(st) < 0)
		st->trouble = 1;
out:
	if (!is_stdin)
		fclose(fp);
}

static void
usage(FILE *to)
{
	fputs("Usage: tsblog [-r FILE]... [--no-builtin] [-o json|summary-json] [FILE...]\n"
	      "       tsblog rules check [FILE...]\n"
	      "       tsblog rules list [-r FILE]... [--no-builtin]\n"
	      "       tsblog --version\n"
	      "\n"
	      "Reads logs (FILE, or standard input when none or '-') and prints one\n"
	      "JSON object per diagnosis.\n"
	      "\n"
	      "  -r, --rules FILE   load a rule file before the bundled rules (repeatable)\n"
	      "      --no-builtin   do not load the bundled TSB rules\n"
	      "  -o, --output json  JSON Lines, one diagnosis per line (the default)\n"
	      "  -o summary-json    one JSON document: distinct problems and\n"
	      "                     unclassified errors, at the end\n"
	      "\n"
	      "Example:\n"
	      "  kubectl logs -n istio-system deploy/tsb-operator-control-plane | tsblog\n"
	      "\n"
	      "Exit status: 0 nothing found, 1 diagnoses found, 2 trouble.\n",
	      to);
}

int
cmd_scan(int argc, char **argv)
{
	const char *files_stdin[] = { "-" };
	const char **inputs;
	rule_args ra = { 0 };
	scan_state st = { 0 };
	tsblog_ruleset *rs;
	tsblog_scan_options sopts = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_error err;
	int i, ninputs = 0, only_files = 0, status;

	ra.rule_files = calloc((size_t)argc + 1, sizeof(char *));
	inputs = calloc((size_t)argc + 1, sizeof(char *));
	if (!ra.rule_files || !inputs) {
		die_msg("out of memory");
		return EXIT_TROUBLE;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int taken;
		if (only_files || a[0] != '-' || !strcmp(a, "-")) {
			inputs[ninputs++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_files = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_CLEAN;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("tsblog %s\n", tsblog_version());
			return EXIT_CLEAN;
		}
		taken = parse_rule_arg(&ra, argc, argv, &i);
		if (taken < 0)
			return EXIT_TROUBLE;
		if (taken)
			continue;
		if (!strcmp(a, "-o") || !strcmp(a, "--output") ||
		    !strncmp(a, "--output=", 9) || !strncmp(a, "-o", 2)) {
			const char *v = !strncmp(a, "--output=", 9) ? a + 9
					: a[1] == 'o' && a[2] ? a + 2
					: i + 1 < argc ? argv[++i]
						       : "";
			if (!strcmp(v, "json"))
				st.output = OUT_JSON;
			else if (!strcmp(v, "summary-json"))
				st.output = OUT_SUMMARY_JSON;
			else {
				die_msg("-o takes json or summary-json, not '%s'", v);
				return EXIT_TROUBLE;
			}
			continue;
		}
		die_msg("unknown option %s (see tsblog --help)", a);
		return EXIT_TROUBLE;
	}
	rs = load_rules(&ra);
	if (!rs)
		return EXIT_TROUBLE;
	sopts.flags = st.output == OUT_JSON ? TSBLOG_SCAN_NO_SUMMARY : 0;
	st.buf = malloc(READ_CHUNK);
	if (!st.buf || tsblog_scanner_new(&st.s, rs, NULL, &sopts, &err) < 0) {
		die_msg("out of memory");
		return EXIT_TROUBLE;
	}
	if (!ninputs) {
		inputs = files_stdin;
		ninputs = 1;
	}
	for (i = 0; i < ninputs; i++)
		scan_file(&st, inputs[i]);
	if (st.output == OUT_SUMMARY_JSON) {
		char *doc;
		if (tsblog_scanner_summary_json(&doc, st.s, &err) < 0) {
			die_msg("%s", err.message);
			st.trouble = 1;
		} else {
			puts(doc);
			tsblog_free(doc);
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		die_msg("cannot write output: %s", strerror(errno));
		st.trouble = 1;
	}
	status = st.trouble ? EXIT_TROUBLE : st.found ? EXIT_FOUND : EXIT_CLEAN;
	tsblog_scanner_free(st.s);
	tsblog_ruleset_free(rs);
	free(st.buf);
	free(ra.rule_files);
	if (inputs != files_stdin)
		free(inputs);
	return status;
}
