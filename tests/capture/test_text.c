/* The text-trace reader (capture/text*.c) case by case: where a message ends (Content-Length
 * that fits the text as it is or in CRLF bytes, a wrong one, none, message/sipfrag bodies,
 * announced lengths), what is noise, escapes, times (dated, anchored, midnight), addresses
 * (IPv4, IPv6 in each shape's spelling), cut blocks, and detection past leading noise. Each
 * input is read from memory directly and in small pieces; both must give the same frames. */
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

#include <stdio.h>

#include "capture/capture.h"

#define MAXF 8

struct got {
    int open_rc, end_rc;
    int n;
    char *msg[MAXF];
    size_t len[MAXF];
    struct cap_frame fr[MAXF];
    struct cap_meta meta[MAXF];
    struct cap_stats st;
};

static void got_free(struct got *g)
{
    for (int i = 0; i < g->n && i < MAXF; i++)
        free(g->msg[i]);
}

static void read_text(const char *text, size_t len, bool pieces, struct got *g)
{
    memset(g, 0, sizeof(*g));
    struct cap_open_opts o = { .no_mmap = pieces };
    struct cap_file *cf = NULL;
    char err[256];
    g->open_rc = cap_open_mem(text, len, "t.txt", &o, &cf, err, sizeof(err));
    if (g->open_rc)
        return;
    assert_int_equal(cap_file_format(cf), CAP_FMT_SIP_TEXT);
    struct cap_frame f;
    int rc;
    while ((rc = cap_next(cf, &f)) > 0) {
        if (g->n < MAXF) {
            g->msg[g->n] = malloc(f.caplen + 1);
            memcpy(g->msg[g->n], f.data, f.caplen);
            g->msg[g->n][f.caplen] = '\0';
            g->len[g->n] = f.caplen;
            g->fr[g->n] = f;
            g->meta[g->n] = *f.meta;
        }
        g->n++;
    }
    g->end_rc = rc;
    g->st = *cap_file_stats(cf);
    cap_close(cf);
}

/* Read both ways; they must agree. The direct result is returned in g. */
static void read_both(const char *text, struct got *g)
{
    struct got b;
    read_text(text, strlen(text), false, g);
    read_text(text, strlen(text), true, &b);
    assert_int_equal(g->open_rc, b.open_rc);
    assert_int_equal(g->n, b.n);
    for (int i = 0; i < g->n && i < MAXF; i++) {
        assert_int_equal(g->len[i], b.len[i]);
        assert_memory_equal(g->msg[i], b.msg[i], g->len[i]);
        assert_int_equal(g->fr[i].ts_ns, b.fr[i].ts_ns);
        assert_int_equal(g->fr[i].offset, b.fr[i].offset);
        assert_memory_equal(&g->meta[i], &b.meta[i], sizeof(g->meta[i]));
    }
    assert_memory_equal(&g->st, &b.st, sizeof(g->st));
    got_free(&b);
}

#define OPT    "OPTIONS sip:b@example.com SIP/2.0\r\nCall-ID: o1\r\nCSeq: 1 OPTIONS\r\n"
#define OK200  "SIP/2.0 200 OK\r\nCall-ID: o1\r\nCSeq: 1 OPTIONS\r\n"
#define NOTIFY "NOTIFY sip:a@example.com SIP/2.0\r\nCall-ID: r1\r\nCSeq: 3 NOTIFY\r\n"

/* Where bare messages end. */
static void test_message_ends(void **state)
{
    (void)state;
    static const struct {
        const char *what, *text;
        int n;
        const char *m[3];
        enum cap_stat stat;
        uint64_t count;
    } cases[] = {
        { "Content-Length right: the noise after it is skipped",
          OPT "Content-Length: 4\r\n\r\nabcd\r\n-- noise --\r\n" OK200 "Content-Length: 0\r\n\r\n",
          2,
          { OPT "Content-Length: 4\r\n\r\nabcd", OK200 "Content-Length: 0\r\n\r\n" },
          CAP_STAT_TEXT_NOISE_LINES,
          1 },
        { "LF text, Content-Length in CRLF bytes",
          "OPTIONS sip:b@example.com SIP/2.0\nCall-ID: o1\nContent-Length: 15\n\nv=0\ns=-\nt=0\n"
          "SIP/2.0 200 OK\nCall-ID: o1\nContent-Length: 0\n\n",
          2,
          { "OPTIONS sip:b@example.com SIP/2.0\nCall-ID: o1\nContent-Length: 15\n\nv=0\ns=-\nt=0\n",
            "SIP/2.0 200 OK\nCall-ID: o1\nContent-Length: 0\n\n" },
          CAP_STAT_TEXT_CL_IGNORED,
          0 },
        { "Content-Length too big: the next start line ends it",
          OPT "Content-Length: 999\r\n\r\nabcd\r\n\r\n" OK200 "Content-Length: 0\r\n\r\n",
          2,
          { OPT "Content-Length: 999\r\n\r\nabcd\r\n", OK200 "Content-Length: 0\r\n\r\n" },
          CAP_STAT_TEXT_CL_IGNORED,
          1 },
        { "no Content-Length: up to the next start line, blank lines dropped",
          OPT "\r\nline one\r\nline two\r\n\r\n\r\n" OK200 "\r\n",
          2,
          { OPT "\r\nline one\r\nline two\r\n", OK200 "\r\n" },
          CAP_STAT_TEXT_NOISE_LINES,
          0 },
        { "message/sipfrag body that looks like a start line, Content-Length right",
          NOTIFY "Content-Type: message/sipfrag\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n"
                 "\r\n" OK200 "Content-Length: 0\r\n\r\n",
          2,
          { NOTIFY "Content-Type: message/sipfrag\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n",
            OK200 "Content-Length: 0\r\n\r\n" },
          CAP_STAT_TEXT_CL_IGNORED,
          0 },
        { "sipfrag body without its final CRLF, Content-Length right",
          NOTIFY "Content-Length: 14\r\n\r\nSIP/2.0 100 Trying\n" OK200 "\r\n",
          3, /* 14 bytes end inside the line: not on a line boundary, so the fit fails */
          { NOTIFY "Content-Length: 14\r\n\r\n", "SIP/2.0 100 Trying\n", OK200 "\r\n" },
          CAP_STAT_TEXT_CL_IGNORED,
          1 },
        { "body without line end, exact",
          OPT "Content-Length: 3\r\n\r\nabc\n" OK200 "\r\n",
          2,
          { OPT "Content-Length: 3\r\n\r\nabc", OK200 "\r\n" },
          CAP_STAT_TEXT_CL_IGNORED,
          0 },
        { "a start line alone is a message; compact l: header",
          "SIP/2.0 100 Trying\r\n\r\nINVITE sip:x@example.com SIP/2.0\r\nl: 0\r\n\r\n",
          2,
          { "SIP/2.0 100 Trying\r\n\r\n", "INVITE sip:x@example.com SIP/2.0\r\nl: 0\r\n\r\n" },
          CAP_STAT_TEXT_NOISE_LINES,
          0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct got g;
        read_both(cases[i].text, &g);
        if (g.open_rc != 0 || g.n != cases[i].n)
            fail_msg("%s: open %d, %d messages", cases[i].what, g.open_rc, g.n);
        for (int k = 0; k < g.n; k++)
            if (strcmp(g.msg[k], cases[i].m[k]) != 0)
                fail_msg("%s: message %d is\n[%s]", cases[i].what, k + 1, g.msg[k]);
        if (g.st.n[cases[i].stat] != cases[i].count)
            fail_msg("%s: counter %llu", cases[i].what, (unsigned long long)g.st.n[cases[i].stat]);
        assert_true(g.meta[0].flags & CAP_F_NO_TIME);
        assert_true(g.meta[0].flags & CAP_F_NO_ADDR);
        got_free(&g);
    }
}

/* One-line logs: rsyslog's octal escapes, C-style escapes (journald JSON, docker). */
static void test_escaped(void **state)
{
    (void)state;
    struct got g;
    read_both("Mar  3 07:00:01 px kamailio[9]: got #012OPTIONS sip:b@example.com SIP/2.0#015#012"
              "Call-ID: e1#015#012Content-Length: 2#015#012#015#012ok#015#012#012\n"
              "{\"log\":\"SIP/2.0 200 OK\\r\\nCall-ID: e1\\r\\nFrom: \\\"B\\\" <sip:b@x>\\r\\n"
              "Content-Length: 0\\r\\n\\r\\n\",\"stream\":\"stdout\"}\n",
              &g);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.msg[0], "OPTIONS sip:b@example.com SIP/2.0\r\nCall-ID: e1\r\n"
                                  "Content-Length: 2\r\n\r\nok");
    assert_string_equal(g.msg[1], "SIP/2.0 200 OK\r\nCall-ID: e1\r\nFrom: \"B\" <sip:b@x>\r\n"
                                  "Content-Length: 0\r\n\r\n");
    /* syslog without a year: 1970-03-03 07:00:01, flagged */
    assert_int_equal(g.fr[0].ts_ns, (int64_t)(61 * 86400 + 7 * 3600 + 1) * 1000000000);
    assert_true(g.meta[0].flags & CAP_F_NO_DATE);
    assert_true(g.meta[1].flags & CAP_F_NO_TIME);
    assert_int_equal(g.st.n[CAP_STAT_TEXT_UNESCAPED], 2);
    assert_int_equal(g.st.n[CAP_STAT_TEXT_SHAPE_ESCAPED], 2);
    got_free(&g);
    /* a start line inside a log line with no headers after it is not a message */
    read_both("Mar  3 07:00:01 px app[9]: forwarded SIP/2.0 200 OK to the caller\n"
              "Mar  3 07:00:02 px app[9]: done\n" OPT "\r\n",
              &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.st.n[CAP_STAT_TEXT_NOT_SIP], 1);
    got_free(&g);
}

#define FS_SEP "   ------------------------------------------------------------------------\n"

/* Times of day: dated by the log's dated lines, else anchored and flagged; midnight passes. */
static void test_times(void **state)
{
    (void)state;
    struct got g;
    read_both("recv 50 bytes from udp/[192.0.2.5]:5060 at 23:59:59.500000:\n" FS_SEP
              "   OPTIONS sip:b@example.com SIP/2.0\n   Call-ID: t1\n   \n" FS_SEP
              "2024-02-29 23:59:59.900000 [DEBUG] sofia.c:1 something\n"
              "send 31 bytes to udp/[2001:db8::5]:5070 at 00:00:00.250000:\n" FS_SEP
              "   SIP/2.0 200 OK\n   Call-ID: t1\n   \n" FS_SEP,
              &g);
    assert_int_equal(g.n, 2);
    int64_t day = 86400LL * 1000000000;
    assert_int_equal(g.fr[0].ts_ns, day - 500000000);
    assert_true(g.meta[0].flags & CAP_F_NO_DATE);
    /* 2024-03-01 00:00:00.25: the dated line said Feb 29, the time went back: next day */
    assert_int_equal(g.fr[1].ts_ns, 19783 * day + 250000000);
    assert_false(g.meta[1].flags & CAP_F_NO_DATE);
    assert_int_equal(g.meta[0].src.family, 4);
    assert_int_equal(g.meta[0].src.port, 5060);
    assert_int_equal(g.meta[0].dst.family, 0);
    assert_int_equal(g.meta[1].dst.family, 6);
    assert_int_equal(g.meta[1].dst.port, 5070);
    assert_int_equal(g.meta[1].transport, CAP_TP_UDP);
    assert_int_equal(g.st.n[CAP_STAT_TEXT_ANNOUNCED], 2);
    assert_int_equal(g.fr[1].offset, strlen("recv 50 bytes from udp/[192.0.2.5]:5060 at "
                                            "23:59:59.500000:\n" FS_SEP
                                            "   OPTIONS sip:b@example.com SIP/2.0\n   Call-ID: "
                                            "t1\n   \n" FS_SEP "2024-02-29 23:59:59.900000 "
                                            "[DEBUG] sofia.c:1 something\n"));
    got_free(&g);
    /* an RFC 3339 offset is taken away: 12:00+02:00 is 10:00 UTC */
    read_both("2024-01-15T12:00:00.5+02:00 h k[1]: OPTIONS sip:b@example.com SIP/2.0\n"
              "Call-ID: z\n\n",
              &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.fr[0].ts_ns, (19737 * 86400LL + 36000) * 1000000000 + 500000000);
    got_free(&g);
}

/* Addresses in each shape's spelling, and blocks cut before their end marker. */
static void test_addresses_and_cut_blocks(void **state)
{
    (void)state;
    struct got g;
    read_both("<--- SIP read from TCP:[2001:db8::7]:5062 --->\n" OPT "\r\n"
              "<--- Received SIP request (70 bytes) from WS:198.51.100.3:8088 --->\n" OPT "\r\n"
              "T 2001:db8::1:5060 -> 2001:db8::2:5060 [AP] #4\n"
              "  SIP/2.0 200 OK..Call-ID: o1..CSeq: 1 OPTIONS....\n"
              "recv 10 bytes from tls/[203.0.113.9]:5061 at 10:00:00.000000:\n" FS_SEP
              "   SIP/2.0 180 Ringing\n   Call-ID: cut\n",
              &g);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.meta[0].src.family, 6);
    assert_int_equal(g.meta[0].src.port, 5062);
    assert_int_equal(g.meta[0].transport, CAP_TP_TCP);
    assert_int_equal(g.meta[1].transport, CAP_TP_WS);
    assert_int_equal(g.meta[2].src.family, 6);
    assert_int_equal(g.meta[2].dst.port, 5060);
    assert_int_equal(g.meta[2].transport, CAP_TP_TCP);
    assert_int_equal(g.meta[3].transport, CAP_TP_TLS);
    assert_string_equal(g.msg[3], "SIP/2.0 180 Ringing\nCall-ID: cut\n");
    got_free(&g);
}

/* ngrep -W single: the payload on the header line; dots in runs of odd length. */
static void test_ngrep_single(void **state)
{
    (void)state;
    struct got g;
    read_both("U 192.0.2.1:5060 -> 192.0.2.2:5060 OPTIONS sip:b@example.com SIP/2.0..Call-ID: "
              "n1..Subject: wait...Content-Length: 0....\n",
              &g);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.msg[0], "OPTIONS sip:b@example.com SIP/2.0\r\nCall-ID: n1\r\n"
                                  "Subject: wait.\r\nContent-Length: 0\r\n\r\n");
    got_free(&g);
}

/* Detection looks past a long preamble; text with no SIP at all, or SIP after binary bytes, is
 * not an input. */
static void test_detection(void **state)
{
    (void)state;
    size_t pre = 100000;
    char *t = malloc(pre + 200);
    memset(t, 'x', pre);
    for (size_t i = 79; i < pre; i += 80)
        t[i] = '\n';
    t[pre - 1] = '\n';
    snprintf(t + pre, 200, "%s", OPT "\r\n");
    struct got g;
    read_both(t, &g);
    assert_int_equal(g.open_rc, 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.st.n[CAP_STAT_TEXT_NOISE_LINES], pre / 80);
    assert_int_equal(g.st.n[CAP_STAT_TEXT_NOISE_BYTES], pre);
    assert_int_equal(g.fr[0].offset, pre);
    got_free(&g);
    t[pre] = '\0';
    read_text(t, pre, false, &g);
    assert_int_equal(g.open_rc, ERR_FORMAT);
    /* binary records around SIP payloads (a capture format we do not read): not a trace */
    memset(t, 0, 64);
    t[63] = '\n';
    snprintf(t + 64, 200, "%s", OPT "\r\n");
    read_text(t, 64 + strlen(OPT "\r\n"), false, &g);
    assert_int_equal(g.open_rc, ERR_FORMAT);
    free(t);
}

/* A line far longer than the window and garbage bytes: read through, nothing over-read. */
static void test_hostile(void **state)
{
    (void)state;
    size_t big = (16u << 20) + 100;
    char *t = malloc(big + 100);
    memcpy(t, OPT "\r\n", strlen(OPT "\r\n"));
    size_t k = strlen(OPT "\r\n");
    memset(t + k, 'A', big - k);
    memcpy(t + big, "\n" OK200 "\r\n", strlen("\n" OK200 "\r\n") + 1);
    struct got g;
    read_both(t, &g);
    assert_int_equal(g.open_rc, 0);
    assert_int_equal(g.end_rc, 0);
    assert_int_equal(g.n, 1); /* the first message runs into the huge line: over the limit */
    assert_int_equal(g.st.n[CAP_STAT_TEXT_OVERSIZED], 1);
    assert_string_equal(g.msg[0], OK200 "\r\n");
    got_free(&g);
    free(t);
    static const char junk[] = "<--- SIP read from UDP:1.2.3.4:5060 --->\n\x00\x01\xff\n"
                               "recv 9 bytes from udp/[x]:1 at 99:99:99.0:\n"
                               "U 1.2.3.4:99999 -> 1.2.3.4:5 #1\n====================\ntag: ";
    read_text(junk, sizeof(junk) - 1, false, &g);
    assert_int_equal(g.open_rc, 0);
    assert_int_equal(g.n, 0);
    got_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_ends), cmocka_unit_test(test_escaped),
        cmocka_unit_test(test_times),        cmocka_unit_test(test_addresses_and_cut_blocks),
        cmocka_unit_test(test_ngrep_single), cmocka_unit_test(test_detection),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
