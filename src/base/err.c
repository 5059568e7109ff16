/* Messages and names for the ERR_* codes of err.def. */
#include "base/err.h"

const char *err_str(int code)
{
    switch (code) {
    case 0:
        return "success";
#define X(name, val, msg)                                                                          \
    case val:                                                                                      \
        return msg;
#include "base/err.def"
#undef X
    default:
        return "unknown error";
    }
}

const char *err_name(int code)
{
    switch (code) {
    case 0:
        return "ERR_OK";
#define X(name, val, msg)                                                                          \
    case val:                                                                                      \
        return #name;
#include "base/err.def"
#undef X
    default:
        return "ERR_UNKNOWN";
    }
}
