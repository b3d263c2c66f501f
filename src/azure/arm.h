/*
 * arm.h — the envelopes around Azure answers: list pages
 * ({"value": [...], "nextLink": ...}) and error bodies, for Resource
 * Manager and the Key Vault data plane alike.
 *
 *  - A page's nextLink may be absent (ARM), null (data plane) or a URL;
 *    an empty page that carries a nextLink is not the end (PROTOCOL §10).
 *  - Errors: ARM {"error": {code, message, target?, details?: [...],
 *    innererror?}}, data plane {"error": {code, message, innererror:
 *    {code, innererror?...}}}, and the token endpoint's OAuth shape
 *    {"error": "invalid_client", "error_description": "..."}.
 *
 * Ownership: az_page borrows nothing; az_page_free() releases its tree.
 * az_error strings are owned by the struct; az_error_free() releases them.
 */
#ifndef KV_AZURE_ARM_H
#define KV_AZURE_ARM_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/status.h"
#include "base/vec.h"

struct az_page {
    cJSON *root;        /* the whole answer (owned) */
    const cJSON *value; /* the "value" array inside root, never NULL
                           after a successful parse (may be empty) */
    char *next_link;    /* NULL when absent, null or "" (owned) */
};

/* Parses a list page. A body without "value" is malformed; "value": null
 * counts as an empty page. On failure sets *why (caller frees). */
enum kv_status az_page_parse(const char *body, size_t len, const char *what,
                             struct az_page *out, char **why);
size_t az_page_count(const struct az_page *p);
void az_page_free(struct az_page *p);

struct az_error {
    char *code;         /* error.code ("ResourceNotFound") or OAuth error */
    char *message;      /* error.message or error_description */
    char *target;       /* error.target or NULL */
    char *inner_code;   /* innermost innererror.code, or NULL */
    struct vec details; /* struct az_error *, from error.details (owned) */
};

/* Decodes an error body of any of the three shapes. Returns false (and
 * leaves *out empty) when the body is not such an error. */
bool az_error_parse(const char *body, size_t len, struct az_error *out);
/* As az_error_parse, from a parsed tree. */
bool az_error_from_json(const cJSON *root, struct az_error *out);
void az_error_free(struct az_error *e);

/* Maps an HTTP status (and an Azure error code, may be NULL) to a
 * kv_status: 401 -> AUTH, 403 -> FORBIDDEN, 404 -> NOT_FOUND, 409 ->
 * CONFLICT, 429 -> THROTTLED, 413 -> TOO_LARGE, else HTTP. */
enum kv_status az_status_from_http(long http_status, const char *code);

#endif
