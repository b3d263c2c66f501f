/*
 * wizard-vault.c — the create-a-vault wizard on the wizard host
 * (wizard.h): the name and subscription (wizard-vault-name.c), then
 * (wizard-vault-pages.c) the resource group (an existing one,
 * JOB_LIST_GROUPS, or a new one), the regions (JOB_LIST_LOCATIONS, the
 * group's first) and the SKU, the permission model with the role for the
 * signed-in principal, the soft-delete retention and purge protection,
 * the network and the tags. This file holds the page table, the lists
 * the pages need, the plan and the outcome. The review is the create plan
 * (plan_vault_create()); it runs on the progress screen, whose data-plane step
 * says what it waits for. At the end the console opens the new vault's secrets.
 *
 * Nothing is sent but reads (the name check, the lists) before Apply;
 * Esc goes back a page, and on the first page closes the wizard.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/wizard-outcome.h"
#include "tui/wizard-value.h"
#include "tui/wizard-vault-int.h"
#include "tui/wizard-vault.h"

bool
wv_identity(struct app *a, char *oid, char *tenant, char *type, size_t n)
{
    struct engine_identity id;
    *oid = *tenant = *type = '\0';
    if (!engine_identity(a->eng, &id) || id.object_id[0] == '\0')
        return false;
    snprintf(oid, n, "%s", id.object_id);
    snprintf(tenant, n, "%s", id.tenant_id);
    snprintf(type, n, "%s", engine_principal_type(&id));
    return true;
}

/* ---- the lists the later pages need ------------------------------------ */

static void
wv_group_free(void *g)
{
    kv_group_free(g);
}

static void
wv_location_free(void *l)
{
    kv_location_free(l);
}

void
wv_load_lists(struct app *a, struct wvault *wv, const char *sub_id)
{
    if (*sub_id == '\0' ||
        (wv->lists_sub != NULL && str_eq(wv->lists_sub, sub_id)))
        return;
    if (wv->groups_job != 0)
        engine_cancel(a->eng, wv->groups_job);
    if (wv->locations_job != 0)
        engine_cancel(a->eng, wv->locations_job);
    free(wv->lists_sub);
    wv->lists_sub = xstrdup(sub_id);
    vec_free_all(&wv->groups, wv_group_free);
    vec_free_all(&wv->locations, wv_location_free);
    wv->groups_done = wv->locations_done = false;
    free(wv->groups_error);
    free(wv->locations_error);
    wv->groups_error = wv->locations_error = NULL;
    wv->group_choice = 0;
    free(wv->location);
    wv->location = NULL;
    wv->groups_job = wizard_submit(a, wv->w, job_list_groups(sub_id));
    wv->locations_job = wizard_submit(a, wv->w, job_list_locations(sub_id));
}

static void
wv_on_result(struct app *a, struct wizard *w, struct result *r)
{
    struct wvault *wv = wizard_priv(w);
    if (wv_name_result(a, wv, r))
        return;
    bool groups = r->job_id == wv->groups_job && wv->groups_job != 0;
    bool locs = r->job_id == wv->locations_job && wv->locations_job != 0;
    if (!groups && !locs)
        return;
    struct vec *into = groups ? &wv->groups : &wv->locations;
    switch (r->type) {
    case RESULT_PAGE:
        for (size_t i = 0; i < r->items.len; i++)
            vec_push(into, r->items.items[i]);
        r->items.len = 0; /* taken */
        return;
    case RESULT_ERROR: {
        char **err = groups ? &wv->groups_error : &wv->locations_error;
        free(*err);
        *err = xstrdup(r->message != NULL ? r->message
                                          : kv_status_message(r->status));
    } /* fall through */
    case RESULT_DONE:
        if (groups) {
            wv->groups_done = true;
            wv->groups_job = 0;
        } else {
            wv->locations_done = true;
            wv->locations_job = 0;
        }
        wizard_update(a, w);
        return;
    default:
        return;
    }
}

static const char *
wv_loading(struct app *a, struct wizard *w)
{
    (void)a;
    (void)w;
    return _("Loading the subscription's resource groups and regions…");
}

/* The name page left: the lists of its subscription are wanted. */
static bool
wv_name_leave(struct app *a, struct wvault *wv, struct form *f)
{
    if (!wv_name_next(a, wv, f))
        return false;
    wv_load_lists(a, wv, wv->sub_id);
    return true;
}

/* ---- the host's ops ------------------------------------------------------ */

/* Each page: its form (NULL while its lists load) and what leaving it
 * keeps (false: it stays, a message under a field). */
static const struct wv_page_ops {
    struct form *(*build)(struct app *a, struct wvault *wv);
    bool (*next)(struct app *a, struct wvault *wv, struct form *f);
} wv_pages[WV_PAGES] = {
    [WV_PAGE_NAME] = {.build = wv_name_page, .next = wv_name_leave},
    [WV_PAGE_GROUP] = {.build = wv_group_page, .next = wv_group_next},
    [WV_PAGE_REGION] = {.build = wv_region_page, .next = wv_region_next},
    [WV_PAGE_ACCESS] = {.build = wv_access_page, .next = wv_access_next},
    [WV_PAGE_NETWORK] = {.build = wv_network_page, .next = wv_network_next},
};

static struct form *
wv_page(struct app *a, struct wizard *w, int i)
{
    return i >= 0 && i < WV_PAGES ? wv_pages[i].build(a, wizard_priv(w)) : NULL;
}

static bool
wv_next(struct app *a, struct wizard *w, int i, struct form *f)
{
    return i >= 0 && i < WV_PAGES && wv_pages[i].next(a, wizard_priv(w), f);
}

static struct plan *
wv_plan(struct app *a, struct wizard *w, char **why)
{
    struct wvault *wv = wizard_priv(w);
    struct kv_tags tags = {0};
    const char *bad = NULL;
    if (!wizard_tags_parse(wv->tags ? wv->tags : "", &tags, &bad)) {
        *why = xstrdup(bad != NULL ? bad : "");
        return NULL;
    }
    char oid[64], tenant[64], type[32];
    bool who = wv_identity(a, oid, tenant, type, sizeof oid);
    if (!who) {
        struct store_sub *sub = store_find_sub(a->store, wv->sub_id);
        snprintf(tenant, sizeof tenant, "%s",
                 sub != NULL && sub->sub->tenant_id ? sub->sub->tenant_id : "");
    }
    const struct kv_group *g = wv_group(wv);
    /* Wait for the data plane only when it will let us in: not when it
     * is closed to the internet, nor without a role or policy for us
     * (RBAC with "assign me" cleared, or no known principal). */
    bool reach = !wv->private_only && !wv->deny && who &&
                 (wv->policies || !wv->no_assign);
    char *uri = reach ? engine_vault_uri(a->eng, wv->name) : NULL;
    struct vault_spec s = {
        .subscription_id = wv->sub_id,
        .resource_group = g != NULL ? g->name : wv->new_group,
        .name = wv->name,
        .location = wv->location,
        .create_group = g == NULL,
        .group_location = g == NULL ? wv->group_location : NULL,
        .premium = wv->premium,
        .rbac = !wv->policies,
        .retention_days = atoi(wv->retention ? wv->retention : "90"),
        .purge_protection = wv->purge_protection,
        .public_access = !wv->private_only,
        .default_deny = wv->deny,
        .tags = tags.n > 0 ? &tags : NULL,
        .tenant_id = *tenant ? tenant : NULL,
        .principal_id = who ? oid : NULL,
        .principal_type = who ? type : NULL,
        .assign_role = who && !wv->policies && !wv->no_assign,
        .wait_data_plane = uri != NULL,
        .vault_uri = uri,
    };
    wv->stage = WV_STAGE_CREATE;
    struct plan *p = plan_vault_create(&s);
    free(uri);
    kv_tags_free(&tags);
    if (p == NULL)
        *why = xstrdup(_("the vault's plan could not be made"));
    return p;
}

/* Opens the vault's secrets once the subscription's vaults are in
 * again (app_pending_vault()), in a context that shows it. */
static void
wv_open(struct app *a, struct wvault *wv)
{
    struct store_sub *sub = store_find_sub(a->store, wv->sub_id);
    if (sub == NULL)
        return;
    if ((a->ctx_sub != NULL && a->ctx_sub != sub) || a->ctx_group != NULL)
        app_set_context(a, a->ctx_sub != NULL ? sub : NULL, NULL);
    store_load_vaults(a->store, sub);
    free(a->pending_vault);
    a->pending_vault = xstrdup(wv->name);
    a->pending_job = 0;
    app_pending_vault(a);
}

static void
wv_end(struct app *a, struct wizard *w, struct plan *p)
{
    struct wvault *wv = wizard_priv(w);
    struct wizard_outcome o;
    wizard_outcome_read(p, &o);
    bool create = wv->stage == WV_STAGE_CREATE;
    if (!plan_finished(p)) {
        char *head =
            create ? xasprintf(_("Creating vault %s stopped."), wv->name)
                   : xasprintf(_("Recovering vault %s stopped."), wv->name);
        wizard_outcome_failure(a, w, &o, head);
        free(head);
        size_t done = 0;
        for (size_t i = 0; i < plan_steps(p); i++)
            if (plan_step_state(p, i) == STEP_DONE) {
                if (done++ == 0)
                    wizard_say(w, ST_NORMAL, "%s",
                               _("Done before it stopped (left as is):"));
                wizard_say(w, ST_NORMAL, "  %s %s", a->term.g.yes,
                           plan_step_text(p, i));
            }
        if (done == 0)
            wizard_say(w, ST_NORMAL, "%s", _("Nothing was changed."));
        return;
    }
    const struct kv_vault *v = plan_result_vault(p);
    if (create)
        wizard_say(w, ST_OK, _("%s Created vault %s in %s (%s)."),
                   a->term.g.yes, wv->name,
                   wv_group(wv) ? wv_group(wv)->name : wv->new_group,
                   wv->location);
    else
        wizard_say(w, ST_OK, _("%s Recovered vault %s, with its secrets."),
                   a->term.g.yes, wv->name);
    if (v != NULL && v->vault_uri != NULL)
        wizard_say(w, ST_NORMAL, _("Its address: %s"), v->vault_uri);
    if (create && !wv->policies && wv->no_assign)
        wizard_say(w, ST_WARNING, "%s",
                   _("No role was given to you: reading or writing its "
                     "secrets needs one (Key Vault Secrets Officer)."));
    if (create && (wv->private_only || wv->deny))
        wizard_say(w, ST_WARNING, "%s",
                   _("It is closed to the internet: kvdeck may not reach "
                     "its secrets from here."));
    wizard_say(w, ST_NORMAL, "%s", "");
    wizard_say(w, ST_NORMAL, "%s",
               _("Enter closes this; its secrets pane is open, and n there "
                 "adds the first secret."));
    wv_open(a, wv);
}

static int64_t
wv_tick(struct app *a, struct wizard *w, int64_t now)
{
    return wv_name_tick(a, wizard_priv(w), now);
}

static void
wv_free(void *priv)
{
    struct wvault *wv = priv;
    if (wv->check_job != 0)
        engine_cancel(wv->a->eng, wv->check_job);
    vec_free_all(&wv->sub_ids, free);
    free(wv->name);
    free(wv->sub_id);
    free(wv->seen);
    kv_name_check_free(wv->check);
    free(wv->check_error);
    free(wv->lists_sub);
    vec_free_all(&wv->groups, wv_group_free);
    vec_free_all(&wv->locations, wv_location_free);
    free(wv->groups_error);
    free(wv->locations_error);
    free(wv->new_group);
    vec_free_all(&wv->region_order, free);
    free(wv->location);
    free(wv->group_location);
    free(wv->retention);
    free(wv->tags);
    free(wv);
}

static const struct wizard_ops vault_ops = {
    .name = "vault",
    .pages = WV_PAGES,
    .page = wv_page,
    .next = wv_next,
    .plan = wv_plan,
    .end = wv_end,
    .on_result = wv_on_result,
    .loading = wv_loading,
    .tick = wv_tick,
    .free = wv_free,
};

void
wizard_vault_new(struct app *a)
{
    if (app_refuse_read_only(a))
        return;
    if (a->store->subs.len == 0) {
        app_message(a, true, "%s",
                    _("no subscription is listed: a vault needs one"));
        return;
    }
    struct wvault *wv = xcalloc(1, sizeof *wv);
    wv->a = a;
    vec_init(&wv->sub_ids);
    vec_init(&wv->groups);
    vec_init(&wv->locations);
    vec_init(&wv->region_order);
    /* the context's subscription, else the vault under the cursor's */
    const char *want = a->ctx_sub != NULL ? a->ctx_sub->sub->subscription_id
                       : a->vault != NULL ? a->vault->vault->subscription_id
                                          : NULL;
    for (size_t i = 0; i < a->store->subs.len; i++) {
        struct store_sub *s = a->store->subs.items[i];
        if (want != NULL && str_ieq(want, s->sub->subscription_id))
            wv->sub_choice = i;
        vec_push(&wv->sub_ids, xstrdup(s->sub->subscription_id));
    }
    wv->w = wizard_push(a, &vault_ops, wv, _("New vault"));
}
