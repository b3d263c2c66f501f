/*
 * request.c — building requests and reading responses of the transport
 * (see http.h): headers, bodies, request ids, and freeing with the
 * Authorization header and secret bodies wiped.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "azure/http.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

void
az_http_uuid(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        /* the OS generator failing is not worth dying for: ids only
         * correlate logs, they grant nothing */
        uint64_t t = (uint64_t)time_mono_ms() ^ (uint64_t)(uintptr_t)out;
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)(t >> ((i % 8) * 8)) ^ (unsigned char)i;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
}

struct az_request *
az_request_new(const char *method, const char *url)
{
    struct az_request *r = xcalloc(1, sizeof *r);
    r->method = xstrdup(method);
    r->url = xstrdup(url);
    return r;
}

void
az_request_header(struct az_request *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vec_push(&r->headers, xvasprintf(fmt, ap));
    va_end(ap);
}

static void
free_wiped(void *p)
{
    char *s = p;
    if (s != NULL)
        secmem_wipe(s, strlen(s));
    free(s);
}

void
az_request_remove_header(struct az_request *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->headers.len;) {
        const char *h = r->headers.items[i];
        if (strncasecmp(h, name, n) == 0 && h[n] == ':')
            free_wiped(vec_remove(&r->headers, i));
        else
            i++;
    }
}

void
az_request_json(struct az_request *r, const char *json)
{
    free(r->body);
    r->body = xstrdup(json);
    r->body_len = strlen(json);
    az_request_remove_header(r, "Content-Type");
    az_request_header(r, "Content-Type: application/json");
}

void
az_request_free(struct az_request *r)
{
    if (r == NULL)
        return;
    free(r->method);
    free(r->url);
    vec_free_all(&r->headers, free_wiped);
    free(r->body);
    secret_free(r->secret_body);
    free(r);
}

void
az_response_reset(struct az_response *resp)
{
    resp->result = KV_OK;
    free(resp->why);
    resp->why = NULL;
    resp->status = 0;
    buf_reset(&resp->body);
    secret_free(resp->secret_body);
    resp->secret_body = NULL;
    char **fields[] = {&resp->request_id,  &resp->correlation_id,
                       &resp->retry_after, &resp->www_authenticate,
                       &resp->location,    &resp->async_operation,
                       &resp->content_type, &resp->date,
                       &resp->quota_remaining, &resp->quota_resets_after};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
}

const char *
az_response_body(const struct az_response *resp, size_t *len)
{
    if (resp->secret_body != NULL) {
        if (len != NULL)
            *len = resp->secret_body->len;
        return resp->secret_body->data;
    }
    if (len != NULL)
        *len = resp->body.len;
    return buf_str(&resp->body);
}

const char *
az_response_request_id(const struct az_response *resp)
{
    if (resp->request_id != NULL)
        return resp->request_id;
    return resp->correlation_id; /* kvdeck's own id is not Azure's */
}

void
az_response_free(struct az_response *resp)
{
    if (resp == NULL)
        return;
    az_response_reset(resp);
    buf_free(&resp->body);
    free(resp->client_request_id);
    free(resp);
}
