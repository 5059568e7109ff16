/* SIP framing of stream bytes (RFC 3261 §18.3), one state per stream direction.
 *
 * Messages are cut by Content-Length (sip_frame_len). When a payload holds whole messages and
 * nothing is buffered they are parsed in place, without a copy; only a trailing partial message
 * is buffered, and a buffered one is completed by appending the next payload. Several messages
 * in one payload and one message over many payloads give the same messages.
 *
 * Between messages, runs of CR/LF are keep-alives (RFC 5626 §3.5.1: a double CRLF is a ping, a
 * single CRLF a pong), counted once per run even when a run spans payloads. After a gap
 * (CAP_F_GAP) or when a stream is joined mid-way (no CAP_F_STREAM_START) the framer skips to
 * the next line that looks like a SIP start line; an incomplete last line is kept until it can
 * be judged. A SIP message without a usable Content-Length cannot be framed on a stream: its
 * header section is delivered (sip_parse reports it) and the bytes up to the next start line
 * are skipped. HTTP messages are skipped, except an HTTP Upgrade to WebSocket, after which the
 * direction carries WebSocket frames (ws.c, RFC 7118). Other bytes are skipped a line at a
 * time. Every byte skipped and every message lost is counted.
 *
 * Buffers are bounded by ingest_opts.stream_max_bytes per direction and 1024 times that in
 * all; a message that would pass either is dropped (counted) and the framer resynchronises. */
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "base/mem.h"
#include "ingest/ingest_int.h"

/* All stream buffers together, as a multiple of stream_max_bytes. */
#define STREAM_TOTAL_FACTOR 1024
/* Longest incomplete line kept while resynchronising: a start line longer than this, split
 * across payloads after a gap, is missed. */
#define RESYNC_MAX_PARTIAL 1024

struct stream {
    uint64_t id;
    uint8_t *buf;
    size_t len;
    size_t cap;
    uint64_t frame_first; /* frame that carried the first buffered byte */
    uint64_t crlf;        /* CR/LF bytes of a keep-alive run still open at the last byte */
    bool resync;          /* looking for a start line (after a gap or a mid-stream join) */
    bool any;             /* a SIP message (or a WebSocket handshake) came out of it */
    struct ws_state *ws;  /* WebSocket framing after an upgrade; NULL for plain SIP */
};

struct ingest_streams {
    struct htab by_id;
    size_t total; /* bytes buffered by all streams */
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

/* Close a keep-alive run: each CRLFCRLF is a ping, what is left over a pong. */
static void crlf_close(struct ingest *in, struct stream *s)
{
    if (!s->crlf)
        return;
    uint64_t pings = s->crlf / 4, pongs = s->crlf % 4 ? 1 : 0;
    in->st->n[INGEST_STAT_KEEPALIVES] += pings + pongs;
    in->st->n[INGEST_STAT_KEEPALIVE_PINGS] += pings;
    in->st->n[INGEST_STAT_KEEPALIVE_PONGS] += pongs;
    s->crlf = 0;
}

/* Count what a stream leaves behind at its end, then free it. */
static void stream_end(struct ingest *in, struct stream *s)
{
    uint64_t *n = in->st->n;
    crlf_close(in, s);
    if ((s->len && !s->resync && !(s->ws && ws_lost(s->ws))) || (s->ws && ws_partial(s->ws)))
        n[INGEST_STAT_STREAM_PARTIAL_AT_END]++;
    n[INGEST_STAT_STREAM_BYTES_SKIPPED] += s->len;
    if (!s->any)
        n[INGEST_STAT_STREAM_NOT_SIP]++;
    in->streams->total -= s->len;
    ws_free(s->ws);
    free(s->buf);
    free(s);
}

/* Could this incomplete line still become a start line? No control bytes, not too long. */
static bool could_start(const uint8_t *d, size_t len)
{
    if (len > RESYNC_MAX_PARTIAL)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((d[i] < 0x20 && d[i] != '\t' && d[i] != '\r') || d[i] == 0x7f)
            return false;
    return true;
}

/* Offset of the next line start in d[from..len) that looks like a SIP or HTTP start line, or
 * of an incomplete last line that might be one (*sure false), or len. */
static size_t find_start_line(const uint8_t *d, size_t len, size_t from, bool *sure)
{
    size_t i = from;
    *sure = false;
    while (i < len) {
        const uint8_t *nl = memchr(d + i, '\n', len - i);
        if (!nl)
            return could_start(d + i, len - i) ? i : len;
        size_t n = (size_t)(nl - d) + 1 - i;
        if (sip_looks_like(d + i, n) || ws_http_line(d + i, n)) {
            *sure = true;
            return i;
        }
        i += n;
    }
    return len;
}

/* Consume a run of CR/LF at d: a keep-alive, or the line ends before a start line. */
static size_t crlf_run(struct ingest *in, struct stream *s, const uint8_t *d, size_t len)
{
    size_t i = 0;
    while (i < len && (d[i] == '\r' || d[i] == '\n'))
        i++;
    s->crlf += i;
    if (i)
        s->any = true;
    if (i < len)
        crlf_close(in, s);
    return i;
}

/* An HTTP message at d: a WebSocket upgrade switches the stream to frames, anything else is
 * skipped. Returns bytes consumed, 0 if more are needed. */
static size_t http(struct ingest *in, struct stream *s, const uint8_t *d, size_t len)
{
    size_t hlen;
    bool sip;
    int rc = ws_handshake(d, len, &hlen, &sip);
    if (rc == 0)
        return 0;
    if (rc > 0) {
        in->st->n[INGEST_STAT_WS_HANDSHAKES]++;
        if (!sip)
            in->st->n[INGEST_STAT_WS_NOT_SIP_PROTOCOL]++;
        s->ws = ws_new();
        s->any = true;
        return hlen;
    }
    in->st->n[INGEST_STAT_STREAM_HTTP]++;
    s->resync = true;
    if (!hlen) { /* a header section too long to look at: skip the line */
        const uint8_t *nl = memchr(d, '\n', len);
        hlen = nl ? (size_t)(nl - d) + 1 : len;
    }
    in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += hlen;
    return hlen;
}

/* A SIP message whose Content-Length is missing or unusable: deliver its header section, then
 * skip to the next start line. Returns bytes consumed, 0 if the header section is not all
 * there yet. */
static size_t no_length(struct ingest *in, struct stream *s, const struct cap_payload *p,
                        const uint8_t *d, size_t len, uint64_t first)
{
    const uint8_t *q = d, *e = d + len;
    while ((q = memchr(q, '\n', (size_t)(e - q)))) {
        q++;
        if (q < e && *q == '\n')
            break;
        if (q + 1 < e && q[0] == '\r' && q[1] == '\n') {
            q++;
            break;
        }
    }
    if (!q || q >= e)
        return 0;
    size_t n = (size_t)(q + 1 - d);
    in->st->n[INGEST_STAT_STREAM_NO_LENGTH]++;
    if (ingest_deliver(in, p, d, n, false, first))
        s->any = true;
    else
        in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += n;
    s->resync = true;
    return n;
}

/* sip_frame_len could not frame d: decide what the bytes are. Returns bytes consumed, 0 if
 * more are needed. */
static size_t unframed(struct ingest *in, struct stream *s, const struct cap_payload *p,
                       const uint8_t *d, size_t len, uint64_t first)
{
    const uint8_t *nl = memchr(d, '\n', len);
    size_t line = nl ? (size_t)(nl - d) + 1 : len;
    if (ws_http_line(d, line))
        return http(in, s, d, len);
    if (sip_looks_like(d, line))
        return no_length(in, s, p, d, len, first);
    s->resync = true;
    in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += line;
    return line;
}

/* Frame SIP messages in d[0..len) (first: frame of d[0]). Returns bytes consumed; stops early
 * when the stream switches to WebSocket frames. The rest is kept for more bytes. */
static size_t sip_consume(struct ingest *in, struct stream *s, const struct cap_payload *p,
                          const uint8_t *d, size_t len, uint64_t first)
{
    size_t off = 0;
    uint64_t *n = in->st->n;
    while (off < len && !s->ws) {
        if (!s->resync)
            off += crlf_run(in, s, d + off, len - off);
        if (off == len)
            break;
        if (s->resync) {
            bool sure;
            size_t at = find_start_line(d, len, off, &sure);
            n[INGEST_STAT_STREAM_BYTES_SKIPPED] += at - off;
            off = at;
            if (!sure)
                break;
            s->resync = false;
        }
        size_t mlen = 0, skip = 0, used = 0;
        int rc = sip_frame_len(d + off, len - off, &mlen, &skip);
        if (rc > 0) {
            if (ingest_deliver(in, p, d + off, mlen, false, off ? p->frame : first)) {
                s->any = true;
            } else {
                n[INGEST_STAT_STREAM_BYTES_SKIPPED] += mlen;
                s->resync = true;
            }
            used = mlen;
        } else if (rc < 0) {
            used = unframed(in, s, p, d + off, len - off, off ? p->frame : first);
        }
        if (!used)
            break;
        off += used;
    }
    return off;
}

/* Frame d[0..len) in whichever mode the stream is in; returns bytes consumed. */
static size_t consume(struct ingest *in, struct stream *s, const struct cap_payload *p,
                      const uint8_t *d, size_t len, uint64_t first)
{
    size_t off = 0;
    while (off < len) {
        size_t used = s->ws ? ws_consume(in, s->ws, p, d + off, len - off, off ? p->frame : first)
                            : sip_consume(in, s, p, d + off, len - off, off ? p->frame : first);
        if (!used)
            break;
        off += used;
    }
    return off;
}

/* Drop what the stream buffers; it resynchronises. */
static void drop_buffer(struct ingest *in, struct stream *s)
{
    in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += s->len;
    in->streams->total -= s->len;
    s->len = 0;
    crlf_close(in, s);
    if (s->ws)
        ws_gap(s->ws);
    else
        s->resync = true;
}

/* Append d[0..len) to the buffer; false (buffer and bytes dropped, counted) over a limit. */
static bool buffer_add(struct ingest *in, struct stream *s, const uint8_t *d, size_t len)
{
    size_t max = in->o.stream_max_bytes;
    if (s->len + len > max || in->streams->total + len > max * STREAM_TOTAL_FACTOR) {
        in->st->n[INGEST_STAT_STREAM_OVERFLOW]++;
        in->st->n[INGEST_STAT_STREAM_BYTES_SKIPPED] += len;
        drop_buffer(in, s);
        return false;
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
    in->streams->total += len;
    return true;
}

static struct stream *stream_get(struct ingest *in, const struct cap_payload *p)
{
    struct ingest_streams *ss = in->streams;
    uint64_t h = id_hash(p->stream_id);
    struct stream *s = htab_find(&ss->by_id, h, stream_eq, &p->stream_id);
    if (!s && (p->len || !(p->flags & CAP_F_STREAM_END))) { /* data with a FIN still counts */
        s = xcalloc(1, sizeof(*s));
        s->id = p->stream_id;
        s->resync = !(p->flags & CAP_F_STREAM_START);
        htab_insert(&ss->by_id, h, s);
    }
    return s;
}

/* A gap: a message in progress is lost. */
static void on_gap(struct ingest *in, struct stream *s)
{
    in->st->n[INGEST_STAT_STREAM_GAPS]++;
    if ((s->len && !s->resync && !(s->ws && ws_lost(s->ws))) || (s->ws && ws_partial(s->ws)))
        in->st->n[INGEST_STAT_STREAM_CUT_BY_GAP]++;
    drop_buffer(in, s);
}

/* Bytes of one payload: in place when nothing is buffered, else appended to the buffer. */
static void feed(struct ingest *in, struct stream *s, const struct cap_payload *p)
{
    if (s->len == 0) {
        /* A stream joined mid-way, or out of sync, may be WebSocket frames carrying SIP. */
        if ((s->resync && !s->ws) || (s->ws && ws_lost(s->ws))) {
            if (ws_sniff(p->data, p->len)) {
                in->st->n[INGEST_STAT_WS_JOINED]++;
                if (!s->ws)
                    s->ws = ws_new();
                ws_resume(s->ws);
                s->resync = false;
            }
        }
        size_t used = consume(in, s, p, p->data, p->len, p->frame_first);
        s->frame_first = used ? p->frame : p->frame_first;
        if (used < p->len)
            buffer_add(in, s, p->data + used, p->len - used);
        return;
    }
    size_t old = s->len;
    if (!buffer_add(in, s, p->data, p->len))
        return;
    size_t used = consume(in, s, p, s->buf, s->len, s->frame_first);
    if (!used)
        return;
    memmove(s->buf, s->buf + used, s->len - used);
    s->len -= used;
    in->streams->total -= used;
    if (used >= old)
        s->frame_first = used == old ? p->frame_first : p->frame;
}

void ingest_stream_payload(struct ingest *in, const struct cap_payload *p)
{
    in->st->n[INGEST_STAT_STREAM_BYTES] += p->len;
    if (ingest_hep_stream(in, p)) /* HEP3 over TCP: hep_stream.c frames and delivers it */
        return;
    struct stream *s = stream_get(in, p);
    if (!s) /* the end of a stream never seen, without data */
        return;
    if (p->flags & CAP_F_GAP)
        on_gap(in, s);
    if (p->len)
        feed(in, s, p);
    if (p->flags & CAP_F_STREAM_END) {
        htab_remove(&in->streams->by_id, id_hash(s->id), s);
        stream_end(in, s);
    }
}

void ingest_streams_finish(struct ingest *in)
{
    struct ingest_streams *ss = in->streams;
    size_t it = 0;
    struct stream *s;
    while ((s = htab_next(&ss->by_id, &it)))
        stream_end(in, s);
    htab_free(&ss->by_id);
    free(ss);
}
