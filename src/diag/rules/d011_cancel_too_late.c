/* cancel-too-late: a CANCEL sent on a leg after that leg's INVITE had already got its final
 * response. There was nothing left to cancel: the CANCEL is answered 200 or 481 and changes
 * nothing (kamailio says "200 ok -- no more pending branches" and does not pass it on). Not
 * here: a CANCEL that crossed a 2xx which the caller then tore down (cancel-race-answered), or
 * legs below such a race. */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_too_late;

static const struct emsg *final_ack(const struct call *c, const struct leg *l)
{
    return l->final->status < 300 ? diag_cancel_ack_2xx(c, l) : l->txn->ack;
}

static void report(const struct call *c, struct diag_out *out, const struct leg *l)
{
    const struct emsg *cx = l->cancel, *fin = l->final, *ack = final_ack(c, l);
    struct cancel_clause acked;
    if (ack && ack->ts_ns <= cx->ts_ns)
        snprintf(acked.s, sizeof(acked.s), " (%s after its own ACK of it)",
                 diag_cancel_dur(cx->ts_ns - ack->ts_ns).s);
    else if (cx->ts_ns - fin->ts_ns <= CANCEL_CROSSING_NS)
        snprintf(acked.s, sizeof(acked.s), " (it may have crossed it on the wire)");
    else
        acked.s[0] = '\0';
    struct diag_finding *f = diag_add(
        out, &rule_cancel_too_late, l,
        "%s sent CANCEL %s after the INVITE's final %s%s: nothing was left to cancel, it was "
        "answered %s and had no effect",
        diag_cancel_addr(&l->txn->client).s, diag_cancel_dur(cx->ts_ns - fin->ts_ns).s,
        diag_cancel_status(fin).s, acked.s, diag_cancel_quoted(l->cancel_resp).s);
    diag_evidence(f, fin, "final response to the INVITE");
    diag_evidence(f, ack, "its ACK");
    diag_evidence(f, cx, "CANCEL, after the final response");
    diag_evidence(f, l->cancel_resp, "answer to the late CANCEL");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (!l->cancel)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (!l->final || l->cancel->ts_ns <= l->final->ts_ns)
            continue;
        if (diag_cancel_race_answered(c, l) || diag_cancel_race_above(c, l))
            continue;
        report(c, out, l);
        v = DIAG_FINDING;
    }
    return v;
}

/* A CANCEL after the INVITE's final response on its leg (RFC 3261 §9.1, §9.2). */
const struct diag_rule rule_cancel_too_late = {
    .id = "cancel-too-late",
    .title = "CANCEL after the final response",
    .severity = DIAG_INFO,
    .rfc = "RFC 3261 §9.1, §9.2",
    .explain =
        "CANCEL can only stop an INVITE that is still pending. On this hop the INVITE had "
        "already received its final response when the CANCEL went out, so the CANCEL was "
        "answered (200 or 481) and did nothing; if the call was answered, it stays up until "
        "somebody sends BYE. A CANCEL that crosses a final response on the wire is normal; one "
        "sent after the sender had the final response (and often after it ACKed it) means the "
        "sender's call state is off - a UA whose hang-up button sends CANCEL in the wrong "
        "state, or a B2BUA relaying a CANCEL it should have turned into BYE. Check which "
        "element sent it and what it believed the call state was.",
    .match = match,
};
