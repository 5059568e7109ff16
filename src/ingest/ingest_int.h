/* Private to ingest/: the stage's state shared by the datagram path (ingest.c) and the stream
 * framer (stream.c). */
#ifndef INGEST_INGEST_INT_H
#define INGEST_INGEST_INT_H

#include "ingest/ingest.h"

struct ingest_streams;
struct ingest_hep;

struct ingest {
    struct ingest_opts o;
    ingest_msg_fn fn;
    void *ctx;
    struct ingest_stats *st;
    struct sip_msg msg; /* reused for every message */
    struct ingest_streams *streams;
    struct ingest_hep *hep; /* HEP over TCP (hep_stream.c), created on first stream payload */
};

/* Parse bytes holding exactly one message (datagram, HEP payload, text message, or a message
 * framed from a stream) and deliver it. datagram selects SIP_PARSE_DATAGRAM semantics. Returns
 * 1 if it was SIP, 0 if not (counted as not SIP by the caller when appropriate). */
int ingest_deliver(struct ingest *in, const struct cap_payload *p, const uint8_t *data,
                   size_t len, bool datagram, uint64_t frame_first);

/* Stream bytes (CAP_KIND_STREAM payloads), implemented in stream.c. */
void ingest_stream_payload(struct ingest *in, const struct cap_payload *p);
struct ingest_streams *ingest_streams_new(void);
void ingest_streams_finish(struct ingest *in);

/* HEP3 over TCP (hep_stream.c). ingest_hep_stream: called first for every stream payload; true
 * when the payload belongs to a HEP connection and was consumed (its SIP messages delivered),
 * false when SIP framing should take it. ingest_hep_finish: account for partial packets, free. */
bool ingest_hep_stream(struct ingest *in, const struct cap_payload *p);
void ingest_hep_finish(struct ingest *in);

#endif
