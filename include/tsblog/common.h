/**
 * @file tsblog/common.h
 * @brief Export and C++ linkage macros shared by every public header.
 */
#ifndef TSBLOG_COMMON_H
#define TSBLOG_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define TSBLOG_BEGIN_DECL extern "C" {
#define TSBLOG_END_DECL }
#else
#define TSBLOG_BEGIN_DECL
#define TSBLOG_END_DECL
#endif

/* The library is built with hidden visibility; only what is marked here is
 * exported, and tests/check-exports.sh keeps this in step with libtsblog.map. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define TSBLOG_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define TSBLOG_EXTERN(type) extern type
#endif

#endif
