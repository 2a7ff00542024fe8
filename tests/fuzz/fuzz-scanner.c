/*
 * libFuzzer target: arbitrary bytes through the streaming scanner with the
 * bundled rules.
 *
 * Input layout: byte 0 and byte 1 pick two chunk sizes that alternate
 * (1..128 bytes, or multiples of 512), byte 2 picks max_record (its low
 * bits: default, or a small bound so that truncation and oversized events
 * happen on small inputs); the rest is the log.  Each input is scanned
 * twice: in those chunks keeping the summary, and in one chunk with
 * TSBLOG_SCAN_NO_SUMMARY.  Both runs must give the same diagnoses and
 * counters, every diagnosis and the summary must be valid one-line JSON,
 * and no line may be lost: records == number of lines.
 */
#define FUZZ_BUILTIN_RULES
#include "fuzz-common.h"


static size_t
chunk_size(uint8_t b)
{
	return b < 128 ? (size_t)b + 1 : (size_t)(b - 127) * 512;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_records[8] = { 0, 1, 16, 80, 256, 1024, 4096,
					       0 };
	tsblog_scan_options opts = TSBLOG_SCAN_OPTIONS_INIT;
	size_t sizes[3];
	fuzz_scan a, b;

	if (size < 3)
		return 0;
	sizes[0] = chunk_size(data[0]);
	sizes[1] = chunk_size(data[1]);
	sizes[2] = 0;
	opts.max_record = max_records[data[2] & 7];
	data += 3;
	size -= 3;

	fuzz_run_scan(rules, &opts, data, size, sizes, &a);
	opts.flags = TSBLOG_SCAN_NO_SUMMARY;
	fuzz_run_scan(rules, &opts, data, size, NULL, &b);
	fuzz_same_scan(&a, &b);
	FUZZ_CHECK(a.records == fuzz_count_lines(data, size),
		   "records %llu, lines %llu", (unsigned long long)a.records,
		   (unsigned long long)fuzz_count_lines(data, size));
	FUZZ_CHECK(a.bytes == size, "bytes %llu of %zu",
		   (unsigned long long)a.bytes, size);
	fuzz_scan_free(&a);
	fuzz_scan_free(&b);
	return 0;
}
