/* metrics: the numbers operators and load testers live by — result categories, ASR, NER, PDD,
 * setup time, durations, final-code breakdowns, per destination and per element — and the
 * patterns (clusters) that stand out. Definitions: docs/metrics.md.
 *
 * metrics_add_call() takes each finalised call with its findings; nothing about a call is kept
 * beyond fixed-size aggregates, so memory does not grow with the number of calls beyond the
 * per-destination and per-element tables (bounded, with an "other" row past the limit). */
#ifndef METRICS_METRICS_H
#define METRICS_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

enum call_category {
    CAT_SUCCESS = 0,
    CAT_TIMEOUT,
    CAT_REJECTED,
    CAT_CANCELED,
    CAT_ERROR,
    CAT_REDIRECTED,
    CAT_INCOMPLETE,
    CAT__COUNT
};

/* Result category of a final code (DESIGN.md seed mapping): 2xx SUCCESS; 408, 480 TIMEOUT;
 * 486, 600, 603 REJECTED; 487 CANCELED; 3xx REDIRECTED; other 4xx-6xx ERROR; 0 (none)
 * INCOMPLETE. callmeter folds CANCELED into ERROR. */
enum call_category metrics_category(uint16_t final_code, bool callmeter);

/* "SUCCESS", "TIMEOUT", ... */
const char *metrics_category_name(enum call_category c);

#endif
