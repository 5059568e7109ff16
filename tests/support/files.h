/* Test support: locating and reading test data files. */
#ifndef TESTS_SUPPORT_FILES_H
#define TESTS_SUPPORT_FILES_H

#include <stddef.h>

/* Absolute path of a file under the source tree ("tests/data/x.pcap"); static buffer. */
const char *src_path(const char *rel);

/* Read a whole file; returns a malloc'd buffer (NUL-terminated for convenience, the NUL not
 * counted in *len) or NULL. */
char *read_file(const char *path, size_t *len);

#endif
