/* Unit tests for src/sip/validate.c: the malformed reason and anomaly set that sip_validate gives
 * a message whose one header (or Request-URI) is varied from a well-formed base; presence and
 * multiplicity anomalies; message order deciding the first reason; and real captures whose every
 * SIP message must validate clean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static struct sip_msg msg;

#define BASE_RURI "sip:user@example.com"

struct vcase {
    const char *ruri;  /* NULL: BASE_RURI */
    const char *extra; /* header lines appended to the base headers, CRLF-terminated */
    enum sip_malformed mal;
    uint32_t anoms;
};

static const struct vcase cases[] = {
    { NULL, "", SIP_MAL_NONE, 0 },
    /* Request-URI (RFC 3261 §19.1.1, RFC 4475 §3.1.2.7/§3.1.2.11, RFC 5118 §4.2) */
    { "sip:user@example.com?Route=%3Csip:example.com%3E", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:user@example.com?", "", SIP_MAL_REQUEST_URI, 0 },
    { "<sip:user@example.com>", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:2001:db8::10", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:us%2@h", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:us%zz@h", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:*97#@h", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:a@h;;lr", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:a@h;lr=", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:a@host_name", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:a@h?x", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:a:p@ss@h", "", SIP_MAL_REQUEST_URI, 0 },
    { "tel:+", "", SIP_MAL_REQUEST_URI, 0 },
    { "tel:+1_2", "", SIP_MAL_REQUEST_URI, 0 },
    { "foo:bar^baz", "", SIP_MAL_REQUEST_URI, 0 },
    { "sip:us%2Er@h;transport=tcp;lr", "", SIP_MAL_NONE, 0 },
    { "sips:user@[2001:db8::10]:5061", "", SIP_MAL_NONE, 0 },
    { "sip:user;par=u%40example.net@example.com", "", SIP_MAL_NONE, 0 },
    { "tel:+1-201-555-0123;ext=1", "", SIP_MAL_NONE, 0 },
    { "tel:abc;phone-context=example.com", "", SIP_MAL_NONE, 0 },
    { "urn:service:sos", "", SIP_MAL_NONE, A(UNKNOWN_URI_SCHEME) },
    { "nobodyKnowsThisScheme:totallyopaquecontent", "", SIP_MAL_NONE, A(UNKNOWN_URI_SCHEME) },
    /* Via (RFC 3261 §20.42, RFC 4475 §3.1.2.1, RFC 5118 §4.5) */
    { NULL, "Via: SIP/2.0/UDP h;;branch=z9hG4bK1\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;branch=z9hG4bK1;\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;received=host.example.com\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;received=[2001:db8::9:255]\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Via: SIP/2.0/UDP h;received=2001:db8::9:255\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Via: SIP/2.0/UDP h;received=192.0.2.300\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;received\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;rport;rport=5060\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Via: SIP/2.0/UDP h;rport=abc\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;rport=70000\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;ttl=1;maddr=224.2.0.1\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Via: SIP/2.0/UDP h;ttl=256\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;branch\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;x=\"a;b\";y\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Via: SIP/2.0/UDP h;x=a=b\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h,\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via:\r\n", SIP_MAL_VIA, 0 },
    { NULL, "Via: SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/TCP [::1]:5060;branch=z9hG4bK2\r\n",
      SIP_MAL_NONE, 0 },
    /* name-addr headers (RFC 3261 §20, §25.1; RFC 4475 §3.1.2.6, .13, .14, .15) */
    { NULL, "From: Bell, Alexander <sip:a.g.bell@example.com>;tag=43\r\n", SIP_MAL_NAME_ADDR,
      A(DUPLICATE_HEADER) },
    { NULL, "To: \"Watson, Thomas\" < sip:t.watson@example.org >\r\n", SIP_MAL_NAME_ADDR,
      A(DUPLICATE_HEADER) },
    { NULL, "To: <sip:a@b>, <sip:c@d>\r\n", SIP_MAL_NAME_ADDR, A(DUPLICATE_HEADER) },
    { NULL, "To: \"Mr. J. User <sip:j.user@example.com>\r\n", SIP_MAL_NAME_ADDR,
      A(DUPLICATE_HEADER) },
    { NULL, "To: sip:a@b?x=y\r\n", SIP_MAL_NAME_ADDR, A(DUPLICATE_HEADER) },
    { NULL, "To: sip:a@b,c\r\n", SIP_MAL_NAME_ADDR, A(DUPLICATE_HEADER) },
    { NULL, "To:\r\n", SIP_MAL_NAME_ADDR, A(DUPLICATE_HEADER) },
    { NULL, "To: <sip:a@b c>\r\n", SIP_MAL_URI, A(DUPLICATE_HEADER) },
    { NULL, "To: <sip:a@b;;x>\r\n", SIP_MAL_URI, A(DUPLICATE_HEADER) },
    { NULL, "To: alan@jasomi.com\r\n", SIP_MAL_URI, A(DUPLICATE_HEADER) },
    { NULL, "To: <sip:a@b>;tag=a=b\r\n", SIP_MAL_PARAMS, A(DUPLICATE_HEADER) },
    { NULL, "To: <sip:a@b>;;tag=1\r\n", SIP_MAL_PARAMS, A(DUPLICATE_HEADER) },
    { NULL, "To: isbn:2983792873\r\n", SIP_MAL_NONE, A(DUPLICATE_HEADER) },
    { NULL, "To: caller<sip:caller@example.com>;tag=323\r\n", SIP_MAL_NONE, A(DUPLICATE_HEADER) },
    { NULL, "Contact: *\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Contact: *, <sip:a@b>\r\n", SIP_MAL_NAME_ADDR, 0 },
    { NULL, "Contact: \"a, b\" <sip:a@b>, <sip:c@d>;q=0.333, sip:e@f;expires=0\r\n", SIP_MAL_NONE,
      0 },
    { NULL, "Contact: <sip:a@b>;expires=4294967296\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Contact: <sip:a@b>;q=1.000\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Contact: <sip:a@b>;q=1.5\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Contact: <sip:a@b>;q=0.1234\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Contact: <sip:a@b>;;;;\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\r\n", SIP_MAL_NAME_ADDR,
      0 },
    { NULL, "Route: sip:proxy.example.com\r\n", SIP_MAL_NAME_ADDR, 0 },
    { NULL, "Route: <sip:p1;lr>, <sip:p2;lr>\r\nRecord-Route: \"x\" <sip:p;lr>\r\n", SIP_MAL_NONE,
      0 },
    { NULL, "Refer-To: <sip:a@b?Replaces=abc%40d>\r\nReferred-By: <sip:c@d>\r\n", SIP_MAL_NONE, 0 },
    { NULL, "P-Asserted-Identity: \"x\" <sip:a@b>, <tel:+1234>\r\n", SIP_MAL_NONE, 0 },
    /* CSeq (RFC 3261 §20.16, §8.1.1.5; RFC 4475 §3.1.2.4, §3.1.2.17) */
    { NULL, "CSeq: 1 INVITE\r\n", SIP_MAL_CSEQ_METHOD, A(DUPLICATE_HEADER) },
    { NULL, "CSeq: x OPTIONS\r\n", SIP_MAL_CSEQ, A(DUPLICATE_HEADER) },
    { NULL, "CSeq: 4294967296 OPTIONS\r\n", SIP_MAL_CSEQ, A(DUPLICATE_HEADER) },
    /* scalars */
    { NULL, "Max-Forwards: 256\r\n", SIP_MAL_MAX_FORWARDS, A(DUPLICATE_HEADER) },
    { NULL, "Max-Forwards: -1\r\n", SIP_MAL_MAX_FORWARDS, A(DUPLICATE_HEADER) },
    { NULL, "Max-Forwards:\r\n", SIP_MAL_MAX_FORWARDS, A(DUPLICATE_HEADER) },
    { NULL, "Expires: 4294967296\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Expires: Thu, 01 Dec 1994 16:00:00 GMT\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Expires: 0003600\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Min-Expires: abc\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Retry-After: 18000;duration=3600\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Retry-After: 120 (I'm in a (long) meeting)\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Retry-After: 949302838503028349304023988\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Retry-After: 120 (unclosed\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Retry-After: 120;;\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Retry-After: 120 junk\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Retry-After: 120;duration=x\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Warning: 301 isi.edu \"Incompatible network address type 'E.164'\"\r\n", SIP_MAL_NONE,
      0 },
    { NULL, "Warning: 307 a \"x, y\", 330 b:5060 \"z\"\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Warning: 1812 overture \"In Progress\"\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Warning: 399 host text\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Warning: 399 host \"text\" junk\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "RSeq: 988789\r\nRAck: 776656 1 INVITE\r\n", SIP_MAL_NONE, 0 },
    { NULL, "RSeq: x\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "RAck: 776656 INVITE\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Session-Expires: 4000;refresher=uac\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Session-Expires: x\r\n", SIP_MAL_SCALAR, 0 },
    { NULL, "Session-Expires: 90;;\r\n", SIP_MAL_PARAMS, 0 },
    /* Date (RFC 3261 §20.17, RFC 4475 §3.1.2.12) */
    { NULL, "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Date: Fri, 01 Jan 2010 16:00:00 EST\r\n", SIP_MAL_DATE, 0 },
    { NULL, "Date: Fri, 1 Jan 2010 16:00:00 GMT\r\n", SIP_MAL_DATE, 0 },
    { NULL, "Date: Xyz, 01 Jan 2010 16:00:00 GMT\r\n", SIP_MAL_DATE, 0 },
    { NULL, "Date: Fri, 01 Jan 2010 25:00:00 GMT\r\n", SIP_MAL_DATE, 0 },
    { NULL, "Date: Fri, 01 Foo 2010 16:00:00 GMT\r\n", SIP_MAL_DATE, 0 },
    /* Reason (RFC 3326) */
    { NULL, "Reason: SIP;cause=200;text=\"Call completed elsewhere\"\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Reason: SIP;cause=x\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Reason: Q.850;cause=16;text=unquoted\r\n", SIP_MAL_PARAMS, 0 },
    { NULL, "Reason:\r\n", SIP_MAL_PARAMS, 0 },
    /* control bytes: outside quoted-pairs only */
    { NULL, "Subject: a\x01z\r\n", SIP_MAL_BINARY, 0 },
    { NULL, "Subject: a\tz\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Contact: \"a\\\x01z\" <sip:a@b>\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Contact: \"a\x01z\" <sip:a@b>\r\n", SIP_MAL_BINARY, 0 },
    { NULL, "User-Agent: x\x7fy\r\n", SIP_MAL_BINARY, 0 },
    /* unknown headers are not checked (RFC 4475 wsinv.dat) */
    { NULL, "UnknownHeaderWithUnusualValue: ;;,,;;,;\r\nX-Foo: \x01\r\n", SIP_MAL_NONE, 0 },
    /* the first bad header in message order wins */
    { NULL, "Date: Fri, 01 Jan 2010 16:00:00 EST\r\nExpires: x\r\n", SIP_MAL_DATE, 0 },
    { NULL, "Expires: x\r\nDate: Fri, 01 Jan 2010 16:00:00 EST\r\n", SIP_MAL_SCALAR, 0 },
    /* anomalies */
    { NULL, "Max-Forwards: 0\r\n", SIP_MAL_NONE, A(DUPLICATE_HEADER) },
    { NULL, "Contact: <sip:a@b>\r\nContact: <sip:c@d>\r\nVia: SIP/2.0/UDP x\r\n", SIP_MAL_NONE, 0 },
    { NULL, "Call-ID: other\r\n", SIP_MAL_NONE, A(DUPLICATE_HEADER) },
    { NULL, "Subject: a\r\ns: b\r\n", SIP_MAL_NONE, A(DUPLICATE_HEADER) },
};

static int run(const char *ruri, const char *extra, enum sip_malformed mal, uint32_t anoms)
{
    char buf[2048];
    int n = snprintf(buf, sizeof(buf),
                     "OPTIONS %s SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKabc\r\n"
                     "To: <sip:user@example.com>\r\n"
                     "From: <sip:caller@example.com>;tag=1\r\n"
                     "Call-ID: cid\r\n"
                     "CSeq: 1 OPTIONS\r\n"
                     "Max-Forwards: 70\r\n"
                     "%s"
                     "Content-Length: 0\r\n\r\n",
                     ruri ? ruri : BASE_RURI, extra);
    sv_t in = gsvn(buf, (size_t)n);
    int rc = sip_parse(&msg, in.p, in.len, SIP_PARSE_DATAGRAM), bad = 0;
    assert_int_equal(rc, n);
    sip_validate(&msg);
    char got[256], exp[256];
    if (msg.malformed != mal || msg.anomalies != anoms) {
        print_error("ruri %s, extra '%s': %s {%s}, want %s {%s}\n", ruri ? ruri : "-", extra,
                    sip_malformed_name(msg.malformed), anom_str(msg.anomalies, got, sizeof(got)),
                    sip_malformed_name(mal), anom_str(anoms, exp, sizeof(exp)));
        bad = 1;
    }
    gfree(in);
    return bad;
}

static void test_cases(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < NELEM(cases); i++)
        bad += run(cases[i].ruri, cases[i].extra, cases[i].mal, cases[i].anoms);
    assert_int_equal(bad, 0);
}

/* Whole messages, for presence, the top Via and what parse already decided. */
static void test_messages(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        enum sip_malformed mal;
        uint32_t anoms;
    } mm[] = {
        { "INVITE sip:a@b SIP/2.0\r\n\r\n", SIP_MAL_NONE,
          A(MISSING_CALL_ID) | A(MISSING_FROM) | A(MISSING_TO) | A(MISSING_CSEQ) | A(MISSING_VIA) |
              A(MISSING_MAX_FORWARDS) },
        { "SIP/2.0 200 OK\r\n\r\n", SIP_MAL_NONE,
          A(MISSING_CALL_ID) | A(MISSING_FROM) | A(MISSING_TO) | A(MISSING_CSEQ) | A(MISSING_VIA) },
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=abc\r\nCSeq: 1 INVITE\r\nCall-ID: c\r\n"
          "f: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n\r\n",
          SIP_MAL_NONE, A(NO_MAGIC_COOKIE) },
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=Z9HG4BK1\r\nCSeq: 1 INVITE\r\n"
          "Call-ID: c\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n\r\n",
          SIP_MAL_NONE, A(NO_MAGIC_COOKIE) },
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nCSeq: 1 INVITE\r\nCall-ID: c\r\n"
          "f: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n\r\n",
          SIP_MAL_NONE, A(NO_MAGIC_COOKIE) },
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK\r\nCSeq: 1 INVITE\r\n"
          "Call-ID: c\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n\r\n",
          SIP_MAL_NONE, A(EMPTY_BRANCH) },
        /* the top Via is unreadable: no cookie verdict */
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0 h;branch=z9hG4bK\r\nCSeq: 1 INVITE\r\n"
          "Call-ID: c\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\n\r\n",
          SIP_MAL_VIA, 0 },
        /* responses are not checked against a method */
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\n"
          "Call-ID: c\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\nl: 9\r\n\r\nab",
          SIP_MAL_BODY_SHORT, 0 },
        /* parse's verdict stays: a later header problem does not replace it */
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: x\r\nCall-ID: c\r\n"
          "f: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\nl: -1\r\n\r\n",
          SIP_MAL_CONTENT_LENGTH, 0 },
    };
    for (size_t i = 0; i < NELEM(mm); i++) {
        sv_t in = gsv(mm[i].in);
        assert_int_equal(sip_parse(&msg, in.p, in.len, SIP_PARSE_DATAGRAM), (int)in.len);
        sip_validate(&msg);
        char got[256], exp[256];
        if (msg.malformed != mm[i].mal || msg.anomalies != mm[i].anoms)
            fail_msg("case %zu: %s {%s}, want %s {%s}", i, sip_malformed_name(msg.malformed),
                     anom_str(msg.anomalies, got, sizeof(got)), sip_malformed_name(mm[i].mal),
                     anom_str(mm[i].anoms, exp, sizeof(exp)));
        /* a second run changes nothing */
        uint8_t mal = msg.malformed;
        uint32_t anoms = msg.anomalies;
        sip_validate(&msg);
        assert_int_equal(msg.malformed, mal);
        assert_int_equal(msg.anomalies, anoms);
        gfree(in);
    }
}

/* Real captures (classic pcap, Ethernet, UDP): every SIP message validates without a malformed
 * reason, and the parser finds as many SIP messages as tshark does. */
struct real_tally {
    int sip, malformed;
};

static void real_one(int frame, sv_t p, void *ctx)
{
    struct real_tally *t = ctx;
    if (sip_parse(&msg, p.p, p.len, SIP_PARSE_DATAGRAM) < 0)
        return; /* RTP, DNS ... */
    t->sip++;
    sip_validate(&msg);
    if (msg.malformed != SIP_MAL_NONE) {
        print_error("frame %d: %s\n", frame, sip_malformed_name(msg.malformed));
        t->malformed++;
    }
}

static void test_real_captures(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int sip; /* sip_frames in the file's .tshark.txt */
    } caps[] = {
        { "ndpi_fax-t38-reinvite-488_retransmissions.pcap", 92 },
        { "sngrep_aaa_register-auth-cancel_mixed-traffic.pcap", 81 },
        { "sipnab_sip-proxy-two-legs.pcap", 11 },
        { "sipnab_register-invite-reinvite-bye.pcap", 12 },
        { "sipnab_wssample_sip-rtp-g711.pcap", 10 },
        { "sipnab_wssample_SIP_DTMF2_603-decline.pcap", 29 },
        { "sipnab_wssample_Asterisk_ZFONE_XLITE_subscribe-401.pcap", 27 },
        { "pcapplusplus_non-default-port.pcap", 2 },
        { "suricata_options-200.pcap", 2 },
    };
    for (size_t i = 0; i < NELEM(caps); i++) {
        char path[256];
        snprintf(path, sizeof(path), "tests/data/corpus/pcap/%s", caps[i].file);
        struct real_tally t = { 0, 0 };
        assert_true(pcap_udp_payloads(path, real_one, &t) > 0);
        if (t.sip != caps[i].sip || t.malformed)
            fail_msg("%s: %d SIP (want %d), %d malformed", caps[i].file, t.sip, caps[i].sip,
                     t.malformed);
    }
}

/* The PROTOS c07 INVITEs after validation (test_parse.c checks the parse-level verdicts). */
static void protos_one(int frame, sv_t p, void *ctx)
{
    int *by_reason = ctx;
    (void)frame;
    if (sip_parse(&msg, p.p, p.len, SIP_PARSE_DATAGRAM) < 0)
        return;
    sip_validate(&msg);
    by_reason[msg.malformed]++;
}

static void test_protos(void **state)
{
    (void)state;
    int by_reason[SIP_MAL__COUNT] = { 0 };
    pcap_udp_payloads("tests/data/corpus/pcap/sipnab_wssample_protos-c07-sip-r2_from-netmon.pcap",
                      protos_one, by_reason);
    assert_int_equal(by_reason[SIP_MAL_NONE], 1);
    assert_int_equal(by_reason[SIP_MAL_METHOD], 20);
    assert_int_equal(by_reason[SIP_MAL_CSEQ_METHOD], 11); /* "aaa..." vs CSeq INVITE */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_real_captures),
        cmocka_unit_test(test_protos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
