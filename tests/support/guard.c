#include "support/guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct guard_hdr {
    void *base;
    size_t total;
};

void *guard_copy(const void *data, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (len + sizeof(struct guard_hdr) + page - 1) / page + 1;
    size_t total = (data_pages + 1) * page;
    unsigned char *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                               -1, 0);
    if (base == MAP_FAILED)
        abort();
    unsigned char *fence = base + data_pages * page;
    if (mprotect(fence, page, PROT_NONE) != 0)
        abort();
    unsigned char *p = fence - len;
    if (len)
        memcpy(p, data, len);
    struct guard_hdr h = { base, total };
    memcpy(base, &h, sizeof(h));
    return p;
}

void guard_free(void *p)
{
    if (!p)
        return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    /* The header sits at the start of the mapping, which starts on a page boundary at or below
     * p - sizeof(header); walk down page by page until the header points at itself. */
    uintptr_t a = ((uintptr_t)p - 1) & ~(uintptr_t)(page - 1);
    for (;;) {
        struct guard_hdr h;
        memcpy(&h, (void *)a, sizeof(h));
        if (h.base == (void *)a) {
            munmap(h.base, h.total);
            return;
        }
        a -= page;
    }
}
