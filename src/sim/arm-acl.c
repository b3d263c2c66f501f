/*
 * arm-acl.c — a vault's network rules (networkAcls) as Key Vault checks
 * them and the data plane applies them: ipRules (an address, stored as
 * ADDRESS/32, or a CIDR range), virtualNetworkRules (a subnet that has
 * the Microsoft.KeyVault service endpoint, unless the rule says
 * ignoreMissingVnetServiceEndpoint, which the service does not echo),
 * and whether a subnet admits the private network's requests (it exists
 * and has that service endpoint). See arm-net.h.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-net.h"
#include "sim/arm.h"
#include "sim/store.h"
#include "sim/util.h"

/* "a.b.c.d" or "a.b.c.d/n" as stored ("a.b.c.d/32" for an address), or
 * NULL when it is neither. */
static char *
ip_rule_norm(const char *v)
{
    char ip[64];
    int bits = 32, n = 0;
    struct in_addr a;

    if (!v || strlen(v) >= sizeof ip)
        return NULL;
    if (strchr(v, '/')) {
        if (sscanf(v, "%63[0-9.]/%d%n", ip, &bits, &n) != 2 || v[n] != '\0' ||
            bits < 0 || bits > 32)
            return NULL;
    } else {
        snprintf(ip, sizeof ip, "%s", v);
    }
    if (inet_pton(AF_INET, ip, &a) != 1)
        return NULL;
    return xasprintf("%s/%d", ip, bits);
}

bool
arm_acl_ip_rules(struct arm_ctx *cx, const cJSON *ips, cJSON **out)
{
    const cJSON *r;
    int i = 0;

    *out = cJSON_CreateArray();
    cJSON_ArrayForEach(r, ips)
    {
        char *v = ip_rule_norm(json_str(r, "value"));
        cJSON *o;

        if (!v) {
            arm_error(cx, 400, "BadRequest",
                      "Invalid value found at properties.networkAcls."
                      "ipRules[%d].value: '%s' is not a valid IPv4 address "
                      "or CIDR range.",
                      i, json_str(r, "value") ? json_str(r, "value") : "");
            cJSON_Delete(*out);
            *out = NULL;
            return false;
        }
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "value", v);
        cJSON_AddItemToArray(*out, o);
        free(v);
        i++;
    }
    return true;
}

bool
arm_acl_subnet_admits(struct sim *sim, const char *subnet_id)
{
    char *key = arm_key_of_id(subnet_id);
    cJSON *s = key && str_starts(key, "subnet|")
                   ? store_get_json(sim->store, key)
                   : NULL;
    const cJSON *e;
    bool ok = false;

    cJSON_ArrayForEach(e,
                       cJSON_GetObjectItem(cJSON_GetObjectItem(s, "properties"),
                                           "serviceEndpoints"))
    {
        const char *svc = json_str(e, "service");

        if (svc && strcasecmp(svc, "Microsoft.KeyVault") == 0)
            ok = true;
    }
    cJSON_Delete(s);
    free(key);
    return ok;
}

/* True when a rule for id was on the vault before (kept as it is). */
static bool
had_rule(const cJSON *old_rules, const char *id)
{
    const cJSON *r;

    cJSON_ArrayForEach(r, old_rules)
    {
        if (id && json_str(r, "id") && strcasecmp(json_str(r, "id"), id) == 0)
            return true;
    }
    return false;
}

/* "VNET-ID" and "SUBNET" of a subnet id (caller frees both). */
static void
split_subnet(const char *id, char **vnet, char **subnet)
{
    const char *s = id ? strrchr(id, '/') : NULL;
    const char *m = id ? strcasestr(id, "/subnets/") : NULL;

    *vnet = m ? xstrndup(id, (size_t)(m - id)) : xstrdup(id ? id : "");
    *subnet = xstrdup(s ? s + 1 : "");
}

bool
arm_acl_vnet_rules(struct arm_ctx *cx, const cJSON *vnets,
                   const cJSON *old_rules, cJSON **out)
{
    const cJSON *r;

    *out = cJSON_CreateArray();
    cJSON_ArrayForEach(r, vnets)
    {
        const char *id = json_str(r, "id");
        char *l, *vnet, *subnet;
        cJSON *o;

        if (!json_bool(r, "ignoreMissingVnetServiceEndpoint", false) &&
            !had_rule(old_rules, id) && !arm_acl_subnet_admits(cx->sim, id)) {
            split_subnet(id, &vnet, &subnet);
            arm_error(cx, 400, "NetworkAclsValidationFailure",
                      "Validation of network acls failure: "
                      "SubnetsHaveNoServiceEndpointsConfigured:Subnets %s of "
                      "virtual network %s do not have ServiceEndpoints for "
                      "Microsoft.KeyVault resources configured. Add "
                      "Microsoft.KeyVault to subnet's ServiceEndpoints "
                      "collection before trying to ACL Microsoft.KeyVault "
                      "resources to these subnets..",
                      subnet, vnet);
            free(vnet);
            free(subnet);
            cJSON_Delete(*out);
            *out = NULL;
            return false;
        }
        l = util_lower(id ? id : "");
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", l);
        cJSON_AddItemToArray(*out, o);
        free(l);
    }
    return true;
}
