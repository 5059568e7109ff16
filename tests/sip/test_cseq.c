/* Unit tests for src/sip/cseq.c: sip_cseq_parse — leading zeros and folded LWS (RFC 4475
 * wsinv.dat), odd method tokens, the 2^32-1 limit (RFC 4475 scalar02/scalarlg) and syntax
 * errors, which win over overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static void test_cseq(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        uint32_t num;
        const char *method;
        int id;
    } cases[] = {
        { "4711 INVITE", 0, 4711, "INVITE", SIP_M_INVITE },
        { "0009\r\n  INVITE", 0, 9, "INVITE", SIP_M_INVITE },
        { "  1 \t ACK  ", 0, 1, "ACK", SIP_M_ACK },
        { "0 CANCEL", 0, 0, "CANCEL", SIP_M_CANCEL },
        { "139122385 !interesting-Method0123456789_*+`.%indeed'~", 0, 139122385,
          "!interesting-Method0123456789_*+`.%indeed'~", SIP_M_UNKNOWN },
        { "29344 RE%47IST%45R", 0, 29344, "RE%47IST%45R", SIP_M_UNKNOWN },
        { "4294967295 BYE", 0, 4294967295u, "BYE", SIP_M_BYE },
        { "4294967296 BYE", ERR_LIMIT, 0, NULL, 0 },
        { "36893488147419103232 REGISTER", ERR_LIMIT, 0, NULL, 0 },
        { "9292394834772304023312 OPTIONS", ERR_LIMIT, 0, NULL, 0 },
        { "99999999999999999999", ERR_PARSE, 0, NULL, 0 },
        { "99999999999999999999x INVITE", ERR_PARSE, 0, NULL, 0 },
        { "INVITE", ERR_PARSE, 0, NULL, 0 },
        { "1", ERR_PARSE, 0, NULL, 0 },
        { "1INVITE", ERR_PARSE, 0, NULL, 0 },
        { "1 INVITE x", ERR_PARSE, 0, NULL, 0 },
        { "1 INVITE,", ERR_PARSE, 0, NULL, 0 },
        { "-1 INVITE", ERR_PARSE, 0, NULL, 0 },
        { "1 INV@ITE", ERR_PARSE, 0, NULL, 0 },
        { "", ERR_PARSE, 0, NULL, 0 },
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        sv_t in = gsv(cases[i].in);
        struct sip_cseq c;
        int rc = sip_cseq_parse(in, &c);
        if (rc != cases[i].rc)
            fail_msg("'%s': rc %d, want %d", cases[i].in, rc, cases[i].rc);
        if (rc == 0) {
            assert_int_equal(c.num, cases[i].num);
            assert_true(sv_is(c.method, cases[i].method));
            assert_int_equal(c.method_id, cases[i].id);
        }
        gfree(in);
    }
    struct sip_cseq c;
    assert_int_equal(sip_cseq_parse(SV_NULL, &c), ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cseq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
