/* Unit tests for src/sip/chars.c: each character class of the table is rebuilt here from the
 * character lists of RFC 3261 §25.1 (and RFC 3966, RFC 2396) and compared byte by byte. This test
 * reaches into the module's private header on purpose: the table is data that nothing else
 * would catch drifting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>
#include <string.h>

#include "sip/sip_int.h"

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define MARK  "-_.!~*'()"

static void test_classes_match_rfc(void **state)
{
    (void)state;
    static const struct {
        unsigned cls;
        const char *chars;
    } cases[] = {
        { SIP_CC_TOKEN, ALNUM "-.!%*_+`'~" },
        { SIP_CC_WS, " \t\r\n" },
        { SIP_CC_DIGIT, "0123456789" },
        { SIP_CC_HEX, "0123456789abcdefABCDEF" },
        { SIP_CC_ALPHA, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" },
        { SIP_CC_UNRES, ALNUM MARK },
        { SIP_CC_USER, ALNUM MARK "&=+$,;?/" },
        { SIP_CC_PASS, ALNUM MARK "&=+$," },
        { SIP_CC_PARAM, ALNUM MARK "[]/:&+$" },
        { SIP_CC_HNV, ALNUM MARK "[]/?:+$" },
        { SIP_CC_HOST, ALNUM "-._" },
        { SIP_CC_SCHEME, ALNUM "+-." },
        { SIP_CC_TEL, "0123456789abcdefABCDEF*#-.()" },
        { SIP_CC_URIC, ALNUM MARK ";/?:@&=+$,%[]" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int c = 0; c < 256; c++) {
            bool want = c != 0 && strchr(cases[i].chars, c) != NULL;
            if (sip_int_is((char)c, cases[i].cls) != want)
                fail_msg("class 0x%04x, byte 0x%02x: table says %d", cases[i].cls, c, !want);
        }
    }
    for (int c = 0; c < 256; c++)
        assert_int_equal(sip_int_is((char)c, SIP_CC_CTL), c < 32 || c == 127);
}

static void test_all(void **state)
{
    (void)state;
    assert_true(sip_int_all(SV("abc"), SIP_CC_TOKEN));
    assert_false(sip_int_all(SV("a c"), SIP_CC_TOKEN));
    assert_false(sip_int_all(SV(""), SIP_CC_TOKEN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_match_rfc),
        cmocka_unit_test(test_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
