/* Private to metrics/: rows, tables and time buckets, and what one call contributes to them. */
#ifndef METRICS_METRICS_INT_H
#define METRICS_METRICS_INT_H

#include "metrics/metrics.h"

/* What the aggregator takes from one call, computed once and added to every row it touches. */
struct call_facts {
    uint16_t code; /* final code, 0: none */
    enum call_category cat;
    bool effective; /* counts in the chosen NER */
    uint64_t retrans;
    int64_t pdd_ns, setup_ns, duration_ns;
    uint32_t cause_kind; /* METRICS_KIND_CAUSE | rule, or 0 */
    sv_t call_id;        /* the originating Call-ID */
};

void metrics_row_init(struct metrics_row *r, sv_t key);
void metrics_row_free(struct metrics_row *r);
void metrics_row_add(struct metrics_row *r, const struct call_facts *f);
/* Add everything of from into into (time buckets being widened). */
void metrics_row_merge(struct metrics_row *into, const struct metrics_row *from);
/* A copy of at most METRICS_ID_MAX bytes of v. */
struct metrics_id metrics_id_copy(sv_t v);

void metrics_table_init(struct metrics_table *t, uint32_t max_rows);
void metrics_table_free(struct metrics_table *t);
/* The row for key (created while the table has room), or the table's other row. */
struct metrics_row *metrics_table_row(struct metrics_table *t, sv_t key);

void metrics_buckets_init(struct metrics_buckets *b, int64_t fixed_width_ns);
void metrics_buckets_free(struct metrics_buckets *b);
/* The row of the bucket holding ts, widening the buckets first if needed. */
struct metrics_row *metrics_buckets_row(struct metrics_buckets *b, int64_t ts);

/* Clusters over the three dimensions into m->clusters (cluster.c). */
void metrics_clusters_find(struct metrics *m);

#endif
