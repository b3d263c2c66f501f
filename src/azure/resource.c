/*
 * resource.c — what all resource decoders share: tags, ARM id pieces,
 * and releasing the structs of resource.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure/json.h"
#include "azure/resource.h"
#include "base/str.h"
#include "base/xalloc.h"

void
az_tags_decode(const cJSON *j, struct az_tags *out)
{
    const cJSON *it;
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(j))
        return;
    size_t n = (size_t)cJSON_GetArraySize(j);
    if (n == 0)
        return;
    out->items = xcalloc(n, sizeof *out->items);
    cJSON_ArrayForEach(it, j)
    {
        if (it->string == NULL)
            continue;
        struct az_tag *t = &out->items[out->n++];
        t->key = xstrdup(it->string);
        if (cJSON_IsString(it)) {
            t->value = xstrdup(it->valuestring);
        } else {
            char *s = cJSON_PrintUnformatted(it);
            t->value = xstrdup(s != NULL ? s : "");
            cJSON_free(s);
        }
    }
}

void
az_tags_clear(struct az_tags *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].key);
        free(t->items[i].value);
    }
    free(t->items);
    memset(t, 0, sizeof *t);
}

char *
az_id_segment(const char *id, const char *key)
{
    size_t klen = strlen(key);
    const char *p = id;
    if (id == NULL)
        return NULL;
    while ((p = strchr(p, '/')) != NULL) {
        p++;
        if (strncasecmp(p, key, klen) == 0 && p[klen] == '/') {
            const char *v = p + klen + 1;
            size_t n = strcspn(v, "/?");
            return n > 0 ? xstrndup(v, n) : NULL;
        }
    }
    return NULL;
}

bool
az_id_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    size_t na = strlen(a), nb = strlen(b);
    while (na > 0 && a[na - 1] == '/')
        na--;
    while (nb > 0 && b[nb - 1] == '/')
        nb--;
    return na == nb && strncasecmp(a, b, na) == 0;
}

void
az_subscription_clear(struct az_subscription *s)
{
    free(s->id);
    free(s->subscription_id);
    free(s->tenant_id);
    free(s->display_name);
    free(s->state);
    free(s->json);
    memset(s, 0, sizeof *s);
}

void
az_group_clear(struct az_group *g)
{
    free(g->id);
    free(g->name);
    free(g->subscription_id);
    free(g->location);
    free(g->provisioning_state);
    free(g->managed_by);
    az_tags_clear(&g->tags);
    free(g->json);
    memset(g, 0, sizeof *g);
}

void
az_vault_clear(struct az_vault *v)
{
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
    az_tags_clear(&v->tags);
    free(v->json);
    memset(v, 0, sizeof *v);
}

void
az_pec_clear(struct az_pec *p)
{
    free(p->id);
    free(p->name);
    free(p->vault_id);
    free(p->private_endpoint_id);
    free(p->status);
    free(p->description);
    free(p->actions_required);
    free(p->provisioning_state);
    free(p->etag);
    free(p->json);
    memset(p, 0, sizeof *p);
}

void
az_secret_clear(struct az_secret *s)
{
    free(s->id);
    free(s->name);
    free(s->version);
    free(s->vault_uri);
    free(s->content_type);
    free(s->attrs.recovery_level);
    az_tags_clear(&s->tags);
    free(s->json);
    memset(s, 0, sizeof *s);
}
