/* sip_parse(): one pass over one SIP message — start line, header index, body — with no
 * allocation and no copy (RFC 3261 §7, §7.3.1, §18.3). Also sip_looks_like() and sip_hdr_next().
 *
 * What counts as SIP. The first line decides (sip_int_line_kind):
 *   - a status line starts with "SIP/" 1*DIGIT "." 1*DIGIT SP (the version is case-insensitive,
 *     RFC 3261 §7.1);
 *   - a request line, once trailing SP/HTAB are dropped, ends with SP "SIP/" 1*DIGIT "." 1*DIGIT
 *     and has something other than spaces before it;
 *   - a line that starts with a known method (case-sensitive) followed by SP and a sip:, sips: or
 *     tel: URI is a request whose version is missing (malformed START_LINE).
 * Anything else is not SIP (ERR_PARSE). So the PROTOS c07 INVITEs with empty, overlong, binary or
 * blank methods are malformed SIP as long as their first line still ends in " SIP/2.0"; HTTP
 * ("GET / HTTP/1.1") and binary junk are not SIP.
 *
 * What parse checks: the start line's shape (method token, spacing, version, status code), each
 * header line's name and colon, the end of the header section, Content-Length and the body's
 * length. It does not look inside header values beyond Content-Length; sip_validate does.
 * Content-Length framing: on a datagram a missing or unusable Content-Length means "the body is
 * the rest of the datagram"; on a stream it means an empty body (NO_CONTENT_LENGTH). */
#include "sip/sip.h"

#include <limits.h>
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

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* p[0..n) starts with "SIP/" 1*DIGIT "." 1*DIGIT; returns the length of that prefix or 0. */
static size_t version_prefix(const char *p, size_t n)
{
    if (n < 7 || (p[0] != 'S' && p[0] != 's') || (p[1] != 'I' && p[1] != 'i') ||
        (p[2] != 'P' && p[2] != 'p') || p[3] != '/')
        return 0;
    size_t i = 4;
    while (i < n && is_digit(p[i]))
        i++;
    if (i == 4 || i >= n || p[i] != '.')
        return 0;
    size_t d = ++i;
    while (i < n && is_digit(p[i]))
        i++;
    return i > d ? i : 0;
}

static bool starts_with_sip_uri(const char *p, size_t n)
{
    sv_t v = sv_make(p, n);
    return sv_istarts_with(v, SV("sip:")) || sv_istarts_with(v, SV("sips:")) ||
           sv_istarts_with(v, SV("tel:"));
}

enum sip_int_line sip_int_line_kind(const char *p, size_t n, size_t *ver_off, size_t *ver_len)
{
    size_t v = version_prefix(p, n);
    if (v && v < n && p[v] == ' ') {
        *ver_off = 0;
        *ver_len = v;
        return SIP_INT_RESPONSE;
    }
    size_t e = n;
    while (e > 0 && (p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    /* the version is short: look back for its SP at most 24 bytes */
    size_t s = e;
    while (s > 0 && e - s < 24 && p[s - 1] != ' ')
        s--;
    if (s > 0 && p[s - 1] == ' ' && version_prefix(p + s, e - s) == e - s) {
        for (size_t i = 0; i + 1 < s; i++) {
            if (p[i] != ' ') {
                *ver_off = s;
                *ver_len = e - s;
                return SIP_INT_REQUEST;
            }
        }
    }
    const char *sp = memchr(p, ' ', n);
    if (sp && sip_method_id(sv_make(p, (size_t)(sp - p))) != SIP_M_UNKNOWN &&
        starts_with_sip_uri(sp + 1, n - (size_t)(sp + 1 - p))) {
        *ver_off = n;
        *ver_len = 0;
        return SIP_INT_REQUEST_NOVER;
    }
    return SIP_INT_NOT_SIP;
}

static bool has_ctl(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sip_int_is(p[i], SIP_CC_CTL) && p[i] != '\t')
            return true;
    return false;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2). */
static void parse_status_line(struct sip_msg *m, const char *p, size_t n, size_t vlen)
{
    m->version = sv_make(p, vlen);
    if (!sv_ieq(m->version, SV("SIP/2.0")))
        set_mal(m, SIP_MAL_VERSION);
    size_t i = vlen + 1, d = i;
    while (i < n && is_digit(p[i]))
        i++;
    unsigned code = 0;
    if (i - d == 3)
        code = (unsigned)(p[d] - '0') * 100 + (unsigned)(p[d + 1] - '0') * 10 +
               (unsigned)(p[d + 2] - '0');
    if (code >= 100 && code <= 699)
        m->status = (uint16_t)code;
    else
        set_mal(m, SIP_MAL_STATUS_CODE);
    if (i == n) {
        if (i > d)
            set_mal(m, SIP_MAL_START_LINE); /* no SP before the (empty) reason phrase */
        m->reason = sv_make(p + n, 0);
        return;
    }
    if (p[i] != ' ') {
        set_mal(m, SIP_MAL_STATUS_CODE); /* "200OK", "4294967301x" */
        m->reason = sv_make(p + i, n - i);
    } else {
        m->reason = sv_make(p + i + 1, n - i - 1);
    }
    if (has_ctl(m->reason.p, m->reason.len))
        set_mal(m, SIP_MAL_BINARY);
}

/* The part between the method and the version: spacing, then the URI's own inner spaces. */
static void set_request_uri(struct sip_msg *m, const char *a, const char *b)
{
    if (a < b && (*a == ' ' || b[-1] == ' '))
        set_mal(m, SIP_MAL_REQUEST_LINE_SPACING); /* RFC 4475 §3.1.2.9 */
    while (a < b && *a == ' ')
        a++;
    while (b > a && b[-1] == ' ')
        b--;
    m->ruri = sip_int_span(a, b);
    if (a == b || memchr(a, ' ', (size_t)(b - a)) || memchr(a, '\t', (size_t)(b - a)))
        set_mal(m, SIP_MAL_REQUEST_URI); /* RFC 4475 §3.1.2.8 */
}

/* Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 §7.1). */
static void parse_request_line(struct sip_msg *m, const char *p, size_t n, size_t voff, size_t vlen,
                               enum sip_int_line kind)
{
    m->is_request = true;
    const char *e = p + n;
    const char *vstart = p + voff;
    const char *sp = memchr(p, ' ', n);
    if (kind == SIP_INT_REQUEST_NOVER) {
        set_mal(m, SIP_MAL_START_LINE);
        m->method = sip_int_span(p, sp);
        const char *u = sp + 1, *ue = memchr(u, ' ', (size_t)(e - u));
        m->ruri = sip_int_span(u, ue ? ue : e);
        m->version = sv_make(e, 0);
    } else if (sp == vstart - 1 && memchr(p, ':', (size_t)(sp - p))) {
        /* one element before the version and it looks like a URI: the method is missing */
        m->method = sv_make(p, 0);
        m->ruri = sip_int_span(p, sp);
        set_mal(m, SIP_MAL_METHOD);
    } else {
        m->method = sip_int_span(p, sp);
        if (m->method.len == 0)
            set_mal(m, SIP_MAL_METHOD); /* the line starts with SP */
        for (size_t i = 0; i < m->method.len; i++)
            if (!sip_int_is(m->method.p[i], SIP_CC_TOKEN))
                set_mal(m, SIP_MAL_METHOD);
        set_request_uri(m, sp + 1 > vstart - 1 ? vstart - 1 : sp + 1, vstart - 1);
    }
    m->method_id = (uint8_t)sip_method_id(m->method);
    if (kind == SIP_INT_REQUEST) {
        m->version = sv_make(vstart, vlen);
        if (!sv_ieq(m->version, SV("SIP/2.0")))
            set_mal(m, SIP_MAL_VERSION);
        if (voff + vlen < n)
            set_mal(m, SIP_MAL_REQUEST_LINE_SPACING); /* RFC 4475 §3.1.2.10 */
    }
}

/* A header line that is not "token *WSP ':'": index it anyway so it can be shown. */
static void bad_header_line(struct sip_msg *m, const char *p, const char *lend, sv_t *name,
                            sv_t *value)
{
    const char *colon = memchr(p, ':', (size_t)(lend - p));
    const char *ne = colon ? colon : lend;
    if (!colon)
        set_mal(m, SIP_MAL_HEADER_NO_COLON);
    else if (has_ctl(p, (size_t)(ne - p)))
        set_mal(m, SIP_MAL_BINARY);
    else
        set_mal(m, SIP_MAL_HEADER_NAME);
    *name = sv_trim(sip_int_span(p, ne));
    *value = colon ? sv_trim(sip_int_span(colon + 1, lend)) : sv_make(lend, 0);
}

struct hdr_scan {
    bool dgram;
    unsigned cl_lines;
    bool cl_ok; /* the first Content-Length is a usable number */
};

static void note_content_length(struct sip_msg *m, struct hdr_scan *st, sv_t v)
{
    if (st->cl_lines++ > 0)
        return;
    uint32_t n;
    if (sv_to_u32(v, &n) == 0) {
        /* only a usable value counts, so content_length is never a stale 0 even when an
         * earlier reason hides SIP_MAL_CONTENT_LENGTH */
        m->has_content_length = true;
        m->content_length = n;
        st->cl_ok = true;
    } else {
        set_mal(m, SIP_MAL_CONTENT_LENGTH); /* "-999", "bad", > 2^32-1: RFC 4475 §3.1.2.3 */
    }
}

/* Index one header field [p, lend) (line break excluded, folding included). */
static void add_header(struct sip_msg *m, struct hdr_scan *st, const char *p, const char *lend)
{
    const char *q = p;
    while (q < lend && sip_int_is(*q, SIP_CC_TOKEN))
        q++;
    const char *c = q;
    while (c < lend && (*c == ' ' || *c == '\t'))
        c++;
    sv_t name, value;
    enum sip_hdr_id id = SIP_HDR_OTHER;
    if (q > p && c < lend && *c == ':') {
        name = sip_int_span(p, q);
        const char *v = sip_int_skip_lws(c + 1, lend), *ve = lend;
        while (ve > v && sip_int_is(ve[-1], SIP_CC_WS))
            ve--;
        value = sip_int_span(v, ve);
        id = sip_int_hdr_id(name.p, name.len);
        if (id == SIP_HDR_CONTENT_LENGTH)
            note_content_length(m, st, value);
    } else {
        bad_header_line(m, p, lend, &name, &value);
    }
    if (m->nhdrs >= SIP_MAX_HDRS) {
        set_mal(m, SIP_MAL_TOO_MANY_HEADERS);
        return;
    }
    struct sip_hdr *h = &m->hdrs[m->nhdrs++];
    h->id = (uint16_t)id;
    h->name = name;
    h->value = value;
    if (!m->first[id])
        m->first[id] = m->nhdrs;
    if (m->count[id] < 255)
        m->count[id]++;
}

/* Header fields from p up to the empty line. Sets *body to the first body byte. Returns 0 or
 * ERR_INCOMPLETE (streams only). RFC 3261 §7.3.1: a line starting with SP/HTAB continues the
 * previous field. */
static int parse_headers(struct sip_msg *m, struct hdr_scan *st, const char *p, const char *e,
                         const char **body)
{
    for (;;) {
        if (p >= e || (*p == '\r' && p + 1 == e)) {
            if (!st->dgram)
                return ERR_INCOMPLETE;
            set_mal(m, SIP_MAL_HEADERS_UNTERMINATED); /* RFC 4475 baddn.dat */
            *body = e;
            return 0;
        }
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            if (*p == '\n')
                set_anom(m, SIP_ANOM_BARE_LF);
            *body = p + (*p == '\n' ? 1 : 2);
            return 0;
        }
        const char *nl = memchr(p, '\n', (size_t)(e - p)), *lend, *next;
        for (;;) {
            if (!nl || nl + 1 == e) {
                if (!st->dgram)
                    return ERR_INCOMPLETE; /* the next byte may continue this field */
                lend = nl ? nl : e;
                next = e;
                break;
            }
            if (nl[1] != ' ' && nl[1] != '\t') {
                lend = nl;
                next = nl + 1;
                break;
            }
            if (nl[-1] != '\r')
                set_anom(m, SIP_ANOM_BARE_LF);
            nl = memchr(nl + 1, '\n', (size_t)(e - nl - 1));
        }
        if (lend < e && *lend == '\n') {
            if (lend[-1] == '\r')
                lend--;
            else
                set_anom(m, SIP_ANOM_BARE_LF);
        }
        add_header(m, st, p, lend);
        p = next;
    }
}

static void msg_reset(struct sip_msg *m)
{
    m->raw = SV_NULL;
    m->is_request = false;
    m->method = SV_NULL;
    m->method_id = SIP_M_UNKNOWN;
    m->ruri = SV_NULL;
    m->status = 0;
    m->reason = SV_NULL;
    m->version = SV_NULL;
    m->nhdrs = 0;
    memset(m->first, 0, sizeof(m->first));
    memset(m->count, 0, sizeof(m->count));
    m->body = SV_NULL;
    m->has_content_length = false;
    m->content_length = 0;
    m->malformed = SIP_MAL_NONE;
    m->anomalies = 0;
    m->skipped = 0;
}

/* Leading CRLF keep-alives; on datagrams also NUL/SP/HTAB junk (RFC 5626 §3.5.1 keep-alives are
 * CRLFs; anything else is LEADING_JUNK). */
static const char *skip_leading(struct sip_msg *m, const char *p, const char *e, bool dgram)
{
    const char *s = p;
    bool junk = false;
    while (p < e) {
        char c = *p;
        if (c == '\r' || c == '\n')
            p++;
        else if (dgram && (c == '\0' || c == ' ' || c == '\t')) {
            junk = true;
            p++;
        } else
            break;
    }
    m->skipped = (size_t)(p - s);
    if (junk)
        set_anom(m, SIP_ANOM_LEADING_JUNK);
    return p;
}

/* The body from b to e, framed by Content-Length (RFC 3261 §18.3, §20.14). Returns the message
 * end or NULL when a stream needs more bytes. */
static const char *frame_body(struct sip_msg *m, const struct hdr_scan *st, const char *b,
                              const char *e)
{
    size_t rest = (size_t)(e - b), blen;
    if (st->cl_lines > 1)
        set_anom(m, SIP_ANOM_DUPLICATE_CONTENT_LENGTH); /* RFC 4475 §3.3.9 */
    if (st->cl_ok) {
        blen = m->content_length;
        if (blen > rest) {
            if (!st->dgram)
                return NULL;
            set_mal(m, SIP_MAL_BODY_SHORT); /* RFC 4475 §3.1.2.2 */
            blen = rest;
        } else if (blen < rest && st->dgram) {
            set_anom(m, SIP_ANOM_TRAILING_BYTES); /* RFC 4475 §3.1.1.8 */
        }
    } else if (st->dgram) {
        blen = rest;
    } else {
        blen = 0;
        if (st->cl_lines == 0)
            set_anom(m, SIP_ANOM_NO_CONTENT_LENGTH);
    }
    m->body = sv_make(b, blen);
    return b + blen;
}

int sip_parse(struct sip_msg *m, const void *data, size_t len, unsigned flags)
{
    bool dgram = (flags & SIP_PARSE_DATAGRAM) != 0;
    if (len > INT_MAX)
        len = INT_MAX; /* the return value is an int; a stream then reports ERR_INCOMPLETE */
    const char *base = data, *e = base + len;
    msg_reset(m);
    const char *p = skip_leading(m, base, e, dgram);
    if (p == e)
        return dgram ? ERR_PARSE : ERR_INCOMPLETE;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl && !dgram)
        return ERR_INCOMPLETE;
    const char *lend = nl ? nl : e;
    if (nl && nl > p && nl[-1] == '\r')
        lend--;
    else if (nl)
        set_anom(m, SIP_ANOM_BARE_LF);
    size_t voff, vlen, n = (size_t)(lend - p);
    enum sip_int_line kind = sip_int_line_kind(p, n, &voff, &vlen);
    if (kind == SIP_INT_NOT_SIP)
        return ERR_PARSE;
    if (kind == SIP_INT_RESPONSE)
        parse_status_line(m, p, n, vlen);
    else
        parse_request_line(m, p, n, voff, vlen, kind);

    struct hdr_scan st = { .dgram = dgram };
    const char *body;
    if (parse_headers(m, &st, nl ? nl + 1 : e, e, &body) < 0)
        return ERR_INCOMPLETE;
    const char *end = frame_body(m, &st, body, e);
    if (!end)
        return ERR_INCOMPLETE;
    m->raw = sip_int_span(p, end);
    return (int)(end - base);
}

bool sip_looks_like(const void *data, size_t len)
{
    const char *p = data, *e = p + len;
    while (p < e && (*p == '\r' || *p == '\n'))
        p++;
    if (p == e)
        return false;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    const char *lend = nl ? nl : e;
    if (lend > p && lend[-1] == '\r')
        lend--;
    size_t voff, vlen;
    return sip_int_line_kind(p, (size_t)(lend - p), &voff, &vlen) != SIP_INT_NOT_SIP;
}

const struct sip_hdr *sip_hdr_next(const struct sip_msg *m, const struct sip_hdr *h)
{
    if (!h || h < m->hdrs || h >= m->hdrs + m->nhdrs)
        return NULL;
    for (const struct sip_hdr *x = h + 1; x < m->hdrs + m->nhdrs; x++)
        if (x->id == h->id)
            return x;
    return NULL;
}
