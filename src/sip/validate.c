/* sip_validate(): the deep conformance check of a parsed message — the Request-URI, the grammar
 * of every header this module knows, header presence and multiplicity, and the legal-but-odd
 * things reported as anomalies (RFC 3261 §8.1.1, §20, §25; RFC 4475; RFC 5118).
 *
 * Headers are checked in message order, so the malformed reason is the first problem in the
 * message (after any found by sip_parse). Unknown headers are not looked at: sip_parse already
 * required a token name and a colon. Known headers without a grammar here (Call-ID, Content-Type,
 * Supported, ...) are only checked for control bytes outside quoted-pairs. Not here: semantics
 * across messages (transactions, dialogs). */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

static inline void set_mal(struct sip_msg *m, enum sip_malformed r)
{
    if (m->malformed == SIP_MAL_NONE)
        m->malformed = (uint8_t)r;
}

static inline void set_anom(struct sip_msg *m, enum sip_anomaly a)
{
    m->anomalies |= SIP_ANOM_BIT(a);
}

/* Control bytes other than folding whitespace, outside quoted-pairs. */
static bool has_binary(sv_t v)
{
    bool quoted = false;
    for (size_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (quoted && c == '\\' && i + 1 < v.len)
            i++;
        else if (c == '"')
            quoted = !quoted;
        else if (sip_int_is(c, SIP_CC_CTL) && !sip_int_is(c, SIP_CC_WS))
            return true;
    }
    return false;
}

/* 1*DIGIT no larger than max. */
static bool uint_ok(sv_t v, uint32_t max, uint32_t *out)
{
    uint32_t n;
    if (sv_to_u32(v, &n) != 0 || n > max)
        return false;
    if (out)
        *out = n;
    return true;
}

static enum sip_malformed uri_check(sv_t s)
{
    struct sip_uri u;
    if (sip_uri_parse(s, &u) < 0 || !sip_int_uri_strict(&u))
        return SIP_MAL_URI;
    return SIP_MAL_NONE;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (RFC 3261 §20.10) */
static bool qvalue_ok(sv_t v)
{
    if (v.len == 0 || v.len > 5 || (v.p[0] != '0' && v.p[0] != '1'))
        return false;
    if (v.len == 1)
        return true;
    if (v.p[1] != '.')
        return false;
    for (size_t i = 2; i < v.len; i++)
        if (!(v.p[0] == '0' ? (v.p[i] >= '0' && v.p[i] <= '9') : v.p[i] == '0'))
            return false;
    return true;
}

static enum sip_malformed contact_params(sv_t params)
{
    struct sip_int_param pr;
    while (sip_int_param_next(&params, &pr) == 1) {
        if (sv_ieq(pr.name, SV("q")) && !qvalue_ok(pr.value))
            return SIP_MAL_PARAMS;
        if (sv_ieq(pr.name, SV("expires")) && !uint_ok(pr.value, UINT32_MAX, NULL))
            return SIP_MAL_SCALAR; /* RFC 4475 §3.1.2.4 */
    }
    return SIP_MAL_NONE;
}

enum na_kind {
    NA_SINGLE,
    NA_LIST,
    NA_ROUTE,
    NA_CONTACT
};

/* From/To/Refer-To (single), P-Asserted-Identity (list), Route/Record-Route (list, name-addr
 * only), Contact (list, or "*" alone). */
static enum sip_malformed check_name_addrs(sv_t value, enum na_kind kind)
{
    struct sip_name_addr na;
    sv_t cur = value;
    int n = 0, rc;
    while ((rc = sip_int_name_addr_scan(&cur, &na, kind == NA_SINGLE)) == 1) {
        n++;
        if (kind == NA_CONTACT && sv_eq(na.uri, SV("*")) && !na.bracketed) {
            if (n > 1 || cur.len || na.display.len || na.params.len)
                return SIP_MAL_NAME_ADDR;
            continue;
        }
        enum sip_malformed r = sip_int_name_addr_strict(&na, kind == NA_ROUTE);
        if (r == SIP_MAL_NONE)
            r = uri_check(na.uri);
        if (r == SIP_MAL_NONE && kind == NA_CONTACT)
            r = contact_params(na.params);
        if (r != SIP_MAL_NONE)
            return r;
        if (kind == NA_SINGLE && sip_int_skip_lws(cur.p, cur.p + cur.len) != cur.p + cur.len)
            return SIP_MAL_NAME_ADDR; /* a second value in a single-valued header */
    }
    return (rc < 0 || n == 0) ? SIP_MAL_NAME_ADDR : SIP_MAL_NONE;
}

static enum sip_malformed check_via(sv_t value)
{
    struct sip_via v;
    sv_t cur = value;
    int n = 0, rc;
    while ((rc = sip_via_next(&cur, &v)) == 1) {
        n++;
        if (!sip_int_via_params_ok(v.params))
            return SIP_MAL_VIA; /* RFC 4475 §3.1.2.1 */
    }
    return (rc < 0 || n == 0) ? SIP_MAL_VIA : SIP_MAL_NONE;
}

static enum sip_malformed check_cseq(const struct sip_msg *m, sv_t value)
{
    struct sip_cseq c;
    if (sip_cseq_parse(value, &c) != 0)
        return SIP_MAL_CSEQ; /* RFC 4475 §3.1.2.4, §3.1.2.5 */
    if (m->is_request && m->method.len && !sv_eq(c.method, m->method))
        return SIP_MAL_CSEQ_METHOD; /* RFC 3261 §8.1.1.5; RFC 4475 §3.1.2.17 */
    return SIP_MAL_NONE;
}

/* RFC 3261 §20.33: delta-seconds [ comment ] *( SEMI retry-param ). */
static enum sip_malformed check_retry_after(sv_t value)
{
    const char *p = value.p, *e = p + value.len;
    const char *d = sip_int_skip_cls(p, e, SIP_CC_DIGIT);
    if (!uint_ok(sip_int_span(p, d), UINT32_MAX, NULL))
        return SIP_MAL_SCALAR; /* RFC 4475 §3.1.2.5 */
    p = sip_int_skip_lws(d, e);
    if (p < e && *p == '(') {
        int depth = 0;
        for (; p < e; p++) {
            if (*p == '\\' && p + 1 < e)
                p++;
            else if (*p == '(')
                depth++;
            else if (*p == ')' && --depth == 0)
                break;
        }
        if (p == e)
            return SIP_MAL_SCALAR;
        p++;
    }
    sv_t cur = sip_int_span(p, e);
    struct sip_int_param pr;
    int rc;
    while ((rc = sip_int_param_next(&cur, &pr)) == 1)
        if (!sip_int_generic_param_ok(&pr) ||
            (sv_ieq(pr.name, SV("duration")) && !uint_ok(pr.value, UINT32_MAX, NULL)))
            return SIP_MAL_PARAMS;
    return (rc < 0 || cur.len) ? SIP_MAL_PARAMS : SIP_MAL_NONE;
}

/* delta-seconds *( SEMI generic-param ): Session-Expires (RFC 4028 §4). */
static enum sip_malformed check_delta_params(sv_t value)
{
    const char *p = value.p, *e = p + value.len;
    const char *d = sip_int_skip_cls(p, e, SIP_CC_DIGIT);
    if (!uint_ok(sip_int_span(p, d), UINT32_MAX, NULL))
        return SIP_MAL_SCALAR;
    sv_t cur = sip_int_span(d, e);
    struct sip_int_param pr;
    int rc;
    while ((rc = sip_int_param_next(&cur, &pr)) == 1)
        if (!sip_int_generic_param_ok(&pr))
            return SIP_MAL_PARAMS;
    return (rc < 0 || cur.len) ? SIP_MAL_PARAMS : SIP_MAL_NONE;
}

/* warning-value = warn-code SP warn-agent SP warn-text (RFC 3261 §20.43). */
static enum sip_malformed check_warning(sv_t value)
{
    const char *p = value.p, *e = p + value.len;
    do {
        p = sip_int_skip_lws(p, e);
        const char *d = sip_int_skip_cls(p, e, SIP_CC_DIGIT);
        if (d - p != 3 || d == e || *d != ' ')
            return SIP_MAL_SCALAR; /* RFC 4475 §3.1.2.5: "1812" */
        const char *a = d + 1, *ae = a;
        while (ae < e && !sip_int_is(*ae, SIP_CC_WS) && *ae != '"')
            ae++;
        if (ae == a || ae == e || *ae != ' ' || ae + 1 == e || ae[1] != '"')
            return SIP_MAL_SCALAR;
        p = sip_int_quoted_end(ae + 1, e);
        if (!p)
            return SIP_MAL_SCALAR;
        p = sip_int_skip_lws(p, e);
    } while (p < e && *p++ == ',');
    return p == e ? SIP_MAL_NONE : SIP_MAL_SCALAR;
}

static bool two_digits(const char *p, unsigned max)
{
    return p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
           (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0') <= max;
}

static bool in_list(const char *p, const char *list)
{
    for (; *list; list += 3)
        if (memcmp(p, list, 3) == 0)
            return true;
    return false;
}

/* rfc1123-date = wkday "," SP date1 SP time SP "GMT" (RFC 3261 §20.17, RFC 4475 §3.1.2.12). */
static enum sip_malformed check_date(sv_t v)
{
    const char *p = v.p;
    /* "Sat, 15 Oct 2005 04:44:56 GMT" */
    if (v.len != 29 || !in_list(p, "MonTueWedThuFriSatSun") || memcmp(p + 3, ", ", 2) != 0 ||
        !two_digits(p + 5, 31) || p[7] != ' ' ||
        !in_list(p + 8, "JanFebMarAprMayJunJulAugSepOctNovDec") || p[11] != ' ' ||
        !two_digits(p + 12, 99) || !two_digits(p + 14, 99) || p[16] != ' ' ||
        !two_digits(p + 17, 23) || p[19] != ':' || !two_digits(p + 20, 59) || p[22] != ':' ||
        !two_digits(p + 23, 60) || memcmp(p + 25, " GMT", 4) != 0)
        return SIP_MAL_DATE;
    return SIP_MAL_NONE;
}

static enum sip_malformed check_reason(sv_t value)
{
    struct sip_reason r;
    sv_t cur = value;
    int n = 0, rc;
    while ((rc = sip_reason_next(&cur, &r)) == 1) {
        n++;
        if (!sip_int_all(r.protocol, SIP_CC_TOKEN) ||
            (r.text.p && (r.text.p == value.p || r.text.p[-1] != '"')))
            return SIP_MAL_PARAMS; /* RFC 3326: reason-text is a quoted-string */
    }
    return (rc < 0 || n == 0) ? SIP_MAL_PARAMS : SIP_MAL_NONE;
}

/* RAck = response-num LWS CSeq-num LWS Method (RFC 3262 §7.2). */
static enum sip_malformed check_rack(sv_t value)
{
    const char *p = value.p, *e = p + value.len;
    const char *d = sip_int_skip_cls(p, e, SIP_CC_DIGIT);
    if (!uint_ok(sip_int_span(p, d), UINT32_MAX, NULL))
        return SIP_MAL_SCALAR;
    struct sip_cseq c;
    return sip_cseq_parse(sip_int_span(d, e), &c) == 0 && d < e && sip_int_is(*d, SIP_CC_WS)
               ? SIP_MAL_NONE
               : SIP_MAL_SCALAR;
}

static enum sip_malformed check_header(const struct sip_msg *m, const struct sip_hdr *h)
{
    sv_t v = h->value;
    if (has_binary(v))
        return SIP_MAL_BINARY;
    switch (h->id) {
    case SIP_HDR_VIA:
        return check_via(v);
    case SIP_HDR_FROM:
    case SIP_HDR_TO:
    case SIP_HDR_REFER_TO:
    case SIP_HDR_REFERRED_BY:
        return check_name_addrs(v, NA_SINGLE);
    case SIP_HDR_CONTACT:
        return check_name_addrs(v, NA_CONTACT);
    case SIP_HDR_ROUTE:
    case SIP_HDR_RECORD_ROUTE:
        return check_name_addrs(v, NA_ROUTE);
    case SIP_HDR_P_ASSERTED_IDENTITY:
        return check_name_addrs(v, NA_LIST);
    case SIP_HDR_CSEQ:
        return check_cseq(m, v);
    case SIP_HDR_MAX_FORWARDS:
        return uint_ok(v, 255, NULL) ? SIP_MAL_NONE : SIP_MAL_MAX_FORWARDS;
    case SIP_HDR_EXPIRES:
    case SIP_HDR_MIN_EXPIRES:
    case SIP_HDR_RSEQ:
        return uint_ok(v, UINT32_MAX, NULL) ? SIP_MAL_NONE : SIP_MAL_SCALAR;
    case SIP_HDR_RETRY_AFTER:
        return check_retry_after(v);
    case SIP_HDR_SESSION_EXPIRES:
        return check_delta_params(v);
    case SIP_HDR_WARNING:
        return check_warning(v);
    case SIP_HDR_DATE:
        return check_date(v);
    case SIP_HDR_REASON:
        return check_reason(v);
    case SIP_HDR_RACK:
        return check_rack(v);
    default:
        return SIP_MAL_NONE;
    }
}

/* Request-URI: a URI, no <>, no escaped headers (RFC 3261 §19.1.1 table, RFC 4475 §3.1.2.7,
 * §3.1.2.11); an unknown scheme is legal but noted (RFC 4475 §3.3.2). */
static void check_request_uri(struct sip_msg *m)
{
    struct sip_uri u;
    if (!m->is_request || !m->ruri.len)
        return;
    if (sip_uri_parse(m->ruri, &u) < 0 || !sip_int_uri_strict(&u)) {
        set_mal(m, SIP_MAL_REQUEST_URI);
        return;
    }
    bool sip = sv_ieq(u.scheme, SV("sip")) || sv_ieq(u.scheme, SV("sips"));
    if (sip && u.params.p + u.params.len < m->ruri.p + m->ruri.len)
        set_mal(m, SIP_MAL_REQUEST_URI); /* a '?' headers part */
    if (!sip && !sv_ieq(u.scheme, SV("tel")))
        set_anom(m, SIP_ANOM_UNKNOWN_URI_SCHEME);
}

/* Headers RFC 3261 §8.1.1 requires, and those that allow one value only (§7.3.1). */
static void check_presence(struct sip_msg *m)
{
    static const struct {
        uint8_t id, anom;
    } required[] = {
        { SIP_HDR_CALL_ID, SIP_ANOM_MISSING_CALL_ID }, { SIP_HDR_FROM, SIP_ANOM_MISSING_FROM },
        { SIP_HDR_TO, SIP_ANOM_MISSING_TO },           { SIP_HDR_CSEQ, SIP_ANOM_MISSING_CSEQ },
        { SIP_HDR_VIA, SIP_ANOM_MISSING_VIA },
    };
    static const uint8_t single[] = {
        SIP_HDR_CALL_ID,
        SIP_HDR_CSEQ,
        SIP_HDR_FROM,
        SIP_HDR_TO,
        SIP_HDR_MAX_FORWARDS,
        SIP_HDR_CONTENT_TYPE,
        SIP_HDR_EXPIRES,
        SIP_HDR_MIN_EXPIRES,
        SIP_HDR_RETRY_AFTER,
        SIP_HDR_DATE,
        SIP_HDR_SUBJECT,
        SIP_HDR_MIME_VERSION,
        SIP_HDR_RSEQ,
        SIP_HDR_RACK,
        SIP_HDR_SESSION_EXPIRES,
        SIP_HDR_REFER_TO,
        SIP_HDR_REFERRED_BY,
        SIP_HDR_EVENT,
        SIP_HDR_SUBSCRIPTION_STATE,
        SIP_HDR_SESSION_ID,
        SIP_HDR_USER_AGENT,
        SIP_HDR_SERVER,
    };
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if (!m->first[required[i].id])
            set_anom(m, (enum sip_anomaly)required[i].anom);
    if (m->is_request && !m->first[SIP_HDR_MAX_FORWARDS])
        set_anom(m, SIP_ANOM_MISSING_MAX_FORWARDS);
    for (size_t i = 0; i < sizeof(single); i++)
        if (m->count[single[i]] > 1)
            set_anom(m, SIP_ANOM_DUPLICATE_HEADER); /* RFC 4475 §3.3.8 */
}

/* RFC 3261 §8.1.1.7 magic cookie; RFC 4475 §3.2.1 and §3.4.1. */
static void check_top_via(struct sip_msg *m)
{
    struct sip_via v;
    if (sip_top_via(m, &v) != 1)
        return;
    if (!v.branch.p || !sv_starts_with(v.branch, SV("z9hG4bK")))
        set_anom(m, SIP_ANOM_NO_MAGIC_COOKIE);
    else if (v.branch.len == 7)
        set_anom(m, SIP_ANOM_EMPTY_BRANCH);
}

void sip_validate(struct sip_msg *m)
{
    check_request_uri(m);
    for (uint16_t i = 0; i < m->nhdrs && m->malformed == SIP_MAL_NONE; i++) {
        const struct sip_hdr *h = &m->hdrs[i];
        if (h->id == SIP_HDR_OTHER || h->id == SIP_HDR_CONTENT_LENGTH)
            continue;
        set_mal(m, check_header(m, h));
    }
    check_presence(m);
    check_top_via(m);
    uint32_t mf;
    sv_t v = sip_hdr_value(m, SIP_HDR_MAX_FORWARDS);
    if (v.p && uint_ok(v, 255, &mf) && mf == 0)
        set_anom(m, SIP_ANOM_MAX_FORWARDS_ZERO);
}
