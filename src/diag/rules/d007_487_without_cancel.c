/* 487-without-cancel: an INVITE ended with 487 Request Terminated although no CANCEL had been
 * sent for it — not on that hop, not on any hop above it. The element that sent the 487 ended the
 * call on its own and chose a response that claims a cancel. Reported on the leg where the 487
 * was made and on the legs it was relayed up through. A CANCEL that came only after the 487 does
 * not count (it could not have caused it). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_487_without_cancel;

static void report(struct diag_out *out, const struct leg *l, const struct cancel_why *w)
{
    const struct leg *src = w->src ? w->src : l;
    const struct emsg *made = src->final;
    struct cancel_clause ring;
    if (src->first_ring && src->first_ring->ts_ns <= made->ts_ns)
        snprintf(ring.s, sizeof(ring.s), ", %s into ringing",
                 diag_cancel_dur(made->ts_ns - src->first_ring->ts_ns).s);
    else
        snprintf(ring.s, sizeof(ring.s), ", before any ringing");
    struct cancel_clause later;
    if (l->cancel)
        snprintf(later.s, sizeof(later.s), "; a CANCEL came only %s after it",
                 diag_cancel_dur(l->cancel->ts_ns - l->final->ts_ns).s);
    else
        later.s[0] = '\0';
    struct diag_finding *f;
    if (src == l)
        f = diag_add(out, &rule_487_without_cancel, l,
                     "%s ended the INVITE with 487 %s after it%s, but nobody had sent a CANCEL "
                     "on this hop or above it%s",
                     diag_cancel_addr(&l->txn->server).s,
                     diag_cancel_dur(made->ts_ns - l->invite->ts_ns).s, ring.s, later.s);
    else
        f = diag_add(out, &rule_487_without_cancel, l,
                     "this 487 was relayed up from leg %u, where %s sent it %s after the INVITE%s, "
                     "with no CANCEL on any hop%s",
                     src->index, diag_cancel_addr(&src->txn->server).s,
                     diag_cancel_dur(made->ts_ns - src->invite->ts_ns).s, ring.s, later.s);
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, l->first_ring, "first ringing");
    if (src != l)
        diag_evidence(f, made, "487 made below, with no CANCEL");
    diag_evidence(f, l->final, src == l ? "487 with no CANCEL before it" : "the 487 relayed");
    diag_evidence(f, l->txn->ack, "ACK of the 487");
    diag_evidence(f, l->cancel, "CANCEL, after the 487");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    return diag_cancel_match_root(c, out, CANCEL_ROOT_NO_CANCEL, report);
}

/* A 487 that no CANCEL explains (RFC 3261 §9.2, §21.4.25). */
const struct diag_rule rule_487_without_cancel = {
    .id = "487-without-cancel",
    .title = "487 although nobody sent a CANCEL",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §9.2, §21.4.25",
    .explain =
        "487 Request Terminated is the answer to an INVITE that was cancelled. Here no CANCEL "
        "was sent for the INVITE, neither on the hop where the 487 appeared nor anywhere "
        "upstream of it, so the element that sent the 487 decided on its own to end the call "
        "and reported it as a cancellation. Statistics then count a caller hang-up that never "
        "happened. Typical sources are a B2BUA or PBX ending a call on an internal timer or "
        "policy, a device rejecting calls it cannot take with the wrong code, or a capture that "
        "missed the CANCEL (check the other interfaces). Find the element that first sent the "
        "487 (the detail names it) and look at its logs; a code such as 408, 480 or 486 would "
        "tell the caller what really happened.",
    .match = match,
};
