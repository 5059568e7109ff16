/* Header parameters: the ";name[=value]" lists that follow Via, name-addr, Reason, Retry-After
 * and other values (RFC 3261 §7.3.1, §25.1 generic-param), plus quoted strings.
 *
 * The iterator is liberal in what it returns (empty parameters, odd values) and precise about
 * where each parameter ends: SWS around ';' and '=' (folded CRLF included) is skipped, quoted
 * values may hold ';' and ','. sip_int_generic_param_ok is the strict grammar check that
 * sip_validate applies. Not here: URI parameters, which have no whitespace and are checked in
 * uri.c. */
#include "sip/sip.h"
#include "sip/sip_int.h"

const char *sip_int_quoted_end(const char *p, const char *e)
{
    for (p++; p < e; p++) {
        if (*p == '"')
            return p + 1;
        if (*p == '\\' && ++p == e)
            return NULL;
    }
    return NULL;
}

/* "name[=value]" at p (the ';' already consumed). */
static int param_at(const char *p, const char *e, struct sip_int_param *pr, const char **next)
{
    p = sip_int_skip_lws(p, e);
    const char *n0 = p;
    p = sip_int_skip_cls(p, e, SIP_CC_TOKEN);
    pr->name = sip_int_span(n0, p);
    pr->value = sv_make(p, 0);
    pr->has_value = false;
    pr->end = p;
    const char *after = sip_int_skip_lws(p, e);
    if (after < e && *after == '=') {
        pr->has_value = true;
        p = sip_int_skip_lws(after + 1, e);
        const char *v0 = p;
        if (p < e && *p == '"') {
            p = sip_int_quoted_end(p, e);
            if (!p)
                return ERR_PARSE;
        } else {
            while (p < e && !sip_int_is(*p, SIP_CC_WS) && *p != ';' && *p != ',' && *p != '"')
                p++;
        }
        pr->value = sip_int_span(v0, p);
        pr->end = p;
        after = sip_int_skip_lws(p, e);
        if (pr->name.len == 0)
            return ERR_PARSE; /* "=value" */
    }
    if (after < e && *after != ';' && *after != ',')
        return ERR_PARSE;
    *next = after;
    return 1;
}

int sip_int_param_next(sv_t *cur, struct sip_int_param *pr)
{
    if (!cur->p)
        return 0;
    const char *p = cur->p, *e = p + cur->len;
    p = sip_int_skip_lws(p, e);
    if (p == e || *p == ',') {
        *cur = sip_int_span(p, e);
        return 0;
    }
    if (*p != ';')
        return ERR_PARSE;
    const char *next;
    int rc = param_at(p + 1, e, pr, &next);
    if (rc != 1)
        return rc;
    if (pr->name.len == 0)
        pr->end = p + 1;
    *cur = sip_int_span(next, e);
    return 1;
}

int sip_param_get(sv_t params, sv_t name, sv_t *value)
{
    if (!params.p || !name.len)
        return 0;
    const char *p = params.p, *e = p + params.len;
    struct sip_int_param pr;
    p = sip_int_skip_lws(p, e);
    if (p < e && *p != ';' && *p != ',') {
        /* a list given without its leading ';' */
        const char *next;
        if (param_at(p, e, &pr, &next) != 1)
            return 0;
        if (sv_ieq(pr.name, name)) {
            *value = pr.value;
            return 1;
        }
        p = next;
    }
    sv_t cur = sip_int_span(p, e);
    while (sip_int_param_next(&cur, &pr) == 1) {
        if (pr.name.len && sv_ieq(pr.name, name)) {
            *value = pr.value;
            return 1;
        }
    }
    return 0;
}

static bool bracketed_v6(sv_t v)
{
    return v.len >= 2 && v.p[0] == '[' && v.p[v.len - 1] == ']' &&
           sip_int_ipv6_ok(v.p + 1, v.len - 2);
}

bool sip_int_generic_param_ok(const struct sip_int_param *pr)
{
    if (!sip_int_all(pr->name, SIP_CC_TOKEN))
        return false;
    if (!pr->has_value)
        return true;
    sv_t v = pr->value;
    if (v.len && v.p[0] == '"')
        return true; /* the iterator already required the closing quote */
    return sip_int_all(v, SIP_CC_TOKEN) || bracketed_v6(v);
}
