/*
 * kubectl tsblog doctor: run the reads the troubleshooting page asks for
 * (operator and edge logs, describe of pods that are not ready, the
 * namespace's events) through kubectl, and give one report.
 *
 * kubectl is started with posix_spawnp and an argument vector, never
 * through a shell, so context and namespace names are passed as given.
 */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd.h"

extern char **environ;

/* The reads every doctor run makes, before describing unready pods. */
static const char *const fixed[][6] = {
	{ "logs", "deploy/tsb-operator-control-plane", "--tail=5000", NULL },
	{ "logs", "deploy/edge", "--all-containers", "--tail=5000", NULL },
	{ "get", "events", "-o", "json", NULL },
};
#define NFIXED (sizeof(fixed) / sizeof(*fixed))

typedef struct {
	const char *kubectl, *ns;
	/* kubectl's own options, given to every call: --kubeconfig,
	 * --context, --request-timeout; then -n NS. */
	const char *global[8];
	int nglobal;
	char *name;                     /* what the current input is called */
	char **pods;                    /* not ready, to describe */
	size_t npods;
	int pods_listed;
	pid_t child;
	FILE *errf;                     /* kubectl's stderr */
} doctor;

/* kubectl GLOBAL... -n NS ARGS...; the child's stdout in *out_fd. */
static int
spawn(doctor *dc, const char *const *args, int *out_fd)
{
	posix_spawn_file_actions_t fa;
	const char **argv;
	int p[2], n = 0, k, rc;

	for (k = 0; args[k]; k++)
		;
	argv = calloc((size_t)(dc->nglobal + k + 4), sizeof(*argv));
	if (!argv) {
		print_error("out of memory");
		return -1;
	}
	argv[n++] = dc->kubectl;
	for (k = 0; k < dc->nglobal; k++)
		argv[n++] = dc->global[k];
	argv[n++] = "-n";
	argv[n++] = dc->ns;
	while (*args)
		argv[n++] = *args++;
	if (pipe(p) < 0) {
		print_error("doctor: pipe: %s", strerror(errno));
		free(argv);
		return -1;
	}
	if (!dc->errf)
		dc->errf = tmpfile();
	if (dc->errf && ftruncate(fileno(dc->errf), 0) == 0)
		rewind(dc->errf);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	if (dc->errf)
		posix_spawn_file_actions_adddup2(&fa, fileno(dc->errf), 2);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	rc = posix_spawnp(&dc->child, dc->kubectl, &fa, NULL,
			  (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		print_error("doctor: cannot run %s: %s", dc->kubectl, strerror(rc));
		return -1;
	}
	*out_fd = p[0];
	return 0;
}

/* Wait for kubectl; a failure is reported with its first stderr line. */
static int
reap(doctor *dc, const char *what)
{
	int status = 0;
	char *line = NULL;
	size_t cap = 0;

	while (waitpid(dc->child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (dc->errf) {
		rewind(dc->errf);
		if (getline(&line, &cap, dc->errf) > 0)
			line[strcspn(line, "\n")] = '\0';
	}
	print_error("doctor: %s failed%s%s", what, line && *line ? ": " : "",
		    line && *line ? line : "");
	free(line);
	return -1;
}

/* `get pods`: the pods whose READY is not n/n or that are not Running. */
static void
list_unready(doctor *dc)
{
	static const char *const args[] = { "get", "pods", "--no-headers",
					    NULL };
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int fd;

	dc->pods_listed = 1;
	if (spawn(dc, args, &fd) < 0)
		return;
	f = fdopen(fd, "r");
	while (f && getline(&line, &cap, f) > 0) {
		/* NAME READY STATUS ...: a pod name has at most 253 bytes. */
		char name[256], ready[32], status[64], **pods;
		int a, b;
		if (sscanf(line, "%255s %31s %63s", name, ready, status) != 3)
			continue;
		if (sscanf(ready, "%d/%d", &a, &b) == 2 && a == b &&
		    (!strcmp(status, "Running") || !strcmp(status, "Completed")))
			continue;
		pods = realloc(dc->pods, (dc->npods + 1) * sizeof(*pods));
		if (!pods || !(pods[dc->npods] = strdup(name))) {
			print_error("out of memory");
			if (pods)
				dc->pods = pods;
			break;
		}
		dc->pods = pods;
		dc->npods++;
	}
	free(line);
	if (f)
		fclose(f);
	else
		close(fd);
	reap(dc, "kubectl get pods");
}

static int
doctor_open(void *ctx, int i, const char **name)
{
	doctor *dc = ctx;
	const char *args[6] = { NULL };
	size_t len, k;
	int fd;

	if ((size_t)i < NFIXED) {
		for (k = 0; fixed[i][k]; k++)
			args[k] = fixed[i][k];
	} else {
		if (!dc->pods_listed)
			list_unready(dc);
		if ((size_t)i - NFIXED >= dc->npods)
			return SOURCE_END;
		args[0] = "describe";
		args[1] = "pod";
		args[2] = dc->pods[i - NFIXED];
	}
	/* "kubectl -n NS logs deploy/edge": the call, without its flags. */
	len = strlen(dc->ns) + strlen(args[0]) + strlen(args[1]) +
	      ((size_t)i >= NFIXED ? strlen(args[2]) : 0) + 16;
	free(dc->name);
	dc->name = malloc(len);
	if (!dc->name) {
		print_error("out of memory");
		*name = "kubectl";
		return SOURCE_FAILED;
	}
	snprintf(dc->name, len, "kubectl -n %s %s %s%s%s", dc->ns, args[0],
		 args[1], (size_t)i >= NFIXED ? " " : "",
		 (size_t)i >= NFIXED ? args[2] : "");
	*name = dc->name;
	if (spawn(dc, args, &fd) < 0)
		return SOURCE_FAILED;
	return fd;
}

static int
doctor_close(void *ctx, int i, int fd)
{
	doctor *dc = ctx;

	(void)i;
	close(fd);
	return reap(dc, dc->name);
}

static void
usage(void)
{
	fputs("Usage: kubectl tsblog doctor [OPTION]...\n"
	      "Read the TSB control plane through kubectl (the operator's and edge's\n"
	      "logs, the namespace's events, describe of the pods that are not ready)\n"
	      "and report the problems found, as tsblog does for files.\n"
	      "\n"
	      "Cluster:\n"
	      "      --kubeconfig FILE       kubeconfig file for every kubectl call\n"
	      "      --context NAME          kubeconfig context to use\n"
	      "  -n, --namespace NS          the control plane namespace (default:\n"
	      "                              istio-system)\n"
	      "      --request-timeout TIME  how long each kubectl request may wait (as\n"
	      "                              kubectl takes it: 10s, 1m)\n"
	      "      --kubectl PROGRAM       the kubectl to run (default: kubectl on PATH)\n"
	      "\n"
	      "Also takes the scan's options (tsblog --help): -o, --color, -r, --rule,\n"
	      "--min-severity, --fail-on, --no-builtin, --no-redact.\n"
	      "\n"
	      "Exit status: 0 nothing found, 1 problems found, 2 trouble (nothing could\n"
	      "be read from the cluster, bad rule file, bad option).\n",
	      stdout);
}

int
cmd_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "kubeconfig", required_argument, NULL, OPT_KUBECONFIG },
		{ "context", required_argument, NULL, OPT_CONTEXT },
		{ "namespace", required_argument, NULL, 'n' },
		{ "request-timeout", required_argument, NULL,
		  OPT_REQUEST_TIMEOUT },
		{ "kubectl", required_argument, NULL, OPT_KUBECTL },
		SCAN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	/* kubectl's own flags, passed on to every call as given. */
	static const struct {
		int code;
		const char *flag;
	} flags[] = {
		{ OPT_KUBECONFIG, "--kubeconfig" },
		{ OPT_CONTEXT, "--context" },
		{ OPT_REQUEST_TIMEOUT, "--request-timeout" },
	};
	const char *given[sizeof(flags) / sizeof(*flags)] = { NULL };
	doctor dc;
	input_source src = {
		doctor_open, doctor_close, &dc,
		"doctor: could not read anything from the cluster: every kubectl call failed (see above; check --context, --kubeconfig and -n)"
	};
	scan_opts o;
	size_t k;
	int c, status = EXIT_TROUBLE;

	memset(&dc, 0, sizeof(dc));
	dc.kubectl = "kubectl";
	dc.ns = "istio-system";
	if (scan_opts_init(&o, argc) < 0)
		goto done;
	while ((c = next_option(argc, argv, ":hn:" SCAN_SHORT_OPTIONS,
				longopts, "kubectl tsblog doctor")) != -1) {
		switch (c) {
		case 'h':
			usage();
			status = EXIT_CLEAN;
			goto done;
		case 'n':
			dc.ns = optarg;
			break;
		case OPT_KUBECTL:
			dc.kubectl = optarg;
			break;
		case '?':
			goto done;
		default:
			for (k = 0; k < sizeof(flags) / sizeof(*flags) &&
				    flags[k].code != c; k++)
				;
			if (k < sizeof(flags) / sizeof(*flags))
				given[k] = optarg;
			else if (scan_option(&o, c, optarg) <= 0)
				goto done;
		}
	}
	if (optind < argc) {
		print_error("doctor reads through kubectl and takes no FILE ('%s'); see kubectl tsblog doctor --help",
			    argv[optind]);
		goto done;
	}
	/* --flag=VALUE: one word, so a value that starts with '-' stays
	 * a value. */
	for (k = 0; k < sizeof(flags) / sizeof(*flags); k++) {
		char *w;
		if (!given[k])
			continue;
		w = malloc(strlen(flags[k].flag) + strlen(given[k]) + 2);
		if (!w) {
			print_error("out of memory");
			goto done;
		}
		sprintf(w, "%s=%s", flags[k].flag, given[k]);
		dc.global[dc.nglobal++] = w;
	}
	status = run_scan(&o, &src, NULL, 0);
done:
	scan_opts_free(&o);
	for (c = 0; c < dc.nglobal; c++)
		free((char *)dc.global[c]);
	for (k = 0; k < dc.npods; k++)
		free(dc.pods[k]);
	free(dc.pods);
	free(dc.name);
	if (dc.errf)
		fclose(dc.errf);
	return status;
}
