/* overload-503: an element answered an INVITE with 503 Service Unavailable — it is overloaded,
 * in maintenance, or has nowhere to send the call — with or without Retry-After (RFC 3261
 * §21.5.4). A proxy that receives a 503 should not pass it on, since upstream it would mean the
 * proxy itself is unavailable; when it has no better response it answers 500 instead (§16.7 step
 * 6). So the caller often sees 500 for what was an overload further down.
 *
 * The finding goes on the leg whose server produced the 503: a leg answered 503 with no leg below
 * it answered 503. The detail says what the element upstream made of it (500, the 503 as is, or
 * another branch's answer) and what the caller got. Incidental when the call was answered
 * anyway (the proxy failed over). A 500 with no 503 below is a server error, not overload. */
#include <stdio.h>

#include "diag/flow_int.h"

const struct diag_rule rule_overload_503;

static bool got_503(const struct leg *l)
{
    return l->final_code == 503;
}

/* A leg below l was answered 503 too: the 503 came from further down. */
static bool relayed_from_below(const struct leg *l)
{
    for (uint32_t i = 0; i < l->nchildren; i++)
        if (got_503(l->children[i]))
            return true;
    return false;
}

static const struct leg *root_of(const struct leg *l)
{
    uint32_t steps = l->depth + 1;
    while (l->parent && steps--)
        l = l->parent;
    return l;
}

/* What the element upstream of l answered its own client, in words. */
static void upstream_words(const struct leg *l, char *buf, size_t cap)
{
    char px[CAP_ADDR_STRLEN];
    const struct leg *p = l->parent;
    buf[0] = '\0';
    if (!p || !p->final)
        return;
    diag_flow_addr(px, &p->txn->server);
    if (p->final_code == 500)
        snprintf(buf, cap, "; %s turned it into 500 upstream, as RFC 3261 §16.7 asks", px);
    else if (p->final_code == 503)
        snprintf(buf, cap,
                 "; %s passed the 503 on as is, telling its own clients that it is "
                 "the one unavailable",
                 px);
    else
        snprintf(buf, cap, "; %s answered upstream %u", px, p->final_code);
}

static void report(const struct call *c, const struct leg *l, struct diag_out *out)
{
    char who[CAP_ADDR_STRLEN], ra[48] = "", up[160], caller[48] = "";
    const struct emsg *r = l->final;
    const struct leg *root = root_of(l);
    if (r->retry_after >= 0)
        snprintf(ra, sizeof(ra), " with Retry-After: %d", (int)r->retry_after);
    upstream_words(l, up, sizeof(up));
    if (root != l && root != l->parent && root->final_code)
        snprintf(caller, sizeof(caller), "; the caller got %u", root->final_code);
    struct diag_finding *f =
        diag_add(out, &rule_overload_503, l, "%s answered the INVITE 503 Service Unavailable%s%s%s",
                 diag_flow_addr(who, &l->txn->server), ra, up, caller);
    if (!f)
        return;
    f->incidental = c->final_code >= 200 && c->final_code < 300;
    diag_evidence(f, l->invite, "the INVITE");
    diag_evidence(f, r,
                  r->retry_after >= 0 ? "503 with Retry-After: the element is overloaded"
                                      : "503: the element cannot take the call");
    if (l->parent)
        diag_evidence(f, l->parent->final, "what the element upstream made of it");
    if (root != l && root != l->parent)
        diag_evidence(f, root->final, "what the caller got");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (!got_503(l))
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (relayed_from_below(l))
            continue;
        report(c, l, out);
        v = DIAG_FINDING;
    }
    return v;
}

const struct diag_rule rule_overload_503 = {
    .id = "overload-503",
    .title = "An element answered 503 Service Unavailable",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §21.5.4",
    .explain =
        "An element refused the INVITE with 503 Service Unavailable: it is overloaded, in "
        "maintenance, or has no route or gateway left for the call. A Retry-After header says "
        "for how long it wants no new requests. A proxy that gets a 503 should not pass it "
        "upstream, because there it would mean the proxy itself is out of service; it answers "
        "500 Server Internal Error instead, so callers often see 500 for an overload further "
        "down the path. Look at the element that sent the 503: its load, its limits (calls per "
        "second, concurrent calls, licences) and the state of the gateways or trunks behind "
        "it, and check whether many calls got the same answer at the same time.",
    .match = match,
};
