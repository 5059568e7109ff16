/* metrics: the numbers operators and load testers live by — result categories, ASR, NER, PDD,
 * setup time, durations, final-code breakdowns, per destination, per element and per time
 * bucket — and the patterns (clusters) that stand out. Definitions: docs/metrics.md.
 *
 * metrics_add_call() takes each finalised call with its findings and keeps nothing of the call
 * beyond fixed-size aggregates, so memory does not grow with the number of calls:
 *   - distributions keep exact values up to a bound and then switch to a histogram with a
 *     documented precision (metrics_dist);
 *   - the per-destination and per-element tables hold at most max_rows keys each; calls whose
 *     key arrives after a table is full are added to the table's "other" row;
 *   - time buckets widen automatically so that there are never more than a few dozen.
 * Every key and example Call-ID kept here is a copy of trace bytes: writers must escape them.
 *
 * Not here: formatting (report/), deciding what is wrong with one call (diag/). */
#ifndef METRICS_METRICS_H
#define METRICS_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/htab.h"
#include "diag/diag.h"
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

/* Parse a category name (case-insensitive); -1 if unknown. */
int metrics_category_parse(const char *s);

/* The seed NER counts SUCCESS and TIMEOUT as effective (the CallMeter table). */
bool metrics_seed_effective(enum call_category c);

/* GSMA IR.42 style classes of a call outcome: an attempt is effective when it ends in an
 * answer, user busy, no answer (the callee was alerted and nobody answered) or a terminal
 * reject. rang: an 18x reached the caller before the final response. The code mapping is in
 * docs/metrics.md. */
enum metrics_ir42 {
    IR42_ANSWER = 0,
    IR42_USER_BUSY,
    IR42_NO_ANSWER,
    IR42_TERMINAL_REJECT,
    IR42_INEFFECTIVE,
    IR42__COUNT
};

enum metrics_ir42 metrics_ir42_class(uint16_t final_code, bool rang);
const char *metrics_ir42_name(enum metrics_ir42 k); /* "answer", "user_busy", ... */

enum metrics_ner {
    METRICS_NER_SEED = 0, /* (SUCCESS + TIMEOUT) / attempts */
    METRICS_NER_IR42,     /* (answer + user busy + no answer + terminal reject) / attempts */
};

/* ---- distributions ---- */

/* A distribution of non-negative durations in nanoseconds. The first exact_cap values are kept
 * as they are, so counts, means and percentiles are exact; past that every value goes into a
 * histogram whose precision is in dist.c and docs/metrics.md (fine: within 0.05 % below 1 s and
 * 0.52 ms up to 71 min; compact, for rows: within 0.78 %). count, mean, min and max stay exact
 * in both modes. */
struct metrics_hist;

struct metrics_dist {
    uint64_t count;
    long double sum_ns;
    int64_t min_ns, max_ns;
    uint32_t exact_cap; /* values kept exactly before switching to the histogram */
    uint32_t nsamples;  /* values in samples */
    uint32_t samples_cap;
    int64_t *samples; /* exact values (heap), NULL once hist is in use */
    bool sorted;
    bool compact; /* histogram shape: fine (trace-wide) or compact (rows) */
    struct metrics_hist *hist;
};

struct metrics_stats {
    uint64_t count;
    bool exact;     /* percentiles come from exact values */
    double mean_ns; /* the rest is meaningless when count is 0 */
    double p50_ns, p90_ns, p99_ns;
    int64_t max_ns;
};

/* compact: the smaller histogram shape used for rows. exact_cap 0 switches at once. */
void metrics_dist_init(struct metrics_dist *d, uint32_t exact_cap, bool compact);
void metrics_dist_free(struct metrics_dist *d);
/* Add one value; negative values are ignored (they mean "not applicable"). */
void metrics_dist_add(struct metrics_dist *d, int64_t v_ns);
/* Add everything of from into into (same shape); from is left unchanged. */
void metrics_dist_merge(struct metrics_dist *into, const struct metrics_dist *from);
/* Percentile q in [0, 1] by linear interpolation between the two closest ranks (the default
 * of numpy.percentile): h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 * Returns -1 when the distribution is empty. Sorts the exact values (hence not const). */
double metrics_dist_quantile(struct metrics_dist *d, double q);
void metrics_dist_stats(struct metrics_dist *d, struct metrics_stats *s);

/* ---- rows: one destination, element or time bucket ---- */

#define METRICS_KIND_CODE  0x10000u /* | final code (0: no final response) */
#define METRICS_KIND_CAUSE 0x20000u /* | rule index in diag_rules */
#define METRICS_KIND_VALUE 0xffffu
#define METRICS_ROW_KINDS  16  /* outcome kinds counted per row */
#define METRICS_EXAMPLES   3   /* example Call-IDs per row and kind */
#define METRICS_ID_MAX     256 /* bytes of an example Call-ID or a key kept */

/* A copy of at most METRICS_ID_MAX bytes of a trace string (a Call-ID, a key): heap, with a
 * NUL after len bytes for convenience, though the bytes may hold a NUL themselves. */
struct metrics_id {
    char *p;
    uint32_t len;
};

static inline sv_t metrics_id_sv(struct metrics_id id)
{
    return sv_make(id.p, id.len);
}

/* Calls of one kind (a final code or a primary cause) in one row. */
struct metrics_kind {
    uint32_t kind;
    uint32_t nex;
    uint64_t count;
    struct metrics_id ex[METRICS_EXAMPLES]; /* the first Call-IDs seen */
};

struct metrics_row {
    struct metrics_id key; /* destination or element; p == NULL for time buckets */
    int64_t start_ns;      /* time buckets: start of the bucket */
    uint64_t attempts, answered;
    uint64_t cat[CAT__COUNT];
    uint64_t ner_effective; /* under the chosen NER definition */
    uint64_t retrans, retrans_calls;
    struct metrics_dist pdd, setup, duration;
    struct metrics_kind *kinds;
    uint32_t nkinds, kinds_cap;
    uint64_t kinds_dropped; /* calls whose kind did not fit in METRICS_ROW_KINDS */
};

/* Keys past max_rows go to other. */
struct metrics_table {
    struct htab idx;
    struct metrics_row **rows; /* in order of first appearance */
    uint32_t n, cap, max_rows;
    struct metrics_row other; /* calls whose key arrived when the table was full */
};

struct metrics_buckets {
    int64_t width_ns;
    bool fixed;                /* --bucket: widened only past METRICS_MAX_FIXED_BUCKETS */
    uint32_t max;              /* most buckets held */
    int64_t first;             /* index (start / width) of rows[0] */
    struct metrics_row **rows; /* n entries, NULL where no call started */
    uint32_t n;
};

#define METRICS_AUTO_BUCKETS      30
#define METRICS_MAX_FIXED_BUCKETS 10000
#define METRICS_MAX_ROWS_DEFAULT  4096
#define METRICS_EXACT_DEFAULT     (1u << 20)
#define METRICS_ROW_EXACT         64
#define METRICS_RULE_EXAMPLES     5

struct metrics_rule_count {
    const struct diag_rule *rule;
    uint64_t calls;       /* calls with at least one finding of the rule */
    uint64_t occurrences; /* findings (a rule may fire on several legs of a call) */
    uint64_t primary;     /* calls whose outcome it explains (diag_primary) */
    uint32_t nex;
    struct metrics_id ex[METRICS_RULE_EXAMPLES];
};

enum metrics_dim {
    METRICS_DIM_DESTINATION = 0,
    METRICS_DIM_ELEMENT,
    METRICS_DIM_WINDOW,
};
const char *metrics_dim_name(enum metrics_dim d); /* "destination", "element", "window" */

/* A failure kind concentrated in one group far beyond the rest of the trace (docs/metrics.md):
 * count >= min_count, share >= min_lift x rest share, binomial tail p <= max_p. */
struct metrics_cluster {
    enum metrics_dim dim;
    const struct metrics_row *group;
    const struct metrics_kind *kind; /* in group->kinds (count and examples) */
    uint64_t group_attempts;
    uint64_t rest_count, rest_attempts;
    double share, rest_share;
    double p_value;
    enum diag_severity severity;
};

struct metrics_opts {
    bool callmeter; /* CANCELED folds into ERROR */
    enum metrics_ner ner;
    int64_t bucket_ns;          /* 0: automatic */
    uint32_t max_rows;          /* per table; 0: METRICS_MAX_ROWS_DEFAULT */
    uint32_t exact_samples;     /* trace-wide distributions; 0: METRICS_EXACT_DEFAULT */
    uint32_t cluster_min_count; /* 0: 5 */
    double cluster_min_lift;    /* 0: 3 */
    double cluster_max_p;       /* 0: 1e-6 */
};

struct metrics {
    struct metrics_opts o;
    uint64_t calls;   /* groups with an initial INVITE */
    uint64_t no_orig; /* ... of which without an originating leg (not attempts) */
    uint64_t attempts, answered;
    uint64_t cat[CAT__COUNT];
    uint64_t ner_seed, ir42[IR42__COUNT];
    struct metrics_dist pdd, setup, duration;
    uint64_t codes[1000]; /* attempts by final code, [0]: none */
    uint64_t retrans, retrans_calls;
    uint64_t auth_retried; /* attempts that went through a 401/407 challenge */
    uint64_t truncated, evicted, at_eof;
    uint64_t at_eof_incomplete;       /* attempts without a final response when input ended */
    struct metrics_rule_count *rules; /* diag_nrules entries, in rules.def order */
    uint64_t findings_by_sev[3], calls_by_sev[3]; /* calls with a finding of that severity */
    uint64_t primary_none;                        /* attempts without a primary cause */
    struct metrics_table dest, elem;
    struct metrics_buckets buckets;
    bool has_time;
    int64_t first_start, last_start; /* of attempts */
    /* traffic that is not a call */
    uint64_t nc_groups, nc_mid_dialog;
    uint64_t nc_txns[SIP_M__COUNT], nc_no_final[SIP_M__COUNT]; /* [SIP_M_UNKNOWN]: extensions */
    uint64_t (*nc_codes)[1000];                                /* [SIP_M__COUNT][1000] */
    /* after metrics_finish */
    struct metrics_cluster *clusters;
    uint32_t nclusters;
};

struct metrics *metrics_new(const struct metrics_opts *o);
void metrics_free(struct metrics *m);

/* Account one finalised call (c->flags has CALL_HAS_INVITE) and its findings (d may be NULL).
 * Nothing of c is kept: keys and example Call-IDs are copied. */
void metrics_add_call(struct metrics *m, const struct call *c, const struct diag_out *d);

/* Account a Call-ID group that is not a call (REGISTER, OPTIONS, in-dialog leftovers...). */
void metrics_add_noncall(struct metrics *m, const struct call *c);

/* After the last call: find clusters. has_time false (text traces without timestamps) skips
 * the time-window dimension. Call once. */
void metrics_finish(struct metrics *m, bool has_time);

/* num / den, or -1 when den is 0 (writers print null / "-"). */
double metrics_ratio(uint64_t num, uint64_t den);

/* NER numerator of the chosen definition. */
uint64_t metrics_ner_effective(const struct metrics *m);
const char *metrics_ner_name(enum metrics_ner n); /* "seed", "ir42" */

/* The rows of a table sorted by attempts (descending), then key; at most limit of them.
 * Returns the number written to out. */
uint32_t metrics_table_top(const struct metrics_table *t, uint32_t limit,
                           const struct metrics_row **out);

/* Calls of a kind in a row (0 if not counted). */
uint64_t metrics_row_kind(const struct metrics_row *r, uint32_t kind);

/* The most frequent failure kind of a row (a non-2xx final code or no final at all), or NULL. */
const struct metrics_kind *metrics_row_top_failure(const struct metrics_row *r);

/* P(X >= n) for X ~ Binomial(a, r): how surprising n failures among a calls would be at the
 * rest of the trace's rate r (the cluster test). */
double metrics_binomial_tail(uint64_t n, uint64_t a, double r);

/* Does this final code count as a failure kind for clusters (not 2xx)? */
bool metrics_code_is_failure(uint16_t code);

/* Per-call keys, shared by the aggregator and the per-call writers. */

/* The destination of a call: user@host of the first originating INVITE's Request-URI (host in
 * lower case), the host alone without a user part, or the URI as written when it does not
 * parse. Written to out (at most cap - 1 bytes, NUL-terminated); returns the length. */
size_t metrics_destination(const struct call *c, char *out, size_t cap);

/* The leg whose server decided the caller's outcome: from the originating leg, step down to the
 * child leg whose final response explains the parent's (docs/metrics.md). NULL without legs. */
const struct leg *metrics_deciding_leg(const struct call *c);

/* The responding element of a call ("ip:port" of the deciding leg's server) into out
 * (>= CAP_ADDR_STRLEN bytes); returns the length, 0 without legs. */
size_t metrics_element(const struct call *c, char *out, size_t cap);

/* Retransmitted messages of the call, every transaction (INVITE, CANCEL, ACK, BYE ...). */
uint64_t metrics_call_retransmissions(const struct call *c);

#endif
