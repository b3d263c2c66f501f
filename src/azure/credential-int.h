/*
 * credential-int.h — what the credential sources that talk to a token
 * endpoint share (credential-token.c): building a form body in secure
 * memory, and one POST to the cloud's token endpoint per acquire, its
 * answer parsed into a token for the source's done callback.
 *
 * Only the credential-*.c files include this.
 */
#ifndef KV_AZURE_CREDENTIAL_INT_H
#define KV_AZURE_CREDENTIAL_INT_H

#include "azure/credential.h"
#include "azure/json.h"
#include "base/vec.h"

/* The access token of a parsed answer: root[key] (its type root[type_key]
 * must be Bearer when present), copied into secure memory, and when it
 * expires: expires_in from now or expires_on (numbers or numeric
 * strings; on_first: expires_on wins), else -1. On a missing token or
 * another type *why names what (the answer's noun, translated) and
 * KV_ERR_PARSE. The caller scrubs and frees root. */
enum kv_status az_token_of(const cJSON *root, const char *key,
                           const char *type_key, bool on_first,
                           const char *what, int64_t now, struct secret **token,
                           int64_t *expires_at, char **why);

/* Appends name=value (value form-urlencoded, '&' first unless the body is
 * empty) to *body, which grows in secure memory as needed. */
void az_form_add(struct secret **body, const char *name, const char *value,
                 size_t value_len);

/* The token requests of one credential in flight. */
struct az_token_fetches {
    struct vec v; /* struct az_token_fetch * (private) */
};

/* POSTs body (taken; secure memory) to c's token endpoint for tenant;
 * done runs once with the token (or the failure) unless cancelled.
 * Returns the id for az_token_cancel(). what names the source in the
 * debug log. */
uint64_t az_token_post(struct az_token_fetches *fs, struct az_credential *c,
                       struct az_http *h, const char *tenant,
                       struct secret *body, az_credential_done_fn done,
                       void *ud);
void az_token_cancel(struct az_token_fetches *fs, struct az_http *h,
                     uint64_t id);
/* Frees the bookkeeping (transfers in flight die with the az_http). */
void az_token_fetches_free(struct az_token_fetches *fs);

#endif
