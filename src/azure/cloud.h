/*
 * cloud.h — cloud profiles: where a cloud's sign-in, Resource Manager and
 * Key Vault endpoints are. Three are built in (AzureCloud,
 * AzureUSGovernment, AzureChinaCloud); a custom cloud is read from a JSON
 * file in the format of `az cloud register --cloud-config @FILE`:
 *
 *   { "name"?: "...",
 *     "endpoints": { "resourceManager", "activeDirectory",
 *                    "activeDirectoryResourceId", "microsoftGraphResourceId"?,
 *                    "management"?, ... },
 *     "suffixes":  { "keyvaultDns"?, ... } }
 *
 * Keys are matched like az does (camelCase or snake_case, any case).
 *
 * Ownership: every az_cloud returned here is the caller's; az_cloud_free()
 * releases it. All strings inside are owned by the struct.
 */
#ifndef KV_AZURE_CLOUD_H
#define KV_AZURE_CLOUD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct az_cloud {
    char *name;              /* "AzureCloud", or the file's "name" */
    char *origin;            /* "built-in" or the file's path */
    char *resource_manager;  /* "https://management.azure.com" (no '/') */
    char *active_directory;  /* authority host, no trailing '/' */
    char *arm_audience;      /* activeDirectoryResourceId, as given */
    char *management;        /* legacy management endpoint or NULL */
    char *graph_resource;    /* microsoftGraphResourceId or NULL */
    char *keyvault_dns;      /* ".vault.azure.net" or NULL */
    char *keyvault_resource; /* "https://vault.azure.net" or NULL */
    char *private_dns_zone;  /* "privatelink.vaultcore.azure.net" or NULL */
    bool adfs;               /* authority path ends in /adfs (no tenant) */
};

/* A copy of a built-in profile (name compared case-insensitively), or
 * NULL if there is no such built-in cloud. */
struct az_cloud *az_cloud_builtin(const char *name);
/* Names of the built-in clouds, NULL-terminated (static). */
const char *const *az_cloud_builtin_names(void);

/* Parses a custom cloud from JSON text; origin names it in messages (a
 * path). On failure returns NULL and sets *why (caller frees). */
struct az_cloud *az_cloud_parse(const char *json, size_t len,
                                const char *origin, char **why);
/* Reads and parses a custom-cloud file. Errors name the file. */
struct az_cloud *az_cloud_load(const char *path, char **why);
/* A built-in name, else a file path (anything containing '/' or ending
 * in ".json", or an existing file). NULL means AzureCloud. */
struct az_cloud *az_cloud_resolve(const char *name_or_path, char **why);

/* "{resource_manager}{path}"; path starts with '/'. Caller frees. */
char *az_cloud_arm_url(const struct az_cloud *c, const char *path);
/* The token scope for Resource Manager: the audience + "/.default" (a
 * double slash when the audience ends in '/', exactly as az sends it).
 * Caller frees. */
char *az_cloud_arm_scope(const struct az_cloud *c);
/* Is tenant one kvdeck may sign in to: a tenant ID (GUID), a domain name
 * (contoso.onmicrosoft.com) or Entra's "organizations", "common",
 * "consumers"? */
bool az_cloud_tenant_valid(const char *tenant);
/* NULL when tenant is NULL or valid, else a message (caller frees) that
 * starts with origin when not NULL ("AZURE_TENANT_ID", "--tenant") and
 * quotes the tenant terminal-safe. */
char *az_cloud_tenant_check(const char *tenant, const char *origin);
/* The token endpoint for a tenant (percent-encoded). Caller frees. */
char *az_cloud_token_url(const struct az_cloud *c, const char *tenant);

struct az_cloud *az_cloud_dup(const struct az_cloud *c);
void az_cloud_free(struct az_cloud *c);

#endif
