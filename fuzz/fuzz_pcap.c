/* libFuzzer target: the input as a capture file (any format the reader detects; the seeds are
 * pcap files), every frame read and decoded. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_both_paths(data, size);
}
