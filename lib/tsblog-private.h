/* Internal structures of libtsblog.  Never installed. */
#ifndef TSBLOG_PRIVATE_H
#define TSBLOG_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include "tsblog.h"

/* Strings and arrays that never move, freed all at once (buf.c): a
 * summary's shapes and examples, a rule file's rules' strings.  Emptied,
 * it keeps its blocks for the next strings: a -j piece's summary is
 * emptied for the next piece, and its thousands of small allocations
 * were half of -j 2's calls to malloc and free. */
typedef struct {
	struct arena_block *first, *cur;
} arena_t;
/* A NUL-terminated copy of the @n bytes at @p in @a, valid until @a is
 * emptied or freed; NULL on no memory. */
char *arena_add(arena_t *a, const char *p, size_t n);
/* calloc(@n, @size) in @a, aligned for any of the library's arrays. */
#define ARENA_ALIGN 8
void *arena_calloc(arena_t *a, size_t n, size_t size);
/* Forget every string (their memory is reused). */
void arena_clear(arena_t *a);
void arena_free(arena_t *a);

/* A rendered template: literal runs and field references, in order. */
typedef struct {
	int field;      /* index into rule->fields, or -1 for literal */
	size_t off;     /* literal: offset into tmpl.lit */
	size_t len;
} tmpl_seg;

typedef struct {
	char *lit;      /* literal bytes with {{ and }} already folded */
	tmpl_seg *segs;
	size_t nsegs;
} tmpl;

/* Envelope metadata a rule's "context" may test (context.c), and the
 * values an example or counter-example gives for them (NULL: absent).
 * The message itself comes last: a condition may test it, no example
 * gives it. */
enum { CTX_POD, CTX_CONTAINER, CTX_NAMESPACE, CTX_LEVEL, CTX_SCOPE,
       CTX_MESSAGE, CTX_NKEYS };
typedef struct {
	char *v[CTX_NKEYS];
} ctx_values;
/* One alternative of a rule's context: every condition set must hold.
 * A bundled rule's regexes are compiled when first needed (context.c). */
struct ctx_alt {
	_Atomic(pcre2_code *) re[CTX_NKEYS];    /* NULL: none, or not yet */
	char *src[CTX_NKEYS];                   /* NULL: no condition */
};

typedef struct {
	char *line;
	ctx_values ctx;
	size_t nfields;
	char **names;   /* rule field names (as written) */
	char **values;
} rule_example;

/* One loaded rule file; its text is kept so that self-test failures can be
 * reported at their line and column long after loading. */
typedef struct {
	char *name;
	char *text;
	size_t len;
	int refs;
	int borrowed;   /* name and text are the static catalog's */
	/* Its rules' strings and arrays, as rulefile.c copies them out
	 * of the text: 1000 rules made 35,000 allocations, each freed
	 * in turn. */
	arena_t mem;
} rule_file;

struct tsblog_rule {
	char *id, *component, *title, *docs, *match, *pattern, *summary_src;
	int severity;
	char **fix_src;
	size_t nfix;
	char **see_also;
	size_t nsee;
	tmpl summary;
	tmpl *fix;
	pcre2_code *code;       /* NULL: bundled, compiled by rule_jit() */
	atomic_int jitted;      /* rule_jit() has run: code is read-only */
	int borrowed;           /* bundled: every array and string is the
				 * static catalog's; the rule owns only its
				 * code and its ctx array */
	/* code compiled anchored, for budget_match's start-by-start pass;
	 * made on first need (rule_anchored), NULL if it could not be. */
	pcre2_code *anchored;
	atomic_int anchored_tried;
	uint32_t ngroups;       /* capture groups, not counting group 0 */
	char **fields;          /* named groups, in group order */
	uint32_t *field_group;
	size_t nfields;
	size_t *keys;           /* indices into fields */
	size_t nkeys;
	rule_example *examples;
	size_t nexamples;
	char **counter;
	ctx_values *counter_ctx; /* per counter-example */
	size_t ncounter;
	struct ctx_alt *ctx;    /* any one of these must hold; none: no test */
	size_t nctx;
	char *ctx_text;         /* the "context" member, compact JSON */
	char **literals;        /* one of them is in every match */
	size_t nliterals;       /* 0: none usable, every line pays */
	rule_file *file;
	size_t file_index;      /* position in its file's "rules" array */
};

/* A growable byte buffer; on allocation failure it stays valid and
 * buf_* return -1. */
typedef struct {
	char *data;
	size_t len, cap;
} buf_t;

/* strmap: string -> index, for grouping (summary problems and shapes).
 * Each slot keeps its key's hash and length, so a probe compares bytes
 * only on a hash that matches, growing hashes nothing again, and a merge
 * looks a key up in another map by the hash it already has.  The keys
 * live in one pool: no allocation per key, and clearing frees none. */
typedef struct {
	size_t hash;
	size_t off;             /* the key's offset in the pool + 1; 0: empty */
	size_t len;
	size_t val;
} strmap_slot;
typedef struct {
	strmap_slot *slots;
	size_t cap, count;
	buf_t pool;             /* the keys, each NUL-terminated */
} strmap;
#define STRMAP_NONE ((size_t)-1)
#define STRMAP_NOMEM ((size_t)-2)
/* The value stored for @key, or STRMAP_NONE. */
size_t strmap_find(const strmap *m, const char *key, size_t len);
/* Add @key (not a key of @m itself) with @val unless present; the value
 * now stored for it, or STRMAP_NOMEM. */
size_t strmap_put(strmap *m, const char *key, size_t len, size_t val);
/* strmap_find() and strmap_put() with @key's strmap_hash(), @hash,
 * already known. */
size_t strmap_find_hashed(const strmap *m, const char *key, size_t len,
			  size_t hash);
size_t strmap_put_hashed(strmap *m, const char *key, size_t len,
			 size_t hash, size_t val);
/* The key in slot @i (< m->cap), with its length, hash and value, or NULL
 * for an empty slot.  Valid until the next strmap_put() into @m. */
const char *strmap_slot_key(const strmap *m, size_t i, size_t *len,
			    size_t *hash, size_t *val);
/* Empty @m, keeping its room. */
void strmap_clear(strmap *m);
void strmap_free(strmap *m);
/* The hash strmap uses (strmap.c). */
size_t strmap_hash(const char *s, size_t n);

struct tsblog_builder {
	tsblog_compile_options opts;
	pcre2_compile_context *cctx;
	struct tsblog_rule **rules;
	size_t nrules, caprules;
	strmap ids;             /* rule id -> index in rules */
};

struct tsblog_ruleset {
	tsblog_compile_options opts;
	struct tsblog_rule **rules;
	size_t nrules;
	strmap ids;
	uint32_t max_groups;
	_Atomic(pcre2_code *) redact_code; /* see redact_code() */
	/* The prefilter of the rule literals, only when every rule has
	 * some (pf_nlits, else 0); see ruleset_pf(). */
	_Atomic(struct prefilter_s *) pf;
	size_t pf_nlits;
	/* Held only while a pattern is JIT-compiled on first use. */
	pthread_mutex_t jit_lock;
};

/* ruleset.c */
/* Ready a rule set whose opts, rules and ids are set: own patterns,
 * prefilters, lock.  -1 on no memory, with nothing left to free. */
int ruleset_prepare(struct tsblog_ruleset *rs);
/* Before a rule's code is matched: compile it (a bundled rule) and
 * JIT-compile it if nobody has yet.  Thread-safe; the rule set stays
 * logically immutable.  -1 when the pattern could not be compiled (no
 * memory: the build compiled every bundled one). */
int rule_jit(const struct tsblog_ruleset *rs, const struct tsblog_rule *r);
/* pcre2_match(@code, @s, @n) from offset 0 within @budget steps of
 * PCRE2's match limit over all the start positions it tries (and a few
 * free steps per start); sets the match limit of @mc.  With @r (then
 * @code is r->code), a start that needs more than its share is given
 * more from the budget. */
int budget_match(const struct tsblog_ruleset *rs,
		 const struct tsblog_rule *r, const pcre2_code *code,
		 const char *s, size_t n, unsigned long budget,
		 pcre2_match_data *md, pcre2_match_context *mc);

/* buf_reserve() and buf_add() when the buffer must grow first. */
int buf_reserve_grow(buf_t *b, size_t extra);
int buf_add_grow(buf_t *b, const char *s, size_t n);
/* Fault in the pages wholly inside [@p, @p + @n), memory about to be
 * written whole, in one call (madvise(MADV_POPULATE_WRITE)): a page
 * faulted on first touch cost 10-12 us on the bench's VM, one filled
 * ahead 2-6 us.  A no-op where the system has no such call. */
void mem_prefault(void *p, size_t n);
/* Room for @extra more bytes and a NUL after them.  Inline, as
 * buf_add(): the library appends a few bytes at a time (a comma, a key),
 * and the call cost more than the copy. */
static inline int
buf_reserve(buf_t *b, size_t extra)
{
	return b->cap - b->len > extra ? 0 : buf_reserve_grow(b, extra);
}
/* Append @n bytes of @s (NULL when @n is 0), a NUL kept after them. */
static inline int
buf_add(buf_t *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n)
		return buf_add_grow(b, s, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}
/* Append @n bytes as valid UTF-8: invalid sequences and NUL bytes become
 * U+FFFD, so every string we hand out is printable as JSON and as C. */
int buf_add_utf8(buf_t *b, const char *s, size_t n);
/* Length of the valid UTF-8 sequence at @s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF; a NUL is not valid), or 0. */
size_t utf8_seq(const unsigned char *s, size_t n);
/* memmem() for the short needles envelopes look for (@nn >= 2): the
 * first @needle in [@h, @h + @hn), or NULL. */
const char *mem_find(const char *h, size_t hn, const char *needle,
		     size_t nn);
/* The first '"' in [@q, @end) that no backslash escapes (a backslash
 * escapes the byte after it), or @end. */
const char *quote_close(const char *q, const char *end);
void buf_free(buf_t *b);

struct json_t;
/* A jansson string of any bytes (a file name), each byte of an invalid
 * UTF-8 sequence as U+FFFD (buf_add_utf8()); NULL on no memory. */
struct json_t *json_string_utf8(const char *s);
/* Free the first @n strings of @v, then @v; NULL-safe. */
void strv_free(char **v, size_t n);

/* A slice of the current line or of a decode buffer. */
typedef struct {
	const char *p;
	size_t n;
} slice;
/* The slice of a string literal, for tables of words with their lengths. */
#define SLICE_LIT(s) { s, sizeof(s) - 1 }

/* What one record is: the message rules are matched against, and the
 * metadata its envelope carried.  Slices point into the line or into the
 * scanner's decode buffers, valid until the next record. */
typedef struct {
	slice msg;
	size_t core_n;          /* length of msg without trailing key=value
				 * fields, for grouping by shape; 0 = all */
	slice text;             /* what a diagnosis shows as "text" */
	slice timestamp, pod, container, namespace, scope;
	const char *level;      /* normalised: debug info warn error fatal
				 * panic, or NULL */
	uint64_t count;
} record;

/* See redact.c. */
typedef struct {
	size_t start, end;      /* the secret's bytes */
	const char *mark;       /* what stands for them */
} secret_span;

typedef struct {
	secret_span *v;
	size_t n, cap;
} spans;

typedef struct {
	const struct tsblog_ruleset *rs;
	const pcre2_code *code;         /* rs's, taken on first use */
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int on;
	const char *subject;            /* the line pieces come from */
	size_t subject_n;
	spans line;                     /* its secrets */
	spans other;                    /* of a string from elsewhere */
} cleaner;

/* A record's metadata that a diagnosis carries. */
enum meta_slot { META_TIMESTAMP, META_POD, META_CONTAINER, META_NAMESPACE,
		 META_N };

struct tsblog_diagnosis {
	const struct tsblog_rule *rule;
	const char *source;
	uint64_t line;
	uint64_t count;
	uint64_t occurrences;   /* of its problem so far; 0 = not counted */
	const char *level;      /* static string or NULL */
	buf_t store;            /* all strings below point into it */
	size_t meta_off[META_N];        /* by enum meta_slot;
				 * (size_t)-1 when absent */
	size_t *field_idx;      /* rule field index of each matched field */
	size_t *field_off;      /* store offsets: values */
	size_t nfields;
	size_t summary_off;
	size_t *fix_off;
	size_t text_off;
	/* Only what tells its problem apart and counts it (the key fields
	 * and the time) is rendered; the rest reads as empty or absent
	 * (struct tsblog_matcher's keys_only). */
	int partial;
};

/* Diagnoses kept past the next match, as owned copies (the pieces of
 * tsblog_scan_fd, merged later): each copy's offsets and strings go into
 * one buffer, so a list costs a few allocations, not a few per copy. */
typedef struct {
	struct {
		struct tsblog_diagnosis d;      /* pointers: see diag_list_get */
		size_t at;                      /* where its copy is in bytes */
	} *items;
	size_t n, cap;
	buf_t bytes;
} diag_list;
int diag_list_add(diag_list *l, const struct tsblog_diagnosis *d);
/* A view of copy @i in *out, valid until the list changes. */
void diag_list_get(const diag_list *l, size_t i, struct tsblog_diagnosis *out);
/* Empty the list, keeping its memory. */
void diag_list_clear(diag_list *l);
void diag_list_free(diag_list *l);

struct tsblog_matcher {
	const struct tsblog_ruleset *rs;
	uint8_t *cand;          /* per rule: its literal is in the line */
	tsblog_rule_stats *stats;       /* per rule */
	cleaner clean;
	int timing;             /* measure regex time per rule */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	struct tsblog_diagnosis diag;
	/* Render a match partially (see tsblog_diagnosis's partial): a
	 * scan with TSBLOG_SCAN_FIRST_SIGHTINGS renders the rest only for a
	 * problem's first sighting (matcher_render()). */
	int keys_only;
	uint64_t limit_hits;
	/* tsblog_matcher_match_envelope(): made on its first use */
	struct reader_s *rd;
	buf_t line;
};

/* error.c */
/* Where an error lies: a source name and, when known, its text so that a
 * byte position can be turned into line and column. */
typedef struct {
	const char *source;
	const char *text;
	size_t len;
} err_where;
#define NO_POS ((size_t)-1)
/* Fill @err (if not NULL) with a one-line message "source:line:col: rule
 * "id": member: what".  @pos is a byte offset into w->text, or NO_POS. */
void err_raise(tsblog_error *err, int code, const err_where *w, size_t pos,
	       const char *rule_id, const char *member, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* The same with line and column already known (jansson's syntax errors). */
void err_raise_lc(tsblog_error *err, int code, const char *source, int line,
		  int column, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void offset_to_line_col(const char *text, size_t len, size_t off, int *line,
			int *col);
/* Raise "out of memory" or @what (TSBLOG_EINVAL) and return the code. */
int err_nomem(tsblog_error *err);
int err_inval(tsblog_error *err, const char *what);

/* jsonpos.c: find where a member or element is in already valid JSON. */
typedef struct {
	const char *key;        /* object member, or NULL: array element */
	size_t index;
} json_step;
int json_locate(const char *text, size_t len, const json_step *path,
		size_t n, int want_key, size_t *off);


/* Length of capture group g; 0 when unset, or when \K in a lookaround
 * left its end before its start. */
static inline size_t
group_len(const PCRE2_SIZE *ov, uint32_t g)
{
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
		return 0;
	return ov[2 * g + 1] - ov[2 * g];
}

/* redact.c: strings from input, made valid UTF-8 and, when on, with
 * secrets (the forms TSBLOG_SCAN_NO_REDACT lists) replaced by markers. */
/* @rs's secret patterns, compiled on first use (NULL: no memory); freed
 * with @rs. */
const pcre2_code *redact_code(const struct tsblog_ruleset *rs);
/* The secret patterns compiled anew (caller frees), NULL on no memory;
 * for redact_code() and the tests that check it. */
pcre2_code *redact_compile(void);
/* ruleset.c: @rs's prefilter, built on first use; NULL when it has none,
 * or on no memory with -1 in *rc.  Freed with @rs. */
const struct prefilter_s *ruleset_pf(const struct tsblog_ruleset *rs,
				     int *rc);
/* Compile one of the library's own patterns (shapes, secrets) as rules
 * are compiled, JIT included; NULL only on no memory. */
pcre2_code *compile_own(const char *pattern);
int cleaner_init(cleaner *cl, const struct tsblog_ruleset *rs, int on);
void cleaner_fini(cleaner *cl);
/* Secrets are looked for in @s as a whole; until the next call, a
 * clean_add() of a piece of @s redacts with them (NULL: forget @s). */
int cleaner_subject(cleaner *cl, const char *s, size_t n);
int clean_add(cleaner *cl, buf_t *out, const char *s, size_t n);

/* template.c */
/* Parse @src into @t, its literal bytes and segments in @mem.
 * TSBLOG_ETEMPLATE (@bad says why) or TSBLOG_ENOMEM. */
int tmpl_parse(tmpl *t, const char *src, const struct tsblog_rule *r,
	       arena_t *mem, char *bad, size_t badlen);
int tmpl_render(buf_t *out, const tmpl *t, const struct tsblog_rule *r,
		const char *subject, const PCRE2_SIZE *ov, cleaner *cl);

/* rulefile.c: read @text (owned from here on) as the rule file @name;
 * on 0 *out (caller frees, with rule_free each) holds its *nout rules,
 * each holding a reference to the file. */
int rulefile_load(const char *name, char *text, size_t len,
		  pcre2_compile_context *cctx, struct tsblog_rule ***out,
		  size_t *nout, tsblog_error *err);

/* rule.c */
void rule_free(struct tsblog_rule *r);
void rule_file_unref(rule_file *f);
/* A rule of @f (referenced) borrowing the static catalog rule @src; NULL
 * on no memory. */
struct tsblog_rule *rule_borrow(const struct tsblog_rule *src, rule_file *f);
/* The rule called @id in @rules indexed by @ids, or NULL. */
struct tsblog_rule *rule_by_id(struct tsblog_rule *const *rules,
			       const strmap *ids, const char *id);
/* Every pattern the library compiles, rules' and its own. */
#define PATTERN_OPTIONS (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)

/* scanner.c: remove ANSI escape sequences from @p into @out. */
int strip_escapes(buf_t *out, const char *p, size_t n);
/* disguise.c: the first byte in [p, end) that can hide a rule literal
 * from the prefilter, or NULL: a colour escape, a JSON escape (\uXXXX or
 * \/, backslashes paired from @p), or a CR that ends a line (one before
 * anything but LF and CR; a CR as the last byte is not judged). */
const char *disguise_at(const char *p, const char *end);
/* disguise_at() by the search @kernel (DISGUISE_*), which this CPU must
 * have: what disguise_kernel() says is the fastest it has. */
enum { DISGUISE_MEMCHR = 0, DISGUISE_AVX2 = 2, DISGUISE_AVX512 = 3 };
int disguise_kernel(void);
const char *disguise_find(const char *p, const char *end, int kernel);

/* matcher.c */
int matcher_init(struct tsblog_matcher *m, const struct tsblog_ruleset *rs);
void matcher_fini(struct tsblog_matcher *m);
/* Match rec->msg; on 1 the diagnosis carries rec's metadata and text
 * (with m->keys_only, only its key fields and time). */
int matcher_match_record(struct tsblog_matcher *m, const record *rec,
			 tsblog_error *err);
/* Render the diagnosis of matcher_match_record()'s last match of @rec
 * whole; 0, or -1 on no memory. */
int matcher_render(struct tsblog_matcher *m, const record *rec);


/* context.c: a rule's conditions on the envelope's metadata. */
/* Compile @v, the rule's "context" member.  On a bad one: TSBLOG_ESCHEMA
 * or TSBLOG_EREGEX, @bad says what, and @where[0..*nwhere) is its path
 * inside the member (an array index, then a key). */
int context_compile(struct tsblog_rule *r, struct json_t *v,
		    pcre2_compile_context *cc, char *bad, size_t size,
		    json_step *where, size_t *nwhere);
/* An example's "context": key -> value.  Same errors as above. */
int context_values_parse(ctx_values *out, struct json_t *v, char *bad,
			 size_t size, json_step *where, size_t *nwhere);
void context_values_free(ctx_values *cv);
void context_free(struct tsblog_rule *r);
/* Whether @rec's metadata satisfies @r's context: 1 yes, 0 no (then @why,
 * when not NULL, names the condition that failed), <0 no memory.  Each
 * value's match is held to @budget (budget_match). */
int context_holds(const struct tsblog_rule *r, const record *rec,
		  pcre2_match_data *md, pcre2_match_context *mc,
		  unsigned long budget, char *why, size_t size);
/* Give @rec the metadata @ctx (public form) or @cv (an example's) has;
 * what they leave NULL stays as it was. */
void context_record_set(record *rec, const tsblog_envelope *env);
void context_record_values(record *rec, const ctx_values *cv);

/* builtin-rules.c (generated by lib/gen/catalog.c): the bundled rule
 * files in catalog order, each named "builtin:<file name>", already loaded
 * and checked at build time; rule_borrow() makes their rules. */
typedef struct {
	const char *name;
	const char *text;       /* the file, for positions in messages */
	size_t len;
	const struct tsblog_rule *rules;
	size_t nrules;
} builtin_rule_file;
extern const builtin_rule_file tsblog_builtin_files[];
extern const size_t tsblog_builtin_nfiles;

#endif
