/* Arena allocator: chunks from the heap, bump allocation, bulk release. */
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

struct arena_chunk {
    struct arena_chunk *next;
    size_t cap;
    size_t off;
    _Alignas(16) unsigned char data[];
};

#ifndef NDEBUG
#define ARENA_POISON 1
#else
#define ARENA_POISON 0
#endif

void arena_init(struct arena *a, size_t chunk_size, size_t budget)
{
    memset(a, 0, sizeof(*a));
    a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
    a->budget = budget;
}

static struct arena_chunk *new_chunk(struct arena *a, size_t need)
{
    size_t cap = need > a->chunk_size ? need : a->chunk_size;
    if (a->budget && a->reserved + cap > a->budget) {
        if (a->reserved + need > a->budget)
            return NULL;
        cap = need;
    }
    struct arena_chunk *c = xmalloc(sizeof(*c) + cap);
    c->cap = cap;
    c->off = 0;
    c->next = a->head;
    a->head = c;
    a->reserved += cap;
    return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) {
        a->refused++;
        return NULL;
    }
    struct arena_chunk *c = a->head;
    if (!c || c->cap - c->off < need) {
        c = new_chunk(a, need);
        if (!c) {
            a->refused++;
            return NULL;
        }
    }
    void *p = c->data + c->off;
    c->off += need;
    a->used += need;
    return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

sv_t arena_dup(struct arena *a, sv_t v)
{
    if (v.len == 0)
        return sv_make(v.p ? "" : NULL, 0);
    char *p = arena_alloc(a, v.len);
    if (!p)
        return sv_make(NULL, v.len);
    memcpy(p, v.p, v.len);
    return sv_make(p, v.len);
}

void arena_reset(struct arena *a)
{
    struct arena_chunk *keep = NULL;
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        if (!keep && c->cap == a->chunk_size) {
            keep = c;
        } else {
            a->reserved -= c->cap;
            free(c);
        }
        c = next;
    }
    if (keep) {
        if (ARENA_POISON)
            memset(keep->data, 0xa5, keep->off);
        keep->off = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->used = 0;
}

void arena_free(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
    a->reserved = 0;
}
