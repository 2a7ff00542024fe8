/*
 * libFuzzer target: the fast path's view of a line agrees with the
 * reader's.  The input is a log (seeded from tests/data/envelopes: stern,
 * journald, logfmt, Envoy, kubelet, klog...); its lines go through one
 * reader, as the scanner's full path reads them.  For every line the
 * scanner's fast path may skip (read in the plain state, no disguise that
 * sends it to the full path anyway: see disguise_at()):
 * - if reader_line_changes_state() says no, the reader is still plain
 *   after it;
 * - if any record it gives has a level of warn or above,
 *   reader_line_alert() says yes and level_next() finds a place in it
 *   (else the summary would miss it).
 */
#include "fuzz-common.h"
#include "level.h"
#include "reader.h"

static int
plain(const reader *rd)
{
	return !rd->in_doc && !rd->in_events && !rd->table_cols;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *e;
	uint64_t line_no = 0;
	reader rd;
	level_finder lf;

	level_finder_init(&lf);
	reader_init(&rd, DEFAULT_MAX_RECORD);
	for (; p < end; p = e + 1) {
		size_t n;
		int skippable, alert = 0, changes = 0, warn = 0;
		record rec;
		uint64_t at;

		e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		n = (size_t)(e - p);
		if (n && p[n - 1] == '\r')
			n--;
		line_no++;
		skippable = plain(&rd) && n && !disguise_at(p, p + n);
		if (skippable) {
			alert = reader_line_alert(p, n);
			changes = reader_line_changes_state(p, n);
		}
		FUZZ_CHECK(reader_line(&rd, p, n, line_no, 0) == 0,
			   "reader_line: no memory");
		while (reader_take(&rd, &rec, &at) == 1) {
			FUZZ_CHECK(at <= line_no, "record of line %llu at %llu",
				   (unsigned long long)at,
				   (unsigned long long)line_no);
			warn |= level_warn(rec.level);
		}
		if (!skippable || changes)
			continue;
		FUZZ_CHECK(plain(&rd),
			   "line %llu changes the reader's state, but "
			   "reader_line_changes_state() says no: %.*s",
			   (unsigned long long)line_no, (int)n, p);
		FUZZ_CHECK(alert || !warn,
			   "line %llu gives a warn or worse record, but "
			   "reader_line_alert() says no: %.*s",
			   (unsigned long long)line_no, (int)n, p);
		FUZZ_CHECK(!warn || level_next(&lf, p, p + n),
			   "line %llu gives a warn or worse record, but "
			   "level_next() finds no place: %.*s",
			   (unsigned long long)line_no, (int)n, p);
	}
	reader_finish(&rd, line_no);
	reader_fini(&rd);
	return 0;
}
