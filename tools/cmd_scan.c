/* tsblog [options] [FILE...]: scan logs and report what is wrong. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "parallel.h"
#include "report.h"

#define READ_CHUNK (256 * 1024)
#define PROGRESS_MIN (64LL * 1024 * 1024)
#define PARALLEL_MIN (1LL * 1024 * 1024)

enum output { OUT_TEXT, OUT_JSON, OUT_SUMMARY_JSON };

typedef struct {
	/* options */
	enum output output;
	int passthrough, follow, live, progress;
	int fail_on;            /* lowest severity that fails; 3 = never */
	int jobs;               /* threads for one regular file */
	int no_redact;
	tsblog_scan_options sopts;
	int min_severity;
	const char **only;      /* --rule IDs */
	int nonly;
	/* state */
	tsblog_ruleset *rs;
	tsblog_scanner *s;
	term out, err;
	char *buf;
	unsigned long long reported;
	int failed, trouble;
	int last_was_repeat;
	/* the progress line */
	int show;
	long long total;
	struct timespec t0, shown;
} scan_state;

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int
keep_rule(const tsblog_rule *r, void *payload)
{
	const scan_state *st = payload;
	int i;

	if (tsblog_rule_severity(r) < st->min_severity)
		return 0;
	if (!st->nonly)
		return 1;
	for (i = 0; i < st->nonly; i++)
		if (!strcmp(st->only[i], tsblog_rule_id(r)))
			return 1;
	return 0;
}

static int
emit(scan_state *st, const tsblog_diagnosis *d)
{
	const tsblog_rule *r = tsblog_diagnosis_rule(d);
	tsblog_error err;
	char *json;

	if (!keep_rule(r, st))
		return 0;
	st->reported++;
	if (tsblog_rule_severity(r) >= st->fail_on)
		st->failed = 1;
	if (st->passthrough) {
		report_annotation(&st->out, d);
	} else if (st->output == OUT_JSON) {
		if (tsblog_diagnosis_to_json(&json, d, &err) < 0) {
			die_msg("%s", err.message);
			return -1;
		}
		fputs(json, stdout);
		fputc('\n', stdout);
		tsblog_free(json);
	} else if (st->output == OUT_TEXT && st->live) {
		if (tsblog_diagnosis_occurrences(d) <= tsblog_diagnosis_count(d)) {
			const char *fix[64];
			problem_view v;
			if (tsblog_diagnosis_fix_count(d) > 64)
				return 0;
			view_from_diagnosis(&v, d, fix);
			report_block(&st->out, &v);
			st->last_was_repeat = 0;
		} else {
			/* On a terminal the counter line is rewritten in
			 * place rather than repeated. */
			if (st->last_was_repeat && st->out.color)
				fputs("\033[1A\r\033[K", stdout);
			report_repeat(&st->out, d);
			st->last_was_repeat = 1;
		}
	}
	if (st->live)
		fflush(stdout);
	return 0;
}

/* -j: a diagnosis found by a piece, in input order. */
static int
emit_found(void *ctx, const tsblog_rule *r, const char *json)
{
	scan_state *st = ctx;

	if (!keep_rule(r, st))
		return 0;
	st->reported++;
	if (tsblog_rule_severity(r) >= st->fail_on)
		st->failed = 1;
	if (st->output == OUT_JSON && json) {
		fputs(json, stdout);
		fputc('\n', stdout);
	}
	return 0;
}

static int
drain(scan_state *st)
{
	const tsblog_diagnosis *d;
	tsblog_error err;
	int rc;

	for (;;) {
		rc = tsblog_scanner_next(st->s, &d, &err);
		if (rc == TSBLOG_ESYNTAX) {
			/* A malformed event: say where, scan on. */
			die_msg("%s", err.message);
			st->trouble = 1;
			continue;
		}
		if (rc != 1)
			break;
		if (emit(st, d) < 0)
			return -1;
	}
	if (rc < 0) {
		die_msg("%s", err.message);
		return -1;
	}
	return 0;
}

static int
feed(scan_state *st, const char *p, size_t n)
{
	tsblog_error err;

	if (tsblog_scanner_feed(st->s, p, n, &err) < 0) {
		die_msg("%s", err.message);
		return -1;
	}
	return drain(st);
}

/* --passthrough: each line goes out unchanged, then what it triggered.
 * Feeding line by line keeps the two in step; the scanner carries a line
 * that straddles reads. */
static int
feed_passthrough(scan_state *st, const char *p, size_t n)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;
		if (st->out.color) {
			char *line = strndup(p, k);
			if (!line)
				return -1;
			term_put(&st->out, line); /* a terminal: escape */
			free(line);
			if (nl)
				fputc('\n', stdout);
		} else {
			fwrite(p, 1, k, stdout);
		}
		if (feed(st, p, k) < 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

/* The progress line, at most four times a second. */
static void
progress(scan_state *st, long long done)
{
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - st->shown.tv_sec) * 1000000000L +
		    (now.tv_nsec - st->shown.tv_nsec) < 250000000L)
		return;
	st->shown = now;
	secs = (double)(now.tv_sec - st->t0.tv_sec) +
	       (double)(now.tv_nsec - st->t0.tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[Ktsblog: %3lld%%  %.0f MB/s",
		st->total ? done * 100 / st->total : 0,
		secs > 0 ? (double)done / 1e6 / secs : 0.0);
	fflush(stderr);
}

/* -j: progress as pieces are merged. */
static void
progress_found(void *ctx, long long done)
{
	scan_state *st = ctx;

	if (st->show)
		progress(st, done);
}

/* Scan one input to its end (or Ctrl-C). */
static void
scan_fd(scan_state *st, int fd, const char *name)
{
	struct stat sb;
	long long done = 0;
	tsblog_error err;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &st->t0);
	st->shown = st->t0;
	st->total = 0;
	st->show = 0;
	if (tsblog_scanner_reset(st->s, name) < 0) {
		die_msg("out of memory");
		st->trouble = 1;
		return;
	}
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		st->total = sb.st_size;
		st->show = st->progress && st->total > PROGRESS_MIN;
		/* Big enough to share out: pieces over the threads. */
		if (st->jobs > 1 && !st->live && !st->passthrough &&
		    st->total >= PARALLEL_MIN) {
			parallel_job job = {
				st->rs, &st->sopts, fd, name, st->total,
				(int)(st->total / PARALLEL_MIN) < st->jobs
					? (int)(st->total / PARALLEL_MIN)
					: st->jobs,
				st->output == OUT_JSON, emit_found,
				progress_found, st
			};
			off_t resume_at = 0;
			int rc = scan_parallel(&job, st->s, &resume_at);
			if (rc < 0)
				st->trouble = 1;
			if (rc != 0)
				goto done;
			if (lseek(fd, resume_at, SEEK_SET) < 0) {
				die_msg("%s: cannot seek: %s", name, strerror(errno));
				st->trouble = 1;
				return;
			}
			done = resume_at;
		}
	}
	while (!interrupted) {
		n = read(fd, st->buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			die_msg("%s: read error: %s", name, strerror(errno));
			st->trouble = 1;
			break;
		}
		if (n == 0)
			break;
		if ((st->passthrough ? feed_passthrough(st, st->buf, (size_t)n)
				     : feed(st, st->buf, (size_t)n)) < 0) {
			st->trouble = 1;
			return;
		}
		done += n;
		if (st->show)
			progress(st, done);
	}
	tsblog_scanner_end(st->s, &err);
	if (drain(st) < 0)
		st->trouble = 1;
done:
	if (st->show)
		fputs("\r\033[K", stderr);
}

/* Files named on the command line ("-" is standard input). */
typedef struct {
	const char **paths;
	int n;
} file_list;

static int
files_open(void *ctx, int i, const char **name)
{
	file_list *fl = ctx;
	int fd;

	if (i >= fl->n)
		return SOURCE_END;
	*name = fl->paths[i];
	if (!strcmp(fl->paths[i], "-"))
		return 0;
	fd = open(fl->paths[i], O_RDONLY);
	if (fd < 0) {
		die_msg("%s: cannot open: %s", fl->paths[i], strerror(errno));
		return SOURCE_FAILED;
	}
	return fd;
}

static int
files_close(void *ctx, int i, int fd)
{
	(void)ctx;
	(void)i;
	if (fd > 0)
		close(fd);
	return 0;
}

static void
usage(FILE *to)
{
	fputs("Usage: tsblog [OPTION]... [FILE]...\n"
	      "Find known Tetrate Service Bridge problems in Kubernetes logs and say\n"
	      "what to do.  Reads the FILEs, or standard input when none or '-'.\n"
	      "\n"
	      "Examples:\n"
	      "  kubectl logs -n istio-system deploy/tsb-operator-control-plane | tsblog\n"
	      "  kubectl logs -n istio-system deploy/edge -f | tsblog\n"
	      "  kubectl describe pod -n istio-system -l app=edge | tsblog\n"
	      "  kubectl get events -n istio-system -o json | tsblog -o json\n"
	      "  kubectl logs ... | tsblog --passthrough | less -R\n"
	      "  tsblog -o summary-json support-bundle/*.log > problems.json\n"
	      "\n"
	      "Output:\n"
	      "  -o, --output FORMAT   text (default): one block per problem with the fix;\n"
	      "                        json: one JSON object per diagnosis (JSON Lines);\n"
	      "                        summary-json: one document of problems at the end\n"
	      "      --passthrough     copy every input line, with diagnoses after the lines\n"
	      "                        that caused them\n"
	      "  -f, --follow          live mode: show each problem as its line arrives (the\n"
	      "                        default when reading a pipe); Ctrl-C prints the summary\n"
	      "      --color WHEN      auto (default), always or never; NO_COLOR is respected\n"
	      "      --no-redact       show secrets found in the log (JWTs, bearer tokens,\n"
	      "                        PEM blocks, private JWK members) instead of markers\n"
	      "  -j, --jobs N          threads for a big regular file (default: the number\n"
	      "                        of cores); the output is the same as with -j 1\n"
	      "\n"
	      "Rules:\n"
	      "  -r, --rules FILE      load a rule file before the bundled rules (repeatable)\n"
	      "      --no-builtin      do not load the bundled TSB rules\n"
	      "      --rule ID         report only this rule (repeatable)\n"
	      "      --min-severity S  report only S and worse: info, warning, error\n"
	      "      --fail-on S       exit 1 only for diagnoses of S and worse: error,\n"
	      "                        warning, info (default) or never\n"
	      "\n"
	      "Commands:\n"
	      "  tsblog rules list [-o json]      the rules loaded, in matching order\n"
	      "  tsblog rules check [FILE]...     run the rules' own examples\n"
	      "  tsblog rules why [--rule ID] LINE  why a line did or did not match\n"
	      "  tsblog rules stats FILE...       per rule: literal hits, regex runs, time\n"
	      "  tsblog explain ID                a rule: what it means and the fix\n"
	      "  tsblog learn [FILE]...           rule skeletons for unknown errors\n"
	      "  kubectl tsblog doctor            read the control plane and report\n"
	      "\n"
	      "Exit status: 0 nothing found, 1 problems found (see --fail-on), 2 trouble\n"
	      "(bad rule file, unreadable input, malformed events document).\n",
	      to);
}

int
cmd_scan(int argc, char **argv)
{
	return run_scan(argc, argv, NULL);
}

int
run_scan(int argc, char **argv, const input_source *source)
{
	const char *stdin_only[] = { "-" };
	file_list fl;
	input_source files = { files_open, files_close, &fl };
	const char **inputs = NULL;
	const char *color = NULL, *v;
	rule_args ra = { 0 };
	scan_state st;
	tsblog_scan_options sopts = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_error err;
	struct stat sb;
	int i, ninputs = 0, only_files = 0, missing, status = EXIT_TROUBLE;
	int json_out;

	memset(&st, 0, sizeof(st));
	st.fail_on = TSBLOG_SEVERITY_INFO;
	st.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (st.jobs < 1)
		st.jobs = 1;
	st.min_severity = TSBLOG_SEVERITY_INFO;
	ra.rule_files = calloc((size_t)argc + 1, sizeof(char *));
	inputs = calloc((size_t)argc + 1, sizeof(char *));
	st.only = calloc((size_t)argc + 1, sizeof(char *));
	if (!ra.rule_files || !inputs || !st.only) {
		die_msg("out of memory");
		goto done;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int taken;
		if (only_files || a[0] != '-' || !strcmp(a, "-")) {
			if (source) {
				die_msg("unexpected argument %s", a);
				goto done;
			}
			inputs[ninputs++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_files = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			status = EXIT_CLEAN;
			goto done;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("tsblog %s\n", tsblog_version());
			status = EXIT_CLEAN;
			goto done;
		}
		if (!strcmp(a, "--passthrough")) {
			st.passthrough = 1;
			continue;
		}
		if (!strcmp(a, "--no-redact")) {
			st.no_redact = 1;
			continue;
		}
		if (!strcmp(a, "-f") || !strcmp(a, "--follow")) {
			st.follow = 1;
			continue;
		}
		taken = parse_rule_arg(&ra, argc, argv, &i);
		if (taken < 0)
			goto done;
		if (taken)
			continue;
		if ((v = opt_value(argc, argv, &i, "-o", "--output", &missing))) {
			if (!strcmp(v, "text"))
				st.output = OUT_TEXT;
			else if (!strcmp(v, "json"))
				st.output = OUT_JSON;
			else if (!strcmp(v, "summary-json"))
				st.output = OUT_SUMMARY_JSON;
			else {
				die_msg("-o takes text, json or summary-json, not '%s'", v);
				goto done;
			}
			continue;
		}
		if ((v = opt_value(argc, argv, &i, NULL, "--color", &missing)) ||
		    (!missing && (v = opt_value(argc, argv, &i, NULL,
						"--colour", &missing)))) {
			color = v;
			if (color_choice(color, stdout) < 0) {
				die_msg("--color takes auto, always or never, not '%s'", v);
				goto done;
			}
			continue;
		}
		if ((v = opt_value(argc, argv, &i, NULL, "--fail-on", &missing))) {
			st.fail_on = !strcmp(v, "never") ? 3 : severity_from_name(v);
			if (st.fail_on < 0) {
				die_msg("--fail-on takes error, warning, info or never, not '%s'", v);
				goto done;
			}
			continue;
		}
		if ((v = opt_value(argc, argv, &i, NULL, "--min-severity",
				   &missing))) {
			st.min_severity = severity_from_name(v);
			if (st.min_severity < 0) {
				die_msg("--min-severity takes error, warning or info, not '%s'", v);
				goto done;
			}
			continue;
		}
		if ((v = opt_value(argc, argv, &i, "-j", "--jobs", &missing))) {
			char *e;
			long j = strtol(v, &e, 10);
			if (*e || j < 1 || j > 256) {
				die_msg("-j takes a number of threads from 1 to 256, not '%s'", v);
				goto done;
			}
			st.jobs = (int)j;
			continue;
		}
		if ((v = opt_value(argc, argv, &i, NULL, "--rule", &missing))) {
			st.only[st.nonly++] = v;
			continue;
		}
		if (!missing)
			die_msg("unknown option %s (see tsblog --help)", a);
		goto done;
	}
	if (!ninputs) {
		free(inputs);
		inputs = stdin_only;
		ninputs = 1;
	}
	st.rs = load_rules(&ra);
	if (!st.rs)
		goto done;
	for (i = 0; i < st.nonly; i++)
		if (!tsblog_ruleset_find(st.rs, st.only[i])) {
			die_msg("--rule %s: no such rule (tsblog rules list shows them)",
				st.only[i]);
			goto done;
		}

	json_out = st.output != OUT_TEXT;
	st.out.f = stdout;
	st.out.color = json_out ? 0 : color_choice(color, stdout);
	st.err.f = stderr;
	/* Live when following, or when the input is a pipe or a terminal:
	 * kubectl logs -f | tsblog must show problems as they happen. */
	st.live = st.follow ||
		  (!source && ninputs == 1 && !strcmp(inputs[0], "-") &&
		   fstat(0, &sb) == 0 && !S_ISREG(sb.st_mode));
	st.progress = !json_out && !st.passthrough && isatty(2);
	if (st.live)
		setvbuf(stdout, NULL, _IOLBF, 0);
	sopts.flags = st.output == OUT_JSON || st.passthrough
			      ? TSBLOG_SCAN_NO_SUMMARY
			      : 0;
	if (st.no_redact)
		sopts.flags |= TSBLOG_SCAN_NO_REDACT;
	st.sopts = sopts;
	st.buf = malloc(READ_CHUNK);
	if (!st.buf || tsblog_scanner_new(&st.s, st.rs, NULL, &sopts, &err) < 0) {
		die_msg("out of memory");
		goto done;
	}
	if (st.live) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigint; /* no SA_RESTART: read() returns */
		sigaction(SIGINT, &sa, NULL);
	}
	fl.paths = inputs;
	fl.n = ninputs;
	if (!source)
		source = &files;
	for (i = 0; !interrupted; i++) {
		const char *name = NULL;
		int fd = source->open(source->ctx, i, &name);
		if (fd == SOURCE_END)
			break;
		if (fd == SOURCE_FAILED) {
			st.trouble = 1;
			continue;
		}
		scan_fd(&st, fd, name);
		if (source->close(source->ctx, i, fd) < 0)
			st.trouble = 1;
	}

	if (st.output != OUT_JSON && !st.passthrough) {
		char *doc;
		json_t *sum = NULL;
		if (tsblog_scanner_summary_json(&doc, st.s, &err) < 0) {
			die_msg("%s", err.message);
			st.trouble = 1;
		} else {
			sum = json_loads(doc, 0, NULL);
			if (st.output == OUT_SUMMARY_JSON) {
				/* Filters apply to the document too. */
				json_t *probs = json_object_get(sum, "problems");
				size_t k = 0;
				while (k < json_array_size(probs)) {
					const tsblog_rule *r = tsblog_ruleset_find(
						st.rs,
						json_string_value(json_object_get(
							json_array_get(probs, k),
							"rule")));
					if (r && keep_rule(r, &st))
						k++;
					else
						json_array_remove(probs, k);
				}
				char *out = json_dumps(sum, JSON_COMPACT);
				puts(out ? out : doc);
				free(out);
			} else if (sum) {
				report_summary(&st.out, st.rs, sum, st.live,
					       keep_rule, &st);
			}
			json_decref(sum);
			tsblog_free(doc);
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		die_msg("cannot write output: %s", strerror(errno));
		st.trouble = 1;
	}
	status = st.trouble ? EXIT_TROUBLE : st.failed ? EXIT_FOUND : EXIT_CLEAN;
done:
	tsblog_scanner_free(st.s);
	tsblog_ruleset_free(st.rs);
	free(st.buf);
	free(ra.rule_files);
	free(st.only);
	if (inputs != stdin_only)
		free(inputs);
	return status;
}
