#include <string.h>
#include "cmd.h"

int
main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/');

	self = self ? self + 1 : argv[0];
	/* As kubectl-tsblog, `kubectl tsblog doctor` arrives as "doctor". */
	if (argc >= 2 && !strcmp(argv[1], "doctor"))
		return cmd_doctor(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "rules"))
		return cmd_rules(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "explain"))
		return cmd_explain(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "learn"))
		return cmd_learn(argc - 2, argv + 2);
	(void)self;
	return cmd_scan(argc, argv);
}
