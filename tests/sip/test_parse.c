/* Unit tests for src/sip/parse.c: sip_parse (start line, header index, body framing, malformed
 * reasons and anomalies found while parsing), sip_looks_like and sip_hdr_next. Every input ends
 * at a PROT_NONE page; every prefix of a few messages is parsed in both modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

#define FULL (-100) /* expected return: the whole input */
#define DG   SIP_PARSE_DATAGRAM
#define ST   0
/* the rest of a case that expects an error return */
#define ERR_ONLY(rc) rc, SIP_MAL_NONE, 0, NULL, 0, NULL, NULL

static struct sip_msg msg; /* 7 KB: keep it off the stack */

/* Every view in m lies inside [p, p + n). */
static void assert_views_inside(const struct sip_msg *m, const char *p, size_t n)
{
    const sv_t views[] = { m->raw, m->method, m->ruri, m->reason, m->version, m->body };
    for (size_t i = 0; i < NELEM(views) + m->nhdrs * 2; i++) {
        sv_t v = i < NELEM(views)              ? views[i]
                 : (i - NELEM(views)) % 2 == 0 ? m->hdrs[(i - NELEM(views)) / 2].name
                                               : m->hdrs[(i - NELEM(views)) / 2].value;
        if (!v.p)
            continue;
        assert_true(v.p >= p && v.p + v.len <= p + n);
    }
}

struct pcase {
    const char *name;
    const char *in;
    size_t len; /* 0: strlen(in) */
    unsigned flags;
    int rc; /* FULL, a byte count or an ERR_* */
    enum sip_malformed mal;
    uint32_t anoms;
    const char *method; /* request method, or NULL for a response */
    int status;
    const char *ruri_or_reason;
    const char *body; /* NULL: not checked */
};

#define INV  "INVITE sip:bob@example.com SIP/2.0\r\n"
#define HDRS "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: c1\r\n"

static const struct pcase cases[] = {
    { "request", INV HDRS "Content-Length: 4\r\n\r\nbody", 0, DG, FULL, SIP_MAL_NONE, 0, "INVITE",
      0, "sip:bob@example.com", "body" },
    { "request stream", INV HDRS "Content-Length: 4\r\n\r\nbody", 0, ST, FULL, SIP_MAL_NONE, 0,
      "INVITE", 0, "sip:bob@example.com", "body" },
    { "response", "SIP/2.0 180 Ringing\r\nl: 0\r\n\r\n", 0, DG, FULL, SIP_MAL_NONE, 0, NULL, 180,
      "Ringing", "" },
    { "empty reason (noreason.dat)", "SIP/2.0 100 \r\n\r\n", 0, DG, FULL, SIP_MAL_NONE, 0, NULL,
      100, "", "" },
    { "reason with spaces and UTF-8", "SIP/2.0 200 \xd0\xbd\xd0\xbe ok  x\r\n\r\n", 0, DG, FULL,
      SIP_MAL_NONE, 0, NULL, 200, "\xd0\xbd\xd0\xbe ok  x", "" },
    { "no SP after status code", "SIP/2.0 100\r\n\r\n", 0, DG, FULL, SIP_MAL_START_LINE, 0, NULL,
      100, "", "" },
    { "status > 2^32 (bigcode.dat)", "SIP/2.0 4294967301 better not\r\n\r\n", 0, DG, FULL,
      SIP_MAL_STATUS_CODE, 0, NULL, 0, "better not", "" },
    { "status 099", "SIP/2.0 099 x\r\n\r\n", 0, DG, FULL, SIP_MAL_STATUS_CODE, 0, NULL, 0, "x",
      "" },
    { "status 700", "SIP/2.0 700 x\r\n\r\n", 0, DG, FULL, SIP_MAL_STATUS_CODE, 0, NULL, 0, "x",
      "" },
    { "status 20", "SIP/2.0 20 x\r\n\r\n", 0, DG, FULL, SIP_MAL_STATUS_CODE, 0, NULL, 0, "x", "" },
    { "status glued to reason", "SIP/2.0 200OK\r\n\r\n", 0, DG, FULL, SIP_MAL_STATUS_CODE, 0, NULL,
      200, "OK", "" },
    { "control byte in reason", "SIP/2.0 200 O\x01K\r\n\r\n", 0, DG, FULL, SIP_MAL_BINARY, 0, NULL,
      200, "O\x01K", "" },
    { "response version 3.0", "SIP/3.0 200 OK\r\n\r\n", 0, DG, FULL, SIP_MAL_VERSION, 0, NULL, 200,
      "OK", "" },
    { "version is case-insensitive", "sip/2.0 200 OK\r\n\r\n", 0, DG, FULL, SIP_MAL_NONE, 0, NULL,
      200, "OK", "" },
    { "request version 7.0 (badvers.dat)", "OPTIONS sip:a@b SIP/7.0\r\n\r\n", 0, DG, FULL,
      SIP_MAL_VERSION, 0, "OPTIONS", 0, "sip:a@b", "" },
    { "leading CRLF keep-alives", "\r\n\r\nOPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", 0, ST, FULL,
      SIP_MAL_NONE, 0, "OPTIONS", 0, "sip:a@b", "" },
    { "leading NUL junk on a datagram",
      "\0\0\0\0REGISTER sip:1.1.1.1:5060 SIP/2.0\r\nExpires: 3600\r\n\r\n", 56, DG, FULL,
      SIP_MAL_NONE, A(LEADING_JUNK), "REGISTER", 0, "sip:1.1.1.1:5060", "" },
    { "leading NUL junk is not skipped on a stream",
      "\0\0\0\0REGISTER sip:1.1.1.1:5060 SIP/2.0\r\nl: 0\r\n\r\n", 47, ST, FULL, SIP_MAL_METHOD, 0,
      NULL, 0, NULL, "" },
    { "bare LF everywhere (hepgen)", "INVITE sip:a@b SIP/2.0\nVia: x\nContent-Length: 4\n\nbody", 0,
      DG, FULL, SIP_MAL_NONE, A(BARE_LF), "INVITE", 0, "sip:a@b", "body" },
    { "bare LF only at the empty line", "INVITE sip:a@b SIP/2.0\r\nl: 2\r\n\nab", 0, DG, FULL,
      SIP_MAL_NONE, A(BARE_LF), "INVITE", 0, "sip:a@b", "ab" },
    { "bare LF in a folded line", "INVITE sip:a@b SIP/2.0\r\nSubject: a\n b\r\n\r\n", 0, DG, FULL,
      SIP_MAL_NONE, A(BARE_LF), "INVITE", 0, "sip:a@b", "" },
    { "no Content-Length on a datagram: body is the rest (inv2543.dat)",
      "INVITE sip:a@b SIP/2.0\r\n\r\nv=0\r\n", 0, DG, FULL, SIP_MAL_NONE, 0, "INVITE", 0, "sip:a@b",
      "v=0\r\n" },
    { "no Content-Length on a stream: empty body", "INVITE sip:a@b SIP/2.0\r\n\r\nv=0\r\n", 0, ST,
      26, SIP_MAL_NONE, A(NO_CONTENT_LENGTH), "INVITE", 0, "sip:a@b", "" },
    { "Content-Length not a number (zeek)", INV "Content-Length: bad\r\n\r\nxy", 0, DG, FULL,
      SIP_MAL_CONTENT_LENGTH, 0, "INVITE", 0, NULL, "xy" },
    { "negative Content-Length (ncl.dat)", INV "Content-Length: -999\r\n\r\nxy", 0, DG, FULL,
      SIP_MAL_CONTENT_LENGTH, 0, "INVITE", 0, NULL, "xy" },
    { "Content-Length > 2^32-1", INV "l: 4294967296\r\n\r\nxy", 0, DG, FULL, SIP_MAL_CONTENT_LENGTH,
      0, "INVITE", 0, NULL, "xy" },
    { "bad Content-Length on a stream: empty body", INV "l: x\r\n\r\nxy", 0, ST, 44,
      SIP_MAL_CONTENT_LENGTH, 0, "INVITE", 0, NULL, "" },
    { "body shorter than Content-Length (clerr.dat)", INV "l: 9999\r\n\r\nxy", 0, DG, FULL,
      SIP_MAL_BODY_SHORT, 0, "INVITE", 0, NULL, "xy" },
    { "body shorter on a stream: wait", INV "l: 9999\r\n\r\nxy", 0, ST, ERR_ONLY(ERR_INCOMPLETE) },
    { "trailing bytes on a datagram (dblreq.dat)", INV "l: 0\r\n\r\nINVITE junk", 0, DG, 44,
      SIP_MAL_NONE, A(TRAILING_BYTES), "INVITE", 0, NULL, "" },
    { "next message on a stream", INV "l: 2\r\n\r\nabINVITE", 0, ST, 46, SIP_MAL_NONE, 0, "INVITE",
      0, NULL, "ab" },
    { "two Content-Lengths, first wins (mcl01.dat)", INV "l: 3\r\nContent-Length: 5\r\n\r\nabcde",
      0, DG, 66, SIP_MAL_NONE, A(DUPLICATE_CONTENT_LENGTH) | A(TRAILING_BYTES), "INVITE", 0, NULL,
      "abc" },
    { "Content-Length with leading zeros and LWS", INV "Content-Length   :  \r\n 002\r\n\r\nab", 0,
      DG, FULL, SIP_MAL_NONE, 0, "INVITE", 0, NULL, "ab" },
    { "headers not terminated (baddn.dat)", INV "l: 0\r\n", 0, DG, FULL,
      SIP_MAL_HEADERS_UNTERMINATED, 0, "INVITE", 0, NULL, "" },
    { "headers not terminated, no final CRLF", INV "l: 0", 0, DG, FULL,
      SIP_MAL_HEADERS_UNTERMINATED, 0, "INVITE", 0, NULL, "" },
    { "headers end in a lone CR", INV "l: 0\r\n\r", 0, DG, FULL, SIP_MAL_HEADERS_UNTERMINATED, 0,
      "INVITE", 0, NULL, "" },
    { "headers not terminated on a stream", INV "l: 0\r\n", 0, ST, ERR_ONLY(ERR_INCOMPLETE) },
    { "start line only, no line break", "OPTIONS sip:a@b SIP/2.0", 0, DG, FULL,
      SIP_MAL_HEADERS_UNTERMINATED, 0, "OPTIONS", 0, "sip:a@b", "" },
    { "start line only on a stream", "OPTIONS sip:a@b SIP/2.0", 0, ST, ERR_ONLY(ERR_INCOMPLETE) },
    { "header without colon (test.dat)", INV "Foobar roobar\r\nl: 0\r\n\r\n", 0, DG, FULL,
      SIP_MAL_HEADER_NO_COLON, 0, "INVITE", 0, NULL, "" },
    { "header name with a space", INV "Foo Bar: x\r\n\r\n", 0, DG, FULL, SIP_MAL_HEADER_NAME, 0,
      "INVITE", 0, NULL, "" },
    { "header name not a token", INV "Fo@o: x\r\n\r\n", 0, DG, FULL, SIP_MAL_HEADER_NAME, 0,
      "INVITE", 0, NULL, "" },
    { "empty header name", INV ": x\r\n\r\n", 0, DG, FULL, SIP_MAL_HEADER_NAME, 0, "INVITE", 0,
      NULL, "" },
    { "first header line starts with SP", INV " Via: x\r\n\r\n", 0, DG, FULL, SIP_MAL_HEADER_NAME,
      0, "INVITE", 0, NULL, "" },
    { "control byte in a header name", INV "Fo\x01o: x\r\n\r\n", 0, DG, FULL, SIP_MAL_BINARY, 0,
      "INVITE", 0, NULL, "" },
    { "empty method (PROTOS, stream)", " sip:tori@localhost SIP/2.0\r\n\r\n", 0, ST, FULL,
      SIP_MAL_METHOD, A(NO_CONTENT_LENGTH), "", 0, "sip:tori@localhost", "" },
    { "empty method (PROTOS, datagram)", "    sip:tori@localhost SIP/2.0\r\n\r\n", 0, DG, FULL,
      SIP_MAL_METHOD, A(LEADING_JUNK), "", 0, "sip:tori@localhost", "" },
    { "binary method (PROTOS)", "\xe5\xe4\xf6 sip:tori@localhost SIP/2.0\r\n\r\n", 0, DG, FULL,
      SIP_MAL_METHOD, 0, "\xe5\xe4\xf6", 0, "sip:tori@localhost", "" },
    { "odd but valid method (intmeth.dat)",
      "!interesting-Method0123456789_*+`.%indeed'~ sip:a@b SIP/2.0\r\n\r\n", 0, DG, FULL,
      SIP_MAL_NONE, 0, "!interesting-Method0123456789_*+`.%indeed'~", 0, "sip:a@b", "" },
    { "double spaces (lwsstart.dat)", "INVITE  sip:user@example.com  SIP/2.0\r\n\r\n", 0, DG, FULL,
      SIP_MAL_REQUEST_LINE_SPACING, 0, "INVITE", 0, "sip:user@example.com", "" },
    { "trailing spaces (trws.dat)", "OPTIONS sip:a@b SIP/2.0  \r\n\r\n", 0, DG, FULL,
      SIP_MAL_REQUEST_LINE_SPACING, 0, "OPTIONS", 0, "sip:a@b", "" },
    { "trailing tab", "OPTIONS sip:a@b SIP/2.0\t\r\n\r\n", 0, DG, FULL,
      SIP_MAL_REQUEST_LINE_SPACING, 0, "OPTIONS", 0, "sip:a@b", "" },
    { "space inside the Request-URI (lwsruri.dat)",
      "INVITE sip:user@example.com; lr SIP/2.0\r\n\r\n", 0, DG, FULL, SIP_MAL_REQUEST_URI, 0,
      "INVITE", 0, "sip:user@example.com; lr", "" },
    { "no Request-URI", "INVITE SIP/2.0\r\n\r\n", 0, DG, FULL, SIP_MAL_REQUEST_URI, 0, "INVITE", 0,
      "", "" },
    { "no version, known method and sip: URI (test.dat)", "INVITE sip:alan@jasomi.com\r\n\r\n", 0,
      DG, FULL, SIP_MAL_START_LINE, 0, "INVITE", 0, "sip:alan@jasomi.com", "" },
    { "no version, unknown method", "FOO sip:alan@jasomi.com\r\n\r\n", 0, DG, ERR_ONLY(ERR_PARSE) },
    { "no version, not a SIP URI", "INVITE http://x\r\n\r\n", 0, DG, ERR_ONLY(ERR_PARSE) },
    { "HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0, DG, ERR_ONLY(ERR_PARSE) },
    { "HTTP response", "HTTP/1.1 403 Forbidden\r\n\r\n", 0, ST, ERR_ONLY(ERR_PARSE) },
    { "only the version", "SIP/2.0\r\n\r\n", 0, DG, ERR_ONLY(ERR_PARSE) },
    { "only spaces before the version", "   SIP/2.0\r\n\r\n", 0, ST, ERR_ONLY(ERR_PARSE) },
    { "TLS record", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11, DG, ERR_ONLY(ERR_PARSE) },
    { "four NULs (zeek first datagram)", "\0\0\0\0", 4, DG, ERR_ONLY(ERR_PARSE) },
    { "empty datagram", "", 0, DG, ERR_ONLY(ERR_PARSE) },
    { "empty stream", "", 0, ST, ERR_ONLY(ERR_INCOMPLETE) },
    { "CRLF keep-alive datagram", "\r\n\r\n", 0, DG, ERR_ONLY(ERR_PARSE) },
    { "CRLF keep-alive stream", "\r\n\r\n", 0, ST, ERR_ONLY(ERR_INCOMPLETE) },
    { "first line incomplete on a stream", "INVITE sip:a@b SIP/2.", 0, ST,
      ERR_ONLY(ERR_INCOMPLETE) },
    { "last header needs one more byte on a stream", INV "Via: x\r\n", 0, ST,
      ERR_ONLY(ERR_INCOMPLETE) },
};

/* Returns the number of mismatches, printed. */
static int run_case(const struct pcase *c)
{
    size_t n = c->len ? c->len : strlen(c->in);
    sv_t in = gsvn(c->in, n);
    int rc = sip_parse(&msg, in.p, in.len, c->flags), bad = 0;
    int want = c->rc == FULL ? (int)n : c->rc;
    char got[256], exp[256];
#define BAD(...) (print_error(__VA_ARGS__), bad++)
    if (rc != want)
        BAD("%s: rc %d, want %d\n", c->name, rc, want);
    if (rc >= 0 && rc == want) {
        assert_views_inside(&msg, in.p, in.len);
        assert_int_equal(msg.raw.p + msg.raw.len - in.p, rc);
        if (msg.malformed != c->mal)
            BAD("%s: malformed %s, want %s\n", c->name, sip_malformed_name(msg.malformed),
                sip_malformed_name(c->mal));
        if (msg.anomalies != c->anoms)
            BAD("%s: anomalies {%s}, want {%s}\n", c->name,
                anom_str(msg.anomalies, got, sizeof(got)), anom_str(c->anoms, exp, sizeof(exp)));
        if (c->method && (!msg.is_request || !sv_is(msg.method, c->method) || msg.status))
            BAD("%s: method '%.*s'\n", c->name, SV_ARG(msg.method));
        if (c->method && c->ruri_or_reason && !sv_is(msg.ruri, c->ruri_or_reason))
            BAD("%s: ruri '%.*s'\n", c->name, SV_ARG(msg.ruri));
        if (!c->method && (c->status || c->ruri_or_reason) &&
            (msg.is_request || msg.status != c->status || !sv_is(msg.reason, c->ruri_or_reason)))
            BAD("%s: status %d reason '%.*s'\n", c->name, msg.status, SV_ARG(msg.reason));
        if (c->body && !sv_is(msg.body, c->body))
            BAD("%s: body '%.*s'\n", c->name, SV_ARG(msg.body));
    }
#undef BAD
    gfree(in);
    return bad;
}

static void test_cases(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < NELEM(cases); i++)
        bad += run_case(&cases[i]);
    assert_int_equal(bad, 0);
}

static void test_header_index(void **state)
{
    (void)state;
    sv_t in = gsv("INVITE sip:a@b SIP/2.0\r\n"
                  "v: SIP/2.0/UDP a\r\n"
                  "X-Foo: 1\r\n"
                  "ViA  : SIP/2.0/UDP b ,\r\n SIP/2.0/UDP c\r\n"
                  "TO :\r\n sip:x@y ;  tag = 1\r\n"
                  "Subject:\r\n"
                  "x-foo: 2\r\n"
                  "l:0\r\n\r\n");
    assert_int_equal(sip_parse(&msg, in.p, in.len, DG), (int)in.len);
    assert_int_equal(msg.malformed, SIP_MAL_NONE);
    assert_int_equal(msg.nhdrs, 7);
    assert_int_equal(msg.count[SIP_HDR_VIA], 2);
    assert_int_equal(msg.count[SIP_HDR_OTHER], 2);
    assert_int_equal(msg.count[SIP_HDR_FROM], 0);
    assert_int_equal(msg.first[SIP_HDR_FROM], 0);
    assert_null(sip_hdr_get(&msg, SIP_HDR_FROM));
    assert_null(sip_hdr_value(&msg, SIP_HDR_FROM).p);
    const struct sip_hdr *h = sip_hdr_get(&msg, SIP_HDR_VIA);
    assert_true(sv_is(h->name, "v") && sv_is(h->value, "SIP/2.0/UDP a"));
    h = sip_hdr_next(&msg, h);
    assert_true(sv_is(h->name, "ViA") && sv_is(h->value, "SIP/2.0/UDP b ,\r\n SIP/2.0/UDP c"));
    assert_null(sip_hdr_next(&msg, h));
    int n = 0;
    hdr_foreach(&msg, SIP_HDR_OTHER, h)
        n++;
    assert_int_equal(n, 2);
    assert_true(sv_is(sip_hdr_value(&msg, SIP_HDR_TO), "sip:x@y ;  tag = 1"));
    assert_true(sv_is(sip_hdr_value(&msg, SIP_HDR_SUBJECT), ""));
    assert_true(msg.has_content_length && msg.content_length == 0);
    assert_null(sip_hdr_next(&msg, NULL));
    gfree(in);
}

static void test_too_many_headers(void **state)
{
    (void)state;
    char buf[8192];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "OPTIONS sip:a@b SIP/2.0\r\n");
    for (int i = 0; i < SIP_MAX_HDRS + 10; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "X-H%d: %d\r\n", i, i);
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Content-Length: 3\r\n\r\nabcdef");
    sv_t in = gsvn(buf, n);
    assert_int_equal(sip_parse(&msg, in.p, in.len, DG), (int)n - 3);
    assert_int_equal(msg.malformed, SIP_MAL_TOO_MANY_HEADERS);
    assert_int_equal(msg.nhdrs, SIP_MAX_HDRS);
    assert_true(msg.has_content_length && msg.content_length == 3);
    assert_true(sv_is(msg.body, "abc"));
    assert_int_equal(msg.anomalies, A(TRAILING_BYTES));
    assert_int_equal(sip_parse(&msg, in.p, in.len, ST), (int)n - 3);
    gfree(in);
}

/* has_content_length means "usable": a bad value behind an earlier reason is not a usable 0. */
static void test_content_length_flag(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool has;
        uint32_t cl;
    } cases2[] = {
        { "\xe5 sip:a@b SIP/2.0\r\nl: -0\r\n\r\n", false, 0 },
        { "INVITE sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", true, 0 },
        { "INVITE sip:a@b SIP/2.0\r\n\r\n", false, 0 },
        { "INVITE sip:a@b SIP/2.0\r\nl: 1\r\nl: x\r\n\r\nz", true, 1 },
        { "INVITE sip:a@b SIP/2.0\r\nl: x\r\nl: 1\r\n\r\nz", false, 0 },
    };
    for (size_t i = 0; i < NELEM(cases2); i++) {
        sv_t in = gsv(cases2[i].in);
        assert_int_equal(sip_parse(&msg, in.p, in.len, DG), (int)in.len);
        assert_int_equal(msg.has_content_length, cases2[i].has);
        assert_int_equal(msg.content_length, cases2[i].cl);
        gfree(in);
    }
}

/* Every prefix of a message: a stream waits for the rest, a datagram parses what is there. */
static void check_prefixes(const char *full, size_t len)
{
    for (size_t cut = 0; cut <= len; cut++) {
        sv_t in = gsvn(full, cut);
        int rc = sip_parse(&msg, in.p, in.len, ST);
        if (cut < len && rc != ERR_INCOMPLETE)
            fail_msg("stream prefix %zu/%zu: rc %d", cut, len, rc);
        if (cut == len)
            assert_int_equal(rc, (int)len);
        rc = sip_parse(&msg, in.p, in.len, DG);
        assert_true(rc == ERR_PARSE || (rc >= 0 && (size_t)rc <= cut));
        if (rc >= 0)
            assert_views_inside(&msg, in.p, in.len);
        gfree(in);
    }
}

static void test_every_prefix(void **state)
{
    (void)state;
    static const char *const msgs[] = {
        ("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
         "Subject: a\r\n folded\r\n\tvalue\r\nContent-Length: 10\r\n\r\n0123456789"),
        "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nl: 2\r\n\r\nab",
        "REGISTER sip:x SIP/2.0\nVia: y\nl: 1\n\nz",
        "\r\n\r\nSIP/2.0 100 \r\nl:0\r\n\r\n",
    };
    for (size_t i = 0; i < NELEM(msgs); i++)
        check_prefixes(msgs[i], strlen(msgs[i]));
    sv_t f = gfile("tests/data/corpus/rfc4475/valid/wsinv.dat");
    check_prefixes(f.p, f.len);
    gfree(f);
}

static void test_looks_like(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool sip;
    } ll[] = {
        { "INVITE sip:a@b SIP/2.0\r\n", true },
        { "\r\n\r\nSIP/2.0 200 OK\r\n", true },
        { "SIP/2.0 200 OK", true },
        { "OPTIONS sip:a@b SIP/2.0", true },
        { "BYE sip:a@b", true },
        { "aaaa sip:tori@localhost SIP/2.0\r\n", true },
        { "GET / HTTP/1.1\r\n", false },
        { "HTTP/1.1 200 OK\r\n", false },
        { "INVITE sip:a@b SIP/2.", true }, /* known method + sip: URI, version cut */
        { "FOO sip:a@b SIP/2.", false },
        { "SIP/2.0", false },
        { "", false },
        { "\r\n", false },
        { "hello\r\nworld SIP/2.0\r\n", false },
    };
    for (size_t i = 0; i < NELEM(ll); i++) {
        sv_t in = gsv(ll[i].in);
        if (sip_looks_like(in.p, in.len) != ll[i].sip)
            fail_msg("looks_like(\"%s\") != %d", ll[i].in, ll[i].sip);
        gfree(in);
    }
}

/* The PROTOS c07 capture: 37 malformed INVITEs (plus 2 NBNS packets). */
struct protos_tally {
    int not_sip, by_reason[SIP_MAL__COUNT];
};

static void protos_one(int frame, sv_t p, void *ctx)
{
    struct protos_tally *t = ctx;
    int rc = sip_parse(&msg, p.p, p.len, DG);
    if (rc < 0) {
        assert_int_equal(rc, ERR_PARSE);
        assert_true(frame <= 2 || p.len == 16000);
        t->not_sip++;
        return;
    }
    assert_int_equal(rc, (int)p.len);
    assert_views_inside(&msg, p.p, p.len);
    t->by_reason[msg.malformed]++;
}

static void test_protos_capture(void **state)
{
    (void)state;
    struct protos_tally t = { 0 };
    int frames = pcap_udp_payloads(
        "tests/data/corpus/pcap/sipnab_wssample_protos-c07-sip-r2_from-netmon.pcap", protos_one,
        &t);
    assert_int_equal(frames, 39);
    /* 2 NBNS packets and 5 datagrams that are 16000 bytes of method with no line end */
    assert_int_equal(t.not_sip, 7);
    /* empty, blank or binary methods; the 11 "aaa..." methods are tokens, so the start line is
     * fine (sip_validate then finds their CSeq mismatch) */
    assert_int_equal(t.by_reason[SIP_MAL_METHOD], 20);
    assert_int_equal(t.by_reason[SIP_MAL_NONE], 12);
}

static void zeek_one(int frame, sv_t p, void *ctx)
{
    int *seen = ctx;
    int rc = sip_parse(&msg, p.p, p.len, DG);
    (*seen)++;
    if (frame == 1) { /* a datagram of four NUL bytes */
        assert_int_equal(rc, ERR_PARSE);
        return;
    }
    assert_int_equal(rc, (int)p.len);
    assert_int_equal(msg.malformed, SIP_MAL_NONE);
    assert_int_equal(msg.method_id, SIP_M_REGISTER);
}

static void zeek_cl_one(int frame, sv_t p, void *ctx)
{
    (void)frame;
    int *seen = ctx;
    (*seen)++;
    assert_int_equal(sip_parse(&msg, p.p, p.len, DG), (int)p.len);
    assert_int_equal(msg.malformed, SIP_MAL_CONTENT_LENGTH); /* "bad" and "xyz" */
}

static void test_zeek_captures(void **state)
{
    (void)state;
    int seen = 0;
    assert_int_equal(
        pcap_udp_payloads("tests/data/corpus/pcap/zeek_junk-before-request.pcap", zeek_one, &seen),
        2);
    assert_int_equal(seen, 2);
    seen = 0;
    assert_int_equal(pcap_udp_payloads("tests/data/corpus/pcap/zeek_invalid-content-length.pcap",
                                       zeek_cl_one, &seen),
                     2);
    assert_int_equal(seen, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_header_index),
        cmocka_unit_test(test_too_many_headers),
        cmocka_unit_test(test_content_length_flag),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_looks_like),
        cmocka_unit_test(test_protos_capture),
        cmocka_unit_test(test_zeek_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
