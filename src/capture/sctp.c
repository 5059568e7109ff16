/* SCTP packets (RFC 9260 §3): the chunks of a packet, and user-message reassembly.
 *
 * Each DATA chunk (RFC 9260 §3.3.1) or I-DATA chunk (RFC 8260 §2.1) that holds a whole user
 * message (B and E flags both set) is pushed as one datagram, as before. Fragments are held
 * until their message is complete and then pushed as one datagram at the frame of the chunk
 * that completed it (frame_first names the frame of the first fragment). A DATA message is the
 * run of consecutive TSNs from a B fragment to an E fragment on one stream (and, for ordered
 * messages, one SSN); an I-DATA message is the run of consecutive FSNs of one stream and MID.
 * Fragments may come in any order; a repeated TSN (or FSN) is counted and dropped.
 *
 * Held fragments are bounded by frag_max_bytes (the oldest fragments dropped first) and by
 * frag_timeout_ns of capture time, like IP fragments; every fragment that never becomes part
 * of a message is counted. Other chunk types (INIT, SACK, HEARTBEAT ...) are counted and
 * skipped. Checksums are not verified. */
#include <stdlib.h>

#include "base/htab.h"
#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

/* Fragments one association direction may hold; more is hostile (and would make the run
 * search slow). */
#define SCTP_MAX_FRAGS 512

#define SCTP_DATA  0
#define SCTP_IDATA 64
#define SCTP_FL_E  0x01
#define SCTP_FL_B  0x02
#define SCTP_FL_U  0x04

struct sctp_key {
    uint32_t file_index;
    uint8_t family;
    uint8_t pad;
    uint16_t sport, dport;
    uint8_t pad2[2]; /* zeroed: keys are hashed and compared as bytes */
    uint8_t src[16], dst[16];
};

struct sctp_assoc;

/* One held fragment: in its association's list (sorted by message, then order) and in the
 * decoder-wide age list. */
struct sctp_frag {
    struct sctp_frag *prev, *next;   /* association list */
    struct sctp_frag *older, *newer; /* age list */
    struct sctp_assoc *as;
    uint64_t msg;   /* which message: chunk type, U flag, stream id, SSN or MID */
    uint32_t order; /* TSN (DATA) or FSN (I-DATA) */
    uint8_t flags;
    int64_t ts;
    uint64_t frame_first;
    uint32_t len;
    uint8_t data[];
};

struct sctp_assoc {
    struct sctp_key key;
    uint64_t hash;
    struct sctp_frag *first;
    uint32_t n;
};

struct sctp_state {
    struct htab h;
    struct sctp_frag *oldest, *newest;
    size_t bytes;
};

/* One chunk's user data and what identifies its message. */
struct sctp_chunk {
    uint64_t msg;
    uint32_t order;
    uint8_t flags;
    const uint8_t *p;
    size_t len;
};

static int key_eq(const void *val, const void *key)
{
    return memcmp(&((const struct sctp_assoc *)val)->key, key, sizeof(struct sctp_key)) == 0;
}

void cap_sctp_init(struct cap_decoder *d)
{
    struct sctp_state *s = xcalloc(1, sizeof(*s));
    htab_init(&s->h, 16);
    d->sctp = s;
}

static void frag_free(struct cap_decoder *d, struct sctp_frag *f, enum cap_stat why)
{
    struct sctp_state *s = d->sctp;
    struct sctp_assoc *as = f->as;
    if (why != CAP_STAT__COUNT)
        cap_count(d, why);
    if (f->prev)
        f->prev->next = f->next;
    else
        as->first = f->next;
    if (f->next)
        f->next->prev = f->prev;
    if (f->older)
        f->older->newer = f->newer;
    else
        s->oldest = f->newer;
    if (f->newer)
        f->newer->older = f->older;
    else
        s->newest = f->older;
    s->bytes -= f->len;
    as->n--;
    free(f);
    if (!as->first) {
        htab_remove(&s->h, as->hash, as);
        free(as);
    }
}

void cap_sctp_finish(struct cap_decoder *d)
{
    struct sctp_state *s = d->sctp;
    if (!s)
        return;
    while (s->oldest)
        frag_free(d, s->oldest, CAP_STAT_SCTP_FRAG_INCOMPLETE);
    htab_free(&s->h);
    free(s);
    d->sctp = NULL;
}

static struct sctp_assoc *assoc_get(struct sctp_state *s, const struct pkt *pk)
{
    struct sctp_key k;
    memset(&k, 0, sizeof(k));
    k.file_index = pk->file_index;
    k.family = pk->src.family;
    k.sport = pk->src.port;
    k.dport = pk->dst.port;
    memcpy(k.src, pk->src.ip, 16);
    memcpy(k.dst, pk->dst.ip, 16);
    uint64_t h = sv_hash(sv_make(&k, sizeof(k)));
    struct sctp_assoc *as = htab_find(&s->h, h, key_eq, &k);
    if (!as) {
        as = xcalloc(1, sizeof(*as));
        as->key = k;
        as->hash = h;
        htab_insert(&s->h, h, as);
    }
    return as;
}

/* Insert c into as's list (sorted by message, then serial order); NULL if it repeats one. */
static struct sctp_frag *insert(struct cap_decoder *d, struct sctp_assoc *as, const struct pkt *pk,
                                const struct sctp_chunk *c)
{
    struct sctp_state *s = d->sctp;
    struct sctp_frag *prev = NULL, *at = as->first;
    while (at && (at->msg < c->msg || (at->msg == c->msg && (int32_t)(at->order - c->order) < 0))) {
        prev = at;
        at = at->next;
    }
    if (at && at->msg == c->msg && at->order == c->order) {
        cap_count(d, CAP_STAT_SCTP_FRAG_DUP);
        return NULL;
    }
    struct sctp_frag *f = xmalloc(sizeof(*f) + c->len);
    *f = (struct sctp_frag){ .prev = prev,
                             .next = at,
                             .older = s->newest,
                             .as = as,
                             .msg = c->msg,
                             .order = c->order,
                             .flags = c->flags,
                             .ts = pk->f->ts_ns,
                             .frame_first = pk->frame_first,
                             .len = (uint32_t)c->len };
    memcpy(f->data, c->p, c->len);
    if (prev)
        prev->next = f;
    else
        as->first = f;
    if (at)
        at->prev = f;
    if (s->newest)
        s->newest->newer = f;
    else
        s->oldest = f;
    s->newest = f;
    s->bytes += c->len;
    as->n++;
    return f;
}

static bool follows(const struct sctp_frag *a, const struct sctp_frag *b)
{
    return a && b && a->msg == b->msg && b->order == a->order + 1;
}

/* If f completes a message (a B..E run of consecutive fragments), push it and free the run. */
static void try_complete(struct cap_decoder *d, const struct pkt *pk, struct sctp_frag *f)
{
    struct sctp_frag *b = f, *e = f;
    while (!(b->flags & SCTP_FL_B) && follows(b->prev, b))
        b = b->prev;
    while (!(e->flags & SCTP_FL_E) && follows(e, e->next))
        e = e->next;
    if (!(b->flags & SCTP_FL_B) || !(e->flags & SCTP_FL_E))
        return;
    size_t len = 0;
    for (struct sctp_frag *x = b;; x = x->next) {
        len += x->len;
        if (x == e)
            break;
    }
    uint8_t *buf = xmalloc(len);
    size_t off = 0;
    struct pkt out = *pk;
    out.frame_first = b->frame_first;
    for (struct sctp_frag *x = b;;) {
        struct sctp_frag *next = x->next;
        bool last = x == e;
        if (x->frame_first < out.frame_first)
            out.frame_first = x->frame_first;
        memcpy(buf + off, x->data, x->len);
        off += x->len;
        frag_free(d, x, CAP_STAT__COUNT);
        if (last)
            break;
        x = next;
    }
    cap_count(d, CAP_STAT_SCTP_REASSEMBLED);
    cap_emit(d, &out, buf, len, CAP_TP_SCTP, CAP_KIND_DATAGRAM, 0);
    free(buf);
}

/* Hold one fragment (expiring old ones and keeping within the byte limit first). */
static void fragment(struct cap_decoder *d, const struct pkt *pk, const struct sctp_chunk *c)
{
    struct sctp_state *s = d->sctp;
    int64_t now = pk->f->ts_ns;
    while (s->oldest && now > s->oldest->ts &&
           (uint64_t)now - (uint64_t)s->oldest->ts > (uint64_t)d->o.frag_timeout_ns)
        frag_free(d, s->oldest, CAP_STAT_SCTP_FRAG_INCOMPLETE);
    if (c->len > d->o.frag_max_bytes) {
        cap_count(d, CAP_STAT_SCTP_FRAG_INCOMPLETE);
        return;
    }
    while (s->oldest && s->bytes + c->len > d->o.frag_max_bytes)
        frag_free(d, s->oldest, CAP_STAT_SCTP_FRAG_INCOMPLETE);
    struct sctp_assoc *as = assoc_get(s, pk);
    while (as->n >= SCTP_MAX_FRAGS) /* never frees as: one fragment at least stays */
        frag_free(d, as->first, CAP_STAT_SCTP_FRAG_INCOMPLETE);
    struct sctp_frag *f = insert(d, as, pk, c);
    if (f)
        try_complete(d, pk, f);
    else if (!as->first) {
        htab_remove(&s->h, as->hash, as);
        free(as);
    }
}

/* Read the fields of a DATA or I-DATA chunk header (its bytes are present). */
static void chunk_fields(uint8_t type, uint8_t fl, const uint8_t *p, struct sctp_chunk *c)
{
    uint64_t sid = ld_be16(p + 8), u = (fl & SCTP_FL_U) != 0;
    c->flags = fl;
    if (type == SCTP_DATA) {
        c->order = ld_be32(p + 4); /* TSN */
        c->msg = sid << 33 | u << 32 | (u ? 0 : ld_be16(p + 10));
    } else {
        c->order = (fl & SCTP_FL_B) ? 0 : ld_be32(p + 16); /* FSN; the B fragment's is 0 */
        c->msg = 1ull << 63 | sid << 33 | u << 32 | ld_be32(p + 12);
    }
}

/* One DATA or I-DATA chunk of clen bytes, of which avail are present. */
static void data_chunk(struct cap_decoder *d, struct pkt *pk, const uint8_t *p, size_t clen,
                       size_t avail)
{
    struct sctp_chunk c;
    size_t hlen = p[0] == SCTP_IDATA ? 20 : 16;
    uint8_t fl = p[1];
    if (clen <= hlen) {
        cap_count(d, CAP_STAT_SCTP_BAD); /* no user data: RFC 9260 §3.3.1 */
        return;
    }
    if (avail <= hlen) {
        cap_count(d, CAP_STAT_SKIP_TRUNC_PAYLOAD);
        return;
    }
    chunk_fields(p[0], fl, p, &c);
    bool cut = avail < clen;
    c.p = p + hlen;
    c.len = (cut ? avail : clen) - hlen;
    cap_count(d, CAP_STAT_SCTP_DATA);
    if ((fl & (SCTP_FL_B | SCTP_FL_E)) == (SCTP_FL_B | SCTP_FL_E)) {
        cap_emit(d, pk, c.p, c.len, CAP_TP_SCTP, CAP_KIND_DATAGRAM, cut ? CAP_F_TRUNCATED : 0);
        return;
    }
    cap_count(d, CAP_STAT_SCTP_DATA_FRAG);
    if (cut)
        cap_count(d, CAP_STAT_SKIP_TRUNC_PAYLOAD); /* a message cannot be rebuilt from it */
    else
        fragment(d, pk, &c);
}

void cap_sctp(struct cap_decoder *d, struct pkt *pk, struct cur c)
{
    const uint8_t *h = cur_take(&c, 12);
    if (!h) {
        cap_count(d, pk->cut ? CAP_STAT_SKIP_TRUNC_PAYLOAD : CAP_STAT_SKIP_SHORT);
        return;
    }
    cap_count(d, CAP_STAT_SCTP);
    pk->src.port = ld_be16(h);
    pk->dst.port = ld_be16(h + 2);
    while (c.len >= 4) {
        uint8_t type = c.p[0];
        size_t clen = ld_be16(c.p + 2);
        bool cut = clen > c.len;
        if (clen < 4 || (cut && !pk->cut)) {
            cap_count(d, CAP_STAT_SCTP_BAD);
            return;
        }
        if (type == SCTP_DATA || type == SCTP_IDATA)
            data_chunk(d, pk, c.p, clen, c.len);
        else
            cap_count(d, CAP_STAT_SCTP_OTHER);
        if (cut)
            return;
        if (!cur_skip(&c, (clen + 3) & ~(size_t)3))
            return;
    }
}
