/* Registration of tsblog-parser() with syslog-ng: the module and its one
 * plugin. */
#include "tsblog-parser.h"
#include "plugin.h"
#include "plugin-types.h"

static Plugin tsblog_plugins[] = {
	{
		.type = LL_CONTEXT_PARSER,
		.name = "tsblog-parser",
		.parser = &tsblog_parser_parser,
	},
};

gboolean tsblog_parser_module_init(PluginContext *context, CfgArgs *args);

gboolean
tsblog_parser_module_init(PluginContext *context, CfgArgs *args)
{
	plugin_register(context, tsblog_plugins, G_N_ELEMENTS(tsblog_plugins));
	return TRUE;
}

const ModuleInfo module_info = {
	.canonical_name = "tsblog-parser",
	.version = SYSLOG_NG_VERSION,
	.description = "tsblog-parser(): diagnoses of Kubernetes, Istio and TSB error lines by libtsblog",
	.core_revision = SYSLOG_NG_SOURCE_REVISION,
	.plugins = tsblog_plugins,
	.plugins_len = G_N_ELEMENTS(tsblog_plugins),
};
