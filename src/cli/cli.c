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
                 "set, rotate, copy, delete, recover, purge, expiring)\n")},
    {.name = "vault",
     .cmds = cli_vault_cmds,
     .which = N_("kvdeck vault: which command? (list, show, create, delete, "
                 "list-deleted, recover, purge, network)\n")},
    /* two words: matched before "vault" alone */
    {.name = "vault network",
     .cmds = cli_vault_network_cmds,
     .which = N_("kvdeck vault network: which command? (show, set)\n")},
    {.name = "endpoint",
     .cmds = cli_endpoint_cmds,
     .which = N_("kvdeck endpoint: which command? (list, attach, approve, "
                 "reject, remove)\n")},
};

bool
cli_is_command(const char *word)
{
    return strcmp(word, "secret") == 0 || strcmp(word, "vault") == 0 ||
           strcmp(word, "endpoint") == 0 || strcmp(word, "journal") == 0 ||
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
             "  secret set|rotate ... --via-arm (through Resource Manager)\n"
             "  secret rotate VAULT NAME --at-source [--account ID]\n"
             "      [--retire-old now|DURATION|keep | --retire-pending]\n"
             "      (the key of an AI services account)\n"
             "  secret copy VAULT NAME TO-VAULT [--name NEW]\n"
             "  secret delete|recover|purge VAULT NAME\n"
             "  secret expiring [--days N] [--subscription S]\n"
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
             "  vault network show VAULT\n"
             "  vault network set VAULT [--public-network-access "
             "Enabled|Disabled]\n"
             "      [--default-action Allow|Deny] [--add-ip CIDR] "
             "[--remove-ip CIDR]\n"
             "      [--add-subnet ID] [--remove-subnet ID]\n"
             "  endpoint list VAULT\n"
             "  endpoint attach VAULT --subnet SUBNET-ID [--name PE] [-g "
             "GROUP]\n"
             "      [--dns-zone ZONE-ID | --no-dns] "
             "[--manual-request MESSAGE]\n"
             "      [--close-public-access]\n"
             "  endpoint approve|reject|remove VAULT CONNECTION "
             "[--description D]\n"
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
    /* the subject: one word ("vault") or two ("vault network"), the
     * longest that matches */
    const struct cli_subject *sj = NULL;
    int words = 0;
    for (size_t i = 0; i < sizeof cli_subjects / sizeof cli_subjects[0]; i++) {
        const char *n = cli_subjects[i].name, *sp = strchr(n, ' ');
        if (sp == NULL && strcmp(argv[0], n) == 0 && words < 1) {
            sj = &cli_subjects[i];
            words = 1;
        } else if (sp != NULL && argc >= 2 &&
                   strlen(argv[0]) == (size_t)(sp - n) &&
                   strncmp(argv[0], n, (size_t)(sp - n)) == 0 &&
                   strcmp(argv[1], sp + 1) == 0) {
            sj = &cli_subjects[i];
            words = 2;
        }
    }
    if (sj == NULL)
        return NULL;
    if (argc < words + 1) {
        fputs(_(sj->which), stderr);
        return NULL;
    }
    for (const struct cli_cmd *c = sj->cmds; c->name != NULL; c++) {
        if (strcmp(c->name, argv[words]) == 0) {
            *used = words + 1;
            return c;
        }
    }
    fprintf(stderr, _("kvdeck %s: unknown command \"%s\"\n"), sj->name,
            argv[words]);
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
    char *name = used == 3   ? xasprintf("%s %s %s", argv[0], argv[1], argv[2])
                 : used == 2 ? xasprintf("%s %s", argv[0], argv[1])
                             : xstrdup(argv[0]);
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
