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

#define MAX_PODS 32

typedef struct {
	const char *kubectl, *context, *ns;
	char *names[4 + MAX_PODS];      /* what each input is called */
	char *pods[MAX_PODS];           /* not ready, to describe */
	int npods, pods_listed;
	pid_t child;
	FILE *errf;                     /* kubectl's stderr */
} doctor;

/* argv for one kubectl call: kubectl [--context C] -n NS <args...> */
static int
spawn(doctor *dc, const char *const *args, int *out_fd)
{
	const char *argv[16];
	posix_spawn_file_actions_t fa;
	int p[2], n = 0, rc;

	argv[n++] = dc->kubectl;
	if (dc->context) {
		argv[n++] = "--context";
		argv[n++] = dc->context;
	}
	argv[n++] = "-n";
	argv[n++] = dc->ns;
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (pipe(p) < 0)
		return -1;
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
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		die_msg("doctor: cannot run %s: %s", dc->kubectl, strerror(rc));
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
	char line[300] = "";

	while (waitpid(dc->child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (dc->errf) {
		rewind(dc->errf);
		if (fgets(line, sizeof(line), dc->errf))
			line[strcspn(line, "\n")] = '\0';
	}
	die_msg("doctor: %s failed%s%s", what, *line ? ": " : "", line);
	return -1;
}

/* `get pods`: the pods whose READY is not n/n or that are not Running. */
static void
list_unready(doctor *dc)
{
	static const char *const args[] = { "get", "pods", "--no-headers",
					    NULL };
	char line[512];
	FILE *f;
	int fd;

	dc->pods_listed = 1;
	if (spawn(dc, args, &fd) < 0)
		return;
	f = fdopen(fd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char name[256], ready[32], status[64];
		int a, b;
		if (sscanf(line, "%255s %31s %63s", name, ready, status) != 3)
			continue;
		if (sscanf(ready, "%d/%d", &a, &b) == 2 && a == b &&
		    (!strcmp(status, "Running") || !strcmp(status, "Completed")))
			continue;
		if (dc->npods < MAX_PODS)
			dc->pods[dc->npods++] = strdup(name);
	}
	if (f)
		fclose(f);
	else
		close(fd);
	reap(dc, "kubectl get pods");
}

static int
doctor_open(void *ctx, int i, const char **name)
{
	static const char *const fixed[][6] = {
		{ "logs", "deploy/tsb-operator-control-plane", "--tail=5000", NULL },
		{ "logs", "deploy/edge", "--all-containers", "--tail=5000", NULL },
		{ "get", "events", "-o", "json", NULL },
	};
	doctor *dc = ctx;
	const char *args[6] = { NULL };
	char label[400];
	int fd, k;

	if (i < 3) {
		for (k = 0; fixed[i][k]; k++)
			args[k] = fixed[i][k];
	} else {
		if (!dc->pods_listed)
			list_unready(dc);
		if (i - 3 >= dc->npods || !dc->pods[i - 3])
			return SOURCE_END;
		args[0] = "describe";
		args[1] = "pod";
		args[2] = dc->pods[i - 3];
	}
	snprintf(label, sizeof(label), "kubectl -n %s %s %s%s%s", dc->ns,
		 args[0], args[1], args[2] && i >= 3 ? " " : "",
		 args[2] && i >= 3 ? args[2] : "");
	free(dc->names[i]);
	dc->names[i] = strdup(label);
	*name = dc->names[i] ? dc->names[i] : "kubectl";
	if (spawn(dc, args, &fd) < 0)
		return SOURCE_FAILED;
	return fd;
}

static int
doctor_close(void *ctx, int i, int fd)
{
	doctor *dc = ctx;

	close(fd);
	/* A missing deployment is worth saying, not fatal: the report
	 * covers what could be read. */
	reap(dc, dc->names[i] ? dc->names[i] : "kubectl");
	return 0;
}

int
cmd_doctor(int argc, char **argv)
{
	doctor dc;
	input_source src = { doctor_open, doctor_close, &dc };
	char **pass;
	int i, npass = 0, missing, status;
	const char *v;

	memset(&dc, 0, sizeof(dc));
	dc.kubectl = "kubectl";
	dc.ns = "istio-system";
	pass = calloc((size_t)argc + 2, sizeof(char *));
	if (!pass)
		return EXIT_TROUBLE;
	pass[npass++] = "tsblog";
	for (i = 0; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, NULL, "--context", &missing)))
			dc.context = v;
		else if ((v = opt_value(argc, argv, &i, "-n", "--namespace",
					&missing)))
			dc.ns = v;
		else if ((v = opt_value(argc, argv, &i, NULL, "--kubectl",
					&missing)))
			dc.kubectl = v;
		else if (missing) {
			free(pass);
			return EXIT_TROUBLE;
		} else {
			/* -o, --color, -r, --rule ...: the scan's own */
			pass[npass++] = argv[i];
		}
	}
	status = run_scan(npass, pass, &src);
	for (i = 0; i < 4 + MAX_PODS; i++)
		free(dc.names[i]);
	for (i = 0; i < dc.npods; i++)
		free(dc.pods[i]);
	if (dc.errf)
		fclose(dc.errf);
	free(pass);
	return status;
}
