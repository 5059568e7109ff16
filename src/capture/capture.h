/* capture: reading inputs and decoding packets down to transport payloads.
 *
 * Two layers, both streaming:
 *
 *   1. A reader (struct cap_file) turns one input — a pcap or pcapng file, stdin, a raw HEP
 *      stream, a text trace — into frames, one at a time (pull: cap_next). Regular files are
 *      mapped, so a frame's bytes point into the mapping and are not copied.
 *   2. A decoder (struct cap_decoder) takes frames and pushes transport payloads to a sink
 *      (push: a callback): UDP datagrams, SCTP DATA chunks, in-order TCP stream bytes, and
 *      messages carried in HEP or read from text. It handles link layers, tunnels, IPv4/IPv6
 *      and fragment reassembly, with bounded buffers and capture-time timeouts.
 *
 * This module knows nothing of SIP beyond recognising HEP and text-trace framing; SIP framing
 * of stream bytes and parsing live in sip/ and ingest/. Every frame or byte that cannot be used
 * is counted in struct cap_stats under a named reason; nothing is dropped silently.
 *
 * Pull at the file level lets the CLI merge several inputs by capture time; push at the decoder
 * level keeps reassembly state in one place. */
#ifndef CAPTURE_CAPTURE_H
#define CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sv.h"

/* Link types: the pcap LINKTYPE_* values we decode, plus pseudo types for inputs that are not
 * packet captures. */
enum cap_link {
    CAP_LINK_NULL = 0,        /* BSD loopback: 4-byte host-order family */
    CAP_LINK_ETHERNET = 1,
    CAP_LINK_RAW = 101,       /* raw IPv4 or IPv6 */
    CAP_LINK_LOOP = 108,      /* OpenBSD loopback: 4-byte network-order family */
    CAP_LINK_LINUX_SLL = 113,
    CAP_LINK_IPV4 = 228,
    CAP_LINK_IPV6 = 229,
    CAP_LINK_LINUX_SLL2 = 276,
    CAP_LINK_DLT_RAW12 = 12,  /* DLT_RAW on some BSDs */
    CAP_LINK_DLT_RAW14 = 14,  /* DLT_RAW on OpenBSD */
    /* Pseudo link types (not in pcap files), above the 16-bit pcap range. */
    CAP_LINK_SIP_MESSAGE = 0x10001, /* frame = one SIP message; cap_frame.meta describes it */
    CAP_LINK_HEP = 0x10002,         /* frame = one HEP packet (v2 or v3) */
};

enum cap_transport {
    CAP_TP_UNKNOWN = 0,
    CAP_TP_UDP,
    CAP_TP_TCP,
    CAP_TP_SCTP,
    CAP_TP_TLS,
    CAP_TP_WS,  /* SIP over WebSocket, RFC 7118 */
    CAP_TP_WSS,
};

/* Printable name of a transport ("UDP", "TCP", ...). */
const char *cap_transport_name(enum cap_transport t);

struct cap_addr {
    uint8_t family; /* 0 unknown, 4 or 6 */
    uint16_t port;  /* host order; 0 if unknown */
    uint8_t ip[16]; /* IPv4 uses the first 4 bytes */
};

/* Writes "1.2.3.4:5060", "[2001:db8::1]:5060" or "?" into buf (>= CAP_ADDR_STRLEN bytes).
 * Returns the length written. */
#define CAP_ADDR_STRLEN 56
size_t cap_addr_str(const struct cap_addr *a, char *buf, size_t cap);

/* True when both have the same family, IP and port. */
bool cap_addr_eq(const struct cap_addr *a, const struct cap_addr *b);

/* Payload flags. */
enum {
    CAP_F_NO_TIME = 1u << 0,     /* ts_ns is a sequence number, not a time (text trace) */
    CAP_F_NO_ADDR = 1u << 1,     /* src/dst unknown (text trace) */
    CAP_F_GAP = 1u << 2,         /* stream: bytes were lost before this slice */
    CAP_F_STREAM_END = 1u << 3,  /* stream: connection closed (FIN/RST) or given up; len 0 */
    CAP_F_HEP = 1u << 4,         /* decapsulated from HEP; hep_* fields are set */
    CAP_F_TRUNCATED = 1u << 5,   /* the capture cut the payload short (snaplen) */
    CAP_F_REASSEMBLED = 1u << 6, /* rebuilt from IP fragments */
    CAP_F_STREAM_START = 1u << 7, /* stream: first bytes after the SYN (not a mid-stream join) */
    CAP_F_NO_DATE = 1u << 8, /* text trace: ts_ns is a log's time of day (or day without year)
                                on an anchor date, 1970-01-01 unless the log gave one */
};

/* How the payload relates to message boundaries. */
enum cap_kind {
    CAP_KIND_DATAGRAM = 0, /* one UDP datagram / SCTP chunk: holds at most one message */
    CAP_KIND_STREAM,       /* consecutive bytes of one direction of a TCP connection */
    CAP_KIND_MESSAGE,      /* exactly one message, already framed (HEP payload, text trace) */
};

/* One transport payload pushed to the sink. data is valid only during the callback: copy what
 * must outlive it. */
struct cap_payload {
    const uint8_t *data;
    size_t len;
    int64_t ts_ns;        /* capture time, ns since the Unix epoch (UTC) */
    uint64_t frame;       /* 1-based frame number in its file of the frame that completed it */
    uint64_t frame_first; /* first frame that contributed bytes (== frame if only one) */
    uint32_t file_index;  /* which input (0-based, order given on the command line) */
    uint16_t flags;       /* CAP_F_* */
    uint8_t transport;    /* enum cap_transport */
    uint8_t kind;         /* enum cap_kind */
    struct cap_addr src, dst;
    uint64_t stream_id;   /* CAP_KIND_STREAM: one id per connection direction, never reused */
    uint32_t hep_capture_id;
    sv_t hep_node;        /* HEP capture node name, if the packet carried one */
};

typedef void (*cap_payload_fn)(void *ctx, const struct cap_payload *p);

/* Optional description attached to pseudo-link frames (text traces, raw SIP files). */
struct cap_meta {
    uint16_t flags; /* CAP_F_NO_TIME, CAP_F_NO_ADDR, CAP_F_NO_DATE */
    uint8_t transport;
    struct cap_addr src, dst;
};

/* One record read from an input. data stays valid until the next cap_next() or cap_close() on
 * the same file, whatever the input (mapped files give their pages back as the reader moves
 * on). */
struct cap_frame {
    const uint8_t *data;
    uint32_t caplen;       /* bytes present */
    uint32_t origlen;      /* bytes on the wire */
    int64_t ts_ns;
    uint64_t frame;        /* 1-based record number */
    uint64_t offset;       /* byte offset of the record in the input */
    uint32_t linktype;     /* enum cap_link (or any pcap LINKTYPE; unknown ones are counted) */
    uint32_t if_id;        /* pcapng interface id; 0 for pcap */
    const struct cap_meta *meta; /* only for pseudo link types; NULL otherwise */
};

/* Counters. Every skipped frame or byte lands in exactly one of these. The list with names and
 * descriptions is capture/stats.def. */
enum cap_stat {
#define X(id, name, desc) CAP_STAT_##id,
#include "capture/stats.def"
#undef X
    CAP_STAT__COUNT
};

struct cap_stats {
    uint64_t n[CAP_STAT__COUNT];
};

const char *cap_stat_name(enum cap_stat s);
const char *cap_stat_desc(enum cap_stat s);

enum cap_format {
    CAP_FMT_UNKNOWN = 0,
    CAP_FMT_PCAP,
    CAP_FMT_PCAPNG,
    CAP_FMT_HEP,      /* a raw stream of HEP packets */
    CAP_FMT_SIP_TEXT, /* SIP messages as text (one raw message, or a log/trace export) */
};

const char *cap_format_name(enum cap_format f);

/* Where and why a reader stopped before the end of its input. */
struct cap_damage {
    bool stopped;       /* the reader hit damage and did not reach the end */
    uint64_t offset;    /* byte offset of the damage */
    uint64_t frame;     /* frames delivered before it */
    char what[160];     /* plain-words reason, e.g. "record length 4294967295 exceeds 262144" */
};

struct cap_file;

struct cap_open_opts {
    uint32_t file_index;
    bool no_mmap; /* read with read(2) even for regular files (tests, benchmarks) */
};

/* Open path ("-" = stdin) and detect its format from its first bytes. On success *out is the
 * reader. On failure returns ERR_IO (cannot open/read), ERR_FORMAT (not an input we know; the
 * message in err says what the bytes look like) or ERR_TRUNC (empty or cut inside the file
 * header); err (cap >= 128) gets a message naming the file. */
MUST_CHECK int cap_open(const char *path, const struct cap_open_opts *o, struct cap_file **out,
                        char *err, size_t errcap);

/* Open an input held in memory (an upload, a test, a fuzzer): name is used in messages; data
 * must stay valid and unchanged until cap_close and is not copied (frames point into it).
 * o->no_mmap makes the reader take the bytes in small pieces through its read(2) path instead,
 * so that path can be tested without files. Returns as cap_open. */
MUST_CHECK int cap_open_mem(const void *data, size_t len, const char *name,
                            const struct cap_open_opts *o, struct cap_file **out, char *err,
                            size_t errcap);

/* Next frame. Returns 1 with *f filled, 0 at the end of input, or a negative ERR_* when damage
 * stops the reader (then cap_file_damage() says where; the frames before it were delivered).
 * Frames with caplen < origlen are delivered as they are. */
MUST_CHECK int cap_next(struct cap_file *cf, struct cap_frame *f);

enum cap_format cap_file_format(const struct cap_file *cf);
const struct cap_damage *cap_file_damage(const struct cap_file *cf);
const char *cap_file_path(const struct cap_file *cf);
uint64_t cap_file_size(const struct cap_file *cf); /* 0 if unknown (pipe) */
uint64_t cap_file_bytes_read(const struct cap_file *cf);
/* Counters the reader itself keeps (what a text or raw HEP reader skipped between messages or
 * packets); the caller adds them to its totals. Valid until cap_close. */
const struct cap_stats *cap_file_stats(const struct cap_file *cf);
void cap_close(struct cap_file *cf);

/* Decoder limits. Zero fields take the defaults shown. */
struct cap_decoder_opts {
    size_t frag_max_bytes;      /* bytes held in incomplete IP datagrams (8 MiB) */
    uint32_t frag_max_datagrams; /* incomplete datagrams held (4096) */
    int64_t frag_timeout_ns;    /* drop an incomplete datagram after this capture time (30 s) */
    size_t tcp_max_bytes;       /* bytes held out of order per direction (1 MiB) */
    uint32_t tcp_max_streams;   /* connections tracked (65536) */
    int64_t tcp_idle_ns;        /* forget an idle connection after (300 s) */
    bool udp_all_ports;         /* look for SIP on any UDP port (default true via defaults) */
};

struct cap_decoder;

/* Create a decoder that pushes payloads to fn(ctx, ...). The stats struct is owned by the
 * caller and must outlive the decoder; the decoder only adds to it. */
struct cap_decoder *cap_decoder_new(const struct cap_decoder_opts *o, cap_payload_fn fn,
                                    void *ctx, struct cap_stats *st);

/* Decode one frame (any link type, pseudo types included) and push what it carries. file_index
 * is copied into each payload. Never fails: undecodable frames are counted. */
void cap_decode(struct cap_decoder *d, const struct cap_frame *f, uint32_t file_index);

/* End of all input: push what reassembly still holds that can be delivered, count what is lost
 * (fragments never completed, stream bytes after a gap), free the decoder. */
void cap_decoder_finish(struct cap_decoder *d);

/* ---- HEP, the Homer Encapsulation Protocol (hep.c) ----
 *
 * HEP state shared by the places that meet HEP: the decoder (UDP datagrams on any port, frames of
 * a raw HEP file) and ingest (HEP3 over TCP). It owns a bounded buffer for inflated payloads and
 * counts into the hep.* counters of the caller's struct cap_stats. */
struct cap_hep;

/* Create HEP state counting into st (owned by the caller, must outlive the state). */
struct cap_hep *cap_hep_new(struct cap_stats *st);
void cap_hep_free(struct cap_hep *h);

/* HEP3 framing (for streams and files): if p starts with "HEP3", the packet's total length once
 * the 6-byte header is there; 0 when fewer than 6 bytes are there and they could still start a
 * HEP3 packet; ERR_PARSE when p does not start with "HEP3" or the length is below 6. */
MUST_CHECK int cap_hep3_len(const uint8_t *p, size_t len);

/* Decapsulate p[0..len) if it starts with a HEP packet: HEP3 (several packets back to back are
 * taken one after another), or HEP v1/v2 (one fixed header, the rest is the payload; recognised
 * only when its header is consistent and its payload starts with a SIP start line). Each SIP
 * payload is pushed to fn as one CAP_KIND_MESSAGE payload with CAP_F_HEP, the inner addresses,
 * ports, transport and time (tmpl->ts_ns when the packet has none), capture id and node name;
 * the data and the node name are valid during the call only. tmpl supplies the frame numbers,
 * file index and CAP_F_TRUNCATED (the bytes were cut by the snapshot length); its other fields
 * are ignored. Logs, RTCP and other payload types are counted (hep.not_sip), not pushed; broken
 * packets are counted and never read past len. Returns false, counting nothing, when p does not
 * start with a HEP packet (the caller treats the bytes as something else). */
bool cap_hep_decap(struct cap_hep *h, const uint8_t *p, size_t len, const struct cap_payload *tmpl,
                   cap_payload_fn fn, void *ctx);

#endif
