/*
 * fuzz-http-header.c — libFuzzer target: the HTTP response headers as
 * libcurl hands them to kvdeck's header callback (az_response_header in
 * http.c), one line at a time with its line end, status lines included;
 * then what the transport reads from the headers kept: Retry-After,
 * WWW-Authenticate, Location and Azure-AsyncOperation.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/challenge.h"
#include "azure/http.h"
#include "azure/retry.h"
#include "azure/url.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct az_response *r = calloc(1, sizeof *r);
    const char *p = (const char *)data, *end = p + size;

    if (r == NULL)
        abort();
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        /* an exactly sized copy: libcurl's line is not NUL-terminated */
        char *line = malloc(n);
        memcpy(line, p, n);
        (void)az_response_header(r, line, n);
        free(line);
        p += n;
    }
    long ms = 0;
    if (r->retry_after != NULL)
        (void)az_retry_parse_after(r->retry_after, FUZZ_NOW, &ms);
    if (r->www_authenticate != NULL) {
        struct az_challenge c = {0};
        (void)az_challenge_parse(r->www_authenticate, &c);
        az_challenge_clear(&c);
    }
    if (r->location != NULL)
        free(az_url_origin(r->location));
    if (r->async_operation != NULL)
        free(az_url_host(r->async_operation));
    az_response_free(r);
    return 0;
}
