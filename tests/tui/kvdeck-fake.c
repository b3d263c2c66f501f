/*
 * kvdeck-fake.c — the console on the fake engine (fake-engine.c): the
 * real tui code against generated data, for screen tests that need no
 * simulator and for the scrolling benchmark.
 *
 * Usage: kvdeck-fake [--read-only] [--config FILE]
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "engine/engine.h"
#include "engine/settings.h"
#include "tui/app.h"

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* KVDECK_LOCALEDIR: translations from elsewhere (tests, uninstalled
     * builds). */
    const char *localedir = getenv("KVDECK_LOCALEDIR");
    bindtextdomain(PACKAGE, localedir != NULL && *localedir != '\0'
                                ? localedir
                                : LOCALEDIR);
    textdomain(PACKAGE);
    bool ro = false;
    const char *config = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--read-only") == 0)
            ro = true;
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
    }
    char *why = NULL;
    struct settings *cfg = NULL;
    if (settings_load(config, &cfg, &why) != KV_OK) {
        fprintf(stderr, "kvdeck-fake: %s\n", why);
        free(why);
        return 2;
    }
    struct engine_config ec;
    memset(&ec, 0, sizeof ec);
    struct engine *e = engine_new(&ec, &why);
    struct app_options ao = {
        .engine = e, .cfg = cfg, .read_only = ro, .mode_label = "fake"};
    int rc = app_run(&ao, &why);
    if (rc != 0) {
        fprintf(stderr, "kvdeck-fake: %s\n", why);
        free(why);
    }
    engine_free(e);
    settings_free(cfg);
    return rc;
}
