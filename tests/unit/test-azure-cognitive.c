/*
 * test-azure-cognitive.c — decoding an AI services account (the shape
 * kvdeck-sim serves and the 2023-05-01 spec's example), its keys' answer
 * into secure memory (both keys needed; the tree's copies scrubbed), and
 * the endpoint probe's URL (https only, one slash).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/cognitive.h"
#include "azure/json.h"
#include "base/xalloc.h"
#include "tests/tap.h"

static const char ACCOUNT[] =
    "{\"id\":\"/subscriptions/s1/resourceGroups/rg-ai-prod/providers/"
    "Microsoft.CognitiveServices/accounts/contoso-ai\",\"name\":\"contoso-ai\","
    "\"type\":\"Microsoft.CognitiveServices/accounts\",\"kind\":\"OpenAI\","
    "\"location\":\"westeurope\",\"sku\":{\"name\":\"S0\"},"
    "\"tags\":{\"env\":\"prod\"},\"properties\":{\"endpoint\":"
    "\"https://contoso-ai.openai.localhost:8443/\",\"provisioningState\":"
    "\"Succeeded\"}}";

int
main(void)
{
    char *why = NULL;
    cJSON *j = json_parse(ACCOUNT, strlen(ACCOUNT), "test", &why);
    struct kv_ai_account *a = xcalloc(1, sizeof *a);
    is_int(az_ai_account_decode(j, a, &why), KV_OK, "an account decodes");
    is_str(a->name, "contoso-ai", "name");
    is_str(a->kind, "OpenAI", "kind");
    is_str(a->location, "westeurope", "location");
    is_str(a->endpoint, "https://contoso-ai.openai.localhost:8443/",
           "properties.endpoint");
    is_str(kv_tags_get(&a->tags, "env"), "prod", "tags");
    ok(a->json != NULL && strstr(a->json, "\"kind\"") != NULL, "json kept");
    kv_ai_account_free(a);
    cJSON_Delete(j);

    j = json_parse("{\"name\":\"x\"}", 12, "test", &why);
    a = xcalloc(1, sizeof *a);
    is_int(az_ai_account_decode(j, a, &why), KV_ERR_PARSE, "no id: refused");
    ok(why != NULL, "and said why");
    free(why);
    why = NULL;
    kv_ai_account_free(a);
    cJSON_Delete(j);

    static const char KEYS[] = "{\"key1\":\"0123456789abcdef0123456789abcdef\","
                               "\"key2\":\"fedcba9876543210fedcba9876543210\"}";
    struct secret *k1 = NULL, *k2 = NULL;
    struct secret *body = secret_dup(KEYS, strlen(KEYS));
    is_int(az_ai_keys_parse(body->data, body->len, &k1, &k2, &why), KV_OK,
           "the keys' answer parses");
    ok(k1 != NULL && k1->len == 32 &&
           memcmp(k1->data, "0123456789abcdef0123456789abcdef", 32) == 0,
       "key1 in secure memory");
    ok(k2 != NULL && k2->len == 32 &&
           memcmp(k2->data, "fedcba9876543210fedcba9876543210", 32) == 0,
       "key2 in secure memory");
    ok(k1 != NULL && k2 != NULL && !secmem_equal(k1->data, k2->data, 32),
       "two different keys");
    secret_free(k1);
    secret_free(k2);
    secret_free(body);

    static const char ONE[] = "{\"key1\":\"0123456789abcdef\"}";
    is_int(az_ai_keys_parse(ONE, strlen(ONE), &k1, &k2, &why), KV_ERR_PARSE,
           "one key only: refused");
    ok(k1 == NULL && k2 == NULL, "and nothing returned");
    ok(why != NULL && strstr(why, "0123456789abcdef") == NULL,
       "the message holds no key (%s)", why ? why : "");
    free(why);
    why = NULL;
    static const char BAD[] = "{\"key1\":\"0123";
    is_int(az_ai_keys_parse(BAD, strlen(BAD), &k1, &k2, &why), KV_ERR_PARSE,
           "malformed: refused");
    ok(why != NULL && strstr(why, "0123") == NULL, "without the body (%s)",
       why ? why : "");
    free(why);
    why = NULL;
    static const char EMPTY[] = "{\"key1\":\"\",\"key2\":\"ab\"}";
    is_int(az_ai_keys_parse(EMPTY, strlen(EMPTY), &k1, &k2, &why), KV_ERR_PARSE,
           "an empty key: refused");
    free(why);

    char *u = az_ai_probe_url("https://contoso-ai.openai.localhost:8443/");
    is_str(u,
           "https://contoso-ai.openai.localhost:8443/openai/models"
           "?api-version=2024-10-21",
           "the probe's URL");
    free(u);
    u = az_ai_probe_url("https://x.openai.azure.com");
    is_str(u, "https://x.openai.azure.com/openai/models?api-version=2024-10-21",
           "without the trailing slash");
    free(u);
    ok(az_ai_probe_url("http://x.openai.azure.com/") == NULL, "http refused");
    ok(az_ai_probe_url("https://x/?a=b") == NULL, "a query refused");
    ok(az_ai_probe_url(NULL) == NULL, "no endpoint");
    is_str(az_ai_key_name(1), "Key1", "Key1");
    is_str(az_ai_key_name(2), "Key2", "Key2");
    ok(az_ai_key_name(3) == NULL, "no Key3");
    return tap_done();
}
