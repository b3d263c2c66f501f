/*
 * model.c — freeing the resource structs of model.h and reading tags.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "azure/model.h"

void
kv_tags_free(struct kv_tags *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].key);
        free(t->items[i].value);
    }
    free(t->items);
    t->items = NULL;
    t->n = 0;
}

const char *
kv_tags_get(const struct kv_tags *t, const char *key)
{
    for (size_t i = 0; t != NULL && i < t->n; i++)
        if (str_ieq(t->items[i].key, key))
            return t->items[i].value;
    return NULL;
}

void
kv_tags_set(struct kv_tags *t, const char *key, const char *value)
{
    for (size_t i = 0; i < t->n; i++) {
        if (str_ieq(t->items[i].key, key)) {
            free(t->items[i].value);
            t->items[i].value = xstrdup(value);
            return;
        }
    }
    t->items = xreallocarray(t->items, t->n + 1, sizeof *t->items);
    t->items[t->n].key = xstrdup(key);
    t->items[t->n].value = xstrdup(value);
    t->n++;
}

void
kv_subscription_free(struct kv_subscription *s)
{
    if (s == NULL)
        return;
    free(s->id);
    free(s->subscription_id);
    free(s->tenant_id);
    free(s->display_name);
    free(s->state);
    free(s->json);
    free(s);
}

void
kv_tenant_free(struct kv_tenant *t)
{
    if (t == NULL)
        return;
    free(t->id);
    free(t->display_name);
    free(t->default_domain);
    free(t->json);
    free(t);
}

void
kv_group_free(struct kv_group *g)
{
    if (g == NULL)
        return;
    free(g->id);
    free(g->name);
    free(g->subscription_id);
    free(g->location);
    free(g->provisioning_state);
    free(g->managed_by);
    kv_tags_free(&g->tags);
    free(g->json);
    free(g);
}

void
kv_vault_free(struct kv_vault *v)
{
    if (v == NULL)
        return;
    free(v->id);
    free(v->name);
    free(v->subscription_id);
    free(v->resource_group);
    free(v->location);
    free(v->tenant_id);
    free(v->vault_uri);
    free(v->sku);
    free(v->provisioning_state);
    free(v->public_network_access);
    free(v->network_default_action);
    free(v->network_bypass);
    kv_strlist_free(&v->ip_rules);
    kv_strlist_free(&v->vnet_rules);
    kv_tags_free(&v->tags);
    free(v->json);
    free(v);
}

/* What a secret list item and a secret version both own. */
static void
secret_fields_free(char *id, char *name, char *vault_uri, char *content_type,
                   struct kv_secret_attrs *attrs, struct kv_tags *tags,
                   char *json)
{
    free(id);
    free(name);
    free(vault_uri);
    free(content_type);
    free(attrs->recovery_level);
    kv_tags_free(tags);
    free(json);
}

void
kv_secret_item_free(struct kv_secret_item *s)
{
    if (s == NULL)
        return;
    secret_fields_free(s->id, s->name, s->vault_uri, s->content_type, &s->attrs,
                       &s->tags, s->json);
    free(s->latest_version);
    free(s);
}

void
kv_secret_version_free(struct kv_secret_version *s)
{
    if (s == NULL)
        return;
    free(s->version);
    secret_fields_free(s->id, s->name, s->vault_uri, s->content_type, &s->attrs,
                       &s->tags, s->json);
    free(s);
}

void
kv_deleted_secret_free(struct kv_deleted_secret *s)
{
    if (s == NULL)
        return;
    free(s->recovery_id);
    free(s->version);
    secret_fields_free(s->id, s->name, s->vault_uri, s->content_type, &s->attrs,
                       &s->tags, s->json);
    free(s);
}

void
kv_endpoint_connection_free(struct kv_endpoint_connection *c)
{
    if (c == NULL)
        return;
    free(c->id);
    free(c->name);
    free(c->vault_id);
    free(c->private_endpoint_id);
    free(c->status);
    free(c->description);
    free(c->actions_required);
    free(c->provisioning_state);
    free(c->etag);
    free(c->endpoint_error);
    free(c->subnet_id);
    free(c->private_ip);
    free(c->endpoint_location);
    for (size_t i = 0; i < c->n_records; i++)
        kv_dns_record_clear(&c->records[i]);
    free(c->records);
    free(c->json);
    free(c);
}

void
kv_location_free(struct kv_location *l)
{
    if (l == NULL)
        return;
    free(l->name);
    free(l->display_name);
    free(l->json);
    free(l);
}

void
kv_deleted_vault_free(struct kv_deleted_vault *d)
{
    if (d == NULL)
        return;
    free(d->id);
    free(d->name);
    free(d->subscription_id);
    free(d->location);
    free(d->vault_id);
    free(d->resource_group);
    kv_tags_free(&d->tags);
    free(d->json);
    free(d);
}

void
kv_name_check_free(struct kv_name_check *c)
{
    if (c == NULL)
        return;
    free(c->name);
    free(c->reason);
    free(c->message);
    kv_deleted_vault_free(c->deleted);
    free(c);
}

void
kv_role_assignment_free(struct kv_role_assignment *a)
{
    if (a == NULL)
        return;
    free(a->id);
    free(a->name);
    free(a->scope);
    free(a->role_definition_id);
    free(a->principal_id);
    free(a->principal_type);
    free(a->json);
    free(a);
}
