/* sipsleuth analyze: the main job. Reads the inputs, rebuilds every call, runs the diagnosis
 * rules on each, aggregates the KPIs and patterns (metrics/), and prints one report: text for a
 * terminal, JSON for tools, or the per-call CSV table. --fail-on makes findings of a severity
 * fail the run, for load-test pipelines. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "engine/engine.h"
#include "metrics/metrics.h"
#include "report/analyze.h"
#include "report/calls.h"
#include "report/report.h"

/* clang-format off */
static const char analyze_usage[] =
    "usage: sipsleuth analyze [OPTIONS] FILE...\n"
    "\n"
    "The report on a whole trace: what was read, call KPIs (attempts, ASR, NER,\n"
    "PDD, setup time, duration), outcomes by category and final code, findings by\n"
    "rule with example Call-IDs, clusters of one failure on one destination,\n"
    "element or time window, and rows per destination, element and time bucket.\n"
    "Definitions are in docs/metrics.md.\n"
    "\n"
    "  -f, --format FORMAT    text: the report for a terminal (80 columns)\n"
    "                         json: schema sipsleuth.analyze/1 (docs/analyze-json.md)\n"
    "                         csv: one row per call (docs/metrics.md)\n"
    "      --ner seed|ir42    NER definition: seed, (SUCCESS + TIMEOUT) / attempts\n"
    "                         (default), or GSMA IR.42 style\n"
    "      --callmeter        CallMeter categories: 487 counts as ERROR\n"
    "      --fail-on SEV      exit 1 when a finding of severity SEV (info, warning,\n"
    "                         error) or worse exists\n"
    "      --bucket SEC       time bucket width (default: chosen from the span)\n"
    "      --top N            rows per destination and element table (10; json 100)\n"
    "      --max-keys N       destinations and elements tracked (4096 each); calls\n"
    "                         of later keys count in (other)\n"
    "      --exact-samples N  values kept exactly per distribution (1048576)\n"
    "                         before a histogram takes over (docs/metrics.md)\n"
    "      --color WHEN       auto (default: colour on a terminal unless NO_COLOR\n"
    "                         is set), always or never\n"
    "      --no-validate      skip the RFC 3261 checks of every message: faster, but\n"
    "                         anomalies and most malformed messages go uncounted\n"
    "      --quiet-time SEC   settle time before a finished call is reported (32)\n"
    "      --max-calls N      calls held at once before the oldest is evicted\n"
    "                         (200000)\n"
    "      --no-mmap          read files with read(2) instead of mapping them\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit status: 0 done; 1 --fail-on matched; 2 usage error; 3 an input could\n"
    "not be read at all.\n";
/* clang-format on */

enum {
    FMT_TEXT = 0,
    FMT_JSON,
    FMT_CSV
};

struct analyze_ctx {
    struct metrics *m;
    int format;
    bool callmeter;
    struct buf out;
};

struct analyze_args {
    struct metrics_opts mo;
    struct engine_opts eo;
    struct ingest_run_opts ro;
    int format;
    int fail_on; /* -1: off */
    int color;   /* 0 auto, 1 always, 2 never */
    unsigned long top;
};

enum {
    OPT_NER = CLI_OPT__NEXT,
    OPT_CALLMETER,
    OPT_FAIL_ON,
    OPT_BUCKET,
    OPT_TOP,
    OPT_MAX_KEYS,
    OPT_EXACT,
    OPT_COLOR,
    OPT_NO_VALIDATE,
};

static void on_call(void *ctx, struct call *c)
{
    struct analyze_ctx *ac = ctx;
    if (!(c->flags & CALL_HAS_INVITE)) {
        metrics_add_noncall(ac->m, c);
        return;
    }
    struct diag_out d = { .arena = &c->arena };
    diag_run(c, &d);
    metrics_add_call(ac->m, c, &d);
    if (ac->format == FMT_CSV) {
        report_call_csv(&ac->out, c, &d, ac->callmeter);
        buf_flush_if(&ac->out);
    }
}

static int parse_bucket(const char *arg, int64_t *ns)
{
    char *end;
    double s = strtod(arg, &end);
    if (*end || !(s >= 1 && s <= 86400 * 366)) {
        cli_error("--bucket: expected whole seconds between 1 and 31622400");
        return -1;
    }
    if (s != (double)(int64_t)s) {
        cli_error("--bucket: expected whole seconds");
        return -1;
    }
    *ns = (int64_t)s * 1000000000LL;
    return 0;
}

static int own_opt(int opt, const char *arg, struct analyze_args *a)
{
    static const char *const formats[] = { "text", "json", "csv", NULL };
    static const char *const ners[] = { "seed", "ir42", NULL };
    static const char *const colors[] = { "auto", "always", "never", NULL };
    static const char *const sevs[] = { "info", "warning", "error", NULL };
    unsigned long n;
    int v;
    switch (opt) {
    case 'f':
        return (a->format = cli_choice("--format", arg, formats)) < 0 ? -1 : 0;
    case OPT_NER:
        if ((v = cli_choice("--ner", arg, ners)) < 0)
            return -1;
        a->mo.ner = v ? METRICS_NER_IR42 : METRICS_NER_SEED;
        return 0;
    case OPT_CALLMETER:
        a->mo.callmeter = true;
        return 0;
    case OPT_FAIL_ON:
        return (a->fail_on = cli_choice("--fail-on", arg, sevs)) < 0 ? -1 : 0;
    case OPT_BUCKET:
        return parse_bucket(arg, &a->mo.bucket_ns);
    case OPT_TOP:
        return cli_uint("--top", arg, 1, 100000, &a->top);
    case OPT_MAX_KEYS:
        if (cli_uint("--max-keys", arg, 1, 10000000, &n))
            return -1;
        a->mo.max_rows = (uint32_t)n;
        return 0;
    case OPT_EXACT:
        if (cli_uint("--exact-samples", arg, 1, 100000000, &n))
            return -1;
        a->mo.exact_samples = (uint32_t)n;
        return 0;
    case OPT_COLOR:
        return (a->color = cli_choice("--color", arg, colors)) < 0 ? -1 : 0;
    case OPT_NO_VALIDATE:
        a->ro.ingest.validate = false;
        return 0;
    default:
        return -1;
    }
}

static int parse_opts(int argc, char **argv, struct analyze_args *a)
{
    /* clang-format off */
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "ner", required_argument, NULL, OPT_NER },
        { "callmeter", no_argument, NULL, OPT_CALLMETER },
        { "fail-on", required_argument, NULL, OPT_FAIL_ON },
        { "bucket", required_argument, NULL, OPT_BUCKET },
        { "top", required_argument, NULL, OPT_TOP },
        { "max-keys", required_argument, NULL, OPT_MAX_KEYS },
        { "exact-samples", required_argument, NULL, OPT_EXACT },
        { "color", required_argument, NULL, OPT_COLOR },
        { "colour", required_argument, NULL, OPT_COLOR },
        { "no-validate", no_argument, NULL, OPT_NO_VALIDATE },
        CLI_ENGINE_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    /* clang-format on */
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(analyze_usage, stdout);
            return 1;
        }
        if (opt == '?') {
            fputs(analyze_usage, stderr);
            return -1;
        }
        int r = cli_engine_opt(opt, optarg, &a->eo, &a->ro);
        if (r < 0 || (r == 0 && own_opt(opt, optarg, a) < 0))
            return -1;
    }
    if (optind >= argc) {
        cli_error("analyze: no input file (use '-' for standard input)");
        return -1;
    }
    return 0;
}

static bool want_color(int mode)
{
    if (mode != 0)
        return mode == 1;
    const char *nc = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(nc && *nc);
}

static void write_report(struct analyze_ctx *ac, const struct analyze_args *a,
                         const struct ingest_run *run, const struct engine_stats *est)
{
    uint32_t top = a->format == FMT_JSON ? 100 : 10;
    if (a->top)
        top = (uint32_t)a->top;
    struct analyze_view v = {
        .m = ac->m,
        .run = run,
        .est = est,
        .top = top,
        .top_clusters = 10,
        .color = a->format == FMT_TEXT && want_color(a->color),
        .validated = a->ro.ingest.validate,
    };
    if (a->format == FMT_JSON) {
        report_analyze_json(&ac->out, &v);
    } else if (a->format == FMT_TEXT) {
        report_analyze_text(&ac->out, &v);
    } else {
        struct buf eb;
        buf_init(&eb, stderr);
        report_inputs_text(&eb, run);
        report_engine_text(&eb, est);
        buf_flush(&eb);
        buf_free(&eb);
    }
    buf_flush(&ac->out);
}

static bool findings_at_least(const struct metrics *m, int sev)
{
    for (int s = sev; s <= DIAG_ERROR; s++)
        if (m->calls_by_sev[s])
            return true;
    return false;
}

int cmd_analyze(int argc, char **argv)
{
    struct analyze_args a;
    memset(&a, 0, sizeof(a));
    a.fail_on = -1;
    a.ro.ingest.validate = true; /* the report counts malformed messages and anomalies */
    int rc = parse_opts(argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    struct analyze_ctx ac = { .format = a.format, .callmeter = a.mo.callmeter };
    ac.m = metrics_new(&a.mo);
    buf_init(&ac.out, stdout);
    if (a.format == FMT_CSV)
        report_calls_csv_header(&ac.out);
    struct engine_stats est = { 0 };
    struct engine *e = engine_new(&a.eo, on_call, &ac, &est);
    struct ingest_run run;
    ingest_run_files((const char *const *)argv + optind, argc - optind, &a.ro, engine_msg, e, &run);
    engine_finish(e);
    cli_report_input_errors(&run);
    metrics_finish(ac.m, run.has_time);
    write_report(&ac, &a, &run, &est);
    if (report_some_unreadable(&run) || ac.out.write_error)
        rc = EXIT_UNREADABLE;
    else if (a.fail_on >= 0 && findings_at_least(ac.m, a.fail_on))
        rc = EXIT_FINDINGS;
    else
        rc = EXIT_OK;
    buf_free(&ac.out);
    metrics_free(ac.m);
    ingest_run_free(&run);
    return rc;
}
