/*
 * openai.c — the endpoint of an Azure AI services account (see cog.h),
 * https://NAME.openai.localhost:PORT/ (kind OpenAI) or
 * https://NAME.cognitiveservices.localhost:PORT/ (kind CognitiveServices)
 * on the simulator's HTTPS listener: just enough for a client to prove a
 * key works. Every request needs the account's current Key1 or Key2 in
 * an api-key (or Ocp-Apim-Subscription-Key) header, compared in constant
 * time; anything else is 401 with Azure OpenAI's own body. Then
 * GET /openai/models?api-version=V (Azure OpenAI's data-plane list of
 * models, an OpenAI account only) answers a small model list; other
 * paths, a missing or unknown api-version are 404 "Resource not found"
 * as the service answers them. Fault rules reach it as area "openai".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "base/secmem.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sim/cog.h"
#include "sim/util.h"

/* Azure OpenAI's data-plane api-versions (GA and recent previews). */
static const char *const versions[] = {"2025-04-01-preview",
                                       "2025-03-01-preview",
                                       "2025-01-01-preview",
                                       "2024-12-01-preview",
                                       "2024-10-21",
                                       "2024-10-01-preview",
                                       "2024-06-01",
                                       "2024-02-01",
                                       "2023-05-15",
                                       "2022-12-01",
                                       NULL};

/* The models an account lists: (id, created_at, chat, embeddings). */
static const struct model {
    const char *id;
    long created;
    bool chat;
    bool embeddings;
} models[] = {
    {"gpt-4o-2024-08-06", 1722902400, true, false},
    {"gpt-4o-mini-2024-07-18", 1721260800, true, false},
    {"text-embedding-3-small", 1705953600, false, true},
};

static void
error(struct sim_resp *rs, int status, const char *code, const char *msg)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(root, "error");

    cJSON_AddStringToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", msg);
    resp_json(rs, status, root);
}

static void
not_found(struct sim_resp *rs)
{
    error(rs, 404, "404", "Resource not found");
}

/* True when the key sent equals one stored, in constant time for keys
 * of the stored length. */
static bool
key_matches(const char *sent, const char *stored)
{
    size_t n;

    if (!sent || !stored || !*stored)
        return false;
    n = strlen(stored);
    return strlen(sent) == n && CRYPTO_memcmp(sent, stored, n) == 0;
}

/* The account name of the Host (caller frees), or NULL. */
static char *
account_of(const struct sim_req *rq)
{
    static const char *const suffixes[] = {".openai.localhost",
                                           ".cognitiveservices.localhost"};
    size_t hl = strlen(rq->hostname);

    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t sl = strlen(suffixes[i]);

        if (hl > sl && str_ends(rq->hostname, suffixes[i]))
            return xstrndup(rq->hostname, hl - sl);
    }
    return NULL;
}

static cJSON *
model_list(void)
{
    cJSON *root = cJSON_CreateObject(), *data, *m, *caps;

    data = cJSON_AddArrayToObject(root, "data");
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "status", "succeeded");
        caps = cJSON_AddObjectToObject(m, "capabilities");
        cJSON_AddBoolToObject(caps, "fine_tune", false);
        cJSON_AddBoolToObject(caps, "inference", true);
        cJSON_AddBoolToObject(caps, "completion", false);
        cJSON_AddBoolToObject(caps, "chat_completion", models[i].chat);
        cJSON_AddBoolToObject(caps, "embeddings", models[i].embeddings);
        cJSON_AddStringToObject(m, "lifecycle_status", "generally-available");
        cJSON_AddStringToObject(m, "id", models[i].id);
        cJSON_AddNumberToObject(m, "created_at", (double)models[i].created);
        cJSON_AddStringToObject(m, "object", "model");
        cJSON_AddItemToArray(data, m);
    }
    cJSON_AddStringToObject(root, "object", "list");
    return root;
}

static bool
version_ok(const char *v)
{
    for (size_t i = 0; v && versions[i]; i++)
        if (strcmp(v, versions[i]) == 0)
            return true;
    return false;
}

static void
openai_handle(struct sim_req *rq, struct sim_resp *rs)
{
    char *name = account_of(rq);
    cJSON *doc = name ? cog_by_name(rq->sim, name) : NULL;
    const char *key = req_header(rq, "api-key");
    const char *kind = json_str(doc, "kind");
    bool ok;

    resp_header(rs, "apim-request-id", "%s", rq->request_id);
    resp_header(rs, "x-request-id", "%s", rq->request_id);
    if (!doc) {
        not_found(rs);
        goto out;
    }
    if (!key)
        key = req_header(rq, "Ocp-Apim-Subscription-Key");
    /* Both compared, whichever matches: the time does not tell which. */
    ok = key_matches(key, json_str(doc, "_key1"));
    ok = key_matches(key, json_str(doc, "_key2")) || ok;
    if (!ok) {
        error(rs, 401, "401",
              "Access denied due to invalid subscription key or wrong API "
              "endpoint. Make sure to provide a valid key for an active "
              "subscription and use a correct regional API endpoint for "
              "your resource.");
        goto out;
    }
    resp_header(rs, "x-ms-region", "%s", json_str(doc, "location"));
    if (kind && strcmp(kind, "OpenAI") == 0 && strcmp(rq->method, "GET") == 0 &&
        (strcmp(rq->path, "/openai/models") == 0 ||
         strcmp(rq->path, "/openai/models/") == 0) &&
        version_ok(req_query(rq, "api-version")))
        resp_json(rs, 200, model_list());
    else
        not_found(rs);
out:
    if (doc) {
        static const char *const slots[] = {"_key1", "_key2"};

        for (size_t i = 0; i < 2; i++) {
            cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, slots[i]);

            if (cJSON_IsString(k))
                secmem_wipe(k->valuestring, strlen(k->valuestring));
        }
    }
    cJSON_Delete(doc);
    free(name);
}

const struct sim_area_ops openai_area = {
    .name = "openai",
    .handle = openai_handle,
};
