/* Error codes shared by every module. Functions return 0 (or a byte count) on success and a
 * negative ERR_* on failure. The list lives in err.def so names and messages stay together. */
#ifndef BASE_ERR_H
#define BASE_ERR_H

#define MUST_CHECK __attribute__((warn_unused_result))

enum err_code {
    ERR_OK = 0,
#define X(name, val, msg) name = (val),
#include "base/err.def"
#undef X
};

/* Returns a static, human-readable message for an ERR_* code (or "success" for 0). */
const char *err_str(int code);

/* Returns the symbolic name ("ERR_PARSE") of an ERR_* code. */
const char *err_name(int code);

#endif
