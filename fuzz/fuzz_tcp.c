/* libFuzzer target: TCP reassembly (capture/tcp.c) and SIP/WebSocket framing of the streams
 * (ingest/stream.c, ingest/ws.c), driven by a sequence of segments decoded from the input.
 *
 * Input: one option byte (bit 0: tiny limits so windows, eviction and idle expiry happen; bits
 * 1-2: initial sequence numbers near 2^32 so they wrap), then records of a 5-byte header and a
 * payload:
 *   byte 0: bit 0 direction, bits 1-5 SYN FIN RST ACK PSH, bit 6 cut by the snapshot length,
 *           bit 7 ten seconds pass before this segment
 *   byte 1-2: signed offset of the sequence number from where the direction's last segment
 *           ended (0 = in order)
 *   byte 3: payload length (at most what is left)
 *   byte 4: low 2 bits: which of four connections (port pairs)
 * Each segment becomes an IPv4/TCP packet in an exact-size buffer (ASan sees over-reads),
 * decoded as a raw-IP frame; the payloads go to an ingest stage whose messages are touched. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_msg(void *ctx, const struct ingest_msg *m)
{
    uint64_t *sum = ctx;
    for (size_t i = 0; i < m->bytes.len; i++)
        *sum += (uint8_t)m->bytes.p[i];
    if (m->frame_first > m->frame)
        abort();
}

static void be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v & 0xffff);
}

/* Build and decode one segment. */
/* Returns the payload bytes captured. */
static size_t segment(struct cap_decoder *d, const uint8_t *h, const uint8_t *pl, size_t n,
                      uint32_t seq, uint32_t ack, uint64_t frame, int64_t ts)
{
    int dir = h[0] & 1, conn = h[4] & 3;
    static const uint8_t flag_bits[5] = { 0x02, 0x01, 0x04, 0x10, 0x08 };
    uint8_t fl = 0;
    for (int i = 0; i < 5; i++)
        if (h[0] & (2 << i))
            fl |= flag_bits[i];
    size_t len = 40 + n;
    uint8_t *pkt = malloc(len);
    if (!pkt)
        abort();
    memset(pkt, 0, 40);
    pkt[0] = 0x45;
    be16(pkt + 2, (unsigned)len);
    pkt[8] = 64;
    pkt[9] = 6;
    uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
    memcpy(pkt + 12, dir ? b : a, 4);
    memcpy(pkt + 16, dir ? a : b, 4);
    unsigned pa = 5060, pb = 40000 + (unsigned)conn;
    be16(pkt + 20, dir ? pb : pa);
    be16(pkt + 22, dir ? pa : pb);
    be32(pkt + 24, seq);
    be32(pkt + 28, ack);
    pkt[32] = 0x50;
    pkt[33] = fl;
    be16(pkt + 34, 65535);
    if (n)
        memcpy(pkt + 40, pl, n);
    size_t cut = (h[0] & 0x40) && n ? n / 2 + 1 : 0;
    struct cap_frame f = {
        .data = pkt,
        .caplen = (uint32_t)(len - cut),
        .origlen = (uint32_t)len,
        .ts_ns = ts,
        .frame = frame,
        .linktype = CAP_LINK_RAW,
    };
    cap_decode(d, &f, 0);
    free(pkt);
    return n - cut;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++;
    size--;
    struct cap_stats cst;
    struct ingest_stats ist;
    memset(&cst, 0, sizeof(cst));
    memset(&ist, 0, sizeof(ist));
    uint64_t sum = 0;
    struct ingest_opts io = { .stream_max_bytes = (opt & 1) ? 300 : 0 };
    struct ingest *in = ingest_new(&io, on_msg, &sum, &ist);
    struct cap_decoder_opts o = { 0 };
    if (opt & 1) {
        o.tcp_max_bytes = 512;
        o.tcp_max_streams = 3;
        o.tcp_idle_ns = 5 * 1000000000LL;
    }
    struct cap_decoder *d = cap_decoder_new(&o, ingest_payload, in, &cst);
    uint32_t base = (opt & 6) ? 0xffffffffu - 300u * (opt & 6) : 1000;
    uint32_t cursor[4][2];
    for (int c = 0; c < 4; c++) {
        cursor[c][0] = base + (uint32_t)c * 7919u;
        cursor[c][1] = base * 3u + (uint32_t)c;
    }
    uint64_t frame = 0, bytes = 0;
    int64_t ts = 1000000000;
    while (size >= 5) {
        const uint8_t *h = data;
        size_t n = h[3] < size - 5 ? h[3] : size - 5;
        int dir = h[0] & 1, conn = h[4] & 3;
        int16_t off = (int16_t)(uint16_t)((unsigned)h[1] << 8 | h[2]);
        uint32_t seq = cursor[conn][dir] + (uint32_t)(int32_t)off;
        if (h[0] & 0x80)
            ts += 10 * 1000000000LL;
        ts += 1000;
        bytes += segment(d, h, data + 5, n, seq, cursor[conn][!dir], ++frame, ts);
        cursor[conn][dir] = seq + (uint32_t)n + ((h[0] & 0x06) ? 1u : 0u);
        data += 5 + n;
        size -= 5 + n;
    }
    cap_decoder_finish(d);
    ingest_finish(in);
    /* every frame is a segment; every captured payload byte is pushed once or counted as seen
     * before; everything pushed reaches the framer */
    if (cst.n[CAP_STAT_TCP] != frame)
        abort();
    if (cst.n[CAP_STAT_TCP_BYTES] + cst.n[CAP_STAT_TCP_RETRANS_BYTES] != bytes)
        abort();
    if (ist.n[INGEST_STAT_STREAM_BYTES] != cst.n[CAP_STAT_TCP_BYTES])
        abort();
    return 0;
}
