/* The input loop: open every input, pull frames from each, merge them by capture time, decode
 * and ingest. Damage in one input stops that input only; what was read before it counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "ingest/ingest.h"

struct source {
    struct cap_file *cf;
    struct cap_frame fr;
    bool pending; /* fr holds a frame not yet decoded */
    bool done;
};

static void pull(struct source *s, struct ingest_input *info)
{
    int rc = cap_next(s->cf, &s->fr);
    if (rc == 1) {
        s->pending = true;
        return;
    }
    s->pending = false;
    s->done = true;
    if (rc < 0)
        info->damage = *cap_file_damage(s->cf);
}

/* Index of the source whose pending frame is earliest (ties: lowest input index), or -1. */
static int earliest(const struct source *src, int n)
{
    int best = -1;
    for (int i = 0; i < n; i++) {
        if (!src[i].pending)
            continue;
        if (best < 0 || src[i].fr.ts_ns < src[best].fr.ts_ns)
            best = i;
    }
    return best;
}

static void note_time(struct ingest_run *run, struct ingest_input *info, const struct cap_frame *f)
{
    bool no_time = f->meta && (f->meta->flags & CAP_F_NO_TIME);
    if (no_time)
        return;
    if (f->meta && (f->meta->flags & CAP_F_NO_DATE))
        info->no_date = run->no_date = true;
    if (!info->has_time || f->ts_ns < info->first_ts)
        info->first_ts = f->ts_ns;
    if (!info->has_time || f->ts_ns > info->last_ts)
        info->last_ts = f->ts_ns;
    info->has_time = true;
    if (!run->has_time || f->ts_ns < run->first_ts)
        run->first_ts = f->ts_ns;
    if (!run->has_time || f->ts_ns > run->last_ts)
        run->last_ts = f->ts_ns;
    run->has_time = true;
}

static int open_all(const char *const *paths, int n, const struct ingest_run_opts *o,
                    struct source *src, struct ingest_run *run)
{
    int opened = 0;
    for (int i = 0; i < n; i++) {
        struct ingest_input *info = &run->inputs[i];
        info->path = paths[i];
        struct cap_open_opts oo = { .file_index = (uint32_t)i, .no_mmap = o && o->no_mmap };
        if (cap_open(paths[i], &oo, &src[i].cf, info->error, sizeof(info->error)) != 0) {
            src[i].done = true;
            continue;
        }
        info->opened = true;
        info->format = cap_file_format(src[i].cf);
        info->size = cap_file_size(src[i].cf);
        opened++;
        pull(&src[i], info);
    }
    return opened;
}

int ingest_run_files(const char *const *paths, int npaths, const struct ingest_run_opts *o,
                     ingest_msg_fn fn, void *ctx, struct ingest_run *run)
{
    memset(run, 0, sizeof(*run));
    run->ninputs = npaths;
    run->inputs = xcalloc((size_t)(npaths ? npaths : 1), sizeof(*run->inputs));
    struct source *src = xcalloc((size_t)(npaths ? npaths : 1), sizeof(*src));
    struct ingest_opts io = { 0 };
    if (o)
        io = o->ingest;
    io.cap_stats = &run->cap; /* HEP over TCP counts with the other hep.* counters */
    struct ingest *in = ingest_new(&io, fn, ctx, &run->ing);
    struct cap_decoder *dec =
        cap_decoder_new(o ? &o->decoder : NULL, ingest_payload, in, &run->cap);

    int opened = open_all(paths, npaths, o, src, run);
    int i;
    while ((i = earliest(src, npaths)) >= 0) {
        struct ingest_input *info = &run->inputs[i];
        info->frames++;
        note_time(run, info, &src[i].fr);
        cap_decode(dec, &src[i].fr, (uint32_t)i);
        pull(&src[i], info);
    }
    cap_decoder_finish(dec);
    ingest_finish(in);
    for (i = 0; i < npaths; i++) {
        if (src[i].cf) {
            run->inputs[i].bytes = cap_file_bytes_read(src[i].cf);
            const struct cap_stats *rs = cap_file_stats(src[i].cf);
            for (int s = 0; s < CAP_STAT__COUNT; s++)
                run->cap.n[s] += rs->n[s];
            cap_close(src[i].cf);
        }
    }
    free(src);
    return opened;
}

void ingest_run_free(struct ingest_run *run)
{
    free(run->inputs);
    run->inputs = NULL;
    run->ninputs = 0;
}
