/* Per-call keys of the breakdowns: the destination (Request-URI user@host), the responding
 * element (who decided the caller's outcome) and the call's retransmissions. Definitions in
 * docs/metrics.md; they only read the call. */
#include <string.h>

#include "metrics/metrics.h"

static size_t put(char *out, size_t cap, size_t at, sv_t v, bool lower)
{
    for (size_t i = 0; i < v.len && at + 1 < cap; i++)
        out[at++] = lower ? sv_lower_c(v.p[i]) : v.p[i];
    return at;
}

size_t metrics_destination(const struct call *c, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    size_t n = 0;
    struct sip_uri u;
    if (!c->ruri.p || !c->ruri.len) {
        out[0] = '\0';
        return 0;
    }
    if (sip_uri_parse(c->ruri, &u) != 0 || (!u.host.len && !u.user.len)) {
        n = put(out, cap, 0, c->ruri, false);
    } else if (!u.host.len) { /* tel: and opaque URIs keep the number in user */
        n = put(out, cap, 0, u.user, false);
    } else {
        if (u.user.len) {
            n = put(out, cap, n, u.user, false);
            n = put(out, cap, n, SV("@"), false);
        }
        n = put(out, cap, n, u.host, true);
    }
    out[n] = '\0';
    return n;
}

static const struct emsg *outcome(const struct leg *l)
{
    return l->answer ? l->answer : l->final;
}

/* The child of l whose final response explains l's: among children whose outcome arrived no
 * later than l's, the latest one with the same status, else the latest one with any status;
 * failing that, the last child that never got a final response (the hop that stayed silent, so
 * the element above timed out or gave up). NULL when l decided on its own. */
static const struct leg *explaining_child(const struct leg *l)
{
    const struct emsg *mine = outcome(l);
    const struct leg *same = NULL, *other = NULL, *silent = NULL;
    for (uint32_t i = 0; i < l->nchildren; i++) {
        const struct leg *ch = l->children[i];
        const struct emsg *co = outcome(ch);
        if (!co) {
            silent = ch;
            continue;
        }
        if (mine && co->ts_ns > mine->ts_ns)
            continue;
        if (mine && co->status == mine->status) {
            if (!same || co->ts_ns >= outcome(same)->ts_ns)
                same = ch;
        } else if (!other || co->ts_ns >= outcome(other)->ts_ns) {
            other = ch;
        }
    }
    return same ? same : other ? other : silent;
}

const struct leg *metrics_deciding_leg(const struct call *c)
{
    const struct leg *l = c->orig;
    if (!l)
        return NULL;
    for (uint32_t depth = 0; depth < c->nlegs; depth++) {
        const struct leg *next = explaining_child(l);
        if (!next)
            break;
        l = next;
    }
    return l;
}

size_t metrics_element(const struct call *c, char *out, size_t cap)
{
    const struct leg *l = metrics_deciding_leg(c);
    if (!l || cap < CAP_ADDR_STRLEN) {
        if (cap)
            out[0] = '\0';
        return 0;
    }
    return cap_addr_str(&l->txn->server, out, cap);
}

uint64_t metrics_call_retransmissions(const struct call *c)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        n += t->request_retrans;
        if (t->ack_count > 1)
            n += t->ack_count - 1;
        for (uint32_t r = 0; r < t->nresps; r++)
            n += (t->resps[r]->flags & EMSG_RETRANS) ? 1 : 0;
    }
    return n;
}
