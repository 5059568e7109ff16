/* The JSON report of `sipsleuth analyze --format json`, schema "sipsleuth.analyze/1", documented
 * field by field in docs/analyze-json.md. Ratios are fractions between 0 and 1 (null when there
 * is nothing to divide by), times are milliseconds, every string from the trace goes through
 * buf_json_str, and every list has a fixed order. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/timefmt.h"
#include "report/analyze.h"
#include "report/calls.h"
#include "report/report.h"

/* The shortest decimal that reads back as the same double. */
static void json_double(struct buf *b, double v)
{
    if (!isfinite(v)) {
        buf_puts(b, "null");
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    buf_puts(b, tmp);
}

static void json_ratio(struct buf *b, uint64_t num, uint64_t den)
{
    if (!den)
        buf_puts(b, "null");
    else
        json_double(b, (double)num / (double)den);
}

static void json_msv(struct buf *b, double ns)
{
    if (ns < 0)
        buf_puts(b, "null");
    else
        buf_printf(b, "%.3f", ns / 1e6);
}

/* Statistics of a distribution; null when the input has no timestamps (a pasted trace keeps
 * only the order of messages, so there is nothing to measure). */
static void json_stats(struct buf *b, struct metrics_dist *d, bool timed)
{
    if (!timed) {
        buf_puts(b, "null");
        return;
    }
    struct metrics_stats s;
    metrics_dist_stats(d, &s);
    buf_printf(b, "{\"count\":%llu,\"exact\":%s,\"mean\":", (unsigned long long)s.count,
               s.exact ? "true" : "false");
    json_msv(b, s.count ? s.mean_ns : -1);
    buf_puts(b, ",\"p50\":");
    json_msv(b, s.count ? s.p50_ns : -1);
    buf_puts(b, ",\"p90\":");
    json_msv(b, s.count ? s.p90_ns : -1);
    buf_puts(b, ",\"p99\":");
    json_msv(b, s.count ? s.p99_ns : -1);
    buf_puts(b, ",\"max\":");
    json_msv(b, s.count ? (double)s.max_ns : -1);
    buf_putc(b, '}');
}

static void json_categories(struct buf *b, const uint64_t *cat)
{
    buf_putc(b, '{');
    for (int c = 0; c < CAT__COUNT; c++)
        buf_printf(b, "%s\"%s\":%llu", c ? "," : "", metrics_category_name(c),
                   (unsigned long long)cat[c]);
    buf_putc(b, '}');
}

static void json_ids(struct buf *b, const struct metrics_id *ids, uint32_t n)
{
    buf_putc(b, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        buf_json_str(b, metrics_id_sv(ids[i]));
    }
    buf_putc(b, ']');
}

static void json_kpi(struct buf *b, struct metrics *m)
{
    buf_printf(b, "\"kpi\":{\"attempts\":%llu,\"answered\":%llu,\"asr\":",
               (unsigned long long)m->attempts, (unsigned long long)m->answered);
    json_ratio(b, m->answered, m->attempts);
    buf_puts(b, ",\"ner\":");
    json_ratio(b, metrics_ner_effective(m), m->attempts);
    buf_printf(b, ",\"ner_definition\":\"%s\",\"ner_effective\":%llu,\"ir42\":{",
               metrics_ner_name(m->o.ner), (unsigned long long)metrics_ner_effective(m));
    for (int k = 0; k < IR42__COUNT; k++)
        buf_printf(b, "%s\"%s\":%llu", k ? "," : "", metrics_ir42_name(k),
                   (unsigned long long)m->ir42[k]);
    buf_puts(b, "},\"pdd_ms\":");
    json_stats(b, &m->pdd, m->has_time);
    buf_puts(b, ",\"setup_ms\":");
    json_stats(b, &m->setup, m->has_time);
    buf_puts(b, ",\"duration_ms\":");
    json_stats(b, &m->duration, m->has_time);
    buf_printf(b, ",\"retransmissions\":{\"messages\":%llu,\"calls\":%llu}",
               (unsigned long long)m->retrans, (unsigned long long)m->retrans_calls);
    buf_printf(b, ",\"auth_retried\":%llu}", (unsigned long long)m->auth_retried);
}

static void json_codes(struct buf *b, const struct metrics *m)
{
    buf_puts(b, "\"codes\":{");
    bool first = true;
    for (int c = 1; c < 1000; c++) {
        if (!m->codes[c])
            continue;
        buf_printf(b, "%s\"%d\":%llu", first ? "" : ",", c, (unsigned long long)m->codes[c]);
        first = false;
    }
    buf_putc(b, '}');
}

static int cmp_rule(const void *a, const void *b)
{
    const struct metrics_rule_count *x = *(const struct metrics_rule_count *const *)a;
    const struct metrics_rule_count *y = *(const struct metrics_rule_count *const *)b;
    if (x->rule->severity != y->rule->severity)
        return x->rule->severity > y->rule->severity ? -1 : 1;
    if (x->calls != y->calls)
        return x->calls > y->calls ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

static void json_findings(struct buf *b, const struct metrics *m)
{
    const struct metrics_rule_count **rs = xmalloc((diag_nrules + 1) * sizeof(*rs));
    uint32_t n = 0;
    for (unsigned i = 0; i < diag_nrules; i++)
        if (m->rules[i].calls)
            rs[n++] = &m->rules[i];
    qsort(rs, n, sizeof(*rs), cmp_rule);
    buf_puts(b, "\"findings\":[");
    for (uint32_t i = 0; i < n; i++) {
        buf_printf(b, "%s{\"id\":\"%s\",\"severity\":\"%s\",\"title\":", i ? "," : "",
                   rs[i]->rule->id, diag_severity_name(rs[i]->rule->severity));
        buf_json_str(b, sv_cstr(rs[i]->rule->title));
        buf_printf(b, ",\"count\":%llu,\"occurrences\":%llu,\"primary\":%llu,\"calls\":",
                   (unsigned long long)rs[i]->calls, (unsigned long long)rs[i]->occurrences,
                   (unsigned long long)rs[i]->primary);
        json_ids(b, rs[i]->ex, rs[i]->nex);
        buf_putc(b, '}');
    }
    buf_puts(b, "]");
    free(rs);
}

static void json_kind(struct buf *b, uint32_t kind)
{
    uint32_t v = kind & METRICS_KIND_VALUE;
    if (kind & METRICS_KIND_CAUSE) {
        buf_printf(b, "\"kind\":\"cause\",\"code\":null,\"cause\":\"%s\"",
                   v < diag_nrules ? diag_rules[v]->id : "?");
    } else if (v) {
        buf_printf(b, "\"kind\":\"code\",\"code\":%u,\"cause\":null", v);
    } else {
        buf_puts(b, "\"kind\":\"code\",\"code\":null,\"cause\":null");
    }
}

static void json_clusters(struct buf *b, const struct metrics *m)
{
    buf_puts(b, "\"clusters\":[");
    for (uint32_t i = 0; i < m->nclusters; i++) {
        const struct metrics_cluster *c = &m->clusters[i];
        buf_printf(b, "%s{\"dimension\":\"%s\",\"key\":", i ? "," : "", metrics_dim_name(c->dim));
        if (c->dim == METRICS_DIM_WINDOW) {
            buf_putc(b, '"');
            buf_time_iso(b, c->group->start_ns, 3);
            buf_printf(b, "\",\"width_s\":%lld,", (long long)(m->buckets.width_ns / 1000000000));
        } else {
            buf_json_str(b, metrics_id_sv(c->group->key));
            buf_puts(b, ",\"width_s\":null,");
        }
        json_kind(b, c->kind->kind);
        buf_printf(b, ",\"severity\":\"%s\",\"count\":%llu,\"group_attempts\":%llu,\"share\":",
                   diag_severity_name(c->severity), (unsigned long long)c->kind->count,
                   (unsigned long long)c->group_attempts);
        json_double(b, c->share);
        buf_printf(b, ",\"rest_count\":%llu,\"rest_attempts\":%llu,\"rest_share\":",
                   (unsigned long long)c->rest_count, (unsigned long long)c->rest_attempts);
        json_double(b, c->rest_share);
        buf_puts(b, ",\"p_value\":");
        json_double(b, c->p_value);
        buf_puts(b, ",\"calls\":");
        json_ids(b, c->kind->ex, c->kind->nex);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

static void json_row_kinds(struct buf *b, const struct metrics_row *r)
{
    buf_puts(b, ",\"codes\":{");
    bool first = true;
    for (uint32_t i = 0; i < r->nkinds; i++) {
        uint32_t k = r->kinds[i].kind;
        if (!(k & METRICS_KIND_CODE) || !(k & METRICS_KIND_VALUE))
            continue;
        buf_printf(b, "%s\"%u\":%llu", first ? "" : ",", k & METRICS_KIND_VALUE,
                   (unsigned long long)r->kinds[i].count);
        first = false;
    }
    buf_puts(b, "},\"causes\":{");
    first = true;
    for (uint32_t i = 0; i < r->nkinds; i++) {
        uint32_t k = r->kinds[i].kind;
        if (!(k & METRICS_KIND_CAUSE) || (k & METRICS_KIND_VALUE) >= diag_nrules)
            continue;
        buf_printf(b, "%s\"%s\":%llu", first ? "" : ",", diag_rules[k & METRICS_KIND_VALUE]->id,
                   (unsigned long long)r->kinds[i].count);
        first = false;
    }
    buf_printf(b, "},\"kinds_not_counted\":%llu", (unsigned long long)r->kinds_dropped);
}

/* Kinds in a row are kept in order of first appearance; sort a copy for stable output. */
static int cmp_kind(const void *a, const void *b)
{
    const struct metrics_kind *x = a, *y = b;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

static void json_row(struct buf *b, const struct metrics_row *r, bool window, bool timed)
{
    buf_puts(b, window ? "{\"start\":\"" : "{\"key\":");
    if (window) {
        buf_time_iso(b, r->start_ns, 3);
        buf_putc(b, '"');
    } else {
        buf_json_str(b, metrics_id_sv(r->key));
    }
    buf_printf(b, ",\"attempts\":%llu,\"answered\":%llu,\"asr\":", (unsigned long long)r->attempts,
               (unsigned long long)r->answered);
    json_ratio(b, r->answered, r->attempts);
    buf_puts(b, ",\"ner\":");
    json_ratio(b, r->ner_effective, r->attempts);
    buf_puts(b, ",\"categories\":");
    json_categories(b, r->cat);
    struct metrics_row sorted = *r;
    struct metrics_kind *kinds = xmalloc((r->nkinds + 1) * sizeof(*kinds));
    if (r->nkinds)
        memcpy(kinds, r->kinds, r->nkinds * sizeof(*kinds));
    qsort(kinds, r->nkinds, sizeof(*kinds), cmp_kind);
    sorted.kinds = kinds;
    json_row_kinds(b, &sorted);
    free(kinds);
    buf_puts(b, ",\"pdd_ms\":");
    json_stats(b, (struct metrics_dist *)&r->pdd, timed);
    buf_puts(b, ",\"setup_ms\":");
    json_stats(b, (struct metrics_dist *)&r->setup, timed);
    buf_puts(b, ",\"duration_ms\":");
    json_stats(b, (struct metrics_dist *)&r->duration, timed);
    buf_printf(b, ",\"retransmissions\":%llu}", (unsigned long long)r->retrans);
}

static void json_table(struct buf *b, const char *name, const struct analyze_view *v,
                       const struct metrics_table *t)
{
    const struct metrics_row **rows = xmalloc((v->top ? v->top : 1) * sizeof(*rows));
    uint32_t n = metrics_table_top(t, v->top, rows);
    buf_printf(b, "\"%s\":{\"keys\":%u,\"key_limit\":%u,\"calls_past_limit\":%llu,\"rows\":[", name,
               t->n, t->max_rows, (unsigned long long)t->other.attempts);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        json_row(b, rows[i], false, v->m->has_time);
    }
    struct analyze_rest rest;
    report_analyze_rest(v->m, rows, n, &rest);
    buf_printf(b, "],\"other\":{\"attempts\":%llu,\"answered\":%llu,\"asr\":",
               (unsigned long long)rest.attempts, (unsigned long long)rest.answered);
    json_ratio(b, rest.answered, rest.attempts);
    buf_puts(b, ",\"ner\":");
    json_ratio(b, rest.ner_effective, rest.attempts);
    buf_puts(b, ",\"categories\":");
    json_categories(b, rest.cat);
    buf_printf(b, ",\"retransmissions\":%llu}}", (unsigned long long)rest.retrans);
    free(rows);
}

static void json_buckets(struct buf *b, const struct metrics *m)
{
    const struct metrics_buckets *bk = &m->buckets;
    if (!m->has_time) {
        buf_puts(b, "\"time_buckets\":null");
        return;
    }
    buf_printf(b, "\"time_buckets\":{\"width_s\":%lld,\"rows\":[",
               (long long)(bk->width_ns / 1000000000));
    bool first = true;
    for (uint32_t i = 0; i < bk->n; i++) {
        if (!bk->rows[i])
            continue;
        if (!first)
            buf_putc(b, ',');
        json_row(b, bk->rows[i], true, true);
        first = false;
    }
    buf_puts(b, "]}");
}

static void json_other_traffic(struct buf *b, const struct metrics *m)
{
    buf_printf(b, "\"other_traffic\":{\"groups\":%llu,\"mid_dialog_groups\":%llu,\"methods\":{",
               (unsigned long long)m->nc_groups, (unsigned long long)m->nc_mid_dialog);
    bool first = true;
    for (int k = 0; k < SIP_M__COUNT; k++) {
        if (!m->nc_txns[k])
            continue;
        buf_printf(b, "%s\"%s\":{\"transactions\":%llu,\"no_final\":%llu,\"codes\":{",
                   first ? "" : ",", k ? sip_method_name(k) : "(other)",
                   (unsigned long long)m->nc_txns[k], (unsigned long long)m->nc_no_final[k]);
        bool f2 = true;
        for (int c = 100; c < 1000; c++) {
            if (!m->nc_codes[k][c])
                continue;
            buf_printf(b, "%s\"%d\":%llu", f2 ? "" : ",", c, (unsigned long long)m->nc_codes[k][c]);
            f2 = false;
        }
        buf_puts(b, "}}");
        first = false;
    }
    buf_puts(b, "}}");
}

void report_analyze_json(struct buf *b, const struct analyze_view *v)
{
    struct metrics *m = v->m;
    buf_puts(b, "{\"schema\":\"" REPORT_ANALYZE_SCHEMA "\",\"options\":{\"ner\":\"");
    buf_puts(b, metrics_ner_name(m->o.ner));
    buf_printf(b, "\",\"callmeter\":%s,\"top\":%u,\"validate\":%s},\"read\":",
               m->o.callmeter ? "true" : "false", v->top, v->validated ? "true" : "false");
    report_inputs_json(b, v->run);
    buf_puts(b, ",\"engine\":");
    report_engine_json(b, v->est);
    buf_printf(b,
               ",\"calls\":{\"total\":%llu,\"attempts\":%llu,\"without_originating_leg\":%llu,"
               "\"finalised_at_end\":%llu,\"incomplete_at_end\":%llu,\"evicted\":%llu,"
               "\"truncated\":%llu},",
               (unsigned long long)m->calls, (unsigned long long)m->attempts,
               (unsigned long long)m->no_orig, (unsigned long long)m->at_eof,
               (unsigned long long)m->at_eof_incomplete, (unsigned long long)m->evicted,
               (unsigned long long)m->truncated);
    json_kpi(b, m);
    buf_puts(b, ",\"categories\":");
    json_categories(b, m->cat);
    buf_putc(b, ',');
    json_codes(b, m);
    buf_putc(b, ',');
    json_findings(b, m);
    buf_putc(b, ',');
    json_clusters(b, m);
    buf_putc(b, ',');
    json_table(b, "destinations", v, &m->dest);
    buf_putc(b, ',');
    json_table(b, "elements", v, &m->elem);
    buf_putc(b, ',');
    json_buckets(b, m);
    buf_putc(b, ',');
    json_other_traffic(b, m);
    buf_puts(b, "}\n");
}
