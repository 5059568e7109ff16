/* auth-loop: an element sent an INVITE with credentials and was challenged again (401 or 407):
 * the server did not accept the credentials, and the client either tried again with the same
 * result or gave up (RFC 3261 §22.2, §22.3). A first challenge to an INVITE without credentials
 * is the normal start of digest authentication and no finding.
 *
 * Retries are the legs one element sent, one after another, to the same next hop for the same
 * upstream leg (for the caller: the originating legs, as the engine's attempts_auth counts
 * them). A credentialed INVITE (EMSG_AUTH) answered 401/407 is a rejection. The rule speaks
 * after two rejections, or after one when the client then gave up challenged. A nonce that was
 * only stale (stale=true) is challenged once and then accepted, so it is not reported. The
 * finding goes on the last retry, and is incidental when that retry was not challenged. */
#include <stdio.h>
#include <string.h>

#include "diag/flow_int.h"

const struct diag_rule rule_auth_loop;

static bool challenged(const struct leg *l)
{
    return l->final_code == 401 || l->final_code == 407;
}

static bool same_ip(const struct cap_addr *a, const struct cap_addr *b)
{
    return a->family == b->family && memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4) == 0;
}

/* b is a retry of a: same upstream leg, same client and server hosts (ports may change). */
static bool retry_of(const struct leg *b, const struct leg *a)
{
    return b->parent == a->parent && same_ip(&b->txn->client, &a->txn->client) &&
           same_ip(&b->txn->server, &a->txn->server);
}

struct chain {
    const struct leg *first_challenge; /* first 401/407 leg */
    const struct leg *first_reject, *last_reject;
    uint32_t invites, rejects;
};

/* Walk the retries that end at leg `last` (index i in c->legs). */
static void walk(const struct call *c, uint32_t i, struct chain *ch)
{
    const struct leg *last = c->legs[i];
    for (uint32_t k = 0; k <= i; k++) {
        const struct leg *l = c->legs[k];
        if (l != last && !retry_of(l, last))
            continue;
        ch->invites++;
        if (challenged(l) && !ch->first_challenge)
            ch->first_challenge = l;
        if (challenged(l) && (l->invite->flags & EMSG_AUTH)) {
            if (!ch->first_reject)
                ch->first_reject = l;
            ch->last_reject = l;
            ch->rejects++;
        }
    }
}

static bool has_later_retry(const struct call *c, uint32_t i)
{
    for (uint32_t k = i + 1; k < c->nlegs; k++)
        if (retry_of(c->legs[k], c->legs[i]))
            return true;
    return false;
}

static void report(const struct leg *last, const struct chain *ch, struct diag_out *out)
{
    char who[CAP_ADDR_STRLEN], srv[CAP_ADDR_STRLEN], end[96];
    diag_flow_addr(who, &last->txn->client);
    if (challenged(last))
        snprintf(end, sizeof(end), "%s gave up", last->parent ? who : "the caller");
    else
        snprintf(end, sizeof(end), "the next INVITE got %u", last->final_code);
    struct diag_finding *f = diag_add(
        out, &rule_auth_loop, last,
        "%s sent %u INVITEs to %s; %u carried credentials and %s challenged again with %u: "
        "the credentials were rejected, and %s",
        who, ch->invites, diag_flow_addr(srv, &last->txn->server), ch->rejects,
        ch->rejects == 1 ? "was" : "were", ch->last_reject->final_code, end);
    if (!f)
        return;
    f->incidental = !challenged(last);
    if (ch->first_challenge != ch->first_reject)
        diag_evidence(f, ch->first_challenge->final, "the first challenge: normal");
    diag_evidence(f, ch->first_reject->invite, "an INVITE with credentials");
    diag_evidence(f, ch->first_reject->final, "challenged again: the credentials were refused");
    if (ch->last_reject != ch->first_reject) {
        diag_evidence(f, ch->last_reject->invite, "the last INVITE with credentials");
        diag_evidence(f, ch->last_reject->final, "refused again");
    }
    if (last != ch->last_reject)
        diag_evidence(f, last->final, "how the retries ended");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        if (!challenged(c->legs[i]))
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
    }
    for (uint32_t i = 0; v != DIAG_DECLINED && i < c->nlegs; i++) {
        if (has_later_retry(c, i))
            continue;
        struct chain ch = { 0 };
        walk(c, i, &ch);
        if (ch.rejects >= 2 || (ch.rejects == 1 && challenged(c->legs[i]))) {
            report(c->legs[i], &ch, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_auth_loop = {
    .id = "auth-loop",
    .title = "Credentials were sent and challenged again: they were rejected",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §22.2",
    .explain =
        "The server asked for authentication (401 or 407), the client answered with "
        "credentials, and the server asked again: it did not accept them. A first challenge "
        "is the normal start of digest authentication; a challenge to an INVITE that already "
        "carries credentials means a wrong user name or password, a realm the client has no "
        "account for, or a digest the server computes differently (the URI, the algorithm, a "
        "proxy that changed the request). The call fails with the challenge, or the client "
        "keeps trying and never gets through. Compare the realm and nonce of each challenge "
        "with the Authorization or Proxy-Authorization header that answered it, and check the "
        "account on both sides.",
    .match = match,
};
