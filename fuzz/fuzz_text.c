/* libFuzzer target: the input as a text trace (the seeds are the text-trace samples and edge
 * cases), read directly and in small pieces (both must give the same frames and stop at the
 * same place), every message decoded. Also a check of the reader's own contract: a message is
 * never longer than the input it came from (unescaping and prefix removal only shrink). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_sum s;
    fz_read(data, size, 0, &s);
    if (s.bytes > size)
        abort();
    return fz_both_paths(data, size);
}
