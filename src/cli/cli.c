/*
 * cli.c — the batch commands' dispatch: find the subject and command,
 * parse its options, refuse writes under --read-only before anything is
 * sent, open the session, run, close.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

static const struct cli_cmd cli_journal_cmd = {
    "journal", 0, 0, OPT_JSON, false, cli_journal, N_("[--json]")};
static const struct cli_cmd cli_whoami_cmd = {
    "whoami", 0, 0, OPT_JSON, false, cli_whoami, N_("[--json]")};
static const struct cli_cmd cli_login_cmd = {
    "login", 0, 0, OPT_JSON | OPT_DEVICE_CODE | OPT_TENANT, false, cli_login,
    N_("[--device-code] [--tenant T] [--json]")};
static const struct cli_cmd cli_doctor_cmd = {
    "doctor", 0, 0, OPT_JSON, false, cli_doctor, N_("[--json]")};
static const struct cli_cmd cli_logout_cmd = {
    "logout",
    0,
    0,
    OPT_JSON | OPT_ALL | OPT_TENANT,
    false,
    cli_logout,
    N_("[--tenant T | --all] [--json]")};

/* The subjects with sub-commands: `kvdeck secret set`, `kvdeck vault
 * create`. */
static const struct cli_subject {
    const char *name;
    const struct cli_cmd *cmds;
    const char *which; /* the message when the command is missing */
} cli_subjects[] = {
    {.name = "secret",
     .cmds = cli_secret_cmds,
     .which = N_("kvdeck secret: which command? (list, list-deleted, show, "
                 "set, rotate, copy, delete, recover, purge)\n")},
    {.name = "vault",
     .cmds = cli_vault_cmds,
     .which = N_("kvdeck vault: which command? (list, show, create, delete, "
                 "list-deleted, recover, purge)\n")},
};

bool
cli_is_command(const char *word)
{
    return strcmp(word, "secret") == 0 || strcmp(word, "vault") == 0 || strcmp(word, "journal") == 0 ||
           strcmp(word, "whoami") == 0 || strcmp(word, "doctor") == 0 ||
           strcmp(word, "logout") == 0 || strcmp(word, "login") == 0;
}

const char *
cli_usage(void)
{
    return _("Commands (global options go before the command):\n"
             "  secret list|list-deleted VAULT\n"
             "  secret show VAULT NAME [--version V] [--show-value]\n"
             "  secret set VAULT NAME [--value-file F | --generate SPEC]\n"
             "      [--content-type T] [--expires DATE] [--not-before DATE]\n"
             "      [--tags K=V ...]\n"
             "  secret rotate VAULT NAME [as set] [--retire-old "
             "now|DURATION|keep]\n"
             "  secret copy VAULT NAME TO-VAULT [--name NEW]\n"
             "  secret delete|recover|purge VAULT NAME\n"
             "  vault list [--subscription S] [-g GROUP]\n"
             "  vault show|delete|recover|purge NAME [--subscription S]\n"
             "  vault create NAME --subscription S -g GROUP -l LOCATION\n"
             "      [--create-resource-group] [--sku standard|premium]\n"
             "      [--enable-rbac-authorization true|false] "
             "[--retention-days N]\n"
             "      [--enable-purge-protection] [--public-network-access "
             "Enabled|Disabled]\n"
             "      [--default-action Allow|Deny] [--tags K=V ...] "
             "[--no-wait]\n"
             "  vault list-deleted [--subscription S]\n"
             "  journal\n"
             "  whoami\n"
             "  login [--device-code] [--tenant T]\n"
             "  logout [--tenant T | --all]\n"
             "  doctor\n"
             "Every command takes --json, --dry-run and --yes. Exit status: "
             "0 done, 1 failed,\n"
             "2 usage, 3 not signed in or not authorised, 4 not found, 5 "
             "refused.\n");
}

/* Finds the command of argv (subject [command]); NULL with a message. */
static const struct cli_cmd *
cli_find(int argc, char **argv, int *used)
{
    if (strcmp(argv[0], "journal") == 0) {
        *used = 1;
        return &cli_journal_cmd;
    }
    if (strcmp(argv[0], "whoami") == 0) {
        *used = 1;
        return &cli_whoami_cmd;
    }
    if (strcmp(argv[0], "login") == 0) {
        *used = 1;
        return &cli_login_cmd;
    }
    if (strcmp(argv[0], "doctor") == 0) {
        *used = 1;
        return &cli_doctor_cmd;
    }
    if (strcmp(argv[0], "logout") == 0) {
        *used = 1;
        return &cli_logout_cmd;
    }
    const struct cli_subject *sj = NULL;
    for (size_t i = 0; i < sizeof cli_subjects / sizeof cli_subjects[0]; i++)
        if (strcmp(argv[0], cli_subjects[i].name) == 0)
            sj = &cli_subjects[i];
    if (sj == NULL)
        return NULL;
    if (argc < 2) {
        fputs(_(sj->which), stderr);
        return NULL;
    }
    for (const struct cli_cmd *c = sj->cmds; c->name != NULL; c++) {
        if (strcmp(c->name, argv[1]) == 0) {
            *used = 2;
            return c;
        }
    }
    fprintf(stderr, _("kvdeck %s: unknown command \"%s\"\n"), sj->name,
            argv[1]);
    return NULL;
}

int
cli_run(const struct cli_globals *g, int argc, char **argv)
{
    int used = 0, rc;
    const struct cli_cmd *cmd = cli_find(argc, argv, &used);
    if (cmd == NULL) {
        fputs(cli_usage(), stderr);
        return CLI_USAGE;
    }
    struct cli c;
    memset(&c, 0, sizeof c);
    c.g = g;
    char *name =
        used == 2 ? xasprintf("%s %s", argv[0], argv[1]) : xstrdup(argv[0]);
    c.cmd = name;
    rc = cli_args_parse(&c, cmd, argc - used, argv + used);
    if (rc < 0) {
        rc = CLI_OK; /* --help */
        goto out;
    }
    if (rc != CLI_OK)
        goto out;
    if (cmd->writes && g->read_only) {
        fprintf(stderr,
                _("kvdeck %s: refused: --read-only, and this command "
                  "writes; nothing was sent\n"),
                c.cmd);
        rc = CLI_REFUSED;
        goto out;
    }
    c.login = cmd->run == cli_login;
    if (cmd->run != cli_journal && cmd->run != cli_doctor && (rc = cli_session(&c)) != CLI_OK)
        goto out;
    rc = cmd->run(&c);
    fflush(stdout);
out:
    session_close(c.s);
    kv_tags_free(&c.tags);
    free(c.pos);
    free(name);
    return rc;
}
