/*
 * plan-vault.c — building the vault plans (see plan.h): create a vault
 * (with its group, its role assignment and the wait for its data plane),
 * recover, delete, purge, edit tags, turn purge protection on. Pure: the
 * steps carry the ARM id, api-version and JSON body they will send
 * (never a value: there are none here); plan-vault-ops.c sends them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/http.h"
#include "azure/ops.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/plan-impl.h"

static const char *
nz(const char *s)
{
    return s != NULL ? s : "";
}

static bool
name_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '-';
}

static bool
letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

const char *
plan_check_vault_name(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n < 3 || n > 24)
        return _("a vault name has 3-24 characters");
    for (size_t i = 0; i < n; i++)
        if (!name_char(name[i]))
            return _("a vault name has only letters, digits and hyphens");
    if (!letter(name[0]))
        return _("a vault name starts with a letter");
    if (name[n - 1] == '-')
        return _("a vault name ends with a letter or a digit");
    if (strstr(name, "--") != NULL)
        return _("a vault name has no two hyphens in a row");
    return NULL;
}

const char *
plan_check_group_name(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n < 1 || n > 90)
        return _("a resource group name has 1-90 characters");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        /* Azure allows Unicode letters and digits too: bytes >= 0x80 */
        if (!(name_char((char)c) || c == '_' || c == '.' || c == '(' ||
              c == ')' || c >= 0x80))
            return _("a resource group name has only letters, digits and "
                     "_ - . ( )");
    }
    if (name[n - 1] == '.')
        return _("a resource group name does not end with a period");
    return NULL;
}

/* "/subscriptions/S/resourceGroups/G" */
static char *
group_id(const char *sub, const char *group)
{
    return xasprintf("/subscriptions/%s/resourceGroups/%s", nz(sub), nz(group));
}

/* "/subscriptions/S/resourceGroups/G/providers/Microsoft.KeyVault/vaults/N" */
static char *
vault_id(const char *sub, const char *group, const char *name)
{
    return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/"
                     "Microsoft.KeyVault/vaults/%s",
                     nz(sub), nz(group), nz(name));
}

/* A step writing to Resource Manager: id, api-version, body (taken). */
static struct plan_step *
add_arm(struct plan *p, const struct step_ops *ops, const char *id,
        const char *api, char *body, const char *text)
{
    struct plan_step *s = plan_add(p, ops, id, "%s", text);
    s->args.arm_id = xstrdup(id);
    s->args.api_version = xstrdup(api);
    s->args.body = body;
    return s;
}

/* The wait for the data plane (last step of create and recover);
 * access: the plan gives the principal a role or a policy; vid (or
 * NULL): the vault whose provisioning is waited for first, put (with
 * vid): the vault-create step, whose PUT a retry sends again when the
 * vault ended provisioningState Failed. */
static void
add_wait(struct plan *p, const char *name, const char *vault_uri, bool access,
         const char *vid, const struct plan_step *put)
{
    char *t = vid != NULL
                  ? xasprintf(_("Wait until %s is provisioned and answers "
                                "you on its data plane (a secret list "
                                "returns 200)"),
                              name)
                  : xasprintf(_("Wait until %s answers you on its data plane "
                                "(a secret list returns 200)"),
                              name);
    struct plan_step *s = plan_add(p, &step_vault_wait, vault_uri, "%s", t);
    s->args.vault_uri = vault_uri != NULL ? xstrdup(vault_uri) : NULL;
    s->args.name = xstrdup(name);
    s->args.expect_access = access;
    s->args.arm_id = vid != NULL ? xstrdup(vid) : NULL;
    if (vid != NULL && put != NULL) {
        s->args.api_version = xstrdup(put->args.api_version);
        s->args.body = xstrdup(put->args.body);
    }
    free(t);
}

/* "westeurope, standard, Azure RBAC, soft delete 90 days, ..." */
static char *
describe_vault(const struct vault_spec *s)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s, %s", nz(s->location),
               s->premium ? _("SKU premium") : _("SKU standard"));
    if (s->rbac)
        buf_printf(&b, ", %s", _("Azure RBAC"));
    else if (s->principal_id != NULL)
        buf_printf(&b, ", %s",
                   _("access policies (you get every secret permission)"));
    else
        buf_printf(&b, ", %s", _("access policies (none)"));
    buf_printf(&b, _(", soft delete %d days"),
               s->retention_days > 0 ? s->retention_days : 90);
    buf_printf(&b, ", %s",
               s->purge_protection ? _("purge protection on (for ever)")
                                   : _("purge protection off"));
    buf_printf(&b, ", %s",
               s->public_access ? _("public network access enabled")
                                : _("public network access disabled"));
    buf_printf(&b, _(" (default action %s)"),
               s->default_deny ? "Deny" : "Allow");
    if (s->tags != NULL && s->tags->n > 0)
        buf_printf(&b, _(", %zu tag(s)"), s->tags->n);
    return buf_steal(&b);
}

struct plan *
plan_vault_create(const struct vault_spec *s)
{
    char *t = xasprintf(_("Create vault %s in %s"), nz(s->name),
                        nz(s->resource_group));
    struct plan *p = plan_new("vault-create", t);
    free(t);
    char *gid = group_id(s->subscription_id, s->resource_group);
    char *vid = vault_id(s->subscription_id, s->resource_group, s->name);
    if (s->create_group) {
        const char *gl =
            s->group_location != NULL ? s->group_location : s->location;
        t = xasprintf(_("Create resource group %s in %s (kvdeck does not "
                        "remove it again if a later step fails)"),
                      nz(s->resource_group), nz(gl));
        add_arm(p, &step_group_create, gid, AZ_API_GROUPS,
                az_group_body(gl, NULL), t);
        free(t);
    }
    struct az_vault_props vp = {
        .location = s->location,
        .tenant_id = s->tenant_id,
        .premium = s->premium,
        .rbac = s->rbac,
        .retention_days = s->retention_days,
        .purge_protection = s->purge_protection,
        .public_access = s->public_access,
        .default_deny = s->default_deny,
        .tags = s->tags,
        .policy_object_id = s->rbac ? NULL : s->principal_id,
    };
    /* With a role to assign, it is assigned as soon as the vault exists
     * (Azure accepted the PUT): its propagation then overlaps the
     * vault's provisioning, and the wait step waits for both. */
    bool role = s->rbac && s->assign_role && s->principal_id != NULL;
    bool overlap = role && s->wait_data_plane;
    char *d = describe_vault(s);
    t = overlap ? xasprintf(_("Create vault %s in %s: %s"), nz(s->name),
                            nz(s->resource_group), d)
                : xasprintf(_("Create vault %s in %s: %s; wait until it is "
                              "provisioned"),
                            nz(s->name), nz(s->resource_group), d);
    struct plan_step *st = add_arm(p, &step_vault_create, vid, AZ_API_KEYVAULT,
                                   az_vault_body(&vp), t);
    st->args.name = xstrdup(nz(s->name));
    st->args.accepted_only = overlap;
    free(t);
    free(d);
    if (role) {
        char guid[37];
        az_http_uuid(guid);
        char *rid = xasprintf("%s/providers/Microsoft.Authorization/"
                              "roleAssignments/%s",
                              vid, guid);
        t = xasprintf(_("Assign you (%s) the role Key Vault Secrets Officer "
                        "on %s"),
                      s->principal_id, nz(s->name));
        add_arm(p, &step_role_assign, rid, AZ_API_AUTHORIZATION,
                az_role_assignment_body(vid, AZ_ROLE_SECRETS_OFFICER,
                                        s->principal_id, s->principal_type),
                t);
        free(t);
        free(rid);
    }
    if (s->wait_data_plane)
        add_wait(p, nz(s->name), s->vault_uri,
                 role || (!s->rbac && s->principal_id != NULL),
                 overlap ? vid : NULL, st);
    free(gid);
    free(vid);
    return p;
}

/* The body of a recover PUT for a vault in location of tenant. */
static char *
recover_body(const char *location, const char *tenant_id, const char *sku)
{
    struct az_vault_props vp = {
        .location = location,
        .tenant_id = tenant_id,
        .premium = sku != NULL && str_ieq(sku, "premium"),
        .recover = true,
    };
    return az_vault_body(&vp);
}

struct plan *
plan_vault_recover(const struct kv_deleted_vault *d, const char *tenant_id,
                   const char *vault_uri, bool wait_data_plane)
{
    char *t = xasprintf(_("Recover vault %s"), nz(d->name));
    struct plan *p = plan_new("vault-recover", t);
    free(t);
    char *vid = d->vault_id != NULL
                    ? xstrdup(d->vault_id)
                    : vault_id(d->subscription_id, d->resource_group, d->name);
    t = xasprintf(_("Recover the deleted vault %s into resource group %s "
                    "(%s); wait until it is provisioned"),
                  nz(d->name), nz(d->resource_group), nz(d->location));
    struct plan_step *s =
        add_arm(p, &step_vault_recover, vid, AZ_API_KEYVAULT,
                recover_body(d->location, tenant_id, NULL), t);
    s->args.name = xstrdup(nz(d->name));
    free(t);
    free(vid);
    if (wait_data_plane) /* whatever access it had; a role at its scope
                            went with the deletion */
        add_wait(p, nz(d->name), vault_uri, false, NULL, NULL);
    return p;
}

struct plan *
plan_vault_delete(const struct kv_vault *v)
{
    char *t = xasprintf(_("Delete vault %s"), nz(v->name));
    struct plan *p = plan_new("vault-delete", t);
    free(t);
    p->confirm_name = xstrdup(nz(v->name));
    int days = v->soft_delete_days > 0 ? v->soft_delete_days : 90;
    char day[32];
    time_format_iso(time_now() + (int64_t)days * 86400, day, sizeof day);
    t = v->purge_protection
            ? xasprintf(_("Delete vault %s in %s with its secrets; it can be "
                          "recovered for %d days (until about %.10s), and "
                          "purge protection forbids purging it before then"),
                        nz(v->name), nz(v->resource_group), days, day)
            : xasprintf(_("Delete vault %s in %s with its secrets; it can be "
                          "recovered for %d days (until about %.10s) unless "
                          "it is purged"),
                        nz(v->name), nz(v->resource_group), days, day);
    struct plan_step *s =
        add_arm(p, &step_vault_delete, v->id, AZ_API_KEYVAULT, NULL, t);
    s->args.name = xstrdup(nz(v->name));
    free(t);
    /* the undo: recover it where it was */
    s->undo_args.arm_id = xstrdup(nz(v->id));
    s->undo_args.api_version = xstrdup(AZ_API_KEYVAULT);
    s->undo_args.body = recover_body(v->location, v->tenant_id, v->sku);
    s->undo_args.name = xstrdup(nz(v->name));
    return p;
}

struct plan *
plan_vault_purge(const struct kv_deleted_vault *d, const char **why)
{
    if (d->purge_protection) {
        if (why != NULL)
            *why = _("purge protection is on: this vault cannot be purged "
                     "before its scheduled purge date; recover it, or choose "
                     "another name");
        return NULL;
    }
    char *t = xasprintf(_("Purge vault %s"), nz(d->name));
    struct plan *p = plan_new("vault-purge", t);
    free(t);
    p->confirm_name = xstrdup(nz(d->name));
    char *id =
        d->id != NULL
            ? xasprintf("%s/purge", d->id)
            : xasprintf("/subscriptions/%s/providers/Microsoft.KeyVault/"
                        "locations/%s/deletedVaults/%s/purge",
                        nz(d->subscription_id), nz(d->location), nz(d->name));
    t = xasprintf(_("Purge the deleted vault %s (%s) and its secrets for "
                    "ever; its name becomes free (this cannot be undone)"),
                  nz(d->name), nz(d->location));
    add_arm(p, &step_vault_purge, id, AZ_API_KEYVAULT, NULL, t);
    free(t);
    free(id);
    return p;
}

/* "k=v, k2=v2" */
static char *
tags_text(const struct kv_tags *t)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s", "");
    for (size_t i = 0; t != NULL && i < t->n; i++)
        buf_printf(&b, "%s%s=%s", i > 0 ? ", " : "", t->items[i].key,
                   nz(t->items[i].value));
    return buf_steal(&b);
}

struct plan *
plan_vault_tags(const struct kv_vault *v, const struct kv_tags *tags)
{
    char *t = xasprintf(_("Edit the tags of %s"), nz(v->name));
    struct plan *p = plan_new("vault-tags", t);
    free(t);
    char *tt = tags_text(tags);
    t = tags != NULL && tags->n > 0
            ? xasprintf(_("Replace the tags of %s with: %s"), nz(v->name), tt)
            : xasprintf(_("Remove every tag of %s"), nz(v->name));
    struct plan_step *s = add_arm(p, &step_vault_update, v->id, AZ_API_KEYVAULT,
                                  az_tags_body(tags), t);
    free(t);
    free(tt);
    s->undo_args.arm_id = xstrdup(nz(v->id));
    s->undo_args.api_version = xstrdup(AZ_API_KEYVAULT);
    s->undo_args.body = az_tags_body(&v->tags);
    s->undo_args.name = xstrdup(nz(v->name));
    return p;
}

struct plan *
plan_vault_purge_protection(const struct kv_vault *v)
{
    char *t = xasprintf(_("Turn on purge protection for %s"), nz(v->name));
    struct plan *p = plan_new("vault-purge-protection", t);
    free(t);
    p->confirm_name = xstrdup(nz(v->name));
    int days = v->soft_delete_days > 0 ? v->soft_delete_days : 90;
    t = xasprintf(_("Turn on purge protection for %s: once deleted, it and "
                    "its secrets cannot be purged until their %d days of "
                    "retention have passed (this can never be turned off)"),
                  nz(v->name), days);
    add_arm(p, &step_vault_update, v->id, AZ_API_KEYVAULT,
            az_purge_protection_body(), t);
    free(t);
    return p;
}

const struct kv_vault *
plan_result_vault(const struct plan *p)
{
    return p != NULL ? p->vault : NULL;
}
