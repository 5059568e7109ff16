/* HEP3 over TCP (ingest/hep_stream.c): stream payloads as TCP reassembly pushes them, cut at
 * every possible place, a capture that joined the connection midway, lost bytes, a connection
 * that ends inside a packet, and SIP connections that must stay with SIP framing. */
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

#include "capture/hepbuild.h"
#include "ingest/ingest.h"

#define MAXM 16

struct seen {
    int n;
    char call_id[MAXM][64];
    uint16_t flags[MAXM];
    uint8_t transport[MAXM];
    uint64_t frame[MAXM], frame_first[MAXM];
    uint16_t src_port[MAXM];
};

static void on_msg(void *ctx, const struct ingest_msg *m)
{
    struct seen *s = ctx;
    if (s->n >= MAXM)
        return;
    sv_t cid = sip_call_id(m->sip);
    snprintf(s->call_id[s->n], sizeof(s->call_id[0]), "%.*s", SV_ARG(cid));
    s->flags[s->n] = m->flags;
    s->transport[s->n] = m->transport;
    s->frame[s->n] = m->frame;
    s->frame_first[s->n] = m->frame_first;
    s->src_port[s->n] = m->src.port;
    s->n++;
}

struct run {
    struct seen seen;
    struct ingest_stats ist;
    struct cap_stats cst;
    struct ingest *in;
    uint64_t frame;
};

static void run_start(struct run *r)
{
    memset(r, 0, sizeof(*r));
    struct ingest_opts o = { .cap_stats = &r->cst };
    r->in = ingest_new(&o, on_msg, &r->seen, &r->ist);
}

/* Push d[0..n) of connection direction id as one stream payload. */
static void push(struct run *r, uint64_t id, const uint8_t *d, size_t n, uint16_t flags)
{
    uint8_t *g = guard_copy(d, n);
    r->frame++;
    struct cap_payload p = {
        .data = g,
        .len = n,
        .ts_ns = (int64_t)r->frame,
        .frame = r->frame,
        .frame_first = r->frame,
        .flags = flags,
        .transport = CAP_TP_TCP,
        .kind = CAP_KIND_STREAM,
        .stream_id = id,
    };
    ingest_payload(r->in, &p);
    guard_free(g);
}

static void run_end(struct run *r)
{
    ingest_finish(r->in);
}

/* Three packets: SIP, a log, SIP (Call-IDs hep-1, hep-2). */
static struct bb three_packets(void)
{
    struct bb b = { 0 };
    h3_packet(&b, SIP_OPTIONS, &(struct h3_opts){ .proto = 6 });
    h3_packet(&b, "a log line", &(struct h3_opts){ .type = 100 });
    size_t at = b.len;
    h3_packet(&b, SIP_OPTIONS, &(struct h3_opts){ .proto = 6 });
    /* make the second message differ: hep-1 -> hep-2 in its Call-ID */
    for (size_t i = at; i + 5 < b.len; i++)
        if (memcmp(b.p + i, "hep-1@", 6) == 0)
            b.p[i + 4] = '2';
    return b;
}

/* Split into two segments at every offset, then into 1-byte segments. */
static void test_every_split(void **state)
{
    (void)state;
    struct bb b = three_packets();
    for (size_t cut = 0; cut <= b.len; cut++) {
        struct run r;
        run_start(&r);
        push(&r, 9, b.p, cut, CAP_F_STREAM_START);
        push(&r, 9, b.p + cut, b.len - cut, 0);
        push(&r, 9, NULL, 0, CAP_F_STREAM_END);
        run_end(&r);
        if (r.seen.n != 2)
            fail_msg("cut at %zu: %d messages", cut, r.seen.n);
        assert_string_equal(r.seen.call_id[0], "hep-1@example.com");
        assert_string_equal(r.seen.call_id[1], "hep-2@example.com");
        assert_true(r.seen.flags[0] & CAP_F_HEP);
        assert_int_equal(r.seen.transport[0], CAP_TP_TCP);
        assert_int_equal(r.seen.src_port[0], 5060);
        assert_int_equal(r.cst.n[CAP_STAT_HEP], 3);
        assert_int_equal(r.cst.n[CAP_STAT_HEP_NOT_SIP], 1);
        assert_int_equal(r.cst.n[CAP_STAT_HEP_SKIPPED], 0);
        assert_int_equal(r.ist.n[INGEST_STAT_STREAM_BYTES_SKIPPED], 0);
    }
    struct run r;
    run_start(&r);
    for (size_t i = 0; i < b.len; i++)
        push(&r, 9, b.p + i, 1, i == 0 ? CAP_F_STREAM_START : 0);
    run_end(&r);
    assert_int_equal(r.seen.n, 2);
    /* the message completed by the last byte started in the frame of its first byte */
    assert_true(r.seen.frame_first[1] < r.seen.frame[1]);
    bb_free(&b);
}

/* Joined midway: the first payload starts inside a packet; lost bytes; a cut last packet. */
static void test_join_gap_and_end(void **state)
{
    (void)state;
    struct bb b = three_packets();
    size_t first_len = (size_t)b.p[4] << 8 | b.p[5];
    struct run r;
    run_start(&r);
    push(&r, 4, b.p + 17, b.len - 17, 0); /* no CAP_F_STREAM_START */
    run_end(&r);
    assert_int_equal(r.seen.n, 1);
    assert_string_equal(r.seen.call_id[0], "hep-2@example.com");
    assert_int_equal(r.cst.n[CAP_STAT_HEP_SKIPPED], first_len - 17);

    run_start(&r);
    push(&r, 4, b.p, 40, CAP_F_STREAM_START);
    push(&r, 4, b.p + 60, b.len - 60, CAP_F_GAP); /* 20 bytes lost */
    run_end(&r);
    assert_int_equal(r.seen.n, 1);
    assert_string_equal(r.seen.call_id[0], "hep-2@example.com");
    assert_int_equal(r.cst.n[CAP_STAT_HEP_SKIPPED], 40 + first_len - 60);

    run_start(&r);
    push(&r, 4, b.p, b.len - 5, CAP_F_STREAM_START);
    push(&r, 4, NULL, 0, CAP_F_STREAM_END);
    run_end(&r);
    assert_int_equal(r.seen.n, 1);
    assert_true(r.cst.n[CAP_STAT_HEP_SKIPPED] > 0);
    bb_free(&b);
}

/* SIP over TCP next to HEP over TCP: each connection keeps its own framing. */
static void test_sip_streams_untouched(void **state)
{
    (void)state;
    struct bb hep = three_packets();
    struct run r;
    run_start(&r);
    const char *sip = SIP_OPTIONS;
    push(&r, 1, (const uint8_t *)sip, 30, CAP_F_STREAM_START);
    push(&r, 2, hep.p, hep.len, CAP_F_STREAM_START);
    push(&r, 1, (const uint8_t *)sip + 30, strlen(sip) - 30, 0);
    /* joined midway, SIP at the start of the payload: decided as SIP at once */
    push(&r, 3, (const uint8_t *)sip, strlen(sip), 0);
    /* joined midway inside a body that says "HEP3" with plausible lengths: still SIP */
    static const char body[] = "tail of a body: HEP3\x20\x20 AB\x00\x10 more text\r\n";
    push(&r, 5, (const uint8_t *)body, sizeof(body) - 1, 0);
    push(&r, 5, (const uint8_t *)sip, strlen(sip), 0);
    run_end(&r);
    assert_int_equal(r.seen.n, 5);
    int hep_msgs = 0;
    for (int i = 0; i < r.seen.n; i++)
        hep_msgs += (r.seen.flags[i] & CAP_F_HEP) != 0;
    assert_int_equal(hep_msgs, 2);
    assert_int_equal(r.cst.n[CAP_STAT_HEP], 3);
    bb_free(&hep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_join_gap_and_end),
        cmocka_unit_test(test_sip_streams_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
