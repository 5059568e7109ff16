/* SIP text inputs: a file that holds one raw SIP message (RFC 4475 style .dat files).
 *
 * Detection looks at the first line after optional white space: a status line ("SIP/") or a
 * request line (a token, a space, and " SIP/" later on the line, or a sip:/sips:/tel: URI when
 * the line is too long to see its end). The whole file then becomes one frame of the pseudo link
 * type CAP_LINK_SIP_MESSAGE, with no time and no addresses. Log exports with several messages
 * and timestamps are a later extension of cap_text_open; nothing here parses SIP. */
#include <stdio.h>

#include "capture/capture.h"
#include "capture/capture_int.h"

/* RFC 3261 §25.1 token characters. */
static bool is_token(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && memchr("-.!%*_+`'~", c, 10) != NULL;
}

static bool starts(const uint8_t *p, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && memcmp(p, lit, n) == 0;
}

/* "SIP/" 1*DIGIT "." 1*DIGIT at p[i..end): the index after it, or 0. */
static size_t sip_version_at(const uint8_t *p, size_t i, size_t end)
{
    if (end - i < 7 || memcmp(p + i, "SIP/", 4) != 0)
        return 0;
    size_t k = i + 4, d = k;
    while (k < end && p[k] >= '0' && p[k] <= '9')
        k++;
    if (k == d || k >= end || p[k] != '.')
        return 0;
    d = ++k;
    while (k < end && p[k] >= '0' && p[k] <= '9')
        k++;
    return k > d ? k : 0;
}

/* Status-Line (RFC 3261 §7.2) in p[0..end): version, SP, three digits, then SP or the end. */
static bool status_line(const uint8_t *p, size_t end)
{
    size_t k = sip_version_at(p, 0, end);
    if (!k || end - k < 4 || p[k] != ' ')
        return false;
    for (size_t i = k + 1; i < k + 4; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return end == k + 4 || p[k + 4] == ' ';
}

/* Request-Line (RFC 3261 §7.1) in p[0..end), trailing blanks already cut: a token, blanks, a
 * Request-URI holding a ':' (blanks inside it are tolerated: the parser flags them), blanks,
 * and a SIP version that ends the line. */
static bool request_line(const uint8_t *p, size_t end)
{
    size_t m = 0;
    while (m < end && is_token(p[m]))
        m++;
    if (m == 0 || m >= end || p[m] != ' ')
        return false;
    size_t v = end;
    while (v > m && p[v - 1] != ' ')
        v--;
    if (v <= m + 1 || sip_version_at(p, v, end) != end)
        return false;
    return memchr(p + m, ':', v - m) != NULL;
}

size_t cap_sip_line(const uint8_t *p, size_t len)
{
    const uint8_t *nl = memchr(p, '\n', len);
    size_t end = nl ? (size_t)(nl - p) : len;
    while (end > 0 && (p[end - 1] == '\r' || p[end - 1] == ' ' || p[end - 1] == '\t'))
        end--;
    if (end < 11)
        return 0;
    return status_line(p, end) || request_line(p, end) ? end : 0;
}

bool cap_sip_start(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len && (p[i] == '\r' || p[i] == '\n'))
        i++;
    return cap_sip_line(p + i, len - i) > 0;
}

bool cap_text_detect(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (starts(p + i, len - i, "SIP/"))
        return true;
    size_t m = i;
    while (m < len && is_token(p[m]))
        m++;
    if (m == i || m >= len || p[m] != ' ')
        return false;
    const uint8_t *nl = memchr(p + m, '\n', len - m);
    size_t end = nl ? (size_t)(nl - p) : len;
    for (size_t k = m; k + 5 <= end; k++)
        if (p[k] == ' ' && memcmp(p + k + 1, "SIP/", 4) == 0)
            return true;
    if (nl)
        return false;
    size_t u = m;
    while (u < len && p[u] == ' ')
        u++;
    return starts(p + u, len - u, "sip:") || starts(p + u, len - u, "sips:") ||
           starts(p + u, len - u, "tel:");
}

static int text_next(struct cap_file *cf, struct cap_frame *f)
{
    const uint8_t *p;
    uint64_t off = cf->pos;
    /* Ask for more until the input ends, so a small file needs only a small buffer. */
    size_t want = 65536;
    int64_t n;
    for (;;) {
        n = cap_src_need(cf, want, &p);
        if (n < 0 || (size_t)n < want)
            break;
        if (want > CAP_MAX_BLOCK)
            return cap_damage(cf, ERR_FORMAT, off, "SIP message file larger than %u bytes",
                              CAP_MAX_BLOCK);
        want = want * 2 > CAP_MAX_BLOCK ? (size_t)CAP_MAX_BLOCK + 1 : want * 2;
    }
    if (n <= 0)
        return (int)n;
    f->data = p;
    f->caplen = f->origlen = (uint32_t)n;
    f->ts_ns = (int64_t)cf->frames + 1;
    f->offset = off;
    f->linktype = CAP_LINK_SIP_MESSAGE;
    f->if_id = 0;
    f->meta = &cf->meta;
    cap_src_skip(cf, (size_t)n);
    return 1;
}

int cap_text_open(struct cap_file *cf, char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    cf->fmt = CAP_FMT_SIP_TEXT;
    cf->next = text_next;
    cf->meta = (struct cap_meta){ .flags = CAP_F_NO_TIME | CAP_F_NO_ADDR, .transport = CAP_TP_UDP };
    return 0;
}
