/* Unit tests for metrics/dist.c: percentiles on known sets (numpy's linear method), the switch
 * from exact values to the histogram and its documented precision, merging. */
/* cmocka needs these headers first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "metrics/metrics.h"

#define MS 1000000LL

static void add_ms(struct metrics_dist *d, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        metrics_dist_add(d, (int64_t)llround(v[i] * MS));
}

/* Values computed with numpy.percentile(x, q) (method="linear"). */
static void test_percentiles_known_sets(void **state)
{
    (void)state;
    static const struct {
        double v[10];
        size_t n;
        double q, want;
    } cases[] = {
        { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.50, 5.5 },
        { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.90, 9.1 },
        { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 0.99, 9.91 },
        { { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 10, 0.50, 5.5 },
        { { 7 }, 1, 0.50, 7 },
        { { 7 }, 1, 0.99, 7 },
        { { 100, 200 }, 2, 0.50, 150 },
        { { 100, 200 }, 2, 0.90, 190 },
        { { 15, 20, 35, 40, 50 }, 5, 0.40, 29 },
        { { 15, 20, 35, 40, 50 }, 5, 0.90, 46 },
        { { 3, 1, 2 }, 3, 0.0, 1 },
        { { 3, 1, 2 }, 3, 1.0, 3 },
        { { 5, 5, 5, 5 }, 4, 0.99, 5 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct metrics_dist d;
        metrics_dist_init(&d, 1000, false);
        add_ms(&d, cases[i].v, cases[i].n);
        double got = metrics_dist_quantile(&d, cases[i].q) / MS;
        if (fabs(got - cases[i].want) > 1e-9)
            fail_msg("case %zu: q=%g got %.9f want %.9f", i, cases[i].q, got, cases[i].want);
        metrics_dist_free(&d);
    }
}

static void test_stats_and_empty(void **state)
{
    (void)state;
    struct metrics_dist d;
    metrics_dist_init(&d, 1000, false);
    struct metrics_stats s;
    metrics_dist_stats(&d, &s);
    assert_int_equal(s.count, 0);
    assert_true(metrics_dist_quantile(&d, 0.5) < 0);
    metrics_dist_add(&d, -1); /* "not applicable" */
    assert_int_equal(d.count, 0);
    static const double v[] = { 101, 102, 103, 250 };
    add_ms(&d, v, 4);
    metrics_dist_stats(&d, &s);
    assert_int_equal(s.count, 4);
    assert_true(s.exact);
    assert_true(fabs(s.mean_ns - 139 * MS) < 1);
    assert_int_equal(s.max_ns, 250 * MS);
    assert_true(fabs(s.p50_ns - 102.5 * MS) < 1);
    metrics_dist_free(&d);
}

/* A deterministic spread of values: xorshift, so the test is the same on every run. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Exact percentile of sorted values, the same definition. */
static double exact_q(const int64_t *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t k = (size_t)floor(h);
    if (k + 1 >= n)
        return (double)v[k];
    return (double)v[k] + (h - floor(h)) * (double)(v[k + 1] - v[k]);
}

/* After the switch, percentiles stay within half a bin of the exact ones: the larger of the
 * absolute bound of linear bins and the relative bound of log-linear bins (dist.c). */
static void check_precision(bool compact, int64_t max_ns, double abs_ms, double rel)
{
    enum {
        N = 200000
    };
    int64_t *all = malloc(N * sizeof(*all));
    struct metrics_dist d;
    metrics_dist_init(&d, 1000, compact);
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    long double sum = 0;
    for (size_t i = 0; i < N; i++) {
        all[i] = (int64_t)(rng_next(&seed) % (uint64_t)max_ns);
        if (i % 3 == 0) /* cluster a third of them low, as PDDs are */
            all[i] /= 50;
        sum += all[i];
        metrics_dist_add(&d, all[i]);
    }
    assert_non_null(d.hist);
    qsort(all, N, sizeof(*all), cmp_i64);
    static const double qs[] = { 0.01, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999 };
    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        double want = exact_q(all, N, qs[i]), got = metrics_dist_quantile(&d, qs[i]);
        double bound = fmax(abs_ms * MS, want * rel) + 1;
        if (fabs(got - want) > bound)
            fail_msg("q=%g: got %.0f ns, exact %.0f ns, bound %.0f", qs[i], got, want, bound);
    }
    struct metrics_stats s;
    metrics_dist_stats(&d, &s);
    assert_false(s.exact);
    assert_int_equal(s.count, N);
    assert_int_equal(s.max_ns, all[N - 1]);
    assert_true(fabs(s.mean_ns - (double)(sum / N)) < 1);
    metrics_dist_free(&d);
    free(all);
}

static void test_histogram_fine_linear_range(void **state)
{
    (void)state;
    check_precision(false, 60000 * MS, 0.512, 0.00049); /* up to a minute */
}

static void test_histogram_fine_log_range(void **state)
{
    (void)state;
    check_precision(false, 8LL * 3600 * 1000 * MS, 0.512, 0.000123); /* up to 8 h */
}

static void test_histogram_compact(void **state)
{
    (void)state;
    check_precision(true, 30000 * MS, 0.0005, 0.0079);
}

/* Just below the switch-over everything is exact; one more value switches. */
/* Sub-millisecond values (PDD on a LAN) keep sub-millisecond precision in the histogram. */
static void test_histogram_small_values(void **state)
{
    (void)state;
    struct metrics_dist d, r;
    metrics_dist_init(&d, 0, false);
    metrics_dist_init(&r, 0, true);
    for (int i = 0; i < 1000; i++) {
        metrics_dist_add(&d, 40000 + i * 10); /* 40 .. 50 us */
        metrics_dist_add(&r, 40000 + i * 10);
    }
    assert_non_null(d.hist);
    assert_true(fabs(metrics_dist_quantile(&d, 0.5) - 45000) <= 1000);
    assert_true(fabs(metrics_dist_quantile(&r, 0.5) - 45000) <= 1000);
    metrics_dist_free(&d);
    metrics_dist_free(&r);
}

/* Compact bins stand for the mean of their values: equal values stay exact (load tests). */
static void test_compact_bin_mean(void **state)
{
    (void)state;
    struct metrics_dist d;
    metrics_dist_init(&d, 4, true);
    for (int i = 0; i < 100; i++)
        metrics_dist_add(&d, 27990 * MS + (i % 2 ? 1000 : 0)); /* 27990.000 and 27990.001 ms */
    assert_non_null(d.hist);
    double p50 = metrics_dist_quantile(&d, 0.5);
    assert_true(fabs(p50 - (27990 * MS + 500)) < 1);
    metrics_dist_free(&d);
}

static void test_switch_over_point(void **state)
{
    (void)state;
    struct metrics_dist d;
    metrics_dist_init(&d, 100, false);
    for (int i = 0; i < 100; i++)
        metrics_dist_add(&d, i * MS + 123); /* sub-millisecond parts are kept while exact */
    assert_null(d.hist);
    assert_true(fabs(metrics_dist_quantile(&d, 0.5) - (49.5 * MS + 123)) < 1e-6);
    metrics_dist_add(&d, 100 * MS + 123);
    assert_non_null(d.hist);
    assert_null(d.samples);
    double p50 = metrics_dist_quantile(&d, 0.5);
    assert_true(fabs(p50 - (50 * MS + 123)) <= 0.5 * MS);
    metrics_dist_free(&d);
}

static void test_merge(void **state)
{
    (void)state;
    struct metrics_dist a, b, all;
    metrics_dist_init(&a, 64, true);
    metrics_dist_init(&b, 64, true);
    metrics_dist_init(&all, 1u << 20, false);
    for (int i = 0; i < 50; i++) {
        metrics_dist_add(&a, i * 3 * MS);
        metrics_dist_add(&all, i * 3 * MS);
    }
    for (int i = 0; i < 10; i++) {
        metrics_dist_add(&b, (1000 + i) * MS);
        metrics_dist_add(&all, (1000 + i) * MS);
    }
    metrics_dist_merge(&a, &b); /* 60 values: still exact */
    assert_null(a.hist);
    assert_int_equal(a.count, 60);
    assert_true(fabs(metrics_dist_quantile(&a, 0.9) - metrics_dist_quantile(&all, 0.9)) < 1e-6);
    metrics_dist_merge(&a, &b); /* 70 values: past 64, histogram */
    assert_non_null(a.hist);
    assert_int_equal(a.count, 70);
    assert_int_equal(a.max_ns, 1009 * MS);
    struct metrics_dist c;
    metrics_dist_init(&c, 64, true);
    metrics_dist_merge(&c, &a); /* histogram into an empty one */
    assert_int_equal(c.count, 70);
    assert_true(fabs(metrics_dist_quantile(&c, 0.5) - metrics_dist_quantile(&a, 0.5)) <= 0.5 * MS);
    assert_int_equal(c.max_ns, a.max_ns);
    metrics_dist_free(&a);
    metrics_dist_free(&b);
    metrics_dist_free(&c);
    metrics_dist_free(&all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles_known_sets),
        cmocka_unit_test(test_stats_and_empty),
        cmocka_unit_test(test_histogram_fine_linear_range),
        cmocka_unit_test(test_histogram_fine_log_range),
        cmocka_unit_test(test_histogram_compact),
        cmocka_unit_test(test_histogram_small_values),
        cmocka_unit_test(test_compact_bin_mean),
        cmocka_unit_test(test_switch_over_point),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
