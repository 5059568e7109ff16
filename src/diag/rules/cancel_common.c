/* The CANCEL/487 family's shared classifier: who cancelled each leg and why it ended, following
 * CANCELs hop by hop (RFC 3261 §16.10: a stateful proxy answers a CANCEL itself and sends its
 * own downstream) and 487s back up. Also the race tests and text helpers the family's rules
 * share. No rule is defined here and nothing is reported. */
#include "diag/rules/cancel_int.h"

#include <stdio.h>
#include <string.h>

static bool is_2xx(const struct emsg *m)
{
    return m && m->status >= 200 && m->status < 300;
}

/* Earliest other branch of l's parent that had a 2xx at or before t, or NULL. */
static const struct leg *answered_sibling(const struct leg *l, int64_t t)
{
    const struct leg *best = NULL;
    if (!l->parent)
        return NULL;
    for (uint32_t i = 0; i < l->parent->nchildren; i++) {
        const struct leg *s = l->parent->children[i];
        if (s == l || !s->answer || s->answer->ts_ns > t)
            continue;
        if (!best || s->answer->ts_ns < best->answer->ts_ns)
            best = s;
    }
    return best;
}

/* The 2xx that shows another branch won before t: a sibling's, or the one the proxy relayed
 * upstream. Sets w->winner/win_2xx; returns its time or INT64_MAX. */
static int64_t win_before(const struct leg *x, int64_t t, struct cancel_why *w)
{
    const struct leg *sib = answered_sibling(x, t);
    const struct emsg *up = x->parent ? x->parent->answer : NULL;
    if (sib) {
        w->winner = sib;
        w->win_2xx = sib->answer;
        return sib->answer->ts_ns;
    }
    if (up && up->ts_ns <= t) {
        w->win_2xx = up;
        return up->ts_ns;
    }
    return INT64_MAX;
}

/* Why the CANCEL on leg x (x->cancel set) was sent: follow it up while it was relayed. */
static enum cancel_root cancel_origin(const struct leg *x, struct cancel_why *w)
{
    for (uint32_t hop = 0; hop < CANCEL_MAX_HOPS; hop++) {
        const struct emsg *cx = x->cancel;
        w->by = x;
        w->cancel = cx;
        w->winner = NULL;
        w->win_2xx = NULL;
        int64_t t_win = win_before(x, cx->ts_ns, w);
        if (diag_reason_answered_elsewhere(cx))
            return CANCEL_ROOT_FORK_LOST;
        const struct leg *p = x->parent;
        if (!p)
            return CANCEL_ROOT_CALLER; /* the caller, or whoever is upstream of the capture */
        if (x->canceled_by == CANCELED_BY_UPSTREAM && p->cancel && p->cancel->ts_ns < t_win) {
            x = p; /* relayed: the decision was taken further up */
            continue;
        }
        if (t_win != INT64_MAX)
            return CANCEL_ROOT_FORK_LOST;
        return CANCEL_ROOT_PROXY_TIMER;
    }
    return CANCEL_ROOT_CALLER; /* deeper than any request can go: hostile input */
}

/* The branch whose 487 the proxy relayed as l's: same To tag, else the last one before it. */
static const struct leg *relayed_child(const struct leg *l)
{
    const struct leg *best = NULL;
    for (uint32_t i = 0; i < l->nchildren; i++) {
        const struct leg *ch = l->children[i];
        if (diag_first_final(ch) != 487 || ch->final->ts_ns > l->final->ts_ns)
            continue;
        if (sv_eq(ch->final->to_tag, l->final->to_tag))
            return ch;
        if (!best || ch->final->ts_ns > best->final->ts_ns)
            best = ch;
    }
    return best;
}

/* Why l's 487 (l->final) was sent: a CANCEL at this hop or upstream before it, else the 487 a
 * branch below sent and the proxy relayed, else none. */
static enum cancel_root cause_of_487(const struct leg *l, struct cancel_why *w, uint32_t depth)
{
    const struct leg *x = l;
    for (uint32_t hop = 0; x && hop < CANCEL_MAX_HOPS; hop++, x = x->parent) {
        if (x->cancel && x->cancel->ts_ns <= l->final->ts_ns) {
            if (x != l && !w->via)
                w->via = x;
            return cancel_origin(x, w);
        }
    }
    const struct leg *ch = relayed_child(l);
    if (ch && depth < CANCEL_MAX_HOPS) {
        if (!w->via)
            w->via = ch;
        return cause_of_487(ch, w, depth + 1);
    }
    w->src = l;
    return CANCEL_ROOT_NO_CANCEL;
}

/* The element above l gave the caller a final response while l's confirmed CANCEL was still
 * waiting for its 487: a full T1 after the CANCEL's 200, and before any 487 from l. */
static const struct emsg *proxy_gave_up(const struct leg *l)
{
    const struct emsg *r = l->cancel_resp;
    const struct leg *p = l->parent;
    if (!l->cancel || !is_2xx(r) || !p || !p->final)
        return NULL;
    if (p->final->ts_ns - r->ts_ns < CANCEL_T1_NS)
        return NULL;
    if (l->final && l->final->ts_ns <= p->final->ts_ns)
        return NULL;
    return p->final;
}

enum cancel_root diag_cancel_root(const struct leg *l, struct cancel_why *w)
{
    memset(w, 0, sizeof(*w));
    if (diag_first_final(l) == 487) {
        w->end = l->final;
        w->root = cause_of_487(l, w, 0);
        if (l->answer && l->answer->ts_ns >= l->final->ts_ns)
            w->root = CANCEL_ROOT_RACE_2XX;
        else if (w->root != CANCEL_ROOT_NO_CANCEL && proxy_gave_up(l))
            w->root = CANCEL_ROOT_LATE_487;
    } else if (!l->final && l->cancel) {
        w->root = cancel_origin(l, w);
    }
    return w->root;
}

const struct emsg *diag_cancel_no_487(const struct call *c, const struct leg *l)
{
    if (l->final || !l->cancel || !is_2xx(l->cancel_resp))
        return NULL;
    const struct emsg *up = proxy_gave_up(l);
    if (up)
        return up;
    if (c->seen_until - l->cancel_resp->ts_ns >= CANCEL_NO_487_WAIT_NS)
        return l->cancel_resp;
    return NULL;
}

/* ACK t acknowledges the 2xx on l: the engine linked it, or it goes over l's hop with l's
 * CSeq and the answer's tags (the engine links an ACK only to an INVITE whose first final was
 * the 2xx, and after a 487 it was not). */
static bool acks_leg(const struct txn *t, const struct leg *l)
{
    const struct emsg *a = t->request, *ok = l->answer;
    if (t->acks == l->txn)
        return true;
    return ok && a->cseq == l->invite->cseq && sv_eq(a->to_tag, ok->to_tag) &&
           sv_eq(a->from_tag, ok->from_tag) && cap_addr_eq(&t->client, &l->txn->client) &&
           cap_addr_eq(&t->server, &l->txn->server);
}

const struct emsg *diag_cancel_ack_2xx(const struct call *c, const struct leg *l)
{
    const struct emsg *best = NULL;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind != TXN_ACK2XX || !t->request || !acks_leg(t, l))
            continue;
        if (!best || t->request->ts_ns < best->ts_ns)
            best = t->request;
    }
    return best;
}

const struct dialog *diag_cancel_dialog(const struct call *c, const struct emsg *r)
{
    if (!r || !r->to_tag.p)
        return NULL;
    for (uint32_t i = 0; i < c->ndialogs; i++) {
        const struct dialog *d = c->dialogs[i];
        if (sv_eq(d->from_tag, r->from_tag) && sv_eq(d->to_tag, r->to_tag))
            return d;
    }
    return NULL;
}

bool diag_cancel_race_answered(const struct call *c, const struct leg *l)
{
    const struct emsg *cx = l->cancel, *ok = l->answer;
    if (!cx || !ok || l->final != ok)
        return false;
    const struct emsg *r = l->cancel_resp;
    if (r && r->status == 481 && r->ts_ns <= ok->ts_ns)
        return false; /* refused while the INVITE was pending: cancel-unmatched */
    const struct dialog *d = diag_cancel_dialog(c, ok);
    if (!d || !d->bye || !d->bye_from_caller || d->bye->ts_ns < ok->ts_ns ||
        d->bye->ts_ns - ok->ts_ns > CANCEL_RACE_BYE_NS)
        return false; /* the caller kept the call, or it is still up */
    if (cx->ts_ns <= ok->ts_ns)
        return true;
    if (cx->ts_ns - ok->ts_ns > CANCEL_CROSSING_NS)
        return false;
    const struct emsg *ack = diag_cancel_ack_2xx(c, l);
    return !(ack && ack->ts_ns < cx->ts_ns); /* an ACK first: the caller had the 2xx */
}

bool diag_cancel_race_above(const struct call *c, const struct leg *l)
{
    const struct leg *p = l->parent;
    for (uint32_t hop = 0; p && hop < CANCEL_MAX_HOPS; hop++, p = p->parent) {
        if (diag_first_final(p) == 487 && p->answer)
            return true;
        if (diag_cancel_race_answered(c, p))
            return true;
    }
    return false;
}

const struct leg *diag_cancel_answerer(const struct leg *l)
{
    const struct leg *x = l;
    for (uint32_t hop = 0; x->answer && hop < CANCEL_MAX_HOPS; hop++) {
        const struct leg *next = NULL;
        for (uint32_t i = 0; i < x->nchildren && !next; i++) {
            const struct leg *ch = x->children[i];
            if (ch->answer && sv_eq(ch->answer->to_tag, x->answer->to_tag))
                next = ch;
        }
        if (!next)
            break;
        x = next;
    }
    return x;
}

sv_t diag_cancel_leg_tag(const struct leg *l)
{
    const struct txn *t = l->txn;
    for (uint32_t i = 0; i < t->nresps; i++)
        if (t->resps[i]->status > 100 && t->resps[i]->to_tag.len)
            return t->resps[i]->to_tag;
    return SV("");
}

void diag_cancel_sort_evidence(struct diag_finding *f)
{
    for (unsigned i = 1; f && i < f->nev; i++) {
        struct diag_evidence e = f->ev[i];
        unsigned j = i;
        for (; j > 0 && f->ev[j - 1].msg->idx > e.msg->idx; j--)
            f->ev[j] = f->ev[j - 1];
        f->ev[j] = e;
    }
}

const char *diag_cancel_note(struct diag_out *out, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    size_t len = (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1;
    char *s = arena_alloc(out->arena, len + 1);
    if (!s)
        return NULL;
    memcpy(s, tmp, len);
    s[len] = '\0';
    return s;
}

struct cancel_num diag_cancel_dur(int64_t ns)
{
    struct cancel_num t;
    double ms = (double)ns / 1e6;
    if (ms > -1.0 && ms < 1.0)
        snprintf(t.s, sizeof(t.s), "%.2f ms", ms);
    else if (ms > -10.0 && ms < 10.0)
        snprintf(t.s, sizeof(t.s), "%.1f ms", ms);
    else if (ms > -1000.0 && ms < 1000.0)
        snprintf(t.s, sizeof(t.s), "%.0f ms", ms);
    else
        snprintf(t.s, sizeof(t.s), "%.1f s", ms / 1000.0);
    return t;
}

struct cancel_txt diag_cancel_addr(const struct cap_addr *a)
{
    struct cancel_txt t;
    size_t n = cap_addr_str(a, t.s, sizeof(t.s));
    t.s[n < sizeof(t.s) ? n : sizeof(t.s) - 1] = '\0';
    return t;
}

struct cancel_txt diag_cancel_status(const struct emsg *r)
{
    struct cancel_txt t;
    /* "SIP/2.0 200 ok -- no more pending branches": skip the version, keep code and phrase */
    sv_t sl = r->start_line;
    size_t sp = sv_chr(sl, ' ');
    sv_t rest = sp < sl.len ? sv_from(sl, sp + 1) : SV("");
    if (!rest.len)
        snprintf(t.s, sizeof(t.s), "%u", r->status);
    else
        snprintf(t.s, sizeof(t.s), "%.*s", SV_ARG(sv_sub(rest, 0, 48)));
    for (char *p = t.s; *p; p++) /* trace bytes: keep details on one printable line */
        if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
            *p = '?';
    return t;
}

struct cancel_txt diag_cancel_quoted(const struct emsg *r)
{
    struct cancel_txt t;
    if (r)
        snprintf(t.s, sizeof(t.s), "\"%.*s\"", (int)sizeof(t.s) - 3, diag_cancel_status(r).s);
    else
        snprintf(t.s, sizeof(t.s), "no answer");
    return t;
}

enum diag_verdict diag_cancel_match_root(const struct call *c, struct diag_out *out,
                                         enum cancel_root want,
                                         void (*report)(struct diag_out *out, const struct leg *l,
                                                        const struct cancel_why *w))
{
    enum diag_verdict v = DIAG_DECLINED;
    for (uint32_t i = 0; i < c->nlegs; i++) {
        struct cancel_why w;
        enum cancel_root r = diag_cancel_root(c->legs[i], &w);
        if (r == CANCEL_ROOT_NONE)
            continue;
        if (v == DIAG_DECLINED)
            v = DIAG_PASS;
        if (r != want)
            continue;
        report(out, c->legs[i], &w);
        v = DIAG_FINDING;
    }
    return v;
}
