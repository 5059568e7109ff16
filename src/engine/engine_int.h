/* Private to engine/: the engine state and the helpers shared by its files. */
#ifndef ENGINE_ENGINE_INT_H
#define ENGINE_ENGINE_INT_H

#include "base/htab.h"
#include "engine/engine.h"

struct dedup;

#define HEAP_NONE ((size_t)-1)

/* A name under which a call is found: a Call-ID, or a correlation token (icid, Session-ID
 * uuid). Lives in the call's arena; the call keeps a list to unregister them. */
struct id_ref {
    uint64_t hash;
    sv_t key;
    struct call_priv *call;
    struct id_ref *next_of_call;
};

/* Per-call bookkeeping the consumer does not see. Calls joined by correlation (a B2BUA's two
 * Call-IDs) form a group: the root is finalised with every member, whose arenas live until the
 * root is freed. */
struct call_priv {
    struct call pub;
    int64_t deadline;            /* current deadline (capture time) */
    size_t heap_idx;             /* position in the deadline heap; HEAP_NONE when not in it */
    struct call_priv *root;      /* self, or the call this one was merged into */
    struct call_priv *members;   /* root: calls merged into it */
    struct call_priv *next_member;
    struct id_ref *refs;         /* names registered for this call */
    struct txn_priv *txns;       /* transactions registered in the engine table */
    uint32_t cap_msgs, cap_txns, cap_legs, cap_dialogs, cap_ids;
};

/* Transaction key fields (RFC 3261 §17.2.3 plus the CSeq number; RFC 2543 fallback adds Call-ID
 * and From tag). */
struct txn_key {
    sv_t branch;
    sv_t sent_by;      /* normalised: lower-case host ":" port */
    sv_t call_id;      /* RFC 2543 keys only */
    sv_t from_tag;     /* RFC 2543 keys only */
    uint32_t cseq;     /* CSeq number: the same on every message of one transaction */
    uint8_t method;    /* matching method: INVITE for the ACK of a non-2xx */
    sv_t method_name;  /* for extension methods */
    bool rfc2543;
};

struct txn_priv {
    struct txn pub;
    struct txn_key key;
    uint64_t hash;
    struct txn_priv *next_of_call;
    uint32_t cap_resps;
};

struct engine {
    struct engine_opts o;
    engine_call_fn fn;
    void *ctx;
    struct engine_stats *st;
    struct dedup *dedup;
    struct htab calls_by_id;  /* Call-ID -> struct id_ref */
    struct htab txns;         /* transaction key -> struct txn_ref */
    struct htab corr;         /* correlation token (icid, session uuid, X-CID) -> struct id_ref */
    struct call_priv **heap;  /* min-heap on call_priv.deadline; each call knows its index */
    size_t heap_len, heap_cap;
    uint64_t open_calls;
    uint64_t next_seq;
    int64_t now;
    bool have_now;
};

/* dedup.c */
struct dedup *dedup_new(int64_t window_ns);
/* True if the same bytes between the same addresses were seen within the window. */
bool dedup_seen(struct dedup *d, const struct ingest_msg *m);
void dedup_free(struct dedup *d);

/* txn.c */
void txn_on_message(struct engine *e, struct call *c, struct emsg *em,
                    const struct sip_msg *m);
/* Forget every transaction of a call (before it is freed). */
void txn_forget_call(struct engine *e, struct call *c);

/* call.c */
void call_finish_summary(struct call *c);
/* Append item to an arena-backed pointer array (doubling). Returns false when the call's budget
 * refuses the growth (the call is then marked truncated). */
bool call_push(struct call *c, void ***arr, uint32_t *n, uint32_t *cap, void *item);
struct dialog *call_find_dialog(struct call *c, sv_t tag_a, sv_t tag_b);

#endif
