/* HEP decapsulation (capture/hep.c) and raw HEP files (capture/hepfile.c): hand-built HEP3 and
 * HEP v1/v2 packets with every chunk type, compressed payloads (zlib, gzip, raw deflate, corrupt,
 * cut, bombs), impossible lengths, vendor and unknown chunks, payload types other than SIP,
 * several packets in one datagram, HEP inside UDP on any port, and files of HEP3 packets. Every
 * packet is decoded from a copy that ends at a PROT_NONE page, so an over-read faults. */
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

#include "capture/capture.h"
#include "capture/hepbuild.h"

#define TMPL_TS 4242

/* Decapsulate b as one datagram; returns what cap_hep_decap returned. */
static bool decap(struct col *c, const struct bb *b, uint16_t flags)
{
    struct cap_hep *h = cap_hep_new(&c->st);
    uint8_t *g = guard_copy(b->p, b->len);
    struct cap_payload t = {
        .ts_ns = TMPL_TS, .frame = 3, .frame_first = 2, .file_index = 1, .flags = flags
    };
    bool r = cap_hep_decap(h, g, b->len, &t, col_fn, c);
    guard_free(g);
    cap_hep_free(h);
    return r;
}

static void col_reset(struct col *c)
{
    col_clear(c);
    memset(&c->st, 0, sizeof(c->st));
}

static void check_addr(const struct cap_addr *a, unsigned family, const uint8_t *ip, unsigned port)
{
    assert_int_equal(a->family, family);
    assert_int_equal(a->port, port);
    if (family)
        assert_memory_equal(a->ip, ip, family == 4 ? 4 : 16);
}

/* Every chunk the decoder reads, plus named chunks it steps over. */
static void test_v3_every_chunk(void **state)
{
    (void)state;
    static const uint8_t src[4] = { 192, 0, 2, 10 }, dst[4] = { 192, 0, 2, 20 };
    struct bb b = { 0 };
    size_t at = h3_begin(&b);
    h3_meta(&b, &(struct h3_opts){ .usec = 123456 });
    h3_u16(&b, 13, 30);                           /* keep-alive timer */
    h3_chunk(&b, 0, 14, "secret", 6);             /* auth key: stepped over, never kept */
    h3_chunk(&b, 0, 17, "hep-1@example.com", 17); /* correlation id */
    h3_u16(&b, 18, 42);                           /* VLAN */
    h3_chunk(&b, 0, 20, "\x00\x11\x22\x33\x44\x55", 6);
    h3_u16(&b, 32, 440); /* MOS */
    h3_chunk(&b, 0, 15, SIP_OPTIONS, strlen(SIP_OPTIONS));
    h3_end(&b, at);

    struct col c;
    memset(&c, 0, sizeof(c));
    assert_true(decap(&c, &b, 0));
    assert_int_equal(c.n, 1);
    const struct cap_payload *p = &c.g[0].p;
    assert_true(got_is(&c.g[0], SIP_OPTIONS));
    assert_int_equal(p->kind, CAP_KIND_MESSAGE);
    assert_int_equal(p->flags, CAP_F_HEP);
    assert_int_equal(p->transport, CAP_TP_UDP);
    check_addr(&p->src, 4, src, 5060);
    check_addr(&p->dst, 4, dst, 5080);
    assert_int_equal(p->ts_ns, 1700000000 * (int64_t)1000000000 + 123456000);
    assert_int_equal(p->frame, 3);
    assert_int_equal(p->frame_first, 2);
    assert_int_equal(p->file_index, 1);
    assert_int_equal(p->hep_capture_id, 2001);
    assert_int_equal(p->hep_node.len, 6);
    assert_int_equal(c.st.n[CAP_STAT_HEP], 1);
    assert_int_equal(c.st.n[CAP_STAT_HEP_SIP], 1);
    assert_int_equal(c.st.n[CAP_STAT_HEP_UNKNOWN_CHUNK] + c.st.n[CAP_STAT_HEP_BAD_CHUNK], 0);
    col_free(&c);
    bb_free(&b);
}

/* IP protocol -> transport; IPv6 addresses; the family inferred when its chunk is missing. */
static void test_v3_transports_and_families(void **state)
{
    (void)state;
    static const struct {
        unsigned proto;
        enum cap_transport tp;
    } tps[] = { { 17, CAP_TP_UDP },
                { 6, CAP_TP_TCP },
                { 132, CAP_TP_SCTP },
                { 22, CAP_TP_UNKNOWN },
                { 0, CAP_TP_UNKNOWN } };
    struct col c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < sizeof(tps) / sizeof(tps[0]); i++) {
        struct bb b = { 0 };
        size_t at = h3_begin(&b);
        h3_u8(&b, 2, tps[i].proto);
        h3_u8(&b, 11, 1);
        h3_chunk(&b, 0, 15, SIP_OPTIONS, strlen(SIP_OPTIONS));
        h3_end(&b, at);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 1);
        assert_int_equal(c.g[0].p.transport, tps[i].tp);
        /* no addresses at all, no time: unknown family, the frame's time */
        assert_int_equal(c.g[0].p.src.family, 0);
        assert_int_equal(c.g[0].p.ts_ns, TMPL_TS);
        assert_int_equal(c.st.n[CAP_STAT_HEP_NO_TIME], 1);
        col_reset(&c);
        bb_free(&b);
    }
    uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 }, b6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    a6[15] = 1;
    b6[15] = 2;
    for (int with_family = 0; with_family < 2; with_family++) {
        struct bb b = { 0 };
        size_t at = h3_begin(&b);
        if (with_family)
            h3_u8(&b, 1, 10);
        h3_chunk(&b, 0, 5, a6, 16);
        h3_chunk(&b, 0, 6, b6, 16);
        h3_u16(&b, 7, 5061);
        h3_u16(&b, 8, 5062);
        h3_chunk(&b, 0, 15, SIP_OPTIONS, strlen(SIP_OPTIONS)); /* no type: SIP by its looks */
        h3_end(&b, at);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 1);
        check_addr(&c.g[0].p.src, 6, a6, 5061);
        check_addr(&c.g[0].p.dst, 6, b6, 5062);
        col_reset(&c);
        bb_free(&b);
    }
    col_free(&c);
}

/* Compressed payload chunks: zlib, gzip and raw deflate all inflate to the message. */
static void test_v3_compressed(void **state)
{
    (void)state;
    static const int wbits[] = { 15, 16 + 15, -15 };
    struct col c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < 3; i++) {
        struct bb z = h3_deflate(SIP_OPTIONS, strlen(SIP_OPTIONS), wbits[i]);
        struct bb b = { 0 };
        size_t at = h3_begin(&b);
        h3_meta(&b, NULL);
        h3_chunk(&b, 0, 16, z.p, z.len);
        h3_end(&b, at);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 1);
        assert_true(got_is(&c.g[0], SIP_OPTIONS));
        assert_int_equal(c.st.n[CAP_STAT_HEP_COMPRESSED], 1);
        col_reset(&c);
        bb_free(&b);
        bb_free(&z);
    }
    col_free(&c);
}

/* Corrupt, cut and bomb-sized compressed payloads are counted and dropped. */
static void test_v3_compressed_bad(void **state)
{
    (void)state;
    size_t big = 4u << 20; /* inflates past the 1 MiB limit */
    uint8_t *zeros = calloc(1, big);
    struct bb bomb = h3_deflate(zeros, big, 15);
    free(zeros);
    assert_true(bomb.len < 60000);
    struct bb good = h3_deflate(SIP_OPTIONS, strlen(SIP_OPTIONS), 15);
    struct bb corrupt = { 0 };
    bb_put(&corrupt, good.p, good.len);
    corrupt.p[4] ^= 0xff;
    corrupt.p[5] ^= 0x55;
    struct bb cut = { 0 };
    bb_put(&cut, good.p, good.len / 2);
    const struct {
        const struct bb *z;
        enum cap_stat stat;
    } cases[] = {
        { &bomb, CAP_STAT_HEP_INFLATE_LIMIT },
        { &corrupt, CAP_STAT_HEP_INFLATE_FAILED },
        { &cut, CAP_STAT_HEP_INFLATE_FAILED },
    };
    struct col c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bb b = { 0 };
        size_t at = h3_begin(&b);
        h3_meta(&b, NULL);
        h3_chunk(&b, 0, 16, cases[i].z->p, cases[i].z->len);
        h3_end(&b, at);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 0);
        assert_int_equal(c.st.n[cases[i].stat], 1);
        assert_int_equal(c.st.n[CAP_STAT_HEP_SIP], 0);
        col_reset(&c);
        bb_free(&b);
    }
    col_free(&c);
    bb_free(&bomb);
    bb_free(&good);
    bb_free(&corrupt);
    bb_free(&cut);
}

/* Packet and chunk lengths that cannot be right: dropped and counted, never over-read. */
static void test_v3_bad_lengths(void **state)
{
    (void)state;
    struct bb ok = { 0 };
    h3_packet(&ok, SIP_OPTIONS, NULL);
    const size_t n = ok.len;
    static const struct {
        const char *what;
        size_t len_field; /* 0: keep */
        size_t cut;       /* bytes removed from the end (datagram shorter than the packet) */
        size_t chunk_len; /* 0: keep; else written into the first chunk's length */
        uint16_t flags;
        enum cap_stat stat;
    } cases[] = {
        { "packet length below its header", 5, 0, 0, 0, CAP_STAT_HEP_BAD },
        { "packet longer than the datagram", 0, 10, 0, 0, CAP_STAT_HEP_BAD },
        { "... cut by the snapshot length", 0, 10, 0, CAP_F_TRUNCATED, CAP_STAT_HEP_TRUNCATED },
        { "chunk length below its header", 0, 0, 5, 0, CAP_STAT_HEP_BAD },
        { "chunk running past the packet", 0, 0, 0xfff0, 0, CAP_STAT_HEP_BAD },
        { "only the magic", 4, 0, 0, 0, CAP_STAT_HEP_BAD },
    };
    struct col c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bb b = { 0 };
        bb_put(&b, ok.p, n);
        if (cases[i].len_field == 4) {
            b.len = 4;
        } else if (cases[i].len_field) {
            b.p[4] = 0;
            b.p[5] = (uint8_t)cases[i].len_field;
        }
        if (cases[i].chunk_len) {
            b.p[10] = (uint8_t)(cases[i].chunk_len >> 8);
            b.p[11] = (uint8_t)cases[i].chunk_len;
        }
        b.len -= cases[i].cut;
        assert_true(decap(&c, &b, cases[i].flags));
        if (c.n != 0 || c.st.n[cases[i].stat] != 1)
            fail_msg("%s: %zu payloads, counter %llu", cases[i].what, c.n,
                     (unsigned long long)c.st.n[cases[i].stat]);
        col_reset(&c);
        bb_free(&b);
    }
    /* a packet whose chunks leave 1..5 bytes over: the last chunk header is cut */
    for (size_t extra = 1; extra < 6; extra++) {
        struct bb b = { 0 };
        size_t at = h3_begin(&b);
        h3_meta(&b, NULL);
        h3_chunk(&b, 0, 15, SIP_OPTIONS, strlen(SIP_OPTIONS));
        bb_zero(&b, extra);
        h3_end(&b, at);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 0);
        assert_int_equal(c.st.n[CAP_STAT_HEP_BAD], 1);
        col_reset(&c);
        bb_free(&b);
    }
    col_free(&c);
    bb_free(&ok);
}

/* Wrong sizes, repeats, vendor chunks and unnamed types are stepped over and counted. */
static void test_v3_odd_chunks(void **state)
{
    (void)state;
    struct bb b = { 0 };
    size_t at = h3_begin(&b);
    h3_meta(&b, NULL);
    h3_chunk(&b, 0, 7, "\x13\xc4\x00", 3);    /* port of 3 bytes: ignored */
    h3_u32(&b, 12, 7);                        /* second capture id: ignored */
    h3_chunk(&b, 2, 15, "kamailio-only", 13); /* vendor 2 (Kamailio) */
    h3_chunk(&b, 0x1234, 3, "\1\2\3\4", 4);   /* unknown vendor */
    h3_chunk(&b, 0, 0x0099, "??", 2);         /* generic type nobody named */
    h3_chunk(&b, 0, 0, "", 0);                /* type 0 */
    h3_chunk(&b, 0, 15, SIP_OPTIONS, strlen(SIP_OPTIONS));
    h3_chunk(&b, 0, 15, "second payload", 14); /* ignored: first payload wins */
    h3_end(&b, at);
    struct col c;
    memset(&c, 0, sizeof(c));
    assert_true(decap(&c, &b, 0));
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], SIP_OPTIONS));
    assert_int_equal(c.g[0].p.src.port, 5060);
    assert_int_equal(c.g[0].p.hep_capture_id, 2001);
    assert_int_equal(c.st.n[CAP_STAT_HEP_BAD_CHUNK], 3);
    assert_int_equal(c.st.n[CAP_STAT_HEP_VENDOR_CHUNK], 2);
    assert_int_equal(c.st.n[CAP_STAT_HEP_UNKNOWN_CHUNK], 2);
    col_free(&c);
    bb_free(&b);
}

/* Payload types other than SIP, a missing payload, a missing type, bad microseconds. */
static void test_v3_types_and_time(void **state)
{
    (void)state;
    struct col c;
    memset(&c, 0, sizeof(c));
    static const unsigned not_sip[] = { 5, 100, 34, 53, 0 };
    for (size_t i = 0; i < sizeof(not_sip) / sizeof(not_sip[0]); i++) {
        struct bb b = { 0 };
        size_t at = h3_begin(&b);
        h3_meta(&b, &(struct h3_opts){ .type = not_sip[i], .no_type = not_sip[i] == 0 });
        h3_chunk(&b, 0, 15, "{\"json\":1}", 10);
        h3_end(&b, at);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 0);
        assert_int_equal(c.st.n[CAP_STAT_HEP_NOT_SIP], 1);
        col_reset(&c);
        bb_free(&b);
    }
    struct bb b = { 0 };
    size_t at = h3_begin(&b);
    h3_meta(&b, NULL); /* no payload chunk */
    h3_end(&b, at);
    assert_true(decap(&c, &b, 0));
    assert_int_equal(c.n, 0);
    assert_int_equal(c.st.n[CAP_STAT_HEP_BAD], 1);
    col_reset(&c);
    bb_free(&b);
    h3_packet(&b, SIP_OPTIONS, &(struct h3_opts){ .sec = 1700000000u, .usec = 1000000 });
    assert_true(decap(&c, &b, 0));
    assert_int_equal(c.n, 1);
    assert_int_equal(c.g[0].p.ts_ns, 1700000000 * (int64_t)1000000000);
    assert_int_equal(c.st.n[CAP_STAT_HEP_BAD_CHUNK], 1);
    col_free(&c);
    bb_free(&b);
}

/* Several HEP3 packets in one datagram, then bytes that are not HEP. */
static void test_v3_several_per_datagram(void **state)
{
    (void)state;
    struct bb b = { 0 };
    h3_packet(&b, SIP_OPTIONS, NULL);
    h3_packet(&b, "log line", &(struct h3_opts){ .type = 100 });
    h3_packet(&b, SIP_OPTIONS, &(struct h3_opts){ .sec = 1700000001u });
    struct col c;
    memset(&c, 0, sizeof(c));
    assert_true(decap(&c, &b, 0));
    assert_int_equal(c.n, 2);
    assert_int_equal(c.g[1].p.ts_ns, 1700000001 * (int64_t)1000000000);
    assert_int_equal(c.st.n[CAP_STAT_HEP], 3);
    assert_int_equal(c.st.n[CAP_STAT_HEP_NOT_SIP], 1);
    col_reset(&c);
    bb_str(&b, "junk!");
    assert_true(decap(&c, &b, 0));
    assert_int_equal(c.n, 2);
    assert_int_equal(c.st.n[CAP_STAT_HEP_TRAILING], 5);
    col_free(&c);
    bb_free(&b);
}

/* A HEP v1/v2 header: version, length, family, protocol, ports, addresses, [time]. */
static struct bb mk_v12(unsigned version, unsigned family, bool le_time, const char *payload)
{
    struct bb b = { 0 };
    bool six = family != 2;
    bb_u8(&b, version);
    bb_u8(&b, six ? 40 : 16);
    bb_u8(&b, family);
    bb_u8(&b, 17);
    bb_be16(&b, 5060);
    bb_be16(&b, 5080);
    for (int side = 0; side < 2; side++) {
        if (six) {
            uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
            a[15] = (uint8_t)(side + 1);
            bb_put(&b, a, 16);
        } else {
            bb_be32(&b, side ? IP4(192, 0, 2, 20) : IP4(192, 0, 2, 10));
        }
    }
    if (version == 2) {
        bb_u32o(&b, 1700000000u, !le_time);
        bb_u32o(&b, 250000, !le_time);
        bb_u16o(&b, 77, !le_time);
        bb_zero(&b, 2);
    }
    bb_str(&b, payload);
    return b;
}

static void test_v1_v2(void **state)
{
    (void)state;
    static const struct {
        unsigned version, family;
        bool le;
    } cases[] = {
        { 2, 2, true }, { 2, 2, false }, { 2, 10, true }, { 2, 30, true }, { 1, 2, true },
    };
    struct col c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bb b = mk_v12(cases[i].version, cases[i].family, cases[i].le, SIP_OPTIONS);
        assert_true(decap(&c, &b, 0));
        assert_int_equal(c.n, 1);
        const struct cap_payload *p = &c.g[0].p;
        assert_true(got_is(&c.g[0], SIP_OPTIONS));
        assert_int_equal(p->src.family, cases[i].family == 2 ? 4 : 6);
        assert_int_equal(p->src.port, 5060);
        assert_int_equal(p->dst.port, 5080);
        assert_int_equal(p->dst.ip[cases[i].family == 2 ? 3 : 15], cases[i].family == 2 ? 20 : 2);
        if (cases[i].version == 2) {
            assert_int_equal(p->ts_ns, 1700000000 * (int64_t)1000000000 + 250000000);
            assert_int_equal(p->hep_capture_id, 77);
        } else {
            assert_int_equal(p->ts_ns, TMPL_TS);
        }
        assert_int_equal(c.st.n[CAP_STAT_HEP_V2], 1);
        col_reset(&c);
        bb_free(&b);
    }
    /* look-alikes that are not HEP v1/v2: nothing counted, the caller keeps the bytes */
    struct bb b = mk_v12(2, 2, true, "\x80\x00 RTP-ish, not SIP");
    assert_false(decap(&c, &b, 0));
    bb_free(&b);
    b = mk_v12(2, 2, true, SIP_OPTIONS);
    b.p[1] = 40; /* header length that does not fit the family */
    assert_false(decap(&c, &b, 0));
    bb_free(&b);
    b = mk_v12(2, 7, true, SIP_OPTIONS); /* no such family */
    assert_false(decap(&c, &b, 0));
    bb_free(&b);
    struct bb sip = { 0 };
    bb_str(&sip, SIP_OPTIONS);
    assert_false(decap(&c, &sip, 0));
    bb_free(&sip);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.st.n[CAP_STAT_HEP], 0);
    col_free(&c);
}

/* HEP inside a capture: UDP on any port is looked at; plain SIP and other datagrams pass. */
static void test_in_udp_any_port(void **state)
{
    (void)state;
    struct bb hep = { 0 };
    h3_packet(&hep, SIP_OPTIONS, NULL);
    struct bb v2 = mk_v12(2, 2, true, SIP_OPTIONS);
    static const unsigned ports[] = { 9060, 5060, 40000 };
    struct col c;
    for (size_t i = 0; i < 3; i++) {
        col_init(&c, NULL);
        const struct bb *pl[] = { &hep, &v2 };
        for (size_t k = 0; k < 2; k++) {
            struct bb u = mk_udp(33000, ports[i], pl[k]->p, pl[k]->len);
            struct bb ip = mk_ipv4(IP4(198, 51, 100, 1), IP4(198, 51, 100, 2), 17, 1, 0, &u);
            col_frame(&c, CAP_LINK_RAW, &ip);
            bb_free(&u);
            bb_free(&ip);
        }
        assert_int_equal(c.n, 2);
        for (size_t k = 0; k < 2; k++) {
            assert_int_equal(c.g[k].p.kind, CAP_KIND_MESSAGE);
            assert_true(c.g[k].p.flags & CAP_F_HEP);
            assert_int_equal(c.g[k].p.src.ip[3], 10); /* inner, not outer, addresses */
            assert_int_equal(c.g[k].p.file_index, 7);
        }
        col_free(&c);
    }
    /* a SIP datagram and an RTP-like one stay datagrams */
    col_init(&c, NULL);
    struct bb u = mk_udp_s(5060, 5060, SIP_OPTIONS);
    struct bb ip = mk_ipv4(IP4(198, 51, 100, 1), IP4(198, 51, 100, 2), 17, 1, 0, &u);
    col_frame(&c, CAP_LINK_RAW, &ip);
    bb_free(&u);
    bb_free(&ip);
    u = mk_udp_s(20000, 20002, "\x80\x08\x00\x01 rtp payload ....");
    ip = mk_ipv4(IP4(198, 51, 100, 1), IP4(198, 51, 100, 2), 17, 1, 0, &u);
    col_frame(&c, CAP_LINK_RAW, &ip);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.g[0].p.kind, CAP_KIND_DATAGRAM);
    assert_int_equal(c.g[1].p.kind, CAP_KIND_DATAGRAM);
    assert_int_equal(c.st.n[CAP_STAT_HEP], 0);
    /* a HEP datagram cut by the snapshot length */
    col_clear(&c);
    struct bb u2 = mk_udp(33000, 9060, hep.p, hep.len);
    struct bb ip2 = mk_ipv4(IP4(198, 51, 100, 1), IP4(198, 51, 100, 2), 17, 1, 0, &u2);
    col_frame_ts(&c, CAP_LINK_RAW, &ip2, ip2.len - 20, 1, 1000);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.st.n[CAP_STAT_HEP_TRUNCATED], 1);
    col_free(&c);
    bb_free(&u);
    bb_free(&ip);
    bb_free(&u2);
    bb_free(&ip2);
    bb_free(&hep);
    bb_free(&v2);
}

/* A raw HEP file, read every way: packets, skipped garbage, and a cut last packet. */
static void test_raw_file(void **state)
{
    (void)state;
    struct bb f = { 0 };
    h3_packet(&f, SIP_OPTIONS, &(struct h3_opts){ .sec = 1700000000u, .usec = 5 });
    h3_packet(&f, "log", &(struct h3_opts){ .type = 100, .no_time = true });
    bb_str(&f, "garbage between packets HEP2 HEP");
    h3_packet(&f, SIP_OPTIONS, &(struct h3_opts){ .sec = 1700000009u });
    size_t whole = f.len;
    h3_packet(&f, SIP_OPTIONS, NULL);
    size_t cut_len = f.len - 7;
    for (int cut = 0; cut < 2; cut++) {
        for (int streamed = 0; streamed < 2; streamed++) {
            struct cap_open_opts o = { .no_mmap = streamed != 0 };
            struct cap_file *cf = NULL;
            char err[256];
            size_t len = cut ? cut_len : whole;
            assert_int_equal(cap_open_mem(f.p, len, "raw.hep", &o, &cf, err, sizeof(err)), 0);
            assert_int_equal(cap_file_format(cf), CAP_FMT_HEP);
            struct col c;
            col_init(&c, NULL);
            struct cap_frame fr;
            int rc, frames = 0;
            int64_t ts[4] = { 0 };
            while ((rc = cap_next(cf, &fr)) > 0) {
                assert_int_equal(fr.linktype, CAP_LINK_HEP);
                ts[frames++ & 3] = fr.ts_ns;
                cap_decode(c.d, &fr, 0);
            }
            assert_int_equal(frames, 3);
            assert_int_equal(ts[0], 1700000000 * (int64_t)1000000000 + 5000);
            assert_int_equal(ts[1], ts[0]); /* no time: the previous frame's */
            assert_int_equal(rc, cut ? ERR_TRUNC : 0);
            if (cut)
                assert_non_null(strstr(cap_file_damage(cf)->what, "inside HEP packet 4"));
            assert_int_equal(cap_file_stats(cf)->n[CAP_STAT_HEP_SKIPPED], 32);
            assert_int_equal(c.n, 2);
            assert_int_equal(c.st.n[CAP_STAT_HEP_NOT_SIP], 1);
            col_free(&c);
            cap_close(cf);
        }
    }
    bb_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v3_every_chunk),
        cmocka_unit_test(test_v3_transports_and_families),
        cmocka_unit_test(test_v3_compressed),
        cmocka_unit_test(test_v3_compressed_bad),
        cmocka_unit_test(test_v3_bad_lengths),
        cmocka_unit_test(test_v3_odd_chunks),
        cmocka_unit_test(test_v3_types_and_time),
        cmocka_unit_test(test_v3_several_per_datagram),
        cmocka_unit_test(test_v1_v2),
        cmocka_unit_test(test_in_udp_any_port),
        cmocka_unit_test(test_raw_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
