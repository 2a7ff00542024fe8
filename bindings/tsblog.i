/* bindings/tsblog.i: the one SWIG interface of libtsblog, shared by every
 * binding:
 *
 *   Python  swig -python -noproxy -o tsblogPYTHON_wrap.c bindings/tsblog.i
 *           (bindings/python/tsblog/meson.build): the C module
 *           tsblog._tsblog, whose flat functions tsblog/__init__.py calls
 *           directly (no SWIG proxy classes or .py shim)
 *   Go      swig -go -cgo -intgosize 64 -module ctsblog bindings/tsblog.i,
 *           committed as bindings/go/internal/ctsblog/ (its swig.sh
 *           makes it; a test fails when it differs)
 *
 * The surface is small on purpose.  The binding sees opaque handles, the C
 * calls that are already binding-friendly, tsblog_error as a struct whose
 * members it reads, and the tsblog_b_* helpers below.  A diagnosis crosses
 * in a packed form (tsblog_b_pack: strings with their lengths, nothing to
 * unescape, the rule's part converted once per rule), which Go decodes in
 * packed.go and Python in C (tsblog_b_found_diagnoses, at the end); its
 * `tsblog -o json` line is there too, for tests.  An error or a malformed
 * event crosses as a tsblog_error.  The idioms (exceptions or error values,
 * iterators, closing, a child keeping its parent alive) live in the
 * hand-written layer of each language, not here.
 *
 * Ownership: a const char * result is copied into a language string by the
 * generated wrapper.  Handles are freed explicitly by the binding
 * (tsblog_builder_free, tsblog_ruleset_free, ...), children (matchers,
 * scanners) before their rule set.
 *
 * Threads: a tsblog_ruleset may be used by any number of threads at once; a
 * matcher, scanner, tsblog_b_found or tsblog_error by one thread at a time.
 * The Python wrapper releases the GIL around the calls that do real work
 * (compiling, matching, redacting, scanning, checking).
 *
 * Language-specific parts are under #ifdef SWIGPYTHON / SWIGGO; keep the
 * rest neutral.
 */
#ifdef SWIGPYTHON
/* With -noproxy SWIG writes no .py shim: the C module is tsblog._tsblog
 * and tsblog/__init__.py calls its functions. */
%module _tsblog
#else
%module tsblog
#endif

%include <stdint.i>

%{
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <tsblog.h>
%}

/* ---- types ------------------------------------------------------------ */
/* Opaque handles (SWIG's view only; the C code uses tsblog.h). */
typedef struct tsblog_builder tsblog_builder;
typedef struct tsblog_ruleset tsblog_ruleset;
typedef struct tsblog_rule tsblog_rule;
typedef struct tsblog_matcher tsblog_matcher;
typedef struct tsblog_scanner tsblog_scanner;
typedef struct tsblog_b_found tsblog_b_found;
typedef struct tsblog_b_fd tsblog_b_fd;

/* Structs the binding reads member by member (read-only; the C compiler
 * checks these declarations against tsblog/errors.h and ruleset.h).  A
 * binding makes the tsblog_error it passes to calls with new_tsblog_error()
 * (zeroed) and frees it with delete_tsblog_error(). */
%immutable;
typedef struct tsblog_error {
	int code;
	char source[256];
	int line;
	int column;
	size_t position;
	char rule_id[64];
	char member[64];
	size_t pattern_offset;
	char message[512];
} tsblog_error;

typedef struct tsblog_check_failure {
	const char *rule_id;
	const char *source;
	int line, column;
	const char *kind;
	size_t index;
	const char *message;
	int severity;
} tsblog_check_failure;
%mutable;

/* ---- language-specific argument conversion ---------------------------- */
#ifdef SWIGPYTHON
/* (data, len): any object with the buffer protocol (bytes, bytearray,
 * memoryview, mmap), borrowed for the duration of the call, never copied.
 * str is refused: the Python layer decides how text becomes bytes. */
%typemap(in) (const char *data, size_t len) (Py_buffer view = {0}) {
  if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) != 0)
    SWIG_fail;
  $1 = ($1_ltype)view.buf;
  $2 = (size_t)view.len;
}
%typemap(freearg) (const char *data, size_t len) {
  if (view$argnum.obj)
    PyBuffer_Release(&view$argnum);
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_STRING) (const char *data, size_t len) {
  $1 = PyObject_CheckBuffer($input) ? 1 : 0;
}

/* Release the GIL while C does the work.  Only C runs inside: the
 * arguments were converted before, the result is converted after. */
%define TSBLOG_B_NOGIL(func)
%exception func {
  Py_BEGIN_ALLOW_THREADS
  $action
  Py_END_ALLOW_THREADS
}
%enddef
TSBLOG_B_NOGIL(tsblog_builder_add_string)
TSBLOG_B_NOGIL(tsblog_builder_add_builtin)
TSBLOG_B_NOGIL(tsblog_b_builder_build)
TSBLOG_B_NOGIL(tsblog_b_match)
TSBLOG_B_NOGIL(tsblog_b_match_envelope)
TSBLOG_B_NOGIL(tsblog_b_redact)
TSBLOG_B_NOGIL(tsblog_b_scan)
TSBLOG_B_NOGIL(tsblog_b_summary)
TSBLOG_B_NOGIL(tsblog_b_summary_merge)
TSBLOG_B_NOGIL(tsblog_b_check)
TSBLOG_B_NOGIL(tsblog_b_fd_next)
TSBLOG_B_NOGIL(tsblog_b_fd_free)
#endif

#ifdef SWIGGO
/* (data, len): a Go string, passed without a copy; only read during the
 * call, so no Go pointer is kept by C after it returns. */
%apply (char *STRING, size_t LENGTH) { (const char *data, size_t len) };
#endif

/* ---- C API calls that need no helper ---------------------------------- */

/* The library's version string ("0.1.0"). */
const char *tsblog_version(void);
/* "syntax", "regex", ... for a tsblog_error_code. */
const char *tsblog_error_code_name(int code);
/* "error", "warning", "info" for a tsblog_severity. */
const char *tsblog_severity_name(int severity);

int tsblog_builder_add_string(tsblog_builder *b, const char *name,
			      const char *data, size_t len, tsblog_error *err);
int tsblog_builder_add_file(tsblog_builder *b, const char *path,
			    tsblog_error *err);
int tsblog_builder_add_builtin(tsblog_builder *b, tsblog_error *err);
void tsblog_builder_free(tsblog_builder *b);

void tsblog_ruleset_free(tsblog_ruleset *rs);
size_t tsblog_ruleset_count(const tsblog_ruleset *rs);
const tsblog_rule *tsblog_ruleset_rule(const tsblog_ruleset *rs, size_t index);
const char *tsblog_rule_id(const tsblog_rule *r);

void tsblog_matcher_free(tsblog_matcher *m);
int tsblog_matcher_set_redact(tsblog_matcher *m, int on);

void tsblog_scanner_free(tsblog_scanner *s);

/* Flags for tsblog_b_scanner_new(), from tsblog/scanner.h. */
%constant unsigned int TSBLOG_SCAN_NO_SUMMARY = TSBLOG_SCAN_NO_SUMMARY;
%constant unsigned int TSBLOG_SCAN_NO_REDACT = TSBLOG_SCAN_NO_REDACT;
%constant unsigned int TSBLOG_SCAN_FIRST_SIGHTINGS = TSBLOG_SCAN_FIRST_SIGHTINGS;

/* ---- tsblog_b_found: what one call found ------------------------------- */
/* What a tsblog_b_found keeps of each diagnosis (tsblog_b_found_new). */
%constant int TSBLOG_B_JSON = 1;
%constant int TSBLOG_B_PACKED = 2;
%{
enum { TSBLOG_B_JSON = 1, TSBLOG_B_PACKED = 2 };
typedef struct tsblog_b_found {
	int diagnoses;                /* 0, TSBLOG_B_JSON or TSBLOG_B_PACKED */
	char *lines;                  /* JSON lines, or the summary document */
	size_t len, cap;
	tsblog_error *events;         /* malformed events */
	size_t nevents, events_cap;
	tsblog_check_failure *checks; /* failed self-tests, strings owned */
	size_t nchecks, checks_cap;
} tsblog_b_found;

/* p with room for need items of size (*cap updated), or NULL if out of
 * memory (p is then unchanged). */
static void *
tsblog_b_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * size);
	if (p)
		*cap = n;
	return p;
}

static int
tsblog_b_add(tsblog_b_found *f, const char *s, size_t n)
{
	char *p = (char *)tsblog_b_grow(f->lines, &f->cap, f->len + n + 1, 1);
	if (!p)
		return -1;
	f->lines = p;
	memcpy(p + f->len, s, n);
	f->len += n;
	p[f->len] = '\0';
	return 0;
}

static char *
tsblog_b_strdup(const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *p = (char *)malloc(n);
	return p ? (char *)memcpy(p, s ? s : "", n) : NULL;
}

static void
tsblog_b_clear(tsblog_b_found *f)
{
	size_t i;
	for (i = 0; i < f->nchecks; i++) {
		tsblog_check_failure *c = &f->checks[i];
		free((char *)c->rule_id);
		free((char *)c->source);
		free((char *)c->kind);
		free((char *)c->message);
	}
	f->len = f->nevents = f->nchecks = 0;
}

/* TSBLOG_ENOMEM in err: a callback below ran out of memory. */
static int
tsblog_b_nomem(tsblog_error *err)
{
	if (err) {
		memset(err, 0, sizeof(*err));
		err->code = TSBLOG_ENOMEM;
		strcpy(err->message, "out of memory");
	}
	return TSBLOG_ENOMEM;
}

/* v in decimal, then end (by hand: snprintf was 3% of a dense scan). */
static int
tsblog_b_pack_dec(tsblog_b_found *f, uint64_t v, char end)
{
	char num[24], *p = num + sizeof(num);
	*--p = end;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return tsblog_b_add(f, p, (size_t)(num + sizeof(num) - p));
}

/* A string of the packed form (see tsblog_b_found_new): its length in
 * decimal, ':', its bytes; NULL is "~". */
static int
tsblog_b_pack_str(tsblog_b_found *f, const char *s)
{
	size_t n;
	if (!s)
		return tsblog_b_add(f, "~", 1);
	n = strlen(s);
	return tsblog_b_pack_dec(f, n, ':') < 0 || tsblog_b_add(f, s, n) < 0 ? -1 : 0;
}

/* A number as the string of its digits, or "~" for 0 if zero_null. */
static int
tsblog_b_pack_num(tsblog_b_found *f, uint64_t v, int zero_null)
{
	char num[24], *p = num + sizeof(num) - 1;
	if (zero_null && !v)
		return tsblog_b_add(f, "~", 1);
	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return tsblog_b_pack_str(f, p);
}

/* A list: its length in decimal and '#'; its strings follow. */
static int
tsblog_b_pack_list(tsblog_b_found *f, size_t n)
{
	return tsblog_b_pack_dec(f, n, '#');
}

/* One diagnosis in the packed form, in this order: the rule's key (its
 * address: the same for every diagnosis of one rule while the rule set
 * lives), then what only depends on the rule: id, severity, component,
 * title, see_also (list), docs; then summary, fix (list), fields (list of
 * name, value, name, value...), source, line, timestamp, level, pod,
 * container, namespace, count, text.  Those are the keys of a `tsblog -o
 * json` line with the same values (line "~" for none), but no escapes to
 * undo, and a binding may convert the rule's part once per rule. */
static int
tsblog_b_pack(tsblog_b_found *f, const tsblog_diagnosis *d)
{
	const tsblog_rule *r = tsblog_diagnosis_rule(d);
	size_t i, n = tsblog_rule_see_also_count(r);
	int bad;

	bad = tsblog_b_pack_num(f, (uint64_t)(uintptr_t)r, 0) < 0 ||
	      tsblog_b_pack_str(f, tsblog_rule_id(r)) < 0 ||
	      tsblog_b_pack_str(f, tsblog_severity_name(tsblog_rule_severity(r))) < 0 ||
	      tsblog_b_pack_str(f, tsblog_rule_component(r)) < 0 ||
	      tsblog_b_pack_str(f, tsblog_rule_title(r)) < 0 || tsblog_b_pack_list(f, n) < 0;
	for (i = 0; !bad && i < n; i++)
		bad = tsblog_b_pack_str(f, tsblog_rule_see_also(r, i)) < 0;
	n = tsblog_diagnosis_fix_count(d);
	bad = bad || tsblog_b_pack_str(f, tsblog_rule_docs(r)) < 0 ||
	      tsblog_b_pack_str(f, tsblog_diagnosis_summary(d)) < 0 || tsblog_b_pack_list(f, n) < 0;
	for (i = 0; !bad && i < n; i++)
		bad = tsblog_b_pack_str(f, tsblog_diagnosis_fix(d, i)) < 0;
	n = tsblog_diagnosis_field_count(d);
	bad = bad || tsblog_b_pack_list(f, 2 * n) < 0;
	for (i = 0; !bad && i < n; i++)
		bad = tsblog_b_pack_str(f, tsblog_diagnosis_field_name(d, i)) < 0 ||
		      tsblog_b_pack_str(f, tsblog_diagnosis_field_value(d, i)) < 0;
	return bad || tsblog_b_pack_str(f, tsblog_diagnosis_source(d)) < 0 ||
			       tsblog_b_pack_num(f, tsblog_diagnosis_line(d), 1) < 0 ||
			       tsblog_b_pack_str(f, tsblog_diagnosis_timestamp(d)) < 0 ||
			       tsblog_b_pack_str(f, tsblog_diagnosis_level(d)) < 0 ||
			       tsblog_b_pack_str(f, tsblog_diagnosis_pod(d)) < 0 ||
			       tsblog_b_pack_str(f, tsblog_diagnosis_container(d)) < 0 ||
			       tsblog_b_pack_str(f, tsblog_diagnosis_namespace(d)) < 0 ||
			       tsblog_b_pack_num(f, tsblog_diagnosis_count(d), 0) < 0 ||
			       tsblog_b_pack_str(f, tsblog_diagnosis_text(d)) < 0
		       ? -1
		       : 0;
}

/* The scan callback: a diagnosis becomes its `tsblog -o json` line or its
 * packed form, a malformed event is kept as it is. */
static int
tsblog_b_found_cb(tsblog_scan_what what, const tsblog_diagnosis *d,
		  const tsblog_error *event, void *payload)
{
	tsblog_b_found *f = (tsblog_b_found *)payload;
	if (what == TSBLOG_SCAN_MALFORMED) {
		tsblog_error *e = (tsblog_error *)tsblog_b_grow(
			f->events, &f->events_cap, f->nevents + 1, sizeof(*e));
		if (!e)
			return TSBLOG_ABORT;
		f->events = e;
		e[f->nevents++] = *event;
	} else if (what == TSBLOG_SCAN_DIAGNOSIS && f->diagnoses == TSBLOG_B_PACKED) {
		if (tsblog_b_pack(f, d) < 0)
			return TSBLOG_ABORT;
	} else if (what == TSBLOG_SCAN_DIAGNOSIS && f->diagnoses) {
		char *json;
		int bad;
		if (tsblog_diagnosis_to_json(&json, d, NULL) < 0)
			return TSBLOG_ABORT;
		bad = tsblog_b_add(f, json, strlen(json)) < 0 ||
		      tsblog_b_add(f, "\n", 1) < 0;
		tsblog_free(json);
		if (bad)
			return TSBLOG_ABORT;
	}
	return TSBLOG_CONTINUE;
}

static int
tsblog_b_check_cb(const tsblog_check_failure *c, void *payload)
{
	tsblog_b_found *f = (tsblog_b_found *)payload;
	tsblog_check_failure *x = (tsblog_check_failure *)tsblog_b_grow(
		f->checks, &f->checks_cap, f->nchecks + 1, sizeof(*x));
	if (!x)
		return 1;
	f->checks = x;
	x += f->nchecks++;
	*x = *c;
	x->rule_id = tsblog_b_strdup(c->rule_id);
	x->source = tsblog_b_strdup(c->source);
	x->kind = tsblog_b_strdup(c->kind);
	x->message = tsblog_b_strdup(c->message);
	return !x->rule_id || !x->source || !x->kind || !x->message;
}
%}

%inline %{
/* tsblog_b_found_new: an empty result holder, reused from call to call by
 * one thread; NULL if out of memory.  diagnoses says what scans and
 * matches keep of each diagnosis: 0 nothing (summary scans keep only
 * malformed events), TSBLOG_B_JSON its `tsblog -o json` line, or
 * TSBLOG_B_PACKED its packed form (tsblog_b_pack above: what the bindings
 * decode, as it has no escapes to undo and names each diagnosis' rule).
 * Free with tsblog_b_found_free(). */
tsblog_b_found *tsblog_b_found_new(int diagnoses)
{
	tsblog_b_found *f = (tsblog_b_found *)calloc(1, sizeof(*f));
	if (f)
		f->diagnoses = diagnoses;
	return f;
}

void tsblog_b_found_free(tsblog_b_found *f)
{
	if (!f)
		return;
	tsblog_b_clear(f);
	free(f->lines);
	free(f->events);
	free(f->checks);
	free(f);
}

/* tsblog_b_found_lines: what the last call found as text: `tsblog -o json`
 * lines, each ending in "\n", or diagnoses one after the other in the
 * packed form ("" for none), or the summary document.  Holds no NUL, but
 * for tsblog_b_redact()'s line (read that by its length). */
const char *tsblog_b_found_lines(const tsblog_b_found *f)
{
	return f->len ? f->lines : "";
}

%}
#ifdef SWIGGO
%inline %{
/* tsblog_b_found_data and _len: tsblog_b_found_lines() by address and
 * length, for Go to read it in place (internal/ctsblog/view.go: no copy
 * of each batch); valid until the next call with f. */
uintptr_t tsblog_b_found_data(const tsblog_b_found *f)
{
	return (uintptr_t)f->lines;
}

size_t tsblog_b_found_len(const tsblog_b_found *f)
{
	return f->len;
}
%}
#endif
%inline %{
/* tsblog_b_found_events and _event: the malformed events the last scan
 * skipped (code TSBLOG_ESYNTAX), in input order; borrowed until the next
 * call with f. */
size_t tsblog_b_found_events(const tsblog_b_found *f)
{
	return f->nevents;
}

const tsblog_error *tsblog_b_found_event(const tsblog_b_found *f, size_t i)
{
	return i < f->nevents ? &f->events[i] : NULL;
}

/* tsblog_b_found_checks and _check: the failures tsblog_b_check() found;
 * borrowed until the next call with f. */
size_t tsblog_b_found_checks(const tsblog_b_found *f)
{
	return f->nchecks;
}

const tsblog_check_failure *tsblog_b_found_check(const tsblog_b_found *f,
						 size_t i)
{
	return i < f->nchecks ? &f->checks[i] : NULL;
}

/* tsblog_b_builder_new: tsblog_builder_new() with default compile options;
 * NULL on failure (err says why).  Then tsblog_builder_add_*(). */
tsblog_builder *tsblog_b_builder_new(tsblog_error *err)
{
	tsblog_builder *b = NULL;
	return tsblog_builder_new(&b, NULL, err) < 0 ? NULL : b;
}

/* tsblog_b_builder_build: tsblog_builder_build(); NULL on failure (err
 * says why).  The builder is left empty; free it with
 * tsblog_builder_free(). */
tsblog_ruleset *tsblog_b_builder_build(tsblog_builder *b, tsblog_error *err)
{
	tsblog_ruleset *rs = NULL;
	return tsblog_builder_build(&rs, b, err) < 0 ? NULL : rs;
}

/* tsblog_b_matcher_new: tsblog_matcher_new(); NULL on failure.  The rule
 * set must outlive the matcher; one thread at a time. */
tsblog_matcher *tsblog_b_matcher_new(const tsblog_ruleset *rs,
				     tsblog_error *err)
{
	tsblog_matcher *m = NULL;
	return tsblog_matcher_new(&m, rs, err) < 0 ? NULL : m;
}

/* tsblog_b_scanner_new: tsblog_scanner_new() for input named source
 * (NULL: "-"), flags TSBLOG_SCAN_NO_SUMMARY, TSBLOG_SCAN_NO_REDACT and
 * TSBLOG_SCAN_FIRST_SIGHTINGS, max_record 0 for the default, jobs the
 * threads tsblog_b_fd_new() may use (0 or 1: its own); NULL on failure.
 * The rule set must outlive the scanner. */
tsblog_scanner *tsblog_b_scanner_new(const tsblog_ruleset *rs,
				     const char *source, unsigned int flags,
				     size_t max_record, unsigned int jobs,
				     tsblog_error *err)
{
	tsblog_scanner *s = NULL;
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	o.flags = flags;
	o.max_record = max_record;
	o.jobs = jobs;
	return tsblog_scanner_new(&s, rs, source, &o, err) < 0 ? NULL : s;
}

/* tsblog_b_match: tsblog_matcher_match() of one line (data is only read
 * during the call): 1 and its `tsblog -o json` line in f (source and line
 * null), 0 if no rule matches, or a negative code (err says why). */
int tsblog_b_match(tsblog_b_found *f, tsblog_matcher *m, const char *data,
		   size_t len, tsblog_error *err)
{
	const tsblog_diagnosis *d;
	int rc = tsblog_matcher_match(m, data, len, &d, err);
	tsblog_b_clear(f);
	if (rc == 1 && tsblog_b_found_cb(TSBLOG_SCAN_DIAGNOSIS, d, NULL, f))
		return tsblog_b_nomem(err);
	return rc;
}

/* tsblog_b_match_envelope: tsblog_matcher_match_envelope() of one record
 * with what the engine knows of it; NULL or "" is unknown.  As
 * tsblog_b_match() otherwise. */
int tsblog_b_match_envelope(tsblog_b_found *f, tsblog_matcher *m,
			    const char *data, size_t len, const char *pod,
			    const char *ns, const char *container,
			    const char *timestamp, const char *level,
			    tsblog_error *err)
{
	tsblog_envelope env = TSBLOG_ENVELOPE_INIT;
	const tsblog_diagnosis *d;
	int rc;

	env.pod_name = pod && *pod ? pod : NULL;
	env.namespace_name = ns && *ns ? ns : NULL;
	env.container_name = container && *container ? container : NULL;
	env.timestamp = timestamp && *timestamp ? timestamp : NULL;
	env.level = level && *level ? level : NULL;
	rc = tsblog_matcher_match_envelope(m, data, len, &env, &d, err);
	tsblog_b_clear(f);
	if (rc == 1 && tsblog_b_found_cb(TSBLOG_SCAN_DIAGNOSIS, d, NULL, f))
		return tsblog_b_nomem(err);
	return rc;
}

/* tsblog_b_redact: tsblog_matcher_redact() of data, a whole line (only
 * read during the call): 1 and the redacted copy in f, which may hold NUL
 * bytes (Go reads it with tsblog_b_found_data and _len, Python with
 * tsblog_b_found_bytes); 0 if it holds no secret (f empty: show data as it
 * is); or a negative code (err says why). */
int tsblog_b_redact(tsblog_b_found *f, tsblog_matcher *m, const char *data,
		    size_t len, tsblog_error *err)
{
	char *out;
	size_t n;
	int rc = tsblog_matcher_redact(m, data, len, &out, &n, err);
	tsblog_b_clear(f);
	if (rc == 1) {
		int bad = tsblog_b_add(f, out, n) < 0;
		tsblog_free(out);
		if (bad)
			return tsblog_b_nomem(err);
	}
	return rc;
}

/* tsblog_b_scan: tsblog_scanner_scan() of the next len bytes of the input
 * (data is only read during the call), and with finish then
 * tsblog_scanner_finish().  What they found replaces f's content.  Returns
 * 0, or a negative code (err says why; the scan cannot go on). */
int tsblog_b_scan(tsblog_b_found *f, tsblog_scanner *s, const char *data,
		  size_t len, int finish, tsblog_error *err)
{
	int rc;
	tsblog_b_clear(f);
	rc = tsblog_scanner_scan(s, data, len, tsblog_b_found_cb, f, err);
	if (rc == 0 && finish)
		rc = tsblog_scanner_finish(s, tsblog_b_found_cb, f, err);
	return rc == TSBLOG_EUSER ? tsblog_b_nomem(err) : rc;
}

%}
%{
typedef struct tsblog_b_fd tsblog_b_fd;
struct tsblog_b_fd {
	tsblog_scanner *s;
	int fd;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	tsblog_b_found *fill;  /* what the scan adds to */
	tsblog_b_found *ready; /* a batch for tsblog_b_fd_next(), or NULL */
	tsblog_b_found *spare; /* an empty one, or NULL while ready is set */
	int done, stop, joined, rc;
	tsblog_error err;
};

/* A batch: a few hundred diagnoses, one crossing into the language. */
#define TSBLOG_B_BATCH (1u << 20)

/* Hand the batch to the caller once it has taken the one before; 0, or
 * -1 if the handle is being freed. */
static int
tsblog_b_fd_hand(struct tsblog_b_fd *h)
{
	int stop;
	pthread_mutex_lock(&h->mu);
	while (h->ready && !h->stop)
		pthread_cond_wait(&h->cv, &h->mu);
	stop = h->stop;
	if (!stop) {
		h->ready = h->fill;
		h->fill = h->spare;
		h->spare = NULL;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return stop ? -1 : 0;
}

/* After each block read (a chance to stop, and the summary scans' only
 * batches) and when the batch is big. */
static int
tsblog_b_fd_cb(tsblog_scan_what what, const tsblog_diagnosis *d,
	       const tsblog_error *event, void *payload)
{
	struct tsblog_b_fd *h = (struct tsblog_b_fd *)payload;
	if (what != TSBLOG_SCAN_PROGRESS &&
	    tsblog_b_found_cb(what, d, event, h->fill) != TSBLOG_CONTINUE)
		return TSBLOG_ABORT;
	if (what != TSBLOG_SCAN_PROGRESS && h->fill->len < TSBLOG_B_BATCH)
		return TSBLOG_CONTINUE;
	return tsblog_b_fd_hand(h) < 0 ? TSBLOG_ABORT : TSBLOG_CONTINUE;
}

static void *
tsblog_b_fd_run(void *payload)
{
	struct tsblog_b_fd *h = (struct tsblog_b_fd *)payload;
	int rc = tsblog_scan_fd(h->s, h->fd, tsblog_b_fd_cb, h, &h->err);
	if (rc == 0 && tsblog_b_fd_hand(h) < 0)
		rc = TSBLOG_EUSER;
	pthread_mutex_lock(&h->mu);
	h->rc = rc;
	h->done = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* The contents of a and b exchanged (not what they keep of diagnoses). */
static void
tsblog_b_found_swap(tsblog_b_found *a, tsblog_b_found *b)
{
	tsblog_b_found t = *a;
	int da = a->diagnoses, db = b->diagnoses;
	*a = *b;
	*b = t;
	a->diagnoses = da;
	b->diagnoses = db;
}
%}
%inline %{
/* tsblog_b_fd_free: stop the scan if it runs (at its next block or
 * diagnosis), wait for its thread, free the handle.  NULL is a no-op. */
void tsblog_b_fd_free(tsblog_b_fd *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	if (!h->joined)
		pthread_join(h->thread, NULL);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	tsblog_b_found_free(h->fill);
	tsblog_b_found_free(h->ready);
	tsblog_b_found_free(h->spare);
	free(h);
}

/* tsblog_b_fd_new: scan the file fd (from its offset to its end; not
 * closed) with s, as the tsblog command scans a file: tsblog_scan_fd() on
 * s's jobs threads, on a thread of its own, while the caller takes what it
 * found with tsblog_b_fd_next(), batch after batch, in input order.  The
 * scan waits while a batch is not taken, so memory stays bounded.  What a
 * batch keeps of diagnoses is what f0, a tsblog_b_found_new() result,
 * says.  NULL if out of memory or no thread can be started (err says
 * which).  s and fd must outlive the handle: free it with
 * tsblog_b_fd_free(), done or not. */
tsblog_b_fd *tsblog_b_fd_new(tsblog_scanner *s, int fd, const tsblog_b_found *f0,
			     tsblog_error *err)
{
	struct tsblog_b_fd *h = (struct tsblog_b_fd *)calloc(1, sizeof(*h));
	if (!h || !(h->fill = tsblog_b_found_new(f0->diagnoses)) ||
	    !(h->spare = tsblog_b_found_new(f0->diagnoses))) {
		if (h) {
			tsblog_b_found_free(h->fill);
			free(h);
		}
		tsblog_b_nomem(err);
		return NULL;
	}
	h->s = s;
	h->fd = fd;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	if (pthread_create(&h->thread, NULL, tsblog_b_fd_run, h) != 0) {
		h->joined = 1;
		tsblog_b_fd_free(h);
		if (err) {
			memset(err, 0, sizeof(*err));
			err->code = TSBLOG_ENOMEM;
			strcpy(err->message, "cannot start a scanning thread");
		}
		return NULL;
	}
	return h;
}

/* tsblog_b_fd_next: the next batch into f (its content replaced): 1; or 0
 * once the scan is over and everything was taken; or the scan's negative
 * code (err says why).  Waits for the batch. */
int tsblog_b_fd_next(tsblog_b_fd *h, tsblog_b_found *f, tsblog_error *err)
{
	int rc = 1;
	tsblog_b_clear(f);
	pthread_mutex_lock(&h->mu);
	while (!h->ready && !h->done)
		pthread_cond_wait(&h->cv, &h->mu);
	if (h->ready) {
		tsblog_b_found_swap(f, h->ready);
		tsblog_b_clear(h->ready);
		h->spare = h->ready;
		h->ready = NULL;
		pthread_cond_broadcast(&h->cv);
	} else if (h->rc == TSBLOG_EUSER) {
		rc = tsblog_b_nomem(err); /* only a callback out of memory */
	} else {
		rc = h->rc;
		if (rc < 0 && err)
			*err = h->err;
	}
	pthread_mutex_unlock(&h->mu);
	if (rc < 1 && !h->joined) {
		pthread_join(h->thread, NULL);
		h->joined = 1;
	}
	return rc;
}

%}
%inline %{
/* tsblog_b_summary: tsblog_scanner_summary_json(), the `tsblog -o
 * summary-json` document, into f's lines; 0 or a negative code. */
int tsblog_b_summary(tsblog_b_found *f, const tsblog_scanner *s,
		     tsblog_error *err)
{
	char *doc;
	int rc = tsblog_scanner_summary_json(&doc, s, err);
	tsblog_b_clear(f);
	if (rc < 0)
		return rc;
	rc = tsblog_b_add(f, doc, strlen(doc));
	tsblog_free(doc);
	return rc < 0 ? tsblog_b_nomem(err) : 0;
}

/* tsblog_b_summary_merge: tsblog_summary_merge() of the documents @a and
 * @b (either may be NULL or "": one document, or none, the empty summary),
 * into f's lines; 0 or a negative code. */
int tsblog_b_summary_merge(tsblog_b_found *f, const char *a, const char *b,
			   tsblog_error *err)
{
	const char *docs[2];
	size_t lens[2], n = 0;
	char *doc;
	int rc;
	tsblog_b_clear(f);
	if (a && *a) {
		docs[n] = a;
		lens[n++] = strlen(a);
	}
	if (b && *b) {
		docs[n] = b;
		lens[n++] = strlen(b);
	}
	rc = tsblog_summary_merge(&doc, docs, lens, NULL, n, err);
	if (rc < 0)
		return rc;
	rc = tsblog_b_add(f, doc, strlen(doc));
	tsblog_free(doc);
	return rc < 0 ? tsblog_b_nomem(err) : 0;
}

/* tsblog_b_check: tsblog_ruleset_check(), its failures into f; the number
 * of failures, or a negative code. */
int tsblog_b_check(tsblog_b_found *f, const tsblog_ruleset *rs,
		   tsblog_error *err)
{
	int rc;
	tsblog_b_clear(f);
	rc = tsblog_ruleset_check(rs, tsblog_b_check_cb, f, err);
	return rc == TSBLOG_EUSER ? tsblog_b_nomem(err) : rc;
}
%}

#ifdef SWIGPYTHON
%inline %{
/* tsblog_b_found_bytes: tsblog_b_found_lines() as bytes, NUL bytes
 * included (tsblog_b_redact()'s line); NULL and an exception if out of
 * memory.  With the GIL. */
PyObject *tsblog_b_found_bytes(const tsblog_b_found *f)
{
	return PyBytes_FromStringAndSize(f->lines, (Py_ssize_t)f->len);
}
%}

/* tsblog_b_found_diagnoses(f, rules, fields, diagnosis): the diagnoses in
 * f (packed) as a list of diagnosis(*values) objects, values in the order
 * of a `tsblog -o json` line, str, int or None; fix and see_also tuples;
 * fields(dict) for the fields.  rules is a dict that keeps the values of
 * each rule's part and its last fix steps, for one rule set (its keys are
 * rule addresses).  With
 * the GIL: it makes Python objects.  NULL and an exception on failure. */
%{
#include <structmember.h>

/* The packed form being read (tsblog_b_pack): next at p, ends at e. */
typedef struct { const char *p, *e; } tsblog_b_rd;

/* How the values become objects without running Python for each one:
 * the slots of the diagnosis class (a frozen dataclass with slots), in
 * the order of its fields, which is the order of the values, and the
 * fields class's one slot.  Their __init__ stores each value with
 * object.__setattr__ (the fields class a copy of its dict), and nothing
 * else: storing them into the slots here (PyMember_SetOne) makes the
 * same object, about 1.3 us sooner.  Looked up once per batch of
 * diagnoses; a class not made that way (no such slots) is called. */
/* A diagnosis's values: Diagnosis's fields, in order. */
#define TSBLOG_B_NVALUES 18

typedef struct {
	PyTypeObject *dtype, *ftype;
	PyMemberDef *dm[TSBLOG_B_NVALUES], *fm;
	int ok;
} tsblog_b_makers;

static PyMemberDef *
tsblog_b_slot(PyObject *type, const char *name)
{
	PyObject *d = PyObject_GetAttrString(type, name);
	PyMemberDef *m = NULL;

	if (d && Py_IS_TYPE(d, &PyMemberDescr_Type) &&
	    ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX &&
	    !(((PyMemberDescrObject *)d)->d_member->flags & READONLY))
		m = ((PyMemberDescrObject *)d)->d_member;
	/* The class keeps the descriptor, and with it the member. */
	Py_XDECREF(d);
	PyErr_Clear();
	return m;
}

/* The slot of each name in @names (a tuple of @n str), into @m; 0 if
 * one is missing. */
static int
tsblog_b_slots(PyObject *type, PyObject *names, Py_ssize_t n, PyMemberDef **m)
{
	Py_ssize_t i;

	if (!names || !PyTuple_Check(names) || PyTuple_GET_SIZE(names) != n)
		return 0;
	for (i = 0; i < n; i++) {
		const char *name = PyUnicode_Check(PyTuple_GET_ITEM(names, i))
					   ? PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, i))
					   : NULL;
		if (!name || !(m[i] = tsblog_b_slot(type, name)))
			return 0;
	}
	return 1;
}

/* The names come from the classes: the diagnosis class's positional
 * fields (__match_args__, the order in which it is called) and the
 * fields class's one slot. */
static void
tsblog_b_makers_init(tsblog_b_makers *mk, PyObject *fields, PyObject *diagnosis)
{
	PyObject *args, *slots;

	memset(mk, 0, sizeof(*mk));
	if (!PyType_Check(diagnosis) || !PyType_Check(fields))
		return;
	mk->dtype = (PyTypeObject *)diagnosis;
	mk->ftype = (PyTypeObject *)fields;
	args = PyObject_GetAttrString(diagnosis, "__match_args__");
	slots = PyObject_GetAttrString(fields, "__slots__");
	mk->ok = tsblog_b_slots(diagnosis, args, TSBLOG_B_NVALUES, mk->dm) &&
		 tsblog_b_slots(fields, slots, 1, &mk->fm);
	Py_XDECREF(args);
	Py_XDECREF(slots);
	PyErr_Clear();
}

/* An object of @type whose slots @m (@n of them) hold @values (borrowed);
 * NULL and an exception on failure. */
static PyObject *
tsblog_b_make(PyTypeObject *type, PyMemberDef *const *m, PyObject *const *values, int n)
{
	PyObject *o = type->tp_alloc(type, 0);
	int i;

	for (i = 0; o && i < n; i++)
		if (PyMember_SetOne((char *)o, m[i], values[i]) < 0)
			Py_CLEAR(o);
	return o;
}

/* The next item, a string (1, *s and *n) or null (0); -1 if malformed. */
static int
tsblog_b_next(tsblog_b_rd *r, const char **s, size_t *n)
{
	size_t v = 0;
	if (r->p < r->e && *r->p == '~') {
		r->p++;
		return 0;
	}
	while (r->p < r->e && *r->p >= '0' && *r->p <= '9' && v < ((size_t)-1) / 20)
		v = v * 10 + (size_t)(*r->p++ - '0');
	if (r->p >= r->e || *r->p != ':' || v > (size_t)(r->e - r->p - 1))
		return -1;
	*s = r->p + 1;
	*n = v;
	r->p += 1 + v;
	return 1;
}

/* The next item as a new reference: str, or int if num, or None. */
static PyObject *
tsblog_b_py(tsblog_b_rd *r, int num)
{
	const char *s;
	size_t n;
	int rc = tsblog_b_next(r, &s, &n);
	if (rc < 0) {
		PyErr_SetString(PyExc_RuntimeError, "tsblog: malformed packed diagnosis");
		return NULL;
	}
	if (!rc)
		Py_RETURN_NONE;
	if (num) {
		char digits[24];
		if (n >= sizeof(digits))
			n = sizeof(digits) - 1;
		memcpy(digits, s, n);
		digits[n] = '\0';
		return PyLong_FromString(digits, NULL, 10);
	}
	return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "surrogateescape");
}

/* A list's length (its "N#"); -1 if malformed. */
static Py_ssize_t
tsblog_b_list(tsblog_b_rd *r)
{
	Py_ssize_t v = 0;
	while (r->p < r->e && *r->p >= '0' && *r->p <= '9' && v < PY_SSIZE_T_MAX / 20)
		v = v * 10 + (*r->p++ - '0');
	if (r->p >= r->e || *r->p != '#') {
		PyErr_SetString(PyExc_RuntimeError, "tsblog: malformed packed diagnosis");
		return -1;
	}
	r->p++;
	return v;
}

/* The next list as a tuple of str, or if dict, a dict of its pairs.  n: its
 * length, already read; -1: read it. */
static PyObject *
tsblog_b_py_list(tsblog_b_rd *r, int dict, Py_ssize_t n)
{
	Py_ssize_t i;
	PyObject *o;
	if (n < 0 && (n = tsblog_b_list(r)) < 0)
		return NULL;
	o = dict ? PyDict_New() : PyTuple_New(n);
	for (i = 0; o && i < n; i++) {
		PyObject *k = tsblog_b_py(r, 0), *v = NULL;
		if (k && dict && ++i < n && (v = tsblog_b_py(r, 0)) && PyDict_SetItem(o, k, v) == 0) {
			Py_DECREF(k);
			Py_DECREF(v);
			continue;
		}
		if (k && !dict) {
			PyTuple_SET_ITEM(o, i, k);
			continue;
		}
		Py_XDECREF(k);
		Py_XDECREF(v);
		Py_CLEAR(o);
	}
	return o;
}

/* Past the rule's part: 4 strings, a list, a string; -1 if malformed. */
static int
tsblog_b_skip_rule(tsblog_b_rd *r)
{
	const char *s;
	size_t n;
	Py_ssize_t i, k;
	for (i = 0; i < 6; i++) {
		if ((k = i == 4 ? tsblog_b_list(r) : 1) < 0)
			return -1;
		for (; k > 0; k--)
			if (tsblog_b_next(r, &s, &n) < 0)
				return -1;
	}
	return 0;
}

/* The fix steps: the tuple of the rule's last ones (rule[6]) again if they
 * are the same (they mostly are), else a new one, kept there. */
static PyObject *
tsblog_b_py_fix(tsblog_b_rd *r, PyObject *rule)
{
	Py_ssize_t i, n = tsblog_b_list(r), len;
	PyObject *last = PyList_GET_ITEM(rule, 6), *t;
	const char *at = r->p, *s, *u;
	size_t slen;
	if (n < 0)
		return NULL;
	if (PyTuple_Check(last) && PyTuple_GET_SIZE(last) == n) {
		for (i = 0; i < n; i++) {
			if (tsblog_b_next(r, &s, &slen) != 1)
				break;
			if (!(u = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(last, i), &len))) {
				PyErr_Clear(); /* surrogates: not the same */
				break;
			}
			if ((size_t)len != slen || memcmp(u, s, slen) != 0)
				break;
		}
		if (i == n) {
			Py_INCREF(last);
			return last;
		}
		r->p = at;
	}
	t = tsblog_b_py_list(r, 0, n);
	if (t) {
		Py_INCREF(t);
		PyList_SetItem(rule, 6, t);
	}
	return t;
}

/* One diagnosis: diagnosis(*values), values as tsblog_b_found_diagnoses()
 * says. */
static PyObject *
tsblog_b_py_diagnosis(tsblog_b_rd *r, PyObject *rules, PyObject *fields, PyObject *diagnosis,
		      const tsblog_b_makers *mk)
{
	PyObject *v = PyTuple_New(TSBLOG_B_NVALUES), *key = tsblog_b_py(r, 0), *rule = NULL, *o = NULL;
	static const int part[6] = { 0, 1, 2, 3, 7, 8 }; /* the rule's, in order */
	int i;

	if (!v || !key)
		goto out;
	/* rules[key]: the rule's part, then its last fix steps */
	rule = PyDict_GetItemWithError(rules, key);
	if (rule) {
		Py_INCREF(rule);
		if (tsblog_b_skip_rule(r) < 0) {
			PyErr_SetString(PyExc_RuntimeError, "tsblog: malformed packed diagnosis");
			goto out;
		}
	} else {
		if (PyErr_Occurred() || !(rule = PyList_New(7)))
			goto out;
		Py_INCREF(Py_None);
		PyList_SET_ITEM(rule, 6, Py_None);
		for (i = 0; i < 6; i++) {
			PyObject *x = i == 4 ? tsblog_b_py_list(r, 0, -1) : tsblog_b_py(r, 0);
			if (!x)
				goto out;
			PyList_SET_ITEM(rule, i, x);
		}
		if (PyDict_SetItem(rules, key, rule) < 0)
			goto out;
	}
	for (i = 0; i < 6; i++) {
		PyObject *x = PyList_GET_ITEM(rule, i);
		Py_INCREF(x);
		PyTuple_SET_ITEM(v, part[i], x);
	}
	/* summary, fix, fields, then source ... text (line and count ints) */
	for (i = 4; i < TSBLOG_B_NVALUES; i++) {
		PyObject *x;
		if (i == 7 || i == 8)
			continue;
		if (i == 5)
			x = tsblog_b_py_fix(r, rule);
		else if (i == 6) {
			PyObject *d = tsblog_b_py_list(r, 1, -1);
			x = !d ? NULL
			       : mk->ok ? tsblog_b_make(mk->ftype, &mk->fm, &d, 1)
					: PyObject_CallOneArg(fields, d);
			Py_XDECREF(d);
		} else
			x = tsblog_b_py(r, i == 10 || i == 16);
		if (!x)
			goto out;
		PyTuple_SET_ITEM(v, i, x);
	}
	o = mk->ok ? tsblog_b_make(mk->dtype, mk->dm, &PyTuple_GET_ITEM(v, 0), TSBLOG_B_NVALUES)
		   : PyObject_Call(diagnosis, v, NULL);
out:
	Py_XDECREF(v);
	Py_XDECREF(key);
	Py_XDECREF(rule);
	return o;
}
%}
%inline %{
PyObject *tsblog_b_found_diagnoses(const tsblog_b_found *f, PyObject *rules,
				   PyObject *fields, PyObject *diagnosis)
{
	tsblog_b_rd r;
	tsblog_b_makers mk;
	PyObject *list = PyList_New(0);
	r.p = f->lines;
	r.e = f->lines + f->len;
	tsblog_b_makers_init(&mk, fields, diagnosis);
	while (list && r.p < r.e) {
		PyObject *d = tsblog_b_py_diagnosis(&r, rules, fields, diagnosis, &mk);
		if (!d || PyList_Append(list, d) < 0)
			Py_CLEAR(list);
		Py_XDECREF(d);
	}
	return list;
}
%}
#endif
