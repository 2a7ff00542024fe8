/*
 * libFuzzer target: arbitrary bytes through the streaming scanner with the
 * bundled rules.
 *
 * Input layout: byte 0 and byte 1 pick two chunk sizes that alternate
 * (1..128 bytes, or multiples of 512), byte 2 picks max_record (its low
 * bits: default, or a small bound so that truncation and oversized events
 * happen on small inputs); the rest is the log.  When byte 2's high bits
 * are 10000, the log is in fuzz-common.h's repeat encoding (lines past
 * the default max_record of 1 MiB), the chunks are 256 times larger and,
 * to keep such runs short, the cut below is not tried.  Each input is scanned
 * twice: in those chunks keeping the summary, and in one chunk with
 * TSBLOG_SCAN_NO_SUMMARY.  Both runs must give the same diagnoses and
 * counters, every diagnosis and the summary must be valid one-line JSON,
 * and no line may be lost: records == number of lines.  A scan in one
 * chunk with TSBLOG_SCAN_FIRST_SIGHTINGS (not of the repeat encoding's
 * long lines, which would slow the fixed runs) must give the first scan's
 * diagnoses of problems not seen before (by rule and key fields) and
 * nothing else, with the same summary and counters.
 *
 * A third scan, of inputs up to ORACLE_MAX bytes, reads every line on
 * the full path: the bundled rules and one more without a literal, which
 * turns the prefilter off (the rule never matches).  Its diagnoses must
 * be the first scan's: a line the fast path skips, or reads without
 * trying the rules (no literal in it, only its level wanted), gives none.
 *
 * Then the input is cut at a line start (picked by byte 1) and its two
 * pieces scanned apart, by one scanner cleared in between, and absorbed
 * in order into a third, as tsblog_scan_fd() does with jobs (through the
 * library's private scanner.h): where the first piece ends at
 * rest (and the second does not start with a BOM, which is only stripped
 * at the start of an input), diagnoses, totals and summary must equal
 * the whole scan's.
 */
#define FUZZ_BUILTIN_RULES
#include "fuzz-common.h"
#include "scanner.h"


/* The bundled rules without their prefilter, made on first use.  Every
 * rule tries every line: most inputs are small, and the large ones would
 * stretch the fixed-run CI stage past its time cap. */
#define ORACLE_MAX 4096
static tsblog_ruleset *unfiltered;

static void
free_unfiltered(void)
{
	tsblog_ruleset_free(unfiltered);
	unfiltered = NULL;
}

static const tsblog_ruleset *
rules_unfiltered(void)
{
	static const char never[] =
		"{\"tsblog\": 1, \"rules\": [{\"id\": \"zz-no-literal\", "
		"\"severity\": \"info\", \"title\": \"never\", "
		"\"match\": \"(?!)\", \"summary\": \"never\"}]}";
	tsblog_builder *b = NULL;
	tsblog_error err;

	if (unfiltered)
		return unfiltered;
	FUZZ_CHECK(tsblog_builder_new(&b, NULL, &err) == 0 &&
			   tsblog_builder_add_builtin(b, &err) == 0 &&
			   tsblog_builder_add_string(b, "never.json", never,
						     sizeof(never) - 1, &err) == 0 &&
			   tsblog_builder_build(&unfiltered, b, &err) == 0,
		   "rules without a prefilter: %s", err.message);
	tsblog_builder_free(b);
	FUZZ_CHECK(tsblog_rule_literal_count(tsblog_ruleset_rule(
			   unfiltered, tsblog_ruleset_count(unfiltered) - 1)) == 0,
		   "the never-matching rule has a literal");
	atexit(free_unfiltered);
	return unfiltered;
}

static size_t
chunk_size(uint8_t b)
{
	return b < 128 ? (size_t)b + 1 : (size_t)(b - 127) * 512;
}

/* Scan @n bytes as a piece (the common checks: valid JSON, lines in
 * order), and finish it unless @at_rest is NULL: then say first whether
 * the piece ends at rest.  Its diagnoses must lie within the piece.
 * Returns how many there were. */
static size_t
scan_piece(tsblog_scanner *s, const uint8_t *p, size_t n, int *at_rest)
{
	fuzz_scan r;
	fuzz_sink sink = { &r, 0 };
	tsblog_error err;
	size_t found;

	memset(&r, 0, sizeof(r));
	FUZZ_CHECK(tsblog_scanner_scan(s, (const char *)p, n, fuzz_collect,
				       &sink, &err) == 0,
		   "scan: %s", err.message);
	if (at_rest)
		*at_rest = scanner_at_rest(s);
	FUZZ_CHECK(tsblog_scanner_finish(s, fuzz_collect, &sink, &err) == 0,
		   "finish: %s", err.message);
	FUZZ_CHECK(sink.last_line <= tsblog_scanner_records(s) + 1,
		   "piece diagnosis at line %llu",
		   (unsigned long long)sink.last_line);
	found = r.diags.n;
	fuzz_scan_free(&r);
	return found;
}

static void
check_pieces(const tsblog_scan_options *opts, const uint8_t *data,
	     size_t size, size_t at, const fuzz_scan *whole)
{
	tsblog_scanner *piece = NULL, *all = NULL;
	tsblog_error err;
	const uint8_t *nl;
	size_t cut, ndiags;
	int at_rest;
	char *joined = NULL;

	nl = at < size ? memchr(data + at, '\n', size - at) : NULL;
	cut = nl ? (size_t)(nl - data) + 1 : size;
	FUZZ_CHECK(tsblog_scanner_new(&piece, rules, "fuzz", opts, &err) == 0 &&
			   tsblog_scanner_new(&all, rules, "fuzz", opts, &err) == 0,
		   "tsblog_scanner_new: %s", err.message);
	ndiags = scan_piece(piece, data, cut, &at_rest);
	if (!at_rest || (size - cut >= 3 && !memcmp(data + cut, "\xEF\xBB\xBF", 3)))
		goto out;       /* tsblog_scan_fd() scans on serially here */
	FUZZ_CHECK(scanner_absorb(all, piece, &err) == 0, "absorb: %s",
		   err.message);
	FUZZ_CHECK(scanner_clear(piece, "fuzz") == 0, "clear");
	ndiags += scan_piece(piece, data + cut, size - cut, NULL);
	FUZZ_CHECK(scanner_absorb(all, piece, &err) == 0, "absorb: %s",
		   err.message);
	FUZZ_CHECK(ndiags == whole->diags.n, "%zu diagnoses in pieces, %zu whole",
		   ndiags, whole->diags.n);
	FUZZ_CHECK(tsblog_scanner_records(all) == whole->records &&
			   tsblog_scanner_bytes(all) == whole->bytes &&
			   tsblog_scanner_truncated(all) == whole->truncated &&
			   tsblog_scanner_malformed(all) == whole->malformed,
		   "totals of the pieces differ from the whole scan's");
	FUZZ_CHECK(tsblog_scanner_summary_json(&joined, all, &err) == 0,
		   "summary: %s", err.message);
	FUZZ_CHECK(!strcmp(joined, whole->summary),
		   "cut at %zu: summary of the pieces differs:\n%.600s\n%.600s",
		   cut, joined, whole->summary);
out:
	tsblog_free(joined);
	tsblog_scanner_free(piece);
	tsblog_scanner_free(all);
}

/* @d's problem as the summary keys it: its rule, then its key fields'
 * values (a missing one as empty); malloc'd. */
static char *
problem_key(const char *d)
{
	json_t *o = fuzz_json_object(d), *fields = json_object_get(o, "fields");
	const tsblog_rule *r = tsblog_ruleset_find(
		rules, json_string_value(json_object_get(o, "rule")));
	size_t i, n;
	char *key;

	FUZZ_CHECK(r != NULL, "a diagnosis of no rule");
	n = strlen(tsblog_rule_id(r)) + 1;
	for (i = 0; i < tsblog_rule_key_count(r); i++) {
		const char *v = json_string_value(
			json_object_get(fields, tsblog_rule_key(r, i)));
		n += (v ? strlen(v) : 0) + 1;
	}
	key = malloc(n);
	FUZZ_CHECK(key != NULL, "out of memory in the harness");
	strcpy(key, tsblog_rule_id(r));
	for (i = 0; i < tsblog_rule_key_count(r); i++) {
		const char *v = json_string_value(
			json_object_get(fields, tsblog_rule_key(r, i)));
		strcat(key, "\x1f");
		strcat(key, v ? v : "");
	}
	json_decref(o);
	return key;
}

/* TSBLOG_SCAN_FIRST_SIGHTINGS's scan @f shows exactly those of @all's
 * diagnoses whose problem is new, whole, and keeps the same summary and
 * totals. */
static void
check_first_sightings(const fuzz_scan *all, const fuzz_scan *f)
{
	char **keys = calloc(all->diags.n + 1, sizeof(*keys));
	size_t i, k, nkeys = 0, next = 0;

	FUZZ_CHECK(keys != NULL, "out of memory in the harness");
	for (i = 0; i < all->diags.n; i++) {
		char *key = problem_key(all->diags.v[i]);
		for (k = 0; k < nkeys && strcmp(keys[k], key); k++)
			;
		if (k < nkeys) {
			free(key);
			continue;
		}
		keys[nkeys++] = key;
		FUZZ_CHECK(next < f->diags.n &&
				   !strcmp(all->diags.v[i], f->diags.v[next]),
			   "first sighting %zu (diagnosis %zu) differs:\n%.400s\n%.400s",
			   next, i, all->diags.v[i],
			   next < f->diags.n ? f->diags.v[next] : "(none)");
		next++;
	}
	FUZZ_CHECK(next == f->diags.n, "%zu first sightings, %zu given", next,
		   f->diags.n);
	FUZZ_CHECK(all->records == f->records && all->bytes == f->bytes &&
			   all->truncated == f->truncated &&
			   all->malformed == f->malformed &&
			   !strcmp(all->summary, f->summary),
		   "totals or summary differ with first sightings only");
	for (k = 0; k < nkeys; k++)
		free(keys[k]);
	free(keys);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_records[8] = { 0, 1, 16, 80, 256, 1024, 4096,
					       0 };
	tsblog_scan_options opts = TSBLOG_SCAN_OPTIONS_INIT;
	size_t sizes[3];
	fuzz_scan a, b;
	uint8_t cut, *big = NULL;

	if (size < 3)
		return 0;
	cut = data[1];
	sizes[0] = chunk_size(data[0]);
	sizes[1] = chunk_size(data[1]);
	sizes[2] = 0;
	opts.max_record = max_records[data[2] & 7];
	if ((data[2] & 0xF8) == 0x80) {
		if (size < 3 + FUZZ_REPEAT_HEADER)
			return 0;
		big = fuzz_expand(data + 3, data + 3 + FUZZ_REPEAT_HEADER,
				  size - 3 - FUZZ_REPEAT_HEADER, &size);
		data = big;
		sizes[0] *= 256;
		sizes[1] *= 256;
	} else {
		data += 3;
		size -= 3;
	}

	fuzz_run_scan(rules, &opts, data, size, sizes, &a);
	if (!big) {
		opts.flags = TSBLOG_SCAN_FIRST_SIGHTINGS;
		fuzz_run_scan(rules, &opts, data, size, NULL, &b);
		check_first_sightings(&a, &b);
		fuzz_scan_free(&b);
	}
	opts.flags = TSBLOG_SCAN_NO_SUMMARY;
	fuzz_run_scan(rules, &opts, data, size, NULL, &b);
	fuzz_same_scan(&a, &b);
	if (!big && size <= ORACLE_MAX) {
		fuzz_scan_free(&b);
		opts.flags = 0;
		fuzz_run_scan(rules_unfiltered(), &opts, data, size, NULL, &b);
		fuzz_same_scan(&a, &b);
	}
	FUZZ_CHECK(a.records == fuzz_count_lines(data, size),
		   "records %llu, lines %llu", (unsigned long long)a.records,
		   (unsigned long long)fuzz_count_lines(data, size));
	FUZZ_CHECK(a.bytes == size, "bytes %llu of %zu",
		   (unsigned long long)a.bytes, size);
	opts.flags = 0;
	if (!big)
		check_pieces(&opts, data, size, size * cut / 256, &a);
	fuzz_scan_free(&a);
	fuzz_scan_free(&b);
	free(big);
	return 0;
}
