/* sip_frame_len(): where one SIP message ends in a byte stream (TCP, TLS after decryption, SCTP
 * reassembly), by the header section's empty line plus Content-Length (RFC 3261 §18.3).
 *
 * It reads only the start line (to reject non-SIP early, with the same rule as sip_parse) and
 * the Content-Length header lines, full or compact ("l"), folded or not. On a stream the
 * Content-Length is mandatory: a message without one, with an unreadable one, or with two that
 * disagree (RFC 4475 §3.3.9) cannot be framed, and the caller must resynchronise. It does not
 * check anything else; sip_parse does. */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

struct cl_state {
    bool have;
    uint32_t value;
};

/* One header field [p, lend): if it is Content-Length, read it. Returns 0 or ERR_PARSE. */
static int content_length_field(const char *p, const char *lend, struct cl_state *cl)
{
    const char *q = sip_int_skip_cls(p, lend, SIP_CC_TOKEN);
    sv_t name = sip_int_span(p, q);
    if (!sv_ieq(name, SV("content-length")) && !sv_ieq(name, SV("l")))
        return 0;
    while (q < lend && (*q == ' ' || *q == '\t'))
        q++;
    if (q == lend || *q != ':')
        return 0; /* not a header line sip_parse would read as Content-Length either */
    sv_t v = sv_trim(sip_int_span(q + 1, lend));
    uint32_t n;
    if (sv_to_u32(v, &n) != 0)
        return ERR_PARSE;
    if (cl->have && cl->value != n)
        return ERR_PARSE;
    cl->have = true;
    cl->value = n;
    return 0;
}

/* The start line from p; returns the first header byte, NULL if more bytes are needed, or sets
 * *bad when the line cannot start a SIP message. */
static const char *start_line(const char *p, const char *e, bool *bad)
{
    if (sip_int_is(*p, SIP_CC_CTL)) {
        *bad = true; /* TLS records, binary protocols: no start line begins with a control byte */
        return NULL;
    }
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl)
        return NULL;
    const char *lend = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
    size_t voff, vlen;
    if (sip_int_line_kind(p, (size_t)(lend - p), &voff, &vlen) == SIP_INT_NOT_SIP) {
        *bad = true;
        return NULL;
    }
    return nl + 1;
}

int sip_frame_len(const void *data, size_t len, size_t *msg_len, size_t *skip)
{
    const char *b = data, *e = b + len, *p = b;
    *msg_len = 0;
    while (p < e && (*p == '\r' || *p == '\n'))
        p++;
    *skip = (size_t)(p - b);
    if (p == e)
        return 0;
    bool bad = false;
    p = start_line(p, e, &bad);
    if (!p)
        return bad ? ERR_PARSE : 0;
    struct cl_state cl = { false, 0 };
    for (;;) {
        if (p >= e || (*p == '\r' && p + 1 == e))
            return 0;
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            p += *p == '\n' ? 1 : 2;
            break;
        }
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        while (nl && nl + 1 < e && (nl[1] == ' ' || nl[1] == '\t'))
            nl = memchr(nl + 1, '\n', (size_t)(e - nl - 1));
        if (!nl || nl + 1 == e)
            return 0;
        if (content_length_field(p, nl, &cl) < 0)
            return ERR_PARSE;
        p = nl + 1;
    }
    if (!cl.have)
        return ERR_PARSE;
    size_t head = (size_t)(p - b);
    if (cl.value > len - head)
        return 0;
    *msg_len = head + cl.value;
    return 1;
}
