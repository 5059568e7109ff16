/* Options shared by the commands that rebuild calls (calls, analyze): the engine's limits and
 * how inputs are read. */
#include <stdlib.h>

#include "cli/cli.h"
#include "engine/engine.h"
#include "ingest/ingest.h"

int cli_engine_opt(int opt, const char *arg, struct engine_opts *eo, struct ingest_run_opts *ro)
{
    char *end;
    switch (opt) {
    case CLI_OPT_QUIET_TIME: {
        double s = strtod(arg, &end);
        if (*end || !(s > 0 && s <= 86400)) {
            cli_error("--quiet-time: expected seconds between 0 and 86400");
            return -1;
        }
        eo->quiet_ns = (int64_t)(s * 1e9);
        return 1;
    }
    case CLI_OPT_MAX_CALLS: {
        unsigned long n = strtoul(arg, &end, 10);
        if (*end || *arg == '-' || n == 0 || n > 100000000) {
            cli_error("--max-calls: expected a number between 1 and 100000000");
            return -1;
        }
        eo->max_open_calls = (uint32_t)n;
        return 1;
    }
    case CLI_OPT_NO_MMAP:
        ro->no_mmap = true;
        return 1;
    default:
        return 0;
    }
}

int cli_uint(const char *opt, const char *arg, unsigned long lo, unsigned long hi,
             unsigned long *out)
{
    char *end;
    unsigned long n = strtoul(arg, &end, 10);
    if (!*arg || *end || *arg == '-' || n < lo || n > hi) {
        cli_error("%s: expected a number between %lu and %lu", opt, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}
