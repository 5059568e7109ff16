/* Decoder front: frames in, link layers and tunnels peeled, payloads pushed to the sink.
 *
 * Handles the link types (Ethernet, Linux SLL/SLL2, raw IP, BSD NULL/LOOP, PPP, Cisco HDLC and
 * the pseudo links of SIP text and raw HEP files) and the layers that can sit between a link
 * and IP: 802.1Q/802.1ad tags, MPLS, PPPoE sessions, PPP, GRE (RFC 2784/2890, and PPTP's
 * enhanced GRE) with transparent Ethernet bridging and ERSPAN I/II/III. Each layer checks its
 * header length through a cursor and passes the rest down. IP, fragments and transports are in
 * ip.c, frag.c, tcp.c and sctp.c; HEP in hep.c. Every frame ends in exactly one outcome: a
 * payload (or transport) counter, a held fragment, or one skipped.* counter. */
#include <stdlib.h>

#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

/* pcap link types decoded here that capture.h does not name. */
#define LINK_PPP      9
#define LINK_PPP_HDLC 50
#define LINK_C_HDLC   104

/* Count a frame whose headers stop short: the snapshot length cut it, or it is malformed. */
static void short_hdr(struct cap_decoder *d, const struct pkt *pk)
{
    cap_count(d, pk->cut ? CAP_STAT_SKIP_TRUNC_PAYLOAD : CAP_STAT_SKIP_SHORT);
}

/* One more layer; false (counted) when the frame nests deeper than CAP_MAX_DEPTH. */
static bool deeper(struct cap_decoder *d, struct pkt *pk)
{
    if (++pk->depth <= CAP_MAX_DEPTH)
        return true;
    cap_count(d, CAP_STAT_SKIP_TOO_DEEP);
    return false;
}

void cap_emit(struct cap_decoder *d, const struct pkt *pk, const uint8_t *data, size_t len,
              enum cap_transport tp, enum cap_kind kind, uint16_t flags)
{
    struct cap_payload p = {
        .data = data,
        .len = len,
        .ts_ns = pk->f->ts_ns,
        .frame = pk->f->frame,
        .frame_first = pk->frame_first,
        .file_index = pk->file_index,
        .flags = (uint16_t)(flags | pk->flags),
        .transport = (uint8_t)tp,
        .kind = (uint8_t)kind,
        .src = pk->src,
        .dst = pk->dst,
    };
    d->fn(d->ctx, &p);
}

void cap_ether(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    if (!deeper(d, pk))
        return;
    const uint8_t *h = cur_take(&c, 14);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    cap_ethertype(d, pk, ld_be16(h + 12), c);
}

/* MPLS label stack (RFC 3032): labels up to bottom of stack, then IP by its version nibble.
 * Pseudowires (control word 0, Ethernet inside) are not decoded. */
static void mpls(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    cap_count(d, CAP_STAT_MPLS);
    for (;;) {
        const uint8_t *l = cur_take(&c, 4);
        if (!l) {
            short_hdr(d, pk);
            return;
        }
        if (l[2] & 1)
            break;
        if (!deeper(d, pk))
            return;
    }
    if (c.len > 0 && (c.p[0] >> 4 == 4 || c.p[0] >> 4 == 6))
        cap_ip(d, pk, c);
    else
        cap_count(d, c.len ? CAP_STAT_SKIP_TUNNEL : CAP_STAT_SKIP_SHORT);
}

/* PPPoE session stage (RFC 2516 §4): version/type 0x11, code 0, then PPP of the given length. */
static void pppoe(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    const uint8_t *h = cur_take(&c, 6);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    if (h[0] != 0x11 || h[1] != 0) {
        cap_count(d, CAP_STAT_SKIP_NOT_IP);
        return;
    }
    cap_count(d, CAP_STAT_PPPOE);
    cur_limit(&c, ld_be16(h + 4));
    cap_ppp(d, pk, c);
}

void cap_ethertype(struct cap_decoder *d, struct pkt *pk, uint16_t type, struct cur c)
{
    switch (type) {
    case 0x0800:
        cap_ipv4(d, pk, c);
        return;
    case 0x86dd:
        cap_ipv6(d, pk, c);
        return;
    case 0x8100: /* 802.1Q */
    case 0x88a8: /* 802.1ad */
    case 0x9100: /* pre-standard QinQ */
    case 0x9200: {
        const uint8_t *t = cur_take(&c, 4);
        if (!t) {
            short_hdr(d, pk);
            return;
        }
        if (!deeper(d, pk))
            return;
        cap_count(d, CAP_STAT_VLAN);
        cap_ethertype(d, pk, ld_be16(t + 2), c);
        return;
    }
    case 0x8864:
        if (deeper(d, pk))
            pppoe(d, pk, c);
        return;
    case 0x880b:
        cap_ppp(d, pk, c);
        return;
    case 0x6558: /* transparent Ethernet bridging */
        cap_ether(d, pk, c);
        return;
    case 0x8847:
    case 0x8848:
        if (deeper(d, pk))
            mpls(d, pk, c);
        return;
    default:
        /* ARP, LLDP, PPPoE discovery, and 802.3 length fields (< 0x0600: LLC frames). */
        cap_count(d, CAP_STAT_SKIP_NOT_IP);
        return;
    }
}

/* PPP (RFC 1661): optional address/control FF 03 (RFC 1662), then a protocol field that is one
 * byte when compressed (odd first byte, RFC 1661 §6.5) or two. */
void cap_ppp(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    if (!deeper(d, pk))
        return;
    if (c.len >= 2 && c.p[0] == 0xff && c.p[1] == 0x03)
        cur_skip(&c, 2);
    uint16_t proto;
    if (c.len >= 1 && (c.p[0] & 1)) {
        proto = c.p[0];
        cur_skip(&c, 1);
    } else if (!cur_be16(&c, &proto)) {
        short_hdr(d, pk);
        return;
    }
    cap_count(d, CAP_STAT_PPP);
    if (proto == 0x0021)
        cap_ipv4(d, pk, c);
    else if (proto == 0x0057)
        cap_ipv6(d, pk, c);
    else
        cap_count(d, CAP_STAT_SKIP_NOT_IP);
}

/* ERSPAN type I (no header), II (8 bytes) and III (12, +8 with the O flag) before Ethernet. */
static void erspan(struct cap_decoder *d, struct pkt *pk, uint16_t proto, bool seq, struct cur c)
{
    cap_count(d, CAP_STAT_ERSPAN);
    if (proto == 0x88be && seq) {
        const uint8_t *h = cur_take(&c, 8);
        if (!h) {
            short_hdr(d, pk);
            return;
        }
        if (h[0] >> 4 != 1) {
            cap_count(d, CAP_STAT_SKIP_TUNNEL);
            return;
        }
    } else if (proto == 0x22eb) {
        const uint8_t *h = cur_take(&c, 12);
        if (!h || ((h[11] & 1) && !cur_skip(&c, 8))) {
            short_hdr(d, pk);
            return;
        }
        /* version 2, frame type 0 (Ethernet) */
        if (h[0] >> 4 != 2 || ((h[10] >> 2) & 0x1f) != 0) {
            cap_count(d, CAP_STAT_SKIP_TUNNEL);
            return;
        }
    }
    cap_ether(d, pk, c);
}

void cap_gre(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    if (!deeper(d, pk))
        return;
    const uint8_t *h = cur_take(&c, 4);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    uint16_t fl = ld_be16(h), proto = ld_be16(h + 2);
    unsigned ver = fl & 7, skip = 0;
    if (ver == 0 && !(fl & 0x4000)) {
        skip = ((fl & 0x8000) ? 4 : 0) + ((fl & 0x2000) ? 4 : 0) + ((fl & 0x1000) ? 4 : 0);
    } else if (ver == 1 && (fl & 0x2000) && proto == 0x880b) {
        /* RFC 2637 §4.1: key (payload length + call id), sequence and ack numbers */
        skip = 4 + ((fl & 0x1000) ? 4 : 0) + ((fl & 0x0080) ? 4 : 0);
    } else {
        cap_count(d, CAP_STAT_SKIP_TUNNEL);
        return;
    }
    if (!cur_skip(&c, skip)) {
        short_hdr(d, pk);
        return;
    }
    cap_count(d, CAP_STAT_GRE);
    if (proto == 0x88be || proto == 0x22eb)
        erspan(d, pk, proto, (fl & 0x1000) != 0, c);
    else
        cap_ethertype(d, pk, proto, c);
}

/* BSD loopback: the address family, 4 bytes in the capturing host's order (NULL) or network
 * order (LOOP). Host order is unknown, so take whichever reading gives a small value. */
static void bsd_loop(struct cap_decoder *d, struct pkt *pk, struct cur c, bool net_order)
{
    const uint8_t *h = cur_take(&c, 4);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    uint32_t fam = net_order ? ld_be32(h) : ld_le32(h);
    if (!net_order && fam > 0xffff)
        fam = ld_be32(h);
    if (fam == 2)
        cap_ipv4(d, pk, c);
    else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
        cap_ipv6(d, pk, c); /* Linux, NetBSD/OpenBSD, FreeBSD, Darwin */
    else
        cap_count(d, CAP_STAT_SKIP_NOT_IP);
}

static void sip_message(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    const struct cap_meta *m = pk->f->meta;
    struct cap_meta def = { .flags = CAP_F_NO_TIME | CAP_F_NO_ADDR, .transport = CAP_TP_UDP };
    if (!m)
        m = &def;
    if (c.len == 0) {
        cap_count(d, CAP_STAT_TEXT_EMPTY);
        return;
    }
    cap_count(d, CAP_STAT_TEXT_MESSAGES);
    pk->src = m->src;
    pk->dst = m->dst;
    struct cap_frame f = *pk->f;
    if (m->flags & CAP_F_NO_TIME)
        f.ts_ns = (int64_t)f.frame;
    pk->f = &f;
    cap_emit(d, pk, c.p, c.len, (enum cap_transport)m->transport, CAP_KIND_MESSAGE, m->flags);
}

/* Headers of fixed length whose protocol field is an EtherType. */
static void cooked(struct cap_decoder *d, struct pkt *pk, struct cur c, size_t hlen, size_t at)
{
    const uint8_t *h = cur_take(&c, hlen);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    cap_ethertype(d, pk, ld_be16(h + at), c);
}

static void link_dispatch(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    switch (pk->f->linktype) {
    case CAP_LINK_ETHERNET:
        cap_ether(d, pk, c);
        return;
    case CAP_LINK_LINUX_SLL:
        cooked(d, pk, c, 16, 14);
        return;
    case CAP_LINK_LINUX_SLL2:
        cooked(d, pk, c, 20, 0);
        return;
    case CAP_LINK_RAW:
    case CAP_LINK_DLT_RAW12:
    case CAP_LINK_DLT_RAW14:
        cap_ip(d, pk, c);
        return;
    case CAP_LINK_IPV4:
        cap_ipv4(d, pk, c);
        return;
    case CAP_LINK_IPV6:
        cap_ipv6(d, pk, c);
        return;
    case CAP_LINK_NULL:
    case CAP_LINK_LOOP:
        bsd_loop(d, pk, c, pk->f->linktype == CAP_LINK_LOOP);
        return;
    case LINK_PPP:
    case LINK_PPP_HDLC:
        cap_ppp(d, pk, c);
        return;
    case LINK_C_HDLC:
        cooked(d, pk, c, 4, 2);
        return;
    case CAP_LINK_SIP_MESSAGE:
        sip_message(d, pk, c);
        return;
    case CAP_LINK_HEP:
        cap_hep_frame(d, pk, c);
        return;
    default:
        cap_count(d, CAP_STAT_SKIP_LINKTYPE);
        return;
    }
}

void cap_decode(struct cap_decoder *d, const struct cap_frame *f, uint32_t file_index)
{
    cap_count(d, CAP_STAT_FRAMES);
    cap_count_n(d, CAP_STAT_BYTES, f->caplen);
    bool cut = f->caplen < f->origlen;
    if (cut)
        cap_count(d, CAP_STAT_FRAMES_TRUNCATED);
    if (d->frag)
        cap_frag_expire(d, f->ts_ns);
    struct pkt pk = {
        .f = f,
        .file_index = file_index,
        .cut = cut,
        .frame_first = f->frame,
    };
    link_dispatch(d, &pk, cur_make(f->data, f->caplen));
}

struct cap_decoder *cap_decoder_new(const struct cap_decoder_opts *o, cap_payload_fn fn, void *ctx,
                                    struct cap_stats *st)
{
    struct cap_decoder *d = xcalloc(1, sizeof(*d));
    if (o)
        d->o = *o;
    if (!d->o.frag_max_bytes)
        d->o.frag_max_bytes = 8u << 20;
    if (!d->o.frag_max_datagrams)
        d->o.frag_max_datagrams = 4096;
    if (!d->o.frag_timeout_ns)
        d->o.frag_timeout_ns = 30 * (int64_t)1000000000;
    if (!d->o.tcp_max_bytes)
        d->o.tcp_max_bytes = 1u << 20;
    if (!d->o.tcp_max_streams)
        d->o.tcp_max_streams = 65536;
    if (!d->o.tcp_idle_ns)
        d->o.tcp_idle_ns = 300 * (int64_t)1000000000;
    /* Every UDP datagram is delivered whatever the port; the layer above decides what is SIP. */
    d->o.udp_all_ports = true;
    d->fn = fn;
    d->ctx = ctx;
    d->st = st;
    cap_tcp_init(d);
    cap_sctp_init(d);
    return d;
}

void cap_decoder_finish(struct cap_decoder *d)
{
    if (!d)
        return;
    cap_tcp_finish(d);
    cap_sctp_finish(d);
    cap_frag_free(d);
    cap_hep_free(d->hep);
    free(d);
}
