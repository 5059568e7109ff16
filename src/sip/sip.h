/* sip: a zero-copy, bounded SIP message parser (RFC 3261 §7, §20, §25).
 *
 * sip_parse() reads the start line, indexes every header line (name id + value view) and finds
 * the body, in one pass and without copying: every sv_t in struct sip_msg points into the
 * caller's bytes, which must outlive the struct. Nothing reads past data + len. Header values
 * are parsed on demand by the sip_*_parse()/sip_*_next() helpers, which also return views.
 * sip_validate() is the deep check (every known header's grammar) used when a verdict on the
 * message's conformance is wanted; the engine does not need it.
 *
 * Malformed input is data, not an error: a message that breaks the grammar is still returned
 * with whatever could be read and m->malformed set to the first reason found (malformed.def).
 * Things that are legal but worth reporting are anomaly bits (anomaly.def).
 *
 * Not here: transport framing of streams beyond Content-Length (sip_frame_len), transactions,
 * dialogs, SDP. */
#ifndef SIP_SIP_H
#define SIP_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sv.h"

enum sip_method {
    SIP_M_UNKNOWN = 0,
    SIP_M_INVITE,
    SIP_M_ACK,
    SIP_M_BYE,
    SIP_M_CANCEL,
    SIP_M_OPTIONS,
    SIP_M_REGISTER,
    SIP_M_PRACK,
    SIP_M_SUBSCRIBE,
    SIP_M_NOTIFY,
    SIP_M_PUBLISH,
    SIP_M_INFO,
    SIP_M_REFER,
    SIP_M_MESSAGE,
    SIP_M_UPDATE,
    SIP_M__COUNT
};

/* Method id of a token (case-sensitive, RFC 3261 §7.1), SIP_M_UNKNOWN for extensions. */
enum sip_method sip_method_id(sv_t token);
/* Canonical name of a known method ("INVITE"), "" for SIP_M_UNKNOWN. */
const char *sip_method_name(enum sip_method m);

enum sip_hdr_id {
    SIP_HDR_OTHER = 0,
#define X(id, name, compact) SIP_HDR_##id,
#include "sip/headers.def"
#undef X
    SIP_HDR__COUNT
};

/* Header id for a header name (case-insensitive, compact forms included). */
enum sip_hdr_id sip_hdr_lookup(sv_t name);
const char *sip_hdr_canonical(enum sip_hdr_id id);

enum sip_malformed {
    SIP_MAL_NONE = 0,
#define X(id, name, desc) SIP_MAL_##id,
#include "sip/malformed.def"
#undef X
    SIP_MAL__COUNT
};
const char *sip_malformed_name(enum sip_malformed r); /* "bad-cseq"; "" for NONE */
const char *sip_malformed_desc(enum sip_malformed r);

enum sip_anomaly {
#define X(id, name, desc) SIP_ANOM_##id,
#include "sip/anomaly.def"
#undef X
    SIP_ANOM__COUNT
};
const char *sip_anomaly_name(enum sip_anomaly a);
const char *sip_anomaly_desc(enum sip_anomaly a);
#define SIP_ANOM_BIT(a) (1u << (a))

/* Maximum header lines indexed per message; further lines set SIP_MAL_TOO_MANY_HEADERS but the
 * end of headers and Content-Length are still found. */
#define SIP_MAX_HDRS 160

struct sip_hdr {
    uint16_t id;  /* enum sip_hdr_id */
    sv_t name;    /* as written, e.g. "v" or "ViA" */
    sv_t value;   /* raw value: leading/trailing whitespace trimmed; may span folded lines, so
                     value parsers treat CR and LF like SP (RFC 3261 §7.3.1 LWS) */
};

struct sip_msg {
    sv_t raw;          /* the message: start line through end of body */
    bool is_request;
    /* request line */
    sv_t method;
    uint8_t method_id; /* enum sip_method */
    sv_t ruri;
    /* status line */
    uint16_t status;   /* 0 if not a response or unreadable */
    sv_t reason;
    sv_t version;      /* "SIP/2.0" as written */
    /* headers */
    uint16_t nhdrs;
    uint16_t first[SIP_HDR__COUNT]; /* index + 1 of the first header with that id; 0 = absent */
    uint8_t count[SIP_HDR__COUNT];  /* header lines with that id (saturates at 255) */
    struct sip_hdr hdrs[SIP_MAX_HDRS];
    /* body */
    sv_t body;
    bool has_content_length; /* the first Content-Length holds a usable number (a bad one sets
                                SIP_MAL_CONTENT_LENGTH and leaves this false) */
    uint32_t content_length; /* valid when has_content_length and not SIP_MAL_CONTENT_LENGTH */
    /* verdicts */
    uint8_t malformed;  /* enum sip_malformed, first problem found */
    uint32_t anomalies; /* SIP_ANOM_BIT()s */
    size_t skipped;     /* bytes skipped before the start line (leading junk / CRLFs) */
};

/* Parse flags. */
enum {
    SIP_PARSE_DATAGRAM = 1u << 0, /* the bytes are one whole datagram: a missing Content-Length
                                     means "body = rest", a longer datagram is TRAILING_BYTES */
};

/* Parse one message from data[0..len). Leading CRLFs (keep-alives) and, for datagrams, leading
 * NUL/whitespace junk are skipped (counted in m->skipped, LEADING_JUNK anomaly if not just CRLF).
 *
 * Returns the number of bytes consumed (skipped + message) when the bytes hold something that
 * is recognisably SIP — even if malformed; m->malformed says so. Returns ERR_PARSE when the bytes
 * are not SIP at all (no SIP start line): the caller counts them as non-SIP. Returns
 * ERR_INCOMPLETE only without SIP_PARSE_DATAGRAM, when the header section or the body is not
 * complete yet. Every view in *m points into data. RFC 3261 §7, §18.3. */
MUST_CHECK int sip_parse(struct sip_msg *m, const void *data, size_t len, unsigned flags);

/* Cheap test: do these bytes start (after CRLFs) with a SIP request or status line? Used to tell
 * SIP from other traffic on a port before a full parse. Reads at most the first line. */
bool sip_looks_like(const void *data, size_t len);

/* Stream framing (RFC 3261 §18.3): if data holds a complete message, set *msg_len to its length
 * (leading CRLFs included) and return 1; return 0 if more bytes are needed; return ERR_PARSE if
 * the bytes cannot start a SIP message or carry no usable Content-Length (the caller then
 * resynchronises). *skip gets the count of leading CRLF keep-alive bytes. Never reads past len. */
MUST_CHECK int sip_frame_len(const void *data, size_t len, size_t *msg_len, size_t *skip);

/* Deep conformance check of a parsed message: the grammar of every header we know (Via, From,
 * To, Contact, Route, CSeq, Max-Forwards, Expires, Retry-After, Warning, Date, URIs ...), single-
 * value headers, the CSeq/method match, required headers. Updates m->malformed (if still NONE)
 * and m->anomalies. */
void sip_validate(struct sip_msg *m);

/* Header access. */
static inline const struct sip_hdr *sip_hdr_get(const struct sip_msg *m, enum sip_hdr_id id)
{
    return m->first[id] ? &m->hdrs[m->first[id] - 1] : NULL;
}

/* Next header with the same id after h, or NULL. */
const struct sip_hdr *sip_hdr_next(const struct sip_msg *m, const struct sip_hdr *h);

/* Value of the first header with that id, or an empty view with p == NULL. */
static inline sv_t sip_hdr_value(const struct sip_msg *m, enum sip_hdr_id id)
{
    const struct sip_hdr *h = sip_hdr_get(m, id);
    return h ? h->value : SV_NULL;
}

#define hdr_foreach(m, id, h) for (h = sip_hdr_get(m, id); h; h = sip_hdr_next(m, h))

/* --- value parsers (all zero-copy; outputs view into the input) --- */

struct sip_uri {
    sv_t scheme;   /* "sip", "sips", "tel", or other */
    sv_t user;     /* user part (or tel number) as written, escapes kept */
    sv_t password;
    sv_t host;     /* IPv6 references keep their brackets */
    uint16_t port;
    bool has_port;
    sv_t params;   /* ";a=b;lr" including the leading ';', or empty */
    sv_t headers;  /* "?x=y" without the '?', or empty */
    bool is_ipv6;
};

/* Parse a URI (RFC 3261 §19.1, RFC 3966 for tel, RFC 5118 for IPv6). Other schemes are accepted
 * as scheme + opaque part (kept in user). Returns 0 or ERR_PARSE. */
MUST_CHECK int sip_uri_parse(sv_t s, struct sip_uri *u);

struct sip_via {
    sv_t protocol;  /* "SIP/2.0" (name/version, whitespace removed is not done: as written) */
    sv_t transport; /* "UDP", "TCP", "TLS", "SCTP", "WS", "WSS" or other */
    sv_t host;      /* sent-by host (IPv6 with brackets) */
    uint16_t port;
    bool has_port;
    sv_t branch;    /* empty view with p == NULL if absent */
    sv_t received;
    sv_t rport;     /* value; has_rport also true for a bare "rport" */
    bool has_rport;
    sv_t params;    /* all parameters, starting at the first ';' */
};

/* Parse the next Via value from *cur (a Via header value may hold several, comma-separated),
 * advancing *cur past it. Returns 1 for a value, 0 when none is left, ERR_PARSE if malformed
 * (then *cur is moved to the end). RFC 3261 §20.42. */
MUST_CHECK int sip_via_next(sv_t *cur, struct sip_via *v);

/* The first Via value of the message (top Via). Returns 1, 0 if there is no Via, or ERR_PARSE. */
MUST_CHECK int sip_top_via(const struct sip_msg *m, struct sip_via *v);

struct sip_name_addr {
    sv_t display;  /* display name, quotes kept if quoted; empty if none */
    sv_t uri;      /* the URI text (inside <> if bracketed) */
    bool bracketed;
    sv_t tag;      /* tag parameter value, p == NULL if absent */
    sv_t params;   /* header parameters after the URI (after '>' or, unbracketed, after the
                      first ';'), starting at ';' */
};

/* Parse the next name-addr / addr-spec value (From, To, Contact, Route, Record-Route ...) from
 * *cur, advancing past the separating comma. Returns 1, 0 when nothing is left, ERR_PARSE.
 * "*" (Contact: *) is returned as uri "*". RFC 3261 §20.10, §20.20, §20.39, §25.1. */
MUST_CHECK int sip_name_addr_next(sv_t *cur, struct sip_name_addr *na);

/* One name-addr (From/To): sip_name_addr_next on the whole value, so it returns 1 for a value, 0
 * for an empty one, ERR_PARSE. Here an unquoted display name may hold commas ("Bell, Alexander
 * <sip:...>", RFC 4475 §3.1.2.15) so the URI and tag are still found; sip_validate reports it.
 * A second comma-separated value after the first is ignored. */
MUST_CHECK int sip_name_addr_parse(sv_t value, struct sip_name_addr *na);

struct sip_cseq {
    uint32_t num;
    sv_t method;
    uint8_t method_id;
};

/* "4711 INVITE". Returns 0, ERR_PARSE, or ERR_LIMIT (number > 2^32-1). RFC 3261 §20.16. */
MUST_CHECK int sip_cseq_parse(sv_t value, struct sip_cseq *c);

struct sip_reason {
    sv_t protocol; /* "SIP", "Q.850" ... */
    uint32_t cause;
    bool has_cause;
    sv_t text;     /* without quotes; p == NULL if absent */
};

/* Next Reason value (RFC 3326). Returns 1, 0 when none left, ERR_PARSE. */
MUST_CHECK int sip_reason_next(sv_t *cur, struct sip_reason *r);

/* Find parameter name (case-insensitive) in a ";a=b;c;d=\"q\"" list. Returns 1 and sets *value
 * (quotes kept; empty for a bare name), or 0 if absent. */
int sip_param_get(sv_t params, sv_t name, sv_t *value);

/* Call-ID value (trimmed) or empty view. */
static inline sv_t sip_call_id(const struct sip_msg *m)
{
    return sip_hdr_value(m, SIP_HDR_CALL_ID);
}

#endif
