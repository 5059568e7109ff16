/* Test helpers for capture/: build packets and capture files byte by byte, run the decoder on
 * a frame and keep copies of what it pushes. Header-only (static inline) so each test_*.c
 * stays one executable. */
#ifndef TESTS_CAPTURE_CAPBUILD_H
#define TESTS_CAPTURE_CAPBUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "support/guard.h"

/* A growable byte string. */
struct bb {
    uint8_t *p;
    size_t len, cap;
};

static inline void bb_put(struct bb *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static inline void bb_u8(struct bb *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    bb_put(b, &x, 1);
}

static inline void bb_be16(struct bb *b, unsigned v)
{
    bb_u8(b, v >> 8);
    bb_u8(b, v);
}

static inline void bb_be32(struct bb *b, uint32_t v)
{
    bb_be16(b, v >> 16);
    bb_be16(b, v & 0xffff);
}

static inline void bb_le16(struct bb *b, unsigned v)
{
    bb_u8(b, v);
    bb_u8(b, v >> 8);
}

static inline void bb_le32(struct bb *b, uint32_t v)
{
    bb_le16(b, v & 0xffff);
    bb_le16(b, v >> 16);
}

static inline void bb_u16o(struct bb *b, unsigned v, bool be)
{
    if (be)
        bb_be16(b, v);
    else
        bb_le16(b, v);
}

static inline void bb_u32o(struct bb *b, uint32_t v, bool be)
{
    if (be)
        bb_be32(b, v);
    else
        bb_le32(b, v);
}

static inline void bb_zero(struct bb *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bb_u8(b, 0);
}

static inline void bb_str(struct bb *b, const char *s)
{
    bb_put(b, s, strlen(s));
}

static inline void bb_cat(struct bb *b, const struct bb *o)
{
    bb_put(b, o->p, o->len);
}

static inline void bb_free(struct bb *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- packets (each returns a new string; the payload argument is not freed) ---- */

static inline struct bb mk_udp(unsigned sport, unsigned dport, const void *data, size_t len)
{
    struct bb b = { 0 };
    bb_be16(&b, sport);
    bb_be16(&b, dport);
    bb_be16(&b, (unsigned)(8 + len));
    bb_be16(&b, 0);
    bb_put(&b, data, len);
    return b;
}

static inline struct bb mk_udp_s(unsigned sport, unsigned dport, const char *s)
{
    return mk_udp(sport, dport, s, strlen(s));
}

/* IPv4 header (no options) around payload; fo = flags/fragment-offset field. */
static inline struct bb mk_ipv4(uint32_t src, uint32_t dst, unsigned proto, unsigned id,
                                unsigned fo, const struct bb *pl)
{
    struct bb b = { 0 };
    bb_u8(&b, 0x45);
    bb_u8(&b, 0);
    bb_be16(&b, (unsigned)(20 + pl->len));
    bb_be16(&b, id);
    bb_be16(&b, fo);
    bb_u8(&b, 64);
    bb_u8(&b, proto);
    bb_be16(&b, 0);
    bb_be32(&b, src);
    bb_be32(&b, dst);
    bb_cat(&b, pl);
    return b;
}

/* IPv6 header; src/dst: last byte distinguishes (2001:db8::N). */
static inline struct bb mk_ipv6(unsigned src_last, unsigned dst_last, unsigned next,
                                const struct bb *pl)
{
    struct bb b = { 0 };
    bb_be32(&b, 0x60000000);
    bb_be16(&b, (unsigned)pl->len);
    bb_u8(&b, next);
    bb_u8(&b, 64);
    uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    a[15] = (uint8_t)src_last;
    bb_put(&b, a, 16);
    a[15] = (uint8_t)dst_last;
    bb_put(&b, a, 16);
    bb_cat(&b, pl);
    return b;
}

static inline struct bb mk_eth(unsigned type, const struct bb *pl)
{
    struct bb b = { 0 };
    static const uint8_t macs[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    bb_put(&b, macs, 12);
    bb_be16(&b, type);
    bb_cat(&b, pl);
    return b;
}

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* ---- running the decoder ---- */

#define COL_MAX 64

struct got {
    uint8_t *data;
    struct cap_payload p; /* p.data points at data */
};

struct col {
    struct got g[COL_MAX];
    size_t n;
    struct cap_stats st;
    struct cap_decoder *d;
};

static inline void col_fn(void *ctx, const struct cap_payload *p)
{
    struct col *c = ctx;
    if (c->n >= COL_MAX)
        return;
    struct got *g = &c->g[c->n++];
    g->p = *p;
    g->data = malloc(p->len ? p->len : 1);
    if (p->len)
        memcpy(g->data, p->data, p->len);
    g->p.data = g->data;
}

static inline void col_init(struct col *c, const struct cap_decoder_opts *o)
{
    memset(c, 0, sizeof(*c));
    c->d = cap_decoder_new(o, col_fn, c, &c->st);
}

static inline void col_clear(struct col *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->g[i].data);
    c->n = 0;
}

static inline void col_finish(struct col *c)
{
    cap_decoder_finish(c->d);
    c->d = NULL;
}

static inline void col_free(struct col *c)
{
    if (c->d)
        col_finish(c);
    col_clear(c);
}

/* Decode one frame whose bytes end at a PROT_NONE page; caplen may be below len (snaplen). */
static inline void col_frame_ts(struct col *c, uint32_t link, const struct bb *b, size_t caplen,
                                uint64_t frame, int64_t ts)
{
    uint8_t *g = guard_copy(b->p, caplen);
    struct cap_frame f = { .data = g,
                           .caplen = (uint32_t)caplen,
                           .origlen = (uint32_t)b->len,
                           .ts_ns = ts,
                           .frame = frame,
                           .linktype = link };
    cap_decode(c->d, &f, 7);
    guard_free(g);
}

static inline void col_frame(struct col *c, uint32_t link, const struct bb *b)
{
    col_frame_ts(c, link, b, b->len, 1, 1000);
}

static inline bool got_is(const struct got *g, const char *s)
{
    return g->p.len == strlen(s) && memcmp(g->data, s, g->p.len) == 0;
}

#endif
