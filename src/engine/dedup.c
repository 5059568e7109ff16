/* Duplicate-capture filter: the same packet captured twice (two interfaces, a capture that
 * sees both directions of a bridge, a duplicating span port) must not become two messages.
 * A copy is the same bytes between the same addresses within a short window; a retransmission
 * comes at least T1/2 later in practice and is kept (RFC 3261 §17.1.1.2 Timer A starts at T1).
 * Memory: one entry per packet inside the window, expired in time order. */
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "base/mem.h"
#include "engine/engine_int.h"

struct dedup_ent {
    uint64_t hash;
    int64_t ts;
};

struct dedup {
    int64_t window;
    struct htab set;          /* hash -> entry in ring */
    struct dedup_ent *ring;   /* FIFO in time order */
    size_t head, len, cap;
};

struct dedup *dedup_new(int64_t window_ns)
{
    struct dedup *d = xcalloc(1, sizeof(*d));
    d->window = window_ns;
    htab_init(&d->set, 256);
    d->cap = 256;
    d->ring = xcalloc(d->cap, sizeof(*d->ring));
    return d;
}

void dedup_free(struct dedup *d)
{
    if (!d)
        return;
    htab_free(&d->set);
    free(d->ring);
    free(d);
}

static uint64_t msg_hash(const struct ingest_msg *m)
{
    uint64_t h = sv_hash(m->bytes);
    h = sv_hash_seed(sv_make(&m->src, sizeof(m->src)), h);
    return sv_hash_seed(sv_make(&m->dst, sizeof(m->dst)), h);
}

static int ent_eq(const void *val, const void *key)
{
    return ((const struct dedup_ent *)val)->hash == *(const uint64_t *)key;
}

static void expire(struct dedup *d, int64_t now)
{
    while (d->len) {
        struct dedup_ent *e = &d->ring[d->head];
        if (now - e->ts <= d->window)
            break;
        htab_remove(&d->set, e->hash, e);
        d->head = (d->head + 1) % d->cap;
        d->len--;
    }
}

static void grow(struct dedup *d)
{
    /* Re-link the table to the new ring positions. */
    struct dedup_ent *ring = xcalloc(d->cap * 2, sizeof(*ring));
    htab_free(&d->set);
    htab_init(&d->set, d->cap * 2);
    for (size_t i = 0; i < d->len; i++) {
        ring[i] = d->ring[(d->head + i) % d->cap];
        htab_insert(&d->set, ring[i].hash, &ring[i]);
    }
    free(d->ring);
    d->ring = ring;
    d->head = 0;
    d->cap *= 2;
}

bool dedup_seen(struct dedup *d, const struct ingest_msg *m)
{
    if (d->window <= 0 || (m->flags & CAP_F_NO_TIME))
        return false;
    expire(d, m->ts_ns);
    uint64_t h = msg_hash(m);
    struct dedup_ent *hit = htab_find(&d->set, h, ent_eq, &h);
    if (hit && m->ts_ns - hit->ts <= d->window && m->ts_ns >= hit->ts)
        return true;
    if (d->len == d->cap)
        grow(d);
    struct dedup_ent *e = &d->ring[(d->head + d->len) % d->cap];
    e->hash = h;
    e->ts = m->ts_ns;
    d->len++;
    htab_insert(&d->set, h, e);
    return false;
}
