/* Helpers shared by the tests of src/sip: every input goes through guard_copy() so that it ends at
 * a PROT_NONE page and any read past its end faults; corpus files are read from the source tree.
 * Header-only (static inline) because tests/CMakeLists.txt builds each test_*.c on its own. */
#ifndef TESTS_SIP_SIP_TEST_H
#define TESTS_SIP_SIP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sv.h"
#include "sip/sip.h"
#include "support/files.h"
#include "support/guard.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A guarded copy of a C string (its NUL not included). Free with guard_free(v.p). */
static inline sv_t gsv(const char *s)
{
    size_t n = strlen(s);
    return sv_make(guard_copy(s, n), n);
}

static inline sv_t gsvn(const void *p, size_t n)
{
    return sv_make(guard_copy(p, n), n);
}

static inline void gfree(sv_t v)
{
    guard_free((void *)v.p);
}

/* A corpus file, guarded; fails the test if missing. */
static inline sv_t gfile(const char *rel)
{
    size_t n = 0;
    char *raw = read_file(src_path(rel), &n);
    if (!raw) {
        fprintf(stderr, "cannot read %s\n", src_path(rel));
        abort();
    }
    sv_t v = gsvn(raw, n);
    free(raw);
    return v;
}

static inline bool sv_is(sv_t v, const char *s)
{
    return v.p && sv_eq(v, sv_cstr(s));
}

/* Anomaly set as a readable string for failure messages: "trailing-bytes,bare-lf". */
static inline const char *anom_str(uint32_t bits, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int a = 0; a < SIP_ANOM__COUNT && n < cap; a++)
        if (bits & SIP_ANOM_BIT(a))
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "," : "",
                                  sip_anomaly_name((enum sip_anomaly)a));
    return buf;
}

/* UDP payloads of a classic little-endian pcap with Ethernet + IPv4 framing (enough for the
 * corpus captures used here). Calls fn(frame_no, payload, ctx) with a guarded copy of each UDP
 * payload, frame_no counting every record from 1. Returns the number of records, -1 if the
 * file is not such a pcap. */
typedef void (*udp_fn)(int frame, sv_t payload, void *ctx);

static inline uint32_t rd_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline int pcap_udp_payloads(const char *rel, udp_fn fn, void *ctx)
{
    size_t n = 0;
    unsigned char *f = (unsigned char *)read_file(src_path(rel), &n);
    if (!f || n < 24 || rd_le32(f) != 0xa1b2c3d4u || rd_le32(f + 20) != 1) {
        free(f);
        return -1;
    }
    int frame = 0;
    for (size_t off = 24; off + 16 <= n;) {
        size_t caplen = rd_le32(f + off + 8);
        const unsigned char *pkt = f + off + 16;
        off += 16 + caplen;
        if (off > n)
            break;
        frame++;
        if (caplen < 14 + 20 + 8 || pkt[12] != 0x08 || pkt[13] != 0x00)
            continue;
        const unsigned char *ip = pkt + 14;
        size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
        if ((ip[0] >> 4) != 4 || ip[9] != 17 || 14 + ihl + 8 > caplen)
            continue;
        const unsigned char *udp = ip + ihl;
        size_t ulen = (size_t)udp[4] << 8 | udp[5];
        if (ulen < 8 || 14 + ihl + ulen > caplen)
            continue;
        sv_t v = gsvn(udp + 8, ulen - 8);
        fn(frame, v, ctx);
        gfree(v);
    }
    free(f);
    return frame;
}

#define A(x) SIP_ANOM_BIT(SIP_ANOM_##x)

#endif
