/* Small helpers that several rules share: time differences, Reason header tests, response
 * lookup on a leg. */
#include "diag/diag.h"

double diag_ms(const struct emsg *a, const struct emsg *b)
{
    return (double)(b->ts_ns - a->ts_ns) / 1e6;
}

bool diag_reason_answered_elsewhere(const struct emsg *m)
{
    if (!m || !m->reason.p)
        return false;
    sv_t cur = m->reason;
    struct sip_reason r;
    while (sip_reason_next(&cur, &r) == 1)
        if (sv_ieq(r.protocol, SV("SIP")) && r.has_cause && r.cause == 200)
            return true;
    return false;
}

const struct emsg *diag_leg_response(const struct leg *l, uint16_t status)
{
    const struct txn *t = l->txn;
    for (uint32_t i = 0; i < t->nresps; i++)
        if (t->resps[i]->status == status && !(t->resps[i]->flags & EMSG_RETRANS))
            return t->resps[i];
    return NULL;
}
