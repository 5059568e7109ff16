/* Call filters of `sipsleuth calls`: by final code, result category, finding, Call-ID, address
 * and start time. Each option takes a comma-separated list and may be repeated; a call passes
 * when it matches one value of every filter given. Times are ISO 8601 (UTC unless an offset is
 * written) or seconds from the first message of the trace. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "cli/cli.h"
#include "metrics/metrics.h"

void cli_filter_free(struct cli_filter *f)
{
    free(f->codes);
    free(f->findings);
    for (uint32_t i = 0; i < f->ncall_ids; i++)
        free(f->call_ids[i]);
    free(f->call_ids);
    free(f->addrs);
    memset(f, 0, sizeof(*f));
}

#define GROW(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof(*(arr))))

/* "486", "4xx" (a class: stored as 1..6) or "none" (no final response: 0). */
static int add_code(struct cli_filter *f, const char *s, size_t n)
{
    uint16_t v;
    if (n == 4 && memcmp(s, "none", 4) == 0) {
        v = 0;
    } else if (n == 3 && s[0] >= '1' && s[0] <= '6' && s[1] == 'x' && s[2] == 'x') {
        v = (uint16_t)(s[0] - '0');
    } else if (n == 3 && s[0] >= '1' && s[0] <= '6' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
               s[2] <= '9') {
        v = (uint16_t)((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
    } else {
        cli_error("--code: '%.*s' is not a response code (e.g. 487, 4xx or none)", (int)n, s);
        return -1;
    }
    GROW(f->codes, f->ncodes);
    f->codes[f->ncodes++] = v;
    return 0;
}

static int add_category(struct cli_filter *f, const char *s, size_t n)
{
    char tmp[16];
    if (n >= sizeof(tmp))
        n = sizeof(tmp) - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int c = metrics_category_parse(tmp);
    if (c < 0) {
        cli_error("--category: unknown category '%s' (SUCCESS, TIMEOUT, REJECTED, CANCELED, "
                  "ERROR, REDIRECTED, INCOMPLETE)",
                  tmp);
        return -1;
    }
    f->categories |= 1u << c;
    return 0;
}

static int add_finding(struct cli_filter *f, const char *s, size_t n)
{
    char tmp[64];
    if (n >= sizeof(tmp))
        n = sizeof(tmp) - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    const struct diag_rule *r = diag_rule_find(tmp);
    if (!r) {
        cli_error("--finding: unknown finding '%s' (see sipsleuth explain --list-findings)", tmp);
        return -1;
    }
    GROW(f->findings, f->nfindings);
    f->findings[f->nfindings++] = r;
    return 0;
}

static int add_call_id(struct cli_filter *f, const char *s, size_t n)
{
    GROW(f->call_ids, f->ncall_ids);
    char *id = xmalloc(n + 1);
    memcpy(id, s, n);
    id[n] = '\0';
    f->call_ids[f->ncall_ids++] = id;
    return 0;
}

/* "1.2.3.4", "1.2.3.4:5060", "2001:db8::1", "[2001:db8::1]:5060". */
static int add_address(struct cli_filter *f, const char *s, size_t n)
{
    char tmp[80];
    struct cli_filter_addr a = { 0 };
    if (n >= sizeof(tmp))
        goto bad;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *host = tmp, *port = NULL;
    if (tmp[0] == '[') {
        char *close = strchr(tmp, ']');
        if (!close)
            goto bad;
        *close = '\0';
        host = tmp + 1;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            goto bad;
    } else {
        char *colon = strchr(tmp, ':');
        if (colon && !strchr(colon + 1, ':')) { /* one colon: IPv4 with a port */
            *colon = '\0';
            port = colon + 1;
        }
    }
    if (inet_pton(AF_INET, host, a.ip) == 1)
        a.family = 4;
    else if (inet_pton(AF_INET6, host, a.ip) == 1)
        a.family = 6;
    else
        goto bad;
    if (port) {
        char *end;
        unsigned long p = strtoul(port, &end, 10);
        if (!*port || *port == '-' || *end || p == 0 || p > 65535)
            goto bad;
        a.port = (uint16_t)p;
    }
    GROW(f->addrs, f->naddrs);
    f->addrs[f->naddrs++] = a;
    return 0;
bad:
    cli_error("--address: '%.*s' is not IP, IP:PORT or [IPv6]:PORT", (int)n, s);
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char **p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return false;
        v = v * 10 + (unsigned)((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* Fraction and zone after the seconds: [.digits][Z|+HH:MM|-HH:MM]. */
static bool iso_tail(const char *p, int64_t *ns)
{
    if (*p == '.') {
        p++;
        int64_t scale = 100000000;
        if (*p < '0' || *p > '9')
            return false;
        for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
            *ns += (*p - '0') * scale;
    }
    if (*p == 'Z' || *p == 'z')
        return p[1] == '\0';
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '+' ? 1 : -1;
        unsigned hh, mm;
        if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm) || *p || hh > 23 || mm > 59)
            return false;
        *ns -= sign * ((int64_t)hh * 3600 + mm * 60) * 1000000000LL;
        return true;
    }
    return *p == '\0';
}

/* ISO 8601 "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.f]]" with Z or an offset (UTC if none). */
static bool parse_iso(const char *p, int64_t *ns)
{
    unsigned y, mo, d, h = 0, mi = 0, s = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) || h > 23 || mi > 59)
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &s) || s > 60)
                return false;
        }
    }
    *ns = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
    *ns *= 1000000000LL;
    return iso_tail(p, ns);
}

static int set_time(struct cli_filter_time *t, const char *opt, const char *arg)
{
    char *end;
    double secs = strtod(arg, &end);
    if (*arg && !*end && arg[0] != '-' && secs >= 0 && secs < 1e9) {
        t->set = true;
        t->relative = true;
        t->ns = (int64_t)(secs * 1e9 + 0.5);
        return 0;
    }
    if (parse_iso(arg, &t->ns)) {
        t->set = true;
        t->relative = false;
        return 0;
    }
    cli_error("%s: expected an ISO 8601 time (2024-05-01T12:00:00Z) or seconds from the first "
              "message",
              opt);
    return -1;
}

static int each(struct cli_filter *f, const char *arg,
                int (*add)(struct cli_filter *, const char *, size_t))
{
    const char *p = arg;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n && add(f, p, n) < 0)
            return -1;
        if (!comma)
            break;
        p = comma + 1;
    }
    f->active = true;
    return 0;
}

int cli_filter_opt(struct cli_filter *f, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_CODE:
        return each(f, arg, add_code) < 0 ? -1 : 1;
    case CLI_OPT_CATEGORY:
        return each(f, arg, add_category) < 0 ? -1 : 1;
    case CLI_OPT_FINDING:
        return each(f, arg, add_finding) < 0 ? -1 : 1;
    case CLI_OPT_CALL_ID:
        /* a hostile Call-ID may hold a comma: the whole value counts as one too */
        if (strchr(arg, ',') && add_call_id(f, arg, strlen(arg)) < 0)
            return -1;
        return each(f, arg, add_call_id) < 0 ? -1 : 1;
    case CLI_OPT_ADDRESS:
        return each(f, arg, add_address) < 0 ? -1 : 1;
    case CLI_OPT_SINCE:
        f->active = true;
        return set_time(&f->since, "--since", arg) < 0 ? -1 : 1;
    case CLI_OPT_UNTIL:
        f->active = true;
        return set_time(&f->until, "--until", arg) < 0 ? -1 : 1;
    default:
        return 0;
    }
}

static bool match_code(const struct cli_filter *f, uint16_t code)
{
    if (!f->ncodes)
        return true;
    for (uint32_t i = 0; i < f->ncodes; i++) {
        uint16_t v = f->codes[i];
        if (v == code || (v >= 1 && v <= 6 && code / 100 == v))
            return true;
    }
    return false;
}

static bool match_finding(const struct cli_filter *f, const struct diag_out *d)
{
    if (!f->nfindings)
        return true;
    for (uint32_t i = 0; i < d->n; i++)
        for (uint32_t j = 0; j < f->nfindings; j++)
            if (d->findings[i].rule == f->findings[j])
                return true;
    return false;
}

static bool match_call_id(const struct cli_filter *f, const struct call *c)
{
    if (!f->ncall_ids)
        return true;
    for (uint32_t i = 0; i < c->ncall_ids; i++)
        for (uint32_t j = 0; j < f->ncall_ids; j++)
            if (sv_eq(c->call_ids[i], sv_cstr(f->call_ids[j])))
                return true;
    return false;
}

static bool addr_is(const struct cli_filter_addr *a, const struct cap_addr *x)
{
    size_t n = a->family == 4 ? 4 : 16;
    return x->family == a->family && memcmp(x->ip, a->ip, n) == 0 &&
           (!a->port || a->port == x->port);
}

static bool match_address(const struct cli_filter *f, const struct call *c)
{
    if (!f->naddrs)
        return true;
    for (uint32_t j = 0; j < f->naddrs; j++) {
        for (uint32_t i = 0; i < c->nlegs; i++)
            if (addr_is(&f->addrs[j], &c->legs[i]->txn->client) ||
                addr_is(&f->addrs[j], &c->legs[i]->txn->server))
                return true;
        for (uint32_t i = 0; i < c->nmsgs; i++)
            if (addr_is(&f->addrs[j], &c->msgs[i]->src) || addr_is(&f->addrs[j], &c->msgs[i]->dst))
                return true;
    }
    return false;
}

static int64_t bound(const struct cli_filter_time *t, int64_t first_ts)
{
    return t->relative ? first_ts + t->ns : t->ns;
}

bool cli_filter_match(const struct cli_filter *f, const struct call *c, const struct diag_out *d,
                      int64_t first_ts)
{
    if (!f->active)
        return true;
    if (f->categories && !(f->categories & (1u << metrics_category(c->final_code, false))))
        return false;
    if (f->since.set && c->first_ts < bound(&f->since, first_ts))
        return false;
    if (f->until.set && c->first_ts >= bound(&f->until, first_ts))
        return false;
    return match_code(f, c->final_code) && match_finding(f, d) && match_call_id(f, c) &&
           match_address(f, c);
}
