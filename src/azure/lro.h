/*
 * lro.h — Resource Manager's long-running operations as a pure state
 * machine (PROTOCOL.md §7, DESIGN.md §4): given one HTTP answer (status,
 * headers, body), say what to do next: done, fail, or GET a URL after a
 * delay. No I/O, no clock, no allocation the caller must track beyond
 * struct az_lro and struct az_lro_action; ops-arm-write.c does the
 * sending.
 *
 * The rules, in order:
 *  - The write's answer: 4xx/5xx fail. A body whose
 *    properties.provisioningState is Failed/Canceled fails. 204, or a
 *    200/201 whose state is Succeeded or absent (and 201/202 without any
 *    header), is done. Otherwise (201/202, or a state still running):
 *    Azure-AsyncOperation is polled first, then Location, then (PUT and
 *    PATCH) the resource itself.
 *  - Azure-AsyncOperation answers {"status": InProgress|Succeeded|Failed|
 *    Canceled, "error"?} (202 or 200 while running; a body with only
 *    properties.provisioningState is read the same way). Succeeded: PUT
 *    and PATCH GET the resource for the final body; POST GETs the
 *    Location seen beside it, else takes the status body; DELETE is done.
 *    Failed/Canceled fail with the body's error code and message.
 *  - Location answers 202 while running, then 200/201/204: PUT/PATCH GET
 *    the resource; DELETE and POST take that answer's body.
 *  - The resource answers 200 with properties.provisioningState until it
 *    is Succeeded (done), Failed or Canceled (fail).
 *  - Every poll waits Retry-After (seconds or an HTTP date) or, without
 *    it, policy.default_ms; either clamped to [min_ms, max_ms]. When the
 *    time since the write plus the next wait passes budget_ms, the
 *    operation fails with KV_ERR_TIMEOUT.
 *  - A poll URL on another origin than the resource's is refused (a token
 *    must never go elsewhere); URLs are kept byte for byte (signed).
 *
 * Ownership: struct az_lro owns its strings (az_lro_clear). An action's
 * url is borrowed from the az_lro; its code and message are owned by the
 * action (az_lro_action_clear).
 */
#ifndef KV_AZURE_LRO_H
#define KV_AZURE_LRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct az_lro_policy {
    long default_ms; /* poll interval without Retry-After */
    long min_ms;     /* floor of every poll wait */
    long max_ms;     /* ceiling of every poll wait */
    long budget_ms;  /* the whole operation, from the write on */
};

/* 10 s without Retry-After, waits clamped to [1 s, 60 s], 30 min. */
struct az_lro_policy az_lro_default(void);

enum az_lro_phase {
    AZ_LRO_START,    /* the write is out */
    AZ_LRO_ASYNC,    /* polling Azure-AsyncOperation */
    AZ_LRO_LOCATION, /* polling Location */
    AZ_LRO_RESOURCE, /* polling the resource's provisioningState */
    AZ_LRO_FINAL,    /* the final GET of the resource */
    AZ_LRO_END,
};

struct az_lro {
    char *method;       /* upper case */
    char *resource_url; /* the write's URL */
    char *poll_url;
    char *final_url; /* POST: the Location seen beside the async header */
    enum az_lro_phase phase;
    char *state;             /* the last status / provisioningState, or NULL */
    const char *state_label; /* "status" or "provisioningState" (static) */
    int polls;               /* GETs asked for so far */
};

/* One HTTP answer (strings borrowed). */
struct az_lro_answer {
    long status;
    const char *async_operation; /* Azure-AsyncOperation or NULL */
    const char *location;
    const char *retry_after;
    const char *body;
    size_t len;
    int64_t now;     /* unix seconds, for an HTTP-date Retry-After */
    long elapsed_ms; /* since the write was sent */
};

enum az_lro_next {
    AZ_LRO_DONE, /* success; result_in_body: the answer's body is it */
    AZ_LRO_GET,  /* GET url after delay_ms */
    AZ_LRO_FAIL, /* failure: status, and code/message when known */
};

struct az_lro_action {
    enum az_lro_next next;
    const char *url; /* AZ_LRO_GET (borrowed from the az_lro) */
    long delay_ms;
    bool poll;             /* AZ_LRO_GET: a status poll (report progress) */
    bool result_in_body;   /* AZ_LRO_DONE */
    enum kv_status status; /* AZ_LRO_FAIL */
    bool unknown;  /* AZ_LRO_FAIL: the write was accepted, its outcome is
                      unknown (gave up, a poll failed) */
    char *code;    /* AZ_LRO_FAIL: the error's code or NULL (owned) */
    char *message; /* AZ_LRO_FAIL: our or the error's sentence, or NULL
                      (then the answer's error body says it) (owned) */
};

void az_lro_init(struct az_lro *l, const char *method, const char *url);
void az_lro_clear(struct az_lro *l);
/* Takes one answer (to the write, then to each GET asked for) and says
 * what comes next. */
struct az_lro_action az_lro_step(struct az_lro *l,
                                 const struct az_lro_policy *p,
                                 const struct az_lro_answer *a);
void az_lro_action_clear(struct az_lro_action *a);
/* "Creating or updating… (provisioningState: RegisteringDns); next check
 * in 10 s" for the poll just asked for; caller frees. */
char *az_lro_progress(const struct az_lro *l, long delay_ms);

#endif
