/* ack-2xx-missing: a 2xx to an INVITE kept being retransmitted and no ACK for it ever came on
 * that hop. The UAS core resends its 2xx (T1 doubling to T2, on every transport) until the ACK
 * arrives or 64*T1 = 32 s have passed; then it gives up on the dialog and usually sends BYE
 * (RFC 3261 §13.3.1.4). The caller hears a call that drops after about 32 s.
 *
 * The ACK of a 2xx is end to end: it may go through each proxy that Record-Routes or straight
 * to the UAS, so a hop counts as ACKed when its client sent an ACK for that 2xx or its server
 * received one. The finding goes on the most upstream leg that lacks the ACK: the caller's leg
 * if the caller never sent it, or the first leg below a proxy that received the ACK and did not
 * pass it on. MIN_COPIES copies are needed, so an ACK that crossed one retransmission is no
 * finding. A 2xx of a fork branch other than the call's answer makes the finding incidental. */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_ack_2xx_missing;

/* Copies of the 2xx before the ACK counts as missing: by 1.5 s after the answer the UAS has
 * resent it twice (T1, then 2*T1); an ACK that was only slow or crossed the first copy would be
 * in the capture by then. */
#define MIN_COPIES 2

struct copies {
    const struct emsg *first, *last;
    uint32_t n;
};

static struct copies count_copies(const struct leg *l)
{
    struct copies cp = { 0 };
    const struct txn *t = l->txn;
    for (uint32_t k = 0; k < t->nresps; k++) {
        const struct emsg *r = t->resps[k];
        if (r == l->answer || !(r->flags & EMSG_RETRANS) || r->status != l->answer->status ||
            !sv_eq(r->to_tag, l->answer->to_tag))
            continue;
        if (!cp.first)
            cp.first = r;
        cp.last = r;
        cp.n++;
    }
    return cp;
}

static bool unacked(const struct call *c, const struct leg *l, const struct emsg *ok)
{
    return l->answer && sv_eq(l->answer->to_tag, ok->to_tag) &&
           !diag_flow_ack_of_2xx(c, l, l->answer);
}

static const struct dialog *dialog_of(const struct call *c, const struct emsg *ok)
{
    for (uint32_t i = 0; i < c->ndialogs; i++)
        if (sv_eq(c->dialogs[i]->to_tag, ok->to_tag) &&
            sv_eq(c->dialogs[i]->from_tag, ok->from_tag))
            return c->dialogs[i];
    return NULL;
}

/* The leg at or below top whose server sent the 2xx in the first place (the answering UA). */
static const struct leg *answering_leg(const struct call *c, const struct leg *top)
{
    const struct leg *best = top;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (l->answer && sv_eq(l->answer->to_tag, top->answer->to_tag) && l->depth > best->depth &&
            diag_flow_below(l, top))
            best = l;
    }
    return best;
}

static void report(const struct call *c, const struct leg *top, const struct copies *cp,
                   struct diag_out *out)
{
    char who[CAP_ADDR_STRLEN], uas[CAP_ADDR_STRLEN], ended[96] = "";
    const struct emsg *ok = top->answer;
    const struct leg *callee = answering_leg(c, top);
    const struct dialog *d = dialog_of(c, ok);
    const struct emsg *bye = d && d->bye && !d->bye_from_caller ? d->bye : NULL;
    const struct emsg *up =
        top->parent ? diag_flow_ack_of_2xx(c, top->parent, top->parent->answer) : NULL;
    if (bye)
        snprintf(ended, sizeof(ended), "; the callee gave up and sent BYE %.1f s after the answer",
                 diag_flow_s(ok, bye));
    struct diag_finding *f;
    if (up)
        f = diag_add(out, &rule_ack_2xx_missing, top,
                     "%s got the ACK for the %u but never passed it on to %s, which resent the "
                     "%u %u times over %.1f s%s",
                     diag_flow_addr(who, &top->txn->client), ok->status,
                     diag_flow_addr(uas, &top->txn->server), ok->status, cp->n,
                     diag_flow_s(ok, cp->last), ended);
    else
        f = diag_add(out, &rule_ack_2xx_missing, top,
                     "%s never ACKed the %u; %s resent it %u times over %.1f s%s",
                     diag_flow_addr(who, &top->txn->client), ok->status,
                     diag_flow_addr(uas, &callee->txn->server), cp->n, diag_flow_s(ok, cp->last),
                     ended);
    if (!f)
        return;
    f->incidental = !c->answered || !sv_eq(c->answered->to_tag, ok->to_tag);
    diag_evidence(f, ok, "the answer, which needs an ACK");
    diag_evidence(f, up, "the ACK reaches the proxy and stops there");
    diag_evidence(f, cp->first, "first retransmission: no ACK yet");
    diag_evidence(f, cp->last, "last retransmission");
    diag_evidence(f, bye, "the callee gives up on the call");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (!l->answer)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (!unacked(c, l, l->answer))
            continue;
        struct copies cp = count_copies(l);
        if (cp.n < MIN_COPIES)
            continue;
        const struct leg *top = l;
        while (top->parent && unacked(c, top->parent, l->answer))
            top = top->parent;
        if (diag_flow_reported(out, &rule_ack_2xx_missing, top))
            continue;
        if (top != l) {
            struct copies tc = count_copies(top);
            cp = tc.n >= cp.n ? tc : cp;
        }
        report(c, top, &cp, out);
        v = DIAG_FINDING;
    }
    return v;
}

const struct diag_rule rule_ack_2xx_missing = {
    .id = "ack-2xx-missing",
    .title = "A 2xx to an INVITE was retransmitted and never ACKed",
    .severity = DIAG_ERROR,
    .rfc = "RFC 3261 §13.3.1.4",
    .explain =
        "The callee answered, but the ACK that confirms the answer never reached it, so it "
        "kept resending its 200 OK. A callee that gets no ACK within 32 seconds (64 times T1) "
        "gives up on the call and normally hangs up with BYE: the caller sees a call that "
        "connects and drops after about half a minute. When the INVITE carried no SDP, the "
        "answer to the callee's offer travels in that ACK, so media cannot start either. Look at "
        "who should have sent or relayed the ACK. If the caller never sent it, "
        "it probably never received the 200 (a firewall or NAT on the way back, a wrong Via or "
        "rport) or could not use it (a Contact or Record-Route it cannot reach). If the caller "
        "sent it and a proxy did not pass it on, check the proxy's routing of in-dialog "
        "requests: Record-Route and the Route set it built from the 200.",
    .match = match,
};
