/* Via values (RFC 3261 §20.42, §25.1 via-parm; RFC 5118 §4.5 for IPv6 "received").
 *
 * sip_via_next() reads one via-parm: sent-protocol with SWS around the slashes, sent-by host
 * (hostname, IPv4 or bracketed IPv6) and optional port with SWS around the colon, and the
 * parameters, picking out branch, received and rport. CR and LF count as whitespace, so folded
 * values parse like unfolded ones. It is liberal about parameter lists (an empty ";;" is skipped)
 * so that the engine still gets the branch of a sloppy Via; sip_int_via_params_ok() is the strict
 * check sip_validate uses. Not here: transaction matching on the branch. */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

/* token SWS "/" SWS: returns the byte after the SWS following '/', or NULL. */
static const char *token_slash(const char *p, const char *e, const char **tok_end)
{
    const char *t = sip_int_skip_cls(p, e, SIP_CC_TOKEN);
    if (t == p)
        return NULL;
    *tok_end = t;
    t = sip_int_skip_lws(t, e);
    if (t == e || *t != '/')
        return NULL;
    return sip_int_skip_lws(t + 1, e);
}

/* sent-by = host [ COLON port ], COLON allowing SWS. */
static const char *sent_by(const char *p, const char *e, struct sip_via *v)
{
    const char *h = p;
    if (p < e && *p == '[') {
        const char *rb = memchr(p, ']', (size_t)(e - p));
        if (!rb || !sip_int_ipv6_ok(p + 1, (size_t)(rb - p - 1)))
            return NULL;
        p = rb + 1;
    } else {
        p = sip_int_skip_cls(p, e, SIP_CC_HOST);
    }
    v->host = sip_int_span(h, p);
    if (v->host.len == 0)
        return NULL;
    const char *c = sip_int_skip_lws(p, e);
    if (c < e && *c == ':') {
        const char *d = sip_int_skip_lws(c + 1, e);
        p = sip_int_skip_cls(d, e, SIP_CC_DIGIT);
        if (!sip_int_port_ok(sip_int_span(d, p), &v->port))
            return NULL;
        v->has_port = true;
    }
    return p;
}

/* Parameters from p (at ';'); returns the byte after them (at ',' or e) or NULL. */
static const char *via_params(const char *p, const char *e, struct sip_via *v)
{
    sv_t cur = sip_int_span(p, e);
    struct sip_int_param pr;
    const char *last = p;
    int rc;
    while ((rc = sip_int_param_next(&cur, &pr)) == 1) {
        last = pr.end;
        if (sv_ieq(pr.name, SV("branch")))
            v->branch = pr.value;
        else if (sv_ieq(pr.name, SV("received")))
            v->received = pr.value;
        else if (sv_ieq(pr.name, SV("rport"))) {
            v->rport = pr.value;
            v->has_rport = true;
        }
    }
    if (rc < 0)
        return NULL;
    v->params = sip_int_span(p, last);
    return cur.p;
}

static const char *via_parm(const char *p, const char *e, struct sip_via *v)
{
    const char *name_end, *ver_end;
    const char *q = token_slash(p, e, &name_end);
    if (!q || !(q = token_slash(q, e, &ver_end)))
        return NULL;
    v->protocol = sip_int_span(p, ver_end);
    const char *t = sip_int_skip_cls(q, e, SIP_CC_TOKEN);
    if (t == q)
        return NULL;
    v->transport = sip_int_span(q, t);
    const char *h = sip_int_skip_lws(t, e);
    if (h == t || !(q = sent_by(h, e, v)))
        return NULL; /* LWS between transport and sent-by is required */
    q = sip_int_skip_lws(q, e);
    if (q < e && *q == ';' && !(q = via_params(q, e, v)))
        return NULL;
    q = sip_int_skip_lws(q, e);
    return (q == e || *q == ',') ? q : NULL;
}

int sip_via_next(sv_t *cur, struct sip_via *v)
{
    memset(v, 0, sizeof(*v));
    if (!cur->p)
        return 0;
    const char *e = cur->p + cur->len;
    const char *p = sip_int_skip_lws(cur->p, e);
    if (p == e) {
        *cur = sv_make(e, 0);
        return 0;
    }
    const char *q = via_parm(p, e, v);
    if (!q) {
        *cur = sv_make(e, 0);
        return ERR_PARSE;
    }
    if (q < e) {
        /* q is at ','. Leave a dangling comma for the next call to refuse. */
        const char *n = sip_int_skip_lws(q + 1, e);
        q = n == e ? q : n;
    }
    *cur = sip_int_span(q, e);
    return 1;
}

int sip_top_via(const struct sip_msg *m, struct sip_via *v)
{
    const struct sip_hdr *h = sip_hdr_get(m, SIP_HDR_VIA);
    if (!h) {
        memset(v, 0, sizeof(*v));
        return 0;
    }
    sv_t cur = h->value;
    int rc = sip_via_next(&cur, v);
    return rc == 0 ? ERR_PARSE : rc; /* a Via header with no value */
}

/* received = IPv4address / IPv6address, brackets tolerated (RFC 5118 §4.5). */
static bool received_ok(sv_t v)
{
    if (v.len >= 2 && v.p[0] == '[' && v.p[v.len - 1] == ']')
        return sip_int_ipv6_ok(v.p + 1, v.len - 2);
    return sip_int_ipv4_ok(v.p, v.len) || sip_int_ipv6_ok(v.p, v.len);
}

static bool via_param_ok(const struct sip_int_param *pr)
{
    sv_t n = pr->name, v = pr->value;
    uint16_t port;
    uint32_t ttl;
    if (n.len == 0)
        return false;
    if (sv_ieq(n, SV("received")))
        return pr->has_value && received_ok(v);
    if (sv_ieq(n, SV("rport")))
        return !pr->has_value || sip_int_port_ok(v, &port);
    if (sv_ieq(n, SV("ttl")))
        return pr->has_value && v.len <= 3 && sv_to_u32(v, &ttl) == 0 && ttl <= 255;
    if (sv_ieq(n, SV("branch")))
        return pr->has_value && sip_int_all(v, SIP_CC_TOKEN);
    if (sv_ieq(n, SV("maddr")))
        return pr->has_value && (sip_int_all(v, SIP_CC_HOST) || sip_int_generic_param_ok(pr));
    return sip_int_generic_param_ok(pr);
}

bool sip_int_via_params_ok(sv_t params)
{
    struct sip_int_param pr;
    int rc;
    while ((rc = sip_int_param_next(&params, &pr)) == 1)
        if (!via_param_ok(&pr))
            return false;
    return rc == 0;
}
