/* -o json and -o summary-json. */
#include <stdlib.h>
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

int
out_summary_json(json_t *sum, const tsblog_ruleset *rs, const scan_opts *o,
		 const input_list *inputs)
{
	json_t *probs = json_object_get(sum, "problems");
	json_t *list = json_array();
	size_t k = 0;
	char *text;
	int bad = !list;

	/* Filters apply to the document too. */
	while (k < json_array_size(probs)) {
		const tsblog_rule *r = tsblog_ruleset_find(
			rs, json_string_value(json_object_get(
				    json_array_get(probs, k), "rule")));
		if (r && scan_keeps(o, r))
			k++;
		else
			json_array_remove(probs, k);
	}
	for (k = 0; !bad && k < inputs->n; k++)
		bad = json_array_append_new(
			list, json_pack("{s:s, s:s}", "source", inputs->v[k].name,
					"status",
					input_status_name(inputs->v[k].status)));
	if (bad)
		json_decref(list);
	else
		bad = json_object_set_new(sum, "inputs", list) < 0 ||
		      json_object_set_new(sum, "complete",
					  json_boolean(inputs_complete(inputs))) < 0;
	text = bad ? NULL : json_dumps(sum, JSON_COMPACT);
	if (!text) {
		print_error("out of memory");
		return -1;
	}
	put_json(text);
	free(text);
	return 0;
}
