/*
 * fuzz-secrets.c — libFuzzer target: Key Vault data-plane answers. The
 * body is read as a secret bundle (az_secret_bundle_decode: the value
 * into secure memory), as a list page whose items are decoded as the
 * selector byte says (secret items, versions, deleted secrets), as one
 * such item, and as a data-plane error body.
 */
#include "config.h"

#include <stdlib.h>

#include "azure/arm.h"
#include "azure/json.h"
#include "azure/model.h"
#include "azure/resource.h"
#include "base/secmem.h"
#include "fuzz.h"

static void
decode_item(unsigned pick, const cJSON *j)
{
    char *why = NULL;

    switch (pick % 3) {
    case 0: {
        struct kv_secret_item *s = calloc(1, sizeof *s);
        if (az_secret_decode(j, s, &why) == KV_OK)
            kv_secret_item_free(s);
        else
            free(s);
        break;
    }
    case 1: {
        struct kv_secret_version *v = calloc(1, sizeof *v);
        if (az_secret_version_decode(j, v, &why) == KV_OK)
            kv_secret_version_free(v);
        else
            free(v);
        break;
    }
    default: {
        struct kv_deleted_secret *d = calloc(1, sizeof *d);
        if (az_deleted_secret_decode(j, d, &why) == KV_OK)
            kv_deleted_secret_free(d);
        else
            free(d);
        break;
    }
    }
    free(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned pick = fuzz_pick(&data, &size);
    char *body = fuzz_str(data, size);
    char *why = NULL;

    /* The bundle: the decoder fills a caller-provided struct. */
    struct kv_secret_version *v = calloc(1, sizeof *v);
    struct secret *value = NULL;
    if (az_secret_bundle_decode(body, size, v, &value, &why) == KV_OK)
        kv_secret_version_free(v);
    else
        free(v);
    secret_free(value);
    free(why);
    why = NULL;

    struct az_page page = {0};
    if (az_page_parse(body, size, "fuzz", &page, &why) == KV_OK) {
        const cJSON *item;
        cJSON_ArrayForEach(item, page.value) decode_item(pick, item);
        az_page_free(&page);
    }
    free(why);
    why = NULL;

    cJSON *root = json_parse(body, size, "fuzz", &why);
    free(why);
    if (root != NULL) {
        decode_item(pick, root);
        cJSON_Delete(root);
    }

    struct az_error err = {0};
    if (az_error_parse(body, size, &err))
        az_error_free(&err);
    free(body);
    return 0;
}
