/* Capture-time formatting (UTC, proleptic Gregorian, no libc time zone state). */
#include "base/timefmt.h"

/* Days since 1970-01-01 to civil date (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static void split(int64_t ts_ns, int64_t *days, unsigned *sod, uint32_t *ns)
{
    int64_t s = ts_ns / 1000000000;
    int64_t r = ts_ns % 1000000000;
    if (r < 0) {
        r += 1000000000;
        s--;
    }
    *ns = (uint32_t)r;
    *days = s / 86400;
    int64_t sd = s % 86400;
    if (sd < 0) {
        sd += 86400;
        (*days)--;
    }
    *sod = (unsigned)sd;
}

/* sep then v as two digits. */
static void put2(struct buf *b, char sep, unsigned v)
{
    char t[3] = { sep, (char)('0' + v / 10 % 10), (char)('0' + v % 10) };
    buf_put(b, t, 3);
}

void buf_time_iso(struct buf *b, int64_t ts_ns, int digits)
{
    int64_t days;
    unsigned sod, m, d;
    uint32_t ns;
    int y;
    split(ts_ns, &days, &sod, &ns);
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        buf_printf(b, "%d", y);
    } else {
        buf_u64_pad(b, (unsigned)y, 4, '0');
    }
    put2(b, '-', m);
    put2(b, '-', d);
    put2(b, 'T', sod / 3600);
    put2(b, ':', sod / 60 % 60);
    put2(b, ':', sod % 60);
    if (digits > 0) {
        if (digits > 9)
            digits = 9;
        uint32_t div = 1;
        for (int i = digits; i < 9; i++)
            div *= 10;
        buf_putc(b, '.');
        buf_u64_pad(b, ns / div, digits, '0');
    }
    buf_putc(b, 'Z');
}

void buf_time_of_day(struct buf *b, int64_t ts_ns)
{
    int64_t days;
    unsigned sod;
    uint32_t ns;
    split(ts_ns, &days, &sod, &ns);
    buf_u64_pad(b, sod / 3600, 2, '0');
    put2(b, ':', sod / 60 % 60);
    put2(b, ':', sod % 60);
    buf_putc(b, '.');
    buf_u64_pad(b, ns / 1000, 6, '0');
}
