/* Unit tests for the aggregator (metrics/metrics.c, table.c, cluster.c, keys.c) on calls built
 * by hand: KPIs and both NERs, bounded tables and their "other" row, time buckets, the deciding
 * leg and element, destination keys, and cluster detection — a trigger and near misses. */
/* cmocka needs these headers first */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "metrics/metrics.h"

#define S  1000000000LL
#define MS 1000000LL

/* One hand-built call: an originating leg (caller -> element) with an optional child leg
 * (element -> downstream), everything in one heap block. */
struct tcall {
    struct call c;
    struct leg orig, child;
    struct leg *legs[2];
    struct leg *children[1];
    struct txn t_orig, t_child;
    struct txn *txns[2];
    struct emsg final_orig, final_child;
    sv_t call_id;
    char id[64];
    char ruri[128];
};

static struct cap_addr addr(unsigned last, uint16_t port)
{
    struct cap_addr a = { .family = 4, .port = port, .ip = { 10, 0, 0, (uint8_t)last } };
    return a;
}

struct spec {
    uint16_t code; /* caller's final, 0: none */
    int64_t start_ns;
    int64_t pdd_ns;   /* -1: no 18x */
    const char *dest; /* user@host for the R-URI */
    unsigned elem;    /* last byte of the element's IP */
    int child_code;   /* -1: no child leg; else the child's final (0: none) */
    unsigned child_elem;
    unsigned retrans;
};

static struct tcall *make(const struct spec *sp, unsigned n)
{
    struct tcall *t = calloc(1, sizeof(*t));
    struct call *c = &t->c;
    snprintf(t->id, sizeof(t->id), "call-%u@test", n);
    t->call_id = sv_cstr(t->id);
    snprintf(t->ruri, sizeof(t->ruri), "sip:%s;transport=udp", sp->dest);
    c->flags = CALL_HAS_INVITE;
    c->call_ids = &t->call_id;
    c->ncall_ids = 1;
    c->first_ts = sp->start_ns;
    c->ruri = sv_cstr(t->ruri);
    c->final_code = sp->code;
    c->pdd_ns = sp->pdd_ns;
    c->setup_ns = sp->code >= 200 && sp->code < 300 ? 2 * S : -1;
    c->duration_ns = sp->code >= 200 && sp->code < 300 ? 30 * S : -1;
    c->attempts_auth = 1;
    t->t_orig.client = addr(1, 5060);
    t->t_orig.server = addr(sp->elem, 5060);
    t->t_orig.request_retrans = sp->retrans;
    t->orig.txn = &t->t_orig;
    t->final_orig.status = sp->code;
    t->final_orig.ts_ns = sp->start_ns + 3 * S;
    if (sp->code)
        t->orig.final = &t->final_orig;
    t->legs[0] = &t->orig;
    t->txns[0] = &t->t_orig;
    c->nlegs = c->ntxns = 1;
    if (sp->child_code >= 0) {
        t->t_child.client = t->t_orig.server;
        t->t_child.server = addr(sp->child_elem, 5060);
        t->child.txn = &t->t_child;
        t->child.parent = &t->orig;
        t->final_child.status = (uint16_t)sp->child_code;
        t->final_child.ts_ns = sp->start_ns + 2 * S;
        if (sp->child_code)
            t->child.final = &t->final_child;
        t->children[0] = &t->child;
        t->orig.children = t->children;
        t->orig.nchildren = 1;
        t->legs[1] = &t->child;
        t->txns[1] = &t->t_child;
        c->nlegs = c->ntxns = 2;
    }
    c->legs = t->legs;
    c->txns = t->txns;
    c->orig = c->orig_first = &t->orig;
    return t;
}

static void add(struct metrics *m, const struct spec *sp, unsigned n)
{
    struct tcall *t = make(sp, n);
    metrics_add_call(m, &t->c, NULL);
    free(t);
}

static struct spec base_spec(uint16_t code, int64_t start)
{
    struct spec s = { .code = code,
                      .start_ns = start,
                      .pdd_ns = 100 * MS,
                      .dest = "bob@b.example",
                      .elem = 20,
                      .child_code = -1 };
    return s;
}

static void test_kpis_and_ner(void **state)
{
    (void)state;
    static const struct {
        uint16_t code;
        bool rang;
        unsigned n;
    } mix[] = {
        { 200, true, 60 }, { 486, true, 10 }, { 487, true, 8 }, { 487, false, 2 }, { 480, true, 5 },
        { 480, false, 3 }, { 404, false, 4 }, { 603, true, 1 }, { 302, false, 2 }, { 0, false, 5 },
    };
    struct metrics_opts o = { 0 };
    struct metrics *seed = metrics_new(&o);
    o.ner = METRICS_NER_IR42;
    o.callmeter = true;
    struct metrics *ir = metrics_new(&o);
    unsigned n = 0;
    for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
        for (unsigned k = 0; k < mix[i].n; k++, n++) {
            struct spec s = base_spec(mix[i].code, n * S);
            s.pdd_ns = mix[i].rang ? 100 * MS : -1;
            add(seed, &s, n);
            add(ir, &s, n);
        }
    }
    /* an INVITE group without an originating leg is not an attempt */
    struct tcall *t = make(&(struct spec){ .code = 200, .dest = "x@y", .child_code = -1 }, 999);
    t->c.orig = NULL;
    metrics_add_call(seed, &t->c, NULL);
    free(t);
    assert_int_equal(seed->calls, 101);
    assert_int_equal(seed->no_orig, 1);
    assert_int_equal(seed->attempts, 100);
    assert_int_equal(seed->answered, 60);
    assert_int_equal(seed->cat[CAT_SUCCESS], 60);
    assert_int_equal(seed->cat[CAT_TIMEOUT], 8);
    assert_int_equal(seed->cat[CAT_REJECTED], 11);
    assert_int_equal(seed->cat[CAT_CANCELED], 10);
    assert_int_equal(seed->cat[CAT_ERROR], 4);
    assert_int_equal(seed->cat[CAT_REDIRECTED], 2);
    assert_int_equal(seed->cat[CAT_INCOMPLETE], 5);
    assert_int_equal(ir->cat[CAT_CANCELED], 0);
    assert_int_equal(ir->cat[CAT_ERROR], 14);
    assert_int_equal(seed->codes[487], 10);
    assert_int_equal(seed->codes[0], 5);
    assert_true(metrics_ratio(seed->answered, seed->attempts) == 0.6);
    /* seed: SUCCESS + TIMEOUT = 68 */
    assert_int_equal(metrics_ner_effective(seed), 68);
    /* IR.42: 60 answers + 10 busy + (8 + 5) no answer after ringing + 1 reject = 84 */
    assert_int_equal(metrics_ner_effective(ir), 84);
    assert_int_equal(ir->ir42[IR42_NO_ANSWER], 13);
    assert_int_equal(ir->ir42[IR42_INEFFECTIVE], 16);
    assert_true(metrics_ratio(0, 0) < 0);
    assert_int_equal(seed->pdd.count, 84);
    assert_int_equal(seed->setup.count, 60);
    metrics_free(seed);
    metrics_free(ir);
}

static void test_bounded_table(void **state)
{
    (void)state;
    struct metrics_opts o = { .max_rows = 3 };
    struct metrics *m = metrics_new(&o);
    static const char *const dests[] = { "a@x", "b@x", "c@x", "d@x", "b@x", "e@x", "b@x", "c@x" };
    for (unsigned i = 0; i < 8; i++) {
        struct spec s = base_spec(i % 2 ? 486 : 200, i * S);
        s.dest = dests[i];
        add(m, &s, i);
    }
    assert_int_equal(m->dest.n, 3);
    assert_int_equal(m->dest.other.attempts, 2); /* d and e came when the table was full */
    const struct metrics_row *rows[3];
    assert_int_equal(metrics_table_top(&m->dest, 3, rows), 3);
    assert_memory_equal(rows[0]->key.p, "b@x", 3); /* 3 attempts */
    assert_memory_equal(rows[1]->key.p, "c@x", 3); /* 2 */
    assert_memory_equal(rows[2]->key.p, "a@x", 3); /* 1 */
    assert_int_equal(rows[0]->attempts, 3);
    assert_int_equal(metrics_table_top(&m->dest, 1, rows), 1);
    metrics_free(m);

    /* a million distinct destinations never hold more than max_rows rows */
    o.max_rows = 100;
    m = metrics_new(&o);
    for (unsigned i = 0; i < 100000; i++) {
        char d[32];
        snprintf(d, sizeof(d), "%u@x", i);
        struct spec s = base_spec(200, i * MS);
        s.dest = d;
        add(m, &s, i);
    }
    assert_int_equal(m->dest.n, 100);
    assert_int_equal(m->dest.other.attempts, 100000 - 100);
    metrics_free(m);
}

static void test_destination_keys(void **state)
{
    (void)state;
    static const struct {
        const char *ruri, *want;
    } cases[] = {
        { "sip:Bob@Example.COM;transport=udp", "Bob@example.com" },
        { "sips:+15550001@10.0.0.1:5061", "+15550001@10.0.0.1" },
        { "sip:example.com", "example.com" },
        { "tel:+1-555-0100", "+1-555-0100" },
        { "not a uri", "not a uri" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct call c = { 0 };
        c.ruri = sv_cstr(cases[i].ruri);
        char out[METRICS_ID_MAX + 1];
        size_t n = metrics_destination(&c, out, sizeof(out));
        if (n != strlen(cases[i].want) || memcmp(out, cases[i].want, n) != 0)
            fail_msg("%s -> '%.*s', want '%s'", cases[i].ruri, (int)n, out, cases[i].want);
    }
}

static void elem_of(const struct spec *sp, char *out)
{
    struct tcall *t = make(sp, 1);
    metrics_element(&t->c, out, CAP_ADDR_STRLEN);
    free(t);
}

/* The element is the one that decided the outcome: a relayed final points at the child. */
static void test_deciding_element(void **state)
{
    (void)state;
    char el[CAP_ADDR_STRLEN];
    struct spec s = base_spec(486, 0);
    s.elem = 2; /* a proxy */
    s.child_elem = 30;
    s.child_code = 486; /* relayed */
    elem_of(&s, el);
    assert_string_equal(el, "10.0.0.30:5060");
    s.code = 500; /* the proxy mapped the callee's 503 to 500 (RFC 3261 §16.7 step 6) */
    s.child_code = 503;
    elem_of(&s, el);
    assert_string_equal(el, "10.0.0.30:5060");
    s.code = 408; /* the proxy gave up on a silent callee (Timer B): the silent hop */
    s.child_code = 0;
    elem_of(&s, el);
    assert_string_equal(el, "10.0.0.30:5060");
    s.code = 0; /* nobody answered the caller: the hop where the call got stuck */
    elem_of(&s, el);
    assert_string_equal(el, "10.0.0.30:5060");
    s.code = 487; /* a child final after the parent's cannot explain it */
    s.child_code = 487;
    struct tcall *t = make(&s, 1);
    t->final_child.ts_ns = t->final_orig.ts_ns + 1;
    metrics_element(&t->c, el, sizeof(el));
    free(t);
    assert_string_equal(el, "10.0.0.2:5060");
    s.child_code = -1; /* the proxy answered itself */
    s.code = 404;
    elem_of(&s, el);
    assert_string_equal(el, "10.0.0.2:5060");
}

static void test_time_buckets(void **state)
{
    (void)state;
    struct metrics_opts o = { 0 };
    struct metrics *m = metrics_new(&o);
    int64_t t0 = 1700000000LL * S;
    for (unsigned i = 0; i < 100; i++)
        add(m,
            &(struct spec){ .code = 200,
                            .start_ns = t0 + i * S,
                            .pdd_ns = -1,
                            .dest = "a@b",
                            .elem = 2,
                            .child_code = -1 },
            i);
    /* 100 s: 1 s and 2 s buckets are too many for 30; 10 s gives 10 */
    assert_int_equal(m->buckets.width_ns, 10 * S);
    assert_int_equal(m->buckets.n, 10);
    for (unsigned i = 0; i < 10; i++) {
        assert_non_null(m->buckets.rows[i]);
        assert_int_equal(m->buckets.rows[i]->attempts, 10);
        assert_int_equal(m->buckets.rows[i]->start_ns, t0 + i * 10 * S);
    }
    metrics_free(m);
    o.bucket_ns = 7 * S;
    m = metrics_new(&o);
    for (unsigned i = 0; i < 100; i++)
        add(m,
            &(struct spec){ .code = 200,
                            .start_ns = t0 + i * S,
                            .pdd_ns = -1,
                            .dest = "a@b",
                            .elem = 2,
                            .child_code = -1 },
            i);
    assert_int_equal(m->buckets.width_ns, 7 * S);
    uint64_t total = 0;
    for (unsigned i = 0; i < m->buckets.n; i++)
        total += m->buckets.rows[i] ? m->buckets.rows[i]->attempts : 0;
    assert_int_equal(total, 100);
    metrics_free(m);
}

/* 300 calls over 10 destinations, all to one element, spread over 300 s; failures as given. */
static struct metrics *cluster_trace(unsigned bad_dest_503, unsigned background_487_every)
{
    struct metrics_opts o = { 0 };
    struct metrics *m = metrics_new(&o);
    unsigned bad = 0;
    for (unsigned i = 0; i < 300; i++) {
        char d[16];
        snprintf(d, sizeof(d), "u%u@x", i % 10);
        struct spec s = base_spec(200, 1700000000LL * S + i * S);
        s.dest = d;
        if (i % 10 == 3 && bad < bad_dest_503) {
            s.code = 503;
            bad++;
        } else if (background_487_every && i % background_487_every == 0) {
            s.code = 487;
        }
        add(m, &s, i);
    }
    metrics_finish(m, true);
    return m;
}

static void test_cluster_trigger(void **state)
{
    (void)state;
    struct metrics *m = cluster_trace(8, 0);
    assert_int_equal(m->nclusters, 1);
    const struct metrics_cluster *c = &m->clusters[0];
    assert_int_equal(c->dim, METRICS_DIM_DESTINATION);
    assert_memory_equal(c->group->key.p, "u3@x", 4);
    assert_int_equal(c->kind->kind, METRICS_KIND_CODE | 503);
    assert_int_equal(c->kind->count, 8);
    assert_int_equal(c->group_attempts, 30);
    assert_int_equal(c->rest_count, 0);
    assert_true(c->p_value == 0);
    assert_int_equal(c->kind->nex, METRICS_EXAMPLES);
    assert_memory_equal(c->kind->ex[0].p, "call-3@test", 11);
    assert_int_equal(c->severity, DIAG_WARNING);
    metrics_free(m);
}

static void test_cluster_near_misses(void **state)
{
    (void)state;
    /* four 503s on one destination: under the minimum count */
    struct metrics *m = cluster_trace(4, 0);
    assert_int_equal(m->nclusters, 0);
    metrics_free(m);
    /* one caller hang-up among healthy calls is never a pattern */
    m = cluster_trace(1, 0);
    assert_int_equal(m->nclusters, 0);
    metrics_free(m);
    /* 487s spread evenly (every 7th call) over destinations and windows: no group stands out;
     * the single element holds every call and has no "rest" to compare with */
    m = cluster_trace(0, 7);
    assert_int_equal(m->nclusters, 0);
    metrics_free(m);
}

/* A time window where failures pile up, against a background of the same failure. */
static void test_cluster_window(void **state)
{
    (void)state;
    struct metrics_opts o = { .bucket_ns = 10 * S };
    struct metrics *m = metrics_new(&o);
    for (unsigned i = 0; i < 600; i++) {
        struct spec s = base_spec(200, 1700000000LL * S + (int64_t)i * S / 2); /* 300 s */
        char d[16];
        snprintf(d, sizeof(d), "u%u@x", i % 50);
        s.dest = d;
        s.elem = (uint8_t)(20 + i % 3);
        bool storm = i >= 200 && i < 220; /* 10 s: 20 calls */
        if ((storm && i % 2 == 0) || i % 60 == 7)
            s.code = 503;
        add(m, &s, i);
    }
    metrics_finish(m, true);
    bool found = false;
    for (uint32_t i = 0; i < m->nclusters; i++) {
        const struct metrics_cluster *c = &m->clusters[i];
        if (c->dim != METRICS_DIM_WINDOW)
            fail_msg("unexpected %s cluster", metrics_dim_name(c->dim));
        if (c->group->start_ns == 1700000100LL * S && c->kind->kind == (METRICS_KIND_CODE | 503))
            found = true;
    }
    assert_true(found);
    metrics_free(m);
    /* the same trace without time: no window dimension */
    m = metrics_new(&o);
    for (unsigned i = 0; i < 600; i++) {
        struct spec s =
            base_spec((i >= 200 && i < 220 && i % 2 == 0) ? 503 : 200, (int64_t)i * S / 2);
        add(m, &s, i);
    }
    metrics_finish(m, false);
    assert_int_equal(m->nclusters, 0);
    metrics_free(m);
}

static void test_retransmissions_and_rows(void **state)
{
    (void)state;
    struct metrics_opts o = { 0 };
    struct metrics *m = metrics_new(&o);
    struct spec s = base_spec(200, 0);
    s.retrans = 3;
    add(m, &s, 1);
    s.retrans = 0;
    add(m, &s, 2);
    s.code = 486;
    add(m, &s, 3);
    assert_int_equal(m->retrans, 3);
    assert_int_equal(m->retrans_calls, 1);
    const struct metrics_row *r = m->elem.rows[0];
    assert_int_equal(r->attempts, 3);
    assert_int_equal(r->retrans, 3);
    assert_int_equal(metrics_row_kind(r, METRICS_KIND_CODE | 200), 2);
    const struct metrics_kind *k = metrics_row_top_failure(r);
    assert_non_null(k);
    assert_int_equal(k->kind, METRICS_KIND_CODE | 486);
    metrics_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kpis_and_ner),
        cmocka_unit_test(test_bounded_table),
        cmocka_unit_test(test_destination_keys),
        cmocka_unit_test(test_deciding_element),
        cmocka_unit_test(test_time_buckets),
        cmocka_unit_test(test_cluster_trigger),
        cmocka_unit_test(test_cluster_near_misses),
        cmocka_unit_test(test_cluster_window),
        cmocka_unit_test(test_retransmissions_and_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
