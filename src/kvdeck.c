/*
 * kvdeck.c — main: parse options, harden the process, pick the mode.
 *
 * The console and the batch sub-commands live in tui/ and cli/; this file
 * only wires them together.
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

static void
usage(FILE *f)
{
    fprintf(f, _("Usage: %s [OPTION]...\n"
                 "A terminal console for Azure Key Vault.\n"
                 "\n"
                 "  --demo             open the console on the embedded demo\n"
                 "  --log FILE         write a debug log (secrets redacted)\n"
                 "  -h, --help         show this help and exit\n"
                 "  -V, --version      show the version and exit\n"),
            PACKAGE_NAME);
}

int
main(int argc, char **argv)
{
    secmem_harden_process();
    setlocale(LC_ALL, "");
    bindtextdomain(PACKAGE, LOCALEDIR);
    textdomain(PACKAGE);

    static const struct option longopts[] = {
        {"demo", no_argument, NULL, 'D'},
        {"log", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'D':
            fprintf(stderr, _("kvdeck: the demo console is not built yet\n"));
            return 2;
        case 'L': {
            char *why = NULL;
            if (log_open(optarg, &why) != KV_OK) {
                fprintf(stderr, "kvdeck: %s\n", why);
                free(why);
                return 2;
            }
            break;
        }
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
    usage(stderr);
    return 2;
}
