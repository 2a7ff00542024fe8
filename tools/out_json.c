/* -o json and -o summary-json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "out.h"

int
out_json_line(const tsblog_diagnosis *d)
{
	tsblog_error err;
	char *json;

	if (tsblog_diagnosis_to_json(&json, d, &err) < 0) {
		print_error("%s", err.message);
		return -1;
	}
	put_json(json);
	tsblog_free(json);
	return 0;
}

/* @name as a JSON string.  A file name can be any bytes and jansson
 * takes only UTF-8: each byte that starts no valid sequence becomes
 * U+FFFD, as the library writes names in diagnoses and the summary
 * (jansson judges each run, so the rule lives in one place). */
static json_t *
name_string(const char *name)
{
	size_t n = strlen(name), i = 0, k, o = 0;
	json_t *v = json_string(name), *run = NULL;
	char *fixed;

	if (v || !(fixed = malloc(3 * n + 1)))
		return v;
	while (i < n) {
		for (k = n - i < 4 ? n - i : 4;
		     k && !(run = json_stringn(name + i, k)); k--)
			;
		json_decref(run);
		if (k) {
			memcpy(fixed + o, name + i, k);
			o += k;
			i += k;
		} else {
			memcpy(fixed + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		}
	}
	v = json_stringn(fixed, o);
	free(fixed);
	return v;
}

/* The "inputs" and "complete" members as a document of their own. */
static json_t *
inputs_doc(const input_list *inputs)
{
	json_t *doc = json_object(), *list = json_array();
	size_t k;
	int bad = !doc || !list;

	for (k = 0; !bad && k < inputs->n; k++)
		bad = json_array_append_new(
			list, json_pack("{s:o, s:s}", "source",
					name_string(inputs->v[k].name),
					"status",
					input_status_name(inputs->v[k].status)));
	if (bad || json_object_set_new(doc, "inputs", list) < 0 ||
	    json_object_set_new(doc, "complete",
				json_boolean(inputs_complete(inputs))) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Whether @o keeps every rule of @rs, so that filtering @doc's problems
 * would remove none (they are all @rs's). */
static int
keeps_all(const tsblog_ruleset *rs, const scan_opts *o)
{
	size_t k;

	for (k = 0; k < tsblog_ruleset_count(rs); k++)
		if (!scan_keeps(o, tsblog_ruleset_rule(rs, k)))
			return 0;
	return 1;
}

int
out_summary_json(const char *doc, const tsblog_ruleset *rs,
		 const scan_opts *o, const input_list *inputs)
{
	json_t *sum = NULL, *probs, *tail = inputs_doc(inputs);
	size_t k = 0, n = strlen(doc);
	char *text = NULL, *more;

	/* jansson prints a compact document it has read back exactly as it
	 * was printed (members in order, the same numbers), so when no
	 * problem is filtered out and the document has neither member yet
	 * (a merged one may), the members are appended to its text: reading
	 * the whole summary back was a tenth of -o summary-json. */
	if (tail && n > 2 && doc[n - 1] == '}' && keeps_all(rs, o) &&
	    !strstr(doc, "\"inputs\":") && !strstr(doc, "\"complete\":")) {
		more = json_dumps(tail, JSON_COMPACT);
		if (more && (text = malloc(n + strlen(more) + 1)))
			sprintf(text, "%.*s,%s", (int)(n - 1), doc, more + 1);
		free(more);
	} else if (tail && (sum = json_loads(doc, 0, NULL))) {
		/* Filters apply to the document too. */
		probs = json_object_get(sum, "problems");
		while (k < json_array_size(probs)) {
			const tsblog_rule *r = tsblog_ruleset_find(
				rs, json_string_value(json_object_get(
					    json_array_get(probs, k), "rule")));
			if (r && scan_keeps(o, r))
				k++;
			else
				json_array_remove(probs, k);
		}
		if (json_object_update(sum, tail) == 0)
			text = json_dumps(sum, JSON_COMPACT);
		json_decref(sum);
	}
	json_decref(tail);
	if (!text) {
		print_error("out of memory");
		return -1;
	}
	put_json(text);
	free(text);
	return 0;
}
