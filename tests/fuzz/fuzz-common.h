/*
 * Shared by the libFuzzer targets: the checks every scan must pass.
 *
 * A check that fails calls abort(), so libFuzzer (and tests/fuzz/replay.c)
 * stop on it with the input that caused it.  Nothing here prints unless a
 * check fails.
 */
#ifndef TSBLOG_FUZZ_COMMON_H
#define TSBLOG_FUZZ_COMMON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsblog.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                               \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: check failed: %s: ",        \
				__FILE__, __LINE__, #cond);                 \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			abort();                                            \
		}                                                           \
	} while (0)

/* A string list that grows; what one scan produced, to compare runs. */
typedef struct {
	char **v;
	size_t n, cap;
} fuzz_strv;

static inline void
fuzz_strv_add(fuzz_strv *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		FUZZ_CHECK(l->v != NULL, "out of memory in the harness");
	}
	l->v[l->n++] = s;
}

static inline void
fuzz_strv_free(fuzz_strv *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		tsblog_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Parse @text back with jansson: it must be one JSON object, valid UTF-8
 * (jansson checks that), without a NUL escape, and the very bytes
 * jansson's compact dump of it gives (lib/jsonw.c writes diagnoses and
 * summaries by hand to that end).  Returns it (caller decrefs). */
static inline json_t *
fuzz_json_object(const char *text)
{
	json_error_t jerr;
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	char *again;

	FUZZ_CHECK(o != NULL, "library wrote invalid JSON (%s): %.300s",
		   jerr.text, text);
	FUZZ_CHECK(json_is_object(o), "not an object: %.300s", text);
	FUZZ_CHECK(!strchr(text, '\n'), "JSON is not one line");
	again = json_dumps(o, JSON_COMPACT);
	FUZZ_CHECK(again && !strcmp(again, text),
		   "not the bytes jansson writes:\n%.300s\n%.300s", text,
		   again ? again : "(no memory)");
	free(again);
	return o;
}

/* Lines in @n bytes as the scanner counts them: every '\n' ends one, and
 * bytes after the last '\n' are one more. */
static inline uint64_t
fuzz_count_lines(const uint8_t *p, size_t n)
{
	uint64_t lines = 0;
	size_t i;

	/* LF, or a CR followed by neither LF nor CR (see line_end()) */
	for (i = 0; i < n; i++)
		if (p[i] == '\n' || (p[i] == '\r' && i + 1 < n &&
				     p[i + 1] != '\n' && p[i + 1] != '\r'))
			lines++;
	if (n && p[n - 1] != '\n')
		lines++;
	return lines;
}

/* The repeat encoding, so that a small input can stand for lines longer
 * than max_record: 4 header bytes, then a body.  h[0] is the length of
 * the body's prefix, h[1] + 1 that of the unit after it, and
 * (h[2] | h[3] << 8) + 1 how many 20-byte blocks (up to 1.25 MiB: just
 * past the default max_record, and no more, since every byte costs under
 * a sanitizer) the unit is repeated to fill; the rest of the body
 * follows.  Returns the expanded input (caller frees) and its size in
 * *n. */
#define FUZZ_REPEAT_HEADER 4
static inline uint8_t *
fuzz_expand(const uint8_t *h, const uint8_t *body, size_t size, size_t *n)
{
	size_t pre = h[0] < size ? h[0] : size;
	size_t unit = (size_t)h[1] + 1 < size - pre ? (size_t)h[1] + 1
						    : size - pre;
	size_t fill = unit ? ((size_t)(h[2] | h[3] << 8) + 1) * 20 : 0;
	size_t rest = size - pre - unit, i;
	uint8_t *out = malloc(pre + fill + rest + 1);

	FUZZ_CHECK(out != NULL, "out of memory in the harness");
	memcpy(out, body, pre);
	for (i = 0; i < fill; i++)
		out[pre + i] = body[pre + i % unit];
	memcpy(out + pre + fill, body + pre + unit, rest);
	*n = pre + fill + rest;
	return out;
}

/* What one scan gave: every diagnosis as JSON, and the counters. */
typedef struct {
	fuzz_strv diags;
	uint64_t records, bytes, truncated, malformed, syntax_errors;
	char *summary;
} fuzz_scan;

static inline void
fuzz_scan_free(fuzz_scan *r)
{
	fuzz_strv_free(&r->diags);
	tsblog_free(r->summary);
	memset(r, 0, sizeof(*r));
}

/* Where one scan's diagnoses go, and the last line seen. */
typedef struct {
	fuzz_scan *r;
	uint64_t last_line;
} fuzz_sink;

/* The harness's scan callback: every diagnosis is converted and checked,
 * in line order; a malformed event must come with a message, and the
 * scan goes on. */
static inline int
fuzz_collect(tsblog_scan_what what, const tsblog_diagnosis *d,
	     const tsblog_error *event, void *payload)
{
	fuzz_sink *sink = payload;
	tsblog_error err;
	char *js = NULL;
	json_t *o;
	uint64_t line;

	if (what == TSBLOG_SCAN_MALFORMED) {
		FUZZ_CHECK(!d && event && event->code == TSBLOG_ESYNTAX &&
				   event->message[0],
			   "malformed event without a report");
		sink->r->syntax_errors++;
		return TSBLOG_CONTINUE;
	}
	FUZZ_CHECK(what == TSBLOG_SCAN_DIAGNOSIS && d && !event,
		   "callback %d", (int)what);
	line = tsblog_diagnosis_line(d);
	FUZZ_CHECK(tsblog_diagnosis_to_json(&js, d, &err) == 0,
		   "tsblog_diagnosis_to_json: %s", err.message);
	o = fuzz_json_object(js);
	FUZZ_CHECK(json_integer_value(json_object_get(o, "line")) ==
			   (json_int_t)line,
		   "line differs in JSON");
	json_decref(o);
	FUZZ_CHECK(line >= 1 && line >= sink->last_line,
		   "diagnosis line %llu after line %llu",
		   (unsigned long long)line,
		   (unsigned long long)sink->last_line);
	FUZZ_CHECK(tsblog_diagnosis_count(d) >= 1, "count 0");
	sink->last_line = line;
	fuzz_strv_add(&sink->r->diags, js);
	return TSBLOG_CONTINUE;
}

/* Scan @n bytes in chunks whose sizes cycle through @sizes (0-terminated;
 * NULL = one chunk), then finish, then take the summary. */
static inline void
fuzz_run_scan(const tsblog_ruleset *rs, const tsblog_scan_options *opts,
	      const uint8_t *p, size_t n, const size_t *sizes, fuzz_scan *r)
{
	tsblog_scanner *s = NULL;
	tsblog_error err;
	fuzz_sink sink = { r, 0 };
	size_t at = 0, k = 0;

	memset(r, 0, sizeof(*r));
	FUZZ_CHECK(tsblog_scanner_new(&s, rs, "fuzz", opts, &err) == 0,
		   "tsblog_scanner_new: %s", err.message);
	while (at < n) {
		size_t len = sizes && sizes[k] ? sizes[k++] : n - at;
		if (sizes && !sizes[k])
			k = 0;
		if (len > n - at)
			len = n - at;
		FUZZ_CHECK(tsblog_scanner_scan(s, (const char *)p + at, len,
					       fuzz_collect, &sink, &err) == 0,
			   "tsblog_scanner_scan: %s", err.message);
		at += len;
	}
	FUZZ_CHECK(tsblog_scanner_finish(s, fuzz_collect, &sink, &err) == 0,
		   "tsblog_scanner_finish: %s", err.message);
	r->records = tsblog_scanner_records(s);
	r->bytes = tsblog_scanner_bytes(s);
	r->truncated = tsblog_scanner_truncated(s);
	r->malformed = tsblog_scanner_malformed(s);
	FUZZ_CHECK(tsblog_scanner_summary_json(&r->summary, s, &err) == 0,
		   "tsblog_scanner_summary_json: %s", err.message);
	{
		json_t *o = fuzz_json_object(r->summary);
		FUZZ_CHECK(json_integer_value(json_object_get(o, "records")) ==
				   (json_int_t)r->records,
			   "summary records");
		FUZZ_CHECK(json_integer_value(json_object_get(o, "malformed")) ==
				   (json_int_t)r->malformed,
			   "summary malformed");
		json_decref(o);
	}
	FUZZ_CHECK(r->malformed == r->syntax_errors,
		   "malformed %llu but %llu ESYNTAX reports",
		   (unsigned long long)r->malformed,
		   (unsigned long long)r->syntax_errors);
	tsblog_scanner_free(s);
}

/* Two scans of the same bytes must agree on everything but the summary
 * (which one of them may not keep). */
static inline void
fuzz_same_scan(const fuzz_scan *a, const fuzz_scan *b)
{
	size_t i;

	FUZZ_CHECK(a->records == b->records && a->bytes == b->bytes &&
			   a->truncated == b->truncated &&
			   a->malformed == b->malformed,
		   "counters differ between chunkings: records %llu/%llu "
		   "truncated %llu/%llu malformed %llu/%llu",
		   (unsigned long long)a->records,
		   (unsigned long long)b->records,
		   (unsigned long long)a->truncated,
		   (unsigned long long)b->truncated,
		   (unsigned long long)a->malformed,
		   (unsigned long long)b->malformed);
	FUZZ_CHECK(a->diags.n == b->diags.n,
		   "%zu diagnoses in one run, %zu in the other", a->diags.n,
		   b->diags.n);
	for (i = 0; i < a->diags.n; i++)
		FUZZ_CHECK(!strcmp(a->diags.v[i], b->diags.v[i]),
			   "diagnosis %zu differs:\n%.400s\n%.400s", i,
			   a->diags.v[i], b->diags.v[i]);
}

#ifdef FUZZ_BUILTIN_RULES
/* The bundled rules, compiled once per target (scanner, events) and
 * freed at exit so the leak checker stays quiet; the other targets set
 * nothing up. */
static tsblog_ruleset *rules;

static void
free_rules(void)
{
	tsblog_ruleset_free(rules);
	rules = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tsblog_error err;

	(void)argc;
	(void)argv;
	if (rules)
		return 0;
	FUZZ_CHECK(tsblog_ruleset_new_builtin(&rules, &err) == 0,
		   "bundled rules: %s", err.message);
	atexit(free_rules);
	return 0;
}
#else
/* Nothing to set up. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}
#endif

#endif
