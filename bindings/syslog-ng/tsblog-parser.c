/*
 * tsblog-parser(): each message is matched by libtsblog, and a diagnosis
 * becomes name-value pairs with the keys of `tsblog -o json`.
 *
 * Rules compile once per parser object, on its first init, and stay
 * across deinit/init: when a reload fails, syslog-ng re-inits the old
 * objects, and they must come back with the rules they ran with (reading
 * the files again would fail the revert, which aborts syslog-ng).
 *
 * Worker threads call process() at once; one rule set is shared and
 * each thread borrows a matcher from a pool, so there are as many
 * matchers as threads that ever matched at the same time.
 */
#include "tsblog-parser.h"
#include "cfg-tree.h"
#include "stats/stats-cluster-logpipe.h"
#include "stats/stats-registry.h"
#include <jansson.h>
#include <tsblog.h>

typedef struct {
	LogParser super;
	GList *rule_files;      /* gchar *, in matching order */
	gboolean builtin, redact;
	gchar *prefix;
	tsblog_ruleset *rs;
	GMutex lock;            /* guards idle */
	GPtrArray *idle;        /* tsblog_matcher * not in use */
	NVHandle k8s[3];        /* .k8s.pod_name, namespace_name, container_name */
	StatsClusterKey stats_key;
	gchar where[256];       /* the key's instance: its config location */
	StatsCounterItem *processed, *matched;
} TsblogParser;

void
tsblog_parser_add_rules(LogParser *s, const gchar *path)
{
	TsblogParser *self = (TsblogParser *)s;
	self->rule_files = g_list_append(self->rule_files, g_strdup(path));
}

void
tsblog_parser_set_builtin(LogParser *s, gboolean on)
{
	((TsblogParser *)s)->builtin = on;
}

void
tsblog_parser_set_redact(LogParser *s, gboolean on)
{
	((TsblogParser *)s)->redact = on;
}

void
tsblog_parser_set_prefix(LogParser *s, const gchar *prefix)
{
	TsblogParser *self = (TsblogParser *)s;
	g_free(self->prefix);
	self->prefix = g_strdup(prefix);
}

static gboolean
compile(TsblogParser *self)
{
	tsblog_builder *b = NULL;
	tsblog_error err;
	GList *l;
	int rc = tsblog_builder_new(&b, NULL, &err);

	for (l = self->rule_files; rc == 0 && l; l = l->next)
		rc = tsblog_builder_add_file(b, l->data, &err);
	if (rc == 0 && self->builtin)
		rc = tsblog_builder_add_builtin(b, &err);
	if (rc == 0)
		rc = tsblog_builder_build(&self->rs, b, &err);
	tsblog_builder_free(b);
	if (rc < 0)
		msg_error("tsblog-parser(): rules not loaded",
			  evt_tag_str("error", err.message),
			  log_pipe_location_tag(&self->super.super));
	return rc == 0;
}

static gboolean
tsblog_parser_init(LogPipe *s)
{
	TsblogParser *self = (TsblogParser *)s;

	if (!self->rs && !compile(self))
		return FALSE;
	if (s->expr_node)
		log_expr_node_format_location(s->expr_node, self->where,
					      sizeof(self->where));
	stats_lock();
	stats_cluster_logpipe_key_set(&self->stats_key, SCS_PARSER,
				      "tsblog-parser", self->where);
	stats_register_counter(0, &self->stats_key, SC_TYPE_PROCESSED,
			       &self->processed);
	stats_register_counter(0, &self->stats_key, SC_TYPE_MATCHED,
			       &self->matched);
	stats_unlock();
	return log_parser_init_method(s);
}

static gboolean
tsblog_parser_deinit(LogPipe *s)
{
	TsblogParser *self = (TsblogParser *)s;

	/* A config that failed to load deinits objects that never inited. */
	if (!self->processed)
		return log_parser_deinit_method(s);
	stats_lock();
	stats_unregister_counter(&self->stats_key, SC_TYPE_PROCESSED,
				 &self->processed);
	stats_unregister_counter(&self->stats_key, SC_TYPE_MATCHED,
				 &self->matched);
	stats_unlock();
	self->processed = self->matched = NULL;
	return log_parser_deinit_method(s);
}

static tsblog_matcher *
borrow(TsblogParser *self)
{
	tsblog_matcher *m = NULL;

	g_mutex_lock(&self->lock);
	if (self->idle->len)
		m = g_ptr_array_steal_index_fast(self->idle,
						 self->idle->len - 1);
	g_mutex_unlock(&self->lock);
	if (!m && tsblog_matcher_new(&m, self->rs, NULL) == 0)
		tsblog_matcher_set_redact(m, self->redact);
	return m;
}

static void
give_back(TsblogParser *self, tsblog_matcher *m)
{
	g_mutex_lock(&self->lock);
	g_ptr_array_add(self->idle, m);
	g_mutex_unlock(&self->lock);
}

/* A value as a NUL-terminated copy, or NULL when unset or empty. */
static gchar *
value(LogMessage *msg, NVHandle h)
{
	gssize n = 0;
	const gchar *v = log_msg_get_value(msg, h, &n);
	return n > 0 ? g_strndup(v, n) : NULL;
}

/* The diagnosis as `tsblog -o json` has it, one name-value pair per
 * member under the prefix: strings as they are, fields as fields.<name>,
 * fix and see_also as JSON arrays (typed JSON); null members are left
 * out, and so are those the engine has already (source, line, count,
 * text, component, docs). */
static const char *const wanted[] = { "rule", "severity", "title", "summary",
				      "fix", "fields", "see_also", "timestamp",
				      "level", "pod", "container", "namespace",
				      NULL };

static void
add_diagnosis(TsblogParser *self, LogMessage *msg, const tsblog_diagnosis *d)
{
	GString *name = g_string_new(self->prefix);
	gsize base = name->len;
	char *text = NULL;
	json_t *o = NULL, *v;
	const char *k;
	size_t i;

	if (tsblog_diagnosis_to_json(&text, d, NULL) == 0)
		o = json_loads(text, 0, NULL);
	for (i = 0; o && wanted[i]; i++) {
		v = json_object_get(o, wanted[i]);
		g_string_truncate(name, base);
		g_string_append(name, wanted[i]);
		if (json_is_string(v)) {
			log_msg_set_value_by_name(msg, name->str,
						  json_string_value(v), -1);
		} else if (json_is_array(v)) {
			char *a = json_dumps(v, JSON_COMPACT);
			if (a)
				log_msg_set_value_with_type(
					msg, log_msg_get_value_handle(name->str),
					a, -1, LM_VT_JSON);
			free(a);
		} else if (json_is_object(v)) {
			json_t *f;
			g_string_append_c(name, '.');
			json_object_foreach(v, k, f) {
				g_string_truncate(name, base + strlen(wanted[i]) + 1);
				g_string_append(name, k);
				log_msg_set_value_by_name(msg, name->str,
							  json_string_value(f), -1);
			}
		}
	}
	if (!o)
		msg_error("tsblog-parser(): out of memory",
			  log_pipe_location_tag(&self->super.super));
	json_decref(o);
	tsblog_free(text);
	g_string_free(name, TRUE);
}

static gboolean
tsblog_parser_process(LogParser *s, LogMessage **pmsg,
		      const LogPathOptions *path_options, const gchar *input,
		      gsize input_len)
{
	TsblogParser *self = (TsblogParser *)s;
	tsblog_envelope env = TSBLOG_ENVELOPE_INIT;
	const tsblog_diagnosis *d = NULL;
	tsblog_matcher *m = borrow(self);
	tsblog_error err;
	int rc;

	/* Unmatched or not, every message goes on: the parser only adds. */
	if (!m) {
		msg_error("tsblog-parser(): out of memory",
			  log_pipe_location_tag(&s->super));
		return TRUE;
	}
	env.pod_name = value(*pmsg, self->k8s[0]);
	env.namespace_name = value(*pmsg, self->k8s[1]);
	env.container_name = value(*pmsg, self->k8s[2]);
	rc = tsblog_matcher_match_envelope(m, input, input_len, &env, &d, &err);
	stats_counter_inc(self->processed);
	if (rc == 1) {
		stats_counter_inc(self->matched);
		add_diagnosis(self, log_msg_make_writable(pmsg, path_options), d);
	} else if (rc < 0) {
		msg_error("tsblog-parser(): message not matched",
			  evt_tag_str("error", err.message),
			  log_pipe_location_tag(&s->super));
	}
	give_back(self, m);
	g_free((gchar *)env.pod_name);
	g_free((gchar *)env.namespace_name);
	g_free((gchar *)env.container_name);
	return TRUE;
}

static LogPipe *
tsblog_parser_clone(LogPipe *s)
{
	TsblogParser *self = (TsblogParser *)s;
	TsblogParser *c = (TsblogParser *)tsblog_parser_new(s->cfg);
	GList *l;

	log_parser_set_template(&c->super,
				log_template_ref(self->super.template));
	for (l = self->rule_files; l; l = l->next)
		tsblog_parser_add_rules(&c->super, l->data);
	c->builtin = self->builtin;
	c->redact = self->redact;
	tsblog_parser_set_prefix(&c->super, self->prefix);
	return &c->super.super;
}

static void
tsblog_parser_free(LogPipe *s)
{
	TsblogParser *self = (TsblogParser *)s;

	g_ptr_array_free(self->idle, TRUE);
	tsblog_ruleset_free(self->rs);
	g_mutex_clear(&self->lock);
	g_list_free_full(self->rule_files, g_free);
	g_free(self->prefix);
	log_parser_free_method(s);
}

LogParser *
tsblog_parser_new(GlobalConfig *cfg)
{
	TsblogParser *self = g_new0(TsblogParser, 1);

	log_parser_init_instance(&self->super, cfg);
	self->super.super.init = tsblog_parser_init;
	self->super.super.deinit = tsblog_parser_deinit;
	self->super.super.free_fn = tsblog_parser_free;
	self->super.super.clone = tsblog_parser_clone;
	self->super.process = tsblog_parser_process;
	self->builtin = self->redact = TRUE;
	self->prefix = g_strdup("tsblog.");
	g_mutex_init(&self->lock);
	self->idle = g_ptr_array_new_with_free_func(
		(GDestroyNotify)tsblog_matcher_free);
	self->k8s[0] = log_msg_get_value_handle(".k8s.pod_name");
	self->k8s[1] = log_msg_get_value_handle(".k8s.namespace_name");
	self->k8s[2] = log_msg_get_value_handle(".k8s.container_name");
	return &self->super;
}
