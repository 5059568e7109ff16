/* Unit tests for the readers (file.c, pcap.c, pcapng.c, text.c) on capture files built byte by
 * byte. Every file is read five ways (mapped, read(2) from the file, memory, memory in small
 * pieces, and a pipe on stdin) and all five must agree. Damage is checked at every cut point. */
/* cmocka.h needs these headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capbuild.h"
#include "capture/capture.h"
#include "support/files.h"

enum mode {
    M_MMAP,
    M_READ,
    M_MEM,
    M_MEMSTREAM,
    M_PIPE,
    M__COUNT
};

#define RD_MAX 16

struct rd {
    int open_rc;
    char err[256];
    int end_rc;
    uint64_t n;
    struct cap_frame fr[RD_MAX];
    uint8_t *data[RD_MAX];
    struct cap_damage dmg;
    enum cap_format fmt;
    uint64_t bytes_read;
    struct cap_stats st; /* the reader's own counters */
};

static char tmp_path[256];

static const char *write_tmp(const struct bb *b)
{
    snprintf(tmp_path, sizeof(tmp_path), "/tmp/ss_capture_test_%d.bin", (int)getpid());
    FILE *f = fopen(tmp_path, "wb");
    assert_non_null(f);
    if (b->len)
        assert_int_equal(fwrite(b->p, 1, b->len, f), b->len);
    fclose(f);
    return tmp_path;
}

static void drain(struct cap_file *cf, struct rd *r)
{
    struct cap_frame f;
    int rc;
    while ((rc = cap_next(cf, &f)) > 0) {
        if (r->n < RD_MAX) {
            r->fr[r->n] = f;
            r->data[r->n] = malloc(f.caplen + 1);
            memcpy(r->data[r->n], f.data, f.caplen);
        }
        r->n++;
    }
    r->end_rc = rc;
    assert_int_equal(cap_next(cf, &f), rc); /* the end (or damage) is sticky */
    r->dmg = *cap_file_damage(cf);
    r->fmt = cap_file_format(cf);
    r->bytes_read = cap_file_bytes_read(cf);
    r->st = *cap_file_stats(cf);
}

static void read_all(const struct bb *file, enum mode m, struct rd *r)
{
    memset(r, 0, sizeof(*r));
    struct cap_file *cf = NULL;
    struct cap_open_opts o = { .no_mmap = m == M_READ || m == M_MEMSTREAM };
    if (m == M_PIPE) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            size_t off = 0;
            while (off < file->len) {
                ssize_t w = write(fds[1], file->p + off, file->len - off);
                if (w <= 0)
                    _exit(1);
                off += (size_t)w;
            }
            _exit(0);
        }
        close(fds[1]);
        int saved = dup(0);
        dup2(fds[0], 0);
        close(fds[0]);
        r->open_rc = cap_open("-", NULL, &cf, r->err, sizeof(r->err));
        if (r->open_rc == 0) {
            drain(cf, r);
            cap_close(cf);
        }
        dup2(saved, 0);
        close(saved);
        int st;
        waitpid(pid, &st, 0);
        return;
    }
    if (m == M_MEM || m == M_MEMSTREAM)
        r->open_rc = cap_open_mem(file->p, file->len, "mem.bin", &o, &cf, r->err, sizeof(r->err));
    else
        r->open_rc = cap_open(write_tmp(file), &o, &cf, r->err, sizeof(r->err));
    if (r->open_rc == 0) {
        drain(cf, r);
        cap_close(cf);
    }
    if (m == M_MMAP || m == M_READ)
        unlink(tmp_path);
}

static void rd_free(struct rd *r)
{
    for (uint64_t i = 0; i < r->n && i < RD_MAX; i++)
        free(r->data[i]);
}

/* Read file all five ways; check they agree with each other; leave the mapped result in out. */
static void read_every_way(const struct bb *file, struct rd *out, bool with_pipe)
{
    read_all(file, M_MMAP, out);
    for (int m = M_READ; m < M__COUNT; m++) {
        if (m == M_PIPE && !with_pipe)
            continue;
        struct rd r;
        read_all(file, (enum mode)m, &r);
        assert_int_equal(r.open_rc, out->open_rc);
        assert_int_equal(r.end_rc, out->end_rc);
        assert_int_equal(r.n, out->n);
        assert_int_equal(r.dmg.stopped, out->dmg.stopped);
        assert_int_equal(r.dmg.offset, out->dmg.offset);
        assert_int_equal(r.dmg.frame, out->dmg.frame);
        assert_string_equal(r.dmg.what, out->dmg.what);
        for (uint64_t i = 0; i < r.n && i < RD_MAX; i++) {
            assert_int_equal(r.fr[i].caplen, out->fr[i].caplen);
            assert_int_equal(r.fr[i].ts_ns, out->fr[i].ts_ns);
            assert_int_equal(r.fr[i].offset, out->fr[i].offset);
            assert_int_equal(r.fr[i].linktype, out->fr[i].linktype);
            assert_memory_equal(r.data[i], out->data[i], r.fr[i].caplen);
        }
        assert_memory_equal(&r.st, &out->st, sizeof(r.st));
        rd_free(&r);
    }
}

/* ---- pcap ---- */

struct rec {
    uint32_t sec, frac, caplen, origlen;
    const char *data;
};

static const struct rec recs3[] = {
    { 1000, 1, 5, 5, "hello" },
    { 1001, 999999, 3, 60, "abc" }, /* cut by the snapshot length */
    { 0xfffffff0u, 42, 8, 8, "12345678" },
};

static struct bb mk_pcap(uint32_t magic, bool be, uint32_t link, const struct rec *r, size_t n)
{
    struct bb b = { 0 };
    bb_u32o(&b, magic, be);
    bb_u16o(&b, 2, be);
    bb_u16o(&b, 4, be);
    bb_u32o(&b, 0, be);
    bb_u32o(&b, 0, be);
    bb_u32o(&b, 65535, be);
    bb_u32o(&b, link, be);
    for (size_t i = 0; i < n; i++) {
        bb_u32o(&b, r[i].sec, be);
        bb_u32o(&b, r[i].frac, be);
        bb_u32o(&b, r[i].caplen, be);
        bb_u32o(&b, r[i].origlen, be);
        if (magic == 0xa1b2cd34)
            bb_zero(&b, 8);
        bb_put(&b, r[i].data, r[i].caplen);
    }
    return b;
}

static void test_pcap_variants(void **state)
{
    (void)state;
    static const uint32_t magics[] = { 0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34 };
    for (int be = 0; be < 2; be++) {
        for (size_t k = 0; k < 3; k++) {
            struct bb f = mk_pcap(magics[k], be, 113, recs3, 3);
            struct rd r;
            read_every_way(&f, &r, k == 0);
            assert_int_equal(r.open_rc, 0);
            assert_int_equal(r.fmt, CAP_FMT_PCAP);
            assert_int_equal(r.end_rc, 0);
            assert_false(r.dmg.stopped);
            assert_int_equal(r.n, 3);
            assert_int_equal(r.bytes_read, f.len);
            uint64_t off = 24, hl = k == 2 ? 24 : 16;
            int64_t unit = k == 1 ? 1 : 1000;
            for (int i = 0; i < 3; i++) {
                assert_int_equal(r.fr[i].frame, (uint64_t)i + 1);
                assert_int_equal(r.fr[i].offset, off);
                assert_int_equal(r.fr[i].caplen, recs3[i].caplen);
                assert_int_equal(r.fr[i].origlen, recs3[i].origlen);
                assert_int_equal(r.fr[i].linktype, 113);
                assert_int_equal(r.fr[i].ts_ns,
                                 (int64_t)recs3[i].sec * 1000000000 + recs3[i].frac * unit);
                assert_memory_equal(r.data[i], recs3[i].data, recs3[i].caplen);
                off += hl + recs3[i].caplen;
            }
            rd_free(&r);
            bb_free(&f);
        }
    }
}

static void test_pcap_cut_everywhere(void **state)
{
    (void)state;
    struct bb f = mk_pcap(0xa1b2c3d4, false, 1, recs3, 3);
    size_t ends[3] = { 24 + 16 + 5, 24 + 16 + 5 + 16 + 3, f.len };
    for (size_t cut = 0; cut < f.len; cut++) {
        struct bb c = { 0 };
        bb_put(&c, f.p, cut);
        struct rd r;
        read_every_way(&c, &r, cut % 16 == 3);
        if (cut < 24) {
            assert_int_equal(r.open_rc, ERR_TRUNC);
            assert_non_null(strstr(r.err, "ss_capture_test_"));
        } else {
            uint64_t done = 0, start = 24;
            while (done < 3 && ends[done] <= cut)
                start = ends[done++];
            assert_int_equal(r.n, done);
            if (cut == start) {
                assert_int_equal(r.end_rc, 0);
                assert_false(r.dmg.stopped);
            } else {
                assert_int_equal(r.end_rc, ERR_TRUNC);
                assert_true(r.dmg.stopped);
                assert_int_equal(r.dmg.offset, start);
                assert_int_equal(r.dmg.frame, done);
                assert_non_null(strstr(r.dmg.what, "file ends inside"));
            }
        }
        rd_free(&r);
        bb_free(&c);
    }
    bb_free(&f);
}

static void test_pcap_absurd_length(void **state)
{
    (void)state;
    struct rec bad[] = { recs3[0], { 1, 2, 0xffffffffu, 0xffffffffu, "" } };
    struct bb f = mk_pcap(0xa1b2c3d4, true, 1, bad, 1);
    bb_be32(&f, 1);
    bb_be32(&f, 2);
    bb_be32(&f, 0xffffffffu);
    bb_be32(&f, 0xffffffffu);
    bb_zero(&f, 100);
    struct rd r;
    read_every_way(&f, &r, true);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.end_rc, ERR_FORMAT);
    assert_int_equal(r.dmg.offset, 24 + 16 + 5);
    assert_int_equal(r.dmg.frame, 1);
    assert_non_null(strstr(r.dmg.what, "4294967295"));
    rd_free(&r);
    bb_free(&f);
    /* one byte over the maximum is damage, the maximum itself is a packet */
    for (uint32_t len = 262144; len <= 262145; len++) {
        struct bb g = mk_pcap(0xa1b2c3d4, false, 1, recs3, 0);
        bb_le32(&g, 0);
        bb_le32(&g, 0);
        bb_le32(&g, len);
        bb_le32(&g, len);
        bb_zero(&g, len);
        read_every_way(&g, &r, false);
        assert_int_equal(r.n, len == 262144 ? 1 : 0);
        assert_int_equal(r.end_rc, len == 262144 ? 0 : ERR_FORMAT);
        rd_free(&r);
        bb_free(&g);
    }
}

/* ---- pcapng ---- */

/* Append a block: type, total length, body (padded to 4), total length. */
static size_t ng_block(struct bb *f, uint32_t type, const struct bb *body, bool be)
{
    size_t start = f->len, pad = (4 - body->len % 4) % 4;
    uint32_t total = (uint32_t)(12 + body->len + pad);
    bb_u32o(f, type, be);
    bb_u32o(f, total, be);
    bb_cat(f, body);
    bb_zero(f, pad);
    bb_u32o(f, total, be);
    return start;
}

static void ng_shb(struct bb *f, bool be)
{
    struct bb b = { 0 };
    bb_u32o(&b, 0x1a2b3c4d, be);
    bb_u16o(&b, 1, be);
    bb_u16o(&b, 0, be);
    bb_u32o(&b, 0xffffffff, be);
    bb_u32o(&b, 0xffffffff, be);
    ng_block(f, 0x0a0d0d0a, &b, be);
    bb_free(&b);
}

/* IDB with optional if_tsresol (tsresol >= 0) and if_tsoffset. */
static void ng_idb(struct bb *f, bool be, unsigned link, int tsresol, int64_t tsoffset)
{
    struct bb b = { 0 };
    bb_u16o(&b, link, be);
    bb_u16o(&b, 0, be);
    bb_u32o(&b, 0, be);
    bb_u16o(&b, 2, be); /* if_name, skipped */
    bb_u16o(&b, 3, be);
    bb_str(&b, "lo0");
    bb_u8(&b, 0);
    if (tsresol >= 0) {
        bb_u16o(&b, 9, be);
        bb_u16o(&b, 1, be);
        bb_u8(&b, (unsigned)tsresol);
        bb_zero(&b, 3);
    }
    if (tsoffset) {
        bb_u16o(&b, 14, be);
        bb_u16o(&b, 8, be);
        bb_u32o(&b, be ? (uint32_t)((uint64_t)tsoffset >> 32) : (uint32_t)tsoffset, be);
        bb_u32o(&b, be ? (uint32_t)tsoffset : (uint32_t)((uint64_t)tsoffset >> 32), be);
    }
    bb_u16o(&b, 0, be);
    bb_u16o(&b, 0, be);
    ng_block(f, 1, &b, be);
    bb_free(&b);
}

static size_t ng_epb(struct bb *f, bool be, uint32_t ifid, uint64_t units, const char *data,
                     uint32_t origlen)
{
    struct bb b = { 0 };
    uint32_t len = (uint32_t)strlen(data);
    bb_u32o(&b, ifid, be);
    bb_u32o(&b, (uint32_t)(units >> 32), be);
    bb_u32o(&b, (uint32_t)units, be);
    bb_u32o(&b, len, be);
    bb_u32o(&b, origlen ? origlen : len, be);
    bb_str(&b, data);
    bb_zero(&b, (4 - len % 4) % 4);
    bb_u16o(&b, 1, be); /* opt_comment, skipped */
    bb_u16o(&b, 2, be);
    bb_str(&b, "hi");
    bb_zero(&b, 2);
    size_t at = ng_block(f, 6, &b, be);
    bb_free(&b);
    return at;
}

struct ng_expect {
    uint32_t link, if_id, caplen, origlen;
    int64_t ts;
    const char *data;
};

/* Two sections (little- then big-endian); interfaces of different link types and time
 * resolutions; EPB, SPB, obsolete PB, an unknown block and a statistics block. */
static struct bb mk_ng(void)
{
    struct bb f = { 0 }, b = { 0 };
    ng_shb(&f, false);
    ng_idb(&f, false, 1, -1, 0);            /* Ethernet, default microseconds */
    ng_idb(&f, false, 101, 0x80 | 10, 100); /* raw IP, 2^-10 s, +100 s */
    ng_epb(&f, false, 0, 1500000, "first", 0);
    bb_str(&b, "unknown block body");
    ng_block(&f, 0x0bad, &b, false);
    bb_free(&b);
    ng_epb(&f, false, 1, 3 * 1024 + 512, "second", 99);
    bb_le32(&b, 7); /* SPB: original length 7, data "simple!" */
    bb_str(&b, "simple!");
    bb_zero(&b, 1 + 8); /* pad + junk the length field says is not packet data */
    ng_block(&f, 3, &b, false);
    bb_free(&b);
    bb_le16(&b, 1); /* PB: interface 1, drops 0 */
    bb_le16(&b, 0);
    bb_le32(&b, 0);
    bb_le32(&b, 2048);
    bb_le32(&b, 3);
    bb_le32(&b, 3);
    bb_str(&b, "old");
    bb_zero(&b, 1);
    ng_block(&f, 2, &b, false);
    bb_free(&b);
    bb_le32(&b, 0); /* ISB for interface 0 */
    bb_zero(&b, 8);
    ng_block(&f, 5, &b, false);
    bb_free(&b);
    ng_shb(&f, true);
    ng_idb(&f, true, 113, 9, 0); /* SLL, nanoseconds */
    ng_epb(&f, true, 0, 7000000005ull, "third section", 0);
    return f;
}

static const struct ng_expect ng_want[] = {
    { 1, 0, 5, 5, 1500000000, "first" },     { 101, 1, 6, 99, 103500000000, "second" },
    { 1, 0, 7, 7, 103500000000, "simple!" }, /* SPB: time of the packet before */
    { 101, 1, 3, 3, 102000000000, "old" },   { 113, 0, 13, 13, 7000000005, "third section" },
};

static void test_pcapng_sections_and_blocks(void **state)
{
    (void)state;
    struct bb f = mk_ng();
    struct rd r;
    read_every_way(&f, &r, true);
    assert_int_equal(r.open_rc, 0);
    assert_int_equal(r.fmt, CAP_FMT_PCAPNG);
    assert_int_equal(r.end_rc, 0);
    assert_int_equal(r.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(r.fr[i].linktype, ng_want[i].link);
        assert_int_equal(r.fr[i].if_id, ng_want[i].if_id);
        assert_int_equal(r.fr[i].caplen, ng_want[i].caplen);
        assert_int_equal(r.fr[i].origlen, ng_want[i].origlen);
        assert_int_equal(r.fr[i].ts_ns, ng_want[i].ts);
        assert_memory_equal(r.data[i], ng_want[i].data, ng_want[i].caplen);
    }
    rd_free(&r);
    bb_free(&f);
}

/* Cut the file at every byte: frames = packet blocks complete before the cut; the damage
 * offset is the start of the block the cut falls in. */
static void test_pcapng_cut_everywhere(void **state)
{
    (void)state;
    struct bb f = mk_ng();
    size_t starts[32], n_blocks = 0, packets_before[32];
    size_t off = 0, pk = 0;
    while (off < f.len) {
        uint32_t type, len;
        bool be = n_blocks >= 9; /* the second section is big-endian */
        memcpy(&type, f.p + off, 4);
        len = be ? (uint32_t)f.p[off + 4] << 24 | (uint32_t)f.p[off + 5] << 16 |
                       (uint32_t)f.p[off + 6] << 8 | f.p[off + 7]
                 : (uint32_t)f.p[off + 7] << 24 | (uint32_t)f.p[off + 6] << 16 |
                       (uint32_t)f.p[off + 5] << 8 | f.p[off + 4];
        packets_before[n_blocks] = pk;
        starts[n_blocks++] = off;
        uint8_t t = f.p[off + (be ? 3 : 0)];
        if (type != 0x0a0d0d0a && (t == 2 || t == 3 || t == 6))
            pk++;
        off += len;
    }
    assert_int_equal(n_blocks, 12);
    assert_int_equal(pk, 5);
    for (size_t cut = 0; cut < f.len; cut++) {
        struct bb c = { 0 };
        bb_put(&c, f.p, cut);
        struct rd r;
        read_every_way(&c, &r, cut % 37 == 0);
        size_t k = 0;
        while (k + 1 < n_blocks && starts[k + 1] <= cut)
            k++;
        if (cut < starts[1]) {
            assert_int_equal(r.open_rc, ERR_TRUNC);
            assert_non_null(strstr(r.err, "ss_capture_test_"));
        } else if (cut == starts[k]) {
            assert_int_equal(r.end_rc, 0);
            assert_int_equal(r.n, packets_before[k]);
        } else {
            assert_int_equal(r.end_rc, ERR_TRUNC);
            assert_int_equal(r.n, packets_before[k]);
            assert_int_equal(r.dmg.offset, starts[k]);
            assert_int_equal(r.dmg.frame, packets_before[k]);
        }
        rd_free(&r);
        bb_free(&c);
    }
    bb_free(&f);
}

static void set_le32(struct bb *f, size_t at, uint32_t v)
{
    f->p[at] = (uint8_t)v;
    f->p[at + 1] = (uint8_t)(v >> 8);
    f->p[at + 2] = (uint8_t)(v >> 16);
    f->p[at + 3] = (uint8_t)(v >> 24);
}

static void test_pcapng_broken_blocks(void **state)
{
    (void)state;
    static const struct {
        int what;
        const char *words;
    } cases[] = {
        { 0, "not a multiple of 4" }, { 1, "trailing length" },   { 2, "too short" },
        { 3, "does not fit" },        { 4, "names interface 5" }, { 5, "larger than 16 MiB" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bb f = { 0 };
        ng_shb(&f, false);
        ng_idb(&f, false, 1, -1, 0);
        ng_epb(&f, false, 0, 1, "good", 0);
        size_t at = ng_epb(&f, false, 0, 2, "broken", 0);
        ng_epb(&f, false, 0, 3, "after", 0);
        uint32_t len = f.p[at + 4] | (uint32_t)f.p[at + 5] << 8;
        switch (cases[i].what) {
        case 0:
            set_le32(&f, at + 4, len + 2);
            break;
        case 1:
            set_le32(&f, at + len - 4, len + 4);
            break;
        case 2:
            set_le32(&f, at + 4, 8);
            break;
        case 3:
            set_le32(&f, at + 20, 200); /* captured length beyond the block */
            break;
        case 4:
            set_le32(&f, at + 8, 5);
            break;
        case 5:
            set_le32(&f, at + 4, 0x7ffffff0);
            break;
        }
        struct rd r;
        read_every_way(&f, &r, i == 0);
        assert_int_equal(r.n, 1);
        assert_int_equal(r.end_rc, ERR_FORMAT);
        assert_int_equal(r.dmg.offset, at);
        assert_int_equal(r.dmg.frame, 1);
        if (!strstr(r.dmg.what, cases[i].words))
            fail_msg("case %zu: '%s' lacks '%s'", i, r.dmg.what, cases[i].words);
        rd_free(&r);
        bb_free(&f);
    }
}

static void test_open_errors(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        int rc;
        const char *words;
    } cases[] = {
        { "", 0, ERR_TRUNC, "empty" },
        { "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, ERR_FORMAT, "starts with 'GET / HTTP/1.1\\x0d" },
        { "\x00\x01\x02\x03\x04\x05\x06\x07", 8, ERR_FORMAT, "starts with bytes 00 01 02 03" },
        { "\xd4\xc3\xb2", 3, ERR_TRUNC, "cut inside the file header" },
        { "\x0a\x0d\x0d\x0a\x20\x00\x00\x00\x4d\x3c\x2b\x1a", 12, ERR_TRUNC, "bad pcapng" },
        { "\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x11\x22\x33\x44", 12, ERR_FORMAT, "byte-order" },
        { "HEP3\x00\x03", 6, ERR_FORMAT, "less than its own 6-byte header" },
        { "HEP3\x00", 5, ERR_TRUNC, "cut inside the first HEP3 header" },
        { "INVITE sip:a@b\r\n", 16, ERR_FORMAT, "starts with 'INVITE" },
        { "\xd4\xc3\xb2\xa1\x09\x00\x04\x00", 8, ERR_TRUNC, "cut inside its 24-byte header" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bb f = { 0 };
        bb_put(&f, cases[i].bytes, cases[i].len);
        for (int m = 0; m < M__COUNT; m++) {
            struct rd r;
            read_all(&f, (enum mode)m, &r);
            assert_int_equal(r.open_rc, cases[i].rc);
            const char *name = m == M_PIPE ? "(stdin)" : m >= M_MEM ? "mem.bin" : tmp_path;
            if (!strstr(r.err, name) || !strstr(r.err, cases[i].words))
                fail_msg("case %zu mode %d: '%s' lacks '%s' or '%s'", i, m, r.err, name,
                         cases[i].words);
        }
        bb_free(&f);
    }
    struct cap_file *cf = NULL;
    char err[256];
    assert_int_equal(cap_open("/nonexistent/x.pcap", NULL, &cf, err, sizeof(err)), ERR_IO);
    assert_non_null(strstr(err, "/nonexistent/x.pcap"));
    assert_null(cf);
    assert_int_equal(cap_open("/tmp", NULL, &cf, err, sizeof(err)), ERR_IO);
    struct bb v = mk_pcap(0xa1b2c3d4, false, 1, recs3, 0);
    v.p[4] = 3; /* version 3 */
    struct rd r;
    read_all(&v, M_MEM, &r);
    assert_int_equal(r.open_rc, ERR_FORMAT);
    bb_free(&v);
}

static void payload_count(void *ctx, const struct cap_payload *p)
{
    (void)p;
    ++*(int *)ctx;
}

/* Every RFC 4475 valid message file is one SIP-text frame holding exactly its bytes, except
 * dblreq.dat, which holds two requests one after the other: as a text trace that is two
 * messages (a datagram parser would ignore the second), together the file but for the blank
 * line after the second body that its Content-Length does not count. */
static void test_sip_text_files(void **state)
{
    (void)state;
    const char *dir = src_path("tests/data/corpus/rfc4475/valid");
    char dirbuf[4096];
    snprintf(dirbuf, sizeof(dirbuf), "%s", dir);
    DIR *d = opendir(dirbuf);
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".dat"))
            continue;
        char path[4096 + 512];
        snprintf(path, sizeof(path), "%s/%s", dirbuf, e->d_name);
        size_t len;
        char *bytes = read_file(path, &len);
        assert_non_null(bytes);
        struct bb f = { 0 };
        bb_put(&f, bytes, len);
        struct rd r;
        read_every_way(&f, &r, files < 3);
        if (r.open_rc != 0)
            fail_msg("%s: %s", e->d_name, r.err);
        assert_int_equal(r.fmt, CAP_FMT_SIP_TEXT);
        bool two = strcmp(e->d_name, "dblreq.dat") == 0;
        assert_int_equal(r.n, two ? 2 : 1);
        assert_int_equal(r.end_rc, 0);
        size_t off = 0;
        for (uint64_t k = 0; k < r.n; k++) {
            assert_int_equal(r.fr[k].linktype, CAP_LINK_SIP_MESSAGE);
            assert_true(r.fr[k].offset >= off);
            off = r.fr[k].offset;
            assert_memory_equal(r.data[k], bytes + off, r.fr[k].caplen);
            off += r.fr[k].caplen;
        }
        while (off < len && (bytes[off] == '\r' || bytes[off] == '\n'))
            off++; /* a blank line after a body that Content-Length does not count */
        assert_int_equal(off, len);
        rd_free(&r);
        bb_free(&f);
        free(bytes);
        files++;
    }
    closedir(d);
    assert_true(files >= 30);
}

static void test_sip_text_detect_and_decode(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool sip;
    } cases[] = {
        { "\r\n\r\nSIP/2.0 200 OK\r\n\r\n", true },
        { "  \tREGISTER sip:x SIP/2.0\r\n", true },
        { "!interesting-Method0123456789_*+`.%indeed'~ sip:1 SIP/2.0\r\n", true },
        { "INVITE  sip:user@example.com  SIP/2.0\r\n", true },
        { "hello world\n", false },
        { "INVITE sip:alan@jasomi.com\r\nVia: SIP/2.0/UDP x\r\n", false },
        { "{\"json\": 1}\n", false },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cap_file *cf = NULL;
        char err[256];
        int rc =
            cap_open_mem(cases[i].text, strlen(cases[i].text), "t", NULL, &cf, err, sizeof(err));
        if ((rc == 0) != cases[i].sip)
            fail_msg("case %zu: rc %d (%s)", i, rc, err);
        if (rc != 0)
            continue;
        struct cap_stats st = { 0 };
        int got = 0;
        struct cap_decoder *d = cap_decoder_new(NULL, payload_count, &got, &st);
        struct cap_frame f;
        while (cap_next(cf, &f) > 0)
            cap_decode(d, &f, 0);
        cap_decoder_finish(d);
        assert_int_equal(got, 1);
        assert_int_equal(st.n[CAP_STAT_TEXT_MESSAGES], 1);
        cap_close(cf);
    }
}

/* A message of a text file is one frame up to 16 MiB, read in growing steps; one byte more
 * and it is skipped and counted (text.message_over_limit), the reader going on. */
static void test_sip_text_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = { 65535, 65536, 65537, 16u << 20, (16u << 20) + 1 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct bb f = { 0 };
        bb_str(&f, "MESSAGE sip:a SIP/2.0\r\n\r\n");
        while (f.len < sizes[i])
            bb_u8(&f, 'x');
        struct rd r;
        read_every_way(&f, &r, i < 3);
        assert_int_equal(r.open_rc, 0);
        if (sizes[i] > 16u << 20) {
            assert_int_equal(r.n, 0);
            assert_int_equal(r.end_rc, 0);
            assert_int_equal(r.st.n[CAP_STAT_TEXT_OVERSIZED], 1);
            assert_int_equal(r.st.n[CAP_STAT_TEXT_NOISE_BYTES], sizes[i]);
        } else {
            assert_int_equal(r.n, 1);
            assert_int_equal(r.end_rc, 0);
            assert_int_equal(r.fr[0].caplen, sizes[i]);
            assert_memory_equal(r.data[0], f.p, f.len);
        }
        rd_free(&r);
        bb_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcap_variants),
        cmocka_unit_test(test_pcap_cut_everywhere),
        cmocka_unit_test(test_pcap_absurd_length),
        cmocka_unit_test(test_pcapng_sections_and_blocks),
        cmocka_unit_test(test_pcapng_cut_everywhere),
        cmocka_unit_test(test_pcapng_broken_blocks),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_sip_text_files),
        cmocka_unit_test(test_sip_text_detect_and_decode),
        cmocka_unit_test(test_sip_text_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
