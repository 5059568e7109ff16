/* Pieces shared by the analyze writers: the "(other)" totals of a table and how a failure kind
 * (a final code or a primary cause) is named. */
#include <stdio.h>
#include <string.h>

#include "report/analyze.h"

void report_analyze_rest(const struct metrics *m, const struct metrics_row *const *rows, uint32_t n,
                         struct analyze_rest *out)
{
    memset(out, 0, sizeof(*out));
    out->attempts = m->attempts;
    out->answered = m->answered;
    out->ner_effective = metrics_ner_effective(m);
    out->retrans = m->retrans;
    for (int c = 0; c < CAT__COUNT; c++)
        out->cat[c] = m->cat[c];
    for (uint32_t i = 0; i < n; i++) {
        out->attempts -= rows[i]->attempts;
        out->answered -= rows[i]->answered;
        out->ner_effective -= rows[i]->ner_effective;
        out->retrans -= rows[i]->retrans;
        for (int c = 0; c < CAT__COUNT; c++)
            out->cat[c] -= rows[i]->cat[c];
    }
}

const char *report_kind_label(uint32_t kind, char *tmp, size_t cap, bool json)
{
    uint32_t v = kind & METRICS_KIND_VALUE;
    if (kind & METRICS_KIND_CAUSE)
        return v < diag_nrules ? diag_rules[v]->id : "?";
    if (v == 0)
        return json ? "none" : "no final response";
    snprintf(tmp, cap, "%u", v);
    return tmp;
}
