/* bye-right-after-answer: a dialog was hung up with BYE faster than a person could react after
 * the answer. It is what users notice of a CANCEL that crossed the 200 (the caller's UA must
 * ACK and BYE an answer it no longer wants, RFC 3261 §15), of a 2xx arriving after a 487, of an
 * extra 2xx from a fork, or of an answer the UA cannot use (no common codec, unreachable media:
 * ACK then BYE at once). The cause, when known, is another finding; this one says the call
 * never really happened.
 *
 * Measured from the dialog's ACK (from the 2xx when no ACK was seen) to its first BYE, in capture
 * time. The threshold is DIAG_REACTION_NS (400 ms): a machine's reaction seen across a long
 * network path, shorter than a person needs to hear a line and hang up. A call that a person
 * hangs up after a second or two is not reported. The finding goes on the answering callee's
 * leg (who saw the hang-up); it is incidental for a dialog other than the call's answer. */
#include "diag/flow_int.h"

const struct diag_rule rule_bye_right_after_answer;

/* The deepest leg that carried the dialog's 2xx: the answering callee's. */
static const struct leg *callee_leg(const struct call *c, const struct dialog *d)
{
    const struct leg *best = NULL;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        const struct leg *l = c->legs[i];
        if (l->answer && sv_eq(l->answer->to_tag, d->to_tag) &&
            sv_eq(l->answer->from_tag, d->from_tag) && (!best || l->depth > best->depth))
            best = l;
    }
    return best;
}

static void report(const struct call *c, const struct dialog *d, const struct emsg *from,
                   struct diag_out *out)
{
    double ms = (double)(d->bye->ts_ns - from->ts_ns) / 1e6;
    const struct emsg *ok = d->confirmed;
    const char *who = d->bye_from_caller ? "the caller" : "the callee";
    struct diag_finding *f;
    if (ms < 0)
        f = diag_add(out, &rule_bye_right_after_answer, callee_leg(c, d),
                     "%s sent BYE before the %u was even ACKed", who, ok->status);
    else
        f = diag_add(out, &rule_bye_right_after_answer, callee_leg(c, d),
                     "%s sent BYE %.0f ms after the %s of the %u: faster than a person "
                     "reacts (%lld ms)",
                     who, ms, from == d->ack ? "ACK" : "answer", ok->status,
                     (long long)(DIAG_REACTION_NS / DIAG_MS_NS));
    if (!f)
        return;
    f->incidental = c->answered != d;
    diag_evidence(f, ok, "the answer");
    diag_evidence(f, d->ack, "the ACK: the call is up");
    diag_evidence(f, d->bye, "the hang-up, at machine speed");
    diag_evidence(f, d->bye_resp, "the BYE is confirmed");
}

static enum diag_verdict match(const struct call *c, struct diag_out *out)
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->ndialogs; i++) {
        const struct dialog *d = c->dialogs[i];
        if (!d->confirmed || !d->bye)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        const struct emsg *from = d->ack ? d->ack : d->confirmed;
        if (d->bye->ts_ns - from->ts_ns < DIAG_REACTION_NS) {
            report(c, d, from, out);
            v = DIAG_FINDING;
        }
    }
    return v;
}

const struct diag_rule rule_bye_right_after_answer = {
    .id = "bye-right-after-answer",
    .title = "The call was hung up with BYE right after it was answered",
    .severity = DIAG_WARNING,
    .rfc = "RFC 3261 §15",
    .explain =
        "The call was answered and then hung up faster than a person can react: the BYE "
        "followed the answer's ACK within 400 milliseconds. A person needs longer than that "
        "to hear the line and hang up, so one of the user agents did it on its own. For the "
        "callee this looks like a call that is gone the moment it is picked up. The usual "
        "reasons are a CANCEL that crossed the 200 OK (the caller had already hung up and "
        "must end the answered call), a 200 OK that arrived after the call had failed, an "
        "extra answer from a forked branch, or an answer the user agent cannot use: no common "
        "codec, unreachable media addresses, a failed encryption setup. Look at the other "
        "findings of the call for a race, then at the SDP offer and answer and at the Reason "
        "header or warning of the BYE.",
    .match = match,
};
