/* sip_int.h: private helpers shared by the files of src/sip; not part of the module interface.
 *
 * Character classes of the RFC 3261 §25.1 grammar, cursor helpers over [p, e) ranges, the
 * header-parameter iterator, start-line classification and the strict checks that sip_validate
 * applies on top of the (deliberately liberal) public value parsers. Nothing here allocates,
 * and every helper stops at its end pointer. */
#ifndef SIP_SIP_INT_H
#define SIP_SIP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sv.h"
#include "sip/sip.h"

/* Character classes (bits of sip_int_cc[byte]). RFC 3261 §25.1 names in comments. */
enum {
    SIP_CC_TOKEN = 0x0001, /* token: alphanum / - . ! % * _ + ` ' ~ */
    SIP_CC_WS = 0x0002,    /* SP HTAB CR LF: LWS once folding is accounted for */
    SIP_CC_DIGIT = 0x0004,
    SIP_CC_HEX = 0x0008,
    SIP_CC_ALPHA = 0x0010,
    SIP_CC_UNRES = 0x0020,  /* unreserved: alphanum / mark */
    SIP_CC_USER = 0x0040,   /* unreserved / user-unreserved (& = + $ , ; ? /) */
    SIP_CC_PASS = 0x0080,   /* unreserved / & = + $ , */
    SIP_CC_PARAM = 0x0100,  /* paramchar without escapes: unreserved / [ ] / : & + $ */
    SIP_CC_HNV = 0x0200,    /* hname/hvalue chars without escapes: unreserved / [ ] / ? : + $ */
    SIP_CC_HOST = 0x0400,   /* hostname chars, '_' tolerated: alphanum / - . _ */
    SIP_CC_CTL = 0x0800,    /* %x00-1F and %x7F */
    SIP_CC_SCHEME = 0x1000, /* scheme chars after the first ALPHA: alphanum / + - . */
    SIP_CC_TEL = 0x2000,    /* RFC 3966 phonedigit-hex and visual separators */
    SIP_CC_URIC = 0x4000,   /* RFC 2396 uric: reserved / unreserved / '%' (and [ ]) */
};

extern const uint16_t sip_int_cc[256];

static inline bool sip_int_is(char c, unsigned cls)
{
    return (sip_int_cc[(unsigned char)c] & cls) != 0;
}

static inline const char *sip_int_skip_lws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static inline const char *sip_int_skip_cls(const char *p, const char *e, unsigned cls)
{
    while (p < e && sip_int_is(*p, cls))
        p++;
    return p;
}

static inline sv_t sip_int_span(const char *a, const char *b)
{
    return sv_make(a, (size_t)(b - a));
}

/* True if every byte of v is in cls (and v is not empty). */
bool sip_int_all(sv_t v, unsigned cls);

/* p points at '"': returns the byte after the closing quote, honouring quoted-pairs, or NULL if
 * the string is not terminated before e. RFC 3261 §25.1 quoted-string. */
const char *sip_int_quoted_end(const char *p, const char *e);

/* Internal header id lookup for a name already known to be a token (hot path). */
enum sip_hdr_id sip_int_hdr_id(const char *p, size_t n);

/* --- start line --- */

enum sip_int_line {
    SIP_INT_NOT_SIP = 0,
    SIP_INT_RESPONSE,      /* "SIP/x.y SP ..." */
    SIP_INT_REQUEST,       /* "... SP SIP/x.y" (trailing SP/HTAB allowed) */
    SIP_INT_REQUEST_NOVER, /* known method SP sip:/sips:/tel: URI, no version */
};

/* Classify a first line (without its line break). For SIP_INT_REQUEST *ver_off and *ver_len locate
 * the version; for SIP_INT_RESPONSE they locate the leading version. This is the one place that
 * decides whether bytes are SIP; see parse.c for the rule. */
enum sip_int_line sip_int_line_kind(const char *p, size_t n, size_t *ver_off, size_t *ver_len);

/* --- parameters: RFC 3261 §25.1 generic-param, SWS allowed around ; and = --- */

struct sip_int_param {
    sv_t name;       /* empty for an empty parameter (";;") */
    sv_t value;      /* as written, quotes kept; empty if no value */
    bool has_value;  /* '=' seen */
    const char *end; /* byte after the parameter text */
};

/* Next ";name[=value]" at *cur (leading LWS allowed). Returns 1 and advances *cur to the
 * following ';', ',' or end; 0 when *cur (after LWS) is empty or starts with ','; ERR_PARSE when
 * the text is not a parameter list (then *cur is unchanged). */
int sip_int_param_next(sv_t *cur, struct sip_int_param *pr);

/* Strict generic-param: the name is a token; a value is a token, a host (IPv6 reference
 * included) or a quoted string. */
bool sip_int_generic_param_ok(const struct sip_int_param *pr);

/* --- hosts and numbers --- */

bool sip_int_ipv4_ok(const char *p, size_t n);
/* IPv6address without brackets; tolerates the RFC 3261 "::" ":" IPv4 form (RFC 5118 §4.10). */
bool sip_int_ipv6_ok(const char *p, size_t n);
/* 1*DIGIT, at most 65535. */
bool sip_int_port_ok(sv_t v, uint16_t *port);

/* Strict RFC 3261 §25.1 / RFC 3966 character-level check of a URI that sip_uri_parse accepted:
 * user, password, host, uri-parameters and headers of sip/sips; the number and parameters of
 * tel; the opaque part of other schemes. */
bool sip_int_uri_strict(const struct sip_uri *u);

/* sip_name_addr_next with a mode: single (From/To) lets an unquoted display name hold commas so
 * that the liberal parse still finds the URI and tag; list mode splits at commas. */
int sip_int_name_addr_scan(sv_t *cur, struct sip_name_addr *na, bool single);

/* Strict check of a parsed name-addr: display name is quoted or tokens, no LWS inside <>, an
 * unbracketed URI has no ',' '?' (RFC 3261 §20), parameters are generic-params. Returns a
 * SIP_MAL_* (NONE if fine); URI grammar is left to the caller. */
enum sip_malformed sip_int_name_addr_strict(const struct sip_name_addr *na, bool need_brackets);

/* Strict via-params check (RFC 3261 §20.42 / RFC 5118 §4.5). */
bool sip_int_via_params_ok(sv_t params);

#endif
