/* Private to report/codes*.c: the response code table (codes_table.c) that codes.c serves. */
#ifndef REPORT_CODES_INT_H
#define REPORT_CODES_INT_H

#include <stddef.h>

#include "report/codes.h"

/* Every registered code, sorted by code, each once (tests/report/test_codes.c checks it). */
extern const struct code_info codes_tab[];
extern const size_t codes_ntab;

#endif
