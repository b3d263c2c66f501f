/*
 * test-plan-vault.c — the vault plans as data, without a network: vault
 * and resource group names as Azure accepts them; the create plan's
 * steps in order (group, vault, role, wait) with what each sends (the
 * vault body: RBAC or the principal's access policy, retention, purge
 * protection only when on, network defaults, tags; the role assignment's
 * role definition and principal); recover's createMode; delete's typed
 * confirmation, its sentence about recovery and purge protection and its
 * undo (recover); purge refused under purge protection; tags with their
 * undo; purge protection irreversible; the decoders of the new model
 * structs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/str.h"
#include "engine/plan-impl.h"
#include "engine/plan.h"
#include "tests/tap.h"

#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

#define SUB "00000000-0000-0000-0000-00000000aaaa"
#define TEN "11111111-1111-1111-1111-111111111111"
#define OBJ "22222222-2222-2222-2222-222222222222"
#define VID                                                                    \
    "/subscriptions/" SUB "/resourceGroups/rg-app/providers/"                  \
    "Microsoft.KeyVault/vaults/kv-new-app"

static void
test_names(void)
{
    static const char *const good[] = {"kv1", "kv-new-app", "Abc",
                                       "a23456789012345678901234"};
    static const char *const bad[] = {
        NULL,   "",       "ab",
        "1kv",  "kv-",    "k--v",
        "k_v1", "kv.app", "a234567890123456789012345"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ok(plan_check_vault_name(good[i]) == NULL, "vault name %s is valid",
           good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ok(plan_check_vault_name(bad[i]) != NULL, "vault name %s: %s",
           bad[i] ? bad[i] : "(null)",
           plan_check_vault_name(bad[i]) ? plan_check_vault_name(bad[i])
                                         : "accepted");
    ok(strstr(plan_check_vault_name("k--v"), "two hyphens") != NULL,
       "-- is said as such");
    ok(strstr(plan_check_vault_name("1kv"), "starts with a letter") != NULL,
       "a leading digit is said as such");
    ok(plan_check_group_name("rg-app_1.(x)") == NULL, "group rg-app_1.(x)");
    ok(plan_check_group_name("rg") == NULL &&
           plan_check_group_name("r") == NULL,
       "short group names");
    ok(plan_check_group_name("rg.") != NULL, "a group does not end in '.'");
    ok(plan_check_group_name("rg/x") != NULL, "no '/' in a group");
    ok(plan_check_group_name("") != NULL, "no empty group");
    char long_name[92];
    memset(long_name, 'g', 91);
    long_name[91] = '\0';
    ok(plan_check_group_name(long_name) != NULL, "91 characters is too long");
    long_name[90] = '\0';
    ok(plan_check_group_name(long_name) == NULL, "90 is fine");
}

/* The step's JSON body, parsed (caller deletes). */
static cJSON *
body(const struct plan *p, size_t i)
{
    struct plan_step *s = plan_step_at(p, i);
    return s->args.body != NULL ? cJSON_Parse(s->args.body) : NULL;
}

static void
test_create(void)
{
    struct kv_tag tg[] = {{"env", "prod"}, {"owner", "ops"}};
    struct kv_tags tags = {.n = 2, .items = tg};
    struct vault_spec s = {
        .subscription_id = SUB,
        .resource_group = "rg-app",
        .name = "kv-new-app",
        .location = "westeurope",
        .create_group = true,
        .group_location = "northeurope",
        .rbac = true,
        .retention_days = 30,
        .public_access = true,
        .tags = &tags,
        .tenant_id = TEN,
        .principal_id = OBJ,
        .principal_type = "User",
        .assign_role = true,
        .wait_data_plane = true,
        .vault_uri = "https://kv-new-app.vault.azure.net",
    };
    struct plan *p = plan_vault_create(&s);
    is_str(plan_kind(p), "vault-create", "kind");
    is_str(plan_title(p), "Create vault kv-new-app in rg-app", "title");
    ok(plan_confirm_name(p) == NULL, "creating asks for no typed name");
    is_int(plan_steps(p), 4, "group, vault, role, wait");
    is_str(plan_step_op(p, 0), "group-create", "1: the group");
    is_str(plan_step_op(p, 1), "vault-create", "2: the vault");
    is_str(plan_step_op(p, 2), "role-assign", "3: the role");
    is_str(plan_step_op(p, 3), "vault-wait", "4: the wait");
    ok(plan_step_writes(p, 0) && plan_step_writes(p, 1) &&
           plan_step_writes(p, 2) && !plan_step_writes(p, 3),
       "three writes, then a read");
    is_str(plan_step_target(p, 0),
           "/subscriptions/" SUB "/resourceGroups/rg-app", "the group's id");
    ok(strstr(plan_step_text(p, 0), "rg-app in northeurope") != NULL,
       "the group in its own region: %s", plan_step_text(p, 0));
    cJSON *g = body(p, 0);
    is_str(json_str(g, "location"), "northeurope", "group body: location");
    cJSON_Delete(g);
    is_str(plan_step_target(p, 1), VID, "the vault's id");
    const char *t = plan_step_text(p, 1);
    ok(strstr(t, "westeurope, SKU standard, Azure RBAC, soft delete 30 days, "
                 "purge protection off, public network access enabled "
                 "(default action Allow), 2 tag(s)") != NULL,
       "the vault's sentence: %s", t);
    cJSON *v = body(p, 1);
    is_str(json_str(v, "location"), "westeurope", "vault body: location");
    is_str(json_str(v, "properties.tenantId"), TEN, "tenantId");
    is_str(json_str(v, "properties.sku.name"), "standard", "sku");
    ok(json_bool(v, "properties.enableRbacAuthorization", false), "RBAC");
    is_int(json_int(v, "properties.softDeleteRetentionInDays", 0), 30,
           "retention");
    ok(json_at(v, "properties.enablePurgeProtection") == NULL,
       "purge protection off is not sent (Azure refuses false)");
    is_str(json_str(v, "properties.publicNetworkAccess"), "Enabled",
           "public access");
    is_str(json_str(v, "properties.networkAcls.defaultAction"), "Allow",
           "default action");
    is_int(json_array_len(v, "properties.accessPolicies"), 0,
           "RBAC: no access policy");
    is_str(json_str(v, "tags.owner"), "ops", "tags");
    ok(json_at(v, "properties.createMode") == NULL, "no createMode");
    cJSON_Delete(v);
    const char *rt = plan_step_target(p, 2);
    ok(str_starts(rt, VID "/providers/Microsoft.Authorization/"
                          "roleAssignments/") &&
           strlen(rt) == strlen(VID "/providers/Microsoft.Authorization/"
                                    "roleAssignments/") +
                             36,
       "the role assignment: a new GUID below the vault (%s)", rt);
    ok(strstr(plan_step_text(p, 2), "Key Vault Secrets Officer") != NULL,
       "the role is named");
    cJSON *r = body(p, 2);
    is_str(json_str(r, "properties.roleDefinitionId"),
           "/subscriptions/" SUB "/providers/Microsoft.Authorization/"
           "roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
           "Secrets Officer's role definition id");
    is_str(json_str(r, "properties.principalId"), OBJ, "principalId");
    is_str(json_str(r, "properties.principalType"), "User", "principalType");
    cJSON_Delete(r);
    is_str(plan_step_target(p, 3), "https://kv-new-app.vault.azure.net",
           "the wait's data plane");
    ok(plan_step_at(p, 3)->args.expect_access,
       "the role is given: a 403 while waiting is propagation");
    ok(plan_result_vault(p) == NULL, "no result before it ran");
    ok(!plan_step_has_undo(p, 0), "a new group has no automatic undo");
    ok(plan_step_has_undo(p, 1) && plan_step_has_undo(p, 2),
       "the vault (delete) and the role (remove) have one");
    plan_free(p);

    /* access policies, premium, purge protection, private, no group */
    s.create_group = false;
    s.rbac = false;
    s.premium = true;
    s.purge_protection = true;
    s.public_access = false;
    s.default_deny = true;
    s.retention_days = 0;
    s.tags = NULL;
    p = plan_vault_create(&s);
    is_int(plan_steps(p), 2, "access policies: vault, wait (no role)");
    ok(plan_step_at(p, 1)->args.expect_access,
       "the policy is given: a 403 while waiting is propagation");
    is_str(plan_step_op(p, 0), "vault-create", "the vault first");
    t = plan_step_text(p, 0);
    ok(strstr(t,
              "premium, access policies (you get every secret "
              "permission), soft delete 90 days, purge protection on") != NULL,
       "the sentence: %s", t);
    v = body(p, 0);
    ok(!json_bool(v, "properties.enableRbacAuthorization", true), "no RBAC");
    ok(json_bool(v, "properties.enablePurgeProtection", false),
       "purge protection sent");
    ok(json_at(v, "properties.softDeleteRetentionInDays") == NULL,
       "0 days: Azure's default (90)");
    is_str(json_str(v, "properties.publicNetworkAccess"), "Disabled",
           "private");
    is_str(json_str(v, "properties.networkAcls.defaultAction"), "Deny", "deny");
    is_str(json_str(v, "properties.sku.name"), "premium", "premium");
    const cJSON *pol =
        cJSON_GetArrayItem(json_at(v, "properties.accessPolicies"), 0);
    is_str(json_str(pol, "objectId"), OBJ, "the policy is the principal's");
    is_str(json_str(pol, "tenantId"), TEN, "in the tenant");
    char *perms = cJSON_PrintUnformatted(json_at(pol, "permissions.secrets"));
    is_str(perms,
           "[\"get\",\"list\",\"set\",\"delete\",\"recover\",\"backup\","
           "\"restore\",\"purge\"]",
           "every secret permission");
    free(perms);
    cJSON_Delete(v);
    plan_free(p);

    /* RBAC without the role: a 403 will stay */
    s.rbac = true;
    s.assign_role = false;
    p = plan_vault_create(&s);
    ok(plan_steps(p) == 2 && !plan_step_at(p, 1)->args.expect_access,
       "RBAC without the role: the wait expects no access");
    plan_free(p);
    /* without waiting */
    s.wait_data_plane = false;
    p = plan_vault_create(&s);
    is_int(plan_steps(p), 1, "the vault alone");
    plan_free(p);
    s.assign_role = true;
    s.principal_id = NULL;
    p = plan_vault_create(&s);
    is_int(plan_steps(p), 1, "no principal: no role step");
    plan_free(p);
}

static void
test_life(void)
{
    struct kv_deleted_vault d = {
        .id = "/subscriptions/" SUB "/providers/Microsoft.KeyVault/locations/"
              "westeurope/deletedVaults/kv-old",
        .name = "kv-old",
        .subscription_id = SUB,
        .location = "westeurope",
        .vault_id = "/subscriptions/" SUB "/resourceGroups/rg-old/providers/"
                    "Microsoft.KeyVault/vaults/kv-old",
        .resource_group = "rg-old",
    };
    struct plan *p =
        plan_vault_recover(&d, TEN, "https://kv-old.vault.azure.net", true);
    is_str(plan_kind(p), "vault-recover", "recover: kind");
    is_int(plan_steps(p), 2, "recover, wait");
    is_str(plan_step_op(p, 0), "vault-recover", "the PUT");
    is_str(plan_step_target(p, 0), d.vault_id, "into its former id");
    ok(strstr(plan_step_text(p, 0), "rg-old (westeurope)") != NULL,
       "its group and region: %s", plan_step_text(p, 0));
    cJSON *b = body(p, 0);
    is_str(json_str(b, "properties.createMode"), "recover", "createMode");
    is_str(json_str(b, "location"), "westeurope", "its location");
    is_str(json_str(b, "properties.tenantId"), TEN, "tenantId");
    cJSON_Delete(b);
    is_str(plan_step_op(p, 1), "vault-wait", "then the wait");
    ok(!plan_step_at(p, 1)->args.expect_access,
       "a recovered vault's access is not the plan's doing");
    plan_free(p);

    const char *why = NULL;
    p = plan_vault_purge(&d, &why);
    ok(p != NULL && why == NULL, "purge without purge protection");
    is_str(plan_confirm_name(p), "kv-old", "purge: typed");
    is_str(plan_step_target(p, 0),
           "/subscriptions/" SUB "/providers/Microsoft.KeyVault/locations/"
           "westeurope/deletedVaults/kv-old/purge",
           "POST .../deletedVaults/kv-old/purge");
    ok(!plan_step_has_undo(p, 0), "a purge has no undo");
    ok(strstr(plan_step_text(p, 0), "cannot be undone") != NULL, "and says so");
    plan_free(p);
    d.purge_protection = true;
    p = plan_vault_purge(&d, &why);
    ok(p == NULL && why != NULL && strstr(why, "purge protection") != NULL,
       "purge protection: refused (%s)", why ? why : "no reason");

    struct kv_tag tg[] = {{"env", "dev"}};
    struct kv_vault v = {
        .id = VID,
        .name = "kv-new-app",
        .resource_group = "rg-app",
        .location = "westeurope",
        .tenant_id = TEN,
        .soft_delete_days = 7,
        .tags = {.n = 1, .items = tg},
    };
    p = plan_vault_delete(&v);
    is_str(plan_confirm_name(p), "kv-new-app", "delete: typed");
    ok(strstr(plan_step_text(p, 0), "recovered for 7 days") != NULL &&
           strstr(plan_step_text(p, 0), "unless it is purged") != NULL,
       "delete says how long it stays recoverable: %s", plan_step_text(p, 0));
    ok(plan_step_has_undo(p, 0), "delete's undo: recover");
    struct plan_step *u = plan_step_at(p, 0)->ops->undo(p, plan_step_at(p, 0));
    is_str(u->ops->op, "vault-recover", "the undo recovers");
    b = cJSON_Parse(u->args.body);
    is_str(json_str(b, "properties.createMode"), "recover", "with createMode");
    cJSON_Delete(b);
    plan_step_free(u);
    plan_free(p);
    v.purge_protection = true;
    p = plan_vault_delete(&v);
    ok(strstr(plan_step_text(p, 0), "purge protection forbids purging") != NULL,
       "and that purge protection forbids purging");
    plan_free(p);

    struct kv_tag nt[] = {{"env", "prod"}, {"team", "ai"}};
    struct kv_tags ntags = {.n = 2, .items = nt};
    p = plan_vault_tags(&v, &ntags);
    is_str(plan_step_op(p, 0), "vault-update", "tags: a PATCH");
    ok(strstr(plan_step_text(p, 0), "env=prod, team=ai") != NULL,
       "the new tags are listed");
    ok(plan_confirm_name(p) == NULL, "tags: not typed");
    b = body(p, 0);
    is_str(json_str(b, "tags.team"), "ai", "the body replaces the tags");
    cJSON_Delete(b);
    u = plan_step_at(p, 0)->ops->undo(p, plan_step_at(p, 0));
    b = cJSON_Parse(u->args.body);
    is_str(json_str(b, "tags.env"), "dev", "the undo restores the old tags");
    ok(json_at(b, "tags.team") == NULL, "and only those");
    cJSON_Delete(b);
    plan_step_free(u);
    plan_free(p);
    p = plan_vault_tags(&v, NULL);
    ok(strstr(plan_step_text(p, 0), "Remove every tag") != NULL,
       "no tags: removes them");
    plan_free(p);

    p = plan_vault_purge_protection(&v);
    is_str(plan_confirm_name(p), "kv-new-app", "purge protection: typed");
    ok(!plan_step_has_undo(p, 0), "irreversible");
    ok(strstr(plan_step_text(p, 0), "can never be turned off") != NULL,
       "and says so");
    b = body(p, 0);
    ok(json_bool(b, "properties.enablePurgeProtection", false),
       "PATCH enablePurgeProtection true");
    cJSON_Delete(b);
    plan_free(p);
}

static void
test_decode(void)
{
    char *why = NULL;
    cJSON *j = cJSON_Parse(
        "{\"id\":\"/subscriptions/" SUB "/providers/Microsoft.KeyVault/"
        "locations/westeurope/deletedVaults/kv-old\",\"name\":\"kv-old\","
        "\"properties\":{\"vaultId\":\"/subscriptions/" SUB
        "/resourceGroups/rg-old/providers/Microsoft.KeyVault/vaults/kv-old\","
        "\"location\":\"westeurope\",\"deletionDate\":\"2026-12-01T10:00:00Z\","
        "\"scheduledPurgeDate\":\"2027-03-01T10:00:00Z\","
        "\"purgeProtectionEnabled\":true,\"tags\":{\"a\":\"b\"}}}");
    struct kv_deleted_vault d;
    ok(az_deleted_vault_decode(j, &d, &why) == KV_OK, "a deleted vault");
    is_str(d.resource_group, "rg-old", "its group from vaultId");
    is_str(d.subscription_id, SUB, "its subscription");
    ok(d.purge_protection && d.deletion_date > 0 &&
           d.scheduled_purge_date > d.deletion_date && d.tags.n == 1,
       "dates, purge protection, tags");
    cJSON_Delete(j);
    struct kv_deleted_vault *dp = malloc(sizeof *dp);
    *dp = d;
    kv_deleted_vault_free(dp);

    j = cJSON_Parse("{\"nameAvailable\":false,\"reason\":\"AlreadyExists\","
                    "\"message\":\"taken\"}");
    struct kv_name_check c;
    ok(az_name_check_decode(j, &c, &why) == KV_OK && !c.available,
       "a name check");
    is_str(c.reason, "AlreadyExists", "its reason");
    free(c.reason);
    free(c.message);
    cJSON_Delete(j);

    j = cJSON_Parse("{\"name\":\"global\",\"displayName\":\"Global\","
                    "\"metadata\":{\"regionType\":\"Logical\"}}");
    struct kv_location l;
    ok(az_location_decode(j, &l, &why) != KV_OK, "a logical region is skipped");
    free(why);
    why = NULL;
    cJSON_Delete(j);
    j = cJSON_Parse("{\"name\":\"westeurope\",\"displayName\":\"West Europe\","
                    "\"metadata\":{\"regionType\":\"Physical\"}}");
    ok(az_location_decode(j, &l, &why) == KV_OK, "a physical one");
    is_str(l.display_name, "West Europe", "its display name");
    free(l.name);
    free(l.display_name);
    free(l.json);
    cJSON_Delete(j);
}

int
main(void)
{
    test_names();
    test_create();
    test_life();
    test_decode();
    return tap_done();
}
