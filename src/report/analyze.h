/* Writers of `sipsleuth analyze`: the terminal report, the versioned JSON report
 * (docs/analyze-json.md) and the per-call CSV table. They format what metrics/ aggregated and
 * decide nothing; every key and Call-ID from the trace goes through the format's escaper. */
#ifndef REPORT_ANALYZE_H
#define REPORT_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "diag/diag.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "metrics/metrics.h"

#define REPORT_ANALYZE_SCHEMA "sipsleuth.analyze/1"

struct analyze_view {
    struct metrics *m; /* finished (metrics_finish); percentiles sort its values */
    const struct ingest_run *run;
    const struct engine_stats *est;
    uint32_t top;          /* rows shown per destination / element table */
    uint32_t top_clusters; /* clusters shown in text (JSON lists them all) */
    bool color;            /* ANSI colours (text only) */
    bool validated;        /* messages went through sip_validate (anomalies counted) */
};

/* The terminal report, at most 80 columns wide. */
void report_analyze_text(struct buf *b, const struct analyze_view *v);

/* One JSON object and a newline, schema REPORT_ANALYZE_SCHEMA. */
void report_analyze_json(struct buf *b, const struct analyze_view *v);

/* The per-call CSV table (RFC 4180): the header line, then one line per call. Columns are
 * documented in docs/metrics.md. */
void report_calls_csv_header(struct buf *b);
void report_call_csv(struct buf *b, const struct call *c, const struct diag_out *d, bool callmeter);

/* Totals of a table's calls outside the rows shown: the "(other)" line. */
struct analyze_rest {
    uint64_t attempts, answered, ner_effective, retrans;
    uint64_t cat[CAT__COUNT];
};
void report_analyze_rest(const struct metrics *m, const struct metrics_row *const *rows, uint32_t n,
                         struct analyze_rest *out);

/* How a failure kind reads: "503", "no final response" / "none", or the cause's rule id. */
const char *report_kind_label(uint32_t kind, char *tmp, size_t cap, bool json);

#endif
