/* The per-call CSV table of `analyze --format csv` (RFC 4180): one header line, then one line
 * per call. Fields taken from the trace go through buf_csv_field (quoting, and a leading
 * apostrophe on cells a spreadsheet would evaluate); numbers are ours. */
#include "base/timefmt.h"
#include "report/analyze.h"
#include "report/calls.h"

void report_calls_csv_header(struct buf *b)
{
    buf_puts(b, "call_id,start,from,to,request_uri,destination,element,final_code,category,"
                "cause,pdd_ms,setup_ms,duration_ms,legs,retransmissions,findings\r\n");
}

static void csv_ms(struct buf *b, int64_t ns)
{
    buf_putc(b, ',');
    if (ns >= 0)
        report_ms(b, ns);
}

static void csv_sv(struct buf *b, sv_t v)
{
    buf_putc(b, ',');
    if (v.p)
        buf_csv_field(b, v);
}

/* Rule ids of the call's findings, each once, in rules.def order of first appearance. */
static void csv_findings(struct buf *b, const struct diag_out *d)
{
    struct buf ids;
    buf_init(&ids, NULL);
    for (uint32_t i = 0; d && i < d->n; i++) {
        bool seen = false;
        for (uint32_t j = 0; j < i; j++)
            seen |= d->findings[j].rule == d->findings[i].rule;
        if (seen)
            continue;
        if (ids.len)
            buf_putc(&ids, ';');
        buf_puts(&ids, d->findings[i].rule->id);
    }
    buf_putc(b, ',');
    buf_csv_field(b, sv_make(ids.p, ids.len));
    buf_free(&ids);
}

void report_call_csv(struct buf *b, const struct call *c, const struct diag_out *d, bool callmeter)
{
    buf_csv_field(b, c->ncall_ids ? c->call_ids[0] : SV(""));
    buf_putc(b, ',');
    buf_time_iso(b, c->first_ts, 9);
    csv_sv(b, c->from);
    csv_sv(b, c->to);
    csv_sv(b, c->ruri);
    char key[METRICS_ID_MAX + 1];
    size_t n = metrics_destination(c, key, sizeof(key));
    csv_sv(b, sv_make(key, n));
    char el[CAP_ADDR_STRLEN];
    n = metrics_element(c, el, sizeof(el));
    csv_sv(b, sv_make(el, n));
    buf_putc(b, ',');
    if (c->final_code)
        buf_u64(b, c->final_code);
    buf_putc(b, ',');
    buf_puts(b, metrics_category_name(metrics_category(c->final_code, callmeter)));
    buf_putc(b, ',');
    const struct diag_finding *p = d ? diag_primary(d) : NULL;
    if (p)
        buf_puts(b, p->rule->id);
    csv_ms(b, c->pdd_ns);
    csv_ms(b, c->setup_ns);
    csv_ms(b, c->duration_ns);
    buf_printf(b, ",%u,%llu", c->nlegs, (unsigned long long)metrics_call_retransmissions(c));
    csv_findings(b, d);
    buf_puts(b, "\r\n");
}
