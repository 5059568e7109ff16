/* Response code reference: look-ups in the code table (codes_table.c) and the text and JSON
 * writers behind `sipsleuth explain CODE`. How a code counts in the metrics is computed here from
 * metrics_category(), never stored, so the reference always agrees with the numbers. Codes that
 * the registry lacks are explained through their class. This file writes only our own static
 * texts; nothing in it comes from a trace. */
#include "report/codes.h"

#include <stdint.h>
#include <stdio.h>

#include "metrics/metrics.h"
#include "report/codes_int.h"
#include "report/text.h"

#define WIDTH  78 /* text output fits 80 columns */
#define INDENT 2

/* RFC 3261 §21: the six classes. */
static const struct {
    const char *name;
    const char *rfc;
    const char *meaning;
} classes[7] = {
    [1] = { "provisional", "RFC 3261 §21.1",
            "Work on the request is under way and no outcome exists yet. A provisional response "
            "never ends a transaction, so it is never a final code." },
    [2] = { "success", "RFC 3261 §21.2", "The request was received, understood and accepted." },
    [3] = { "redirection", "RFC 3261 §21.3",
            "The request should be tried again at other locations, given in the Contact header. "
            "The call goes on only if the caller or a proxy recurses with a new request." },
    [4] = { "request failure", "RFC 3261 §21.4",
            "This server will not complete the request as it was sent. The same request changed "
            "(for example with credentials), or sent to another server, may succeed." },
    [5] = { "server failure", "RFC 3261 §21.5",
            "The server failed to complete an apparently valid request. Another server may "
            "succeed." },
    [6] = { "global failure", "RFC 3261 §21.6",
            "No server anywhere will complete the request. The callee's answer is definitive, and "
            "a forking proxy stops trying its other branches." },
};

/* DESIGN.md: ASR = SUCCESS / attempts; NER (seed definition) = (SUCCESS + TIMEOUT) / attempts. */
static bool cat_answered(enum call_category c)
{
    return c == CAT_SUCCESS;
}

static bool cat_effective(enum call_category c)
{
    return c == CAT_SUCCESS || c == CAT_TIMEOUT;
}

const struct code_info *codes_find(unsigned code)
{
    size_t lo = 0, hi = codes_ntab;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (codes_tab[mid].code == code)
            return &codes_tab[mid];
        if (codes_tab[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct code_info *codes_table(size_t *n)
{
    *n = codes_ntab;
    return codes_tab;
}

const char *codes_class_name(unsigned cls)
{
    return cls >= 1 && cls <= 6 ? classes[cls].name : NULL;
}

static bool is_code(unsigned code)
{
    return code >= 100 && code <= 699;
}

/* How code counts as a call's final code, as one paragraph. */
static void metrics_text(struct buf *t, unsigned code)
{
    if (code / 100 == 1) {
        buf_printf(t,
                   "Never a final code. A call whose originating leg saw only provisional "
                   "responses counts as %s.",
                   metrics_category_name(metrics_category(0, false)));
        return;
    }
    enum call_category c = metrics_category((uint16_t)code, false);
    enum call_category cm = metrics_category((uint16_t)code, true);
    buf_printf(t, "As a call's final code: %s", metrics_category_name(c));
    if (cm != c)
        buf_printf(t, " (%s in the CallMeter-compatible mode)", metrics_category_name(cm));
    static const char *const asr_ner[2][2] = {
        { "Neither an answer for ASR nor effective for NER",
          "Not an answer for ASR, but effective for NER" },
        { "An answer for ASR, but not effective for NER",
          "An answer for ASR and effective for NER" },
    };
    buf_printf(t, ". %s (seed definition: SUCCESS + TIMEOUT).",
               asr_ner[cat_answered(c)][cat_effective(c)]);
}

/* Which categories the codes of class cls fall into: the usual one and the exceptions. */
static void class_counts_text(struct buf *t, unsigned cls)
{
    if (cls == 1) {
        metrics_text(t, 100);
        return;
    }
    unsigned n[CAT__COUNT] = { 0 };
    for (unsigned c = cls * 100; c < cls * 100 + 100; c++)
        n[metrics_category((uint16_t)c, false)]++;
    unsigned usual = 0;
    for (unsigned k = 1; k < CAT__COUNT; k++)
        if (n[k] > n[usual])
            usual = k;
    buf_printf(t, "As final codes, %uxx codes count as %s", cls,
               metrics_category_name((enum call_category)usual));
    const char *sep = ", except ";
    for (unsigned k = 0; k < CAT__COUNT; k++) {
        if (k == usual || n[k] == 0)
            continue;
        buf_puts(t, sep);
        sep = "; ";
        unsigned listed = 0;
        for (unsigned c = cls * 100; c < cls * 100 + 100; c++)
            if ((unsigned)metrics_category((uint16_t)c, false) == k)
                buf_printf(t, "%s%u", listed++ ? ", " : "", c);
        buf_printf(t, " as %s", metrics_category_name((enum call_category)k));
    }
    buf_puts(t, ".");
}

/* What a receiver does with an unregistered code of class cls (RFC 3261 §8.1.3.2). */
static void unknown_text(struct buf *t, unsigned cls)
{
    buf_puts(t, "Not in the IANA registry: a vendor or private code, or a typo. ");
    if (cls == 1) {
        buf_puts(t, "A UA treats a provisional code it does not recognise as 183 Session "
                    "Progress (RFC 3261 §8.1.3.2).");
        return;
    }
    const struct code_info *x00 = codes_find(cls * 100);
    buf_printf(t,
               "A UA treats a final code it does not recognise as %u %s, the x00 code of its "
               "class (RFC 3261 §8.1.3.2).",
               cls * 100, x00 ? x00->name : "");
}

/* The code's own category, then how its class counts (for 1xx the two are the same text). */
static void unregistered_metrics_text(struct buf *t, unsigned code)
{
    metrics_text(t, code);
    if (code / 100 != 1) {
        buf_putc(t, ' ');
        class_counts_text(t, code / 100);
    }
}

static void section(struct buf *b, const char *title, const char *text)
{
    buf_printf(b, "\n%s\n", title);
    report_wrap(b, text, 0, INDENT, WIDTH);
}

/* A section whose text is composed by fn into a scratch buffer. */
static void section_fn(struct buf *b, const char *title, void (*fn)(struct buf *, unsigned),
                       unsigned arg)
{
    struct buf t;
    buf_init(&t, NULL);
    fn(&t, arg);
    buf_putc(&t, '\0');
    section(b, title, t.p);
    buf_free(&t);
}

static void explain_unregistered(struct buf *b, unsigned code)
{
    unsigned cls = code / 100;
    buf_printf(b, "%u (not in the IANA response-code registry)\n", code);
    buf_printf(b, "  %uxx %s, %s\n", cls, classes[cls].name, classes[cls].rfc);
    section(b, "Meaning of the class", classes[cls].meaning);
    section_fn(b, "Typical causes", unknown_text, cls);
    section_fn(b, "In sipsleuth's metrics", unregistered_metrics_text, code);
}

int codes_explain(struct buf *b, unsigned code)
{
    if (!is_code(code))
        return CODES_INVALID;
    const struct code_info *c = codes_find(code);
    if (!c) {
        explain_unregistered(b, code);
        return CODES_CLASS;
    }
    unsigned cls = code / 100;
    buf_printf(b, "%u %s%s\n", c->code, c->name, c->deprecated ? " (deprecated)" : "");
    buf_printf(b, "  %s; %uxx %s\n", c->rfc, cls, classes[cls].name);
    section(b, "Meaning", c->meaning);
    section(b, "Typical causes", c->causes);
    if (c->note)
        section(b, "Protocol notes", c->note);
    section_fn(b, "In sipsleuth's metrics", metrics_text, code);
    return CODES_KNOWN;
}

/* ,"key":"value" (or null), the key and value escaped. */
static void json_str(struct buf *b, const char *key, const char *val)
{
    buf_putc(b, ',');
    buf_json_str(b, sv_cstr(key));
    buf_putc(b, ':');
    if (val)
        buf_json_str(b, sv_cstr(val));
    else
        buf_puts(b, "null");
}

static void json_bool(struct buf *b, const char *key, bool val)
{
    buf_putc(b, ',');
    buf_json_str(b, sv_cstr(key));
    buf_puts(b, val ? ":true" : ":false");
}

/* ,"key":"composed text" where fn composes the text. */
static void json_fn(struct buf *b, const char *key, void (*fn)(struct buf *, unsigned),
                    unsigned arg)
{
    struct buf t;
    buf_init(&t, NULL);
    fn(&t, arg);
    buf_putc(&t, '\0');
    json_str(b, key, t.p);
    buf_free(&t);
}

/* The metrics fields: category, category_callmeter, asr, ner. */
static void json_metrics(struct buf *b, unsigned code)
{
    bool final = code / 100 != 1;
    enum call_category c = metrics_category((uint16_t)code, false);
    enum call_category cm = metrics_category((uint16_t)code, true);
    json_bool(b, "final", final);
    json_str(b, "category", final ? metrics_category_name(c) : NULL);
    json_str(b, "category_callmeter", final ? metrics_category_name(cm) : NULL);
    json_bool(b, "asr", final && cat_answered(c));
    json_bool(b, "ner", final && cat_effective(c));
}

int codes_explain_json(struct buf *b, unsigned code)
{
    if (!is_code(code))
        return CODES_INVALID;
    const struct code_info *c = codes_find(code);
    unsigned cls = code / 100;
    char cls_str[4] = { (char)('0' + cls), 'x', 'x', '\0' };
    buf_printf(b, "{\"code\":%u", code);
    json_str(b, "name", c ? c->name : NULL);
    json_bool(b, "registered", c != NULL);
    json_bool(b, "deprecated", c && c->deprecated);
    json_str(b, "class", cls_str);
    json_str(b, "class_name", classes[cls].name);
    json_str(b, "rfc", c ? c->rfc : classes[cls].rfc);
    json_str(b, "meaning", c ? c->meaning : classes[cls].meaning);
    if (c)
        json_str(b, "causes", c->causes);
    else
        json_fn(b, "causes", unknown_text, cls);
    json_str(b, "note", c ? c->note : NULL);
    json_metrics(b, code);
    buf_putc(b, '}');
    return c ? CODES_KNOWN : CODES_CLASS;
}

static void list_line(struct buf *b, const struct code_info *c)
{
    char name[64];
    snprintf(name, sizeof(name), "%s%s", c->name, c->deprecated ? " (deprecated)" : "");
    const char *cat = c->code / 100 == 1
                          ? "(provisional)"
                          : metrics_category_name(metrics_category((uint16_t)c->code, false));
    buf_printf(b, "%u  %-40s %s\n", c->code, name, cat);
}

void codes_list(struct buf *b)
{
    for (size_t i = 0; i < codes_ntab; i++)
        list_line(b, &codes_tab[i]);
}

void codes_list_class(struct buf *b, unsigned cls)
{
    if (!codes_class_name(cls))
        return;
    buf_printf(b, "%uxx %s (%s)\n", cls, classes[cls].name, classes[cls].rfc);
    report_wrap(b, classes[cls].meaning, 0, INDENT, WIDTH);
    struct buf t;
    buf_init(&t, NULL);
    class_counts_text(&t, cls);
    buf_putc(&t, '\0');
    report_wrap(b, t.p, 0, INDENT, WIDTH);
    buf_free(&t);
    buf_putc(b, '\n');
    for (size_t i = 0; i < codes_ntab; i++)
        if (codes_tab[i].code / 100 == cls)
            list_line(b, &codes_tab[i]);
}

void codes_list_json(struct buf *b, unsigned cls)
{
    const char *sep = "\n";
    buf_putc(b, '[');
    for (size_t i = 0; i < codes_ntab; i++) {
        if (cls && codes_tab[i].code / 100 != cls)
            continue;
        buf_puts(b, sep);
        sep = ",\n";
        (void)codes_explain_json(b, codes_tab[i].code);
    }
    buf_puts(b, "\n]\n");
}
