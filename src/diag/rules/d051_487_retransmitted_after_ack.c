/* 487-retransmitted-after-ack: the UAS of an INVITE transaction kept retransmitting its 487 after
 * the ACK for it had been sent on the same hop. An ACK that reaches the UAS moves its
 * transaction to Confirmed and stops Timer G (RFC 3261 §17.2.1); copies that go on mean the UAS
 * did not match the ACK (a broken transaction layer, or an ACK it cannot parse) and are the raw
 * material of stray responses upstream (stray-response-forwarded).
 *
 * Counted: copies of the transaction's 487 (same To tag) seen later than DIAG_CROSS_WINDOW_NS
 * after the first ACK, leaving out copies that merely relay a 487 from further down (the relay
 * is the stray rule's business). A copy inside the window may have crossed the ACK on the wire.
 * Other non-2xx finals retransmitted after the ACK are not covered by this id. */
#include "diag/flow_int.h"

const struct diag_rule rule_487_retransmitted_after_ack;

/* Copies past the crossing window before the rule speaks: one such copy can follow a single
 * lost ACK (the client ACKs it again and the UAS stops); two mean the UAS ignored several. */
#define MIN_LATE_COPIES 2

struct late {
    const struct emsg *first, *last;
    uint32_t n;     /* copies past the crossing window */
    uint32_t after; /* every copy after the ACK */
};

static void count_late(const struct call *c, const struct txn *t, struct late *lt)
{
    const struct emsg *ack = t->ack;
    for (uint32_t k = 0; k < t->nresps; k++) {
        const struct emsg *r = t->resps[k];
        if (r == t->final || r->status != 487 || !sv_eq(r->to_tag, t->final->to_tag) ||
            r->ts_ns <= ack->ts_ns)
            continue;
        lt->after++;
        if (r->ts_ns - ack->ts_ns <= DIAG_CROSS_WINDOW_NS)
            continue;
        if (t->leg && diag_flow_relayed_from(c, t->leg, r))
            continue;
        if (!lt->first)
            lt->first = r;
        lt->last = r;
        lt->n++;
    }
}

static void report(const struct call *c, const struct txn *t, const struct late *lt,
                   struct diag_out *out)
{
    char uas[CAP_ADDR_STRLEN];
    struct diag_finding *f = diag_add(
        out, &rule_487_retransmitted_after_ack, t->leg,
        "%s retransmitted its 487 %u times after the ACK, the last %.1f s after it; the "
        "ACK was sent %u times and never taken",
        diag_flow_addr(uas, &t->server), lt->after, diag_flow_s(t->ack, lt->last), t->ack_count);
    if (!f)
        return;
    diag_evidence(f, t->final, "the 487 that ends the INVITE transaction");
    diag_evidence(f, t->ack, "the ACK for it: the UAS should stop retransmitting here");
    diag_evidence(f, lt->first, "a copy too late to have crossed the ACK");
    diag_evidence(f, diag_flow_next_request(c, lt->first, &t->client, SIP_M_ACK),
                  "the 487 is ACKed again");
    if (lt->last != lt->first)
        diag_evidence(f, lt->last, "the last copy");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind != TXN_INVITE || !t->final || t->final->status != 487 || !t->ack)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        struct late lt = { 0 };
        count_late(c, t, &lt);
        if (lt.n >= MIN_LATE_COPIES) {
            report(c, t, &lt, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_487_retransmitted_after_ack = {
    .id = "487-retransmitted-after-ack",
    .title = "A UAS kept retransmitting its 487 after it was ACKed",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §17.2.1",
    .explain =
        "The element that answered an INVITE with 487 Request Terminated went on sending the "
        "487 again and again although the ACK for it was sent to it each time. When the ACK "
        "arrives, the server transaction should stop retransmitting at once; copies that keep "
        "coming mean the element did not recognise the ACK as belonging to its transaction. "
        "On its own this costs only messages, but the copies outlive the transaction at the "
        "next proxy, and a proxy that relays responses without a transaction will pass them "
        "upstream, where they can tear down a call that was answered on another branch. Look "
        "at the ACK as the element receives it: it must carry the INVITE's Via branch, "
        "Request-URI, Call-ID, From tag and CSeq number, and the To tag of the 487 (RFC 3261 "
        "section 17.1.1.3).",
    .match = match,
};
