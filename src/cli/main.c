/* sipsleuth command line: parses the command and hands off to the subcommand. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv);

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("sipsleuth 0.1.0\n");
        return 0;
    }
    fprintf(stderr, "usage: sipsleuth COMMAND [OPTIONS] FILE...\n");
    return 2;
}
