/*
 * fuzz-url.c — libFuzzer target: URLs from answers (nextLink, Location,
 * Azure-AsyncOperation, a challenge's authority: url.c) and Retry-After
 * values (seconds or an HTTP date: retry.c). The input is two strings
 * separated by a NUL byte (a URL or value, and a second URL or domain).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/http.h"
#include "azure/retry.h"
#include "azure/url.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a = fuzz_str(data, size);
    size_t la = strlen(a);
    const char *b = la < size ? a + la + 1 : "https://v.vault.azure.net/";
    long ms = 0;

    free(az_url_origin(a));
    char *host = az_url_host(a);
    if (host != NULL) {
        (void)az_url_host_within(host, b);
        (void)az_url_host_within(host, "vault.azure.net");
    }
    free(host);
    (void)az_url_same_origin(a, b);
    (void)az_http_url_local(a);
    (void)az_retry_parse_after(a, FUZZ_NOW, &ms);
    (void)az_retry_idempotent(a);
    free(a);
    return 0;
}
