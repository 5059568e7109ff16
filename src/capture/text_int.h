/* Private to the text-trace reader (text*.c): the reader state, the line window over the input,
 * the shape interface, and the helpers every shape uses (times, addresses, message cutting).
 *
 * How the reader works: the input is read as lines through a window that starts at the reader's
 * position (cap_src_need), so a multi-gigabyte log is never held whole. Each line is offered to
 * the shapes (text_shapes.c) in a fixed order; the first whose header rule matches collects the
 * message block that follows into a block buffer, turning the shape's framing (prefixes,
 * escapes, markers) back into message bytes. Messages are then cut from the block one at a time
 * (text.c: Content-Length when it fits the text, a length the log announced, else the end of
 * the block) and each becomes one frame. Lines that no shape claims are noise: skipped and
 * counted. */
#ifndef CAPTURE_TEXT_INT_H
#define CAPTURE_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"
#include "capture/capture_int.h"

/* Latest year a log time may have (times are int64 nanoseconds since 1970). */
#define TEXT_YEAR_MAX 2200
/* Largest message (and block) the reader builds; a longer one is skipped and counted. */
#define TEXT_MSG_MAX CAP_MAX_BLOCK
/* Largest window over the input: a block plus room for the framing around it. */
#define TEXT_WINDOW_MAX (CAP_MAX_BLOCK + 64)

/* One line of the window: bytes [off, off + len) without its '\n' (a '\r' before it stays
 * in len), the next line at next. p is valid until the window moves (tr_line, tr_consume). */
struct text_line {
    const uint8_t *p;
    size_t off, len, next;
    bool nl; /* ended by '\n' (false only for the last line of the input, or a cut line) */
};

enum text_shape_id {
    TEXT_SIP,        /* bare messages, or after a log prefix, lines following as they are */
    TEXT_ESCAPED,    /* one log line per message, line ends escaped (#015#012, \r\n) */
    TEXT_SNGREP,     /* sngrep "save as .txt" */
    TEXT_CHAN_SIP,   /* Asterisk chan_sip "sip set debug on" */
    TEXT_PJSIP,      /* Asterisk "pjsip set logger on" */
    TEXT_FREESWITCH, /* FreeSWITCH "sofia global siptrace on" */
    TEXT_PJSUA,      /* pjsip/pjsua log, "RX ... --end msg--" */
    TEXT_SIPDUMP,    /* Kamailio sipdump module text files */
    TEXT_NGREP,      /* ngrep, normal/single/byline output */
    TEXT_SHAPE__COUNT
};

/* A time as a log wrote it: a full date, a month and day without year (syslog), or only a
 * time of day (year == month == 0). */
struct text_time {
    int year, month, day; /* 0 when the log did not say */
    int64_t tod;          /* ns since midnight */
    int64_t utc_off;      /* seconds east of UTC when the log gave an offset, else 0 */
};

/* What a shape learned about the message block it is about to collect. */
struct text_hdr {
    enum text_shape_id shape;
    bool raw_time; /* t holds a time as written, not resolved yet */
    struct text_time t;
    bool has_time, no_date; /* no_date: the date part of ts is an anchor (1970 or no year) */
    int64_t ts;
    struct cap_addr src, dst; /* family 0: unknown */
    uint8_t transport;        /* enum cap_transport; UNKNOWN: guessed from the top Via */
    uint64_t announced;       /* message length the log announced ("N bytes"), 0 if none */
    size_t inline_payload;    /* ngrep -W single: where the payload starts on the header line */
    bool need_headers;        /* a start line found inside a log line: believed only when header
                                 lines follow it */
    uint64_t offset;          /* input offset of the header line */
};

struct text_rd {
    struct cap_file *cf;
    /* window over the input: w[0..wlen) is at input offset cf->pos */
    const uint8_t *w;
    size_t wlen;
    bool weof; /* nothing beyond wlen */
    int io_rc; /* sticky ERR_IO */
    /* current block: messages are cut from blk[boff..blen) */
    uint8_t *blk;
    size_t blen, bcap, boff;
    struct text_hdr bh;
    uint8_t *msg; /* last message delivered, when it had to be rebuilt */
    size_t mcap;
    /* clock: the last date seen in the log, and the last time given (midnight rollover) */
    int64_t date_day; /* days since the epoch; valid when have_date */
    bool have_date;
    int year;          /* last year seen, 0 if none */
    int64_t day_carry; /* days added after times of day went backwards */
    int64_t last_ts;   /* last time of day resolved */
    bool have_last;
    struct text_time line_t; /* time at the start of the line just before, if it had one */
    bool have_line_t;
    bool over;    /* the block being built passed TEXT_MSG_MAX */
    bool cut_any; /* a message was cut from the current block */
};

/* ---- window (text.c) ---- */

/* The line starting at window offset at; false at the end of input (or an I/O error, then
 * r->io_rc is set). A line without '\n' within TEXT_WINDOW_MAX is cut there. */
bool tr_line(struct text_rd *r, size_t at, struct text_line *ln);
/* Consume n bytes at the window start (the input position moves). */
void tr_consume(struct text_rd *r, size_t n);

/* ---- block building (text.c) ---- */

/* Append bytes to the block; false (nothing appended) once it would pass TEXT_MSG_MAX. */
bool tr_put(struct text_rd *r, const void *p, size_t n);
/* Append a line's bytes and, if it had one, its '\n'. */
bool tr_put_line(struct text_rd *r, const uint8_t *p, size_t n, bool nl);

/* ---- shapes (text_shapes.c, text_ngrep.c) ---- */

/* If the line at window offset 0 starts a message block of some shape: collect the block into
 * r->blk, fill r->bh, consume its lines and return 1. 0: not a header line (nothing consumed;
 * *ln is refreshed, the window may have moved). Negative: ERR_IO. */
int text_shape_block(struct text_rd *r, struct text_line *ln);
/* Does this line start a block of any marker shape (used to end blocks that have no end
 * marker, and by detection)? May move the window (ln->p is stale afterwards). */
bool text_is_marker(struct text_rd *r, const struct text_line *ln);
/* The value of a Content-Length (or compact "l") header line, or -1. */
int64_t text_header_cl(const uint8_t *p, size_t n);
/* ngrep (text_ngrep.c): header rule and block collection, with the same contract. */
bool text_ngrep_header(const uint8_t *p, size_t n, struct text_hdr *h);
int text_ngrep_block(struct text_rd *r, const struct text_line *ln, struct text_hdr *h);

/* A SIP start line somewhere in p[0..n): its column and the end of the start line; escaped
 * tells whether an escaped line end follows it on the same line. A start line that is not at
 * the beginning (after blanks) must follow a log prefix and end the line or be followed by an
 * escape. */
bool text_find_start(const uint8_t *p, size_t n, size_t *col, size_t *end, bool *escaped);

/* ---- times and addresses (text_time.c) ---- */

/* A timestamp at the start of p[0..n): "YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+-HH[:]MM]",
 * "YYYY/MM/DD HH:MM:SS[.frac]", "Mon DD HH:MM:SS[.frac]" (syslog; no year) or
 * "HH:MM:SS[.frac]". Returns the bytes used, 0 if none. */
size_t text_parse_time(const uint8_t *p, size_t n, struct text_time *t);
/* Resolve a time read from the log against what the log said before (its last date; midnight
 * rollover of times of day). Sets *no_date when the date part is an anchor, not the log's. */
int64_t text_resolve_time(struct text_rd *r, const struct text_time *t, bool *no_date);
/* Note a time at the start of a log line (optionally in brackets): its date becomes the date
 * for later times of day, and the time itself is kept for markers that have none. */
void text_note_line_time(struct text_rd *r, const uint8_t *p, size_t n);
/* "1.2.3.4:5060", "[2001:db8::1]:5060", "2001:db8::1:5060" (last colon: port) or a bare
 * address when port_optional; fills a. Returns false when it is not one. */
bool text_parse_addr(const uint8_t *p, size_t n, struct cap_addr *a, bool port_optional);
/* "udp", "TCP", "tls", "ws", "wss", "sctp" (any case) -> transport; UNKNOWN otherwise. */
enum cap_transport text_transport(const uint8_t *p, size_t n);
/* The transport in the first Via header of a message ("Via: SIP/2.0/TCP ..."), or UNKNOWN. */
enum cap_transport text_via_transport(const uint8_t *p, size_t n);

/* Small helpers. */
static inline bool tx_starts(const uint8_t *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

static inline bool tx_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Bytes of p[0..n) without trailing blanks and CR. */
static inline size_t tx_rtrim(const uint8_t *p, size_t n)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    return n;
}

/* Is the line empty or only blanks/CR? */
static inline bool tx_blank(const uint8_t *p, size_t n)
{
    return tx_rtrim(p, n) == 0;
}

/* First occurrence of lit in p[0..n), or n. */
static inline size_t tx_find(const uint8_t *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (k == 0 || n < k)
        return n;
    for (size_t i = 0; i + k <= n; i++) {
        const uint8_t *q = memchr(p + i, lit[0], n - k + 1 - i);
        if (!q)
            return n;
        i = (size_t)(q - p);
        if (memcmp(q, lit, k) == 0)
            return i;
    }
    return n;
}

#endif
