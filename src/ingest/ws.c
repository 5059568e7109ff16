/* SIP over WebSocket (RFC 7118) in one direction of a TCP stream: the HTTP Upgrade handshake
 * and WebSocket frames (RFC 6455 §5).
 *
 * stream.c calls ws_handshake when a stream holds an HTTP start line: a request with
 * "Upgrade: websocket" or a 101 response with it switches that direction to frames after its
 * header section (each direction sees its own half of the handshake). ws_sniff recognises a
 * data frame whose payload starts with a SIP start line, so a capture that joins a WebSocket
 * connection after its handshake, or loses frame sync in a gap, picks the frames up again.
 *
 * ws_consume reads frames: FIN, RSV, opcode, 7/16/64-bit payload lengths, masking keys (client
 * frames are unmasked into a buffer; unmasked single-frame messages are parsed in place),
 * continuation frames joined into one message, control frames (close, ping, pong) counted and
 * skipped. Each complete text or binary message is one SIP message (RFC 7118 §5), parsed with
 * datagram framing because the WebSocket message gives its length, and delivered with
 * transport WS. A message carrying only CRLFs is a keep-alive. Messages are bounded by
 * stream_max_bytes; a frame that cannot be valid (reserved opcode, fragmented or long control
 * frame, a 64-bit length with the top bit set, a continuation with no message) makes the
 * direction lose sync: bytes are skipped, counted, until ws_sniff finds a frame again.
 * Compressed messages (RSV1, permessage-deflate, RFC 7692) are counted and skipped. Nothing
 * reads past the bytes given. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "ingest/ingest_int.h"

/* Largest HTTP header section read while looking for an upgrade. */
#define WS_MAX_HANDSHAKE 16384
/* Payload bytes unmasked by ws_sniff to look for a SIP start line. */
#define WS_SNIFF_BYTES 256

#define WS_OP_CONT   0
#define WS_OP_TEXT   1
#define WS_OP_BINARY 2

struct ws_state {
    bool lost;      /* frame sync lost: skip until ws_sniff finds a frame */
    bool in_msg;    /* a fragmented message is being collected */
    bool discard;   /* ... but will be dropped (over the limit, or compressed) */
    uint64_t skip;  /* payload bytes of the current frame still to skip */
    uint64_t first; /* frame that carried the message's first byte */
    uint8_t *msg;   /* unmasked message bytes */
    size_t len, cap;
};

struct ws_frame {
    bool fin, masked;
    uint8_t rsv, op;
    uint8_t key[4];
    uint64_t plen;
    size_t hlen;
};

struct ws_state *ws_new(void)
{
    return xcalloc(1, sizeof(struct ws_state));
}

void ws_free(struct ws_state *ws)
{
    if (ws) {
        free(ws->msg);
        free(ws);
    }
}

bool ws_partial(const struct ws_state *ws)
{
    return ws->in_msg && !ws->discard && !ws->lost;
}

bool ws_lost(const struct ws_state *ws)
{
    return ws->lost;
}

void ws_gap(struct ws_state *ws)
{
    ws->lost = true;
    ws->in_msg = ws->discard = false;
    ws->skip = 0;
    ws->len = 0;
}

void ws_resume(struct ws_state *ws)
{
    ws->lost = false;
}

/* Parse a frame header. Returns 1 (f filled), 0 (more bytes needed) or -1 (not a valid
 * frame: RFC 6455 §5.2, §5.5). */
static int frame_hdr(const uint8_t *d, size_t len, struct ws_frame *f)
{
    if (len < 2)
        return 0;
    f->fin = (d[0] & 0x80) != 0;
    f->rsv = (uint8_t)(d[0] & 0x70);
    f->op = (uint8_t)(d[0] & 0x0f);
    f->masked = (d[1] & 0x80) != 0;
    unsigned l7 = d[1] & 0x7f;
    size_t ext = l7 == 126 ? 2 : l7 == 127 ? 8 : 0;
    f->hlen = 2 + ext + (f->masked ? 4 : 0);
    if ((f->op > WS_OP_BINARY && f->op < 8) || f->op > 10)
        return -1; /* reserved opcode */
    if (f->op >= 8 && (!f->fin || l7 > 125))
        return -1; /* control frames are short and never fragmented */
    if (len < f->hlen)
        return 0;
    if (l7 == 126) {
        f->plen = (uint64_t)d[2] << 8 | d[3];
    } else if (l7 == 127) {
        f->plen = 0;
        for (int i = 0; i < 8; i++)
            f->plen = f->plen << 8 | d[2 + i];
        if (f->plen >> 63)
            return -1;
    } else {
        f->plen = l7;
    }
    if (f->masked)
        memcpy(f->key, d + 2 + ext, 4);
    return 1;
}

static void unmask(uint8_t *out, const uint8_t *in, size_t n, const uint8_t key[4], size_t at)
{
    for (size_t i = 0; i < n; i++)
        out[i] = in[i] ^ key[(at + i) & 3];
}

bool ws_sniff(const uint8_t *d, size_t len)
{
    struct ws_frame f;
    if (frame_hdr(d, len, &f) != 1 || f.rsv || (f.op != WS_OP_TEXT && f.op != WS_OP_BINARY))
        return false;
    size_t n = len - f.hlen;
    if (n > f.plen)
        n = (size_t)f.plen;
    if (n > WS_SNIFF_BYTES)
        n = WS_SNIFF_BYTES;
    uint8_t tmp[WS_SNIFF_BYTES];
    if (f.masked)
        unmask(tmp, d + f.hlen, n, f.key, 0);
    else if (n)
        memcpy(tmp, d + f.hlen, n);
    return n >= 8 && sip_looks_like(tmp, n);
}

static bool only_crlf(const uint8_t *d, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (d[i] != '\r' && d[i] != '\n')
            return false;
    return true;
}

/* One complete WebSocket data message: one SIP message (RFC 7118 §5). */
static void deliver(struct ingest *in, const struct cap_payload *p, const uint8_t *d, size_t len,
                    uint64_t first)
{
    uint64_t *n = in->st->n;
    n[INGEST_STAT_WS_MESSAGES]++;
    if (len == 0)
        return;
    if (only_crlf(d, len)) {
        n[INGEST_STAT_KEEPALIVES]++;
        n[len >= 4 ? INGEST_STAT_KEEPALIVE_PINGS : INGEST_STAT_KEEPALIVE_PONGS]++;
        return;
    }
    struct cap_payload q = *p;
    q.transport = CAP_TP_WS;
    if (!ingest_deliver(in, &q, d, len, true, first)) {
        n[INGEST_STAT_WS_NOT_SIP]++;
        n[INGEST_STAT_NOT_SIP_BYTES] += len;
    }
}

/* Append a frame's payload (unmasked) to the message being collected; false (message dropped,
 * counted) when it would pass the limit. */
static bool collect(struct ingest *in, struct ws_state *ws, const struct ws_frame *f,
                    const uint8_t *d)
{
    size_t n = (size_t)f->plen;
    if (ws->len + n > in->o.stream_max_bytes) {
        in->st->n[INGEST_STAT_WS_OVER_LIMIT]++;
        in->st->n[INGEST_STAT_WS_BYTES_SKIPPED] += ws->len + n;
        ws->len = 0;
        ws->discard = true;
        return false;
    }
    if (n == 0)
        return true; /* nothing to add (and ws->msg may not exist yet) */
    if (ws->cap < ws->len + n) {
        size_t cap = ws->cap ? ws->cap : 4096;
        while (cap < ws->len + n)
            cap *= 2;
        ws->msg = xrealloc(ws->msg, cap);
        ws->cap = cap;
    }
    if (f->masked)
        unmask(ws->msg + ws->len, d, n, f->key, 0);
    else
        memcpy(ws->msg + ws->len, d, n);
    ws->len += n;
    return true;
}

/* A data frame (text, binary or continuation) whose payload d[0..plen) is all present. */
static void data_frame(struct ingest *in, struct ws_state *ws, const struct cap_payload *p,
                       const struct ws_frame *f, const uint8_t *d, uint64_t first)
{
    uint64_t *n = in->st->n;
    if (f->op != WS_OP_CONT) {
        if (ws->in_msg && !ws->discard) {
            n[INGEST_STAT_WS_MALFORMED]++; /* a new message inside a fragmented one */
            n[INGEST_STAT_WS_BYTES_SKIPPED] += ws->len;
        }
        ws->in_msg = true;
        ws->discard = f->rsv != 0;
        ws->len = 0;
        ws->first = first;
        if (f->rsv) {
            n[INGEST_STAT_WS_COMPRESSED]++;
        } else if (f->fin && !f->masked) {
            ws->in_msg = false;
            deliver(in, p, d, (size_t)f->plen, first); /* in place */
            return;
        }
    }
    if (ws->discard)
        n[INGEST_STAT_WS_BYTES_SKIPPED] += f->plen;
    else if (collect(in, ws, f, d) && f->fin) {
        if (f->op == WS_OP_CONT)
            n[INGEST_STAT_WS_FRAGMENTED]++;
        deliver(in, p, ws->msg, ws->len, ws->first);
    }
    if (f->fin) {
        ws->in_msg = ws->discard = false;
        ws->len = 0;
    }
}

/* Lose sync: skip the rest of what is given. */
static size_t lose(struct ingest *in, struct ws_state *ws, size_t skipped)
{
    in->st->n[INGEST_STAT_WS_MALFORMED]++;
    ws_gap(ws);
    in->st->n[INGEST_STAT_WS_BYTES_SKIPPED] += skipped;
    return skipped;
}

size_t ws_consume(struct ingest *in, struct ws_state *ws, const struct cap_payload *p,
                  const uint8_t *d, size_t len, uint64_t first)
{
    size_t off = 0;
    uint64_t *n = in->st->n;
    while (off < len) {
        if (ws->lost) {
            n[INGEST_STAT_WS_BYTES_SKIPPED] += len - off;
            return len;
        }
        if (ws->skip) {
            size_t k = len - off < ws->skip ? len - off : (size_t)ws->skip;
            n[INGEST_STAT_WS_BYTES_SKIPPED] += k;
            ws->skip -= k;
            off += k;
            continue;
        }
        struct ws_frame f;
        int rc = frame_hdr(d + off, len - off, &f);
        if (rc < 0 || (rc > 0 && f.op == WS_OP_CONT && !ws->in_msg))
            return off + lose(in, ws, len - off);
        if (rc == 0)
            break;
        if (f.plen > in->o.stream_max_bytes - f.hlen) {
            /* too long to hold: skip it as it passes, and what it belongs to */
            n[INGEST_STAT_WS_FRAMES]++;
            n[INGEST_STAT_WS_OVER_LIMIT]++;
            n[INGEST_STAT_WS_BYTES_SKIPPED] += ws->len;
            ws->len = 0;
            ws->in_msg = !f.fin && f.op < 8;
            ws->discard = ws->in_msg;
            ws->skip = f.plen;
            off += f.hlen;
            continue;
        }
        if (len - off - f.hlen < f.plen)
            break;
        n[INGEST_STAT_WS_FRAMES]++;
        if (f.op >= 8)
            n[INGEST_STAT_WS_CONTROL]++;
        else
            data_frame(in, ws, p, &f, d + off + f.hlen, off ? p->frame : first);
        off += f.hlen + (size_t)f.plen;
    }
    return off;
}

/* Case-insensitive: does the value (a comma-separated token list) hold token tok? */
static bool has_token(sv_t v, sv_t tok)
{
    while (v.len) {
        sv_t item;
        v = sv_split(v, ',', &item);
        if (sv_ieq(sv_trim(item), tok))
            return true;
    }
    return false;
}

/* The end of an HTTP header section in d[0..len): offset after the empty line, or 0. */
static size_t header_end(const uint8_t *d, size_t len)
{
    for (const uint8_t *nl = memchr(d, '\n', len); nl;
         nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - d))) {
        size_t at = (size_t)(nl + 1 - d);
        if (at < len && d[at] == '\n')
            return at + 1;
        if (at + 1 < len && d[at] == '\r' && d[at + 1] == '\n')
            return at + 2;
        if (at >= len)
            break;
    }
    return 0;
}

bool ws_http_line(const uint8_t *d, size_t len)
{
    const uint8_t *nl = memchr(d, '\n', len);
    size_t n = nl ? (size_t)(nl - d) : len;
    if (n >= 9 && memcmp(d, "HTTP/1.", 7) == 0 && d[8] == ' ')
        return true;
    /* request line: method SP target SP HTTP/1.x */
    if (n > 0 && d[n - 1] == '\r')
        n--;
    return n >= 14 && d[0] >= 'A' && d[0] <= 'Z' && memcmp(d + n - 9, " HTTP/1.", 8) == 0;
}

int ws_handshake(const uint8_t *d, size_t len, size_t *hlen, bool *sip)
{
    size_t scan = len < WS_MAX_HANDSHAKE ? len : WS_MAX_HANDSHAKE;
    *hlen = header_end(d, scan);
    *sip = false;
    if (!*hlen)
        return len >= WS_MAX_HANDSHAKE ? -1 : 0;
    bool response = memcmp(d, "HTTP/", 5) == 0, upgrade = false;
    if (response && !(*hlen >= 12 && memcmp(d + 8, " 101", 4) == 0))
        return -1;
    sv_t rest = sv_make(d, *hlen), line;
    rest = sv_split(rest, '\n', &line); /* the start line */
    while (rest.len) {
        rest = sv_split(rest, '\n', &line);
        sv_t name, value = sv_split(line, ':', &name);
        if (sv_ieq(sv_trim(name), SV("upgrade")))
            upgrade |= has_token(sv_trim(value), SV("websocket"));
        else if (sv_ieq(sv_trim(name), SV("sec-websocket-protocol")))
            *sip |= has_token(sv_trim(value), SV("sip"));
    }
    return upgrade ? 1 : -1;
}
