/* Unit tests for SCTP user-message reassembly (sctp.c): DATA and I-DATA fragments in and out of
 * order, interleaved streams, unordered messages, repeats, the timeout, the byte limit and
 * chunks cut by the snapshot length, on packets built by hand. */
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

#define B 0x02
#define E 0x01
#define U 0x04

struct chunk {
    unsigned type; /* 0 DATA, 64 I-DATA */
    unsigned flags;
    uint32_t tsn;
    unsigned sid;
    uint32_t ssn_or_mid;
    uint32_t fsn; /* I-DATA only (the B fragment carries a PPID there) */
    const char *data;
};

static void put_chunk(struct bb *b, const struct chunk *c)
{
    size_t dl = strlen(c->data), hl = c->type == 64 ? 20 : 16;
    bb_u8(b, c->type);
    bb_u8(b, c->flags);
    bb_be16(b, (unsigned)(hl + dl));
    bb_be32(b, c->tsn);
    bb_be16(b, c->sid);
    if (c->type == 64) {
        bb_be16(b, 0);
        bb_be32(b, c->ssn_or_mid);
        bb_be32(b, (c->flags & B) ? 0 : c->fsn);
    } else {
        bb_be16(b, c->ssn_or_mid);
        bb_be32(b, 0);
    }
    bb_str(b, c->data);
    bb_zero(b, (4 - dl % 4) % 4);
}

/* An IPv4 SCTP packet 10.1.1.1:5060 -> 10.1.1.2:5060 holding chunks. */
static struct bb sctp_pkt(const struct chunk *cs, size_t n)
{
    struct bb s = { 0 };
    bb_be16(&s, 5060);
    bb_be16(&s, 5060);
    bb_be32(&s, 7);
    bb_be32(&s, 0);
    for (size_t i = 0; i < n; i++)
        put_chunk(&s, &cs[i]);
    struct bb ip = mk_ipv4(IP4(10, 1, 1, 1), IP4(10, 1, 1, 2), 132, 1, 0, &s);
    bb_free(&s);
    return ip;
}

static void feed(struct col *c, const struct chunk *ch, uint64_t frame, int64_t ts)
{
    struct bb ip = sctp_pkt(ch, 1);
    col_frame_ts(c, CAP_LINK_RAW, &ip, ip.len, frame, ts);
    bb_free(&ip);
}

/* B then E in two packets: one message, at the frame of E, naming B's frame as the first. */
static void test_two_fragments(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    struct chunk b = { 0, B, 10, 1, 5, 0, "INVITE sip:x SIP/2.0\r\n" };
    struct chunk e = { 0, E, 11, 1, 5, 0, "Content-Length: 0\r\n\r\n" };
    feed(&c, &b, 1, 1000);
    assert_int_equal(c.n, 0);
    feed(&c, &e, 2, 2000);
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], "INVITE sip:x SIP/2.0\r\nContent-Length: 0\r\n\r\n"));
    assert_int_equal(c.g[0].p.frame, 2);
    assert_int_equal(c.g[0].p.frame_first, 1);
    assert_int_equal(c.g[0].p.ts_ns, 2000);
    assert_int_equal(c.g[0].p.transport, CAP_TP_SCTP);
    assert_int_equal(c.g[0].p.kind, CAP_KIND_DATAGRAM);
    assert_int_equal(c.g[0].p.src.port, 5060);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_DATA_FRAG], 2);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_REASSEMBLED], 1);
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 0);
    col_free(&c);
}

/* Any arrival order, a repeated fragment, and two streams interleaved: each message once. */
static void test_order_repeat_interleave(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    struct chunk f[] = {
        { 0, E, 22, 1, 0, 0, "c" },     { 0, B, 20, 1, 0, 0, "a" },
        { 0, B, 30, 2, 0, 0, "X" },     { 0, B, 20, 1, 0, 0, "a" }, /* repeat */
        { 0, E, 31, 2, 0, 0, "Y" },     { 0, 0, 21, 1, 0, 0, "b" },
        { 0, B | E, 40, 3, 0, 0, "w" }, /* whole */
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        feed(&c, &f[i], 1 + i, 1);
    assert_int_equal(c.n, 3);
    assert_true(got_is(&c.g[0], "XY"));
    assert_int_equal(c.g[0].p.frame, 5);
    assert_int_equal(c.g[0].p.frame_first, 3);
    assert_true(got_is(&c.g[1], "abc"));
    assert_int_equal(c.g[1].p.frame, 6);
    assert_int_equal(c.g[1].p.frame_first, 1);
    assert_true(got_is(&c.g[2], "w"));
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_DUP], 1);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_REASSEMBLED], 2);
    col_free(&c);
}

/* Ordered messages need the same SSN; unordered ones only consecutive TSNs. Several chunks in
 * one packet. */
static void test_ssn_and_unordered(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    struct chunk f[] = {
        { 0, B, 50, 1, 7, 0, "p" },
        { 0, E, 51, 1, 8, 0, "q" }, /* another SSN: not the same message */
        { 0, B | U, 60, 1, 99, 0, "u1" },
        { 0, E | U, 61, 1, 3, 0, "u2" }, /* unordered: the SSN is not looked at */
    };
    struct bb ip = sctp_pkt(f, 4);
    col_frame(&c, CAP_LINK_RAW, &ip);
    bb_free(&ip);
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], "u1u2"));
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 2);
    col_free(&c);
}

/* I-DATA (RFC 8260): fragments of one MID ordered by FSN, whatever their TSNs. */
static void test_idata(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    struct chunk f[] = {
        { 64, 0, 90, 1, 4, 1, "middle-" }, { 64, E, 70, 1, 4, 2, "end" },
        { 64, B, 95, 1, 5, 0, "other-" }, /* another MID */
        { 64, B, 80, 1, 4, 0, "begin-" },  { 64, B | E, 81, 2, 1, 0, "whole" },
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        feed(&c, &f[i], 1 + i, 1);
    assert_int_equal(c.n, 2);
    assert_true(got_is(&c.g[0], "begin-middle-end"));
    assert_int_equal(c.g[0].p.frame, 4);
    assert_int_equal(c.g[0].p.frame_first, 1);
    assert_true(got_is(&c.g[1], "whole"));
    assert_int_equal(c.st.n[CAP_STAT_SCTP_DATA], 5);
    col_free(&c);
}

/* Fragments older than frag_timeout_ns are dropped; so are the oldest past frag_max_bytes. */
static void test_timeout_and_limit(void **state)
{
    (void)state;
    struct cap_decoder_opts o = { .frag_timeout_ns = 30, .frag_max_bytes = 7 };
    struct col c;
    col_init(&c, &o);
    struct chunk b = { 0, B, 1, 1, 0, 0, "aaaa" };
    struct chunk e = { 0, E, 2, 1, 0, 0, "bbbb" };
    feed(&c, &b, 1, 0);
    feed(&c, &e, 2, 31);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 1);
    struct chunk b2 = { 0, B, 10, 1, 1, 0, "cccc" };
    struct chunk big = { 0, B, 20, 2, 0, 0, "123456789" }; /* alone over the limit */
    feed(&c, &b2, 3, 32);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 2); /* e dropped for room */
    feed(&c, &big, 4, 33);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 3);
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 4);
    assert_int_equal(c.n, 0);
    col_free(&c);
}

/* A fragment cut by the snapshot length cannot be used; a whole message cut is pushed marked
 * truncated; every prefix of a packet is safe. */
static void test_snaplen(void **state)
{
    (void)state;
    struct chunk b = { 0, B, 1, 1, 0, 0, "fragment bytes" };
    struct chunk w = { 0, B | E, 2, 1, 0, 0, "whole message" };
    struct bb ip = sctp_pkt(&b, 1), ipw = sctp_pkt(&w, 1);
    struct col c;
    col_init(&c, NULL);
    col_frame_ts(&c, CAP_LINK_RAW, &ip, ip.len - 4, 1, 1);
    assert_int_equal(c.st.n[CAP_STAT_SKIP_TRUNC_PAYLOAD], 1);
    col_frame_ts(&c, CAP_LINK_RAW, &ipw, ipw.len - 4, 2, 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.g[0].p.flags & CAP_F_TRUNCATED, CAP_F_TRUNCATED);
    col_free(&c);
    for (size_t n = 0; n <= ip.len; n++) {
        col_init(&c, NULL);
        col_frame_ts(&c, CAP_LINK_RAW, &ip, n, 1, 1);
        col_free(&c);
    }
    bb_free(&ip);
    bb_free(&ipw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_fragments),     cmocka_unit_test(test_order_repeat_interleave),
        cmocka_unit_test(test_ssn_and_unordered), cmocka_unit_test(test_idata),
        cmocka_unit_test(test_timeout_and_limit), cmocka_unit_test(test_snaplen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
