/* Heap allocation that never returns NULL: running out of heap aborts with a message (STYLE:
 * "Running out of heap aborts"). Tests can make the Nth allocation fail to exercise the abort
 * path and any ERR_NOMEM handling in code that uses mem_try_*. */
#ifndef BASE_MEM_H
#define BASE_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Like xmalloc but returns NULL instead of aborting (for callers that degrade gracefully). */
void *mem_try_malloc(size_t n);
void *mem_try_realloc(void *p, size_t n);

/* Test hook: the nth allocation from now (1-based) fails; 0 disables. */
void mem_fail_nth(unsigned long n);

#endif
