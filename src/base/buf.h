/* struct buf: a growable output buffer, and the escapers every writer uses.
 *
 * Everything taken from a trace is hostile. Text written for a terminal, JSON, CSV or HTML goes
 * through the escaper for that format, never straight to the output. A buf can be tied to a
 * FILE so that long outputs are flushed in large blocks (buf_flush_if). */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stdio.h>

#include "base/sv.h"

struct buf {
    char *p;
    size_t len;
    size_t cap;
    FILE *out;       /* optional sink for buf_flush/buf_flush_if */
    int write_error; /* set when a flush failed */
};

void buf_init(struct buf *b, FILE *out);
void buf_free(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_sv(struct buf *b, sv_t v);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_u64(struct buf *b, unsigned long long v);
/* v in decimal, zero-padded on the left to at least width digits (width <= 20). */
void buf_u64_pad(struct buf *b, unsigned long long v, int width, char pad);

/* Write b->p to b->out and empty b. Returns 0 or ERR_IO. */
int buf_flush(struct buf *b);

/* Flush when more than 64 KiB is pending. */
static inline void buf_flush_if(struct buf *b)
{
    if (b->out && b->len >= 65536)
        (void)buf_flush(b);
}

/* A JSON string literal, quotes included: control characters, quote and backslash escaped;
 * bytes that are not valid UTF-8 become U+FFFD so the output is always valid JSON. */
void buf_json_str(struct buf *b, sv_t v);

/* The same escaping without the surrounding quotes (to build one string from several parts). */
void buf_json_chars(struct buf *b, sv_t v);

/* Text for a terminal: printable ASCII and valid UTF-8 pass, anything else (ESC, other
 * controls, invalid UTF-8) is shown as \xHH so a trace cannot drive the terminal. */
void buf_text_safe(struct buf *b, sv_t v);

/* One CSV field (RFC 4180): quoted when needed, quotes doubled; cells that begin with = + - @
 * get a leading apostrophe so a spreadsheet does not evaluate them. */
void buf_csv_field(struct buf *b, sv_t v);

/* Text for HTML element content or a quoted attribute value. */
void buf_html(struct buf *b, sv_t v);

/* Length of a valid UTF-8 sequence starting at p (1..4), or 0 if it is invalid or cut short. */
size_t utf8_seq_len(const unsigned char *p, size_t avail);

#endif
