/* Result categories of calls and the two NER definitions (docs/metrics.md): the seed mapping
 * from final codes to categories, the CallMeter fold, and the GSMA IR.42 style classes. */
#include <strings.h>

#include "metrics/metrics.h"

enum call_category metrics_category(uint16_t code, bool callmeter)
{
    if (code == 0)
        return CAT_INCOMPLETE;
    if (code >= 200 && code < 300)
        return CAT_SUCCESS;
    if (code >= 300 && code < 400)
        return CAT_REDIRECTED;
    if (code == 408 || code == 480)
        return CAT_TIMEOUT;
    if (code == 486 || code == 600 || code == 603)
        return CAT_REJECTED;
    if (code == 487)
        return callmeter ? CAT_ERROR : CAT_CANCELED;
    return CAT_ERROR;
}

static const char *const category_names[CAT__COUNT] = {
    "SUCCESS", "TIMEOUT", "REJECTED", "CANCELED", "ERROR", "REDIRECTED", "INCOMPLETE",
};

const char *metrics_category_name(enum call_category c)
{
    return (unsigned)c < CAT__COUNT ? category_names[c] : "?";
}

int metrics_category_parse(const char *s)
{
    for (int c = 0; c < CAT__COUNT; c++)
        if (strcasecmp(s, category_names[c]) == 0)
            return c;
    return -1;
}

bool metrics_seed_effective(enum call_category c)
{
    return c == CAT_SUCCESS || c == CAT_TIMEOUT;
}

/* Q.850 causes 16 (normal clearing after answer), 17 (user busy), 18/19 (no user responding,
 * no answer) and 21 (call rejected) are the effective ones of ITU-T E.411; SIP codes map to them
 * as in RFC 3398 §8.2.6.1, with 408/480/487 counting as "no answer" only when the callee was
 * alerted (an 18x came back): before that they say nothing about the terminal. */
enum metrics_ir42 metrics_ir42_class(uint16_t code, bool rang)
{
    if (code >= 200 && code < 300)
        return IR42_ANSWER;
    if (code == 486 || code == 600)
        return IR42_USER_BUSY;
    if (code == 603)
        return IR42_TERMINAL_REJECT;
    if ((code == 408 || code == 480 || code == 487) && rang)
        return IR42_NO_ANSWER;
    return IR42_INEFFECTIVE;
}

const char *metrics_ir42_name(enum metrics_ir42 k)
{
    static const char *const names[IR42__COUNT] = {
        "answer", "user_busy", "no_answer", "terminal_reject", "ineffective",
    };
    return (unsigned)k < IR42__COUNT ? names[k] : "?";
}

const char *metrics_ner_name(enum metrics_ner n)
{
    return n == METRICS_NER_IR42 ? "ir42" : "seed";
}

bool metrics_code_is_failure(uint16_t code)
{
    return code < 200 || code >= 300;
}
