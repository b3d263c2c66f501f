/*
 * dp-secret-backup.c — backup of a secret with all its versions into an
 * opaque blob ({"value": base64url}) and restore of such a blob into a
 * vault where the name is free (neither live nor soft-deleted). The blob
 * is the simulator's own format, not Key Vault's protected one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/dp-secret.h"
#include "sim/store.h"
#include "sim/util.h"

#define BACKUP_MAGIC "KVSIM-SECRET-BACKUP-1."

void
dp_secret_backup(struct dp_ctx *cx, const char *name)
{
    char *hk = dp_secret_key("sec", cx->vname, name, NULL);
    char *prefix = dp_secret_key("secv", cx->vname, name, "");
    cJSON *head = store_get_json(cx->sim->store, hk), *blob, *vers, *o;
    struct vec kvs = VEC_INIT;
    char *json, *b64, *val;

    if (!head || !dp_secret_visible(head)) {
        dp_secret_not_found(cx, name, NULL);
        goto out;
    }
    store_scan(cx->sim->store, prefix, NULL, 0, NULL, NULL, &kvs, NULL);
    blob = cJSON_CreateObject();
    cJSON_AddItemToObject(blob, "head", cJSON_Duplicate(head, true));
    vers = cJSON_AddObjectToObject(blob, "versions");
    for (size_t i = 0; i < kvs.len; i++) {
        struct store_kv *kv = kvs.items[i];

        cJSON_AddItemToObject(vers, strrchr(kv->key, '|') + 1,
                              cJSON_Parse(kv->val));
    }
    json = json_print(blob);
    b64 = str_base64url(json, strlen(json));
    val = xasprintf("%s%s", BACKUP_MAGIC, b64);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", val);
    resp_json(cx->rs, 200, o);
    cJSON_Delete(blob);
    secmem_wipe(json, strlen(json));
    free(json);
    free(b64);
    free(val);
    vec_free_all(&kvs, store_kv_free);
out:
    cJSON_Delete(head);
    free(hk);
    free(prefix);
}

void
dp_secret_restore(struct dp_ctx *cx)
{
    cJSON *b = req_json(cx->rq), *blob = NULL, *head, *v;
    const char *val = json_str(b, "value");
    unsigned char *raw = NULL;
    size_t len = 0;
    char *hk = NULL, *dk = NULL, *why = NULL, *old = NULL, *dold = NULL;
    const char *name;
    struct store_txn *t;

    if (!val || !str_starts(val, BACKUP_MAGIC) ||
        !str_base64_decode(val + strlen(BACKUP_MAGIC),
                           strlen(val + strlen(BACKUP_MAGIC)), &raw, &len) ||
        !(blob = json_parse_object((char *)raw, len)) ||
        !(head = cJSON_GetObjectItem(blob, "head")) ||
        !(name = json_str(head, "name"))) {
        dp_error(cx, 400, "BadParameter", NULL,
                 "Backup blob contains invalid or corrupt version.");
        goto out;
    }
    cJSON_DeleteItemFromObject(head, "_visibleAt");
    hk = dp_secret_key("sec", cx->vname, name, NULL);
    dk = dp_secret_key("dsec", cx->vname, name, NULL);
    store_write_lock(cx->sim->store);
    if ((old = store_get(cx->sim->store, hk)) ||
        (dold = store_get(cx->sim->store, dk))) {
        dp_error(cx, 409, "Conflict", NULL,
                 "Secret %s already exists in this vault.", name);
    } else {
        t = store_txn_new();
        store_txn_put(t, hk, head);
        cJSON_ArrayForEach(v, cJSON_GetObjectItem(blob, "versions"))
        {
            char *vk = dp_secret_key("secv", cx->vname, name, v->string);

            store_txn_put(t, vk, v);
            free(vk);
        }
        if (store_commit(cx->sim->store, t, &why) != KV_OK)
            dp_error(cx, 500, "InternalServerError", NULL, "%s", why);
        else
            resp_json(
                cx->rs, 200,
                dp_secret_render(
                    cx, name, json_str(head, "latest"),
                    cJSON_GetObjectItem(cJSON_GetObjectItem(blob, "versions"),
                                        json_str(head, "latest")),
                    false, true));
    }
    store_write_unlock(cx->sim->store);
out:
    if (raw)
        secmem_wipe(raw, len);
    cJSON_Delete(b);
    cJSON_Delete(blob);
    free(raw);
    free(hk);
    free(dk);
    free(old);
    free(dold);
    free(why);
}
