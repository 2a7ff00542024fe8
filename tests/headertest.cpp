// Build-only: the public headers must compile as C++ too.
#include <tsblog.h>

int
main()
{
	tsblog_ruleset *rs = nullptr;
	tsblog_error err;
	if (tsblog_ruleset_new_builtin(&rs, &err) != 0)
		return 1;
	int n = static_cast<int>(tsblog_ruleset_count(rs));
	tsblog_ruleset_free(rs);
	return n > 0 ? 0 : 1;
}
