/* sipsleuth command line: dispatch to subcommands, global --help and --version. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define SIPSLEUTH_VERSION "0.1.0"

static const char usage[] =
    "usage: sipsleuth COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Reads SIP traffic and explains it. FILE is a pcap or pcapng capture (SIP over\n"
    "UDP, TCP, WebSocket, SCTP or HEP), a raw HEP file, a SIP text trace pasted from\n"
    "a log (Asterisk, FreeSWITCH, Kamailio, pjsip, sngrep, ngrep), or '-' for\n"
    "standard input; the format is detected from the content. Several files are\n"
    "merged by capture time. See docs/input-formats.md.\n"
    "\n"
    "Commands:\n"
    "  analyze    the report on a whole trace: call KPIs (ASR, NER, PDD ...),\n"
    "             outcomes, findings by rule, clusters, per destination/element/time\n"
    "  messages   one line per SIP message (frame, time, addresses, start line,\n"
    "             Call-ID, CSeq, and why a message is malformed)\n"
    "  calls      one line per call: legs across proxies, final response, PDD,\n"
    "             setup time, duration, who hung up\n"
    "  explain    what a response code or a finding id means\n"
    "\n"
    "Run 'sipsleuth COMMAND --help' for a command's options.\n"
    "\n"
    "Exit status: 0 done; 1 findings matched analyze --fail-on; 2 usage error;\n"
    "3 an input could not be read at all.\n";

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sipsleuth: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_choice(const char *opt, const char *value, const char *const *choices)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(value, choices[i]) == 0)
            return i;
    cli_error("%s: unknown value '%s'", opt, value);
    return -1;
}

int main(int argc, char **argv);

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("sipsleuth %s\n", SIPSLEUTH_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "messages") == 0)
        return cmd_messages(argc - 1, argv + 1);
    if (strcmp(cmd, "analyze") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "calls") == 0)
        return cmd_calls(argc - 1, argv + 1);
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    cli_error("unknown command '%s' (try 'sipsleuth --help')", cmd);
    return EXIT_USAGE;
}
