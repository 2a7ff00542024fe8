/* tsblog: the command table and dispatch (libgit2's cli_cmds[]). */
#include <string.h>
#include "cmd.h"

/* `tsblog ARGS` with no command name is a scan.  To add a command, add
 * its line here (and its usage to the man page and completion). */
const command tsblog_commands[] = {
	{ "rules", NULL, "", "", rules_commands },
	{ "explain", cmd_explain, "ID", "a rule: what it means and the fix",
	  NULL },
	{ "learn", cmd_learn, "[FILE]...", "rule skeletons for unknown errors",
	  NULL },
	{ "doctor", cmd_doctor, "[OPTION]...",
	  "read the control plane through kubectl",
	  NULL },
	{ "summary", NULL, "", "", summary_commands },
	{ NULL, NULL, NULL, NULL, NULL }
};

const command *
find_command(const command *table, const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

void
list_commands(FILE *f, const char *prefix, const command *table)
{
	char line[128];

	for (; table->name; table++) {
		if (table->sub) {
			snprintf(line, sizeof(line), "%s %s", prefix, table->name);
			list_commands(f, line, table->sub);
			continue;
		}
		snprintf(line, sizeof(line), "%s %s %s", prefix, table->name,
			 table->args);
		if (strlen(line) > 32)
			fprintf(f, "  %s\n  %-32s %s\n", line, "",
				table->description);
		else
			fprintf(f, "  %-32s %s\n", line, table->description);
	}
}

int
main(int argc, char **argv)
{
	/* As kubectl-tsblog, `kubectl tsblog doctor` arrives as "doctor". */
	const command *c = argc >= 2 ? find_command(tsblog_commands, argv[1])
				     : NULL;

	if (!c)
		return cmd_scan(argc, argv);
	if (c->sub) {
		const command *s = argc >= 3 ? find_command(c->sub, argv[2])
					     : NULL;
		char prefix[64];
		if (argc == 3 && (!strcmp(argv[2], "-h") ||
				  !strcmp(argv[2], "--help"))) {
			snprintf(prefix, sizeof(prefix), "tsblog %s", c->name);
			printf("Usage:\n");
			list_commands(stdout, prefix, c->sub);
			printf("Each has --help.\n");
			return EXIT_CLEAN;
		}
		if (!s) {
			char names[128] = "";
			for (s = c->sub; s->name; s++)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 s == c->sub ? "" : "|", s->name);
			print_error("usage: tsblog %s %s ... (see tsblog --help)",
				    c->name, names);
			return EXIT_TROUBLE;
		}
		return s->fn(argc - 2, argv + 2);
	}
	return c->fn(argc - 1, argv + 1);
}
