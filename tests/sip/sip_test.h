/* Helpers shared by the tests of src/sip: every input goes through guard_copy() so that it ends at
 * a PROT_NONE page and any read past its end faults; corpus files are read from the source tree.
 * Header-only (static inline) because tests/CMakeLists.txt builds each test_*.c on its own. */
#ifndef TESTS_SIP_SIP_TEST_H
#define TESTS_SIP_SIP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sv.h"
#include "sip/sip.h"
#include "support/files.h"
#include "support/guard.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A guarded copy of a C string (its NUL not included). Free with guard_free(v.p). */
static inline sv_t gsv(const char *s)
{
    size_t n = strlen(s);
    return sv_make(guard_copy(s, n), n);
}

static inline sv_t gsvn(const void *p, size_t n)
{
    return sv_make(guard_copy(p, n), n);
}

static inline void gfree(sv_t v)
{
    guard_free((void *)v.p);
}

/* A corpus file, guarded; fails the test if missing. */
static inline sv_t gfile(const char *rel)
{
    size_t n = 0;
    char *raw = read_file(src_path(rel), &n);
    if (!raw) {
        fprintf(stderr, "cannot read %s\n", src_path(rel));
        abort();
    }
    sv_t v = gsvn(raw, n);
    free(raw);
    return v;
}

static inline bool sv_is(sv_t v, const char *s)
{
    return v.p && sv_eq(v, sv_cstr(s));
}

/* Anomaly set as a readable string for failure messages: "trailing-bytes,bare-lf". */
static inline const char *anom_str(uint32_t bits, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int a = 0; a < SIP_ANOM__COUNT && n < cap; a++)
        if (bits & SIP_ANOM_BIT(a))
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "," : "",
                                  sip_anomaly_name((enum sip_anomaly)a));
    return buf;
}

#define A(x) SIP_ANOM_BIT(SIP_ANOM_##x)

#endif
