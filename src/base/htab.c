/* Linear-probing hash table with tombstones; grows at 3/4 load (live + deleted). */
#include "base/htab.h"

#include <stdlib.h>

#include "base/mem.h"

char htab_tomb_marker;

void htab_init(struct htab *t, size_t initial_cap)
{
    size_t cap = 16;
    while (cap < initial_cap)
        cap <<= 1;
    t->slots = xcalloc(cap, sizeof(*t->slots));
    t->cap = cap;
    t->len = 0;
    t->tomb = 0;
}

void htab_free(struct htab *t)
{
    free(t->slots);
    t->slots = NULL;
    t->cap = t->len = t->tomb = 0;
}

static void rehash(struct htab *t, size_t cap)
{
    struct htab_slot *old = t->slots;
    size_t oldcap = t->cap;
    t->slots = xcalloc(cap, sizeof(*t->slots));
    t->cap = cap;
    t->tomb = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].val || old[i].val == HTAB_TOMB)
            continue;
        size_t j = old[i].hash & (cap - 1);
        while (t->slots[j].val)
            j = (j + 1) & (cap - 1);
        t->slots[j] = old[i];
    }
    free(old);
}

void *htab_find(const struct htab *t, uint64_t hash, htab_eq_fn eq, const void *key)
{
    if (!t->cap)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t j = hash & mask;; j = (j + 1) & mask) {
        void *v = t->slots[j].val;
        if (!v)
            return NULL;
        if (v != HTAB_TOMB && t->slots[j].hash == hash && (!eq || eq(v, key)))
            return v;
    }
}

void htab_insert(struct htab *t, uint64_t hash, void *val)
{
    if (!t->cap)
        htab_init(t, 16);
    if ((t->len + t->tomb + 1) * 4 > t->cap * 3)
        rehash(t, t->len * 2 + 2 > t->cap ? t->cap * 2 : t->cap);
    size_t mask = t->cap - 1;
    size_t j = hash & mask;
    while (t->slots[j].val && t->slots[j].val != HTAB_TOMB)
        j = (j + 1) & mask;
    if (t->slots[j].val == HTAB_TOMB)
        t->tomb--;
    t->slots[j].hash = hash;
    t->slots[j].val = val;
    t->len++;
}

int htab_remove(struct htab *t, uint64_t hash, const void *val)
{
    if (!t->cap)
        return 0;
    size_t mask = t->cap - 1;
    for (size_t j = hash & mask;; j = (j + 1) & mask) {
        void *v = t->slots[j].val;
        if (!v)
            return 0;
        if (v == val) {
            /* An empty next slot ends every probe chain through j: no tombstone needed. */
            if (!t->slots[(j + 1) & mask].val) {
                t->slots[j].val = NULL;
            } else {
                t->slots[j].val = HTAB_TOMB;
                t->tomb++;
            }
            t->len--;
            return 1;
        }
    }
}

void *htab_next(const struct htab *t, size_t *iter)
{
    while (*iter < t->cap) {
        void *v = t->slots[(*iter)++].val;
        if (v && v != HTAB_TOMB)
            return v;
    }
    return NULL;
}
