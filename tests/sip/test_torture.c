/* The RFC 4475 and RFC 5118 torture messages: every file of tests/data/corpus/rfc4475 (50) and
 * rfc5118/wire (12), each framed as one UDP datagram, must get exactly the malformed reason and
 * the anomaly set listed here, consume the listed bytes, and frame as listed on a stream.
 *
 * Verdicts (see INDEX.md of each corpus): every valid/ file and every wire/ file but ipv6-bad is
 * NONE; every invalid/ file and ipv6-bad get the reason the RFC gives for rejecting it. Choices:
 *   - baddn.dat also lacks the blank line ending its headers; sip_parse finds that first
 *     (HEADERS_UNTERMINATED); with the line added the display name is the NAME_ADDR problem;
 *   - scalar02/scalarlg: the CSeq comes first in both, so CSEQ; the other overlarge scalars are
 *     found one by one as each is repaired (test_repairs);
 *   - badinv01: the Via's empty parameters come before the Contact's, so VIA;
 *   - lwsruri: the space is inside the URI (REQUEST_URI); lwsstart/trws: SPACING;
 *   - unreferenced/test.dat has no SIP version on its request line; it is kept as malformed SIP
 *     (START_LINE) because it starts with a known method and a sip: URI; with a version added,
 *     its "Foobar roobar" line is HEADER_NO_COLON.
 * Anomalies are what an element would object to: a top Via branch without the RFC 3261 cookie
 * (wsinv, longreq, inv2543, ltgtruri, badinv01 — all RFC 2543 style) is NO_MAGIC_COOKIE,
 * RFC 2543's missing Max-Forwards (inv2543) is MISSING_MAX_FORWARDS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static struct sip_msg msg;

#define FULL ((size_t)-1)
#define N    SIP_MAL_NONE

struct tcase {
    const char *file;
    enum sip_malformed mal;
    uint32_t anoms;
    size_t consumed; /* datagram: FULL or bytes */
    int frame_rc;    /* sip_frame_len on the file as a stream */
    size_t frame_len;
};

#define V(f) "tests/data/corpus/rfc4475/valid/" f
#define I(f) "tests/data/corpus/rfc4475/invalid/" f
#define W(f) "tests/data/corpus/rfc5118/wire/" f

static const struct tcase cases[] = {
    /* RFC 4475 §3.1.1 valid messages */
    { V("wsinv.dat"), N, A(NO_MAGIC_COOKIE), FULL, 1, FULL },
    { V("intmeth.dat"), N, 0, FULL, 1, FULL },
    { V("esc01.dat"), N, 0, FULL, 1, FULL },
    { V("escnull.dat"), N, 0, FULL, 1, FULL },
    { V("esc02.dat"), N, 0, FULL, 1, FULL },
    { V("lwsdisp.dat"), N, 0, FULL, 1, FULL },
    { V("longreq.dat"), N, A(NO_MAGIC_COOKIE), FULL, 1, FULL },
    { V("dblreq.dat"), N, A(TRAILING_BYTES), 300, 1, 300 },
    { V("semiuri.dat"), N, 0, FULL, 1, FULL },
    { V("transports.dat"), N, 0, FULL, 1, FULL },
    { V("mpart01.dat"), N, 0, FULL, 1, FULL },
    { V("unreason.dat"), N, 0, FULL, 1, FULL },
    { V("noreason.dat"), N, 0, FULL, 1, FULL },
    /* §3.1.2 invalid messages */
    { I("badinv01.dat"), SIP_MAL_VIA, A(NO_MAGIC_COOKIE), FULL, 1, FULL },
    { I("clerr.dat"), SIP_MAL_BODY_SHORT, 0, FULL, 0, 0 },
    { I("ncl.dat"), SIP_MAL_CONTENT_LENGTH, 0, FULL, ERR_PARSE, 0 },
    { I("scalar02.dat"), SIP_MAL_CSEQ, 0, FULL, 1, FULL },
    { I("scalarlg.dat"), SIP_MAL_CSEQ, 0, FULL, 1, FULL },
    { I("quotbal.dat"), SIP_MAL_NAME_ADDR, 0, FULL, 1, FULL },
    { I("ltgtruri.dat"), SIP_MAL_REQUEST_URI, A(NO_MAGIC_COOKIE), FULL, 1, FULL },
    { I("lwsruri.dat"), SIP_MAL_REQUEST_URI, 0, FULL, 1, FULL },
    { I("lwsstart.dat"), SIP_MAL_REQUEST_LINE_SPACING, 0, FULL, 1, FULL },
    { I("trws.dat"), SIP_MAL_REQUEST_LINE_SPACING, 0, FULL, 1, FULL },
    { I("escruri.dat"), SIP_MAL_REQUEST_URI, 0, FULL, 1, FULL },
    { I("baddate.dat"), SIP_MAL_DATE, 0, FULL, 1, FULL },
    { I("regbadct.dat"), SIP_MAL_NAME_ADDR, 0, FULL, 1, FULL },
    { I("badaspec.dat"), SIP_MAL_NAME_ADDR, 0, FULL, 1, FULL },
    { I("baddn.dat"), SIP_MAL_HEADERS_UNTERMINATED, 0, FULL, 0, 0 },
    { I("badvers.dat"), SIP_MAL_VERSION, 0, FULL, 1, FULL },
    { I("mismatch01.dat"), SIP_MAL_CSEQ_METHOD, 0, FULL, 1, FULL },
    { I("mismatch02.dat"), SIP_MAL_CSEQ_METHOD, 0, FULL, 1, FULL },
    { I("bigcode.dat"), SIP_MAL_STATUS_CODE, 0, FULL, 1, FULL },
    /* §3.2 transaction layer, §3.3 application layer, §3.4 backward compatibility */
    { V("badbranch.dat"), N, A(EMPTY_BRANCH), FULL, 1, FULL },
    { V("insuf.dat"), N,
      A(MISSING_CALL_ID) | A(MISSING_FROM) | A(MISSING_TO) | A(MISSING_MAX_FORWARDS), FULL, 1,
      FULL },
    { V("unkscm.dat"), N, A(UNKNOWN_URI_SCHEME), FULL, 1, FULL },
    { V("novelsc.dat"), N, A(UNKNOWN_URI_SCHEME), FULL, 1, FULL },
    { V("unksm2.dat"), N, 0, FULL, 1, FULL },
    { V("bext01.dat"), N, 0, FULL, 1, FULL },
    { V("invut.dat"), N, 0, FULL, 1, FULL },
    { V("regaut01.dat"), N, 0, FULL, 1, FULL },
    { V("multi01.dat"), N, A(DUPLICATE_HEADER), FULL, 1, FULL },
    { V("mcl01.dat"), N, A(DUPLICATE_CONTENT_LENGTH) | A(TRAILING_BYTES), 328, ERR_PARSE, 0 },
    { V("bcast.dat"), N, 0, FULL, 1, FULL },
    { V("zeromf.dat"), N, A(MAX_FORWARDS_ZERO), FULL, 1, FULL },
    { V("cparam01.dat"), N, 0, FULL, 1, FULL },
    { V("cparam02.dat"), N, 0, FULL, 1, FULL },
    { V("regescrt.dat"), N, 0, FULL, 1, FULL },
    { V("sdp01.dat"), N, 0, FULL, 1, FULL },
    { V("inv2543.dat"), N, A(NO_MAGIC_COOKIE) | A(MISSING_MAX_FORWARDS), FULL, ERR_PARSE, 0 },
    /* in the archive, in no section */
    { "tests/data/corpus/rfc4475/unreferenced/test.dat", SIP_MAL_START_LINE,
      A(MISSING_CSEQ) | A(MISSING_VIA), FULL, 1, FULL },
    /* RFC 5118 */
    { W("ipv6-good"), N, 0, FULL, 1, FULL },
    { W("ipv6-bad"), SIP_MAL_REQUEST_URI, 0, FULL, 1, FULL },
    { W("port-ambiguous"), N, 0, FULL, 1, FULL },
    { W("port-unambiguous"), N, 0, FULL, 1, FULL },
    { W("via-received-param-with-delim"), N, 0, FULL, 1, FULL },
    { W("via-received-param-no-delim"), N, 0, FULL, 1, FULL },
    { W("ipv6-in-sdp"), N, 0, FULL, 1, FULL },
    { W("mult-ip-in-header"), N, 0, FULL, 1, FULL },
    { W("mult-ip-in-sdp"), N, 0, FULL, 1, FULL },
    { W("ipv4-mapped-ipv6"), N, 0, FULL, 1, FULL },
    { W("ipv6-bug-abnf-3-colons"), N, 0, FULL, 1, FULL },
    { W("ipv6-correct-abnf-2-colons"), N, 0, FULL, 1, FULL },
};

static int check(const struct tcase *c)
{
    sv_t f = gfile(c->file);
    int bad = 0, rc = sip_parse(&msg, f.p, f.len, SIP_PARSE_DATAGRAM);
    size_t want = c->consumed == FULL ? f.len : c->consumed;
    char got[256], exp[256];
    if (rc < 0 || (size_t)rc != want) {
        print_error("%s: consumed %d, want %zu\n", c->file, rc, want);
        gfree(f);
        return 1;
    }
    sip_validate(&msg);
    if (msg.malformed != c->mal || msg.anomalies != c->anoms) {
        print_error("%s: %s {%s}, want %s {%s}\n", c->file, sip_malformed_name(msg.malformed),
                    anom_str(msg.anomalies, got, sizeof(got)), sip_malformed_name(c->mal),
                    anom_str(c->anoms, exp, sizeof(exp)));
        bad++;
    }
    size_t ml = 0, sk = 0, fwant = c->frame_len == FULL ? f.len : c->frame_len;
    int frc = sip_frame_len(f.p, f.len, &ml, &sk);
    if (frc != c->frame_rc || (frc == 1 && ml != fwant)) {
        print_error("%s: frame rc %d len %zu, want %d len %zu\n", c->file, frc, ml, c->frame_rc,
                    fwant);
        bad++;
    }
    gfree(f);
    return bad;
}

static void test_verdicts(void **state)
{
    (void)state;
    int bad = 0, n4475 = 0, n5118 = 0;
    for (size_t i = 0; i < NELEM(cases); i++) {
        bad += check(&cases[i]);
        n4475 += strstr(cases[i].file, "rfc4475") != NULL;
        n5118 += strstr(cases[i].file, "rfc5118") != NULL;
    }
    assert_int_equal(bad, 0);
    assert_int_equal(n4475, 50);
    assert_int_equal(n5118, 12);
}

/* Every valid message also parses the same way on a stream when framed, and every invalid/ file
 * really is in invalid/ (the table was not written against the wrong directory). */
static void test_directories(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        bool invalid = strstr(cases[i].file, "/invalid/") || strstr(cases[i].file, "ipv6-bad");
        assert_int_equal(invalid,
                         cases[i].mal != SIP_MAL_NONE && !strstr(cases[i].file, "unreferenced"));
    }
}

/* Repair a file's defects one at a time: each step's edit (first occurrence of old -> new) must
 * move the verdict to the next defect, and the last to NONE. This shows each reason is found
 * for the defect the RFC describes, not by accident. */
struct step {
    const char *old, *new_;
    enum sip_malformed mal; /* after this edit */
};

struct repair {
    const char *file;
    struct step steps[5];
};

static const struct repair repairs[] = {
    { I("baddn.dat"),
      { { "l: 0\r\n", "l: 0\r\n\r\n", SIP_MAL_NAME_ADDR },
        { "Bell, Alexander", "\"Bell, Alexander\"", SIP_MAL_NAME_ADDR },
        { "Watson, Thomas", "\"Watson, Thomas\"", N } } },
    { "tests/data/corpus/rfc4475/unreferenced/test.dat",
      { { "jasomi.com\r\n", "jasomi.com SIP/2.0\r\n", SIP_MAL_HEADER_NO_COLON },
        { "Foobar roobar", "Foobar: roobar", SIP_MAL_URI },
        { "TO : alan@jasomi.com", "TO : sip:alan@jasomi.com", SIP_MAL_URI },
        { "From: ralph@example.com", "From: sip:ralph@example.com", N } } },
    { I("scalar02.dat"),
      { { "36893488147419103232", "1", SIP_MAL_MAX_FORWARDS },
        { "Max-Forwards: 300", "Max-Forwards: 30", SIP_MAL_SCALAR },
        { "Expires: 1000000000000", "Expires: 1\r\nX-Pad: ", SIP_MAL_SCALAR },
        { "280297596632815", "2802", N } } },
    { I("scalarlg.dat"),
      { { "9292394834772304023312", "92", SIP_MAL_SCALAR },
        { "949302838503028349304023988", "9493", SIP_MAL_SCALAR },
        { "1812", "181", N } } },
    { I("badinv01.dat"),
      { { "192.0.2.15;;,;,,", "192.0.2.15", SIP_MAL_PARAMS }, { ">;;;;", ">", N } } },
    { I("quotbal.dat"), { { "User <sip", "User\" <sip", N } } },
    { I("badaspec.dat"), { { "< sip:t.watson@example.org >", "<sip:t.watson@example.org>", N } } },
    { I("regbadct.dat"),
      { { "Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E",
          "Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>", N } } },
    { I("ltgtruri.dat"), { { "<sip:user@example.com>", "sip:user@example.com", N } } },
    { I("escruri.dat"), { { "?Route=%3Csip:example.com%3E", "", N } } },
    { I("lwsruri.dat"), { { "; lr", ";lr", N } } },
    { I("lwsstart.dat"), { { "  sip:user@example.com  ", " sip:user@example.com ", N } } },
    { I("trws.dat"), { { "SIP/2.0  \r\n", "SIP/2.0\r\n", N } } },
    { I("baddate.dat"), { { "EST", "GMT", N } } },
    { I("badvers.dat"), { { "SIP/7.0\r\n", "SIP/2.0\r\n", N } } },
    { I("bigcode.dat"), { { "4294967301", "400", N } } },
    { I("mismatch01.dat"), { { "CSeq: 8 INVITE", "CSeq: 8 OPTIONS", N } } },
    { I("mismatch02.dat"), { { "CSeq: 8 INVITE", "CSeq: 8 NEWMETHOD", N } } },
    { I("ncl.dat"), { { "-999", "152", N } } },
    { I("clerr.dat"), { { "9999", "154", N } } },
    { W("ipv6-bad"), { { "sip:2001:db8::10 ", "sip:[2001:db8::10] ", N } } },
};

static char *edit(const char *buf, size_t *len, const char *old, const char *new_)
{
    const char *at = memmem(buf, *len, old, strlen(old));
    assert_non_null(at);
    size_t pre = (size_t)(at - buf), ol = strlen(old), nl = strlen(new_);
    char *out = malloc(*len - ol + nl);
    memcpy(out, buf, pre);
    memcpy(out + pre, new_, nl);
    memcpy(out + pre + nl, at + ol, *len - pre - ol);
    *len = *len - ol + nl;
    return out;
}

static void test_repairs(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(repairs); i++) {
        size_t len;
        char *buf = read_file(src_path(repairs[i].file), &len);
        assert_non_null(buf);
        for (const struct step *s = repairs[i].steps; s->old; s++) {
            char *next = edit(buf, &len, s->old, s->new_);
            free(buf);
            buf = next;
            sv_t in = gsvn(buf, len);
            assert_true(sip_parse(&msg, in.p, in.len, SIP_PARSE_DATAGRAM) > 0);
            sip_validate(&msg);
            if (msg.malformed != s->mal)
                fail_msg("%s after \"%s\" -> \"%s\": %s, want %s", repairs[i].file, s->old, s->new_,
                         sip_malformed_name(msg.malformed), sip_malformed_name(s->mal));
            gfree(in);
        }
        free(buf);
    }
}

/* The RFC 5118 archive bytes (bare LF, not wire format) still parse: BARE_LF everywhere, the two
 * §4.10 files lack the header terminator, two SDP files declare more body than they carry. */
static void test_rfc5118_archive(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        enum sip_malformed mal;
    } arch[] = {
        { "ipv6-good", N },
        { "ipv6-bad", SIP_MAL_REQUEST_URI },
        { "port-ambiguous", N },
        { "port-unambiguous", N },
        { "via-received-param-with-delim", N },
        { "via-received-param-no-delim", N },
        { "ipv6-in-sdp", SIP_MAL_BODY_SHORT },
        { "mult-ip-in-header", N },
        { "mult-ip-in-sdp", SIP_MAL_BODY_SHORT },
        { "ipv4-mapped-ipv6", N },
        { "ipv6-bug-abnf-3-colons", SIP_MAL_HEADERS_UNTERMINATED },
        { "ipv6-correct-abnf-2-colons", SIP_MAL_HEADERS_UNTERMINATED },
    };
    for (size_t i = 0; i < NELEM(arch); i++) {
        char path[256];
        snprintf(path, sizeof(path), "tests/data/corpus/rfc5118/archive/%s", arch[i].name);
        sv_t f = gfile(path);
        assert_int_equal(sip_parse(&msg, f.p, f.len, SIP_PARSE_DATAGRAM), (int)f.len);
        sip_validate(&msg);
        if (msg.malformed != arch[i].mal || msg.anomalies != A(BARE_LF))
            fail_msg("archive/%s: %s", arch[i].name, sip_malformed_name(msg.malformed));
        gfree(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_directories),
        cmocka_unit_test(test_repairs),
        cmocka_unit_test(test_rfc5118_archive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
