/* Growable output buffer and format escapers (terminal, JSON, CSV, HTML). */
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"

void buf_init(struct buf *b, FILE *out)
{
    memset(b, 0, sizeof(*b));
    b->out = out;
}

void buf_free(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void buf_reserve(struct buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
    if (!n)
        return;
    buf_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

void buf_puts(struct buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    buf_reserve(b, 1);
    b->p[b->len++] = c;
}

void buf_sv(struct buf *b, sv_t v)
{
    buf_put(b, v.p, v.len);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    buf_reserve(b, 64);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    if (n >= 0 && (size_t)n >= b->cap - b->len) {
        buf_reserve(b, (size_t)n + 1);
        n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    if (n > 0)
        b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_u64(struct buf *b, unsigned long long v)
{
    char tmp[24];
    int i = (int)sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_put(b, tmp + i, sizeof(tmp) - (size_t)i);
}

void buf_u64_pad(struct buf *b, unsigned long long v, int width, char pad)
{
    char tmp[24];
    int i = (int)sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (width > 20)
        width = 20;
    while ((int)sizeof(tmp) - i < width)
        tmp[--i] = pad;
    buf_put(b, tmp + i, sizeof(tmp) - (size_t)i);
}

int buf_flush(struct buf *b)
{
    if (!b->out || b->len == 0)
        return 0;
    size_t n = fwrite(b->p, 1, b->len, b->out);
    int rc = n == b->len ? 0 : ERR_IO;
    if (rc)
        b->write_error = 1;
    b->len = 0;
    return rc;
}

size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    unsigned cp = c & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static const char hexd[] = "0123456789abcdef";

void buf_json_str(struct buf *b, sv_t v)
{
    buf_reserve(b, v.len + 2);
    buf_putc(b, '"');
    buf_json_chars(b, v);
    buf_putc(b, '"');
}

void buf_json_chars(struct buf *b, sv_t v)
{
    const unsigned char *p = (const unsigned char *)v.p;
    size_t i = 0;
    while (i < v.len) {
        size_t run = i;
        while (run < v.len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        buf_put(b, p + i, run - i);
        i = run;
        if (i >= v.len)
            break;
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            buf_put(b, e, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            const char *s = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (s) {
                buf_puts(b, s);
            } else {
                char e[6] = { '\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15] };
                buf_put(b, e, 6);
            }
            i++;
        } else {
            size_t n = utf8_seq_len(p + i, v.len - i);
            if (n) {
                buf_put(b, p + i, n);
                i += n;
            } else {
                buf_puts(b, "\\ufffd");
                i++;
            }
        }
    }
}

void buf_text_safe(struct buf *b, sv_t v)
{
    const unsigned char *p = (const unsigned char *)v.p;
    size_t i = 0;
    while (i < v.len) {
        size_t run = i;
        while (run < v.len && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '\\')
            run++;
        buf_put(b, p + i, run - i);
        i = run;
        if (i >= v.len)
            break;
        size_t n = p[i] >= 0x80 ? utf8_seq_len(p + i, v.len - i) : 0;
        /* C1 controls (U+0080..U+009F) can drive terminals too. */
        if (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)
            n = 0;
        if (n) {
            buf_put(b, p + i, n);
            i += n;
        } else if (p[i] == '\\') {
            buf_puts(b, "\\\\");
            i++;
        } else {
            char e[4] = { '\\', 'x', hexd[p[i] >> 4], hexd[p[i] & 15] };
            buf_put(b, e, 4);
            i++;
        }
    }
}

void buf_csv_field(struct buf *b, sv_t v)
{
    int quote = 0;
    for (size_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = 1;
            break;
        }
    }
    int formula = v.len && (v.p[0] == '=' || v.p[0] == '+' || v.p[0] == '-' || v.p[0] == '@' ||
                            v.p[0] == '\t' || v.p[0] == '\r');
    if (quote || formula)
        buf_putc(b, '"');
    if (formula)
        buf_putc(b, '\'');
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, v.p[i]);
    }
    if (quote || formula)
        buf_putc(b, '"');
}

void buf_html(struct buf *b, sv_t v)
{
    const unsigned char *p = (const unsigned char *)v.p;
    size_t i = 0;
    while (i < v.len) {
        unsigned c = p[i];
        switch (c) {
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&#39;");
            break;
        default:
            if (c >= 0x80) {
                size_t n = utf8_seq_len(p + i, v.len - i);
                if (n) {
                    buf_put(b, p + i, n);
                    i += n;
                    continue;
                }
                buf_puts(b, "\xef\xbf\xbd");
            } else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                buf_puts(b, "\xef\xbf\xbd");
            } else {
                buf_putc(b, (char)c);
            }
        }
        i++;
    }
}
