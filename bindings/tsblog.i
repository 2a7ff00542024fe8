/* bindings/tsblog.i: the one SWIG interface of libtsblog, shared by every
 * binding:
 *
 *   Python  swig -python -noproxy -o tsblogPYTHON_wrap.c bindings/tsblog.i
 *           (bindings/python/tsblog/meson.build): the C module
 *           tsblog._tsblog, whose flat functions tsblog/__init__.py calls
 *           directly (no SWIG proxy classes or .py shim)
 *   Go      swig -go -cgo -intgosize 64 ... bindings/tsblog.i
 *
 * The surface is small on purpose.  The binding sees opaque handles
 * (tsblog_builder, tsblog_ruleset, tsblog_matcher, tsblog_scanner and a
 * tsblog_error it allocates with tsblog_b_error_new()), the C calls that are
 * already binding-friendly (no out-parameters, no callbacks), and the
 * tsblog_b_* helpers defined below, which turn out-parameters into return
 * values, callbacks into JSON arrays, and borrowed diagnoses into JSON
 * strings the binding owns.  The idioms (exceptions or error values,
 * iterators, closing, a child keeping its parent alive) live in the
 * hand-written layer of each language, not here.
 *
 * Ownership: every char * a tsblog_b_* helper returns (marked %newobject)
 * is malloc()ed here; the generated wrapper copies it into a language
 * string and frees it with tsblog_b_free().  Handles are freed explicitly
 * by the binding (tsblog_builder_free, tsblog_ruleset_free, ...), children
 * (matchers, scanners) before their rule set.
 *
 * Threads: a tsblog_ruleset may be used by any number of threads at once; a
 * matcher, scanner or tsblog_error by one thread at a time.  The Python
 * wrapper releases the GIL around the calls that do real work (compiling,
 * matching, scanning, checking).
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
#include <string.h>
#include <stdio.h>
#include <tsblog.h>
%}

/* ---- opaque types (SWIG's view only; the C code uses tsblog.h) -------- */
typedef struct tsblog_builder tsblog_builder;
typedef struct tsblog_ruleset tsblog_ruleset;
typedef struct tsblog_rule tsblog_rule;
typedef struct tsblog_matcher tsblog_matcher;
typedef struct tsblog_scanner tsblog_scanner;
typedef struct tsblog_error tsblog_error;

/* Strings the tsblog_b_* helpers return are theirs to free. */
%typemap(newfree) char * "tsblog_b_free($1);";

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
TSBLOG_B_NOGIL(tsblog_b_matcher_match_json)
TSBLOG_B_NOGIL(tsblog_b_scanner_scan)
TSBLOG_B_NOGIL(tsblog_b_scanner_summary_json)
TSBLOG_B_NOGIL(tsblog_b_ruleset_check_json)
#endif

#ifdef SWIGGO
/* (data, len): a Go string, passed without a copy; only used during the
 * call (tsblog_b_scanner_scan feeds and drains in one call), so no Go
 * pointer is kept by C after it returns. */
%apply (char *STRING, size_t LENGTH) { (const char *data, size_t len) };
#endif

/* ---- C API calls that need no helper ---------------------------------- */

/* The library's version string ("0.1.0"). */
const char *tsblog_version(void);
/* "syntax", "regex", ... for a tsblog_error_code. */
const char *tsblog_error_code_name(int code);

int tsblog_builder_add_string(tsblog_builder *b, const char *name,
			      const char *data, size_t len, tsblog_error *err);
int tsblog_builder_add_file(tsblog_builder *b, const char *path,
			    tsblog_error *err);
int tsblog_builder_add_builtin(tsblog_builder *b, tsblog_error *err);
void tsblog_builder_free(tsblog_builder *b);

void tsblog_ruleset_free(tsblog_ruleset *rs);
size_t tsblog_ruleset_count(const tsblog_ruleset *rs);
const tsblog_rule *tsblog_ruleset_rule(const tsblog_ruleset *rs, size_t index);
const tsblog_rule *tsblog_ruleset_find(const tsblog_ruleset *rs, const char *id);
const char *tsblog_rule_id(const tsblog_rule *r);
const char *tsblog_rule_pattern(const tsblog_rule *r);

void tsblog_matcher_free(tsblog_matcher *m);
int tsblog_matcher_set_redact(tsblog_matcher *m, int on);

void tsblog_scanner_free(tsblog_scanner *s);
int tsblog_scanner_reset(tsblog_scanner *s, const char *source);
uint64_t tsblog_scanner_records(const tsblog_scanner *s);
uint64_t tsblog_scanner_bytes(const tsblog_scanner *s);
uint64_t tsblog_scanner_truncated(const tsblog_scanner *s);
uint64_t tsblog_scanner_malformed(const tsblog_scanner *s);

/* ---- tsblog_b_* helpers ------------------------------------------------ */

/* Internal: a growing string; JSON escaping.  Not wrapped. */
%{
typedef struct {
	char *p;
	size_t len, cap;
	int failed;
} tsblog_b_buf;

static void
tsblog_b_buf_add(tsblog_b_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = (char *)realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
tsblog_b_buf_puts(tsblog_b_buf *b, const char *s)
{
	tsblog_b_buf_add(b, s, strlen(s));
}

/* s as a JSON string (null for NULL).  The library's strings are UTF-8;
 * only '"', '\\' and control characters need escaping. */
static void
tsblog_b_buf_json_str(tsblog_b_buf *b, const char *s)
{
	const char *run;
	if (!s) {
		tsblog_b_buf_puts(b, "null");
		return;
	}
	tsblog_b_buf_add(b, "\"", 1);
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		tsblog_b_buf_add(b, run, (size_t)(s - run));
		switch (c) {
		case '"': tsblog_b_buf_puts(b, "\\\""); break;
		case '\\': tsblog_b_buf_puts(b, "\\\\"); break;
		case '\n': tsblog_b_buf_puts(b, "\\n"); break;
		case '\t': tsblog_b_buf_puts(b, "\\t"); break;
		case '\r': tsblog_b_buf_puts(b, "\\r"); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			tsblog_b_buf_puts(b, esc);
		}
		run = s + 1;
	}
	tsblog_b_buf_add(b, run, (size_t)(s - run));
	tsblog_b_buf_add(b, "\"", 1);
}

static void
tsblog_b_buf_json_num(tsblog_b_buf *b, unsigned long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%llu", v);
	tsblog_b_buf_puts(b, num);
}

static void
tsblog_b_buf_json_int(tsblog_b_buf *b, long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%lld", v);
	tsblog_b_buf_puts(b, num);
}

/* Every tsblog_b_* helper that takes err starts with this, so that
 * tsblog_b_error_code(err) is 0 after a call that succeeded (the library
 * itself only writes err on failure).  A Go string cannot tell NULL from
 * "", so Go checks this code. */
static void
tsblog_b_reset(tsblog_error *err)
{
	if (err) {
		err->code = 0;
		err->message[0] = '\0';
	}
}

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

/* The buffer's string, handed to the caller; "" if nothing was added;
 * NULL (err says ENOMEM) if an allocation failed. */
static char *
tsblog_b_buf_take(tsblog_b_buf *b, tsblog_error *err)
{
	if (!b->failed && !b->p)
		tsblog_b_buf_add(b, "", 0);
	if (b->failed) {
		free(b->p);
		tsblog_b_nomem(err);
		return NULL;
	}
	return b->p;
}

/* The members of err as a JSON object, appended to b. */
static void
tsblog_b_buf_json_error(tsblog_b_buf *b, const tsblog_error *err)
{
	tsblog_b_buf_puts(b, "{\"code\":");
	tsblog_b_buf_json_int(b, err->code);
	tsblog_b_buf_puts(b, ",\"code_name\":");
	tsblog_b_buf_json_str(b, tsblog_error_code_name(err->code));
	tsblog_b_buf_puts(b, ",\"source\":");
	tsblog_b_buf_json_str(b, err->source);
	tsblog_b_buf_puts(b, ",\"line\":");
	tsblog_b_buf_json_int(b, err->line);
	tsblog_b_buf_puts(b, ",\"column\":");
	tsblog_b_buf_json_int(b, err->column);
	tsblog_b_buf_puts(b, ",\"position\":");
	tsblog_b_buf_json_num(b, err->position);
	tsblog_b_buf_puts(b, ",\"rule_id\":");
	tsblog_b_buf_json_str(b, err->rule_id);
	tsblog_b_buf_puts(b, ",\"member\":");
	tsblog_b_buf_json_str(b, err->member);
	tsblog_b_buf_puts(b, ",\"pattern_offset\":");
	tsblog_b_buf_json_num(b, err->pattern_offset);
	tsblog_b_buf_puts(b, ",\"message\":");
	tsblog_b_buf_json_str(b, err->message);
	tsblog_b_buf_puts(b, "}");
}

static int
tsblog_b_check_cb(const tsblog_check_failure *f, void *payload)
{
	tsblog_b_buf *b = (tsblog_b_buf *)payload;
	tsblog_b_buf_puts(b, b->len > 1 ? ",{\"rule_id\":" : "{\"rule_id\":");
	tsblog_b_buf_json_str(b, f->rule_id);
	tsblog_b_buf_puts(b, ",\"source\":");
	tsblog_b_buf_json_str(b, f->source);
	tsblog_b_buf_puts(b, ",\"line\":");
	tsblog_b_buf_json_int(b, f->line);
	tsblog_b_buf_puts(b, ",\"column\":");
	tsblog_b_buf_json_int(b, f->column);
	tsblog_b_buf_puts(b, ",\"kind\":");
	tsblog_b_buf_json_str(b, f->kind);
	tsblog_b_buf_puts(b, ",\"index\":");
	tsblog_b_buf_json_num(b, f->index);
	tsblog_b_buf_puts(b, ",\"message\":");
	tsblog_b_buf_json_str(b, f->message);
	tsblog_b_buf_puts(b, "}");
	return b->failed;
}
%}

%newobject tsblog_b_error_json;
%newobject tsblog_b_matcher_match_json;
%newobject tsblog_b_scanner_scan;
%newobject tsblog_b_scanner_summary_json;
%newobject tsblog_b_ruleset_check_json;

%inline %{
/* Flags for tsblog_b_scanner_scan(). */
#define TSBLOG_B_FINISH 1        /* end of input: finish() and drain again */
#define TSBLOG_B_NO_DIAGNOSES 2  /* return only error lines (summary scans) */

/* Scanner flags (TSBLOG_SCAN_NO_SUMMARY, TSBLOG_SCAN_NO_REDACT), for
 * tsblog_b_scanner_new(). */
#define TSBLOG_B_SCAN_NO_SUMMARY 1
#define TSBLOG_B_SCAN_NO_REDACT 4

/* tsblog_b_free: release a string a tsblog_b_* helper returned.  The
 * generated wrappers call it; a binding never needs to. */
void tsblog_b_free(void *p)
{
	free(p);
}

/* tsblog_b_error_new: a zeroed tsblog_error for the binding to pass to
 * calls; NULL if out of memory.  Free with tsblog_b_error_free().  One
 * thread at a time. */
tsblog_error *tsblog_b_error_new(void)
{
	return (tsblog_error *)calloc(1, sizeof(tsblog_error));
}

/* tsblog_b_error_free: release an error from tsblog_b_error_new(). */
void tsblog_b_error_free(tsblog_error *err)
{
	free(err);
}

/* tsblog_b_error_code: err->code, the last failure's tsblog_error_code (0
 * after tsblog_b_error_clear()). */
int tsblog_b_error_code(const tsblog_error *err)
{
	return err ? err->code : TSBLOG_EINVAL;
}

/* tsblog_b_error_clear: zero err (the library only writes it on failure). */
void tsblog_b_error_clear(tsblog_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* tsblog_b_error_json: err as one JSON object: {"code", "code_name",
 * "source", "line", "column", "position", "rule_id", "member",
 * "pattern_offset", "message"} (strings "" and numbers 0 where they do not
 * apply).  NULL if out of memory. */
char *tsblog_b_error_json(const tsblog_error *err)
{
	tsblog_b_buf b = { 0 };
	if (!err)
		return NULL;
	tsblog_b_buf_json_error(&b, err);
	return tsblog_b_buf_take(&b, NULL);
}

/* tsblog_b_builder_new: tsblog_builder_new() with default compile options;
 * NULL on failure (err says why).  Then tsblog_builder_add_*(). */
tsblog_builder *tsblog_b_builder_new(tsblog_error *err)
{
	tsblog_builder *b = NULL;
	tsblog_b_reset(err);
	return tsblog_builder_new(&b, NULL, err) < 0 ? NULL : b;
}

/* tsblog_b_builder_build: tsblog_builder_build(); NULL on failure (err
 * says why).  The builder is left empty; free it with
 * tsblog_builder_free(). */
tsblog_ruleset *tsblog_b_builder_build(tsblog_builder *b, tsblog_error *err)
{
	tsblog_ruleset *rs = NULL;
	tsblog_b_reset(err);
	return tsblog_builder_build(&rs, b, err) < 0 ? NULL : rs;
}

/* tsblog_b_ruleset_check_json: tsblog_ruleset_check() with the failures
 * as a JSON array of {"rule_id", "source", "line", "column", "kind",
 * "index", "message"} ("[]" when all pass); NULL on failure (err says
 * why). */
char *tsblog_b_ruleset_check_json(const tsblog_ruleset *rs, tsblog_error *err)
{
	tsblog_b_buf b = { 0 };
	int rc;
	tsblog_b_reset(err);
	tsblog_b_buf_puts(&b, "[");
	rc = tsblog_ruleset_check(rs, tsblog_b_check_cb, &b, err);
	if (b.failed || rc == TSBLOG_EUSER) {
		free(b.p);
		tsblog_b_nomem(err);
		return NULL;
	}
	if (rc < 0) {
		free(b.p);
		return NULL;
	}
	tsblog_b_buf_puts(&b, "]");
	return tsblog_b_buf_take(&b, err);
}

/* tsblog_b_matcher_new: tsblog_matcher_new(); NULL on failure.  The rule
 * set must outlive the matcher; one thread at a time. */
tsblog_matcher *tsblog_b_matcher_new(const tsblog_ruleset *rs,
				     tsblog_error *err)
{
	tsblog_matcher *m = NULL;
	tsblog_b_reset(err);
	return tsblog_matcher_new(&m, rs, err) < 0 ? NULL : m;
}

/* tsblog_b_matcher_match_json: match one line (any bytes; data is only
 * read during the call).  Returns the diagnosis as its `tsblog -o json`
 * object (source and line null), "" when no rule matches, or NULL on
 * failure (err says why). */
char *tsblog_b_matcher_match_json(tsblog_matcher *m, const char *data,
				  size_t len, tsblog_error *err)
{
	const tsblog_diagnosis *d;
	char *json = NULL;
	int rc;
	tsblog_b_reset(err);
	rc = tsblog_matcher_match(m, data, len, &d, err);
	if (rc < 0)
		return NULL;
	if (rc == 0) {
		json = (char *)calloc(1, 1);
		if (!json)
			tsblog_b_nomem(err);
		return json;
	}
	{
		char *lib_json = NULL;
		size_t n;
		if (tsblog_diagnosis_to_json(&lib_json, d, err) < 0)
			return NULL;
		n = strlen(lib_json);
		json = (char *)malloc(n + 1);
		if (json)
			memcpy(json, lib_json, n + 1);
		else
			tsblog_b_nomem(err);
		tsblog_free(lib_json);
		return json;
	}
}

/* tsblog_b_scanner_new: tsblog_scanner_new() for input named source
 * (NULL: "-"), flags TSBLOG_B_SCAN_NO_SUMMARY and TSBLOG_B_SCAN_NO_REDACT,
 * default max_record;
 * NULL on failure.  The rule set must outlive the scanner. */
tsblog_scanner *tsblog_b_scanner_new(const tsblog_ruleset *rs,
				     const char *source, unsigned int flags,
				     tsblog_error *err)
{
	tsblog_scanner *s = NULL;
	tsblog_scan_options o = TSBLOG_SCAN_OPTIONS_INIT;
	tsblog_b_reset(err);
	o.flags = (flags & TSBLOG_B_SCAN_NO_SUMMARY ? TSBLOG_SCAN_NO_SUMMARY : 0) |
		  (flags & TSBLOG_B_SCAN_NO_REDACT ? TSBLOG_SCAN_NO_REDACT : 0);
	return tsblog_scanner_new(&s, rs, source, &o, err) < 0 ? NULL : s;
}

/* tsblog_b_scanner_scan: feed data (len may be 0) to s, and with
 * TSBLOG_B_FINISH then finish the input; run tsblog_scanner_next() until
 * the input is used up, as tools/cmd_scan.c does.  data is only used during
 * the call: the scanner has drained it (and copied an unfinished last line)
 * when this returns, so the caller may reuse or free it.
 *
 * Returns what was found as lines, each ending in "\n" ("" for none), in
 * input order:
 *   {"rule":...}    a diagnosis: the `tsblog -o json` line (left out with
 *                   TSBLOG_B_NO_DIAGNOSES)
 *   {"error":{...}} a malformed event of a `kubectl get events -o json`
 *                   document, as tsblog_b_error_json(); skipped, and the
 *                   scan went on, as the CLI does
 * or NULL on failure (err says why; the scan cannot go on). */
char *tsblog_b_scanner_scan(tsblog_scanner *s, const char *data, size_t len,
			    unsigned int how, tsblog_error *err)
{
	tsblog_b_buf out = { 0 };
	const tsblog_diagnosis *d;
	int finished = 0;
	tsblog_b_reset(err);

	if (len && tsblog_scanner_feed(s, data, len, err) < 0)
		return NULL;
	for (;;) {
		tsblog_error e;
		int rc = tsblog_scanner_next(s, &d, &e);
		if (rc == 0) {
			if (!(how & TSBLOG_B_FINISH) || finished)
				break;
			if (tsblog_scanner_end(s, err) < 0) {
				free(out.p);
				return NULL;
			}
			finished = 1;
			continue;
		}
		if (rc == TSBLOG_ESYNTAX) {
			tsblog_b_buf_puts(&out, "{\"error\":");
			tsblog_b_buf_json_error(&out, &e);
			tsblog_b_buf_puts(&out, "}\n");
			continue;
		}
		if (rc < 0) {
			if (err)
				*err = e;
			free(out.p);
			return NULL;
		}
		if (!(how & TSBLOG_B_NO_DIAGNOSES)) {
			char *json;
			if (tsblog_diagnosis_to_json(&json, d, err) < 0) {
				free(out.p);
				return NULL;
			}
			tsblog_b_buf_puts(&out, json);
			tsblog_b_buf_add(&out, "\n", 1);
			tsblog_free(json);
		}
		if (out.failed)
			break;
	}
	return tsblog_b_buf_take(&out, err);
}

/* tsblog_b_scanner_summary_json: tsblog_scanner_summary_json(), the
 * `tsblog -o summary-json` document; NULL on failure. */
char *tsblog_b_scanner_summary_json(const tsblog_scanner *s, tsblog_error *err)
{
	char *doc = NULL, *copy;
	size_t n;
	tsblog_b_reset(err);
	if (tsblog_scanner_summary_json(&doc, s, err) < 0)
		return NULL;
	n = strlen(doc);
	copy = (char *)malloc(n + 1);
	if (copy)
		memcpy(copy, doc, n + 1);
	else
		tsblog_b_nomem(err);
	tsblog_free(doc);
	return copy;
}
%}
