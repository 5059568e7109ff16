/* Distributions of durations (PDD, setup time, call duration): exact values up to a bound, then
 * a histogram, so that memory stays bounded however many calls a capture holds.
 *
 * Histogram shapes, on x = floor(ns / 1000) microseconds. A log-linear range cuts each power of
 * two [2^e, 2^(e+1)) into 2^S equal bins (values below 2^S us get a bin each); a linear range
 * has bins of a fixed width. A bin stands for its midpoint, clamped to the smallest and largest
 * value seen, so a value is off by at most half its bin (compact bins also keep the sum of their
 * values and stand for their mean: exact when the values of a bin are equal, as in load tests):
 *   fine (trace-wide): log-linear with S = 10 below 2^20 us (1.05 s): <= 0.049 % (sub-ms
 *     values stay sub-ms); 1024 us bins up to 2^32 us (71.6 min): <= 0.512 ms; log-linear with
 *     S = 12 beyond: <= 0.0122 %.
 *   compact (rows): log-linear with S = 6 throughout: <= 0.78 %.
 * Bins live in pages allocated on first use, so a distribution that spans a few seconds costs a
 * few pages. Not here: what the values mean (metrics.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "metrics/metrics.h"

#define TOP_EXP 54 /* INT64_MAX ns < 2^54 us */

struct shape {
    uint32_t s1, e1; /* log-linear with s1 sub-bits below 2^e1 */
    uint32_t w, e2;  /* then linear bins of 2^w up to 2^e2 (e2 == e1: none) */
    uint32_t s2;     /* then log-linear with s2 sub-bits */
    uint32_t page;   /* bins per page = 2^page */
    bool sums;       /* bins keep the sum of their values */
};

static const struct shape shape_fine = { 10, 20, 10, 32, 12, 12, false };
static const struct shape shape_compact = { 6, TOP_EXP, 0, TOP_EXP, 6, 6, true };

struct metrics_hist {
    const struct shape *sh;
    uint64_t nbins;
    uint32_t npages;
    uint64_t **pages; /* npages entries, NULL until used */
    double **sums;    /* the same for bin sums in ns (shapes with sums) */
    uint64_t *page_total;
};

static uint32_t floor_log2(uint64_t x)
{
    uint32_t e = 0;
    while (x >>= 1)
        e++;
    return e;
}

/* Bins of a log-linear range with s sub-bits over [0, 2^e_end). */
static uint64_t loglin_bins(uint32_t s, uint32_t e_end)
{
    return (1ull << s) + (uint64_t)(e_end - s) * (1ull << s);
}

static uint64_t loglin_index(uint64_t x, uint32_t s)
{
    if (x < (1ull << s))
        return x;
    uint32_t e = floor_log2(x);
    return (1ull << s) + (uint64_t)(e - s) * (1ull << s) + ((x >> (e - s)) - (1ull << s));
}

static void loglin_range(uint64_t bin, uint32_t s, uint64_t *lo, uint64_t *hi)
{
    if (bin < (1ull << s)) {
        *lo = bin;
        *hi = bin + 1;
        return;
    }
    uint64_t rel = bin - (1ull << s);
    uint32_t e = s + (uint32_t)(rel >> s);
    *lo = ((1ull << s) + (rel & ((1ull << s) - 1))) << (e - s);
    *hi = *lo + (1ull << (e - s));
}

static uint64_t bins_a(const struct shape *sh)
{
    return loglin_bins(sh->s1, sh->e1);
}

static uint64_t bins_b(const struct shape *sh)
{
    return ((1ull << sh->e2) - (1ull << sh->e1)) >> sh->w;
}

static uint64_t hist_bin(const struct shape *sh, uint64_t x)
{
    if (x >= (1ull << TOP_EXP))
        x = (1ull << TOP_EXP) - 1;
    if (x < (1ull << sh->e1))
        return loglin_index(x, sh->s1);
    if (x < (1ull << sh->e2))
        return bins_a(sh) + ((x - (1ull << sh->e1)) >> sh->w);
    /* octaves from e2 up: like a log-linear range whose first 2^s2 + (e2 - s2) 2^s2 bins
     * (everything below 2^e2) are not stored */
    return bins_a(sh) + bins_b(sh) + loglin_index(x, sh->s2) - loglin_bins(sh->s2, sh->e2);
}

/* [lo, hi) in microseconds. */
static void hist_range(const struct shape *sh, uint64_t bin, uint64_t *lo, uint64_t *hi)
{
    if (bin < bins_a(sh)) {
        loglin_range(bin, sh->s1, lo, hi);
        return;
    }
    bin -= bins_a(sh);
    if (bin < bins_b(sh)) {
        *lo = (1ull << sh->e1) + (bin << sh->w);
        *hi = *lo + (1ull << sh->w);
        return;
    }
    loglin_range(bin - bins_b(sh) + loglin_bins(sh->s2, sh->e2), sh->s2, lo, hi);
}

static struct metrics_hist *hist_new(bool is_compact)
{
    struct metrics_hist *h = xcalloc(1, sizeof(*h));
    h->sh = is_compact ? &shape_compact : &shape_fine;
    h->nbins = bins_a(h->sh) + bins_b(h->sh) + loglin_bins(h->sh->s2, TOP_EXP) -
               loglin_bins(h->sh->s2, h->sh->e2);
    h->npages = (uint32_t)((h->nbins + (1ull << h->sh->page) - 1) >> h->sh->page);
    h->pages = xcalloc(h->npages, sizeof(*h->pages));
    h->sums = xcalloc(h->npages, sizeof(*h->sums));
    h->page_total = xcalloc(h->npages, sizeof(*h->page_total));
    return h;
}

static void hist_free(struct metrics_hist *h)
{
    if (!h)
        return;
    for (uint32_t i = 0; i < h->npages; i++) {
        free(h->pages[i]);
        free(h->sums[i]);
    }
    free(h->pages);
    free(h->sums);
    free(h->page_total);
    free(h);
}

/* n values in the bin of v_ns, whose sum is sum_ns. */
static void hist_add(struct metrics_hist *h, int64_t v_ns, uint64_t n, double sum_ns)
{
    uint64_t bin = hist_bin(h->sh, (uint64_t)v_ns / 1000);
    uint64_t page = bin >> h->sh->page, i = bin & ((1ull << h->sh->page) - 1);
    if (!h->pages[page]) {
        h->pages[page] = xcalloc(1ull << h->sh->page, sizeof(uint64_t));
        if (h->sh->sums)
            h->sums[page] = xcalloc(1ull << h->sh->page, sizeof(double));
    }
    h->pages[page][i] += n;
    if (h->sh->sums)
        h->sums[page][i] += sum_ns;
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
        hist_add(d->hist, d->samples[i], 1, (double)d->samples[i]);
    free(d->samples);
    d->samples = NULL;
    d->nsamples = d->samples_cap = 0;
}

static void add_value(struct metrics_dist *d, int64_t v)
{
    if (!d->hist && d->nsamples >= d->exact_cap)
        to_hist(d);
    if (d->hist) {
        hist_add(d->hist, v, 1, (double)v);
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
        const struct metrics_hist *fh = from->hist;
        for (uint32_t p = 0; p < fh->npages; p++) {
            if (!fh->page_total[p])
                continue;
            uint64_t base = (uint64_t)p << fh->sh->page;
            for (uint64_t i = 0; i < (1ull << fh->sh->page); i++) {
                uint64_t n = fh->pages[p][i];
                if (!n)
                    continue;
                uint64_t lo, hi;
                hist_range(fh->sh, base + i, &lo, &hi);
                double sum = fh->sh->sums ? fh->sums[p][i] : (double)(lo + hi) * 500.0 * (double)n;
                hist_add(into->hist, (int64_t)(lo * 1000), n, sum);
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

/* Value of rank k (0-based) in the histogram: its bin's mean (shapes with sums) or midpoint,
 * clamped to [min, max]. */
static double hist_rank(const struct metrics_dist *d, uint64_t k)
{
    const struct metrics_hist *h = d->hist;
    uint64_t seen = 0;
    for (uint32_t p = 0; p < h->npages; p++) {
        if (seen + h->page_total[p] <= k) {
            seen += h->page_total[p];
            continue;
        }
        for (uint64_t i = 0; i < (1ull << h->sh->page); i++) {
            seen += h->pages[p][i];
            if (seen <= k)
                continue;
            uint64_t lo, hi;
            hist_range(h->sh, ((uint64_t)p << h->sh->page) + i, &lo, &hi);
            double mid = h->sh->sums ? h->sums[p][i] / (double)h->pages[p][i]
                                     : (double)(lo + hi) * 0.5 * 1000.0;
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
