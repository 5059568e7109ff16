/* Call assembly at finalisation: order messages and legs, link legs across elements that the Via
 * stack could not link (B2BUAs), find the originating leg and the auth-retry chain, decide who
 * cancelled each leg, and compute the caller's view (final code, PDD, setup, duration, who hung
 * up). Metric definitions are in docs/metrics.md. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_int.h"

bool call_push(struct call *c, void ***arr, uint32_t *n, uint32_t *cap, void *item)
{
    if (*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        void **na = arena_alloc(&c->arena, ncap * sizeof(void *));
        if (!na) {
            c->flags |= CALL_TRUNCATED;
            return false;
        }
        if (*n)
            memcpy(na, *arr, *n * sizeof(void *));
        *arr = na;
        *cap = ncap;
    }
    (*arr)[(*n)++] = item;
    return true;
}

struct dialog *call_find_dialog(struct call *c, sv_t tag_a, sv_t tag_b)
{
    if (!tag_a.p || !tag_b.p)
        return NULL;
    for (uint32_t i = 0; i < c->ndialogs; i++) {
        struct dialog *d = c->dialogs[i];
        if ((sv_eq(d->from_tag, tag_a) && sv_eq(d->to_tag, tag_b)) ||
            (sv_eq(d->from_tag, tag_b) && sv_eq(d->to_tag, tag_a)))
            return d;
    }
    return NULL;
}

static int cmp_msg(const void *a, const void *b)
{
    const struct emsg *x = *(const struct emsg *const *)a, *y = *(const struct emsg *const *)b;
    if (x->ts_ns != y->ts_ns)
        return x->ts_ns < y->ts_ns ? -1 : 1;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static int cmp_leg(const void *a, const void *b)
{
    const struct leg *x = *(const struct leg *const *)a, *y = *(const struct leg *const *)b;
    return cmp_msg(&x->invite, &y->invite);
}

static bool same_ip(const struct cap_addr *a, const struct cap_addr *b)
{
    size_t n = a->family == 6 ? 16 : 4;
    return a->family && a->family == b->family && memcmp(a->ip, b->ip, n) == 0;
}

static void set_parent(struct call *c, struct leg *l, struct leg *p)
{
    struct leg **kids = arena_alloc(&c->arena, (p->nchildren + 1) * sizeof(*kids));
    if (!kids)
        return;
    if (p->nchildren)
        memcpy(kids, p->children, p->nchildren * sizeof(*kids));
    kids[p->nchildren++] = l;
    p->children = kids;
    l->parent = p;
}

#define B2BUA_LINK_WINDOW_NS (10 * 1000000000LL)

/* A root leg sent by the element that received an earlier leg's INVITE, shortly after it, is
 * that element's onward leg (a B2BUA, or a proxy that rewrote the Via stack). An auth retry
 * comes from the same client as the earlier leg instead and stays a root. */
static void link_by_timing(struct call *c)
{
    for (uint32_t i = 1; i < c->nlegs; i++) {
        struct leg *l = c->legs[i];
        if (l->parent)
            continue;
        for (uint32_t j = i; j-- > 0;) {
            struct leg *p = c->legs[j];
            int64_t dt = l->invite->ts_ns - p->invite->ts_ns;
            if (dt > B2BUA_LINK_WINDOW_NS)
                break;
            if (same_ip(&p->txn->server, &l->txn->client) &&
                !same_ip(&p->txn->client, &l->txn->client)) {
                set_parent(c, l, p);
                break;
            }
        }
    }
}

static void set_depths(struct call *c)
{
    /* legs are in time order and a parent's INVITE precedes its children's */
    for (uint32_t i = 0; i < c->nlegs; i++) {
        struct leg *l = c->legs[i];
        l->index = i;
        l->depth = l->parent ? l->parent->depth + 1 : 0;
    }
}

static bool is_auth_challenge(uint16_t code)
{
    return code == 401 || code == 407;
}

/* First root, then each later root from the same client after a 401/407: one attempt. Legs of
 * the chain are the first root and the roots with attempt > 0. */
static void find_originating(struct call *c)
{
    struct leg *cur = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        struct leg *l = c->legs[i];
        if (l->parent)
            continue;
        if (!cur) {
            cur = c->orig_first = l;
            n = 1;
            continue;
        }
        if (same_ip(&l->txn->client, &cur->txn->client) && is_auth_challenge(cur->final_code) &&
            l->invite->cseq >= cur->invite->cseq) {
            l->attempt = n++;
            cur = l;
        }
    }
    c->orig = cur;
    c->attempts_auth = n;
}

static void leg_cancel_and_retrans(struct leg *l)
{
    struct txn *t = l->txn;
    uint32_t r = t->request_retrans + (t->ack_count > 1 ? t->ack_count - 1 : 0);
    for (uint32_t i = 0; i < t->nresps; i++)
        r += (t->resps[i]->flags & EMSG_RETRANS) ? 1 : 0;
    if (t->cancel) {
        r += t->cancel->request_retrans;
        for (uint32_t i = 0; i < t->cancel->nresps; i++)
            r += (t->cancel->resps[i]->flags & EMSG_RETRANS) ? 1 : 0;
    }
    l->retransmissions = r;
    if (!l->cancel)
        return;
    if (!l->parent)
        l->canceled_by = CANCELED_BY_UPSTREAM; /* the caller itself */
    else if (l->parent->cancel && l->parent->cancel->ts_ns <= l->cancel->ts_ns)
        l->canceled_by = CANCELED_BY_UPSTREAM;
    else
        l->canceled_by = CANCELED_BY_PROXY;
}

static struct emsg *first_ring_of_chain(const struct call *c)
{
    struct emsg *best = NULL;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        struct leg *l = c->legs[i];
        if (l->parent || !l->first_ring || (l != c->orig_first && l->attempt == 0))
            continue;
        if (!best || l->first_ring->ts_ns < best->ts_ns)
            best = l->first_ring;
    }
    return best;
}

static void caller_view(struct call *c)
{
    c->pdd_ns = c->setup_ns = c->duration_ns = -1;
    if (!c->orig)
        return;
    struct leg *o = c->orig;
    int64_t t0 = c->orig_first->invite->ts_ns;
    c->final_code = o->answer ? o->answer->status : o->final_code;
    struct emsg *ring = first_ring_of_chain(c);
    if (ring)
        c->pdd_ns = ring->ts_ns - t0;
    if (o->answer)
        c->setup_ns = o->answer->ts_ns - t0;
    for (uint32_t i = 0; o->answer && i < c->ndialogs; i++) {
        struct dialog *d = c->dialogs[i];
        if (!sv_eq(d->to_tag, o->answer->to_tag) || !sv_eq(d->from_tag, o->answer->from_tag))
            continue;
        c->answered = d;
        if (d->ack && d->bye && d->bye->ts_ns >= d->ack->ts_ns)
            c->duration_ns = d->bye->ts_ns - d->ack->ts_ns;
        if (d->bye)
            c->ended_by = d->bye_from_caller ? CALL_END_CALLER : CALL_END_CALLEE;
        break;
    }
}

void call_finish_summary(struct call *c)
{
    /* qsort's arrays must not be NULL, even when empty (C11 7.22.5) */
    if (c->nmsgs > 1)
        qsort(c->msgs, c->nmsgs, sizeof(*c->msgs), cmp_msg);
    for (uint32_t i = 0; i < c->nmsgs; i++)
        c->msgs[i]->idx = i;
    if (c->nlegs > 1)
        qsort(c->legs, c->nlegs, sizeof(*c->legs), cmp_leg);
    link_by_timing(c);
    set_depths(c);
    for (uint32_t i = 0; i < c->nlegs; i++)
        leg_cancel_and_retrans(c->legs[i]);
    find_originating(c);
    caller_view(c);
    if (c->nlegs == 0 && c->nmsgs && (c->flags & CALL_HAS_INVITE) == 0) {
        for (uint32_t i = 0; i < c->nmsgs; i++)
            if (c->msgs[i]->is_request && c->msgs[i]->to_tag.p &&
                c->msgs[i]->method != SIP_M_OPTIONS)
                c->flags |= CALL_MID_DIALOG;
    }
}

const char *call_end_name(enum call_end e)
{
    return e == CALL_END_CALLER ? "caller" : e == CALL_END_CALLEE ? "callee" : NULL;
}

const char *canceled_by_name(enum canceled_by c)
{
    return c == CANCELED_BY_UPSTREAM ? "upstream" : c == CANCELED_BY_PROXY ? "proxy" : NULL;
}
