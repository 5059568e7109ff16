/* Reason values (RFC 3326 §2): protocol *(SEMI reason-params), several per header separated by
 * commas, e.g. SIP;cause=200;text="Call completed elsewhere" or Q.850;cause=16.
 *
 * The text is returned without its quotes (quoted-pairs kept); an unquoted text is accepted as
 * written. A cause that is not a 32-bit decimal number is an error. Not here: mapping causes to
 * words. */
#include "sip/sip.h"

#include <string.h>

#include "sip/sip_int.h"

static int reason_param(struct sip_reason *r, const struct sip_int_param *pr)
{
    if (sv_ieq(pr->name, SV("cause"))) {
        if (sv_to_u32(pr->value, &r->cause) != 0)
            return ERR_PARSE;
        r->has_cause = true;
    } else if (sv_ieq(pr->name, SV("text"))) {
        sv_t t = pr->value;
        if (t.len >= 2 && t.p[0] == '"')
            t = sv_make(t.p + 1, t.len - 2);
        r->text = t;
    }
    return 0;
}

int sip_reason_next(sv_t *cur, struct sip_reason *r)
{
    memset(r, 0, sizeof(*r));
    if (!cur->p)
        return 0;
    const char *e = cur->p + cur->len;
    const char *p = sip_int_skip_lws(cur->p, e);
    if (p == e) {
        *cur = sv_make(e, 0);
        return 0;
    }
    const char *q = sip_int_skip_cls(p, e, SIP_CC_TOKEN);
    r->protocol = sip_int_span(p, q);
    sv_t rest = sip_int_span(q, e);
    struct sip_int_param pr;
    int rc = r->protocol.len ? 1 : ERR_PARSE;
    while (rc == 1 && (rc = sip_int_param_next(&rest, &pr)) == 1)
        if (reason_param(r, &pr) < 0)
            rc = ERR_PARSE;
    if (rc < 0) {
        *cur = sv_make(e, 0);
        return ERR_PARSE;
    }
    q = rest.p; /* at ',' or e */
    if (q < e) {
        const char *n = sip_int_skip_lws(q + 1, e);
        q = n == e ? q : n;
    }
    *cur = sip_int_span(q, e);
    return 1;
}
