/*
 * queue.c — the result queue and its wake pipe, and id sets (see
 * queue.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "engine/queue.h"

struct result_node {
    struct result *r;
    struct result_node *next;
};

enum kv_status
result_queue_init(struct result_queue *q, char **why)
{
    int fds[2];
    memset(q, 0, sizeof *q);
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        *why = xasprintf(_("cannot create the engine's wake pipe: %s"),
                         strerror(errno));
        q->rd = q->wr = -1;
        return KV_ERR_IO;
    }
    q->rd = fds[0];
    q->wr = fds[1];
    return KV_OK;
}

static void
pipe_signal(struct result_queue *q)
{
    static const char one = 1;
    ssize_t n;
    do
        n = write(q->wr, &one, 1);
    while (n < 0 && errno == EINTR);
}

static void
pipe_drain(struct result_queue *q)
{
    char buf[64];
    ssize_t n;
    do
        n = read(q->rd, buf, sizeof buf);
    while (n > 0 || (n < 0 && errno == EINTR));
}

void
result_queue_push(struct result_queue *q, struct result *r)
{
    struct result_node *n = xmalloc(sizeof *n);
    n->r = r;
    n->next = NULL;
    if (q->tail != NULL)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    if (q->len++ == 0)
        pipe_signal(q);
}

struct result *
result_queue_pop(struct result_queue *q)
{
    struct result_node *n = q->head;
    if (n == NULL)
        return NULL;
    q->head = n->next;
    if (q->head == NULL)
        q->tail = NULL;
    if (--q->len == 0)
        pipe_drain(q);
    struct result *r = n->r;
    free(n);
    return r;
}

size_t
result_queue_drop_job(struct result_queue *q, uint64_t id)
{
    struct result_node **pp = &q->head, *last = NULL;
    size_t dropped = 0;
    while (*pp != NULL) {
        struct result_node *n = *pp;
        if (n->r->job_id == id) {
            *pp = n->next;
            result_free(n->r);
            free(n);
            q->len--;
            dropped++;
        } else {
            last = n;
            pp = &n->next;
        }
    }
    q->tail = last;
    if (dropped > 0 && q->len == 0)
        pipe_drain(q);
    return dropped;
}

void
result_queue_destroy(struct result_queue *q)
{
    struct result *r;
    while ((r = result_queue_pop(q)) != NULL)
        result_free(r);
    if (q->rd >= 0)
        close(q->rd);
    if (q->wr >= 0)
        close(q->wr);
    q->rd = q->wr = -1;
}

void
id_set_add(struct id_set *s, uint64_t id)
{
    if (id_set_has(s, id))
        return;
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->ids = xreallocarray(s->ids, s->cap, sizeof *s->ids);
    }
    s->ids[s->len++] = id;
}

bool
id_set_has(const struct id_set *s, uint64_t id)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->ids[i] == id)
            return true;
    return false;
}

void
id_set_remove(struct id_set *s, uint64_t id)
{
    for (size_t i = 0; i < s->len; i++) {
        if (s->ids[i] == id) {
            s->ids[i] = s->ids[--s->len];
            return;
        }
    }
}

void
id_set_free(struct id_set *s)
{
    free(s->ids);
    memset(s, 0, sizeof *s);
}
