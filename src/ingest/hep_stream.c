/* HEP3 over TCP: a proxy's HEP sender connected to a collector, seen in a capture.
 *
 * A connection is HEP when its first bytes are a HEP3 header. When the capture joined the
 * connection in the middle (no SYN seen), the first few payloads are searched for a "HEP3"
 * header that announces a possible length and a first chunk header; until one is found they
 * stay with SIP framing (stream.c). Once a direction is HEP, its bytes are framed by the packets'
 * own 16-bit lengths (so a buffer never holds more than one 64 KiB packet plus one segment),
 * each packet is decapsulated by capture's HEP code and the SIP inside goes on as a framed
 * message, exactly like HEP over UDP. A gap (lost bytes) or bytes that are not a HEP3 header
 * resynchronise on the next "HEP3"; what is skipped is counted (hep.stream_bytes_skipped). The
 * hep.* counters go to the run's capture counters (ingest_opts.cap_stats).
 *
 * This file does not reassemble TCP (capture/tcp.c does) and does not frame SIP (stream.c). */
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "base/mem.h"
#include "ingest/ingest_int.h"

/* Payloads of a joined-midway connection searched for a HEP3 header before giving up. */
#define HEP_JOIN_TRIES 8
/* Largest HEP3 packet (16-bit length) plus one segment's worth of slack. */
#define HEP_BUF_MAX (64u << 10)

enum hep_conn_state {
    HEP_CONN_UNDECIDED,
    HEP_CONN_HEP,
    HEP_CONN_NOT_HEP,
};

struct hep_conn {
    uint64_t id;
    enum hep_conn_state state;
    unsigned tries;
    uint8_t *buf;
    size_t len, cap;
    uint64_t frame_first; /* frame that carried the first buffered byte */
};

struct ingest_hep {
    struct htab by_id;
    struct cap_hep *hep;
    struct cap_stats own; /* when the caller gave no counters */
    struct cap_stats *st;
};

static uint64_t id_hash(uint64_t id)
{
    id ^= id >> 31;
    id *= 0x9e3779b97f4a7c15ull;
    id ^= id >> 29;
    return id;
}

static int conn_eq(const void *val, const void *key)
{
    return ((const struct hep_conn *)val)->id == *(const uint64_t *)key;
}

static struct ingest_hep *hep_state(struct ingest *in)
{
    if (!in->hep) {
        struct ingest_hep *h = xcalloc(1, sizeof(*h));
        htab_init(&h->by_id, 16);
        h->st = in->o.cap_stats ? in->o.cap_stats : &h->own;
        h->hep = cap_hep_new(h->st);
        in->hep = h;
    }
    return in->hep;
}

/* Offset of the first plausible HEP3 header in d[from..len): "HEP3", a length of at least one
 * chunk, and (when there) a first chunk of vendor 0 — senders begin with the generic chunks,
 * and the two NUL bytes never occur in SIP text — with a possible length. len if none; a
 * header cut by the end of the bytes counts as found. */
static size_t find_hep3(const uint8_t *d, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++) {
        if (d[i] != 'H')
            continue;
        int n = cap_hep3_len(d + i, len - i);
        if (n == 0)
            return i;
        if (n < 12)
            continue;
        if (len - i < 12)
            return i;
        size_t clen = (size_t)d[i + 10] << 8 | d[i + 11];
        if (d[i + 6] == 0 && d[i + 7] == 0 && clen >= 6 && clen <= (size_t)n - 6)
            return i;
    }
    return len;
}

static void on_message(void *ctx, const struct cap_payload *m)
{
    ingest_payload(ctx, m);
}

/* Decapsulate every whole packet in d[0..len); returns the bytes used (the rest is a partial
 * packet). Bytes that are not a HEP3 header are skipped to the next one and counted. */
static size_t frame_packets(struct ingest *in, struct ingest_hep *h, const struct cap_payload *p,
                            const uint8_t *d, size_t len, uint64_t first)
{
    size_t off = 0;
    while (off < len) {
        int n = cap_hep3_len(d + off, len - off);
        if (n < 0) {
            size_t at = find_hep3(d, len, off + 1);
            h->st->n[CAP_STAT_HEP_SKIPPED] += at - off;
            off = at;
            continue;
        }
        if (n == 0 || (size_t)n > len - off)
            break;
        struct cap_payload t = {
            .ts_ns = p->ts_ns,
            .frame = p->frame,
            .frame_first = first,
            .file_index = p->file_index,
        };
        (void)cap_hep_decap(h->hep, d + off, (size_t)n, &t, on_message, in);
        off += (size_t)n;
        first = p->frame;
    }
    return off;
}

static void buffer_add(struct hep_conn *c, const uint8_t *d, size_t n)
{
    if (n == 0)
        return;
    if (c->cap < c->len + n) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + n)
            cap *= 2;
        c->buf = xrealloc(c->buf, cap);
        c->cap = cap;
    }
    memcpy(c->buf + c->len, d, n);
    c->len += n;
}

/* Bytes of a HEP direction: framed in place when nothing is buffered, else appended. */
static void hep_bytes(struct ingest *in, struct ingest_hep *h, struct hep_conn *c,
                      const struct cap_payload *p, const uint8_t *d, size_t n)
{
    if (c->len == 0) {
        size_t used = frame_packets(in, h, p, d, n, p->frame_first);
        c->frame_first = p->frame;
        buffer_add(c, d + used, n - used);
    } else {
        buffer_add(c, d, n);
        size_t used = frame_packets(in, h, p, c->buf, c->len, c->frame_first);
        if (used) {
            memmove(c->buf, c->buf + used, c->len - used);
            c->len -= used;
            c->frame_first = p->frame;
        }
    }
    if (c->len > HEP_BUF_MAX) { /* cannot happen with HEP3 lengths; a guard all the same */
        h->st->n[CAP_STAT_HEP_SKIPPED] += c->len;
        c->len = 0;
    }
}

/* First payloads of a connection: decide whether it is HEP. Returns the offset where HEP starts,
 * or p->len when it is not (yet) known to be HEP. */
static size_t decide(struct hep_conn *c, const struct cap_payload *p)
{
    if (cap_hep3_len(p->data, p->len) >= 0) {
        c->state = HEP_CONN_HEP;
        return 0;
    }
    if (p->flags & CAP_F_STREAM_START) {
        c->state = HEP_CONN_NOT_HEP;
        return p->len;
    }
    size_t at = find_hep3(p->data, p->len, 0);
    if (at < p->len)
        c->state = HEP_CONN_HEP;
    else if (++c->tries >= HEP_JOIN_TRIES || sip_looks_like(p->data, p->len))
        c->state = HEP_CONN_NOT_HEP;
    return at;
}

static void conn_drop(struct ingest_hep *h, struct hep_conn *c)
{
    htab_remove(&h->by_id, id_hash(c->id), c);
    free(c->buf);
    free(c);
}

bool ingest_hep_stream(struct ingest *in, const struct cap_payload *p)
{
    struct ingest_hep *h = hep_state(in);
    uint64_t hash = id_hash(p->stream_id);
    struct hep_conn *c = htab_find(&h->by_id, hash, conn_eq, &p->stream_id);
    if (!c) {
        if (p->len == 0)
            return false;
        c = xcalloc(1, sizeof(*c));
        c->id = p->stream_id;
        htab_insert(&h->by_id, hash, c);
    }
    bool end = (p->flags & CAP_F_STREAM_END) != 0;
    size_t at = 0;
    if (c->state == HEP_CONN_UNDECIDED && p->len)
        at = decide(c, p);
    if (c->state != HEP_CONN_HEP) {
        if (end)
            conn_drop(h, c);
        return false; /* SIP framing takes these bytes */
    }
    if (p->flags & CAP_F_GAP) { /* bytes were lost: drop the partial packet, find the next */
        h->st->n[CAP_STAT_HEP_SKIPPED] += c->len;
        c->len = 0;
        if (at == 0 && cap_hep3_len(p->data, p->len) < 0)
            at = find_hep3(p->data, p->len, 0);
    }
    h->st->n[CAP_STAT_HEP_SKIPPED] += at;
    if (p->len > at)
        hep_bytes(in, h, c, p, p->data + at, p->len - at);
    if (end) {
        h->st->n[CAP_STAT_HEP_SKIPPED] += c->len;
        conn_drop(h, c);
        return false; /* let stream.c forget whatever it held for this direction */
    }
    return true;
}

void ingest_hep_finish(struct ingest *in)
{
    struct ingest_hep *h = in->hep;
    if (!h)
        return;
    size_t it = 0;
    struct hep_conn *c;
    while ((c = htab_next(&h->by_id, &it))) {
        h->st->n[CAP_STAT_HEP_SKIPPED] += c->len;
        free(c->buf);
        free(c);
    }
    htab_free(&h->by_id);
    cap_hep_free(h->hep);
    free(h);
    in->hep = NULL;
}
