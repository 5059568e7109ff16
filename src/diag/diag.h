/* diag: why did this call end the way it did?
 *
 * A diagnosis rule is a small pure function over one finalised call (engine/). It looks at the
 * legs, transactions and dialogs and either declines (not applicable), passes (applicable and
 * fine) or reports findings. A finding names the rule, the leg it concerns, a one-line detail in
 * plain words and its evidence: the messages (frame numbers, capture times) that show it.
 * Rules live one per file in diag/rules/ and are listed in diag/rules.def; diag_run() applies
 * them all in that order.
 *
 * Rules do no I/O, keep no state and allocate only from the diag_out arena. Trace-wide patterns
 * (clusters of one failure on one destination, element or time window) are not rules over one
 * call; they live in metrics/. */
#ifndef DIAG_DIAG_H
#define DIAG_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

#include "base/arena.h"
#include "engine/engine.h"

enum diag_severity {
    DIAG_INFO = 0,  /* normal behaviour worth knowing (a caller hanging up) */
    DIAG_WARNING,   /* something went wrong but the call outcome is explained */
    DIAG_ERROR,     /* an element broke the protocol or the call failed because of the network */
};

const char *diag_severity_name(enum diag_severity s); /* "info", "warning", "error" */
/* Parse "info"/"warning"/"error"; returns -1 if unknown. */
int diag_severity_parse(const char *s);

enum diag_verdict {
    DIAG_DECLINED = 0, /* the rule does not apply to this call */
    DIAG_PASS,         /* it applies and nothing is wrong */
    DIAG_FINDING,      /* at least one finding was added */
};

#define DIAG_MAX_EVIDENCE 8

struct diag_evidence {
    const struct emsg *msg;
    const char *note; /* static text or from the diag_out arena: what this message shows */
};

struct diag_finding {
    const struct diag_rule *rule;
    const struct leg *leg;   /* the leg concerned, or NULL for the whole call */
    const char *detail;      /* one line, plain words, specific to this call (arena) */
    struct diag_evidence ev[DIAG_MAX_EVIDENCE];
    uint8_t nev;
    bool incidental;         /* true, but not why the call ended as it did (a dead branch of a
                                call answered elsewhere): diag_primary never picks it */
};

struct diag_out {
    struct arena *arena;
    struct diag_finding *findings;
    uint32_t n;
    uint32_t cap;
};

struct diag_rule {
    const char *id;       /* "cancel-caller-hangup" */
    const char *title;    /* one line */
    enum diag_severity severity;
    const char *rfc;      /* "RFC 3261 §9.1" */
    const char *explain;  /* a paragraph in plain words: what happened, why it matters, what to
                             look at next */
    enum diag_verdict (*match)(const struct call *c, struct diag_out *out);
};

/* Add a finding for rule on leg (may be NULL) with a printf-style detail. Returns the finding,
 * or NULL if the arena refused (the caller just stops adding evidence). */
struct diag_finding *diag_add(struct diag_out *out, const struct diag_rule *rule,
                              const struct leg *leg, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Attach a message as evidence (ignored past DIAG_MAX_EVIDENCE or when msg is NULL). */
void diag_evidence(struct diag_finding *f, const struct emsg *msg, const char *note);

/* Every rule, in rules.def order (diag_nrules entries, then a NULL). */
extern const struct diag_rule *const diag_rules[];
extern const unsigned diag_nrules;

/* The rule with this id, or NULL. */
const struct diag_rule *diag_rule_find(const char *id);

/* Run every rule on c, appending findings to out (out->arena must be set; the findings live as
 * long as that arena). */
void diag_run(const struct call *c, struct diag_out *out);

/* The finding that explains the call's outcome for the caller — the cause of a 487, of a
 * timeout, of a dropped answered call — or NULL when nothing failed. Chosen among out's
 * findings that are not incidental by a fixed priority documented in docs/diagnoses.md. */
const struct diag_finding *diag_primary(const struct diag_out *out);

/* --- helpers shared by rules (diag/util.c) --- */

/* Milliseconds between two messages (b - a), for details. */
double diag_ms(const struct emsg *a, const struct emsg *b);

/* The Reason header of m says the request was answered elsewhere: SIP cause 200 (RFC 3326,
 * RFC 3261 §16.7 step 10 uses it for fork CANCELs). */
bool diag_reason_answered_elsewhere(const struct emsg *m);

/* Status of the leg's first final response, 0 if none. leg->final_code is the leg's outcome
 * (its 2xx if one came after a 487); the CANCEL rules need the first final. */
static inline uint16_t diag_first_final(const struct leg *l)
{
    return l->final ? l->final->status : 0;
}

/* First message of the leg's transaction with this status (retransmissions skipped). */
const struct emsg *diag_leg_response(const struct leg *l, uint16_t status);

#endif
