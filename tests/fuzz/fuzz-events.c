/*
 * libFuzzer target: the input is the inside of the "items" array of a
 * pretty-printed `kubectl get events -o json` document, so that the fuzzer
 * works on events and not on finding the document's opening line.  The
 * document is fed in two chunks split in the middle of the input, and once
 * more whole with TSBLOG_SCAN_NO_SUMMARY; both runs must agree, every
 * diagnosis must be valid JSON, every malformed event must be reported as
 * TSBLOG_ESYNTAX with a message, and records == number of lines.
 */
#define FUZZ_BUILTIN_RULES
#include "fuzz-common.h"

static const char head[] = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n";
static const char tail[] = "\n    ]\n}\n";


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tsblog_scan_options opts = TSBLOG_SCAN_OPTIONS_INIT;
	size_t n = sizeof(head) - 1 + size + sizeof(tail) - 1;
	size_t sizes[3];
	uint8_t *doc = malloc(n ? n : 1);
	fuzz_scan a, b;

	FUZZ_CHECK(doc != NULL, "out of memory in the harness");
	memcpy(doc, head, sizeof(head) - 1);
	if (size)
		memcpy(doc + sizeof(head) - 1, data, size);
	memcpy(doc + sizeof(head) - 1 + size, tail, sizeof(tail) - 1);
	/* Two chunks: the split falls inside the events. */
	sizes[0] = sizeof(head) - 1 + size / 2;
	sizes[1] = n - sizes[0];
	sizes[2] = 0;
	/* Small enough that an oversized event is reachable. */
	opts.max_record = 4096;

	fuzz_run_scan(rules, &opts, doc, n, sizes, &a);
	opts.flags = TSBLOG_SCAN_NO_SUMMARY;
	fuzz_run_scan(rules, &opts, doc, n, NULL, &b);
	fuzz_same_scan(&a, &b);
	FUZZ_CHECK(a.records == fuzz_count_lines(doc, n), "records %llu, lines %llu",
		   (unsigned long long)a.records,
		   (unsigned long long)fuzz_count_lines(doc, n));
	fuzz_scan_free(&a);
	fuzz_scan_free(&b);
	free(doc);
	return 0;
}
