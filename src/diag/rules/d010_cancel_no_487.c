/* cancel-no-487: a UAS confirmed a CANCEL with 200 and then did not end the INVITE with 487,
 * so an element upstream had to stop waiting and answer for it (kamailio sends its own 487, with
 * its own To tag, when its INVITE timer fires). Reported on the leg whose callee stayed silent:
 * with no final response at all, or with a 487 that came only after the element above had given
 * up — then this is that 487's root cause. A callee that answered 2xx instead is a race
 * (cancel-race-487-then-200, cancel-race-answered), not this. */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_no_487;

/* What the element above did, "10.0.0.2:5060 answered 487 upstream itself (its own To tag)". */
static struct cancel_clause gave_up(const struct leg *l, const struct emsg *g)
{
    struct cancel_clause t;
    const struct emsg *r = l->cancel_resp;
    if (g == r) {
        snprintf(t.s, sizeof(t.s), "nothing more came from it in the %s of capture that followed",
                 diag_cancel_dur(l->call->seen_until - r->ts_ns).s);
        return t;
    }
    bool own = !sv_eq(g->to_tag, diag_cancel_leg_tag(l));
    snprintf(t.s, sizeof(t.s), "%s later %s stopped waiting and answered %u upstream%s",
             diag_cancel_dur(g->ts_ns - r->ts_ns).s, diag_cancel_addr(&l->txn->client).s, g->status,
             own && g->status == 487 ? " itself (its own To tag)" : "");
    return t;
}

static void report(struct diag_out *out, const struct leg *l, const struct emsg *g)
{
    const struct emsg *r = l->cancel_resp;
    struct diag_finding *f;
    if (l->final)
        f = diag_add(out, &rule_cancel_no_487, l,
                     "%s confirmed the CANCEL with %s but held back its 487: %s, and the callee's "
                     "487 came only %s after its 200",
                     diag_cancel_addr(&l->txn->server).s, diag_cancel_quoted(r).s, gave_up(l, g).s,
                     diag_cancel_dur(l->final->ts_ns - r->ts_ns).s);
    else
        f = diag_add(out, &rule_cancel_no_487, l,
                     "%s confirmed the CANCEL with %s but never ended the INVITE with 487: %s",
                     diag_cancel_addr(&l->txn->server).s, diag_cancel_quoted(r).s, gave_up(l, g).s);
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, l->cancel, "CANCEL");
    diag_evidence(f, r, "the callee confirms the CANCEL");
    diag_evidence(f, g != r ? g : NULL, "the element above answers for the callee");
    diag_evidence(f, l->final, "the callee's 487, late");
    diag_evidence(f, l->final ? l->txn->ack : NULL, "ACK of the late 487");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        const struct emsg *r = l->cancel_resp;
        if (!l->cancel || !r || r->status < 200 || r->status >= 300)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        struct cancel_why w;
        const struct emsg *g = NULL;
        if (diag_cancel_root(l, &w) == CANCEL_ROOT_LATE_487)
            g = l->parent->final;
        else
            g = diag_cancel_no_487(c, l);
        if (!g)
            continue;
        report(out, l, g);
        v = DIAG_FINDING;
    }
    return v;
}

/* A confirmed CANCEL never followed by the callee's 487 (RFC 3261 §9.2). */
const struct diag_rule rule_cancel_no_487 = {
    .id = "cancel-no-487",
    .title = "CANCEL confirmed, callee sent no 487",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §9.1, §9.2",
    .explain =
        "After a CANCEL the callee owes two answers: 200 to the CANCEL, then 487 Request "
        "Terminated to the INVITE, at once. This callee sent the 200 and then fell silent (or "
        "sent its 487 far too late). The element before it - a proxy or B2BUA - kept the "
        "INVITE open until its own timer gave up and then ended it for the callee, usually "
        "with a 487 that carries its own To tag. Callers therefore wait seconds for the end of "
        "a call they already hung up, lines and licences stay busy, and the callee may still "
        "believe the call is ringing. Look at the callee's software: its CANCEL handling, a "
        "CANCEL answered by a front end that never reaches the application, or a dialog stuck "
        "in its state machine.",
    .match = match,
};
