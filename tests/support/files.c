#include "support/files.h"

#include <stdio.h>
#include <stdlib.h>

const char *src_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("SS_SOURCE_DIR");
    snprintf(buf, sizeof(buf), "%s/%s", root ? root : SS_SOURCE_DIR, rel);
    return buf;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap + 1);
    size_t r;
    while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            p = realloc(p, cap + 1);
        }
    }
    fclose(f);
    if (!p)
        return NULL;
    p[n] = '\0';
    *len = n;
    return p;
}
