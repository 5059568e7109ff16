/* libFuzzer target: the input after a fixed pcapng section header, so every input exercises the
 * block reader (interfaces, packet blocks, options, later sections) rather than detection. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t shb[28] = {
    0x0a, 0x0d, 0x0d, 0x0a, 28,   0,    0,    0,    0x4d, 0x3c, 0x2b, 0x1a, 1, 0,
    0,    0,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28,   0,    0, 0,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* inputs that already start with a section header are used as they are */
    if (size >= 4 && memcmp(data, shb, 4) == 0)
        return fz_both_paths(data, size);
    uint8_t *buf = malloc(sizeof(shb) + size);
    if (!buf)
        return 0;
    memcpy(buf, shb, sizeof(shb));
    if (size)
        memcpy(buf + sizeof(shb), data, size);
    fz_both_paths(buf, sizeof(shb) + size);
    free(buf);
    return 0;
}
