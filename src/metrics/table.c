/* Rows of the breakdowns and the bounded containers that hold them: the per-destination and
 * per-element tables (at most max_rows keys, first come first served, the rest in "other") and
 * the time buckets (widened step by step so that they stay few). */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "metrics/metrics_int.h"

struct metrics_id metrics_id_copy(sv_t v)
{
    size_t n = v.len < METRICS_ID_MAX ? v.len : METRICS_ID_MAX;
    char *s = xmalloc(n + 1);
    if (n)
        memcpy(s, v.p, n);
    s[n] = '\0';
    return (struct metrics_id){ s, (uint32_t)n };
}

void metrics_row_init(struct metrics_row *r, sv_t key)
{
    memset(r, 0, sizeof(*r));
    if (key.p)
        r->key = metrics_id_copy(key);
    metrics_dist_init(&r->pdd, METRICS_ROW_EXACT, true);
    metrics_dist_init(&r->setup, METRICS_ROW_EXACT, true);
    metrics_dist_init(&r->duration, METRICS_ROW_EXACT, true);
}

void metrics_row_free(struct metrics_row *r)
{
    free(r->key.p);
    metrics_dist_free(&r->pdd);
    metrics_dist_free(&r->setup);
    metrics_dist_free(&r->duration);
    for (uint32_t i = 0; i < r->nkinds; i++)
        for (uint32_t e = 0; e < r->kinds[i].nex; e++)
            free(r->kinds[i].ex[e].p);
    free(r->kinds);
    memset(r, 0, sizeof(*r));
}

static struct metrics_kind *kind_slot(struct metrics_row *r, uint32_t kind)
{
    for (uint32_t i = 0; i < r->nkinds; i++)
        if (r->kinds[i].kind == kind)
            return &r->kinds[i];
    if (r->nkinds >= METRICS_ROW_KINDS)
        return NULL;
    if (r->nkinds == r->kinds_cap) {
        r->kinds_cap = r->kinds_cap ? r->kinds_cap * 2 : 2;
        r->kinds = xrealloc(r->kinds, r->kinds_cap * sizeof(*r->kinds));
    }
    struct metrics_kind *k = &r->kinds[r->nkinds++];
    memset(k, 0, sizeof(*k));
    k->kind = kind;
    return k;
}

static void kind_add(struct metrics_row *r, uint32_t kind, uint64_t n, const struct metrics_id *ex,
                     uint32_t nex)
{
    struct metrics_kind *k = kind_slot(r, kind);
    if (!k) {
        r->kinds_dropped += n;
        return;
    }
    k->count += n;
    for (uint32_t i = 0; i < nex && k->nex < METRICS_EXAMPLES; i++)
        k->ex[k->nex++] = metrics_id_copy(metrics_id_sv(ex[i]));
}

static void kind_add_call(struct metrics_row *r, uint32_t kind, sv_t call_id)
{
    struct metrics_kind *k = kind_slot(r, kind);
    if (!k) {
        r->kinds_dropped++;
        return;
    }
    k->count++;
    if (k->nex < METRICS_EXAMPLES)
        k->ex[k->nex++] = metrics_id_copy(call_id);
}

void metrics_row_add(struct metrics_row *r, const struct call_facts *f)
{
    r->attempts++;
    r->cat[f->cat]++;
    r->answered += f->cat == CAT_SUCCESS;
    r->ner_effective += f->effective;
    r->retrans += f->retrans;
    r->retrans_calls += f->retrans > 0;
    metrics_dist_add(&r->pdd, f->pdd_ns);
    metrics_dist_add(&r->setup, f->setup_ns);
    metrics_dist_add(&r->duration, f->duration_ns);
    kind_add_call(r, METRICS_KIND_CODE | f->code, f->call_id);
    if (f->cause_kind)
        kind_add_call(r, f->cause_kind, f->call_id);
}

void metrics_row_merge(struct metrics_row *into, const struct metrics_row *from)
{
    into->attempts += from->attempts;
    into->answered += from->answered;
    for (int c = 0; c < CAT__COUNT; c++)
        into->cat[c] += from->cat[c];
    into->ner_effective += from->ner_effective;
    into->retrans += from->retrans;
    into->retrans_calls += from->retrans_calls;
    metrics_dist_merge(&into->pdd, &from->pdd);
    metrics_dist_merge(&into->setup, &from->setup);
    metrics_dist_merge(&into->duration, &from->duration);
    for (uint32_t i = 0; i < from->nkinds; i++)
        kind_add(into, from->kinds[i].kind, from->kinds[i].count, from->kinds[i].ex,
                 from->kinds[i].nex);
    into->kinds_dropped += from->kinds_dropped;
}

uint64_t metrics_row_kind(const struct metrics_row *r, uint32_t kind)
{
    for (uint32_t i = 0; i < r->nkinds; i++)
        if (r->kinds[i].kind == kind)
            return r->kinds[i].count;
    return 0;
}

const struct metrics_kind *metrics_row_top_failure(const struct metrics_row *r)
{
    const struct metrics_kind *best = NULL;
    for (uint32_t i = 0; i < r->nkinds; i++) {
        const struct metrics_kind *k = &r->kinds[i];
        if (!(k->kind & METRICS_KIND_CODE) ||
            !metrics_code_is_failure((uint16_t)(k->kind & METRICS_KIND_VALUE)))
            continue;
        if (!best || k->count > best->count || (k->count == best->count && k->kind < best->kind))
            best = k;
    }
    return best;
}

/* ---- tables ---- */

void metrics_table_init(struct metrics_table *t, uint32_t max_rows)
{
    memset(t, 0, sizeof(*t));
    htab_init(&t->idx, 64);
    t->max_rows = max_rows;
    metrics_row_init(&t->other, SV_NULL);
}

void metrics_table_free(struct metrics_table *t)
{
    for (uint32_t i = 0; i < t->n; i++) {
        metrics_row_free(t->rows[i]);
        free(t->rows[i]);
    }
    free(t->rows);
    htab_free(&t->idx);
    metrics_row_free(&t->other);
}

static int row_key_eq(const void *val, const void *key)
{
    const struct metrics_row *r = val;
    const sv_t *k = key;
    return sv_eq(metrics_id_sv(r->key), *k);
}

struct metrics_row *metrics_table_row(struct metrics_table *t, sv_t key)
{
    if (!key.p)
        key = SV("");
    if (key.len > METRICS_ID_MAX)
        key.len = METRICS_ID_MAX;
    uint64_t h = sv_hash(key);
    struct metrics_row *r = htab_find(&t->idx, h, row_key_eq, &key);
    if (r)
        return r;
    if (t->n >= t->max_rows)
        return &t->other;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
    }
    r = xmalloc(sizeof(*r));
    metrics_row_init(r, key);
    t->rows[t->n++] = r;
    htab_insert(&t->idx, h, r);
    return r;
}

static int cmp_row(const void *a, const void *b)
{
    const struct metrics_row *x = *(const struct metrics_row *const *)a;
    const struct metrics_row *y = *(const struct metrics_row *const *)b;
    if (x->attempts != y->attempts)
        return x->attempts > y->attempts ? -1 : 1;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = n ? memcmp(x->key.p, y->key.p, n) : 0;
    if (c)
        return c;
    return (x->key.len > y->key.len) - (x->key.len < y->key.len);
}

uint32_t metrics_table_top(const struct metrics_table *t, uint32_t limit,
                           const struct metrics_row **out)
{
    if (!t->n || !limit)
        return 0;
    const struct metrics_row **all = xmalloc(t->n * sizeof(*all));
    for (uint32_t i = 0; i < t->n; i++)
        all[i] = t->rows[i];
    qsort(all, t->n, sizeof(*all), cmp_row);
    uint32_t n = t->n < limit ? t->n : limit;
    memcpy(out, all, n * sizeof(*out));
    free(all);
    return n;
}

/* ---- time buckets ---- */

/* Automatic widths in seconds: each divides the next, so widening only merges whole buckets. */
static const int64_t auto_widths[] = { 1,    2,    10,   20,    60,    120,  600,
                                       1200, 3600, 7200, 21600, 43200, 86400 };
#define NS_PER_S 1000000000LL

void metrics_buckets_init(struct metrics_buckets *b, int64_t fixed_width_ns)
{
    memset(b, 0, sizeof(*b));
    b->fixed = fixed_width_ns > 0;
    b->width_ns = b->fixed ? fixed_width_ns : auto_widths[0] * NS_PER_S;
    b->max = b->fixed ? METRICS_MAX_FIXED_BUCKETS : METRICS_AUTO_BUCKETS;
}

void metrics_buckets_free(struct metrics_buckets *b)
{
    for (uint32_t i = 0; i < b->n; i++) {
        if (b->rows[i]) {
            metrics_row_free(b->rows[i]);
            free(b->rows[i]);
        }
    }
    free(b->rows);
    b->rows = NULL;
    b->n = 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t next_width(const struct metrics_buckets *b)
{
    if (!b->fixed)
        for (size_t i = 0; i + 1 < sizeof(auto_widths) / sizeof(auto_widths[0]); i++)
            if (auto_widths[i] * NS_PER_S == b->width_ns)
                return auto_widths[i + 1] * NS_PER_S;
    return b->width_ns > INT64_MAX / 2 ? b->width_ns : b->width_ns * 2;
}

/* Merge the buckets into ones of the next width. */
static void widen(struct metrics_buckets *b)
{
    int64_t nw = next_width(b);
    if (nw == b->width_ns)
        return;
    int64_t factor = nw / b->width_ns;
    int64_t nfirst = floor_div(b->first, factor);
    uint32_t nn = b->n ? (uint32_t)(floor_div(b->first + b->n - 1, factor) - nfirst + 1) : 0;
    struct metrics_row **rows = xcalloc(nn ? nn : 1, sizeof(*rows));
    for (uint32_t i = 0; i < b->n; i++) {
        struct metrics_row *r = b->rows[i];
        if (!r)
            continue;
        int64_t idx = floor_div(b->first + i, factor) - nfirst;
        if (!rows[idx]) {
            rows[idx] = xmalloc(sizeof(*r));
            metrics_row_init(rows[idx], SV_NULL);
            rows[idx]->start_ns = (nfirst + idx) * nw;
        }
        metrics_row_merge(rows[idx], r);
        metrics_row_free(r);
        free(r);
    }
    free(b->rows);
    b->rows = rows;
    b->n = nn;
    b->first = nfirst;
    b->width_ns = nw;
}

struct metrics_row *metrics_buckets_row(struct metrics_buckets *b, int64_t ts)
{
    for (;;) {
        int64_t idx = floor_div(ts, b->width_ns);
        int64_t lo = b->n ? (idx < b->first ? idx : b->first) : idx;
        int64_t hi = b->n ? (idx > b->first + b->n - 1 ? idx : b->first + b->n - 1) : idx;
        if ((uint64_t)(hi - lo) >= b->max && next_width(b) != b->width_ns) {
            widen(b);
            continue;
        }
        uint32_t nn = (uint32_t)(hi - lo + 1);
        if (nn != b->n) {
            struct metrics_row **rows = xcalloc(nn, sizeof(*rows));
            if (b->n)
                memcpy(rows + (b->first - lo), b->rows, b->n * sizeof(*rows));
            free(b->rows);
            b->rows = rows;
            b->n = nn;
            b->first = lo;
        }
        struct metrics_row **slot = &b->rows[idx - lo];
        if (!*slot) {
            *slot = xmalloc(sizeof(**slot));
            metrics_row_init(*slot, SV_NULL);
            (*slot)->start_ns = idx * b->width_ns;
        }
        return *slot;
    }
}
