/* cancel-before-provisional: a CANCEL was sent on a leg before any provisional response (not
 * even 100 Trying) had come back for the INVITE. RFC 3261 §9.1 tells the client to wait for one:
 * until then the CANCEL may overtake the INVITE, find nothing to cancel and leave the INVITE to
 * ring on. Applies to a caller and to a proxy relaying a CANCEL alike. Not about why the leg
 * ended (the 487-cause rules say that). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_before_provisional;

static void report(struct diag_out *out, const struct leg *l)
{
    const struct emsg *cx = l->cancel, *prov = l->txn->first_prov;
    struct cancel_clause first, res;
    if (prov)
        snprintf(first.s, sizeof(first.s), "the first, %s, came %s after the CANCEL",
                 diag_cancel_status(prov).s, diag_cancel_dur(prov->ts_ns - cx->ts_ns).s);
    else
        snprintf(first.s, sizeof(first.s), "none ever came");
    if (l->final)
        snprintf(res.s, sizeof(res.s), "the CANCEL got %s and the INVITE ended %u",
                 diag_cancel_quoted(l->cancel_resp).s, l->final->status);
    else
        snprintf(res.s, sizeof(res.s), "the CANCEL got %s and the INVITE no final response",
                 diag_cancel_quoted(l->cancel_resp).s);
    struct diag_finding *f =
        diag_add(out, &rule_cancel_before_provisional, l,
                 "%s sent CANCEL %s after its INVITE, before any provisional response (%s); %s",
                 diag_cancel_addr(&l->txn->client).s,
                 diag_cancel_dur(cx->ts_ns - l->invite->ts_ns).s, first.s, res.s);
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, cx, "CANCEL with no provisional response yet");
    diag_evidence(f, l->cancel_resp, "answer to the CANCEL");
    diag_evidence(f, prov, "first provisional response, after the CANCEL");
    diag_evidence(f, l->final, "final response to the INVITE");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        const struct emsg *cx = l->cancel, *prov = l->txn->first_prov;
        if (!cx)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (prov && prov->ts_ns <= cx->ts_ns)
            continue;
        if (l->final && l->final->ts_ns <= cx->ts_ns)
            continue; /* after the final: cancel-too-late */
        report(out, l);
        v = DIAG_FINDING;
    }
    return v;
}

/* A CANCEL before any provisional response on its leg (RFC 3261 §9.1). */
const struct diag_rule rule_cancel_before_provisional = {
    .id = "cancel-before-provisional",
    .title = "CANCEL before any provisional response",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §9.1, §16.10",
    .explain =
        "A CANCEL went out on this hop before anything had come back for the INVITE, not even "
        "100 Trying. RFC 3261 asks the sender to wait for a provisional response first: until "
        "one arrives the sender does not know that the INVITE reached the next element, and a "
        "CANCEL that overtakes its INVITE (loss and retransmission, another path, a TCP "
        "connection still opening) finds nothing to cancel, gets 481 and the INVITE then rings "
        "on with nobody to take the call. Here it may have worked out; the detail says how the "
        "CANCEL was answered and how the INVITE ended. The usual culprit is a caller that hangs "
        "up very quickly, or a UA or proxy that does not hold back its CANCEL; also check why "
        "the next hop was slow to send 100 Trying.",
    .match = match,
};
