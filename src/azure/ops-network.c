/*
 * ops-network.c — the operations of the vault's network (issue #10; see
 * ops.h): any ARM collection or resource read as an item kind
 * (az_arm_list, az_arm_get), the bodies of the network writes (the
 * vault's networkAcls, a private endpoint, a private DNS zone, its
 * virtual network link, an endpoint's zone group, a subnet's policy, a
 * connection's state), the IP rule check, and the management-plane
 * secret write (az_arm_secret_set), whose body holds a value and is
 * therefore built in secure memory and never replayed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/ops-int.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"

/* ---- reads ------------------------------------------------------------- */

/* An op of mode on the ARM id path (checked), or one that fails from the
 * loop with why. */
static struct az_op *
arm_read(struct az_client *c, enum az_op_mode mode, const char *path,
         const char *api_version, enum az_item_kind kind,
         const struct az_op_cb *cb, void *ud)
{
    char *p = az_op_id_path(path, "");
    bool kind_ok =
        kind != AZ_ITEM_NONE && (unsigned)kind <= (unsigned)AZ_ITEM_ZONE_GROUP;
    char *url = p != NULL && api_version != NULL
                    ? az_op_arm_url(c, p, api_version)
                    : NULL;
    struct az_op *op = az_op_new(c, mode, AZ_PLANE_ARM,
                                 kind_ok ? kind : AZ_ITEM_NONE, url, cb, ud);
    free(p);
    if (url == NULL || !kind_ok) {
        const char *what = path != NULL ? path : "(none)";
        char *why = url == NULL
                        ? xasprintf(_("not a Resource Manager id: %s"), what)
                        : xasprintf(_("no item kind to read %s as"), what);
        az_op_fail_later(op, KV_ERR_INVALID, why);
        free(why);
        return op;
    }
    az_op_send(op, url);
    return op;
}

struct az_op *
az_arm_list(struct az_client *c, const char *path, const char *api_version,
            enum az_item_kind kind, const struct az_op_cb *cb, void *ud)
{
    return arm_read(c, AZ_OP_LIST, path, api_version, kind, cb, ud);
}

struct az_op *
az_arm_get(struct az_client *c, const char *id, const char *api_version,
           enum az_item_kind kind, const struct az_op_cb *cb, void *ud)
{
    return arm_read(c, AZ_OP_GET, id, api_version, kind, cb, ud);
}

/* ---- bodies ------------------------------------------------------------ */

/* cJSON o printed compactly and deleted. */
static char *
print_and_delete(cJSON *o)
{
    char *p = cJSON_PrintUnformatted(o);
    char *s = xstrdup(p != NULL ? p : "{}");
    cJSON_free(p);
    cJSON_Delete(o);
    return s;
}

char *
az_vault_network_body(const struct az_vault_network *n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *p = cJSON_AddObjectToObject(o, "properties");
    if (n->public_network_access != NULL)
        cJSON_AddStringToObject(p, "publicNetworkAccess",
                                n->public_network_access);
    cJSON *acls = cJSON_AddObjectToObject(p, "networkAcls");
    cJSON_AddStringToObject(acls, "bypass",
                            n->bypass != NULL ? n->bypass : "AzureServices");
    cJSON_AddStringToObject(acls, "defaultAction",
                            n->default_action != NULL ? n->default_action
                                                      : "Allow");
    cJSON *ips = cJSON_AddArrayToObject(acls, "ipRules");
    for (size_t i = 0; n->ip_rules != NULL && i < n->ip_rules->n; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "value", n->ip_rules->items[i]);
        cJSON_AddItemToArray(ips, r);
    }
    cJSON *vnets = cJSON_AddArrayToObject(acls, "virtualNetworkRules");
    for (size_t i = 0; n->vnet_rules != NULL && i < n->vnet_rules->n; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "id", n->vnet_rules->items[i]);
        cJSON_AddItemToArray(vnets, r);
    }
    return print_and_delete(o);
}

/* One decimal octet 0..255 at *s (no sign, no leading zeros beyond "0");
 * advances *s. */
static bool
octet(const char **s, unsigned *out)
{
    const char *p = *s;
    unsigned v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        v = v * 10 + (unsigned)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && **s == '0'))
        return false;
    *out = v;
    *s = p;
    return true;
}

const char *
az_check_ip_rule(const char *s, char **norm)
{
    unsigned o[4];
    long bits = 32;
    const char *p = s;

    if (norm != NULL)
        *norm = NULL;
    if (s == NULL || *s == '\0')
        return _("an IP rule is an IPv4 address or a CIDR range "
                 "(203.0.113.7, 203.0.113.0/24)");
    for (int i = 0; i < 4; i++) {
        if (!octet(&p, &o[i]) || (i < 3 && *p++ != '.'))
            return _("an IP rule is an IPv4 address or a CIDR range "
                     "(203.0.113.7, 203.0.113.0/24)");
    }
    if (*p == '/') {
        char *end = NULL;
        p++;
        if (*p < '0' || *p > '9')
            return _("a CIDR prefix length is 0 to 32");
        bits = strtol(p, &end, 10);
        if (*end != '\0' || bits < 0 || bits > 32 || end - p > 2)
            return _("a CIDR prefix length is 0 to 32");
    } else if (*p != '\0') {
        return _("an IP rule is an IPv4 address or a CIDR range "
                 "(203.0.113.7, 203.0.113.0/24)");
    }
    unsigned long addr =
        ((unsigned long)o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3];
    unsigned long mask =
        bits == 0 ? 0 : (0xffffffffUL << (32 - bits)) & 0xffffffffUL;
    if ((addr & ~mask & 0xffffffffUL) != 0)
        return _("the address has bits set beyond the prefix length "
                 "(e.g. 10.1.0.0/16, not 10.1.2.3/16)");
    if (norm != NULL)
        *norm = xasprintf("%u.%u.%u.%u/%ld", o[0], o[1], o[2], o[3], bits);
    return NULL;
}

char *
az_private_endpoint_body(const char *location, const char *subnet_id,
                         const char *vault_id, const char *conn_name,
                         bool manual, const char *request_message)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "location", location != NULL ? location : "");
    cJSON *p = cJSON_AddObjectToObject(o, "properties");
    cJSON *sub = cJSON_AddObjectToObject(p, "subnet");
    cJSON_AddStringToObject(sub, "id", subnet_id != NULL ? subnet_id : "");
    cJSON *conns =
        cJSON_AddArrayToObject(p, manual ? "manualPrivateLinkServiceConnections"
                                         : "privateLinkServiceConnections");
    cJSON *conn = cJSON_CreateObject();
    cJSON_AddStringToObject(conn, "name", conn_name != NULL ? conn_name : "");
    cJSON *cp = cJSON_AddObjectToObject(conn, "properties");
    cJSON_AddStringToObject(cp, "privateLinkServiceId",
                            vault_id != NULL ? vault_id : "");
    cJSON *groups = cJSON_AddArrayToObject(cp, "groupIds");
    cJSON_AddItemToArray(groups, cJSON_CreateString("vault"));
    if (manual && request_message != NULL)
        cJSON_AddStringToObject(cp, "requestMessage", request_message);
    cJSON_AddItemToArray(conns, conn);
    return print_and_delete(o);
}

char *
az_dns_zone_body(void)
{
    return xstrdup("{\"location\":\"global\"}");
}

char *
az_vnet_link_body(const char *vnet_id)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "location", "global");
    cJSON *p = cJSON_AddObjectToObject(o, "properties");
    cJSON *v = cJSON_AddObjectToObject(p, "virtualNetwork");
    cJSON_AddStringToObject(v, "id", vnet_id != NULL ? vnet_id : "");
    cJSON_AddBoolToObject(p, "registrationEnabled", false);
    return print_and_delete(o);
}

char *
az_zone_group_body(const char *zone_id)
{
    /* the config's name: the zone's name with dots as dashes, as the
     * portal does ("privatelink-vaultcore-azure-net") */
    char *zone = az_id_segment(zone_id, "privateDnsZones");
    char *name = xstrdup(zone != NULL ? zone : "zone");
    for (char *q = name; *q != '\0'; q++)
        if (*q == '.')
            *q = '-';
    cJSON *o = cJSON_CreateObject();
    cJSON *p = cJSON_AddObjectToObject(o, "properties");
    cJSON *cfgs = cJSON_AddArrayToObject(p, "privateDnsZoneConfigs");
    cJSON *cfg = cJSON_CreateObject();
    cJSON_AddStringToObject(cfg, "name", name);
    cJSON *cp = cJSON_AddObjectToObject(cfg, "properties");
    cJSON_AddStringToObject(cp, "privateDnsZoneId",
                            zone_id != NULL ? zone_id : "");
    cJSON_AddItemToArray(cfgs, cfg);
    free(zone);
    free(name);
    return print_and_delete(o);
}

char *
az_subnet_policy_body(const struct kv_subnet *subnet, const char *policies)
{
    if (subnet == NULL || subnet->json == NULL || policies == NULL)
        return NULL;
    cJSON *root =
        json_parse(subnet->json, strlen(subnet->json), "subnet", NULL);
    cJSON *props = cJSON_DetachItemFromObject(root, "properties");
    cJSON_Delete(root);
    if (!cJSON_IsObject(props)) {
        cJSON_Delete(props);
        return NULL;
    }
    /* what Azure keeps itself; the rest (prefix, NSG, route table,
     * delegations, service endpoints) goes back as read */
    cJSON_DeleteItemFromObject(props, "provisioningState");
    cJSON_DeleteItemFromObject(props, "privateEndpointNetworkPolicies");
    cJSON_AddStringToObject(props, "privateEndpointNetworkPolicies", policies);
    cJSON *o = cJSON_CreateObject();
    if (subnet->name != NULL)
        cJSON_AddStringToObject(o, "name", subnet->name);
    cJSON_AddItemToObject(o, "properties", props);
    return print_and_delete(o);
}

char *
az_pec_state_body(const char *status, const char *description, const char *etag)
{
    cJSON *o = cJSON_CreateObject();
    if (etag != NULL)
        cJSON_AddStringToObject(o, "etag", etag);
    cJSON *p = cJSON_AddObjectToObject(o, "properties");
    cJSON *st = cJSON_AddObjectToObject(p, "privateLinkServiceConnectionState");
    cJSON_AddStringToObject(st, "status", status != NULL ? status : "");
    cJSON_AddStringToObject(st, "description",
                            description != NULL ? description : "");
    return print_and_delete(o);
}

/* ---- the management-plane secret --------------------------------------- */

/* {"properties":{"value":..,<w's contentType, attributes>}[,"tags":{..}]}
 * in secure memory: the inner object is az_secret_set_body's (tags left
 * out there: ARM keeps them on the resource, not in properties). */
struct secret *
az_arm_secret_body(const struct secret *value, const struct az_secret_write *w)
{
    static const char head[] = "{\"properties\":";
    struct az_secret_write inner = {0};
    char *tags = NULL;
    if (w != NULL) {
        inner = *w;
        inner.tags = NULL;
    }
    if (w != NULL && w->tags != NULL) {
        cJSON *t = cJSON_CreateObject();
        for (size_t i = 0; i < w->tags->n; i++) {
            const struct kv_tag *tag = &w->tags->items[i];
            if (tag->key != NULL)
                cJSON_AddStringToObject(t, tag->key,
                                        tag->value != NULL ? tag->value : "");
        }
        tags = print_and_delete(t);
    }
    struct secret *props = az_secret_set_body(value, &inner);
    size_t tlen = tags != NULL ? strlen(",\"tags\":") + strlen(tags) : 0;
    struct secret *s = secret_new(sizeof head - 1 + props->len + tlen + 2);
    size_t at = 0;
    memcpy(s->data, head, sizeof head - 1);
    at += sizeof head - 1;
    memcpy(s->data + at, props->data, props->len);
    at += props->len;
    if (tags != NULL) {
        at += (size_t)sprintf(s->data + at, ",\"tags\":%s", tags);
    }
    s->data[at++] = '}';
    s->data[at] = '\0';
    s->len = at;
    secret_free(props);
    free(tags);
    return s;
}

struct az_op *
az_arm_secret_set(struct az_client *c, const char *vault_id, const char *name,
                  const struct secret *value, const struct az_secret_write *w,
                  const struct az_op_cb *cb, void *ud)
{
    char *why = NULL;
    char *n = az_op_secret_name_ok(name) ? str_url_encode(name) : NULL;
    char *suffix = n != NULL ? xasprintf("/secrets/%s", n) : NULL;
    char *path = suffix != NULL ? az_op_id_path(vault_id, suffix) : NULL;
    char *url = path != NULL ? az_op_arm_url(c, path, AZ_API_KEYVAULT) : NULL;
    struct az_op *op =
        az_op_new(c, AZ_OP_GET, AZ_PLANE_ARM, AZ_ITEM_ARM_SECRET, url, cb, ud);
    op->method = xstrdup("PUT");
    op->write = true;
    op->no_replay = true; /* every PUT makes a version */
    if (n == NULL)
        why = xasprintf(_("\"%s\" is not a valid secret name (1 to 127 "
                          "letters, digits and dashes)"),
                        name != NULL ? name : "");
    else if (path == NULL)
        why = xasprintf(_("not a vault id: %s"),
                        vault_id != NULL ? vault_id : "(none)");
    else if (value == NULL)
        why = xstrdup(_("no value to set"));
    else if (!az_op_utf8_ok((const unsigned char *)value->data, value->len))
        why = xstrdup(_("the value is not UTF-8 text; Key Vault stores "
                        "text (encode binary data, e.g. as base64)"));
    free(n);
    free(suffix);
    free(path);
    if (why != NULL) {
        az_op_fail_later(op, KV_ERR_INVALID, why);
        free(why);
        return op;
    }
    op->secret_body = az_arm_secret_body(value, w);
    az_op_send(op, url);
    return op;
}
