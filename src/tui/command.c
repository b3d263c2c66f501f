/*
 * command.c — the `:` commands: :sub, :group, :vault NAME|URI, :refresh,
 * :help, :q.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/app.h"
#include "tui/frame.h"

static void
command_sub(struct app *a, const char *arg)
{
    struct store_sub *sub = store_find_sub(a->store, arg);
    if (sub == NULL) {
        /* a unique prefix of a display name is fine */
        for (size_t i = 0; i < a->store->subs.len; i++) {
            struct store_sub *c = a->store->subs.items[i];
            if (c->sub->display_name != NULL &&
                str_istarts(c->sub->display_name, arg)) {
                if (sub != NULL) {
                    app_message(a, true, _("\"%s\" matches more than one "
                                           "subscription"),
                                arg);
                    return;
                }
                sub = c;
            }
        }
    }
    if (sub == NULL) {
        app_message(a, true, _("no subscription \"%s\""), arg);
        return;
    }
    app_set_context(a, sub, NULL);
    app_focus(a, PANE_VAULTS);
}

static void
command_group(struct app *a, const char *arg)
{
    /* Groups are matched on the vaults' resource group, so no group list
     * is needed; with no subscription chosen, any subscription's group
     * of that name. */
    struct store_sub *sub = a->ctx_sub;
    for (size_t i = 0; sub == NULL && i < a->store->vaults.len; i++) {
        struct store_vault *v = a->store->vaults.items[i];
        if (str_ieq(v->vault->resource_group, arg))
            sub = store_find_sub(a->store, v->vault->subscription_id);
    }
    app_set_context(a, sub, arg);
    app_focus(a, PANE_VAULTS);
}

static void
command_vault(struct app *a, const char *arg)
{
    if (str_istarts(arg, "https://")) {
        char *why = NULL;
        struct store_vault *v = store_add_vault_uri(a->store, arg, &why);
        if (v == NULL) {
            app_message(a, true, "%s", why);
            free(why);
            return;
        }
        app_open_vault(a, v, PANE_SECRETS);
        return;
    }
    if (str_istarts(arg, "/subscriptions/")) {
        struct store_vault *v = store_find_vault(a->store, arg);
        if (v != NULL) {
            app_open_vault(a, v, PANE_SECRETS);
            return;
        }
        struct job *job = job_get_vault(arg);
        job->tag = a->store;
        engine_submit(a->eng, job);
        free(a->pending_vault);
        a->pending_vault = xstrdup(arg);
        app_message(a, false, _("looking up %s…"), arg);
        return;
    }
    struct store_vault *v = store_find_vault(a->store, arg);
    if (v != NULL) {
        app_open_vault(a, v, PANE_SECRETS);
        return;
    }
    free(a->pending_vault);
    a->pending_vault = xstrdup(arg);
    if (a->ctx_sub != NULL) {
        /* Ask Resource Manager directly in the chosen subscription. */
        struct job *job = job_new(JOB_GET_VAULT);
        job->subscription_id = xstrdup(a->ctx_sub->sub->subscription_id);
        job->name = xstrdup(arg);
        job->tag = a->store;
        engine_submit(a->eng, job);
    }
    app_message(a, false, _("looking for vault %s…"), arg);
}

void
app_command(struct app *a, const char *line)
{
    struct command cmd;
    char *why = NULL;
    if (command_parse(line, &cmd, &why) != KV_OK) {
        app_message(a, true, "%s", why);
        free(why);
        return;
    }
    switch (cmd.kind) {
    case CMD_SUB:
        command_sub(a, cmd.arg);
        break;
    case CMD_GROUP:
        command_group(a, cmd.arg);
        break;
    case CMD_VAULT:
        command_vault(a, cmd.arg);
        break;
    case CMD_REFRESH: {
        struct view *v = &a->views[a->focus];
        if (v->ops->key)
            v->ops->key(a, v, ACT_REFRESH);
        v->dirty = true;
        break;
    }
    case CMD_HELP:
        a->mode = MODE_HELP;
        a->help_top = 0;
        frame_relayout(a, true);
        break;
    case CMD_QUIT:
        a->quit = true;
        break;
    case CMD_COUNT:
    default:
        break;
    }
    command_clear(&cmd);
}
