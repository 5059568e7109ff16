/* Call writers: one line or one JSON object per call, and the summary of non-call traffic.
 * Everything from the trace (URIs, Call-IDs, names) is escaped for the output format. */
#include "report/calls.h"

#include "base/timefmt.h"
#include "metrics/metrics.h"

void report_ms(struct buf *b, int64_t ns)
{
    if (ns < 0) {
        buf_puts(b, "null");
        return;
    }
    buf_printf(b, "%lld.%03lld", (long long)(ns / 1000000), (long long)(ns / 1000 % 1000));
}

static void text_ms(struct buf *b, const char *label, int64_t ns)
{
    buf_printf(b, " %s=", label);
    if (ns < 0)
        buf_putc(b, '-');
    else
        buf_printf(b, "%lld", (long long)((ns + 500000) / 1000000));
}

/* The user@host part of a From/To value, for compact display. */
static sv_t short_uri(sv_t nameaddr)
{
    struct sip_name_addr na;
    struct sip_uri u;
    if (!nameaddr.p || sip_name_addr_parse(nameaddr, &na) != 1)
        return nameaddr;
    if (sip_uri_parse(na.uri, &u) != 0 || !u.host.len)
        return na.uri;
    if (!u.user.len)
        return u.host;
    return sv_make(u.user.p, (size_t)(u.host.p + u.host.len - u.user.p));
}

void report_call_text(struct buf *b, const struct call *c)
{
    report_call_text_open(b, c);
    buf_putc(b, '\n');
}

void report_call_text_open(struct buf *b, const struct call *c)
{
    buf_printf(b, "%6llu  ", (unsigned long long)c->seq);
    buf_time_iso(b, c->first_ts, 3);
    if (c->final_code)
        buf_printf(b, "  %3u", c->final_code);
    else
        buf_puts(b, "  ---");
    buf_printf(b, "  legs=%u", c->nlegs);
    text_ms(b, "pdd", c->pdd_ns);
    text_ms(b, "setup", c->setup_ns);
    text_ms(b, "dur", c->duration_ns);
    buf_puts(b, "  ");
    buf_text_safe(b, short_uri(c->from));
    buf_puts(b, " -> ");
    buf_text_safe(b, short_uri(c->to));
    buf_puts(b, "  ");
    buf_text_safe(b, c->ncall_ids ? c->call_ids[0] : SV(""));
    if (c->ncall_ids > 1)
        buf_printf(b, " (+%u)", c->ncall_ids - 1);
}

static void json_sv(struct buf *b, sv_t v)
{
    if (v.p)
        buf_json_str(b, v);
    else
        buf_puts(b, "null");
}

static void json_addr(struct buf *b, const struct cap_addr *a)
{
    char tmp[CAP_ADDR_STRLEN];
    size_t n = cap_addr_str(a, tmp, sizeof(tmp));
    buf_putc(b, '"');
    buf_put(b, tmp, n);
    buf_putc(b, '"');
}

static void json_leg(struct buf *b, const struct leg *l)
{
    buf_printf(b, "{\"index\":%u,\"parent\":", l->index);
    if (l->parent)
        buf_printf(b, "%u", l->parent->index);
    else
        buf_puts(b, "null");
    buf_printf(b, ",\"depth\":%u,\"src\":", l->depth);
    json_addr(b, &l->txn->client);
    buf_puts(b, ",\"dst\":");
    json_addr(b, &l->txn->server);
    buf_puts(b, ",\"branch\":");
    json_sv(b, l->txn->branch);
    buf_puts(b, ",\"invite_frame\":");
    buf_u64(b, l->invite->frame);
    buf_puts(b, ",\"final_code\":");
    if (l->final_code)
        buf_u64(b, l->final_code);
    else
        buf_puts(b, "null");
    const char *cb = canceled_by_name(l->canceled_by);
    buf_printf(b, ",\"canceled_by\":%s%s%s,\"retransmissions\":%u}", cb ? "\"" : "",
               cb ? cb : "null", cb ? "\"" : "", l->retransmissions);
}

void report_call_json_fields(struct buf *b, const struct call *c)
{
    buf_puts(b, "\"call_id\":[");
    for (uint32_t i = 0; i < c->ncall_ids; i++) {
        if (i)
            buf_putc(b, ',');
        buf_json_str(b, c->call_ids[i]);
    }
    buf_puts(b, "],\"start\":\"");
    buf_time_iso(b, c->first_ts, 9);
    buf_puts(b, "\",\"from\":");
    json_sv(b, c->from);
    buf_puts(b, ",\"to\":");
    json_sv(b, c->to);
    buf_puts(b, ",\"request_uri\":");
    json_sv(b, c->ruri);
    buf_puts(b, ",\"final_code\":");
    if (c->final_code)
        buf_u64(b, c->final_code);
    else
        buf_puts(b, "null");
    buf_printf(b, ",\"auth_attempts\":%u,\"legs\":[", c->attempts_auth);
    for (uint32_t i = 0; i < c->nlegs; i++) {
        if (i)
            buf_putc(b, ',');
        json_leg(b, c->legs[i]);
    }
    buf_puts(b, "],\"pdd_ms\":");
    report_ms(b, c->pdd_ns);
    buf_puts(b, ",\"setup_ms\":");
    report_ms(b, c->setup_ns);
    buf_puts(b, ",\"duration_ms\":");
    report_ms(b, c->duration_ns);
    const char *eb = call_end_name(c->ended_by);
    buf_printf(b, ",\"ended_by\":%s%s%s", eb ? "\"" : "", eb ? eb : "null", eb ? "\"" : "");
    buf_printf(b, ",\"messages\":%u", c->nmsgs);
    if (c->flags & CALL_TRUNCATED)
        buf_printf(b, ",\"truncated\":true,\"messages_not_kept\":%llu",
                   (unsigned long long)c->msgs_dropped);
    if (c->flags & CALL_EVICTED)
        buf_puts(b, ",\"evicted\":true");
}

void noncall_add(struct noncall_summary *s, const struct call *c)
{
    s->groups++;
    if (c->flags & CALL_MID_DIALOG)
        s->mid_dialog++;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind == TXN_ACK2XX)
            continue;
        if (t->method == SIP_M_UNKNOWN) {
            s->other_txns++;
            continue;
        }
        s->txns[t->method]++;
        if (!t->final)
            s->unanswered[t->method]++;
        else if (t->final->status / 100 <= 6)
            s->codes[t->method][t->final->status / 100]++;
    }
}

void report_noncall_text(struct buf *b, const struct noncall_summary *s)
{
    buf_printf(b, "Other traffic: %llu Call-ID groups without a call",
               (unsigned long long)s->groups);
    if (s->mid_dialog)
        buf_printf(b, " (%llu of them in-dialog only: calls begun before the capture)",
                   (unsigned long long)s->mid_dialog);
    buf_puts(b, "\n");
    if (!s->groups)
        return;
    buf_puts(b, "  method        transactions  2xx   3xx   4xx   5xx   6xx   no final\n");
    for (int m = 1; m < SIP_M__COUNT; m++) {
        if (!s->txns[m])
            continue;
        buf_printf(b, "  %-12s %13llu %5llu %5llu %5llu %5llu %5llu %10llu\n", sip_method_name(m),
                   (unsigned long long)s->txns[m], (unsigned long long)s->codes[m][2],
                   (unsigned long long)s->codes[m][3], (unsigned long long)s->codes[m][4],
                   (unsigned long long)s->codes[m][5], (unsigned long long)s->codes[m][6],
                   (unsigned long long)s->unanswered[m]);
    }
    if (s->other_txns)
        buf_printf(b, "  %-12s %13llu\n", "(other)", (unsigned long long)s->other_txns);
}

void report_noncall_json(struct buf *b, const struct noncall_summary *s)
{
    buf_printf(b, "{\"groups\":%llu,\"mid_dialog_groups\":%llu,\"methods\":{",
               (unsigned long long)s->groups, (unsigned long long)s->mid_dialog);
    bool first = true;
    for (int m = 1; m < SIP_M__COUNT; m++) {
        if (!s->txns[m])
            continue;
        buf_printf(b, "%s\"%s\":{\"transactions\":%llu,\"no_final\":%llu", first ? "" : ",",
                   sip_method_name(m), (unsigned long long)s->txns[m],
                   (unsigned long long)s->unanswered[m]);
        for (int k = 1; k <= 6; k++)
            buf_printf(b, ",\"%dxx\":%llu", k, (unsigned long long)s->codes[m][k]);
        buf_putc(b, '}');
        first = false;
    }
    buf_printf(b, "},\"other_methods\":%llu}", (unsigned long long)s->other_txns);
}

void report_engine_text(struct buf *b, const struct engine_stats *st)
{
    for (int s = 0; s < ENGINE_STAT__COUNT; s++)
        if (st->n[s])
            buf_printf(b, "  %-34s %12llu  %s\n", engine_stat_name(s),
                       (unsigned long long)st->n[s], engine_stat_desc(s));
    buf_printf(b, "  %-34s %12llu  %s\n", "engine.peak_open_calls",
               (unsigned long long)st->peak_open_calls, "most calls held in memory at once");
}

void report_engine_json(struct buf *b, const struct engine_stats *st)
{
    buf_putc(b, '{');
    for (int s = 0; s < ENGINE_STAT__COUNT; s++)
        buf_printf(b, "\"%s\":%llu,", engine_stat_name(s), (unsigned long long)st->n[s]);
    buf_printf(b, "\"engine.peak_open_calls\":%llu}", (unsigned long long)st->peak_open_calls);
}

static void json_evidence(struct buf *b, const struct diag_evidence *ev)
{
    const struct emsg *m = ev->msg;
    buf_puts(b, "{\"frame\":");
    buf_u64(b, m->frame);
    buf_puts(b, ",\"file\":");
    buf_u64(b, m->file);
    buf_puts(b, ",\"time\":\"");
    buf_time_iso(b, m->ts_ns, 9);
    buf_puts(b, "\",\"src\":");
    json_addr(b, &m->src);
    buf_puts(b, ",\"dst\":");
    json_addr(b, &m->dst);
    buf_puts(b, ",\"message\":");
    buf_json_str(b, m->start_line);
    buf_puts(b, ",\"note\":");
    if (ev->note)
        buf_json_str(b, sv_cstr(ev->note));
    else
        buf_puts(b, "null");
    buf_putc(b, '}');
}

void report_findings_json(struct buf *b, const struct call *c, const struct diag_out *d,
                          bool callmeter)
{
    buf_printf(b, ",\"category\":\"%s\",\"cause\":",
               metrics_category_name(metrics_category(c->final_code, callmeter)));
    const struct diag_finding *p = diag_primary(d);
    if (p)
        buf_printf(b, "\"%s\"", p->rule->id);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"findings\":[");
    for (uint32_t i = 0; i < d->n; i++) {
        const struct diag_finding *f = &d->findings[i];
        buf_printf(b, "%s{\"id\":\"%s\",\"severity\":\"%s\",\"leg\":", i ? "," : "",
                   f->rule->id, diag_severity_name(f->rule->severity));
        if (f->leg)
            buf_u64(b, f->leg->index);
        else
            buf_puts(b, "null");
        buf_puts(b, ",\"detail\":");
        buf_json_str(b, sv_cstr(f->detail));
        buf_puts(b, ",\"evidence\":[");
        for (unsigned e = 0; e < f->nev; e++) {
            if (e)
                buf_putc(b, ',');
            json_evidence(b, &f->ev[e]);
        }
        buf_puts(b, "]}");
    }
    buf_putc(b, ']');
}

void report_findings_text(struct buf *b, const struct call *c, const struct diag_out *d,
                          bool callmeter)
{
    buf_puts(b, "  ");
    buf_puts(b, metrics_category_name(metrics_category(c->final_code, callmeter)));
    const struct diag_finding *p = diag_primary(d);
    if (p) {
        buf_puts(b, " ");
        buf_puts(b, p->rule->id);
    }
}
