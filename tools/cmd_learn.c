/* tsblog learn: rule skeletons for the warnings and errors no rule knows. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cmd.h"

int
cmd_learn(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_msg("learn: not yet");
	return EXIT_TROUBLE;
}
