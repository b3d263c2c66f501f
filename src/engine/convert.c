/*
 * convert.c — az_* structs to model structs by moving pointers (see
 * convert.h); nothing is copied but the tag array.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine/convert.h"

static void
move_tags(struct az_tags *from, struct kv_tags *to)
{
    to->n = from->n;
    to->items = from->n > 0 ? xcalloc(from->n, sizeof *to->items) : NULL;
    for (size_t i = 0; i < from->n; i++) {
        to->items[i].key = from->items[i].key;
        to->items[i].value = from->items[i].value;
    }
    free(from->items);
    memset(from, 0, sizeof *from);
}

static void
move_attrs(struct az_secret_attrs *from, struct kv_secret_attrs *to)
{
    to->enabled = from->enabled;
    to->created = from->created;
    to->updated = from->updated;
    to->not_before = from->not_before;
    to->expires = from->expires;
    to->recoverable_days = from->recoverable_days;
    to->recovery_level = from->recovery_level;
    from->recovery_level = NULL;
}

struct kv_subscription *
convert_subscription(struct az_subscription *a)
{
    struct kv_subscription *k = xcalloc(1, sizeof *k);
    k->id = a->id;
    k->subscription_id = a->subscription_id;
    k->tenant_id = a->tenant_id;
    k->display_name = a->display_name;
    k->state = a->state;
    k->json = a->json;
    free(a);
    return k;
}

struct kv_group *
convert_group(struct az_group *a)
{
    struct kv_group *k = xcalloc(1, sizeof *k);
    k->id = a->id;
    k->name = a->name;
    k->subscription_id = a->subscription_id;
    k->location = a->location;
    k->provisioning_state = a->provisioning_state;
    k->managed_by = a->managed_by;
    move_tags(&a->tags, &k->tags);
    k->json = a->json;
    free(a);
    return k;
}

struct kv_vault *
convert_vault(struct az_vault *a)
{
    struct kv_vault *k = xcalloc(1, sizeof *k);
    k->id = a->id;
    k->name = a->name;
    k->subscription_id = a->subscription_id;
    k->resource_group = a->resource_group;
    k->location = a->location;
    k->tenant_id = a->tenant_id;
    k->vault_uri = a->vault_uri;
    k->sku = a->sku;
    k->provisioning_state = a->provisioning_state;
    k->public_network_access = a->public_network_access;
    k->network_default_action = a->network_default_action;
    k->rbac = a->rbac;
    k->soft_delete = a->soft_delete;
    k->soft_delete_days = a->soft_delete_days;
    k->purge_protection = a->purge_protection;
    k->access_policies = a->access_policies;
    k->endpoint_connections = a->endpoint_connections;
    k->created = a->created;
    k->modified = a->modified;
    move_tags(&a->tags, &k->tags);
    k->json = a->json;
    free(a);
    return k;
}

struct kv_endpoint_connection *
convert_pec(struct az_pec *a)
{
    struct kv_endpoint_connection *k = xcalloc(1, sizeof *k);
    k->id = a->id;
    k->name = a->name;
    k->vault_id = a->vault_id;
    k->private_endpoint_id = a->private_endpoint_id;
    k->status = a->status;
    k->description = a->description;
    k->actions_required = a->actions_required;
    k->provisioning_state = a->provisioning_state;
    k->etag = a->etag;
    k->json = a->json;
    free(a);
    return k;
}

struct kv_secret_item *
convert_secret_item(struct az_secret *a)
{
    struct kv_secret_item *k = xcalloc(1, sizeof *k);
    k->id = a->id;
    k->name = a->name;
    k->vault_uri = a->vault_uri;
    k->content_type = a->content_type;
    k->managed = a->managed;
    move_attrs(&a->attrs, &k->attrs);
    move_tags(&a->tags, &k->tags);
    k->json = a->json;
    free(a->version);
    free(a);
    return k;
}

struct kv_secret_version *
convert_secret_version(struct az_secret *a)
{
    struct kv_secret_version *k = xcalloc(1, sizeof *k);
    k->id = a->id;
    k->name = a->name;
    k->version = a->version;
    k->vault_uri = a->vault_uri;
    k->content_type = a->content_type;
    k->managed = a->managed;
    move_attrs(&a->attrs, &k->attrs);
    move_tags(&a->tags, &k->tags);
    k->json = a->json;
    free(a);
    return k;
}
