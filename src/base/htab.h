/* Open-addressing hash table from a 64-bit hash to a caller-owned pointer.
 *
 * The table stores (hash, pointer) pairs and leaves key comparison to the caller, so one table
 * type serves every key shape (transaction keys, TCP 4-tuples, Call-IDs). It never owns the
 * values. Several values may share a hash; htab_find walks them with the caller's predicate. */
#ifndef BASE_HTAB_H
#define BASE_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab_slot {
    uint64_t hash;
    void *val; /* NULL: empty; HTAB_TOMB: deleted */
};

struct htab {
    struct htab_slot *slots;
    size_t cap; /* power of two */
    size_t len; /* live entries */
    size_t tomb;
};

extern char htab_tomb_marker;
#define HTAB_TOMB ((void *)&htab_tomb_marker)

typedef int (*htab_eq_fn)(const void *val, const void *key);

void htab_init(struct htab *t, size_t initial_cap);
void htab_free(struct htab *t);

/* First value with this hash for which eq(val, key) is true, or NULL. eq NULL matches any. */
void *htab_find(const struct htab *t, uint64_t hash, htab_eq_fn eq, const void *key);

/* Add val under hash (duplicates allowed; val must not be NULL). */
void htab_insert(struct htab *t, uint64_t hash, void *val);

/* Remove the entry holding exactly this pointer. Returns 1 if it was found. */
int htab_remove(struct htab *t, uint64_t hash, const void *val);

/* Iterate: for (size_t i = 0; (v = htab_next(t, &i)); ) — order is the slot order. */
void *htab_next(const struct htab *t, size_t *iter);

#endif
