/* SIP framing of stream bytes (RFC 3261 §18.3): one buffer per stream direction, messages cut
 * by Content-Length, keep-alive CRLFs skipped, resynchronisation on the next start line after a
 * gap or garbage. When a payload holds whole messages and nothing is buffered, they are parsed
 * in place (no copy); only a trailing partial message is buffered. Every buffer is bounded by
 * ingest_opts.stream_max_bytes; what is dropped is counted. */
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "base/mem.h"
#include "ingest/ingest_int.h"

struct stream {
    uint64_t id;
    uint8_t *buf;
    size_t len;
    size_t cap;
    uint64_t frame_first; /* frame that carried the first buffered byte */
    bool resync;          /* looking for a start line (after a gap or a mid-stream join) */
};

struct ingest_streams {
    struct htab by_id;
};

struct ingest_streams *ingest_streams_new(void)
{
    struct ingest_streams *s = xcalloc(1, sizeof(*s));
    htab_init(&s->by_id, 64);
    return s;
}

static uint64_t id_hash(uint64_t id)
{
    id ^= id >> 33;
    id *= 0xff51afd7ed558ccdull;
    id ^= id >> 33;
    return id;
}

static int stream_eq(const void *val, const void *key)
{
    return ((const struct stream *)val)->id == *(const uint64_t *)key;
}

static void stream_drop(struct ingest_streams *ss, struct stream *s)
{
    htab_remove(&ss->by_id, id_hash(s->id), s);
    free(s->buf);
    free(s);
}

/* Offset of the next line start in d[from..len) that looks like a SIP start line, or len. */
static size_t find_start_line(const uint8_t *d, size_t len, size_t from)
{
    size_t i = from;
    while (i < len) {
        if (sip_looks_like(d + i, len - i))
            return i;
        const uint8_t *nl = memchr(d + i, '\n', len - i);
        if (!nl)
            return len;
        i = (size_t)(nl - d) + 1;
    }
    return len;
}

/* Frame and deliver as many messages as d[0..len) holds. Returns bytes consumed; the rest is a
 * partial message (or bytes that cannot be judged yet) the caller keeps. */
static size_t frame_all(struct ingest *in, struct stream *s, const struct cap_payload *p,
                        const uint8_t *d, size_t len, uint64_t first)
{
    size_t off = 0;
    uint64_t *n = in->st->n;
    while (off < len) {
        if (s->resync) {
            size_t at = find_start_line(d, len, off);
            n[INGEST_STAT_STREAM_BYTES_SKIPPED] += at - off;
            off = at;
            if (off >= len)
                break;
            s->resync = false;
        }
        size_t mlen = 0, skip = 0;
        int rc = sip_frame_len(d + off, len - off, &mlen, &skip);
        if (rc == 0) {
            if (skip == len - off) { /* only keep-alive CRLFs so far */
                n[INGEST_STAT_KEEPALIVES] += skip ? 1 : 0;
                off += skip;
            }
            break;
        }
        if (rc < 0) {
            /* Not a usable message here: skip this line and look for the next start line. */
            s->resync = true;
            const uint8_t *nl = memchr(d + off, '\n', len - off);
            size_t adv = nl ? (size_t)(nl - (d + off)) + 1 : len - off;
            n[INGEST_STAT_STREAM_BYTES_SKIPPED] += adv;
            off += adv;
            continue;
        }
        if (skip)
            n[INGEST_STAT_KEEPALIVES]++;
        if (!ingest_deliver(in, p, d + off + skip, mlen - skip, false, first)) {
            n[INGEST_STAT_STREAM_BYTES_SKIPPED] += mlen;
            s->resync = true;
        }
        off += mlen;
        first = p->frame;
    }
    return off;
}

static void buffer_rest(struct ingest *in, struct stream *s, const uint8_t *d, size_t len)
{
    if (s->len + len > in->o.stream_max_bytes) {
        in->st->n[INGEST_STAT_STREAM_OVERFLOW]++;
        in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += s->len + len;
        s->len = 0;
        s->resync = true;
        return;
    }
    if (s->cap < s->len + len) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + len)
            cap *= 2;
        s->buf = xrealloc(s->buf, cap);
        s->cap = cap;
    }
    memcpy(s->buf + s->len, d, len);
    s->len += len;
}

void ingest_stream_payload(struct ingest *in, const struct cap_payload *p)
{
    if (ingest_hep_stream(in, p)) /* HEP3 over TCP: hep_stream.c frames and delivers it */
        return;
    struct ingest_streams *ss = in->streams;
    uint64_t h = id_hash(p->stream_id);
    struct stream *s = htab_find(&ss->by_id, h, stream_eq, &p->stream_id);
    if (!s) {
        if (p->flags & CAP_F_STREAM_END)
            return;
        s = xcalloc(1, sizeof(*s));
        s->id = p->stream_id;
        s->resync = !(p->flags & CAP_F_STREAM_START);
        htab_insert(&ss->by_id, h, s);
    }
    in->st->n[INGEST_STAT_STREAM_BYTES] += p->len;
    if (p->flags & CAP_F_GAP) {
        in->st->n[INGEST_STAT_STREAM_GAPS]++;
        in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += s->len;
        s->len = 0;
        s->resync = true;
    }
    if (p->len) {
        if (s->len == 0) {
            /* Parse in place; keep only the tail. */
            size_t used = frame_all(in, s, p, p->data, p->len, p->frame_first);
            if (used < p->len) {
                s->frame_first = p->frame;
                buffer_rest(in, s, p->data + used, p->len - used);
            }
        } else {
            buffer_rest(in, s, p->data, p->len);
            size_t used = frame_all(in, s, p, s->buf, s->len, s->frame_first);
            if (used) {
                memmove(s->buf, s->buf + used, s->len - used);
                s->len -= used;
                s->frame_first = p->frame;
            }
        }
    }
    if (p->flags & CAP_F_STREAM_END) {
        if (s->len && !s->resync)
            in->st->n[INGEST_STAT_STREAM_PARTIAL_AT_END]++;
        stream_drop(ss, s);
    }
}

void ingest_streams_finish(struct ingest *in)
{
    struct ingest_streams *ss = in->streams;
    size_t it = 0;
    struct stream *s;
    while ((s = htab_next(&ss->by_id, &it))) {
        if (s->len && !s->resync)
            in->st->n[INGEST_STAT_STREAM_PARTIAL_AT_END]++;
        free(s->buf);
        free(s);
    }
    htab_free(&ss->by_id);
    free(ss);
}
