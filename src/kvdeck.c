/*
 * kvdeck.c — main: parse the global options, then either run a batch
 * command (cli/: `kvdeck secret rotate …`) or open the session (config,
 * --demo simulator, engine: engine/session.h) and run the console.
 *
 * The console lives in tui/, the commands in cli/, the engine in engine/;
 * this file only wires them together and is the one place that exits.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/http.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/secmem.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "engine/session.h"
#include "tui/app.h"
#include "tui/signals.h"

static void
usage(FILE *f)
{
    fprintf(f,
            _("Usage: %s [OPTION]... [COMMAND [ARG]...]\n"
              "A terminal console for Azure Key Vault; with a COMMAND, a "
              "batch tool.\n"
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
              "  --read-only        change nothing: plans that write "
              "are refused\n"
              "  --log FILE         write a debug log (secrets redacted)\n"
              "  --auth SOURCE      sign in with one source only: secret, "
              "certificate, az,\n"
              "                     device-code or managed-identity\n"
              "  -h, --help         show this help and exit\n"
              "  -V, --version      show the version and exit\n"
              "\n"
              "Sign-in: AZURE_TENANT_ID and AZURE_CLIENT_ID with "
              "AZURE_CLIENT_SECRET or\n"
              "AZURE_CLIENT_CERTIFICATE_PATH, or the tenant, client-id and "
              "client-secret or\n"
              "client-certificate settings of the config file, or az "
              "login;\n"
              "else a device code (kvdeck login, or the console's sign-in "
              "screen).\n"),
            PACKAGE_NAME);
    fprintf(f, "\n%s", cli_usage());
}

/* The console's hook between reading the config and starting the
 * simulator: signal handlers first, so a SIGTERM during start-up still
 * stops the simulator. */
static enum kv_status
console_before_start(char **why)
{
    return signals_init(why);
}

enum {
    OPT_DEMO = 256,
    OPT_DEMO_SEED,
    OPT_CLOUD,
    OPT_CONFIG,
    OPT_READ_ONLY,
    OPT_LOG,
    OPT_AUTH,
};

int
main(int argc, char **argv)
{
    /* the wiping allocator into OpenSSL, libcurl and cJSON: before
     * anything allocates through them, and before any thread starts */
    az_http_global_init();
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
        {"auth", required_argument, NULL, OPT_AUTH},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    bool demo_mode = false, read_only = false;
    const char *seed = "demo", *cloud = NULL, *config_path = NULL;
    const char *auth = NULL;
    char *why = NULL;
    int c, rc = 2;
    /* "+": stop at the command; its options are its own. */
    while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
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
        case OPT_AUTH:
            auth = optarg;
            break;
        case OPT_LOG:
            if (log_open(optarg, &why) != KV_OK) {
                fprintf(stderr, "kvdeck: %s\n", why);
                free(why);
                return 2;
            }
            if (why != NULL) /* a notice: the file's mode was tightened */
                fprintf(stderr, "kvdeck: %s\n", why);
            free(why);
            why = NULL;
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
    if (getenv("KVDECK_LOG") != NULL && !log_enabled()) {
        if (log_open(getenv("KVDECK_LOG"), &why) != KV_OK) {
            fprintf(stderr, "kvdeck: %s\n", why);
            free(why);
            return 2;
        }
        if (why != NULL)
            fprintf(stderr, "kvdeck: %s\n", why);
        free(why);
        why = NULL;
    }

    if (optind < argc) {
        if (!cli_is_command(argv[optind])) {
            fprintf(stderr, _("kvdeck: unknown command \"%s\"\n"),
                    argv[optind]);
            usage(stderr);
            rc = 2;
        } else {
            struct cli_globals g = {
                .cloud = cloud,
                .config_path = config_path,
                .demo = demo_mode,
                .demo_seed = seed,
                .read_only = read_only,
                .auth = auth,
            };
            rc = cli_run(&g, argc - optind, argv + optind);
        }
        log_close();
        return rc;
    }

    struct session *s = NULL;
    struct session_options so = {
        .cloud = cloud,
        .config_path = config_path,
        .demo = demo_mode,
        .demo_seed = seed,
        .auth = auth,
        .interactive = true, /* the sign-in screen shows a device code */
        .before_start = console_before_start,
    };
    if (session_open(&so, &s, &why) != KV_OK) {
        fprintf(stderr, "kvdeck: %s\n", why);
        goto out;
    }
    signals_set_child_group(session_child_group(s));
    struct app_options ao = {
        .engine = s->eng,
        .cfg = s->cfg,
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
    session_close(s);
    signals_set_child_group(0);
    log_close();
    return rc;
}
