/* Result categories of calls (docs/metrics.md). */
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

const char *metrics_category_name(enum call_category c)
{
    static const char *const names[CAT__COUNT] = {
        "SUCCESS", "TIMEOUT", "REJECTED", "CANCELED", "ERROR", "REDIRECTED", "INCOMPLETE",
    };
    return (unsigned)c < CAT__COUNT ? names[c] : "?";
}
