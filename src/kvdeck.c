/*
 * kvdeck.c — main: parse options, read the config file, start the engine
 * (against kvdeck-sim with --demo) and run the console.
 *
 * The console lives in tui/, the engine in engine/; this file only wires
 * them together and is the one place that exits.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/secmem.h"
#include "base/xalloc.h"
#include "engine/demo.h"
#include "engine/engine.h"
#include "engine/settings.h"
#include "tui/app.h"
#include "tui/signals.h"

static void
usage(FILE *f)
{
    fprintf(f,
            _("Usage: %s [OPTION]...\n"
              "A terminal console for Azure Key Vault.\n"
              "\n"
              "  --demo             open the console on a local simulated "
              "Azure (kvdeck-sim)\n"
              "  --demo-seed NAME   the simulator's data set (default: "
              "demo)\n"
              "  --cloud NAME|FILE  AzureCloud, AzureUSGovernment, "
              "AzureChinaCloud,\n"
              "                     or a custom cloud file\n"
              "  --config FILE      read FILE instead of "
              "~/.config/kvdeck/config\n"
              "  --read-only        change nothing (this version only "
              "reads; later write\n"
              "                     actions will honour it)\n"
              "  --log FILE         write a debug log (secrets redacted)\n"
              "  -h, --help         show this help and exit\n"
              "  -V, --version      show the version and exit\n"
              "\n"
              "Sign-in: AZURE_TENANT_ID, AZURE_CLIENT_ID and "
              "AZURE_CLIENT_SECRET, or the\n"
              "tenant, client-id and client-secret settings of the "
              "config file.\n"),
            PACKAGE_NAME);
}

enum {
    OPT_DEMO = 256,
    OPT_DEMO_SEED,
    OPT_CLOUD,
    OPT_CONFIG,
    OPT_READ_ONLY,
    OPT_LOG,
};

int
main(int argc, char **argv)
{
    secmem_harden_process();
    setlocale(LC_ALL, "");
    /* KVDECK_LOCALEDIR: translations from elsewhere (tests, uninstalled
     * builds). */
    const char *localedir = getenv("KVDECK_LOCALEDIR");
    bindtextdomain(PACKAGE, localedir != NULL && *localedir != '\0'
                                ? localedir
                                : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);

    static const struct option longopts[] = {
        {"demo", no_argument, NULL, OPT_DEMO},
        {"demo-seed", required_argument, NULL, OPT_DEMO_SEED},
        {"cloud", required_argument, NULL, OPT_CLOUD},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"read-only", no_argument, NULL, OPT_READ_ONLY},
        {"log", required_argument, NULL, OPT_LOG},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    bool demo_mode = false, read_only = false;
    const char *seed = "demo", *cloud = NULL, *config_path = NULL;
    char *why = NULL;
    int c, rc = 2;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DEMO:
            demo_mode = true;
            break;
        case OPT_DEMO_SEED:
            demo_mode = true;
            seed = optarg;
            break;
        case OPT_CLOUD:
            cloud = optarg;
            break;
        case OPT_CONFIG:
            config_path = optarg;
            break;
        case OPT_READ_ONLY:
            read_only = true;
            break;
        case OPT_LOG:
            if (log_open(optarg, &why) != KV_OK) {
                fprintf(stderr, "kvdeck: %s\n", why);
                free(why);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("kvdeck: unknown command \"%s\"\n"), argv[optind]);
        usage(stderr);
        return 2;
    }
    if (getenv("KVDECK_LOG") != NULL && !log_enabled() &&
        log_open(getenv("KVDECK_LOG"), &why) != KV_OK) {
        fprintf(stderr, "kvdeck: %s\n", why);
        free(why);
        return 2;
    }

    struct settings *cfg = NULL;
    struct demo *demo = NULL;
    struct engine *eng = NULL;
    if (settings_load(config_path, &cfg, &why) != KV_OK) {
        fprintf(stderr, "kvdeck: %s\n", why);
        goto out;
    }
    /* The signal handlers go in before the simulator starts, so a
     * SIGTERM/SIGHUP during start-up still stops it. */
    if (signals_init(&why) != KV_OK) {
        fprintf(stderr, "kvdeck: %s\n", why);
        goto out;
    }
    struct engine_config ec;
    memset(&ec, 0, sizeof ec);
    if (demo_mode) {
        if (demo_start(seed, 30000, &demo, &why) != KV_OK) {
            fprintf(stderr, _("kvdeck: cannot start the demo: %s\n"), why);
            goto out;
        }
        signals_set_child_group(demo->pid);
        ec.cloud = demo->cloud_file;
        ec.ca_file = demo->ca_file;
        ec.tenant_id = demo->tenant;
        ec.client_id = demo->client_id;
        ec.client_secret = demo->client_secret;
        ec.no_environment = true;
    } else {
        ec.cloud = cloud != NULL ? cloud : cfg->cloud;
        ec.ca_file = cfg->ca_file;
        ec.tenant_id = cfg->tenant;
        ec.client_id = cfg->client_id;
        ec.client_secret = cfg->client_secret;
    }
    eng = engine_new(&ec, &why);
    if (eng == NULL) {
        fprintf(stderr, "kvdeck: %s\n", why);
        goto out;
    }
    struct app_options ao = {
        .engine = eng,
        .cfg = cfg,
        .read_only = read_only,
        .mode_label = demo_mode ? _("demo") : NULL,
    };
    if (app_run(&ao, &why) != 0) {
        fprintf(stderr, "kvdeck: %s\n", why);
        goto out;
    }
    rc = 0;
out:
    free(why);
    engine_free(eng);
    signals_set_child_group(0);
    demo_stop(demo);
    settings_free(cfg);
    log_close();
    return rc;
}
