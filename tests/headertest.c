/* Build-only: the public headers must compile alone as strict C89. */
#include <tsblog.h>

int
main(void)
{
	tsblog_error err;
	tsblog_compile_options opts = TSBLOG_COMPILE_OPTIONS_INIT;
	tsblog_scan_options sopts = TSBLOG_SCAN_OPTIONS_INIT;

	(void)opts;
	(void)sopts;
	err.code = TSBLOG_OK;
	return tsblog_version()[0] == TSBLOG_VERSION[0] ? err.code : 1;
}
