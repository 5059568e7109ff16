/* Test helpers for ingest/: feed stream payloads (each ending at a PROT_NONE page) to an ingest
 * stage and keep copies of the SIP messages it delivers. Header-only so each test_*.c stays
 * one executable. */
#ifndef TESTS_INGEST_INGTEST_H
#define TESTS_INGEST_INGTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "support/guard.h"

#define ING_MAX 64

struct ing_msg {
    char *bytes;
    size_t len;
    uint64_t frame, frame_first;
    uint8_t transport;
    uint8_t malformed;
    uint32_t anomalies;
};

struct ing {
    struct ing_msg m[ING_MAX];
    size_t n;
    struct ingest_stats st;
    struct ingest *in;
};

static inline void ing_fn(void *ctx, const struct ingest_msg *im)
{
    struct ing *g = ctx;
    if (g->n >= ING_MAX)
        return;
    struct ing_msg *m = &g->m[g->n++];
    m->len = im->bytes.len;
    m->bytes = malloc(m->len + 1);
    memcpy(m->bytes, im->bytes.p, m->len);
    m->bytes[m->len] = 0;
    m->frame = im->frame;
    m->frame_first = im->frame_first;
    m->transport = im->transport;
    m->malformed = im->sip->malformed;
    m->anomalies = im->sip->anomalies;
}

static inline void ing_init(struct ing *g, size_t max_bytes)
{
    memset(g, 0, sizeof(*g));
    struct ingest_opts o = { .stream_max_bytes = max_bytes };
    g->in = ingest_new(&o, ing_fn, g, &g->st);
}

static inline void ing_clear(struct ing *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->m[i].bytes);
    g->n = 0;
}

static inline void ing_free(struct ing *g)
{
    if (g->in)
        ingest_finish(g->in);
    g->in = NULL;
    ing_clear(g);
}

/* One stream payload of stream id with flags, at frame. */
static inline void ing_feed(struct ing *g, uint64_t id, const void *data, size_t len,
                            uint16_t flags, uint64_t frame)
{
    uint8_t *p = guard_copy(data, len);
    struct cap_payload pl = {
        .data = p,
        .len = len,
        .ts_ns = (int64_t)frame * 1000,
        .frame = frame,
        .frame_first = frame,
        .flags = flags,
        .transport = CAP_TP_TCP,
        .kind = CAP_KIND_STREAM,
        .stream_id = id,
    };
    pl.src.family = pl.dst.family = 4;
    pl.src.port = 5060;
    pl.dst.port = 5070;
    ingest_payload(g->in, &pl);
    guard_free(p);
}

static inline void ing_feed_s(struct ing *g, uint64_t id, const char *s, uint16_t flags,
                              uint64_t frame)
{
    ing_feed(g, id, s, strlen(s), flags, frame);
}

static inline uint64_t ing_stat(const struct ing *g, enum ingest_stat s)
{
    return g->st.n[s];
}

#endif
