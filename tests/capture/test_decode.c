/* Unit tests for the decoder (decode.c, ip.c, tcp.c): link types, tunnels, IP headers and
 * transports, on frames built by hand and placed against a PROT_NONE page. Fragment reassembly
 * has its own file (test_frag.c). */
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

#define MSG "OPTIONS sip:a@b SIP/2.0\r\n\r\n"

/* Ethernet-less IPv4/UDP 10.0.0.1:5060 -> 10.0.0.2:5070 carrying MSG. */
static struct bb ip4_udp(void)
{
    struct bb u = mk_udp_s(5060, 5070, MSG);
    struct bb ip = mk_ipv4(IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 17, 1, 0, &u);
    bb_free(&u);
    return ip;
}

static struct bb ip6_udp(void)
{
    struct bb u = mk_udp_s(5060, 5070, MSG);
    struct bb ip = mk_ipv6(1, 2, 17, &u);
    bb_free(&u);
    return ip;
}

/* Decode b as link type link and check that exactly MSG came out over UDP. */
static void expect_msg(uint32_t link, const struct bb *b, uint8_t family)
{
    struct col c;
    col_init(&c, NULL);
    col_frame(&c, link, b);
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], MSG));
    assert_int_equal(c.g[0].p.transport, CAP_TP_UDP);
    assert_int_equal(c.g[0].p.kind, CAP_KIND_DATAGRAM);
    assert_int_equal(c.g[0].p.src.family, family);
    assert_int_equal(c.g[0].p.src.port, 5060);
    assert_int_equal(c.g[0].p.dst.port, 5070);
    assert_int_equal(c.st.n[CAP_STAT_UDP], 1);
    col_free(&c);
}

/* Decode b and check that nothing came out and counter s went to 1. */
static void expect_skip(uint32_t link, const struct bb *b, enum cap_stat s)
{
    struct col c;
    col_init(&c, NULL);
    col_frame(&c, link, b);
    assert_int_equal(c.n, 0);
    if (c.st.n[s] != 1)
        fail_msg("expected %s = 1, got %llu", cap_stat_name(s), (unsigned long long)c.st.n[s]);
    col_free(&c);
}

static void test_ethernet_udp_fields(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), e = mk_eth(0x0800, &ip);
    bb_zero(&e, 6); /* link padding after the IP packet must not reach the payload */
    struct col c;
    col_init(&c, NULL);
    col_frame_ts(&c, CAP_LINK_ETHERNET, &e, e.len, 42, 1234567890123LL);
    assert_int_equal(c.n, 1);
    const struct cap_payload *p = &c.g[0].p;
    assert_true(got_is(&c.g[0], MSG));
    assert_int_equal(p->frame, 42);
    assert_int_equal(p->frame_first, 42);
    assert_int_equal(p->ts_ns, 1234567890123LL);
    assert_int_equal(p->file_index, 7);
    assert_int_equal(p->flags, 0);
    char a[CAP_ADDR_STRLEN];
    cap_addr_str(&p->src, a, sizeof(a));
    assert_string_equal(a, "10.0.0.1:5060");
    cap_addr_str(&p->dst, a, sizeof(a));
    assert_string_equal(a, "10.0.0.2:5070");
    assert_int_equal(c.st.n[CAP_STAT_FRAMES], 1);
    assert_int_equal(c.st.n[CAP_STAT_BYTES], e.len);
    col_free(&c);
    bb_free(&ip);
    bb_free(&e);
}

static void test_vlan_qinq(void **state)
{
    (void)state;
    static const unsigned outer[] = { 0x8100, 0x88a8, 0x9100 };
    for (size_t i = 0; i < 3; i++) {
        struct bb ip = ip4_udp(), tags = { 0 };
        bb_be16(&tags, 100); /* outer TCI */
        bb_be16(&tags, 0x8100);
        bb_be16(&tags, 200); /* inner TCI */
        bb_be16(&tags, 0x0800);
        bb_cat(&tags, &ip);
        struct bb e = mk_eth(outer[i], &tags);
        struct col c;
        col_init(&c, NULL);
        col_frame(&c, CAP_LINK_ETHERNET, &e);
        assert_int_equal(c.n, 1);
        assert_int_equal(c.st.n[CAP_STAT_VLAN], 2);
        col_free(&c);
        bb_free(&ip);
        bb_free(&tags);
        bb_free(&e);
    }
}

static void test_too_many_tags(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), tags = { 0 };
    for (int i = 0; i < 20; i++) {
        bb_be16(&tags, 1);
        bb_be16(&tags, i == 19 ? 0x0800 : 0x8100);
    }
    bb_cat(&tags, &ip);
    struct bb e = mk_eth(0x8100, &tags);
    expect_skip(CAP_LINK_ETHERNET, &e, CAP_STAT_SKIP_TOO_DEEP);
    bb_free(&ip);
    bb_free(&tags);
    bb_free(&e);
}

static void test_not_ip(void **state)
{
    (void)state;
    struct bb pl = { 0 };
    bb_zero(&pl, 46);
    struct bb arp = mk_eth(0x0806, &pl), llc = mk_eth(46, &pl), disc = mk_eth(0x8863, &pl);
    expect_skip(CAP_LINK_ETHERNET, &arp, CAP_STAT_SKIP_NOT_IP);
    expect_skip(CAP_LINK_ETHERNET, &llc, CAP_STAT_SKIP_NOT_IP);
    expect_skip(CAP_LINK_ETHERNET, &disc, CAP_STAT_SKIP_NOT_IP);
    expect_skip(4242, &pl, CAP_STAT_SKIP_LINKTYPE);
    struct bb tiny = { 0 };
    bb_zero(&tiny, 10);
    expect_skip(CAP_LINK_ETHERNET, &tiny, CAP_STAT_SKIP_SHORT);
    bb_free(&pl);
    bb_free(&arp);
    bb_free(&llc);
    bb_free(&disc);
    bb_free(&tiny);
}

static void test_cooked_and_raw_links(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), ip6 = ip6_udp();
    struct bb sll = { 0 }, sll2 = { 0 };
    bb_be16(&sll, 0);      /* packet type */
    bb_be16(&sll, 1);      /* ARPHRD_ETHER */
    bb_be16(&sll, 6);      /* address length */
    bb_zero(&sll, 8);      /* address */
    bb_be16(&sll, 0x86dd); /* protocol */
    bb_cat(&sll, &ip6);
    expect_msg(CAP_LINK_LINUX_SLL, &sll, 6);
    bb_be16(&sll2, 0x0800);
    bb_zero(&sll2, 2 + 4);
    bb_be16(&sll2, 1);
    bb_u8(&sll2, 0);
    bb_u8(&sll2, 6);
    bb_zero(&sll2, 8);
    bb_cat(&sll2, &ip);
    expect_msg(CAP_LINK_LINUX_SLL2, &sll2, 4);
    expect_msg(CAP_LINK_RAW, &ip, 4);
    expect_msg(CAP_LINK_RAW, &ip6, 6);
    expect_msg(CAP_LINK_DLT_RAW12, &ip, 4);
    expect_msg(CAP_LINK_DLT_RAW14, &ip6, 6);
    expect_msg(CAP_LINK_IPV4, &ip, 4);
    expect_msg(CAP_LINK_IPV6, &ip6, 6);
    expect_skip(CAP_LINK_IPV6, &ip, CAP_STAT_SKIP_BAD_IP);
    bb_free(&sll);
    bb_free(&sll2);
    bb_free(&ip);
    bb_free(&ip6);
}

static void test_bsd_loopback(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), ip6 = ip6_udp();
    static const struct {
        uint32_t link;
        uint32_t fam;
        bool be, v6;
    } cases[] = {
        { CAP_LINK_NULL, 2, false, false }, { CAP_LINK_NULL, 2, true, false },
        { CAP_LINK_NULL, 30, false, true }, { CAP_LINK_NULL, 28, true, true },
        { CAP_LINK_NULL, 24, false, true }, { CAP_LINK_LOOP, 2, true, false },
        { CAP_LINK_LOOP, 24, true, true },  { CAP_LINK_LOOP, 28, true, true },
        { CAP_LINK_LOOP, 30, true, true },  { CAP_LINK_NULL, 10, false, true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bb b = { 0 };
        bb_u32o(&b, cases[i].fam, cases[i].be);
        bb_cat(&b, cases[i].v6 ? &ip6 : &ip);
        expect_msg(cases[i].link, &b, cases[i].v6 ? 6 : 4);
        bb_free(&b);
    }
    struct bb other = { 0 };
    bb_le32(&other, 7);
    bb_cat(&other, &ip);
    expect_skip(CAP_LINK_NULL, &other, CAP_STAT_SKIP_NOT_IP);
    bb_free(&other);
    bb_free(&ip);
    bb_free(&ip6);
}

/* PPP protocol field forms: FF 03 + 2 bytes, 2 bytes, compressed 1 byte. */
static void test_pppoe_and_ppp(void **state)
{
    (void)state;
    struct bb ip = ip4_udp();
    static const uint8_t forms[][4] = { { 4, 0xff, 0x03, 0x00 },
                                        { 2, 0x00, 0x21, 0 },
                                        { 1, 0x21, 0, 0 } };
    for (size_t i = 0; i < 3; i++) {
        struct bb ppp = { 0 }, pppoe = { 0 };
        bb_put(&ppp, forms[i] + 1, forms[i][0] == 4 ? 3 : forms[i][0]);
        if (forms[i][0] == 4)
            bb_u8(&ppp, 0x21);
        bb_cat(&ppp, &ip);
        bb_u8(&pppoe, 0x11);
        bb_u8(&pppoe, 0);
        bb_be16(&pppoe, 0x1234);
        bb_be16(&pppoe, (unsigned)ppp.len);
        bb_cat(&pppoe, &ppp);
        bb_zero(&pppoe, 8); /* Ethernet padding past the PPPoE length */
        struct bb e = mk_eth(0x8864, &pppoe);
        struct col c;
        col_init(&c, NULL);
        col_frame(&c, CAP_LINK_ETHERNET, &e);
        assert_int_equal(c.n, 1);
        assert_true(got_is(&c.g[0], MSG));
        assert_int_equal(c.st.n[CAP_STAT_PPPOE], 1);
        assert_int_equal(c.st.n[CAP_STAT_PPP], 1);
        col_free(&c);
        expect_msg(9 /* LINKTYPE_PPP */, &ppp, 4);
        bb_free(&ppp);
        bb_free(&pppoe);
        bb_free(&e);
    }
    struct bb lcp = { 0 };
    bb_be16(&lcp, 0xc021);
    bb_zero(&lcp, 8);
    expect_skip(9, &lcp, CAP_STAT_SKIP_NOT_IP);
    bb_free(&lcp);
    bb_free(&ip);
}

/* GRE header: flags word, protocol, then the optional fields the flags announce. */
static struct bb gre(unsigned flags, unsigned proto, const struct bb *inner)
{
    struct bb g = { 0 };
    bb_be16(&g, flags);
    bb_be16(&g, proto);
    unsigned extra = 0;
    if ((flags & 7) == 0)
        extra = !!(flags & 0x8000) + !!(flags & 0x2000) + !!(flags & 0x1000);
    else
        extra = 1 + !!(flags & 0x1000) + !!(flags & 0x0080);
    for (unsigned i = 0; i < extra; i++)
        bb_be32(&g, 0xdeadbeef);
    bb_cat(&g, inner);
    return g;
}

static void expect_gre(unsigned flags, unsigned proto, const struct bb *inner, bool ok)
{
    struct bb g = gre(flags, proto, inner);
    struct bb outer = mk_ipv4(IP4(1, 1, 1, 1), IP4(2, 2, 2, 2), 47, 9, 0, &g);
    struct bb e = mk_eth(0x0800, &outer);
    if (ok)
        expect_msg(CAP_LINK_ETHERNET, &e, proto == 0x86dd ? 6 : 4);
    else
        expect_skip(CAP_LINK_ETHERNET, &e, CAP_STAT_SKIP_TUNNEL);
    bb_free(&g);
    bb_free(&outer);
    bb_free(&e);
}

static void test_gre_variants(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), ip6 = ip6_udp(), eth = mk_eth(0x0800, &ip), ppp = { 0 };
    bb_be16(&ppp, 0xff03);
    bb_be16(&ppp, 0x0021);
    bb_cat(&ppp, &ip);
    expect_gre(0x0000, 0x0800, &ip, true);
    expect_gre(0x8000, 0x0800, &ip, true);  /* checksum */
    expect_gre(0x2000, 0x86dd, &ip6, true); /* key */
    expect_gre(0xb000, 0x0800, &ip, true);  /* checksum + key + sequence */
    expect_gre(0x1000, 0x6558, &eth, true); /* transparent Ethernet bridging */
    expect_gre(0x3081, 0x880b, &ppp, true); /* PPTP enhanced GRE: key, seq, ack */
    expect_gre(0x2001, 0x880b, &ppp, true); /* PPTP without seq/ack */
    expect_gre(0x0000, 0x880b, &ppp, true); /* plain GRE carrying PPP */
    expect_gre(0x4000, 0x0800, &ip, false); /* RFC 1701 routing present */
    expect_gre(0x0002, 0x0800, &ip, false); /* unknown version */
    /* ERSPAN I (no sequence: no header), II and III (with and without the O subheader) */
    expect_gre(0x0000, 0x88be, &eth, true);
    struct bb e2 = { 0 }, e3 = { 0 }, e3o = { 0 }, e3ip = { 0 };
    bb_be32(&e2, 0x10010005);
    bb_be32(&e2, 0x00000001);
    bb_cat(&e2, &eth);
    expect_gre(0x1000, 0x88be, &e2, true);
    bb_be32(&e3, 0x20010005);
    bb_be32(&e3, 0x12345678); /* timestamp */
    bb_be32(&e3, 0x00000000); /* SGT, P, FT=0, HW id, D, Gra, O=0 */
    bb_cat(&e3, &eth);
    expect_gre(0x1000, 0x22eb, &e3, true);
    bb_be32(&e3o, 0x20010005);
    bb_be32(&e3o, 0x12345678);
    bb_be32(&e3o, 0x00000001); /* O=1: 8-byte platform subheader follows */
    bb_zero(&e3o, 8);
    bb_cat(&e3o, &eth);
    expect_gre(0x1000, 0x22eb, &e3o, true);
    bb_be32(&e3ip, 0x20010005);
    bb_be32(&e3ip, 0);
    bb_be32(&e3ip, 0x00000800); /* FT = 2: not Ethernet */
    bb_cat(&e3ip, &ip);
    expect_gre(0x1000, 0x22eb, &e3ip, false);
    struct col c;
    col_init(&c, NULL);
    struct bb g = gre(0x1000, 0x22eb, &e3), o = mk_ipv4(1, 2, 47, 1, 0, &g);
    col_frame(&c, CAP_LINK_RAW, &o);
    assert_int_equal(c.st.n[CAP_STAT_GRE], 1);
    assert_int_equal(c.st.n[CAP_STAT_ERSPAN], 1);
    assert_int_equal(c.n, 1);
    /* the payload carries the inner addresses, not the tunnel's */
    assert_int_equal(c.g[0].p.src.ip[0], 10);
    col_free(&c);
    struct bb *all[] = { &ip, &ip6, &eth, &ppp, &e2, &e3, &e3o, &e3ip, &g, &o };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        bb_free(all[i]);
}

static void test_ip_in_ip(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), ip6 = ip6_udp();
    struct bb a = mk_ipv4(IP4(1, 1, 1, 1), IP4(2, 2, 2, 2), 4, 1, 0, &ip);
    struct bb b = mk_ipv4(IP4(1, 1, 1, 1), IP4(2, 2, 2, 2), 41, 1, 0, &ip6);
    struct bb c6 = mk_ipv6(9, 8, 4, &ip), d6 = mk_ipv6(9, 8, 41, &ip6);
    expect_msg(CAP_LINK_RAW, &a, 4);
    expect_msg(CAP_LINK_RAW, &b, 6);
    expect_msg(CAP_LINK_RAW, &c6, 4);
    expect_msg(CAP_LINK_RAW, &d6, 6);
    /* nested without end: bounded */
    struct bb deep = ip4_udp();
    for (int i = 0; i < 30; i++) {
        struct bb t = mk_ipv4(IP4(1, 1, 1, 1), IP4(2, 2, 2, 2), 4, 1, 0, &deep);
        bb_free(&deep);
        deep = t;
    }
    expect_skip(CAP_LINK_RAW, &deep, CAP_STAT_SKIP_TOO_DEEP);
    struct bb *all[] = { &ip, &ip6, &a, &b, &c6, &d6, &deep };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        bb_free(all[i]);
}

static void test_ipv6_extension_headers(void **state)
{
    (void)state;
    struct bb u = mk_udp_s(5060, 5070, MSG), ext = { 0 };
    /* hop-by-hop (8 bytes) -> routing (16) -> AH (12 + 4 ICV = len 2) -> dest opts -> UDP */
    bb_u8(&ext, 43);
    bb_u8(&ext, 0);
    bb_zero(&ext, 6);
    bb_u8(&ext, 51);
    bb_u8(&ext, 1);
    bb_zero(&ext, 14);
    bb_u8(&ext, 60);
    bb_u8(&ext, 2);
    bb_zero(&ext, 14);
    bb_u8(&ext, 44); /* atomic fragment header: offset 0, M 0 */
    bb_u8(&ext, 0);
    bb_zero(&ext, 6);
    bb_u8(&ext, 17);
    bb_u8(&ext, 0);
    bb_zero(&ext, 6);
    bb_cat(&ext, &u);
    struct bb ip = mk_ipv6(1, 2, 0, &ext);
    expect_msg(CAP_LINK_RAW, &ip, 6);
    struct bb nonext = { 0 };
    bb_zero(&nonext, 8);
    struct bb nn = mk_ipv6(1, 2, 59, &nonext), icmp = mk_ipv6(1, 2, 58, &nonext);
    expect_skip(CAP_LINK_RAW, &nn, CAP_STAT_SKIP_IP_PROTO);
    expect_skip(CAP_LINK_RAW, &icmp, CAP_STAT_SKIP_IP_PROTO);
    struct bb longext = { 0 };
    bb_u8(&longext, 17);
    bb_u8(&longext, 200); /* announces 1608 bytes */
    bb_zero(&longext, 6);
    struct bb bad = mk_ipv6(1, 2, 60, &longext);
    expect_skip(CAP_LINK_RAW, &bad, CAP_STAT_SKIP_BAD_IP);
    struct bb *all[] = { &u, &ext, &ip, &nonext, &nn, &icmp, &longext, &bad };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        bb_free(all[i]);
}

static void test_ipv4_header_checks(void **state)
{
    (void)state;
    struct bb ip = ip4_udp();
    /* options: IHL 6 with one 4-byte option */
    struct bb opt = { 0 };
    bb_u8(&opt, 0x46);
    bb_u8(&opt, 0);
    bb_be16(&opt, (unsigned)ip.len + 4);
    bb_put(&opt, ip.p + 4, 16);
    bb_be32(&opt, 0x01010100); /* NOP NOP NOP EOL */
    bb_put(&opt, ip.p + 20, ip.len - 20);
    expect_msg(CAP_LINK_RAW, &opt, 4);
    struct bb b = { 0 };
    bb_cat(&b, &ip);
    b.p[0] = 0x44; /* IHL 4 */
    expect_skip(CAP_LINK_RAW, &b, CAP_STAT_SKIP_BAD_IP);
    b.p[0] = 0x45;
    b.p[2] = 0;
    b.p[3] = 12; /* total length below the header */
    expect_skip(CAP_LINK_RAW, &b, CAP_STAT_SKIP_BAD_IP);
    b.p[2] = 0x10; /* total length past the frame, frame not cut: the header lies */
    expect_skip(CAP_LINK_RAW, &b, CAP_STAT_SKIP_BAD_IP);
    b.p[2] = 0;
    b.p[3] = 0; /* TSO: length 0 means "all of it" */
    expect_msg(CAP_LINK_RAW, &b, 4);
    struct bb other = mk_ipv4(1, 2, 1 /* ICMP */, 1, 0, &ip);
    expect_skip(CAP_LINK_RAW, &other, CAP_STAT_SKIP_IP_PROTO);
    struct bb ver = { 0 };
    bb_u8(&ver, 0x55);
    bb_zero(&ver, 30);
    expect_skip(CAP_LINK_RAW, &ver, CAP_STAT_SKIP_BAD_IP);
    bb_free(&ip);
    bb_free(&opt);
    bb_free(&b);
    bb_free(&other);
    bb_free(&ver);
}

static void test_udp_lengths_and_snaplen(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), e = mk_eth(0x0800, &ip);
    size_t msg_len = strlen(MSG);
    /* snaplen cuts 5 bytes of payload: delivered, flagged, counted */
    struct col c;
    col_init(&c, NULL);
    col_frame_ts(&c, CAP_LINK_ETHERNET, &e, e.len - 5, 1, 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.g[0].p.len, msg_len - 5);
    assert_int_equal(c.g[0].p.flags, CAP_F_TRUNCATED);
    assert_memory_equal(c.g[0].data, MSG, msg_len - 5);
    assert_int_equal(c.st.n[CAP_STAT_UDP_TRUNCATED], 1);
    assert_int_equal(c.st.n[CAP_STAT_FRAMES_TRUNCATED], 1);
    /* snaplen inside the UDP header: nothing to deliver */
    col_frame_ts(&c, CAP_LINK_ETHERNET, &e, 14 + 20 + 4, 2, 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.st.n[CAP_STAT_SKIP_TRUNC_PAYLOAD], 1);
    col_free(&c);
    /* UDP length shorter than the IP payload: the shorter wins, counted */
    struct bb b = { 0 };
    bb_cat(&b, &ip);
    b.p[20 + 5] = (uint8_t)(8 + 10);
    col_init(&c, NULL);
    col_frame(&c, CAP_LINK_RAW, &b);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.g[0].p.len, 10);
    assert_int_equal(c.st.n[CAP_STAT_UDP_LEN_MISMATCH], 1);
    col_free(&c);
    b.p[20 + 4] = 0xff; /* longer than the IP payload */
    col_init(&c, NULL);
    col_frame(&c, CAP_LINK_RAW, &b);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.g[0].p.len, msg_len);
    assert_int_equal(c.st.n[CAP_STAT_UDP_LEN_MISMATCH], 1);
    col_free(&c);
    b.p[20 + 4] = 0;
    b.p[20 + 5] = 7; /* below the header */
    expect_skip(CAP_LINK_RAW, &b, CAP_STAT_SKIP_BAD_L4);
    struct bb u0 = mk_udp(1, 2, "", 0), e0 = mk_ipv4(1, 2, 17, 1, 0, &u0);
    expect_skip(CAP_LINK_RAW, &e0, CAP_STAT_UDP_EMPTY);
    bb_free(&ip);
    bb_free(&e);
    bb_free(&b);
    bb_free(&u0);
    bb_free(&e0);
}

static void sctp_chunk(struct bb *b, unsigned type, unsigned flags, const char *data,
                       size_t hdr_extra)
{
    size_t dl = data ? strlen(data) : 0;
    bb_u8(b, type);
    bb_u8(b, flags);
    bb_be16(b, (unsigned)(4 + hdr_extra + dl));
    bb_zero(b, hdr_extra);
    if (dl)
        bb_put(b, data, dl);
    bb_zero(b, (4 - dl % 4) % 4);
}

static void test_sctp_chunks(void **state)
{
    (void)state;
    struct bb s = { 0 };
    bb_be16(&s, 5060);
    bb_be16(&s, 2905);
    bb_be32(&s, 1);
    bb_be32(&s, 0);
    sctp_chunk(&s, 0, 3, "INVITE x SIP/2.0\r\n", 12); /* DATA, whole message */
    sctp_chunk(&s, 3, 0, NULL, 12);                   /* SACK */
    sctp_chunk(&s, 0, 2, "first", 12);                /* DATA, B only: part of a message */
    struct bb ip = mk_ipv4(IP4(10, 1, 1, 1), IP4(10, 1, 1, 2), 132, 1, 0, &s);
    struct col c;
    col_init(&c, NULL);
    col_frame(&c, CAP_LINK_RAW, &ip);
    /* the B-only fragment is held for reassembly (test_sctp.c); it never completes */
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], "INVITE x SIP/2.0\r\n"));
    assert_int_equal(c.g[0].p.transport, CAP_TP_SCTP);
    assert_int_equal(c.g[0].p.src.port, 5060);
    assert_int_equal(c.g[0].p.dst.port, 2905);
    assert_int_equal(c.st.n[CAP_STAT_SCTP], 1);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_DATA], 2);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_OTHER], 1);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_DATA_FRAG], 1);
    col_finish(&c);
    assert_int_equal(c.st.n[CAP_STAT_SCTP_FRAG_INCOMPLETE], 1);
    col_free(&c);
    /* a chunk claiming more than the packet holds stops the walk */
    struct bb bad = { 0 };
    bb_put(&bad, s.p, 12);
    bb_u8(&bad, 0);
    bb_u8(&bad, 3);
    bb_be16(&bad, 400);
    bb_zero(&bad, 20);
    struct bb ipb = mk_ipv4(1, 2, 132, 1, 0, &bad);
    expect_skip(CAP_LINK_RAW, &ipb, CAP_STAT_SCTP_BAD);
    /* a DATA chunk with no user data is an error too, and nothing empty is pushed */
    struct bb empty = { 0 };
    bb_put(&empty, s.p, 12);
    sctp_chunk(&empty, 0, 3, NULL, 12);
    sctp_chunk(&empty, 3, 0, NULL, 12);
    struct bb ipe = mk_ipv4(1, 2, 132, 1, 0, &empty);
    expect_skip(CAP_LINK_RAW, &ipe, CAP_STAT_SCTP_BAD);
    bb_free(&empty);
    bb_free(&ipe);
    bb_free(&s);
    bb_free(&ip);
    bb_free(&bad);
    bb_free(&ipb);
}

static void test_tcp_segment_delivered(void **state)
{
    (void)state;
    struct bb t = { 0 };
    bb_be16(&t, 5060);
    bb_be16(&t, 40000);
    bb_be32(&t, 1000);
    bb_be32(&t, 2000);
    bb_u8(&t, 0x60); /* data offset 6: one 4-byte option */
    bb_u8(&t, 0x18); /* PSH ACK */
    bb_be16(&t, 65535);
    bb_be32(&t, 0);
    bb_be32(&t, 0x01010101);
    bb_str(&t, MSG);
    struct bb ip = mk_ipv4(1, 2, 6, 1, 0, &t);
    struct col c;
    col_init(&c, NULL);
    col_frame(&c, CAP_LINK_RAW, &ip);
    /* a segment with no SYN seen joins the stream mid-way: delivered, without STREAM_START */
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], MSG));
    assert_int_equal(c.g[0].p.kind, CAP_KIND_STREAM);
    assert_int_equal(c.g[0].p.transport, CAP_TP_TCP);
    assert_int_equal(c.g[0].p.flags & (CAP_F_STREAM_START | CAP_F_GAP), 0);
    assert_int_equal(c.g[0].p.src.port, 5060);
    assert_int_equal(c.g[0].p.dst.port, 40000);
    assert_int_equal(c.st.n[CAP_STAT_TCP], 1);
    assert_int_equal(c.st.n[CAP_STAT_TCP_BYTES], strlen(MSG));
    assert_int_equal(c.st.n[CAP_STAT_TCP_MIDSTREAM], 1);
    col_free(&c);
    t.p[12] = 0x40; /* data offset 4 < 5 */
    struct bb ipb = mk_ipv4(1, 2, 6, 1, 0, &t);
    expect_skip(CAP_LINK_RAW, &ipb, CAP_STAT_SKIP_BAD_L4);
    bb_free(&t);
    bb_free(&ip);
    bb_free(&ipb);
}

static void test_vxlan_and_mpls(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), eth = mk_eth(0x0800, &ip), vx = { 0 };
    bb_be32(&vx, 0x08000000);
    bb_be32(&vx, 0x00123400);
    bb_cat(&vx, &eth);
    struct bb u = mk_udp(33333, 4789, vx.p, vx.len);
    struct bb outer = mk_ipv4(1, 2, 17, 1, 0, &u);
    struct col c;
    col_init(&c, NULL);
    col_frame(&c, CAP_LINK_RAW, &outer);
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], MSG));
    assert_int_equal(c.g[0].p.dst.port, 5070);
    assert_int_equal(c.st.n[CAP_STAT_VXLAN], 1);
    col_free(&c);
    struct bb m = { 0 };
    bb_be32(&m, 0x00001000); /* label 1, not bottom */
    bb_be32(&m, 0x00002140); /* label 2, bottom of stack */
    bb_cat(&m, &ip);
    struct bb me = mk_eth(0x8847, &m);
    expect_msg(CAP_LINK_ETHERNET, &me, 4);
    struct bb *all[] = { &ip, &eth, &vx, &u, &outer, &m, &me };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        bb_free(all[i]);
}

static void test_sip_message_link(void **state)
{
    (void)state;
    struct bb b = { 0 };
    bb_str(&b, MSG);
    struct cap_meta meta = { .flags = CAP_F_NO_TIME | CAP_F_NO_ADDR, .transport = CAP_TP_UDP };
    uint8_t *g = guard_copy(b.p, b.len);
    struct cap_frame f = { .data = g,
                           .caplen = (uint32_t)b.len,
                           .origlen = (uint32_t)b.len,
                           .ts_ns = 99,
                           .frame = 3,
                           .linktype = CAP_LINK_SIP_MESSAGE,
                           .meta = &meta };
    struct col c;
    col_init(&c, NULL);
    cap_decode(c.d, &f, 2);
    assert_int_equal(c.n, 1);
    assert_true(got_is(&c.g[0], MSG));
    assert_int_equal(c.g[0].p.kind, CAP_KIND_MESSAGE);
    assert_int_equal(c.g[0].p.ts_ns, 3);
    assert_int_equal(c.g[0].p.flags, CAP_F_NO_TIME | CAP_F_NO_ADDR);
    assert_int_equal(c.g[0].p.file_index, 2);
    assert_int_equal(c.g[0].p.src.family, 0);
    assert_int_equal(c.st.n[CAP_STAT_TEXT_MESSAGES], 1);
    f.caplen = 0;
    cap_decode(c.d, &f, 2);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.st.n[CAP_STAT_TEXT_EMPTY], 1);
    col_free(&c);
    guard_free(g);
    bb_free(&b);
}

/* Every prefix of a many-layer frame decodes without reading past its end (the guard page
 * would fault) and lands in exactly one skip counter or delivers a (truncated) payload. */
static void test_every_prefix_is_safe(void **state)
{
    (void)state;
    struct bb ip = ip4_udp(), ppp = { 0 }, pppoe = { 0 };
    bb_be16(&ppp, 0x0021);
    bb_cat(&ppp, &ip);
    bb_be16(&pppoe, 0x1100);
    bb_be16(&pppoe, 1);
    bb_be16(&pppoe, (unsigned)ppp.len);
    bb_cat(&pppoe, &ppp);
    struct bb e = mk_eth(0x8864, &pppoe);
    struct bb g = gre(0xb000, 0x6558, &e);
    struct bb o = mk_ipv6(1, 2, 47, &g);
    for (size_t n = 0; n <= o.len; n++) {
        struct col c;
        col_init(&c, NULL);
        col_frame_ts(&c, CAP_LINK_RAW, &o, n, 1, 1);
        uint64_t skips = 0;
        for (int s = CAP_STAT_SKIP_LINKTYPE; s <= CAP_STAT_SKIP_BAD_L4; s++)
            skips += c.st.n[s];
        assert_int_equal(skips + c.n, 1);
        col_free(&c);
    }
    struct bb *all[] = { &ip, &ppp, &pppoe, &e, &g, &o };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        bb_free(all[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ethernet_udp_fields),
        cmocka_unit_test(test_vlan_qinq),
        cmocka_unit_test(test_too_many_tags),
        cmocka_unit_test(test_not_ip),
        cmocka_unit_test(test_cooked_and_raw_links),
        cmocka_unit_test(test_bsd_loopback),
        cmocka_unit_test(test_pppoe_and_ppp),
        cmocka_unit_test(test_gre_variants),
        cmocka_unit_test(test_ip_in_ip),
        cmocka_unit_test(test_ipv6_extension_headers),
        cmocka_unit_test(test_ipv4_header_checks),
        cmocka_unit_test(test_udp_lengths_and_snaplen),
        cmocka_unit_test(test_sctp_chunks),
        cmocka_unit_test(test_tcp_segment_delivered),
        cmocka_unit_test(test_vxlan_and_mpls),
        cmocka_unit_test(test_sip_message_link),
        cmocka_unit_test(test_every_prefix_is_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
