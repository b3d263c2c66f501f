/*
 * resource.c — what all resource decoders share: tags and ARM id pieces.
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
az_tags_decode(const cJSON *j, struct kv_tags *out)
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
        struct kv_tag *t = &out->items[out->n++];
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
