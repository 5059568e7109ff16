/* Word wrapping for the text outputs (report/text.h). It knows nothing about terminals beyond a
 * column count: no colour, no hyphenation, no wide-character widths. */
#include "report/text.h"

#include <stdbool.h>
#include <string.h>

/* Columns taken by n bytes of UTF-8: continuation bytes take none. */
static size_t text_cols(const char *p, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            cols++;
    return cols;
}

static void pad(struct buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(b, ' ');
}

/* Wrap one line of text (no '\n' in [p, end)); *col is the cursor column, 0 on return. */
static void wrap_line(struct buf *b, const char *p, const char *end, size_t *col, size_t indent,
                      size_t width)
{
    bool fresh = true; /* nothing written on the current output line yet */
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p == end)
            break;
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        size_t wl = text_cols(w, (size_t)(p - w));
        if (!fresh && *col + 1 + wl > width) {
            buf_putc(b, '\n');
            *col = 0;
            fresh = true;
        }
        if (fresh) {
            if (*col < indent) {
                pad(b, indent - *col);
                *col = indent;
            }
        } else {
            buf_putc(b, ' ');
            (*col)++;
        }
        buf_put(b, w, (size_t)(p - w));
        *col += wl;
        fresh = false;
    }
    buf_putc(b, '\n');
    *col = 0;
}

void report_wrap(struct buf *b, const char *text, int col, int indent, int width)
{
    size_t c = col > 0 ? (size_t)col : 0;
    size_t in = indent > 0 ? (size_t)indent : 0;
    size_t w = width > indent + 10 ? (size_t)width : in + 10;
    const char *p = text ? text : "";
    do {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        wrap_line(b, p, eol, &c, in, w);
        p = *eol ? eol + 1 : eol;
    } while (*p);
}
