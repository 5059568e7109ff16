/* Transaction matching from the observer's point of view (RFC 3261 §17.1.3, §17.2.3).
 *
 * A request or response belongs to the transaction named by its top Via branch, the Via
 * sent-by and the method (CSeq method for responses). ACK with the branch of an INVITE whose
 * final response was not a 2xx belongs to that INVITE; CANCEL has its own transaction but is
 * tied to the INVITE with the same branch; ACK to a 2xx is a transaction of its own (§17.1.1.1,
 * §13.2.2.4). Without the z9hG4bK cookie (RFC 2543 peers, §17.2.3 last paragraphs) the key adds
 * the Call-ID and From tag. The key also holds the CSeq number: every message of a transaction
 * carries the same one (retransmissions, responses §8.2.6.2, the ACK of a non-2xx §17.1.1.3,
 * CANCEL §9.1), so a request that reuses a branch with a new CSeq (some UACs do on auth
 * retries, against §8.1.1.7) is a new transaction, not a retransmission. The same message
 * again is a retransmission, counted, never a new transaction. Initial INVITE transactions
 * become legs, linked to their upstream leg through the Via below the sender's own (§16.6
 * step 8: a proxy pushes its Via on top). */
#include <stdio.h>
#include <string.h>

#include "engine/engine_int.h"

static const sv_t COOKIE = { "z9hG4bK", 7 };

static uint64_t key_hash(const struct txn_key *k)
{
    uint64_t h = sv_hash(k->branch);
    h = sv_hash_seed(k->sent_by, h ^ k->method ^ ((uint64_t)k->cseq << 8));
    if (k->method == SIP_M_UNKNOWN)
        h = sv_hash_seed(k->method_name, h);
    if (k->rfc2543) {
        h = sv_hash_seed(k->call_id, h);
        h = sv_hash_seed(k->from_tag, h);
    }
    return h;
}

static int key_eq(const void *val, const void *key)
{
    const struct txn_key *a = &((const struct txn_priv *)val)->key;
    const struct txn_key *b = key;
    if (a->method != b->method || a->cseq != b->cseq || a->rfc2543 != b->rfc2543 ||
        !sv_eq(a->branch, b->branch) || !sv_eq(a->sent_by, b->sent_by))
        return 0;
    if (a->method == SIP_M_UNKNOWN && !sv_eq(a->method_name, b->method_name))
        return 0;
    if (a->rfc2543)
        return sv_eq(a->call_id, b->call_id) && sv_eq(a->from_tag, b->from_tag);
    return 1;
}

static struct txn_priv *find(struct engine *e, struct txn_key *k, uint64_t *hash)
{
    *hash = key_hash(k);
    return htab_find(&e->txns, *hash, key_eq, k);
}

enum { SENT_BY_MAX = 300 };

/* "host:port" into buf, host lower-cased, default port by transport (RFC 3261 §18.2.2,
 * §19.1.2). Hosts longer than 256 bytes are cut: they still compare consistently. */
static sv_t norm_sent_by(char *buf, const struct sip_via *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->host.len && n < 256; i++)
        buf[n++] = sv_lower_c(v->host.p[i]);
    unsigned port = v->has_port ? v->port : sv_ieq(v->transport, SV("TLS")) ? 5061 : 5060;
    n += (size_t)snprintf(buf + n, SENT_BY_MAX - n, ":%u", port);
    return sv_make(buf, n);
}

/* The second Via value (the sender's upstream hop), if any. */
static bool second_via(const struct sip_msg *m, struct sip_via *v)
{
    int seen = 0;
    const struct sip_hdr *h;
    hdr_foreach(m, SIP_HDR_VIA, h)
    {
        sv_t cur = h->value;
        while (sip_via_next(&cur, v) == 1)
            if (++seen == 2)
                return true;
    }
    return false;
}

/* Fill a lookup key. Its views point into the message and into sbuf (SENT_BY_MAX bytes):
 * new_txn copies them before a key is kept. */
static void fill_key(struct txn_key *k, char *sbuf, const struct sip_via *v,
                     const struct emsg *em, uint8_t method)
{
    memset(k, 0, sizeof(*k));
    k->branch = v->branch.p ? v->branch : SV("");
    k->sent_by = norm_sent_by(sbuf, v);
    k->method = method;
    k->method_name = em->method_name;
    k->cseq = em->cseq;
    k->rfc2543 = !sv_starts_with(k->branch, COOKIE) || k->branch.len == COOKIE.len;
    if (k->rfc2543) {
        k->call_id = em->call_id;
        k->from_tag = em->from_tag;
    }
}

static struct txn_priv *new_txn(struct engine *e, struct call *c, const struct txn_key *k,
                                uint64_t hash, struct emsg *em, enum txn_kind kind)
{
    struct call_priv *cp = (struct call_priv *)c;
    struct txn_priv *tp = arena_zalloc(&c->arena, sizeof(*tp));
    if (!tp || !call_push(c, (void ***)&c->txns, &c->ntxns, &cp->cap_txns, &tp->pub))
        return NULL;
    tp->key = *k;
    tp->key.branch = arena_dup(&c->arena, k->branch);
    tp->key.sent_by = arena_dup(&c->arena, k->sent_by);
    if (!tp->key.branch.p || !tp->key.sent_by.p)
        return NULL;
    tp->hash = hash;
    struct txn *t = &tp->pub;
    t->call = c;
    t->kind = kind;
    t->method = k->method;
    t->method_name = em->method_name;
    t->branch = tp->key.branch;
    t->sent_by = tp->key.sent_by;
    t->rfc2543 = k->rfc2543;
    if (em->is_request) {
        t->request = em;
        t->client = em->src;
        t->server = em->dst;
        t->in_dialog = em->to_tag.p != NULL;
    } else {
        t->client = em->dst;
        t->server = em->src;
    }
    htab_insert(&e->txns, hash, tp);
    tp->next_of_call = cp->txns;
    cp->txns = tp;
    e->st->n[ENGINE_STAT_TRANSACTIONS]++;
    return tp;
}

static void on_invite_response(struct call *c, struct txn *t, struct emsg *em);

static void new_leg(struct engine *e, struct call *c, struct txn *t, const struct sip_msg *m)
{
    struct call_priv *cp = (struct call_priv *)c;
    struct leg *l = arena_zalloc(&c->arena, sizeof(*l));
    if (!l || !call_push(c, (void ***)&c->legs, &c->nlegs, &cp->cap_legs, l))
        return;
    l->txn = t;
    l->call = c;
    l->index = c->nlegs - 1;
    l->invite = t->request;
    t->leg = l;
    for (uint32_t i = 0; i < t->nresps; i++) /* responses that overtook their INVITE */
        on_invite_response(c, t, t->resps[i]);
    struct sip_via up;
    if (!second_via(m, &up))
        return;
    struct txn_key k;
    uint64_t h;
    char sb[SENT_BY_MAX];
    fill_key(&k, sb, &up, t->request, SIP_M_INVITE);
    struct txn_priv *pt = find(e, &k, &h);
    /* Only a leg of the same call can be the parent: a B2BUA starts a new Via stack. */
    if (pt && pt->pub.leg && pt->pub.call == c && pt->pub.leg != l) {
        struct leg *p = pt->pub.leg;
        uint32_t cap = p->nchildren; /* children arrays grow by exact copies: legs are few */
        struct leg **kids = arena_alloc(&c->arena, (cap + 1) * sizeof(*kids));
        if (!kids)
            return;
        if (cap)
            memcpy(kids, p->children, cap * sizeof(*kids));
        kids[cap] = l;
        p->children = kids;
        p->nchildren = cap + 1;
        l->parent = p;
        l->depth = p->depth + 1;
    }
}

static bool same_response(const struct emsg *a, const struct emsg *b)
{
    return a->status == b->status && sv_eq(a->to_tag, b->to_tag);
}

static void on_invite_response(struct call *c, struct txn *t, struct emsg *em)
{
    struct leg *l = t->leg;
    if (!l || (em->flags & EMSG_RETRANS))
        return;
    if (em->status > 100 && em->status < 200 && !l->first_ring)
        l->first_ring = em;
    if (em->status >= 200 && !l->final) {
        l->final = em;
        l->final_code = em->status;
    }
    if (em->status >= 200 && em->status < 300 && !l->answer) {
        l->answer = em;
        l->final_code = em->status; /* answered after all (e.g. a 2xx after a 487): see
                                       docs/calls-json.md */
    }
    if (em->status > 100 && em->status < 300 && em->to_tag.p) {
        struct dialog *d = call_find_dialog(c, em->from_tag, em->to_tag);
        if (!d) {
            struct call_priv *cp = (struct call_priv *)c;
            d = arena_zalloc(&c->arena, sizeof(*d));
            if (!d || !call_push(c, (void ***)&c->dialogs, &c->ndialogs, &cp->cap_dialogs, d))
                return;
            d->from_tag = em->from_tag;
            d->to_tag = em->to_tag;
            d->leg = l;
        } else if (l->depth < d->leg->depth) {
            d->leg = l;
        }
        if (em->status < 200 && !d->early)
            d->early = em;
        if (em->status >= 200 && !d->confirmed)
            d->confirmed = em;
    }
}

static void on_response(struct engine *e, struct call *c, struct txn_priv *tp, struct emsg *em)
{
    struct txn *t = &tp->pub;
    for (uint32_t i = 0; i < t->nresps; i++) {
        if (same_response(t->resps[i], em)) {
            em->flags |= EMSG_RETRANS;
            e->st->n[ENGINE_STAT_RETRANSMISSIONS]++;
            break;
        }
    }
    call_push(c, (void ***)&t->resps, &t->nresps, &tp->cap_resps, em);
    if (!t->first_prov && em->status < 200)
        t->first_prov = em;
    if (em->status >= 200) {
        if (!t->final) {
            t->final = em;
            t->finals_distinct = 1;
        } else if (em->flags & EMSG_RETRANS) {
            if (same_response(t->final, em))
                t->final_retrans++;
        } else {
            t->finals_distinct++;
            em->flags |= EMSG_LATE;
            /* A non-2xx after the transaction already ended with a 2xx matches no live
             * transaction at a stateful element (RFC 6026 §7.3). */
            if (em->status >= 300 && t->final->status < 300) {
                em->flags |= EMSG_STRAY;
                e->st->n[ENGINE_STAT_STRAY]++;
            }
        }
    }
    if (t->method == SIP_M_INVITE)
        on_invite_response(c, t, em);
    if (t->method == SIP_M_CANCEL && t->cancels && t->cancels->leg &&
        !t->cancels->leg->cancel_resp && !(em->flags & EMSG_RETRANS))
        t->cancels->leg->cancel_resp = em;
    if (t->method == SIP_M_BYE && t->request && !(em->flags & EMSG_RETRANS)) {
        struct dialog *d = call_find_dialog(c, t->request->from_tag, t->request->to_tag);
        if (d && d->bye && !d->bye_resp)
            d->bye_resp = em;
    }
}

/* The INVITE transaction a 2xx-ACK acknowledges: same CSeq, same direction, answered. */
static struct txn *acked_invite(struct call *c, const struct emsg *ack)
{
    struct txn *best = NULL;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        struct txn *t = c->txns[i];
        if (t->method != SIP_M_INVITE || !t->request || t->request->cseq != ack->cseq ||
            !t->final || t->final->status >= 300)
            continue;
        if (cap_addr_eq(&t->client, &ack->src) && cap_addr_eq(&t->server, &ack->dst))
            return t;
        if (!best)
            best = t;
    }
    return best;
}

static void on_ack(struct engine *e, struct call *c, struct emsg *em, const struct sip_via *v)
{
    struct txn_key k;
    uint64_t h;
    char sb[SENT_BY_MAX];
    fill_key(&k, sb, v, em, SIP_M_INVITE);
    struct txn_priv *inv = find(e, &k, &h);
    if (inv && inv->pub.final && inv->pub.final->status >= 300) {
        struct txn *t = &inv->pub;
        em->txn = t;
        if (t->ack_count++) {
            em->flags |= EMSG_RETRANS;
            e->st->n[ENGINE_STAT_RETRANSMISSIONS]++;
        } else {
            t->ack = em;
        }
        return;
    }
    fill_key(&k, sb, v, em, SIP_M_ACK);
    struct txn_priv *tp = find(e, &k, &h);
    if (tp) {
        em->flags |= EMSG_RETRANS;
        tp->pub.request_retrans++;
        e->st->n[ENGINE_STAT_RETRANSMISSIONS]++;
        em->txn = &tp->pub;
        return;
    }
    tp = new_txn(e, c, &k, h, em, TXN_ACK2XX);
    if (!tp)
        return;
    em->txn = &tp->pub;
    tp->pub.acks = inv ? &inv->pub : acked_invite(c, em);
    struct dialog *d = call_find_dialog(c, em->from_tag, em->to_tag);
    if (d && !d->ack && d->confirmed)
        d->ack = em;
}

static void on_new_request(struct engine *e, struct call *c, struct txn_priv *tp,
                           struct emsg *em, const struct sip_msg *m, const struct sip_via *v)
{
    struct txn *t = &tp->pub;
    if (em->method == SIP_M_CANCEL) {
        struct txn_key k;
        uint64_t h;
        char sb[SENT_BY_MAX];
        fill_key(&k, sb, v, em, SIP_M_INVITE);
        struct txn_priv *inv = find(e, &k, &h);
        if (inv) {
            t->cancels = &inv->pub;
            if (!inv->pub.cancel)
                inv->pub.cancel = t;
            if (inv->pub.leg && !inv->pub.leg->cancel)
                inv->pub.leg->cancel = em;
        }
    } else if (em->method == SIP_M_INVITE && !t->in_dialog) {
        new_leg(e, c, t, m);
    } else if (em->method == SIP_M_BYE) {
        struct dialog *d = call_find_dialog(c, em->from_tag, em->to_tag);
        if (d && !d->bye) {
            d->bye = em;
            d->bye_from_caller = sv_eq(em->from_tag, d->from_tag);
        }
    }
}

void txn_on_message(struct engine *e, struct call *c, struct emsg *em, const struct sip_msg *m)
{
    struct sip_via v;
    if (sip_top_via(m, &v) != 1) {
        em->flags |= EMSG_NO_TXN;
        return;
    }
    em->branch = arena_dup(&c->arena, v.branch);
    if (em->is_request && em->method == SIP_M_ACK) {
        on_ack(e, c, em, &v);
        return;
    }
    struct txn_key k;
    uint64_t h;
    char sb[SENT_BY_MAX];
    fill_key(&k, sb, &v, em, em->method);
    struct txn_priv *tp = find(e, &k, &h);
    if (em->is_request) {
        if (tp && tp->pub.request) {
            em->flags |= EMSG_RETRANS;
            tp->pub.request_retrans++;
            e->st->n[ENGINE_STAT_RETRANSMISSIONS]++;
            em->txn = &tp->pub;
            return;
        }
        if (!tp) {
            enum txn_kind kind = em->method == SIP_M_INVITE ? TXN_INVITE : TXN_NON_INVITE;
            tp = new_txn(e, c, &k, h, em, kind);
            if (!tp)
                return;
        } else {
            tp->pub.request = em; /* a response came first: the request was reordered */
            tp->pub.in_dialog = em->to_tag.p != NULL;
        }
        em->txn = &tp->pub;
        on_new_request(e, c, tp, em, m, &v);
        return;
    }
    if (!tp) {
        enum txn_kind kind = em->method == SIP_M_INVITE ? TXN_INVITE : TXN_NON_INVITE;
        tp = new_txn(e, c, &k, h, em, kind);
        if (!tp)
            return;
        em->flags |= EMSG_NO_TXN;
        e->st->n[ENGINE_STAT_RESP_NO_TXN]++;
    }
    em->txn = &tp->pub;
    on_response(e, c, tp, em);
}

void txn_forget_call(struct engine *e, struct call *c)
{
    struct call_priv *cp = (struct call_priv *)c;
    for (struct txn_priv *tp = cp->txns; tp; tp = tp->next_of_call)
        htab_remove(&e->txns, tp->hash, tp);
    cp->txns = NULL;
}
