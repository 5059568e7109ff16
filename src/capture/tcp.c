/* TCP stream reassembly (RFC 9293 §3.4, §3.10.7): segments in, ordered stream bytes out.
 *
 * Connections are keyed by input and address/port pair (both directions share one entry); each
 * direction gets a stream id from a decoder-wide counter, so ids are never reused, and a port
 * pair reused after FIN/RST (a SYN with a new ISN, or data past the FIN) is a new connection
 * with new ids. A SYN gives the ISN and marks the first bytes CAP_F_STREAM_START; data with no
 * SYN seen joins mid-stream at the first sequence number seen (no START flag).
 *
 * In-order bytes are pushed straight from the frame, without a copy or an allocation. Bytes
 * seen before (retransmissions, overlaps) are trimmed and counted. Bytes ahead of a hole are
 * copied and held, sorted, within tcp_max_bytes per direction (and 64 times that in all), and
 * pushed when the hole fills. A hole is given up — the bytes after it are pushed with CAP_F_GAP
 * and the sequence space skipped is counted — when holding would pass a limit, when the peer
 * acknowledges bytes past it (the capture lost them), when the connection closes (both FINs or
 * a RST), when the connection is forgotten, at the end of input, and right away for the part
 * of a segment the snapshot length cut. FIN (once every byte before it arrived) and RST push a
 * zero-length CAP_F_STREAM_END. Connections idle for tcp_idle_ns of capture time are forgotten,
 * and at most tcp_max_streams are tracked (least recently used forgotten first).
 *
 * Every payload says which frame completed it (frame) and which frame carried its first byte
 * (frame_first), so a message spread over segments is reported where tshark reports it. Held
 * bytes that overlap a later copy are compared, and a difference is counted (the first copy
 * wins); bytes already pushed are not kept, so a retransmission of them is counted but not
 * compared. Checksums are not verified. Nothing here knows SIP. */
#include <stdlib.h>

#include "base/htab.h"
#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

/* Total bytes held out of order by all connections, as a multiple of tcp_max_bytes. */
#define TCP_TOTAL_FACTOR 64

struct tcp_key {
    uint32_t file_index;
    uint8_t family;
    uint8_t pad[3]; /* zeroed: keys are hashed and compared as bytes */
    uint16_t port[2];
    uint8_t ip[2][16];
};

/* Bytes held ahead of a hole; a sorted, non-overlapping list per direction. */
struct tcp_held {
    struct tcp_held *next;
    uint32_t seq, len;
    int64_t ts;
    uint64_t frame, frame_first; /* the frame that carried them */
    uint8_t data[];
};

struct tcp_dir {
    uint64_t stream_id;
    uint32_t isn, next_seq, fin_seq;
    uint32_t acked; /* highest acknowledgement the peer sent for this direction */
    int64_t out_ts; /* time and frame of the last payload pushed (they never go back) */
    uint64_t out_frame;
    bool have_acked;
    bool have_isn;      /* a SYN was seen: isn is valid */
    bool have_seq;      /* next_seq is known */
    bool start_pending; /* the next payload carries CAP_F_STREAM_START */
    bool gap_pending;   /* the next payload carries CAP_F_GAP */
    bool fin;           /* a FIN was seen: fin_seq is valid */
    bool closed;        /* CAP_F_STREAM_END was pushed */
    struct tcp_held *held;
    size_t held_bytes;
};

struct tcp_conn {
    struct tcp_key key;
    uint64_t hash;
    struct tcp_conn *older, *newer; /* least recently used first */
    int64_t last_ts;
    uint64_t last_frame;
    struct tcp_dir dir[2]; /* dir[0]: from endpoint 0 to endpoint 1 */
};

struct tcp_state {
    struct htab h;
    struct tcp_conn *oldest, *newest;
    uint32_t count;
    size_t held_total;
    uint64_t next_id;
    int64_t now; /* latest capture time seen */
};

/* When and where pushed payloads happen: the segment being decoded, or (for connections
 * forgotten without one) the connection's last frame. */
struct tcp_at {
    struct cap_decoder *d;
    struct tcp_state *t;
    struct tcp_conn *c;
    int64_t ts;
    uint64_t frame;
    uint16_t pflags;
};

static int key_eq(const void *val, const void *key)
{
    return memcmp(&((const struct tcp_conn *)val)->key, key, sizeof(struct tcp_key)) == 0;
}

/* Fill k for seg's endpoints; returns the direction index of seg (0 if src sorts first). */
static int make_key(const struct tcp_seg_info *s, struct tcp_key *k)
{
    memset(k, 0, sizeof(*k));
    k->file_index = s->file_index;
    k->family = s->src.family;
    int cmp = memcmp(s->src.ip, s->dst.ip, 16);
    int side = (cmp > 0 || (cmp == 0 && s->src.port > s->dst.port)) ? 1 : 0;
    memcpy(k->ip[side], s->src.ip, 16);
    memcpy(k->ip[!side], s->dst.ip, 16);
    k->port[side] = s->src.port;
    k->port[!side] = s->dst.port;
    return side;
}

static void lru_unlink(struct tcp_state *t, struct tcp_conn *c)
{
    if (c->older)
        c->older->newer = c->newer;
    else
        t->oldest = c->newer;
    if (c->newer)
        c->newer->older = c->older;
    else
        t->newest = c->older;
    c->older = c->newer = NULL;
}

static void lru_append(struct tcp_state *t, struct tcp_conn *c)
{
    c->older = t->newest;
    c->newer = NULL;
    if (t->newest)
        t->newest->newer = c;
    else
        t->oldest = c;
    t->newest = c;
}

/* Push len bytes (or, with CAP_F_STREAM_END, nothing) of direction side. */
static void emit(struct tcp_at *at, int side, const uint8_t *p, size_t len, uint64_t frame_first,
                 uint16_t flags)
{
    struct tcp_dir *dr = &at->c->dir[side];
    const struct tcp_key *k = &at->c->key;
    if (dr->start_pending)
        flags |= CAP_F_STREAM_START;
    if (dr->gap_pending)
        flags |= CAP_F_GAP;
    dr->start_pending = dr->gap_pending = false;
    struct cap_payload pl = {
        .data = p,
        .len = len,
        .ts_ns = at->ts,
        .frame = at->frame,
        .frame_first = frame_first,
        .file_index = k->file_index,
        .flags = (uint16_t)(flags | at->pflags),
        .transport = CAP_TP_TCP,
        .kind = CAP_KIND_STREAM,
        .stream_id = dr->stream_id,
    };
    pl.src.family = pl.dst.family = k->family;
    memcpy(pl.src.ip, k->ip[side], 16);
    memcpy(pl.dst.ip, k->ip[!side], 16);
    pl.src.port = k->port[side];
    pl.dst.port = k->port[!side];
    cap_count_n(at->d, CAP_STAT_TCP_BYTES, len);
    dr->out_ts = at->ts;
    dr->out_frame = at->frame;
    at->d->fn(at->d->ctx, &pl);
}

static void held_free(struct tcp_at *at, struct tcp_dir *dr, struct tcp_held *h)
{
    dr->held = h->next;
    dr->held_bytes -= h->len;
    at->t->held_total -= h->len;
    free(h);
}

/* Skip the sequence space up to seq as lost: the next payload is marked as a gap. */
static void skip_to(struct tcp_at *at, struct tcp_dir *dr, uint32_t seq, enum cap_stat why)
{
    uint32_t lost = seq - dr->next_seq;
    if ((int32_t)lost <= 0)
        return;
    cap_count(at->d, CAP_STAT_TCP_GAPS);
    cap_count(at->d, why);
    cap_count_n(at->d, CAP_STAT_TCP_GAP_BYTES, lost);
    dr->gap_pending = true;
    dr->next_seq = seq;
}

/* Push held bytes that the stream has reached; drop held bytes it has passed. Bytes released
 * by a filled hole are pushed at the frame that filled it; own: bytes released by giving a
 * hole up are pushed at the frame that carried them (nothing later completed them). */
static void drain(struct tcp_at *at, int side, bool own)
{
    struct tcp_dir *dr = &at->c->dir[side];
    struct tcp_held *h;
    while ((h = dr->held) && (int32_t)(h->seq - dr->next_seq) <= 0) {
        uint32_t over = dr->next_seq - h->seq;
        if (over < h->len) {
            struct tcp_at here = *at;
            if (own) { /* but never before bytes already pushed */
                here.ts = h->frame > dr->out_frame ? h->ts : dr->out_ts;
                here.frame = h->frame > dr->out_frame ? h->frame : dr->out_frame;
            }
            cap_count_n(at->d, CAP_STAT_TCP_RETRANS_BYTES, over);
            emit(&here, side, h->data + over, h->len - over, h->frame_first, 0);
            dr->next_seq = h->seq + h->len;
        } else {
            cap_count_n(at->d, CAP_STAT_TCP_RETRANS_BYTES, h->len);
        }
        held_free(at, dr, h);
    }
}

/* Give up the holes of direction side before seq: push what is held there, gaps marked. */
static void give_up_before(struct tcp_at *at, int side, uint32_t seq, enum cap_stat why)
{
    struct tcp_dir *dr = &at->c->dir[side];
    while (dr->held && (int32_t)(dr->held->seq - seq) < 0) {
        skip_to(at, dr, dr->held->seq, why);
        drain(at, side, true);
    }
    skip_to(at, dr, seq, why);
}

/* Give up every hole of direction side: push all it holds, gaps marked. */
static void give_up(struct tcp_at *at, int side, enum cap_stat why)
{
    struct tcp_dir *dr = &at->c->dir[side];
    while (dr->held) {
        skip_to(at, dr, dr->held->seq, why);
        drain(at, side, true);
    }
}

/* Push CAP_F_STREAM_END for direction side (after giving up its holes). */
static void end_dir(struct tcp_at *at, int side, enum cap_stat why)
{
    struct tcp_dir *dr = &at->c->dir[side];
    if (dr->closed)
        return;
    give_up(at, side, why);
    if (dr->fin && dr->have_seq)
        skip_to(at, dr, dr->fin_seq, why); /* bytes before the FIN never came */
    if (dr->have_seq || dr->have_isn)
        emit(at, side, NULL, 0, at->frame, CAP_F_STREAM_END);
    dr->closed = true;
}

/* After a FIN: once every byte before it arrived, the direction ends. */
static void maybe_close(struct tcp_at *at, int side)
{
    struct tcp_dir *dr = &at->c->dir[side];
    if (dr->fin && !dr->closed && !dr->held && dr->next_seq == dr->fin_seq)
        end_dir(at, side, CAP_STAT_TCP_GAP_CLOSED);
}

static struct tcp_conn *conn_new(struct cap_decoder *d, struct tcp_state *t,
                                 const struct tcp_key *k, uint64_t h)
{
    struct tcp_conn *c = xcalloc(1, sizeof(*c));
    c->key = *k;
    c->hash = h;
    c->dir[0].stream_id = ++t->next_id;
    c->dir[1].stream_id = ++t->next_id;
    htab_insert(&t->h, h, c);
    lru_append(t, c);
    t->count++;
    cap_count(d, CAP_STAT_TCP_CONNS);
    return c;
}

/* Forget a connection: end both directions (giving up holes for why), free it. Pushes happen
 * at the connection's last frame unless at already names a frame of this connection. */
static void conn_drop(struct cap_decoder *d, struct tcp_state *t, struct tcp_conn *c,
                      const struct tcp_at *cur, enum cap_stat why)
{
    struct tcp_at at = { d, t, c, c->last_ts, c->last_frame, 0 };
    if (cur && cur->c == c)
        at = *cur;
    end_dir(&at, 0, why);
    end_dir(&at, 1, why);
    htab_remove(&t->h, c->hash, c);
    lru_unlink(t, c);
    t->count--;
    free(c);
}

static bool conn_open(const struct tcp_conn *c)
{
    return !c->dir[0].closed || !c->dir[1].closed;
}

static void expire_idle(struct cap_decoder *d, struct tcp_state *t)
{
    struct tcp_conn *c;
    /* now >= every last_ts, so the difference fits unsigned (capture times are hostile). */
    while ((c = t->oldest) &&
           (uint64_t)t->now - (uint64_t)c->last_ts > (uint64_t)d->o.tcp_idle_ns) {
        if (conn_open(c))
            cap_count(d, CAP_STAT_TCP_IDLE);
        conn_drop(d, t, c, NULL, CAP_STAT_TCP_GAP_IDLE);
    }
}

void cap_tcp_init(struct cap_decoder *d)
{
    struct tcp_state *t = xcalloc(1, sizeof(*t));
    htab_init(&t->h, 64);
    t->now = INT64_MIN;
    d->tcp = t;
    /* Held bytes are placed by 32-bit sequence distance: keep the window far below 2^31. */
    if (d->o.tcp_max_bytes > (1u << 30))
        d->o.tcp_max_bytes = 1u << 30;
}

void cap_tcp_finish(struct cap_decoder *d)
{
    struct tcp_state *t = d->tcp;
    if (!t)
        return;
    while (t->oldest)
        conn_drop(d, t, t->oldest, NULL, CAP_STAT_TCP_GAP_END);
    htab_free(&t->h);
    free(t);
    d->tcp = NULL;
}

/* Compare bytes [seq, seq + len) with what is held where they overlap; count a difference. */
static void check_held(struct tcp_at *at, const struct tcp_dir *dr, uint32_t seq, const uint8_t *p,
                       size_t len)
{
    for (const struct tcp_held *h = dr->held; h; h = h->next) {
        int32_t off = (int32_t)(h->seq - seq);
        if (off >= (int32_t)len)
            break;
        size_t a = off > 0 ? (size_t)off : 0;
        size_t ha = off > 0 ? 0 : (size_t) - (int64_t)off;
        if (ha >= h->len)
            continue;
        size_t n = h->len - ha < len - a ? h->len - ha : len - a;
        if (memcmp(h->data + ha, p + a, n) != 0) {
            cap_count(at->d, CAP_STAT_TCP_OVERLAP_BAD);
            return;
        }
    }
}

static struct tcp_held *held_new(struct tcp_at *at, struct tcp_dir *dr, uint32_t seq,
                                 const uint8_t *p, uint32_t len, uint64_t frame_first)
{
    struct tcp_held *n = xmalloc(sizeof(*n) + len);
    n->seq = seq;
    n->len = len;
    n->ts = at->ts;
    n->frame = at->frame;
    n->frame_first = frame_first;
    memcpy(n->data, p, len);
    dr->held_bytes += len;
    at->t->held_total += len;
    return n;
}

/* Hold [seq, seq + len), ahead of next_seq, keeping only what is not held yet. */
static void hold(struct tcp_at *at, struct tcp_dir *dr, uint32_t seq, const uint8_t *p,
                 uint32_t len, uint64_t frame_first)
{
    uint32_t base = dr->next_seq, a0 = seq - base, a = a0, b = a0 + len;
    struct tcp_held **pp = &dr->held;
    bool bad = false;
    while (a < b) {
        struct tcp_held *h = *pp;
        uint32_t ha = h ? h->seq - base : UINT32_MAX, hb = h ? ha + h->len : UINT32_MAX;
        if (h && hb <= a) {
            pp = &h->next;
            continue;
        }
        if (!h || ha > a) {
            uint32_t end = ha < b ? ha : b;
            struct tcp_held *n = held_new(at, dr, base + a, p + (a - a0), end - a, frame_first);
            n->next = h;
            *pp = n;
            pp = &n->next;
            a = end;
            continue;
        }
        uint32_t end = hb < b ? hb : b;
        bad |= memcmp(h->data + (a - ha), p + (a - a0), end - a) != 0;
        cap_count_n(at->d, CAP_STAT_TCP_RETRANS_BYTES, end - a);
        a = end;
        pp = &h->next;
    }
    if (bad)
        cap_count(at->d, CAP_STAT_TCP_OVERLAP_BAD);
}

/* Bytes of a segment: payload p[0..len) at seq, of which wire_len were on the wire. */
struct tcp_data {
    uint32_t seq;
    const uint8_t *p;
    size_t len, wire_len;
    uint64_t frame_first;
};

/* Push bytes that start at or before next_seq; then what they let through. */
static void in_order(struct tcp_at *at, int side, struct tcp_data x)
{
    struct tcp_dir *dr = &at->c->dir[side];
    uint32_t over = dr->next_seq - x.seq;
    if (over) {
        cap_count_n(at->d, CAP_STAT_TCP_RETRANS_BYTES, over < x.len ? over : x.len);
        if (over >= x.wire_len) {
            cap_count(at->d, CAP_STAT_TCP_RETRANS);
            return;
        }
        x.seq += over;
        x.p += over < x.len ? over : x.len;
        x.len -= over < x.len ? over : x.len;
        x.wire_len -= over;
    }
    if (x.len) {
        check_held(at, dr, x.seq, x.p, x.len);
        emit(at, side, x.p, x.len, x.frame_first, 0);
        dr->next_seq = x.seq + (uint32_t)x.len;
    }
    if (x.wire_len > x.len)
        skip_to(at, dr, x.seq + (uint32_t)x.wire_len, CAP_STAT_TCP_GAP_SNAPLEN);
    drain(at, side, false);
}

static void add_data(struct tcp_at *at, int side, struct tcp_data x)
{
    struct tcp_dir *dr = &at->c->dir[side];
    size_t max = at->d->o.tcp_max_bytes;
    if (!dr->have_seq) {
        dr->next_seq = x.seq;
        dr->have_seq = true;
        cap_count(at->d, CAP_STAT_TCP_MIDSTREAM);
    }
    int32_t ahead = (int32_t)(x.seq - dr->next_seq);
    if (ahead <= 0) {
        in_order(at, side, x);
        return;
    }
    if (!x.len)
        return; /* all cut by the snapshot length: a hole, given up later */
    if (dr->have_acked && (int32_t)(dr->acked - x.seq) >= 0) {
        /* the peer already acknowledged the hole before these bytes: the capture lost it */
        give_up_before(at, side, x.seq, CAP_STAT_TCP_GAP_ACKED);
        in_order(at, side, x);
        return;
    }
    if ((uint64_t)ahead + x.len <= max && dr->held_bytes + x.len <= max &&
        at->t->held_total + x.len <= max * TCP_TOTAL_FACTOR) {
        cap_count(at->d, CAP_STAT_TCP_OOO);
        hold(at, dr, x.seq, x.p, (uint32_t)x.len, x.frame_first);
        return;
    }
    /* Holding would pass a limit (or there is nothing to hold): the hole is lost. */
    give_up(at, side, CAP_STAT_TCP_GAP_WINDOW);
    skip_to(at, dr, x.seq, CAP_STAT_TCP_GAP_WINDOW);
    in_order(at, side, x);
}

/* An acknowledgement from the peer of direction side. Bytes it acknowledges that the capture
 * has not seen were lost by the capture: holes below it are given up now, and bytes that come
 * later after such a hole are pushed at once. */
static void on_ack(struct tcp_at *at, int side, uint32_t ack)
{
    struct tcp_dir *dr = &at->c->dir[side];
    if ((uint32_t)(ack - dr->next_seq) > at->d->o.tcp_max_bytes * 2u + 65536u)
        return; /* behind, or not an acknowledgement of this stream's bytes */
    if (!dr->have_acked || (int32_t)(ack - dr->acked) > 0) {
        dr->acked = ack;
        dr->have_acked = true;
    }
    if (!dr->held || (int32_t)(ack - dr->held->seq) < 0)
        return;
    give_up_before(at, side, ack, CAP_STAT_TCP_GAP_ACKED);
    drain(at, side, true);
    maybe_close(at, side);
}

/* Does this segment start a new connection on a port pair that is still tracked? */
static bool reused(const struct tcp_conn *c, int side, const struct tcp_seg_info *s)
{
    const struct tcp_dir *dr = &c->dir[side];
    if (s->syn) {
        if (dr->have_isn && s->seq == dr->isn)
            return false; /* the same SYN again */
        return dr->have_seq || c->dir[0].closed || c->dir[1].closed;
    }
    /* data past the end of a closed direction */
    return dr->closed && s->wire_len && (int32_t)(s->seq - dr->next_seq) >= 0;
}

static void on_syn(struct tcp_at *at, int side, const struct tcp_seg_info *s)
{
    struct tcp_dir *dr = &at->c->dir[side];
    if (dr->have_isn)
        return;
    dr->isn = s->seq;
    dr->have_isn = dr->have_seq = true;
    dr->next_seq = s->seq + 1;
    dr->start_pending = true;
}

static void on_segment(struct tcp_at *at, int side, const struct tcp_seg_info *s)
{
    struct tcp_dir *dr = &at->c->dir[side];
    if (s->syn)
        on_syn(at, side, s);
    uint32_t seq = s->seq + (s->syn ? 1u : 0u);
    if (s->wire_len && !dr->closed) {
        struct tcp_data x = { seq, s->payload, s->len, s->wire_len, s->frame_first };
        add_data(at, side, x);
    } else if (s->wire_len) {
        cap_count(at->d, CAP_STAT_TCP_RETRANS);
        cap_count_n(at->d, CAP_STAT_TCP_RETRANS_BYTES, s->len);
    }
    if (s->has_ack && at->c->dir[!side].have_seq)
        on_ack(at, !side, s->ack);
    if (s->fin && !dr->fin && !dr->closed) {
        if (!dr->have_seq) {
            dr->next_seq = seq;
            dr->have_seq = true;
        }
        dr->fin = true;
        dr->fin_seq = seq + (uint32_t)s->wire_len;
    }
    maybe_close(at, side);
    if (s->rst || (dr->fin && at->c->dir[!side].fin)) {
        end_dir(at, side, CAP_STAT_TCP_GAP_CLOSED);
        end_dir(at, !side, CAP_STAT_TCP_GAP_CLOSED);
    }
}

/* The connection for seg, created (evicting the least recently used one if at the limit) when
 * seg opens or carries bytes; NULL for a bare ACK, FIN or RST of a connection not tracked. */
static struct tcp_conn *lookup(struct cap_decoder *d, struct tcp_state *t,
                               const struct tcp_seg_info *s, int *side, struct tcp_at *at)
{
    struct tcp_key k;
    *side = make_key(s, &k);
    uint64_t h = sv_hash(sv_make(&k, sizeof(k)));
    struct tcp_conn *c = htab_find(&t->h, h, key_eq, &k);
    if (c && reused(c, *side, s)) {
        cap_count(d, CAP_STAT_TCP_REUSED);
        conn_drop(d, t, c, at, CAP_STAT_TCP_GAP_CLOSED);
        c = NULL;
    }
    if (c || (!s->wire_len && !s->syn))
        return c;
    while (t->count >= d->o.tcp_max_streams && t->oldest) {
        if (conn_open(t->oldest))
            cap_count(d, CAP_STAT_TCP_EVICTED);
        conn_drop(d, t, t->oldest, NULL, CAP_STAT_TCP_GAP_IDLE);
    }
    return conn_new(d, t, &k, h);
}

void cap_tcp_segment(struct cap_decoder *d, const struct tcp_seg_info *s)
{
    struct tcp_state *t = d->tcp;
    cap_count(d, CAP_STAT_TCP);
    if (s->ts_ns > t->now)
        t->now = s->ts_ns;
    expire_idle(d, t);
    struct tcp_at at = { d, t, NULL, s->ts_ns, s->frame, s->pflags & CAP_F_REASSEMBLED };
    int side;
    struct tcp_conn *c = lookup(d, t, s, &side, &at);
    if (!c)
        return;
    c->last_ts = s->ts_ns;
    c->last_frame = s->frame;
    lru_unlink(t, c);
    lru_append(t, c);
    at.c = c;
    on_segment(&at, side, s);
}
