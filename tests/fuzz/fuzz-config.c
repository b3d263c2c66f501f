/*
 * fuzz-config.c — libFuzzer target: the config file (settings_parse in
 * engine/settings.c) and the key bindings it carries: every "bind KEY
 * ACTION" line goes through keytab_bind (tui/keys.c) as the console does
 * at start-up, and the key and action names through keys_parse /
 * keys_action_parse and back through keys_name. Nothing is read from or
 * written to disk: the text is parsed from memory.
 */
#include "config.h"

#include <stdlib.h>

#include "engine/settings.h"
#include "tui/keys.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned pick = fuzz_pick(&data, &size);
    char *text = fuzz_str(data, size);
    struct settings *cfg = settings_new();
    char *why = NULL;

    if (settings_parse(cfg, "fuzz", text, &why) == KV_OK) {
        struct keytab *kt = keytab_new(pick & 1);
        for (size_t i = 0; i < cfg->nbinds; i++) {
            char *bwhy = NULL;
            char name[32];
            int key = keys_parse(cfg->binds[i].key);
            if (key >= 0)
                keys_name(key, name, sizeof name);
            (void)keys_action_parse(cfg->binds[i].action);
            (void)keytab_bind(kt, cfg->binds[i].key, cfg->binds[i].action,
                              &bwhy);
            free(bwhy);
        }
        char **help = keytab_help(kt);
        for (size_t i = 0; help != NULL && help[i] != NULL; i++)
            free(help[i]);
        free(help);
        keytab_free(kt);
    }
    free(why);
    settings_free(cfg);
    free(text);
    return 0;
}
