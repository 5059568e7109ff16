/* Unit tests for src/base: string views, arena, hash table, output escaping, time formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/htab.h"
#include "base/sv.h"
#include "base/timefmt.h"
#include "support/guard.h"

static void test_sv_to_u32(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        uint32_t val;
    } cases[] = {
        { "0", 0, 0 },
        { "0070", 0, 70 },
        { "4294967295", 0, 4294967295u },
        { "4294967296", ERR_LIMIT, 0 },
        { "99999999999999999999999", ERR_LIMIT, 0 },
        { "", ERR_PARSE, 0 },
        { "-1", ERR_PARSE, 0 },
        { "12a", ERR_PARSE, 0 },
        { "99999999999999999999999x", ERR_PARSE, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(cases[i].in);
        char *g = guard_copy(cases[i].in, n);
        uint32_t v = 12345;
        assert_int_equal(sv_to_u32(sv_make(g, n), &v), cases[i].rc);
        if (cases[i].rc == 0)
            assert_int_equal(v, cases[i].val);
        guard_free(g);
    }
}

static void test_sv_find_trim_split(void **state)
{
    (void)state;
    sv_t v = SV("  Call-ID : abc \r\n");
    assert_true(sv_eq(sv_trim(v), SV("Call-ID : abc")));
    assert_int_equal(sv_find(SV("abcabd"), SV("abd")), 3);
    assert_int_equal(sv_find(SV("abc"), SV("abcd")), 3);
    assert_int_equal(sv_ifind(SV("xxBrAnCh=1"), SV("branch")), 2);
    sv_t head, rest = sv_split(SV("a=b"), '=', &head);
    assert_true(sv_eq(head, SV("a")) && sv_eq(rest, SV("b")));
    rest = sv_split(SV("ab"), '=', &head);
    assert_true(sv_eq(head, SV("ab")) && rest.len == 0);
    assert_true(sv_ieq(SV("VIA"), SV("via")));
    assert_int_equal(sv_ihash(SV("VIA")), sv_ihash(SV("via")));
    assert_int_not_equal(sv_hash(SV("a")), sv_hash(SV("b")));
}

static void test_arena_budget(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 1024, 4096);
    int got = 0;
    while (arena_alloc(&a, 100))
        got++;
    assert_true(got >= 30 && got <= 41);
    assert_int_equal(a.refused, 1);
    assert_true(a.reserved <= 4096);
    arena_reset(&a);
    assert_non_null(arena_alloc(&a, 100));
    sv_t d = arena_dup(&a, SV("hello"));
    assert_true(sv_eq(d, SV("hello")));
    arena_free(&a);
}

static int eq_int(const void *val, const void *key)
{
    return *(const int *)val == *(const int *)key;
}

static void test_htab(void **state)
{
    (void)state;
    struct htab t;
    htab_init(&t, 4);
    int vals[1000];
    for (int i = 0; i < 1000; i++) {
        vals[i] = i;
        htab_insert(&t, (uint64_t)i % 37, &vals[i]); /* many collisions on purpose */
    }
    for (int i = 0; i < 1000; i += 2)
        assert_true(htab_remove(&t, (uint64_t)i % 37, &vals[i]));
    assert_int_equal(t.len, 500);
    for (int i = 0; i < 1000; i++) {
        int *v = htab_find(&t, (uint64_t)i % 37, eq_int, &i);
        if (i % 2)
            assert_ptr_equal(v, &vals[i]);
        else
            assert_null(v);
    }
    size_t it = 0, n = 0;
    while (htab_next(&t, &it))
        n++;
    assert_int_equal(n, 500);
    htab_free(&t);
}

static void check_esc(void (*fn)(struct buf *, sv_t), sv_t in, const char *want)
{
    struct buf b;
    buf_init(&b, NULL);
    fn(&b, in);
    buf_putc(&b, '\0');
    assert_string_equal(b.p, want);
    buf_free(&b);
}

static void test_escapes(void **state)
{
    (void)state;
    check_esc(buf_json_str, SV("a\"b\\c\r\n\x01"), "\"a\\\"b\\\\c\\r\\n\\u0001\"");
    check_esc(buf_json_str, SV("\xd0\xbd\xff"), "\"\xd0\xbd\\ufffd\"");
    check_esc(buf_text_safe, SV("ok\x1b[31mred\\"), "ok\\x1b[31mred\\\\");
    check_esc(buf_text_safe, SV("\xc2\x9b"), "\\xc2\\x9b");
    check_esc(buf_csv_field, SV("a,\"b\""), "\"a,\"\"b\"\"\"");
    check_esc(buf_csv_field, SV("=cmd()"), "\"'=cmd()\"");
    check_esc(buf_html, SV("<script>&'\""), "&lt;script&gt;&amp;&#39;&quot;");
}

static void test_time(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    buf_time_iso(&b, 1237299827123456789LL, 6);
    buf_putc(&b, '\0');
    assert_string_equal(b.p, "2009-03-17T14:23:47.123456Z");
    b.len = 0;
    buf_time_iso(&b, -1, 3);
    buf_putc(&b, '\0');
    assert_string_equal(b.p, "1969-12-31T23:59:59.999Z");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sv_to_u32),  cmocka_unit_test(test_sv_find_trim_split),
        cmocka_unit_test(test_arena_budget), cmocka_unit_test(test_htab),
        cmocka_unit_test(test_escapes),    cmocka_unit_test(test_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
