/* cancel-race-487-then-200: the CANCEL seemed to win — the INVITE ended with 487 — and then a
 * 2xx for the same INVITE still arrived on the same leg. The callee had answered before the
 * CANCEL reached it (or a proxy gave up waiting and sent the 487 itself), and proxies always
 * forward a 2xx, so the caller got an answered call after its 487 and had to ACK it and hang it
 * up with BYE. This is the root cause of that leg's 487. Not here: a 2xx that crossed the CANCEL
 * with no 487 before it (cancel-race-answered). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_race_487_then_200;

/* "; the caller ACKed it and hung up (BYE) 1.4 ms after the 200" or what is missing */
static struct cancel_clause teardown(const struct call *c, const struct leg *l,
                                     const struct dialog *d)
{
    struct cancel_clause t;
    const struct emsg *ack = diag_cancel_ack_2xx(c, l), *ok = l->answer;
    const char *a = ack ? "the caller ACKed it" : "the caller never ACKed it";
    if (d && d->bye && d->bye->ts_ns >= ok->ts_ns)
        snprintf(t.s, sizeof(t.s), "%s and hung up with BYE %s after the %u", a,
                 diag_cancel_dur(d->bye->ts_ns - ok->ts_ns).s, ok->status);
    else
        snprintf(t.s, sizeof(t.s), "%s, and no BYE was seen: the dialog stayed up", a);
    return t;
}

static void report(const struct call *c, struct diag_out *out, const struct leg *l,
                   const struct cancel_why *w)
{
    const struct emsg *ok = l->answer, *end = w->end;
    const struct emsg *cx = l->cancel ? l->cancel : w->cancel;
    const struct dialog *d = diag_cancel_dialog(c, ok);
    bool own = !sv_eq(end->to_tag, ok->to_tag);
    struct cancel_clause after;
    if (cx)
        snprintf(after.s, sizeof(after.s), "%s after the CANCEL",
                 diag_cancel_dur(end->ts_ns - cx->ts_ns).s);
    else
        snprintf(after.s, sizeof(after.s), "with no CANCEL before it");
    struct diag_finding *f = diag_add(
        out, &rule_cancel_race_487_then_200, l,
        "the INVITE ended 487 %s%s, then a %u for it arrived %s later on the same leg: %s", after.s,
        own ? " (a 487 with a To tag of its own, not the answering callee's)" : "", ok->status,
        diag_cancel_dur(ok->ts_ns - end->ts_ns).s, teardown(c, l, d).s);
    diag_evidence(f, l->invite, "INVITE");
    diag_evidence(f, cx, "CANCEL");
    diag_evidence(f, l->cancel ? l->cancel_resp : NULL, "answer to the CANCEL");
    diag_evidence(f, end, "487: the CANCEL seemed to win");
    diag_evidence(f, l->txn->ack, "ACK of the 487");
    diag_evidence(f, ok, "the answer, arriving after the 487");
    diag_evidence(f, diag_cancel_ack_2xx(c, l), "ACK of the answer");
    diag_evidence(f, d && d->bye && d->bye->ts_ns >= ok->ts_ns ? d->bye : NULL,
                  "BYE: the answered call is torn down");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        struct cancel_why w;
        enum cancel_root r = diag_cancel_root(c->legs[i], &w);
        if (r == CANCEL_ROOT_NONE)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (r != CANCEL_ROOT_RACE_2XX)
            continue;
        report(c, out, c->legs[i], &w);
        v = DIAG_FINDING;
    }
    return v;
}

/* A leg whose INVITE ended 487 and then got a 2xx (RFC 3261 §15, §16.7 step 10; RFC 6026). */
const struct diag_rule rule_cancel_race_487_then_200 = {
    .id = "cancel-race-487-then-200",
    .title = "2xx arrived after the 487 (CANCEL race)",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §9.1, §15, §16.7; RFC 6026 §7",
    .explain =
        "The caller cancelled and the INVITE ended with 487 Request Terminated, which looks "
        "like a normal hang-up, but a 2xx for the same INVITE came afterwards on the same leg. "
        "The callee had answered before the CANCEL reached it; its answer was delayed, or a "
        "proxy stopped waiting for the callee's reply and sent the 487 on its own (kamailio "
        "does when its INVITE timer fires). Proxies must pass every 2xx upstream, so the caller "
        "ended up with an answered call it no longer wanted: it must ACK it and send BYE, and "
        "the callee sees the call answered and dropped at once. Look at the delay of the 2xx "
        "between callee and proxy, at the proxy's INVITE timer compared with how long the "
        "callee takes to answer, and check that the caller really ACKs and BYEs the late 2xx "
        "(otherwise the callee keeps resending it and the call hangs for 32 s).",
    .match = match,
};
