/* Opening inputs: files, stdin and memory; format detection; the byte source under readers.
 *
 * A regular file is mapped whole and records point into the mapping, so reading copies
 * nothing. Pipes, stdin and files opened with no_mmap are read with read(2) into one buffer
 * that is reused for every record and grows only as far as the largest record needs (bounded by
 * CAP_MAX_BLOCK). The format readers (pcap.c, pcapng.c, hepfile.c, text.c) see one interface
 * for both: cap_src_need / cap_src_skip. This file does not parse records; it only sniffs the
 * first bytes to pick a reader and words the errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "capture/capture.h"
#include "capture/capture_int.h"

/* How far into an input that is not a capture detection looks for a SIP text trace. */
#define TEXT_SNIFF (256u << 10)

/* Bytes a memory source hands over per simulated read (exercises buffer refills in tests). */
#define MEM_STREAM_PIECE 4093u

static ssize_t src_read(struct cap_file *cf, uint8_t *dst, size_t n)
{
    if (cf->mem) {
        size_t left = cf->mem_len - cf->mem_off;
        size_t k = n < left ? n : left;
        if (k > MEM_STREAM_PIECE)
            k = MEM_STREAM_PIECE;
        memcpy(dst, cf->mem + cf->mem_off, k);
        cf->mem_off += k;
        return (ssize_t)k;
    }
    for (;;) {
        ssize_t r = read(cf->fd, dst, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

/* Make room for n bytes from buf_pos: move the unread tail to the front, grow if needed. */
static void buf_make_room(struct cap_file *cf, size_t n)
{
    if (cf->buf_pos > 0) {
        size_t have = cf->buf_end - cf->buf_pos;
        memmove(cf->buf, cf->buf + cf->buf_pos, have);
        cf->buf_off += cf->buf_pos;
        cf->buf_pos = 0;
        cf->buf_end = have;
    }
    if (n > cf->buf_cap) {
        size_t cap = cf->buf_cap ? cf->buf_cap : CAP_READ_CHUNK;
        while (cap < n)
            cap *= 2;
        cf->buf = xrealloc(cf->buf, cap);
        cf->buf_cap = cap;
    }
}

int64_t cap_src_need(struct cap_file *cf, size_t n, const uint8_t **p)
{
    if (cf->direct) {
        uint64_t left = cf->pos < cf->size ? cf->size - cf->pos : 0;
        *p = cf->base + cf->pos;
        return left < n ? (int64_t)left : (int64_t)n;
    }
    if (cf->buf_end - cf->buf_pos < n && !cf->eof) {
        if (cf->buf_cap - cf->buf_pos < n)
            buf_make_room(cf, n);
        while (cf->buf_end - cf->buf_pos < n) {
            ssize_t r = src_read(cf, cf->buf + cf->buf_end, cf->buf_cap - cf->buf_end);
            if (r < 0)
                return ERR_IO;
            if (r == 0) {
                cf->eof = true;
                break;
            }
            cf->buf_end += (size_t)r;
        }
    }
    size_t have = cf->buf_end - cf->buf_pos;
    *p = cf->buf + cf->buf_pos;
    return have < n ? (int64_t)have : (int64_t)n;
}

void cap_src_skip(struct cap_file *cf, size_t n)
{
    cf->pos += n;
    if (!cf->direct)
        cf->buf_pos += n;
}

int cap_damage(struct cap_file *cf, int rc, uint64_t offset, const char *fmt, ...)
{
    cf->damage.stopped = true;
    cf->damage.offset = offset;
    cf->damage.frame = cf->frames;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cf->damage.what, sizeof(cf->damage.what), fmt, ap);
    va_end(ap);
    cf->stop_rc = rc;
    return rc;
}

/* Describe the first bytes of an unknown input: quoted text if they are printable, else hex. */
static void describe_bytes(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t k = n < 16 ? n : 16, printable = 0;
    for (size_t i = 0; i < k; i++)
        printable += (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\r' || p[i] == '\n' || p[i] == '\t';
    size_t len = (size_t)snprintf(out, cap, printable == k ? "starts with '" : "starts with bytes");
    for (size_t i = 0; i < k && len + 6 < cap; i++) {
        if (printable != k)
            len += (size_t)snprintf(out + len, cap - len, " %02x", p[i]);
        else if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'' && p[i] != '\\')
            out[len++] = (char)p[i];
        else
            len += (size_t)snprintf(out + len, cap - len, "\\x%02x", p[i]);
    }
    if (len + 2 < cap && printable == k)
        out[len++] = '\'';
    out[len < cap ? len : cap - 1] = '\0';
}

/* pcapng's block type or one of the pcap magic numbers, read little-endian. */
static bool is_capture_magic(uint32_t m)
{
    return m == 0x0a0d0d0a || m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d ||
           m == 0x4d3cb2a1 || m == 0xa1b2cd34 || m == 0x34cdb2a1;
}

/* Do the n (< 4) bytes start one of the magic numbers we read? Then the file is a capture cut
 * inside its header, not some other format. */
static bool is_magic_prefix(const uint8_t *p, size_t n)
{
    static const uint8_t magics[][4] = {
        { 0xd4, 0xc3, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xc3, 0xd4 }, { 0x4d, 0x3c, 0xb2, 0xa1 },
        { 0xa1, 0xb2, 0x3c, 0x4d }, { 0x34, 0xcd, 0xb2, 0xa1 }, { 0xa1, 0xb2, 0xcd, 0x34 },
        { 0x0a, 0x0d, 0x0d, 0x0a },
    };
    for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
        if (memcmp(p, magics[i], n) == 0)
            return true;
    return false;
}

static int detect(struct cap_file *cf, char *err, size_t errcap)
{
    const uint8_t *p;
    /* Four bytes decide a capture, so a live pipe is not kept waiting for more; text needs a
     * look at its first line. */
    int64_t n = cap_src_need(cf, 4, &p);
    if (n == 4 && !is_capture_magic(ld_le32(p)))
        n = cap_src_need(cf, 4096, &p);
    if (n < 0) {
        snprintf(err, errcap, "%s: read error: %s", cf->path, strerror(errno));
        return ERR_IO;
    }
    if (n == 0) {
        snprintf(err, errcap, "%s: empty file (0 bytes), not a capture", cf->path);
        return ERR_TRUNC;
    }
    if (n >= 4 && ld_le32(p) == 0x0a0d0d0a)
        return cap_pcapng_open(cf, err, errcap);
    if (n >= 4 && is_capture_magic(ld_le32(p)))
        return cap_pcap_open(cf, err, errcap);
    if (n >= 4 && memcmp(p, "HEP3", 4) == 0)
        return cap_hep_file_open(cf, err, errcap);
    bool text = cap_text_detect(p, (size_t)n);
    if (!text && n == 4096) {
        /* a log may begin with more noise than that: look a little further */
        n = cap_src_need(cf, TEXT_SNIFF, &p);
        text = n > 4096 && cap_text_detect(p, (size_t)n);
        if (n < 0) {
            snprintf(err, errcap, "%s: read error: %s", cf->path, strerror(errno));
            return ERR_IO;
        }
    }
    if (text)
        return cap_text_open(cf, err, errcap);
    char what[96];
    describe_bytes(p, (size_t)n, what, sizeof(what));
    if (n < 4 && is_magic_prefix(p, (size_t)n)) {
        snprintf(err, errcap, "%s: only %lld bytes, cut inside the file header", cf->path,
                 (long long)n);
        return ERR_TRUNC;
    }
    snprintf(err, errcap, "%s: not a pcap, pcapng, HEP or SIP text file: %s", cf->path, what);
    return ERR_FORMAT;
}

static struct cap_file *file_new(const char *path, const struct cap_open_opts *o)
{
    struct cap_file *cf = xcalloc(1, sizeof(*cf));
    cf->path = xstrdup(path ? path : "(memory)");
    cf->file_index = o ? o->file_index : 0;
    cf->fd = -1;
    return cf;
}

static int finish_open(struct cap_file *cf, struct cap_file **out, char *err, size_t errcap)
{
    int rc = detect(cf, err, errcap);
    if (rc < 0) {
        cap_close(cf);
        return rc;
    }
    *out = cf;
    return 0;
}

/* Map a regular file; false when it cannot be mapped (the caller reads it instead). */
static bool try_map(struct cap_file *cf, int fd, const struct stat *sb)
{
    if (!S_ISREG(sb->st_mode) || sb->st_size <= 0 || (uint64_t)sb->st_size > SIZE_MAX)
        return false;
    void *m = mmap(NULL, (size_t)sb->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        return false;
    (void)madvise(m, (size_t)sb->st_size, MADV_SEQUENTIAL);
    cf->base = m;
    cf->mapped = true;
    cf->direct = true;
    return true;
}

int cap_open(const char *path, const struct cap_open_opts *o, struct cap_file **out, char *err,
             size_t errcap)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        return ERR_IO;
    }
    struct cap_file *cf = file_new(is_stdin ? "(stdin)" : path, o);
    cf->fd = fd;
    cf->own_fd = !is_stdin;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(err, errcap, "%s: cannot stat: %s", cf->path, strerror(errno));
        cap_close(cf);
        return ERR_IO;
    }
    if (S_ISDIR(sb.st_mode)) {
        snprintf(err, errcap, "%s: is a directory", cf->path);
        cap_close(cf);
        return ERR_IO;
    }
    if (S_ISREG(sb.st_mode))
        cf->size = (uint64_t)sb.st_size;
    if (!(o && o->no_mmap))
        (void)try_map(cf, fd, &sb);
    return finish_open(cf, out, err, errcap);
}

int cap_open_mem(const void *data, size_t len, const char *name, const struct cap_open_opts *o,
                 struct cap_file **out, char *err, size_t errcap)
{
    *out = NULL;
    struct cap_file *cf = file_new(name, o);
    cf->size = len;
    if (o && o->no_mmap) {
        cf->mem = data ? data : (const uint8_t *)"";
        cf->mem_len = len;
    } else {
        cf->base = data ? data : (const uint8_t *)"";
        cf->direct = true;
    }
    return finish_open(cf, out, err, errcap);
}

/* Pages of a mapped file that the reader has passed are given back in steps of this size, so
 * resident memory stays flat however large the file is (the mapping would otherwise keep every
 * page read so far resident and charged to the process). */
#define CAP_DROP_STEP (8u << 20)

static void drop_behind(struct cap_file *cf)
{
    /* The previous frame is no longer needed once cap_next is called again. */
    uint64_t upto = cf->pos & ~(uint64_t)(CAP_DROP_STEP - 1);
    if (upto <= cf->dropped)
        return;
    (void)madvise((void *)(cf->base + cf->dropped), (size_t)(upto - cf->dropped), MADV_DONTNEED);
    cf->dropped = upto;
}

int cap_next(struct cap_file *cf, struct cap_frame *f)
{
    if (cf->stop_rc)
        return cf->stop_rc < 0 ? cf->stop_rc : 0;
    if (cf->mapped)
        drop_behind(cf);
    int rc = cf->next(cf, f);
    if (rc > 0) {
        cf->frames++;
        f->frame = cf->frames;
    } else if (rc == 0) {
        cf->stop_rc = 1; /* end of input: stay there */
    } else if (!cf->damage.stopped) {
        (void)cap_damage(cf, rc, cf->pos, "read error: %s", strerror(errno));
    }
    return rc;
}

enum cap_format cap_file_format(const struct cap_file *cf)
{
    return cf->fmt;
}

const struct cap_damage *cap_file_damage(const struct cap_file *cf)
{
    return &cf->damage;
}

const char *cap_file_path(const struct cap_file *cf)
{
    return cf->path;
}

uint64_t cap_file_size(const struct cap_file *cf)
{
    return cf->size;
}

uint64_t cap_file_bytes_read(const struct cap_file *cf)
{
    return cf->pos;
}

const struct cap_stats *cap_file_stats(const struct cap_file *cf)
{
    return &cf->st;
}

void cap_close(struct cap_file *cf)
{
    if (!cf)
        return;
    if (cf->mapped)
        munmap((void *)cf->base, (size_t)cf->size);
    if (cf->own_fd && cf->fd >= 0)
        close(cf->fd);
    cap_text_close(cf);
    free(cf->buf);
    free(cf->ifs);
    free(cf->path);
    free(cf);
}
