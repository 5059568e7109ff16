/* stray-response-forwarded: a proxy passed upstream a final response that belonged to no live
 * transaction of its own — typically a losing branch's 487, retransmitted by a callee that did
 * not take the ACK, relayed statelessly after the call was answered on another branch (the 2009
 * Kamailio case). RFC 6026 §7.3: a transaction-stateful proxy must not forward a response that
 * matches no transaction state machine.
 *
 * On a leg whose server is a proxy, a non-2xx final response it sent is stray when the leg's
 * transaction had already ended: after a 2xx final (EMSG_STRAY, and any copy of it), after
 * another final (EMSG_LATE), or more than a crossing window after the leg's own ACK. It was
 * forwarded when a leg below carried the same response (status and To tag) just before. With no
 * downstream hop in the capture, a non-2xx after the 2xx that carries another To tag than the
 * answer is reported too: only a relay from another branch can produce it. Not here: the 2xx that
 * crosses a CANCEL (cancel family), a UAS that sends 487 after its own 200 (same To tag). */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_stray_response_forwarded;

/* r ended up on leg l after l's transaction was over. */
static bool after_the_end(const struct leg *l, const struct emsg *r)
{
    if (r->status < 300 || !cap_addr_eq(&r->src, &l->txn->server))
        return false;
    /* after the 2xx final (copies of a stray too), or a second, different final */
    if ((r->flags & (EMSG_STRAY | EMSG_LATE)) || l->txn->final->status < 300)
        return true;
    const struct emsg *ack = l->txn->ack;
    return ack && r->ts_ns > ack->ts_ns + DIAG_CROSS_WINDOW_NS;
}

/* "answered" or "ended with 487": how the leg's transaction had finished. */
static const char *how_it_ended(const struct leg *l, char *buf, size_t cap)
{
    if (l->answer)
        return "was answered";
    snprintf(buf, cap, "had ended with %u", l->final->status);
    return buf;
}

static void report(const struct call *c, const struct leg *l, const struct emsg *r,
                   const struct emsg *from, uint32_t copies, struct diag_out *out)
{
    char px[CAP_ADDR_STRLEN], dn[CAP_ADDR_STRLEN], ended[32];
    const struct emsg *ref = l->answer ? l->answer : l->final;
    const struct emsg *ack = diag_flow_next_request(c, r, &l->txn->client, SIP_M_ACK);
    const struct emsg *bye = diag_flow_next_request(c, r, &l->txn->client, SIP_M_BYE);
    if (bye && bye->ts_ns - r->ts_ns > DIAG_REACTION_NS)
        bye = NULL; /* a later BYE is the call's normal end, not a reaction to the stray */
    const char *then = bye ? "; the caller side hung up at once" : "";
    struct diag_finding *f;
    if (from)
        f = diag_add(out, &rule_stray_response_forwarded, l,
                     "%s relayed a %u from %s upstream %.1f s after its transaction %s "
                     "(%u stray cop%s)%s",
                     diag_flow_addr(px, &l->txn->server), r->status, diag_flow_addr(dn, &from->src),
                     diag_flow_s(ref, r), how_it_ended(l, ended, sizeof(ended)), copies,
                     copies == 1 ? "y" : "ies", then);
    else
        f = diag_add(out, &rule_stray_response_forwarded, l,
                     "%s sent a %u with another branch's To tag %.1f s after the call was "
                     "answered: a relayed stray (the hop below it is not in the capture)%s",
                     diag_flow_addr(px, &l->txn->server), r->status, diag_flow_s(ref, r), then);
    if (!f)
        return;
    /* It decided the outcome only if it hit an answered call that the caller side then hung
     * up at once; a caller whose transaction had already failed just ACKs it again. */
    f->incidental = !l->answer || !bye;
    diag_evidence(f, ref,
                  l->answer ? "the answer: this transaction is over" : "the final response");
    diag_evidence(f, from, "the downstream response that no transaction expects any more");
    diag_evidence(f, r, "the proxy relays it upstream anyway");
    diag_evidence(f, ack, "the caller side acknowledges the stray response");
    diag_evidence(f, bye, "and hangs up");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        const struct txn *t = l->txn;
        if (!l->final)
            continue;
        v = v == DIAG_FINDING ? v : DIAG_PASS;
        const struct emsg *first = NULL, *from = NULL;
        uint32_t copies = 0;
        for (uint32_t k = 0; k < t->nresps; k++) {
            const struct emsg *r = t->resps[k];
            if (!after_the_end(l, r))
                continue;
            const struct emsg *d = diag_flow_relayed_from(c, l, r);
            bool other_branch = l->nchildren == 0 && (r->flags & EMSG_STRAY) && l->answer &&
                                !sv_eq(r->to_tag, l->answer->to_tag);
            if (!d && !other_branch)
                continue;
            if (!first) {
                first = r;
                from = d;
            }
            copies++;
        }
        if (first) {
            report(c, l, first, from, copies, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_stray_response_forwarded = {
    .id = "stray-response-forwarded",
    .title = "A proxy forwarded a response that belonged to no live transaction",
    .severity = DIAG_ERROR,
    .rfc = "RFC 6026 §7.3",
    .explain =
        "A proxy sent a final response upstream after the transaction it belonged to was over: "
        "most often a 487 from a branch that lost, which its callee kept retransmitting because "
        "it did not take the ACK, and which the proxy relayed without any transaction after the "
        "call had been answered on another branch. The caller receives an error for a call that "
        "is already up, and many user agents hang up on it, so an answered call drops for no "
        "visible reason. A transaction-stateful proxy must drop a response that matches none of "
        "its transactions (RFC 6026 section 7.3). Check the proxy's reply handling: in Kamailio "
        "a reply_route without 'if (!t_check_trans()) drop;' relays such responses. Then look at "
        "the element that keeps retransmitting the original response: it is not matching the "
        "ACK it is sent.",
    .match = match,
};
