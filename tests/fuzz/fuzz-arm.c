/*
 * fuzz-arm.c — libFuzzer target: Resource Manager answers. The input is
 * a selector byte and a body; the body is read as a list page
 * (az_page_parse) whose every "value" item goes through the selected
 * resource decoder (subscriptions, tenants, groups, vaults, endpoint
 * connections, locations, deleted vaults, name checks, role assignments,
 * the network model: subnets, virtual networks, private endpoints, DNS
 * zones, links, permissions, zone groups, ARM secrets), as a single
 * resource through the same decoder, and as an error body of the three
 * shapes (az_error_parse).
 */
#include "config.h"

#include <stdlib.h>

#include "azure/arm.h"
#include "azure/json.h"
#include "azure/model.h"
#include "azure/resource.h"
#include "fuzz.h"

/* One decoder: fills a zeroed struct of size, frees it with done. */
struct decoder {
    size_t size;
    enum kv_status (*decode)(const cJSON *j, void *out, char **why);
    void (*done)(void *out);
};

#define DECODER(fn, type, freefn)                                              \
    static enum kv_status dec_##fn(const cJSON *j, void *out, char **why)      \
    {                                                                          \
        return az_##fn##_decode(j, (struct type *)out, why);                   \
    }                                                                          \
    static void done_##fn(void *out)                                           \
    {                                                                          \
        freefn((struct type *)out);                                            \
    }

DECODER(subscription, kv_subscription, kv_subscription_free)
DECODER(tenant, kv_tenant, kv_tenant_free)
DECODER(group, kv_group, kv_group_free)
DECODER(vault, kv_vault, kv_vault_free)
DECODER(pec, kv_endpoint_connection, kv_endpoint_connection_free)
DECODER(location, kv_location, kv_location_free)
DECODER(deleted_vault, kv_deleted_vault, kv_deleted_vault_free)
DECODER(name_check, kv_name_check, kv_name_check_free)
DECODER(role_assignment, kv_role_assignment, kv_role_assignment_free)
DECODER(subnet, kv_subnet, kv_subnet_free)
DECODER(vnet, kv_vnet, kv_vnet_free)
DECODER(private_endpoint, kv_private_endpoint, kv_private_endpoint_free)
DECODER(dns_zone, kv_dns_zone, kv_dns_zone_free)
DECODER(vnet_link, kv_vnet_link, kv_vnet_link_free)
DECODER(permissions, kv_permissions, kv_permissions_free)
DECODER(zone_group, kv_zone_group, kv_zone_group_free)
DECODER(arm_secret, kv_secret_version, kv_secret_version_free)

#define D(fn, type)                                                            \
    {                                                                          \
        .size = sizeof(struct type), .decode = dec_##fn, .done = done_##fn     \
    }
static const struct decoder decoders[] = {
    D(subscription, kv_subscription),
    D(tenant, kv_tenant),
    D(group, kv_group),
    D(vault, kv_vault),
    D(pec, kv_endpoint_connection),
    D(location, kv_location),
    D(deleted_vault, kv_deleted_vault),
    D(name_check, kv_name_check),
    D(role_assignment, kv_role_assignment),
    D(subnet, kv_subnet),
    D(vnet, kv_vnet),
    D(private_endpoint, kv_private_endpoint),
    D(dns_zone, kv_dns_zone),
    D(vnet_link, kv_vnet_link),
    D(permissions, kv_permissions),
    D(zone_group, kv_zone_group),
    D(arm_secret, kv_secret_version),
};
#define N_DECODERS (sizeof decoders / sizeof decoders[0])

static void
decode_one(const struct decoder *d, const cJSON *j)
{
    void *out = calloc(1, d->size);
    char *why = NULL;

    if (out == NULL)
        abort();
    if (d->decode(j, out, &why) == KV_OK)
        d->done(out); /* frees the contents and out */
    else
        free(out); /* on failure *out owns nothing */
    free(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct decoder *d = &decoders[fuzz_pick(&data, &size) % N_DECODERS];
    char *body = fuzz_str(data, size);
    struct az_page page = {0};
    char *why = NULL;

    if (az_page_parse(body, size, "fuzz", &page, &why) == KV_OK) {
        const cJSON *item;
        cJSON_ArrayForEach(item, page.value) decode_one(d, item);
        (void)az_page_count(&page);
        az_page_free(&page);
    }
    free(why);
    why = NULL;

    cJSON *root = json_parse(body, size, "fuzz", &why);
    free(why);
    if (root != NULL) {
        struct kv_tags tags = {0};
        decode_one(d, root);
        az_tags_decode(cJSON_GetObjectItem(root, "tags"), &tags);
        kv_tags_free(&tags);
        cJSON_Delete(root);
    }

    struct az_error err = {0};
    if (az_error_parse(body, size, &err)) {
        (void)az_status_from_http(400 + (long)(size % 130), err.code);
        az_error_free(&err);
    }
    free(body);
    return 0;
}
