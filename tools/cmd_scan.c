/* tsblog [options] [FILE...]: the scan command's options and usage. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"

int
scan_opts_init(scan_opts *o, int argc)
{
	memset(o, 0, sizeof(*o));
	o->fail_on = TSBLOG_SEVERITY_INFO;
	o->min_severity = TSBLOG_SEVERITY_INFO;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	o->only = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->only) {
		print_error("out of memory");
		return -1;
	}
	return rule_args_init(&o->rules, argc);
}

void
scan_opts_free(scan_opts *o)
{
	free(o->only);
	rule_args_free(&o->rules);
}

int
scan_option(scan_opts *o, int code, const char *arg)
{
	static const char *const outputs[] = { "text", "json",
					       "summary-json", NULL };
	char *end;
	long j;

	switch (code) {
	case 'o':
		if (word_index(outputs, arg) < 0) {
			print_error("-o takes text, json or summary-json, not '%s'", arg);
			return -1;
		}
		o->output = (enum output)word_index(outputs, arg);
		return 1;
	case 'f':
		o->follow = 1;
		return 1;
	case 'a':
		o->text = 1;
		return 1;
	case 'R':
		o->recursive = 1;
		return 1;
	case 'j':
		j = strtol(arg, &end, 10);
		if (*end || end == arg || j < 1 || j > 256) {
			print_error("-j takes a number of threads from 1 to 256, not '%s'", arg);
			return -1;
		}
		o->jobs = (int)j;
		return 1;
	case OPT_PASSTHROUGH:
		o->passthrough = 1;
		return 1;
	case OPT_RAW:
		o->raw = 1;
		return 1;
	case OPT_NO_REDACT:
		o->no_redact = 1;
		return 1;
	case OPT_COLOR:
		if (color_choice(arg, stdout) < 0) {
			print_error("--color takes auto, always or never, not '%s'", arg);
			return -1;
		}
		o->color = arg;
		return 1;
	case OPT_RULE:
		o->only[o->nonly++] = arg;
		return 1;
	case OPT_MIN_SEVERITY:
		o->min_severity = severity_from_name(arg);
		if (o->min_severity < 0) {
			print_error("--min-severity takes error, warning or info, not '%s'", arg);
			return -1;
		}
		return 1;
	case OPT_FAIL_ON:
		o->fail_on = !strcmp(arg, "never") ? FAIL_ON_NEVER
						   : severity_from_name(arg);
		if (o->fail_on < 0) {
			print_error("--fail-on takes error, warning, info or never, not '%s'", arg);
			return -1;
		}
		return 1;
	}
	return rule_option(&o->rules, code, arg);
}

int
scan_keeps(const scan_opts *o, const tsblog_rule *r)
{
	int i;

	if (tsblog_rule_severity(r) < o->min_severity)
		return 0;
	if (!o->nonly)
		return 1;
	for (i = 0; i < o->nonly; i++)
		if (!strcmp(o->only[i], tsblog_rule_id(r)))
			return 1;
	return 0;
}

static void
usage(void)
{
	fputs("Usage: tsblog [OPTION]... [FILE]...\n"
	      "Find known Tetrate Service Bridge problems in Kubernetes logs and say\n"
	      "what to do.  Reads the FILEs, or standard input when none or '-'; gzip\n"
	      "and zstd files are decompressed, tar and zip archives read member by member.\n"
	      "\n"
	      "Examples:\n"
	      "  kubectl logs -n istio-system deploy/tsb-operator-control-plane | tsblog\n"
	      "  kubectl logs -n istio-system deploy/edge -f | tsblog\n"
	      "  kubectl describe pod -n istio-system -l app=edge | tsblog\n"
	      "  kubectl get events -n istio-system -o json | tsblog -o json\n"
	      "  kubectl logs ... | tsblog --passthrough | less -R\n"
	      "  tsblog -o summary-json support-bundle/*.log > problems.json\n"
	      "  tsblog -R support-bundle/ bundle.tar.gz\n"
	      "  tsblog -f /var/log/pods/istio-system_edge-*/edge/0.log\n"
	      "\n"
	      "Output:\n"
	      "  -o, --output FORMAT   text (default): one block per problem with the fix;\n"
	      "                        json: one JSON object per diagnosis (JSON Lines);\n"
	      "                        summary-json: one document of problems at the end\n"
	      "      --passthrough     copy every input line, with diagnoses after the lines\n"
	      "                        that caused them; control sequences other than\n"
	      "                        colours are dropped from the lines\n"
	      "      --raw             with --passthrough: keep control sequences (secrets\n"
	      "                        are still redacted)\n"
	      "  -f, --follow          follow the FILEs like tail -F (truncation, rotation),\n"
	      "                        each problem shown as its line arrives; Ctrl-C ends\n"
	      "      --color WHEN      auto (default), always or never; NO_COLOR and\n"
	      "                        FORCE_COLOR are respected\n"
	      "      --no-redact       show secrets found in the log (JWTs, tokens, keys,\n"
	      "                        passwords) instead of markers, --passthrough too\n"
	      "  -j, --jobs N          threads for a big regular file (default: the number\n"
	      "                        of cores); the output is the same as with -j 1\n"
	      "  -R, --recursive       read the files under each directory FILE\n"
	      "  -a, --text            read an input that looks binary (a NUL byte in its\n"
	      "                        first 32 KiB) instead of skipping it\n"
	      "\n"
	      "Rules:\n"
	      "  -r, --rules FILE      load a rule file before the bundled rules (repeatable)\n"
	      "      --no-builtin      do not load the bundled TSB rules\n"
	      "      --rule ID         report only this rule (repeatable)\n"
	      "      --min-severity S  report only S and worse: info, warning, error\n"
	      "      --fail-on S       exit 1 only for diagnoses of S and worse: error,\n"
	      "                        warning, info (default) or never\n"
	      "\n"
	      "Commands (each has --help):\n",
	      stdout);
	list_commands(stdout, "tsblog", tsblog_commands);
	fputs("\n"
	      "Exit status: 0 nothing found, 1 problems found (see --fail-on), 2 trouble\n"
	      "(bad rule file, unreadable input, malformed events document), 130 Ctrl-C.\n",
	      stdout);
}

int
cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		SCAN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	scan_opts o;
	int c, status = EXIT_TROUBLE;

	if (scan_opts_init(&o, argc) < 0)
		goto done;
	while ((c = next_option(argc, argv, ":hV" SCAN_SHORT_OPTIONS,
				longopts, "tsblog")) != -1) {
		if (c == 'h' || c == 'V') {
			if (c == 'h')
				usage();
			else
				printf("tsblog %s\n", tsblog_version());
			status = EXIT_CLEAN;
			goto done;
		}
		if (c == '?' || scan_option(&o, c, optarg) <= 0)
			goto done;
	}
	status = run_scan(&o, NULL, (const char *const *)argv + optind,
			  argc - optind);
done:
	scan_opts_free(&o);
	return status;
}
