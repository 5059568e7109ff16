/* URIs: sip/sips (RFC 3261 §19.1, §25.1), tel (RFC 3966) and any other scheme as an opaque part;
 * IPv6 references per RFC 5118; IPv4 and port checks.
 *
 * sip_uri_parse() splits a URI into views and checks its structure: scheme, userinfo up to the
 * first '@', a host that is a hostname, an IPv4 address or a well-formed IPv6 reference, a port
 * of 0..65535, parameters and headers. It refuses bytes that no URI can hold (whitespace,
 * controls, '<', '>', '"'), but does not check each component's character set: escapes are kept
 * as written. sip_int_uri_strict() is that character-level check, used by sip_validate.
 * Not here: unescaping, comparing URIs (RFC 3261 §19.1.4). */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

bool sip_int_ipv4_ok(const char *p, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part && (i >= n || p[i++] != '.'))
            return false;
        unsigned v = 0, d = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9' && d < 4) {
            v = v * 10 + (unsigned)(p[i++] - '0');
            d++;
        }
        if (d == 0 || d > 3 || v > 255)
            return false;
    }
    return i == n;
}

/* "::" ":" IPv4 is the RFC 3261 ABNF bug that RFC 5118 §4.10 asks us to tolerate. */
static bool v6_triple_colon_tail(const char *p, size_t n, size_t i, unsigned *groups)
{
    if (!sip_int_ipv4_ok(p + i, n - i))
        return false;
    *groups += 2;
    return true;
}

bool sip_int_ipv6_ok(const char *p, size_t n)
{
    size_t i = 0;
    unsigned groups = 0;
    bool dbl = false;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        dbl = true;
        i = 2;
        if (i < n && p[i] == ':') {
            if (!v6_triple_colon_tail(p, n, i + 1, &groups))
                return false;
            i = n;
        }
    } else if (n == 0 || p[0] == ':') {
        return false;
    }
    while (i < n) {
        size_t g = i;
        while (i < n && sip_int_is(p[i], SIP_CC_HEX) && i - g < 5)
            i++;
        if (i < n && p[i] == '.') { /* IPv4 tail: the last 32 bits */
            if (!sip_int_ipv4_ok(p + g, n - g))
                return false;
            groups += 2;
            break;
        }
        if (i == g || i - g > 4)
            return false;
        groups++;
        if (i == n)
            break;
        if (p[i++] != ':' || i == n)
            return false;
        if (p[i] == ':') {
            if (dbl)
                return false;
            dbl = true;
            i++;
            if (i < n && p[i] == ':') {
                if (!v6_triple_colon_tail(p, n, i + 1, &groups))
                    return false;
                break;
            }
        }
    }
    return dbl ? groups <= 7 : groups == 8;
}

bool sip_int_port_ok(sv_t v, uint16_t *port)
{
    uint32_t n;
    if (sv_to_u32(v, &n) != 0 || n > 65535)
        return false;
    *port = (uint16_t)n;
    return true;
}

/* host [":" port] at p, ending at ';', '?' or e. */
static int hostport(struct sip_uri *u, const char *p, const char *e, const char **next)
{
    const char *h = p;
    if (p < e && *p == '[') {
        const char *rb = memchr(p, ']', (size_t)(e - p));
        if (!rb || !sip_int_ipv6_ok(p + 1, (size_t)(rb - p - 1)))
            return ERR_PARSE;
        u->is_ipv6 = true;
        p = rb + 1;
    } else {
        p = sip_int_skip_cls(p, e, SIP_CC_HOST);
    }
    u->host = sip_int_span(h, p);
    if (u->host.len == 0)
        return ERR_PARSE;
    if (p < e && *p == ':') {
        const char *d = ++p;
        p = sip_int_skip_cls(p, e, SIP_CC_DIGIT);
        if (!sip_int_port_ok(sip_int_span(d, p), &u->port))
            return ERR_PARSE;
        u->has_port = true;
    }
    if (p < e && *p != ';' && *p != '?')
        return ERR_PARSE; /* "sip:2001:db8::10" ends up here (RFC 5118 §4.2) */
    *next = p;
    return 0;
}

static int parse_sip(struct sip_uri *u, const char *p, const char *e)
{
    const char *at = memchr(p, '@', (size_t)(e - p));
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        u->user = sip_int_span(p, colon ? colon : at);
        if (colon)
            u->password = sip_int_span(colon + 1, at);
        if (u->user.len == 0)
            return ERR_PARSE;
        p = at + 1;
    }
    if (hostport(u, p, e, &p) < 0)
        return ERR_PARSE;
    const char *q = memchr(p, '?', (size_t)(e - p));
    u->params = sip_int_span(p, q ? q : e);
    u->headers = q ? sip_int_span(q + 1, e) : sv_make(e, 0);
    return 0;
}

static int parse_tel(struct sip_uri *u, const char *p, const char *e)
{
    const char *semi = memchr(p, ';', (size_t)(e - p));
    u->user = sip_int_span(p, semi ? semi : e);
    u->params = semi ? sip_int_span(semi, e) : sv_make(e, 0);
    u->headers = sv_make(e, 0);
    return u->user.len ? 0 : ERR_PARSE;
}

int sip_uri_parse(sv_t s, struct sip_uri *u)
{
    memset(u, 0, sizeof(*u));
    if (!s.p)
        return ERR_PARSE;
    const char *p = s.p, *e = p + s.len, *q = p;
    if (q == e || !sip_int_is(*q, SIP_CC_ALPHA))
        return ERR_PARSE;
    q = sip_int_skip_cls(q, e, SIP_CC_SCHEME);
    if (q == e || *q != ':')
        return ERR_PARSE;
    u->scheme = sip_int_span(p, q);
    for (const char *r = ++q; r < e; r++)
        if (sip_int_is(*r, SIP_CC_CTL) || *r == ' ' || *r == '<' || *r == '>' || *r == '"')
            return ERR_PARSE;
    if (sv_ieq(u->scheme, SV("sip")) || sv_ieq(u->scheme, SV("sips")))
        return parse_sip(u, q, e);
    if (sv_ieq(u->scheme, SV("tel")))
        return parse_tel(u, q, e);
    u->user = sip_int_span(q, e);
    u->params = sv_make(e, 0);
    u->headers = sv_make(e, 0);
    return u->user.len ? 0 : ERR_PARSE;
}

/* Every byte in cls, except "%" HEXDIG HEXDIG escapes; empty allowed. */
static bool escaped_run_ok(sv_t v, unsigned cls)
{
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] == '%') {
            if (i + 2 >= v.len || !sip_int_is(v.p[i + 1], SIP_CC_HEX) ||
                !sip_int_is(v.p[i + 2], SIP_CC_HEX))
                return false;
            i += 2;
        } else if (!sip_int_is(v.p[i], cls)) {
            return false;
        }
    }
    return true;
}

/* uri-parameters: *( ";" pname ["=" pvalue] ), pname and pvalue 1*paramchar. */
static bool uri_params_ok(sv_t params)
{
    const char *p = params.p, *e = p + params.len;
    while (p < e) {
        if (*p++ != ';')
            return false;
        const char *s = p;
        while (p < e && *p != ';')
            p++;
        sv_t one = sip_int_span(s, p), name, value = sv_split(one, '=', &name);
        if (name.len == 0 || !escaped_run_ok(name, SIP_CC_PARAM))
            return false;
        if (memchr(one.p, '=', one.len) && (value.len == 0 || !escaped_run_ok(value, SIP_CC_PARAM)))
            return false;
    }
    return true;
}

/* headers: hname "=" hvalue *( "&" hname "=" hvalue ). */
static bool uri_headers_ok(sv_t h)
{
    const char *p = h.p, *e = p + h.len;
    for (;;) {
        const char *s = p;
        while (p < e && *p != '&')
            p++;
        sv_t one = sip_int_span(s, p), name, value = sv_split(one, '=', &name);
        if (name.len == 0 || name.len == one.len || !escaped_run_ok(name, SIP_CC_HNV) ||
            !escaped_run_ok(value, SIP_CC_HNV))
            return false;
        if (p == e)
            return true;
        p++;
    }
}

/* RFC 3966 §3: global numbers start with '+', local ones are phonedigit-hex. */
static bool tel_ok(const struct sip_uri *u)
{
    sv_t n = u->user;
    size_t digits = 0, i = n.p[0] == '+' ? 1 : 0;
    for (; i < n.len; i++) {
        if (!sip_int_is(n.p[i], SIP_CC_TEL))
            return false;
        digits += sip_int_is(n.p[i], SIP_CC_HEX) || n.p[i] == '*' || n.p[i] == '#';
    }
    return digits > 0 && uri_params_ok(u->params);
}

bool sip_int_uri_strict(const struct sip_uri *u)
{
    if (sv_ieq(u->scheme, SV("tel")))
        return tel_ok(u);
    if (!sv_ieq(u->scheme, SV("sip")) && !sv_ieq(u->scheme, SV("sips")))
        return escaped_run_ok(u->user, SIP_CC_URIC);
    if (u->user.p && !escaped_run_ok(u->user, SIP_CC_USER))
        return false;
    if (u->password.p && !escaped_run_ok(u->password, SIP_CC_PASS))
        return false;
    if (!u->is_ipv6 && memchr(u->host.p, '_', u->host.len))
        return false; /* tolerated by sip_uri_parse, not by the hostname grammar */
    if (!uri_params_ok(u->params))
        return false;
    return u->headers.len == 0 || uri_headers_ok(u->headers);
}
