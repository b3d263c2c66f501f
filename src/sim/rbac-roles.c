/*
 * rbac-roles.c — the built-in Azure roles the simulator knows, by their
 * real ids, names, descriptions and permissions (actions, notActions,
 * dataActions, notDataActions as Azure lists them), and the
 * roleDefinitions API: GET one by id at any scope, list at a scope with
 * $filter=roleName eq '...' or type eq 'BuiltInRole'. Owned by s2.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/rbac.h"
#include "sim/util.h"

#define KV_ONLY                                                                \
    " Only works for key vaults that use the 'Azure role-based access "        \
    "control' permission model."

static const char *const none[] = {NULL};
static const char *const all[] = {"*", NULL};
static const char *const read_all[] = {"*/read", NULL};
static const char *const contributor_not[] = {
    "Microsoft.Authorization/*/Delete",
    "Microsoft.Authorization/*/Write",
    "Microsoft.Authorization/elevateAccess/Action",
    "Microsoft.Blueprint/blueprintAssignments/write",
    "Microsoft.Blueprint/blueprintAssignments/delete",
    "Microsoft.Compute/galleries/share/action",
    "Microsoft.Purview/consents/write",
    "Microsoft.Purview/consents/delete",
    "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
    "Microsoft.Subscription/cancel/action",
    "Microsoft.Subscription/enable/action",
    NULL};
static const char *const uaa[] = {"*/read", "Microsoft.Authorization/*",
                                  "Microsoft.Support/*", NULL};
/* The management actions the Key Vault data roles carry. */
static const char *const kv_read[] = {
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    "Microsoft.KeyVault/checkNameAvailability/read",
    "Microsoft.KeyVault/deletedVaults/read",
    "Microsoft.KeyVault/locations/*/read",
    "Microsoft.KeyVault/vaults/*/read",
    "Microsoft.KeyVault/operations/read",
    NULL};
static const char *const kv_contrib[] = {
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.KeyVault/*",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    NULL};
static const char *const kv_contrib_not[] = {
    "Microsoft.KeyVault/locations/deletedVaults/purge/action",
    "Microsoft.KeyVault/hsmPools/*", "Microsoft.KeyVault/managedHsms/*", NULL};
static const char *const net_contrib[] = {
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Network/*",
    "Microsoft.ResourceHealth/availabilityStatuses/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    NULL};
static const char *const kv_admin_data[] = {"Microsoft.KeyVault/vaults/*",
                                            NULL};
static const char *const kv_secrets_officer_data[] = {
    "Microsoft.KeyVault/vaults/secrets/*", NULL};
static const char *const kv_secrets_user_data[] = {
    "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    "Microsoft.KeyVault/vaults/secrets/readMetadata/action", NULL};
static const char *const kv_reader_data[] = {
    "Microsoft.KeyVault/vaults/*/read",
    "Microsoft.KeyVault/vaults/secrets/readMetadata/action", NULL};

/* Azure AI services (cog.h): the Contributor manages accounts and their
 * keys; the User reads and lists keys (not regenerates them); the OpenAI
 * User has neither (data actions abridged to the OpenAI ones). */
static const char *const cog_contrib[] = {
    "Microsoft.Authorization/*/read",
    "Microsoft.CognitiveServices/*",
    "Microsoft.Features/features/read",
    "Microsoft.Features/providers/features/read",
    "Microsoft.Features/providers/features/register/action",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Insights/diagnosticSettings/*",
    "Microsoft.Insights/logDefinitions/read",
    "Microsoft.Insights/metricdefinitions/read",
    "Microsoft.Insights/metrics/read",
    "Microsoft.ResourceHealth/availabilityStatuses/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/deployments/operations/read",
    "Microsoft.Resources/subscriptions/operationresults/read",
    "Microsoft.Resources/subscriptions/read",
    "Microsoft.Resources/subscriptions/resourceGroups/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    NULL};
static const char *const cog_user[] = {
    "Microsoft.CognitiveServices/*/read",
    "Microsoft.CognitiveServices/accounts/listkeys/action",
    "Microsoft.Insights/alertRules/read",
    "Microsoft.Insights/diagnosticSettings/read",
    "Microsoft.Insights/logDefinitions/read",
    "Microsoft.Insights/metricdefinitions/read",
    "Microsoft.Insights/metrics/read",
    "Microsoft.ResourceHealth/availabilityStatuses/read",
    "Microsoft.Resources/deployments/operations/read",
    "Microsoft.Resources/subscriptions/operationresults/read",
    "Microsoft.Resources/subscriptions/read",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    NULL};
static const char *const cog_user_data[] = {"Microsoft.CognitiveServices/*",
                                            NULL};
static const char *const openai_user[] = {
    "Microsoft.CognitiveServices/*/read",
    "Microsoft.Authorization/roleAssignments/read",
    "Microsoft.Authorization/roleDefinitions/read", NULL};
static const char *const openai_user_data[] = {
    "Microsoft.CognitiveServices/accounts/OpenAI/*/read",
    "Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action",
    "Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/"
    "action",
    "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/"
    "completions/action",
    "Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/"
    "action",
    NULL};

const struct rbac_role rbac_roles[] = {
    {
        .id = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        .name = "Owner",
        .description = "Grants full access to manage all resources, "
                       "including the ability to assign roles in Azure "
                       "RBAC.",
        .actions = all,
        .not_actions = none,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "b24988ac-6180-42a0-ab88-20f7382dd24c",
        .name = "Contributor",
        .description = "Grants full access to manage all resources, but "
                       "does not allow you to assign roles in Azure RBAC, "
                       "manage assignments in Azure Blueprints, or share "
                       "image galleries.",
        .actions = all,
        .not_actions = contributor_not,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        .name = "Reader",
        .description = "View all resources, but does not allow you to make "
                       "any changes.",
        .actions = read_all,
        .not_actions = none,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        .name = "User Access Administrator",
        .description = "Lets you manage user access to Azure resources.",
        .actions = uaa,
        .not_actions = none,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "4d97b98b-1d4f-4787-a291-c67834d212e7",
        .name = "Network Contributor",
        .description = "Lets you manage networks, but not access to them.",
        .actions = net_contrib,
        .not_actions = none,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "f25e0fa2-a7c8-4377-a976-54943a77a395",
        .name = "Key Vault Contributor",
        .description = "Lets you manage key vaults, but not access to "
                       "them.",
        .actions = kv_contrib,
        .not_actions = kv_contrib_not,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        .name = "Key Vault Administrator",
        .description = "Perform all data plane operations on a key vault "
                       "and all objects in it, including certificates, "
                       "keys, and secrets. Cannot manage key vault "
                       "resources or manage role assignments." KV_ONLY,
        .actions = kv_read,
        .not_actions = none,
        .data_actions = kv_admin_data,
        .not_data_actions = none,
    },
    {
        .id = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        .name = "Key Vault Secrets Officer",
        .description = "Perform any action on the secrets of a key vault, "
                       "except manage permissions." KV_ONLY,
        .actions = kv_read,
        .not_actions = none,
        .data_actions = kv_secrets_officer_data,
        .not_data_actions = none,
    },
    {
        .id = "4633458b-17de-408a-b874-0445c86b69e6",
        .name = "Key Vault Secrets User",
        .description = "Read secret contents." KV_ONLY,
        .actions = none,
        .not_actions = none,
        .data_actions = kv_secrets_user_data,
        .not_data_actions = none,
    },
    {
        .id = "21090545-7ca7-4776-b22c-e363652d74d2",
        .name = "Key Vault Reader",
        .description = "Read metadata of key vaults and its certificates, "
                       "keys, and secrets. Cannot read sensitive values "
                       "such as secret contents or key material." KV_ONLY,
        .actions = kv_read,
        .not_actions = none,
        .data_actions = kv_reader_data,
        .not_data_actions = none,
    },
    {
        .id = "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
        .name = "Cognitive Services Contributor",
        .description = "Lets you create, read, update, delete and manage "
                       "keys of Cognitive Services.",
        .actions = cog_contrib,
        .not_actions = none,
        .data_actions = none,
        .not_data_actions = none,
    },
    {
        .id = "a97b65f3-24c7-4388-baec-2e87135dc908",
        .name = "Cognitive Services User",
        .description = "Lets you read and list keys of Cognitive Services.",
        .actions = cog_user,
        .not_actions = none,
        .data_actions = cog_user_data,
        .not_data_actions = none,
    },
    {
        .id = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
        .name = "Cognitive Services OpenAI User",
        .description = "Read access to view files, models, deployments. The "
                       "ability to create completion and embedding calls.",
        .actions = openai_user,
        .not_actions = none,
        .data_actions = openai_user_data,
        .not_data_actions = none,
    },
    {.id = NULL},
};

const struct rbac_role *
rbac_role_by_id(const char *id)
{
    const char *slash = id ? strrchr(id, '/') : NULL;
    const char *guid = slash ? slash + 1 : id;

    for (const struct rbac_role *r = rbac_roles; guid && r->id; r++)
        if (strcasecmp(r->id, guid) == 0)
            return r;
    return NULL;
}

const struct rbac_role *
rbac_role_by_name(const char *name)
{
    for (const struct rbac_role *r = rbac_roles; name && r->id; r++)
        if (strcasecmp(r->name, name) == 0)
            return r;
    return NULL;
}

static cJSON *
strings(const char *const *list)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; list[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(list[i]));
    return a;
}

/* "/subscriptions/S" of a scope, or "" for one above subscriptions. */
static char *
sub_prefix(const char *scope)
{
    const char *p;

    if (!scope || !str_istarts(scope, "/subscriptions/"))
        return xstrdup("");
    p = strchr(scope + strlen("/subscriptions/"), '/');
    return p ? xstrndup(scope, (size_t)(p - scope)) : xstrdup(scope);
}

cJSON *
rbac_role_render(const struct rbac_role *r, const char *scope)
{
    cJSON *o = cJSON_CreateObject(), *p, *perm, *perms;
    char *sub = sub_prefix(scope);
    char *id = xasprintf(
        "%s/providers/Microsoft.Authorization/roleDefinitions/%s", sub, r->id);
    static const char *const root[] = {"/", NULL};

    p = cJSON_AddObjectToObject(o, "properties");
    cJSON_AddStringToObject(p, "roleName", r->name);
    cJSON_AddStringToObject(p, "type", "BuiltInRole");
    cJSON_AddStringToObject(p, "description", r->description);
    cJSON_AddItemToObject(p, "assignableScopes", strings(root));
    perms = cJSON_AddArrayToObject(p, "permissions");
    perm = cJSON_CreateObject();
    cJSON_AddItemToObject(perm, "actions", strings(r->actions));
    cJSON_AddItemToObject(perm, "notActions", strings(r->not_actions));
    cJSON_AddItemToObject(perm, "dataActions", strings(r->data_actions));
    cJSON_AddItemToObject(perm, "notDataActions", strings(r->not_data_actions));
    cJSON_AddItemToArray(perms, perm);
    cJSON_AddStringToObject(p, "createdOn", "2015-02-02T21:55:09.8806423Z");
    cJSON_AddStringToObject(p, "updatedOn", "2021-11-11T20:13:47.8628684Z");
    cJSON_AddNullToObject(p, "createdBy");
    cJSON_AddNullToObject(p, "updatedBy");
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "type",
                            "Microsoft.Authorization/roleDefinitions");
    cJSON_AddStringToObject(o, "name", r->id);
    free(id);
    free(sub);
    return o;
}

/* The value of "FIELD eq 'VALUE'" in a $filter (caller frees), or NULL. */
static char *
filter_eq(const char *filter, const char *field)
{
    const char *p, *q, *end;

    if (!filter)
        return NULL;
    for (p = filter; (p = strcasestr(p, field)) != NULL; p += strlen(field)) {
        q = p + strlen(field);
        while (*q == ' ')
            q++;
        if (strncasecmp(q, "eq", 2) != 0)
            continue;
        q += 2;
        while (*q == ' ')
            q++;
        if (*q != '\'')
            continue;
        end = strchr(q + 1, '\'');
        if (end)
            return xstrndup(q + 1, (size_t)(end - q - 1));
    }
    return NULL;
}

char *
rbac_scope_of(const char *path)
{
    const char *mark = "/providers/microsoft.authorization/";
    const char *p = path, *last = NULL;

    char *scope, *q;

    while ((p = strcasestr(p, mark)) != NULL)
        last = p++;
    scope = last ? xstrndup(path, (size_t)(last - path)) : xstrdup("");
    /* "//subscriptions/..." (a client that joined "/" and an id): one
     * slash between segments. */
    q = scope;
    for (p = scope; *p; p++)
        if (!(*p == '/' && q > scope && q[-1] == '/'))
            *q++ = *p;
    *q = '\0';
    return scope;
}

void
rbac_definitions(struct arm_ctx *cx)
{
    char *scope = rbac_scope_of(cx->rq->path);
    const char *filter = req_query(cx->rq, "$filter");
    char *name = filter_eq(filter, "roleName");
    char *type = filter_eq(filter, "type");
    bool one = !str_iends(cx->rq->path, "roledefinitions");
    cJSON *root, *arr;

    if (one) {
        const char *slash = strrchr(cx->rq->path, '/');
        const struct rbac_role *r = rbac_role_by_id(slash + 1);

        if (r)
            resp_json(cx->rs, 200, rbac_role_render(r, scope));
        else
            arm_error(cx, 404, "RoleDefinitionDoesNotExist",
                      "The specified role definition with ID '%s' does not "
                      "exist.",
                      slash + 1);
        goto out;
    }
    root = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(root, "value");
    for (const struct rbac_role *r = rbac_roles; r->id; r++) {
        if (name && strcasecmp(name, r->name) != 0)
            continue;
        if (type && strcasecmp(type, "BuiltInRole") != 0)
            continue;
        cJSON_AddItemToArray(arr, rbac_role_render(r, scope));
    }
    resp_json(cx->rs, 200, root);
out:
    free(scope);
    free(name);
    free(type);
}
