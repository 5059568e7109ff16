/* The rule runner: apply every rule of rules.def to a call, collect findings, and pick the
 * finding that explains the call's outcome. */
#include "diag/diag.h"

#include <stdio.h>
#include <string.h>

#define X(sym) extern const struct diag_rule sym;
#include "diag/rules.def"
#undef X

const struct diag_rule *const diag_rules[] = {
#define X(sym) &sym,
#include "diag/rules.def"
#undef X
    NULL, /* keeps the array valid while a list is empty */
};
const unsigned diag_nrules = sizeof(diag_rules) / sizeof(diag_rules[0]) - 1;

const char *diag_severity_name(enum diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "info";
}

int diag_severity_parse(const char *s)
{
    if (strcmp(s, "info") == 0)
        return DIAG_INFO;
    if (strcmp(s, "warning") == 0)
        return DIAG_WARNING;
    if (strcmp(s, "error") == 0)
        return DIAG_ERROR;
    return -1;
}

const struct diag_rule *diag_rule_find(const char *id)
{
    for (unsigned i = 0; i < diag_nrules; i++)
        if (strcmp(diag_rules[i]->id, id) == 0)
            return diag_rules[i];
    return NULL;
}

struct diag_finding *diag_add(struct diag_out *out, const struct diag_rule *rule,
                              const struct leg *leg, const char *fmt, ...)
{
    if (out->n == out->cap) {
        uint32_t ncap = out->cap ? out->cap * 2 : 8;
        struct diag_finding *nf = arena_alloc(out->arena, ncap * sizeof(*nf));
        if (!nf)
            return NULL;
        if (out->n)
            memcpy(nf, out->findings, out->n * sizeof(*nf));
        out->findings = nf;
        out->cap = ncap;
    }
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (len < 0)
        len = 0;
    if ((size_t)len >= sizeof(tmp))
        len = sizeof(tmp) - 1;
    char *detail = arena_alloc(out->arena, (size_t)len + 1);
    if (!detail)
        return NULL;
    memcpy(detail, tmp, (size_t)len);
    detail[len] = '\0';
    struct diag_finding *f = &out->findings[out->n++];
    memset(f, 0, sizeof(*f));
    f->rule = rule;
    f->leg = leg;
    f->detail = detail;
    return f;
}

void diag_evidence(struct diag_finding *f, const struct emsg *msg, const char *note)
{
    if (!f || !msg || f->nev >= DIAG_MAX_EVIDENCE)
        return;
    f->ev[f->nev].msg = msg;
    f->ev[f->nev].note = note;
    f->nev++;
}

void diag_run(const struct call *c, struct diag_out *out)
{
    for (unsigned i = 0; i < diag_nrules; i++)
        (void)diag_rules[i]->match(c, out);
}

/* Which finding explains the outcome: the order of diag/primary.def, first match wins; a finding
 * its rule marked incidental never does. */
static const char *const primary_order[] = {
#define X(id) id,
#include "diag/primary.def"
#undef X
};

const struct diag_finding *diag_primary(const struct diag_out *out)
{
    for (size_t p = 0; p < sizeof(primary_order) / sizeof(primary_order[0]); p++)
        for (uint32_t i = 0; i < out->n; i++)
            if (!out->findings[i].incidental &&
                strcmp(out->findings[i].rule->id, primary_order[p]) == 0)
                return &out->findings[i];
    return NULL;
}
