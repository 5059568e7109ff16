/* capture internals shared by the readers and the decoder; never included outside capture/.
 *
 * Three things live here: the bounds-checked cursor every parser of capture bytes reads
 * through, the reader's state (struct cap_file) with its byte source (a mapping, a memory
 * buffer, or read(2) into a reused buffer), and the decoder's state with the internal entry
 * points that link, IP, fragment and transport code call on each other. */
#ifndef CAPTURE_CAPTURE_INT_H
#define CAPTURE_CAPTURE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/htab.h"
#include "capture/capture.h"

/* ---- cursor: every read of capture bytes goes through one of these ---- */

/* A view of the bytes not yet read. Reads fail (return false) rather than run past p + len;
 * a failed read leaves the cursor unchanged. */
struct cur {
    const uint8_t *p;
    size_t len;
};

static inline struct cur cur_make(const uint8_t *p, size_t len)
{
    return (struct cur){ p, len };
}

/* Unchecked loads: only after the caller has checked that the bytes are there. */
static inline uint16_t ld_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t ld_le16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[1] << 8 | p[0]);
}

static inline uint32_t ld_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* 16/32/64-bit load in the byte order of a file (swap = the other order than little). */
static inline uint16_t ld16(const uint8_t *p, bool be)
{
    return be ? ld_be16(p) : ld_le16(p);
}

static inline uint32_t ld32(const uint8_t *p, bool be)
{
    return be ? ld_be32(p) : ld_le32(p);
}

static inline uint64_t ld64(const uint8_t *p, bool be)
{
    uint64_t a = ld32(p, be), b = ld32(p + 4, be);
    return be ? (a << 32 | b) : (b << 32 | a);
}

static inline bool cur_has(const struct cur *c, size_t n)
{
    return c->len >= n;
}

/* Pointer to the next n bytes and advance past them, or NULL if fewer remain. */
static inline const uint8_t *cur_take(struct cur *c, size_t n)
{
    if (c->len < n)
        return NULL;
    const uint8_t *p = c->p;
    c->p += n;
    c->len -= n;
    return p;
}

static inline bool cur_skip(struct cur *c, size_t n)
{
    return cur_take(c, n) != NULL;
}

static inline bool cur_u8(struct cur *c, uint8_t *v)
{
    const uint8_t *p = cur_take(c, 1);
    if (p)
        *v = p[0];
    return p != NULL;
}

static inline bool cur_be16(struct cur *c, uint16_t *v)
{
    const uint8_t *p = cur_take(c, 2);
    if (p)
        *v = ld_be16(p);
    return p != NULL;
}

static inline bool cur_be32(struct cur *c, uint32_t *v)
{
    const uint8_t *p = cur_take(c, 4);
    if (p)
        *v = ld_be32(p);
    return p != NULL;
}

static inline bool cur_le32(struct cur *c, uint32_t *v)
{
    const uint8_t *p = cur_take(c, 4);
    if (p)
        *v = ld_le32(p);
    return p != NULL;
}

/* Keep only the first n bytes (a length field shorter than what is present: padding). */
static inline void cur_limit(struct cur *c, size_t n)
{
    if (n < c->len)
        c->len = n;
}

/* ---- reader ---- */

/* Largest record (packet) a pcap or pcapng file may announce: the standard maximum packet size
 * of libpcap and Wireshark (WTAP_MAX_PACKET_SIZE_STANDARD). A longer record is damage. */
#define CAP_MAX_RECORD (256u * 1024u)
/* Largest pcapng block (options, name resolution, secrets...), and largest SIP message of a
 * text trace. It bounds the read buffer. */
#define CAP_MAX_BLOCK (16u * 1024u * 1024u)
/* Size of the first read and of the initial read buffer. */
#define CAP_READ_CHUNK (256u * 1024u)

struct pcapng_if {
    uint32_t linktype;
    uint32_t snaplen;
    bool pow2;        /* if_tsresol is a power of 2 */
    uint8_t resol;    /* exponent of if_tsresol */
    int64_t offset_s; /* if_tsoffset, seconds */
};

struct cap_file;
typedef int (*cap_next_fn)(struct cap_file *cf, struct cap_frame *f);

struct cap_file {
    char *path;
    enum cap_format fmt;
    uint32_t file_index;
    cap_next_fn next;
    /* Byte source. Direct (mapping or caller's memory): base holds everything. Streamed (fd
     * or memory fed in small pieces): buf holds [buf_pos, buf_end), buf[0] at file offset
     * buf_off. */
    bool direct;
    bool mapped; /* base is our mmap (unmap on close) */
    uint64_t dropped; /* mapped: bytes below this offset were given back to the kernel */
    int fd;      /* -1 when none or not ours to read */
    bool own_fd;
    const uint8_t *base;
    uint64_t size;      /* total bytes when known, else 0 */
    const uint8_t *mem; /* streamed memory source (tests, fuzzing) */
    size_t mem_len, mem_off;
    uint8_t *buf;
    size_t buf_cap, buf_pos, buf_end;
    uint64_t buf_off;
    bool eof;
    uint64_t pos;    /* file offset of the next unread byte */
    uint64_t frames; /* frames delivered */
    int stop_rc;     /* sticky result once damage or an error stopped the reader */
    struct cap_damage damage;
    /* format state */
    bool be;            /* file byte order is big-endian */
    bool nsec;          /* pcap: nanosecond timestamps */
    uint32_t rec_extra; /* pcap: bytes after the 16-byte record header (modified pcap) */
    uint32_t linktype;
    uint32_t snaplen;
    /* A Simple Packet Block has no timestamp: it takes the time of the packet before it, which
     * keeps capture time monotonic for the engine's timers (0 before any packet). */
    int64_t last_ts;
    struct pcapng_if *ifs;
    uint32_t n_ifs, ifs_cap;
    struct cap_meta meta;
    struct cap_stats st; /* reader counters (cap_file_stats) */
    struct text_rd *text; /* text.c state, freed by cap_close */
};

/* Make at least n bytes at cf->pos readable; *p points at them. Returns how many are readable
 * there (may be less than n only at the end of input), or ERR_IO. n must not exceed
 * CAP_MAX_BLOCK + 64. A pointer obtained earlier is invalid after the call (streamed input). */
MUST_CHECK int64_t cap_src_need(struct cap_file *cf, size_t n, const uint8_t **p);

/* Consume n bytes at cf->pos; they must have been made readable by cap_src_need. */
void cap_src_skip(struct cap_file *cf, size_t n);

/* Record damage: stops the reader, fills cap_file_damage(), returns rc (a negative ERR_*). */
int cap_damage(struct cap_file *cf, int rc, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Format openers: the first bytes matched; parse the file header at cf->pos, set cf->next.
 * Return 0 or ERR_TRUNC/ERR_FORMAT/ERR_IO with a message in err. */
MUST_CHECK int cap_pcap_open(struct cap_file *cf, char *err, size_t errcap);
MUST_CHECK int cap_pcapng_open(struct cap_file *cf, char *err, size_t errcap);

/* Raw HEP files (hepfile.c): "HEP3" matched at the start of the input. */
MUST_CHECK int cap_hep_file_open(struct cap_file *cf, char *err, size_t errcap);

/* Text traces (text.c). cap_text_detect: do these first bytes hold a SIP start line or a line
 * that starts a message in a trace shape we read? cap_text_open sets the reader up;
 * cap_text_close frees its state (cap_close calls it). */
bool cap_text_detect(const uint8_t *p, size_t len);
MUST_CHECK int cap_text_open(struct cap_file *cf, char *err, size_t errcap);
void cap_text_close(struct cap_file *cf);

/* Converts a pcapng timestamp in units of the interface's if_tsresol to ns since the epoch,
 * saturating on overflow. */
int64_t cap_pcapng_ts(const struct pcapng_if *ifc, uint64_t units);

/* ---- decoder ---- */

/* Deepest nesting of layers (link + tunnels + IP headers) one frame may have. */
#define CAP_MAX_DEPTH 12

/* What a frame's layers have told so far; passed down as the decoder peels them. */
struct pkt {
    const struct cap_frame *f;
    uint32_t file_index;
    bool cut; /* the frame is shorter than on the wire: a short layer is snaplen */
    uint8_t depth;
    uint64_t frame_first;
    uint16_t flags; /* CAP_F_REASSEMBLED for rebuilt datagrams */
    struct cap_addr src, dst;
};

/* Everything TCP stream reassembly needs to know about one segment. */
struct tcp_seg_info {
    struct cap_addr src, dst; /* with ports */
    uint32_t seq, ack;
    uint8_t flags; /* raw TCP flag bits */
    bool syn, fin, rst, has_ack;
    uint16_t window;
    const uint8_t *payload; /* valid during the call only */
    size_t len;             /* payload bytes present */
    size_t wire_len;        /* payload bytes on the wire (> len when truncated) */
    bool truncated;         /* the capture cut the payload short */
    int64_t ts_ns;
    uint64_t frame, frame_first;
    uint32_t file_index;
    uint16_t pflags; /* CAP_F_REASSEMBLED when rebuilt from IP fragments */
};

#define TCP_FL_FIN 0x01
#define TCP_FL_SYN 0x02
#define TCP_FL_RST 0x04
#define TCP_FL_PSH 0x08
#define TCP_FL_ACK 0x10

struct frag_table;

struct cap_decoder {
    struct cap_decoder_opts o;
    cap_payload_fn fn;
    void *ctx;
    struct cap_stats *st;
    struct frag_table *frag;
    void *tcp;           /* state of tcp.c (stream reassembly) */
    void *sctp;          /* state of sctp.c (user-message reassembly) */
    struct cap_hep *hep; /* HEP decapsulation state (hep.c), created on first use */
};

static inline void cap_count(struct cap_decoder *d, enum cap_stat s)
{
    d->st->n[s]++;
}

static inline void cap_count_n(struct cap_decoder *d, enum cap_stat s, uint64_t n)
{
    d->st->n[s] += n;
}

/* Push one payload built from pk to the sink. */
void cap_emit(struct cap_decoder *d, const struct pkt *pk, const uint8_t *data, size_t len,
              enum cap_transport tp, enum cap_kind kind, uint16_t flags);

/* Link layers (decode.c). cap_ether: an Ethernet frame (also inside tunnels). cap_ethertype:
 * what follows an EtherType / PPP / SLL protocol field. */
void cap_ether(struct cap_decoder *d, struct pkt *pk, struct cur c);
void cap_ethertype(struct cap_decoder *d, struct pkt *pk, uint16_t type, struct cur c);
void cap_ppp(struct cap_decoder *d, struct pkt *pk, struct cur c);
void cap_gre(struct cap_decoder *d, struct pkt *pk, struct cur c);

/* IP and transports (ip.c). cap_ip: an IPv4 or IPv6 packet, version from its first nibble.
 * cap_ip_upper: the payload of an IP packet whose protocol is proto (IPv6 extension headers
 * included when v6). */
void cap_ip(struct cap_decoder *d, struct pkt *pk, struct cur c);
void cap_ipv4(struct cap_decoder *d, struct pkt *pk, struct cur c);
void cap_ipv6(struct cap_decoder *d, struct pkt *pk, struct cur c);
void cap_ip_upper(struct cap_decoder *d, struct pkt *pk, uint8_t proto, bool v6, struct cur c,
                  size_t wire_len);

/* A UDP payload with pk's addresses and ports: VXLAN and HEP are recognised here (on any port)
 * before the datagram is pushed as it is. */
void cap_udp_payload(struct cap_decoder *d, struct pkt *pk, const uint8_t *p, size_t len,
                     uint16_t flags);

/* HEP in captures (hep.c). cap_hep_udp: if the UDP payload is HEP, decapsulate it (pushing
 * its SIP messages, counting the rest) and return true; false leaves it to the caller.
 * cap_hep_frame: a CAP_LINK_HEP frame from a raw HEP file. */
bool cap_hep_udp(struct cap_decoder *d, const struct pkt *pk, const uint8_t *p, size_t len,
                 uint16_t flags);
void cap_hep_frame(struct cap_decoder *d, const struct pkt *pk, struct cur c);

/* Do the bytes start with a SIP start line (RFC 3261 §7.1/§7.2: "METHOD URI SIP/x.y" or
 * "SIP/x.y NNN ...")? Leading CR/LF are skipped. A small syntactic check, not a parser: used to
 * tell SIP from other payloads (HEP v1/v2, HEP3 without a type chunk) and start lines in text. */
bool cap_sip_start(const uint8_t *p, size_t len);
/* The same test on the first line of p[0..len) itself (nothing skipped): the length of the start
 * line without its line end and trailing blanks, or 0 when it is not one. */
size_t cap_sip_line(const uint8_t *p, size_t len);

/* One TCP segment (tcp.c): reassembled into stream bytes, pushed as CAP_KIND_STREAM payloads
 * in order (RFC 9293 §3.10.7). cap_tcp_finish pushes what is held and ends every stream. */
void cap_tcp_segment(struct cap_decoder *d, const struct tcp_seg_info *seg);
void cap_tcp_init(struct cap_decoder *d);
void cap_tcp_finish(struct cap_decoder *d);

/* An SCTP packet with pk's addresses (sctp.c): whole DATA/I-DATA user messages pushed as
 * datagrams, fragments reassembled first (RFC 9260 §6.9, RFC 8260). cap_sctp_finish counts
 * the fragments still held as incomplete. */
void cap_sctp(struct cap_decoder *d, struct pkt *pk, struct cur c);
void cap_sctp_init(struct cap_decoder *d);
void cap_sctp_finish(struct cap_decoder *d);

/* Fragment reassembly (frag.c). */
struct frag_key {
    uint8_t family; /* 4 or 6 */
    uint8_t proto;  /* IPv4 protocol; 0 for IPv6 (the next header travels in the data) */
    uint8_t pad[2]; /* explicit, zeroed: keys are hashed and compared as bytes */
    uint32_t id;
    uint32_t file_index;
    uint8_t src[16], dst[16];
};

struct frag_in {
    struct frag_key key;
    uint32_t offset;    /* bytes */
    bool more;          /* more fragments follow */
    uint8_t next_proto; /* IPv6: next header after the fragment header */
    const uint8_t *data;
    size_t len;
};

struct frag_table *cap_frag_new(const struct cap_decoder_opts *o);
/* Add a fragment. When it completes a datagram, decodes it (continuing at the transport) and
 * frees it. */
void cap_frag_add(struct cap_decoder *d, struct pkt *pk, const struct frag_in *fi);
/* Drop incomplete datagrams older than the timeout at capture time now. */
void cap_frag_expire(struct cap_decoder *d, int64_t now);
/* Count what is left as incomplete and free the table. */
void cap_frag_free(struct cap_decoder *d);

#endif
