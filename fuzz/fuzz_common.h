/* Shared by the capture fuzz targets: read every frame of an input held in memory, through
 * both the direct and the small-pieces read path, decode each frame, and abort if the two
 * paths disagree (they must deliver the same frames and stop at the same damage). */
#ifndef FUZZ_FUZZ_COMMON_H
#define FUZZ_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

struct fz_sum {
    int open_rc, end_rc;
    uint64_t frames, bytes, payload_bytes, payload_sum;
    uint64_t dmg_offset;
};

static void fz_payload(void *ctx, const struct cap_payload *p)
{
    struct fz_sum *s = ctx;
    /* touch every byte so a bad pointer or length shows under ASan */
    uint64_t x = 0;
    for (size_t i = 0; i < p->len; i++)
        x += p->data[i];
    s->payload_bytes += p->len;
    s->payload_sum += x;
}

static void fz_read(const uint8_t *data, size_t size, int streamed, struct fz_sum *s)
{
    memset(s, 0, sizeof(*s));
    struct cap_open_opts o = { .no_mmap = streamed != 0 };
    struct cap_file *cf = NULL;
    char err[256];
    s->open_rc = cap_open_mem(data, size, "fuzz", &o, &cf, err, sizeof(err));
    if (s->open_rc != 0)
        return;
    struct cap_stats st;
    memset(&st, 0, sizeof(st));
    struct cap_decoder_opts dopt = { .frag_max_bytes = 1u << 20, .frag_max_datagrams = 64 };
    struct cap_decoder *d = cap_decoder_new(&dopt, fz_payload, s, &st);
    struct cap_frame f;
    int rc;
    while ((rc = cap_next(cf, &f)) > 0) {
        if (f.caplen > 262144)
            abort();
        s->frames++;
        s->bytes += f.caplen;
        cap_decode(d, &f, 0);
    }
    s->end_rc = rc;
    s->dmg_offset = cap_file_damage(cf)->offset;
    cap_decoder_finish(d);
    cap_close(cf);
}

static int fz_both_paths(const uint8_t *data, size_t size)
{
    struct fz_sum a, b;
    fz_read(data, size, 0, &a);
    fz_read(data, size, 1, &b);
    if (memcmp(&a, &b, sizeof(a)) != 0)
        abort();
    return 0;
}

#endif
