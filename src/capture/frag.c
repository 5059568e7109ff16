/* IPv4 and IPv6 fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5, RFC 815's hole idea).
 *
 * Incomplete datagrams are keyed by (family, source, destination, id, protocol for IPv4, input
 * index) and hold one buffer each plus a short sorted list of the byte ranges filled so far, so
 * fragments may arrive in any order, repeat, or overlap. Overlapping bytes must agree: a
 * fragment that rewrites held bytes differently drops the whole datagram (as RFC 5722 asks
 * for IPv6; a trace analyser must not pick one version silently). Memory is bounded by
 * frag_max_bytes and frag_max_datagrams (oldest evicted first), time by frag_timeout_ns of
 * capture time measured from the first fragment. Every datagram dropped lands in exactly one
 * counter. A completed datagram continues at the transport as if it had not been split. */
#include <stdlib.h>

#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

/* Separate filled ranges one datagram may have at once; more holes than this is hostile. */
#define FRAG_MAX_RANGES 64
#define IP_MAX_PAYLOAD  65535u

struct frag_range {
    uint32_t lo, hi;
};

struct frag_dgram {
    struct frag_key key;
    uint64_t hash;
    struct frag_dgram *older, *newer; /* creation order */
    uint8_t *buf;
    size_t cap;
    uint32_t total; /* payload length, known once the last fragment came */
    bool have_last;
    uint8_t next_proto; /* IPv6: next header from the offset-0 fragment */
    int64_t ts_first;
    uint64_t frame_first;
    uint32_t n;
    struct frag_range r[FRAG_MAX_RANGES];
};

struct frag_table {
    struct htab h;
    struct frag_dgram *oldest, *newest;
    size_t bytes;
    uint32_t count;
};

struct frag_table *cap_frag_new(const struct cap_decoder_opts *o)
{
    (void)o;
    struct frag_table *t = xcalloc(1, sizeof(*t));
    htab_init(&t->h, 64);
    return t;
}

static int key_eq(const void *val, const void *key)
{
    const struct frag_dgram *g = val;
    return memcmp(&g->key, key, sizeof(g->key)) == 0;
}

static void drop(struct cap_decoder *d, struct frag_dgram *g, enum cap_stat why)
{
    struct frag_table *t = d->frag;
    if (why != CAP_STAT__COUNT)
        cap_count(d, why);
    htab_remove(&t->h, g->hash, g);
    if (g->older)
        g->older->newer = g->newer;
    else
        t->oldest = g->newer;
    if (g->newer)
        g->newer->older = g->older;
    else
        t->newest = g->older;
    t->bytes -= g->cap + sizeof(*g);
    t->count--;
    free(g->buf);
    free(g);
}

static struct frag_dgram *dgram_new(struct cap_decoder *d, const struct pkt *pk,
                                    const struct frag_in *fi, uint64_t hash)
{
    struct frag_table *t = d->frag;
    while (t->oldest && (t->count >= d->o.frag_max_datagrams ||
                         t->bytes + sizeof(struct frag_dgram) > d->o.frag_max_bytes))
        drop(d, t->oldest, CAP_STAT_IP_FRAG_LIMIT);
    struct frag_dgram *g = xcalloc(1, sizeof(*g));
    memcpy(&g->key, &fi->key, sizeof(g->key));
    g->hash = hash;
    g->ts_first = pk->f->ts_ns;
    g->frame_first = pk->frame_first;
    g->older = t->newest;
    if (t->newest)
        t->newest->newer = g;
    else
        t->oldest = g;
    t->newest = g;
    t->bytes += sizeof(*g);
    t->count++;
    htab_insert(&t->h, hash, g);
    return g;
}

/* Grow g's buffer to hold end bytes, evicting older datagrams to stay within the byte budget.
 * False (g dropped, counted) when even alone it does not fit. */
static bool reserve(struct cap_decoder *d, struct frag_dgram *g, size_t end)
{
    struct frag_table *t = d->frag;
    if (end <= g->cap)
        return true;
    size_t cap = g->cap ? g->cap * 2 : 2048;
    while (cap < end)
        cap *= 2;
    if (cap > IP_MAX_PAYLOAD)
        cap = IP_MAX_PAYLOAD;
    while (t->bytes + (cap - g->cap) > d->o.frag_max_bytes && t->oldest != g)
        drop(d, t->oldest, CAP_STAT_IP_FRAG_LIMIT);
    if (t->bytes + (cap - g->cap) > d->o.frag_max_bytes) {
        drop(d, g, CAP_STAT_IP_FRAG_LIMIT);
        return false;
    }
    g->buf = xrealloc(g->buf, cap);
    t->bytes += cap - g->cap;
    g->cap = cap;
    return true;
}

/* Do the bytes already held agree with [lo, hi) of data? Sets *dup when some overlap. */
static bool overlap_agrees(const struct frag_dgram *g, uint32_t lo, uint32_t hi,
                           const uint8_t *data, bool *dup)
{
    for (uint32_t i = 0; i < g->n; i++) {
        uint32_t a = g->r[i].lo > lo ? g->r[i].lo : lo;
        uint32_t b = g->r[i].hi < hi ? g->r[i].hi : hi;
        if (a >= b)
            continue;
        *dup = true;
        if (memcmp(g->buf + a, data + (a - lo), b - a) != 0)
            return false;
    }
    return true;
}

/* Add [lo, hi) to the sorted, disjoint, non-touching range list. False when it would need
 * more than FRAG_MAX_RANGES ranges. */
static bool range_add(struct frag_dgram *g, uint32_t lo, uint32_t hi)
{
    uint32_t i = 0;
    while (i < g->n && g->r[i].hi < lo)
        i++;
    uint32_t j = i;
    while (j < g->n && g->r[j].lo <= hi) {
        lo = g->r[j].lo < lo ? g->r[j].lo : lo;
        hi = g->r[j].hi > hi ? g->r[j].hi : hi;
        j++;
    }
    if (i == j && g->n == FRAG_MAX_RANGES)
        return false;
    /* ranges i..j-1 merge into one at i */
    uint32_t n_after = g->n - j;
    memmove(&g->r[i + 1], &g->r[j], n_after * sizeof(g->r[0]));
    g->r[i] = (struct frag_range){ lo, hi };
    g->n = i + 1 + n_after;
    return true;
}

/* Check the fragment against what the datagram already knows; false when inconsistent. */
static bool frag_consistent(const struct frag_dgram *g, const struct frag_in *fi, uint32_t end)
{
    if (g->have_last && (end > g->total || (!fi->more && end != g->total)))
        return false;
    if (!fi->more && g->n > 0 && g->r[g->n - 1].hi > end)
        return false;
    return true;
}

static void complete(struct cap_decoder *d, struct pkt *pk, struct frag_dgram *g)
{
    struct pkt whole = *pk;
    whole.flags |= CAP_F_REASSEMBLED;
    whole.frame_first = g->frame_first;
    whole.cut = false;
    bool v6 = g->key.family == 6;
    uint8_t proto = v6 ? g->next_proto : g->key.proto;
    uint8_t *buf = g->buf;
    size_t len = g->total;
    g->buf = NULL; /* keep the bytes alive while the payload is decoded */
    drop(d, g, CAP_STAT__COUNT);
    cap_count(d, CAP_STAT_IP_REASSEMBLED);
    cap_ip_upper(d, &whole, proto, v6, cur_make(buf, len), len);
    free(buf);
}

void cap_frag_add(struct cap_decoder *d, struct pkt *pk, const struct frag_in *fi)
{
    cap_count(d, CAP_STAT_IP_FRAGMENTS);
    uint64_t end = (uint64_t)fi->offset + fi->len;
    if (end > IP_MAX_PAYLOAD || (fi->more && (fi->len == 0 || fi->len % 8 != 0))) {
        cap_count(d, CAP_STAT_IP_FRAG_BAD);
        return;
    }
    if (!d->frag)
        d->frag = cap_frag_new(&d->o);
    uint64_t hash = sv_hash(sv_make(&fi->key, sizeof(fi->key)));
    struct frag_dgram *g = htab_find(&d->frag->h, hash, key_eq, &fi->key);
    if (!g)
        g = dgram_new(d, pk, fi, hash);
    bool dup = false;
    if (!frag_consistent(g, fi, (uint32_t)end) ||
        !overlap_agrees(g, fi->offset, (uint32_t)end, fi->data, &dup)) {
        drop(d, g, CAP_STAT_IP_FRAG_BAD);
        return;
    }
    if (dup)
        cap_count(d, CAP_STAT_IP_FRAG_DUP);
    if (!reserve(d, g, end))
        return;
    if (fi->len && !range_add(g, fi->offset, (uint32_t)end)) {
        drop(d, g, CAP_STAT_IP_FRAG_LIMIT);
        return;
    }
    if (fi->len)
        memcpy(g->buf + fi->offset, fi->data, fi->len);
    if (fi->offset == 0)
        g->next_proto = fi->next_proto;
    if (!fi->more) {
        g->have_last = true;
        g->total = (uint32_t)end;
    }
    if (g->have_last && g->n == 1 && g->r[0].lo == 0 && g->r[0].hi == g->total)
        complete(d, pk, g);
}

void cap_frag_expire(struct cap_decoder *d, int64_t now)
{
    struct frag_table *t = d->frag;
    while (t && t->oldest && (__int128)now - t->oldest->ts_first > d->o.frag_timeout_ns)
        drop(d, t->oldest, CAP_STAT_IP_FRAG_TIMEOUT);
}

void cap_frag_free(struct cap_decoder *d)
{
    struct frag_table *t = d->frag;
    if (!t)
        return;
    while (t->oldest)
        drop(d, t->oldest, CAP_STAT_IP_FRAG_INCOMPLETE);
    htab_free(&t->h);
    free(t);
    d->frag = NULL;
}
