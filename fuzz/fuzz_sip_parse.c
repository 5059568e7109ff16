/* libFuzzer target for src/sip: the input is parsed as a datagram and as stream bytes, validated,
 * framed with sip_frame_len, and every value parser runs over every header value (and over the
 * whole input as one value). Besides ASan/UBSan findings it aborts when an invariant breaks:
 * a view outside the input, a parser that returns a value without moving its cursor, a stream
 * parse that disagrees with sip_frame_len, a message sip_looks_like does not recognise.
 *
 * Seeds (fuzz/corpus/sip_parse/): rfc4475-* and rfc5118-* are copies of the torture messages in
 * tests/data/corpus (RFC 4475 all 50, RFC 5118 wire/ 12); real-* are single UDP payloads taken
 * with tshark from captures in tests/data/corpus/pcap (sngrep_aaa, heplify_gre-teb, sipnab_invite-
 * prack, pcapplusplus_requests, heplify_ipv6-udp), protos-frame* are PROTOS c07 datagrams 4, 20
 * and 33; stream-three-messages and bare-lf-invite are built from those. fuzz/sip.dict holds
 * the grammar's keywords and separators. Coverage needs the library instrumented too: configure
 * with -DSIPSLEUTH_SANITIZE=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lo, *hi;

static void inside(sv_t v)
{
    if (v.p && (v.p < lo || v.p + v.len > hi || v.p + v.len < v.p))
        abort();
}

/* cur must shrink on every value returned, and stay inside the original value. */
static void progressed(sv_t before, sv_t after)
{
    inside(after);
    if (after.len >= before.len || after.p + after.len != before.p + before.len)
        abort();
}

static void via_values(sv_t v)
{
    struct sip_via via;
    sv_t cur = v, prev = cur, x;
    while (sip_via_next(&cur, &via) == 1) {
        progressed(prev, cur);
        prev = cur;
        inside(via.protocol);
        inside(via.transport);
        inside(via.host);
        inside(via.branch);
        inside(via.received);
        inside(via.rport);
        inside(via.params);
        if (sip_param_get(via.params, SV("maddr"), &x) == 1)
            inside(x);
    }
}

static void name_addr_values(sv_t v)
{
    struct sip_name_addr na;
    struct sip_uri u;
    sv_t cur = v, prev = cur, x;
    while (sip_name_addr_next(&cur, &na) == 1) {
        progressed(prev, cur);
        prev = cur;
        inside(na.display);
        inside(na.uri);
        inside(na.tag);
        inside(na.params);
        if (sip_uri_parse(na.uri, &u) == 0) {
            inside(u.user);
            inside(u.host);
            inside(u.params);
            inside(u.headers);
            if (sip_param_get(u.params, SV("lr"), &x) == 1)
                inside(x);
        }
    }
    if (sip_name_addr_parse(v, &na) == 1) {
        inside(na.uri);
        inside(na.tag);
    }
}

static void other_values(sv_t v)
{
    struct sip_uri u;
    struct sip_cseq cs;
    struct sip_reason r;
    sv_t cur = v, prev = cur, x;
    if (sip_uri_parse(v, &u) == 0) {
        inside(u.scheme);
        inside(u.password);
        inside(u.headers);
    }
    if (sip_cseq_parse(v, &cs) == 0)
        inside(cs.method);
    while (sip_reason_next(&cur, &r) == 1) {
        progressed(prev, cur);
        prev = cur;
        inside(r.protocol);
        inside(r.text);
    }
    if (sip_param_get(v, SV("tag"), &x) == 1)
        inside(x);
}

static void all_values(sv_t v)
{
    inside(v);
    via_values(v);
    name_addr_values(v);
    other_values(v);
}

static struct sip_msg msg;

static void check_msg(const struct sip_msg *m, int rc, size_t size)
{
    if ((size_t)rc > size || m->nhdrs > SIP_MAX_HDRS)
        abort();
    inside(m->raw);
    inside(m->method);
    inside(m->ruri);
    inside(m->reason);
    inside(m->version);
    inside(m->body);
    (void)sip_malformed_name((enum sip_malformed)m->malformed);
    for (uint16_t i = 0; i < m->nhdrs; i++) {
        inside(m->hdrs[i].name);
        (void)sip_hdr_lookup(m->hdrs[i].name);
        all_values(m->hdrs[i].value);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lo = (const char *)data;
    hi = lo + size;
    int rc = sip_parse(&msg, data, size, SIP_PARSE_DATAGRAM);
    if (rc >= 0) {
        check_msg(&msg, rc, size);
        struct sip_via v;
        if (sip_top_via(&msg, &v) == 1)
            inside(v.branch);
        sip_validate(&msg);
        if (msg.malformed >= SIP_MAL__COUNT)
            abort();
    }
    rc = sip_parse(&msg, data, size, 0);
    if (rc >= 0) {
        check_msg(&msg, rc, size);
        if (!sip_looks_like(data, size))
            abort();
    }
    size_t ml = 0, sk = 0;
    rc = sip_frame_len(data, size, &ml, &sk);
    if (rc == 1) {
        if (ml > size || sk > ml)
            abort();
        if (sip_parse(&msg, data, ml, 0) != (int)ml)
            abort(); /* framing and stream parsing must agree */
    }
    all_values(sv_make(data, size));
    return 0;
}
