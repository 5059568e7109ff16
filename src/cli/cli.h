/* Shared pieces of the command line: exit codes, option helpers, the subcommand entry points. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>

enum {
    EXIT_OK = 0,
    EXIT_FINDINGS = 1,   /* --fail-on matched */
    EXIT_USAGE = 2,
    EXIT_UNREADABLE = 3, /* an input could not be read at all */
};

int cmd_messages(int argc, char **argv);
int cmd_calls(int argc, char **argv);
int cmd_explain(int argc, char **argv);

struct ingest_run;
/* Print to stderr why each input could not be read or where it stopped. */
void cli_report_input_errors(const struct ingest_run *run);

/* Print "sipsleuth: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse "--format X" style values: returns the index of value in choices (NULL-terminated) or
 * -1 after printing a usage error naming the option. */
int cli_choice(const char *opt, const char *value, const char *const *choices);

#endif
