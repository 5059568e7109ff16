/* Unit tests for SIP framing of stream bytes (stream.c): every split of a multi-message byte
 * stream gives the same messages; keep-alives; gaps and mid-stream joins (resynchronisation);
 * missing or invalid Content-Length; non-SIP (HTTP, binary) streams; buffer limits; frame
 * numbers of messages spread over payloads. */
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

#include <stdio.h>

#include "ingtest.h"

#define M1 \
    "INVITE sip:bob@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\nContent-Length: 5\r\n\r\nv=0\r\n"
#define M2 "SIP/2.0 100 Trying\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n"
#define M3                                                                                \
    "MESSAGE sip:a@b SIP/2.0\r\nCall-ID: 2\r\nCSeq: 7 MESSAGE\r\nContent-Length:  11\r\n" \
    "Subject: folded\r\n\tline\r\n\r\nhello\r\n\r\nyo"

/* Messages with a ping before M1, a pong between M1 and M2, and a ping between M2 and M3. */
static const char stream_bytes[] = "\r\n\r\n" M1 "\r\n" M2 "\r\n\r\n" M3;
static const char *const expect[] = { M1, M2, M3 };

static void check_three(const struct ing *g)
{
    assert_int_equal(g->n, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(g->m[i].len, strlen(expect[i]));
        assert_memory_equal(g->m[i].bytes, expect[i], g->m[i].len);
        assert_int_equal(g->m[i].malformed, 0);
        assert_int_equal(g->m[i].transport, CAP_TP_TCP);
    }
    assert_int_equal(ing_stat(g, INGEST_STAT_KEEPALIVE_PINGS), 2);
    assert_int_equal(ing_stat(g, INGEST_STAT_KEEPALIVE_PONGS), 1);
    assert_int_equal(ing_stat(g, INGEST_STAT_STREAM_BYTES_SKIPPED), 0);
}

/* Split at every pair of points (three payloads): always the same three messages and counts. */
static void test_every_split(void **state)
{
    (void)state;
    size_t len = sizeof(stream_bytes) - 1;
    for (size_t i = 0; i <= len; i++) {
        for (size_t j = i; j <= len; j += (j < i + 8 || j + 8 > len) ? 1 : 7) {
            struct ing g;
            ing_init(&g, 0);
            ing_feed(&g, 1, stream_bytes, i, CAP_F_STREAM_START, 1);
            ing_feed(&g, 1, stream_bytes + i, j - i, 0, 2);
            ing_feed(&g, 1, stream_bytes + j, len - j, CAP_F_STREAM_END, 3);
            check_three(&g);
            assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_PARTIAL_AT_END), 0);
            ing_free(&g);
        }
    }
}

/* One byte per payload: each message at the frame of its last byte, first at its first. */
static void test_byte_at_a_time(void **state)
{
    (void)state;
    size_t len = sizeof(stream_bytes) - 1;
    struct ing g;
    ing_init(&g, 0);
    for (size_t i = 0; i < len; i++)
        ing_feed(&g, 9, stream_bytes + i, 1, i ? 0 : CAP_F_STREAM_START, 1 + i);
    check_three(&g);
    size_t start1 = 4, end1 = start1 + strlen(M1);
    assert_int_equal(g.m[0].frame_first, 1 + start1);
    assert_int_equal(g.m[0].frame, end1);
    assert_int_equal(g.m[2].frame, len);
    ing_free(&g);
    /* all in one payload, parsed in place */
    ing_init(&g, 0);
    ing_feed(&g, 9, stream_bytes, len, CAP_F_STREAM_START, 4);
    check_three(&g);
    assert_int_equal(g.m[1].frame, 4);
    ing_free(&g);
}

/* A direction whose only payload carries data and the FIN (a short-lived connection, or one
 * whose state was evicted) still delivers its message and counts its bytes. */
static void test_data_with_fin(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    ing_feed_s(&g, 4, M2, CAP_F_STREAM_START | CAP_F_STREAM_END, 1);
    ing_feed_s(&g, 5, M1, CAP_F_STREAM_END, 2); /* no START: joined mid-stream */
    ing_feed_s(&g, 6, "", CAP_F_STREAM_END, 3); /* the end of a stream never seen */
    assert_int_equal(g.n, 2);
    assert_int_equal(g.m[0].len, strlen(M2));
    assert_int_equal(g.m[1].len, strlen(M1));
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES), strlen(M1) + strlen(M2));
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES_SKIPPED), 0);
    ing_free(&g);
}

/* Keep-alive pings and pongs on their own, split, at the end of a stream. */
static void test_keepalives(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    ing_feed_s(&g, 1, "\r\n", CAP_F_STREAM_START, 1);
    ing_feed_s(&g, 1, "\r\n", 0, 2);                  /* the second half of a ping */
    ing_feed_s(&g, 2, "\r\n", CAP_F_STREAM_START, 3); /* a pong, the other way */
    ing_feed_s(&g, 1, M2, 0, 4);
    ing_feed_s(&g, 2, "", CAP_F_STREAM_END, 5);
    assert_int_equal(g.n, 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_KEEPALIVE_PINGS), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_KEEPALIVE_PONGS), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_KEEPALIVES), 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_NOT_SIP), 0);
    ing_free(&g);
}

/* A gap inside a message loses it; framing picks up at the next start line. */
static void test_gap_resync(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    char half[64];
    memcpy(half, M1, 30);
    ing_feed(&g, 1, half, 30, CAP_F_STREAM_START, 1);
    /* after the gap: the tail of some message, then M2 whose start line is split */
    const char *after = "ength: 0\r\n\r\n" M2;
    size_t cut = strlen("ength: 0\r\n\r\n") + 5;
    ing_feed(&g, 1, after, cut, CAP_F_GAP, 2);
    assert_int_equal(g.n, 0);
    ing_feed_s(&g, 1, after + cut, 0, 3);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].bytes, M2);
    assert_int_equal(g.m[0].frame_first, 2);
    assert_int_equal(g.m[0].frame, 3);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_GAPS), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_CUT_BY_GAP), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES_SKIPPED),
                     30 + strlen("ength: 0\r\n\r\n"));
    ing_free(&g);
}

/* Joined mid-way (no STREAM_START): bytes up to the first start line are skipped. */
static void test_midstream_join(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    ing_feed_s(&g, 1, "a=sendrecv\r\n\r\n" M2 M1, 0, 1);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[0].bytes, M2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES_SKIPPED), 14);
    assert_int_equal(ing_stat(&g, INGEST_STAT_KEEPALIVES), 0);
    ing_free(&g);
}

/* No usable Content-Length on a stream: the header section is reported (flagged), the body is
 * skipped up to the next start line. */
static void test_no_content_length(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    const char *nocl = "OPTIONS sip:x SIP/2.0\r\nCall-ID: 3\r\nCSeq: 1 OPTIONS\r\n\r\n";
    const char *bad = "SIP/2.0 200 OK\r\nContent-Length: abc\r\nCSeq: 1 OPTIONS\r\n\r\n";
    char buf[512];
    snprintf(buf, sizeof(buf), "%sbody text\r\n%s%s", nocl, bad, M2);
    size_t half = strlen(nocl) - 2;
    ing_feed(&g, 1, buf, half, CAP_F_STREAM_START, 1);
    assert_int_equal(g.n, 0);
    ing_feed(&g, 1, buf + half, strlen(buf) - half, 0, 2);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.m[0].bytes, nocl);
    assert_true(g.m[0].anomalies != 0 || g.m[0].malformed != 0);
    assert_string_equal(g.m[1].bytes, bad);
    assert_true(g.m[1].malformed != 0);
    assert_string_equal(g.m[2].bytes, M2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_NO_LENGTH), 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES_SKIPPED), strlen("body text\r\n"));
    ing_free(&g);
}

/* HTTP and binary bytes on a stream give no SIP, and are counted. */
static void test_not_sip(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    const char *get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *resp =
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 30\r\n\r\n<html>INVITE me</html>\r\n\r\n";
    ing_feed_s(&g, 1, get, CAP_F_STREAM_START, 1);
    ing_feed_s(&g, 2, resp, CAP_F_STREAM_START, 2);
    static const uint8_t tls[] = { 0x16, 3, 1, 0, 5, 1, 0, 0, 1, 0, 0x17, 3, 3 };
    ing_feed(&g, 3, tls, sizeof(tls), CAP_F_STREAM_START, 3);
    ing_feed(&g, 3, tls, sizeof(tls), 0, 4);
    ing_feed_s(&g, 1, "", CAP_F_STREAM_END, 5);
    ing_feed_s(&g, 2, "", CAP_F_STREAM_END, 6);
    ing_feed_s(&g, 3, "", CAP_F_STREAM_END, 7);
    assert_int_equal(g.n, 0);
    assert_int_equal(ing_stat(&g, INGEST_STAT_SIP_MESSAGES), 0);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_HTTP), 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_NOT_SIP), 3);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES_SKIPPED),
                     strlen(get) + strlen(resp) + 2 * sizeof(tls));
    ing_free(&g);
}

/* A message over stream_max_bytes is dropped (counted); the next one comes out. */
static void test_limit(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 300);
    char big[1024];
    int n = snprintf(big, sizeof(big), "INVITE sip:b SIP/2.0\r\nContent-Length: 400\r\n\r\n");
    memset(big + n, 'x', 400);
    ing_feed(&g, 1, big, 200, CAP_F_STREAM_START, 1);
    ing_feed(&g, 1, big + 200, (size_t)n + 200, 0, 2);
    ing_feed_s(&g, 1, M2, 0, 3);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].bytes, M2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_OVERFLOW), 1);
    ing_free(&g);
}

/* Several streams interleaved keep separate buffers. */
static void test_interleaved_streams(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    size_t a = strlen(M1) / 2, b = strlen(M2) / 2;
    ing_feed(&g, 1, M1, a, CAP_F_STREAM_START, 1);
    ing_feed(&g, 2, M2, b, CAP_F_STREAM_START, 2);
    ing_feed_s(&g, 1, &M1[a], 0, 3);
    ing_feed_s(&g, 2, &M2[b], 0, 4);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[0].bytes, M1);
    assert_int_equal(g.m[0].frame_first, 1);
    assert_int_equal(g.m[0].frame, 3);
    assert_string_equal(g.m[1].bytes, M2);
    ing_feed(&g, 1, M1, a, 0, 5); /* left partial at the end */
    ing_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_byte_at_a_time),
        cmocka_unit_test(test_data_with_fin),
        cmocka_unit_test(test_keepalives),
        cmocka_unit_test(test_gap_resync),
        cmocka_unit_test(test_midstream_join),
        cmocka_unit_test(test_no_content_length),
        cmocka_unit_test(test_not_sip),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_interleaved_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
