#include <string.h>
#include "cmd.h"

int
main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "rules"))
		return cmd_rules(argc - 2, argv + 2);
	return cmd_scan(argc, argv);
}
