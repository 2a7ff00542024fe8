/* The builder: rule files in, an immutable rule set out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "limits.h"
#include "tsblog-private.h"

int
tsblog_compile_options_init(tsblog_compile_options *opts, unsigned int version)
{
	if (!opts || version != TSBLOG_COMPILE_OPTIONS_VERSION)
		return TSBLOG_EINVAL;
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	opts->match_limit = DEFAULT_MATCH_LIMIT;
	opts->depth_limit = DEFAULT_DEPTH_LIMIT;
	opts->heap_limit = DEFAULT_HEAP_LIMIT;
	return 0;
}

int
tsblog_builder_new(tsblog_builder **out, const tsblog_compile_options *opts,
		   tsblog_error *err)
{
	tsblog_builder *b;

	if (!out)
		return err_inval(err, "tsblog_builder_new: out is NULL");
	if (opts && opts->version != TSBLOG_COMPILE_OPTIONS_VERSION)
		return err_inval(err, "tsblog_builder_new: unknown options version");
	b = calloc(1, sizeof(*b));
	if (!b)
		return err_nomem(err);
	tsblog_compile_options_init(&b->opts, TSBLOG_COMPILE_OPTIONS_VERSION);
	if (opts) {
		b->opts.no_jit = opts->no_jit;
		if (opts->match_limit)
			b->opts.match_limit = opts->match_limit;
		if (opts->depth_limit)
			b->opts.depth_limit = opts->depth_limit;
		if (opts->heap_limit)
			b->opts.heap_limit = opts->heap_limit;
	}
	b->cctx = pcre2_compile_context_create(NULL);
	if (!b->cctx) {
		free(b);
		return err_nomem(err);
	}
	*out = b;
	return 0;
}

void
tsblog_builder_free(tsblog_builder *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nrules; i++)
		rule_free(b->rules[i]);
	free(b->rules);
	strmap_free(&b->ids);
	pcre2_compile_context_free(b->cctx);
	free(b);
}

/* Check ids against the builder and within the file, then hand every rule
 * over.  Nothing is added unless all of them can be. */
static int
commit_rules(struct tsblog_builder *b, struct tsblog_rule **list, size_t n,
	     tsblog_error *err)
{
	rule_file *f = list[0]->file;
	strmap local = { 0 };
	size_t i, k;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *id = list[i]->id;
		struct tsblog_rule *prev = rule_by_id(b->rules, &b->ids, id);
		json_step p[3] = { { "rules", 0 }, { NULL, 0 }, { "id", 0 } };
		err_where w = { f->name, f->text, f->len };
		const rule_file *pf;
		int line = 0, col = 0;
		size_t off = 0;

		if (!prev) {
			k = strmap_put(&local, id, strlen(id), i);
			if (k == STRMAP_NOMEM) {
				rc = TSBLOG_ENOMEM;
				break;
			}
			if (k == i)
				continue;
			prev = list[k];
		}
		pf = prev->file;
		p[1].index = prev->file_index;
		json_locate(pf->text, pf->len, p, 2, 0, &off);
		offset_to_line_col(pf->text, pf->len, off, &line, &col);
		p[1].index = list[i]->file_index;
		json_locate(f->text, f->len, p, 3, 0, &off);
		err_raise(err, TSBLOG_EDUPLICATE, &w, off, id, "id",
			  "duplicate rule id, first defined at %s:%d:%d",
			  pf->name, line, col);
		rc = TSBLOG_EDUPLICATE;
	}
	strmap_free(&local);
	if (rc < 0)
		return rc;
	if (b->nrules + n > b->caprules) {
		size_t cap = b->caprules ? b->caprules : 16;
		struct tsblog_rule **p;
		while (cap < b->nrules + n)
			cap *= 2;
		p = realloc(b->rules, cap * sizeof(*p));
		if (!p)
			return TSBLOG_ENOMEM;
		b->rules = p;
		b->caprules = cap;
	}
	for (i = 0; i < n; i++) {
		if (strmap_put(&b->ids, list[i]->id, strlen(list[i]->id),
			       b->nrules + i) == STRMAP_NOMEM) {
			/* Rebuild the index without this file's rules. */
			strmap fresh = { 0 };
			for (k = 0; k < b->nrules; k++)
				strmap_put(&fresh, b->rules[k]->id,
					   strlen(b->rules[k]->id), k);
			strmap_free(&b->ids);
			b->ids = fresh;
			return TSBLOG_ENOMEM;
		}
	}
	for (i = 0; i < n; i++)
		b->rules[b->nrules++] = list[i];
	return 0;
}

/* Hand the @n rules of @list over unless @rc says they were not all made;
 * on failure free them.  @list is freed. */
static int
commit_or_free(tsblog_builder *b, struct tsblog_rule **list, size_t n,
	       int rc, tsblog_error *err)
{
	size_t i;

	if (rc == 0 && n)
		rc = commit_rules(b, list, n, err);
	if (rc == TSBLOG_ENOMEM)
		err_nomem(err);
	if (rc < 0)
		for (i = 0; i < n; i++)
			rule_free(list[i]);
	free(list);
	return rc;
}

/* Read @text (owned from here on) as a rule file and add its rules. */
static int
add_text(tsblog_builder *b, const char *name, char *text, size_t len,
	 tsblog_error *err)
{
	struct tsblog_rule **list = NULL;
	size_t n = 0;
	int rc = rulefile_load(name, text, len, b->cctx, &list, &n, err);

	if (rc < 0)
		return rc;
	return commit_or_free(b, list, n, 0, err);
}

int
tsblog_builder_add_string(tsblog_builder *b, const char *name,
			  const char *text, size_t len, tsblog_error *err)
{
	char *copy;

	if (!b || (!text && len))
		return err_inval(err, "tsblog_builder_add_string: NULL argument");
	copy = malloc(len + 1);
	if (!copy)
		return err_nomem(err);
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return add_text(b, name ? name : "<string>", copy, len, err);
}

/* The rules of one bundled file, loaded and checked when the library was
 * built: no JSON to parse, no pattern to compile until a rule is needed. */
static int
add_static(tsblog_builder *b, const builtin_rule_file *bf, tsblog_error *err)
{
	struct tsblog_rule **list = calloc(bf->nrules + 1, sizeof(*list));
	rule_file *f = calloc(1, sizeof(*f));
	size_t n = 0;
	int rc = TSBLOG_ENOMEM;

	if (list && f) {
		f->name = (char *)bf->name;
		f->text = (char *)bf->text;
		f->len = bf->len;
		f->refs = 1;
		f->borrowed = 1;
		while (n < bf->nrules && (list[n] = rule_borrow(&bf->rules[n], f)))
			n++;
		rc = n < bf->nrules ? TSBLOG_ENOMEM : 0;
	}
	rc = commit_or_free(b, list, n, rc, err);
	rule_file_unref(f);
	return rc;
}

int
tsblog_builder_add_builtin(tsblog_builder *b, tsblog_error *err)
{
	size_t i;
	int rc;

	if (!b)
		return err_inval(err, "tsblog_builder_add_builtin: b is NULL");
	for (i = 0; i < tsblog_builtin_nfiles; i++) {
		rc = add_static(b, &tsblog_builtin_files[i], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
tsblog_builder_add_file(tsblog_builder *b, const char *path,
			tsblog_error *err)
{
	err_where w = { path, NULL, 0 };
	struct stat sb;
	buf_t text = { 0 };
	size_t want;
	ssize_t n;
	int fd;

	if (!b || !path)
		return err_inval(err, "tsblog_builder_add_file: NULL argument");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_raise(err, TSBLOG_EIO, &w, NO_POS, NULL, NULL,
			  "cannot open rule file: %s", strerror(errno));
		return TSBLOG_EIO;
	}
	/* A regular file's room in one piece, as big as it says it is,
	 * filled ahead and read in one call (it was read 64 KiB at a time
	 * into a buffer grown by doubling). */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size <= MAX_RULE_FILE) {
		if (buf_reserve(&text, (size_t)sb.st_size + 1) < 0)
			goto nomem;
		mem_prefault(text.data, (size_t)sb.st_size + 1);
	}
	/* Read no more than one byte past the cap: rulefile_load() says
	 * the file is too large. */
	while (text.len <= MAX_RULE_FILE) {
		if (text.cap - text.len <= 1 && buf_reserve(&text, 65536) < 0)
			goto nomem;
		want = text.cap - text.len - 1;
		if (want > MAX_RULE_FILE + 1 - text.len)
			want = MAX_RULE_FILE + 1 - text.len;
		n = read(fd, text.data + text.len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			buf_free(&text);
			err_raise(err, TSBLOG_EIO, &w, NO_POS, NULL, NULL,
				  "cannot read rule file: %s", strerror(e));
			return TSBLOG_EIO;
		}
		if (n == 0)
			break;
		text.len += (size_t)n;
		text.data[text.len] = '\0';
	}
	close(fd);
	return add_text(b, path, text.data, text.len, err);
nomem:
	close(fd);
	buf_free(&text);
	return err_nomem(err);
}

int
tsblog_builder_build(tsblog_ruleset **out, tsblog_builder *b,
		     tsblog_error *err)
{
	tsblog_ruleset *rs;

	if (!out || !b)
		return err_inval(err, "tsblog_builder_build: NULL argument");
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return err_nomem(err);
	rs->opts = b->opts;
	rs->rules = b->rules;
	rs->nrules = b->nrules;
	rs->ids = b->ids;
	if (ruleset_prepare(rs) < 0) {
		/* The builder still owns the rules. */
		free(rs);
		return err_nomem(err);
	}
	memset(&b->ids, 0, sizeof(b->ids));
	b->rules = NULL;
	b->nrules = b->caprules = 0;
	*out = rs;
	return 0;
}

int
tsblog_ruleset_new_builtin(tsblog_ruleset **out, tsblog_error *err)
{
	tsblog_builder *b;
	int rc;

	if (!out)
		return err_inval(err, "tsblog_ruleset_new_builtin: out is NULL");
	rc = tsblog_builder_new(&b, NULL, err);
	if (rc < 0)
		return rc;
	rc = tsblog_builder_add_builtin(b, err);
	if (rc == 0)
		rc = tsblog_builder_build(out, b, err);
	tsblog_builder_free(b);
	return rc;
}
