/* Checked heap allocation and a failure-injection hook for tests. */
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long fail_countdown;

void mem_fail_nth(unsigned long n)
{
    fail_countdown = n;
}

static int should_fail(void)
{
    if (fail_countdown == 0)
        return 0;
    return --fail_countdown == 0;
}

static void oom(size_t n)
{
    fprintf(stderr, "sipsleuth: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *mem_try_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *mem_try_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void *xmalloc(size_t n)
{
    void *p = mem_try_malloc(n);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        oom((size_t)-1);
    void *p = xmalloc(count * size);
    memset(p, 0, count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = mem_try_realloc(p, n);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}
