/* missing-ack: an INVITE transaction ended with a non-2xx final response (487, 486, 603 ...) and
 * no ACK for it was ever sent on that hop. The ACK of a non-2xx is hop by hop (RFC 3261
 * §17.1.1.3): each element ACKs the response it received, so a proxy's own ACK downstream says
 * nothing about the caller's ACK upstream. Without it the UAS retransmits the response (Timer G,
 * doubling from T1 to T2) until Timer H, 64*T1 = 32 s after the first copy (§17.2.1).
 *
 * The absence has to be shown, not assumed from a capture that stopped early: over UDP the UAS
 * must have sent at least MIN_COPIES more copies; over TCP/TLS/SCTP, where nothing is
 * retransmitted, the capture must have gone on for Timer H (32 s) after the call fell silent. An
 * ACK that was sent but matched nothing (another branch, so the engine filed it as an ACK of a 2xx)
 * is named in the detail: it did not reach the transaction either. */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_missing_ack;

/* Copies of the final before an unreliable hop counts as unACKed: by 1.5 s after the final the
 * UAS has sent two (Timer G at T1, then 2*T1); an ACK that was merely slow would have stopped
 * the second. */
#define MIN_COPIES 2

/* An ACK from the client with the final's CSeq number and To tag that did not match the
 * INVITE transaction: it reached no transaction. */
static const struct emsg *unmatched_ack(const struct call *c, const struct txn *t)
{
    for (uint32_t i = t->final->idx + 1; i < c->nmsgs; i++) {
        const struct emsg *m = c->msgs[i];
        if (m->is_request && m->method == SIP_M_ACK && m->cseq == t->request->cseq &&
            cap_addr_eq(&m->src, &t->client) && sv_eq(m->to_tag, t->final->to_tag) && m->txn != t)
            return m;
    }
    return NULL;
}

/* The last copy of the final response (same To tag), or NULL if it was never resent. */
static const struct emsg *last_copy(const struct txn *t)
{
    const struct emsg *last = NULL;
    for (uint32_t k = 0; k < t->nresps; k++) {
        const struct emsg *r = t->resps[k];
        if (r != t->final && (r->flags & EMSG_RETRANS) && r->status == t->final->status &&
            sv_eq(r->to_tag, t->final->to_tag))
            last = r;
    }
    return last;
}

static void report(const struct call *c, const struct txn *t, const struct emsg *last,
                   struct diag_out *out)
{
    char uac[CAP_ADDR_STRLEN], uas[CAP_ADDR_STRLEN], what[160], then[160];
    const struct emsg *odd = unmatched_ack(c, t);
    diag_flow_addr(uac, &t->client);
    diag_flow_addr(uas, &t->server);
    if (odd)
        snprintf(what, sizeof(what),
                 "the ACK from %s for the %u carried branch %.*s, not the "
                 "INVITE's, and matched no transaction",
                 uac, t->final->status, (int)(odd->branch.len < 40 ? odd->branch.len : 40),
                 odd->branch.p);
    else
        snprintf(what, sizeof(what), "%s never ACKed the %u", uac, t->final->status);
    if (last)
        snprintf(then, sizeof(then),
                 "%s resent it %u times over %.1f s (Timer G; Timer H stops "
                 "at 32 s)",
                 uas, t->final_retrans, diag_flow_s(t->final, last));
    else
        snprintf(then, sizeof(then), "the capture went on %.0f s over %s without one",
                 (double)(c->seen_until - t->final->ts_ns) / 1e9,
                 cap_transport_name(t->final->transport));
    struct diag_finding *f = diag_add(out, &rule_missing_ack, t->leg, "%s; %s", what, then);
    if (!f)
        return;
    diag_evidence(f, t->request, "the INVITE");
    diag_evidence(f, t->final, "the final response that needs an ACK on this hop");
    diag_evidence(f, odd, "an ACK that matches no transaction: wrong branch");
    diag_evidence(f, last, "the last copy: the UAS is still waiting for the ACK");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    bool capture_went_on = c->seen_until - c->last_ts >= DIAG_64T1_NS;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind != TXN_INVITE || !t->request || !t->final || t->final->status < 300)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (t->ack_count)
            continue;
        const struct emsg *last = last_copy(t);
        bool shown =
            diag_flow_unreliable(t->final) ? t->final_retrans >= MIN_COPIES : capture_went_on;
        if (shown) {
            report(c, t, last, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_missing_ack = {
    .id = "missing-ack",
    .title = "A non-2xx final response to an INVITE was never ACKed",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §17.1.1.3",
    .explain =
        "An INVITE ended with a failure response (487, 486, 603 and the like) and the element "
        "that sent the INVITE never acknowledged it on that hop. The ACK for a failure response "
        "goes hop by hop: every element ACKs what it received, so a proxy ACKing the callee "
        "does not replace the caller's ACK to the proxy. Without it the responding element "
        "keeps resending the response, at intervals that double from half a second up to 4 "
        "seconds, for 32 seconds, "
        "and holds its transaction that long: wasted messages and memory, and on a busy "
        "server a load problem. The outcome of the call is not changed. Look at the element "
        "that should have sent the ACK: did it receive the response at all (NAT, firewall, a "
        "wrong Via or rport), and if it did, did it ACK with the INVITE's branch?",
    .match = match,
};
