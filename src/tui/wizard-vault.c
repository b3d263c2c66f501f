/*
 * wizard-vault.c — the create-a-vault wizard on the wizard host
 * (wizard.h): the name and subscription (wizard-vault-name.c), the
 * resource group (an existing one, JOB_LIST_GROUPS, or a new one), the
 * regions (JOB_LIST_LOCATIONS, the group's first) and the SKU, the
 * permission model with the role for the signed-in principal, the
 * soft-delete retention and purge protection, then the network and the
 * tags. The review is the create plan (plan_vault_create()); it runs on
 * the progress screen, whose data-plane step says what it waits for.
 * At the end the console opens the new vault's secrets.
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

#define WV_RETENTION_DEFAULT "90"

bool
wv_identity(struct app *a, char *oid, char *tenant, char *type, size_t n)
{
    struct engine_identity id;
    *oid = *tenant = *type = '\0';
    if (!engine_identity(a->eng, &id) || id.object_id[0] == '\0')
        return false;
    snprintf(oid, n, "%s", id.object_id);
    snprintf(tenant, n, "%s", id.tenant_id);
    snprintf(type, n, "%s",
             str_eq(id.kind, "app") ? "ServicePrincipal" : "User");
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

/* ---- page 1: the resource group ---------------------------------------- */

static const char *
wv_check_group(const char *text, void *ctx)
{
    (void)ctx;
    return *text == '\0' ? NULL : plan_check_group_name(text);
}

static struct form *
wv_group_page(struct app *a, struct wvault *wv)
{
    if (!wv->groups_done)
        return NULL;
    struct form *f = form_new();
    struct store_sub *sub = store_find_sub(a->store, wv->sub_id);
    char *t = xasprintf(_("Vault %s in %s. Its resource group holds it: "
                          "an existing one, or a new one."),
                        wv->name,
                        sub && sub->sub->display_name ? sub->sub->display_name
                                                      : wv->sub_id);
    form_add_info(f, t);
    free(t);
    if (wv->groups_error != NULL) {
        t = xasprintf(_("Could not list the groups (%s): only a new one can "
                        "be chosen."),
                      wv->groups_error);
        form_add_info(f, t);
        free(t);
    }
    size_t n = wv->groups.len;
    char **labels = xcalloc(n + 1, sizeof *labels);
    size_t initial = n; /* a new group, unless one fits */
    for (size_t i = 0; i < n; i++) {
        const struct kv_group *g = wv->groups.items[i];
        labels[i] =
            xasprintf("%s (%s)", g->name, g->location ? g->location : "?");
        if (a->ctx_group != NULL && str_ieq(a->ctx_group, g->name))
            initial = i;
    }
    labels[n] = xstrdup(_("a new group…"));
    if (wv->group_choice > 0 || wv->new_group != NULL)
        initial = wv->group_choice <= n ? wv->group_choice : n;
    else if (initial == n && n > 0)
        initial = 0;
    wv->f_group = form_add_choice(f, _("Resource group"),
                                  (const char *const *)labels, n + 1, initial);
    for (size_t i = 0; i <= n; i++)
        free(labels[i]);
    free(labels);
    char *def = wv->new_group != NULL ? xstrdup(wv->new_group)
                                      : xasprintf("rg-%s", wv->name);
    wv->f_new_group =
        form_add_text(f, _("New group"), def, 90, wv_check_group, NULL);
    free(def);
    form_set_hint(f, wv->f_new_group,
                  _("its name, when \"a new group\" is chosen above"));
    return f;
}

static bool
wv_group_next(struct app *a, struct wvault *wv, struct form *f)
{
    (void)a;
    wv->group_choice = form_choice(f, wv->f_group);
    free(wv->new_group);
    wv->new_group = xstrdup(form_text(f, wv->f_new_group));
    if (wv->group_choice < wv->groups.len)
        return true;
    const char *bad = plan_check_group_name(wv->new_group);
    if (bad != NULL) {
        form_set_error(f, wv->f_new_group, bad);
        form_focus(f, wv->f_new_group);
        return false;
    }
    for (size_t i = 0; i < wv->groups.len; i++)
        if (str_ieq(((struct kv_group *)wv->groups.items[i])->name,
                    wv->new_group)) {
            form_set_error(f, wv->f_new_group,
                           _("this group exists: choose it in the list"));
            return false;
        }
    return true;
}

/* ---- page 2: regions and SKU ------------------------------------------- */

static const struct kv_group *
wv_group(const struct wvault *wv)
{
    return wv->group_choice < wv->groups.len
               ? wv->groups.items[wv->group_choice]
               : NULL;
}

static const char *
wv_check_region(const char *text, void *ctx)
{
    (void)ctx;
    for (const char *p = text; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return _("a region's name: lower-case letters and digits");
    return *text == '\0' ? _("a region's name, e.g. westeurope") : NULL;
}

/* The regions could not be listed: their names are typed instead. */
static struct form *
wv_region_typed(struct wvault *wv)
{
    struct form *f = form_new();
    char *t =
        xasprintf(_("Could not list the regions (%s): type their "
                    "names."),
                  wv->locations_error ? wv->locations_error : _("none given"));
    form_add_info(f, t);
    free(t);
    wv->regions_typed = true;
    wv->f_group_region = (size_t)-1;
    if (wv_group(wv) == NULL)
        wv->f_group_region =
            form_add_text(f, _("Group region"), wv->group_location, 64,
                          wv_check_region, NULL);
    wv->f_region = form_add_text(f, _("Vault region"), wv->location, 64,
                                 wv_check_region, NULL);
    return f;
}

static struct form *
wv_region_page(struct app *a, struct wvault *wv)
{
    if (!wv->locations_done)
        return NULL;
    wv->regions_typed = false;
    struct form *tf = wv->locations.len == 0 ? wv_region_typed(wv) : NULL;
    if (tf != NULL) {
        const char *skus[] = {_("standard"), _("premium (keys in HSMs)")};
        wv->f_sku = form_add_choice(tf, _("SKU"), skus, 2, wv->premium ? 1 : 0);
        return tf;
    }
    const struct kv_group *g = wv_group(wv);
    /* the group's region first, then the rest as Azure sorted them */
    vec_free_all(&wv->region_order, free);
    const char *first = g != NULL ? g->location : NULL;
    if (first == NULL && a->vault != NULL)
        first = a->vault->vault->location; /* the vault open now */
    size_t n = wv->locations.len;
    char **labels = xcalloc(n, sizeof *labels);
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            const struct kv_location *l = wv->locations.items[i];
            bool is_first = first != NULL && str_ieq(l->name, first);
            if (is_first != (pass == 0) || k >= n)
                continue;
            vec_push(&wv->region_order, xstrdup(l->name));
            labels[k++] =
                xasprintf("%s (%s)",
                          l->display_name ? l->display_name : l->name, l->name);
        }
    size_t initial = 0;
    for (size_t i = 0; i < k && wv->location != NULL; i++)
        if (str_ieq(wv->region_order.items[i], wv->location))
            initial = i;
    struct form *f = form_new();
    wv->f_group_region = (size_t)-1;
    if (g == NULL) {
        char *t = xasprintf(_("The new group %s needs a region too (where "
                              "its metadata lives)."),
                            wv->new_group);
        form_add_info(f, t);
        free(t);
        size_t gi = initial;
        for (size_t i = 0; i < k && wv->group_location != NULL; i++)
            if (str_ieq(wv->region_order.items[i], wv->group_location))
                gi = i;
        wv->f_group_region = form_add_choice(
            f, _("Group region"), (const char *const *)labels, k, gi);
    } else {
        char *t = xasprintf(_("The vault's region: %s's (%s) comes first."),
                            g->name, g->location ? g->location : "?");
        form_add_info(f, t);
        free(t);
    }
    wv->f_region = form_add_choice(f, _("Vault region"),
                                   (const char *const *)labels, k, initial);
    for (size_t i = 0; i < k; i++)
        free(labels[i]);
    free(labels);
    const char *skus[] = {_("standard"), _("premium (keys in HSMs)")};
    wv->f_sku = form_add_choice(f, _("SKU"), skus, 2, wv->premium ? 1 : 0);
    form_set_hint(f, wv->f_sku, _("secrets work the same in both"));
    return f;
}

static bool
wv_region_next(struct wvault *wv, struct form *f)
{
    if (wv->regions_typed) {
        free(wv->location);
        wv->location = xstrdup(form_text(f, wv->f_region));
        free(wv->group_location);
        wv->group_location = wv->f_group_region != (size_t)-1
                                 ? xstrdup(form_text(f, wv->f_group_region))
                                 : NULL;
        wv->premium = form_choice(f, wv->f_sku) == 1;
        return true;
    }
    size_t r = form_choice(f, wv->f_region);
    free(wv->location);
    wv->location = xstrdup(r < wv->region_order.len
                               ? (const char *)wv->region_order.items[r]
                               : "");
    free(wv->group_location);
    wv->group_location = NULL;
    if (wv->f_group_region != (size_t)-1) {
        size_t g = form_choice(f, wv->f_group_region);
        wv->group_location = xstrdup(
            g < wv->region_order.len ? (const char *)wv->region_order.items[g]
                                     : wv->location);
    }
    wv->premium = form_choice(f, wv->f_sku) == 1;
    return true;
}

/* ---- page 3: access and deletion --------------------------------------- */

static const char *
wv_check_retention(const char *text, void *ctx)
{
    (void)ctx;
    char *end;
    long d = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || d < 7 || d > 90)
        return _("7 to 90 days");
    return NULL;
}

static struct form *
wv_access_page(struct app *a, struct wvault *wv)
{
    struct form *f = form_new();
    char oid[64], tenant[64], type[32];
    struct engine_identity id;
    char *t;
    if (wv_identity(a, oid, tenant, type, sizeof oid) &&
        engine_identity(a->eng, &id))
        t = xasprintf(_("You are %s. With Azure RBAC you read and write "
                        "secrets through a role; with access policies "
                        "through a policy, which you get in the vault."),
                      id.display[0] ? id.display : oid);
    else
        t = xstrdup(_("kvdeck does not know yet who is signed in: no role "
                      "or policy will be given to you."));
    form_add_info(f, t);
    free(t);
    const char *models[] = {_("Azure RBAC (recommended)"),
                            _("access policies")};
    wv->f_model =
        form_add_choice(f, _("Permissions"), models, 2, wv->policies ? 1 : 0);
    form_set_hint(f, wv->f_model,
                  _("policies: you get every secret permission"));
    wv->f_assign = form_add_check(f, _("Assign me"), !wv->no_assign);
    form_set_hint(f, wv->f_assign,
                  _("Key Vault Secrets Officer on the vault (RBAC); without "
                    "it you cannot read or write its secrets"));
    wv->f_retention =
        form_add_text(f, _("Keep deleted"),
                      wv->retention ? wv->retention : WV_RETENTION_DEFAULT, 2,
                      wv_check_retention, NULL);
    form_set_hint(f, wv->f_retention,
                  _("days a deleted secret (or the vault) can be recovered: "
                    "7-90"));
    wv->f_purge =
        form_add_check(f, _("Purge protection"), wv->purge_protection);
    form_set_hint(f, wv->f_purge,
                  _("nobody can purge before the days are over; once on, it "
                    "can never be turned off"));
    return f;
}

static bool
wv_access_next(struct wvault *wv, struct form *f)
{
    wv->policies = form_choice(f, wv->f_model) == 1;
    wv->no_assign = !form_checked(f, wv->f_assign);
    free(wv->retention);
    wv->retention = xstrdup(form_text(f, wv->f_retention));
    wv->purge_protection = form_checked(f, wv->f_purge);
    return true;
}

/* ---- page 4: network and tags ------------------------------------------ */

static struct form *
wv_network_page(struct wvault *wv)
{
    struct form *f = form_new();
    const char *pub[] = {_("enabled"), _("disabled (private endpoints)")};
    wv->f_public = form_add_choice(f, _("Public access"), pub, 2,
                                   wv->private_only ? 1 : 0);
    const char *act[] = {_("allow"), _("deny (listed networks only)")};
    wv->f_deny =
        form_add_choice(f, _("Default action"), act, 2, wv->deny ? 1 : 0);
    form_set_hint(f, wv->f_deny,
                  _("for callers from the internet; deny also keeps kvdeck "
                    "out unless its address is listed"));
    wv->f_tags =
        form_add_text(f, _("Tags"), wv->tags, 4096, wizard_check_tags, NULL);
    form_set_hint(f, wv->f_tags, _("key=value, key=value"));
    return f;
}

/* ---- the host's ops ------------------------------------------------------ */

static struct form *
wv_page(struct app *a, struct wizard *w, int i)
{
    struct wvault *wv = wizard_priv(w);
    switch (i) {
    case WV_PAGE_NAME:
        return wv_name_page(a, wv);
    case WV_PAGE_GROUP:
        return wv_group_page(a, wv);
    case WV_PAGE_REGION:
        return wv_region_page(a, wv);
    case WV_PAGE_ACCESS:
        return wv_access_page(a, wv);
    default:
        return wv_network_page(wv);
    }
}

static bool
wv_next(struct app *a, struct wizard *w, int i, struct form *f)
{
    struct wvault *wv = wizard_priv(w);
    switch (i) {
    case WV_PAGE_NAME:
        if (!wv_name_next(a, wv, f))
            return false;
        wv_load_lists(a, wv, wv->sub_id);
        return true;
    case WV_PAGE_GROUP:
        return wv_group_next(a, wv, f);
    case WV_PAGE_REGION:
        return wv_region_next(wv, f);
    case WV_PAGE_ACCESS:
        return wv_access_next(wv, f);
    default:
        wv->private_only = form_choice(f, wv->f_public) == 1;
        wv->deny = form_choice(f, wv->f_deny) == 1;
        free(wv->tags);
        wv->tags = xstrdup(form_text(f, wv->f_tags));
        return true;
    }
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
