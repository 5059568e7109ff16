/* libFuzzer target: the decoder alone. The first byte picks a link type; the rest is split into
 * frames at each occurrence of the 4-byte separator "FRAG" (so fragment and tunnel state carry
 * across frames), each frame given a capture time one second after the previous one and, when
 * the second byte's low bit is set, a snapshot length shorter than the original length. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t links[] = {
    CAP_LINK_ETHERNET,  CAP_LINK_RAW,        CAP_LINK_NULL,        CAP_LINK_LOOP,
    CAP_LINK_LINUX_SLL, CAP_LINK_LINUX_SLL2, CAP_LINK_IPV4,        CAP_LINK_IPV6,
    CAP_LINK_DLT_RAW12, 9 /* PPP */,         104 /* Cisco HDLC */, CAP_LINK_SIP_MESSAGE,
    CAP_LINK_HEP,       50 /* PPP HDLC */,   147 /* unknown */,    CAP_LINK_ETHERNET,
};

static void sink(void *ctx, const struct cap_payload *p)
{
    uint64_t *sum = ctx;
    for (size_t i = 0; i < p->len; i++)
        *sum += p->data[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t link = links[data[0] & 15];
    int cut = data[1] & 1;
    data += 2;
    size -= 2;
    struct cap_stats st;
    memset(&st, 0, sizeof(st));
    uint64_t sum = 0;
    struct cap_decoder_opts o = { .frag_max_bytes = 256u << 10, .frag_max_datagrams = 16 };
    struct cap_decoder *d = cap_decoder_new(&o, sink, &sum, &st);
    uint64_t frame = 0;
    while (size > 0) {
        const uint8_t *sep = NULL;
        for (size_t i = 0; i + 4 <= size; i++)
            if (memcmp(data + i, "FRAG", 4) == 0) {
                sep = data + i;
                break;
            }
        size_t n = sep ? (size_t)(sep - data) : size;
        /* an exact-size copy so ASan sees any read past the frame */
        uint8_t *copy = malloc(n ? n : 1);
        if (!copy)
            break;
        if (n)
            memcpy(copy, data, n);
        frame++;
        struct cap_meta meta = { .flags = CAP_F_NO_TIME | CAP_F_NO_ADDR, .transport = 1 };
        struct cap_frame f = {
            .data = copy,
            .caplen = (uint32_t)n,
            .origlen = (uint32_t)n + (cut ? 100 : 0),
            .ts_ns = (int64_t)frame * 1000000000,
            .frame = frame,
            .linktype = link,
            .meta = link == CAP_LINK_SIP_MESSAGE ? &meta : NULL,
        };
        cap_decode(d, &f, 0);
        free(copy);
        if (!sep)
            break;
        size -= n + 4;
        data += n + 4;
    }
    cap_decoder_finish(d);
    if (st.n[CAP_STAT_FRAMES] != frame)
        abort();
    return 0;
}
