/* The trace shapes the text reader knows, each a header rule and a block collector.
 *
 * Header rules (checked on every line outside a block, in this order; the first that matches
 * starts a block):
 *   sipdump     "====================" followed by "tag: ..." (Kamailio sipdump module):
 *               key/value lines (time, proto, srcip/port, dstip/port) up to "~~~~~~~~~~~~~~~~~~~~",
 *               then the message as sent or received, up to "||||||||||||||||||||".
 *   freeswitch  "recv|send N bytes from|to PROTO/[ADDR]:PORT at HH:MM:SS.uuuuuu:" (sofia
 *               siptrace): the message between two dashed lines, each line indented by 3 blanks.
 *   pjsua       "... RX|TX N bytes ... from|to PROTO ADDR:PORT:" (pjsip's own log), up to
 *               "--end msg--"; the log line may start with its time.
 *   asterisk    "<--- SIP read from PROTO:ADDR --->" / "<--- [Reliably ]Transmitting (...) to
 *               ADDR --->" (chan_sip, up to a "<------------>" line), and "<--- Received|
 *               Transmitting SIP request|response (N bytes) from|to PROTO:ADDR --->" (pjsip
 *               logger, up to the next marker or log line).
 *   ngrep       "U|T [time] SRC:PORT -> DST:PORT [flags] [#N]" (text_ngrep.c).
 *   sngrep      "YYYY/MM/DD HH:MM:SS.uuuuuu SRC:PORT -> DST:PORT" (sngrep's save as .txt).
 *   escaped     a line holding a SIP start line after a log prefix, followed on the same line by
 *               escaped line ends (rsyslog's #015#012, or \r\n): one message per line.
 *   sip         a SIP start line at the beginning of a line (after blanks), or ending a line
 *               after a log prefix (xlog of $mb to stderr or journald): the message follows as
 *               it is, lines indented like the start line losing that indentation. It ends at
 *               the next start line (unless Content-Length says the body is not over: a
 *               message/sipfrag body), at a marker of another shape, or, after a log prefix,
 *               at the next line that starts with a time.
 * Times come from the header line, else (Asterisk, bare SIP) from the log line just before. */
#include "capture/text_int.h"

/* ---- a scanner over one line ---- */

struct sc {
    const uint8_t *p;
    size_t n, i;
};

static bool sc_lit(struct sc *s, const char *lit)
{
    size_t k = strlen(lit);
    if (s->n - s->i < k || memcmp(s->p + s->i, lit, k) != 0)
        return false;
    s->i += k;
    return true;
}

static bool sc_num(struct sc *s, uint64_t *v)
{
    size_t d = s->i;
    uint64_t x = 0;
    while (s->i < s->n && tx_digit(s->p[s->i]) && s->i - d < 12)
        x = x * 10 + (s->p[s->i++] - '0');
    *v = x;
    return s->i > d;
}

/* Offset of lit at or after s->i, or s->n. */
static size_t sc_find(const struct sc *s, const char *lit)
{
    return s->i + tx_find(s->p + s->i, s->n - s->i, lit);
}

/* A time at p[0..n) (optionally after '['), kept as written in h. */
static bool hdr_time(const uint8_t *p, size_t n, struct text_hdr *h)
{
    if (n > 0 && p[0] == '[')
        p++, n--;
    h->raw_time = text_parse_time(p, n, &h->t) > 0;
    return h->raw_time;
}

/* "PROTO:ADDR" (Asterisk) in p[0..n). */
static bool tp_addr(const uint8_t *p, size_t n, uint8_t *tp, struct cap_addr *a)
{
    size_t c = 0;
    while (c < n && p[c] != ':')
        c++;
    if (c == n)
        return false;
    *tp = (uint8_t)text_transport(p, c);
    return text_parse_addr(p + c + 1, n - c - 1, a, false);
}

/* ---- header rules (pure: they only look at the line) ---- */

static bool fs_header(const uint8_t *p, size_t n, struct text_hdr *h)
{
    struct sc s = { p, n, 0 };
    bool recv = sc_lit(&s, "recv ");
    uint64_t len;
    if ((!recv && !sc_lit(&s, "send ")) || !sc_num(&s, &len) || !sc_lit(&s, " bytes ") ||
        !sc_lit(&s, recv ? "from " : "to "))
        return false;
    size_t slash = sc_find(&s, "/[");
    size_t rb = slash + tx_find(p + slash, n - slash, "]:");
    size_t at = rb + tx_find(p + rb, n - rb, " at ");
    if (slash >= n || rb >= n || at >= n || n < at + 13 || p[n - 1] != ':')
        return false;
    struct cap_addr a;
    size_t port_end = rb + 2;
    while (port_end < at && tx_digit(p[port_end]))
        port_end++;
    if (!text_parse_addr(p + slash + 1, port_end - slash - 1, &a, false) ||
        !hdr_time(p + at + 4, n - 1 - (at + 4), h))
        return false;
    h->shape = TEXT_FREESWITCH;
    h->transport = (uint8_t)text_transport(p + s.i, slash - s.i);
    h->announced = len;
    if (recv)
        h->src = a;
    else
        h->dst = a;
    return true;
}

static bool pjsua_header(const uint8_t *p, size_t n, struct text_hdr *h)
{
    if (n < 24 || p[n - 1] != ':')
        return false;
    struct sc s = { p, n, 0 };
    size_t k;
    for (;;) {
        k = sc_find(&s, "X ");
        if (k >= n || k == 0)
            return false;
        s.i = k + 2;
        uint64_t len;
        bool rx = p[k - 1] == 'R';
        bool word = k < 2 || !((p[k - 2] | 0x20) >= 'a' && (p[k - 2] | 0x20) <= 'z');
        if ((rx || p[k - 1] == 'T') && word && sc_num(&s, &len) && sc_lit(&s, " bytes ")) {
            h->announced = len;
            break;
        }
    }
    bool rx = p[k - 1] == 'R';
    size_t e = n - 1, a = e, t;
    while (a > s.i && p[a - 1] != ' ')
        a--;
    t = a > 0 ? a - 1 : 0;
    while (t > s.i && p[t - 1] != ' ')
        t--;
    const char *dir = rx ? " from " : " to ";
    size_t dl = strlen(dir);
    if (t < s.i + dl || memcmp(p + t - dl, dir, dl) != 0)
        return false;
    struct cap_addr addr;
    if (!text_parse_addr(p + a, e - a, &addr, false))
        return false;
    h->shape = TEXT_PJSUA;
    h->transport = (uint8_t)text_transport(p + t, a - 1 - t);
    if (rx)
        h->src = addr;
    else
        h->dst = addr;
    hdr_time(p, k, h);
    return true;
}

/* The part of an Asterisk marker after "<--- ". */
static bool ast_marker(struct sc *s, struct text_hdr *h)
{
    size_t end = s->n - 5; /* before " --->" */
    uint64_t len = 0;
    struct cap_addr a;
    if (sc_lit(s, "SIP read from ")) {
        h->shape = TEXT_CHAN_SIP;
        if (s->i > end || !tp_addr(s->p + s->i, end - s->i, &h->transport, &a))
            return false;
        h->src = a;
        return true;
    }
    bool in = sc_lit(s, "Received SIP ");
    if (in || sc_lit(s, "Transmitting SIP ")) {
        if ((!sc_lit(s, "request (") && !sc_lit(s, "response (")) || !sc_num(s, &len) ||
            !sc_lit(s, " bytes) ") || !sc_lit(s, in ? "from " : "to ") || s->i > end ||
            !tp_addr(s->p + s->i, end - s->i, &h->transport, &a))
            return false;
        h->shape = TEXT_PJSIP;
        h->announced = len;
        if (in)
            h->src = a;
        else
            h->dst = a;
        return true;
    }
    (void)sc_lit(s, "Reliably ");
    if (!sc_lit(s, "Transmitting ("))
        return false;
    s->i = sc_find(s, ") to ") + 5;
    if (s->i > end || !text_parse_addr(s->p + s->i, end - s->i, &a, false))
        return false;
    h->shape = TEXT_CHAN_SIP;
    h->dst = a;
    return true;
}

static bool ast_header(const uint8_t *p, size_t n, struct text_hdr *h)
{
    size_t k = tx_find(p, n, "<--- ");
    if (k >= n || n < k + 15 || memcmp(p + n - 5, " --->", 5) != 0)
        return false;
    struct sc s = { p, n, k + 5 };
    if (!ast_marker(&s, h))
        return false;
    if (k > 0)
        hdr_time(p, k, h);
    return true;
}

static bool sngrep_header(const uint8_t *p, size_t n, struct text_hdr *h)
{
    if (n < 30 || p[4] != '/')
        return false;
    size_t k = text_parse_time(p, n, &h->t); /* "YYYY/MM/DD HH:MM:SS.uuuuuu" */
    if (!k || !h->t.year || k >= n || p[k] != ' ')
        return false;
    h->raw_time = true;
    size_t arrow = k + tx_find(p + k, n - k, " -> ");
    if (arrow >= n || arrow <= k || !text_parse_addr(p + k + 1, arrow - k - 1, &h->src, false) ||
        !text_parse_addr(p + arrow + 4, n - arrow - 4, &h->dst, false))
        return false;
    h->shape = TEXT_SNGREP;
    return true;
}

static bool is_rule(const uint8_t *p, size_t n, uint8_t c, size_t min)
{
    n = tx_rtrim(p, n);
    if (n < min)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] != c)
            return false;
    return true;
}

static bool sipdump_header(struct text_rd *r, const struct text_line *ln)
{
    if (!is_rule(ln->p, ln->len, '=', 20))
        return false;
    struct text_line nx;
    return tr_line(r, ln->next, &nx) && tx_starts(nx.p, nx.len, "tag: ");
}

typedef bool (*header_rule)(const uint8_t *p, size_t n, struct text_hdr *h);

/* The header rules of the marker shapes on line ln; h is what the matching rule found. */
static bool marker(struct text_rd *r, const struct text_line *ln, struct text_hdr *h, bool *sipdump)
{
    static const header_rule rules[] = { fs_header, pjsua_header, ast_header, text_ngrep_header,
                                         sngrep_header };
    size_t n = tx_rtrim(ln->p, ln->len);
    *sipdump = false;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        memset(h, 0, sizeof(*h));
        if (rules[i](ln->p, n, h))
            return true;
    }
    memset(h, 0, sizeof(*h));
    return *sipdump = sipdump_header(r, ln);
}

bool text_is_marker(struct text_rd *r, const struct text_line *ln)
{
    struct text_hdr h;
    bool sd;
    return marker(r, ln, &h, &sd);
}

/* ---- start lines inside log lines ---- */

/* Length of an escaped line end at p (#015 / #012 of rsyslog, \r \n of C-style escaping). */
static size_t esc_at(const uint8_t *p, size_t n)
{
    if (n >= 4 && p[0] == '#' && p[1] == '0' && p[2] == '1' && (p[3] == '2' || p[3] == '5'))
        return 4;
    if (n >= 2 && p[0] == '\\' && (p[1] == 'n' || p[1] == 'r'))
        return 2;
    return 0;
}

static bool token_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || tx_digit(c) ||
           (c != 0 && memchr("-.!%*_+`'~", c, 10));
}

/* A method may start at p[m] inside a line: at the start, after a non-token byte, or right
 * after an escaped line end. */
static bool method_boundary(const uint8_t *p, size_t m)
{
    if (m == 0 || !token_char(p[m - 1]))
        return true;
    return (m >= 4 && esc_at(p + m - 4, 4) == 4) || (m >= 2 && esc_at(p + m - 2, 2) == 2);
}

/* A start line found mid-line: check it and where it ends. */
static bool start_at(const uint8_t *p, size_t n, size_t i, size_t *col, size_t *end, bool *esc)
{
    size_t e;
    if (i + 12 <= n && p[i + 7] == ' ' && method_boundary(p, i)) {
        /* "SIP/2.0 NNN reason": the reason runs to an escape or the end of the line */
        e = i + 8;
        while (e < n && !esc_at(p + e, n - e))
            e++;
        *col = i;
    } else {
        /* " SIP/2.0" ending a Request-Line: URI and method before it */
        if (i < 3 || p[i - 1] != ' ')
            return false;
        e = i + 7;
        size_t u = i - 1;
        while (u > 0 && p[u - 1] != ' ')
            u--;
        if (u < 2 || p[u - 1] != ' ')
            return false;
        size_t m = u - 1;
        while (m > 0 && token_char(p[m - 1]))
            m--;
        /* "#012INVITE", "\nINVITE": the method starts after the escape */
        for (size_t k = u - 1; k > m; k--)
            if ((k >= 4 && esc_at(p + k - 4, 4) == 4) || (k >= 2 && esc_at(p + k - 2, 2) == 2)) {
                m = k;
                break;
            }
        if (m == u - 1 || !method_boundary(p, m))
            return false;
        *col = m;
    }
    size_t rest = e < n ? esc_at(p + e, n - e) : 0;
    *esc = rest > 0;
    if (!*esc && !tx_blank(p + e, n - e))
        return false;
    *end = e;
    return cap_sip_line(p + *col, e - *col) == tx_rtrim(p + *col, e - *col);
}

bool text_find_start(const uint8_t *p, size_t n, size_t *col, size_t *end, bool *escaped)
{
    size_t b = 0;
    while (b < n && (p[b] == ' ' || p[b] == '\t'))
        b++;
    size_t k = cap_sip_line(p + b, n - b);
    if (k) {
        size_t e = b;
        while (e < b + k && !esc_at(p + e, n - e))
            e++;
        *col = b;
        *end = e;
        *escaped = e < b + k;
        return true;
    }
    for (size_t i = tx_find(p, n, "SIP/2.0"); i < n;
         i += 1 + tx_find(p + i + 1, n - i - 1, "SIP/2.0"))
        if (start_at(p, n, i, col, end, escaped))
            return true;
    return false;
}

/* ---- collecting blocks ---- */

static void resolve(struct text_rd *r, struct text_hdr *h)
{
    if (h->raw_time) {
        h->ts = text_resolve_time(r, &h->t, &h->no_date);
        h->has_time = true;
    }
}

/* End the block: consume up to at, keep the header. */
static int done(struct text_rd *r, size_t at, struct text_hdr *h)
{
    tr_consume(r, at);
    r->bh = *h;
    r->have_line_t = false;
    return 1;
}

enum block_end {
    END_NONE,  /* no end marker: the next marker (or log line) ends the block */
    END_PJSUA, /* "--end msg--" */
    END_ARROW, /* chan_sip's "<------------->" */
};

static bool is_end(const uint8_t *p, size_t n, enum block_end e)
{
    n = tx_rtrim(p, n);
    if (e == END_PJSUA)
        return n == 11 && memcmp(p, "--end msg--", 11) == 0;
    return e == END_ARROW && n >= 4 && p[0] == '<' && p[n - 1] == '>' &&
           is_rule(p + 1, n - 2, '-', 2);
}

/* Lines from window offset at up to an end marker (consumed), a marker of any shape or, when
 * log_lines, a line that starts with a time (not consumed). Returns the offset after the
 * block. */
static size_t lines_until(struct text_rd *r, size_t at, enum block_end end, bool log_lines)
{
    for (;;) {
        struct text_line l;
        if (!tr_line(r, at, &l))
            return at;
        if (is_end(l.p, l.len, end))
            return l.next;
        bool br = l.len > 0 && l.p[0] == '[';
        struct text_time t;
        if (log_lines && text_parse_time(l.p + br, l.len - br, &t))
            return at;
        if (text_is_marker(r, &l))
            return at;
        tr_line(r, at, &l); /* the window may have moved */
        tr_put_line(r, l.p, l.len, l.nl);
        at = l.next;
    }
}

static int fs_block(struct text_rd *r, const struct text_line *ln, struct text_hdr *h)
{
    size_t at = ln->next;
    struct text_line l;
    if (!tr_line(r, at, &l) ||
        !is_rule(l.p + (l.len >= 3 ? 3 : 0), l.len - (l.len >= 3 ? 3 : 0), '-', 20))
        return done(r, at, h);
    at = l.next;
    for (;;) {
        if (!tr_line(r, at, &l))
            break;
        if (l.len >= 3 && is_rule(l.p + 3, l.len - 3, '-', 20)) {
            at = l.next;
            break;
        }
        if (!(l.len >= 3 && memcmp(l.p, "   ", 3) == 0) && !tx_blank(l.p, l.len))
            break; /* not part of the trace: the block was cut */
        size_t k = l.len >= 3 ? 3 : l.len;
        tr_put_line(r, l.p + k, l.len - k, l.nl);
        at = l.next;
    }
    return done(r, at, h);
}

/* sipdump's key/value section, up to "~~~~~~~~~~~~~~~~~~~~". Returns the offset after it. */
static size_t sipdump_meta(struct text_rd *r, size_t at, struct text_hdr *h)
{
    struct cap_addr src = { 0 }, dst = { 0 };
    for (int i = 0; i < 16; i++) {
        struct text_line l;
        if (!tr_line(r, at, &l))
            return at;
        at = l.next;
        size_t n = tx_rtrim(l.p, l.len);
        struct sc s = { l.p, n, 0 };
        uint64_t v, us = 0;
        if (is_rule(l.p, n, '~', 20))
            break;
        if (sc_lit(&s, "time: ") && sc_num(&s, &v) && v < 7258118400u /* 2200 */) {
            if (sc_lit(&s, "."))
                sc_num(&s, &us);
            h->ts = (int64_t)v * 1000000000 + (int64_t)(us < 1000000 ? us : 0) * 1000;
            h->has_time = true;
        } else if (sc_lit(&s, "proto: ")) {
            size_t e = sc_find(&s, " ");
            h->transport = (uint8_t)text_transport(l.p + s.i, e - s.i);
        } else if (sc_lit(&s, "srcip: ")) {
            text_parse_addr(l.p + s.i, n - s.i, &src, true);
        } else if (sc_lit(&s, "dstip: ")) {
            text_parse_addr(l.p + s.i, n - s.i, &dst, true);
        } else if (sc_lit(&s, "srcport: ") && sc_num(&s, &v) && v < 65536) {
            h->src.port = (uint16_t)v;
        } else if (sc_lit(&s, "dstport: ") && sc_num(&s, &v) && v < 65536) {
            h->dst.port = (uint16_t)v;
        }
    }
    uint16_t sp = h->src.port, dp = h->dst.port;
    h->src = src, h->dst = dst;
    h->src.port = sp, h->dst.port = dp;
    return at;
}

static int sipdump_block(struct text_rd *r, const struct text_line *ln, struct text_hdr *h)
{
    h->shape = TEXT_SIPDUMP;
    size_t at = sipdump_meta(r, ln->next, h);
    static const char end[] = "||||||||||||||||||||";
    for (;;) {
        struct text_line l;
        if (!tr_line(r, at, &l))
            break;
        at = l.next;
        size_t n = tx_rtrim(l.p, l.len);
        if (n >= 20 && memcmp(l.p + n - 20, end, 20) == 0) {
            tr_put(r, l.p, n - 20); /* the data had no line end of its own */
            break;
        }
        tr_put_line(r, l.p, l.len, l.nl);
    }
    return done(r, at, h);
}

/* ---- bare and log-prefixed SIP ---- */

struct body_state {
    bool in_body;
    int64_t cl;
    uint64_t raw, crlf;
};

static void body_update(struct body_state *b, const uint8_t *q, size_t n, bool nl)
{
    size_t c_nocr = n - (n > 0 && q[n - 1] == '\r');
    if (b->in_body) {
        b->raw += n + nl;
        b->crlf += c_nocr + 2;
        return;
    }
    if (c_nocr == 0 && n <= 1) {
        b->in_body = true;
        return;
    }
    if (b->cl < 0)
        b->cl = text_header_cl(q, n);
}

/* Remove `indent` leading blanks when the line has them. */
static void dedent(const struct text_line *l, size_t indent, const uint8_t **q, size_t *n)
{
    size_t k = 0;
    while (k < indent && k < l->len && (l->p[k] == ' ' || l->p[k] == '\t'))
        k++;
    if (k < indent)
        k = 0;
    *q = l->p + k;
    *n = l->len - k;
}

/* Does a line that looks like a start line belong to the body? It does when Content-Length
 * says the body is not over and the lines from here complete it exactly, followed by a blank
 * line, a start line, a marker or the end (a message/sipfrag body, RFC 3420). */
static bool body_goes_on(struct text_rd *r, size_t at, size_t indent, struct body_state b)
{
    if (!b.in_body || b.cl <= 0 || b.cl > TEXT_MSG_MAX || b.raw >= (uint64_t)b.cl ||
        b.crlf >= (uint64_t)b.cl)
        return false;
    uint64_t cl = (uint64_t)b.cl;
    for (;;) {
        struct text_line l;
        if (!tr_line(r, at, &l))
            return false;
        const uint8_t *q;
        size_t n;
        dedent(&l, indent, &q, &n);
        size_t c_nocr = n - (n > 0 && q[n - 1] == '\r');
        bool fit = b.raw + n == cl || b.crlf + c_nocr == cl;
        body_update(&b, q, n, l.nl);
        if (fit || b.raw == cl || b.crlf == cl) {
            struct text_line nx;
            if (!tr_line(r, l.next, &nx))
                return true;
            return tx_blank(nx.p, nx.len) || cap_sip_line(nx.p, nx.len) || text_is_marker(r, &nx);
        }
        if (b.raw > cl)
            return false;
        at = l.next;
    }
}

/* Is the line at window offset at the end of the message that started with `prefixed`? */
static bool sip_stops(struct text_rd *r, size_t at, bool prefixed, size_t indent,
                      const struct body_state *b)
{
    struct text_line l;
    if (!tr_line(r, at, &l) || text_is_marker(r, &l))
        return true;
    tr_line(r, at, &l); /* the window may have moved */
    const uint8_t *q;
    size_t n, col, end;
    bool esc;
    dedent(&l, indent, &q, &n);
    if (cap_sip_line(q, n) > 0 || (prefixed && text_find_start(l.p, l.len, &col, &end, &esc)))
        return !body_goes_on(r, at, indent, *b);
    if (!prefixed)
        return false;
    struct text_time t;
    bool br = l.len > 0 && l.p[0] == '[';
    if (text_parse_time(l.p + br, l.len - br, &t))
        return true; /* the next log line */
    bool fold = l.len > 0 && (l.p[0] == ' ' || l.p[0] == '\t');
    size_t k = 0;
    while (k < n && token_char(q[k]))
        k++;
    while (k < n && (q[k] == ' ' || q[k] == '\t'))
        k++;
    bool header = k > 0 && k < n && q[k] == ':';
    return !b->in_body && !header && !fold && !tx_blank(q, n);
}

static int sip_block(struct text_rd *r, const struct text_line *ln, size_t col, struct text_hdr *h)
{
    bool prefixed = !tx_blank(ln->p, col);
    h->shape = TEXT_SIP;
    h->need_headers = prefixed;
    if (prefixed)
        hdr_time(ln->p, col, h);
    else if (r->have_line_t)
        h->t = r->line_t, h->raw_time = true;
    resolve(r, h);
    size_t indent = col;
    struct body_state b = { .cl = -1 };
    tr_put_line(r, ln->p + col, ln->len - col, ln->nl);
    size_t at = ln->next;
    while (!sip_stops(r, at, prefixed, indent, &b)) {
        struct text_line l;
        tr_line(r, at, &l);
        const uint8_t *q;
        size_t n;
        dedent(&l, indent, &q, &n);
        body_update(&b, q, n, l.nl);
        tr_put_line(r, q, n, l.nl);
        at = l.next;
    }
    return done(r, at, h);
}

/* One log line holding a whole message with escaped line ends. */
static int escaped_block(struct text_rd *r, const struct text_line *ln, size_t col,
                         struct text_hdr *h)
{
    h->shape = TEXT_ESCAPED;
    h->need_headers = true;
    if (col > 0)
        hdr_time(ln->p, col, h);
    resolve(r, h);
    const uint8_t *p = ln->p;
    size_t n = ln->len, i = col;
    bool octal = false;
    for (size_t k = col; k < n; k++)
        if (esc_at(p + k, n - k)) {
            octal = p[k] == '#';
            break;
        }
    while (i < n) {
        uint8_t c = p[i];
        size_t adv = 1;
        if (octal && c == '#' && i + 3 < n && p[i + 1] >= '0' && p[i + 1] <= '3' &&
            p[i + 2] >= '0' && p[i + 2] <= '7' && p[i + 3] >= '0' && p[i + 3] <= '7') {
            c = (uint8_t)((p[i + 1] - '0') * 64 + (p[i + 2] - '0') * 8 + (p[i + 3] - '0'));
            adv = 4;
        } else if (!octal && c == '\\' && i + 1 < n && memchr("rnt\\\"", p[i + 1], 5)) {
            c = p[i + 1] == 'r' ? '\r' : p[i + 1] == 'n' ? '\n' : p[i + 1] == 't' ? '\t' : p[i + 1];
            adv = 2;
        }
        tr_put(r, &c, 1);
        i += adv;
    }
    r->cf->st.n[CAP_STAT_TEXT_UNESCAPED]++;
    return done(r, ln->next, h);
}

int text_shape_block(struct text_rd *r, struct text_line *ln)
{
    struct text_hdr h;
    bool sd;
    uint64_t off = r->cf->pos + ln->off;
    bool is_marker = marker(r, ln, &h, &sd);
    tr_line(r, ln->off, ln); /* the window may have moved */
    if (is_marker) {
        h.offset = off;
        if (sd)
            return sipdump_block(r, ln, &h);
        if (!h.raw_time && r->have_line_t && (h.shape == TEXT_CHAN_SIP || h.shape == TEXT_PJSIP))
            h.t = r->line_t, h.raw_time = true;
        resolve(r, &h);
        switch (h.shape) {
        case TEXT_FREESWITCH:
            return fs_block(r, ln, &h);
        case TEXT_PJSUA:
            return done(r, lines_until(r, ln->next, END_PJSUA, false), &h);
        case TEXT_CHAN_SIP:
            return done(r, lines_until(r, ln->next, END_ARROW, true), &h);
        case TEXT_PJSIP:
        case TEXT_SNGREP:
            return done(r, lines_until(r, ln->next, END_NONE, h.shape == TEXT_PJSIP), &h);
        case TEXT_NGREP:
            r->have_line_t = false;
            return text_ngrep_block(r, ln, &h);
        default:
            return done(r, ln->next, &h);
        }
    }
    size_t col, end;
    bool esc;
    if (!text_find_start(ln->p, ln->len, &col, &end, &esc))
        return 0;
    memset(&h, 0, sizeof(h));
    h.offset = off;
    return esc ? escaped_block(r, ln, col, &h) : sip_block(r, ln, col, &h);
}
