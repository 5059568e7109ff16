/* Test helpers: build HEP3 and HEP v1/v2 packets byte by byte, with every chunk under the
 * test's control (wrong sizes, unknown vendors, compressed payloads). Header-only. */
#ifndef TESTS_CAPTURE_HEPBUILD_H
#define TESTS_CAPTURE_HEPBUILD_H

#include <zlib.h>

#include "capture/capbuild.h"

/* Start a HEP3 packet; returns the offset to pass to h3_end. */
static inline size_t h3_begin(struct bb *b)
{
    size_t at = b->len;
    bb_str(b, "HEP3");
    bb_be16(b, 0);
    return at;
}

/* Write the total length of the packet started at `at`. */
static inline void h3_end(struct bb *b, size_t at)
{
    size_t n = b->len - at;
    b->p[at + 4] = (uint8_t)(n >> 8);
    b->p[at + 5] = (uint8_t)n;
}

static inline void h3_chunk(struct bb *b, unsigned vendor, unsigned type, const void *p, size_t n)
{
    bb_be16(b, vendor);
    bb_be16(b, type);
    bb_be16(b, (unsigned)(6 + n));
    bb_put(b, p, n);
}

static inline void h3_u8(struct bb *b, unsigned type, unsigned v)
{
    uint8_t x = (uint8_t)v;
    h3_chunk(b, 0, type, &x, 1);
}

static inline void h3_u16(struct bb *b, unsigned type, unsigned v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    h3_chunk(b, 0, type, x, 2);
}

static inline void h3_u32(struct bb *b, unsigned type, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    h3_chunk(b, 0, type, x, 4);
}

/* What a typical sender writes around a SIP payload: family, protocol, IPv4 addresses 192.0.2.10
 * -> 192.0.2.20, ports 5060 -> 5080, time, type, capture id 2001, node "edge-1". */
struct h3_opts {
    unsigned proto; /* IP protocol, default 17 */
    unsigned type;  /* payload type, default 1 (SIP) */
    uint32_t sec, usec;
    bool no_time, no_type;
};

static inline void h3_meta(struct bb *b, const struct h3_opts *o)
{
    static const uint8_t src[4] = { 192, 0, 2, 10 }, dst[4] = { 192, 0, 2, 20 };
    h3_u8(b, 1, 2);
    h3_u8(b, 2, o && o->proto ? o->proto : 17);
    h3_chunk(b, 0, 3, src, 4);
    h3_chunk(b, 0, 4, dst, 4);
    h3_u16(b, 7, 5060);
    h3_u16(b, 8, 5080);
    if (!(o && o->no_time)) {
        h3_u32(b, 9, o && o->sec ? o->sec : 1700000000u);
        h3_u32(b, 10, o ? o->usec : 0);
    }
    if (!(o && o->no_type))
        h3_u8(b, 11, o && o->type ? o->type : 1);
    h3_u32(b, 12, 2001);
    h3_chunk(b, 0, 19, "edge-1", 6);
}

/* A whole HEP3 packet around a plain payload. */
static inline void h3_packet(struct bb *b, const char *payload, const struct h3_opts *o)
{
    size_t at = h3_begin(b);
    h3_meta(b, o);
    h3_chunk(b, 0, 15, payload, strlen(payload));
    h3_end(b, at);
}

/* Compress with zlib (wbits 15), gzip (31) or raw deflate (-15). */
static inline struct bb h3_deflate(const void *p, size_t n, int wbits)
{
    struct bb out = { 0 };
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    out.p = malloc(cap);
    out.cap = cap;
    zs.next_in = (Bytef *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = out.p;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        abort();
    out.len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

#define SIP_OPTIONS                                             \
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"                   \
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-hep-1\r\n" \
    "Max-Forwards: 70\r\n"                                      \
    "From: <sip:alice@example.com>;tag=a1\r\n"                  \
    "To: <sip:bob@example.com>\r\n"                             \
    "Call-ID: hep-1@example.com\r\n"                            \
    "CSeq: 1 OPTIONS\r\n"                                       \
    "Content-Length: 0\r\n\r\n"

#endif
