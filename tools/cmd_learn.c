/*
 * tsblog learn: turn the warnings and errors no rule knows into rule
 * skeletons.  The scanner already groups them by message shape (numbers,
 * durations, ids, addresses and quoted strings replaced by placeholders);
 * each placeholder becomes a named capture, the rest is quoted literally.
 * The skeleton is compiled and its example matched with the library
 * before it is printed, so what comes out is a valid rule file.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cmd.h"

/* The library's placeholders, each with the regex that made it. */
#define TSBLOG_SHAPE_DATA_ONLY
#include "../lib/shape.h"

/* PCRE2 metacharacters outside a class. */
static int
add_literal(char **out, size_t *len, const char *s, size_t n)
{
	size_t i;
	char *p = realloc(*out, *len + 2 * n + 1);

	if (!p)
		return -1;
	*out = p;
	for (i = 0; i < n; i++) {
		if (strchr("\\^$.|?*+()[]{}", s[i]))
			p[(*len)++] = '\\';
		/* %{ would be read as a pattern reference */
		if (s[i] == '%' && i + 1 < n && s[i + 1] == '{')
			p[(*len)++] = '\\';
		p[(*len)++] = s[i];
	}
	p[*len] = '\0';
	return 0;
}

static int
add_str(char **out, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *p = realloc(*out, *len + n + 1);
	if (!p)
		return -1;
	*out = p;
	memcpy(p + *len, s, n + 1);
	*len += n;
	return 0;
}

/* Build the regex for a shape and the list of its fields and keys. */
static char *
shape_regex(const char *shape, json_t *fields, json_t *keys)
{
	char *out = NULL, name[48], holes[SHAPE_HOLES][16];
	size_t len = 0, k;
	int count[SHAPE_HOLES] = { 0 };
	const char *p = shape;

	for (k = 0; k < SHAPE_HOLES; k++)
		snprintf(holes[k], sizeof(holes[k]), "<%s>",
			 shape_holes[k].name);
	if (add_str(&out, &len, ""))
		return NULL;
	while (*p) {
		const char *best = NULL;
		size_t hole = 0;
		for (k = 0; k < SHAPE_HOLES; k++) {
			const char *h = strstr(p, holes[k]);
			if (h && (!best || h < best)) {
				best = h;
				hole = k;
			}
		}
		if (!best) {
			if (add_literal(&out, &len, p, strlen(p)))
				goto nomem;
			break;
		}
		if (add_literal(&out, &len, p, (size_t)(best - p)))
			goto nomem;
		snprintf(name, sizeof(name), "%s%d", shape_holes[hole].field,
			 ++count[hole]);
		if (add_str(&out, &len, "(?<") || add_str(&out, &len, name) ||
		    add_str(&out, &len, ">") ||
		    add_str(&out, &len, shape_holes[hole].regex) ||
		    add_str(&out, &len, ")"))
			goto nomem;
		json_array_append_new(fields, json_string(name));
		if (shape_holes[hole].key)
			json_array_append_new(keys, json_string(name));
		p = best + strlen(holes[hole]);
	}
	return out;
nomem:
	free(out);
	return NULL;
}

/* "learned-error-getting-stream" out of the shape's first words. */
static void
make_id(const char *shape, char *id, size_t size, json_t *taken)
{
	size_t n = 0, words = 0, i;
	int last_dash = 1;
	char base[64];

	n = (size_t)snprintf(base, sizeof(base), "learned");
	for (i = 0; shape[i] && n + 2 < sizeof(base); i++) {
		unsigned char c = (unsigned char)shape[i];
		if (c == '<') { /* skip placeholders */
			while (shape[i] && shape[i] != '>')
				i++;
			continue;
		}
		if (isalnum(c)) {
			if (last_dash && words == 4)
				break;
			if (last_dash) {
				base[n++] = '-';
				words++;
			}
			base[n++] = (char)tolower(c);
			last_dash = 0;
		} else {
			last_dash = 1;
		}
	}
	base[n] = '\0';
	snprintf(id, size, "%s", base);
	for (i = 2; json_object_get(taken, id); i++)
		snprintf(id, size, "%s-%zu", base, i);
	json_object_set_new(taken, id, json_true());
}

/* Compile one skeleton alone and match its example, to fill in the
 * example's fields and to be sure the rule is valid. */
static int
verify(json_t *rule, const char *example)
{
	json_t *file = json_pack("{s:i, s:[O]}", "tsblog", 1, "rules", rule);
	char *text = file ? json_dumps(file, 0) : NULL;
	tsblog_builder *b = NULL;
	tsblog_ruleset *rs = NULL;
	tsblog_matcher *m = NULL;
	const tsblog_diagnosis *d;
	tsblog_error err;
	int ok = 0;
	size_t i;

	if (text && tsblog_builder_new(&b, NULL, &err) == 0 &&
	    tsblog_builder_add_string(b, "learn", text, strlen(text), &err) == 0 &&
	    tsblog_builder_build(&rs, b, &err) == 0 &&
	    tsblog_matcher_new(&m, rs, &err) == 0 &&
	    tsblog_matcher_match(m, example, strlen(example), &d, &err) == 1) {
		json_t *fields = json_object();
		for (i = 0; i < tsblog_diagnosis_field_count(d); i++)
			json_object_set_new(
				fields, tsblog_diagnosis_field_name(d, i),
				json_string(tsblog_diagnosis_field_value(d, i)));
		json_array_append_new(json_object_get(rule, "examples"),
				      json_pack("{s:s, s:o}", "line", example,
						"fields", fields));
		ok = 1;
	}
	tsblog_matcher_free(m);
	tsblog_ruleset_free(rs);
	tsblog_builder_free(b);
	free(text);
	json_decref(file);
	return ok;
}

static void
usage(void)
{
	fputs("Usage: tsblog learn [-r FILE]... [--no-builtin] [FILE]...\n"
	      "Print a rule file with a skeleton for each kind of warning and error\n"
	      "no rule knows in the FILEs (standard input when none or '-').\n"
	      "\n"
	      "  -r, --rules FILE  load a rule file before the bundled rules\n"
	      "      --no-builtin  do not load the bundled TSB rules\n",
	      stdout);
}

int
cmd_learn(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		RULE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const stdin_only[] = { "-" };
	tsblog_ruleset *rs = NULL;
	tsblog_scanner *s = NULL;
	tsblog_scan_options sopts = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_error err;
	tsblog_summary *sum = NULL;
	json_t *out = NULL, *taken = json_object();
	json_t *seen = json_object();
	rule_args ra;
	const char *const *inputs = stdin_only;
	char *doc = NULL;
	unsigned long long malformed = 0;
	int i, c, ninputs = 1, status = EXIT_TROUBLE, skipped = 0;
	size_t k;

	if (rule_args_init(&ra, argc) < 0)
		goto done;
	while ((c = next_option(argc, argv, ":h" RULE_SHORT_OPTIONS, longopts,
				"tsblog learn")) != -1) {
		if (c == 'h') {
			usage();
			status = EXIT_CLEAN;
			goto done;
		}
		if (!rule_option(&ra, c, optarg))
			goto done;
	}
	if (optind < argc) {
		inputs = (const char *const *)argv + optind;
		ninputs = argc - optind;
	}
	rs = load_rules(&ra);
	if (!rs)
		goto done;
	/* Only the summary's groups are read. */
	sopts.flags = TSBLOG_SCAN_FIRST_SIGHTINGS;
	if (!taken || !seen ||
	    tsblog_scanner_new(&s, rs, NULL, &sopts, &err) < 0) {
		print_error("out of memory");
		goto done;
	}
	for (i = 0; i < ninputs; i++)
		if (scan_file_quietly(s, inputs[i], &malformed) < 0)
			goto done;
	if (tsblog_scanner_summary(&sum, s, &err) < 0) {
		print_error("%s", err.message);
		goto done;
	}
	out = json_pack("{s:i, s:[]}", "tsblog", 1, "rules");
	for (k = 0; k < tsblog_summary_group_count(sum); k++) {
		const tsblog_summary_group *g = tsblog_summary_group_get(sum, k);
		const char *shape = tsblog_summary_group_shape(g);
		const char *level = tsblog_summary_group_level(g);
		const char *example = tsblog_summary_group_example(g);
		json_t *fields, *keys, *rule;
		char id[80], title[100], *re, *summary = NULL;
		size_t f, sn = 0;
		json_t *fv;
		int bad;

		/* One skeleton per shape, whatever level it came at. */
		if (json_object_get(seen, shape))
			continue;
		json_object_set_new(seen, shape, json_true());
		fields = json_array();
		keys = json_array();
		re = shape_regex(shape, fields, keys);
		bad = add_str(&summary, &sn, "TODO: say what this means");
		json_array_foreach(fields, f, fv)
			bad = bad || add_str(&summary, &sn, f ? ", " : " (captured: ") ||
			      add_str(&summary, &sn, json_string_value(fv)) ||
			      add_str(&summary, &sn, "={") ||
			      add_str(&summary, &sn, json_string_value(fv)) ||
			      add_str(&summary, &sn, "}");
		if (json_array_size(fields))
			bad = bad || add_str(&summary, &sn, ")");
		if (bad || !re) {
			print_error("out of memory");
			free(re);
			free(summary);
			json_decref(fields);
			json_decref(keys);
			goto done;
		}

		make_id(shape, id, sizeof(id), taken);
		snprintf(title, sizeof(title), "TODO: name this problem (%.60s)",
			 shape);
		rule = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:[s], s:[], s:[]}",
				 "id", id, "severity",
				 !strcmp(level, "warn") ? "warning" : "error",
				 "title", title, "match", re,
				 "key", keys, "summary", summary,
				 "fix", "TODO: the command that fixes it",
				 "examples", "counter_examples");
		free(re);
		free(summary);
		json_decref(fields);
		if (!rule || !verify(rule, example)) {
			/* The shape lost something the example needs (a long
			 * message cut at 300 bytes, say): leave it out. */
			safe_printf(stderr, "tsblog: learn: skipped \"%.80s\": its skeleton does not match its own example\n",
				shape);
			skipped++;
			json_decref(rule);
			continue;
		}
		json_array_append_new(json_object_get(out, "rules"), rule);
	}
	doc = json_dumps(out, JSON_INDENT(2));
	if (!doc)
		goto done;
	put_json(doc);
	fprintf(stderr, "tsblog: learn: %zu rule skeletons (%d skipped); edit the TODOs, then: tsblog rules check FILE\n",
		json_array_size(json_object_get(out, "rules")), skipped);
	status = malformed ? EXIT_TROUBLE : EXIT_CLEAN;
done:
	free(doc);
	tsblog_summary_free(sum);
	json_decref(out);
	json_decref(taken);
	json_decref(seen);
	tsblog_scanner_free(s);
	tsblog_ruleset_free(rs);
	rule_args_free(&ra);
	return status;
}
