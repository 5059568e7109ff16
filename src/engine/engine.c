/* The engine's intake and clock: copy each message into its call, hand it to transaction
 * matching, join Call-IDs that correlation headers tie together, and finalise calls when their
 * deadline (capture time) passes. Memory: one arena per call, freed after the consumer has seen
 * the call; a heap of deadlines with one entry per open call; an open-call cap with eviction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/engine_int.h"

static const char *const stat_names[] = {
#define X(id, name, desc) name,
#include "engine/stats.def"
#undef X
};
static const char *const stat_descs[] = {
#define X(id, name, desc) desc,
#include "engine/stats.def"
#undef X
};

const char *engine_stat_name(enum engine_stat s)
{
    return (unsigned)s < ENGINE_STAT__COUNT ? stat_names[s] : "?";
}

const char *engine_stat_desc(enum engine_stat s)
{
    return (unsigned)s < ENGINE_STAT__COUNT ? stat_descs[s] : "?";
}

#define SEC 1000000000LL

struct engine *engine_new(const struct engine_opts *o, engine_call_fn fn, void *ctx,
                          struct engine_stats *st)
{
    struct engine *e = xcalloc(1, sizeof(*e));
    if (o)
        e->o = *o;
    if (!e->o.quiet_ns)
        e->o.quiet_ns = 32 * SEC;
    if (!e->o.early_timeout_ns)
        e->o.early_timeout_ns = 300 * SEC;
    if (!e->o.dialog_timeout_ns)
        e->o.dialog_timeout_ns = 4 * 3600 * SEC;
    if (!e->o.dedup_window_ns)
        e->o.dedup_window_ns = 20 * 1000000LL;
    if (!e->o.max_open_calls)
        e->o.max_open_calls = 200000;
    if (!e->o.call_budget)
        e->o.call_budget = 4 * 1024 * 1024;
    e->fn = fn;
    e->ctx = ctx;
    e->st = st;
    e->dedup = dedup_new(e->o.dedup_window_ns);
    htab_init(&e->calls_by_id, 1024);
    htab_init(&e->txns, 4096);
    htab_init(&e->corr, 256);
    return e;
}

/* --- deadline heap: one entry per open root call, moved in place when its deadline changes --- */

static void heap_set(struct engine *e, size_t i, struct call_priv *cp)
{
    e->heap[i] = cp;
    cp->heap_idx = i;
}

static void heap_up(struct engine *e, size_t i)
{
    struct call_priv *cp = e->heap[i];
    while (i && e->heap[(i - 1) / 2]->deadline > cp->deadline) {
        heap_set(e, i, e->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(e, i, cp);
}

static void heap_down(struct engine *e, size_t i)
{
    struct call_priv *cp = e->heap[i];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = l;
        if (l >= e->heap_len)
            break;
        if (r < e->heap_len && e->heap[r]->deadline < e->heap[l]->deadline)
            m = r;
        if (e->heap[m]->deadline >= cp->deadline)
            break;
        heap_set(e, i, e->heap[m]);
        i = m;
    }
    heap_set(e, i, cp);
}

/* Insert cp, or move it after its deadline changed. */
static void heap_update(struct engine *e, struct call_priv *cp)
{
    if (cp->heap_idx == HEAP_NONE) {
        if (e->heap_len == e->heap_cap) {
            e->heap_cap = e->heap_cap ? e->heap_cap * 2 : 1024;
            e->heap = xrealloc(e->heap, e->heap_cap * sizeof(*e->heap));
        }
        heap_set(e, e->heap_len++, cp);
        heap_up(e, cp->heap_idx);
        return;
    }
    heap_up(e, cp->heap_idx);
    heap_down(e, cp->heap_idx);
}

static void heap_remove(struct engine *e, struct call_priv *cp)
{
    size_t i = cp->heap_idx;
    if (i == HEAP_NONE)
        return;
    cp->heap_idx = HEAP_NONE;
    struct call_priv *last = e->heap[--e->heap_len];
    if (last == cp)
        return;
    heap_set(e, i, last);
    heap_up(e, i);
    heap_down(e, last->heap_idx);
}

/* --- names (Call-IDs, correlation tokens) --- */

static int ref_eq(const void *val, const void *key)
{
    return sv_eq(((const struct id_ref *)val)->key, *(const sv_t *)key);
}

static struct call_priv *root_of(struct call_priv *cp)
{
    while (cp->root != cp)
        cp = cp->root;
    return cp;
}

static struct call_priv *lookup(struct htab *t, sv_t key)
{
    struct id_ref *r = htab_find(t, sv_hash(key), ref_eq, &key);
    return r ? root_of(r->call) : NULL;
}

/* Register key (copied into cp's arena) in table t. */
static bool add_ref(struct htab *t, struct call_priv *cp, sv_t key)
{
    struct id_ref *r = arena_zalloc(&cp->pub.arena, sizeof(*r));
    if (!r)
        return false;
    r->key = arena_dup(&cp->pub.arena, key);
    if (!r->key.p)
        return false;
    r->hash = sv_hash(key);
    r->call = cp;
    r->next_of_call = cp->refs;
    cp->refs = r;
    htab_insert(t, r->hash, r);
    return true;
}

static struct call_priv *new_call(struct engine *e, sv_t call_id, int64_t ts)
{
    struct call_priv *cp = xcalloc(1, sizeof(*cp));
    arena_init(&cp->pub.arena, 4096, e->o.call_budget);
    cp->root = cp;
    cp->heap_idx = HEAP_NONE;
    cp->pub.seq = ++e->next_seq;
    cp->pub.first_ts = cp->pub.last_ts = ts;
    if (!add_ref(&e->calls_by_id, cp, call_id)) {
        arena_free(&cp->pub.arena);
        free(cp);
        return NULL;
    }
    sv_t *ids = arena_alloc(&cp->pub.arena, sizeof(sv_t));
    if (ids) {
        ids[0] = cp->refs->key;
        cp->pub.call_ids = ids;
        cp->pub.ncall_ids = 1;
        cp->cap_ids = 1;
    }
    e->open_calls++;
    if (e->open_calls > e->st->peak_open_calls)
        e->st->peak_open_calls = e->open_calls;
    return cp;
}

/* --- finalisation --- */

static void free_group(struct engine *e, struct call_priv *root)
{
    struct call_priv *cp = root, *next;
    for (; cp; cp = next) {
        next = cp == root ? root->members : cp->next_member;
        txn_forget_call(e, &cp->pub);
        for (struct id_ref *r = cp->refs; r; r = r->next_of_call) {
            if (!htab_remove(&e->calls_by_id, r->hash, r))
                htab_remove(&e->corr, r->hash, r);
        }
        arena_free(&cp->pub.arena);
        if (cp != root)
            free(cp);
    }
    free(root);
}

static void finalise(struct engine *e, struct call_priv *cp, uint32_t why)
{
    struct call *c = &cp->pub;
    heap_remove(e, cp);
    c->flags |= why;
    c->seen_until = e->have_now && e->now > c->last_ts ? e->now : c->last_ts;
    call_finish_summary(c);
    if (c->flags & CALL_HAS_INVITE)
        e->st->n[ENGINE_STAT_CALLS]++;
    else
        e->st->n[ENGINE_STAT_NON_CALLS]++;
    if (c->flags & CALL_TRUNCATED)
        e->st->n[ENGINE_STAT_TRUNCATED]++;
    if (why & CALL_EVICTED)
        e->st->n[ENGINE_STAT_EVICTED]++;
    if (why & CALL_AT_EOF)
        e->st->n[ENGINE_STAT_FINALISED_AT_EOF]++;
    e->fn(e->ctx, c);
    e->open_calls--;
    free_group(e, cp);
}

/* Finalise every call whose deadline has passed. */
static void expire(struct engine *e)
{
    while (e->heap_len && e->heap[0]->deadline <= e->now)
        finalise(e, e->heap[0], 0);
}

/* Over the open-call limit: finalise the calls closest to their deadline first. */
static void evict(struct engine *e)
{
    while (e->open_calls > e->o.max_open_calls && e->heap_len)
        finalise(e, e->heap[0], CALL_EVICTED);
}

static int64_t deadline_of(struct engine *e, const struct call *c)
{
    if (!(c->flags & CALL_HAS_INVITE))
        return c->last_ts + e->o.quiet_ns;
    bool open_dialog = false, pending = false;
    for (uint32_t i = 0; i < c->ndialogs; i++)
        if (c->dialogs[i]->confirmed && !c->dialogs[i]->bye)
            open_dialog = true;
    for (uint32_t i = 0; i < c->nlegs; i++)
        if (!c->legs[i]->final)
            pending = true;
    if (open_dialog)
        return c->last_ts + e->o.dialog_timeout_ns;
    if (pending)
        return c->last_ts + e->o.early_timeout_ns;
    return c->last_ts + e->o.quiet_ns;
}

static void reschedule(struct engine *e, struct call_priv *cp)
{
    cp->deadline = deadline_of(e, &cp->pub);
    heap_update(e, cp);
}

/* --- B2BUA correlation (RFC 7989 Session-ID, P-Charging-Vector icid, X-CID) --- */

static void append_all(struct call *dst, void ***darr, uint32_t *dn, uint32_t *dcap, void **sarr,
                       uint32_t sn)
{
    for (uint32_t i = 0; i < sn; i++)
        call_push(dst, darr, dn, dcap, sarr[i]);
}

/* Join the group of b into the group of a (the older one stays root). */
static void merge(struct engine *e, struct call_priv *a, struct call_priv *b)
{
    a = root_of(a);
    b = root_of(b);
    if (a == b)
        return;
    if (b->pub.seq < a->pub.seq) {
        struct call_priv *t = a;
        a = b;
        b = t;
    }
    struct call *ca = &a->pub, *cb = &b->pub;
    append_all(ca, (void ***)&ca->msgs, &ca->nmsgs, &a->cap_msgs, (void **)cb->msgs, cb->nmsgs);
    append_all(ca, (void ***)&ca->txns, &ca->ntxns, &a->cap_txns, (void **)cb->txns, cb->ntxns);
    append_all(ca, (void ***)&ca->legs, &ca->nlegs, &a->cap_legs, (void **)cb->legs, cb->nlegs);
    append_all(ca, (void ***)&ca->dialogs, &ca->ndialogs, &a->cap_dialogs, (void **)cb->dialogs,
               cb->ndialogs);
    for (uint32_t i = 0; i < cb->ncall_ids; i++) {
        if (ca->ncall_ids == a->cap_ids) {
            uint32_t ncap = a->cap_ids * 2 + 2;
            sv_t *ids = arena_alloc(&ca->arena, ncap * sizeof(sv_t));
            if (!ids)
                break;
            memcpy(ids, ca->call_ids, ca->ncall_ids * sizeof(sv_t));
            ca->call_ids = ids;
            a->cap_ids = ncap;
        }
        ca->call_ids[ca->ncall_ids++] = cb->call_ids[i];
    }
    for (uint32_t i = 0; i < cb->ntxns; i++)
        cb->txns[i]->call = ca;
    for (uint32_t i = 0; i < cb->nlegs; i++)
        cb->legs[i]->call = ca;
    ca->flags |= cb->flags;
    ca->msgs_dropped += cb->msgs_dropped;
    if (cb->first_ts < ca->first_ts)
        ca->first_ts = cb->first_ts;
    if (cb->last_ts > ca->last_ts)
        ca->last_ts = cb->last_ts;
    if (!ca->from.p) {
        ca->from = cb->from;
        ca->to = cb->to;
        ca->ruri = cb->ruri;
    }
    /* b's members become a's; b itself too. */
    struct call_priv *m = b->members;
    while (m) {
        struct call_priv *next = m->next_member;
        m->root = a;
        m->next_member = a->members;
        a->members = m;
        m = next;
    }
    b->members = NULL;
    heap_remove(e, b);
    b->root = a;
    b->next_member = a->members;
    a->members = b;
    e->open_calls--;
    e->st->n[ENGINE_STAT_B2BUA_LINKS]++;
    reschedule(e, a);
}

/* Value of name=value in a ';'-separated list whose first item may lack the ';' (as in
 * P-Charging-Vector and Session-ID). */
static bool list_param(sv_t list, sv_t name, sv_t *value)
{
    sv_t item;
    while (list.len) {
        list = sv_split(list, ';', &item);
        sv_t n, v = sv_split(sv_trim(item), '=', &n);
        if (sv_ieq(sv_trim(n), name)) {
            *value = sv_trim(v);
            return true;
        }
    }
    return false;
}

/* Correlation tokens of an initial INVITE: "icid:<value>", "sid:<uuid>" (local and remote),
 * and the X-CID / X-Call-ID value as a Call-ID of the other side. */
static void correlate(struct engine *e, struct call_priv *cp, const struct sip_msg *m)
{
    sv_t v = sip_hdr_value(m, SIP_HDR_X_CID);
    if (!v.p)
        v = sip_hdr_value(m, SIP_HDR_X_CALL_ID);
    if (v.p) {
        struct call_priv *other = lookup(&e->calls_by_id, sv_trim(v));
        if (other)
            merge(e, other, cp);
    }
    char buf[160];
    sv_t pcv = sip_hdr_value(m, SIP_HDR_P_CHARGING_VECTOR);
    sv_t icid;
    if (pcv.p && list_param(pcv, SV("icid-value"), &icid) && icid.len && icid.len < 120) {
        int n = snprintf(buf, sizeof(buf), "icid:%.*s", SV_ARG(icid));
        sv_t key = sv_make(buf, (size_t)n);
        struct call_priv *other = lookup(&e->corr, key);
        if (other)
            merge(e, other, cp);
        else
            add_ref(&e->corr, root_of(cp), key);
    }
    sv_t sid = sip_hdr_value(m, SIP_HDR_SESSION_ID);
    if (sid.p) {
        sv_t local, remote = SV_NULL;
        sv_t params = sv_split(sid, ';', &local);
        local = sv_trim(local);
        list_param(params, SV("remote"), &remote);
        sv_t ids[2] = { local, remote };
        for (int i = 0; i < 2; i++) {
            if (ids[i].len != 32 || sv_eq(ids[i], SV("00000000000000000000000000000000")))
                continue;
            int n = snprintf(buf, sizeof(buf), "sid:%.*s", SV_ARG(ids[i]));
            sv_t key = sv_make(buf, (size_t)n);
            struct call_priv *other = lookup(&e->corr, key);
            if (other)
                merge(e, other, cp);
            else if (i == 0)
                add_ref(&e->corr, root_of(cp), key);
        }
    }
}

/* --- intake --- */

static sv_t dup_tag(struct call *c, const struct sip_msg *m, enum sip_hdr_id id)
{
    struct sip_name_addr na;
    sv_t v = sip_hdr_value(m, id);
    if (!v.p || sip_name_addr_parse(v, &na) != 1 || !na.tag.p)
        return SV_NULL;
    return arena_dup(&c->arena, na.tag);
}

static struct emsg *make_emsg(struct engine *e, struct call *c, const struct ingest_msg *im,
                              sv_t call_id)
{
    const struct sip_msg *m = im->sip;
    struct emsg *em = arena_zalloc(&c->arena, sizeof(*em));
    if (!em)
        return NULL;
    em->ts_ns = im->ts_ns;
    em->frame = im->frame;
    em->file = im->file_index;
    em->src = im->src;
    em->dst = im->dst;
    em->transport = im->transport;
    em->is_request = m->is_request;
    em->status = m->status;
    em->flags = m->malformed ? EMSG_MALFORMED : 0;
    struct sip_cseq cs = { 0 };
    if (sip_cseq_parse(sip_hdr_value(m, SIP_HDR_CSEQ), &cs) == 0)
        em->cseq = cs.num;
    em->method = m->is_request ? m->method_id : cs.method_id;
    em->method_name = arena_dup(&c->arena, m->is_request ? m->method : cs.method);
    em->start_line = arena_dup(&c->arena, sv_trim(sv_make(m->raw.p, sv_chr(m->raw, '\n'))));
    em->call_id = call_id;
    em->from_tag = dup_tag(c, m, SIP_HDR_FROM);
    em->to_tag = dup_tag(c, m, SIP_HDR_TO);
    sv_t reason = sip_hdr_value(m, SIP_HDR_REASON);
    if (reason.p)
        em->reason = arena_dup(&c->arena, reason);
    if (sip_hdr_get(m, SIP_HDR_AUTHORIZATION) || sip_hdr_get(m, SIP_HDR_PROXY_AUTHORIZATION))
        em->flags |= EMSG_AUTH;
    em->retry_after = -1;
    sv_t ra = sip_hdr_value(m, SIP_HDR_RETRY_AFTER);
    uint32_t secs;
    if (ra.p) { /* delta-seconds [comment] *(;param), RFC 3261 §20.33 */
        size_t n = 0;
        while (n < ra.len && ra.p[n] >= '0' && ra.p[n] <= '9')
            n++;
        if (sv_to_u32(sv_make(ra.p, n), &secs) == 0 && secs <= INT32_MAX)
            em->retry_after = (int32_t)secs;
    }
    sv_t ct = sip_hdr_value(m, SIP_HDR_CONTENT_TYPE);
    em->has_sdp = m->body.len && ct.p && sv_ifind(ct, SV("application/sdp")) < ct.len;
    em->vias = m->count[SIP_HDR_VIA];
    if (e->o.keep_raw)
        em->raw = arena_dup(&c->arena, im->bytes);
    if (!em->start_line.p || !em->method_name.p)
        return NULL;
    return em;
}

static void note_invite(struct engine *e, struct call_priv *cp, const struct ingest_msg *im)
{
    const struct sip_msg *m = im->sip;
    struct call *c = &cp->pub;
    if (!m->is_request || m->method_id != SIP_M_INVITE)
        return;
    sv_t to = sip_hdr_value(m, SIP_HDR_TO);
    struct sip_name_addr na;
    if (to.p && sip_name_addr_parse(to, &na) == 1 && na.tag.p)
        return; /* re-INVITE */
    c->flags |= CALL_HAS_INVITE;
    if (!c->from.p) {
        c->from = arena_dup(&c->arena, sip_hdr_value(m, SIP_HDR_FROM));
        c->to = arena_dup(&c->arena, to);
        c->ruri = arena_dup(&c->arena, m->ruri);
    }
    correlate(e, cp, m);
}

void engine_msg(void *ctx, const struct ingest_msg *im)
{
    struct engine *e = ctx;
    e->st->n[ENGINE_STAT_MESSAGES]++;
    if (dedup_seen(e->dedup, im)) {
        e->st->n[ENGINE_STAT_DUPLICATES]++;
        return;
    }
    if (!e->have_now || im->ts_ns > e->now) {
        e->now = im->ts_ns;
        e->have_now = true;
        expire(e);
    }
    sv_t call_id = sv_trim(sip_call_id(im->sip));
    if (!call_id.len) {
        e->st->n[ENGINE_STAT_NO_CALL_ID]++;
        return;
    }
    struct call_priv *cp = lookup(&e->calls_by_id, call_id);
    if (!cp && !(cp = new_call(e, call_id, im->ts_ns)))
        return;
    struct call *c = &cp->pub;
    struct emsg *em = make_emsg(e, c, im, c->call_ids[0]);
    if (!em || !call_push(c, (void ***)&c->msgs, &c->nmsgs, &cp->cap_msgs, em)) {
        c->flags |= CALL_TRUNCATED;
        c->msgs_dropped++;
        e->st->n[ENGINE_STAT_MSGS_DROPPED]++;
        reschedule(e, cp);
        return;
    }
    for (uint32_t i = 0; i < c->ncall_ids; i++)
        if (sv_eq(c->call_ids[i], call_id))
            em->call_id = c->call_ids[i];
    if (im->ts_ns > c->last_ts)
        c->last_ts = im->ts_ns;
    note_invite(e, cp, im);
    cp = root_of(cp);
    txn_on_message(e, &cp->pub, em, im->sip);
    reschedule(e, cp);
    evict(e);
}

static int cmp_seq(const void *a, const void *b)
{
    uint64_t x = (*(struct call_priv *const *)a)->pub.seq;
    uint64_t y = (*(struct call_priv *const *)b)->pub.seq;
    return x < y ? -1 : x > y;
}

void engine_finish(struct engine *e)
{
    if (!e)
        return;
    /* Finalise what is left in order of first message, for a stable output order. */
    size_t n = e->heap_len;
    struct call_priv **open = xcalloc(n + 1, sizeof(*open));
    if (n)
        memcpy(open, e->heap, n * sizeof(*open));
    qsort(open, n, sizeof(*open), cmp_seq);
    for (size_t i = 0; i < n; i++)
        finalise(e, open[i], CALL_AT_EOF);
    free(open);
    dedup_free(e->dedup);
    htab_free(&e->calls_by_id);
    htab_free(&e->txns);
    htab_free(&e->corr);
    free(e->heap);
    free(e);
}
