/* invite-no-response: an INVITE got no response at all on its hop, not even 100 Trying. Over UDP
 * the client retransmits it (Timer A: T1, 2*T1, 4*T1 ...) until Timer B, 64*T1 = 32 s, and then
 * gives up; a proxy usually gives up sooner on its own timer and answers upstream 408 (RFC 3261
 * §17.1.1.2, §16.7 step 6 / §16.8).
 *
 * Silence must be shown, not assumed from a capture that ended: over UDP by MIN_RETRANS
 * retransmissions, or by one and the 408 the element upstream answered meanwhile; over a
 * reliable transport (no retransmissions) by that 408 or by a capture that went on for Timer B.
 * The finding is incidental when the call was answered anyway (another branch took it). */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_invite_no_response;

/* Retransmissions that show the silence on their own: two by 1.5 s (Timer A at T1, then 2*T1).
 * A server that is merely slow answers the first retransmission at the latest with 100. */
#define MIN_RETRANS 2

/* The last retransmission of t's INVITE, or NULL. */
static const struct emsg *last_retrans(const struct call *c, const struct txn *t)
{
    const struct emsg *last = NULL;
    for (uint32_t i = t->request->idx + 1; i < c->nmsgs; i++)
        if (c->msgs[i]->txn == t && c->msgs[i]->is_request && c->msgs[i]->method == SIP_M_INVITE)
            last = c->msgs[i];
    return last;
}

/* What the element upstream answered its own client meanwhile (a 408 from its timer). */
static const struct emsg *upstream_final(const struct txn *t)
{
    const struct leg *p = t->leg ? t->leg->parent : NULL;
    return p && p->final && p->final->ts_ns >= t->request->ts_ns ? p->final : NULL;
}

static bool silence_shown(const struct call *c, const struct txn *t)
{
    const struct emsg *up = upstream_final(t);
    bool gave_up = up && up->status == 408;
    if (diag_flow_unreliable(t->request))
        return t->request_retrans >= MIN_RETRANS || (gave_up && t->request_retrans >= 1);
    return gave_up || c->seen_until - t->request->ts_ns >= DIAG_64T1_NS;
}

static void report(const struct call *c, const struct txn *t, struct diag_out *out)
{
    char uas[CAP_ADDR_STRLEN], px[CAP_ADDR_STRLEN], then[128] = "";
    const struct emsg *last = last_retrans(c, t);
    const struct emsg *up = upstream_final(t);
    if (up && up->status == 408)
        snprintf(then, sizeof(then), "; %s gave up and answered upstream 408 after %.1f s",
                 diag_flow_addr(px, &up->src), diag_flow_s(t->request, up));
    else if (up)
        snprintf(then, sizeof(then), "; upstream, %s answered %u", diag_flow_addr(px, &up->src),
                 up->status);
    else if (t->leg && !t->leg->parent)
        snprintf(then, sizeof(then), "; the caller got no final response");
    struct diag_finding *f;
    if (last)
        f = diag_add(out, &rule_invite_no_response, t->leg,
                     "%s never answered: the %sINVITE was sent %u times over %.1f s (Timer A) "
                     "without even a 100 Trying%s",
                     diag_flow_addr(uas, &t->server), t->in_dialog ? "re-" : "",
                     t->request_retrans + 1, diag_flow_s(t->request, last), then);
    else
        f = diag_add(out, &rule_invite_no_response, t->leg,
                     "%s never answered the %sINVITE sent over %s, not even with 100 Trying%s",
                     diag_flow_addr(uas, &t->server), t->in_dialog ? "re-" : "",
                     cap_transport_name(t->request->transport), then);
    if (!f)
        return;
    f->incidental = c->final_code >= 200 && c->final_code < 300;
    diag_evidence(f, t->request, "the INVITE");
    diag_evidence(f, last, "its last retransmission: still no response");
    diag_evidence(f, up, "the element upstream gives up and answers for it");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind != TXN_INVITE || !t->request)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (t->nresps == 0 && silence_shown(c, t)) {
            report(c, t, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_invite_no_response = {
    .id = "invite-no-response",
    .title = "An INVITE got no response at all, not even 100 Trying",
    .severity = DIAG_ERROR,
    .rfc = "RFC 3261 §17.1.1.2",
    .explain =
        "An element sent an INVITE and heard nothing back: no 100 Trying, no ringing, no "
        "error. Over UDP it resent the INVITE at growing intervals until it gave up (after 32 "
        "seconds at most; proxies usually give up sooner and answer the caller 408 Request "
        "Timeout). Silence at this level means the INVITE did not reach a working SIP element: "
        "the host is down or overloaded, a firewall or security group drops the traffic, the "
        "address or port is wrong, or the answers go back along a path the sender does not "
        "listen on (check the Via sent-by, rport and NAT). Look at where the INVITE was sent "
        "and whether anything at all comes back from that address.",
    .match = match,
};
