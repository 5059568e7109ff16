/* The SIP response code reference used by `sipsleuth explain` and the reports: what each code
 * means, its typical causes, and how it counts in the metrics. Our own words. */
#ifndef REPORT_CODES_H
#define REPORT_CODES_H

#include "base/buf.h"

struct code_info {
    unsigned code;
    const char *name;     /* "Request Terminated" */
    const char *rfc;      /* defining document and section */
    const char *meaning;  /* what the code says */
    const char *causes;   /* typical causes in practice */
};

/* The entry for code, or NULL if we do not describe it. */
const struct code_info *codes_find(unsigned code);

/* Write the explanation of code (meaning, causes, result category and how it counts in ASR and
 * NER). Returns 0, or -1 if the code is unknown (a class-level text is not written then). */
int codes_explain(struct buf *b, unsigned code);

/* One line per known code: "487  Request Terminated". */
void codes_list(struct buf *b);

#endif
