/* sipsleuth explain: the reference for diagnosis ids and SIP response codes, in our own words.
 * The diagnosis texts come from the rules themselves (diag/rules/), so the reference and the
 * findings can never disagree; the code texts come from report/codes.c. This file only parses
 * the command line and picks the writer: text wrapped for 80 columns, or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "diag/diag.h"
#include "report/codes.h"
#include "report/text.h"

#define WIDTH 78

static const char explain_usage[] =
    "usage: sipsleuth explain [--format text|json] CODE|CLASS|FINDING\n"
    "       sipsleuth explain [--format text|json] --list-codes | --list-findings\n"
    "\n"
    "Explains a SIP response code (what it means, typical causes, how it counts in the\n"
    "call metrics) or a diagnosis id that sipsleuth reports (what happened, why it\n"
    "matters, the RFC section, what to look at next).\n"
    "\n"
    "  CODE                 a response code, 100-699 (e.g. 487); a code missing from\n"
    "                       the IANA registry is explained through its class\n"
    "  CLASS                1xx ... 6xx: the class and its registered codes\n"
    "  FINDING              a finding id, as listed by --list-findings\n"
    "  -f, --format FMT     text (default) or json\n"
    "      --list-codes     every registered response code\n"
    "      --list-findings  every diagnosis the rules can report\n"
    "\n"
    "Exit status: 0 done; 2 usage error or nothing known by that name.\n";

enum explain_what {
    EX_NONE,
    EX_LIST_CODES,
    EX_LIST_FINDINGS
};

struct explain_opts {
    enum explain_what list;
    bool json;
    const char *arg; /* CODE, CLASS or FINDING */
};

static void finding_text(struct buf *b, const struct diag_rule *r)
{
    buf_printf(b, "%s  (%s)\n", r->id, diag_severity_name(r->severity));
    report_wrap(b, r->title, 0, 2, WIDTH);
    buf_puts(b, "\nExplanation\n");
    report_wrap(b, r->explain, 0, 2, WIDTH);
    buf_puts(b, "\nReference\n");
    report_wrap(b, r->rfc, 0, 2, WIDTH);
}

static void finding_json(struct buf *b, const struct diag_rule *r)
{
    static const char *const keys[] = { "id", "title", "severity", "rfc", "explain" };
    const char *vals[] = { r->id, r->title, diag_severity_name(r->severity), r->rfc, r->explain };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        buf_putc(b, i ? ',' : '{');
        buf_json_str(b, sv_cstr(keys[i]));
        buf_putc(b, ':');
        buf_json_str(b, sv_cstr(vals[i] ? vals[i] : ""));
    }
    buf_putc(b, '}');
}

static void list_findings(struct buf *b, bool json)
{
    if (json)
        buf_putc(b, '[');
    for (unsigned i = 0; i < diag_nrules; i++) {
        const struct diag_rule *r = diag_rules[i];
        if (json) {
            buf_puts(b, i ? ",\n" : "\n");
            finding_json(b, r);
            continue;
        }
        /* the title starts after "%-28s %-8s " and its continuation lines align with it */
        int idlen = (int)strlen(r->id);
        int col = (idlen > 28 ? idlen : 28) + 10;
        buf_printf(b, "%-28s %-8s ", r->id, diag_severity_name(r->severity));
        if (col > WIDTH - 30) { /* an id too long to leave room: title on the next line */
            buf_putc(b, '\n');
            col = 4;
        }
        report_wrap(b, r->title, col, col, WIDTH);
    }
    if (json)
        buf_puts(b, "\n]\n");
}

/* "487" -> 487; "4xx" -> 4 with *cls set; anything else -> 0. */
static unsigned parse_code(const char *s, bool *cls)
{
    *cls = false;
    if (strlen(s) != 3 || s[0] < '1' || s[0] > '6')
        return 0;
    if ((s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X')) {
        *cls = true;
        return (unsigned)(s[0] - '0');
    }
    if (strspn(s, "0123456789") != 3)
        return 0;
    return (unsigned)strtoul(s, NULL, 10);
}

/* Explain one CODE, CLASS or FINDING; returns the exit status. */
static int explain_one(struct buf *b, const char *what, bool json)
{
    const struct diag_rule *r = diag_rule_find(what);
    if (r) {
        if (json)
            finding_json(b, r);
        else
            finding_text(b, r);
        if (json)
            buf_putc(b, '\n');
        return EXIT_OK;
    }
    bool cls;
    unsigned n = parse_code(what, &cls);
    if (n && cls) {
        if (json)
            codes_list_json(b, n);
        else
            codes_list_class(b, n);
        return EXIT_OK;
    }
    int st = n ? (json ? codes_explain_json(b, n) : codes_explain(b, n)) : CODES_INVALID;
    if (st == CODES_INVALID) {
        cli_error("explain: '%s' is neither a response code (100-699), a class (1xx-6xx) nor a "
                  "finding id; see --list-codes and --list-findings",
                  what);
        return EXIT_USAGE;
    }
    if (json)
        buf_putc(b, '\n');
    return EXIT_OK;
}

/* Parse the command line into o; returns -1 to go on, else the exit status. */
static int explain_parse(int argc, char **argv, struct explain_opts *o)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "list-codes", no_argument, NULL, 'C' },
        { "list-findings", no_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *const formats[] = { "text", "json", NULL };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        if (c == 'f') {
            int f = cli_choice("--format", optarg, formats);
            if (f < 0)
                return EXIT_USAGE;
            o->json = f == 1;
        } else if (c == 'C' || c == 'F') {
            o->list = c == 'C' ? EX_LIST_CODES : EX_LIST_FINDINGS;
        } else if (c == 'h') {
            fputs(explain_usage, stdout);
            return EXIT_OK;
        } else {
            fputs(explain_usage, stderr);
            return EXIT_USAGE;
        }
    }
    int rest = argc - optind;
    if ((o->list == EX_NONE && rest != 1) || (o->list != EX_NONE && rest != 0)) {
        fputs(explain_usage, stderr);
        return EXIT_USAGE;
    }
    o->arg = rest ? argv[optind] : NULL;
    return -1;
}

int cmd_explain(int argc, char **argv)
{
    struct explain_opts o = { EX_NONE, false, NULL };
    int rc = explain_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct buf b;
    buf_init(&b, stdout);
    rc = EXIT_OK;
    if (o.list == EX_LIST_CODES) {
        if (o.json)
            codes_list_json(&b, 0);
        else
            codes_list(&b);
    } else if (o.list == EX_LIST_FINDINGS) {
        list_findings(&b, o.json);
    } else {
        rc = explain_one(&b, o.arg, o.json);
    }
    (void)buf_flush(&b);
    buf_free(&b);
    return rc;
}
