/* Lookups shared by the transaction and dialog flow rules: which downstream response a proxy
 * relayed, which ACK belongs to a hop, what a UA sent next. Pure functions over a finalised
 * call; nothing here decides whether behaviour was right. */
#include "diag/flow_int.h"

const char *diag_flow_addr(char *buf, const struct cap_addr *a)
{
    cap_addr_str(a, buf, CAP_ADDR_STRLEN);
    return buf;
}

double diag_flow_s(const struct emsg *a, const struct emsg *b)
{
    return (double)(b->ts_ns - a->ts_ns) / 1e9;
}

bool diag_flow_unreliable(const struct emsg *m)
{
    return m->transport == CAP_TP_UDP || m->transport == CAP_TP_UNKNOWN;
}

bool diag_flow_below(const struct leg *d, const struct leg *l)
{
    /* depth bounds the walk even if a parent chain were ever cyclic */
    uint32_t steps = d->depth + 1;
    for (const struct leg *p = d->parent; p && steps--; p = p->parent)
        if (p == l)
            return true;
    return false;
}

const struct emsg *diag_flow_relayed_from(const struct call *c, const struct leg *l,
                                          const struct emsg *r)
{
    const struct emsg *best = NULL;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *d = c->legs[i];
        if (d == l || !diag_flow_below(d, l))
            continue;
        const struct txn *t = d->txn;
        for (uint32_t k = 0; k < t->nresps; k++) {
            const struct emsg *m = t->resps[k];
            if (m->status != r->status || !sv_eq(m->to_tag, r->to_tag) || m->ts_ns > r->ts_ns ||
                r->ts_ns - m->ts_ns > DIAG_RELAY_WINDOW_NS)
                continue;
            if (!best || m->ts_ns > best->ts_ns)
                best = m;
        }
    }
    return best;
}

const struct emsg *diag_flow_ack_of_2xx(const struct call *c, const struct leg *l,
                                        const struct emsg *ok)
{
    for (uint32_t i = 0; i < c->nmsgs; i++) {
        const struct emsg *m = c->msgs[i];
        if (!m->is_request || m->method != SIP_M_ACK || m->cseq != l->invite->cseq ||
            !sv_eq(m->to_tag, ok->to_tag) || !sv_eq(m->from_tag, ok->from_tag))
            continue;
        if (cap_addr_eq(&m->src, &l->txn->client) || cap_addr_eq(&m->dst, &l->txn->server))
            return m;
    }
    return NULL;
}

const struct emsg *diag_flow_next_request(const struct call *c, const struct emsg *m,
                                          const struct cap_addr *from, uint8_t method)
{
    for (uint32_t i = m->idx + 1; i < c->nmsgs; i++) {
        const struct emsg *n = c->msgs[i];
        if (n->is_request && n->method == method && cap_addr_eq(&n->src, from))
            return n;
    }
    return NULL;
}

bool diag_flow_reported(const struct diag_out *out, const struct diag_rule *rule,
                        const struct leg *l)
{
    for (uint32_t i = 0; i < out->n; i++)
        if (out->findings[i].rule == rule && out->findings[i].leg == l)
            return true;
    return false;
}
