/* Test support: place bytes at the very end of a readable page, followed by an inaccessible
 * page, so that any read past the end faults at once (STYLE: parser inputs end at PROT_NONE). */
#ifndef TESTS_SUPPORT_GUARD_H
#define TESTS_SUPPORT_GUARD_H

#include <stddef.h>

/* Returns a pointer p such that p[0..len) holds a copy of data and p + len is the first byte of
 * a PROT_NONE page. Free with guard_free(p). */
void *guard_copy(const void *data, size_t len);
void guard_free(void *p);

#endif
