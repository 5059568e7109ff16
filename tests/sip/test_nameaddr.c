/* Unit tests for src/sip/nameaddr.c: sip_name_addr_next (lists: Contact, Route) and
 * sip_name_addr_parse (one value: From, To) — quoted display names with quoted-pairs (a quoted
 * NUL included), unquoted multi-token names, "caller<sip:...>", "*", commas inside quotes and <>,
 * tag and header parameters, the RFC 4475 cases, and malformed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

struct ncase {
    const char *in;
    size_t len; /* 0: strlen */
    bool single;
    int nvals, final_rc;
    const char *display, *uri;
    bool bracketed;
    const char *tag; /* NULL: absent */
    const char *params;
    const char *uri2; /* second value's URI, if any */
};

#define NONE NULL, NULL, false, NULL, NULL, NULL

static const struct ncase cases[] = {
    /* RFC 4475 wsinv.dat From and To */
    { "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8", 0, true,
      1, 0, "\"J Rosenberg \\\\\\\"\"", "sip:jdrosen@example.com", true, "98asjd8",
      ";\r\n  tag = 98asjd8", NULL },
    { "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n", 0, true, 1, 0, "",
      "sip:vivekg@chair-dnrc.example.com", false, "1918181833n", ";   tag    = 1918181833n", NULL },
    /* lwsdisp.dat */
    { "caller<sip:caller@example.com>;tag=323", 0, true, 1, 0, "caller", "sip:caller@example.com",
      true, "323", ";tag=323", NULL },
    /* intmeth.dat From: unquoted multi-token display name, UTF-8 quoted parameter */
    { "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="
      "\"\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9\";tag=_"
      "token~1'+`*%!-.",
      0, true, 1, 0, "token1~` token2'+_ token3*%!.-", "sip:mundane@example.com", true,
      "_token~1'+`*%!-.", NULL, NULL },
    /* intmeth.dat To: quoted-pairs escaping BEL, NUL and DEL */
    { "\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/"
      "crazy?,/;;*@example.com>",
      89, true, 1, 0, NULL, "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com",
      true, NULL, "", NULL },
    { "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n"
      "  secondparam ; q = 0.33",
      0, false, 1, 0, "\"Quoted string \\\"\\\"\"", "sip:jdrosen@example.com", true, NULL,
      "; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33", NULL },
    /* lists */
    { "<sip:a@b>, \"x, y\" <sip:c@d>;q=0.5, sip:e@f;expires=3", 0, false, 3, 0, "", "sip:a@b", true,
      NULL, "", "sip:c@d" },
    { "<sip:a@b;x=1,2>,<sip:c@d>", 0, false, 2, 0, "", "sip:a@b;x=1,2", true, NULL, "", "sip:c@d" },
    { "*", 0, false, 1, 0, "", "*", false, NULL, "", NULL },
    /* cparam01/02.dat: unbracketed params are header params, bracketed ones URI params */
    { "sip:+19725552222@gw1.example.net;unknownparam", 0, false, 1, 0, "",
      "sip:+19725552222@gw1.example.net", false, NULL, ";unknownparam", NULL },
    { "<sip:+19725552222@gw1.example.net;unknownparam>", 0, false, 1, 0, "",
      "sip:+19725552222@gw1.example.net;unknownparam", true, NULL, "", NULL },
    /* unksm2.dat: other schemes */
    { "<http://www.example.com>;tag=3234233", 0, true, 1, 0, "", "http://www.example.com", true,
      "3234233", ";tag=3234233", NULL },
    { "isbn:2983792873", 0, true, 1, 0, "", "isbn:2983792873", false, NULL, "", NULL },
    /* accepted liberally here, refused by sip_validate */
    { "\"Watson, Thomas\" < sip:t.watson@example.org >", 0, true, 1, 0, "\"Watson, Thomas\"",
      "sip:t.watson@example.org", true, NULL, "", NULL },
    { "Bell, Alexander <sip:a.g.bell@example.com>;tag=43", 0, true, 1, 0, "Bell, Alexander",
      "sip:a.g.bell@example.com", true, "43", ";tag=43", NULL },
    { "Bell, Alexander <sip:a.g.bell@example.com>;tag=43", 0, false, 2, 0, "", "Bell", false, NULL,
      "", "sip:a.g.bell@example.com" },
    { "sip:user@example.com?Route=%3Csip:sip.example.com%3E", 0, false, 1, 0, "",
      "sip:user@example.com?Route=%3Csip:sip.example.com%3E", false, NULL, "", NULL },
    { "<sip:a@b>;TAG=x;tag=y", 0, true, 1, 0, "", "sip:a@b", true, "x", ";TAG=x;tag=y", NULL },
    { "<sip:a@b>;tag", 0, true, 1, 0, "", "sip:a@b", true, "", ";tag", NULL },
    { "<sip:a@b>, <sip:c@d>", 0, true, 1, 0, "", "sip:a@b", true, NULL, "", NULL },
    /* empty and malformed */
    { "", 0, false, 0, 0, NONE },
    { "  \r\n ", 0, true, 0, 0, NONE },
    { "\"Mr. J. User <sip:j.user@example.com>", 0, true, 0, ERR_PARSE, NONE },
    { "\"Joe\" sip:joe@example.org", 0, true, 0, ERR_PARSE, NONE },
    { "<sip:a@b", 0, false, 0, ERR_PARSE, NONE },
    { "<>", 0, false, 0, ERR_PARSE, NONE },
    { "< >", 0, false, 0, ERR_PARSE, NONE },
    { "<sip:a@b> junk", 0, false, 0, ERR_PARSE, NONE },
    { "sip:a@b junk", 0, false, 0, ERR_PARSE, NONE },
    { "foo \"bar\" <sip:x>", 0, false, 0, ERR_PARSE, NONE },
    { ",<sip:a@b>", 0, false, 0, ERR_PARSE, NONE },
    { "<sip:a@b>;tag=\"x", 0, false, 0, ERR_PARSE, NONE },
    { "<sip:a@b>;=x", 0, false, 0, ERR_PARSE, NONE },
    { "<sip:a@b>,", 0, false, 1, ERR_PARSE, "", "sip:a@b", true, NULL, "", NULL },
    { "<sip:a@b>,,<sip:c@d>", 0, false, 1, ERR_PARSE, "", "sip:a@b", true, NULL, "", NULL },
};

static bool field_is(sv_t v, const char *want)
{
    return want[0] ? sv_is(v, want) : v.len == 0;
}

static void check_first(const struct ncase *c, const struct sip_name_addr *na)
{
    if ((c->display && !field_is(na->display, c->display)) || !sv_is(na->uri, c->uri) ||
        na->bracketed != c->bracketed || (c->params && !field_is(na->params, c->params)) ||
        (c->tag ? !sv_is(na->tag, c->tag) : na->tag.p != NULL))
        fail_msg("%s: display '%.*s' uri '%.*s' bracketed %d tag '%.*s' params '%.*s'", c->in,
                 SV_ARG(na->display), SV_ARG(na->uri), na->bracketed, SV_ARG(na->tag),
                 SV_ARG(na->params));
}

static void test_name_addrs(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        const struct ncase *c = &cases[i];
        sv_t in = gsvn(c->in, c->len ? c->len : strlen(c->in)), cur = in;
        struct sip_name_addr na;
        int n = 0, rc;
        if (c->single) {
            rc = sip_name_addr_parse(in, &na);
            if (rc == 1) {
                check_first(c, &na);
                n = 1;
                rc = 0;
            }
        } else {
            while ((rc = sip_name_addr_next(&cur, &na)) == 1) {
                if (n == 0)
                    check_first(c, &na);
                if (n == 1 && c->uri2 && !sv_is(na.uri, c->uri2))
                    fail_msg("%s: second uri '%.*s'", c->in, SV_ARG(na.uri));
                n++;
                assert_true(n < 10);
            }
        }
        if (n != c->nvals || rc != c->final_rc)
            fail_msg("%s: %d values then rc %d, want %d then %d", c->in, n, rc, c->nvals,
                     c->final_rc);
        gfree(in);
    }
}

static void test_null_views(void **state)
{
    (void)state;
    sv_t cur = SV_NULL;
    struct sip_name_addr na;
    assert_int_equal(sip_name_addr_next(&cur, &na), 0);
    assert_int_equal(sip_name_addr_parse(SV_NULL, &na), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_addrs),
        cmocka_unit_test(test_null_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
