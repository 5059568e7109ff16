/* Distributions of durations (PDD, setup time, call duration): exact values up to a bound, then
 * a histogram, so that memory stays bounded however many calls a capture holds.
 *
 * Histogram shape (values in whole milliseconds, x = floor(ns / 1e6)): x below 2^L has a bin of
 * its own (1 ms wide); above, each power of two [2^e, 2^(e+1)) is cut into 2^S equal bins. A
 * bin stands for its midpoint, clamped to the smallest and largest value seen. So a value is
 * off by at most 0.5 ms below 2^L ms and by at most 2^-(S+1) of itself above:
 *   fine    (trace-wide): L = 22 (about 70 min), S = 12: <= 0.5 ms, then <= 0.0123 %;
 *   compact (rows):       L = 7  (128 ms),       S = 6:  <= 0.5 ms, then <= 0.79 %.
 * Bins live in pages of 2^S counters allocated on first use, so a distribution that spans a few
 * seconds costs a few pages. Not here: what the values mean (metrics.c). */
#include "metrics/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define NS_PER_MS   1000000LL
#define TOP_OCTAVE  44 /* INT64_MAX ns < 2^44 ms */

struct metrics_hist {
    uint32_t L, S;
    uint32_t npages;
    uint64_t **pages;    /* npages entries, NULL until used */
    uint64_t *page_total;
};

static void shape(bool compact, uint32_t *L, uint32_t *S)
{
    *L = compact ? 7 : 22;
    *S = compact ? 6 : 12;
}

static struct metrics_hist *hist_new(bool compact)
{
    struct metrics_hist *h = xcalloc(1, sizeof(*h));
    shape(compact, &h->L, &h->S);
    h->npages = (1u << (h->L - h->S)) + (TOP_OCTAVE - h->L);
    h->pages = xcalloc(h->npages, sizeof(*h->pages));
    h->page_total = xcalloc(h->npages, sizeof(*h->page_total));
    return h;
}

static void hist_free(struct metrics_hist *h)
{
    if (!h)
        return;
    for (uint32_t i = 0; i < h->npages; i++)
        free(h->pages[i]);
    free(h->pages);
    free(h->page_total);
    free(h);
}

static uint32_t floor_log2(uint64_t x)
{
    uint32_t e = 0;
    while (x >>= 1)
        e++;
    return e;
}

static uint64_t hist_bin(const struct metrics_hist *h, uint64_t x)
{
    if (x < (1ull << h->L))
        return x;
    uint32_t e = floor_log2(x);
    if (e >= TOP_OCTAVE) { /* cannot happen for int64 nanoseconds; keeps the index in range */
        e = TOP_OCTAVE - 1;
        x = (2ull << e) - 1;
    }
    return (1ull << h->L) + (uint64_t)(e - h->L) * (1ull << h->S) +
           ((x >> (e - h->S)) - (1ull << h->S));
}

/* [lo, hi) in milliseconds. */
static void hist_range(const struct metrics_hist *h, uint64_t bin, uint64_t *lo, uint64_t *hi)
{
    if (bin < (1ull << h->L)) {
        *lo = bin;
        *hi = bin + 1;
        return;
    }
    uint64_t rel = bin - (1ull << h->L);
    uint32_t e = h->L + (uint32_t)(rel >> h->S);
    uint64_t sub = rel & ((1ull << h->S) - 1);
    *lo = ((1ull << h->S) + sub) << (e - h->S);
    *hi = *lo + (1ull << (e - h->S));
}

static void hist_add(struct metrics_hist *h, int64_t v_ns, uint64_t n)
{
    uint64_t bin = hist_bin(h, (uint64_t)(v_ns / NS_PER_MS));
    uint64_t page = bin >> h->S;
    if (!h->pages[page])
        h->pages[page] = xcalloc(1ull << h->S, sizeof(uint64_t));
    h->pages[page][bin & ((1ull << h->S) - 1)] += n;
    h->page_total[page] += n;
}

void metrics_dist_init(struct metrics_dist *d, uint32_t exact_cap, bool compact)
{
    memset(d, 0, sizeof(*d));
    d->exact_cap = exact_cap;
    d->compact = compact;
}

void metrics_dist_free(struct metrics_dist *d)
{
    free(d->samples);
    hist_free(d->hist);
    d->samples = NULL;
    d->hist = NULL;
}

static void to_hist(struct metrics_dist *d)
{
    d->hist = hist_new(d->compact);
    for (uint32_t i = 0; i < d->nsamples; i++)
        hist_add(d->hist, d->samples[i], 1);
    free(d->samples);
    d->samples = NULL;
    d->nsamples = d->samples_cap = 0;
}

static void add_value(struct metrics_dist *d, int64_t v)
{
    if (!d->hist && d->nsamples >= d->exact_cap)
        to_hist(d);
    if (d->hist) {
        hist_add(d->hist, v, 1);
        return;
    }
    if (d->nsamples == d->samples_cap) {
        uint32_t ncap = d->samples_cap ? d->samples_cap * 2 : 8;
        if (ncap > d->exact_cap)
            ncap = d->exact_cap;
        d->samples = xrealloc(d->samples, (size_t)ncap * sizeof(*d->samples));
        d->samples_cap = ncap;
    }
    d->samples[d->nsamples++] = v;
    d->sorted = false;
}

static void account(struct metrics_dist *d, int64_t v, uint64_t n, long double sum)
{
    if (d->count == 0 || v < d->min_ns)
        d->min_ns = v;
    if (d->count == 0 || v > d->max_ns)
        d->max_ns = v;
    d->count += n;
    d->sum_ns += sum;
}

void metrics_dist_add(struct metrics_dist *d, int64_t v_ns)
{
    if (v_ns < 0)
        return;
    account(d, v_ns, 1, (long double)v_ns);
    add_value(d, v_ns);
}

void metrics_dist_merge(struct metrics_dist *into, const struct metrics_dist *from)
{
    if (from->count == 0)
        return;
    int64_t old_min = into->min_ns, old_max = into->max_ns;
    bool had = into->count > 0;
    for (uint32_t i = 0; i < from->nsamples; i++)
        add_value(into, from->samples[i]);
    if (from->hist) {
        if (!into->hist)
            to_hist(into);
        for (uint32_t p = 0; p < from->hist->npages; p++) {
            if (!from->hist->page_total[p])
                continue;
            uint64_t base = (uint64_t)p << from->hist->S;
            for (uint64_t i = 0; i < (1ull << from->hist->S); i++) {
                uint64_t n = from->hist->pages[p][i];
                if (!n)
                    continue;
                uint64_t lo, hi;
                hist_range(from->hist, base + i, &lo, &hi);
                hist_add(into->hist, (int64_t)(lo * NS_PER_MS), n);
            }
        }
    }
    into->count += from->count;
    into->sum_ns += from->sum_ns;
    into->min_ns = had && old_min < from->min_ns ? old_min : from->min_ns;
    into->max_ns = had && old_max > from->max_ns ? old_max : from->max_ns;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Value of rank k (0-based) in the histogram: its bin's midpoint, clamped to [min, max]. */
static double hist_rank(const struct metrics_dist *d, uint64_t k)
{
    const struct metrics_hist *h = d->hist;
    uint64_t seen = 0;
    for (uint32_t p = 0; p < h->npages; p++) {
        if (seen + h->page_total[p] <= k) {
            seen += h->page_total[p];
            continue;
        }
        for (uint64_t i = 0; i < (1ull << h->S); i++) {
            seen += h->pages[p][i];
            if (seen <= k)
                continue;
            uint64_t lo, hi;
            hist_range(h, ((uint64_t)p << h->S) + i, &lo, &hi);
            double mid = (double)(lo + hi) * 0.5 * (double)NS_PER_MS;
            if (mid < (double)d->min_ns)
                mid = (double)d->min_ns;
            if (mid > (double)d->max_ns)
                mid = (double)d->max_ns;
            return mid;
        }
    }
    return (double)d->max_ns;
}

static double rank_value(struct metrics_dist *d, uint64_t k)
{
    if (d->hist)
        return hist_rank(d, k);
    return (double)d->samples[k];
}

double metrics_dist_quantile(struct metrics_dist *d, double q)
{
    if (d->count == 0)
        return -1;
    if (!d->hist && !d->sorted) {
        qsort(d->samples, d->nsamples, sizeof(*d->samples), cmp_i64);
        d->sorted = true;
    }
    if (q <= 0)
        return (double)d->min_ns;
    if (q >= 1)
        return (double)d->max_ns;
    double h = (double)(d->count - 1) * q;
    double lo_rank = floor(h);
    uint64_t k = (uint64_t)lo_rank;
    double lo = rank_value(d, k);
    if (k + 1 >= d->count)
        return lo;
    double hi = rank_value(d, k + 1);
    return lo + (h - lo_rank) * (hi - lo);
}

void metrics_dist_stats(struct metrics_dist *d, struct metrics_stats *s)
{
    memset(s, 0, sizeof(*s));
    s->count = d->count;
    s->exact = d->hist == NULL;
    if (!d->count)
        return;
    s->mean_ns = (double)(d->sum_ns / (long double)d->count);
    s->p50_ns = metrics_dist_quantile(d, 0.50);
    s->p90_ns = metrics_dist_quantile(d, 0.90);
    s->p99_ns = metrics_dist_quantile(d, 0.99);
    s->max_ns = d->max_ns;
}
