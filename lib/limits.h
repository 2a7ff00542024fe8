/* Every limit and default of the library, in one place (as yara's
 * limits.h).  Public defaults are documented in include/tsblog/. */
#ifndef TSBLOG_LIMITS_H
#define TSBLOG_LIMITS_H

/* PCRE2 limits (tsblog_compile_options_init).  The match limit is one
 * rule's budget for a whole line, shared by every start position PCRE2
 * tries (budget_match; PCRE2's own limit is per start, so it bounds no
 * line); depth and heap (KiB) keep one hostile line from taking
 * megabytes. */
#define DEFAULT_MATCH_LIMIT 10000000UL
/* budget_match: the steps a start may take free of the budget when
 * starts are tried one by one (most fail at once). */
#define BUDGET_FREE_STEPS 16UL
#define DEFAULT_DEPTH_LIMIT 10000UL
#define DEFAULT_HEAP_LIMIT 20000UL

/* JIT machine stack per matcher: 32 KiB is PCRE2's default start; allow
 * growth to 1 MiB for rules with deep recursion before the depth limit. */
#define JIT_STACK_START (32 * 1024)
#define JIT_STACK_MAX (1024 * 1024)

/* The longest record kept by default (tsblog_scan_options.max_record). */
#define DEFAULT_MAX_RECORD (1024 * 1024)
/* What a line may carry beyond max_record without counting against it: a
 * UTF-8 BOM (3 bytes) and a CR. */
#define LINE_SLACK 4

/* The shortest literal the prefilter can look for: its hash reads the
 * last three bytes of a window. */
#define MIN_LITERAL 3
/* literal.c: the longest literal kept per branch, and how deep nested
 * groups are searched for one. */
#define MAX_LITERAL_LEN 256
#define MAX_LITERAL_DEPTH 8

/* Rule files: patterns that use patterns this deep, or expand to this many
 * bytes (2^40 copies from 40 patterns that each use the next one twice),
 * are refused so that a hostile file cannot exhaust the machine. */
#define MAX_NESTING 256
#define MAX_EXPANDED (4u * 1024 * 1024)

/* The summary: distinct problems and unclassified shapes kept (more are
 * counted as dropped), and the bytes kept of a shape and an example. */
#define MAX_PROBLEMS 10000
#define MAX_SHAPES 1000
#define MAX_SHAPE_LEN 300
#define MAX_EXAMPLE_LEN 1000
/* Shapes remembered by their message (slots, the slots a message may
 * take, and the longest message remembered): warnings repeat word for
 * word, and a remembered shape skips the message's redaction and
 * tokenizing (~7,500 instructions a message).  On the bench's 100 MB 50%
 * warn/error corpus (205k lookups, 9,372 messages) 4096 slots taken one
 * way missed 27,681 times, 8 ways 21,755 (-2.7% of the text report's
 * instructions).  8192 slots 8 ways would miss ~13,000 times, but -j 2
 * with the built-in catalog already peaks at 31 MiB there. */
#define SHAPE_MEMO_SLOTS 4096
#define SHAPE_MEMO_WAYS 8
#define SHAPE_MEMO_MSG 512
/* The bytes a memo keeps its messages and shapes in (shape.h's ring).
 * 4096 slots held ~1.1 MB of them on the bench's corpora; 1 MiB, where
 * the ring writes over some, missed 4-20% more than that (9,653 ->
 * 10,043 on the corpus, 21,776 -> 26,129 at 50% warn/error) and cost
 * less than 1.5 MiB, whose every page a long input touches too. */
#define SHAPE_MEMO_RING (1024 * 1024)
/* A memo of a scan of a regular file with this many bytes left to read
 * takes a block of SHAPE_MEMO_HUGE bytes, a transparent huge page where
 * the system gives them to madvise(): such a file fills the memo, and
 * the pages it filled one fault at a time, each a lookup's TLB miss,
 * cost 2% of the bench corpus's text report.  A pipe's length is not
 * known: a short one would clear 2 MiB for a few lines. */
#define SHAPE_MEMO_HUGE_INPUT (16 * 1024 * 1024)
#define SHAPE_MEMO_HUGE (2 * 1024 * 1024)

/* `kubectl get events -o json` documents: container kinds tracked, from
 * depth 1 (the root's members) to 3 (an event's members). */
#define MAX_DOC_DEPTH 4
/* The lines of a JSON document not yet read as events (since it opened or
 * its last event closed) are held, and read as plain lines if it never
 * gives one, for at most this many times max_record bytes: room for an
 * event as long as a record and what precedes it.  Past that, a
 * document still without an event is given up. */
#define DOC_WINDOW_RECORDS 2

/* JSON log lines (jsonline.c): nesting, members and number lengths
 * beyond these are left to jansson, which decides them exactly (a line
 * of log fields has far fewer). */
#define JSONLINE_MAX_DEPTH 32
#define JSONLINE_MAX_MEMBERS 256
#define JSONLINE_MAX_NUMBER 63

/* Lints (tsblog_ruleset_check): a literal shorter than this lets many
 * lines through the prefilter; the backtracking probe pads each example
 * to this many bytes (a fraction of DEFAULT_MAX_RECORD). */
#define LINT_SHORT_LITERAL 6
#define LINT_PAD 65536

/* PCRE2 work the secret finder may spend on one string (redact.c): its
 * branches are linear, so only a bug gets there; the rest of the string
 * is then withheld, never shown. */
#define REDACT_MATCH_LIMIT 10000000

/* The largest rule file read (rulefile.c, builder.c): a file of examples
 * takes about 20 times its size in memory once loaded, and jansson does
 * not always fail cleanly when memory runs out (jansson issue #362). */
#define MAX_RULE_FILE (16u * 1024 * 1024)

#endif
