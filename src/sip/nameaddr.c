/* name-addr / addr-spec values: From, To, Contact, Route, Record-Route, Refer-To, Referred-By,
 * P-Asserted-Identity (RFC 3261 §20.10, §20.20, §20.34, §20.39, §25.1).
 *
 * A value is a quoted display name (quoted-pairs kept), an unquoted display name of tokens
 * (including "caller<sip:...>" with no space, RFC 4475 §3.1.1.6), or none, then a URI in <> or a
 * bare addr-spec, then header parameters. Commas inside quotes or <> never separate values; an
 * unbracketed addr-spec ends at whitespace, ';' or ','. The parser is liberal (it trims spaces
 * inside <>, lets a single-valued From/To display name hold commas) so the engine still finds the
 * URI and tag; sip_int_name_addr_strict() holds the grammar sip_validate enforces. Not here: the
 * URI inside (uri.c). */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

/* Header parameters after the URI: sets params and tag; returns the byte after them. */
static const char *na_params(const char *p, const char *e, struct sip_name_addr *na)
{
    sv_t cur = sip_int_span(p, e);
    struct sip_int_param pr;
    const char *last = p;
    int rc;
    while ((rc = sip_int_param_next(&cur, &pr)) == 1) {
        last = pr.end;
        if (!na->tag.p && sv_ieq(pr.name, SV("tag")))
            na->tag = pr.value;
    }
    if (rc < 0)
        return NULL;
    na->params = sip_int_span(p, last);
    return cur.p;
}

/* Where the display name ends: at '<' for a name-addr. Returns NULL (and *addr_spec) when the
 * value is an addr-spec instead, or sets *bad. */
static const char *find_lt(const char *p, const char *e, bool single, bool *bad)
{
    const char *q = p;
    while (q < e && *q != '<' && *q != '"' && *q != ';' && (single || *q != ','))
        q++;
    if (q < e && *q == '<')
        return q;
    if (q < e && *q == '"')
        *bad = true;
    return NULL;
}

/* The value's URI part: sets display/uri/bracketed; returns the byte after it or NULL. */
static const char *na_uri(const char *p, const char *e, struct sip_name_addr *na, bool single)
{
    const char *lt = NULL;
    if (*p == '"') {
        const char *q = sip_int_quoted_end(p, e);
        if (!q)
            return NULL; /* RFC 4475 §3.1.2.6 */
        na->display = sip_int_span(p, q);
        lt = sip_int_skip_lws(q, e);
        if (lt == e || *lt != '<')
            return NULL;
    } else if (*p == '<') {
        lt = p;
    } else {
        bool bad = false;
        lt = find_lt(p, e, single, &bad);
        if (bad)
            return NULL;
        if (lt) {
            na->display = sv_trim(sip_int_span(p, lt));
        } else {
            const char *q = p;
            while (q < e && !sip_int_is(*q, SIP_CC_WS) && *q != ';' && (single || *q != ','))
                q++;
            na->uri = sip_int_span(p, q);
            return q;
        }
    }
    const char *gt = memchr(lt, '>', (size_t)(e - lt));
    if (!gt)
        return NULL;
    na->bracketed = true;
    na->uri = sv_trim(sip_int_span(lt + 1, gt));
    return na->uri.len ? gt + 1 : NULL;
}

int sip_int_name_addr_scan(sv_t *cur, struct sip_name_addr *na, bool single)
{
    memset(na, 0, sizeof(*na));
    if (!cur->p)
        return 0;
    const char *e = cur->p + cur->len;
    const char *p = sip_int_skip_lws(cur->p, e);
    if (p == e) {
        *cur = sv_make(e, 0);
        return 0;
    }
    const char *q = NULL;
    if (*p != ',')
        q = na_uri(p, e, na, single);
    if (q) {
        q = sip_int_skip_lws(q, e);
        if (q < e && *q == ';')
            q = na_params(q, e, na);
    }
    if (q)
        q = sip_int_skip_lws(q, e);
    if (!q || (q < e && *q != ',')) {
        *cur = sv_make(e, 0);
        return ERR_PARSE;
    }
    if (q < e) {
        const char *n = sip_int_skip_lws(q + 1, e);
        q = n == e ? q : n; /* a dangling comma is refused by the next call */
    }
    *cur = sip_int_span(q, e);
    return 1;
}

int sip_name_addr_next(sv_t *cur, struct sip_name_addr *na)
{
    return sip_int_name_addr_scan(cur, na, false);
}

int sip_name_addr_parse(sv_t value, struct sip_name_addr *na)
{
    return sip_int_name_addr_scan(&value, na, true);
}

/* Unquoted display-name = *(token LWS); quoted ones were checked by the scan. */
static bool display_ok(sv_t d)
{
    if (d.len == 0 || d.p[0] == '"')
        return true;
    for (size_t i = 0; i < d.len; i++)
        if (!sip_int_is(d.p[i], SIP_CC_TOKEN | SIP_CC_WS))
            return false;
    return true;
}

enum sip_malformed sip_int_name_addr_strict(const struct sip_name_addr *na, bool need_brackets)
{
    if (!display_ok(na->display))
        return SIP_MAL_NAME_ADDR; /* RFC 4475 §3.1.2.15 */
    if (na->bracketed) {
        /* the scan trimmed LWS inside <>; the grammar has none (RFC 4475 §3.1.2.14) */
        if (na->uri.p[-1] != '<' || na->uri.p[na->uri.len] != '>')
            return SIP_MAL_NAME_ADDR;
    } else {
        if (need_brackets)
            return SIP_MAL_NAME_ADDR;
        /* RFC 3261 §20: a URI with ',' '?' or ';' must be in <> (RFC 4475 §3.1.2.13) */
        if (memchr(na->uri.p, ',', na->uri.len) || memchr(na->uri.p, '?', na->uri.len))
            return SIP_MAL_NAME_ADDR;
    }
    sv_t cur = na->params;
    struct sip_int_param pr;
    int rc;
    while ((rc = sip_int_param_next(&cur, &pr)) == 1)
        if (!sip_int_generic_param_ok(&pr))
            return SIP_MAL_PARAMS;
    return rc < 0 ? SIP_MAL_PARAMS : SIP_MAL_NONE;
}
