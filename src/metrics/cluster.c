/* Clusters: one failure kind (a non-2xx final code, or a primary cause) concentrated on one
 * destination, one responding element or one time window far beyond the rest of the trace.
 *
 * For a group g with a attempts, n of them of kind f, against the rest of the trace (A - a
 * attempts, N - n of kind f), g is a cluster of f when all of these hold:
 *   n >= min_count (5): one or two failures are never a pattern;
 *   n / a >= min_lift (3) x (N - n) / (A - a): the kind is far more common in g than elsewhere;
 *   P(X >= n) <= max_p (1e-6) for X ~ Binomial(a, (N - n) / (A - a)): chance alone would not
 *     put that many there, even across thousands of groups.
 * A group holding every attempt has no "rest" and is never a cluster: a trace-wide failure is
 * what the KPIs show. Definitions and examples: docs/metrics.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "metrics/metrics_int.h"

double metrics_binomial_tail(uint64_t n, uint64_t a, double r)
{
    if (n == 0)
        return 1;
    if (n > a)
        return 0;
    if (r <= 0)
        return 0;
    if (r >= 1)
        return 1;
    double la = lgamma((double)a + 1), lr = log(r), lq = log1p(-r);
    double sum = 0;
    for (uint64_t k = n; k <= a; k++) {
        double lt = la - lgamma((double)k + 1) - lgamma((double)(a - k) + 1) + (double)k * lr +
                    (double)(a - k) * lq;
        double t = exp(lt);
        sum += t;
        /* past the mode the terms shrink at least geometrically */
        if ((double)k > (double)a * r && (t < sum * 1e-17 || t == 0))
            break;
    }
    return sum < 1 ? sum : 1;
}

static uint64_t trace_count(const struct metrics *m, uint32_t kind)
{
    uint32_t v = kind & METRICS_KIND_VALUE;
    if (kind & METRICS_KIND_CODE)
        return v < 1000 ? m->codes[v] : 0;
    return v < diag_nrules ? m->rules[v].primary : 0;
}

static enum diag_severity kind_severity(uint32_t kind)
{
    uint32_t v = kind & METRICS_KIND_VALUE;
    if ((kind & METRICS_KIND_CAUSE) && v < diag_nrules && diag_rules[v]->severity > DIAG_WARNING)
        return diag_rules[v]->severity;
    return DIAG_WARNING;
}

static bool is_failure_kind(uint32_t kind)
{
    if (kind & METRICS_KIND_CAUSE)
        return true;
    return metrics_code_is_failure((uint16_t)(kind & METRICS_KIND_VALUE));
}

struct cl_list {
    struct metrics_cluster *v;
    uint32_t n, cap;
};

static void test_group(struct metrics *m, struct cl_list *out, enum metrics_dim dim,
                       const struct metrics_row *g)
{
    if (!g || g->attempts >= m->attempts)
        return;
    uint64_t rest_a = m->attempts - g->attempts;
    for (uint32_t i = 0; i < g->nkinds; i++) {
        const struct metrics_kind *k = &g->kinds[i];
        if (!is_failure_kind(k->kind) || k->count < m->o.cluster_min_count)
            continue;
        uint64_t total = trace_count(m, k->kind);
        uint64_t rest_n = total > k->count ? total - k->count : 0;
        double share = (double)k->count / (double)g->attempts;
        double rest_share = (double)rest_n / (double)rest_a;
        if (share < m->o.cluster_min_lift * rest_share)
            continue;
        double p = metrics_binomial_tail(k->count, g->attempts, rest_share);
        if (p > m->o.cluster_max_p)
            continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
        }
        out->v[out->n++] = (struct metrics_cluster){
            .dim = dim,
            .group = g,
            .kind = k,
            .group_attempts = g->attempts,
            .rest_count = rest_n,
            .rest_attempts = rest_a,
            .share = share,
            .rest_share = rest_share,
            .p_value = p,
            .severity = kind_severity(k->kind),
        };
    }
}

/* Most calls first; then dimension, group (key or start) and kind, for a stable order. */
static int cmp_cluster(const void *a, const void *b)
{
    const struct metrics_cluster *x = a, *y = b;
    if (x->kind->count != y->kind->count)
        return x->kind->count > y->kind->count ? -1 : 1;
    if (x->dim != y->dim)
        return x->dim < y->dim ? -1 : 1;
    if (x->dim == METRICS_DIM_WINDOW) {
        if (x->group->start_ns != y->group->start_ns)
            return x->group->start_ns < y->group->start_ns ? -1 : 1;
    } else {
        size_t n = x->group->key.len < y->group->key.len ? x->group->key.len : y->group->key.len;
        int c = n ? memcmp(x->group->key.p, y->group->key.p, n) : 0;
        if (c)
            return c;
        if (x->group->key.len != y->group->key.len)
            return x->group->key.len < y->group->key.len ? -1 : 1;
    }
    return (x->kind->kind > y->kind->kind) - (x->kind->kind < y->kind->kind);
}

void metrics_clusters_find(struct metrics *m)
{
    struct cl_list out = { 0 };
    for (uint32_t i = 0; i < m->dest.n; i++)
        test_group(m, &out, METRICS_DIM_DESTINATION, m->dest.rows[i]);
    for (uint32_t i = 0; i < m->elem.n; i++)
        test_group(m, &out, METRICS_DIM_ELEMENT, m->elem.rows[i]);
    for (uint32_t i = 0; m->has_time && i < m->buckets.n; i++)
        test_group(m, &out, METRICS_DIM_WINDOW, m->buckets.rows[i]);
    if (out.n)
        qsort(out.v, out.n, sizeof(*out.v), cmp_cluster);
    free(m->clusters);
    m->clusters = out.v;
    m->nclusters = out.n;
}

const char *metrics_dim_name(enum metrics_dim d)
{
    return d == METRICS_DIM_DESTINATION ? "destination"
           : d == METRICS_DIM_ELEMENT   ? "element"
                                        : "window";
}
