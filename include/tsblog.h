/**
 * @file tsblog.h
 * @brief libtsblog: turn Kubernetes service-mesh log lines into diagnoses.
 *
 * Compile rules once (tsblog/ruleset.h), then match lines (tsblog/matcher.h)
 * or stream whole logs (tsblog/scanner.h) and read their summary
 * (tsblog/summary.h), one matcher or scanner per thread.  Errors:
 * tsblog/errors.h.
 */
#ifndef TSBLOG_H
#define TSBLOG_H

#include "tsblog/common.h"
#include "tsblog/version.h"
#include "tsblog/errors.h"
#include "tsblog/ruleset.h"
#include "tsblog/diagnosis.h"
#include "tsblog/matcher.h"
#include "tsblog/scanner.h"
#include "tsblog/summary.h"

#endif
