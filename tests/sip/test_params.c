/* Unit tests for src/sip/params.c: sip_param_get over header and URI parameter lists — LWS and
 * folding around ';' and '=', quoted values holding ';' and ',', bare names, case, lists that
 * stop at a comma, IPv6 values, and malformed lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static void test_param_get(void **state)
{
    (void)state;
    static const struct {
        const char *params, *name;
        int found;
        const char *value;
    } cases[] = {
        { ";a=b;lr;c=\"x;y,z\"", "a", 1, "b" },
        { ";a=b;lr;c=\"x;y,z\"", "lr", 1, "" },
        { ";a=b;lr;c=\"x;y,z\"", "c", 1, "\"x;y,z\"" },
        { ";a=b;lr;c=\"x;y,z\"", "d", 0, NULL },
        { ";a=b;lr;c=\"x;y,z\"", "l", 0, NULL },
        { ";TAG=1", "tag", 1, "1" },
        { ";tag=AbC", "TAG", 1, "AbC" },
        { " ;  tag  =  1  ; x", "tag", 1, "1" },
        { ";\r\n  tag = 98asjd8", "tag", 1, "98asjd8" },
        { "; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33", "q", 1, "0.33" },
        { "; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33", "newparam", 1,
          "newvalue" },
        { "a=b;c", "a", 1, "b" },
        { "a=b;c", "c", 1, "" },
        { ";;a=1", "a", 1, "1" },
        { ";a=1, ;b=2", "b", 0, NULL },
        { ";a=1, ;b=2", "a", 1, "1" },
        { ";q=\"a\\\"b\";r=1", "r", 1, "1" },
        { ";received=[2001:db8::9:255];branch=z9", "received", 1, "[2001:db8::9:255]" },
        { ";received=2001:db8::9:255;branch=z9", "branch", 1, "z9" },
        { ";a=\"unterminated;b=1", "b", 0, NULL },
        { ";=x;a=1", "a", 0, NULL },
        { ";a b;c=1", "c", 0, NULL },
        { "", "a", 0, NULL },
        { ";a", "", 0, NULL },
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        sv_t p = gsv(cases[i].params), n = gsv(cases[i].name), v = SV_NULL;
        int found = sip_param_get(p, n, &v);
        if (found != cases[i].found)
            fail_msg("%zu: get(%s, %s) = %d", i, cases[i].params, cases[i].name, found);
        if (found && !sv_is(v, cases[i].value))
            fail_msg("%zu: value '%.*s', want '%s'", i, SV_ARG(v), cases[i].value);
        gfree(p);
        gfree(n);
    }
    sv_t v;
    assert_int_equal(sip_param_get(SV_NULL, SV("a"), &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_get),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
