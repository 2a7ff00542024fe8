/*
 * Compressed inputs and archives, through libarchive: gzip and zstd
 * (libarchive's filters over its "raw" format) and tar and zip, each
 * member an input of its own, a compressed member (a rotated log in a
 * support bundle) opened in turn.  One library does all four; the bytes
 * go to the scanner's callback API, as a pipe's do.
 *
 * libarchive is opened with dlopen() when the first packed input comes:
 * linked, it and what it pulls in (libxml2, ICU, libstdc++: 17 libraries)
 * cost every run about 9 ms of CPU at start-up, more than everything else
 * tsblog does on an empty input.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scan.h"

/* The library Debian's libarchive13 ships (its soname since 3.0). */
#define LIBARCHIVE "libarchive.so.13"

/* Every libarchive function used below. */
#define LA_FUNCS(X) \
	X(archive_entry_filetype) X(archive_entry_pathname) \
	X(archive_errno) X(archive_error_string) X(archive_format) \
	X(archive_read_data) X(archive_read_free) X(archive_read_new) \
	X(archive_read_next_header) X(archive_read_open) \
	X(archive_read_set_seek_callback) \
	X(archive_read_support_filter_gzip) \
	X(archive_read_support_filter_zstd) \
	X(archive_read_support_format_raw) \
	X(archive_read_support_format_tar) \
	X(archive_read_support_format_zip) X(archive_set_error)

#define LA_POINTER(f) __typeof__(f) *f;
static struct {
	LA_FUNCS(LA_POINTER)
} la;
static const char *la_error;    /* why it could not be loaded */
static pthread_once_t la_once = PTHREAD_ONCE_INIT;

static void
la_load(void)
{
	void *h = dlopen(LIBARCHIVE, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		la_error = dlerror();
		return;
	}
#define LA_SYM(f) \
	if (!la_error && !(*(void **)&la.f = dlsym(h, #f))) \
		la_error = dlerror();
	LA_FUNCS(LA_SYM)
}

/* Calls below go through the table. */
#define LA_CALL(f) (*la.f)
#define archive_entry_filetype LA_CALL(archive_entry_filetype)
#define archive_entry_pathname LA_CALL(archive_entry_pathname)
#define archive_errno LA_CALL(archive_errno)
#define archive_error_string LA_CALL(archive_error_string)
#define archive_format LA_CALL(archive_format)
#define archive_read_data LA_CALL(archive_read_data)
#define archive_read_free LA_CALL(archive_read_free)
#define archive_read_new LA_CALL(archive_read_new)
#define archive_read_next_header LA_CALL(archive_read_next_header)
#define archive_read_open LA_CALL(archive_read_open)
#define archive_read_set_seek_callback LA_CALL(archive_read_set_seek_callback)
#define archive_read_support_filter_gzip LA_CALL(archive_read_support_filter_gzip)
#define archive_read_support_filter_zstd LA_CALL(archive_read_support_filter_zstd)
#define archive_read_support_format_raw LA_CALL(archive_read_support_format_raw)
#define archive_read_support_format_tar LA_CALL(archive_read_support_format_tar)
#define archive_read_support_format_zip LA_CALL(archive_read_support_format_zip)
#define archive_set_error LA_CALL(archive_set_error)

/* A tar.gz inside a zip inside a tar is read; deeper is refused. */
#define MAX_DEPTH 4

int
is_packed(const char *p, size_t n)
{
	static const char *const magic[] = {
		"\x1f\x8b",          /* gzip */
		"\x28\xb5\x2f\xfd",  /* zstd */
		"PK\x03\x04",        /* zip */
		"PK\x05\x06",        /* an empty zip */
	};
	size_t i;

	for (i = 0; i < sizeof(magic) / sizeof(*magic); i++)
		if (n >= strlen(magic[i]) && !memcmp(p, magic[i], strlen(magic[i])))
			return 1;
	/* POSIX and GNU tar: "ustar" in the first header. */
	return n >= 262 && !memcmp(p + 257, "ustar", 5);
}

/* Where an archive's bytes come from: the first @n bytes already read
 * (@peek), then a file descriptor or a member of the enclosing archive. */
typedef struct {
	const char *peek;
	size_t n;
	int fd;
	off_t start;            /* a regular file's offset; -1: a pipe */
	struct archive *outer;
	char buf[READ_CHUNK];
} source;

/* A regular file can seek: a zip is then read through its central
 * directory, and a member that cannot be inflated is skipped. */
static la_int64_t
source_seek(struct archive *a, void *ctx, la_int64_t off, int whence)
{
	source *src = ctx;
	off_t r;

	if (whence == SEEK_SET)
		off += src->start;
	r = lseek(src->fd, (off_t)off, whence);
	if (r < 0)
		archive_set_error(a, errno, "%s", strerror(errno));
	return r < 0 ? ARCHIVE_FATAL : r - src->start;
}

static la_ssize_t
source_read(struct archive *a, void *ctx, const void **out)
{
	source *src = ctx;
	la_ssize_t n;

	if (src->n) {
		*out = src->peek;
		n = (la_ssize_t)src->n;
		src->n = 0;
		return n;
	}
	*out = src->buf;
	if (src->outer) {
		n = archive_read_data(src->outer, src->buf, sizeof(src->buf));
		if (n < 0)
			archive_set_error(a, archive_errno(src->outer), "%s",
					  archive_error_string(src->outer));
		return n;
	}
	do
		n = read(src->fd, src->buf, sizeof(src->buf));
	while (n < 0 && errno == EINTR && !scan_interrupted);
	if (n < 0)
		archive_set_error(a, errno, "%s", strerror(errno));
	return n;
}

static void scan_archive(scan_state *st, source *src, const char *name,
			 int depth);

/* Read up to @size bytes of the current member; <0 on an error. */
static la_ssize_t
read_full(struct archive *a, char *buf, size_t size)
{
	size_t got = 0;
	la_ssize_t n = 1;

	while (got < size && !scan_interrupted &&
	       (n = archive_read_data(a, buf + got, size - got)) > 0)
		got += (size_t)n;
	/* What came before an error is scanned; the error comes next. */
	return got ? (la_ssize_t)got : n;
}

/* One member: a compressed or archive member is opened in turn, a
 * binary one skipped, a text one scanned.  Returns -1 when @a can be
 * read no further. */
static int
scan_member(scan_state *st, struct archive *a, const char *name, int depth)
{
	input_status status = INPUT_READ;
	tsblog_error err;
	char *buf = malloc(READ_CHUNK);
	la_ssize_t n;
	int rc = 0;

	if (!buf) {
		print_error("out of memory");
		st->trouble = 1;
		return -1;
	}
	n = read_full(a, buf, BINARY_PEEK);
	if (n > 0 && depth < MAX_DEPTH && is_packed(buf, (size_t)n)) {
		source *inner = malloc(sizeof(*inner));
		if (inner) {
			inner->peek = buf;
			inner->n = (size_t)n;
			inner->outer = a;
			inner->start = -1;
			scan_archive(st, inner, name, depth + 1);
			free(inner);
		}
		free(buf);
		return inner ? 0 : -1;
	}
	if (input_begin(st, st->s, name, 0) < 0) {
		free(buf);
		return -1;
	}
	if (n > 0 && !st->o->text && memchr(buf, 0, (size_t)n))
		status = INPUT_BINARY;
	while (n > 0 && rc == 0 && status == INPUT_READ) {
		rc = input_scan(st, st->s, buf, (size_t)n, &err);
		n = rc == 0 ? read_full(a, buf, READ_CHUNK) : 0;
	}
	if (n < 0) {
		print_error("%s: %s", name, archive_error_string(a));
		status = INPUT_UNREADABLE;
	}
	if (scan_interrupted)
		status = INPUT_INTERRUPTED;
	else if (rc == 0)
		rc = input_finish(st, st->s, &err);
	input_end(st, st->s, name, status, rc, &err);
	free(buf);
	return n == ARCHIVE_FATAL ? -1 : 0;
}

/* Every member of @src from the @skip-th on; how many members it has, or
 * -1 when member k could not be read and @src can be reopened past it:
 * then *skip is k + 1. */
static long
scan_members(scan_state *st, source *src, const char *name, int depth,
	     long *skip)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	long members = 0, k = *skip;
	char *member;
	int r;

	if (!a) {
		print_error("out of memory");
		st->trouble = 1;
		return 0;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_raw(a);
	if (src->start >= 0) {
		lseek(src->fd, src->start, SEEK_SET);
		archive_read_set_seek_callback(a, source_seek);
	}
	r = archive_read_open(a, src, NULL, source_read, NULL);
	while (r == ARCHIVE_OK && !scan_stopping(st) &&
	       ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
		r == ARCHIVE_WARN)) {
		r = ARCHIVE_OK;
		member = NULL;
		/* A compressed file is one member called "data". */
		if (archive_format(a) != ARCHIVE_FORMAT_RAW) {
			if (archive_entry_filetype(e) != AE_IFREG)
				continue;
			if (members++ < k)
				continue; /* read before a reopening */
			if (asprintf(&member, "%s:%s", name,
				     archive_entry_pathname(e)) < 0) {
				print_error("out of memory");
				st->trouble = 1;
				break;
			}
		} else {
			members++;
		}
		if (scan_member(st, a, member ? member : name, depth) < 0) {
			/* A broken stream: what follows cannot be found,
			 * unless a zip's directory says where. */
			if (member && src->start >= 0 &&
			    archive_format(a) == ARCHIVE_FORMAT_ZIP) {
				*skip = members;
				members = -1;
			} else if (member) {
				print_error("%s: not read past %s", name, member);
			}
			r = ARCHIVE_EOF;
		}
		free(member);
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && !scan_interrupted) {
		print_error("%s: %s%s", name,
			    members ? "not read to its end: " : "",
			    archive_error_string(a));
		add_input(st, name, INPUT_UNREADABLE);
	} else if (!members) {
		/* An empty archive, or Ctrl-C before its first member. */
		add_input(st, name, scan_interrupted ? INPUT_INTERRUPTED
						     : INPUT_READ);
	}
	archive_read_free(a);
	return members;
}

static void
scan_archive(scan_state *st, source *src, const char *name, int depth)
{
	long skip = 0;

	while (scan_members(st, src, name, depth, &skip) < 0)
		;
}

void
scan_packed(scan_state *st, int fd, const char *name, const char *peek,
	    size_t n)
{
	source *src;

	pthread_once(&la_once, la_load);
	if (la_error) {
		print_error("%s: cannot read a compressed file or archive: %s",
			    name, la_error);
		add_input(st, name, INPUT_UNREADABLE);
		return;
	}
	src = malloc(sizeof(*src));
	if (!src) {
		print_error("out of memory");
		st->trouble = 1;
		return;
	}
	/* A pipe's first block was read already and is given back first;
	 * a regular file was only peeked at (@peek is NULL). */
	src->n = peek ? n : 0;
	src->peek = peek;
	src->fd = fd;
	src->outer = NULL;
	src->start = peek ? -1 : lseek(fd, 0, SEEK_CUR);
	scan_archive(st, src, name, 0);
	free(src);
}
