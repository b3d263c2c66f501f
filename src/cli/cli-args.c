/*
 * cli-args.c — the options of a batch command. A small parser of our own
 * rather than getopt: `--tags K=V K=V …` takes every following word that
 * is not an option (as az does), and a `--value` flag must be refused
 * with the reason rather than "unknown option".
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"
#include "engine/settings.h"

enum cli_arg {
    ARG_NONE,
    ARG_ONE,  /* one value: --opt V or --opt=V */
    ARG_BOOL, /* az's optional boolean: --opt, --opt true|false, --opt=B */
};

struct cli_opt {
    const char *name;
    uint64_t bit;
    enum cli_arg arg;
    char short_name; /* -g for --resource-group, else 0 */
};

static const struct cli_opt cli_opts[] = {
    {.name = "json", .bit = OPT_JSON},
    {.name = "dry-run", .bit = OPT_DRY_RUN},
    {.name = "yes", .bit = OPT_YES},
    {.name = "version", .bit = OPT_VERSION, .arg = ARG_ONE},
    {.name = "show-value", .bit = OPT_SHOW_VALUE},
    {.name = "value-file", .bit = OPT_VALUE_FILE, .arg = ARG_ONE},
    /* az keyvault secret set --file */
    {.name = "file", .bit = OPT_VALUE_FILE, .arg = ARG_ONE},
    {.name = "generate", .bit = OPT_GENERATE, .arg = ARG_ONE},
    {.name = "content-type", .bit = OPT_CONTENT_TYPE, .arg = ARG_ONE},
    {.name = "expires", .bit = OPT_EXPIRES, .arg = ARG_ONE},
    {.name = "not-before", .bit = OPT_NOT_BEFORE, .arg = ARG_ONE},
    {.name = "tags", .bit = OPT_TAGS}, /* takes the words that follow */
    {.name = "retire-old", .bit = OPT_RETIRE_OLD, .arg = ARG_ONE},
    {.name = "name", .bit = OPT_NAME, .arg = ARG_ONE},
    {.name = "if-version", .bit = OPT_IF_VERSION, .arg = ARG_ONE},
    {.name = "all", .bit = OPT_ALL},
    {.name = "tenant", .bit = OPT_TENANT, .arg = ARG_ONE},
    {.name = "device-code", .bit = OPT_DEVICE_CODE},
    {.name = "subscription", .bit = OPT_SUBSCRIPTION, .arg = ARG_ONE},
    {.name = "resource-group",
     .bit = OPT_GROUP,
     .arg = ARG_ONE,
     .short_name = 'g'},
    {.name = "location",
     .bit = OPT_LOCATION,
     .arg = ARG_ONE,
     .short_name = 'l'},
    {.name = "create-resource-group", .bit = OPT_CREATE_GROUP},
    {.name = "sku", .bit = OPT_SKU, .arg = ARG_ONE},
    {.name = "enable-rbac-authorization", .bit = OPT_RBAC, .arg = ARG_BOOL},
    {.name = "retention-days", .bit = OPT_RETENTION, .arg = ARG_ONE},
    {.name = "enable-purge-protection",
     .bit = OPT_PURGE_PROTECTION,
     .arg = ARG_BOOL},
    {.name = "public-network-access", .bit = OPT_PUBLIC_ACCESS, .arg = ARG_ONE},
    {.name = "default-action", .bit = OPT_DEFAULT_ACTION, .arg = ARG_ONE},
    {.name = "no-wait", .bit = OPT_NO_WAIT},
    {.name = "no-self-perms", .bit = OPT_NO_SELF_PERMS},
    /* az keyvault's -n NAME: the vault commands' positional NAME */
    {.name = "name", .bit = OPT_VAULT_NAME, .arg = ARG_ONE, .short_name = 'n'},
    /* the network commands (issue #10) */
    {.name = "via-arm", .bit = OPT_VIA_ARM},
    {.name = "subnet", .bit = OPT_SUBNET, .arg = ARG_ONE},
    {.name = "dns-zone", .bit = OPT_DNS_ZONE, .arg = ARG_ONE},
    {.name = "no-dns", .bit = OPT_NO_DNS},
    {.name = "manual-request", .bit = OPT_MANUAL_REQUEST, .arg = ARG_ONE},
    {.name = "close-public-access", .bit = OPT_CLOSE_PUBLIC},
    {.name = "description", .bit = OPT_DESCRIPTION, .arg = ARG_ONE},
    {.name = "add-ip", .bit = OPT_ADD_IP, .arg = ARG_ONE},
    {.name = "remove-ip", .bit = OPT_REMOVE_IP, .arg = ARG_ONE},
    {.name = "add-subnet", .bit = OPT_ADD_SUBNET, .arg = ARG_ONE},
    {.name = "remove-subnet", .bit = OPT_REMOVE_SUBNET, .arg = ARG_ONE},
    {.name = "days", .bit = OPT_DAYS, .arg = ARG_ONE},
    {.name = "at-source", .bit = OPT_AT_SOURCE},
    {.name = "account", .bit = OPT_ACCOUNT, .arg = ARG_ONE},
    {.name = "retire-pending", .bit = OPT_RETIRE_PENDING},
};

/* Stores an option's argument in its field. */
/* The network options' fields (past the switch's 32-bit cases). */
static bool
cli_args_set_net(struct cli *c, uint64_t bit, const char *arg)
{
    static const struct {
        uint64_t bit;
        size_t off;
    } strs[] = {
        {OPT_SUBNET, offsetof(struct cli, subnet)},
        {OPT_DNS_ZONE, offsetof(struct cli, dns_zone)},
        {OPT_MANUAL_REQUEST, offsetof(struct cli, manual_request)},
        {OPT_DESCRIPTION, offsetof(struct cli, description)},
        {OPT_ADD_IP, offsetof(struct cli, add_ip)},
        {OPT_REMOVE_IP, offsetof(struct cli, remove_ip)},
        {OPT_ADD_SUBNET, offsetof(struct cli, add_subnet)},
        {OPT_REMOVE_SUBNET, offsetof(struct cli, remove_subnet)},
        {OPT_DAYS, offsetof(struct cli, days)},
        {OPT_ACCOUNT, offsetof(struct cli, account)},
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        if (strs[i].bit == bit) {
            *(const char **)(void *)((char *)c + strs[i].off) = arg;
            return true;
        }
    }
    if (bit == OPT_VIA_ARM)
        c->via_arm = true;
    else if (bit == OPT_NO_DNS)
        c->no_dns = true;
    else if (bit == OPT_CLOSE_PUBLIC)
        c->close_public = true;
    else if (bit == OPT_AT_SOURCE)
        c->at_source = true;
    else if (bit == OPT_RETIRE_PENDING)
        c->retire_pending = true;
    else
        return false;
    return true;
}

static void
cli_args_set(struct cli *c, uint64_t bit, const char *arg)
{
    if (cli_args_set_net(c, bit, arg))
        return;
    switch ((unsigned)bit) {
    case OPT_JSON:
        c->json = true;
        break;
    case OPT_DRY_RUN:
        c->dry_run = true;
        break;
    case OPT_YES:
        c->yes = true;
        break;
    case OPT_SHOW_VALUE:
        c->show_value = true;
        break;
    case OPT_VERSION:
        c->version = arg;
        break;
    case OPT_VALUE_FILE:
        c->value_file = arg;
        break;
    case OPT_GENERATE:
        c->generate = arg;
        break;
    case OPT_CONTENT_TYPE:
        c->content_type = arg;
        break;
    case OPT_EXPIRES:
        c->expires = arg;
        break;
    case OPT_NOT_BEFORE:
        c->not_before = arg;
        break;
    case OPT_RETIRE_OLD:
        c->retire_old = arg;
        break;
    case OPT_NAME:
        c->name = arg;
        break;
    case OPT_IF_VERSION:
        c->if_version = arg;
        break;
    case OPT_ALL:
        c->all = true;
        break;
    case OPT_TENANT:
        c->tenant = arg;
        break;
    case OPT_DEVICE_CODE:
        c->device_code = true;
        break;
    case OPT_SUBSCRIPTION:
        c->subscription = arg;
        break;
    case OPT_GROUP:
        c->group = arg;
        break;
    case OPT_LOCATION:
        c->location = arg;
        break;
    case OPT_CREATE_GROUP:
        c->create_group = true;
        break;
    case OPT_SKU:
        c->sku = arg;
        break;
    case OPT_RBAC:
        c->rbac = strcmp(arg, "true") == 0;
        break;
    case OPT_RETENTION:
        c->retention = arg;
        break;
    case OPT_PURGE_PROTECTION:
        c->purge_protection = strcmp(arg, "true") == 0;
        break;
    case OPT_PUBLIC_ACCESS:
        c->public_access = arg;
        break;
    case OPT_DEFAULT_ACTION:
        c->default_action = arg;
        break;
    case OPT_NO_WAIT:
        c->no_wait = true;
        break;
    case OPT_NO_SELF_PERMS:
        c->no_self_perms = true;
        break;
    case OPT_VAULT_NAME:
        c->vault_name = arg;
        break;
    }
}

/* az's boolean words: "true" or "false" (static), NULL for others. */
static const char *
cli_args_bool(const char *w)
{
    if (strcasecmp(w, "true") == 0 || strcmp(w, "1") == 0 ||
        strcasecmp(w, "yes") == 0)
        return "true";
    if (strcasecmp(w, "false") == 0 || strcmp(w, "0") == 0 ||
        strcasecmp(w, "no") == 0)
        return "false";
    return NULL;
}

/* The option of a short name such as -g, or NULL. */
static const struct cli_opt *
cli_args_short(char ch)
{
    for (size_t k = 0; k < sizeof cli_opts / sizeof cli_opts[0]; k++)
        if (cli_opts[k].short_name == ch)
            return &cli_opts[k];
    return NULL;
}

/* Adds "K=V" to the tags; false when it has no '='. */
static bool
cli_args_tag(struct cli *c, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (eq == NULL || eq == kv)
        return false;
    struct kv_tags *t = &c->tags;
    t->items = xreallocarray(t->items, t->n + 1, sizeof *t->items);
    t->items[t->n].key = xstrndup(kv, (size_t)(eq - kv));
    t->items[t->n].value = xstrdup(eq + 1);
    t->n++;
    return true;
}

static int
cli_args_usage(const struct cli *c, const struct cli_cmd *cmd)
{
    fprintf(stderr, _("Usage: kvdeck %s %s\n"), c->cmd, _(cmd->args));
    return CLI_USAGE;
}

int
cli_args_parse(struct cli *c, const struct cli_cmd *cmd, int argc, char **argv)
{
    c->pos = xcalloc((size_t)argc + 1, sizeof *c->pos);
    bool opts_done = false;
    const char *badw = NULL;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (opts_done || w[0] != '-' || w[1] == '\0') {
            c->pos[c->npos++] = argv[i];
            continue;
        }
        if (strcmp(w, "--") == 0) {
            opts_done = true;
            continue;
        }
        if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
            printf(_("Usage: kvdeck %s %s\n"), c->cmd, _(cmd->args));
            return -1; /* help shown: exit 0 */
        }
        const struct cli_opt *o = NULL;
        const char *name = w + 2, *eq = NULL;
        size_t nlen = 0;
        if (w[1] != '-') {
            o = w[2] == '\0' ? cli_args_short(w[1]) : NULL;
            if (o == NULL || (cmd->opts & o->bit) == 0) {
                fprintf(stderr, _("kvdeck %s: unknown option %s\n"), c->cmd, w);
                return cli_args_usage(c, cmd);
            }
        } else {
            eq = strchr(name, '=');
            nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
            if (nlen == 5 && strncmp(name, "value", 5) == 0) {
                fprintf(stderr,
                        _("kvdeck %s: --value is not accepted: a value on "
                          "the command line is visible to every user of "
                          "this host (ps, /proc) and stays in the shell "
                          "history. Use --value-file FILE, standard input "
                          "or --generate SPEC.\n"),
                        c->cmd);
                return CLI_USAGE;
            }
            /* --name means one thing or another: the command's */
            for (size_t k = 0; k < sizeof cli_opts / sizeof cli_opts[0]; k++)
                if (strlen(cli_opts[k].name) == nlen &&
                    strncmp(cli_opts[k].name, name, nlen) == 0 &&
                    (o == NULL || (cmd->opts & cli_opts[k].bit) != 0))
                    o = &cli_opts[k];
            if (o == NULL || (cmd->opts & o->bit) == 0) {
                fprintf(stderr, _("kvdeck %s: unknown option --%.*s\n"), c->cmd,
                        (int)nlen, name);
                return cli_args_usage(c, cmd);
            }
        }
        c->given |= o->bit;
        if (o->bit == OPT_TAGS) {
            if (eq != NULL && !cli_args_tag(c, eq + 1)) {
                badw = eq + 1;
                goto bad_tag;
            }
            while (i + 1 < argc && argv[i + 1][0] != '-') {
                if (!cli_args_tag(c, argv[++i])) {
                    badw = argv[i];
                    goto bad_tag;
                }
            }
            continue;
        }
        const char *arg = NULL;
        if (o->arg == ARG_BOOL) {
            arg = eq != NULL ? cli_args_bool(eq + 1) : "true";
            if (eq == NULL && i + 1 < argc && cli_args_bool(argv[i + 1]))
                arg = cli_args_bool(argv[++i]);
            if (arg == NULL) {
                fprintf(stderr, _("kvdeck %s: --%s takes true or false\n"),
                        c->cmd, o->name);
                return cli_args_usage(c, cmd);
            }
        } else if (o->arg == ARG_ONE) {
            if (eq != NULL) {
                arg = eq + 1;
            } else if (i + 1 < argc) {
                arg = argv[++i];
            } else {
                fprintf(stderr, _("kvdeck %s: --%s needs a value\n"), c->cmd,
                        o->name);
                return cli_args_usage(c, cmd);
            }
        } else if (eq != NULL) {
            fprintf(stderr, _("kvdeck %s: --%s takes no value\n"), c->cmd,
                    o->name);
            return cli_args_usage(c, cmd);
        }
        cli_args_set(c, o->bit, arg);
    }
    if (c->vault_name != NULL && c->npos > 0) {
        fprintf(stderr, _("kvdeck %s: give the name once (NAME or -n NAME)\n"),
                c->cmd);
        return cli_args_usage(c, cmd);
    }
    if (c->vault_name != NULL) /* -n NAME: argv had room for it */
        c->pos[c->npos++] = (char *)c->vault_name;
    if (c->npos < cmd->min_pos || c->npos > cmd->max_pos) {
        fprintf(stderr,
                c->npos < cmd->min_pos ? _("kvdeck %s: missing arguments\n")
                                       : _("kvdeck %s: too many arguments\n"),
                c->cmd);
        return cli_args_usage(c, cmd);
    }
    /* login puts the tenant into the token URL (logout only names the
     * kept sign-ins to forget) */
    char *why = NULL;
    if (c->tenant != NULL && str_eq(c->cmd, "login") &&
        (why = settings_tenant_check(c->tenant, "--tenant")) != NULL) {
        fprintf(stderr, "kvdeck %s: %s\n", c->cmd, why);
        free(why);
        return CLI_USAGE;
    }
    return CLI_OK;
bad_tag:
    fprintf(stderr, _("kvdeck %s: a tag is KEY=VALUE, not \"%s\"\n"), c->cmd,
            badw);
    return CLI_USAGE;
}
