/* Raw HEP files: a sequence of HEP3 packets as a collector receives them over TCP (or a tool
 * saves them from a socket), with nothing between them.
 *
 * Each packet is framed by its own 16-bit length and becomes one frame of the pseudo link type
 * CAP_LINK_HEP, decoded by hep.c like HEP found inside a capture. The frame's time is the
 * packet's timestamp chunks (9/10) when it has them, else the previous frame's, so capture time
 * never goes backwards for the engine. Bytes that do not start a HEP3 packet (a half-written
 * packet, garbage between packets) are skipped up to the next "HEP3" and counted
 * (hep.stream_bytes_skipped); a file that ends inside a packet is damage. HEP v1/v2 packets carry
 * no length, so they cannot be framed in a file and are not read here. */
#include <stdio.h>

#include "capture/capture.h"
#include "capture/capture_int.h"

#define HEP_HDR 6u

/* The time in the chunks of the HEP3 packet p[0..len), if it has one. */
static bool hep3_time(const uint8_t *p, size_t len, int64_t *ts)
{
    struct cur c = cur_make(p + HEP_HDR, len - HEP_HDR);
    uint32_t sec = 0, usec = 0;
    bool has_sec = false;
    while (c.len >= 6) {
        uint16_t vendor = ld_be16(c.p), type = ld_be16(c.p + 2);
        size_t clen = ld_be16(c.p + 4);
        if (clen < 6 || clen > c.len)
            break;
        if (vendor == 0 && clen == 10 && type == 9) {
            sec = ld_be32(c.p + 6);
            has_sec = true;
        } else if (vendor == 0 && clen == 10 && type == 10) {
            usec = ld_be32(c.p + 6);
        }
        cur_skip(&c, clen);
    }
    if (!has_sec)
        return false;
    *ts = (int64_t)sec * 1000000000 + (int64_t)(usec < 1000000 ? usec : 0) * 1000;
    return true;
}

/* Skip to the next "HEP3" that announces a possible length (a header cut by the end of the
 * window or of the input counts as found: the caller sees what it is). The byte at the current
 * position is known bad. Returns 1, or ERR_IO. */
static int resync(struct cap_file *cf)
{
    size_t from = 1;
    for (;;) {
        const uint8_t *p;
        int64_t n = cap_src_need(cf, 65536, &p);
        if (n < 0)
            return (int)n;
        size_t i = from, have = (size_t)n;
        while (i < have && !(p[i] == 'H' && cap_hep3_len(p + i, have - i) >= 0))
            i++;
        if (i > have)
            i = have;
        cf->st.n[CAP_STAT_HEP_SKIPPED] += i;
        cap_src_skip(cf, i);
        if (i < have || have < 65536)
            return 1;
        from = 0;
    }
}

static int hep_next(struct cap_file *cf, struct cap_frame *f)
{
    const uint8_t *p;
    for (;;) {
        int64_t n = cap_src_need(cf, HEP_HDR, &p);
        if (n <= 0)
            return (int)n;
        int len = cap_hep3_len(p, (size_t)n);
        if (len == 0)
            return cap_damage(cf, ERR_TRUNC, cf->pos,
                              "file ends inside the header of HEP packet %llu (%lld of 6 bytes)",
                              (unsigned long long)cf->frames + 1, (long long)n);
        if (len > 0)
            break;
        int rc = resync(cf);
        if (rc < 0)
            return rc;
    }
    uint64_t off = cf->pos;
    size_t len = ld_be16(p + 4);
    int64_t n = cap_src_need(cf, len, &p);
    if (n < 0)
        return (int)n;
    if ((size_t)n < len)
        return cap_damage(cf, ERR_TRUNC, off,
                          "file ends inside HEP packet %llu (%lld of %zu bytes)",
                          (unsigned long long)cf->frames + 1, (long long)n, len);
    if (!hep3_time(p, len, &f->ts_ns))
        f->ts_ns = cf->last_ts;
    cf->last_ts = f->ts_ns;
    f->data = p;
    f->caplen = f->origlen = (uint32_t)len;
    f->offset = off;
    f->linktype = CAP_LINK_HEP;
    f->if_id = 0;
    f->meta = NULL;
    cap_src_skip(cf, len);
    return 1;
}

int cap_hep_file_open(struct cap_file *cf, char *err, size_t errcap)
{
    const uint8_t *p;
    int64_t n = cap_src_need(cf, HEP_HDR, &p);
    if (n < (int64_t)HEP_HDR) {
        snprintf(err, errcap, "%s: only %lld bytes, cut inside the first HEP3 header", cf->path,
                 (long long)(n < 0 ? 0 : n));
        return n < 0 ? ERR_IO : ERR_TRUNC;
    }
    if (cap_hep3_len(p, (size_t)n) < 0) {
        snprintf(err, errcap,
                 "%s: starts with 'HEP3' but announces %u bytes, less than its own 6-byte header",
                 cf->path, ld_be16(p + 4));
        return ERR_FORMAT;
    }
    cf->fmt = CAP_FMT_HEP;
    cf->next = hep_next;
    return 0;
}
