/* ingest: from transport payloads to parsed SIP messages, and the input loop.
 *
 * ingest sits between capture/ (frames -> payloads) and everything that consumes SIP messages
 * (the messages command, the engine). It decides whether a payload is SIP, frames messages in
 * stream bytes, parses them (sip_parse) and, when asked, validates them (sip_validate), then
 * hands each message to a callback. It also drives several input files at once, merging their
 * frames by capture time so that a call seen at two capture points reads as one timeline.
 *
 * It does not build transactions or calls (engine/), and does not print anything. */
#ifndef INGEST_INGEST_H
#define INGEST_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "sip/sip.h"

/* One SIP message. Valid only during the callback; copy what must outlive it. */
struct ingest_msg {
    struct sip_msg *sip;   /* parsed (and validated when ingest_opts.validate) */
    sv_t bytes;            /* the message bytes, as framed */
    int64_t ts_ns;         /* capture time of the frame that completed the message */
    uint64_t frame;        /* that frame's number in its file */
    uint64_t frame_first;  /* first frame that carried bytes of the message */
    uint32_t file_index;
    uint16_t flags;        /* CAP_F_* of the payload */
    uint8_t transport;     /* enum cap_transport */
    struct cap_addr src, dst;
    const struct cap_payload *payload; /* the payload that completed the message */
};

typedef void (*ingest_msg_fn)(void *ctx, const struct ingest_msg *m);

enum ingest_stat {
#define X(id, name, desc) INGEST_STAT_##id,
#include "ingest/stats.def"
#undef X
    INGEST_STAT__COUNT
};

struct ingest_stats {
    uint64_t n[INGEST_STAT__COUNT];
    uint64_t malformed[SIP_MAL__COUNT]; /* messages by first malformed reason */
    uint64_t anomalies[SIP_ANOM__COUNT];
};

const char *ingest_stat_name(enum ingest_stat s);
const char *ingest_stat_desc(enum ingest_stat s);

struct ingest_opts {
    bool validate;           /* run sip_validate on every message (messages command) */
    size_t stream_max_bytes; /* largest message buffered per stream direction (default 256 KiB) */
    struct cap_stats *cap_stats; /* where HEP over TCP counts (hep.*): the run's capture counters;
                                    NULL keeps them private */
};

struct ingest;

/* Create an ingest stage that calls fn(ctx, msg) for every SIP message. st is the caller's and
 * must outlive the stage; ingest only adds to it. */
struct ingest *ingest_new(const struct ingest_opts *o, ingest_msg_fn fn, void *ctx,
                          struct ingest_stats *st);

/* A cap_payload_fn: ctx is the struct ingest. */
void ingest_payload(void *ctx, const struct cap_payload *p);

/* End of input: account for what stream buffers still hold, then free the stage. */
void ingest_finish(struct ingest *in);

/* --- input loop over files --- */

struct ingest_input {
    const char *path;
    enum cap_format format;
    bool opened;           /* false: error says why (nothing read) */
    char error[256];
    uint64_t frames;
    uint64_t bytes;        /* bytes of the file consumed */
    uint64_t size;         /* file size, 0 if unknown */
    struct cap_damage damage;
    int64_t first_ts, last_ts;
    bool has_time;
    bool no_date; /* some times are a log's times of day on an anchor date (CAP_F_NO_DATE) */
};

struct ingest_run {
    int ninputs;
    struct ingest_input *inputs; /* ninputs entries, owned by the run */
    struct cap_stats cap;
    struct ingest_stats ing;
    int64_t first_ts, last_ts;   /* over all inputs with real times */
    bool has_time;
    bool no_date;                /* some of those times have no date of their own */
};

struct ingest_run_opts {
    struct ingest_opts ingest;
    struct cap_decoder_opts decoder;
    bool no_mmap;
};

/* Read every path (a "-" means stdin), merging frames across inputs by capture time, decode,
 * frame and parse, calling fn for every SIP message in time order. run is filled in (free with
 * ingest_run_free). Returns the number of inputs that could be opened; inputs that could not
 * are described in run->inputs[i].error. */
int ingest_run_files(const char *const *paths, int npaths, const struct ingest_run_opts *o,
                     ingest_msg_fn fn, void *ctx, struct ingest_run *run);

void ingest_run_free(struct ingest_run *run);

#endif
