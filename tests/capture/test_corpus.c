/* Corpus test: every capture in tests/data/corpus/pcap/ read and decoded, compared with the
 * tshark 4.0.17 ground truth next to it (NAME.tshark.txt): the frame count must equal its
 * "packets:" line, and the UDP (and SCTP) payloads that begin with a SIP start line must match
 * its "transports:" counts, except where a comment below says why we differ. Both the mapped
 * and the read(2) paths must give the same numbers. */
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

#include <dirent.h>
#include <stdio.h>

#include "capture/capture.h"
#include "support/files.h"

#define CORPUS "tests/data/corpus/pcap"

/* RFC 3261 §25.1 token characters. */
static bool is_token(uint8_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && memchr("-.!%*_+`'~", c, 10) != NULL;
}

/* A deliberately small check, not a SIP parser: the first line is "SIP/2.0 NNN ..." or
 * "TOKEN SP something SP SIP/2.0". */
static bool starts_sip(const uint8_t *p, size_t n)
{
    const uint8_t *nl = memchr(p, '\n', n);
    size_t end = nl ? (size_t)(nl - p) : n;
    if (end > 0 && p[end - 1] == '\r')
        end--;
    if (end >= 12 && memcmp(p, "SIP/2.0 ", 8) == 0)
        return p[8] >= '0' && p[8] <= '9';
    size_t m = 0;
    while (m < end && is_token(p[m]))
        m++;
    if (m == 0 || m >= end || p[m] != ' ')
        return false;
    return end >= m + 10 && memcmp(p + end - 8, " SIP/2.0", 8) == 0;
}

struct counts {
    uint64_t frames, udp_sip, sctp_sip, hep_sip, payloads;
    struct cap_stats st;
    int end_rc;
};

static void count_fn(void *ctx, const struct cap_payload *p)
{
    struct counts *c = ctx;
    c->payloads++;
    if (p->len == 0 || !starts_sip(p->data, p->len)) /* STREAM_END payloads have no bytes */
        return;
    if (p->flags & CAP_F_HEP)
        c->hep_sip++;
    else if (p->transport == CAP_TP_UDP)
        c->udp_sip++;
    else if (p->transport == CAP_TP_SCTP)
        c->sctp_sip++;
}

static void run(const char *path, bool no_mmap, struct counts *c)
{
    memset(c, 0, sizeof(*c));
    struct cap_open_opts o = { .no_mmap = no_mmap };
    struct cap_file *cf = NULL;
    char err[512];
    int rc = cap_open(path, &o, &cf, err, sizeof(err));
    if (rc != 0)
        fail_msg("%s", err);
    struct cap_decoder *d = cap_decoder_new(NULL, count_fn, c, &c->st);
    struct cap_frame f;
    while ((rc = cap_next(cf, &f)) > 0) {
        c->frames++;
        cap_decode(d, &f, 0);
    }
    c->end_rc = rc;
    cap_decoder_finish(d);
    cap_close(cf);
}

/* The first "NAME: value" line of the ground truth; "" if absent. */
static void truth_line(const char *truth, const char *key, char *out, size_t cap)
{
    const char *p = strstr(truth, key);
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(key);
    size_t n = strcspn(p, "\n");
    snprintf(out, cap, "%.*s", (int)n, p);
}

/* "UDP=N" inside a transports line (the first such line: SIP that tshark itself decoded). */
static uint64_t transport_count(const char *line, const char *name)
{
    char key[16];
    snprintf(key, sizeof(key), "%s=", name);
    for (const char *p = strstr(line, key); p; p = strstr(p + 1, key))
        if (p == line || p[-1] == ' ' || p[-1] == ',')
            return strtoull(p + strlen(key), NULL, 10);
    return 0;
}

/* Our counts equal tshark's for every file, so there is no exception table. Notes:
 * - zeek_junk-before-request.pcap: INDEX.md says 4 NUL bytes precede "REGISTER" in one
 *   datagram; in fact they are a separate 4-byte datagram (frame 1), so the REGISTER datagram
 *   starts cleanly and both tools count 1.
 * - HEP files: the first transports line is empty (tshark 4.0 does not decode HEP), so SIP
 *   taken out of HEP is compared with the "sip_messages:" line of the inner analysis instead
 *   (0 for every other file).
 * - TCP and WebSocket SIP is not counted here: it needs SIP framing of the stream bytes, so
 *   tests/corpus/compare_tshark.py checks it message by message. */

static void check_file(const char *name)
{
    char path[1024], tpath[1100];
    snprintf(path, sizeof(path), "%s/%s", src_path(CORPUS), name);
    snprintf(tpath, sizeof(tpath), "%s.tshark.txt", path);
    size_t tlen;
    char *truth = read_file(tpath, &tlen);
    if (!truth)
        fail_msg("%s: no ground truth", name);
    char line[512];
    truth_line(truth, "\npackets: ", line, sizeof(line));
    uint64_t packets = strtoull(line, NULL, 10);
    truth_line(truth, "\ntransports: ", line, sizeof(line));
    uint64_t udp = transport_count(line, "UDP"), sctp = transport_count(line, "SCTP");
    uint64_t hep = 0;
    const char *inner = strstr(truth, "\n## Inner SIP analysis");
    if (inner) {
        truth_line(inner, "\nsip_messages: ", line, sizeof(line));
        hep = strtoull(line, NULL, 10);
    }
    struct counts a, b;
    run(path, false, &a);
    run(path, true, &b);
    if (a.frames != packets || a.udp_sip != udp || a.sctp_sip != sctp || a.hep_sip != hep ||
        a.end_rc != 0)
        fail_msg("%s: frames %llu (tshark %llu), UDP SIP %llu (%llu), SCTP SIP %llu (%llu), "
                 "HEP SIP %llu (%llu), end %d",
                 name, (unsigned long long)a.frames, (unsigned long long)packets,
                 (unsigned long long)a.udp_sip, (unsigned long long)udp,
                 (unsigned long long)a.sctp_sip, (unsigned long long)sctp,
                 (unsigned long long)a.hep_sip, (unsigned long long)hep, a.end_rc);
    assert_int_equal(a.st.n[CAP_STAT_FRAMES], packets);
    assert_memory_equal(&a.st, &b.st, sizeof(a.st));
    assert_int_equal(a.udp_sip, b.udp_sip);
    assert_int_equal(a.hep_sip, b.hep_sip);
    assert_int_equal(a.payloads, b.payloads);
    free(truth);
}

static void test_every_capture(void **state)
{
    (void)state;
    DIR *d = opendir(src_path(CORPUS));
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        bool pcap = len > 5 && strcmp(e->d_name + len - 5, ".pcap") == 0;
        bool ng = len > 7 && strcmp(e->d_name + len - 7, ".pcapng") == 0;
        if (!pcap && !ng)
            continue;
        check_file(e->d_name);
        n++;
    }
    closedir(d);
    assert_int_equal(n, 47);
}

/* Specific layers the index says each file exercises, seen in our counters. */
static void test_layers_seen(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum cap_stat stat;
        uint64_t n;
    } cases[] = {
        /* tshark: ipv6-fragment=4; two SIP messages rebuilt from two fragments each */
        { "sngrep_ipv6-fragmented_sll_forking_prack-update.pcap", CAP_STAT_IP_FRAGMENTS, 4 },
        { "sngrep_ipv6-fragmented_sll_forking_prack-update.pcap", CAP_STAT_IP_REASSEMBLED, 2 },
        /* tshark: gre=36, pppoe=1; 36 GRE frames plus one QinQ + PPPoE frame */
        { "ndpi_gre-ppp_vlan-qinq-pppoe_cancel-487.pcapng", CAP_STAT_GRE, 36 },
        { "ndpi_gre-ppp_vlan-qinq-pppoe_cancel-487.pcapng", CAP_STAT_PPPOE, 1 },
        { "heplify_gre-teb-mirror_refer-notify-481.pcapng", CAP_STAT_GRE, 140 },
        { "sngrep_ipip_tcp.pcap", CAP_STAT_IPIP, 2 },
        { "sngrep_ipip_tcp.pcap", CAP_STAT_TCP, 4 },
        { "sipnab_wssample_DTMFsipinfo_info-cancel.pcap", CAP_STAT_PPPOE, 32 },
        { "pcapplusplus_requests_invite-cancel-ack-bye.pcap", CAP_STAT_PPPOE, 2 },
        /* 5 SCTP packets, 5 DATA chunks: the INVITE is split over two (B, then E), which we
         * reassemble as tshark does, hence 4 SIP messages */
        { "heplify_sctp_sip-i-isup_sll.pcap", CAP_STAT_SCTP_DATA, 5 },
        { "heplify_sctp_sip-i-isup_sll.pcap", CAP_STAT_SCTP_DATA_FRAG, 2 },
        { "heplify_sctp_sip-i-isup_sll.pcap", CAP_STAT_SCTP_REASSEMBLED, 1 },
        { "heplify_sctp_sip-i-isup_sll.pcap", CAP_STAT_SCTP_FRAG_INCOMPLETE, 0 },
        /* tshark: the port 6060 capture joins 8 stream directions mid-way and has no gap */
        { "heplify_tcp-segmented_port6060_update-prack-cancel.pcap", CAP_STAT_TCP_MIDSTREAM, 8 },
        { "heplify_tcp-segmented_port6060_update-prack-cancel.pcap", CAP_STAT_TCP_GAPS, 0 },
        /* the large body's 5 segments in order; the retransmitted 200 OK dropped once */
        { "suricata_large-body_tcp_loopback-null.pcap", CAP_STAT_TCP_BYTES, 4 * 16332 + 465 + 207 },
        { "heplify_tcp-retransmission_sll_register-401.pcap", CAP_STAT_TCP_RETRANS, 1 },
        /* tshark: tcp-retransmission=1, tcp=181, udp=4 (+ 11 frames that are neither) */
        { "heplify_tcp-retransmission_sll_register-401.pcap", CAP_STAT_TCP, 181 },
        { "sngrep_aaa_register-auth-cancel_mixed-traffic.pcap", CAP_STAT_UDP, 590 },
        { "sngrep_aaa_register-auth-cancel_mixed-traffic.pcap", CAP_STAT_TCP, 57 },
        { "ndpi_fax-t38-reinvite-488_retransmissions.pcap", CAP_STAT_UDP, 1552 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", src_path(CORPUS), cases[i].file);
        struct counts c;
        run(path, false, &c);
        if (c.st.n[cases[i].stat] != cases[i].n)
            fail_msg("%s: %s = %llu, expected %llu", cases[i].file, cap_stat_name(cases[i].stat),
                     (unsigned long long)c.st.n[cases[i].stat], (unsigned long long)cases[i].n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_capture),
        cmocka_unit_test(test_layers_seen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
