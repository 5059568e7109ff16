/* cancel-unmatched: a CANCEL that matched no INVITE transaction. Either no INVITE on its hop
 * carries its Via branch and sent-by (the observer's §17.2.3 match fails), or it does but the
 * server answered 481 while that INVITE was still pending, so the server could not match it
 * (wrong CSeq number, Request-URI, tags, or the CANCEL overtook its INVITE). Either way the
 * INVITE it was meant for went on. Not here: a 481 or 200 to a CANCEL that came after the
 * INVITE's final response (cancel-too-late, cancel-race-answered). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_cancel_unmatched;

/* Request-URI of a request's start line ("CANCEL sip:b@x SIP/2.0" -> "sip:b@x"). */
static sv_t ruri(const struct emsg *m)
{
    sv_t method, uri;
    sv_t after = sv_split(m->start_line, ' ', &method);
    (void)sv_split(after, ' ', &uri);
    return uri;
}

/* The INVITE leg on the CANCEL's hop it was most likely meant for: same client and server, the
 * last INVITE before it. */
static const struct leg *hop_leg(const struct call *c, const struct txn *t)
{
    const struct leg *best = NULL;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (!cap_addr_eq(&l->txn->client, &t->client) ||
            !cap_addr_eq(&l->txn->server, &t->server) || l->invite->ts_ns > t->request->ts_ns)
            continue;
        best = l;
    }
    return best;
}

/* Why the CANCEL named another transaction than the INVITE on leg l (RFC 3261 §9.1). */
static struct cancel_clause why(const struct emsg *cx, const struct leg *l, bool matched)
{
    struct cancel_clause t;
    const struct emsg *inv = l ? l->invite : NULL;
    if (!inv)
        snprintf(t.s, sizeof(t.s), "no INVITE with its Via branch was seen on this hop");
    else if (!matched && !sv_eq(cx->branch, inv->branch))
        snprintf(t.s, sizeof(t.s), "its Via branch %.*s is not the INVITE's (%.*s)",
                 SV_ARG(sv_sub(cx->branch, 0, 40)), SV_ARG(sv_sub(inv->branch, 0, 40)));
    else if (cx->cseq != inv->cseq)
        snprintf(t.s, sizeof(t.s), "its CSeq number %u is not the INVITE's (%u)", cx->cseq,
                 inv->cseq);
    else if (!matched)
        snprintf(t.s, sizeof(t.s), "its Via sent-by is not the INVITE's");
    else if (!sv_eq(ruri(cx), ruri(inv)))
        snprintf(t.s, sizeof(t.s), "its Request-URI is not the INVITE's");
    else if (!sv_eq(cx->from_tag, inv->from_tag) || !sv_eq(cx->call_id, inv->call_id))
        snprintf(t.s, sizeof(t.s), "its From tag or Call-ID is not the INVITE's");
    else
        snprintf(t.s, sizeof(t.s), "the server did not find the INVITE it names");
    return t;
}

static struct cancel_clause went_on(const struct leg *l, const struct emsg *cx)
{
    struct cancel_clause t;
    if (!l)
        t.s[0] = '\0';
    else if (l->answer)
        snprintf(t.s, sizeof(t.s), "; the INVITE went on and was answered %u %s later",
                 l->answer->status, diag_cancel_dur(l->answer->ts_ns - cx->ts_ns).s);
    else if (l->final)
        snprintf(t.s, sizeof(t.s), "; the INVITE went on and ended %u %s later", l->final_code,
                 diag_cancel_dur(l->final->ts_ns - cx->ts_ns).s);
    else
        snprintf(t.s, sizeof(t.s), "; the INVITE went on with no final response seen");
    return t;
}

static void report(struct diag_out *out, const struct txn *t, const struct leg *l)
{
    const struct emsg *cx = t->request, *r = t->final;
    struct diag_finding *f =
        diag_add(out, &rule_cancel_unmatched, l,
                 "the CANCEL from %s to %s matched no INVITE: %s; it got %s%s",
                 diag_cancel_addr(&t->client).s, diag_cancel_addr(&t->server).s,
                 why(cx, l, t->cancels != NULL).s, diag_cancel_quoted(r).s, went_on(l, cx).s);
    diag_evidence(f, l ? l->invite : NULL, "the INVITE it was meant for");
    diag_evidence(f, cx, "CANCEL matching no INVITE");
    diag_evidence(f, r, "answer to the CANCEL");
    diag_evidence(f, l ? (l->answer ? l->answer : l->final) : NULL, "the INVITE went on");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->method != SIP_M_CANCEL || !t->request)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        const struct emsg *r = t->final;
        bool r481 = r && r->status == 481;
        const struct leg *l;
        if (!t->cancels) {
            l = hop_leg(c, t);
            if (!l && !r481)
                continue; /* its INVITE may simply be outside the capture */
        } else {
            l = t->cancels->leg;
            if (!r481 || (l && l->final && l->final->ts_ns <= r->ts_ns))
                continue; /* matched, or refused only because the INVITE was over */
        }
        report(out, t, l);
        v = DIAG_FINDING;
    }
    return v;
}

/* A CANCEL that cancelled nothing because it matched no INVITE (RFC 3261 §9.1, §9.2). */
const struct diag_rule rule_cancel_unmatched = {
    .id = "cancel-unmatched",
    .title = "CANCEL matched no INVITE (481)",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §9.1, §9.2, §17.2.3",
    .explain =
        "A CANCEL only works if the receiver can tell which INVITE it is about: it must carry "
        "the same top Via branch as that INVITE and the same Request-URI, Call-ID, tags and "
        "CSeq number. This one did not match any INVITE the receiver was still handling, so it "
        "was refused with 481 Call/Transaction Does Not Exist (or ignored) and the INVITE went "
        "on ringing - often it was answered afterwards, and the caller, who wanted to hang "
        "up, had to end an answered call with BYE. The detail names the field that differs. "
        "Look at the element that built the CANCEL: a UA or B2BUA that makes a new branch for "
        "the CANCEL, a proxy that changed the Request-URI, or a CANCEL sent before its INVITE "
        "had arrived.",
    .match = match,
};
