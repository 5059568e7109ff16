/* proxy-timeout-cancel: a proxy cancelled a branch on its own — no CANCEL had come from
 * upstream, no other branch had answered and the CANCEL gives no answered-elsewhere Reason — so
 * its INVITE timer (Timer C, kamailio fr_inv_timer) ran out. Says after how long, and what the
 * proxy did next: another branch right away (serial forking) or a final response to the caller.
 * Reported on the timed-out branch and on legs the CANCEL was relayed to or its 487 relayed up
 * through. Not here: a fork where every branch timed out, as a whole (fork-no-winner). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_proxy_timeout_cancel;

/* A branch the proxy started together with this CANCEL (serial forking), or NULL. */
static const struct leg *next_branch(const struct leg *by, const struct emsg *cx)
{
    const struct leg *best = NULL;
    int64_t best_gap = CANCEL_SERIAL_NEXT_NS + 1;
    for (uint32_t i = 0; by->parent && i < by->parent->nchildren; i++) {
        const struct leg *s = by->parent->children[i];
        if (s == by || s->invite->ts_ns < by->invite->ts_ns)
            continue;
        int64_t gap = s->invite->ts_ns - cx->ts_ns;
        if (gap < 0)
            gap = -gap;
        if (gap < best_gap) {
            best = s;
            best_gap = gap;
        }
    }
    return best;
}

/* "serial forking followed: ..." or what the caller got. */
static struct cancel_clause then(const struct leg *by, const struct emsg *cx,
                                 const struct leg *next)
{
    struct cancel_clause t;
    const struct leg *p = by->parent;
    int64_t gap;
    if (next) {
        gap = next->invite->ts_ns - cx->ts_ns;
        snprintf(t.s, sizeof(t.s),
                 "serial forking followed: INVITE to %s (leg %u) %s %s the CANCEL, %s",
                 diag_cancel_addr(&next->txn->server).s, next->index,
                 diag_cancel_dur(gap < 0 ? -gap : gap).s, gap < 0 ? "before" : "after",
                 next->answer       ? "which answered"
                 : next->final_code ? "which failed too"
                                    : "with no final response seen");
    } else if (p && p->final) {
        gap = p->final->ts_ns - cx->ts_ns;
        snprintf(t.s, sizeof(t.s), "no other branch was tried: %s got %s %s %s the CANCEL",
                 diag_cancel_addr(&p->txn->client).s, diag_cancel_status(p->final).s,
                 diag_cancel_dur(gap < 0 ? -gap : gap).s, gap < 0 ? "before" : "after");
    } else {
        snprintf(t.s, sizeof(t.s),
                 "no other branch was tried and no final response upstream was seen");
    }
    return t;
}

static void report(struct diag_out *out, const struct leg *l, const struct cancel_why *w)
{
    const struct leg *by = w->by;
    const struct emsg *cx = w->cancel;
    const struct leg *next = next_branch(by, cx);
    struct cancel_clause ring;
    if (by->first_ring && by->first_ring->ts_ns <= cx->ts_ns)
        snprintf(ring.s, sizeof(ring.s), ", %s after its first %u",
                 diag_cancel_dur(cx->ts_ns - by->first_ring->ts_ns).s, by->first_ring->status);
    else
        snprintf(ring.s, sizeof(ring.s), ", with no ringing from the branch");
    const char *where = by == l                ? ""
                        : by->depth < l->depth ? "the CANCEL was relayed from this leg's parent: "
                                               : "the 487 was relayed up from a branch: ";
    struct diag_finding *f = diag_add(
        out, &rule_proxy_timeout_cancel, l,
        "%s%s cancelled the branch to %s (leg %u) on its own %s after its INVITE%s - no CANCEL "
        "from upstream, no other branch answered, no Reason: its INVITE timer ran out; %s",
        where, diag_cancel_addr(&by->txn->client).s, diag_cancel_addr(&by->txn->server).s,
        by->index, diag_cancel_dur(cx->ts_ns - by->invite->ts_ns).s, ring.s, then(by, cx, next).s);
    diag_evidence(f, by->invite, "INVITE of the timed-out branch");
    diag_evidence(f, by->first_ring, "the branch rings");
    diag_evidence(f, cx, "the proxy's own CANCEL (no Reason)");
    diag_evidence(f, by->cancel_resp, "answer to the CANCEL");
    if (by != l)
        diag_evidence(f, l->cancel, "CANCEL on this hop");
    diag_evidence(f, w->end, "487: this leg ended");
    if (next)
        diag_evidence(f, next->invite, "INVITE of the next branch");
    else if (by->parent)
        diag_evidence(f, by->parent->final, "what the proxy answered upstream");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    return diag_cancel_match_root(c, out, CANCEL_ROOT_PROXY_TIMER, report);
}

/* A proxy's own CANCEL after its INVITE timer (RFC 3261 §16.8 Timer C, §16.7 step 10). */
const struct diag_rule rule_proxy_timeout_cancel = {
    .id = "proxy-timeout-cancel",
    .title = "Proxy cancelled a branch on its timer",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §16.8, §16.10",
    .explain =
        "The CANCEL on this branch was not the caller's: nothing was cancelled upstream, no "
        "other branch had answered and the CANCEL carries no \"answered elsewhere\" Reason. The "
        "proxy gave up on its own because the branch had rung for as long as its INVITE timer "
        "allows (RFC 3261 Timer C; in kamailio fr_inv_timer or t_set_fr()). The branch then "
        "ends with 487 although nobody hung up. What happens next is the proxy's policy: it may "
        "try the next destination (serial forking, voicemail), or answer the caller with 408 "
        "Request Timeout or pass on the 487. The detail gives the time the timer allowed. If it "
        "is shorter than people need to answer, raise it; if the branch never rang or never "
        "answers, look at that destination.",
    .match = match,
};
