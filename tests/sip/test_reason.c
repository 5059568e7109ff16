/* Unit tests for src/sip/reason.c: sip_reason_next on RFC 3326 values — SIP and Q.850 causes,
 * quoted text with escapes, commas and semicolons, several values per header, LWS, unknown
 * parameters, and malformed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static void test_reason(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int nvals, final_rc;
        const char *protocol;
        int cause;        /* -1: none */
        const char *text; /* NULL: absent */
        const char *protocol2;
    } cases[] = {
        { "SIP;cause=200;text=\"Call completed elsewhere\"", 1, 0, "SIP", 200,
          "Call completed elsewhere", NULL },
        { "Q.850;cause=16;text=\"NORMAL_CLEARING\"", 1, 0, "Q.850", 16, "NORMAL_CLEARING", NULL },
        { "Q.850;cause=16", 1, 0, "Q.850", 16, NULL, NULL },
        { "SIP ; cause = 487 ;\r\n text = \"Request \\\"x\\\" terminated\"", 1, 0, "SIP", 487,
          "Request \\\"x\\\" terminated", NULL },
        { "SIP;cause=580;text=\"Precondition Failure\", Q.850;cause=47", 2, 0, "SIP", 580,
          "Precondition Failure", "Q.850" },
        { "SIP;text=\"a, b; c\";cause=1", 1, 0, "SIP", 1, "a, b; c", NULL },
        { "SIP;text=foo", 1, 0, "SIP", -1, "foo", NULL },
        { "SIP;text=\"\"", 1, 0, "SIP", -1, "", NULL },
        { "SIP;cause=200;foo=bar;baz", 1, 0, "SIP", 200, NULL, NULL },
        { "preemption;cause=1;text=\"UA preemption\"", 1, 0, "preemption", 1, "UA preemption",
          NULL },
        { "", 0, 0, NULL, -1, NULL, NULL },
        { "SIP;cause=abc", 0, ERR_PARSE, NULL, -1, NULL, NULL },
        { "SIP;cause=", 0, ERR_PARSE, NULL, -1, NULL, NULL },
        { "SIP;cause=99999999999", 0, ERR_PARSE, NULL, -1, NULL, NULL },
        { ";cause=1", 0, ERR_PARSE, NULL, -1, NULL, NULL },
        { "SIP;text=\"x", 0, ERR_PARSE, NULL, -1, NULL, NULL },
        { "SIP junk", 0, ERR_PARSE, NULL, -1, NULL, NULL },
        { "SIP,", 1, ERR_PARSE, "SIP", -1, NULL, NULL },
    };
    sv_t none = SV_NULL;
    struct sip_reason r0;
    assert_int_equal(sip_reason_next(&none, &r0), 0);
    for (size_t i = 0; i < NELEM(cases); i++) {
        sv_t in = gsv(cases[i].in), cur = in;
        struct sip_reason r;
        int n = 0, rc;
        while ((rc = sip_reason_next(&cur, &r)) == 1) {
            if (n == 0) {
                assert_true(sv_is(r.protocol, cases[i].protocol));
                assert_int_equal(r.has_cause, cases[i].cause >= 0);
                if (cases[i].cause >= 0)
                    assert_int_equal(r.cause, cases[i].cause);
                if (cases[i].text ? !sv_is(r.text, cases[i].text) : r.text.p != NULL)
                    fail_msg("'%s': text '%.*s'", cases[i].in, SV_ARG(r.text));
            }
            if (n == 1)
                assert_true(sv_is(r.protocol, cases[i].protocol2));
            n++;
            assert_true(n < 10);
        }
        if (n != cases[i].nvals || rc != cases[i].final_rc)
            fail_msg("'%s': %d values then %d", cases[i].in, n, rc);
        gfree(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
