/* Private to diag/: the RFC 3261 timer values and the small lookups that the transaction and
 * dialog flow rules (rules_flow.def) share. Rules compare capture times only: what one capture
 * point saw, never what an element's clock said. */
#ifndef DIAG_FLOW_INT_H
#define DIAG_FLOW_INT_H

#include "diag/diag.h"

#define DIAG_MS_NS  1000000LL
#define DIAG_SEC_NS 1000000000LL

/* RFC 3261 §17.1.1.1 and table 4: T1 is the round-trip estimate (500 ms), T2 caps the
 * retransmission interval of non-INVITE requests and INVITE responses (4 s), and 64*T1 (32 s)
 * is Timer B (the UAC gives up on an INVITE), Timer H (the UAS gives up waiting for the ACK of
 * a non-2xx) and the 2xx retransmission limit of §13.3.1.4. */
#define DIAG_T1_NS   (500 * DIAG_MS_NS)
#define DIAG_T2_NS   (4 * DIAG_SEC_NS)
#define DIAG_64T1_NS (64 * DIAG_T1_NS)

/* How long a proxy may take to relay a response it received: a relayed copy leaves within
 * milliseconds, and the next retransmission of the original comes at least T1 later, so a
 * window of T1 links a copy to its original without mistaking the next retransmission for it. */
#define DIAG_RELAY_WINDOW_NS DIAG_T1_NS

/* A retransmission seen within this time after an ACK may have crossed it on the wire (the
 * sender sent it before the ACK arrived). T1 is RFC 3261's own round-trip estimate. */
#define DIAG_CROSS_WINDOW_NS DIAG_T1_NS

/* A reaction this fast is a machine's, not a person's: ITU-T G.114 puts the acceptable one-way
 * delay at 150 ms, so a UA that answers a message at once is seen by a capture point anywhere
 * on the path within 2 x 150 ms, plus 100 ms for the UA itself. A person who hears the line and
 * decides to hang up needs longer. */
#define DIAG_REACTION_NS (400 * DIAG_MS_NS)

/* Print an address ("10.0.0.2:5060") into buf (CAP_ADDR_STRLEN bytes); returns buf. */
const char *diag_flow_addr(char *buf, const struct cap_addr *a);

/* Seconds between two messages (b - a), for details. */
double diag_flow_s(const struct emsg *a, const struct emsg *b);

/* True when m travelled over a transport where SIP retransmits (UDP, or unknown as in text
 * traces): timers A and G only run there (RFC 3261 §17.1.1.2, §17.2.1). */
bool diag_flow_unreliable(const struct emsg *m);

/* True when leg d lies below leg l (a child, grandchild ...). */
bool diag_flow_below(const struct leg *d, const struct leg *l);

/* The response that r (a response on leg l) relays: on a leg below l, same status and To tag,
 * seen at or before r and at most DIAG_RELAY_WINDOW_NS earlier; the latest such one. NULL if
 * none, e.g. when the capture did not see the downstream hop. */
const struct emsg *diag_flow_relayed_from(const struct call *c, const struct leg *l,
                                          const struct emsg *r);

/* The first ACK of the 2xx `ok` (same CSeq number and tags) that belongs to leg l's hop: sent
 * by l's client, or sent to l's server (an ACK that bypassed a proxy which did not
 * Record-Route still reaches the UAS). NULL if none. RFC 3261 §13.2.2.4. */
const struct emsg *diag_flow_ack_of_2xx(const struct call *c, const struct leg *l,
                                        const struct emsg *ok);

/* The first request with this method that `from` sent after message m, in the same call. */
const struct emsg *diag_flow_next_request(const struct call *c, const struct emsg *m,
                                          const struct cap_addr *from, uint8_t method);

/* True when out already holds a finding of rule on leg l. */
bool diag_flow_reported(const struct diag_out *out, const struct diag_rule *rule,
                        const struct leg *l);

#endif
