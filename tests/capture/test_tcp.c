/* Unit tests for TCP stream reassembly (tcp.c): hand-built IPv4/TCP segments fed through the
 * decoder one frame at a time (each ending at a PROT_NONE page), checking the stream payloads
 * pushed — bytes, flags, stream ids, frame numbers — and the counters. */
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

#define A   IP4(10, 0, 0, 1)
#define B   IP4(10, 0, 0, 2)
#define SYN 0x02
#define FIN 0x01
#define RST 0x04
#define ACK 0x10
#define PSH 0x08

/* One TCP segment from A:5060 to B:40000 (dir 0) or back (dir 1), in an IPv4 packet. */
struct seg {
    int dir;
    uint32_t seq, ack;
    unsigned flags;
    const char *data;
    size_t len;    /* 0: strlen(data) */
    unsigned port; /* B's port; 0: 40000 */
};

static struct bb mk_seg(const struct seg *s)
{
    struct bb t = { 0 };
    size_t len = s->data ? (s->len ? s->len : strlen(s->data)) : 0;
    unsigned port = s->port ? s->port : 40000;
    bb_be16(&t, s->dir ? port : 5060);
    bb_be16(&t, s->dir ? 5060 : port);
    bb_be32(&t, s->seq);
    bb_be32(&t, s->ack);
    bb_u8(&t, 0x50);
    bb_u8(&t, s->flags);
    bb_be16(&t, 65535);
    bb_be32(&t, 0);
    if (len)
        bb_put(&t, s->data, len);
    struct bb ip = mk_ipv4(s->dir ? B : A, s->dir ? A : B, 6, 1, 0, &t);
    bb_free(&t);
    return ip;
}

/* Decode s as frame number frame at time ts seconds; cut: bytes missing at the end (snaplen). */
static void feed_cut(struct col *c, const struct seg *s, uint64_t frame, int64_t ts, size_t cut)
{
    struct bb ip = mk_seg(s);
    col_frame_ts(c, CAP_LINK_RAW, &ip, ip.len - cut, frame, ts * 1000000000LL);
    bb_free(&ip);
}

static void feed(struct col *c, const struct seg *s, uint64_t frame, int64_t ts)
{
    feed_cut(c, s, frame, ts, 0);
}

/* Bytes of every payload of stream id, in order, as a NUL-terminated string (static). */
static const char *stream_text(const struct col *c, uint64_t id)
{
    static char out[4096];
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct cap_payload *p = &c->g[i].p;
        if (p->stream_id != id || n + p->len >= sizeof(out))
            continue;
        memcpy(out + n, p->data, p->len);
        n += p->len;
    }
    out[n] = 0;
    return out;
}

static uint64_t stat(const struct col *c, enum cap_stat s)
{
    return c->st.n[s];
}

static void opened(struct col *c, uint32_t isn_a, uint32_t isn_b)
{
    struct seg s1 = { 0, isn_a, 0, SYN, NULL, 0, 0 };
    struct seg s2 = { 1, isn_b, isn_a + 1, SYN | ACK, NULL, 0, 0 };
    struct seg s3 = { 0, isn_a + 1, isn_b + 1, ACK, NULL, 0, 0 };
    feed(c, &s1, 1, 1);
    feed(c, &s2, 2, 1);
    feed(c, &s3, 3, 1);
}

/* A message split over three segments after a handshake: three payloads of one stream, the
 * first marked STREAM_START, each at its own frame. */
static void test_split_after_syn(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 1000, 5000);
    struct seg s[] = {
        { 0, 1001, 5001, ACK, "OPTIONS sip:b SIP/2.0\r\n", 0, 0 },
        { 0, 1024, 5001, ACK, "Content-Length: 0\r\n", 0, 0 },
        { 0, 1043, 5001, ACK | PSH, "\r\n", 0, 0 },
    };
    for (int i = 0; i < 3; i++)
        feed(&c, &s[i], 4 + (uint64_t)i, 2);
    assert_int_equal(c.n, 3);
    uint64_t id = c.g[0].p.stream_id;
    assert_true(id != 0);
    assert_string_equal(stream_text(&c, id), "OPTIONS sip:b SIP/2.0\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(c.g[0].p.flags & CAP_F_STREAM_START, CAP_F_STREAM_START);
    assert_int_equal(c.g[1].p.flags & CAP_F_STREAM_START, 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(c.g[i].p.stream_id, id);
        assert_int_equal(c.g[i].p.frame, 4 + i);
        assert_int_equal(c.g[i].p.frame_first, 4 + i);
        assert_int_equal(c.g[i].p.kind, CAP_KIND_STREAM);
        assert_int_equal(c.g[i].p.src.port, 5060);
        assert_int_equal(c.g[i].p.dst.port, 40000);
    }
    /* the other direction has its own id */
    struct seg r = { 1, 5001, 1045, ACK, "SIP/2.0 200 OK\r\n", 0, 0 };
    feed(&c, &r, 7, 2);
    assert_int_equal(c.n, 4);
    assert_true(c.g[3].p.stream_id != id);
    assert_int_equal(c.g[3].p.src.port, 40000);
    assert_int_equal(c.g[3].p.flags & CAP_F_STREAM_START, CAP_F_STREAM_START);
    assert_int_equal(stat(&c, CAP_STAT_TCP_BYTES), 44 + 16);
    assert_int_equal(stat(&c, CAP_STAT_TCP_CONNS), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_MIDSTREAM), 0);
    col_free(&c);
}

/* Two messages coalesced in one segment go out as they are, in one payload. */
static void test_coalesced(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 1, 1);
    const char *two = "ACK sip:b SIP/2.0\r\nl: 0\r\n\r\nBYE sip:b SIP/2.0\r\nl: 0\r\n\r\n";
    struct seg s = { 0, 2, 2, ACK, two, 0, 0 };
    feed(&c, &s, 4, 1);
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], two));
    col_free(&c);
}

/* A segment sent again, and one that overlaps what was delivered: each byte goes out once. */
static void test_retransmitted_and_overlapping(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    struct seg b = { 0, 106, 201, ACK, "56789abcde", 0, 0 };
    feed(&c, &a, 4, 1);
    feed(&c, &a, 5, 1); /* retransmission */
    feed(&c, &b, 6, 1); /* overlaps 5 bytes */
    assert_int_equal(c.n, 2);
    assert_string_equal(stream_text(&c, c.g[0].p.stream_id), "0123456789abcde");
    assert_int_equal(c.g[1].p.frame, 6);
    assert_int_equal(stat(&c, CAP_STAT_TCP_RETRANS), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_RETRANS_BYTES), 15);
    assert_int_equal(stat(&c, CAP_STAT_TCP_BYTES), 15);
    assert_int_equal(stat(&c, CAP_STAT_TCP_OVERLAP_BAD), 0);
    col_free(&c);
}

/* Out of order: the later segment is held; the earlier one releases both at its frame, each
 * payload naming the frame that carried its first byte. */
static void test_out_of_order(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg s3 = { 0, 121, 201, ACK, "KLMNOPQRST", 0, 0 };
    struct seg s2 = { 0, 111, 201, ACK, "ABCDEFGHIJ", 0, 0 };
    struct seg s1 = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    feed(&c, &s3, 4, 1);
    feed(&c, &s2, 5, 1);
    assert_int_equal(c.n, 0);
    assert_int_equal(stat(&c, CAP_STAT_TCP_OOO), 2);
    feed(&c, &s1, 6, 1);
    assert_int_equal(c.n, 3);
    assert_string_equal(stream_text(&c, c.g[0].p.stream_id), "0123456789ABCDEFGHIJKLMNOPQRST");
    assert_int_equal(c.g[0].p.frame_first, 6);
    assert_int_equal(c.g[1].p.frame_first, 5);
    assert_int_equal(c.g[2].p.frame_first, 4);
    for (int i = 0; i < 3; i++)
        assert_int_equal(c.g[i].p.frame, 6);
    assert_int_equal(c.g[0].p.flags & CAP_F_GAP, 0);
    assert_int_equal(c.g[2].p.flags & CAP_F_GAP, 0);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAPS), 0);
    col_free(&c);
}

/* Held bytes repeated with different content: counted, the first copy kept. Partly held
 * ranges keep only what is new. */
static void test_inconsistent_overlap(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg held = { 0, 111, 201, ACK, "ABCDEFGHIJ", 0, 0 };
    struct seg same = { 0, 106, 201, ACK, "vwxyzABCDE", 0, 0 };  /* agrees on the overlap */
    struct seg other = { 0, 116, 201, ACK, "fghijKLMNO", 0, 0 }; /* disagrees on FGHIJ */
    struct seg fill = { 0, 101, 201, ACK, "01234vwx", 0, 0 };    /* ends inside "vwxyz" */
    feed(&c, &held, 4, 1);
    feed(&c, &same, 5, 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_OVERLAP_BAD), 0);
    feed(&c, &other, 6, 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_OVERLAP_BAD), 1);
    feed(&c, &fill, 7, 1);
    assert_string_equal(stream_text(&c, c.g[0].p.stream_id), "01234vwxyzABCDEFGHIJKLMNO");
    /* an in-order segment that disagrees with held bytes is counted too */
    struct seg late = { 0, 131, 201, ACK, "0123", 0, 0 };
    struct seg bad = { 0, 126, 201, ACK, "PQRSTxyz", 0, 0 };
    feed(&c, &late, 8, 1);
    feed(&c, &bad, 9, 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_OVERLAP_BAD), 2);
    assert_string_equal(stream_text(&c, c.g[0].p.stream_id), "01234vwxyzABCDEFGHIJKLMNOPQRSTxyz3");
    col_free(&c);
}

/* A hole the peer acknowledges past is lost: what follows goes out marked as a gap, at the
 * frame that carried it (as tshark reports it), and the sequence space skipped is counted.
 * Bytes that come after a hole the peer has already acknowledged go out at once. */
static void test_gap_acked(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    struct seg b = { 0, 121, 201, ACK, "KLMNOPQRST", 0, 0 };
    struct seg ack = { 1, 201, 131, ACK, NULL, 0, 0 };
    feed(&c, &a, 4, 1);
    feed(&c, &b, 5, 1);
    assert_int_equal(c.n, 1);
    feed(&c, &ack, 6, 1);
    assert_int_equal(c.n, 2);
    assert_true(got_is(&c.g[1], "KLMNOPQRST"));
    assert_int_equal(c.g[1].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(c.g[1].p.frame, 5);
    assert_int_equal(c.g[1].p.frame_first, 5);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAPS), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_ACKED), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_BYTES), 10);
    /* the lost bytes turning up later are old: dropped */
    struct seg late = { 0, 111, 201, ACK, "ABCDEFGHIJ", 0, 0 };
    feed(&c, &late, 7, 1);
    assert_int_equal(c.n, 2);
    assert_int_equal(stat(&c, CAP_STAT_TCP_RETRANS), 1);
    /* the peer acknowledges 20 bytes not seen; bytes after them are not held */
    struct seg ack2 = { 1, 201, 151, ACK, NULL, 0, 0 };
    struct seg d = { 0, 151, 201, ACK, "after", 0, 0 };
    feed(&c, &ack2, 8, 1);
    feed(&c, &d, 9, 1);
    assert_int_equal(c.n, 3);
    assert_true(got_is(&c.g[2], "after"));
    assert_int_equal(c.g[2].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(c.g[2].p.frame, 9);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_BYTES), 30);
    assert_int_equal(stat(&c, CAP_STAT_TCP_OOO), 1);
    col_free(&c);
}

/* A hole wider than the window, or held bytes over tcp_max_bytes, is given up at once. */
static void test_gap_window(void **state)
{
    (void)state;
    struct cap_decoder_opts o = { .tcp_max_bytes = 32 };
    struct col c;
    col_init(&c, &o);
    opened(&c, 100, 200);
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    struct seg far = { 0, 201, 201, ACK, "far", 0, 0 };
    feed(&c, &a, 4, 1);
    feed(&c, &far, 5, 1);
    assert_int_equal(c.n, 2);
    assert_true(got_is(&c.g[1], "far"));
    assert_int_equal(c.g[1].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_BYTES), 90);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_WINDOW), 1);
    /* held bytes: 20 fit, the next 20 would not */
    struct seg h1 = { 0, 214, 201, ACK, "aaaaaaaaaaaaaaaaaaaa", 0, 0 };
    struct seg h2 = { 0, 234, 201, ACK, "bbbbbbbbbbbbbbbbbbbb", 0, 0 };
    feed(&c, &h1, 6, 1);
    assert_int_equal(c.n, 2);
    feed(&c, &h2, 7, 1);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.g[2].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(c.g[3].p.flags & CAP_F_GAP, 0);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_BYTES), 100);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAPS), 2);
    col_free(&c);
}

/* Sequence numbers that wrap past 2^32, in order and out of order. */
static void test_wraparound(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    uint32_t isn = 0xfffffff0u;
    opened(&c, isn, 7);
    struct seg a = { 0, isn + 1, 8, ACK, "0123456789", 0, 0 };  /* ..fffffffa */
    struct seg b = { 0, isn + 11, 8, ACK, "ABCDEFGHIJ", 0, 0 }; /* crosses 0 */
    struct seg d = { 0, isn + 31, 8, ACK, "klmnopqrst", 0, 0 }; /* after 0 */
    struct seg cc = { 0, isn + 21, 8, ACK, "abcdefghij", 0, 0 };
    feed(&c, &a, 4, 1);
    feed(&c, &b, 5, 1);
    feed(&c, &d, 6, 1);
    feed(&c, &cc, 7, 1);
    feed(&c, &a, 8, 1); /* an old retransmission from before the wrap */
    assert_string_equal(stream_text(&c, c.g[0].p.stream_id),
                        "0123456789ABCDEFGHIJabcdefghijklmnopqrst");
    assert_int_equal(stat(&c, CAP_STAT_TCP_RETRANS), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAPS), 0);
    col_free(&c);
}

static size_t count_flag(const struct col *c, uint16_t f)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += (c->g[i].p.flags & f) != 0;
    return n;
}

/* FIN ends a direction once the bytes before it are in; a FIN ahead of a hole waits for it. */
static void test_fin(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg b = { 0, 111, 201, ACK | FIN, "ABCDEFGHIJ", 0, 0 };
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    feed(&c, &b, 4, 1);
    assert_int_equal(c.n, 0);
    feed(&c, &a, 5, 1);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.g[2].p.flags & CAP_F_STREAM_END, CAP_F_STREAM_END);
    assert_int_equal(c.g[2].p.len, 0);
    assert_int_equal(c.g[2].p.stream_id, c.g[0].p.stream_id);
    /* the FIN again, and the peer's FIN: nothing new for dir 0, END for dir 1 */
    feed(&c, &b, 6, 1);
    struct seg f1 = { 1, 201, 122, ACK | FIN, NULL, 0, 0 };
    feed(&c, &f1, 7, 1);
    assert_int_equal(count_flag(&c, CAP_F_STREAM_END), 2);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAPS), 0);
    /* the port pair used again with a new ISN: a new connection, new ids, START again */
    uint64_t old = c.g[0].p.stream_id;
    col_clear(&c);
    opened(&c, 9000, 9100);
    struct seg n = { 0, 9001, 9101, ACK, "again", 0, 0 };
    feed(&c, &n, 10, 2);
    assert_int_equal(c.n, 1);
    assert_true(c.g[0].p.stream_id > old + 1);
    assert_int_equal(c.g[0].p.flags & CAP_F_STREAM_START, CAP_F_STREAM_START);
    assert_int_equal(stat(&c, CAP_STAT_TCP_REUSED), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_CONNS), 2);
    col_free(&c);
}

/* RST ends both directions; a hole still open is given up first. Data past the end of the
 * closed stream starts a new one. */
static void test_rst(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    struct seg b = { 0, 121, 201, ACK, "KLMNOPQRST", 0, 0 };
    struct seg r = { 1, 201, 0, RST, NULL, 0, 0 };
    struct seg x = { 1, 201, 101, ACK, "xyz", 0, 0 };
    feed(&c, &x, 4, 1);
    feed(&c, &a, 5, 1);
    feed(&c, &b, 6, 1);
    feed(&c, &r, 7, 1);
    assert_int_equal(c.n, 5);
    assert_true(got_is(&c.g[3], "KLMNOPQRST"));
    assert_int_equal(c.g[3].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(count_flag(&c, CAP_F_STREAM_END), 2);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_CLOSED), 1);
    /* retransmitted data of the closed stream is old; new data past its end is a new stream */
    feed(&c, &a, 8, 1);
    assert_int_equal(c.n, 5);
    struct seg more = { 0, 131, 201, ACK, "more", 0, 0 };
    feed(&c, &more, 9, 1);
    assert_int_equal(c.n, 6);
    assert_true(c.g[5].p.stream_id != c.g[0].p.stream_id);
    assert_int_equal(c.g[5].p.flags & (CAP_F_STREAM_START | CAP_F_GAP), 0);
    assert_int_equal(stat(&c, CAP_STAT_TCP_REUSED), 1);
    col_free(&c);
}

/* A connection idle for longer than tcp_idle_ns of capture time is ended and forgotten. */
static void test_idle_timeout(void **state)
{
    (void)state;
    struct cap_decoder_opts o = { .tcp_idle_ns = 10 * 1000000000LL };
    struct col c;
    col_init(&c, &o);
    opened(&c, 100, 200);
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    struct seg held = { 0, 121, 201, ACK, "KLMNOPQRST", 0, 0 };
    feed(&c, &a, 4, 1);
    feed(&c, &held, 5, 2);
    struct seg other = { 1, 1, 1, ACK, "other", 0, 41000 };
    feed(&c, &other, 6, 11); /* 9 s later: not yet */
    assert_int_equal(count_flag(&c, CAP_F_STREAM_END), 0);
    feed(&c, &other, 7, 13); /* 11 s after frame 5 */
    assert_int_equal(count_flag(&c, CAP_F_STREAM_END), 2);
    assert_int_equal(stat(&c, CAP_STAT_TCP_IDLE), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_IDLE), 1);
    /* the held bytes went out marked as a gap, at the connection's last frame */
    assert_true(got_is(&c.g[2], "KLMNOPQRST"));
    assert_int_equal(c.g[2].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(c.g[2].p.frame, 5);
    /* more data on that port pair: a new connection joined mid-stream */
    uint64_t old = c.g[0].p.stream_id;
    feed(&c, &a, 8, 14);
    assert_true(c.g[c.n - 1].p.stream_id != old);
    assert_int_equal(stat(&c, CAP_STAT_TCP_MIDSTREAM), 2);
    col_free(&c);
}

/* At most tcp_max_streams connections: the least recently used one is ended. */
static void test_stream_cap(void **state)
{
    (void)state;
    struct cap_decoder_opts o = { .tcp_max_streams = 2 };
    struct col c;
    col_init(&c, &o);
    for (unsigned i = 0; i < 3; i++) {
        struct bb t = { 0 };
        bb_be16(&t, 5060);
        bb_be16(&t, 40000 + i);
        bb_be32(&t, 1);
        bb_be32(&t, 1);
        bb_u8(&t, 0x50);
        bb_u8(&t, ACK);
        bb_be16(&t, 1000);
        bb_be32(&t, 0);
        bb_str(&t, "x");
        struct bb ip = mk_ipv4(A, B, 6, 1, 0, &t);
        col_frame_ts(&c, CAP_LINK_RAW, &ip, ip.len, 1 + i, 1);
        bb_free(&t);
        bb_free(&ip);
    }
    assert_int_equal(stat(&c, CAP_STAT_TCP_EVICTED), 1);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.g[2].p.flags & CAP_F_STREAM_END, CAP_F_STREAM_END);
    assert_int_equal(c.g[2].p.dst.port, 40000);
    col_finish(&c);
    assert_int_equal(count_flag(&c, CAP_F_STREAM_END), 3);
    col_free(&c);
}

/* Data with no SYN: the stream starts at the first byte seen, without STREAM_START; bytes
 * before it are taken for old. */
static void test_midstream_join(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    struct seg b = { 0, 5000, 1, ACK, "ABCDEFGHIJ", 0, 0 };
    struct seg a = { 0, 4990, 1, ACK, "0123456789", 0, 0 };
    feed(&c, &b, 1, 1);
    feed(&c, &a, 2, 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.g[0].p.flags & (CAP_F_STREAM_START | CAP_F_GAP), 0);
    assert_int_equal(stat(&c, CAP_STAT_TCP_MIDSTREAM), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_RETRANS), 1);
    /* a bare ACK of an unknown connection creates nothing */
    struct seg ack = { 1, 77, 5010, ACK, NULL, 0, 0 };
    feed(&c, &ack, 3, 1);
    struct seg ack2 = { 0, 77, 5010, ACK, NULL, 0, 0 };
    ack2.seq = 1;
    feed(&c, &ack2, 4, 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_CONNS), 1);
    col_free(&c);
}

/* A segment cut by the snapshot length: what is there goes out; the rest is a gap. Bytes held
 * at the end of input go out marked as a gap too. */
static void test_truncated_and_end(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    opened(&c, 100, 200);
    struct seg a = { 0, 101, 201, ACK, "0123456789", 0, 0 };
    struct seg b = { 0, 111, 201, ACK, "ABCDEFGHIJ", 0, 0 };
    struct seg h = { 0, 131, 201, ACK, "held", 0, 0 };
    feed_cut(&c, &a, 4, 1, 4);
    feed(&c, &b, 5, 1);
    feed(&c, &h, 6, 1);
    assert_int_equal(c.n, 2);
    assert_true(got_is(&c.g[0], "012345"));
    assert_true(got_is(&c.g[1], "ABCDEFGHIJ"));
    assert_int_equal(c.g[1].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_SNAPLEN), 1);
    col_finish(&c);
    assert_true(got_is(&c.g[2], "held"));
    assert_int_equal(c.g[2].p.flags & CAP_F_GAP, CAP_F_GAP);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_END), 1);
    assert_int_equal(stat(&c, CAP_STAT_TCP_GAP_BYTES), 4 + 10);
    assert_int_equal(count_flag(&c, CAP_F_STREAM_END), 2);
    col_free(&c);
}

/* SYN retransmitted, SYN carrying data (TCP Fast Open), IPv6. */
static void test_syn_variants(void **state)
{
    (void)state;
    struct col c;
    col_init(&c, NULL);
    struct seg syn = { 0, 50, 0, SYN, "tfo", 0, 0 };
    feed(&c, &syn, 1, 1);
    feed(&c, &syn, 2, 1);
    struct seg next = { 0, 54, 0, ACK, "next", 0, 0 };
    feed(&c, &next, 3, 1);
    assert_string_equal(stream_text(&c, c.g[0].p.stream_id), "tfonext");
    assert_int_equal(c.g[0].p.flags & CAP_F_STREAM_START, CAP_F_STREAM_START);
    assert_int_equal(stat(&c, CAP_STAT_TCP_CONNS), 1);
    col_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_after_syn),
        cmocka_unit_test(test_coalesced),
        cmocka_unit_test(test_retransmitted_and_overlapping),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_inconsistent_overlap),
        cmocka_unit_test(test_gap_acked),
        cmocka_unit_test(test_gap_window),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_fin),
        cmocka_unit_test(test_rst),
        cmocka_unit_test(test_idle_timeout),
        cmocka_unit_test(test_stream_cap),
        cmocka_unit_test(test_midstream_join),
        cmocka_unit_test(test_truncated_and_end),
        cmocka_unit_test(test_syn_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
