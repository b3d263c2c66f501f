/*
 * ops-int.h — what the operation files of src/azure share (ops.c, the
 * reads; ops-secret-write.c; ops-arm-write.c): the op itself, sending its
 * requests, decoding items, and ending it with success or a struct
 * az_failure built from an answer. Not for use outside src/azure.
 *
 * Life of an op: az_op_new() builds it, az_op_send() (or
 * az_op_send_request() for an op with its own handler) sends, the answer
 * comes back to the mode's handler, which delivers items and ends the op
 * with az_op_succeed() or az_op_fail(); both call cb.done() and free the
 * op. az_op_fail_later() ends it from the next loop turn (bad arguments:
 * no callback may run inside the call that starts an op).
 *
 * Ownership: an op owns every pointer member; az_op_free() (through
 * succeed/fail/cancel) releases them, secret bodies wiped.
 */
#ifndef KV_AZURE_OPS_INT_H
#define KV_AZURE_OPS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "azure/ops.h"

/* How to decode and free the items of one kind. */
struct az_item_type {
    enum az_item_kind kind;
    size_t size;
    enum kv_status (*decode)(const cJSON *j, void *out, char **why);
    void (*free_item)(void *item);
};

enum az_op_mode {
    AZ_OP_LIST,   /* pages of items, following nextLink */
    AZ_OP_GET,    /* one item from the answer's body */
    AZ_OP_FIND,   /* a list searched for a name */
    AZ_OP_SECRET, /* a SecretBundle with its value: cb.secret() */
    AZ_OP_EMPTY,  /* nothing to decode: a 2xx is success (purge) */
    AZ_OP_CUSTOM, /* op->on_response decides */
};

struct az_op {
    struct az_client *c;
    enum az_op_mode mode;
    enum az_plane plane;
    const struct az_item_type *type;
    char *origin_url; /* the first URL: nextLinks must stay on its origin */
    char *match;      /* AZ_OP_FIND: the name looked for */
    uint64_t call;    /* the request or timer in flight (0: none) */
    unsigned pages;
    struct az_op_cb cb;
    void *ud;

    /* The first request of a write (later requests are GETs). */
    char *method;               /* NULL: GET */
    char *body;                 /* JSON, or NULL */
    struct secret *secret_body; /* a body holding a value (taken once) */
    bool no_replay;             /* see az_request.no_replay */
    bool write; /* a failure after a 2xx answer: the write landed */

    /* A failure found before sending (az_op_fail_later). */
    enum kv_status early_status;
    char *early_why;

    /* AZ_OP_CUSTOM: the answer's handler (resp is borrowed; it must end
     * the op or send again) and its private state. */
    void (*on_response)(struct az_op *op, struct az_response *resp,
                        enum kv_status st, const char *why);
    void (*state_free)(void *state);
    void *state;
};

const struct az_item_type *az_op_item_type(enum az_item_kind kind);

/* A new op that has sent nothing yet; url is taken (may be NULL). */
struct az_op *az_op_new(struct az_client *c, enum az_op_mode mode,
                        enum az_plane plane, enum az_item_kind kind, char *url,
                        const struct az_op_cb *cb, void *ud);
/* Sends the op's request to url: the write (method, body) the first
 * time, a GET afterwards. */
void az_op_send(struct az_op *op, const char *url);
/* Sends req (taken) with the op's answer handler and wait callback. */
void az_op_send_request(struct az_op *op, struct az_request *req);
void az_op_free(struct az_op *op);

/* Ends the op: done(NULL), then frees it. */
void az_op_succeed(struct az_op *op);
/* Ends the op with a failure from st, the answer (may be NULL) and our
 * own finding why (may be NULL: the body's message is used). */
void az_op_fail(struct az_op *op, enum kv_status st,
                const struct az_response *resp, const char *why);
/* As az_op_fail, with the error code (may be NULL) when it does not come
 * from an error answer, and ambiguous set when the outcome of an
 * accepted write is unknown. */
void az_op_fail_full(struct az_op *op, enum kv_status st,
                     const struct az_response *resp, const char *why,
                     const char *code, bool ambiguous);
/* As az_op_fail without an answer, from the next loop turn. */
void az_op_fail_later(struct az_op *op, enum kv_status st, const char *why);
/* Calls page() with items (which it may take) and frees what is left. */
void az_op_deliver(struct az_op *op, struct vec *items, bool more);

/* "{arm}{path}?api-version=V". */
char *az_op_arm_url(struct az_client *c, const char *path, const char *api);
/* An ARM id as a path with suffix appended, or NULL when id is not a
 * path ("/subscriptions/...", no '?', '#' or blank). */
char *az_op_id_path(const char *id, const char *suffix);
/* "{vault}/{collection}/{name-encoded}{rest}?api-version=7.5{query}" */
char *az_op_data_url(const char *vault_uri, const char *collection,
                     const char *name, const char *rest, const char *query);
/* True for a data-plane secret name: 1..127 of [0-9a-zA-Z-]. */
bool az_op_secret_name_ok(const char *name);

/* True if the n bytes at p are well-formed UTF-8 (what a secret value
 * must be: Key Vault stores text). */
bool az_op_utf8_ok(const unsigned char *p, size_t n);

/* The body of a secret PUT, {"value":"<escaped>",<fields of w>}, built in
 * secure memory (caller frees with secret_free). value must be UTF-8;
 * w may be NULL. Exposed for the unit tests. */
struct secret *az_secret_set_body(const struct secret *value,
                                  const struct az_secret_write *w);
/* The body of a management-plane secret PUT (az_arm_secret_set),
 * {"properties":{"value":..,"contentType":..,"attributes":{..}},
 * "tags":{..}}, in secure memory likewise. */
struct secret *az_arm_secret_body(const struct secret *value,
                                  const struct az_secret_write *w);

#endif
