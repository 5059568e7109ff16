/* retransmission-storm: one message of a transaction was sent again and again on one hop, many
 * times and faster than any RFC 3261 timer resends. The usual shape is a ping-pong: a UAS that
 * answers every ACK with its final response again, and a client that ACKs every copy again
 * (§17.1.1.2 says it must), so each side feeds the other — tens of thousands of messages in
 * seconds between sipp and Kamailio. Retransmission timers never fire more often than every T1
 * and back off from there (§17.1.1.2, §17.1.2.2, §17.2.1), so copies that keep arriving faster
 * than T1 on average are not timers at work.
 *
 * Counted per transaction: copies of its request, of each distinct response (status and To
 * tag) and of the ACK of a non-2xx. A storm is at least MIN_COPIES copies of one of them whose
 * average spacing is below T1. The detail names the response if it stormed (the ACKs answering
 * it are mandatory), else the request, and the partner of the ping-pong if there is one. Copies
 * closer together than the engine's duplicate-capture window (20 ms by default) are taken for
 * one packet captured twice, so the counts of a fast storm are lower bounds. */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_retransmission_storm;

/* Copies of one message before the rule looks at their rate: Timer G or E resend a message at
 * most 10 times within 64*T1, and a response is also resent once per retransmitted request, so
 * 20 copies can be legitimate; beyond that, at a rate faster than T1, they are not. */
#define MIN_COPIES 20

struct run {
    const struct emsg *first, *last; /* first and last copy (not the original) */
    uint32_t n;
};

static void add(struct run *r, const struct emsg *m)
{
    if (!r->first)
        r->first = m;
    r->last = m;
    r->n++;
}

static bool stormy(const struct run *r)
{
    return r->n >= MIN_COPIES &&
           (r->last->ts_ns - r->first->ts_ns) / (int64_t)(r->n - 1) < DIAG_T1_NS;
}

/* Copies of t's request and of its non-2xx ACK, from the call's messages. */
static void request_runs(const struct call *c, const struct txn *t, struct run *req,
                         struct run *ack)
{
    for (uint32_t i = t->request ? t->request->idx + 1 : 0; i < c->nmsgs; i++) {
        const struct emsg *m = c->msgs[i];
        if (m->txn != t || !m->is_request || !(m->flags & EMSG_RETRANS))
            continue;
        add(m->method == SIP_M_ACK && t->kind != TXN_ACK2XX ? ack : req, m);
    }
}

/* The most copied response of t: the copies of each distinct response, the largest kept. */
static struct run response_run(const struct txn *t)
{
    struct run best = { 0 };
    for (uint32_t k = 0; k < t->nresps; k++) {
        const struct emsg *o = t->resps[k];
        if (o->flags & EMSG_RETRANS)
            continue; /* o is an original: count its copies */
        struct run r = { 0 };
        for (uint32_t j = k + 1; j < t->nresps; j++)
            if ((t->resps[j]->flags & EMSG_RETRANS) && t->resps[j]->status == o->status &&
                sv_eq(t->resps[j]->to_tag, o->to_tag))
                add(&r, t->resps[j]);
        if (r.n > best.n)
            best = r;
    }
    return best;
}

static const char *what(const struct emsg *m, char *buf, size_t cap)
{
    if (m->is_request)
        snprintf(buf, cap, "%.*s", (int)(m->method_name.len < 24 ? m->method_name.len : 24),
                 m->method_name.p);
    else
        snprintf(buf, cap, "%u (%.*s)", m->status,
                 (int)(m->method_name.len < 24 ? m->method_name.len : 24), m->method_name.p);
    return buf;
}

static void report(const struct txn *t, const struct run *top, const struct run *partner,
                   struct diag_out *out)
{
    char a[CAP_ADDR_STRLEN], b[CAP_ADDR_STRLEN], w1[48], w2[48], with[128] = "";
    const struct emsg *m = top->first;
    double secs = (double)(top->last->ts_ns - top->first->ts_ns) / 1e9;
    if (partner)
        snprintf(with, sizeof(with), ", while %u copies of the %s went the other way: a ping-pong",
                 partner->n, what(partner->first, w2, sizeof(w2)));
    struct diag_finding *f = diag_add(
        out, &rule_retransmission_storm, t->leg,
        "%s resent the %s %u times to %s in %.1f s (every %.0f ms on average, where timers "
        "wait at least %lld ms)%s",
        diag_flow_addr(a, &m->src), what(m, w1, sizeof(w1)), top->n, diag_flow_addr(b, &m->dst),
        secs, secs * 1e3 / (top->n - 1), (long long)(DIAG_T1_NS / DIAG_MS_NS), with);
    if (!f)
        return;
    f->incidental = true; /* the storm follows the outcome; it does not decide it */
    diag_evidence(f, top->first, "the first copy");
    diag_evidence(f, partner ? partner->first : NULL, "the other side's copy that goes with it");
    diag_evidence(f, top->last, "the last copy");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = c->ntxns ? DIAG_PASS : DIAG_DECLINED;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        struct run req = { 0 }, ack = { 0 }, resp = response_run(t);
        request_runs(c, t, &req, &ack);
        /* A storming response is the culprit: the ACKs that answer it are mandatory. */
        const struct run *runs[3] = { &resp, &req, &ack }, *top = NULL, *partner = NULL;
        for (int k = 0; k < 3 && !top; k++)
            if (stormy(runs[k]))
                top = runs[k];
        if (!top)
            continue;
        for (int k = 0; k < 3; k++)
            if (runs[k] != top && stormy(runs[k]) && (!partner || runs[k]->n > partner->n))
                partner = runs[k];
        report(t, top, partner, out);
        v = DIAG_FINDING;
    }
    return v;
}

const struct diag_rule rule_retransmission_storm = {
    .id = "retransmission-storm",
    .title = "A message was resent far more often and faster than any SIP timer allows",
    .severity = DIAG_ERROR,
    .rfc = "RFC 3261 §17.1.1.2",
    .explain =
        "One message of a transaction went back and forth on one hop dozens or thousands of "
        "times, faster than SIP's retransmission timers ever resend (they wait at least half a "
        "second and back off from there). This is almost always two elements feeding each "
        "other: a server that answers every ACK with its final response again, and a client "
        "that must ACK every copy of that response, so neither ever stops. It wastes bandwidth "
        "and CPU on both sides, can overload a proxy, and fills captures. Look at the element "
        "that resends the response: it should absorb ACKs in the Confirmed state instead of "
        "answering them; in a sipp scenario, its -nr option stops it.",
    .match = match,
};
