/* reinvite-rejected: an INVITE inside an established dialog (hold, resume, codec or address
 * change, session refresh) got a failure response. RFC 3261 §14.1: the session then stays as it
 * was, except after 481 or 408, which mean the dialog is gone (§12.2.1.2); 491 means both sides
 * re-INVITEd at once and each retries after a random wait; 488 and 606 refuse the new offer.
 * Users notice it as a hold that does not work, audio that stops, or a call that drops when the
 * UA hangs up on the failure.
 *
 * A re-INVITE relayed by proxies is one transaction per hop: they are grouped by CSeq number
 * and From tag, and the finding names the hop furthest downstream (its request carries the most
 * Via values), whose server refused it. The finding is incidental unless the dialog was hung up
 * within DIAG_REACTION_NS of the refusal: then the refusal is why the call ended. */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_reinvite_rejected;

static bool refused(const struct txn *t)
{
    return t->kind == TXN_INVITE && t->in_dialog && t->request && t->final &&
           t->final->status >= 300;
}

static bool same_reinvite(const struct txn *a, const struct txn *b)
{
    return a->request->cseq == b->request->cseq &&
           sv_eq(a->request->from_tag, b->request->from_tag);
}

/* The hop of t's re-INVITE furthest downstream, if t is not it. */
static bool has_deeper_hop(const struct call *c, const struct txn *t)
{
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *o = c->txns[i];
        if (o != t && refused(o) && same_reinvite(o, t) && o->request->vias > t->request->vias)
            return true;
    }
    return false;
}

/* The hop of t's re-INVITE furthest upstream: its client sent the re-INVITE first. */
static const struct txn *first_hop(const struct call *c, const struct txn *t)
{
    const struct txn *best = t;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *o = c->txns[i];
        if (o->kind == TXN_INVITE && o->in_dialog && o->request && same_reinvite(o, t) &&
            o->request->vias < best->request->vias)
            best = o;
    }
    return best;
}

static const char *meaning(uint16_t code)
{
    switch (code) {
    case 491:
        return "glare: both sides re-INVITEd at once, each should retry after a random wait";
    case 488:
    case 606:
        return "the new offer was not acceptable; the session stays as it was";
    case 481:
    case 408:
        return "the dialog is gone at the other end: the call must be ended";
    default:
        return "the session stays as it was";
    }
}

/* The first BYE of the dialog at or after the refusal, if it came at machine speed. */
static const struct emsg *quick_bye(const struct call *c, const struct txn *t)
{
    for (uint32_t i = t->final->idx + 1; i < c->nmsgs; i++) {
        const struct emsg *m = c->msgs[i];
        if (m->ts_ns - t->final->ts_ns > DIAG_REACTION_NS)
            break;
        if (m->is_request && m->method == SIP_M_BYE &&
            (sv_eq(m->from_tag, t->request->from_tag) || sv_eq(m->to_tag, t->request->from_tag)))
            return m;
    }
    return NULL;
}

static void report(const struct call *c, const struct txn *t, struct diag_out *out)
{
    char a[CAP_ADDR_STRLEN], b[CAP_ADDR_STRLEN], then[64] = "";
    const struct emsg *bye = quick_bye(c, t);
    const struct emsg *start =
        c->answered && c->answered->confirmed ? c->answered->confirmed : c->msgs[0];
    if (bye)
        snprintf(then, sizeof(then), "; the call was hung up %.0f ms later",
                 diag_flow_s(t->final, bye) * 1e3);
    struct diag_finding *f =
        diag_add(out, &rule_reinvite_rejected, NULL,
                 "%s refused the re-INVITE from %s with %u, %.1f s after the answer (%s)%s",
                 diag_flow_addr(b, &t->server), diag_flow_addr(a, &first_hop(c, t)->client),
                 t->final->status, diag_flow_s(start, t->request), meaning(t->final->status), then);
    if (!f)
        return;
    f->incidental = !bye;
    diag_evidence(f, t->request, "the re-INVITE");
    diag_evidence(f, t->final, "refused");
    diag_evidence(f, bye, "the call ends on it");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind != TXN_INVITE || !t->in_dialog)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (refused(t) && !has_deeper_hop(c, t)) {
            report(c, t, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_reinvite_rejected = {
    .id = "reinvite-rejected",
    .title = "A re-INVITE during the call was refused",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §14.1",
    .explain =
        "During an established call one side sent a new INVITE (to put the call on hold, "
        "resume it, change codec or media address, or refresh the session) and the other side "
        "refused it. After most refusals the call simply continues as before, so the user sees "
        "a hold that did not work or media that did not change; 491 means both sides tried at "
        "the same moment and should each retry after a short random wait; 481 or 408 mean the "
        "other side no longer knows the call, which must then be ended. Some user agents hang "
        "up on any refusal, which drops the call. Compare the SDP of the re-INVITE with the "
        "one that was accepted at the start (codecs, direction attributes, addresses) and look "
        "for a Warning header in the refusal.",
    .match = match,
};
