/*
 * wizard-vault-pages.c — the create-a-vault wizard's pages after the
 * name (wizard-vault-int.h): the resource group (one of the
 * subscription's, or a new one by name), the regions (the group's first;
 * a new group's own; typed when they cannot be listed) and the SKU, the
 * permission model with "assign me Key Vault Secrets Officer", the
 * soft-delete retention and purge protection, then the network and the
 * tags. Each page builds its form from what was chosen before (so Back
 * and Next keep the choices) and keeps its fields when it is left.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/wizard-value.h"
#include "tui/wizard-vault-int.h"

#define WV_RETENTION_DEFAULT "90"

/* ---- page 1: the resource group ---------------------------------------- */

static const char *
wv_check_group(const char *text, void *ctx)
{
    (void)ctx;
    return *text == '\0' ? NULL : plan_check_group_name(text);
}

struct form *
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

bool
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

const struct kv_group *
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

struct form *
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

bool
wv_region_next(struct app *a, struct wvault *wv, struct form *f)
{
    (void)a;
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

struct form *
wv_access_page(struct app *a, struct wvault *wv)
{
    struct form *f = form_new();
    char oid[64], tenant[64], type[32];
    struct engine_identity id;
    char *t;
    bool known = wv_identity(a, oid, tenant, type, sizeof oid) &&
                 engine_identity(a->eng, &id);
    if (known && id.display[0] != '\0' && strcmp(id.display, oid) != 0)
        /* the object id too: the review's role step names it */
        t = xasprintf(_("You are %s (object id %s). With Azure RBAC you "
                        "read and write secrets through a role; with access "
                        "policies through a policy, which you get in the "
                        "vault."),
                      id.display, oid);
    else if (known)
        t = xasprintf(_("You are %s. With Azure RBAC you read and write "
                        "secrets through a role; with access policies "
                        "through a policy, which you get in the vault."),
                      oid);
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

bool
wv_access_next(struct app *a, struct wvault *wv, struct form *f)
{
    (void)a;
    wv->policies = form_choice(f, wv->f_model) == 1;
    wv->no_assign = !form_checked(f, wv->f_assign);
    free(wv->retention);
    wv->retention = xstrdup(form_text(f, wv->f_retention));
    wv->purge_protection = form_checked(f, wv->f_purge);
    return true;
}

/* ---- page 4: network and tags ------------------------------------------ */

struct form *
wv_network_page(struct app *a, struct wvault *wv)
{
    (void)a;
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

bool
wv_network_next(struct app *a, struct wvault *wv, struct form *f)
{
    (void)a;
    wv->private_only = form_choice(f, wv->f_public) == 1;
    wv->deny = form_choice(f, wv->f_deny) == 1;
    free(wv->tags);
    wv->tags = xstrdup(form_text(f, wv->f_tags));
    return true;
}
