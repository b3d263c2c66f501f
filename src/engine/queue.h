/*
 * queue.h — the engine's queues (engine-internal): the result queue with
 * its wake pipe, and small sets of job ids.
 *
 * The result queue keeps one invariant: the pipe holds a byte exactly
 * when the queue is not empty, so the UI's poll() wakes once per batch
 * and never spins on a stale byte. None of these functions lock: the
 * engine's mutex protects them.
 *
 * Ownership: pushing a result hands it to the queue; popping hands it to
 * the caller. Destroying the queue frees what is left.
 */
#ifndef KV_ENGINE_QUEUE_H
#define KV_ENGINE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "engine/job.h"

struct result_node;

struct result_queue {
    struct result_node *head, *tail;
    size_t len;
    int rd, wr; /* the wake pipe (non-blocking, close-on-exec) */
};

enum kv_status result_queue_init(struct result_queue *q, char **why);
void result_queue_push(struct result_queue *q, struct result *r);
/* NULL when empty. */
struct result *result_queue_pop(struct result_queue *q);
/* Frees every queued result of job id; returns how many. */
size_t result_queue_drop_job(struct result_queue *q, uint64_t id);
void result_queue_destroy(struct result_queue *q);

/* A set of job ids (a short unsorted array). */
struct id_set {
    uint64_t *ids;
    size_t len, cap;
};

void id_set_add(struct id_set *s, uint64_t id);
bool id_set_has(const struct id_set *s, uint64_t id);
void id_set_remove(struct id_set *s, uint64_t id);
void id_set_free(struct id_set *s);

#endif
