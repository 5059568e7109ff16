/* SIP text inputs: raw SIP messages and traces pasted from logs.
 *
 * This file holds the reader's frame: SIP start-line recognition (shared with hep.c), format
 * detection, the line window over the input, and cutting messages out of the blocks that the
 * shapes (text_shapes.c, text_ngrep.c) rebuild from their log framing. A message ends where
 * its Content-Length says when that fits the text (the count may be in CRLF bytes while the
 * text has bare LF: both are tried), else at a length the log announced ("N bytes"), else at
 * the end of its block with trailing blank lines dropped. Each message becomes one frame of the
 * pseudo link type CAP_LINK_SIP_MESSAGE whose cap_meta says what the log told: time (or none:
 * CAP_F_NO_TIME, frames in sequence order), addresses (or CAP_F_NO_ADDR), transport (else the
 * top Via's). Lines outside messages are noise: skipped and counted, never silently. Message
 * bytes keep their line endings as the text has them; nothing here parses SIP beyond the
 * start line, header names and Content-Length. */
#include <stdio.h>
#include <stdlib.h>

#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"
#include "capture/text_int.h"

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
 * Request-URI without blanks holding a ':', blanks, and a SIP version that ends the line. */
static bool request_line(const uint8_t *p, size_t end)
{
    size_t m = 0;
    while (m < end && is_token(p[m]))
        m++;
    if (m == 0 || m >= end || p[m] != ' ')
        return false;
    while (m < end && p[m] == ' ')
        m++;
    size_t u = m;
    while (u < end && p[u] != ' ')
        u++;
    size_t v = u;
    while (v < end && p[v] == ' ')
        v++;
    if (u == m || v == u || sip_version_at(p, v, end) != end)
        return false;
    return memchr(p + m, ':', u - m) != NULL;
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

/* ---- window ---- */

static void tr_refresh(struct text_rd *r, size_t want)
{
    if (want > TEXT_WINDOW_MAX)
        want = TEXT_WINDOW_MAX;
    const uint8_t *p;
    int64_t n = cap_src_need(r->cf, want, &p);
    if (n < 0) {
        r->io_rc = ERR_IO;
        r->wlen = 0;
        r->weof = true;
        return;
    }
    r->w = p;
    r->wlen = (size_t)n;
    r->weof = (size_t)n < want;
}

bool tr_line(struct text_rd *r, size_t at, struct text_line *ln)
{
    for (;;) {
        if (at < r->wlen) {
            const uint8_t *nl = memchr(r->w + at, '\n', r->wlen - at);
            if (nl || r->weof || r->wlen >= TEXT_WINDOW_MAX) {
                size_t end = nl ? (size_t)(nl - r->w) : r->wlen;
                *ln = (struct text_line){ .p = r->w + at,
                                          .off = at,
                                          .len = end - at,
                                          .next = nl ? end + 1 : end,
                                          .nl = nl != NULL };
                return true;
            }
        } else if (r->weof || r->io_rc || r->wlen >= TEXT_WINDOW_MAX) {
            return false;
        }
        size_t want = r->wlen < (64u << 10) ? (64u << 10) : r->wlen * 2;
        tr_refresh(r, want);
    }
}

void tr_consume(struct text_rd *r, size_t n)
{
    cap_src_skip(r->cf, n);
    r->w += n;
    r->wlen -= n;
}

/* ---- block buffer ---- */

bool tr_put(struct text_rd *r, const void *p, size_t n)
{
    if (r->over || r->blen + n > TEXT_MSG_MAX) {
        r->over = true;
        return false;
    }
    if (r->blen + n > r->bcap) {
        size_t cap = r->bcap ? r->bcap : 4096;
        while (cap < r->blen + n)
            cap *= 2;
        r->blk = xrealloc(r->blk, cap);
        r->bcap = cap;
    }
    if (n)
        memcpy(r->blk + r->blen, p, n);
    r->blen += n;
    return true;
}

bool tr_put_line(struct text_rd *r, const uint8_t *p, size_t n, bool nl)
{
    return tr_put(r, p, n) && (!nl || tr_put(r, "\n", 1));
}

/* ---- cutting messages out of a block ---- */

static void count(struct text_rd *r, enum cap_stat s, uint64_t n)
{
    r->cf->st.n[s] += n;
}

/* End of the line starting at a in m[0..n): offset of its '\n', or n. */
static size_t line_end(const uint8_t *m, size_t n, size_t a)
{
    const uint8_t *nl = memchr(m + a, '\n', n - a);
    return nl ? (size_t)(nl - m) : n;
}

static size_t next_line(const uint8_t *m, size_t n, size_t a)
{
    size_t e = line_end(m, n, a);
    return e < n ? e + 1 : n;
}

/* A "name:" header line? (RFC 3261 §7.3.1: token, optional blanks, colon.) */
static bool header_line(const uint8_t *p, size_t n, size_t *name_len)
{
    size_t k = 0;
    while (k < n && is_token(p[k]))
        k++;
    *name_len = k;
    while (k < n && (p[k] == ' ' || p[k] == '\t'))
        k++;
    return *name_len > 0 && k < n && p[k] == ':';
}

static bool name_is(const uint8_t *p, size_t n, const char *lit)
{
    if (n != strlen(lit))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != lit[i])
            return false;
    return true;
}

int64_t text_header_cl(const uint8_t *p, size_t n)
{
    size_t name_len;
    if (!header_line(p, n, &name_len) ||
        (!name_is(p, name_len, "content-length") && !name_is(p, name_len, "l")))
        return -1;
    size_t k = name_len;
    while (k < n && p[k] != ':')
        k++;
    k++;
    while (k < n && (p[k] == ' ' || p[k] == '\t'))
        k++;
    int64_t v = 0;
    size_t d = k;
    while (k < n && tx_digit(p[k]) && k - d < 12)
        v = v * 10 + (p[k++] - '0');
    return k > d ? v : -1;
}

struct msg_scan {
    bool ended;    /* a blank line ends the headers */
    size_t body;   /* offset after that blank line */
    int64_t cl;    /* first Content-Length, -1 if none */
    unsigned hdrs; /* header lines seen */
};

static void scan_headers(const uint8_t *m, size_t n, struct msg_scan *sc)
{
    *sc = (struct msg_scan){ .body = n, .cl = -1 };
    for (size_t a = next_line(m, n, 0); a < n; a = next_line(m, n, a)) {
        size_t e = line_end(m, n, a), nl;
        if (tx_blank(m + a, e - a)) {
            if (tx_rtrim(m + a, e - a) == 0 && e - a <= 1) {
                sc->body = e < n ? e + 1 : n;
                sc->ended = true;
                return;
            }
            continue; /* a line of blanks: folding gone wrong, not the end */
        }
        if (header_line(m + a, e - a, &nl)) {
            sc->hdrs++;
            if (sc->cl < 0)
                sc->cl = text_header_cl(m + a, e - a);
        }
    }
}

/* Where a body (or whole message) of want bytes that starts at m[from] ends, if some line
 * boundary of the text gives exactly want bytes, counting line ends as they are or as CRLF
 * (the text may have lost its CRs); 0 when none does. */
static size_t fit_len(const uint8_t *m, size_t n, size_t from, uint64_t want)
{
    uint64_t raw = 0, crlf = 0;
    if (want == 0)
        return from;
    for (size_t a = from; a < n;) {
        size_t e = line_end(m, n, a);
        size_t c = e - a, c_nocr = c - (c > 0 && m[e - 1] == '\r');
        /* the body had no line end of its own; the log added one */
        if (raw + c == want)
            return e;
        if (crlf + c_nocr == want)
            return a + c_nocr;
        raw += c + (e < n);
        crlf += c_nocr + 2;
        if (raw == want || crlf == want)
            return e < n ? e + 1 : n;
        if (raw > want)
            return 0;
        a = e < n ? e + 1 : n;
    }
    return 0;
}

/* Drop blank lines at the end of m[0..n), never before min. */
static size_t trim_tail(const uint8_t *m, size_t n, size_t min)
{
    while (n > min) {
        size_t e = n, a = e;
        if (m[e - 1] == '\n')
            e--;
        a = e;
        while (a > min && m[a - 1] != '\n')
            a--;
        if (!tx_blank(m + a, e - a) || a < min)
            break;
        n = a;
    }
    return n;
}

/* Length of the message that starts m[0..n) (m starts with its start line). */
static size_t message_len(struct text_rd *r, const uint8_t *m, size_t n, const struct msg_scan *sc)
{
    if (r->bh.announced) {
        size_t k = fit_len(m, n, 0, r->bh.announced);
        if (k) {
            count(r, CAP_STAT_TEXT_ANNOUNCED, 1);
            return k;
        }
    }
    if (!sc->ended)
        return trim_tail(m, n, 0);
    if (sc->cl >= 0) {
        /* An exact fit on a line boundary is taken as the truth: text after it is noise. */
        size_t k = fit_len(m, n, sc->body, (uint64_t)sc->cl);
        if (k)
            return k;
        count(r, CAP_STAT_TEXT_CL_IGNORED, 1);
    }
    return trim_tail(m, n, sc->body);
}

/* Noise inside a block (text that is not a message): counted by lines and bytes. */
static void block_noise(struct text_rd *r, const uint8_t *m, size_t n)
{
    for (size_t a = 0; a < n; a = next_line(m, n, a)) {
        size_t e = line_end(m, n, a);
        if (!tx_blank(m + a, e - a)) {
            count(r, CAP_STAT_TEXT_NOISE_LINES, 1);
            count(r, CAP_STAT_TEXT_NOISE_BYTES, e - a + (e < n));
        }
    }
}

static const enum cap_stat shape_stat[TEXT_SHAPE__COUNT] = {
    [TEXT_SIP] = CAP_STAT_TEXT_SHAPE_SIP,       [TEXT_ESCAPED] = CAP_STAT_TEXT_SHAPE_ESCAPED,
    [TEXT_SNGREP] = CAP_STAT_TEXT_SHAPE_SNGREP, [TEXT_CHAN_SIP] = CAP_STAT_TEXT_SHAPE_CHAN_SIP,
    [TEXT_PJSIP] = CAP_STAT_TEXT_SHAPE_PJSIP,   [TEXT_FREESWITCH] = CAP_STAT_TEXT_SHAPE_FREESWITCH,
    [TEXT_PJSUA] = CAP_STAT_TEXT_SHAPE_PJSUA,   [TEXT_SIPDUMP] = CAP_STAT_TEXT_SHAPE_SIPDUMP,
    [TEXT_NGREP] = CAP_STAT_TEXT_SHAPE_NGREP,
};

static void fill_frame(struct text_rd *r, const uint8_t *m, size_t len, struct cap_frame *f)
{
    const struct text_hdr *h = &r->bh;
    struct cap_meta *mt = &r->cf->meta;
    mt->flags = 0;
    if (!h->has_time) {
        mt->flags |= CAP_F_NO_TIME;
        count(r, CAP_STAT_TEXT_NO_TIME, 1);
    } else if (h->no_date) {
        mt->flags |= CAP_F_NO_DATE;
        count(r, CAP_STAT_TEXT_NO_DATE, 1);
    }
    if (!h->src.family && !h->dst.family) {
        mt->flags |= CAP_F_NO_ADDR;
        count(r, CAP_STAT_TEXT_NO_ADDR, 1);
    }
    mt->src = h->src;
    mt->dst = h->dst;
    mt->transport = h->transport ? h->transport : (uint8_t)text_via_transport(m, len);
    count(r, shape_stat[h->shape], 1);
    f->data = m;
    f->caplen = f->origlen = (uint32_t)len;
    f->ts_ns = h->has_time ? h->ts : (int64_t)r->cf->frames + 1;
    f->offset = h->offset;
    f->linktype = CAP_LINK_SIP_MESSAGE;
    f->if_id = 0;
    f->meta = mt;
}

/* Cut the next message from the block into f: 1, or 0 when the block holds no more. */
static int cut_next(struct text_rd *r, struct cap_frame *f)
{
    const uint8_t *b = r->blk;
    size_t s = r->boff, n = r->blen;
    while (s < n) {
        size_t e = line_end(b, n, s);
        struct msg_scan sc;
        if (!tx_blank(b + s, e - s) && cap_sip_line(b + s, n - s)) {
            scan_headers(b + s, n - s, &sc);
            if (sc.hdrs > 0 || !r->bh.need_headers)
                break;
        }
        block_noise(r, b + s, next_line(b, n, s) - s);
        s = next_line(b, n, s);
    }
    if (s >= n) {
        if (!r->cut_any && n > 0)
            count(r, CAP_STAT_TEXT_NOT_SIP, 1);
        return 0;
    }
    struct msg_scan sc;
    scan_headers(b + s, n - s, &sc);
    size_t len = message_len(r, b + s, n - s, &sc);
    r->boff = s + len;
    r->cut_any = true;
    fill_frame(r, b + s, len, f);
    return 1;
}

/* A line that belongs to no message. */
static void noise_line(struct text_rd *r, const struct text_line *ln)
{
    r->have_line_t = false;
    text_note_line_time(r, ln->p, ln->len);
    if (!tx_blank(ln->p, ln->len)) {
        count(r, CAP_STAT_TEXT_NOISE_LINES, 1);
        count(r, CAP_STAT_TEXT_NOISE_BYTES, ln->next - ln->off);
    }
    tr_consume(r, ln->next);
}

static int text_next(struct cap_file *cf, struct cap_frame *f)
{
    struct text_rd *r = cf->text;
    for (;;) {
        if (r->boff < r->blen && cut_next(r, f))
            return 1;
        r->blen = r->boff = 0;
        r->cut_any = false;
        tr_refresh(r, r->wlen > (64u << 10) ? r->wlen : (64u << 10));
        struct text_line ln;
        if (!tr_line(r, 0, &ln))
            return r->io_rc;
        r->over = false;
        uint64_t start = cf->pos;
        int rc = text_shape_block(r, &ln);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            noise_line(r, &ln);
        } else if (r->over) {
            count(r, CAP_STAT_TEXT_OVERSIZED, 1);
            count(r, CAP_STAT_TEXT_NOISE_BYTES, cf->pos - start);
            r->blen = 0;
        }
    }
}

/* ---- detection and opening ---- */

bool cap_text_detect(const uint8_t *p, size_t len)
{
    struct cap_file cf;
    memset(&cf, 0, sizeof(cf));
    cf.base = p;
    cf.size = len;
    cf.direct = true;
    struct text_rd r;
    memset(&r, 0, sizeof(r));
    r.cf = &cf;
    r.w = p;
    r.wlen = len;
    r.weof = true;
    /* Complete lines only: a shape's header line, or a SIP start line. The text before it must
     * look like text: a binary file (a capture in a format we do not read) holds SIP payloads
     * too, but is not a trace. */
    size_t binary = 0;
    for (size_t at = 0; at < len;) {
        struct text_line ln;
        if (!tr_line(&r, at, &ln) || !ln.nl)
            break;
        size_t col, end;
        bool esc;
        if (text_is_marker(&r, &ln) || text_find_start(ln.p, ln.len, &col, &end, &esc))
            return binary * 100 <= at;
        for (size_t i = 0; i < ln.len; i++)
            binary += ln.p[i] < 0x20 && ln.p[i] != '\t' && ln.p[i] != '\r' && ln.p[i] != 0x1b;
        at = ln.next;
    }
    /* A first line too long to see its end: a request line with a SIP URI. */
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (memchr(p + i, '\n', len - i) || starts(p + i, len - i, "SIP/"))
        return starts(p + i, len - i, "SIP/2.0 ");
    size_t m = i;
    while (m < len && is_token(p[m]))
        m++;
    if (m == i || m >= len || p[m] != ' ')
        return false;
    while (m < len && p[m] == ' ')
        m++;
    return starts(p + m, len - m, "sip:") || starts(p + m, len - m, "sips:") ||
           starts(p + m, len - m, "tel:");
}

int cap_text_open(struct cap_file *cf, char *err, size_t errcap)
{
    (void)err;
    (void)errcap;
    cf->fmt = CAP_FMT_SIP_TEXT;
    cf->next = text_next;
    cf->text = xcalloc(1, sizeof(*cf->text));
    cf->text->cf = cf;
    return 0;
}

void cap_text_close(struct cap_file *cf)
{
    if (!cf->text)
        return;
    free(cf->text->blk);
    free(cf->text->msg);
    free(cf->text);
    cf->text = NULL;
}
