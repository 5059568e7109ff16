/* Unit tests for names.c: address text (RFC 5952 for IPv6), equality, counter, transport and
 * format names. */
/* cmocka.h needs these headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "capture/capture.h"

static struct cap_addr v6(const char *hex32, uint16_t port)
{
    struct cap_addr a = { .family = 6, .port = port };
    for (int i = 0; i < 16; i++) {
        unsigned v;
        char b[3] = { hex32[2 * i], hex32[2 * i + 1], 0 };
        v = (unsigned)strtoul(b, NULL, 16);
        a.ip[i] = (uint8_t)v;
    }
    return a;
}

static void test_addr_str(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        uint16_t port;
        const char *want;
    } cases[] = {
        { "20010db8000000000000000000000001", 5060, "[2001:db8::1]:5060" },
        { "00000000000000000000000000000000", 0, "[::]" },
        { "00000000000000000000000000000001", 1, "[::1]:1" },
        { "20010db8000000000001000000000001", 5, "[2001:db8::1:0:0:1]:5" }, /* first longest */
        { "20010db8000100000000000000000001", 5, "[2001:db8:1::1]:5" },
        { "20010db8000000010001000100010001", 5, "[2001:db8:0:1:1:1:1:1]:5" }, /* one zero */
        { "fd17625cf03700020a0027fffeb91521", 15060,
          "[fd17:625c:f037:2:a00:27ff:feb9:1521]:15060" },
        { "00000000000000000000ffffc0000201", 5060, "[::ffff:192.0.2.1]:5060" },
        { "20010db8aaaabbbbccccddddeeeeffff", 65535,
          "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535" },
        { "fe800000000000000000000000000000", 9, "[fe80::]:9" },
    };
    char buf[CAP_ADDR_STRLEN];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cap_addr a = v6(cases[i].hex, cases[i].port);
        size_t n = cap_addr_str(&a, buf, sizeof(buf));
        assert_string_equal(buf, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
    }
    struct cap_addr v4 = { .family = 4, .port = 5060, .ip = { 192, 168, 1, 254 } };
    cap_addr_str(&v4, buf, sizeof(buf));
    assert_string_equal(buf, "192.168.1.254:5060");
    v4.port = 0;
    cap_addr_str(&v4, buf, sizeof(buf));
    assert_string_equal(buf, "192.168.1.254");
    struct cap_addr none = { 0 };
    cap_addr_str(&none, buf, sizeof(buf));
    assert_string_equal(buf, "?");
    char small[8];
    struct cap_addr longest = v6("20010db8aaaabbbbccccddddeeeeffff", 65535);
    assert_int_equal(cap_addr_str(&longest, small, sizeof(small)), 7);
    assert_string_equal(small, "[2001:d");
}

static void test_addr_eq(void **state)
{
    (void)state;
    struct cap_addr a = { .family = 4, .port = 1, .ip = { 1, 2, 3, 4, 9 } };
    struct cap_addr b = { .family = 4, .port = 1, .ip = { 1, 2, 3, 4, 7 } }; /* junk past v4 */
    assert_true(cap_addr_eq(&a, &b));
    b.port = 2;
    assert_false(cap_addr_eq(&a, &b));
    struct cap_addr c = v6("20010db8000000000000000000000001", 1), d = c;
    assert_true(cap_addr_eq(&c, &d));
    d.ip[15] = 2;
    assert_false(cap_addr_eq(&c, &d));
    d = c;
    d.family = 4;
    assert_false(cap_addr_eq(&c, &d));
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(cap_transport_name(CAP_TP_UDP), "UDP");
    assert_string_equal(cap_transport_name(CAP_TP_SCTP), "SCTP");
    assert_string_equal(cap_transport_name(CAP_TP_WSS), "WSS");
    assert_string_equal(cap_transport_name((enum cap_transport)99), "unknown");
    assert_string_equal(cap_format_name(CAP_FMT_PCAPNG), "pcapng");
    assert_string_equal(cap_format_name(CAP_FMT_SIP_TEXT), "sip-text");
    assert_string_equal(cap_stat_name(CAP_STAT_FRAMES), "frames");
    assert_string_equal(cap_stat_name(CAP_STAT__COUNT), "unknown");
    /* names are unique and every counter is described */
    for (int i = 0; i < CAP_STAT__COUNT; i++) {
        assert_true(strlen(cap_stat_desc((enum cap_stat)i)) > 10);
        for (int j = i + 1; j < CAP_STAT__COUNT; j++)
            assert_string_not_equal(cap_stat_name((enum cap_stat)i),
                                    cap_stat_name((enum cap_stat)j));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_str),
        cmocka_unit_test(test_addr_eq),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
