/* fork-branch-lost: a forking proxy cancelled this branch because another branch answered —
 * the CANCEL says so (Reason: SIP;cause=200) or a sibling's 2xx came before it. Reported as info
 * on each such branch (and on legs below it that the CANCEL was relayed to): it is how parallel
 * ringing ends. The call itself was answered elsewhere and is not a failure. */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_fork_branch_lost;

/* "10.0.0.4:5060 (leg 2) answered 2.0 ms before" / what else shows the answer */
static struct cancel_clause winner(const struct cancel_why *w)
{
    struct cancel_clause t;
    bool reason = diag_reason_answered_elsewhere(w->cancel);
    if (w->winner)
        snprintf(t.s, sizeof(t.s), "%s (leg %u) answered %s before it%s",
                 diag_cancel_addr(&w->winner->txn->server).s, w->winner->index,
                 diag_cancel_dur(w->cancel->ts_ns - w->win_2xx->ts_ns).s,
                 reason ? " and the CANCEL says Reason SIP;cause=200" : "");
    else if (w->win_2xx)
        snprintf(t.s, sizeof(t.s), "a %u went upstream %s before it%s", w->win_2xx->status,
                 diag_cancel_dur(w->cancel->ts_ns - w->win_2xx->ts_ns).s,
                 reason ? " and the CANCEL says Reason SIP;cause=200" : "");
    else
        snprintf(t.s, sizeof(t.s), "the CANCEL says Reason SIP;cause=200 (answered elsewhere)");
    return t;
}

static void report(struct diag_out *out, const struct leg *l, const struct cancel_why *w)
{
    const struct leg *by = w->by;
    struct cancel_clause end;
    if (w->end)
        snprintf(end.s, sizeof(end.s), "487 %s later%s",
                 diag_cancel_dur(w->end->ts_ns - (l->cancel ? l->cancel : w->cancel)->ts_ns).s,
                 l->txn->ack ? ", ACKed" : ", never ACKed");
    else
        snprintf(end.s, sizeof(end.s), "no final response seen");
    struct diag_finding *f;
    if (by == l)
        f = diag_add(out, &rule_fork_branch_lost, l,
                     "%s cancelled this branch %s after its INVITE because another one won: %s; %s",
                     diag_cancel_addr(&l->txn->client).s,
                     diag_cancel_dur(l->cancel->ts_ns - l->invite->ts_ns).s, winner(w).s, end.s);
    else
        f = diag_add(out, &rule_fork_branch_lost, l,
                     "the CANCEL comes from leg %u, a branch %s cancelled because another one "
                     "won: %s; %s",
                     by->index, diag_cancel_addr(&by->txn->client).s, winner(w).s, end.s);
    /* A branch loses because another one answered: the cause of nothing the caller saw, unless
     * the capture saw only this branch (then its 487 is the outcome). */
    if (f)
        f->incidental = l->call->final_code >= 200 && l->call->final_code < 300;
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, l->first_ring, "first ringing");
    diag_evidence(f, w->win_2xx, "the answer on another branch");
    if (by != l)
        diag_evidence(f, w->cancel, "CANCEL of the losing branch above");
    diag_evidence(f, l->cancel,
                  diag_reason_answered_elsewhere(l->cancel) ? "CANCEL, Reason SIP;cause=200"
                                                            : "CANCEL");
    diag_evidence(f, l->cancel_resp, "answer to the CANCEL");
    diag_evidence(f, w->end, "487: the branch ended");
    diag_evidence(f, w->end ? l->txn->ack : NULL, "ACK of the 487");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    return diag_cancel_match_root(c, out, CANCEL_ROOT_FORK_LOST, report);
}

/* A branch cancelled because another answered (RFC 3261 §16.7 step 10, RFC 3326). */
const struct diag_rule rule_fork_branch_lost = {
    .id = "fork-branch-lost",
    .title = "Branch cancelled: another one answered",
    .severity = DIAG_INFO,
    .rfc = "RFC 3261 §16.7, §16.10; RFC 3326",
    .explain =
        "A proxy sent the call to several places at once (a ring group, a desk phone plus a "
        "softphone) and one of them answered first. The proxy then cancelled the branches that "
        "were still ringing - usually with \"Reason: SIP;cause=200\" so the phones do not show a "
        "missed call - and each of those branches ended with 487. This is how parallel ringing "
        "is meant to finish and the call itself succeeded. It only needs a look if the losing "
        "branches do not end cleanly (no 487, no ACK, or their 487 is passed on to the caller "
        "after the answer), or if a device keeps losing because it answers slower than the others.",
    .match = match,
};
