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

/* SIP over WebSocket (ws.c, RFC 7118, RFC 6455), for stream.c. */
struct ws_state;

/* Is the first line of d[0..len) an HTTP request or response line? */
bool ws_http_line(const uint8_t *d, size_t len);

/* An HTTP message at d: returns 1 if it is a WebSocket upgrade (a request with Upgrade:
 * websocket, or a 101 response with it), -1 if not, 0 if its header section is not complete
 * yet. *hlen gets the header section's length when complete (else 0); *sip whether
 * Sec-WebSocket-Protocol offers "sip". */
int ws_handshake(const uint8_t *d, size_t len, size_t *hlen, bool *sip);

/* Does d start with a WebSocket text or binary frame whose payload starts with a SIP start
 * line? (To pick frames up without a handshake.) */
bool ws_sniff(const uint8_t *d, size_t len);

struct ws_state *ws_new(void);
void ws_free(struct ws_state *ws);

/* Read frames from d[0..len) (first: frame that carried d[0]) and deliver each complete data
 * message as one SIP message with transport WS. Returns bytes consumed; the rest is an
 * incomplete frame for the caller to keep and offer again with more bytes. */
size_t ws_consume(struct ingest *in, struct ws_state *ws, const struct cap_payload *p,
                  const uint8_t *d, size_t len, uint64_t first);

/* Frame sync: lost after a gap or a bad frame (bytes are then skipped until ws_resume). */
void ws_gap(struct ws_state *ws);
bool ws_lost(const struct ws_state *ws);
void ws_resume(struct ws_state *ws);

/* Is a message partly collected (lost if the stream ends or has a gap)? */
bool ws_partial(const struct ws_state *ws);

/* HEP3 over TCP (hep_stream.c). ingest_hep_stream: called first for every stream payload; true
 * when the payload belongs to a HEP connection and was consumed (its SIP messages delivered),
 * false when SIP framing should take it. ingest_hep_finish: account for partial packets, free. */
bool ingest_hep_stream(struct ingest *in, const struct cap_payload *p);
void ingest_hep_finish(struct ingest *in);

#endif
