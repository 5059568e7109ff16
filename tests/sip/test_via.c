/* Unit tests for src/sip/via.c: sip_via_next over whole Via values — one or several values per
 * line, folded values with LWS around '/', ':', ';' and '=', IPv6 sent-by and received with and
 * without brackets (RFC 5118 §4.5), unknown transports — and sip_top_via on parsed messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

struct vcase {
    const char *in;
    int nvals;    /* values returned before the final rc */
    int final_rc; /* 0 (end) or ERR_PARSE */
    /* first value (when nvals > 0); NULL = absent */
    const char *protocol, *transport, *host;
    int port;
    const char *branch, *received, *rport, *params;
    const char *host2; /* second value's host, if any */
};

#define NOVIA NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL

static const struct vcase cases[] = {
    { "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;rport", 1, 0, "SIP/2.0", "UDP", "192.0.2.1",
      5060, "z9hG4bK776", NULL, "", ";branch=z9hG4bK776;rport", NULL },
    /* RFC 4475 wsinv.dat: folded, LWS around the slashes */
    { "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw", 1, 0, "SIP  /   2.0", "UDP",
      "192.0.2.2", -1, "390skdjuw", NULL, NULL, ";branch=390skdjuw", NULL },
    { "SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n SIP  /"
      "    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239",
      2, 0, "SIP  / 2.0", "TCP", "spindle.example.com", -1, "z9hG4bK9ikj8", NULL, NULL,
      ";\r\n  branch  =   z9hG4bK9ikj8", "192.168.255.111" },
    { "SIP/2.0/UDP a;branch=1, SIP/2.0/TCP b:5061;branch=2", 2, 0, "SIP/2.0", "UDP", "a", -1, "1",
      NULL, NULL, ";branch=1", "b" },
    { "SIP/2.0/UDP a ,SIP/2.0/UDP b,SIP/2.0/UDP c", 3, 0, "SIP/2.0", "UDP", "a", -1, NULL, NULL,
      NULL, "", "b" },
    /* RFC 5118 */
    { "SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111", 1, 0, "SIP/2.0", "UDP",
      "[2001:db8::9:1]", 6050, "z9hG4bKas3-111", NULL, NULL, ";branch=z9hG4bKas3-111", NULL },
    { "SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111", 1, 0,
      "SIP/2.0", "UDP", "[2001:db8::9:1]", -1, "z9hG4bKas3-111", "[2001:db8::9:255]", NULL,
      ";received=[2001:db8::9:255];branch=z9hG4bKas3-111", NULL },
    { "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3", 1, 0, "SIP/2.0",
      "UDP", "[2001:db8::9:1]", -1, "z9hG4bKas3", "2001:db8::9:255", NULL,
      ";received=2001:db8::9:255;branch=z9hG4bKas3", NULL },
    { "SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19", 1, 0, "SIP/2.0", "UDP",
      "[::ffff:192.0.2.10]", 19823, "z9hG4bKbh19", NULL, NULL, ";branch=z9hG4bKbh19", NULL },
    { "SIP/2.0/UDP 213.192.59.78:5080;rport=5080;branch=z9hG4bKjBiNGaOX", 1, 0, "SIP/2.0", "UDP",
      "213.192.59.78", 5080, "z9hG4bKjBiNGaOX", NULL, "5080", ";rport=5080;branch=z9hG4bKjBiNGaOX",
      NULL },
    { "SIP/2.0/UDP host : 5060 ;branch=x", 1, 0, "SIP/2.0", "UDP", "host", 5060, "x", NULL, NULL,
      ";branch=x", NULL },
    { "SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en", 1, 0, "SIP/2.0", "UNKNOWN",
      "t4.example.com", -1, "z9hG4bKasd0f3en", NULL, NULL, ";branch=z9hG4bKasd0f3en", NULL },
    { "SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks", 1, 0, "SIP/2.0", "WSS",
      "df7jal23ls0d.invalid", -1, "z9hG4bK56sdasks", NULL, NULL, ";branch=z9hG4bK56sdasks", NULL },
    { "SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw", 1, 0, "SIP/7.0", "UDP", "c.example.com", -1,
      "z9hG4bKkdjuw", NULL, NULL, ";branch=z9hG4bKkdjuw", NULL },
    { "SIP/2.0/TCP h;branch=\"a,b\";x", 1, 0, "SIP/2.0", "TCP", "h", -1, "\"a,b\"", NULL, NULL,
      ";branch=\"a,b\";x", NULL },
    /* RFC 4475 badinv01.dat: the first value parses (empty parameters are skipped), then ";" */
    { "SIP/2.0/UDP 192.0.2.15;;,;,,", 1, ERR_PARSE, "SIP/2.0", "UDP", "192.0.2.15", -1, NULL, NULL,
      NULL, ";;", NULL },
    { "SIP/2.0/UDP a, ", 1, ERR_PARSE, "SIP/2.0", "UDP", "a", -1, NULL, NULL, NULL, "", NULL },
    { "SIP/2.0/UDP a,,SIP/2.0/UDP b", 1, ERR_PARSE, "SIP/2.0", "UDP", "a", -1, NULL, NULL, NULL, "",
      NULL },
    { "", 0, 0, NOVIA },
    { " \r\n ", 0, 0, NOVIA },
    { ",SIP/2.0/UDP a", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0 UDP host", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP ", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDPhost", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/ host", 0, ERR_PARSE, NOVIA },
    { "SIP//UDP host", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP host:99999", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP host:", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP [::1", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP [zz::1]", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP 2001:db8::1", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP host;branch=\"x", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP host junk", 0, ERR_PARSE, NOVIA },
    { "SIP/2.0/UDP host;a b", 0, ERR_PARSE, NOVIA },
};

static bool opt_is(sv_t v, const char *want)
{
    return want ? sv_is(v, want) : v.p == NULL;
}

static void test_vias(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        const struct vcase *c = &cases[i];
        sv_t in = gsv(c->in), cur = in;
        struct sip_via v;
        int n = 0, rc;
        while ((rc = sip_via_next(&cur, &v)) == 1) {
            assert_true(cur.p >= in.p && cur.p + cur.len == in.p + in.len);
            if (n == 0) {
                if (!sv_is(v.protocol, c->protocol) || !sv_is(v.transport, c->transport) ||
                    !sv_is(v.host, c->host) || !opt_is(v.branch, c->branch) ||
                    !opt_is(v.received, c->received) ||
                    !(c->params[0] ? sv_is(v.params, c->params) : v.params.len == 0) ||
                    v.has_port != (c->port >= 0) || (c->port >= 0 && v.port != c->port))
                    fail_msg("%s: protocol '%.*s' transport '%.*s' host '%.*s' port %d branch "
                             "'%.*s' received '%.*s' params '%.*s'",
                             c->in, SV_ARG(v.protocol), SV_ARG(v.transport), SV_ARG(v.host),
                             v.has_port ? v.port : -1, SV_ARG(v.branch), SV_ARG(v.received),
                             SV_ARG(v.params));
                assert_int_equal(v.has_rport, c->rport != NULL);
                if (c->rport)
                    assert_true(sv_is(v.rport, c->rport));
            }
            if (n == 1 && c->host2 && !sv_is(v.host, c->host2))
                fail_msg("%s: second host '%.*s'", c->in, SV_ARG(v.host));
            n++;
            assert_true(n <= 10);
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
    struct sip_via v;
    assert_int_equal(sip_via_next(&cur, &v), 0);
    assert_null(v.branch.p);
}

static struct sip_msg msg;

static void test_top_via(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        const char *host;
    } cases2[] = {
        { "SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a, SIP/2.0/UDP b\r\nVia: SIP/2.0/UDP c\r\n\r\n", 1,
          "a" },
        { "SIP/2.0 200 OK\r\nX: 1\r\nVia:\r\n SIP/2.0/TCP c;branch=z9hG4bK1\r\n\r\n", 1, "c" },
        { "SIP/2.0 200 OK\r\nX: 1\r\n\r\n", 0, NULL },
        { "SIP/2.0 200 OK\r\nVia:\r\nVia: SIP/2.0/UDP c\r\n\r\n", ERR_PARSE, NULL },
        { "SIP/2.0 200 OK\r\nVia: SIP/2.0\r\n\r\n", ERR_PARSE, NULL },
    };
    for (size_t i = 0; i < NELEM(cases2); i++) {
        sv_t in = gsv(cases2[i].in);
        assert_int_equal(sip_parse(&msg, in.p, in.len, SIP_PARSE_DATAGRAM), (int)in.len);
        struct sip_via v;
        int rc = sip_top_via(&msg, &v);
        assert_int_equal(rc, cases2[i].rc);
        if (rc == 1)
            assert_true(sv_is(v.host, cases2[i].host));
        gfree(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vias),
        cmocka_unit_test(test_top_via),
        cmocka_unit_test(test_null_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
