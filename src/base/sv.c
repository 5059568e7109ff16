/* String-view helpers that are too large to inline. No allocation, no I/O. */
#include "base/sv.h"

#include "base/err.h"

sv_t sv_trim(sv_t v)
{
    while (v.len && sv_is_ws(v.p[0])) {
        v.p++;
        v.len--;
    }
    while (v.len && sv_is_ws(v.p[v.len - 1]))
        v.len--;
    return v;
}

size_t sv_find(sv_t v, sv_t needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > v.len)
        return v.len;
    const char *end = v.p + v.len - needle.len + 1;
    const char *s = v.p;
    while (s < end) {
        const char *q = memchr(s, needle.p[0], (size_t)(end - s));
        if (!q)
            break;
        if (memcmp(q, needle.p, needle.len) == 0)
            return (size_t)(q - v.p);
        s = q + 1;
    }
    return v.len;
}

size_t sv_ifind(sv_t v, sv_t needle)
{
    if (needle.len == 0)
        return 0;
    if (needle.len > v.len)
        return v.len;
    for (size_t i = 0; i + needle.len <= v.len; i++)
        if (sv_ieq(sv_make(v.p + i, needle.len), needle))
            return i;
    return v.len;
}

int sv_to_u64(sv_t v, uint64_t *out)
{
    if (v.len == 0)
        return ERR_PARSE;
    uint64_t n = 0;
    for (size_t i = 0; i < v.len; i++) {
        unsigned d = (unsigned char)v.p[i] - '0';
        if (d > 9)
            return ERR_PARSE;
        if (n > (UINT64_MAX - d) / 10)
            return ERR_LIMIT;
        n = n * 10 + d;
    }
    *out = n;
    return 0;
}

int sv_to_u32(sv_t v, uint32_t *out)
{
    uint64_t n;
    int rc = sv_to_u64(v, &n);
    if (rc == ERR_LIMIT) {
        /* Still a syntax error if a non-digit follows the overflow point. */
        for (size_t i = 0; i < v.len; i++)
            if ((unsigned char)v.p[i] - '0' > 9)
                return ERR_PARSE;
        return ERR_LIMIT;
    }
    if (rc)
        return rc;
    if (n > UINT32_MAX)
        return ERR_LIMIT;
    *out = (uint32_t)n;
    return 0;
}

sv_t sv_split(sv_t v, char sep, sv_t *head)
{
    size_t i = sv_chr(v, sep);
    *head = sv_make(v.p, i);
    if (i == v.len)
        return sv_make(v.p + v.len, 0);
    return sv_make(v.p + i + 1, v.len - i - 1);
}

char *sv_to_cstr(sv_t v, char *buf, size_t cap)
{
    if (cap == 0)
        return buf;
    size_t n = v.len < cap - 1 ? v.len : cap - 1;
    if (n)
        memcpy(buf, v.p, n);
    buf[n] = '\0';
    return buf;
}

static inline uint64_t mix64(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rd64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t rd32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static const uint64_t K0 = 0xa0761d6478bd642full, K1 = 0xe7037ed1a0b428dbull,
                      K2 = 0x8ebc6af09c88c6e3ull;

uint64_t sv_hash_seed(sv_t v, uint64_t seed)
{
    const char *p = v.p;
    size_t n = v.len;
    uint64_t h = seed ^ K0 ^ (uint64_t)n;
    while (n >= 16) {
        h = mix64(rd64(p) ^ K1, rd64(p + 8) ^ h);
        p += 16;
        n -= 16;
    }
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        a = rd64(p);
        b = rd64(p + n - 8);
    } else if (n >= 4) {
        a = rd32(p);
        b = rd32(p + n - 4);
    } else if (n > 0) {
        a = ((uint64_t)(unsigned char)p[0] << 16) | ((uint64_t)(unsigned char)p[n >> 1] << 8) |
            (unsigned char)p[n - 1];
    }
    return mix64(a ^ K1 ^ h, b ^ K2);
}

uint64_t sv_hash(sv_t v)
{
    return sv_hash_seed(v, 0);
}

uint64_t sv_ihash(sv_t v)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < v.len; i++) {
        h ^= (unsigned char)sv_lower_c(v.p[i]);
        h *= 0x100000001b3ull;
    }
    return mix64(h, K2);
}
