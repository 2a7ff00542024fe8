/* kubectl tsblog doctor: run the reads the troubleshooting page asks for. */
#include "cmd.h"

int
cmd_doctor(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_msg("doctor: not yet");
	return EXIT_TROUBLE;
}
