/* cancel-caller-hangup: the caller gave up while the call was still being set up — its CANCEL
 * was answered, the INVITE ended with 487 and the 487 was ACKed. This is ordinary behaviour and
 * is reported as info on the originating leg and on every leg below it that the CANCEL was
 * relayed to, so that each 487 in the call has its cause. Does not judge the CANCEL's timing
 * (cancel-before-provisional) nor a callee that never sends the 487 (cancel-no-487). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_caller_hangup;

/* "4.2 s after the INVITE, 3.1 s into ringing" for the CANCEL on leg x. */
static struct cancel_clause when(const struct leg *x, const struct emsg *cx)
{
    struct cancel_clause t;
    struct cancel_num d = diag_cancel_dur(cx->ts_ns - x->invite->ts_ns);
    if (x->first_ring && x->first_ring->ts_ns <= cx->ts_ns)
        snprintf(t.s, sizeof(t.s), "%s after its INVITE, %s into ringing", d.s,
                 diag_cancel_dur(cx->ts_ns - x->first_ring->ts_ns).s);
    else
        snprintf(t.s, sizeof(t.s), "%s after its INVITE, before any ringing", d.s);
    return t;
}

/* "; the CANCEL got 200 and the INVITE 487 12 ms later, ACKed" */
static struct cancel_clause outcome(const struct leg *l, const struct cancel_why *w)
{
    struct cancel_clause t;
    const struct emsg *cx = l->cancel ? l->cancel : w->cancel;
    const char *ack = !w->end ? "" : l->txn->ack ? ", ACKed" : ", never ACKed";
    if (w->end)
        snprintf(t.s, sizeof(t.s), "the INVITE ended 487 %s after the CANCEL%s",
                 diag_cancel_dur(w->end->ts_ns - cx->ts_ns).s, ack);
    else
        snprintf(t.s, sizeof(t.s), "no final response seen");
    return t;
}

static void report(struct diag_out *out, const struct leg *l, const struct cancel_why *w)
{
    const struct leg *by = w->by;
    struct diag_finding *f;
    if (by == l)
        f = diag_add(out, &rule_cancel_caller_hangup, l,
                     "%s cancelled %s; the CANCEL was answered %s, %s",
                     diag_cancel_addr(&l->txn->client).s, when(l, l->cancel).s,
                     diag_cancel_quoted(l->cancel_resp).s, outcome(l, w).s);
    else if (l->cancel)
        f = diag_add(out, &rule_cancel_caller_hangup, l,
                     "%s relayed the caller's CANCEL (leg %u, %s) %s later; %s",
                     diag_cancel_addr(&l->txn->client).s, by->index, when(by, w->cancel).s,
                     diag_cancel_dur(l->cancel->ts_ns - w->cancel->ts_ns).s, outcome(l, w).s);
    else
        f = diag_add(out, &rule_cancel_caller_hangup, l,
                     "no CANCEL on this hop; the 487 follows the caller's CANCEL on leg %u (%s)",
                     by->index, when(by, w->cancel).s);
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, l->first_ring, "first ringing");
    if (by != l)
        diag_evidence(f, w->cancel, "the caller's CANCEL");
    diag_evidence(f, l->cancel, by == l ? "the caller's CANCEL" : "CANCEL relayed on this hop");
    diag_evidence(f, l->cancel_resp, "answer to the CANCEL");
    diag_evidence(f, w->end, "487: the INVITE ended");
    diag_evidence(f, w->end ? l->txn->ack : NULL, "ACK of the 487");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    return diag_cancel_match_root(c, out, CANCEL_ROOT_CALLER, report);
}

/* The caller hung up while ringing: one finding per cancelled leg whose CANCEL came, hop by hop,
 * from the caller (RFC 3261 §9, §16.10). */
const struct diag_rule rule_cancel_caller_hangup = {
    .id = "cancel-caller-hangup",
    .title = "Caller hung up before the answer",
    .severity = DIAG_INFO,
    .rfc = "RFC 3261 §9.1, §9.2, §16.10",
    .explain =
        "The caller stopped the call while it was still being set up, usually while it was "
        "ringing: it sent CANCEL, the next element confirmed it with 200, ended the INVITE with "
        "487 Request Terminated and got an ACK for it. Proxies do the same on each hop: they "
        "answer the CANCEL themselves and send their own CANCEL onwards, so every leg of the call "
        "ends with 487 for the same reason, and each is reported here. One such call is normal "
        "user behaviour. Many of them on one destination, or after a fixed time, are the signal: "
        "compare the time from INVITE to CANCEL with the ringing time (people giving up after "
        "about the same number of seconds suggest nobody answers there, or a caller-side timer), "
        "and check that the 487 and the ACK follow the CANCEL within a few milliseconds.",
    .match = match,
};
