/* libFuzzer target: HEP. The first byte picks how the rest is fed:
 *   0: one UDP payload to the decapsulator (bit 2 of the byte: cut by the snapshot length);
 *   1: a raw HEP file, read directly and in small pieces (they must agree), decoded;
 *   2: one direction of a TCP connection to ingest's HEP-over-TCP framing, cut into segments at
 *      each "FRAG" (bit 2: the first segment starts the connection, bit 3: a gap before the
 *      second segment).
 * Every byte pushed is touched so a bad pointer or length shows under ASan. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "fuzz_common.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *ctx, const struct cap_payload *p)
{
    uint64_t *sum = ctx;
    for (size_t i = 0; i < p->len; i++)
        *sum += p->data[i];
    for (size_t i = 0; i < p->hep_node.len; i++)
        *sum += (uint8_t)p->hep_node.p[i];
    if (p->kind != CAP_KIND_MESSAGE || !(p->flags & CAP_F_HEP))
        abort();
}

static void on_msg(void *ctx, const struct ingest_msg *m)
{
    uint64_t *sum = ctx;
    for (size_t i = 0; i < m->bytes.len; i++)
        *sum += (uint8_t)m->bytes.p[i];
}

static void datagram(const uint8_t *data, size_t size, uint8_t flags)
{
    struct cap_stats st;
    memset(&st, 0, sizeof(st));
    struct cap_hep *h = cap_hep_new(&st);
    uint64_t sum = 0;
    struct cap_payload t = {
        .ts_ns = 1, .frame = 1, .frame_first = 1, .flags = (flags & 4) ? CAP_F_TRUNCATED : 0
    };
    uint8_t *copy = malloc(size ? size : 1);
    if (size)
        memcpy(copy, data, size);
    (void)cap_hep_decap(h, copy, size, &t, sink, &sum);
    free(copy);
    cap_hep_free(h);
}

static void tcp(const uint8_t *data, size_t size, uint8_t flags)
{
    struct ingest_stats ist;
    struct cap_stats cst;
    memset(&ist, 0, sizeof(ist));
    memset(&cst, 0, sizeof(cst));
    uint64_t sum = 0;
    struct ingest_opts o = { .cap_stats = &cst };
    struct ingest *in = ingest_new(&o, on_msg, &sum, &ist);
    uint64_t frame = 0;
    for (;;) {
        const uint8_t *sep = NULL;
        for (size_t i = 0; i + 4 <= size; i++)
            if (memcmp(data + i, "FRAG", 4) == 0) {
                sep = data + i;
                break;
            }
        size_t n = sep ? (size_t)(sep - data) : size;
        uint8_t *copy = malloc(n ? n : 1);
        if (n)
            memcpy(copy, data, n);
        frame++;
        uint16_t f = 0;
        if (frame == 1 && (flags & 4))
            f |= CAP_F_STREAM_START;
        if (frame == 2 && (flags & 8))
            f |= CAP_F_GAP;
        struct cap_payload p = { .data = copy,
                                 .len = n,
                                 .ts_ns = (int64_t)frame,
                                 .frame = frame,
                                 .frame_first = frame,
                                 .flags = f,
                                 .transport = CAP_TP_TCP,
                                 .kind = CAP_KIND_STREAM,
                                 .stream_id = 77 };
        ingest_payload(in, &p);
        free(copy);
        if (!sep)
            break;
        size -= n + 4;
        data += n + 4;
    }
    struct cap_payload end = { .frame = frame + 1,
                               .flags = CAP_F_STREAM_END,
                               .transport = CAP_TP_TCP,
                               .kind = CAP_KIND_STREAM,
                               .stream_id = 77 };
    ingest_payload(in, &end);
    ingest_finish(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    switch (mode & 3) {
    case 0:
        datagram(data, size, mode);
        break;
    case 1:
        fz_both_paths(data, size);
        break;
    default:
        tcp(data, size, mode);
        break;
    }
    return 0;
}
