/* Unit tests for src/report/text.c: report_wrap on short and long words, indents, a cursor
 * already inside the line, UTF-8 column counting, explicit newlines and empty text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "base/buf.h"
#include "report/text.h"

static void test_wrap(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int col, indent, width;
        const char *out;
    } cases[] = {
        { "", 0, 2, 20, "\n" },
        { "one", 0, 2, 20, "  one\n" },
        { "one two three four five", 0, 2, 14, "  one two\n  three four\n  five\n" },
        { "  spaced   out  ", 0, 0, 40, "spaced out\n" },
        { "a b", 0, 0, 3, "a b\n" },
        /* the width is at least indent + 10 */
        { "abcdefghijklmnop q", 0, 0, 5, "abcdefghijklmnop\nq\n" },
        /* a word longer than the line gets a line of its own, unbroken */
        { "x averyveryverylongword y", 0, 1, 12, " x\n averyveryverylongword\n y\n" },
        /* continuing from column 10: the first line has 10 columns less */
        { "aaa bbb ccc", 10, 4, 18, "aaa bbb\n    ccc\n" },
        /* cursor before the indent: padded up to it */
        { "aaa", 1, 4, 20, "   aaa\n" },
        /* "§" is one column although two bytes */
        { "§§§§§ §§§§", 0, 0, 10, "§§§§§ §§§§\n" },
        { "§§§§§ §§§§§", 0, 0, 10, "§§§§§\n§§§§§\n" },
        /* newlines start lines; an empty line stays */
        { "ab\n\ncd", 0, 2, 20, "  ab\n\n  cd\n" },
        { "ab\n", 0, 0, 20, "ab\n" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, NULL);
        report_wrap(&b, cases[i].in, cases[i].col, cases[i].indent, cases[i].width);
        buf_putc(&b, '\0');
        if (strcmp(b.p, cases[i].out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, b.p, cases[i].out);
        buf_free(&b);
    }
}

static void test_wrap_null(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    report_wrap(&b, NULL, 0, 2, 20);
    assert_int_equal(b.len, 1);
    assert_memory_equal(b.p, "\n", 1);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_wrap_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
