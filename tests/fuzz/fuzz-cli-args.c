/*
 * fuzz-cli-args.c — libFuzzer target: the batch commands' argument
 * parsing (cli_args_parse in cli/cli-args.c), parse only: no command
 * runs, no session opens. The input is NUL-separated words; the first
 * selects a subject (secret, vault, vault network, endpoint) and the
 * first word names the command when it is one (else the selector picks
 * it), the rest is the command line after the command's words. The
 * usage messages go to stderr (run with -close_fd_mask=3).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli-int.h"
#include "fuzz.h"

#define MAX_WORDS 64

static const struct cli_cmd *
find(const struct cli_cmd *cmds, const char *word, unsigned pick)
{
    size_t n = 0;

    for (; cmds[n].name != NULL; n++)
        if (strcmp(cmds[n].name, word) == 0)
            return &cmds[n];
    return n > 0 ? &cmds[pick % n] : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct cli_globals g = {.read_only = false};
    const struct cli_cmd *const tables[] = {cli_secret_cmds, cli_vault_cmds,
                                            cli_vault_network_cmds,
                                            cli_endpoint_cmds};
    unsigned pick = fuzz_pick(&data, &size);
    char *text = fuzz_str(data, size);
    char *argv[MAX_WORDS + 1];
    int argc = 0;

    for (char *p = text; p < text + size && argc < MAX_WORDS;
         p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    const struct cli_cmd *cmd =
        find(tables[pick % 4], argc > 0 ? argv[0] : "", pick / 4);
    if (cmd != NULL) {
        struct cli c;
        memset(&c, 0, sizeof c);
        c.g = &g;
        c.cmd = cmd->name;
        int skip = argc > 0 && strcmp(argv[0], cmd->name) == 0;
        (void)cli_args_parse(&c, cmd, argc - skip, argv + skip);
        kv_tags_free(&c.tags);
        free(c.pos);
    }
    free(text);
    return 0;
}
