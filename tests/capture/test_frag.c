/* Unit tests for IP fragment reassembly (frag.c): order, duplicates, overlaps, timeouts, limits,
 * IPv4 and IPv6, with the frame numbers and flags the reassembled payload must carry. */
/* cmocka.h needs these headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "capbuild.h"
#include "capture/capture.h"

#define SEC 1000000000LL

/* A UDP datagram (header included) with a 1000-byte recognisable payload. */
static struct bb big_udp(void)
{
    uint8_t data[1000];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + 1);
    return mk_udp(5060, 5060, data, sizeof(data));
}

/* IPv4 fragment of l4 covering [off, off+len). */
static struct bb frag4(const struct bb *l4, size_t off, size_t len, bool more, unsigned id)
{
    struct bb part = { 0 };
    bb_put(&part, l4->p + off, len);
    struct bb ip = mk_ipv4(IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 17, id,
                           (more ? 0x2000u : 0u) | (unsigned)(off / 8), &part);
    bb_free(&part);
    return ip;
}

static struct bb frag6(const struct bb *l4, size_t off, size_t len, bool more, uint32_t id)
{
    struct bb part = { 0 };
    bb_u8(&part, 17);
    bb_u8(&part, 0);
    bb_be16(&part, (unsigned)off | (more ? 1u : 0u));
    bb_be32(&part, id);
    bb_put(&part, l4->p + off, len);
    struct bb ip = mk_ipv6(1, 2, 44, &part);
    bb_free(&part);
    return ip;
}

/* Feed fragment (off, len, more) of l4 as frame `frame` at time ts. */
static void feed4(struct col *c, const struct bb *l4, size_t off, size_t len, bool more,
                  unsigned id, uint64_t frame, int64_t ts)
{
    struct bb f = frag4(l4, off, len, more, id);
    col_frame_ts(c, CAP_LINK_RAW, &f, f.len, frame, ts);
    bb_free(&f);
}

static void check_whole(const struct col *c, const struct bb *l4, uint64_t first, uint64_t last)
{
    assert_int_equal(c->n, 1);
    const struct cap_payload *p = &c->g[0].p;
    assert_int_equal(p->len, l4->len - 8);
    assert_memory_equal(p->data, l4->p + 8, p->len);
    assert_int_equal(p->flags, CAP_F_REASSEMBLED);
    assert_int_equal(p->frame_first, first);
    assert_int_equal(p->frame, last);
    assert_int_equal(p->ts_ns, (int64_t)last * SEC);
    assert_int_equal(p->src.port, 5060);
    assert_int_equal(c->st.n[CAP_STAT_IP_REASSEMBLED], 1);
}

static void test_in_order_and_out_of_order(void **state)
{
    (void)state;
    struct bb u = big_udp();
    static const int orders[][3] = { { 0, 1, 2 }, { 2, 0, 1 }, { 1, 2, 0 }, { 2, 1, 0 } };
    static const size_t off[3] = { 0, 400, 800 }, len[3] = { 400, 400, 208 };
    for (size_t k = 0; k < 4; k++) {
        struct col c;
        col_init(&c, NULL);
        for (int i = 0; i < 3; i++) {
            int j = orders[k][i];
            feed4(&c, &u, off[j], len[j], j < 2, 77, (uint64_t)i + 1, (i + 1) * SEC);
            if (i < 2)
                assert_int_equal(c.n, 0);
        }
        check_whole(&c, &u, 1, 3);
        assert_int_equal(c.st.n[CAP_STAT_IP_FRAGMENTS], 3);
        col_finish(&c);
        assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE], 0);
        col_free(&c);
    }
    bb_free(&u);
}

static void test_duplicates_and_consistent_overlap(void **state)
{
    (void)state;
    struct bb u = big_udp();
    struct col c;
    col_init(&c, NULL);
    feed4(&c, &u, 0, 400, true, 5, 1, SEC);
    feed4(&c, &u, 0, 400, true, 5, 2, 2 * SEC);   /* exact duplicate */
    feed4(&c, &u, 200, 400, true, 5, 3, 3 * SEC); /* overlaps both sides of a hole edge */
    feed4(&c, &u, 600, 408, false, 5, 4, 4 * SEC);
    check_whole(&c, &u, 1, 4);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_DUP], 2);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_BAD], 0);
    col_free(&c);
    bb_free(&u);
}

static void test_inconsistent_overlap_drops(void **state)
{
    (void)state;
    struct bb u = big_udp(), v = big_udp();
    v.p[300] ^= 0xff;
    struct col c;
    col_init(&c, NULL);
    feed4(&c, &u, 0, 400, true, 5, 1, SEC);
    feed4(&c, &v, 200, 400, true, 5, 2, SEC); /* rewrites byte 300 differently */
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_BAD], 1);
    feed4(&c, &u, 400, 400, true, 5, 3, SEC);
    feed4(&c, &u, 800, 208, false, 5, 4, SEC);
    assert_int_equal(c.n, 0); /* the first part went with the dropped datagram */
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE], 1);
    col_free(&c);
    /* two different "last" fragments disagree on the total */
    col_init(&c, NULL);
    feed4(&c, &u, 800, 208, false, 6, 1, SEC);
    feed4(&c, &u, 800, 200, false, 6, 2, SEC);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_BAD], 1);
    col_free(&c);
    bb_free(&u);
    bb_free(&v);
}

static void test_bad_fragments(void **state)
{
    (void)state;
    struct bb u = big_udp();
    struct col c;
    col_init(&c, NULL);
    feed4(&c, &u, 0, 100, true, 1, 1, SEC); /* not a multiple of 8 yet more follow */
    struct bb part = { 0 };
    bb_zero(&part, 64);
    struct bb hi = mk_ipv4(1, 2, 17, 2, 0x1fff, &part); /* ends past 65535 */
    col_frame(&c, CAP_LINK_RAW, &hi);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_BAD], 2);
    /* a fragment cut by the snapshot length cannot be held */
    struct bb f = frag4(&u, 0, 400, true, 3);
    col_frame_ts(&c, CAP_LINK_RAW, &f, f.len - 10, 3, SEC);
    assert_int_equal(c.st.n[CAP_STAT_SKIP_TRUNC_PAYLOAD], 1);
    assert_int_equal(c.n, 0);
    col_free(&c);
    bb_free(&u);
    bb_free(&part);
    bb_free(&hi);
    bb_free(&f);
}

static void test_incomplete_and_timeout(void **state)
{
    (void)state;
    struct bb u = big_udp(), other = mk_ipv4(1, 2, 1, 1, 0, &u);
    struct col c;
    col_init(&c, NULL);
    feed4(&c, &u, 0, 400, true, 9, 1, 0);
    feed4(&c, &u, 400, 400, true, 9, 2, 29 * SEC);
    col_frame_ts(&c, CAP_LINK_RAW, &other, other.len, 3, 30 * SEC); /* exactly 30 s: kept */
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_TIMEOUT], 0);
    col_frame_ts(&c, CAP_LINK_RAW, &other, other.len, 4, 30 * SEC + 1);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_TIMEOUT], 1);
    feed4(&c, &u, 800, 208, false, 9, 5, 31 * SEC); /* too late: starts a new datagram */
    assert_int_equal(c.n, 0);
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE], 1);
    col_free(&c);
    /* a shorter timeout from the options */
    struct cap_decoder_opts o = { .frag_timeout_ns = SEC };
    col_init(&c, &o);
    feed4(&c, &u, 0, 400, true, 9, 1, 0);
    feed4(&c, &u, 400, 400, true, 9, 2, 2 * SEC);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_TIMEOUT], 1);
    col_free(&c);
    bb_free(&u);
    bb_free(&other);
}

static void test_limits_evict_oldest(void **state)
{
    (void)state;
    struct bb u = big_udp();
    struct cap_decoder_opts o = { .frag_max_datagrams = 2 };
    struct col c;
    col_init(&c, &o);
    for (unsigned id = 1; id <= 3; id++)
        feed4(&c, &u, 0, 400, true, id, id, SEC);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_LIMIT], 1);
    for (unsigned k = 0; k < 3; k++) {
        unsigned id = k == 2 ? 1 : k + 2; /* 2, 3, then the evicted 1 */
        feed4(&c, &u, 400, 400, true, id, 10 + id, SEC);
        feed4(&c, &u, 800, 208, false, id, 20 + id, SEC);
    }
    /* id 1 was evicted, so its later parts started over and ended incomplete; 2 and 3 done */
    assert_int_equal(c.n, 2);
    assert_int_equal(c.g[0].p.frame_first, 2);
    assert_int_equal(c.g[1].p.frame_first, 3);
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE], 1);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_LIMIT], 1);
    col_free(&c);
    /* byte budget: a fragment far out needs a 64 KiB buffer, more than allowed */
    struct cap_decoder_opts ob = { .frag_max_bytes = 16384 };
    col_init(&c, &ob);
    struct bb part = { 0 };
    bb_zero(&part, 64);
    struct bb far = mk_ipv4(1, 2, 17, 4, 0x2000 | 7000, &part);
    feed4(&c, &u, 0, 400, true, 1, 1, SEC);
    col_frame(&c, CAP_LINK_RAW, &far);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_LIMIT], 2); /* evicts id 1, then gives up */
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE], 0);
    col_free(&c);
    bb_free(&part);
    bb_free(&far);
    bb_free(&u);
}

/* Many distinct incomplete datagrams stay within the configured memory. */
static void test_many_datagrams_bounded(void **state)
{
    (void)state;
    struct bb u = big_udp();
    struct cap_decoder_opts o = { .frag_max_datagrams = 100 };
    struct col c;
    col_init(&c, &o);
    for (unsigned id = 0; id < 10000; id++)
        feed4(&c, &u, 0, 400, true, id & 0xffff, id + 1, SEC);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_LIMIT], 10000 - 100);
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE], 100);
    col_free(&c);
    /* defaults: whichever of 4096 datagrams or 8 MiB binds first */
    col_init(&c, NULL);
    for (unsigned id = 0; id < 10000; id++)
        feed4(&c, &u, 0, 400, true, id & 0xffff, id + 1, SEC);
    col_finish(&c);
    uint64_t kept = c.st.n[CAP_STAT_IP_FRAG_INCOMPLETE];
    assert_true(kept > 1000 && kept <= 4096);
    assert_true(kept * 2048 <= 8u << 20);
    assert_int_equal(c.st.n[CAP_STAT_IP_FRAG_LIMIT] + kept, 10000);
    col_free(&c);
    bb_free(&u);
}

static void test_ipv6_fragments(void **state)
{
    (void)state;
    struct bb u = big_udp();
    struct bb a = frag6(&u, 0, 504, true, 0x01020304), b = frag6(&u, 504, 504, false, 0x01020304);
    struct col c;
    col_init(&c, NULL);
    col_frame_ts(&c, CAP_LINK_IPV6, &b, b.len, 1, SEC);
    assert_int_equal(c.n, 0);
    col_frame_ts(&c, CAP_LINK_IPV6, &a, a.len, 2, 2 * SEC);
    check_whole(&c, &u, 1, 2);
    assert_int_equal(c.g[0].p.src.family, 6);
    assert_int_equal(c.g[0].p.dst.ip[15], 2);
    col_free(&c);
    bb_free(&u);
    bb_free(&a);
    bb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_and_out_of_order),
        cmocka_unit_test(test_duplicates_and_consistent_overlap),
        cmocka_unit_test(test_inconsistent_overlap_drops),
        cmocka_unit_test(test_bad_fragments),
        cmocka_unit_test(test_incomplete_and_timeout),
        cmocka_unit_test(test_limits_evict_oldest),
        cmocka_unit_test(test_many_datagrams_bounded),
        cmocka_unit_test(test_ipv6_fragments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
