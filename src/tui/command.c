/*
 * command.c — the `:` commands: :sub, :group, :vault NAME|URI, :tenant,
 * :refresh, :expiring [DAYS], :help, :q.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/app.h"
#include "tui/frame.h"
#include "tui/screen.h"
#include "tui/wizard-attach.h"
#include "tui/wizard-rotate.h"
#include "tui/wizard-secret.h"
#include "tui/wizard-vault.h"

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
                    app_message(a, true,
                                _("\"%s\" matches more than one "
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

/* Lists still coming in that could name the vault. */
static bool
command_lists_loading(const struct app *a)
{
    if (a->store->subs_load.state == LOAD_LOADING)
        return true;
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *sub = a->store->subs.items[i];
        if (sub->vaults_load.state == LOAD_LOADING)
            return true;
    }
    return false;
}

/* Opens a vault no listing shows by the data-plane URI the cloud gives
 * its name (engine_vault_uri()): secrets need only data-plane rights. */
static void
command_vault_by_uri(struct app *a, const char *name)
{
    char *uri = engine_vault_uri(a->eng, name);
    if (uri == NULL) {
        app_message(a, true,
                    _("vault %s is not in any listed subscription, and this "
                      "cloud has no Key Vault DNS suffix; give its URI "
                      "(:vault https://…)"),
                    name);
        return;
    }
    char *why = NULL;
    struct store_vault *v = store_add_vault_uri(a->store, uri, &why);
    if (v == NULL) {
        app_message(a, true, "%s", why);
        free(why);
    } else {
        app_open_vault(a, v, PANE_SECRETS);
        app_message(a, false,
                    _("opened %s by URI (not in any listed subscription)"),
                    uri);
    }
    free(uri);
}

void
app_pending_vault(struct app *a)
{
    if (a->pending_vault == NULL)
        return;
    struct store_vault *v = store_find_vault(a->store, a->pending_vault);
    if (v == NULL && (a->pending_job != 0 || command_lists_loading(a)))
        return; /* not yet: an answer that may name it is on its way */
    char *key = a->pending_vault;
    a->pending_vault = NULL;
    if (v != NULL)
        app_open_vault(a, v, PANE_SECRETS);
    else if (str_istarts(key, "/subscriptions/"))
        /* the GET_VAULT failed; its error is in the status bar */
        app_message(a, true, _("vault %s not found"), key);
    else
        command_vault_by_uri(a, key);
    free(key);
}

void
app_vault_deliver(void *ctx, struct result *r)
{
    struct app *a = ctx;
    a->store_changes |= store_apply_vault_result(a->store, r);
    if (r->job_id != a->pending_job ||
        (r->type != RESULT_DONE && r->type != RESULT_ERROR))
        return;
    a->pending_job = 0;
    app_pending_vault(a);
}

/* :vault NAME|URI|ID. A URI opens at once (no listing needed); an Azure
 * resource id is fetched from Resource Manager; a name is looked up in
 * the vault lists, and once they are all in, a name none of them holds
 * is opened by the URI the cloud gives it. */
static void
command_vault(struct app *a, const char *arg)
{
    free(a->pending_vault);
    a->pending_vault = NULL;
    a->pending_job = 0;
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
    a->pending_vault = xstrdup(arg);
    if (str_istarts(arg, "/subscriptions/") &&
        store_find_vault(a->store, arg) == NULL) {
        struct job *job = job_get_vault(arg);
        job->deliver = app_vault_deliver;
        job->ctx = a;
        a->pending_job = engine_submit(a->eng, job);
        app_message(a, false, _("looking up %s…"), arg);
    } else if (store_find_vault(a->store, arg) == NULL) {
        app_message(a, false, _("looking for vault %s…"), arg);
    }
    app_pending_vault(a);
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
    case CMD_NEW:
        wizard_secret_new_here(a, cmd.arg);
        break;
    case CMD_ROTATE:
        wizard_rotate_named(a, cmd.arg);
        break;
    case CMD_CREATE:
        if (str_ieq(cmd.arg, "vault"))
            wizard_vault_new(a);
        else
            app_message(a, true, _("cannot create \"%s\": :create vault"),
                        cmd.arg);
        break;
    case CMD_ATTACH:
        wizard_attach_new(a);
        break;
    case CMD_PENDING:
        screen_pending_push(a);
        break;
    case CMD_EXPIRING:
        screen_expiring_push(a, cmd.arg);
        break;
    case CMD_TENANT:
        screen_tenant_push(a, cmd.arg);
        break;
    case CMD_HELP:
        screen_help_push(a);
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
