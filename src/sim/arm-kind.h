/*
 * arm-kind.h — one ARM resource kind as an ops table, and the GET, list,
 * DELETE and PUT scaffolding every provider shares: the parent chain
 * (resource group, then the parent resource) answered 404 as Azure words
 * it, the render with its ETag, paging through arm_list, and the answers
 * of each long-running-operation style (Network's 201 + Azure-
 * AsyncOperation, Private DNS's 202 + both headers, Key Vault's 200).
 * A PUT the lro-fail fault (fault.h) picks carries "_failed" {code,
 * message} in its document: its provisioningState ends "Failed"
 * (arm_state) and its operation record carries the error.
 *
 * A route names its kind (struct arm_route .kind); the dispatcher puts it
 * in cx->kind and the generic handlers below read it from there. Store
 * keys are "PREFIX|c0|c1|...": the kind's prefix, then the first depth
 * captured path segments, lower case.
 */
#ifndef KV_SIM_ARM_KIND_H
#define KV_SIM_ARM_KIND_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "base/vec.h"
#include "sim/arm.h"

struct store_txn;

enum arm_lro {
    ARM_LRO_SYNC,    /* PUT 200 with the resource; DELETE 200 empty */
    ARM_LRO_NETWORK, /* PUT 201/200 + Azure-AsyncOperation; DELETE 202
                      * + Azure-AsyncOperation + Location (locations/
                      * operations of Microsoft.Network) */
    ARM_LRO_DNS,     /* PUT and DELETE 202 + Azure-AsyncOperation +
                      * Location (privateDnsOperationStatuses/Results) */
};

/* A PUT in progress: what the generic handler loaded and what the
 * kind's hooks build. Every member is owned here and freed by
 * arm_kind_put. */
struct arm_put {
    cJSON *parent;       /* the resource group, or the parent resource */
    cJSON *body;         /* the request body */
    char *key;           /* the store key of the resource */
    cJSON *old;          /* the stored document before, NULL when new */
    cJSON *doc;          /* the new document (set by .build) */
    struct store_txn *t; /* the write; .build may add to it */
    char *loc;           /* a location the hooks worked out (may stay NULL) */
    cJSON *ref;          /* a resource the body refers to (.validate's) */
    struct vec refs[2];  /* store keys .validate collected (strings) */
    bool created;        /* the resource is new (for the answer's form) */
};

struct arm_kind {
    const char *type;   /* "Microsoft.Network/virtualNetworks" */
    const char *prefix; /* store key prefix: "vnet" */
    int depth;          /* captures naming it: 3 (sub, group, name), 4 */
    const struct arm_kind *parent; /* NULL: a resource group */
    enum arm_lro lro;
    const char *op;        /* operation record kind of a PUT */
    const char *delete_op; /* ... of a DELETE (NULL: op) */
    bool pretty;           /* pretty JSON, as the Network RP answers */
    bool etag;             /* GET answers an ETag header */
    /* The answer form of a stored document (caller deletes). */
    cJSON *(*render)(struct arm_ctx *cx, const cJSON *doc);
    /* Answers 404 for the resource (NULL: ResourceNotFound). */
    void (*not_found)(struct arm_ctx *cx);
    /* PUT, before the write lock: checks the body (p->parent, p->body
     * loaded); false after answering the error. May be NULL. */
    bool (*validate)(struct arm_ctx *cx, struct arm_put *p);
    /* PUT, under the write lock (p->old loaded): sets p->doc and adds
     * what goes with it to p->t; false after answering the error. */
    bool (*build)(struct arm_ctx *cx, struct arm_put *p);
    /* PUT answer after the commit (NULL: by .lro with .render). */
    void (*answer)(struct arm_ctx *cx, struct arm_put *p);
    /* DELETE: false after answering why doc cannot go (NULL: it can). */
    bool (*deletable)(struct arm_ctx *cx, const char *key, const cJSON *doc);
    /* DELETE: adds to t the removal of doc at key and of what goes with
     * it (NULL: only the document). */
    void (*drop)(struct arm_ctx *cx, struct store_txn *t, const char *key,
                 const cJSON *doc);
};

/* Microsoft.KeyVault/vaults (arm-vault.c), the parent of their
 * private endpoint connections (arm-pec.c). */
extern const struct arm_kind arm_kind_vault;

/* Route handlers for cx->kind. */
void arm_kind_get(struct arm_ctx *cx);
void arm_kind_list(struct arm_ctx *cx);
void arm_kind_put(struct arm_ctx *cx);
void arm_kind_delete(struct arm_ctx *cx);

/* The store key of kind k from the first n captures (caller frees). */
char *arm_kind_key(const struct arm_ctx *cx, const struct arm_kind *k, int n);
/* The stored document of k named by the captures (caller deletes), after
 * checking its parents; NULL after answering 404. */
cJSON *arm_kind_need(struct arm_ctx *cx, const struct arm_kind *k);
/* The resource group or parent resource of k (caller deletes); NULL
 * after answering 404. */
cJSON *arm_kind_need_parent(struct arm_ctx *cx, const struct arm_kind *k);
/* Answers body (taken) with status, pretty when k says so. */
void arm_kind_json(struct arm_ctx *cx, const struct arm_kind *k, int status,
                   cJSON *body);
/* Answers 202 for a Private DNS operation on the resource at key; error
 * (borrowed, may be NULL): the operation ends Failed with it. */
void arm_kind_dns_accepted(struct arm_ctx *cx, const char *op, const char *key,
                           bool deleting, const cJSON *error);

#endif
