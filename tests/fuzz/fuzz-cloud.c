/*
 * fuzz-cloud.c — libFuzzer target: a custom cloud file (az_cloud_parse in
 * cloud.c, from memory) and the URLs kvdeck then builds from it: the ARM
 * URL and scope, and the token URL for a tenant (the tenant taken from
 * the input after a NUL byte, as a config file or --tenant gives it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/cloud.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_str(data, size);
    size_t len = strlen(text);
    const char *tenant = len < size ? text + len + 1 : "organizations";
    char *why = NULL;
    struct az_cloud *c = az_cloud_parse(text, len, "fuzz.json", &why);

    if (c != NULL) {
        free(az_cloud_arm_url(c, "/subscriptions?api-version=2022-12-01"));
        free(az_cloud_arm_scope(c));
        free(az_cloud_token_url(c, tenant));
        struct az_cloud *d = az_cloud_dup(c);
        az_cloud_free(d);
        az_cloud_free(c);
    }
    free(why);
    free(text);
    return 0;
}
