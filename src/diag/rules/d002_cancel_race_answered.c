/* cancel-race-answered: the callee's 2xx and the caller's CANCEL were in flight at the same
 * time. The INVITE was already answered when the CANCEL arrived, so the CANCEL changed nothing
 * (481, or a 200 with no 487 after it) and the caller, which had given up, ACKed the 2xx and sent
 * BYE at once. The call counts as answered; the callee saw a hang-up right after answering.
 * Reported once, on the highest leg where the two crossed. Not here: a CANCEL sent long after the
 * caller had the 2xx (cancel-too-late), a 487 followed by a 2xx (cancel-race-487-then-200). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_race_answered;

/* How the two crossed, as seen at this hop. */
static struct cancel_clause crossing(const struct call *c, const struct leg *l)
{
    struct cancel_clause t;
    const struct emsg *cx = l->cancel, *ok = l->answer;
    const struct emsg *ack = diag_cancel_ack_2xx(c, l);
    if (cx->ts_ns <= ok->ts_ns)
        snprintf(t.s, sizeof(t.s), "the CANCEL went out %s before the %u came back",
                 diag_cancel_dur(ok->ts_ns - cx->ts_ns).s, ok->status);
    else
        snprintf(t.s, sizeof(t.s), "the CANCEL came %s after the %u, %s",
                 diag_cancel_dur(cx->ts_ns - ok->ts_ns).s, ok->status,
                 ack ? "before the caller's ACK of it: the two crossed on the wire"
                     : "too soon for the caller to have had it: the two crossed on the wire");
    return t;
}

static void report(const struct call *c, struct diag_out *out, const struct leg *l)
{
    const struct emsg *ok = l->answer;
    const struct dialog *d = diag_cancel_dialog(c, ok);
    const struct emsg *ack = diag_cancel_ack_2xx(c, l);
    const struct emsg *r = l->cancel_resp;
    const struct leg *who = diag_cancel_answerer(l);
    struct cancel_clause got;
    snprintf(got.s, sizeof(got.s), "the CANCEL got %s and no 487 came", diag_cancel_quoted(r).s);
    struct diag_finding *f = diag_add(
        out, &rule_cancel_race_answered, l,
        "the callee %s answered while %s was cancelling: %s; %s, so the call was up; %s %s %s "
        "after the %u, and the callee saw a hang-up right after answering",
        diag_cancel_addr(&who->txn->server).s, diag_cancel_addr(&l->txn->client).s,
        crossing(c, l).s, got.s, diag_cancel_addr(&l->txn->client).s,
        ack ? "ACKed it and hung up with BYE" : "hung up with BYE (no ACK seen)",
        diag_cancel_dur(d->bye->ts_ns - ok->ts_ns).s, ok->status);
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, l->cancel, "CANCEL");
    diag_evidence(f, r, "answer to the CANCEL: nothing left to cancel");
    diag_evidence(f, ok, "the answer, crossing the CANCEL");
    diag_evidence(f, ack, "ACK of the answer");
    diag_evidence(f, d->bye, "BYE: the caller tears the answered call down");
    diag_evidence(f, d->bye_resp, "answer to the BYE");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (!l->cancel || !l->answer)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (!diag_cancel_race_answered(c, l) || diag_cancel_race_above(c, l))
            continue;
        report(c, out, l);
        v = DIAG_FINDING;
    }
    return v;
}

/* A CANCEL crossed the 2xx on a leg and the caller then ACKed and BYEd the answered call (RFC
 * 3261 §9.1, §15). */
const struct diag_rule rule_cancel_race_answered = {
    .id = "cancel-race-answered",
    .title = "Answer crossed CANCEL: answered, hung up",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §9.1, §9.2, §15",
    .explain =
        "The caller cancelled at the very moment the callee answered. The 2xx and the CANCEL "
        "passed each other on the wire, so when the CANCEL arrived there was no pending INVITE "
        "any more: it was answered 481, or 200 without any effect (kamailio says \"200 ok -- no "
        "more pending branches\"), and no 487 followed. The caller, which had already given "
        "up, received an answered call, acknowledged it and hung it up with BYE straight away "
        "- both are what the protocol asks for. For the caller the call never happened; the "
        "callee picked up and heard nothing. Tools that label calls by the presence of a CANCEL "
        "call this \"cancelled\"; it was in fact answered. Occasional races are unavoidable. If "
        "they are frequent, look at the delay between the elements (the window is one round "
        "trip) and at callers or auto-answer devices that act at the same moment (timed "
        "give-ups, answer after a fixed number of rings).",
    .match = match,
};
