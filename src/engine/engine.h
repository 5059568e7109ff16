/* engine: rebuilds what every SIP element did, from the wire, per RFC 3261 — transactions,
 * legs, dialogs and calls — on capture time only, streaming, with memory bounded by the calls
 * in flight.
 *
 * Messages come in time order (ingest). Each is matched to a transaction by its top Via branch,
 * sent-by and method (RFC 3261 §17.1.3/§17.2.3: ACK to a non-2xx and CANCEL belong with their
 * INVITE; ACK to a 2xx is its own transaction; RFC 2543 peers without the magic cookie are
 * matched on Call-ID, CSeq, From tag and Via). An INVITE transaction is a leg; a proxied INVITE
 * carries its upstream Via below the proxy's own, which links each downstream leg to the leg
 * that caused it. Messages sharing a Call-ID — or linked across a B2BUA by X-CID/X-Call-ID,
 * P-Charging-Vector icid or Session-ID — form one call. A call is finalised when its
 * transactions are settled and a quiet period of capture time has passed (or at end of input),
 * handed to the consumer, then freed.
 *
 * Everything a struct call points to lives in the call's arena and dies after the callback.
 * Not here: deciding whether what happened was right or wrong (diag/), aggregates (metrics/). */
#ifndef ENGINE_ENGINE_H
#define ENGINE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "capture/capture.h"
#include "ingest/ingest.h"
#include "sip/sip.h"

struct txn;
struct leg;
struct dialog;
struct call;

/* Message flags. */
enum {
    EMSG_RETRANS = 1u << 0,   /* same message again within its transaction */
    EMSG_STRAY = 1u << 1,     /* a response that matched no live transaction at its hop */
    EMSG_MALFORMED = 1u << 2,
    EMSG_LATE = 1u << 3,      /* arrived after its transaction had completed (e.g. a 2nd final) */
    EMSG_NO_TXN = 1u << 4,    /* could not be tied to any transaction (e.g. response without
                                 its request in the capture) */
    EMSG_AUTH = 1u << 5,      /* request carries Authorization or Proxy-Authorization */
};

/* One SIP message as a call keeps it. Views point into the call's arena. */
struct emsg {
    int64_t ts_ns;
    uint64_t frame;
    uint32_t file;
    uint32_t idx;        /* position in call->msgs */
    struct cap_addr src, dst;
    uint8_t transport;   /* enum cap_transport */
    bool is_request;
    uint8_t method;      /* enum sip_method: the request's, or the CSeq method of a response */
    uint16_t status;     /* responses */
    uint16_t flags;      /* EMSG_* */
    uint32_t cseq;
    sv_t method_name;    /* as written (for extension methods) */
    sv_t start_line;
    sv_t call_id;
    sv_t from_tag, to_tag;
    sv_t branch;         /* top Via branch */
    sv_t reason;         /* Reason header value (CANCEL, BYE, 487 ...), p == NULL if absent */
    int32_t retry_after; /* Retry-After seconds, -1 if absent or unreadable */
    bool has_sdp;
    uint16_t vias;       /* Via values in the message */
    sv_t raw;            /* whole message, only when engine_opts.keep_raw */
    struct txn *txn;
};

enum txn_kind {
    TXN_INVITE = 0, /* initial or re-INVITE */
    TXN_NON_INVITE,
    TXN_ACK2XX,     /* ACK to a 2xx: its own transaction (RFC 3261 §17.1.1.1) */
};

/* One transaction at one hop, as the capture saw it. */
struct txn {
    struct call *call;
    enum txn_kind kind;
    uint8_t method;          /* enum sip_method */
    sv_t method_name;
    sv_t branch;             /* as in the top Via (may lack the cookie: RFC 2543) */
    sv_t sent_by;            /* top Via sent-by "host:port" */
    bool rfc2543;            /* matched without the magic cookie */
    struct cap_addr client;  /* who sent the request */
    struct cap_addr server;  /* to whom */
    struct emsg *request;    /* first transmission */
    uint32_t request_retrans;
    struct emsg **resps;     /* every response in arrival order (retransmissions included) */
    uint32_t nresps;
    struct emsg *first_prov;  /* first 1xx */
    struct emsg *final;       /* first final response */
    uint32_t final_retrans;   /* retransmissions of that final */
    uint32_t finals_distinct; /* different final responses (e.g. 487 then 200, or two 2xx) */
    bool in_dialog;           /* request had a To tag */
    /* INVITE transactions */
    struct txn *cancel;       /* CANCEL transaction for this INVITE (same branch) */
    struct emsg *ack;         /* ACK to a non-2xx final (same branch), first one */
    uint32_t ack_count;
    struct leg *leg;          /* initial INVITE transactions only */
    /* CANCEL transactions */
    struct txn *cancels;      /* the INVITE it cancels, NULL if none matched */
    /* ACK-to-2xx transactions: the INVITE transaction answered */
    struct txn *acks;
};

enum canceled_by {
    CANCELED_BY_NONE = 0,
    CANCELED_BY_UPSTREAM, /* the CANCEL was relayed: the leg above was cancelled first (or this
                             is the originating leg and the caller sent it) */
    CANCELED_BY_PROXY,    /* the element sent it on its own: a fork winner elsewhere, or a timer */
};

/* A leg: one initial INVITE transaction between two adjacent elements. */
struct leg {
    struct txn *txn;
    struct call *call;
    uint32_t index;           /* position in call->legs */
    struct leg *parent;       /* upstream leg that caused it (via the Via stack), or NULL */
    struct leg **children;    /* legs it caused downstream */
    uint32_t nchildren;
    uint32_t depth;           /* 0 for a root */
    uint32_t attempt;         /* 0-based: auth retries of the same call at the same hop count up */
    struct emsg *invite;
    struct emsg *first_ring;  /* first 18x (not 100) */
    struct emsg *final;       /* first final */
    uint16_t final_code;      /* the 2xx if one arrived, else the first final; 0: none */
    struct emsg *answer;      /* first 2xx (may come after a non-2xx final: race) */
    struct emsg *cancel;      /* first CANCEL on this leg */
    struct emsg *cancel_resp; /* first response to it */
    enum canceled_by canceled_by;
    uint32_t retransmissions; /* every retransmitted message on the leg (INVITE, finals, ...) */
};

struct dialog {
    sv_t from_tag, to_tag;
    struct leg *leg;           /* leg whose response created it */
    struct emsg *early;        /* first 1xx with this To tag */
    struct emsg *confirmed;    /* 2xx with this To tag */
    struct emsg *ack;          /* ACK of the 2xx */
    struct emsg *bye;          /* first BYE */
    struct emsg *bye_resp;
    bool bye_from_caller;      /* BYE's From tag is the caller's tag */
};

enum call_end {
    CALL_END_NONE = 0, /* not answered, or no BYE seen */
    CALL_END_CALLER,
    CALL_END_CALLEE,
};

/* Call flags. */
enum {
    CALL_HAS_INVITE = 1u << 0,  /* an initial INVITE was seen: this is a call */
    CALL_TRUNCATED = 1u << 1,   /* the call's memory budget was reached; later messages were
                                   counted but not kept */
    CALL_EVICTED = 1u << 2,     /* finalised early to respect the open-call limit */
    CALL_AT_EOF = 1u << 3,      /* finalised because input ended */
    CALL_MID_DIALOG = 1u << 4,  /* only in-dialog requests seen (started before the capture) */
};

struct call {
    struct arena arena;
    uint64_t seq;              /* 1-based, in order of first message */
    uint32_t flags;            /* CALL_* */
    sv_t *call_ids;            /* every Call-ID involved (first = originating) */
    uint32_t ncall_ids;
    int64_t first_ts, last_ts;
    int64_t seen_until;        /* capture time the input had reached when the call was
                                  finalised: the capture saw the call stay silent from last_ts
                                  until then (absence of an ACK, of a response ...) */
    struct emsg **msgs;        /* time order */
    uint32_t nmsgs;
    uint64_t msgs_dropped;     /* over budget, counted not kept */
    struct txn **txns;
    uint32_t ntxns;
    struct leg **legs;         /* initial INVITE legs, in order of their INVITE */
    uint32_t nlegs;
    struct dialog **dialogs;
    uint32_t ndialogs;
    /* the caller's view */
    struct leg *orig;          /* originating leg of the last attempt (after auth retries) */
    struct leg *orig_first;    /* originating leg of the first attempt */
    uint32_t attempts_auth;    /* originating INVITEs of this attempt (1 + auth retries) */
    sv_t from, to, ruri;       /* of the first originating INVITE */
    uint16_t final_code;       /* orig leg's final response, 0 if none */
    struct dialog *answered;   /* dialog confirmed on the originating leg, if any */
    int64_t pdd_ns;            /* -1 when not applicable; see docs/metrics.md */
    int64_t setup_ns;
    int64_t duration_ns;
    enum call_end ended_by;
};

typedef void (*engine_call_fn)(void *ctx, struct call *c);

struct engine_opts {
    int64_t quiet_ns;          /* settled + quiet this long -> finalise (default 32 s, 64*T1) */
    int64_t early_timeout_ns;  /* unanswered, unsettled call idle this long -> finalise (300 s) */
    int64_t dialog_timeout_ns; /* confirmed call with no BYE idle this long -> finalise (4 h) */
    int64_t dedup_window_ns;   /* identical packet seen again within this -> a duplicate
                                  capture, not a retransmission (default 20 ms) */
    uint32_t max_open_calls;   /* eviction beyond this (default 200000) */
    size_t call_budget;        /* bytes per call arena (default 4 MiB) */
    bool keep_raw;             /* keep each message's bytes (show, html) */
};

enum engine_stat {
#define X(id, name, desc) ENGINE_STAT_##id,
#include "engine/stats.def"
#undef X
    ENGINE_STAT__COUNT
};

struct engine_stats {
    uint64_t n[ENGINE_STAT__COUNT];
    uint64_t peak_open_calls;
};

const char *engine_stat_name(enum engine_stat s);
const char *engine_stat_desc(enum engine_stat s);

struct engine;

/* Create an engine that hands every finalised call (and every Call-ID group that is not a call:
 * REGISTER, OPTIONS, SUBSCRIBE ... with flags lacking CALL_HAS_INVITE) to fn. The call and
 * everything it points to is freed when fn returns. st is the caller's. */
struct engine *engine_new(const struct engine_opts *o, engine_call_fn fn, void *ctx,
                          struct engine_stats *st);

/* Feed one message (capture-time order). An ingest_msg_fn: ctx is the engine. */
void engine_msg(void *ctx, const struct ingest_msg *m);

/* End of input: finalise every open call (CALL_AT_EOF), then free the engine. */
void engine_finish(struct engine *e);

/* Helpers for consumers. */
const char *call_end_name(enum call_end e);          /* "caller", "callee", NULL for none */
const char *canceled_by_name(enum canceled_by c);    /* "upstream", "proxy", NULL */

#endif
