/* Unit tests for src/sip/hdrnames.c: method ids, header ids (full and compact names, any case),
 * canonical names and the malformed/anomaly name tables. Expected values come from the .def
 * files themselves, so a header added there without a lookup entry fails here. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static enum sip_hdr_id glookup(const char *s)
{
    sv_t v = gsv(s);
    enum sip_hdr_id id = sip_hdr_lookup(v);
    gfree(v);
    return id;
}

static void test_methods(void **state)
{
    (void)state;
    for (int m = SIP_M_INVITE; m < SIP_M__COUNT; m++) {
        const char *name = sip_method_name((enum sip_method)m);
        sv_t v = gsv(name);
        assert_int_equal(sip_method_id(v), m);
        gfree(v);
    }
    static const char *const unknown[] = { "invite", "INVITEX",   "INVIT",    "RE%47IST%45R",
                                           "",       "NEWMETHOD", "Register", "SUBSCRIBe" };
    for (size_t i = 0; i < NELEM(unknown); i++) {
        sv_t v = gsv(unknown[i]);
        assert_int_equal(sip_method_id(v), SIP_M_UNKNOWN);
        gfree(v);
    }
    assert_string_equal(sip_method_name(SIP_M_UNKNOWN), "");
    assert_string_equal(sip_method_name(SIP_M__COUNT), "");
}

static void check_case_variants(const char *name, enum sip_hdr_id id)
{
    char buf[64];
    size_t n = strlen(name);
    assert_true(n < sizeof(buf));
    for (int variant = 0; variant < 3; variant++) {
        for (size_t i = 0; i <= n; i++)
            buf[i] = variant == 0   ? (char)tolower((unsigned char)name[i])
                     : variant == 1 ? (char)toupper((unsigned char)name[i])
                                    : (char)((i % 2) ? toupper((unsigned char)name[i])
                                                     : tolower((unsigned char)name[i]));
        if (glookup(buf) != id)
            fail_msg("%s -> %d, want %d", buf, glookup(buf), id);
    }
}

static void test_headers_def(void **state)
{
    (void)state;
    static const struct {
        enum sip_hdr_id id;
        const char *name;
        char compact;
    } defs[] = {
#define X(id, name, compact) { SIP_HDR_##id, name, compact },
#include "sip/headers.def"
#undef X
    };
    assert_int_equal(NELEM(defs), SIP_HDR__COUNT - 1);
    for (size_t i = 0; i < NELEM(defs); i++) {
        assert_string_equal(sip_hdr_canonical(defs[i].id), defs[i].name);
        check_case_variants(defs[i].name, defs[i].id);
        if (defs[i].compact) {
            char c[2] = { defs[i].compact, 0 };
            check_case_variants(c, defs[i].id);
        }
    }
    /* no other single letter maps to a header */
    for (int c = 0; c < 256; c++) {
        char s[2] = { (char)c, 0 };
        bool is_compact = false;
        for (size_t i = 0; i < NELEM(defs); i++)
            is_compact |= defs[i].compact && tolower(c) == defs[i].compact;
        if (!is_compact && c) {
            sv_t v = gsvn(s, 1);
            assert_int_equal(sip_hdr_lookup(v), SIP_HDR_OTHER);
            gfree(v);
        }
    }
    assert_string_equal(sip_hdr_canonical(SIP_HDR_OTHER), "");
    assert_string_equal(sip_hdr_canonical(SIP_HDR__COUNT), "");
}

static void test_unknown_headers(void **state)
{
    (void)state;
    static const char *const names[] = {
        "",
        "Viaa",
        "Vi",
        "V1a",
        "Call-Id ",
        "Call_ID",
        "Call\rID",
        "Content-Lengt",
        "Content-Lengthh",
        "C%6Fntact",
        "Contacts",
        "Max_Forwards",
        "X-Foo",
        "NewFangledHeader",
        "UnknownHeaderWithUnusualValue",
        "P-Asserted-Identit",
        "Proxy-Authorizatio",
        "z",
        "1",
        "Reason2",
        "To:",
        "Fro",
    };
    for (size_t i = 0; i < NELEM(names); i++)
        if (glookup(names[i]) != SIP_HDR_OTHER)
            fail_msg("\"%s\" is not a known header", names[i]);
    assert_int_equal(sip_hdr_lookup(SV_NULL), SIP_HDR_OTHER);
}

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(sip_malformed_name(SIP_MAL_NONE), "");
    assert_string_equal(sip_malformed_desc(SIP_MAL_NONE), "");
    assert_string_equal(sip_malformed_name(SIP_MAL__COUNT), "");
    assert_string_equal(sip_malformed_name(SIP_MAL_CSEQ), "bad-cseq");
    for (int r = 1; r < SIP_MAL__COUNT; r++) {
        assert_true(strlen(sip_malformed_name((enum sip_malformed)r)) > 0);
        assert_true(strlen(sip_malformed_desc((enum sip_malformed)r)) > 0);
        for (int s = 1; s < r; s++)
            assert_string_not_equal(sip_malformed_name((enum sip_malformed)r),
                                    sip_malformed_name((enum sip_malformed)s));
    }
    assert_string_equal(sip_anomaly_name(SIP_ANOM_TRAILING_BYTES), "trailing-bytes");
    assert_string_equal(sip_anomaly_name(SIP_ANOM__COUNT), "");
    assert_string_equal(sip_anomaly_desc(SIP_ANOM__COUNT), "");
    assert_true(SIP_ANOM__COUNT <= 32);
    for (int a = 0; a < SIP_ANOM__COUNT; a++) {
        assert_true(strlen(sip_anomaly_name((enum sip_anomaly)a)) > 0);
        assert_true(strlen(sip_anomaly_desc((enum sip_anomaly)a)) > 0);
        for (int b = 0; b < a; b++)
            assert_string_not_equal(sip_anomaly_name((enum sip_anomaly)a),
                                    sip_anomaly_name((enum sip_anomaly)b));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_headers_def),
        cmocka_unit_test(test_unknown_headers),
        cmocka_unit_test(test_verdict_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
