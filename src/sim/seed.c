/*
 * seed.c — the demo and scale data sets (see seed.h). The ARM documents
 * come from the builders the PUT handlers use (arm-doc.h); secrets are
 * built in the shapes the data-plane handlers store.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-doc.h"
#include "sim/cog.h"
#include "sim/rbac.h"
#include "sim/seed.h"
#include "sim/store.h"
#include "sim/util.h"

#define DAY 86400LL

struct seeder {
    struct sim *sim;
    int64_t now;     /* seconds */
    const char *tag; /* makes derived ids differ between seeds */
};

static void
put(struct seeder *sd, const char *key, cJSON *doc)
{
    char *l = util_lower(key);

    store_bulk_put(sd->sim->store, l, json_print(doc));
    free(l);
    cJSON_Delete(doc);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
    va_list ap;
    char *s;

    va_start(ap, f);
    s = xvasprintf(f, ap);
    va_end(ap);
    return s;
}

static cJSON *
tags_of(const char *const *kv)
{
    cJSON *t = cJSON_CreateObject();

    for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
        cJSON_AddStringToObject(t, kv[i], kv[i + 1]);
    return t;
}

/* A subscription of tenant (NULL: the home tenant). */
static void
add_sub_in(struct seeder *sd, const char *id, const char *name,
           const char *tenant)
{
    cJSON *s = cJSON_CreateObject(), *pol = cJSON_CreateObject();
    char *sid = fmt("/subscriptions/%s", id), *key = fmt("sub|%s", id);

    cJSON_AddStringToObject(s, "id", sid);
    cJSON_AddStringToObject(s, "authorizationSource", "RoleBased");
    cJSON_AddItemToObject(s, "managedByTenants", cJSON_CreateArray());
    cJSON_AddStringToObject(s, "subscriptionId", id);
    cJSON_AddStringToObject(s, "tenantId",
                            tenant ? tenant : sd->sim->id.tenant);
    cJSON_AddStringToObject(s, "displayName", name);
    cJSON_AddStringToObject(s, "state", "Enabled");
    cJSON_AddStringToObject(pol, "locationPlacementId", "Public_2014-09-01");
    cJSON_AddStringToObject(pol, "quotaId", "PayAsYouGo_2014-09-01");
    cJSON_AddStringToObject(pol, "spendingLimit", "Off");
    cJSON_AddItemToObject(s, "subscriptionPolicies", pol);
    put(sd, key, s);
    free(sid);
    free(key);
}

static void
add_sub(struct seeder *sd, const char *id, const char *name)
{
    add_sub_in(sd, id, name, NULL);
}

static void
add_rg(struct seeder *sd, const char *sub, const char *name, const char *loc,
       const char *const *tags)
{
    cJSON *g = cJSON_CreateObject();
    char *id = fmt("/subscriptions/%s/resourceGroups/%s", sub, name);
    char *key = fmt("rg|%s|%s", sub, name);

    cJSON_AddStringToObject(g, "id", id);
    cJSON_AddStringToObject(g, "name", name);
    cJSON_AddStringToObject(g, "type", "Microsoft.Resources/resourceGroups");
    cJSON_AddStringToObject(g, "location", loc);
    cJSON_AddItemToObject(g, "tags", tags_of(tags));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(g, "properties"),
                            "provisioningState", "Succeeded");
    put(sd, key, g);
    free(id);
    free(key);
}

static cJSON *
policy(const char *tenant, const char *oid)
{
    static const char *const all[] = {"all"};
    static const char *const gl[] = {"get", "list"};
    cJSON *p = cJSON_CreateObject(), *perms = cJSON_CreateObject();

    cJSON_AddStringToObject(p, "tenantId", tenant);
    cJSON_AddStringToObject(p, "objectId", oid);
    cJSON_AddItemToObject(perms, "keys", cJSON_CreateStringArray(gl, 2));
    cJSON_AddItemToObject(perms, "secrets", cJSON_CreateStringArray(all, 1));
    cJSON_AddItemToObject(perms, "certificates",
                          cJSON_CreateStringArray(gl, 2));
    cJSON_AddItemToObject(perms, "storage", cJSON_CreateArray());
    cJSON_AddItemToObject(p, "permissions", perms);
    return p;
}

struct vault_opts {
    bool private_only;
    bool purge_protection;
    int retention;
    const char *const *tags;
    const char *sku;
    const char *tenant; /* NULL: the home tenant */
};

/* The vault document (caller puts or wraps it), built like a PUT's. */
static cJSON *
vault_doc(struct seeder *sd, const char *sub, const char *rg, const char *name,
          const char *loc, const struct vault_opts *o, int64_t created)
{
    const char *tn = o->tenant ? o->tenant : sd->sim->id.tenant;
    char *id = fmt("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.KeyVault/vaults/%s",
                   sub, rg, name);
    char *ts = util_iso_ms(created * 1000);
    cJSON *tags = tags_of(o->tags), *v = arm_doc_vault(id, name, loc, tags);
    cJSON *p = cJSON_GetObjectItem(v, "properties"), *sku, *pols, *sdata;

    sdata = cJSON_AddObjectToObject(v, "systemData");
    cJSON_AddStringToObject(sdata, "createdBy", sd->sim->id.user_upn);
    cJSON_AddStringToObject(sdata, "createdByType", "User");
    cJSON_AddStringToObject(sdata, "createdAt", ts);
    cJSON_AddStringToObject(sdata, "lastModifiedBy", sd->sim->id.user_upn);
    cJSON_AddStringToObject(sdata, "lastModifiedByType", "User");
    cJSON_AddStringToObject(sdata, "lastModifiedAt", ts);
    sku = cJSON_CreateObject();
    cJSON_AddStringToObject(sku, "family", "A");
    cJSON_AddStringToObject(sku, "name", o->sku ? o->sku : "standard");
    json_set(p, "sku", sku);
    json_set_str(p, "tenantId", tn);
    pols = cJSON_GetObjectItem(p, "accessPolicies");
    cJSON_AddItemToArray(pols, policy(tn, sd->sim->id.sp_object_id));
    cJSON_AddItemToArray(pols, policy(tn, sd->sim->id.user_oid));
    /* The managed identities (IMDS / App Service), like the others. */
    cJSON_AddItemToArray(pols, policy(tn, sd->sim->id.mi_oid));
    cJSON_AddItemToArray(pols, policy(tn, sd->sim->id.uami_oid));
    if (o->retention)
        json_set(p, "softDeleteRetentionInDays",
                 cJSON_CreateNumber(o->retention));
    if (o->purge_protection)
        json_set(p, "enablePurgeProtection", cJSON_CreateTrue());
    if (o->private_only)
        json_set_str(p, "publicNetworkAccess", "Disabled");
    cJSON_AddNumberToObject(v, "_dnsAt", 0);
    cJSON_Delete(tags);
    free(id);
    free(ts);
    return v;
}

static void
add_vault(struct seeder *sd, const char *sub, const char *rg, const char *name,
          const char *loc, const struct vault_opts *o)
{
    char *key = fmt("vault|%s|%s|%s", sub, rg, name);
    char *nk = fmt("vname|%s", name), *lkey = util_lower(key);

    put(sd, key, vault_doc(sd, sub, rg, name, loc, o, sd->now - 200 * DAY));
    put(sd, nk, arm_doc_vault_name("active", lkey));
    free(key);
    free(nk);
    free(lkey);
}

struct secret_opts {
    int versions;
    const char *content_type;
    const char *const *tags;
    int64_t exp; /* of the latest version; 0: none */
    bool latest_disabled;
    bool first_disabled; /* the oldest version is disabled (retired) */
    int step_days;       /* days between versions */
    /* more tags of the latest version only (NULL-ended pairs) */
    const char *const *latest_tags;
};

/* A value that looks like what the secret's name says, from hex. */
static char *
secret_value(const char *name, const char *hex)
{
    if (strstr(name, "password"))
        return fmt("Pw!%.16s", hex);
    if (strstr(name, "connection-string"))
        return fmt("DefaultEndpointsProtocol=https;AccountName=contosodata;"
                   "AccountKey=%s==;EndpointSuffix=core.windows.net",
                   hex);
    if (strstr(name, "endpoint"))
        return xstrdup("https://contoso-ai.openai.azure.com/");
    return xstrdup(hex);
}

/* The secret's head (its latest version), deleted two days ago when
 * deleted. */
static void
add_secret_head(struct seeder *sd, const char *vault, const char *name,
                const char *latest, bool deleted)
{
    cJSON *h = cJSON_CreateObject();
    char *key = deleted ? fmt("dsec|%s|%s", vault, name)
                        : fmt("sec|%s|%s", vault, name);

    cJSON_AddStringToObject(h, "name", name);
    cJSON_AddStringToObject(h, "latest", latest);
    if (deleted) {
        cJSON_AddNumberToObject(h, "deletedDate", (double)(sd->now - 2 * DAY));
        cJSON_AddNumberToObject(h, "scheduledPurgeDate",
                                (double)(sd->now + 88 * DAY));
    }
    put(sd, key, h);
    free(key);
}

/* Adds a secret with versions; the value of version i is value(i). */
static void
add_secret(struct seeder *sd, const char *vault, const char *name,
           const struct secret_opts *o, const char *value_seed,
           const char *deleted_key)
{
    int n = o->versions > 0 ? o->versions : 1;
    int step = o->step_days > 0 ? o->step_days : 30;
    char *latest = NULL;

    for (int i = 0; i < n; i++) {
        char *vs = fmt("%s/%s/%s/%d", sd->tag, vault, name, i);
        char *ver = util_hex_from(vs, 32);
        char *valseed = fmt("%s/%d", value_seed, i);
        char *val = util_hex_from(valseed, 32);
        char *key = fmt("secv|%s|%s|%s", vault, name, ver);
        int64_t created = sd->now - (int64_t)(n - i) * step * DAY + 3600 * i;
        cJSON *sv = cJSON_CreateObject(), *a;
        char *v;

        v = secret_value(name, val);
        cJSON_AddStringToObject(sv, "value", v);
        if (o->content_type)
            cJSON_AddStringToObject(sv, "contentType", o->content_type);
        a = cJSON_AddObjectToObject(sv, "attributes");
        cJSON_AddBoolToObject(a, "enabled",
                              !((i == n - 1 && o->latest_disabled) ||
                                (i == 0 && n > 1 && o->first_disabled)));
        if (i == n - 1 && o->exp)
            cJSON_AddNumberToObject(a, "exp", (double)o->exp);
        cJSON_AddNumberToObject(a, "created", (double)created);
        cJSON_AddNumberToObject(a, "updated", (double)created);
        if (o->tags || (i == n - 1 && o->latest_tags)) {
            cJSON *t = tags_of(o->tags);

            for (size_t j = 0; i == n - 1 && o->latest_tags &&
                               o->latest_tags[j] && o->latest_tags[j + 1];
                 j += 2)
                json_set_str(t, o->latest_tags[j], o->latest_tags[j + 1]);
            cJSON_AddItemToObject(sv, "tags", t);
        }
        put(sd, key, sv);
        free(latest);
        latest = ver;
        free(vs);
        free(valseed);
        free(val);
        free(key);
        free(v);
    }
    add_secret_head(sd, vault, name, latest, deleted_key != NULL);
    free(latest);
}

/* ---- network ----------------------------------------------------------- */

static char *
etag(struct seeder *sd, const char *what)
{
    char *u = util_uuid_from(what), *e = fmt("W/\"%s\"", u);

    (void)sd;
    free(u);
    return e;
}

/* A VNet and its subnets: subnets holds (name, prefix, policy, service)
 * four at a time, NULL-ended: policy the subnet's
 * privateEndpointNetworkPolicies, service "" or a service endpoint
 * ("Microsoft.KeyVault"). */
static void
add_vnet(struct seeder *sd, const char *sub, const char *rg, const char *name,
         const char *loc, const char *space, const char *const *subnets)
{
    char *id = fmt("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/virtualNetworks/%s",
                   sub, rg, name);
    char *key = fmt("vnet|%s|%s|%s", sub, rg, name);
    char *e = etag(sd, id), *guid = util_uuid_from(key);
    const char *prefixes[] = {space};
    cJSON *pl = cJSON_CreateStringArray(prefixes, 1);

    put(sd, key, arm_doc_vnet(id, name, e, loc, NULL, guid, pl, false));
    for (size_t i = 0; subnets[i]; i += 4) {
        char *skey = fmt("subnet|%s|%s|%s|%s", sub, rg, name, subnets[i]);
        cJSON *se = NULL;

        if (*subnets[i + 3]) {
            cJSON *one = cJSON_CreateObject();

            cJSON_AddStringToObject(one, "provisioningState", "Succeeded");
            cJSON_AddStringToObject(one, "service", subnets[i + 3]);
            cJSON_AddItemToObject(one, "locations", cJSON_Parse("[\"*\"]"));
            se = cJSON_CreateArray();
            cJSON_AddItemToArray(se, one);
        }
        put(sd, skey,
            arm_doc_subnet(id, subnets[i], e, subnets[i + 1], se,
                           subnets[i + 2], "Enabled"));
        free(skey);
    }
    cJSON_Delete(pl);
    free(id);
    free(key);
    free(e);
    free(guid);
}

/* The zone group "default" of endpoint pe_id and the A record it keeps
 * for vault in the zone (zone_id; zone_key: "rec|SUB|RG|ZONE"). */
static void
add_zone_group(struct seeder *sd, const char *zgkey, const char *pe_id,
               const char *etag, const char *vault, const char *ip,
               const char *zone_id, const char *zone_key)
{
    const char *zone = strrchr(zone_id, '/') + 1;
    char *zgid = fmt("%s/privateDnsZoneGroups/default", pe_id);
    char *rkey = fmt("%s|a|%s", zone_key, vault);
    char *rfqdn = fmt("%s.%s", vault, zone);
    char *recid = fmt("%s/A/%s", zone_id, vault);
    char *re = util_uuid_from(recid);
    cJSON *zg = arm_doc_zone_group(zgid, "default", etag), *rec;

    arm_doc_zone_config_record(
        arm_doc_zone_config(zg, "privatelink-vaultcore", etag, zone_id), vault,
        rfqdn, ip);
    put(sd, zgkey, zg);
    rec = arm_doc_a_record(zone_id, zone, vault, re, 10);
    arm_doc_a_address(rec, ip);
    put(sd, rkey, rec);
    free(zgid);
    free(rkey);
    free(rfqdn);
    free(recid);
    free(re);
}

/* A private endpoint to a vault, approved, with its DNS zone group. */
static void
add_private_endpoint(struct seeder *sd, const char *sub, const char *rg,
                     const char *pe, const char *loc, const char *subnet_id,
                     const char *vault_id, const char *vault_rg_key,
                     const char *vault, const char *ip, const char *zone_id,
                     const char *zone_key)
{
    char *id = fmt("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/privateEndpoints/%s",
                   sub, rg, pe);
    char *key = fmt("pe|%s|%s|%s", sub, rg, pe);
    char *e = etag(sd, id), *guid = util_uuid_from(key);
    char *conn = fmt("%s-connection", pe);
    char *nicid = arm_doc_nic_id(sub, rg, pe, guid);
    char *pid = fmt("%s/privateEndpointConnections/%s", vault_id, conn);
    char *pkey = fmt("pec|%s|%s", vault_rg_key, conn);
    char *pe_tag = util_hex_from(pid, 32);
    char *zgkey = fmt("zg|%s|%s|%s|default", sub, rg, pe);
    const char *vaults[] = {vault};
    cJSON *conns = cJSON_CreateArray();

    cJSON_AddItemToArray(conns, arm_doc_pe_conn(id, conn, e, vault_id, NULL));
    put(sd, key,
        arm_doc_private_endpoint(&(struct arm_doc_pe){
            .id = id,
            .name = pe,
            .etag = e,
            .location = loc,
            .guid = guid,
            .conns = conns,
            .manual = cJSON_CreateArray(),
            .nic_name = "",
            .subnet_id = subnet_id,
            .nic_id = nicid,
            .ip = ip,
            .vaults = vaults,
            .nvaults = 1,
            .dns_suffix = "vault.azure.net",
        }));
    /* The vault's side of the connection. */
    put(sd, pkey,
        arm_doc_pec(vault_id, loc, conn, pe_tag, id, "Approved",
                    "Auto Approved"));
    add_zone_group(sd, zgkey, id, e, vault, ip, zone_id, zone_key);
    free(id);
    free(key);
    free(e);
    free(guid);
    free(conn);
    free(nicid);
    free(pid);
    free(pkey);
    free(pe_tag);
    free(zgkey);
}

static void
add_zone(struct seeder *sd, const char *sub, const char *rg, const char *zone,
         const char *vnet_id, const char *link)
{
    char *id = fmt("/subscriptions/%s/resourceGroups/%s/providers/"
                   "Microsoft.Network/privateDnsZones/%s",
                   sub, rg, zone);
    char *key = fmt("zone|%s|%s|%s", sub, rg, zone);
    char *e = util_uuid_from(id);
    char *lid = fmt("%s/virtualNetworkLinks/%s", id, link);
    char *lkey = fmt("vlink|%s|%s|%s|%s", sub, rg, zone, link);
    char *le = fmt("\"%s\"", e);

    put(sd, key, arm_doc_zone(id, zone, e, NULL));
    put(sd, lkey, arm_doc_vlink(lid, link, le, NULL, false, vnet_id));
    free(id);
    free(key);
    free(e);
    free(lid);
    free(lkey);
    free(le);
}

static void
soft_deleted_vault(struct seeder *sd, const char *sub, const char *rg,
                   const char *name, const char *loc)
{
    struct vault_opts o = {.retention = 90};
    cJSON *inner = vault_doc(sd, sub, rg, name, loc, &o, sd->now - 400 * DAY);
    char *key = fmt("dvault|%s|%s|%s", sub, loc, name);
    char *lkey = util_lower(key), *nk = fmt("vname|%s", name);

    /* Deleted three days ago: purged in 87 days of its 90. */
    put(sd, key, arm_doc_deleted_vault(inner, sub, sd->now - 3 * DAY));
    put(sd, nk, arm_doc_vault_name("deleted", lkey));
    cJSON_Delete(inner);
    free(key);
    free(lkey);
    free(nk);
}

/* The account's second tenant (:tenant): one subscription, one vault.
 * Tokens of the home tenant see none of it. */
static void
seed_fabrikam(struct seeder *sd)
{
    char *sub = util_uuid_from("kvdeck-demo/subscription/fabrikam-sandbox");
    static const char *const tags[] = {"env", "sandbox", "owner", "fabrikam",
                                       NULL};
    struct vault_opts o = {.tags = tags, .tenant = sd->sim->id.tenant2};

    if (!sd->sim->id.tenant2) {
        free(sub);
        return;
    }
    add_sub_in(sd, sub, "Fabrikam Sandbox", sd->sim->id.tenant2);
    add_rg(sd, sub, "rg-fabrikam-sandbox", "germanywestcentral", tags);
    add_vault(sd, sub, "rg-fabrikam-sandbox", "kv-fabrikam-sandbox",
              "germanywestcentral", &o);
    add_secret(sd, "kv-fabrikam-sandbox", "partner-api-key",
               &(struct secret_opts){.versions = 2}, "fab/partner", NULL);
    add_secret(sd, "kv-fabrikam-sandbox", "sandbox-db-password",
               &(struct secret_opts){.versions = 1, .content_type = "password"},
               "fab/db", NULL);
    free(sub);
}

static const char *const demo_prod_tags[] = {"env", "prod", "owner",
                                             "platform-team", NULL};
static const char *const demo_ai_tags[] = {"env", "prod", "workload",
                                           "ai-assistant", NULL};
static const char *const demo_dev_tags[] = {"env", "dev", NULL};

/* An AI services account; its keys derive from key_seed, Key1 from
 * "KEY_SEED/K1" (a secret's value_seed and version index give the same
 * value: the secret then holds Key1), Key2 from "KEY_SEED/key2". */
static void
add_cog(struct seeder *sd, const char *sub, const char *rg, const char *name,
        const char *kind, const char *loc, const char *const *tags,
        const char *k1_seed, const char *key_seed)
{
    char *k2s = fmt("%s/key2", key_seed);
    char *k1 = util_hex_from(k1_seed, COG_KEY_LEN);
    char *k2 = util_hex_from(k2s, COG_KEY_LEN);
    char *key = cog_key(sub, rg, name), *nk = cog_name_key(name);
    cJSON *t = tags_of(tags), *entry = cJSON_CreateObject();

    put(sd, key,
        cog_account_doc(sub, rg, name, kind, loc, "S0", t, k1, k2,
                        sd->now - 120 * DAY));
    cJSON_AddStringToObject(entry, "key", key);
    put(sd, nk, entry);
    cJSON_Delete(t);
    free(k2s);
    free(k1);
    free(k2);
    free(key);
    free(nk);
}

/* Production: the application's vault. */
static void
demo_app(struct seeder *sd, const char *prod)
{
    struct vault_opts app = {.tags = demo_prod_tags};

    add_vault(sd, prod, "rg-app-prod", "kv-contoso-app-prod", "eastus", &app);
    add_cog(sd, prod, "rg-app-prod", "contoso-language", "CognitiveServices",
            "eastus", demo_prod_tags, "app/language/key1", "app/language");
    add_secret(sd, "kv-contoso-app-prod", "db-password",
               &(struct secret_opts){.versions = 3,
                                     .content_type = "password",
                                     .first_disabled = true},
               "app/db", NULL);
    add_secret(sd, "kv-contoso-app-prod", "storage-connection-string",
               &(struct secret_opts){.versions = 2,
                                     .content_type = "connection-string"},
               "app/storage", NULL);
    add_secret(sd, "kv-contoso-app-prod", "redis-access-key",
               &(struct secret_opts){.versions = 1}, "app/redis", NULL);
    add_secret(sd, "kv-contoso-app-prod", "jwt-signing-key",
               &(struct secret_opts){
                   .versions = 2, .first_disabled = true, .step_days = 45},
               "app/jwt", NULL);
    add_secret(sd, "kv-contoso-app-prod", "smtp-password",
               &(struct secret_opts){.versions = 1,
                                     .content_type = "password",
                                     .exp = sd->now + 20 * DAY},
               "app/smtp", NULL);
}

/* Production: the AI assistant's premium vault, and the Azure OpenAI
 * account whose Key1 its openai-api-key secret holds (current version,
 * tagged source-resource-id with the account's id). */
static void
demo_ai(struct seeder *sd, const char *prod)
{
    static const char *const openai_tags[] = {
        "provider", "azure-openai",
        "endpoint", "https://contoso-ai.openai.azure.com/",
        "rotation", "90d",
        NULL};
    struct vault_opts ai = {.tags = demo_ai_tags, .sku = "premium"};
    char *acct = fmt("/subscriptions/%s/resourceGroups/rg-ai-prod/providers/"
                     "%s/contoso-ai",
                     prod, COG_TYPE);
    const char *const source[] = {"source-resource-id", acct, NULL};

    /* "ai/openai/2": the value seed of openai-api-key's third (current)
     * version, below. */
    add_cog(sd, prod, "rg-ai-prod", "contoso-ai", "OpenAI", "eastus2",
            demo_ai_tags, "ai/openai/2", "ai/openai");
    add_vault(sd, prod, "rg-ai-prod", "kv-contoso-ai-prod", "eastus2", &ai);
    add_secret(sd, "kv-contoso-ai-prod", "openai-api-key",
               &(struct secret_opts){.versions = 3,
                                     .content_type = "text/plain; api-key",
                                     .tags = openai_tags,
                                     .latest_tags = source,
                                     .exp = sd->now + 60 * DAY,
                                     .first_disabled = true},
               "ai/openai", NULL);
    free(acct);
    add_secret(sd, "kv-contoso-ai-prod", "openai-endpoint",
               &(struct secret_opts){.versions = 1, .content_type = "url"},
               "ai/endpoint", NULL);
    add_secret(sd, "kv-contoso-ai-prod", "search-admin-key",
               &(struct secret_opts){.versions = 2}, "ai/search", NULL);
}

/* Production: the hub network and the private-only core vault behind a
 * private endpoint with its DNS zone. */
static void
demo_core(struct seeder *sd, const char *prod)
{
    /* snet-apps: the Microsoft.KeyVault service endpoint (for a vault's
     * virtual network rule); snet-data: private endpoint network
     * policies Enabled (a subnet whose policy must change). */
    static const char *const subnets_hub[] = {"snet-apps",
                                              "10.10.1.0/24",
                                              "Disabled",
                                              "Microsoft.KeyVault",
                                              "snet-private-endpoints",
                                              "10.10.2.0/24",
                                              "Disabled",
                                              "",
                                              "snet-data",
                                              "10.10.3.0/24",
                                              "Enabled",
                                              "",
                                              NULL};
    static const char *const subnets_spoke[] = {
        "snet-endpoints", "10.40.1.0/24", "Disabled", "", NULL};
    struct vault_opts core = {
        .tags = demo_prod_tags, .private_only = true, .purge_protection = true};
    char *vnet_id, *subnet_id, *vault_id, *zone_id, *zone_key, *vault_key;

    add_vnet(sd, prod, "rg-network-prod", "vnet-hub-prod", "eastus",
             "10.10.0.0/16", subnets_hub);
    /* A VNet in another region than the vaults, not linked to the zone. */
    add_vnet(sd, prod, "rg-network-prod", "vnet-spoke-westus2", "westus2",
             "10.40.0.0/16", subnets_spoke);
    add_vault(sd, prod, "rg-network-prod", "kv-contoso-core-prod", "eastus",
              &core);
    add_secret(sd, "kv-contoso-core-prod", "sql-admin-password",
               &(struct secret_opts){.versions = 2, .content_type = "password"},
               "core/sql", NULL);
    add_secret(sd, "kv-contoso-core-prod", "tls-cert-passphrase",
               &(struct secret_opts){.versions = 1}, "core/tls", NULL);
    vnet_id = fmt("/subscriptions/%s/resourceGroups/rg-network-prod/providers/"
                  "Microsoft.Network/virtualNetworks/vnet-hub-prod",
                  prod);
    subnet_id = fmt("%s/subnets/snet-private-endpoints", vnet_id);
    vault_id = fmt("/subscriptions/%s/resourceGroups/rg-network-prod/"
                   "providers/Microsoft.KeyVault/vaults/kv-contoso-core-prod",
                   prod);
    zone_id = fmt("/subscriptions/%s/resourceGroups/rg-network-prod/providers/"
                  "Microsoft.Network/privateDnsZones/"
                  "privatelink.vaultcore.azure.net",
                  prod);
    zone_key =
        fmt("rec|%s|rg-network-prod|privatelink.vaultcore.azure.net", prod);
    vault_key = fmt("%s|rg-network-prod|kv-contoso-core-prod", prod);
    add_zone(sd, prod, "rg-network-prod", "privatelink.vaultcore.azure.net",
             vnet_id, "link-vnet-hub-prod");
    add_private_endpoint(sd, prod, "rg-network-prod", "pe-kv-contoso-core-prod",
                         "eastus", subnet_id, vault_id, vault_key,
                         "kv-contoso-core-prod", "10.10.2.4", zone_id,
                         zone_key);
    free(vnet_id);
    free(subnet_id);
    free(vault_id);
    free(zone_id);
    free(zone_key);
    free(vault_key);
}

/* Development: a network, a vault with an expired and a deleted secret,
 * and a soft-deleted vault. */
static void
demo_dev(struct seeder *sd, const char *dev)
{
    static const char *const subnets_dev[] = {"snet-default", "10.20.1.0/24",
                                              "Disabled", "", NULL};
    struct vault_opts devv = {.tags = demo_dev_tags, .retention = 7};

    add_vnet(sd, dev, "rg-app-dev", "vnet-dev", "westeurope", "10.20.0.0/16",
             subnets_dev);
    add_vault(sd, dev, "rg-app-dev", "kv-contoso-dev", "westeurope", &devv);
    add_secret(sd, "kv-contoso-dev", "db-password",
               &(struct secret_opts){.versions = 2, .content_type = "password"},
               "dev/db", NULL);
    add_secret(sd, "kv-contoso-dev", "feature-flags-token",
               &(struct secret_opts){.versions = 1}, "dev/flags", NULL);
    add_secret(sd, "kv-contoso-dev", "legacy-api-key",
               &(struct secret_opts){.versions = 1, .exp = sd->now - 10 * DAY},
               "dev/legacy", NULL);
    add_secret(sd, "kv-contoso-dev", "old-ftp-password",
               &(struct secret_opts){.versions = 1}, "dev/ftp", "deleted");
    soft_deleted_vault(sd, dev, "rg-sandbox", "kv-contoso-old", "westeurope");
    add_secret(sd, "kv-contoso-old", "sandbox-token",
               &(struct secret_opts){.versions = 1}, "old/token", NULL);
}

static void
seed_demo(struct seeder *sd)
{
    char *prod = util_uuid_from("kvdeck-demo/subscription/production");
    char *dev = util_uuid_from("kvdeck-demo/subscription/development");

    add_sub(sd, prod, "Contoso Production");
    add_sub(sd, dev, "Contoso Development");
    add_rg(sd, prod, "rg-app-prod", "eastus", demo_prod_tags);
    add_rg(sd, prod, "rg-ai-prod", "eastus2", demo_ai_tags);
    add_rg(sd, prod, "rg-network-prod", "eastus", demo_prod_tags);
    add_rg(sd, dev, "rg-app-dev", "westeurope", demo_dev_tags);
    add_rg(sd, dev, "rg-sandbox", "westeurope", demo_dev_tags);
    demo_app(sd, prod);
    demo_ai(sd, prod);
    demo_core(sd, prod);
    demo_dev(sd, dev);
    seed_fabrikam(sd);
    free(prod);
    free(dev);
}

struct scale_params {
    long subs, groups, vaults, secrets, versions, bigvault;
};

static enum kv_status
parse_scale(const char *spec, struct scale_params *p, char **why)
{
    char *copy, *save = NULL, *tok;
    enum kv_status rc = KV_OK;

    *p = (struct scale_params){20, 5, 100, 5, 2, 25000};
    if (strcmp(spec, "scale") == 0)
        return KV_OK;
    copy = xstrdup(spec + strlen("scale:"));
    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end;
        long v;
        long *dst = NULL;

        if (!eq) {
            rc = KV_ERR_INVALID;
            break;
        }
        *eq = '\0';
        v = strtol(eq + 1, &end, 10);
        if (strcmp(tok, "subs") == 0)
            dst = &p->subs;
        else if (strcmp(tok, "groups") == 0)
            dst = &p->groups;
        else if (strcmp(tok, "vaults") == 0)
            dst = &p->vaults;
        else if (strcmp(tok, "secrets") == 0)
            dst = &p->secrets;
        else if (strcmp(tok, "versions") == 0)
            dst = &p->versions;
        else if (strcmp(tok, "bigvault") == 0)
            dst = &p->bigvault;
        if (!dst || *end || v < 0 || v > 1000000) {
            rc = KV_ERR_INVALID;
            break;
        }
        *dst = v;
    }
    free(copy);
    if (rc == KV_OK && (p->subs < 1 || p->subs > 5000 || p->groups < 1 ||
                        p->vaults > 999 || p->versions < 1))
        rc = KV_ERR_INVALID;
    if (rc != KV_OK)
        *why = xasprintf("bad scale seed '%s' (scale[:subs=1..5000,groups=N,"
                         "vaults=0..999,secrets=N,versions=1..,bigvault=N])",
                         spec);
    return rc;
}

/* The scale seed's secret k of vault v in subscription s: about one in
 * five expires within the next 90 days, one in fifteen expired up to 20
 * days ago, one in five has no expiry but a rotation-days tag (30, 60 or
 * 90), the rest neither; deterministic, so the expiring-secrets view has
 * the same findings on every start. */
static void
scale_secret_opts(struct secret_opts *o, int64_t now, long s, long v, long k)
{
    static const char *const rot[][3] = {{"rotation-days", "30", NULL},
                                         {"rotation-days", "60", NULL},
                                         {"rotation-days", "90", NULL}};
    unsigned long h = (unsigned long)(s * 7919 + v * 131 + k * 17);

    o->exp = 0;
    o->tags = NULL;
    switch (h % 15) {
    case 0:
    case 3:
    case 6:
        o->exp = now + (int64_t)(h / 15 % 90 + 1) * DAY - 3600;
        break;
    case 1:
        o->exp = now - (int64_t)(h / 15 % 20 + 1) * DAY;
        break;
    case 2:
    case 5:
    case 8:
        o->tags = rot[h / 15 % 3];
        break;
    default:
        break;
    }
}

static void
seed_scale(struct seeder *sd, const struct scale_params *p)
{
    struct vault_opts o = {0};
    struct secret_opts so = {.versions = (int)p->versions, .step_days = 10};
    const struct secret_opts big = {.versions = 1};

    for (long s = 0; s < p->subs; s++) {
        char *sid = fmt("kvdeck-scale/subscription/%ld", s);
        char *sub = util_uuid_from(sid),
             *sname = fmt("Scale Subscription %02ld", s);

        add_sub(sd, sub, sname);
        for (long g = 0; g < p->groups; g++) {
            char *rg = fmt("rg-scale-%02ld", g);

            add_rg(sd, sub, rg, "eastus", NULL);
            free(rg);
        }
        for (long v = 0; v < p->vaults; v++) {
            char *rg = fmt("rg-scale-%02ld", v % p->groups);
            char *name = fmt("kvs%02ldv%03ld", s, v);
            long n = s == 0 && v == 0 && p->bigvault ? p->bigvault : p->secrets;

            add_vault(sd, sub, rg, name, "eastus", &o);
            for (long k = 0; k < n; k++) {
                char *sec = fmt("secret-%05ld", k);
                char *vs = fmt("scale/%s/%s", name, sec);

                scale_secret_opts(&so, sd->now, s, v, k);
                add_secret(sd, name, sec, n == p->secrets ? &so : &big, vs,
                           NULL);
                free(sec);
                free(vs);
            }
            free(rg);
            free(name);
        }
        free(sid);
        free(sub);
        free(sname);
    }
}

enum kv_status
seed_check(const char *spec, char **why)
{
    struct scale_params p;

    if (strcmp(spec, "demo") == 0 || strcmp(spec, "empty") == 0)
        return KV_OK;
    if (strcmp(spec, "scale") == 0 || str_starts(spec, "scale:"))
        return parse_scale(spec, &p, why);
    *why = xasprintf("unknown seed '%s' (demo, scale[:...], empty)", spec);
    return KV_ERR_INVALID;
}

enum kv_status
seed_load(struct sim *sim, const char *spec, char **why)
{
    struct seeder sd = {.sim = sim, .now = sim_now_ms() / 1000, .tag = spec};
    struct scale_params p;
    enum kv_status rc;

    if ((rc = seed_check(spec, why)) != KV_OK)
        return rc;
    if (strcmp(spec, "demo") == 0) {
        seed_demo(&sd);
    } else if (strcmp(spec, "empty") == 0) {
        char *sub = util_uuid_from("kvdeck-empty/subscription");

        add_sub(&sd, sub, "Empty Subscription");
        free(sub);
    } else {
        parse_scale(spec, &p, why);
        seed_scale(&sd, &p);
    }
    rbac_seed(sim); /* the seeded principals' role assignments */
    return store_compact(sim->store, why);
}
