/* Unit tests for src/report/codes.c and codes_table.c: the table against the IANA registry list
 * below (every code once, sorted, registered phrase), non-empty texts, look-ups, the class
 * fallback for unregistered codes, and the metrics lines and JSON fields against
 * metrics_category(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "base/buf.h"
#include "metrics/metrics.h"
#include "report/codes.h"

/* The reference: the IANA "Session Initiation Protocol (SIP) Parameters" registry, sub-registry
 * "Response Codes" (https://www.iana.org/assignments/sip-parameters), code and description as
 * registered. Snapshot: the registry after its latest registration known to us, 425 Bad Alert
 * Message (RFC 8876, 2020): 75 codes, 50 from RFC 3261 and 25 from later RFCs. The live page
 * could not be fetched where this list was written, so it was rebuilt code by code from the
 * registering RFCs and cross-checked against independent implementations' tables. Not in the
 * registry, and so absent: 409 Conflict and 411 Length Required (RFC 2543 only). Note the
 * RFC 8224 phrases of 436 and 437 and the "(Deprecated)" suffix the registry gives 202. */
static const struct {
    unsigned code;
    const char *desc;
} registry[] = {
    { 100, "Trying" },
    { 180, "Ringing" },
    { 181, "Call Is Being Forwarded" },
    { 182, "Queued" },
    { 183, "Session Progress" },
    { 199, "Early Dialog Terminated" },
    { 200, "OK" },
    { 202, "Accepted (Deprecated)" },
    { 204, "No Notification" },
    { 300, "Multiple Choices" },
    { 301, "Moved Permanently" },
    { 302, "Moved Temporarily" },
    { 305, "Use Proxy" },
    { 380, "Alternative Service" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 402, "Payment Required" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" },
    { 407, "Proxy Authentication Required" },
    { 408, "Request Timeout" },
    { 410, "Gone" },
    { 412, "Conditional Request Failed" },
    { 413, "Request Entity Too Large" },
    { 414, "Request-URI Too Long" },
    { 415, "Unsupported Media Type" },
    { 416, "Unsupported URI Scheme" },
    { 417, "Unknown Resource-Priority" },
    { 420, "Bad Extension" },
    { 421, "Extension Required" },
    { 422, "Session Interval Too Small" },
    { 423, "Interval Too Brief" },
    { 424, "Bad Location Information" },
    { 425, "Bad Alert Message" },
    { 428, "Use Identity Header" },
    { 429, "Provide Referrer Identity" },
    { 430, "Flow Failed" },
    { 433, "Anonymity Disallowed" },
    { 436, "Bad Identity Info" },
    { 437, "Unsupported Credential" },
    { 438, "Invalid Identity Header" },
    { 439, "First Hop Lacks Outbound Support" },
    { 440, "Max-Breadth Exceeded" },
    { 469, "Bad Info Package" },
    { 470, "Consent Needed" },
    { 480, "Temporarily Unavailable" },
    { 481, "Call/Transaction Does Not Exist" },
    { 482, "Loop Detected" },
    { 483, "Too Many Hops" },
    { 484, "Address Incomplete" },
    { 485, "Ambiguous" },
    { 486, "Busy Here" },
    { 487, "Request Terminated" },
    { 488, "Not Acceptable Here" },
    { 489, "Bad Event" },
    { 491, "Request Pending" },
    { 493, "Undecipherable" },
    { 494, "Security Agreement Required" },
    { 500, "Server Internal Error" },
    { 501, "Not Implemented" },
    { 502, "Bad Gateway" },
    { 503, "Service Unavailable" },
    { 504, "Server Time-out" },
    { 505, "Version Not Supported" },
    { 513, "Message Too Large" },
    { 555, "Push Notification Service Not Supported" },
    { 580, "Precondition Failure" },
    { 600, "Busy Everywhere" },
    { 603, "Decline" },
    { 604, "Does Not Exist Anywhere" },
    { 606, "Not Acceptable" },
    { 607, "Unwanted" },
    { 608, "Rejected" },
};
#define NREG (sizeof(registry) / sizeof(registry[0]))

static bool registered(unsigned code)
{
    for (size_t i = 0; i < NREG; i++)
        if (registry[i].code == code)
            return true;
    return false;
}

/* b's contents as a C string (b keeps ownership). */
static const char *cstr(struct buf *b)
{
    buf_putc(b, '\0');
    b->len--;
    return b->p;
}

static void test_registry(void **state)
{
    (void)state;
    assert_int_equal(NREG, 75);
    for (size_t i = 1; i < NREG; i++)
        assert_true(registry[i - 1].code < registry[i].code);
    size_t n;
    const struct code_info *t = codes_table(&n);
    assert_int_equal(n, NREG);
    for (size_t i = 0; i < n; i++) {
        char name[80];
        snprintf(name, sizeof(name), "%s%s", t[i].name, t[i].deprecated ? " (Deprecated)" : "");
        if (t[i].code != registry[i].code || strcmp(name, registry[i].desc) != 0)
            fail_msg("entry %zu: table has %u \"%s\", registry %u \"%s\"", i, t[i].code, name,
                     registry[i].code, registry[i].desc);
    }
}

/* Sentences in s: a '.' followed by a space or the end (our texts avoid "e.g."). */
static int sentences(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '.' && (p[1] == ' ' || p[1] == '\0'))
            n++;
    return n;
}

static void test_entries(void **state)
{
    (void)state;
    size_t n;
    const struct code_info *t = codes_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct code_info *c = &t[i];
        assert_non_null(c->name);
        assert_non_null(c->rfc);
        assert_non_null(c->meaning);
        assert_non_null(c->causes);
        if (strncmp(c->rfc, "RFC ", 4) != 0)
            fail_msg("%u: rfc \"%s\"", c->code, c->rfc);
        if (strlen(c->meaning) < 20 || strlen(c->causes) < 20)
            fail_msg("%u: meaning or causes too short", c->code);
        if (sentences(c->meaning) < 1 || sentences(c->meaning) > 3)
            fail_msg("%u: meaning has %d sentences", c->code, sentences(c->meaning));
        if (c->note && strlen(c->note) < 20)
            fail_msg("%u: note too short", c->code);
        /* RFC 3261 codes cite their §21 section, which matches the class */
        if (strncmp(c->rfc, "RFC 3261 §21.", strlen("RFC 3261 §21.")) == 0) {
            unsigned sec = (unsigned)(c->rfc[strlen("RFC 3261 §21.")] - '0');
            assert_int_equal(sec, c->code / 100);
        }
    }
    /* a spot check of sections: 487 and 488 are §21.4.25 and §21.4.26 */
    assert_string_equal(codes_find(487)->rfc, "RFC 3261 §21.4.25");
    assert_string_equal(codes_find(488)->rfc, "RFC 3261 §21.4.26");
    assert_true(codes_find(202)->deprecated);
}

static void test_find(void **state)
{
    (void)state;
    for (unsigned code = 0; code < 1000; code++) {
        const struct code_info *c = codes_find(code);
        if (registered(code)) {
            assert_non_null(c);
            assert_int_equal(c->code, code);
        } else if (c) {
            fail_msg("%u found but not registered", code);
        }
    }
    assert_string_equal(codes_class_name(4), "request failure");
    assert_null(codes_class_name(0));
    assert_null(codes_class_name(7));
}

/* Every line of s fits 80 columns (UTF-8 characters, not bytes). */
static void assert_fits(const char *s, unsigned code)
{
    unsigned col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n') {
            col = 0;
        } else if ((*p & 0xC0) != 0x80 && ++col > 80) {
            fail_msg("%u: a line passes 80 columns", code);
        }
    }
}

static void test_explain_all(void **state)
{
    (void)state;
    for (unsigned code = 0; code < 1000; code++) {
        struct buf b;
        buf_init(&b, NULL);
        int st = codes_explain(&b, code);
        if (code < 100 || code > 699) {
            assert_int_equal(st, CODES_INVALID);
            assert_int_equal(b.len, 0);
        } else {
            assert_int_equal(st, registered(code) ? CODES_KNOWN : CODES_CLASS);
            const char *s = cstr(&b);
            char head[16];
            snprintf(head, sizeof(head), "%u ", code);
            assert_true(strncmp(s, head, strlen(head)) == 0);
            assert_fits(s, code);
            assert_non_null(strstr(s, "In sipsleuth's metrics\n"));
        }
        buf_free(&b);
    }
}

static void test_explain_text(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    assert_int_equal(codes_explain(&b, 487), CODES_KNOWN);
    const char *s = cstr(&b);
    assert_non_null(
        strstr(s, "487 Request Terminated\n  RFC 3261 §21.4.25; 4xx request failure\n"));
    assert_non_null(strstr(s, "\nMeaning\n  "));
    assert_non_null(strstr(s, "\nTypical causes\n  "));
    assert_non_null(strstr(s, "\nProtocol notes\n  "));
    assert_non_null(strstr(s, "CANCELED (ERROR in the CallMeter-compatible mode)"));
    buf_free(&b);

    buf_init(&b, NULL);
    assert_int_equal(codes_explain(&b, 202), CODES_KNOWN);
    assert_non_null(strstr(cstr(&b), "202 Accepted (deprecated)\n"));
    buf_free(&b);

    buf_init(&b, NULL);
    assert_int_equal(codes_explain(&b, 180), CODES_KNOWN);
    s = cstr(&b);
    assert_non_null(strstr(s, "Never a final code"));
    assert_non_null(strstr(s, metrics_category_name(metrics_category(0, false))));
    buf_free(&b);
}

static void test_class_fallback(void **state)
{
    (void)state;
    static const struct {
        unsigned code;
        const char *want[3];
    } cases[] = {
        { 150, { "150 (not in the IANA", "183 Session Progress", "1xx provisional" } },
        { 299, { "299 (not in the IANA", "200 OK", "SUCCESS" } },
        { 399, { "399 (not in the IANA", "300 Multiple Choices", "REDIRECTED" } },
        { 499, { "499 (not in the IANA", "400 Bad Request", "408, 480 as TIMEOUT" } },
        { 599, { "599 (not in the IANA", "500 Server Internal Error", "ERROR" } },
        { 699, { "699 (not in the IANA", "600 Busy Everywhere", "600, 603 as REJECTED" } },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, NULL);
        assert_int_equal(codes_explain(&b, cases[i].code), CODES_CLASS);
        const char *s = cstr(&b);
        for (size_t k = 0; k < 3; k++)
            if (!strstr(s, cases[i].want[k]))
                fail_msg("%u: \"%s\" missing from:\n%s", cases[i].code, cases[i].want[k], s);
        buf_free(&b);
    }
}

/* The JSON object of code holds "key":value. */
static bool json_has(unsigned code, const char *key, const char *value)
{
    struct buf b;
    buf_init(&b, NULL);
    (void)codes_explain_json(&b, code);
    char want[128];
    snprintf(want, sizeof(want), "\"%s\":%s", key, value);
    bool found = strstr(cstr(&b), want) != NULL;
    buf_free(&b);
    return found;
}

static void test_json_metrics(void **state)
{
    (void)state;
    for (unsigned code = 100; code < 700; code++) {
        char cat[32], catm[32];
        bool final = code >= 200;
        enum call_category c = metrics_category((uint16_t)code, false);
        snprintf(cat, sizeof(cat), final ? "\"%s\"" : "null", metrics_category_name(c));
        snprintf(catm, sizeof(catm), final ? "\"%s\"" : "null",
                 metrics_category_name(metrics_category((uint16_t)code, true)));
        bool asr = final && c == CAT_SUCCESS;
        bool ner = final && (c == CAT_SUCCESS || c == CAT_TIMEOUT);
        if (!json_has(code, "category", cat) || !json_has(code, "category_callmeter", catm) ||
            !json_has(code, "asr", asr ? "true" : "false") ||
            !json_has(code, "ner", ner ? "true" : "false") ||
            !json_has(code, "registered", registered(code) ? "true" : "false"))
            fail_msg("%u: JSON metrics fields disagree with metrics_category", code);
    }
    assert_true(json_has(487, "name", "\"Request Terminated\""));
    assert_true(json_has(499, "name", "null"));
    assert_true(json_has(499, "class", "\"4xx\""));
    struct buf b;
    buf_init(&b, NULL);
    assert_int_equal(codes_explain_json(&b, 700), CODES_INVALID);
    assert_int_equal(codes_explain_json(&b, 99), CODES_INVALID);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* Occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static void test_lists(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, NULL);
    codes_list(&b);
    const char *s = cstr(&b);
    assert_int_equal(count(s, "\n"), NREG);
    assert_non_null(strstr(s, "487  Request Terminated "));
    buf_free(&b);

    for (unsigned cls = 1; cls <= 6; cls++) {
        buf_init(&b, NULL);
        codes_list_class(&b, cls);
        s = cstr(&b);
        for (size_t i = 0; i < NREG; i++) {
            char line[64];
            snprintf(line, sizeof(line), "\n%u  ", registry[i].code);
            assert_true((strstr(s, line) != NULL) == (registry[i].code / 100 == cls));
        }
        assert_fits(s, cls);
        buf_free(&b);

        buf_init(&b, NULL);
        codes_list_json(&b, cls);
        s = cstr(&b);
        size_t want = 0;
        for (size_t i = 0; i < NREG; i++)
            want += registry[i].code / 100 == cls;
        assert_int_equal(count(s, "{\"code\":"), want);
        buf_free(&b);
    }
    buf_init(&b, NULL);
    codes_list_class(&b, 7);
    assert_int_equal(b.len, 0);
    codes_list_json(&b, 0);
    s = cstr(&b);
    assert_int_equal(count(s, "{\"code\":"), NREG);
    assert_true(s[0] == '[' && strcmp(s + strlen(s) - 3, "\n]\n") == 0);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),     cmocka_unit_test(test_entries),
        cmocka_unit_test(test_find),         cmocka_unit_test(test_explain_all),
        cmocka_unit_test(test_explain_text), cmocka_unit_test(test_class_fallback),
        cmocka_unit_test(test_json_metrics), cmocka_unit_test(test_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
