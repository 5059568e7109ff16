/*
 * delayq: a delay line for the sipsleuth lab.
 *
 * Reads packets that iptables hands to an NFQUEUE (-j NFQUEUE --queue-num N) and holds the
 * ones whose bytes contain every -m string for -d milliseconds before accepting them;
 * everything else is accepted at once. Loopback has no latency and the lab kernel has no netem
 * qdisc, so this is how a scenario makes a CANCEL and a 200 OK cross on the wire.
 *
 * It does not drop, reorder on purpose or rewrite packets: held packets leave in arrival order.
 * It runs for at most -t seconds; on SIGINT/SIGTERM or at that bound it accepts whatever it
 * still holds and exits. Every held and released packet is logged on stderr with a
 * CLOCK_REALTIME timestamp so a scenario can see what was delayed.
 *
 * Built by tests/lab/lab.sh into a scratch directory; not part of the CMake build.
 *
 *   delayq -q QUEUE -d MS [-m STRING]... [-c COUNT] [-t SECONDS]
 *     -c COUNT   hold at most COUNT matching packets (later matches pass undelayed)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

#define MAX_MATCH 8
#define MAX_HELD 4096

struct held {
    uint32_t id;
    uint64_t due_ms;
};

static struct {
    const char *match[MAX_MATCH];
    int nmatch;
    long delay_ms;
    long max_count; /* -1: unlimited */
    long matched;
    struct held q[MAX_HELD];
    size_t head, len; /* ring buffer */
    struct nfq_q_handle *qh;
} g = { .max_count = -1 };

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void logf_ts(const char *what, uint32_t id)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(stderr, "%lld.%06ld delayq %s id=%u\n", (long long)ts.tv_sec, ts.tv_nsec / 1000, what,
            id);
    fflush(stderr);
}

static int contains_all(const unsigned char *p, int len)
{
    for (int i = 0; i < g.nmatch; i++) {
        if (!memmem(p, (size_t)len, g.match[i], strlen(g.match[i])))
            return 0;
    }
    return 1;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
                     void *data)
{
    (void)msg;
    (void)data;
    struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (!ph)
        return 0;
    uint32_t id = ntohl(ph->packet_id);
    unsigned char *payload = NULL;
    int len = nfq_get_payload(nfa, &payload);
    int hold = len > 0 && contains_all(payload, len) && g.len < MAX_HELD &&
               (g.max_count < 0 || g.matched < g.max_count);
    if (!hold)
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    g.matched++;
    g.q[(g.head + g.len) % MAX_HELD] = (struct held){ id, mono_ms() + (uint64_t)g.delay_ms };
    g.len++;
    logf_ts("hold", id);
    return 0;
}

static void release_due(int all)
{
    uint64_t now = mono_ms();
    while (g.len > 0 && (all || g.q[g.head].due_ms <= now)) {
        uint32_t id = g.q[g.head].id;
        nfq_set_verdict(g.qh, id, NF_ACCEPT, 0, NULL);
        logf_ts("release", id);
        g.head = (g.head + 1) % MAX_HELD;
        g.len--;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: delayq -q QUEUE -d MS [-m STRING]... [-c COUNT] [-t SECONDS]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long queue = -1, life_s = 30;
    int opt;
    while ((opt = getopt(argc, argv, "q:d:m:c:t:")) != -1) {
        switch (opt) {
        case 'q':
            queue = strtol(optarg, NULL, 10);
            break;
        case 'd':
            g.delay_ms = strtol(optarg, NULL, 10);
            break;
        case 'm':
            if (g.nmatch == MAX_MATCH)
                usage();
            g.match[g.nmatch++] = optarg;
            break;
        case 'c':
            g.max_count = strtol(optarg, NULL, 10);
            break;
        case 't':
            life_s = strtol(optarg, NULL, 10);
            break;
        default:
            usage();
        }
    }
    if (queue < 0 || queue > 65535 || g.delay_ms < 0 || life_s <= 0)
        usage();

    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct nfq_handle *h = nfq_open();
    if (!h) {
        perror("delayq: nfq_open");
        return 1;
    }
    g.qh = nfq_create_queue(h, (uint16_t)queue, on_packet, NULL);
    if (!g.qh) {
        perror("delayq: nfq_create_queue");
        nfq_close(h);
        return 1;
    }
    if (nfq_set_mode(g.qh, NFQNL_COPY_PACKET, 0xffff) < 0) {
        perror("delayq: nfq_set_mode");
        return 1;
    }
    int fd = nfq_fd(h);
    fprintf(stderr, "delayq: ready queue=%ld delay=%ldms matches=%d\n", queue, g.delay_ms,
            g.nmatch);
    fflush(stderr);

    uint64_t end = mono_ms() + (uint64_t)life_s * 1000u;
    char buf[65536 + 4096];
    while (!stop_flag && mono_ms() < end) {
        int wait_ms = 100;
        if (g.len > 0) {
            uint64_t now = mono_ms(), due = g.q[g.head].due_ms;
            wait_ms = due > now ? (int)(due - now) : 0;
            if (wait_ms > 100)
                wait_ms = 100;
        }
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int r = poll(&pfd, 1, wait_ms);
        if (r > 0 && (pfd.revents & POLLIN)) {
            ssize_t n = recv(fd, buf, sizeof(buf), 0);
            if (n > 0)
                nfq_handle_packet(h, buf, (int)n);
            else if (n < 0 && errno != EINTR && errno != ENOBUFS)
                perror("delayq: recv");
        }
        release_due(0);
    }
    release_due(1);
    nfq_destroy_queue(g.qh);
    nfq_close(h);
    fprintf(stderr, "delayq: done, held %ld packet(s)\n", g.matched);
    return 0;
}
