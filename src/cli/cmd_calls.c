/* sipsleuth calls: one line (or NDJSON object) per call as the engine rebuilt it, then the
 * traffic that was not calls and what was read. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "engine/engine.h"
#include "report/calls.h"
#include "report/report.h"

/* clang-format off */
static const char calls_usage[] =
    "usage: sipsleuth calls [--format text|ndjson] [OPTIONS] FILE...\n"
    "\n"
    "One line per call: every leg of one caller's attempt across proxies, rebuilt from\n"
    "transactions (Via branch + method, per hop). Shows the final response the caller got,\n"
    "post-dial delay, setup time and duration. Traffic that is not a call (REGISTER,\n"
    "OPTIONS, SUBSCRIBE ...) is summarised at the end.\n"
    "\n"
    "  -f, --format text|ndjson   ndjson: one {\"type\":\"call\"} object per call, then one\n"
    "                             {\"type\":\"summary\"}; see docs/calls-json.md\n"
    "\n"
    "Filters (a comma-separated list each; a call must match every filter given):\n"
    "      --code N[,N]           final code the caller got: 487, a class (4xx), none\n"
    "      --category NAME        SUCCESS TIMEOUT REJECTED CANCELED ERROR REDIRECTED\n"
    "                             INCOMPLETE (docs/metrics.md)\n"
    "      --finding ID           a finding of the call (sipsleuth explain --list-findings)\n"
    "      --call-id ID           one of the call's Call-IDs\n"
    "      --address IP[:PORT]    a leg or message of the call is from or to it\n"
    "      --since TIME           calls that start at or after TIME, and\n"
    "      --until TIME           before TIME: ISO 8601 (2024-05-01T12:00:00Z, UTC\n"
    "                             unless an offset is given) or seconds from the\n"
    "                             first message of the trace\n"
    "The summary of other traffic and inputs always covers the whole trace.\n"
    "\n"
    "Other options:\n"
    CLI_ENGINE_USAGE
    "  -h, --help                 this text\n";
/* clang-format on */

/* Findings of one call: a few kilobytes even for a pathological call. */
#define DIAG_ARENA_BUDGET (1024 * 1024)

struct calls_ctx {
    struct buf out;
    bool json;
    struct noncall_summary noncall;
    struct arena diag; /* the current call's findings, reset for each call */
    struct cli_filter filter;
    struct engine *engine;
    bool have_first;
    int64_t first_ts; /* first message of the trace, for --since/--until offsets */
};

/* Note the first message's time, then hand the message to the engine. */
static void on_msg(void *ctx, const struct ingest_msg *m)
{
    struct calls_ctx *cc = ctx;
    if (!cc->have_first) {
        cc->have_first = true;
        cc->first_ts = m->ts_ns;
    }
    engine_msg(cc->engine, m);
}

static void on_call(void *ctx, struct call *c)
{
    struct calls_ctx *cc = ctx;
    if (!(c->flags & CALL_HAS_INVITE)) {
        noncall_add(&cc->noncall, c);
        return;
    }
    /* Not the call's arena: a call that hit its memory budget (a retransmission storm) has
     * none left, and its findings matter most. */
    arena_reset(&cc->diag);
    struct diag_out d = { .arena = &cc->diag };
    diag_run(c, &d);
    if (!cli_filter_match(&cc->filter, c, &d, cc->first_ts))
        return;
    if (cc->json) {
        buf_puts(&cc->out, "{\"type\":\"call\",");
        report_call_json_fields(&cc->out, c);
        report_findings_json(&cc->out, c, &d, false);
        buf_puts(&cc->out, "}\n");
    } else {
        report_call_text_open(&cc->out, c);
        report_findings_text(&cc->out, c, &d, false);
        buf_putc(&cc->out, '\n');
    }
    buf_flush_if(&cc->out);
}

static int parse_opts(int argc, char **argv, struct calls_ctx *cc, struct ingest_run_opts *ro,
                      struct engine_opts *eo)
{
    /* clang-format off */
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        CLI_ENGINE_LONGOPTS,
        CLI_FILTER_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    /* clang-format on */
    static const char *const formats[] = { "text", "ndjson", "json", NULL };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        int r = cli_engine_opt(opt, optarg, eo, ro);
        if (r == 0)
            r = cli_filter_opt(&cc->filter, opt, optarg);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        switch (opt) {
        case 'f': {
            int f = cli_choice("--format", optarg, formats);
            if (f < 0)
                return -1;
            cc->json = f > 0;
            break;
        }
        case 'h':
            fputs(calls_usage, stdout);
            return 1;
        default:
            fputs(calls_usage, stderr);
            return -1;
        }
    }
    if (optind >= argc) {
        cli_error("calls: no input file (use '-' for standard input)");
        return -1;
    }
    return 0;
}

int cmd_calls(int argc, char **argv)
{
    struct calls_ctx cc;
    memset(&cc, 0, sizeof(cc));
    struct ingest_run_opts ro = { 0 };
    struct engine_opts eo = { 0 };
    int rc = parse_opts(argc, argv, &cc, &ro, &eo);
    if (rc) {
        cli_filter_free(&cc.filter);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    buf_init(&cc.out, stdout);
    arena_init(&cc.diag, 16384, DIAG_ARENA_BUDGET);
    struct engine_stats est = { 0 };
    cc.engine = engine_new(&eo, on_call, &cc, &est);
    struct ingest_run run;
    ingest_run_files((const char *const *)argv + optind, argc - optind, &ro, on_msg, &cc, &run);
    engine_finish(cc.engine);
    cli_report_input_errors(&run);
    if (cc.json) {
        buf_puts(&cc.out, "{\"type\":\"summary\",\"other_traffic\":");
        report_noncall_json(&cc.out, &cc.noncall);
        buf_puts(&cc.out, ",\"engine\":");
        report_engine_json(&cc.out, &est);
        buf_puts(&cc.out, ",\"inputs\":");
        report_inputs_json(&cc.out, &run);
        buf_puts(&cc.out, "}\n");
        buf_flush(&cc.out);
    } else {
        report_noncall_text(&cc.out, &cc.noncall);
        buf_flush(&cc.out);
        struct buf eb;
        buf_init(&eb, stderr);
        report_inputs_text(&eb, &run);
        report_engine_text(&eb, &est);
        buf_flush(&eb);
        buf_free(&eb);
    }
    rc = report_some_unreadable(&run) || cc.out.write_error ? EXIT_UNREADABLE : EXIT_OK;
    buf_free(&cc.out);
    arena_free(&cc.diag);
    ingest_run_free(&run);
    cli_filter_free(&cc.filter);
    return rc;
}
