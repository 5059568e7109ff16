/* Shared pieces of the command line: exit codes, option helpers, the subcommand entry points. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

enum {
    EXIT_OK = 0,
    EXIT_FINDINGS = 1, /* --fail-on matched */
    EXIT_USAGE = 2,
    EXIT_UNREADABLE = 3, /* an input could not be read at all */
};

int cmd_messages(int argc, char **argv);
int cmd_calls(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

struct ingest_run;
/* Print to stderr why each input could not be read or where it stopped. */
void cli_report_input_errors(const struct ingest_run *run);

/* Print "sipsleuth: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse "--format X" style values: returns the index of value in choices (NULL-terminated) or
 * -1 after printing a usage error naming the option. */
int cli_choice(const char *opt, const char *value, const char *const *choices);

/* Long options shared by calls and analyze (getopt values past any short option). */
enum {
    CLI_OPT_QUIET_TIME = 0x100,
    CLI_OPT_MAX_CALLS,
    CLI_OPT_NO_MMAP,
    CLI_OPT__NEXT, /* first value free for a command's own long options */
};
/* clang-format off */
#define CLI_ENGINE_LONGOPTS                                                                       \
    { "quiet-time", required_argument, NULL, CLI_OPT_QUIET_TIME },                                \
        { "max-calls", required_argument, NULL, CLI_OPT_MAX_CALLS },                              \
        { "no-mmap", no_argument, NULL, CLI_OPT_NO_MMAP }
#define CLI_ENGINE_USAGE                                                                          \
    "      --quiet-time SEC       settle time before a finished call is reported (32)\n"         \
    "      --max-calls N          calls held at once before the oldest is evicted (200000)\n"    \
    "      --no-mmap              read files with read(2) instead of mapping them\n"
/* clang-format on */

struct engine_opts;
struct ingest_run_opts;
/* Apply one of the shared options. Returns 1 if opt was one (applied), 0 if it is not one of
 * them, -1 after printing why the value is wrong. */
int cli_engine_opt(int opt, const char *arg, struct engine_opts *eo, struct ingest_run_opts *ro);

/* ---- call filters (calls; filter.c) ---- */

enum {
    CLI_OPT_CODE = 0x180,
    CLI_OPT_CATEGORY,
    CLI_OPT_FINDING,
    CLI_OPT_CALL_ID,
    CLI_OPT_ADDRESS,
    CLI_OPT_SINCE,
    CLI_OPT_UNTIL,
};
/* clang-format off */
#define CLI_FILTER_LONGOPTS                                                                       \
    { "code", required_argument, NULL, CLI_OPT_CODE },                                            \
        { "category", required_argument, NULL, CLI_OPT_CATEGORY },                                \
        { "finding", required_argument, NULL, CLI_OPT_FINDING },                                  \
        { "call-id", required_argument, NULL, CLI_OPT_CALL_ID },                                  \
        { "address", required_argument, NULL, CLI_OPT_ADDRESS },                                  \
        { "since", required_argument, NULL, CLI_OPT_SINCE },                                      \
        { "until", required_argument, NULL, CLI_OPT_UNTIL }
/* clang-format on */

struct cli_filter_addr {
    uint8_t family; /* 4 or 6 */
    uint16_t port;  /* 0: any */
    uint8_t ip[16];
};

struct cli_filter_time {
    bool set;
    bool relative; /* ns is an offset from the first message of the trace */
    int64_t ns;
};

struct cli_filter {
    bool active;
    uint16_t *codes; /* exact codes; 1..6 stand for a class (4xx); 0 for no final */
    uint32_t ncodes;
    uint32_t categories; /* bit per enum call_category */
    const struct diag_rule **findings;
    uint32_t nfindings;
    char **call_ids;
    uint32_t ncall_ids;
    struct cli_filter_addr *addrs;
    uint32_t naddrs;
    struct cli_filter_time since, until;
};

/* Apply one filter option (a comma-separated list; repeating an option adds values). Returns
 * 1 if opt is a filter option, 0 if not, -1 after printing why the value is wrong. */
int cli_filter_opt(struct cli_filter *f, int opt, const char *arg);

struct call;
struct diag_out;
/* True when c passes every filter given: one of the codes, categories, findings, Call-IDs and
 * addresses (any leg or message from or to it), and a start time in [since, until). first_ts is
 * the capture time of the trace's first message (for relative times). */
bool cli_filter_match(const struct cli_filter *f, const struct call *c, const struct diag_out *d,
                      int64_t first_ts);
void cli_filter_free(struct cli_filter *f);

/* Parse a decimal number in [lo, hi] for option opt; -1 after printing a usage error. */
int cli_uint(const char *opt, const char *arg, unsigned long lo, unsigned long hi,
             unsigned long *out);

#endif
