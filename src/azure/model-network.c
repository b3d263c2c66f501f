/*
 * model-network.c — the network structs of model.h (issue #10): string
 * lists, freeing subnets, virtual networks, private endpoints, DNS zones,
 * links, records, permissions and DNS checks, and kv_permits(): Azure's
 * action matching ('*' matches any run of characters, '/' included;
 * case-insensitive; a notActions match takes the action away).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "azure/model.h"
#include "base/xalloc.h"

void
kv_strlist_add(struct kv_strlist *l, const char *s)
{
    l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
    l->items[l->n++] = xstrdup(s != NULL ? s : "");
}

void
kv_strlist_free(struct kv_strlist *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void
kv_subnet_clear(struct kv_subnet *s)
{
    if (s == NULL)
        return;
    free(s->id);
    free(s->name);
    free(s->vnet_id);
    free(s->address_prefix);
    free(s->pe_policies);
    kv_strlist_free(&s->service_endpoints);
    free(s->json);
    memset(s, 0, sizeof *s);
}

void
kv_subnet_free(struct kv_subnet *s)
{
    kv_subnet_clear(s);
    free(s);
}

void
kv_vnet_free(struct kv_vnet *v)
{
    if (v == NULL)
        return;
    free(v->id);
    free(v->name);
    free(v->subscription_id);
    free(v->resource_group);
    free(v->location);
    kv_strlist_free(&v->address_prefixes);
    for (size_t i = 0; i < v->n_subnets; i++)
        kv_subnet_clear(&v->subnets[i]);
    free(v->subnets);
    free(v->json);
    free(v);
}

void
kv_private_endpoint_free(struct kv_private_endpoint *e)
{
    if (e == NULL)
        return;
    free(e->id);
    free(e->name);
    free(e->subscription_id);
    free(e->resource_group);
    free(e->location);
    free(e->provisioning_state);
    free(e->subnet_id);
    free(e->nic_id);
    free(e->private_ip);
    free(e->target_id);
    free(e->connection_status);
    free(e->connection_description);
    free(e->json);
    free(e);
}

void
kv_dns_zone_free(struct kv_dns_zone *z)
{
    if (z == NULL)
        return;
    free(z->id);
    free(z->name);
    free(z->subscription_id);
    free(z->resource_group);
    free(z->json);
    free(z);
}

void
kv_vnet_link_free(struct kv_vnet_link *l)
{
    if (l == NULL)
        return;
    free(l->id);
    free(l->name);
    free(l->zone_id);
    free(l->vnet_id);
    free(l->link_state);
    free(l->provisioning_state);
    free(l->json);
    free(l);
}

void
kv_permissions_free(struct kv_permissions *p)
{
    if (p == NULL)
        return;
    free(p->scope);
    kv_strlist_free(&p->actions);
    kv_strlist_free(&p->not_actions);
    for (size_t i = 0; i < p->n_entries; i++) {
        kv_strlist_free(&p->entries[i].actions);
        kv_strlist_free(&p->entries[i].not_actions);
    }
    free(p->entries);
    free(p->json);
    free(p);
}

void
kv_dns_check_free(struct kv_dns_check *c)
{
    if (c == NULL)
        return;
    free(c->host);
    free(c->expected);
    kv_strlist_free(&c->addresses);
    free(c->error);
    free(c);
}

void
kv_dns_record_clear(struct kv_dns_record *r)
{
    if (r == NULL)
        return;
    free(r->zone_id);
    free(r->fqdn);
    kv_strlist_free(&r->addresses);
    memset(r, 0, sizeof *r);
}

/* Glob match of pattern against s: '*' any run, ASCII case ignored. */
static bool
action_match(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s != '\0') {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (tolower((unsigned char)*pat) == tolower((unsigned char)*s)) {
            pat++;
            s++;
        } else if (star != NULL) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

static bool
any_match(const struct kv_strlist *l, const char *action)
{
    for (size_t i = 0; i < l->n; i++)
        if (action_match(l->items[i], action))
            return true;
    return false;
}

bool
kv_permits(const struct kv_permissions *perms, const char *action)
{
    if (perms == NULL || action == NULL)
        return false;
    if (perms->n_entries == 0)
        return any_match(&perms->actions, action) &&
               !any_match(&perms->not_actions, action);
    for (size_t i = 0; i < perms->n_entries; i++)
        if (any_match(&perms->entries[i].actions, action) &&
            !any_match(&perms->entries[i].not_actions, action))
            return true;
    return false;
}

void
kv_zone_group_free(struct kv_zone_group *g)
{
    if (g == NULL)
        return;
    free(g->id);
    free(g->name);
    for (size_t i = 0; i < g->n_records; i++)
        kv_dns_record_clear(&g->records[i]);
    free(g->records);
    free(g->json);
    free(g);
}
