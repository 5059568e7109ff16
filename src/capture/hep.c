/* HEP (Homer Encapsulation Protocol) decapsulation, versions 1, 2 and 3.
 *
 * HEP3 (sipcapture's "HEP3 Network Protocol Specification"): "HEP3", a 16-bit total length, then
 * chunks of vendor id, type id and length (the 6-byte chunk header included), all big-endian.
 * Generic chunks (vendor 0) used here: 1 IP family, 2 IP protocol, 3/4 IPv4 and 5/6 IPv6
 * source/destination, 7/8 ports, 9/10 timestamp seconds/microseconds, 11 payload type, 12 capture
 * agent id, 15 payload, 16 compressed payload, 19 capture node name. The other types the
 * specification names (keep-alive timer, authentication key — never kept —, correlation id,
 * VLAN, MAC addresses, QoS values, tags) are stepped over; vendor chunks and unnamed types are
 * counted and stepped over. Only payload type 1 (SIP) goes on; a packet without a type chunk is
 * taken as SIP when its payload starts with a SIP start line. A HEP3 packet cannot hold more
 * than 65535 bytes, so several may follow each other in one datagram; each is decoded.
 *
 * HEP v1/v2 (Kamailio and OpenSIPS sipcapture/siptrace, captagent, sofia-sip): version, header
 * length, family, IP protocol and ports (big-endian), then both addresses; v2 adds a 12-byte
 * time header (seconds, microseconds, 16-bit capture id, 2 bytes of padding) that senders copy
 * from their own memory, so in their byte order: the order that gives a valid time is taken,
 * little-endian when both do. The header has no magic and nothing frames the payload but the
 * datagram, so v1/v2 is believed only when the header is consistent and the payload starts with
 * a SIP start line.
 *
 * Compressed payloads (zlib, gzip or raw deflate) are inflated into one buffer of at most
 * HEP_INFLATE_MAX bytes: more is a decompression bomb, counted and dropped, never followed.
 * Every read is preceded by a length check; a chunk length that runs past its packet drops the
 * packet (counted as malformed). */
#define ZLIB_CONST
#include <limits.h>
#include <stdlib.h>
#include <zlib.h>

#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

/* Largest inflated payload: far above any SIP message a HEP sender compresses (a HEP3 packet is
 * at most 64 KiB), far below what a bomb of that size can inflate to (about 64 MiB). */
#define HEP_INFLATE_MAX (1u << 20)

#define HEP_TYPE_SIP 1

struct cap_hep {
    struct cap_stats *st;
    uint8_t *buf; /* inflated payloads, reused */
    size_t cap;
};

struct cap_hep *cap_hep_new(struct cap_stats *st)
{
    struct cap_hep *h = xcalloc(1, sizeof(*h));
    h->st = st;
    return h;
}

void cap_hep_free(struct cap_hep *h)
{
    if (!h)
        return;
    free(h->buf);
    free(h);
}

static void count(struct cap_hep *h, enum cap_stat s)
{
    h->st->n[s]++;
}

int cap_hep3_len(const uint8_t *p, size_t len)
{
    static const uint8_t magic[4] = { 'H', 'E', 'P', '3' };
    if (len && memcmp(p, magic, len < 4 ? len : 4) != 0) /* nothing yet may still become one */
        return ERR_PARSE;
    if (len < 6)
        return 0;
    unsigned n = ld_be16(p + 4);
    return n < 6 ? ERR_PARSE : (int)n;
}

/* Everything one packet says, whatever its version. */
struct hep_info {
    uint32_t seen; /* bit per generic chunk type < 32 already taken */
    bool has_family, has_proto, has_type, has_sec, has_usec;
    uint8_t family, proto, type;
    bool src4, dst4, src6, dst6;
    uint8_t s4[4], d4[4], s6[16], d6[16];
    uint16_t sport, dport;
    uint32_t sec, usec, capture_id;
    sv_t node;
    const uint8_t *payload;
    size_t payload_len;
    bool has_payload, compressed;
};

/* Size of the fixed-size generic chunks we read; -1 for the others. */
static int chunk_size(uint16_t type)
{
    switch (type) {
    case 1:
    case 2:
    case 11:
        return 1;
    case 7:
    case 8:
        return 2;
    case 3:
    case 4:
    case 9:
    case 10:
    case 12:
        return 4;
    case 5:
    case 6:
        return 16;
    default:
        return -1;
    }
}

/* Generic types we read (a repeat of one is ignored and counted). */
static bool chunk_used(uint16_t type)
{
    return (type >= 1 && type <= 12) || type == 15 || type == 16 || type == 19;
}

/* Generic types the HEP3 specification names: 1..24 and 32..39 (MOS, R-factor, geolocation,
 * jitter, transaction type, payload JSON keys, tags). */
static bool chunk_named(uint16_t type)
{
    return (type >= 1 && type <= 24) || (type >= 32 && type <= 39);
}

static void take_fixed(struct hep_info *in, uint16_t type, const uint8_t *b)
{
    switch (type) {
    case 1:
        in->family = b[0], in->has_family = true;
        break;
    case 2:
        in->proto = b[0], in->has_proto = true;
        break;
    case 3:
        memcpy(in->s4, b, 4), in->src4 = true;
        break;
    case 4:
        memcpy(in->d4, b, 4), in->dst4 = true;
        break;
    case 5:
        memcpy(in->s6, b, 16), in->src6 = true;
        break;
    case 6:
        memcpy(in->d6, b, 16), in->dst6 = true;
        break;
    case 7:
        in->sport = ld_be16(b);
        break;
    case 8:
        in->dport = ld_be16(b);
        break;
    case 9:
        in->sec = ld_be32(b), in->has_sec = true;
        break;
    case 10:
        in->usec = ld_be32(b), in->has_usec = true;
        break;
    case 11:
        in->type = b[0], in->has_type = true;
        break;
    case 12:
        in->capture_id = ld_be32(b);
        break;
    default:
        break;
    }
}

static void take_chunk(struct cap_hep *h, struct hep_info *in, uint16_t type, const uint8_t *b,
                       size_t n)
{
    if (!chunk_named(type)) {
        count(h, CAP_STAT_HEP_UNKNOWN_CHUNK);
        return;
    }
    if (!chunk_used(type))
        return;
    int want = chunk_size(type);
    bool repeat = (in->seen >> type) & 1;
    bool second_payload = (type == 15 || type == 16) && in->has_payload;
    if (repeat || second_payload || (want >= 0 && n != (size_t)want)) {
        count(h, CAP_STAT_HEP_BAD_CHUNK);
        return;
    }
    in->seen |= 1u << type;
    if (want >= 0) {
        take_fixed(in, type, b);
    } else if (type == 19) {
        in->node = sv_make(b, n);
    } else {
        in->payload = b;
        in->payload_len = n;
        in->has_payload = true;
        in->compressed = type == 16;
    }
}

/* Walk the chunks of one HEP3 packet p[0..len) (len >= 6, from its length field). False when a
 * chunk length is impossible: the rest cannot be trusted. */
static bool hep3_parse(struct cap_hep *h, const uint8_t *p, size_t len, struct hep_info *in)
{
    struct cur c = cur_make(p + 6, len - 6);
    while (c.len > 0) {
        if (c.len < 6)
            return false;
        uint16_t vendor = ld_be16(c.p), type = ld_be16(c.p + 2);
        size_t clen = ld_be16(c.p + 4);
        if (clen < 6 || clen > c.len)
            return false;
        if (vendor != 0)
            count(h, CAP_STAT_HEP_VENDOR_CHUNK);
        else
            take_chunk(h, in, type, c.p + 6, clen - 6);
        cur_skip(&c, clen);
    }
    return true;
}

static bool is_family6(uint8_t f)
{
    /* AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD and Darwin */
    return f == 10 || f == 24 || f == 28 || f == 30;
}

static void set_addr(struct cap_addr *a, bool have, uint8_t family, const uint8_t *ip)
{
    if (!have)
        return;
    a->family = family;
    memcpy(a->ip, ip, family == 4 ? 4 : 16);
}

/* The inner addresses: the family chunk decides; without it, whichever addresses are there. */
static void hep_addrs(const struct hep_info *in, struct cap_addr *src, struct cap_addr *dst)
{
    bool v6 =
        in->has_family ? is_family6(in->family) : (in->src6 || in->dst6) && !(in->src4 || in->dst4);
    bool v4 = in->has_family ? in->family == 2 : !v6;
    *src = (struct cap_addr){ .port = in->sport };
    *dst = (struct cap_addr){ .port = in->dport };
    if (v6) {
        set_addr(src, in->src6, 6, in->s6);
        set_addr(dst, in->dst6, 6, in->d6);
    } else if (v4) {
        set_addr(src, in->src4, 4, in->s4);
        set_addr(dst, in->dst4, 4, in->d4);
    }
}

static enum cap_transport hep_transport(const struct hep_info *in)
{
    if (!in->has_proto)
        return CAP_TP_UNKNOWN;
    switch (in->proto) {
    case 17:
        return CAP_TP_UDP;
    case 6:
        return CAP_TP_TCP;
    case 132:
        return CAP_TP_SCTP;
    default:
        /* 22 (IDP) is what Kamailio and sofia-sip write for TLS and WebSocket alike */
        return CAP_TP_UNKNOWN;
    }
}

/* Make room for at least one more byte of output, up to HEP_INFLATE_MAX. */
static bool grow(struct cap_hep *h)
{
    if (h->cap >= HEP_INFLATE_MAX)
        return false;
    size_t cap = h->cap ? h->cap * 2 : 64u << 10;
    if (cap > HEP_INFLATE_MAX)
        cap = HEP_INFLATE_MAX;
    h->buf = xrealloc(h->buf, cap);
    h->cap = cap;
    return true;
}

/* zlib and gzip have headers; anything else is taken as raw deflate (RFC 1950/1952/1951). */
static int window_bits(const uint8_t *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return 16 + 15;
    if (n >= 2 && (p[0] & 0x0f) == 8 && (p[0] >> 4) <= 7 && ((unsigned)p[0] << 8 | p[1]) % 31 == 0)
        return 15;
    return -15;
}

/* Inflate p[0..n) into h->buf; returns the length, or -1 (counted) when it fails or would pass
 * HEP_INFLATE_MAX. */
static long hep_inflate(struct cap_hep *h, const uint8_t *p, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (n > UINT_MAX || inflateInit2(&zs, window_bits(p, n)) != Z_OK) {
        count(h, CAP_STAT_HEP_INFLATE_FAILED);
        return -1;
    }
    zs.next_in = p;
    zs.avail_in = (uInt)n;
    size_t out = 0;
    enum cap_stat fail = CAP_STAT__COUNT;
    for (;;) {
        if (out == h->cap && !grow(h)) {
            fail = CAP_STAT_HEP_INFLATE_LIMIT;
            break;
        }
        zs.next_out = h->buf + out;
        zs.avail_out = (uInt)(h->cap - out);
        int rc = inflate(&zs, Z_NO_FLUSH);
        out = (size_t)(zs.next_out - h->buf);
        if (rc == Z_STREAM_END)
            break;
        /* an error, or all input used with room left: the stream is cut or corrupt */
        if ((rc != Z_OK && rc != Z_BUF_ERROR) || (zs.avail_in == 0 && zs.avail_out > 0)) {
            fail = CAP_STAT_HEP_INFLATE_FAILED;
            break;
        }
    }
    inflateEnd(&zs);
    if (fail != CAP_STAT__COUNT) {
        count(h, fail);
        return -1;
    }
    count(h, CAP_STAT_HEP_COMPRESSED);
    return (long)out;
}

/* Push one SIP payload described by in (payload bytes already plain in data). */
static void hep_emit(struct cap_hep *h, const struct hep_info *in, const uint8_t *data, size_t len,
                     const struct cap_payload *tmpl, cap_payload_fn fn, void *ctx)
{
    struct cap_payload p = {
        .data = data,
        .len = len,
        .ts_ns = tmpl->ts_ns,
        .frame = tmpl->frame,
        .frame_first = tmpl->frame_first,
        .file_index = tmpl->file_index,
        .flags = CAP_F_HEP,
        .transport = (uint8_t)hep_transport(in),
        .kind = CAP_KIND_MESSAGE,
        .hep_capture_id = in->capture_id,
        .hep_node = in->node,
    };
    hep_addrs(in, &p.src, &p.dst);
    if (in->has_sec) {
        uint32_t us = in->usec;
        if (us >= 1000000) {
            count(h, CAP_STAT_HEP_BAD_CHUNK);
            us = 0;
        }
        p.ts_ns = (int64_t)in->sec * 1000000000 + (int64_t)us * 1000;
    } else {
        count(h, CAP_STAT_HEP_NO_TIME);
    }
    count(h, CAP_STAT_HEP_SIP);
    fn(ctx, &p);
}

/* Decide SIP or not, inflate if needed, and push. */
static void hep_deliver(struct cap_hep *h, const struct hep_info *in,
                        const struct cap_payload *tmpl, cap_payload_fn fn, void *ctx)
{
    if (!in->has_payload) {
        count(h, CAP_STAT_HEP_BAD);
        return;
    }
    if (in->has_type && in->type != HEP_TYPE_SIP) {
        count(h, CAP_STAT_HEP_NOT_SIP);
        return;
    }
    const uint8_t *data = in->payload;
    size_t len = in->payload_len;
    if (in->compressed) {
        long n = hep_inflate(h, data, len);
        if (n < 0)
            return;
        data = h->buf;
        len = (size_t)n;
    }
    if (!in->has_type && !cap_sip_start(data, len)) {
        count(h, CAP_STAT_HEP_NOT_SIP);
        return;
    }
    hep_emit(h, in, data, len, tmpl, fn, ctx);
}

/* HEP3 packets back to back in p[0..len), the first one starting at p. */
static void hep3_all(struct cap_hep *h, const uint8_t *p, size_t len,
                     const struct cap_payload *tmpl, cap_payload_fn fn, void *ctx)
{
    bool cut = (tmpl->flags & CAP_F_TRUNCATED) != 0;
    size_t off = 0;
    while (off < len) {
        const uint8_t *q = p + off;
        size_t left = len - off;
        if (left < 4 || memcmp(q, "HEP3", 4) != 0) {
            h->st->n[CAP_STAT_HEP_TRAILING] += left;
            return;
        }
        count(h, CAP_STAT_HEP);
        size_t plen = left >= 6 ? ld_be16(q + 4) : 0;
        if (left < 6 || plen > left) {
            count(h, cut ? CAP_STAT_HEP_TRUNCATED : CAP_STAT_HEP_BAD);
            return;
        }
        if (plen < 6) {
            count(h, CAP_STAT_HEP_BAD);
            return;
        }
        struct hep_info in;
        memset(&in, 0, sizeof(in));
        if (hep3_parse(h, q, plen, &in))
            hep_deliver(h, &in, tmpl, fn, ctx);
        else
            count(h, CAP_STAT_HEP_BAD);
        off += plen;
    }
}

/* A consistent HEP v1/v2 header with a SIP payload after it: its length (header and v2 time
 * header), or 0. */
static size_t v12_header_len(const uint8_t *p, size_t len)
{
    if (len < 16 || (p[0] != 1 && p[0] != 2))
        return 0;
    bool six = is_family6(p[2]);
    if (p[2] != 2 && !six)
        return 0;
    size_t hl = six ? 40 : 16;
    if (p[1] != hl)
        return 0;
    size_t need = hl + (p[0] == 2 ? 12 : 0);
    if (len <= need || !cap_sip_start(p + need, len - need))
        return 0;
    return need;
}

/* v2 time header t[0..12): seconds and microseconds in the sender's byte order. */
static void v2_time(const uint8_t *t, struct hep_info *in)
{
    uint32_t ls = ld_le32(t), lu = ld_le32(t + 4), bs = ld_be32(t), bu = ld_be32(t + 4);
    /* a plausible capture time: 2000-01-01 .. 2100-01-01 */
    bool lsane = ls >= 946684800u && ls < 4102444800u;
    bool bsane = bs >= 946684800u && bs < 4102444800u;
    bool le = lu < 1000000 && (bu >= 1000000 || lsane || !bsane);
    in->sec = le ? ls : bs;
    in->usec = le ? lu : bu;
    in->capture_id = le ? ld_le16(t + 8) : ld_be16(t + 8);
    in->has_sec = in->has_usec = true;
}

static void hep12(struct cap_hep *h, const uint8_t *p, size_t len, size_t hlen,
                  const struct cap_payload *tmpl, cap_payload_fn fn, void *ctx)
{
    struct hep_info in;
    memset(&in, 0, sizeof(in));
    in.family = p[2];
    in.has_family = true;
    in.proto = p[3];
    in.has_proto = true;
    in.sport = ld_be16(p + 4);
    in.dport = ld_be16(p + 6);
    size_t alen = is_family6(p[2]) ? 16 : 4;
    memcpy(alen == 4 ? in.s4 : in.s6, p + 8, alen);
    memcpy(alen == 4 ? in.d4 : in.d6, p + 8 + alen, alen);
    in.src4 = in.dst4 = alen == 4;
    in.src6 = in.dst6 = alen == 16;
    if (p[0] == 2)
        v2_time(p + 8 + 2 * alen, &in);
    in.type = HEP_TYPE_SIP;
    in.has_type = true;
    in.payload = p + hlen;
    in.payload_len = len - hlen;
    in.has_payload = true;
    count(h, CAP_STAT_HEP);
    count(h, CAP_STAT_HEP_V2);
    hep_deliver(h, &in, tmpl, fn, ctx);
}

bool cap_hep_decap(struct cap_hep *h, const uint8_t *p, size_t len, const struct cap_payload *tmpl,
                   cap_payload_fn fn, void *ctx)
{
    if (len >= 4 && memcmp(p, "HEP3", 4) == 0) {
        hep3_all(h, p, len, tmpl, fn, ctx);
        return true;
    }
    size_t hlen = v12_header_len(p, len);
    if (hlen == 0)
        return false;
    hep12(h, p, len, hlen, tmpl, fn, ctx);
    return true;
}

/* ---- decoder side ---- */

static struct cap_hep *dec_hep(struct cap_decoder *d)
{
    if (!d->hep)
        d->hep = cap_hep_new(d->st);
    return d->hep;
}

static struct cap_payload dec_tmpl(const struct pkt *pk, uint16_t flags)
{
    return (struct cap_payload){
        .ts_ns = pk->f->ts_ns,
        .frame = pk->f->frame,
        .frame_first = pk->frame_first,
        .file_index = pk->file_index,
        .flags = flags,
    };
}

bool cap_hep_udp(struct cap_decoder *d, const struct pkt *pk, const uint8_t *p, size_t len,
                 uint16_t flags)
{
    /* cheap first look: "HEP3" or a version 1/2 byte */
    if (len < 6 || (p[0] != 'H' && p[0] != 1 && p[0] != 2))
        return false;
    struct cap_payload t = dec_tmpl(pk, flags);
    return cap_hep_decap(dec_hep(d), p, len, &t, d->fn, d->ctx);
}

void cap_hep_frame(struct cap_decoder *d, const struct pkt *pk, struct cur c)
{
    struct cap_payload t = dec_tmpl(pk, pk->cut ? CAP_F_TRUNCATED : 0);
    if (!cap_hep_decap(dec_hep(d), c.p, c.len, &t, d->fn, d->ctx))
        cap_count(d, CAP_STAT_HEP_BAD);
}
