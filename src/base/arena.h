/* Bump-pointer arena with a byte budget.
 *
 * Allocations are released all at once (arena_reset/arena_free). An arena grows in chunks from
 * the heap until its budget is reached; past the budget arena_alloc returns NULL and counts the
 * refusal, so callers can return ERR_LIMIT and report it (STYLE: memory). Debug builds poison
 * released memory so ASan or a reader of stale views sees garbage, not old data. */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "base/sv.h"

struct arena_chunk;

struct arena {
    struct arena_chunk *head;  /* chunk being filled */
    size_t used;               /* bytes handed out since the last reset */
    size_t reserved;           /* bytes of chunks held from the heap */
    size_t budget;             /* max reserved bytes; 0 = unlimited */
    size_t chunk_size;         /* default chunk size */
    uint64_t refused;          /* allocations refused by the budget */
};

/* Initialise an empty arena. budget 0 means unlimited. */
void arena_init(struct arena *a, size_t chunk_size, size_t budget);

/* Returns n bytes aligned to 16, or NULL if the budget would be exceeded. The memory lives
 * until the next arena_reset or arena_free. */
void *arena_alloc(struct arena *a, size_t n);

/* arena_alloc then zero. */
void *arena_zalloc(struct arena *a, size_t n);

/* Copy bytes into the arena; returns a view of the copy, or a view with p == NULL (and the
 * original length) when the budget refused it. */
sv_t arena_dup(struct arena *a, sv_t v);

/* Release everything allocated, keeping one chunk for reuse. */
void arena_reset(struct arena *a);

/* Release everything. The arena can be initialised again. */
void arena_free(struct arena *a);

#endif
