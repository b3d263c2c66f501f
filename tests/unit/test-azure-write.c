/*
 * test-azure-write.c — the pure parts of the secret writes: the PUT body
 * built in secure memory (every control character, quotes, backslash and
 * UTF-8 escaped so a JSON parser reads the same bytes back; fields left
 * out unless set) and the deleted-secret decoder on the recorded
 * DeletedSecretBundle of R:sec #21 (test_keyvault_secret.yaml).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "azure/ops-int.h"
#include "azure/resource.h"
#include "tests/tap.h"

static void
test_body(void)
{
    unsigned char raw[64];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++)
        raw[n++] = (unsigned char)c;
    static const char rest[] = "\"\\/\x7f\xc3\xa9\xe2\x82\xac";
    memcpy(raw + n, rest, sizeof rest - 1);
    n += sizeof rest - 1;
    struct secret *v = secret_dup(raw, n);
    struct secret *b = az_secret_set_body(v, NULL);
    cJSON *j = json_parse(b->data, b->len, "body", NULL);
    const char *got = json_str(j, "value");
    ok(got != NULL && strlen(got) == n && secmem_equal(got, raw, n),
       "every control character, quote, backslash and UTF-8 byte reads "
       "back the same");
    ok(strstr(b->data, "\\u0001") != NULL && strstr(b->data, "\\n") != NULL &&
           strstr(b->data, "\\\"") != NULL,
       "escaped as \\u0001, \\n, \\\"");
    ok(cJSON_GetArraySize(j) == 1, "no other field without a struct");
    json_scrub(j, "value");
    cJSON_Delete(j);
    secret_free(b);
    secret_free(v);

    v = secret_dup("x", 1);
    struct az_secret_write w = {.content_type = ""};
    b = az_secret_set_body(v, &w);
    is_str(b->data, "{\"value\":\"x\",\"contentType\":\"\"}",
           "an empty content type is sent as \"\"");
    secret_free(b);
    w = (struct az_secret_write){.set_not_before = true,
                                 .not_before = 1700000000,
                                 .enabled = AZ_SET_FALSE};
    b = az_secret_set_body(v, &w);
    is_str(b->data,
           "{\"value\":\"x\",\"attributes\":{\"enabled\":false,\"nbf\":"
           "1700000000}}",
           "enabled=false and nbf, nothing else");
    ok(b->len == strlen(b->data), "len matches");
    secret_free(b);
    secret_free(v);
}

static void
test_deleted_decode(void)
{
    static const char recorded[] =
        "{\"recoveryId\":\"https://cli-test-kv-se-000002.vault.azure.net/"
        "deletedsecrets/secret1\",\"deletedDate\":1690270840,"
        "\"scheduledPurgeDate\":1690875640,\"contentType\":\"test type\","
        "\"id\":\"https://cli-test-kv-se-000002.vault.azure.net/secrets/"
        "secret1/585696e25b1742c28337ed0ff1e85ee1\",\"attributes\":{"
        "\"enabled\":false,\"created\":1690270837,\"updated\":1690270840,"
        "\"recoveryLevel\":\"CustomizedRecoverable+Purgeable\","
        "\"recoverableDays\":7},\"tags\":{\"test\":\"foo\","
        "\"file-encoding\":\"utf-8\"},\"value\":\"should-not-stay\"}";
    cJSON *j = json_parse(recorded, strlen(recorded), "r", NULL);
    struct kv_deleted_secret d;
    char *why = NULL;
    ok(az_deleted_secret_decode(j, &d, &why) == KV_OK, "decodes");
    is_str(d.name, "secret1", "name");
    is_str(d.version, "585696e25b1742c28337ed0ff1e85ee1", "version");
    is_str(d.vault_uri, "https://cli-test-kv-se-000002.vault.azure.net",
           "vault");
    is_str(d.recovery_id,
           "https://cli-test-kv-se-000002.vault.azure.net/deletedsecrets/"
           "secret1",
           "recovery id");
    ok(d.deleted_date == 1690270840 && d.scheduled_purge_date == 1690875640,
       "dates");
    ok(!d.attrs.enabled && d.attrs.recoverable_days == 7, "attributes");
    is_str(kv_tags_get(&d.tags, "test"), "foo", "tags");
    is_str(d.content_type, "test type", "content type");
    ok(d.json != NULL && strstr(d.json, "should-not-stay") == NULL,
       "a value in the body never reaches json");
    struct kv_deleted_secret *heap = malloc(sizeof *heap);
    *heap = d;
    kv_deleted_secret_free(heap);
    cJSON_Delete(j);

    j = json_parse("{\"recoveryId\":\"x\"}", 16, "r", NULL);
    ok(az_deleted_secret_decode(j, &d, &why) == KV_ERR_PARSE && why != NULL,
       "no id: refused");
    free(why);
    cJSON_Delete(j);
}

int
main(void)
{
    test_body();
    test_deleted_decode();
    return tap_done();
}
