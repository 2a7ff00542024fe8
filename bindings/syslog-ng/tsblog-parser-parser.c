/* The keywords of tsblog-parser() and the binding of its grammar to
 * syslog-ng's lexer.  Apart from the plugin: the generated grammar header
 * repeats syslog-ng's token enum, which plugin-types.h also brings. */
#include "tsblog-parser.h"
#include "tsblog-parser-grammar.h"

int tsblog_parser_parse(CfgLexer *lexer, LogParser **instance, gpointer arg);

static CfgLexerKeyword tsblog_parser_keywords[] = {
	{ "tsblog_parser", KW_TSBLOG_PARSER },
	{ "rules", KW_RULES },
	{ "builtin", KW_BUILTIN },
	{ "redact", KW_REDACT },
	{ "prefix", KW_PREFIX },
	{ NULL }
};

static void
cleanup(gpointer instance)
{
	log_pipe_unref(instance);
}

CfgParser tsblog_parser_parser = {
	.name = "tsblog-parser",
	.keywords = tsblog_parser_keywords,
	.parse = (gint (*)(CfgLexer *, gpointer *, gpointer))tsblog_parser_parse,
	.cleanup = cleanup,
};

CFG_PARSER_IMPLEMENT_LEXER_BINDING(tsblog_parser_, TSBLOG_PARSER_, LogParser **)

