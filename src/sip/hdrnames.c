/* Names: method ids (RFC 3261 §7.1, case-sensitive), header ids for full and compact header
 * names (RFC 3261 §7.3.1, §7.3.3, case-insensitive) and the name/description tables of
 * malformed.def and anomaly.def.
 *
 * Header lookup is on the parser's hot path: it switches on the name length and first letter
 * and compares the rest once, instead of walking a table. Nothing here allocates or keeps
 * pointers to its input. Not here: parsing header values. */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

/* Method names, indexed by enum sip_method. */
static const char *const method_names[SIP_M__COUNT] = {
    [SIP_M_UNKNOWN] = "",          [SIP_M_INVITE] = "INVITE",   [SIP_M_ACK] = "ACK",
    [SIP_M_BYE] = "BYE",           [SIP_M_CANCEL] = "CANCEL",   [SIP_M_OPTIONS] = "OPTIONS",
    [SIP_M_REGISTER] = "REGISTER", [SIP_M_PRACK] = "PRACK",     [SIP_M_SUBSCRIBE] = "SUBSCRIBE",
    [SIP_M_NOTIFY] = "NOTIFY",     [SIP_M_PUBLISH] = "PUBLISH", [SIP_M_INFO] = "INFO",
    [SIP_M_REFER] = "REFER",       [SIP_M_MESSAGE] = "MESSAGE", [SIP_M_UPDATE] = "UPDATE",
};

static bool lit_eq(const char *p, const char *lit, size_t n)
{
    return memcmp(p, lit, n) == 0;
}

enum sip_method sip_method_id(sv_t t)
{
    const char *p = t.p;
    switch (t.len) {
    case 3:
        if (lit_eq(p, "ACK", 3))
            return SIP_M_ACK;
        if (lit_eq(p, "BYE", 3))
            return SIP_M_BYE;
        break;
    case 4:
        if (lit_eq(p, "INFO", 4))
            return SIP_M_INFO;
        break;
    case 5:
        if (lit_eq(p, "PRACK", 5))
            return SIP_M_PRACK;
        if (lit_eq(p, "REFER", 5))
            return SIP_M_REFER;
        break;
    case 6:
        if (lit_eq(p, "INVITE", 6))
            return SIP_M_INVITE;
        if (lit_eq(p, "CANCEL", 6))
            return SIP_M_CANCEL;
        if (lit_eq(p, "NOTIFY", 6))
            return SIP_M_NOTIFY;
        if (lit_eq(p, "UPDATE", 6))
            return SIP_M_UPDATE;
        break;
    case 7:
        if (lit_eq(p, "OPTIONS", 7))
            return SIP_M_OPTIONS;
        if (lit_eq(p, "PUBLISH", 7))
            return SIP_M_PUBLISH;
        if (lit_eq(p, "MESSAGE", 7))
            return SIP_M_MESSAGE;
        break;
    case 8:
        if (lit_eq(p, "REGISTER", 8))
            return SIP_M_REGISTER;
        break;
    case 9:
        if (lit_eq(p, "SUBSCRIBE", 9))
            return SIP_M_SUBSCRIBE;
        break;
    default:
        break;
    }
    return SIP_M_UNKNOWN;
}

const char *sip_method_name(enum sip_method m)
{
    return (unsigned)m < SIP_M__COUNT ? method_names[m] : "";
}

/* --- headers --- */

static const char *const hdr_names[SIP_HDR__COUNT] = {
    [SIP_HDR_OTHER] = "",
#define X(id, name, compact) [SIP_HDR_##id] = name,
#include "sip/headers.def"
#undef X
};

/* Compact forms (RFC 3261 §7.3.3 and the IANA registry), indexed by the lower-case letter; 0 is
 * SIP_HDR_OTHER. tests/sip/test_hdrnames.c checks this against headers.def. */
static const uint8_t compact_ids[26] = {
    ['a' - 'a'] = SIP_HDR_ACCEPT_CONTACT,
    ['b' - 'a'] = SIP_HDR_REFERRED_BY,
    ['c' - 'a'] = SIP_HDR_CONTENT_TYPE,
    ['d' - 'a'] = SIP_HDR_REQUEST_DISPOSITION,
    ['e' - 'a'] = SIP_HDR_CONTENT_ENCODING,
    ['f' - 'a'] = SIP_HDR_FROM,
    ['i' - 'a'] = SIP_HDR_CALL_ID,
    ['j' - 'a'] = SIP_HDR_REJECT_CONTACT,
    ['k' - 'a'] = SIP_HDR_SUPPORTED,
    ['l' - 'a'] = SIP_HDR_CONTENT_LENGTH,
    ['m' - 'a'] = SIP_HDR_CONTACT,
    ['o' - 'a'] = SIP_HDR_EVENT,
    ['r' - 'a'] = SIP_HDR_REFER_TO,
    ['s' - 'a'] = SIP_HDR_SUBJECT,
    ['t' - 'a'] = SIP_HDR_TO,
    ['u' - 'a'] = SIP_HDR_ALLOW_EVENTS,
    ['v' - 'a'] = SIP_HDR_VIA,
    ['x' - 'a'] = SIP_HDR_SESSION_EXPIRES,
    ['y' - 'a'] = SIP_HDR_IDENTITY,
};

static inline char lc(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Case-insensitive compare of p[0..n) with a lower-case literal. */
static inline bool ieq_lc(const char *p, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lc(p[i]) != lit[i])
            return false;
    return true;
}

/* Names of 2 to 6 bytes, after the length switch: c is the lower-case first byte. */
static enum sip_hdr_id lookup_short(const char *p, size_t n, char c)
{
    switch (n) {
    case 2:
        return c == 't' && ieq_lc(p, "to", 2) ? SIP_HDR_TO : SIP_HDR_OTHER;
    case 3:
        return c == 'v' && ieq_lc(p, "via", 3) ? SIP_HDR_VIA : SIP_HDR_OTHER;
    case 4:
        if (c == 'f' && ieq_lc(p, "from", 4))
            return SIP_HDR_FROM;
        if (c == 'c' && ieq_lc(p, "cseq", 4))
            return SIP_HDR_CSEQ;
        if (c == 'd' && ieq_lc(p, "date", 4))
            return SIP_HDR_DATE;
        if (c == 'r' && ieq_lc(p, "rseq", 4))
            return SIP_HDR_RSEQ;
        if (c == 'r' && ieq_lc(p, "rack", 4))
            return SIP_HDR_RACK;
        break;
    case 5:
        if (c == 'r' && ieq_lc(p, "route", 5))
            return SIP_HDR_ROUTE;
        if (c == 'a' && ieq_lc(p, "allow", 5))
            return SIP_HDR_ALLOW;
        if (c == 'e' && ieq_lc(p, "event", 5))
            return SIP_HDR_EVENT;
        if (c == 'x' && ieq_lc(p, "x-cid", 5))
            return SIP_HDR_X_CID;
        break;
    case 6:
        if (c == 'r' && ieq_lc(p, "reason", 6))
            return SIP_HDR_REASON;
        if (c == 'a' && ieq_lc(p, "accept", 6))
            return SIP_HDR_ACCEPT;
        if (c == 's' && ieq_lc(p, "server", 6))
            return SIP_HDR_SERVER;
        break;
    default:
        break;
    }
    return SIP_HDR_OTHER;
}

/* Names of 7 to 11 bytes. */
static enum sip_hdr_id lookup_mid(const char *p, size_t n, char c)
{
    switch (n) {
    case 7:
        if (c == 'c' && ieq_lc(p, "call-id", 7))
            return SIP_HDR_CALL_ID;
        if (c == 'c' && ieq_lc(p, "contact", 7))
            return SIP_HDR_CONTACT;
        if (c == 'e' && ieq_lc(p, "expires", 7))
            return SIP_HDR_EXPIRES;
        if (c == 'r' && ieq_lc(p, "require", 7))
            return SIP_HDR_REQUIRE;
        if (c == 'w' && ieq_lc(p, "warning", 7))
            return SIP_HDR_WARNING;
        if (c == 's' && ieq_lc(p, "subject", 7))
            return SIP_HDR_SUBJECT;
        break;
    case 8:
        if (c == 'r' && ieq_lc(p, "refer-to", 8))
            return SIP_HDR_REFER_TO;
        if (c == 'i' && ieq_lc(p, "identity", 8))
            return SIP_HDR_IDENTITY;
        break;
    case 9:
        if (c == 's' && ieq_lc(p, "supported", 9))
            return SIP_HDR_SUPPORTED;
        if (c == 'x' && ieq_lc(p, "x-call-id", 9))
            return SIP_HDR_X_CALL_ID;
        break;
    case 10:
        if (c == 'u' && ieq_lc(p, "user-agent", 10))
            return SIP_HDR_USER_AGENT;
        if (c == 's' && ieq_lc(p, "session-id", 10))
            return SIP_HDR_SESSION_ID;
        break;
    case 11:
        if (c == 'r' && ieq_lc(p, "retry-after", 11))
            return SIP_HDR_RETRY_AFTER;
        if (c == 'u' && ieq_lc(p, "unsupported", 11))
            return SIP_HDR_UNSUPPORTED;
        if (c == 'r' && ieq_lc(p, "referred-by", 11))
            return SIP_HDR_REFERRED_BY;
        if (c == 'm' && ieq_lc(p, "min-expires", 11))
            return SIP_HDR_MIN_EXPIRES;
        break;
    default:
        break;
    }
    return SIP_HDR_OTHER;
}

/* Names of 12 bytes and more. */
static enum sip_hdr_id lookup_long(const char *p, size_t n, char c)
{
    switch (n) {
    case 12:
        if (c == 'm' && ieq_lc(p, "max-forwards", 12))
            return SIP_HDR_MAX_FORWARDS;
        if (c == 'c' && ieq_lc(p, "content-type", 12))
            return SIP_HDR_CONTENT_TYPE;
        if (c == 'r' && ieq_lc(p, "record-route", 12))
            return SIP_HDR_RECORD_ROUTE;
        if (c == 'a' && ieq_lc(p, "allow-events", 12))
            return SIP_HDR_ALLOW_EVENTS;
        if (c == 'm' && ieq_lc(p, "mime-version", 12))
            return SIP_HDR_MIME_VERSION;
        break;
    case 13:
        if (c == 'p' && ieq_lc(p, "proxy-require", 13))
            return SIP_HDR_PROXY_REQUIRE;
        if (c == 'a' && ieq_lc(p, "authorization", 13))
            return SIP_HDR_AUTHORIZATION;
        break;
    case 14:
        if (c == 'c' && ieq_lc(p, "content-length", 14))
            return SIP_HDR_CONTENT_LENGTH;
        if (c == 'a' && ieq_lc(p, "accept-contact", 14))
            return SIP_HDR_ACCEPT_CONTACT;
        if (c == 'r' && ieq_lc(p, "reject-contact", 14))
            return SIP_HDR_REJECT_CONTACT;
        break;
    case 15:
        return c == 's' && ieq_lc(p, "session-expires", 15) ? SIP_HDR_SESSION_EXPIRES
                                                            : SIP_HDR_OTHER;
    case 16:
        if (c == 'c' && ieq_lc(p, "content-encoding", 16))
            return SIP_HDR_CONTENT_ENCODING;
        if (c == 'w' && ieq_lc(p, "www-authenticate", 16))
            return SIP_HDR_WWW_AUTHENTICATE;
        break;
    case 17:
        return c == 'p' && ieq_lc(p, "p-charging-vector", 17) ? SIP_HDR_P_CHARGING_VECTOR
                                                              : SIP_HDR_OTHER;
    case 18:
        if (c == 'p' && ieq_lc(p, "proxy-authenticate", 18))
            return SIP_HDR_PROXY_AUTHENTICATE;
        if (c == 's' && ieq_lc(p, "subscription-state", 18))
            return SIP_HDR_SUBSCRIPTION_STATE;
        break;
    case 19:
        if (c == 'p' && ieq_lc(p, "proxy-authorization", 19))
            return SIP_HDR_PROXY_AUTHORIZATION;
        if (c == 'p' && ieq_lc(p, "p-asserted-identity", 19))
            return SIP_HDR_P_ASSERTED_IDENTITY;
        if (c == 'r' && ieq_lc(p, "request-disposition", 19))
            return SIP_HDR_REQUEST_DISPOSITION;
        break;
    default:
        break;
    }
    return SIP_HDR_OTHER;
}

enum sip_hdr_id sip_int_hdr_id(const char *p, size_t n)
{
    if (n == 0)
        return SIP_HDR_OTHER;
    char c = lc(p[0]);
    if (n == 1) {
        if (c < 'a' || c > 'z')
            return SIP_HDR_OTHER;
        return (enum sip_hdr_id)compact_ids[c - 'a'];
    }
    if (n <= 6)
        return lookup_short(p, n, c);
    return n < 12 ? lookup_mid(p, n, c) : lookup_long(p, n, c);
}

enum sip_hdr_id sip_hdr_lookup(sv_t name)
{
    if (!name.p)
        return SIP_HDR_OTHER;
    return sip_int_hdr_id(name.p, name.len);
}

const char *sip_hdr_canonical(enum sip_hdr_id id)
{
    return (unsigned)id < SIP_HDR__COUNT ? hdr_names[id] : "";
}

/* --- verdict names --- */

static const char *const mal_names[SIP_MAL__COUNT] = {
    [SIP_MAL_NONE] = "",
#define X(id, name, desc) [SIP_MAL_##id] = name,
#include "sip/malformed.def"
#undef X
};

static const char *const mal_descs[SIP_MAL__COUNT] = {
    [SIP_MAL_NONE] = "",
#define X(id, name, desc) [SIP_MAL_##id] = desc,
#include "sip/malformed.def"
#undef X
};

static const char *const anom_names[SIP_ANOM__COUNT] = {
#define X(id, name, desc) [SIP_ANOM_##id] = name,
#include "sip/anomaly.def"
#undef X
};

static const char *const anom_descs[SIP_ANOM__COUNT] = {
#define X(id, name, desc) [SIP_ANOM_##id] = desc,
#include "sip/anomaly.def"
#undef X
};

const char *sip_malformed_name(enum sip_malformed r)
{
    return (unsigned)r < SIP_MAL__COUNT ? mal_names[r] : "";
}

const char *sip_malformed_desc(enum sip_malformed r)
{
    return (unsigned)r < SIP_MAL__COUNT ? mal_descs[r] : "";
}

const char *sip_anomaly_name(enum sip_anomaly a)
{
    return (unsigned)a < SIP_ANOM__COUNT ? anom_names[a] : "";
}

const char *sip_anomaly_desc(enum sip_anomaly a)
{
    return (unsigned)a < SIP_ANOM__COUNT ? anom_descs[a] : "";
}
