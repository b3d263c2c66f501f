/*
 * cli-args.c — the options of a batch command. A small parser of our own
 * rather than getopt: `--tags K=V K=V …` takes every following word that
 * is not an option (as az does), and a `--value` flag must be refused
 * with the reason rather than "unknown option".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

struct cli_opt {
    const char *name;
    unsigned bit;
    bool arg;
};

static const struct cli_opt cli_opts[] = {
    {"json", OPT_JSON, false},
    {"dry-run", OPT_DRY_RUN, false},
    {"yes", OPT_YES, false},
    {"version", OPT_VERSION, true},
    {"show-value", OPT_SHOW_VALUE, false},
    {"value-file", OPT_VALUE_FILE, true},
    {"file", OPT_VALUE_FILE, true}, /* az keyvault secret set --file */
    {"generate", OPT_GENERATE, true},
    {"content-type", OPT_CONTENT_TYPE, true},
    {"expires", OPT_EXPIRES, true},
    {"not-before", OPT_NOT_BEFORE, true},
    {"tags", OPT_TAGS, false}, /* takes the words that follow */
    {"retire-old", OPT_RETIRE_OLD, true},
    {"name", OPT_NAME, true},
    {"if-version", OPT_IF_VERSION, true},
    {"all", OPT_ALL, false},
    {"tenant", OPT_TENANT, true},
    {"device-code", OPT_DEVICE_CODE, false},
};

/* Stores an option's argument in its field. */
static void
cli_args_set(struct cli *c, unsigned bit, const char *arg)
{
    switch (bit) {
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
    }
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
        if (w[1] != '-') {
            fprintf(stderr, _("kvdeck %s: unknown option %s\n"), c->cmd, w);
            return cli_args_usage(c, cmd);
        }
        const char *name = w + 2, *eq = strchr(name, '=');
        size_t nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
        if (nlen == 5 && strncmp(name, "value", 5) == 0) {
            fprintf(stderr,
                    _("kvdeck %s: --value is not accepted: a value on the "
                      "command line is visible to every user of this host "
                      "(ps, /proc) and stays in the shell history. Use "
                      "--value-file FILE, standard input or --generate "
                      "SPEC.\n"),
                    c->cmd);
            return CLI_USAGE;
        }
        const struct cli_opt *o = NULL;
        for (size_t k = 0; k < sizeof cli_opts / sizeof cli_opts[0]; k++)
            if (strlen(cli_opts[k].name) == nlen &&
                strncmp(cli_opts[k].name, name, nlen) == 0)
                o = &cli_opts[k];
        if (o == NULL || (cmd->opts & o->bit) == 0) {
            fprintf(stderr, _("kvdeck %s: unknown option --%.*s\n"), c->cmd,
                    (int)nlen, name);
            return cli_args_usage(c, cmd);
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
        if (o->arg) {
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
    if (c->npos < cmd->min_pos || c->npos > cmd->max_pos) {
        fprintf(stderr,
                c->npos < cmd->min_pos ? _("kvdeck %s: missing arguments\n")
                                       : _("kvdeck %s: too many arguments\n"),
                c->cmd);
        return cli_args_usage(c, cmd);
    }
    return CLI_OK;
bad_tag:
    fprintf(stderr, _("kvdeck %s: a tag is KEY=VALUE, not \"%s\"\n"), c->cmd,
            badw);
    return CLI_USAGE;
}
