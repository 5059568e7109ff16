/* libFuzzer target: SIP over WebSocket (ingest/ws.c) through the stream framer
 * (ingest/stream.c), fed stream payloads directly.
 *
 * Input: one option byte (bit 0: start with a 101 Switching Protocols handshake so the bytes
 * are read as frames at once; bit 1: the first payload carries STREAM_START; bit 2: a small
 * stream_max_bytes), then records: a length byte n, a flag byte (bit 0: a gap before this
 * payload, bit 1: switch to the other of two streams, bit 2: end the stream after it), and n
 * bytes (fewer at the end of input). Each payload sits in an exact-size buffer so ASan sees
 * any read past it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char handshake[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n";

static void on_msg(void *ctx, const struct ingest_msg *m)
{
    uint64_t *sum = ctx;
    for (size_t i = 0; i < m->bytes.len; i++)
        *sum += (uint8_t)m->bytes.p[i];
}

static void feed(struct ingest *in, const uint8_t *p, size_t n, uint16_t flags, uint64_t id,
                 uint64_t frame)
{
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    if (n)
        memcpy(copy, p, n);
    struct cap_payload pl = {
        .data = copy,
        .len = n,
        .ts_ns = (int64_t)frame,
        .frame = frame,
        .frame_first = frame,
        .flags = flags,
        .transport = CAP_TP_TCP,
        .kind = CAP_KIND_STREAM,
        .stream_id = id,
    };
    ingest_payload(in, &pl);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++;
    size--;
    struct ingest_stats st;
    memset(&st, 0, sizeof(st));
    uint64_t sum = 0, id = 1, frame = 0;
    struct ingest_opts o = { .stream_max_bytes = (opt & 4) ? 512 : 0 };
    struct ingest *in = ingest_new(&o, on_msg, &sum, &st);
    uint16_t first = (opt & 2) ? CAP_F_STREAM_START : 0;
    if (opt & 1) {
        feed(in, (const uint8_t *)handshake, sizeof(handshake) - 1, first, id, ++frame);
        first = 0;
    }
    while (size >= 2) {
        size_t n = data[0] < size - 2 ? data[0] : size - 2;
        uint8_t fl = data[1];
        if (fl & 2)
            id = id == 1 ? 2 : 1;
        uint16_t flags = first | ((fl & 1) ? CAP_F_GAP : 0) | ((fl & 4) ? CAP_F_STREAM_END : 0);
        first = 0;
        feed(in, data + 2, n, flags, id, ++frame);
        data += 2 + n;
        size -= 2 + n;
    }
    ingest_finish(in);
    return 0;
}
