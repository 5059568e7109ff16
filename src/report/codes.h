/* The SIP response code reference used by `sipsleuth explain` and the reports: what each code
 * means, its typical causes, and how it counts in the metrics. Our own words.
 *
 * The table holds every code of the IANA SIP response-code registry, sorted by code, each
 * exactly once. How a code counts in the metrics is never written in the table: it is computed
 * from metrics_category() so the reference cannot drift from the numbers. Codes outside the
 * registry are explained by their class (RFC 3261 §21 and §8.1.3.2). */
#ifndef REPORT_CODES_H
#define REPORT_CODES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct code_info {
    unsigned code;
    const char *name;    /* reason phrase as registered: "Request Terminated" */
    const char *rfc;     /* defining document and section */
    const char *meaning; /* what the code says */
    const char *causes;  /* typical causes in practice */
    const char *note;    /* transaction or proxy behaviour worth knowing, or NULL */
    bool deprecated;     /* the registry marks the code deprecated */
};

/* What codes_explain() and codes_explain_json() found. */
enum codes_status {
    CODES_INVALID = -1, /* not a response code (outside 100-699): nothing written */
    CODES_KNOWN = 0,    /* a registered code: its own entry was written */
    CODES_CLASS = 1,    /* 100-699 but not registered: the class was explained instead */
};

/* The entry for code, or NULL if the registry has no such code. */
const struct code_info *codes_find(unsigned code);

/* The whole table, sorted by code; *n receives its length. */
const struct code_info *codes_table(size_t *n);

/* "provisional", "success", "redirection", "request failure", "server failure",
 * "global failure" for cls 1..6; NULL otherwise. */
const char *codes_class_name(unsigned cls);

/* Write the explanation of code, word-wrapped for 80 columns: name, RFC, meaning, causes,
 * protocol notes, and how it counts (result category, ASR, NER) as a call's final code.
 * For an unregistered code in 100-699 the class is explained and CODES_CLASS returned. */
int codes_explain(struct buf *b, unsigned code);

/* The same as one JSON object, no trailing newline:
 * {"code","name","registered","deprecated","class","class_name","rfc","meaning","causes",
 *  "note","final","category","category_callmeter","asr","ner"}. name and note are null when
 * absent; category and category_callmeter are null for 1xx (never a final code). */
int codes_explain_json(struct buf *b, unsigned code);

/* One line per registered code: "487  Request Terminated   CANCELED". */
void codes_list(struct buf *b);

/* The class cls (1..6): a short header (meaning, how its codes count) and one line per
 * registered code of the class. Nothing is written for another cls. */
void codes_list_class(struct buf *b, unsigned cls);

/* A JSON array of codes_explain_json() objects, one per line: every registered code when cls
 * is 0, else those of class cls. Ends with a newline. */
void codes_list_json(struct buf *b, unsigned cls);

#endif
