/*
 * cloud-tenant.c — which tenants kvdeck signs in to. The tenant becomes a
 * path segment of the token endpoint's URL (cloud.c): a tenant ID (GUID),
 * a verified domain name, or Entra's "organizations", "common" and
 * "consumers" are accepted; anything else is refused where it was read
 * (configuration file, --tenant, AZURE_TENANT_ID) before any request.
 * Pure string checks: no JSON, so the configuration parser can use them.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "azure/cloud.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* A DNS name of two labels or more: letters, digits and inner hyphens,
 * 63 characters a label, 253 in all (contoso.onmicrosoft.com). */
static bool
tenant_is_domain(const char *s)
{
    size_t len = strlen(s), label = 0, labels = 0;
    if (len == 0 || len > 253)
        return false;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || p[-1] == '-')
                return false;
            labels++;
            label = 0;
            if (*p == '\0')
                break;
            continue;
        }
        bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9');
        if (!alnum && !(*p == '-' && label > 0))
            return false;
        if (++label > 63)
            return false;
    }
    return labels >= 2;
}

bool
az_cloud_tenant_valid(const char *tenant)
{
    return tenant != NULL &&
           (str_is_uuid(tenant) || tenant_is_domain(tenant) ||
            str_ieq(tenant, "organizations") || str_ieq(tenant, "common") ||
            str_ieq(tenant, "consumers"));
}

char *
az_cloud_tenant_check(const char *tenant, const char *origin)
{
    if (tenant == NULL || az_cloud_tenant_valid(tenant))
        return NULL;
    char *shown = str_escape_ctl(tenant);
    char *why = xasprintf(_("tenant \"%.200s\" is neither a tenant ID (a "
                            "GUID) nor a domain name such as "
                            "contoso.onmicrosoft.com"),
                          shown);
    if (origin != NULL) {
        char *o = xasprintf("%s: %s", origin, why);
        free(why);
        why = o;
    }
    free(shown);
    return why;
}
