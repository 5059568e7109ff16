/* The ingest stage: classify payloads as SIP or not, parse, validate, count, deliver.
 * Stream payloads are handed to stream.c for framing first (and, within it, to hep_stream.c
 * when the connection carries HEP). */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "ingest/ingest_int.h"

static const char *const stat_names[] = {
#define X(id, name, desc) name,
#include "ingest/stats.def"
#undef X
};
static const char *const stat_descs[] = {
#define X(id, name, desc) desc,
#include "ingest/stats.def"
#undef X
};

const char *ingest_stat_name(enum ingest_stat s)
{
    return (unsigned)s < INGEST_STAT__COUNT ? stat_names[s] : "?";
}

const char *ingest_stat_desc(enum ingest_stat s)
{
    return (unsigned)s < INGEST_STAT__COUNT ? stat_descs[s] : "?";
}

struct ingest *ingest_new(const struct ingest_opts *o, ingest_msg_fn fn, void *ctx,
                          struct ingest_stats *st)
{
    struct ingest *in = xcalloc(1, sizeof(*in));
    if (o)
        in->o = *o;
    if (!in->o.stream_max_bytes)
        in->o.stream_max_bytes = 256 * 1024;
    if (in->o.stream_max_bytes < 256) /* room for a WebSocket frame header and a start line */
        in->o.stream_max_bytes = 256;
    in->fn = fn;
    in->ctx = ctx;
    in->st = st;
    in->streams = ingest_streams_new();
    return in;
}

void ingest_finish(struct ingest *in)
{
    if (!in)
        return;
    ingest_streams_finish(in);
    ingest_hep_finish(in);
    free(in);
}

static bool only_crlf(const uint8_t *d, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (d[i] != '\r' && d[i] != '\n')
            return false;
    return true;
}

int ingest_deliver(struct ingest *in, const struct cap_payload *p, const uint8_t *data,
                   size_t len, bool datagram, uint64_t frame_first)
{
    struct sip_msg *m = &in->msg;
    int rc = sip_parse(m, data, len, datagram ? SIP_PARSE_DATAGRAM : 0);
    if (rc < 0)
        return 0;
    if (in->o.validate)
        sip_validate(m);

    uint64_t *n = in->st->n;
    n[INGEST_STAT_SIP_MESSAGES]++;
    n[m->is_request ? INGEST_STAT_SIP_REQUESTS : INGEST_STAT_SIP_RESPONSES]++;
    if (m->malformed) {
        n[INGEST_STAT_SIP_MALFORMED]++;
        in->st->malformed[m->malformed]++;
    }
    if ((p->flags & CAP_F_TRUNCATED) && datagram)
        n[INGEST_STAT_SIP_TRUNCATED]++;
    for (int a = 0; a < SIP_ANOM__COUNT; a++)
        if (m->anomalies & SIP_ANOM_BIT(a))
            in->st->anomalies[a]++;

    struct ingest_msg im = {
        .sip = m,
        .bytes = m->raw,
        .ts_ns = p->ts_ns,
        .frame = p->frame,
        .frame_first = frame_first,
        .file_index = p->file_index,
        .flags = p->flags,
        .transport = p->transport,
        .src = p->src,
        .dst = p->dst,
        .payload = p,
    };
    in->fn(in->ctx, &im);
    return 1;
}

void ingest_payload(void *ctx, const struct cap_payload *p)
{
    struct ingest *in = ctx;
    in->st->n[INGEST_STAT_PAYLOADS]++;
    if (p->kind == CAP_KIND_STREAM) {
        ingest_stream_payload(in, p);
        return;
    }
    if (p->len == 0)
        return;
    if (only_crlf(p->data, p->len)) {
        in->st->n[INGEST_STAT_KEEPALIVES]++;
        return;
    }
    if (!ingest_deliver(in, p, p->data, p->len, true, p->frame_first)) {
        in->st->n[INGEST_STAT_NOT_SIP]++;
        in->st->n[INGEST_STAT_NOT_SIP_BYTES] += p->len;
    }
}
