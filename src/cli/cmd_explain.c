/* sipsleuth explain: the reference for diagnosis ids and SIP response codes, in our own words.
 * The diagnosis texts come from the rules themselves (diag/rules/), so the reference and the
 * findings can never disagree. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "diag/diag.h"
#include "report/codes.h"

static const char explain_usage[] =
    "usage: sipsleuth explain CODE|FINDING\n"
    "       sipsleuth explain --list-findings | --list-codes\n"
    "\n"
    "Explains a SIP response code (what it means, typical causes, how it counts in the\n"
    "call metrics) or a diagnosis id that sipsleuth reports (what happened, why it\n"
    "matters, the RFC section, what to look at next).\n";

/* Word-wrap text to width columns with the given indent. */
static void wrap(struct buf *b, const char *text, int indent, int width)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *line = p, *cut = NULL;
        int col = indent;
        while (*p && *p != '\n' && col < width) {
            if (*p == ' ')
                cut = p;
            p++;
            col++;
        }
        if (*p && *p != '\n' && cut)
            p = cut;
        buf_printf(b, "%*s%.*s\n", indent, "", (int)(p - line), line);
        if (*p == '\n')
            p++;
    }
}

static void explain_finding(struct buf *b, const struct diag_rule *r)
{
    buf_printf(b, "%s  (%s)\n", r->id, diag_severity_name(r->severity));
    wrap(b, r->title, 2, 78);
    buf_putc(b, '\n');
    wrap(b, r->explain, 2, 78);
    buf_printf(b, "\n  Reference: %s\n", r->rfc);
}

int cmd_explain(int argc, char **argv)
{
    struct buf b;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(explain_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    buf_init(&b, stdout);
    int rc = EXIT_OK;
    const char *what = argv[1];
    if (strcmp(what, "--list-findings") == 0) {
        for (unsigned i = 0; i < diag_nrules; i++)
            buf_printf(&b, "%-28s %-8s %s\n", diag_rules[i]->id,
                       diag_severity_name(diag_rules[i]->severity), diag_rules[i]->title);
    } else if (strcmp(what, "--list-codes") == 0) {
        codes_list(&b);
    } else if (diag_rule_find(what)) {
        explain_finding(&b, diag_rule_find(what));
    } else if (strlen(what) == 3 && what[0] >= '1' && what[0] <= '6' &&
               strspn(what, "0123456789") == 3) {
        if (codes_explain(&b, (unsigned)strtoul(what, NULL, 10)) < 0) {
            cli_error("explain: %s is not a response code we know; 'sipsleuth explain "
                      "--list-codes' lists them",
                      what);
            rc = EXIT_USAGE;
        }
    } else {
        cli_error("explain: '%s' is neither a response code nor a finding id (see --list-codes "
                  "and --list-findings)",
                  what);
        rc = EXIT_USAGE;
    }
    buf_flush(&b);
    buf_free(&b);
    return rc;
}
