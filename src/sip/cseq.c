/* CSeq values: "4711 INVITE" (RFC 3261 §20.16): 1*DIGIT LWS Method, the number below 2^32.
 *
 * Leading zeros are allowed (RFC 4475 §3.1.1.1 "0009"), folded LWS between the parts too. Not
 * here: comparing the method with the request line (sip_validate does). */
#include "sip/sip.h"
#include "sip/sip_int.h"

int sip_cseq_parse(sv_t value, struct sip_cseq *c)
{
    c->num = 0;
    c->method = SV_NULL;
    c->method_id = SIP_M_UNKNOWN;
    if (!value.p)
        return ERR_PARSE;
    const char *e = value.p + value.len;
    const char *d = sip_int_skip_lws(value.p, e);
    const char *de = sip_int_skip_cls(d, e, SIP_CC_DIGIT);
    const char *m = sip_int_skip_lws(de, e);
    const char *me = sip_int_skip_cls(m, e, SIP_CC_TOKEN);
    if (de == d || m == de || me == m || sip_int_skip_lws(me, e) != e)
        return ERR_PARSE;
    uint32_t n;
    int rc = sv_to_u32(sip_int_span(d, de), &n);
    if (rc < 0)
        return rc; /* ERR_LIMIT: RFC 4475 §3.1.2.4 */
    c->num = n;
    c->method = sip_int_span(m, me);
    c->method_id = (uint8_t)sip_method_id(c->method);
    return 0;
}
