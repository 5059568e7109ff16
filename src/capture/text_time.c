/* Times, addresses and transports as logs write them, for the text-trace reader.
 *
 * Times: ISO 8601 / RFC 3339 ("2024-01-15T10:12:33.123456+01:00", also with a space, as
 * rsyslog, Asterisk "%F %T" and FreeSWITCH write it), slashed dates (sngrep, ngrep -t),
 * syslog's "Jan 15 10:12:33" (no year) and bare times of day (pjsua, FreeSWITCH siptrace).
 * Without an explicit offset a time is taken as written: logs use the machine's local time and
 * nothing in the text says which zone that was. A time of day gets its date from the last dated
 * line of the log when there is one, else 1970-01-01, and the caller flags that the date is an
 * anchor; times of day that go back by more than 12 hours have passed midnight. Addresses:
 * IPv4 and IPv6 with a port, bracketed or not. Nothing here allocates. */
#include <arpa/inet.h>
#include <stdio.h>

#include "capture/text_int.h"

#define NS_PER_S 1000000000LL
#define DAY_NS   (86400LL * NS_PER_S)
/* Days from 1970-01-01 to 2200-01-01: a time stays far inside int64 nanoseconds (which end in
 * 2262), whatever a hostile log says. */
#define DAY_MAX 84006

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const uint8_t *p, size_t n, size_t k, int *v)
{
    if (n < k)
        return false;
    int x = 0;
    for (size_t i = 0; i < k; i++) {
        if (!tx_digit(p[i]))
            return false;
        x = x * 10 + (p[i] - '0');
    }
    *v = x;
    return true;
}

/* "HH:MM:SS[.frac]" (a ',' also separates the fraction); returns bytes used or 0. */
static size_t parse_hms(const uint8_t *p, size_t n, int64_t *tod)
{
    int h, m, s;
    if (n < 8 || p[2] != ':' || p[5] != ':' || !digits(p, n, 2, &h) ||
        !digits(p + 3, n - 3, 2, &m) || !digits(p + 6, n - 6, 2, &s) || h > 23 || m > 59 || s > 60)
        return 0;
    size_t k = 8;
    int64_t frac = 0, scale = NS_PER_S;
    if (k + 1 < n && (p[k] == '.' || p[k] == ',') && tx_digit(p[k + 1])) {
        k++;
        while (k < n && tx_digit(p[k])) {
            if (scale > 1) {
                scale /= 10;
                frac += (p[k] - '0') * scale;
            }
            k++;
        }
    }
    *tod = ((int64_t)h * 3600 + m * 60 + s) * NS_PER_S + frac;
    return k;
}

/* "Z", "+HH:MM", "+HHMM" or "+HH" after an ISO time; returns bytes used. */
static size_t parse_offset(const uint8_t *p, size_t n, int64_t *off)
{
    if (n >= 1 && p[0] == 'Z')
        return *off = 0, 1;
    int h, m = 0;
    if (n < 3 || (p[0] != '+' && p[0] != '-') || !digits(p + 1, n - 1, 2, &h) || h > 23)
        return 0;
    size_t k = 3;
    if (n >= 6 && p[3] == ':' && digits(p + 4, n - 4, 2, &m))
        k = 6;
    else if (n >= 5 && digits(p + 3, n - 3, 2, &m))
        k = 5;
    if (m > 59)
        return 0;
    *off = (p[0] == '-' ? -1 : 1) * ((int64_t)h * 3600 + m * 60);
    return k;
}

static int month_of(const uint8_t *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(p, names + 3 * i, 3) == 0)
            return i + 1;
    return 0;
}

/* "YYYY-MM-DD" or "YYYY/MM/DD" then 'T' or ' ' and a time. */
static size_t parse_dated(const uint8_t *p, size_t n, struct text_time *t)
{
    int y, mo, d;
    if (n < 19 || (p[4] != '-' && p[4] != '/') || p[7] != p[4] || (p[10] != ' ' && p[10] != 'T') ||
        !digits(p, n, 4, &y) || !digits(p + 5, n - 5, 2, &mo) || !digits(p + 8, n - 8, 2, &d) ||
        mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970 || y > TEXT_YEAR_MAX)
        return 0;
    size_t k = parse_hms(p + 11, n - 11, &t->tod);
    if (!k)
        return 0;
    k += 11;
    t->year = y, t->month = mo, t->day = d;
    if (p[4] == '-')
        k += parse_offset(p + k, n - k, &t->utc_off);
    return k;
}

size_t text_parse_time(const uint8_t *p, size_t n, struct text_time *t)
{
    memset(t, 0, sizeof(*t));
    size_t k = parse_dated(p, n, t);
    if (k)
        return k;
    memset(t, 0, sizeof(*t));
    if (n >= 15 && p[3] == ' ' && month_of(p)) {
        /* "Jan 15 10:12:33" or "Jan  5 10:12:33" */
        int d;
        size_t at = p[4] == ' ' ? 5 : 4;
        if (!digits(p + at, n - at, 6 - at, &d) || p[6] != ' ' || d < 1 || d > 31)
            return 0;
        k = parse_hms(p + 7, n - 7, &t->tod);
        if (!k)
            return 0;
        t->month = month_of(p);
        t->day = d;
        return k + 7;
    }
    return parse_hms(p, n, &t->tod);
}

int64_t text_resolve_time(struct text_rd *r, const struct text_time *t, bool *no_date)
{
    int64_t day;
    *no_date = false;
    if (t->year) {
        day = days_from_civil(t->year, t->month, t->day);
        r->date_day = day;
        r->have_date = true;
        r->year = t->year;
        r->day_carry = 0;
    } else if (t->month) {
        *no_date = r->year == 0;
        day = days_from_civil(r->year ? r->year : 1970, t->month, t->day);
    } else {
        *no_date = !r->have_date;
        day = (r->have_date ? r->date_day : 0) + r->day_carry;
        if (r->have_last && day < DAY_MAX && day * DAY_NS + t->tod + DAY_NS / 2 < r->last_ts) {
            r->day_carry++;
            day++;
        }
    }
    int64_t ts = day * DAY_NS + t->tod - t->utc_off * NS_PER_S;
    r->last_ts = ts;
    r->have_last = true;
    return ts;
}

void text_note_line_time(struct text_rd *r, const uint8_t *p, size_t n)
{
    if (n > 0 && p[0] == '[')
        p++, n--;
    struct text_time t;
    if (!text_parse_time(p, n, &t))
        return;
    if (t.year) {
        r->date_day = days_from_civil(t.year, t.month, t.day);
        r->have_date = true;
        r->year = t.year;
        r->day_carry = 0;
        /* later times of day are compared with this line's time to notice midnight */
        r->last_ts = r->date_day * DAY_NS + t.tod - t.utc_off * NS_PER_S;
        r->have_last = true;
    }
    r->line_t = t;
    r->have_line_t = true;
}

static bool parse_port(const uint8_t *p, size_t n, uint16_t *port)
{
    if (n == 0 || n > 5)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!tx_digit(p[i]))
            return false;
        v = v * 10 + (p[i] - '0');
    }
    if (v > 65535)
        return false;
    *port = (uint16_t)v;
    return true;
}

/* An IPv4 or IPv6 address, the whole of p[0..n). */
static bool parse_ip(const uint8_t *p, size_t n, struct cap_addr *a)
{
    char tmp[INET6_ADDRSTRLEN + 1];
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    if (memchr(p, ':', n)) {
        a->family = 6;
        return inet_pton(AF_INET6, tmp, a->ip) == 1;
    }
    a->family = 4;
    return inet_pton(AF_INET, tmp, a->ip) == 1;
}

bool text_parse_addr(const uint8_t *p, size_t n, struct cap_addr *a, bool port_optional)
{
    struct cap_addr x = { 0 };
    if (n > INET6_ADDRSTRLEN + 8) /* "[v6]:port" at most; also a guard for the callers */
        return false;
    if (n > 0 && p[0] == '[') {
        const uint8_t *rb = memchr(p, ']', n);
        if (!rb || !parse_ip(p + 1, (size_t)(rb - p) - 1, &x))
            return false;
        size_t k = (size_t)(rb - p) + 1;
        if (k < n && (p[k] != ':' || !parse_port(p + k + 1, n - k - 1, &x.port)))
            return false;
        if (k == n && !port_optional)
            return false;
    } else {
        size_t c = n;
        while (c > 0 && p[c - 1] != ':')
            c--;
        if (c > 0 && parse_port(p + c, n - c, &x.port) && parse_ip(p, c - 1, &x)) {
            /* "1.2.3.4:5060" or an unbracketed "2001:db8::1:5060" */
        } else if (!(port_optional && parse_ip(p, n, &x))) {
            return false;
        } else {
            x.port = 0;
        }
    }
    *a = x;
    return true;
}

enum cap_transport text_transport(const uint8_t *p, size_t n)
{
    static const struct {
        const char *name;
        enum cap_transport tp;
    } names[] = { { "udp", CAP_TP_UDP }, { "tcp", CAP_TP_TCP }, { "tls", CAP_TP_TLS },
                  { "ws", CAP_TP_WS },   { "wss", CAP_TP_WSS }, { "sctp", CAP_TP_SCTP } };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t k = strlen(names[i].name);
        if (n != k)
            continue;
        size_t j = 0;
        while (j < k && (p[j] | 0x20) == names[i].name[j])
            j++;
        if (j == k)
            return names[i].tp;
    }
    return CAP_TP_UNKNOWN;
}

enum cap_transport text_via_transport(const uint8_t *p, size_t n)
{
    size_t at = 0;
    while (at < n) {
        const uint8_t *nl = memchr(p + at, '\n', n - at);
        size_t end = nl ? (size_t)(nl - p) : n, len = tx_rtrim(p + at, end - at);
        const uint8_t *l = p + at;
        if (at > 0 && len == 0)
            break; /* end of the header section */
        size_t k =
            (len >= 3 && (l[0] | 0x20) == 'v' && (l[1] | 0x20) == 'i' && (l[2] | 0x20) == 'a')
                ? 3
                : (len >= 1 && (l[0] | 0x20) == 'v' ? 1 : 0);
        while (k && k < len && (l[k] == ' ' || l[k] == '\t'))
            k++;
        if (k && k < len && l[k] == ':') {
            size_t v = tx_find(l + k, len - k, "/2.0/");
            if (v < len - k) {
                size_t s = k + v + 5, e = s;
                while (e < len && ((l[e] | 0x20) >= 'a' && (l[e] | 0x20) <= 'z'))
                    e++;
                return text_transport(l + s, e - s);
            }
        }
        at = end + 1;
    }
    return CAP_TP_UNKNOWN;
}
