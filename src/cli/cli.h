/*
 * cli.h — the batch commands (`kvdeck secret rotate …`, `kvdeck journal`):
 * the same engine and plans as the console, driven without a screen:
 * build, review (or --dry-run), submit, wait, print.
 *
 * main() parses the global options (they come before the command) and
 * hands the rest of the command line here. Only main exits: cli_run()
 * returns the exit status (see enum cli_exit in cli-int.h and the man
 * page's EXIT STATUS).
 */
#ifndef KV_CLI_CLI_H
#define KV_CLI_CLI_H

#include <stdbool.h>

/* What main parsed before the command; borrowed for the call. */
struct cli_globals {
    const char *cloud;
    const char *config_path;
    bool demo;
    const char *demo_seed;
    bool read_only;
    const char *auth; /* --auth: one sign-in source, or NULL */
};

/* True when word names a batch command ("secret", "journal"). */
bool cli_is_command(const char *word);

/* Runs argv[0] (the command) with its arguments; returns the exit
 * status. */
int cli_run(const struct cli_globals *g, int argc, char **argv);

/* The commands, for main's --help (translated, static). */
const char *cli_usage(void);

#endif
