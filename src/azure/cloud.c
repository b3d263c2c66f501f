/*
 * cloud.c — built-in cloud profiles and custom clouds read from an
 * `az cloud register --cloud-config` JSON file.
 *
 * Values of the built-ins: authority, Resource Manager and Key Vault DNS
 * suffix from azure-cli's cloud.py (PROTOCOL.md §9), the private DNS zone
 * from the private-endpoint DNS documentation.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "azure/cloud.h"
#include "azure/json.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

struct builtin {
    const char *name;
    const char *resource_manager;
    const char *active_directory;
    const char *arm_audience;
    const char *management;
    const char *graph_resource;
    const char *keyvault_dns;
    const char *private_dns_zone;
};

static const struct builtin builtins[] = {
    {
        .name = "AzureCloud",
        .resource_manager = "https://management.azure.com/",
        .active_directory = "https://login.microsoftonline.com",
        .arm_audience = "https://management.core.windows.net/",
        .management = "https://management.core.windows.net/",
        .graph_resource = "https://graph.microsoft.com/",
        .keyvault_dns = ".vault.azure.net",
        .private_dns_zone = "privatelink.vaultcore.azure.net",
    },
    {
        .name = "AzureUSGovernment",
        .resource_manager = "https://management.usgovcloudapi.net/",
        .active_directory = "https://login.microsoftonline.us",
        .arm_audience = "https://management.core.usgovcloudapi.net/",
        .management = "https://management.core.usgovcloudapi.net/",
        .graph_resource = "https://graph.microsoft.us/",
        .keyvault_dns = ".vault.usgovcloudapi.net",
        .private_dns_zone = "privatelink.vaultcore.usgovcloudapi.net",
    },
    {
        .name = "AzureChinaCloud",
        .resource_manager = "https://management.chinacloudapi.cn",
        .active_directory = "https://login.chinacloudapi.cn",
        .arm_audience = "https://management.core.chinacloudapi.cn/",
        .management = "https://management.core.chinacloudapi.cn/",
        .graph_resource = "https://microsoftgraph.chinacloudapi.cn",
        .keyvault_dns = ".vault.azure.cn",
        .private_dns_zone = "privatelink.vaultcore.azure.cn",
    },
};

static const char *const builtin_names[] = {"AzureCloud", "AzureUSGovernment",
                                            "AzureChinaCloud", NULL};

const char *const *
az_cloud_builtin_names(void)
{
    return builtin_names;
}

static char *
dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

/* "https://vault.azure.net" from ".vault.azure.net". */
static char *
keyvault_resource_from_dns(const char *dns)
{
    if (dns == NULL || *dns == '\0')
        return NULL;
    while (*dns == '.')
        dns++;
    return xasprintf("https://%s", dns);
}

/* True if the authority's path ends in "/adfs" (AD FS: no tenant). */
static bool
authority_is_adfs(const char *authority)
{
    return authority != NULL && str_iends(authority, "/adfs");
}

struct az_cloud *
az_cloud_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        const struct builtin *b = &builtins[i];
        if (!str_ieq(name, b->name))
            continue;
        struct az_cloud *c = xcalloc(1, sizeof *c);
        c->name = xstrdup(b->name);
        c->origin = xstrdup("built-in");
        c->resource_manager = str_rstrip_slash(b->resource_manager);
        c->active_directory = str_rstrip_slash(b->active_directory);
        c->arm_audience = xstrdup(b->arm_audience);
        c->management = xstrdup(b->management);
        c->graph_resource = xstrdup(b->graph_resource);
        c->keyvault_dns = xstrdup(b->keyvault_dns);
        c->keyvault_resource = keyvault_resource_from_dns(b->keyvault_dns);
        c->private_dns_zone = xstrdup(b->private_dns_zone);
        c->adfs = false;
        return c;
    }
    return NULL;
}

/* msg made terminal-safe: a cloud file, its path or a cloud name could
 * hold control characters that messages would echo. Takes msg. */
static char *
safe_msg(char *msg)
{
    char *e = str_escape_ctl(msg);
    free(msg);
    return e;
}

/* A string member of obj (loose key match); "" counts as absent. On a
 * member of the wrong type sets *why and returns NULL. */
static const char *
field(const cJSON *obj, const char *key, const char *origin, char **why)
{
    const cJSON *it = json_get_loose(obj, key);
    if (it == NULL || cJSON_IsNull(it))
        return NULL;
    if (!cJSON_IsString(it)) {
        if (*why == NULL)
            *why = xasprintf(_("%s: \"%s\" must be a string"), origin, key);
        return NULL;
    }
    return it->valuestring[0] != '\0' ? it->valuestring : NULL;
}

/* A URL must be https (TLS is never optional in kvdeck). */
static bool
check_https(const char *url, const char *key, const char *origin, char **why)
{
    if (url == NULL || str_istarts(url, "https://"))
        return true;
    if (*why == NULL)
        *why = xasprintf(_("%s: endpoint \"%s\" must be an https:// URL, "
                           "not \"%s\""),
                         origin, key, url);
    return false;
}

struct az_cloud *
az_cloud_parse(const char *json, size_t len, const char *origin, char **why)
{
    char *err = NULL, *perr = NULL;
    struct az_cloud *c = NULL;
    cJSON *root = json_parse(json, len, origin, &perr);

    if (root == NULL) {
        err = xasprintf(_("%s: not a valid cloud file (%s)"), origin, perr);
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        err = xasprintf(_("%s: a cloud file must hold a JSON object"), origin);
        goto out;
    }
    const cJSON *ep = json_get_loose(root, "endpoints");
    const cJSON *sx = json_get_loose(root, "suffixes");
    if (!cJSON_IsObject(ep)) {
        err = xasprintf(_("%s: missing \"endpoints\" object (the format of "
                          "az cloud register --cloud-config)"),
                        origin);
        goto out;
    }
    if (sx != NULL && !cJSON_IsObject(sx) && !cJSON_IsNull(sx)) {
        err = xasprintf(_("%s: \"suffixes\" must be an object"), origin);
        goto out;
    }

    const char *name = field(root, "name", origin, &err);
    const char *rm = field(ep, "resourceManager", origin, &err);
    const char *ad = field(ep, "activeDirectory", origin, &err);
    const char *aud = field(ep, "activeDirectoryResourceId", origin, &err);
    const char *mgmt = field(ep, "management", origin, &err);
    const char *graph = field(ep, "microsoftGraphResourceId", origin, &err);
    const char *kvdns =
        sx != NULL ? field(sx, "keyvaultDns", origin, &err) : NULL;
    if (err != NULL)
        goto out;
    const char *missing = rm == NULL    ? "resourceManager"
                          : ad == NULL  ? "activeDirectory"
                          : aud == NULL ? "activeDirectoryResourceId"
                                        : NULL;
    if (missing != NULL) {
        err = xasprintf(_("%s: endpoints.%s is required"), origin, missing);
        goto out;
    }
    if (!check_https(rm, "resourceManager", origin, &err) ||
        !check_https(ad, "activeDirectory", origin, &err))
        goto out;

    c = xcalloc(1, sizeof *c);
    if (name != NULL) {
        c->name = xstrdup(name);
    } else {
        const char *slash = strrchr(origin, '/');
        c->name = xstrdup(slash != NULL ? slash + 1 : origin);
    }
    c->origin = xstrdup(origin);
    c->resource_manager = str_rstrip_slash(rm);
    c->active_directory = str_rstrip_slash(ad);
    c->arm_audience = xstrdup(aud);
    c->management = dup_or_null(mgmt);
    c->graph_resource = dup_or_null(graph);
    c->keyvault_dns = dup_or_null(kvdns);
    c->keyvault_resource = keyvault_resource_from_dns(kvdns);
    c->private_dns_zone = NULL;
    c->adfs = authority_is_adfs(c->active_directory);

out:
    cJSON_Delete(root);
    free(perr);
    if (c == NULL && why != NULL)
        *why = safe_msg(err);
    else
        free(err);
    return c;
}

struct az_cloud *
az_cloud_load(const char *path, char **why)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t len = 0, cap = 0;
    struct az_cloud *c = NULL;

    if (f == NULL) {
        if (why != NULL)
            *why = safe_msg(xasprintf(_("cannot read cloud file %s: %s"), path,
                                      strerror(errno)));
        return NULL;
    }
    for (;;) {
        if (cap - len < 4096) {
            if (cap > (1u << 20)) { /* a cloud file is a few hundred bytes */
                if (why != NULL)
                    *why = safe_msg(
                        xasprintf(_("cloud file %s is too large"), path));
                goto out;
            }
            cap = cap ? cap * 2 : 4096;
            data = xrealloc(data, cap);
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        if (why != NULL)
            *why = safe_msg(xasprintf(_("cannot read cloud file %s: %s"), path,
                                      strerror(errno)));
        goto out;
    }
    c = az_cloud_parse(data, len, path, why);
out:
    fclose(f);
    free(data);
    return c;
}

struct az_cloud *
az_cloud_resolve(const char *name_or_path, char **why)
{
    struct stat st;
    if (name_or_path == NULL || *name_or_path == '\0')
        return az_cloud_builtin("AzureCloud");
    struct az_cloud *c = az_cloud_builtin(name_or_path);
    if (c != NULL)
        return c;
    if (strchr(name_or_path, '/') != NULL || str_iends(name_or_path, ".json") ||
        stat(name_or_path, &st) == 0)
        return az_cloud_load(name_or_path, why);
    if (why != NULL)
        *why = safe_msg(xasprintf(_("unknown cloud \"%s\" (built in: "
                                    "AzureCloud, AzureUSGovernment, "
                                    "AzureChinaCloud; or give the path of a "
                                    "cloud JSON file)"),
                                  name_or_path));
    return NULL;
}

char *
az_cloud_arm_url(const struct az_cloud *c, const char *path)
{
    return xasprintf("%s%s%s", c->resource_manager, *path == '/' ? "" : "/",
                     path);
}

char *
az_cloud_arm_scope(const struct az_cloud *c)
{
    return xasprintf("%s/.default", c->arm_audience);
}

char *
az_cloud_token_url(const struct az_cloud *c, const char *tenant)
{
    if (c->adfs)
        return xasprintf("%s/oauth2/token", c->active_directory);
    /* validated where it came from; encoded all the same, so that no
     * tenant can change the URL's path, query or host */
    char *t = str_url_encode(tenant != NULL ? tenant : "organizations");
    char *url = xasprintf("%s/%s/oauth2/v2.0/token", c->active_directory, t);
    free(t);
    return url;
}

struct az_cloud *
az_cloud_dup(const struct az_cloud *c)
{
    struct az_cloud *d = xcalloc(1, sizeof *d);
    d->name = dup_or_null(c->name);
    d->origin = dup_or_null(c->origin);
    d->resource_manager = dup_or_null(c->resource_manager);
    d->active_directory = dup_or_null(c->active_directory);
    d->arm_audience = dup_or_null(c->arm_audience);
    d->management = dup_or_null(c->management);
    d->graph_resource = dup_or_null(c->graph_resource);
    d->keyvault_dns = dup_or_null(c->keyvault_dns);
    d->keyvault_resource = dup_or_null(c->keyvault_resource);
    d->private_dns_zone = dup_or_null(c->private_dns_zone);
    d->adfs = c->adfs;
    return d;
}

void
az_cloud_free(struct az_cloud *c)
{
    if (c == NULL)
        return;
    free(c->name);
    free(c->origin);
    free(c->resource_manager);
    free(c->active_directory);
    free(c->arm_audience);
    free(c->management);
    free(c->graph_resource);
    free(c->keyvault_dns);
    free(c->keyvault_resource);
    free(c->private_dns_zone);
    free(c);
}
