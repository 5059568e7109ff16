/* Printable names: transports, formats, counters, and addresses (RFC 5952 text form for IPv6).
 * Pure functions of their arguments; nothing here reads capture bytes. */
#include <stdio.h>

#include "capture/capture.h"

const char *cap_transport_name(enum cap_transport t)
{
    switch (t) {
    case CAP_TP_UDP:
        return "UDP";
    case CAP_TP_TCP:
        return "TCP";
    case CAP_TP_SCTP:
        return "SCTP";
    case CAP_TP_TLS:
        return "TLS";
    case CAP_TP_WS:
        return "WS";
    case CAP_TP_WSS:
        return "WSS";
    case CAP_TP_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *cap_format_name(enum cap_format f)
{
    switch (f) {
    case CAP_FMT_PCAP:
        return "pcap";
    case CAP_FMT_PCAPNG:
        return "pcapng";
    case CAP_FMT_HEP:
        return "hep";
    case CAP_FMT_SIP_TEXT:
        return "sip-text";
    case CAP_FMT_UNKNOWN:
        break;
    }
    return "unknown";
}

static const char *const stat_names[] = {
#define X(id, name, desc) name,
#include "capture/stats.def"
#undef X
};

static const char *const stat_descs[] = {
#define X(id, name, desc) desc,
#include "capture/stats.def"
#undef X
};

const char *cap_stat_name(enum cap_stat s)
{
    return (unsigned)s < CAP_STAT__COUNT ? stat_names[s] : "unknown";
}

const char *cap_stat_desc(enum cap_stat s)
{
    return (unsigned)s < CAP_STAT__COUNT ? stat_descs[s] : "unknown counter";
}

/* RFC 5952 §4: lowercase hex, no leading zeros, the longest run (first if tied) of two or more
 * zero groups as "::"; §5: IPv4-mapped addresses end in dotted decimal. */
static size_t ipv6_str(const uint8_t ip[16], char *buf, size_t cap)
{
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (memcmp(ip, mapped, 12) == 0)
        return (size_t)snprintf(buf, cap, "::ffff:%u.%u.%u.%u", ip[12], ip[13], ip[14], ip[15]);
    unsigned g[8];
    int best = -1, best_len = 1;
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)ip[2 * i] << 8 | ip[2 * i + 1];
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    size_t len = 0;
    for (int i = 0; i < 8 && len < cap; i++) {
        if (i == best) {
            len += (size_t)snprintf(buf + len, cap - len, "::");
            i += best_len - 1;
            continue;
        }
        bool sep = i > 0 && i != best + best_len;
        len += (size_t)snprintf(buf + len, cap - len, sep ? ":%x" : "%x", g[i]);
    }
    return len < cap ? len : cap - 1;
}

size_t cap_addr_str(const struct cap_addr *a, char *buf, size_t cap)
{
    if (!cap)
        return 0;
    char ip[48];
    int n;
    if (a->family == 4) {
        snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a->ip[0], a->ip[1], a->ip[2], a->ip[3]);
        n = a->port ? snprintf(buf, cap, "%s:%u", ip, a->port) : snprintf(buf, cap, "%s", ip);
    } else if (a->family == 6) {
        ipv6_str(a->ip, ip, sizeof(ip));
        n = a->port ? snprintf(buf, cap, "[%s]:%u", ip, a->port) : snprintf(buf, cap, "[%s]", ip);
    } else {
        n = snprintf(buf, cap, "?");
    }
    if (n < 0)
        return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

bool cap_addr_eq(const struct cap_addr *a, const struct cap_addr *b)
{
    if (a->family != b->family || a->port != b->port)
        return false;
    size_t n = a->family == 4 ? 4 : a->family == 6 ? 16 : 0;
    return memcmp(a->ip, b->ip, n) == 0;
}
