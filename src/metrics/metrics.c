/* The streaming aggregator: one finalised call at a time, trace-wide counters and distributions,
 * findings by rule, and the call's contribution to its destination, element and time bucket.
 * What counts as an attempt and how each number is defined: docs/metrics.md. */
#include "metrics/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "metrics/metrics_int.h"

struct metrics *metrics_new(const struct metrics_opts *o)
{
    struct metrics *m = xcalloc(1, sizeof(*m));
    m->o = *o;
    if (!m->o.max_rows)
        m->o.max_rows = METRICS_MAX_ROWS_DEFAULT;
    if (!m->o.exact_samples)
        m->o.exact_samples = METRICS_EXACT_DEFAULT;
    if (!m->o.cluster_min_count)
        m->o.cluster_min_count = 5;
    if (m->o.cluster_min_lift <= 0)
        m->o.cluster_min_lift = 3;
    if (m->o.cluster_max_p <= 0)
        m->o.cluster_max_p = 1e-6;
    metrics_dist_init(&m->pdd, m->o.exact_samples, false);
    metrics_dist_init(&m->setup, m->o.exact_samples, false);
    metrics_dist_init(&m->duration, m->o.exact_samples, false);
    m->rules = xcalloc(diag_nrules + 1, sizeof(*m->rules));
    for (unsigned i = 0; i < diag_nrules; i++)
        m->rules[i].rule = diag_rules[i];
    metrics_table_init(&m->dest, m->o.max_rows);
    metrics_table_init(&m->elem, m->o.max_rows);
    metrics_buckets_init(&m->buckets, m->o.bucket_ns);
    m->nc_codes = xcalloc(SIP_M__COUNT, sizeof(*m->nc_codes));
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    metrics_dist_free(&m->pdd);
    metrics_dist_free(&m->setup);
    metrics_dist_free(&m->duration);
    for (unsigned i = 0; i < diag_nrules; i++)
        for (uint32_t e = 0; e < m->rules[i].nex; e++)
            free(m->rules[i].ex[e].p);
    free(m->rules);
    metrics_table_free(&m->dest);
    metrics_table_free(&m->elem);
    metrics_buckets_free(&m->buckets);
    free(m->nc_codes);
    free(m->clusters);
    free(m);
}

double metrics_ratio(uint64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : -1;
}

uint64_t metrics_ner_effective(const struct metrics *m)
{
    if (m->o.ner == METRICS_NER_SEED)
        return m->ner_seed;
    return m->ir42[IR42_ANSWER] + m->ir42[IR42_USER_BUSY] + m->ir42[IR42_NO_ANSWER] +
           m->ir42[IR42_TERMINAL_REJECT];
}

static int rule_index(const struct diag_rule *r)
{
    for (unsigned i = 0; i < diag_nrules; i++)
        if (diag_rules[i] == r)
            return (int)i;
    return -1;
}

/* Findings by rule: calls, occurrences, severities, examples. */
static void add_findings(struct metrics *m, const struct call *c, const struct diag_out *d)
{
    bool sev_seen[3] = { false, false, false };
    for (uint32_t i = 0; i < d->n; i++) {
        const struct diag_finding *f = &d->findings[i];
        int ri = rule_index(f->rule);
        if (ri < 0)
            continue;
        struct metrics_rule_count *rc = &m->rules[ri];
        rc->occurrences++;
        unsigned s = f->rule->severity <= DIAG_ERROR ? f->rule->severity : DIAG_ERROR;
        m->findings_by_sev[s]++;
        sev_seen[s] = true;
        bool first_in_call = true;
        for (uint32_t j = 0; j < i; j++)
            if (d->findings[j].rule == f->rule)
                first_in_call = false;
        if (!first_in_call)
            continue;
        rc->calls++;
        if (rc->nex < METRICS_RULE_EXAMPLES && c->ncall_ids)
            rc->ex[rc->nex++] = metrics_id_copy(c->call_ids[0]);
    }
    for (int s = 0; s < 3; s++)
        m->calls_by_sev[s] += sev_seen[s];
}

static void facts_of(const struct metrics *m, const struct call *c, const struct diag_out *d,
                     struct call_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->code = c->final_code < 1000 ? c->final_code : 0;
    f->cat = metrics_category(f->code, m->o.callmeter);
    bool rang = c->pdd_ns >= 0;
    if (m->o.ner == METRICS_NER_SEED)
        f->effective = metrics_seed_effective(f->cat);
    else
        f->effective = metrics_ir42_class(f->code, rang) != IR42_INEFFECTIVE;
    f->retrans = metrics_call_retransmissions(c);
    f->pdd_ns = c->pdd_ns;
    f->setup_ns = c->setup_ns;
    f->duration_ns = c->duration_ns;
    const struct diag_finding *p = d ? diag_primary(d) : NULL;
    int ri = p ? rule_index(p->rule) : -1;
    if (ri >= 0)
        f->cause_kind = METRICS_KIND_CAUSE | (uint32_t)ri;
    f->call_id = c->ncall_ids ? c->call_ids[0] : SV("");
}

static void add_to_rows(struct metrics *m, const struct call *c, const struct call_facts *f)
{
    char key[METRICS_ID_MAX + 1];
    size_t n = metrics_destination(c, key, sizeof(key));
    metrics_row_add(metrics_table_row(&m->dest, sv_make(key, n)), f);
    char el[CAP_ADDR_STRLEN];
    n = metrics_element(c, el, sizeof(el));
    metrics_row_add(metrics_table_row(&m->elem, sv_make(el, n)), f);
    metrics_row_add(metrics_buckets_row(&m->buckets, c->first_ts), f);
}

void metrics_add_call(struct metrics *m, const struct call *c, const struct diag_out *d)
{
    m->calls++;
    m->truncated += (c->flags & CALL_TRUNCATED) != 0;
    m->evicted += (c->flags & CALL_EVICTED) != 0;
    m->at_eof += (c->flags & CALL_AT_EOF) != 0;
    if (!c->orig) {
        m->no_orig++;
        return;
    }
    struct call_facts f;
    facts_of(m, c, d, &f);
    if (!m->attempts || c->first_ts < m->first_start)
        m->first_start = c->first_ts;
    if (!m->attempts || c->first_ts > m->last_start)
        m->last_start = c->first_ts;
    m->attempts++;
    m->cat[f.cat]++;
    m->answered += f.cat == CAT_SUCCESS;
    m->ner_seed += metrics_seed_effective(f.cat);
    m->ir42[metrics_ir42_class(f.code, c->pdd_ns >= 0)]++;
    m->codes[f.code]++;
    metrics_dist_add(&m->pdd, c->pdd_ns);
    metrics_dist_add(&m->setup, c->setup_ns);
    metrics_dist_add(&m->duration, c->duration_ns);
    m->retrans += f.retrans;
    m->retrans_calls += f.retrans > 0;
    m->auth_retried += c->attempts_auth > 1;
    m->at_eof_incomplete += (c->flags & CALL_AT_EOF) && f.code == 0;
    if (d)
        add_findings(m, c, d);
    if (f.cause_kind)
        m->rules[f.cause_kind & METRICS_KIND_VALUE].primary++;
    else
        m->primary_none++;
    add_to_rows(m, c, &f);
}

void metrics_add_noncall(struct metrics *m, const struct call *c)
{
    m->nc_groups++;
    m->nc_mid_dialog += (c->flags & CALL_MID_DIALOG) != 0;
    for (uint32_t i = 0; i < c->ntxns; i++) {
        const struct txn *t = c->txns[i];
        if (t->kind == TXN_ACK2XX || t->method >= SIP_M__COUNT)
            continue;
        m->nc_txns[t->method]++;
        if (!t->final)
            m->nc_no_final[t->method]++;
        else if (t->final->status < 1000)
            m->nc_codes[t->method][t->final->status]++;
    }
}

void metrics_finish(struct metrics *m, bool has_time)
{
    m->has_time = has_time;
    metrics_clusters_find(m);
}
