/* Unit tests for src/sip/frame.c: sip_frame_len on stream bytes — complete, split and coalesced
 * messages, CRLF keep-alives, compact and folded Content-Length, missing/bad/conflicting/huge
 * lengths, non-SIP input — agreement with sip_parse in stream mode, and the real TCP streams of
 * three corpus captures, reassembled here, cut into exactly the messages tshark counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the four headers above */
#include <cmocka.h>

#include "sip_test.h"

static struct sip_msg msg;

#define MSG1 "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nContent-Length: 5\r\n\r\nhello"
#define MSG2 "SIP/2.0 200 OK\r\nl: 0\r\n\r\n"

struct fcase {
    const char *name;
    const char *in;
    int rc;
    size_t msg_len; /* when rc == 1 */
    size_t skip;
};

static const struct fcase cases[] = {
    { "one message", MSG1, 1, sizeof(MSG1) - 1, 0 },
    { "two coalesced messages", MSG1 MSG2, 1, sizeof(MSG1) - 1, 0 },
    { "second message alone", MSG2 MSG1, 1, sizeof(MSG2) - 1, 0 },
    { "keep-alive then message", "\r\n\r\n" MSG2, 1, sizeof(MSG2) - 1 + 4, 4 },
    { "keep-alives only", "\r\n\r\n\r\n", 0, 0, 6 },
    { "a lone LF keep-alive", "\n", 0, 0, 1 },
    { "compact, no space", "SIP/2.0 200 OK\r\nL:2\r\n\r\nab", 1, 25, 0 },
    { "space before colon, folded value", "SIP/2.0 200 OK\r\nContent-Length :\r\n 2\r\n\r\nab", 1,
      42, 0 },
    { "any case", "SIP/2.0 200 OK\r\ncontent-LENGTH: 2\r\n\r\nab", 1, 39, 0 },
    { "bare LF", "SIP/2.0 200 OK\nl: 2\n\nab", 1, 23, 0 },
    { "equal duplicates", "SIP/2.0 200 OK\r\nl: 2\r\nContent-Length: 2\r\n\r\nab", 1, 45, 0 },
    { "Content-Length inside another value",
      "SIP/2.0 200 OK\r\nX: Content-Length: 9\r\nl: 1\r\n\r\nab", 1, 47, 0 },
    { "Content-Length as a folded continuation is not a header",
      "SIP/2.0 200 OK\r\nX: a\r\n Content-Length: 9\r\nl: 1\r\n\r\nab", 1, 51, 0 },
    { "body incomplete", "SIP/2.0 200 OK\r\nl: 5\r\n\r\nab", 0, 0, 0 },
    { "headers incomplete", "SIP/2.0 200 OK\r\nl: 5\r\n", 0, 0, 0 },
    { "empty line half there", "SIP/2.0 200 OK\r\nl: 5\r\n\r", 0, 0, 0 },
    { "first line incomplete", "INVITE sip:a@b SI", 0, 0, 0 },
    { "largest Content-Length waits", "SIP/2.0 200 OK\r\nl: 4294967295\r\n\r\nab", 0, 0, 0 },
    { "Content-Length above 2^32-1", "SIP/2.0 200 OK\r\nl: 4294967296\r\n\r\nab", ERR_PARSE, 0, 0 },
    { "no Content-Length on a stream", "SIP/2.0 200 OK\r\nVia: x\r\n\r\n", ERR_PARSE, 0, 0 },
    { "negative Content-Length", "SIP/2.0 200 OK\r\nl: -1\r\n\r\n", ERR_PARSE, 0, 0 },
    { "non-numeric Content-Length", "SIP/2.0 200 OK\r\nl: bad\r\n\r\n", ERR_PARSE, 0, 0 },
    { "empty Content-Length", "SIP/2.0 200 OK\r\nl:\r\n\r\n", ERR_PARSE, 0, 0 },
    { "conflicting Content-Lengths (mcl01.dat)",
      "SIP/2.0 200 OK\r\nContent-Length: 13\r\nContent-Length: 5\r\n\r\nabcdefghijklm", ERR_PARSE,
      0, 0 },
    { "HTTP", "GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", ERR_PARSE, 0, 0 },
    { "TLS handshake, incomplete", "\x16\x03\x01\x00", ERR_PARSE, 0, 0 },
    { "NUL first", "\0INVITE", ERR_PARSE, 0, 0 },
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(cases); i++) {
        const struct fcase *c = &cases[i];
        size_t n = strlen(c->in);
        if (strcmp(c->name, "NUL first") == 0)
            n = 7;
        sv_t in = gsvn(c->in, n);
        size_t ml = 99, sk = 99;
        int rc = sip_frame_len(in.p, in.len, &ml, &sk);
        if (rc != c->rc)
            fail_msg("%s: rc %d, want %d", c->name, rc, c->rc);
        if (rc == 1 && ml != c->msg_len)
            fail_msg("%s: msg_len %zu, want %zu", c->name, ml, c->msg_len);
        if (rc >= 0 && sk != c->skip)
            fail_msg("%s: skip %zu, want %zu", c->name, sk, c->skip);
        if (rc == 1) {
            /* sip_parse in stream mode frames it the same way */
            assert_int_equal(sip_parse(&msg, in.p, ml, 0), (int)ml);
            assert_int_equal(msg.skipped, sk);
        }
        gfree(in);
    }
}

/* A message arriving byte by byte: 0 until the last byte, then 1. */
static void test_split(void **state)
{
    (void)state;
    sv_t f = gfile("tests/data/corpus/rfc4475/valid/wsinv.dat");
    for (size_t cut = 0; cut <= f.len; cut++) {
        sv_t in = gsvn(f.p, cut);
        size_t ml, sk;
        int rc = sip_frame_len(in.p, in.len, &ml, &sk);
        if (rc != (cut == f.len ? 1 : 0))
            fail_msg("wsinv cut at %zu: rc %d", cut, rc);
        if (rc == 1)
            assert_int_equal(ml, f.len);
        gfree(in);
    }
    gfree(f);
}

/* A stream of many messages with keep-alives between them is cut into exactly those messages. */
static void test_stream_walk(void **state)
{
    (void)state;
    static const char *const parts[] = { MSG1, "\r\n\r\n", MSG2, MSG1, "\r\n", MSG2 };
    char buf[1024];
    size_t n = 0;
    for (size_t i = 0; i < NELEM(parts); i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", parts[i]);
    sv_t in = gsvn(buf, n);
    size_t off = 0, got = 0, ml, sk;
    const size_t want[] = { sizeof(MSG1) - 1, sizeof(MSG2) - 1 + 4, sizeof(MSG1) - 1,
                            sizeof(MSG2) - 1 + 2 };
    while (off < n) {
        assert_int_equal(sip_frame_len(in.p + off, n - off, &ml, &sk), 1);
        assert_true(got < NELEM(want));
        assert_int_equal(ml, want[got]);
        got++;
        off += ml;
    }
    assert_int_equal(got, NELEM(want));
    gfree(in);
}

/* A 64 KiB body, as in suricata_large-body_tcp: framing does not read the body. */
static void test_large_body(void **state)
{
    (void)state;
    size_t body = 65536, head;
    char *buf = malloc(body + 256);
    head =
        (size_t)snprintf(buf, 256, "INVITE sip:a@b SIP/2.0\r\nContent-Length: %zu\r\n\r\n", body);
    memset(buf + head, 'x', body);
    sv_t cut = gsvn(buf, head + body - 1), in = gsvn(buf, head + body);
    size_t ml, sk;
    assert_int_equal(sip_frame_len(cut.p, cut.len, &ml, &sk), 0);
    assert_int_equal(sip_frame_len(in.p, in.len, &ml, &sk), 1);
    assert_int_equal(ml, head + body);
    gfree(cut);
    gfree(in);
    free(buf);
}

/* --- real TCP streams: a minimal in-order reassembler over classic Ethernet/IPv4 pcaps --- */

struct dir {
    uint32_t src, dst, next;
    uint16_t sport, dport;
    bool started;
    char *buf;
    size_t len, cap;
};

static uint32_t rd_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static struct dir *find_dir(struct dir *d, int *nd, const unsigned char *ip,
                            const unsigned char *tcp)
{
    uint32_t src = rd_be32(ip + 12), dst = rd_be32(ip + 16);
    uint16_t sp = (uint16_t)(tcp[0] << 8 | tcp[1]), dp = (uint16_t)(tcp[2] << 8 | tcp[3]);
    for (int i = 0; i < *nd; i++)
        if (d[i].src == src && d[i].dst == dst && d[i].sport == sp && d[i].dport == dp)
            return &d[i];
    assert_true(*nd < 64);
    d[*nd] = (struct dir){ .src = src, .dst = dst, .sport = sp, .dport = dp };
    return &d[(*nd)++];
}

/* Appends each segment's new bytes; retransmitted bytes are skipped, a gap fails the test. */
static void add_segment(struct dir *d, uint32_t seq, const unsigned char *p, size_t n)
{
    if (!d->started) {
        d->started = true;
        d->next = seq;
    }
    uint32_t skip = d->next - seq;
    assert_true((int32_t)(seq - d->next) <= 0); /* no gap in these captures */
    if (skip >= n)
        return;
    if (d->len + n - skip > d->cap) {
        d->cap = (d->len + n) * 2;
        d->buf = realloc(d->buf, d->cap);
    }
    memcpy(d->buf + d->len, p + skip, n - skip);
    d->len += n - skip;
    d->next = seq + (uint32_t)n;
}

/* Reassembles every TCP direction of a capture, then frames each with sip_frame_len; returns
 * the number of SIP messages, each also checked with sip_parse and sip_validate. */
static int frame_capture(const char *rel, int *malformed)
{
    size_t n;
    unsigned char *f = (unsigned char *)read_file(src_path(rel), &n);
    assert_non_null(f);
    assert_int_equal(rd_le32(f), 0xa1b2c3d4u);
    struct dir dirs[64];
    int nd = 0, msgs = 0;
    for (size_t off = 24; off + 16 <= n;) {
        size_t caplen = rd_le32(f + off + 8);
        const unsigned char *pkt = f + off + 16, *ip = pkt + 14;
        off += 16 + caplen;
        if (off > n || caplen < 54 || pkt[12] != 8 || pkt[13] != 0 || ip[9] != 6)
            continue;
        size_t ihl = (size_t)(ip[0] & 15) * 4, iplen = (size_t)ip[2] << 8 | ip[3];
        if (14 + ihl + 20 > caplen)
            continue;
        const unsigned char *tcp = ip + ihl;
        size_t thl = (size_t)(tcp[12] >> 4) * 4;
        if (ihl + thl > iplen || 14 + iplen > caplen || iplen == ihl + thl)
            continue;
        add_segment(find_dir(dirs, &nd, ip, tcp), rd_be32(tcp + 4), tcp + thl, iplen - ihl - thl);
    }
    for (int i = 0; i < nd; i++) {
        sv_t in = gsvn(dirs[i].buf, dirs[i].len);
        size_t at = 0, ml, sk;
        while (at < in.len && sip_frame_len(in.p + at, in.len - at, &ml, &sk) == 1) {
            assert_int_equal(sip_parse(&msg, in.p + at, ml, 0), (int)ml);
            sip_validate(&msg);
            *malformed += msg.malformed != SIP_MAL_NONE;
            msgs++;
            at += ml;
        }
        assert_int_equal(at, in.len); /* every byte of every direction is a SIP message */
        gfree(in);
        free(dirs[i].buf);
    }
    free(f);
    return msgs;
}

static void test_real_tcp_streams(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int msgs, malformed;
    } caps[] = {
        /* 406 messages, 234 of them split over several segments; one FreeSWITCH INVITE has
         * P-Asserted-Identity <sip:@maxus.lan> (empty user: bad-uri) */
        { "heplify_tcp-segmented_port6060_update-prack-cancel.pcap", 406, 1 },
        { "sipnab_sip-over-tcp.pcap", 7, 0 },
        { "suricata_tcp_register-200.pcap", 2, 0 },
    };
    for (size_t i = 0; i < NELEM(caps); i++) {
        char path[256];
        snprintf(path, sizeof(path), "tests/data/corpus/pcap/%s", caps[i].file);
        int malformed = 0, msgs = frame_capture(path, &malformed);
        if (msgs != caps[i].msgs || malformed != caps[i].malformed)
            fail_msg("%s: %d messages, %d malformed", caps[i].file, msgs, malformed);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_stream_walk),
        cmocka_unit_test(test_large_body),
        cmocka_unit_test(test_real_tcp_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
