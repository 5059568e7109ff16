/* sv_t: a read-only view of bytes (pointer + length), the parsing string type.
 *
 * A view is not NUL-terminated and nothing here reads past p + len. A view never owns its
 * bytes: whoever holds one must know which buffer or arena keeps the bytes alive. The helpers
 * are small and inline because the parser calls them on every header. */
#ifndef BASE_SV_H
#define BASE_SV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const char *p;
    size_t len;
} sv_t;

#define SV(lit) ((sv_t){ (lit), sizeof(lit) - 1 })
#define SV_NULL ((sv_t){ NULL, 0 })
/* printf("%.*s", SV_ARG(v)) */
#define SV_ARG(v) (int)((v).len > 0x7fffffff ? 0x7fffffff : (v).len), ((v).p ? (v).p : "")

static inline sv_t sv_make(const void *p, size_t len)
{
    return (sv_t){ (const char *)p, len };
}

static inline sv_t sv_cstr(const char *s)
{
    return (sv_t){ s, s ? strlen(s) : 0 };
}

static inline bool sv_empty(sv_t v)
{
    return v.len == 0;
}

static inline bool sv_eq(sv_t a, sv_t b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline char sv_lower_c(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* ASCII case-insensitive equality (header names, methods in some contexts, parameters). */
static inline bool sv_ieq(sv_t a, sv_t b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (sv_lower_c(a.p[i]) != sv_lower_c(b.p[i]))
            return false;
    return true;
}

static inline bool sv_starts_with(sv_t v, sv_t prefix)
{
    return v.len >= prefix.len && memcmp(v.p, prefix.p, prefix.len) == 0;
}

static inline bool sv_istarts_with(sv_t v, sv_t prefix)
{
    return v.len >= prefix.len && sv_ieq(sv_make(v.p, prefix.len), prefix);
}

static inline sv_t sv_sub(sv_t v, size_t off, size_t len)
{
    if (off > v.len)
        off = v.len;
    if (len > v.len - off)
        len = v.len - off;
    return sv_make(v.p + off, len);
}

/* View from off to the end. */
static inline sv_t sv_from(sv_t v, size_t off)
{
    return sv_sub(v, off, v.len);
}

/* Index of the first c in v, or v.len when absent. */
static inline size_t sv_chr(sv_t v, char c)
{
    const void *q = v.len ? memchr(v.p, c, v.len) : NULL;
    return q ? (size_t)((const char *)q - v.p) : v.len;
}

static inline bool sv_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Strip SP, HTAB, CR and LF from both ends. */
sv_t sv_trim(sv_t v);

/* Index of the first occurrence of needle in v, or v.len when absent (an empty needle is found
 * at 0). */
size_t sv_find(sv_t v, sv_t needle);

/* Case-insensitive variant of sv_find. */
size_t sv_ifind(sv_t v, sv_t needle);

/* Parse a run of decimal digits filling the whole view into *out. Returns 0, or ERR_PARSE if v
 * is empty or holds a non-digit, or ERR_LIMIT if the value exceeds UINT32_MAX. Leading zeros
 * are allowed (RFC 3261 scalars may have them). */
int sv_to_u32(sv_t v, uint32_t *out);

/* Same for 64-bit values. */
int sv_to_u64(sv_t v, uint64_t *out);

/* Split v at the first sep: *head gets the part before, the return value the part after (empty
 * when sep is absent, and *head is then the whole of v). */
sv_t sv_split(sv_t v, char sep, sv_t *head);

/* Copy v into buf as a NUL-terminated string, truncating to cap - 1 bytes; returns buf. */
char *sv_to_cstr(sv_t v, char *buf, size_t cap);

/* 64-bit hash of the bytes (wyhash-style mixing); stable across runs. */
uint64_t sv_hash(sv_t v);
uint64_t sv_hash_seed(sv_t v, uint64_t seed);

/* Case-insensitive hash: equal under sv_ieq gives equal hashes. */
uint64_t sv_ihash(sv_t v);

#endif
