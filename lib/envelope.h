/* Envelope recognisers (envelope.c): stateless, one line at a time. */
#ifndef TSBLOG_ENVELOPE_H
#define TSBLOG_ENVELOPE_H

#include "level.h"
#include "tsblog-private.h"

static inline slice
sl(const char *p, size_t n)
{
	slice s = { p, n };
	return s;
}

size_t rfc3339_len(const char *p, size_t n);
size_t split_columns(const char *p, size_t n, slice *cols, size_t max);
uint64_t age_count(slice age);
int env_kubectl_prefix(record *rec);
int env_kubectl_timestamp(record *rec);
int env_console(record *rec, int meta);
int env_klog(record *rec);
int env_journald(record *rec);
void env_kv(record *rec);
int env_envoy(record *rec);
int env_logfmt(record *rec);
int env_stern(record *rec);
int env_maybe_wrapped(const char *p, size_t n);

#endif
