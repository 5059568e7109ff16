/* Unit tests for SIP over WebSocket (ws.c via stream.c): the Upgrade handshake in each
 * direction, masked and unmasked frames, 7/16/64-bit lengths, fragmented messages with control
 * frames between the fragments, every split of a frame stream, compressed and over-long
 * messages, invalid frames and picking frames up again without a handshake. */
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

#define REQ                                                                          \
    "GET / HTTP/1.1\r\nHost: proxy\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\n" \
    "Sec-WebSocket-Version: 13\r\n\r\n"
#define RESP                                                                            \
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n" \
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
/* No Content-Length: WebSocket messages carry their own length (RFC 7118 §5). */
#define SIP_REQ  "REGISTER sip:proxy SIP/2.0\r\nCall-ID: ws1\r\nCSeq: 1 REGISTER\r\n\r\n"
#define SIP_RESP "SIP/2.0 200 OK\r\nCall-ID: ws1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n"

struct bytes {
    uint8_t p[200000];
    size_t len;
};

static void put(struct bytes *b, const void *d, size_t n)
{
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void put_s(struct bytes *b, const char *s)
{
    put(b, s, strlen(s));
}

/* One frame. lenbytes: 0 shortest, 2 or 8 to force the 16- or 64-bit form. */
static void frame(struct bytes *b, unsigned b0, bool masked, const void *data, size_t n,
                  int lenbytes)
{
    static const uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };
    uint8_t h[14];
    size_t hl = 2;
    h[0] = (uint8_t)b0;
    if (lenbytes == 8 || (lenbytes == 0 && n > 65535)) {
        h[1] = 127;
        for (int i = 0; i < 8; i++)
            h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
        hl = 10;
    } else if (lenbytes == 2 || n > 125) {
        h[1] = 126;
        h[2] = (uint8_t)(n >> 8);
        h[3] = (uint8_t)n;
        hl = 4;
    } else {
        h[1] = (uint8_t)n;
    }
    if (masked) {
        h[1] |= 0x80;
        memcpy(h + hl, key, 4);
        hl += 4;
    }
    put(b, h, hl);
    const uint8_t *d = data;
    for (size_t i = 0; i < n; i++)
        b->p[b->len + i] = masked ? (uint8_t)(d[i] ^ key[i & 3]) : d[i];
    b->len += n;
}

static void text(struct bytes *b, bool masked, const char *s)
{
    frame(b, 0x81, masked, s, strlen(s), 0);
}

/* Client and server halves: handshake, then one message each way. */
static void test_handshake_and_messages(void **state)
{
    (void)state;
    static struct bytes c, s;
    c.len = s.len = 0;
    put_s(&c, REQ);
    text(&c, true, SIP_REQ);
    put_s(&s, RESP);
    text(&s, false, SIP_RESP);
    struct ing g;
    ing_init(&g, 0);
    ing_feed(&g, 1, c.p, c.len, CAP_F_STREAM_START, 4);
    ing_feed(&g, 2, s.p, s.len, CAP_F_STREAM_START, 5);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[0].bytes, SIP_REQ);
    assert_int_equal(g.m[0].transport, CAP_TP_WS);
    assert_int_equal(g.m[0].malformed, 0);
    assert_string_equal(g.m[1].bytes, SIP_RESP);
    assert_int_equal(g.m[1].transport, CAP_TP_WS);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_HANDSHAKES), 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_NOT_SIP_PROTOCOL), 0);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_MESSAGES), 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_BYTES_SKIPPED), 0);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_BYTES_SKIPPED), 0);
    ing_free(&g);
}

/* A client stream: handshake, a 16-bit-length message (forced), a fragmented message with a
 * ping and a pong between its fragments, a CRLF keep-alive, a 64-bit-length message, a close. */
static struct bytes *client_stream(void)
{
    static struct bytes c;
    c.len = 0;
    put_s(&c, REQ);
    frame(&c, 0x81, true, SIP_REQ, strlen(SIP_REQ), 2);
    const char *m = SIP_REQ;
    size_t n = strlen(m);
    frame(&c, 0x01, true, m, 10, 0);                       /* text, not FIN */
    frame(&c, 0x89, true, "ping", 4, 0);                   /* ping between fragments */
    frame(&c, 0x00, true, m + 10, 20, 0);                  /* continuation */
    frame(&c, 0x8a, false, "", 0, 0);                      /* pong */
    frame(&c, 0x80, true, m + 30, n - 30, 8);              /* last continuation, 64-bit length */
    frame(&c, 0x81, true, "\r\n\r\n", 4, 0);               /* keep-alive */
    frame(&c, 0x82, false, SIP_RESP, strlen(SIP_RESP), 8); /* binary, 64-bit length */
    frame(&c, 0x88, true, "\x03\xe8", 2, 0);               /* close 1000 */
    return &c;
}

static void check_client(const struct ing *g)
{
    assert_int_equal(g->n, 3);
    assert_string_equal(g->m[0].bytes, SIP_REQ);
    assert_string_equal(g->m[1].bytes, SIP_REQ);
    assert_string_equal(g->m[2].bytes, SIP_RESP);
    assert_int_equal(ing_stat(g, INGEST_STAT_WS_FRAMES), 9);
    assert_int_equal(ing_stat(g, INGEST_STAT_WS_CONTROL), 3);
    assert_int_equal(ing_stat(g, INGEST_STAT_WS_MESSAGES), 4);
    assert_int_equal(ing_stat(g, INGEST_STAT_WS_FRAGMENTED), 1);
    assert_int_equal(ing_stat(g, INGEST_STAT_KEEPALIVE_PINGS), 1);
    assert_int_equal(ing_stat(g, INGEST_STAT_WS_MALFORMED), 0);
    assert_int_equal(ing_stat(g, INGEST_STAT_WS_BYTES_SKIPPED), 0);
}

static void test_every_split(void **state)
{
    (void)state;
    struct bytes *c = client_stream();
    for (size_t i = 0; i <= c->len; i++) {
        struct ing g;
        ing_init(&g, 0);
        ing_feed(&g, 1, c->p, i, CAP_F_STREAM_START, 1);
        ing_feed(&g, 1, c->p + i, c->len - i, CAP_F_STREAM_END, 2);
        check_client(&g);
        assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_PARTIAL_AT_END), 0);
        ing_free(&g);
    }
    /* a byte at a time: the fragmented message completes at the frame of its last byte */
    struct ing g;
    ing_init(&g, 0);
    for (size_t i = 0; i < c->len; i++)
        ing_feed(&g, 1, c->p + i, 1, i ? 0 : CAP_F_STREAM_START, 1 + i);
    check_client(&g);
    assert_true(g.m[1].frame_first < g.m[1].frame);
    ing_free(&g);
}

/* A message longer than 64 KiB (64-bit length) comes out whole. */
static void test_large_message(void **state)
{
    (void)state;
    static struct bytes c;
    static char big[70000 + 100];
    c.len = 0;
    int h = snprintf(big, sizeof(big), "MESSAGE sip:a SIP/2.0\r\nContent-Length: 70000\r\n\r\n");
    memset(big + h, 'z', 70000);
    big[h + 70000] = 0;
    put_s(&c, RESP);
    text(&c, false, big);
    struct ing g;
    ing_init(&g, 0);
    for (size_t off = 0; off < c.len; off += 1448) {
        size_t n = c.len - off < 1448 ? c.len - off : 1448;
        ing_feed(&g, 1, c.p + off, n, off ? 0 : CAP_F_STREAM_START, 1 + off / 1448);
    }
    assert_int_equal(g.n, 1);
    assert_int_equal(g.m[0].len, strlen(big));
    assert_int_equal(g.m[0].malformed, 0);
    ing_free(&g);
}

/* Bad frames lose sync (counted, bytes skipped) until a payload starts with a frame carrying
 * SIP; a continuation with no message, a compressed message and an over-long one too. */
static void test_bad_frames(void **state)
{
    (void)state;
    static struct bytes a, b;
    struct ing g;
    ing_init(&g, 1024);
    a.len = b.len = 0;
    put_s(&a, RESP);
    frame(&a, 0x83, false, "xx", 2, 0); /* reserved opcode 3 */
    text(&a, false, SIP_RESP);          /* lost with it */
    ing_feed(&g, 1, a.p, a.len, CAP_F_STREAM_START, 1);
    assert_int_equal(g.n, 0);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_MALFORMED), 1);
    text(&b, false, SIP_RESP);
    ing_feed(&g, 1, b.p, b.len, 0, 2);
    assert_int_equal(g.n, 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_JOINED), 1);
    /* a stray continuation */
    b.len = 0;
    frame(&b, 0x80, false, "abc", 3, 0);
    ing_feed(&g, 1, b.p, b.len, 0, 3);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_MALFORMED), 2);
    /* a control frame that claims more than 125 bytes, a fragmented ping, a 64-bit length
     * with its top bit set */
    static const uint8_t bad[][10] = {
        { 0x89, 126, 0, 200 },
        { 0x09, 0 },
        { 0x81, 127, 0x80, 0, 0, 0, 0, 0, 0, 1 },
    };
    static const size_t badlen[] = { 4, 2, 10 };
    for (int i = 0; i < 3; i++) {
        b.len = 0;
        text(&b, false, SIP_RESP);
        ing_feed(&g, 1, b.p, b.len, 0, 4);
        ing_feed(&g, 1, bad[i], badlen[i], 0, 5);
    }
    assert_int_equal(g.n, 4);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_MALFORMED), 5);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_JOINED), 4);
    /* compressed (RSV1), then over the 1024-byte limit: skipped; the next message is fine */
    b.len = 0;
    text(&b, false, SIP_RESP);
    frame(&b, 0xc1, false, "compressed", 10, 0);
    static char big[3000];
    memset(big, 'q', sizeof(big));
    frame(&b, 0x82, true, big, sizeof(big), 0);
    text(&b, true, SIP_REQ);
    ing_feed(&g, 1, b.p, 700, 0, 6);
    ing_feed(&g, 1, b.p + 700, b.len - 700, 0, 7);
    assert_int_equal(g.n, 6);
    assert_string_equal(g.m[4].bytes, SIP_RESP);
    assert_string_equal(g.m[5].bytes, SIP_REQ);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_COMPRESSED), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_OVER_LIMIT), 1);
    ing_free(&g);
}

/* No handshake seen (joined mid-stream): frames carrying SIP are recognised; a gap inside a
 * fragmented message loses it, and frames are picked up again after it. */
static void test_midstream_and_gap(void **state)
{
    (void)state;
    static struct bytes b;
    b.len = 0;
    text(&b, true, SIP_REQ);
    struct ing g;
    ing_init(&g, 0);
    ing_feed(&g, 1, b.p, b.len, 0, 1);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.m[0].transport, CAP_TP_WS);
    b.len = 0;
    frame(&b, 0x01, true, SIP_REQ, 12, 0);
    ing_feed(&g, 1, b.p, b.len, 0, 2);
    b.len = 0;
    text(&b, false, SIP_RESP);
    ing_feed(&g, 1, b.p, b.len, CAP_F_GAP, 3);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[1].bytes, SIP_RESP);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_CUT_BY_GAP), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_JOINED), 2);
    /* a handshake that names another protocol: frames read anyway, non-SIP counted */
    static struct bytes o;
    o.len = 0;
    put_s(&o, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
    text(&o, false, "{\"json\": true}");
    ing_feed(&g, 2, o.p, o.len, CAP_F_STREAM_START, 4);
    assert_int_equal(g.n, 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_NOT_SIP_PROTOCOL), 1);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_NOT_SIP), 1);
    ing_free(&g);
}

/* A GET without Upgrade and a 200 response to one are plain HTTP. */
static void test_not_an_upgrade(void **state)
{
    (void)state;
    struct ing g;
    ing_init(&g, 0);
    ing_feed_s(&g, 1, "GET /sip HTTP/1.1\r\nUpgrade: h2c\r\n\r\n" SIP_RESP, CAP_F_STREAM_START, 1);
    ing_feed_s(&g, 2, "HTTP/1.1 200 OK\r\nUpgrade: websocket\r\n\r\n", CAP_F_STREAM_START, 2);
    assert_int_equal(g.n, 1); /* the SIP after the HTTP request is framed as SIP */
    assert_int_equal(g.m[0].transport, CAP_TP_TCP);
    assert_int_equal(ing_stat(&g, INGEST_STAT_STREAM_HTTP), 2);
    assert_int_equal(ing_stat(&g, INGEST_STAT_WS_HANDSHAKES), 0);
    ing_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_and_messages), cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_large_message),          cmocka_unit_test(test_bad_frames),
        cmocka_unit_test(test_midstream_and_gap),      cmocka_unit_test(test_not_an_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
