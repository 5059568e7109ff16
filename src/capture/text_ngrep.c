/* ngrep output, as support tickets paste it.
 *
 * Each packet starts with "U|T [(proto)] [YYYY/MM/DD HH:MM:SS.uuuuuu ] SRC:PORT -> DST:PORT
 * [[flags]] [#N]" ('-t' adds the time; '+S.uuuuuu' of '-T' is relative and not used). The
 * payload follows in one of ngrep's dump formats:
 *   byline (-W byline): the payload's own lines, each CR shown as '.', so a CRLF line ends in
 *     '.'; the '.' is turned back into CR when the start line ends in one;
 *   normal (default): the payload wrapped at the terminal width, each piece indented by two
 *     blanks, every CR, LF and other unprintable byte shown as '.';
 *   single (-W single): the same on the header line itself, after the addresses.
 * For the last two, the pieces are joined and each run of dots is read as pairs of CRLF, a
 * lone leading dot of an odd run as a real '.': "a=x..." is "a=x." and CRLF. Tabs and other
 * unprintable bytes are lost by ngrep and stay dots. A block ends at the next packet header or
 * at a line of '#' (ngrep's per-packet hash marks). A TCP packet may hold several messages or
 * part of one; the reader cuts what is there. */
#include "capture/text_int.h"

static bool is_hashes(const uint8_t *p, size_t n)
{
    n = tx_rtrim(p, n);
    for (size_t i = 0; i < n; i++)
        if (p[i] != '#')
            return false;
    return n > 0;
}

/* "+S.uuuuuu " (relative time of -T): bytes used, or 0. */
static size_t relative_time(const uint8_t *p, size_t n)
{
    size_t i = 1;
    if (n < 4 || p[0] != '+')
        return 0;
    while (i < n && (tx_digit(p[i]) || p[i] == '.'))
        i++;
    return i < n && p[i] == ' ' ? i + 1 : 0;
}

/* After the destination: " [FLAGS]", " #N", and with -W single the payload. Returns false when
 * the rest is not ngrep's. */
static bool header_tail(const uint8_t *p, size_t n, size_t i, struct text_hdr *h)
{
    if (i < n && p[i] == ' ' && i + 1 < n && p[i + 1] == '[') {
        const uint8_t *rb = memchr(p + i, ']', n - i);
        if (!rb)
            return false;
        i = (size_t)(rb - p) + 1;
    }
    if (i + 1 < n && p[i] == ' ' && p[i + 1] == '#') {
        size_t k = i + 2;
        while (k < n && tx_digit(p[k]))
            k++;
        if (k == n)
            return true;
    }
    if (i < n && p[i] == ' ' && i + 1 < n) {
        h->inline_payload = i + 1;
        return true;
    }
    return i == n;
}

bool text_ngrep_header(const uint8_t *p, size_t n, struct text_hdr *h)
{
    if (n < 12 || !memchr("UTIG?", p[0], 5))
        return false;
    size_t i = 1;
    if (p[i] == '(') {
        while (i < n && p[i] != ')')
            i++;
        i++;
    }
    if (i >= n || p[i] != ' ')
        return false;
    i++;
    size_t k = text_parse_time(p + i, n - i, &h->t);
    if (k && h->t.year && i + k < n && p[i + k] == ' ') {
        h->raw_time = true;
        i += k + 1;
    } else {
        memset(&h->t, 0, sizeof(h->t));
        i += relative_time(p + i, n - i);
    }
    size_t arrow = i + tx_find(p + i, n - i, " -> ");
    if (arrow >= n || !text_parse_addr(p + i, arrow - i, &h->src, false))
        return false;
    size_t d = arrow + 4, e = d;
    while (e < n && p[e] != ' ')
        e++;
    if (!text_parse_addr(p + d, e - d, &h->dst, false) || !header_tail(p, n, e, h))
        return false;
    h->shape = TEXT_NGREP;
    h->transport = p[0] == 'U' ? CAP_TP_UDP : p[0] == 'T' ? CAP_TP_TCP : CAP_TP_UNKNOWN;
    if (!h->raw_time)
        memset(&h->t, 0, sizeof(h->t));
    return true;
}

/* Turn runs of dots in b[from..blen) into CRLFs in place: k dots are (k % 2) dots and k / 2
 * CRLF pairs, the same number of bytes. */
static void undot(struct text_rd *r, size_t from)
{
    uint8_t *b = r->blk;
    size_t i = from;
    while (i < r->blen) {
        if (b[i] != '.') {
            i++;
            continue;
        }
        size_t k = i;
        while (k < r->blen && b[k] == '.')
            k++;
        size_t run = k - i, j = i + run % 2;
        for (; j < k; j += 2) {
            b[j] = '\r';
            b[j + 1] = '\n';
        }
        i = k;
    }
    r->cf->st.n[CAP_STAT_TEXT_UNESCAPED]++;
}

/* Is the line the start line of a byline dump (possibly ending with the '.' of its CR)? */
static bool byline_start(const uint8_t *p, size_t n, bool *crlf)
{
    n = tx_rtrim(p, n);
    *crlf = n > 0 && p[n - 1] == '.';
    size_t m = n - *crlf;
    return m > 0 && cap_sip_line(p, m) == m;
}

/* End of the packet's lines: the offset of the next header or hash-mark line (hash marks are
 * consumed with the block). */
static size_t block_end(struct text_rd *r, size_t at, size_t *consume)
{
    for (;;) {
        struct text_line l;
        if (!tr_line(r, at, &l)) {
            *consume = at;
            return at;
        }
        if (is_hashes(l.p, l.len)) {
            *consume = l.next;
            return at;
        }
        if (text_is_marker(r, &l)) {
            *consume = at;
            return at;
        }
        at = l.next;
    }
}

int text_ngrep_block(struct text_rd *r, const struct text_line *ln, struct text_hdr *h)
{
    if (h->inline_payload) {
        size_t from = r->blen;
        tr_put(r, ln->p + h->inline_payload, tx_rtrim(ln->p, ln->len) - h->inline_payload);
        undot(r, from);
        tr_consume(r, ln->next);
        r->bh = *h;
        return 1;
    }
    size_t consume, end = block_end(r, ln->next, &consume);
    size_t at = ln->next;
    struct text_line l;
    while (at < end && tr_line(r, at, &l) && tx_blank(l.p, l.len))
        at = l.next;
    bool crlf = false, byline = at < end && tr_line(r, at, &l) && byline_start(l.p, l.len, &crlf);
    size_t from = r->blen;
    while (at < end && tr_line(r, at, &l)) {
        size_t n = l.len;
        if (byline) {
            bool cr = crlf && n > 0 && l.p[n - 1] == '.';
            tr_put(r, l.p, n - cr);
            tr_put(r, cr ? "\r\n" : "\n", cr ? 2 : 1);
        } else {
            size_t k = n >= 2 && l.p[0] == ' ' && l.p[1] == ' ' ? 2 : 0;
            tr_put(r, l.p + k, n - k - (n > 0 && l.p[n - 1] == '\r'));
        }
        at = l.next;
    }
    if (!byline) {
        while (r->blen > from && r->blk[r->blen - 1] == ' ')
            r->blen--; /* the padding of the last wrapped piece */
        undot(r, from);
    }
    tr_consume(r, consume);
    r->bh = *h;
    return 1;
}
