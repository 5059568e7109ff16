/* fork-no-winner: a proxy tried several branches (in parallel or one after another) and none
 * answered: each was cancelled by the proxy's own timer, timed out with 408, or never answered
 * at all. Reported on the leg above the branches, the one whose caller got the failure. Not a
 * fork that the caller cancelled (cancel-caller-hangup) nor one where a branch answered
 * (fork-branch-lost), nor a fork whose branches refused the call (486, 603 ...). */
#include "diag/rules/cancel_int.h"

#include <stdio.h>

extern const struct diag_rule rule_fork_no_winner;

enum {
    SHOWN_BRANCHES = 3
};

/* How branch ch ended, if that is a "no winner" ending: its last message and a short text. */
static bool no_answer_end(const struct leg *ch, const struct emsg **end, struct cancel_clause *t)
{
    struct cancel_why w;
    enum cancel_root r = diag_cancel_root(ch, &w);
    int64_t t0 = ch->invite->ts_ns;
    if (ch->answer)
        return false;
    if (r == CANCEL_ROOT_PROXY_TIMER) {
        *end = w.end ? w.end : ch->cancel;
        snprintf(t->s, sizeof(t->s), "cancelled by the proxy after %s%s",
                 diag_cancel_dur(w.cancel->ts_ns - t0).s, w.end ? " (487)" : "");
        return true;
    }
    if (r != CANCEL_ROOT_NONE)
        return false;
    if (!ch->final) {
        *end = ch->invite;
        snprintf(t->s, sizeof(t->s), "never answered");
        return true;
    }
    if (ch->final_code == 408) {
        *end = ch->final;
        snprintf(t->s, sizeof(t->s), "408 after %s", diag_cancel_dur(ch->final->ts_ns - t0).s);
        return true;
    }
    return false;
}

static void report(struct diag_out *out, const struct leg *l)
{
    char list[(SHOWN_BRANCHES + 1) * 128] = "";
    size_t n = 0;
    const struct emsg *ends[DIAG_MAX_EVIDENCE] = { NULL };
    for (uint32_t i = 0; i < l->nchildren; i++) {
        const struct leg *ch = l->children[i];
        const struct emsg *e = NULL;
        struct cancel_clause t;
        if (!no_answer_end(ch, &e, &t))
            continue;
        if (i < DIAG_MAX_EVIDENCE)
            ends[i] = e;
        if (i < SHOWN_BRANCHES && n < sizeof(list))
            n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s %s", i ? ", " : "",
                                  diag_cancel_addr(&ch->txn->server).s, t.s);
    }
    if (l->nchildren > SHOWN_BRANCHES && n < sizeof(list))
        snprintf(list + n, sizeof(list) - n, " and %u more", l->nchildren - SHOWN_BRANCHES);
    struct cancel_clause got;
    if (l->final)
        snprintf(got.s, sizeof(got.s), "%s got %s %s after its INVITE",
                 diag_cancel_addr(&l->txn->client).s, diag_cancel_status(l->final).s,
                 diag_cancel_dur(l->final->ts_ns - l->invite->ts_ns).s);
    else
        snprintf(got.s, sizeof(got.s), "no final response to %s was seen",
                 diag_cancel_addr(&l->txn->client).s);
    struct diag_finding *f =
        diag_add(out, &rule_fork_no_winner, l,
                 "%s tried %u branches and none answered: %s; %s. Look at the proxy's INVITE "
                 "timer (e.g. kamailio fr_inv_timer)",
                 diag_cancel_addr(&l->txn->server).s, l->nchildren, list, got.s);
    diag_evidence(f, l->invite, "INVITE from the caller");
    for (uint32_t i = 0; i < l->nchildren && i < DIAG_MAX_EVIDENCE - 2; i++)
        diag_evidence(f, ends[i], "how this branch ended");
    diag_evidence(f, l->final, "what the caller got");
    diag_cancel_sort_evidence(f);
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (l->nchildren < 2)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (l->answer)
            continue;
        bool all = true;
        for (uint32_t k = 0; all && k < l->nchildren; k++) {
            const struct emsg *e;
            struct cancel_clause t;
            all = no_answer_end(l->children[k], &e, &t);
        }
        if (!all)
            continue;
        report(out, l);
        v = DIAG_FINDING;
    }
    return v;
}

/* A forking proxy whose branches all ended without an answer, by its timer or theirs (RFC 3261
 * §16.6 step 11, §16.7, §16.8). */
const struct diag_rule rule_fork_no_winner = {
    .id = "fork-no-winner",
    .title = "No forked branch answered: proxy timer",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §16.7, §16.8",
    .explain =
        "A proxy sent the call to several destinations, at once or one after another, and not "
        "one of them answered. The branches rang (or stayed silent) until the proxy's own INVITE "
        "timer ran out; the proxy then cancelled them, which is why they show 487 even though "
        "nobody hung up, and gave the caller a timeout (408) or another failure. Several 487s "
        "in one call are normal while a call is forked; 487s with no winner at all are not. "
        "Check the proxy's INVITE timer (kamailio fr_inv_timer, or the per-branch t_set_fr "
        "value) against how long people need to pick up, whether the destinations were "
        "reachable and registered, and whether a voicemail or fallback branch should have "
        "taken the call.",
    .match = match,
};
