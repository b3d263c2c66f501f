/*
 * ops-vault.c — the reads of the vault life cycle (see ops.h): a
 * subscription's locations, its soft-deleted vaults, whether a vault
 * name is free (checkNameAvailability), and the data-plane probe that
 * tells whether a vault answers this principal yet.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "azure/ops-int.h"
#include "base/str.h"
#include "base/xalloc.h"

/* A subscription-scoped ARM path with suffix, as a URL. */
static char *
sub_url(struct az_client *c, const char *subscription, const char *suffix,
        const char *api)
{
    char *s = str_url_encode(subscription != NULL ? subscription : "");
    char *path = xasprintf("/subscriptions/%s%s", s, suffix);
    char *url = az_op_arm_url(c, path, api);
    free(s);
    free(path);
    return url;
}

static struct az_op *
start(struct az_client *c, enum az_op_mode mode, enum az_plane plane,
      enum az_item_kind kind, char *url, const struct az_op_cb *cb, void *ud)
{
    struct az_op *op = az_op_new(c, mode, plane, kind, url, cb, ud);
    az_op_send(op, url);
    return op;
}

struct az_op *
az_list_locations(struct az_client *c, const char *subscription,
                  const struct az_op_cb *cb, void *ud)
{
    return start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_LOCATION,
                 sub_url(c, subscription, "/locations", AZ_API_LOCATIONS), cb,
                 ud);
}

struct az_op *
az_list_deleted_vaults(struct az_client *c, const char *subscription,
                       const struct az_op_cb *cb, void *ud)
{
    return start(c, AZ_OP_LIST, AZ_PLANE_ARM, AZ_ITEM_DELETED_VAULT,
                 sub_url(c, subscription,
                         "/providers/Microsoft.KeyVault/deletedVaults",
                         AZ_API_KEYVAULT),
                 cb, ud);
}

struct az_op *
az_check_vault_name(struct az_client *c, const char *subscription,
                    const char *name, const struct az_op_cb *cb, void *ud)
{
    char *url = sub_url(c, subscription,
                        "/providers/Microsoft.KeyVault/checkNameAvailability",
                        AZ_API_KEYVAULT);
    struct az_op *op =
        az_op_new(c, AZ_OP_GET, AZ_PLANE_ARM, AZ_ITEM_NAME_CHECK, url, cb, ud);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "name", name != NULL ? name : "");
    cJSON_AddStringToObject(b, "type", "Microsoft.KeyVault/vaults");
    char *body = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    op->method = xstrdup("POST");
    op->body = xstrdup(body);
    cJSON_free(body);
    az_op_send(op, url);
    return op;
}

struct az_op *
az_vault_probe(struct az_client *c, const char *vault_uri,
               const struct az_op_cb *cb, void *ud)
{
    char *url =
        az_op_data_url(vault_uri, "secrets", NULL, NULL, "&maxresults=1");
    struct az_op *op =
        az_op_new(c, AZ_OP_EMPTY, AZ_PLANE_DATA, AZ_ITEM_NONE, url, cb, ud);
    struct az_request *req = az_request_new("GET", url);
    req->single_attempt = true; /* the caller polls on its own clock */
    req->timeout_ms = 15000;
    az_op_send_request(op, req);
    return op;
}
