/* Unit tests for metrics/category.c and the cluster statistic's binomial tail: the seed category
 * mapping and its CallMeter fold, which categories count in the seed NER, the IR.42 classes. */
/* cmocka needs these headers first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "metrics/metrics.h"

static void test_category_mapping(void **state)
{
    (void)state;
    static const struct {
        uint16_t code;
        enum call_category seed, callmeter;
    } cases[] = {
        { 0, CAT_INCOMPLETE, CAT_INCOMPLETE },   { 200, CAT_SUCCESS, CAT_SUCCESS },
        { 202, CAT_SUCCESS, CAT_SUCCESS },       { 299, CAT_SUCCESS, CAT_SUCCESS },
        { 300, CAT_REDIRECTED, CAT_REDIRECTED }, { 302, CAT_REDIRECTED, CAT_REDIRECTED },
        { 380, CAT_REDIRECTED, CAT_REDIRECTED }, { 400, CAT_ERROR, CAT_ERROR },
        { 401, CAT_ERROR, CAT_ERROR },           { 404, CAT_ERROR, CAT_ERROR },
        { 407, CAT_ERROR, CAT_ERROR },           { 408, CAT_TIMEOUT, CAT_TIMEOUT },
        { 480, CAT_TIMEOUT, CAT_TIMEOUT },       { 481, CAT_ERROR, CAT_ERROR },
        { 486, CAT_REJECTED, CAT_REJECTED },     { 487, CAT_CANCELED, CAT_ERROR },
        { 488, CAT_ERROR, CAT_ERROR },           { 500, CAT_ERROR, CAT_ERROR },
        { 503, CAT_ERROR, CAT_ERROR },           { 504, CAT_ERROR, CAT_ERROR },
        { 600, CAT_REJECTED, CAT_REJECTED },     { 603, CAT_REJECTED, CAT_REJECTED },
        { 604, CAT_ERROR, CAT_ERROR },           { 606, CAT_ERROR, CAT_ERROR },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (metrics_category(cases[i].code, false) != cases[i].seed)
            fail_msg("%u: seed category %s", cases[i].code,
                     metrics_category_name(metrics_category(cases[i].code, false)));
        if (metrics_category(cases[i].code, true) != cases[i].callmeter)
            fail_msg("%u: callmeter category %s", cases[i].code,
                     metrics_category_name(metrics_category(cases[i].code, true)));
    }
}

/* The CallMeter table: SUCCESS counts in ASR and NER, TIMEOUT in NER only, the rest in neither. */
static void test_seed_ner(void **state)
{
    (void)state;
    static const bool effective[CAT__COUNT] = {
        [CAT_SUCCESS] = true,
        [CAT_TIMEOUT] = true,
    };
    for (int c = 0; c < CAT__COUNT; c++)
        assert_int_equal(metrics_seed_effective(c), effective[c]);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const names[] = { "SUCCESS", "TIMEOUT",    "REJECTED",  "CANCELED",
                                         "ERROR",   "REDIRECTED", "INCOMPLETE" };
    for (int c = 0; c < CAT__COUNT; c++) {
        assert_string_equal(metrics_category_name(c), names[c]);
        assert_int_equal(metrics_category_parse(names[c]), c);
    }
    assert_int_equal(metrics_category_parse("canceled"), CAT_CANCELED);
    assert_int_equal(metrics_category_parse("CANCELLED"), -1);
    assert_int_equal(metrics_category_parse(""), -1);
    assert_string_equal(metrics_ner_name(METRICS_NER_SEED), "seed");
    assert_string_equal(metrics_ner_name(METRICS_NER_IR42), "ir42");
}

static void test_ir42_mapping(void **state)
{
    (void)state;
    static const struct {
        uint16_t code;
        bool rang;
        enum metrics_ir42 want;
    } cases[] = {
        { 200, false, IR42_ANSWER },          { 200, true, IR42_ANSWER },
        { 486, false, IR42_USER_BUSY },       { 600, true, IR42_USER_BUSY },
        { 603, false, IR42_TERMINAL_REJECT }, { 603, true, IR42_TERMINAL_REJECT },
        { 480, true, IR42_NO_ANSWER },        { 480, false, IR42_INEFFECTIVE },
        { 408, true, IR42_NO_ANSWER },        { 408, false, IR42_INEFFECTIVE },
        { 487, true, IR42_NO_ANSWER },        { 487, false, IR42_INEFFECTIVE },
        { 404, true, IR42_INEFFECTIVE },      { 503, true, IR42_INEFFECTIVE },
        { 302, true, IR42_INEFFECTIVE },      { 0, true, IR42_INEFFECTIVE },
        { 0, false, IR42_INEFFECTIVE },       { 488, true, IR42_INEFFECTIVE },
        { 604, false, IR42_INEFFECTIVE },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (metrics_ir42_class(cases[i].code, cases[i].rang) != cases[i].want)
            fail_msg("%u rang=%d: %s", cases[i].code, cases[i].rang,
                     metrics_ir42_name(metrics_ir42_class(cases[i].code, cases[i].rang)));
}

/* Direct sum for small a, to check the log-space version. */
static double tail_direct(unsigned n, unsigned a, double r)
{
    double s = 0;
    for (unsigned k = n; k <= a; k++) {
        double c = 1;
        for (unsigned i = 0; i < k; i++)
            c = c * (a - i) / (i + 1);
        s += c * pow(r, k) * pow(1 - r, a - k);
    }
    return s;
}

static void test_binomial_tail(void **state)
{
    (void)state;
    assert_true(fabs(metrics_binomial_tail(1, 1, 0.5) - 0.5) < 1e-12);
    assert_true(fabs(metrics_binomial_tail(3, 3, 0.5) - 0.125) < 1e-12);
    assert_true(metrics_binomial_tail(0, 10, 0.3) == 1);
    assert_true(metrics_binomial_tail(5, 10, 0) == 0);
    assert_true(metrics_binomial_tail(11, 10, 0.3) == 0);
    static const struct {
        unsigned n, a;
        double r;
    } cases[] = {
        { 5, 10, 0.1 }, { 6, 100, 0.02 }, { 15, 100, 0.02 }, { 20, 40, 0.3 }, { 2, 3, 0.25 }
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double want = tail_direct(cases[i].n, cases[i].a, cases[i].r);
        double got = metrics_binomial_tail(cases[i].n, cases[i].a, cases[i].r);
        if (fabs(got - want) > 1e-9 * fmax(want, 1e-300) + 1e-300)
            fail_msg("case %zu: %.12g, want %.12g", i, got, want);
    }
    /* large groups stay finite and tiny when the count is far off */
    double p = metrics_binomial_tail(5000, 100000, 0.01);
    assert_true(p >= 0 && p < 1e-100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_category_mapping),
        cmocka_unit_test(test_seed_ner),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_ir42_mapping),
        cmocka_unit_test(test_binomial_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
