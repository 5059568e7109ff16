/* Writers for one call: the `calls` line, the NDJSON object, and the non-call summary. */
#ifndef REPORT_CALLS_H
#define REPORT_CALLS_H

#include "base/buf.h"
#include "diag/diag.h"
#include "engine/engine.h"

/* One text line: seq, start time, final code, legs, PDD/setup/duration, From -> To, Call-ID. */
void report_call_text(struct buf *b, const struct call *c);
/* The same without the newline, so a caller can append to the line. */
void report_call_text_open(struct buf *b, const struct call *c);

/* Fields of the call object without the surrounding braces, so callers can add their own
 * (category, findings). Schema in docs/calls-json.md. */
void report_call_json_fields(struct buf *b, const struct call *c);

/* ,"category":..,"cause":..,"findings":[...] for a call's diagnosis (leading comma included). */
void report_findings_json(struct buf *b, const struct call *c, const struct diag_out *d,
                          bool callmeter);

/* "  CATEGORY cause" suffix for the text line. */
void report_findings_text(struct buf *b, const struct call *c, const struct diag_out *d,
                          bool callmeter);

/* Milliseconds with microsecond precision, or null when ns < 0. */
void report_ms(struct buf *b, int64_t ns);

/* Aggregate of the Call-ID groups that are not calls (REGISTER, OPTIONS, SUBSCRIBE ...). */
struct noncall_summary {
    uint64_t groups;
    uint64_t mid_dialog; /* groups with only in-dialog requests: calls begun before the capture */
    uint64_t txns[SIP_M__COUNT];        /* transactions by method */
    uint64_t unanswered[SIP_M__COUNT];  /* ... that got no final response */
    uint64_t codes[SIP_M__COUNT][7];    /* ... by final class 1..6 (index = code / 100) */
    uint64_t other_txns;                /* extension methods */
};

void noncall_add(struct noncall_summary *s, const struct call *c);
void report_noncall_text(struct buf *b, const struct noncall_summary *s);
void report_noncall_json(struct buf *b, const struct noncall_summary *s);



/* Engine counters (non-zero ones) as text lines / as a JSON object. */
void report_engine_text(struct buf *b, const struct engine_stats *st);
void report_engine_json(struct buf *b, const struct engine_stats *st);
#endif
