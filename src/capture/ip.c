/* IPv4, IPv6 and the transports above them: UDP, SCTP DATA chunks, and TCP headers.
 *
 * IPv4 (RFC 791): options skipped, the total length trusted over link padding, fragments handed
 * to frag.c. IPv6 (RFC 8200): hop-by-hop, routing, destination options, mobility, HIP, shim6
 * and AH headers skipped; a fragment header goes to frag.c, an atomic fragment is passed over.
 * IP-in-IP (4, 41) and GRE (47) recurse. UDP (RFC 768) payloads are delivered on any port
 * through cap_udp_payload, which first looks for VXLAN and HEP (hep.c); SCTP (RFC 9260) packets
 * go to cap_sctp (sctp.c); TCP (RFC 9293) segments go to cap_tcp_segment (tcp.c). Checksums are
 * not verified: a capture point often sees packets before the NIC fills them in. */
#include "capture/capture.h"
#include "capture/capture_int.h"

/* Count a header that stops short: the snapshot length cut it, or it is malformed. */
static void short_hdr(struct cap_decoder *d, const struct pkt *pk)
{
    cap_count(d, pk->cut ? CAP_STAT_SKIP_TRUNC_PAYLOAD : CAP_STAT_SKIP_SHORT);
}

static void set_addrs(struct pkt *pk, uint8_t family, const uint8_t *src, const uint8_t *dst)
{
    size_t n = family == 4 ? 4 : 16;
    pk->src = (struct cap_addr){ .family = family };
    pk->dst = (struct cap_addr){ .family = family };
    memcpy(pk->src.ip, src, n);
    memcpy(pk->dst.ip, dst, n);
}

void cap_ip(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    if (c.len == 0)
        short_hdr(d, pk);
    else if (c.p[0] >> 4 == 4)
        cap_ipv4(d, pk, c);
    else if (c.p[0] >> 4 == 6)
        cap_ipv6(d, pk, c);
    else
        cap_count(d, CAP_STAT_SKIP_BAD_IP);
}

/* Clip c to an IP length field: bytes past it are link padding. A length beyond the bytes
 * present is fine when the snapshot length cut the frame, else the header lies. */
static bool ip_clip(struct cap_decoder *d, const struct pkt *pk, struct cur *c, size_t len)
{
    if (len > c->len && !pk->cut) {
        cap_count(d, CAP_STAT_SKIP_BAD_IP);
        return false;
    }
    cur_limit(c, len);
    return true;
}

void cap_ipv4(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    if (++pk->depth > CAP_MAX_DEPTH) {
        cap_count(d, CAP_STAT_SKIP_TOO_DEEP);
        return;
    }
    const uint8_t *h = c.p;
    if (c.len < 20) {
        short_hdr(d, pk);
        return;
    }
    size_t ihl = (size_t)(h[0] & 15) * 4, tot = ld_be16(h + 2);
    if (h[0] >> 4 != 4 || ihl < 20) {
        cap_count(d, CAP_STAT_SKIP_BAD_IP);
        return;
    }
    if (tot == 0) /* TSO: the NIC fills in the length later */
        tot = c.len;
    if (tot < ihl) {
        cap_count(d, CAP_STAT_SKIP_BAD_IP);
        return;
    }
    if (!ip_clip(d, pk, &c, tot))
        return;
    if (!cur_skip(&c, ihl)) {
        short_hdr(d, pk);
        return;
    }
    set_addrs(pk, 4, h + 12, h + 16);
    uint16_t fo = ld_be16(h + 6);
    if (fo & 0x3fff) {
        struct frag_in fi;
        memset(&fi, 0, sizeof(fi));
        fi.key.family = 4;
        fi.key.proto = h[9];
        fi.key.id = ld_be16(h + 4);
        fi.key.file_index = pk->file_index;
        memcpy(fi.key.src, h + 12, 4);
        memcpy(fi.key.dst, h + 16, 4);
        fi.offset = (uint32_t)(fo & 0x1fff) * 8;
        fi.more = (fo & 0x2000) != 0;
        fi.data = c.p;
        fi.len = c.len;
        if (c.len < tot - ihl)
            cap_count(d, CAP_STAT_SKIP_TRUNC_PAYLOAD);
        else
            cap_frag_add(d, pk, &fi);
        return;
    }
    cap_ip_upper(d, pk, h[9], false, c, tot - ihl);
}

void cap_ipv6(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    if (++pk->depth > CAP_MAX_DEPTH) {
        cap_count(d, CAP_STAT_SKIP_TOO_DEEP);
        return;
    }
    const uint8_t *h = cur_take(&c, 40);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    if (h[0] >> 4 != 6) {
        cap_count(d, CAP_STAT_SKIP_BAD_IP);
        return;
    }
    size_t plen = ld_be16(h + 4);
    if (plen == 0) /* jumbogram (RFC 2675) or TSO: take what is there */
        plen = c.len;
    if (!ip_clip(d, pk, &c, plen))
        return;
    set_addrs(pk, 6, h + 8, h + 24);
    cap_ip_upper(d, pk, h[6], true, c, plen);
}

/* An IPv6 fragment header (RFC 8200 §4.5); atomic fragments return false and go on. */
static bool ipv6_frag(struct cap_decoder *d, struct pkt *pk, const uint8_t *h, struct cur c,
                      size_t wire_len)
{
    uint16_t fo = ld_be16(h + 2);
    if ((fo & 0xfff9) == 0)
        return false;
    struct frag_in fi;
    memset(&fi, 0, sizeof(fi));
    fi.key.family = 6;
    fi.key.id = ld_be32(h + 4);
    fi.key.file_index = pk->file_index;
    memcpy(fi.key.src, pk->src.ip, 16);
    memcpy(fi.key.dst, pk->dst.ip, 16);
    fi.offset = (uint32_t)(fo & 0xfff8);
    fi.more = (fo & 1) != 0;
    fi.next_proto = h[0];
    fi.data = c.p;
    fi.len = c.len;
    if (c.len < wire_len)
        cap_count(d, CAP_STAT_SKIP_TRUNC_PAYLOAD);
    else
        cap_frag_add(d, pk, &fi);
    return true;
}

static void udp(struct cap_decoder *d, struct pkt *pk, struct cur c, size_t wire_len)
{
    const uint8_t *h = cur_take(&c, 8);
    if (!h) {
        short_hdr(d, pk);
        return;
    }
    size_t ulen = ld_be16(h + 4);
    if (ulen < 8) {
        cap_count(d, CAP_STAT_SKIP_BAD_L4);
        return;
    }
    cap_count(d, CAP_STAT_UDP);
    pk->src.port = ld_be16(h);
    pk->dst.port = ld_be16(h + 2);
    if (ulen != wire_len) {
        cap_count(d, CAP_STAT_UDP_LEN_MISMATCH);
        if (ulen > wire_len)
            ulen = wire_len;
    }
    size_t want = ulen - 8;
    if (want == 0) {
        cap_count(d, CAP_STAT_UDP_EMPTY);
        return;
    }
    cur_limit(&c, want);
    if (c.len == 0) {
        cap_count(d, CAP_STAT_SKIP_TRUNC_PAYLOAD);
        return;
    }
    uint16_t flags = 0;
    if (c.len < want) {
        cap_count(d, CAP_STAT_UDP_TRUNCATED);
        flags = CAP_F_TRUNCATED;
    }
    cap_udp_payload(d, pk, c.p, c.len, flags);
}

void cap_udp_payload(struct cap_decoder *d, struct pkt *pk, const uint8_t *p, size_t len,
                     uint16_t flags)
{
    /* VXLAN (RFC 7348): I flag set, Ethernet inside. */
    if (pk->dst.port == 4789 && len >= 8 + 14 && (p[0] & 0x08) && !(flags & CAP_F_TRUNCATED)) {
        cap_count(d, CAP_STAT_VXLAN);
        struct pkt inner = *pk;
        cap_ether(d, &inner, cur_make(p + 8, len - 8));
        return;
    }
    /* HEP v1/v2/v3 on any port: its SIP messages are pushed instead of the datagram. */
    if (cap_hep_udp(d, pk, p, len, flags))
        return;
    cap_emit(d, pk, p, len, CAP_TP_UDP, CAP_KIND_DATAGRAM, flags);
}

static void tcp(struct cap_decoder *d, struct pkt *pk, struct cur c, size_t wire_len)
{
    const uint8_t *h = c.p;
    if (c.len < 20) {
        short_hdr(d, pk);
        return;
    }
    size_t doff = (size_t)(h[12] >> 4) * 4;
    if (doff < 20 || doff > wire_len) {
        cap_count(d, CAP_STAT_SKIP_BAD_L4);
        return;
    }
    if (!cur_skip(&c, doff)) {
        short_hdr(d, pk);
        return;
    }
    struct tcp_seg_info s = {
        .src = pk->src,
        .dst = pk->dst,
        .seq = ld_be32(h + 4),
        .ack = ld_be32(h + 8),
        .flags = h[13],
        .syn = (h[13] & TCP_FL_SYN) != 0,
        .fin = (h[13] & TCP_FL_FIN) != 0,
        .rst = (h[13] & TCP_FL_RST) != 0,
        .has_ack = (h[13] & TCP_FL_ACK) != 0,
        .window = ld_be16(h + 14),
        .payload = c.p,
        .len = c.len,
        .wire_len = wire_len - doff,
        .truncated = c.len < wire_len - doff,
        .ts_ns = pk->f->ts_ns,
        .frame = pk->f->frame,
        .frame_first = pk->frame_first,
        .file_index = pk->file_index,
        .pflags = pk->flags,
    };
    s.src.port = ld_be16(h);
    s.dst.port = ld_be16(h + 2);
    cap_tcp_segment(d, &s);
}

/* Extension headers we step over: IPv6's (length + 1) * 8 bytes, AH (length + 2) * 4. */
static bool is_ext(uint8_t proto, bool v6)
{
    return proto == 51 || (v6 && (proto == 0 || proto == 43 || proto == 60 || proto == 135 ||
                                  proto == 139 || proto == 140));
}

void cap_ip_upper(struct cap_decoder *d, struct pkt *pk, uint8_t proto, bool v6, struct cur c,
                  size_t wire_len)
{
    for (int hops = 0; hops < 16; hops++) {
        size_t len;
        switch (proto) {
        case 17:
            udp(d, pk, c, wire_len);
            return;
        case 6:
            tcp(d, pk, c, wire_len);
            return;
        case 132:
            cap_sctp(d, pk, c);
            return;
        case 4:
        case 41:
            cap_count(d, CAP_STAT_IPIP);
            if (proto == 4)
                cap_ipv4(d, pk, c);
            else
                cap_ipv6(d, pk, c);
            return;
        case 47:
            cap_gre(d, pk, c);
            return;
        case 44:
            if (!v6)
                break;
            if (c.len < 8) {
                short_hdr(d, pk);
                return;
            }
            if (ipv6_frag(d, pk, c.p, cur_make(c.p + 8, c.len - 8), wire_len - 8))
                return;
            proto = c.p[0];
            cur_skip(&c, 8);
            wire_len -= 8;
            continue;
        default:
            break;
        }
        if (!is_ext(proto, v6)) {
            cap_count(d, CAP_STAT_SKIP_IP_PROTO); /* ICMP, ESP, no next header (59) ... */
            return;
        }
        if (c.len < 2) {
            short_hdr(d, pk);
            return;
        }
        len = proto == 51 ? ((size_t)c.p[1] + 2) * 4 : ((size_t)c.p[1] + 1) * 8;
        uint8_t next = c.p[0];
        if (len > wire_len || !cur_skip(&c, len)) {
            if (len > wire_len)
                cap_count(d, CAP_STAT_SKIP_BAD_IP);
            else
                short_hdr(d, pk);
            return;
        }
        proto = next;
        wire_len -= len;
    }
    cap_count(d, CAP_STAT_SKIP_TOO_DEEP);
}
