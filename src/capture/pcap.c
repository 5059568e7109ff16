/* Classic pcap reader (libpcap's savefile format, draft-ietf-opsawg-pcap).
 *
 * Both byte orders, microsecond (a1b2c3d4) and nanosecond (a1b23c4d) timestamps, and the
 * "modified" pcap of old Red Hat tcpdump (a1b2cd34, 8 more bytes per record header). A record
 * is delivered as it is, caplen < origlen included. A record longer than CAP_MAX_RECORD cannot
 * be a packet, so it is damage, as is a file that ends inside a record. thiszone and sigfigs are
 * ignored (every writer sets them to 0). This file does not look inside packets. */
#include <stdio.h>

#include "capture/capture.h"
#include "capture/capture_int.h"

#define PCAP_HDR_LEN 24u
#define PCAP_REC_LEN 16u

static int pcap_next(struct cap_file *cf, struct cap_frame *f)
{
    const uint8_t *p;
    uint64_t off = cf->pos;
    uint32_t hlen = PCAP_REC_LEN + cf->rec_extra;
    int64_t n = cap_src_need(cf, hlen, &p);
    if (n < 0)
        return (int)n;
    if (n == 0)
        return 0;
    if (n < hlen)
        return cap_damage(cf, ERR_TRUNC, off,
                          "file ends inside the header of record %llu (%lld of %u bytes)",
                          (unsigned long long)cf->frames + 1, (long long)n, hlen);
    uint32_t sec = ld32(p, cf->be), frac = ld32(p + 4, cf->be);
    uint32_t caplen = ld32(p + 8, cf->be), origlen = ld32(p + 12, cf->be);
    if (caplen > CAP_MAX_RECORD)
        return cap_damage(cf, ERR_FORMAT, off,
                          "record %llu announces %u bytes, more than the %u a packet can have",
                          (unsigned long long)cf->frames + 1, caplen, CAP_MAX_RECORD);
    n = cap_src_need(cf, (size_t)hlen + caplen, &p);
    if (n < 0)
        return (int)n;
    if (n < (int64_t)hlen + caplen)
        return cap_damage(cf, ERR_TRUNC, off,
                          "file ends inside record %llu: %u bytes announced, %lld present",
                          (unsigned long long)cf->frames + 1, caplen, (long long)(n - hlen));
    f->data = p + hlen;
    f->caplen = caplen;
    f->origlen = origlen;
    f->ts_ns = (int64_t)sec * 1000000000 + (int64_t)frac * (cf->nsec ? 1 : 1000);
    f->offset = off;
    f->linktype = cf->linktype;
    f->if_id = 0;
    f->meta = NULL;
    cap_src_skip(cf, (size_t)hlen + caplen);
    return 1;
}

int cap_pcap_open(struct cap_file *cf, char *err, size_t errcap)
{
    const uint8_t *p;
    int64_t n = cap_src_need(cf, PCAP_HDR_LEN, &p);
    if (n < 0) {
        snprintf(err, errcap, "%s: read error", cf->path);
        return ERR_IO;
    }
    if (n < PCAP_HDR_LEN) {
        snprintf(err, errcap, "%s: pcap file cut inside its %u-byte header (%lld bytes)", cf->path,
                 PCAP_HDR_LEN, (long long)n);
        return ERR_TRUNC;
    }
    uint32_t magic = ld_le32(p);
    cf->be = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1 || magic == 0x34cdb2a1;
    magic = ld32(p, cf->be);
    cf->nsec = magic == 0xa1b23c4d;
    cf->rec_extra = magic == 0xa1b2cd34 ? 8 : 0;
    uint16_t major = ld16(p + 4, cf->be);
    if (major != 2) {
        snprintf(err, errcap, "%s: pcap version %u is not one we read (expected 2)", cf->path,
                 major);
        return ERR_FORMAT;
    }
    cf->snaplen = ld32(p + 16, cf->be);
    /* The upper bits hold the FCS length and flags; the link type is the low 16 bits. */
    cf->linktype = ld32(p + 20, cf->be) & 0xffffu;
    cf->fmt = CAP_FMT_PCAP;
    cf->next = pcap_next;
    cap_src_skip(cf, PCAP_HDR_LEN);
    return 0;
}
