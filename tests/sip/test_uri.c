/* Unit tests for src/sip/uri.c: sip_uri_parse on sip, sips, tel and other schemes — userinfo with
 * escapes kept, IPv6 references (RFC 5118, including the tolerated three-colon form), ports,
 * parameters and headers — and on input that is no URI at all. The character-level grammar is
 * tested through sip_validate in test_validate.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

struct ucase {
    const char *in;
    int rc;
    const char *scheme, *user, *password, *host;
    int port; /* -1: none */
    const char *params, *headers;
    bool v6;
};

#define BAD ERR_PARSE, NULL, NULL, NULL, NULL, -1, NULL, NULL, false

static const struct ucase cases[] = {
    { "sip:alice@example.com", 0, "sip", "alice", "", "example.com", -1, "", "", false },
    { "sips:alice:secret@example.com:5061;transport=tls?subject=x&h=y", 0, "sips", "alice",
      "secret", "example.com", 5061, ";transport=tls", "subject=x&h=y", false },
    { "sip:example.com", 0, "sip", "", "", "example.com", -1, "", "", false },
    { "SIP:Alice@Example.COM", 0, "SIP", "Alice", "", "Example.COM", -1, "", "", false },
    { "sip:192.0.2.1:5060;lr", 0, "sip", "", "", "192.0.2.1", 5060, ";lr", "", false },
    { "sip:host_name.example.com", 0, "sip", "", "", "host_name.example.com", -1, "", "", false },
    { "sip:h:0", 0, "sip", "", "", "h", 0, "", "", false },
    { "sip:h:65535", 0, "sip", "", "", "h", 65535, "", "", false },
    { "sip:h:0005060", 0, "sip", "", "", "h", 5060, "", "", false },
    /* RFC 5118 */
    { "sip:[2001:db8::10]", 0, "sip", "", "", "[2001:db8::10]", -1, "", "", true },
    { "sip:[2001:db8::10]:5070", 0, "sip", "", "", "[2001:db8::10]", 5070, "", "", true },
    { "sip:[2001:db8::10:5070]", 0, "sip", "", "", "[2001:db8::10:5070]", -1, "", "", true },
    { "sip:user@[2001:db8:::192.0.2.1]", 0, "sip", "user", "", "[2001:db8:::192.0.2.1]", -1, "", "",
      true },
    { "sip:user@[2001:db8::192.0.2.1]", 0, "sip", "user", "", "[2001:db8::192.0.2.1]", -1, "", "",
      true },
    { "sip:ted@[::ffff:192.0.2.2]", 0, "sip", "ted", "", "[::ffff:192.0.2.2]", -1, "", "", true },
    { "sip:[::1]", 0, "sip", "", "", "[::1]", -1, "", "", true },
    { "sip:[::]", 0, "sip", "", "", "[::]", -1, "", "", true },
    { "sip:[1:2:3:4:5:6:7:8]", 0, "sip", "", "", "[1:2:3:4:5:6:7:8]", -1, "", "", true },
    { "sip:[1:2:3:4:5:6:7::]", 0, "sip", "", "", "[1:2:3:4:5:6:7::]", -1, "", "", true },
    { "sip:[1:2:3:4:5:6:1.2.3.4]", 0, "sip", "", "", "[1:2:3:4:5:6:1.2.3.4]", -1, "", "", true },
    { "sip:[:::1.2.3.4]", 0, "sip", "", "", "[:::1.2.3.4]", -1, "", "", true },
    { "sip:[FE80::A:b:C]", 0, "sip", "", "", "[FE80::A:b:C]", -1, "", "", true },
    { "sip:2001:db8::10", BAD },
    { "sip:[1:2:3:4:5:6:7:8:9]", BAD },
    { "sip:[1:2:3:4:5:6:7]", BAD },
    { "sip:[1::2::3]", BAD },
    { "sip:[12345::1]", BAD },
    { "sip:[::g]", BAD },
    { "sip:[2001:db8::10", BAD },
    { "sip:[]", BAD },
    { "sip:[1:]", BAD },
    { "sip:[:1]", BAD },
    { "sip:[::1.2.3.256]", BAD },
    { "sip:[::1.2.3]", BAD },
    { "sip:[1:2:3:4:5:6:7:1.2.3.4]", BAD },
    { "sip:[::1]x", BAD },
    /* userinfo: escapes kept, ';' '?' ',' allowed in the user part */
    { "sip:sips%3Auser%40example.com@example.net", 0, "sip", "sips%3Auser%40example.com", "",
      "example.net", -1, "", "", false },
    { "sip:user;par=u%40example.net@example.com", 0, "sip", "user;par=u%40example.net", "",
      "example.com", -1, "", "", false },
    { "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
      "(doesn't-it)@example.com",
      0, "sip", "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
      "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", "example.com", -1, "", "", false },
    { "sip:null-%00-null@example.com", 0, "sip", "null-%00-null", "", "example.com", -1, "", "",
      false },
    { "sip:user@example.com?Route=%3Csip:example.com%3E", 0, "sip", "user", "", "example.com", -1,
      "", "Route=%3Csip:example.com%3E", false },
    { "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", 0, "sip", "cal%6Cer", "",
      "host5.example.net", -1, ";%6C%72;n%61me=v%61lue%25%34%31", "", false },
    { "sip:a@b;", 0, "sip", "a", "", "b", -1, ";", "", false },
    { "sip:@host", BAD },
    { "sip:user@", BAD },
    { "sip:user@:5060", BAD },
    { "sip:h:", BAD },
    { "sip:h:65536", BAD },
    { "sip:h:5060x", BAD },
    { "sip:h:99999999999", BAD },
    { "sip:a@b@c", BAD },
    { "sip:a@b!c", BAD },
    /* tel (RFC 3966) */
    { "tel:+1-201-555-0123;ext=1234", 0, "tel", "+1-201-555-0123", "", "", -1, ";ext=1234", "",
      false },
    { "tel:7042;phone-context=example.com", 0, "tel", "7042", "", "", -1,
      ";phone-context=example.com", "", false },
    { "tel:", BAD },
    { "tel:;ext=1", BAD },
    /* other schemes: opaque */
    { "nobodyKnowsThisScheme:totallyopaquecontent", 0, "nobodyKnowsThisScheme",
      "totallyopaquecontent", "", "", -1, "", "", false },
    { "soap.beep://192.0.2.103:3002", 0, "soap.beep", "//192.0.2.103:3002", "", "", -1, "", "",
      false },
    { "isbn:2983792873", 0, "isbn", "2983792873", "", "", -1, "", "", false },
    { "urn:service:sos", 0, "urn", "service:sos", "", "", -1, "", "", false },
    /* not URIs */
    { "", BAD },
    { ":x", BAD },
    { "1sip:x", BAD },
    { "sip", BAD },
    { "x:", BAD },
    { "<sip:a@b>", BAD },
    { "sip:a@b>", BAD },
    { "sip:a b@c", BAD },
    { "sip:a@b c", BAD },
    { "sip:a@b\r\n", BAD },
    { "sip:a@b\"", BAD },
    { "sip:a\x01@b", BAD },
};

static bool field_is(sv_t v, const char *want)
{
    return want[0] ? sv_is(v, want) : v.len == 0;
}

static void test_uris(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        const struct ucase *c = &cases[i];
        sv_t in = gsv(c->in);
        struct sip_uri u;
        int rc = sip_uri_parse(in, &u);
        if (rc != c->rc)
            fail_msg("%s: rc %d, want %d", c->in, rc, c->rc);
        if (rc == 0) {
            if (!field_is(u.scheme, c->scheme) || !field_is(u.user, c->user) ||
                !field_is(u.password, c->password) || !field_is(u.host, c->host) ||
                !field_is(u.params, c->params) || !field_is(u.headers, c->headers))
                fail_msg("%s: got scheme '%.*s' user '%.*s' pass '%.*s' host '%.*s' params '%.*s' "
                         "headers '%.*s'",
                         c->in, SV_ARG(u.scheme), SV_ARG(u.user), SV_ARG(u.password),
                         SV_ARG(u.host), SV_ARG(u.params), SV_ARG(u.headers));
            assert_int_equal(u.has_port, c->port >= 0);
            if (c->port >= 0)
                assert_int_equal(u.port, c->port);
            assert_int_equal(u.is_ipv6, c->v6);
        }
        gfree(in);
    }
    struct sip_uri u;
    assert_int_equal(sip_uri_parse(SV_NULL, &u), ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
