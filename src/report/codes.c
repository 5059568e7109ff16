/* Response code reference (a first set; the full table lands with the explain command). */
#include "report/codes.h"

#include <stddef.h>

#include "metrics/metrics.h"

static const struct code_info codes[] = {
    { 487, "Request Terminated", "RFC 3261 §21.4.26",
      "The server ended the INVITE transaction without a final answer because a CANCEL for it "
      "arrived first.",
      "Most often the caller hung up while it was ringing. It can also be a proxy cancelling a "
      "fork branch that lost, or a proxy whose INVITE timer expired." },
};

const struct code_info *codes_find(unsigned code)
{
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (codes[i].code == code)
            return &codes[i];
    return NULL;
}

int codes_explain(struct buf *b, unsigned code)
{
    const struct code_info *c = codes_find(code);
    if (!c)
        return -1;
    buf_printf(b, "%u %s  (%s)\n\n  %s\n\n  Typical causes: %s\n\n  Counts as: %s\n", c->code,
               c->name, c->rfc, c->meaning, c->causes,
               metrics_category_name(metrics_category((uint16_t)code, false)));
    return 0;
}

void codes_list(struct buf *b)
{
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        buf_printf(b, "%u  %s\n", codes[i].code, codes[i].name);
}
