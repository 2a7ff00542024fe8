/*
 * tsblog-parser(): libtsblog's diagnoses as name-value pairs in syslog-ng.
 * Declarations shared by the grammar and the parser object.
 */
#ifndef TSBLOG_SYSLOG_NG_PARSER_H
#define TSBLOG_SYSLOG_NG_PARSER_H

#include "parser/parser-expr.h"
#include "cfg-parser.h"
#include "cfg-lexer.h"

LogParser *tsblog_parser_new(GlobalConfig *cfg);
/* Repeatable: files are tried in the order given, before the catalog. */
void tsblog_parser_add_rules(LogParser *s, const gchar *path);
void tsblog_parser_set_builtin(LogParser *s, gboolean on);
void tsblog_parser_set_redact(LogParser *s, gboolean on);
void tsblog_parser_set_prefix(LogParser *s, const gchar *prefix);

extern CfgParser tsblog_parser_parser;
CFG_PARSER_DECLARE_LEXER_BINDING(tsblog_parser_, TSBLOG_PARSER_, LogParser **)

#endif
