/* Private to the CANCEL/487 rule family (diag/rules/d0NN_*.c): one classifier that decides why
 * each cancelled leg ended, so that the rules reporting a 487's cause can never disagree or
 * double up, and the small formatting helpers their details share.
 *
 * A leg is "cancelled" here when its first final response is a 487, or when it has no final
 * response at all and a CANCEL was sent on it. Every such leg gets exactly one root cause from
 * diag_cancel_root(); each root-cause rule reports the legs whose cause is its own. Timing is
 * capture time only. */
#ifndef DIAG_RULES_CANCEL_INT_H
#define DIAG_RULES_CANCEL_INT_H

#include "diag/diag.h"

/* RFC 3261 §17.1.1.1: T1 is the round-trip time estimate, 500 ms by default. */
#define CANCEL_T1_NS (500LL * 1000000LL)

/* A CANCEL and a response "crossed" when one was in flight while the other was sent. Seen from
 * one capture point, the gap between them is at most one round trip, which T1 estimates. */
#define CANCEL_CROSSING_NS CANCEL_T1_NS

/* After its CANCEL crossed a 2xx, a UAC either keeps the call or tears it down (RFC 3261 §15).
 * A BYE from the caller within 64*T1 — the time after which a UAC considers a cancelled INVITE
 * over (§9.1) — is that tear-down; a later BYE ends a call the caller chose to keep. */
#define CANCEL_RACE_BYE_NS (64 * CANCEL_T1_NS)

/* A UAS that confirmed a CANCEL should answer the INVITE with 487 at once (§9.2). With nothing
 * upstream to show that someone gave up waiting, 64*T1 of silence (§9.1) proves the 487 is not
 * coming. */
#define CANCEL_NO_487_WAIT_NS (64 * CANCEL_T1_NS)

/* A proxy that forks serially sends the next branch's INVITE together with the CANCEL of the
 * branch it gives up on (kamailio sends it a fraction of a millisecond before the CANCEL). */
#define CANCEL_SERIAL_NEXT_NS CANCEL_T1_NS

/* Walks along parents and children stop after this many hops: a request crosses at most
 * Max-Forwards (70, RFC 3261 §8.1.1.6) elements, and the bound keeps hostile parent chains (or
 * cycles) cheap. */
#define CANCEL_MAX_HOPS 70

/* Why a cancelled leg ended: exactly one per cancelled leg. */
enum cancel_root {
    CANCEL_ROOT_NONE = 0,    /* not a cancelled leg */
    CANCEL_ROOT_CALLER,      /* cancel-caller-hangup */
    CANCEL_ROOT_FORK_LOST,   /* fork-branch-lost */
    CANCEL_ROOT_PROXY_TIMER, /* proxy-timeout-cancel */
    CANCEL_ROOT_NO_CANCEL,   /* 487-without-cancel */
    CANCEL_ROOT_RACE_2XX,    /* cancel-race-487-then-200 */
    CANCEL_ROOT_LATE_487,    /* cancel-no-487: the 487 came only after the proxy gave up */
};

/* What diag_cancel_root found, for details and evidence. Pointers into the call. */
struct cancel_why {
    enum cancel_root root;
    const struct emsg *end;     /* the leg's 487, or NULL when it has no final response */
    const struct leg *by;       /* leg whose CANCEL was the decision (the canceller's own leg) */
    const struct emsg *cancel;  /* that CANCEL */
    const struct leg *via;      /* leg whose CANCEL (or 487) explains this one, when not itself */
    const struct leg *src;      /* CANCEL_ROOT_NO_CANCEL: the leg whose callee sent the 487 */
    const struct leg *winner;   /* CANCEL_ROOT_FORK_LOST: the branch that answered, if seen */
    const struct emsg *win_2xx; /* its 2xx (or the 2xx the proxy relayed), if seen */
};

/* Classify leg l (see the file comment). Fills *w and returns w->root; CANCEL_ROOT_NONE for a
 * leg that is not cancelled. Pure; walks at most CANCEL_MAX_HOPS legs up and down.
 * RFC 3261 §9, §16.10. */
enum cancel_root diag_cancel_root(const struct leg *l, struct cancel_why *w);

/* The match of a root-cause rule: report(out, leg, why) for every leg of c whose cause is
 * want. Returns DIAG_DECLINED when no leg was cancelled, DIAG_PASS when none has this cause,
 * DIAG_FINDING otherwise. */
enum diag_verdict diag_cancel_match_root(const struct call *c, struct diag_out *out,
                                         enum cancel_root want,
                                         void (*report)(struct diag_out *out, const struct leg *l,
                                                        const struct cancel_why *w));

/* cancel-no-487 on a leg without any final response: l's CANCEL got a 2xx, then no 487 came
 * while the element above gave up on it (returns that element's final response), or while
 * 64*T1 of capture went by (up to call->seen_until; returns the CANCEL's 200). NULL otherwise.
 * RFC 3261 §9.2. */
const struct emsg *diag_cancel_no_487(const struct call *c, const struct leg *l);

/* The callee's 2xx crossed the CANCEL on l and the caller tore the answered dialog down: the
 * cancel-race-answered condition on l alone (ancestors not considered). */
bool diag_cancel_race_answered(const struct call *c, const struct leg *l);

/* cancel-race-answered or cancel-race-487-then-200 holds on some leg above l. */
bool diag_cancel_race_above(const struct call *c, const struct leg *l);

/* The leg at the bottom of the chain that produced l's 2xx (follows the answer's To tag down),
 * l itself when nothing below answered. */
const struct leg *diag_cancel_answerer(const struct leg *l);

/* First ACK of the 2xx on l's INVITE transaction at l's hop, or NULL. */
const struct emsg *diag_cancel_ack_2xx(const struct call *c, const struct leg *l);

/* The dialog that response r (1xx/2xx with a To tag) belongs to, or NULL. */
const struct dialog *diag_cancel_dialog(const struct call *c, const struct emsg *r);

/* A To tag the callee side of l used (first tagged 1xx-6xx from l's server), or an empty view. */
sv_t diag_cancel_leg_tag(const struct leg *l);

/* Put f's evidence in capture order (f may be NULL). */
void diag_cancel_sort_evidence(struct diag_finding *f);

/* printf into out's arena; NULL if the arena refused (diag_evidence then shows no note). */
const char *diag_cancel_note(struct diag_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Short texts for details, valid until the end of the full expression that made them. */
struct cancel_txt {
    char s[64];
};
struct cancel_num {
    char s[24];
};
/* A clause of a detail built from a few of those. */
struct cancel_clause {
    char s[384];
};
/* A duration: "0.4 ms", "120 ms", "4.2 s". */
struct cancel_num diag_cancel_dur(int64_t ns);
/* An element: "10.0.0.3:5060". */
struct cancel_txt diag_cancel_addr(const struct cap_addr *a);
/* A response as "487", "200 ok -- no more pending branches" (status and reason phrase, cut). */
struct cancel_txt diag_cancel_status(const struct emsg *r);
/* The same in quotes, or "no answer" when r is NULL. */
struct cancel_txt diag_cancel_quoted(const struct emsg *r);

#endif
