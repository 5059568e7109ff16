/* The terminal report of `sipsleuth analyze`: what was read, the KPIs, outcomes, findings by
 * rule, clusters, and the per-destination, per-element and per-time-bucket rows, in at most 80
 * columns. Colour (ANSI) only when the caller asks for it. Trace text (paths, keys, Call-IDs)
 * goes through buf_text_safe and is cut to its column with a '~'. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/timefmt.h"
#include "report/analyze.h"

#define NS_PER_MS 1e6

struct tw {
    struct buf *b;
    const struct analyze_view *v;
};

static void color(const struct tw *t, const char *sgr)
{
    if (t->v->color)
        buf_printf(t->b, "\033[%sm", sgr);
}

/* A section title after a blank line, bold on a colour terminal. */
static void __attribute__((format(printf, 2, 3))) title(const struct tw *t, const char *fmt, ...)
{
    buf_putc(t->b, '\n');
    color(t, "1");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(t->b, fmt, ap);
    va_end(ap);
    color(t, "0");
}

static const char *severity_sgr(enum diag_severity s)
{
    return s == DIAG_ERROR ? "31" : s == DIAG_WARNING ? "33" : "36";
}

static void severity(const struct tw *t, enum diag_severity s)
{
    color(t, severity_sgr(s));
    buf_printf(t->b, "%-8s", diag_severity_name(s));
    color(t, "0");
}

static void pad(struct buf *b, size_t n)
{
    while (n--)
        buf_putc(b, ' ');
}

/* Escaped trace text in width columns: padded when shorter (pad_out), cut with '~' when
 * longer. A column is a character; escapes (\xHH) count one column per byte written. */
static void cell(struct buf *b, sv_t v, size_t width, bool pad_out)
{
    struct buf e;
    buf_init(&e, NULL);
    buf_text_safe(&e, v);
    size_t cols = 0, i;
    for (i = 0; i < e.len; i++)
        cols += ((unsigned char)e.p[i] & 0xC0) != 0x80;
    if (cols <= width) {
        buf_put(b, e.p, e.len);
        if (pad_out)
            pad(b, width - cols);
    } else {
        size_t c = 0;
        for (i = 0; i < e.len; i++) {
            if (((unsigned char)e.p[i] & 0xC0) != 0x80 && c++ == width - 1)
                break;
        }
        buf_put(b, e.p, i);
        buf_putc(b, '~');
    }
    buf_free(&e);
}

/* Escaped trace text in at most width columns, keeping its end ("~" + tail): for paths. */
static void cell_tail(struct buf *b, sv_t v, size_t width)
{
    struct buf e;
    buf_init(&e, NULL);
    buf_text_safe(&e, v);
    size_t cols = 0, i = e.len;
    while (i > 0) {
        size_t j = i - 1;
        while (j > 0 && ((unsigned char)e.p[j] & 0xC0) == 0x80)
            j--;
        if (cols + 1 > width - 1 && j > 0)
            break;
        cols++;
        i = j;
    }
    if (i > 0)
        buf_putc(b, '~');
    buf_put(b, e.p + i, e.len - i);
    buf_free(&e);
}

static void pct(struct buf *b, uint64_t num, uint64_t den, int width)
{
    if (!den)
        buf_printf(b, "%*s", width, "-");
    else
        buf_printf(b, "%*.1f%%", width - 1, 100.0 * (double)num / (double)den);
}

static void ms(struct buf *b, double ns, int width)
{
    if (ns < 0)
        buf_printf(b, "%*s", width, "-");
    else
        buf_printf(b, "%*.1f", width, ns / NS_PER_MS);
}

/* "1 h 02 min 03.5 s" style span. */
static void span(struct buf *b, int64_t ns)
{
    int64_t ms_total = ns / 1000000;
    int64_t h = ms_total / 3600000, m = ms_total / 60000 % 60;
    double s = (double)(ms_total % 60000) / 1000.0;
    if (h)
        buf_printf(b, "%lld h %02lld min %06.3f s", (long long)h, (long long)m, s);
    else if (m)
        buf_printf(b, "%lld min %06.3f s", (long long)m, s);
    else
        buf_printf(b, "%.3f s", s);
}

/* ---- Read ---- */

static uint64_t sum(const uint64_t *v, int n)
{
    uint64_t s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void read_inputs(const struct tw *t)
{
    const struct ingest_run *run = t->v->run;
    for (int i = 0; i < run->ninputs; i++) {
        const struct ingest_input *in = &run->inputs[i];
        buf_puts(t->b, "  ");
        cell_tail(t->b, sv_cstr(in->path), 76);
        if (!in->opened) {
            sv_t err = sv_cstr(in->error), path = sv_cstr(in->path);
            if (sv_starts_with(err, path) && sv_starts_with(sv_from(err, path.len), SV(": ")))
                err = sv_from(err, path.len + 2); /* the message repeats the path */
            buf_puts(t->b, "\n              not read: ");
            cell(t->b, err, 62, false);
            buf_putc(t->b, '\n');
            continue;
        }
        buf_printf(t->b, "\n              %s, %llu frames, %llu bytes\n",
                   cap_format_name(in->format), (unsigned long long)in->frames,
                   (unsigned long long)in->size);
        if (in->damage.stopped) {
            buf_printf(t->b, "              stopped at byte %llu: ",
                       (unsigned long long)in->damage.offset);
            cell(t->b, sv_cstr(in->damage.what), 40, false);
            buf_putc(t->b, '\n');
        }
    }
}

/* The three most frequent malformed reasons (anomalies: kinds) on one line, "-" when none; the
 * full lists are in the JSON report. */
static void top_counts(const struct tw *t, const char *label, bool anomalies)
{
    const struct ingest_stats *st = &t->v->run->ing;
    uint64_t v[(int)SIP_MAL__COUNT > (int)SIP_ANOM__COUNT ? (int)SIP_MAL__COUNT
                                                          : (int)SIP_ANOM__COUNT] = { 0 };
    int n = anomalies ? SIP_ANOM__COUNT : SIP_MAL__COUNT;
    for (int i = anomalies ? 0 : 1; i < n; i++)
        v[i] = anomalies ? st->anomalies[i] : st->malformed[i];
    buf_printf(t->b, "  %-12s", label);
    for (int shown = 0; shown < 3; shown++) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (v[i] && (best < 0 || v[i] > v[best]))
                best = i;
        if (best < 0) {
            buf_puts(t->b, shown ? "" : "-");
            break;
        }
        buf_printf(t->b, "%s%s x%llu", shown ? ", " : "",
                   anomalies ? sip_anomaly_name(best) : sip_malformed_name(best),
                   (unsigned long long)v[best]);
        v[best] = 0;
    }
    buf_putc(t->b, '\n');
}

static void section_problems(const struct tw *t)
{
    const struct ingest_stats *st = &t->v->run->ing;
    if (st->n[INGEST_STAT_SIP_MALFORMED])
        top_counts(t, "malformed", false);
    if (sum(st->anomalies, SIP_ANOM__COUNT))
        top_counts(t, "anomalies", true);
}

static void section_read(const struct tw *t)
{
    const struct ingest_run *run = t->v->run;
    const struct metrics *m = t->v->m;
    title(t, "%s", "Read\n");
    read_inputs(t);
    if (run->has_time) {
        buf_puts(t->b, "  time span   ");
        buf_time_iso(t->b, run->first_ts, 3);
        buf_puts(t->b, " .. ");
        buf_time_iso(t->b, run->last_ts, 3);
        buf_puts(t->b, "\n              (");
        span(t->b, run->last_ts - run->first_ts);
        buf_puts(t->b, ")\n");
    } else {
        buf_puts(t->b, "  time span   unknown (no timestamps in the input)\n");
    }
    buf_printf(t->b, "  messages    %llu SIP in %llu frames: %llu malformed, ",
               (unsigned long long)run->ing.n[INGEST_STAT_SIP_MESSAGES],
               (unsigned long long)run->cap.n[CAP_STAT_FRAMES],
               (unsigned long long)run->ing.n[INGEST_STAT_SIP_MALFORMED]);
    if (t->v->validated)
        buf_printf(t->b, "%llu anomalies\n",
                   (unsigned long long)sum(run->ing.anomalies, SIP_ANOM__COUNT));
    else
        buf_puts(t->b, "anomalies not checked\n");
    section_problems(t);
    buf_printf(t->b, "  calls       %llu, and %llu Call-ID group%s of other traffic\n",
               (unsigned long long)m->calls, (unsigned long long)m->nc_groups,
               m->nc_groups == 1 ? "" : "s");
}

/* ---- KPIs ---- */

static void stats_line(const struct tw *t, const char *name, struct metrics_dist *d)
{
    struct metrics_stats s;
    metrics_dist_stats(d, &s);
    buf_printf(t->b, "  %-10s %9llu", name, (unsigned long long)s.count);
    if (!s.count) {
        buf_puts(t->b, "          -          -          -          -          -\n");
        return;
    }
    ms(t->b, s.mean_ns, 11);
    ms(t->b, s.p50_ns, 11);
    ms(t->b, s.p90_ns, 11);
    ms(t->b, s.p99_ns, 11);
    ms(t->b, (double)s.max_ns, 11);
    buf_puts(t->b, s.exact ? "\n" : " ~\n");
}

static void section_kpi(const struct tw *t)
{
    struct metrics *m = t->v->m;
    title(t, "%s", "Calls");
    buf_printf(t->b, "%*s\n", 73,
               m->o.ner == METRICS_NER_SEED
                   ? "NER: seed, (SUCCESS + TIMEOUT) / attempts"
                   : "NER: IR.42, (answer+busy+no answer+reject) / attempts");
    buf_printf(t->b, "  attempts %10llu   answered %10llu   ASR ", (unsigned long long)m->attempts,
               (unsigned long long)m->answered);
    if (m->attempts)
        buf_printf(t->b, "%6.2f%%", 100.0 * metrics_ratio(m->answered, m->attempts));
    else
        buf_puts(t->b, "     -");
    buf_puts(t->b, "   NER ");
    if (m->attempts)
        buf_printf(t->b, "%6.2f%%\n", 100.0 * metrics_ratio(metrics_ner_effective(m), m->attempts));
    else
        buf_puts(t->b, "     -\n");
    buf_printf(t->b, "  retransmissions %llu (in %llu calls)   auth challenges answered %llu\n",
               (unsigned long long)m->retrans, (unsigned long long)m->retrans_calls,
               (unsigned long long)m->auth_retried);
    if (!m->has_time) {
        buf_puts(t->b, "  timing      unknown: the input has no timestamps\n");
        return;
    }
    buf_puts(t->b, "\n  ms             count       mean        p50        p90        p99"
                   "        max\n");
    stats_line(t, "PDD", &m->pdd);
    stats_line(t, "setup", &m->setup);
    stats_line(t, "duration", &m->duration);
    if (m->pdd.hist || m->setup.hist || m->duration.hist)
        buf_puts(t->b, "  ~ percentiles from a histogram, within 0.52 ms (docs/metrics.md)\n");
}

/* ---- Outcomes ---- */

static void section_outcomes(const struct tw *t)
{
    const struct metrics *m = t->v->m;
    uint16_t codes[1000];
    uint32_t nc = 0;
    for (uint32_t c = 1; c < 1000; c++)
        if (m->codes[c])
            codes[nc++] = (uint16_t)c;
    if (m->codes[0])
        codes[nc++] = 0;
    title(t, "%s", "Outcomes\n");
    buf_puts(t->b, "  category         calls   share      final code       calls   share\n");
    uint32_t rows = nc > CAT__COUNT ? nc : CAT__COUNT;
    for (uint32_t i = 0; i < rows; i++) {
        if (i < CAT__COUNT) {
            buf_printf(t->b, "  %-12s %9llu ", metrics_category_name(i),
                       (unsigned long long)m->cat[i]);
            pct(t->b, m->cat[i], m->attempts, 7);
        } else {
            pad(t->b, 32);
        }
        if (i < nc) {
            char tmp[8];
            uint32_t k = METRICS_KIND_CODE | codes[i];
            buf_printf(t->b, "      %-12s %9llu ", report_kind_label(k, tmp, sizeof(tmp), true),
                       (unsigned long long)m->codes[codes[i]]);
            pct(t->b, m->codes[codes[i]], m->attempts, 7);
        }
        buf_putc(t->b, '\n');
    }
    if (m->o.callmeter)
        buf_puts(t->b, "  (CallMeter mode: 487 counts as ERROR)\n");
}

/* ---- Findings ---- */

/* Columns used on the current line (the output is ASCII up to this point of a line). */
static size_t column(const struct buf *b)
{
    size_t i = b->len;
    while (i > 0 && b->p[i - 1] != '\n')
        i--;
    return b->len - i;
}

/* Example Call-IDs, comma-separated, in what is left of a 78-column line. */
static void examples(const struct tw *t, const struct metrics_id *ex, uint32_t nex)
{
    size_t col = column(t->b), room = col + 12 < 78 ? 78 - col : 12;
    struct buf l;
    buf_init(&l, NULL);
    for (uint32_t i = 0; i < nex; i++) {
        if (i)
            buf_puts(&l, ", ");
        buf_put(&l, ex[i].p, ex[i].len);
    }
    cell(t->b, sv_make(l.p, l.len), room, false);
    buf_free(&l);
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

/* Rules with findings, most severe first, then most calls, then id. *out is a heap array. */
static uint32_t rules_found(const struct metrics *m, const struct metrics_rule_count ***out);

static void section_findings(const struct tw *t)
{
    const struct metrics_rule_count **rs;
    uint32_t n = rules_found(t->v->m, &rs);
    title(t, "%s", "Findings");
    if (!n) {
        buf_puts(t->b, ": none\n");
        free(rs);
        return;
    }
    buf_puts(t->b, "\n  severity id                               calls  examples\n");
    for (uint32_t i = 0; i < n; i++) {
        buf_puts(t->b, "  ");
        severity(t, rs[i]->rule->severity);
        buf_putc(t->b, ' ');
        cell(t->b, sv_cstr(rs[i]->rule->id), 30, true);
        buf_printf(t->b, " %7llu  ", (unsigned long long)rs[i]->calls);
        examples(t, rs[i]->ex, rs[i]->nex < 2 ? rs[i]->nex : 2);
        buf_putc(t->b, '\n');
    }
    free(rs);
}

/* ---- Clusters ---- */

static void group_name(const struct tw *t, const struct metrics_cluster *c, size_t room)
{
    if (c->dim == METRICS_DIM_WINDOW) {
        buf_puts(t->b, "in the window ");
        buf_time_iso(t->b, c->group->start_ns, 0);
        buf_printf(t->b, " +%llds", (long long)(t->v->m->buckets.width_ns / 1000000000));
        return;
    }
    buf_puts(t->b, c->dim == METRICS_DIM_DESTINATION ? "to " : "from ");
    cell(t->b, metrics_id_sv(c->group->key), room, false);
}

static void section_clusters(const struct tw *t)
{
    const struct metrics *m = t->v->m;
    title(t, "%s", "Clusters");
    if (!m->nclusters) {
        buf_puts(t->b, ": none (no failure stands out on one destination, element or window)\n");
        return;
    }
    buf_puts(t->b, " (failures concentrated far beyond the rest of the trace)\n");
    uint32_t shown = m->nclusters < t->v->top_clusters ? m->nclusters : t->v->top_clusters;
    for (uint32_t i = 0; i < shown; i++) {
        const struct metrics_cluster *c = &m->clusters[i];
        char tmp[8];
        const char *label = report_kind_label(c->kind->kind, tmp, sizeof(tmp), false);
        buf_puts(t->b, "  ");
        severity(t, c->severity);
        buf_printf(t->b, " %s ", label);
        group_name(t, c, 60 > strlen(label) + 20 ? 60 - strlen(label) - 20 : 8);
        buf_printf(t->b, "\n           %llu of %llu calls (%.1f%%), %.1f%% elsewhere\n",
                   (unsigned long long)c->kind->count, (unsigned long long)c->group_attempts,
                   100.0 * c->share, 100.0 * c->rest_share);
        buf_puts(t->b, "           e.g. ");
        examples(t, c->kind->ex, c->kind->nex < 2 ? c->kind->nex : 2);
        buf_putc(t->b, '\n');
    }
    if (shown < m->nclusters)
        buf_printf(t->b, "  (%u more in --format json)\n", m->nclusters - shown);
}

/* ---- Rows ---- */

static void row_cols(const struct tw *t, uint64_t attempts, uint64_t answered, uint64_t eff)
{
    buf_printf(t->b, " %8llu %8llu ", (unsigned long long)attempts, (unsigned long long)answered);
    pct(t->b, answered, attempts, 6);
    buf_putc(t->b, ' ');
    pct(t->b, eff, attempts, 6);
}

static void top_failure(const struct tw *t, const struct metrics_row *r)
{
    const struct metrics_kind *k = metrics_row_top_failure(r);
    if (!k) {
        buf_puts(t->b, "  -");
        return;
    }
    char tmp[8];
    buf_printf(t->b, "  %s x%llu", report_kind_label(k->kind, tmp, sizeof(tmp), true),
               (unsigned long long)k->count);
}

static void row_line(const struct tw *t, const struct metrics_row *r)
{
    buf_puts(t->b, "  ");
    if (r->key.p) {
        cell(t->b, metrics_id_sv(r->key), 22, true);
    } else {
        buf_time_iso(t->b, r->start_ns, 0);
        pad(t->b, 2);
    }
    row_cols(t, r->attempts, r->answered, r->ner_effective);
    struct metrics_dist *d = (struct metrics_dist *)&r->pdd;
    ms(t->b, t->v->m->has_time ? metrics_dist_quantile(d, 0.5) : -1, 8);
    top_failure(t, r);
    buf_putc(t->b, '\n');
}

static const char row_head[] = " attempts answered    ASR    NER PDD p50  top failure\n";

static void section_table(const struct tw *t, const char *name, const struct metrics_table *tab,
                          const char *col)
{
    const struct metrics_row **rows = xmalloc((t->v->top ? t->v->top : 1) * sizeof(*rows));
    uint32_t n = metrics_table_top(tab, t->v->top, rows);
    title(t, "%s", name);
    if (!tab->n && !tab->other.attempts) {
        buf_puts(t->b, ": none\n");
        free(rows);
        return;
    }
    buf_printf(t->b, " (top %u of %u by attempts", n, tab->n);
    if (tab->other.attempts)
        buf_printf(t->b, "; %llu calls past the %u-key limit",
                   (unsigned long long)tab->other.attempts, tab->max_rows);
    buf_puts(t->b, ")\n");
    buf_printf(t->b, "  %-22s%s", col, row_head);
    for (uint32_t i = 0; i < n; i++)
        row_line(t, rows[i]);
    struct analyze_rest rest;
    report_analyze_rest(t->v->m, rows, n, &rest);
    if (rest.attempts) {
        buf_printf(t->b, "  %-22s", "(other)");
        row_cols(t, rest.attempts, rest.answered, rest.ner_effective);
        buf_putc(t->b, '\n');
    }
    free(rows);
}

static void section_time(const struct tw *t)
{
    const struct metrics_buckets *bk = &t->v->m->buckets;
    if (!t->v->m->has_time || !bk->n)
        return;
    title(t, "Time (by call start, %llu s buckets, UTC)\n",
          (unsigned long long)(bk->width_ns / 1000000000));
    buf_printf(t->b, "  %-22s%s", "start", row_head);
    for (uint32_t i = 0; i < bk->n; i++)
        if (bk->rows[i])
            row_line(t, bk->rows[i]);
}

/* ---- Other traffic and notes ---- */

static void section_other(const struct tw *t)
{
    const struct metrics *m = t->v->m;
    title(t, "Other traffic: %llu Call-ID group%s without an INVITE",
          (unsigned long long)m->nc_groups, m->nc_groups == 1 ? "" : "s");
    if (m->nc_mid_dialog)
        buf_printf(t->b, " (%llu in-dialog only)", (unsigned long long)m->nc_mid_dialog);
    buf_putc(t->b, '\n');
    if (!m->nc_groups)
        return;
    buf_puts(t->b, "  method       transactions  no final  final codes\n");
    for (int k = 0; k < SIP_M__COUNT; k++) {
        if (!m->nc_txns[k])
            continue;
        buf_printf(t->b, "  %-12s %12llu %9llu  ", k ? sip_method_name(k) : "(other)",
                   (unsigned long long)m->nc_txns[k], (unsigned long long)m->nc_no_final[k]);
        struct buf l;
        buf_init(&l, NULL);
        for (int c = 100; c < 1000; c++)
            if (m->nc_codes[k][c])
                buf_printf(&l, "%s%d x%llu", l.len ? ", " : "", c,
                           (unsigned long long)m->nc_codes[k][c]);
        cell(t->b, sv_make(l.p, l.len), 39, false);
        buf_free(&l);
        buf_putc(t->b, '\n');
    }
}

static void note(const struct tw *t, bool *first, uint64_t n, const char *one, const char *many)
{
    if (!n)
        return;
    if (*first)
        title(t, "%s", "Notes\n");
    *first = false;
    buf_printf(t->b, "  %llu %s\n", (unsigned long long)n, n == 1 ? one : many);
}

static void section_notes(const struct tw *t)
{
    const struct metrics *m = t->v->m;
    const struct engine_stats *st = t->v->est;
    bool first = true;
    note(t, &first, m->no_orig, "call without an originating INVITE leg: not an attempt",
         "calls without an originating INVITE leg: not attempts");
    note(t, &first, m->at_eof_incomplete,
         "call had no final response yet when input ended (INCOMPLETE)",
         "calls had no final response yet when input ended (INCOMPLETE)");
    note(t, &first, m->evicted, "call finalised early to respect --max-calls",
         "calls finalised early to respect --max-calls");
    note(t, &first, m->truncated, "call hit its memory budget (messages counted, not kept)",
         "calls hit their memory budget (messages counted, not kept)");
    note(t, &first, st->n[ENGINE_STAT_DUPLICATES], "duplicate capture of a packet ignored",
         "duplicate captures of packets ignored");
    note(t, &first, st->n[ENGINE_STAT_NO_CALL_ID], "message without a Call-ID ignored",
         "messages without a Call-ID ignored");
    note(t, &first, t->v->run->ing.n[INGEST_STAT_STREAM_OVERFLOW],
         "stream buffer over its limit dropped", "stream buffers over their limit dropped");
}

static uint32_t rules_found(const struct metrics *m, const struct metrics_rule_count ***out)
{
    *out = xmalloc((diag_nrules + 1) * sizeof(**out));
    uint32_t n = 0;
    for (unsigned i = 0; i < diag_nrules; i++)
        if (m->rules[i].calls)
            (*out)[n++] = &m->rules[i];
    qsort(*out, n, sizeof(**out), cmp_rule);
    return n;
}

void report_analyze_text(struct buf *b, const struct analyze_view *v)
{
    struct tw t = { b, v };
    color(&t, "1");
    buf_puts(b, "sipsleuth analyze");
    color(&t, "0");
    buf_putc(b, '\n');
    section_read(&t);
    section_kpi(&t);
    section_outcomes(&t);
    section_findings(&t);
    section_clusters(&t);
    section_table(&t, "Destinations", &v->m->dest, "destination (R-URI)");
    section_table(&t, "Elements", &v->m->elem, "responding element");
    section_time(&t);
    section_other(&t);
    section_notes(&t);
}
