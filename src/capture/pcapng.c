/* pcapng reader (draft-ietf-opsawg-pcapng).
 *
 * Reads sections one after another: each Section Header Block sets the byte order and forgets
 * the previous section's interfaces. Interface Description Blocks give each interface its own
 * link type, snaplen, if_tsresol (10^-n or 2^-n) and if_tsoffset. Packets come from Enhanced,
 * Simple (interface 0, no timestamp) and obsolete Packet Blocks; every other block type is
 * skipped. A block whose length is not a multiple of 4, is below the minimum, exceeds
 * CAP_MAX_BLOCK, does not match its trailing copy, or runs past the end of the file is damage,
 * as is a packet larger than its block or naming an interface the section did not describe.
 * Options other than if_tsresol and if_tsoffset are not read; comments and name resolution are
 * not kept. */
#include <stdio.h>
#include <stdlib.h>

#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

#define BT_SHB  0x0a0d0d0au
#define BT_IDB  1u
#define BT_PB   2u
#define BT_SPB  3u
#define BT_EPB  6u
#define BOM     0x1a2b3c4du
#define MAX_IFS 65536u

int64_t cap_pcapng_ts(const struct pcapng_if *ifc, uint64_t units)
{
    unsigned __int128 ns;
    if (ifc->pow2) {
        ns = ((unsigned __int128)units * 1000000000u) >> ifc->resol;
    } else if (ifc->resol <= 9) {
        uint64_t mult = 1;
        for (unsigned i = ifc->resol; i < 9; i++)
            mult *= 10;
        ns = (unsigned __int128)units * mult;
    } else {
        unsigned __int128 div = 1;
        for (unsigned i = 9; i < ifc->resol && div <= (unsigned __int128)UINT64_MAX; i++)
            div *= 10;
        ns = units / div;
    }
    __int128 t = (__int128)ns + (__int128)ifc->offset_s * 1000000000;
    if (t > INT64_MAX)
        return INT64_MAX;
    if (t < INT64_MIN)
        return INT64_MIN;
    return (int64_t)t;
}

/* Read the next whole block at cf->pos into *blk (length *len, checked against its trailer).
 * Returns 1, 0 at a clean end of file, or a negative ERR_* after recording damage. */
static int block_get(struct cap_file *cf, uint32_t *type, const uint8_t **blk, uint32_t *len)
{
    const uint8_t *p;
    uint64_t off = cf->pos;
    int64_t n = cap_src_need(cf, 12, &p);
    if (n <= 0)
        return (int)n;
    if (n < 12)
        return cap_damage(cf, ERR_TRUNC, off, "file ends inside a block header (%lld of 12 bytes)",
                          (long long)n);
    *type = ld32(p, cf->be);
    if (*type == BT_SHB) {
        if (ld_le32(p + 8) != BOM && ld_be32(p + 8) != BOM)
            return cap_damage(cf, ERR_FORMAT, off,
                              "section header block with an unknown byte-order mark");
        cf->be = ld_be32(p + 8) == BOM;
    }
    uint32_t total = ld32(p + 4, cf->be);
    uint32_t min = *type == BT_SHB ? 28 : 12;
    if (total < min || total % 4 != 0 || total > CAP_MAX_BLOCK)
        return cap_damage(cf, ERR_FORMAT, off,
                          "block of type 0x%x has an impossible length %u (%s)", *type, total,
                          total < min ? "too short"
                          : total % 4 ? "not a multiple of 4"
                                      : "larger than 16 MiB");
    n = cap_src_need(cf, total, &p);
    if (n < 0)
        return (int)n;
    if (n < total)
        return cap_damage(cf, ERR_TRUNC, off,
                          "file ends inside a block of type 0x%x: %u bytes announced, %lld present",
                          *type, total, (long long)n);
    if (ld32(p + total - 4, cf->be) != total)
        return cap_damage(cf, ERR_FORMAT, off,
                          "block of type 0x%x: trailing length %u does not match leading %u", *type,
                          ld32(p + total - 4, cf->be), total);
    *blk = p;
    *len = total;
    return 1;
}

static int section_start(struct cap_file *cf, const uint8_t *b, uint64_t off)
{
    uint16_t major = ld16(b + 12, cf->be);
    if (major != 1)
        return cap_damage(cf, ERR_FORMAT, off, "pcapng section version %u is not 1", major);
    cf->n_ifs = 0;
    return 0;
}

/* Read if_tsresol and if_tsoffset from an IDB's options (malformed options end the walk). */
static void idb_options(struct cap_file *cf, struct pcapng_if *ifc, struct cur c)
{
    uint16_t code, olen;
    while (c.len >= 4) {
        code = ld16(c.p, cf->be);
        olen = ld16(c.p + 2, cf->be);
        cur_skip(&c, 4);
        const uint8_t *v = cur_take(&c, olen);
        if (code == 0 || !v)
            return;
        if (code == 9 && olen >= 1) {
            ifc->pow2 = (v[0] & 0x80) != 0;
            ifc->resol = v[0] & 0x7f;
        } else if (code == 14 && olen >= 8) {
            ifc->offset_s = (int64_t)ld64(v, cf->be);
        }
        cur_skip(&c, (4 - olen % 4) % 4);
    }
}

static int idb_add(struct cap_file *cf, const uint8_t *b, uint32_t len, uint64_t off)
{
    if (len < 20)
        return cap_damage(cf, ERR_FORMAT, off, "interface description block of %u bytes", len);
    if (cf->n_ifs >= MAX_IFS)
        return cap_damage(cf, ERR_FORMAT, off, "more than %u interfaces in one section", MAX_IFS);
    if (cf->n_ifs == cf->ifs_cap) {
        cf->ifs_cap = cf->ifs_cap ? cf->ifs_cap * 2 : 4;
        cf->ifs = xrealloc(cf->ifs, cf->ifs_cap * sizeof(*cf->ifs));
    }
    struct pcapng_if *ifc = &cf->ifs[cf->n_ifs++];
    *ifc = (struct pcapng_if){ .linktype = ld16(b + 8, cf->be),
                               .snaplen = ld32(b + 12, cf->be),
                               .resol = 6 };
    idb_options(cf, ifc, cur_make(b + 16, len - 20));
    return 0;
}

/* Fill f from a packet block; returns 1, or damage. */
static int packet_block(struct cap_file *cf, uint32_t type, const uint8_t *b, uint32_t len,
                        struct cap_frame *f)
{
    uint64_t off = cf->pos;
    uint32_t if_id, caplen, origlen, room, hdr = type == BT_SPB ? 12 : 28;
    if (len < hdr + 4)
        return cap_damage(cf, ERR_FORMAT, off, "packet block of type %u is only %u bytes", type,
                          len);
    room = len - hdr - 4;
    if (type == BT_SPB) {
        if_id = 0;
        origlen = ld32(b + 8, cf->be);
        caplen = origlen < room ? origlen : room;
    } else {
        if_id = type == BT_PB ? ld16(b + 8, cf->be) : ld32(b + 8, cf->be);
        caplen = ld32(b + 20, cf->be);
        origlen = ld32(b + 24, cf->be);
    }
    if (if_id >= cf->n_ifs)
        return cap_damage(cf, ERR_FORMAT, off,
                          "packet block names interface %u but the section describes %u", if_id,
                          cf->n_ifs);
    const struct pcapng_if *ifc = &cf->ifs[if_id];
    if (type == BT_SPB && ifc->snaplen && caplen > ifc->snaplen)
        caplen = ifc->snaplen;
    if (caplen > room || caplen > CAP_MAX_RECORD)
        return cap_damage(cf, ERR_FORMAT, off,
                          "packet of %u bytes does not fit its %u-byte block%s", caplen, len,
                          caplen > CAP_MAX_RECORD ? " (or exceeds 262144)" : "");
    f->data = b + hdr;
    f->caplen = caplen;
    f->origlen = origlen;
    if (type == BT_SPB) {
        f->ts_ns = cf->last_ts;
    } else {
        uint64_t units = (uint64_t)ld32(b + 12, cf->be) << 32 | ld32(b + 16, cf->be);
        f->ts_ns = cap_pcapng_ts(ifc, units);
    }
    f->offset = off;
    f->linktype = ifc->linktype;
    f->if_id = if_id;
    f->meta = NULL;
    return 1;
}

static int pcapng_next(struct cap_file *cf, struct cap_frame *f)
{
    for (;;) {
        uint32_t type = 0, len = 0;
        const uint8_t *b = NULL;
        int rc = block_get(cf, &type, &b, &len);
        if (rc <= 0)
            return rc;
        if (type == BT_SHB)
            rc = section_start(cf, b, cf->pos);
        else if (type == BT_IDB)
            rc = idb_add(cf, b, len, cf->pos);
        else if (type == BT_EPB || type == BT_SPB || type == BT_PB)
            rc = packet_block(cf, type, b, len, f);
        else
            rc = 0; /* statistics, name resolution, secrets, custom...: skipped */
        if (rc < 0)
            return rc;
        cap_src_skip(cf, len);
        if (rc == 1) {
            cf->last_ts = f->ts_ns;
            return 1;
        }
    }
}

int cap_pcapng_open(struct cap_file *cf, char *err, size_t errcap)
{
    uint32_t type = 0, len = 0;
    const uint8_t *b = NULL;
    cf->fmt = CAP_FMT_PCAPNG;
    cf->next = pcapng_next;
    int rc = block_get(cf, &type, &b, &len);
    if (rc == 0)
        rc = cap_damage(cf, ERR_TRUNC, 0, "empty");
    if (rc > 0)
        rc = section_start(cf, b, 0);
    if (rc < 0) {
        snprintf(err, errcap, "%s: bad pcapng section header: %s", cf->path, cf->damage.what);
        return rc;
    }
    cap_src_skip(cf, len);
    return 0;
}
