/*
 * test-engine-queue.c — the engine's pieces that need no network: the
 * result queue and its wake pipe (readable exactly while results wait),
 * dropping a job's results, id sets, and that jobs and results own and
 * free what they point to (checked by ASan in the sanitizer build).
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "engine/queue.h"
#include "tests/tap.h"

static bool
readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static struct result *
page_of(uint64_t job)
{
    struct result *r = result_new(RESULT_PAGE);
    r->job_id = job;
    r->kind = JOB_LIST_GROUPS;
    r->free_item = job_type_of(JOB_LIST_GROUPS)->free_item;
    struct kv_group *g = xcalloc(1, sizeof *g);
    g->name = xstrdup("g");
    g->tags.n = 1;
    g->tags.items = xcalloc(1, sizeof *g->tags.items);
    g->tags.items[0].key = xstrdup("k");
    g->tags.items[0].value = xstrdup("v");
    vec_push(&r->items, g);
    return r;
}

static void
test_queue(void)
{
    struct result_queue q;
    char *why = NULL;
    ok(result_queue_init(&q, &why) == KV_OK, "queue with a pipe");
    ok(!readable(q.rd), "empty: the pipe is quiet");
    result_queue_push(&q, page_of(1));
    result_queue_push(&q, page_of(2));
    result_queue_push(&q, page_of(1));
    ok(readable(q.rd), "results waiting: the pipe is readable");
    is_int(result_queue_drop_job(&q, 1), 2, "dropping job 1 frees its two");
    ok(readable(q.rd), "one left: still readable");
    struct result *r = result_queue_pop(&q);
    ok(r != NULL && r->job_id == 2, "FIFO order kept after a drop");
    result_free(r);
    ok(!readable(q.rd), "empty again: the pipe is drained");
    ok(result_queue_pop(&q) == NULL, "pop on empty");
    result_queue_push(&q, page_of(3));
    is_int(result_queue_drop_job(&q, 3), 1, "drop the only one");
    ok(!readable(q.rd), "dropping the last result drains the pipe");
    result_queue_push(&q, page_of(4));
    result_queue_push(&q, page_of(5));
    result_queue_destroy(&q); /* frees what is left */
    ok(q.rd == -1, "destroyed");
}

static void
test_ids(void)
{
    struct id_set s = {0};
    for (uint64_t i = 1; i <= 20; i++)
        id_set_add(&s, i);
    id_set_add(&s, 5);
    is_int(s.len, 20, "ids are kept once");
    id_set_remove(&s, 5);
    ok(!id_set_has(&s, 5) && id_set_has(&s, 20) && id_set_has(&s, 1),
       "remove one, keep the others");
    id_set_free(&s);
}

static void
test_jobs_and_results(void)
{
    char buf[32];
    strcpy(buf, "sub-1");
    struct job *j = job_list_vaults(buf, "rg");
    buf[0] = 'X';
    is_str(job_scope(j)->subscription_id, "sub-1",
           "constructors copy their strings");
    is_str(job_scope(j)->resource_group, "rg", "optional group kept");
    ok(job_vault_ref(j) == NULL && job_secret_ref(j) == NULL,
       "a job has only its own kind's parameters");
    is_str(job_kind_name(j->kind), "LIST_VAULTS", "kind name");
    job_free(j);
    j = job_get_secret_value("https://v.vault.azure.net", "n", NULL);
    ok(job_secret_ref(j)->version == NULL, "no version: latest");
    job_free(j);
    job_free(NULL);

    struct result *r = result_new(RESULT_PAGE);
    r->kind = JOB_GET_SECRET_VALUE;
    r->free_item = job_type_of(JOB_GET_SECRET_VALUE)->free_item;
    struct kv_secret_version *v = xcalloc(1, sizeof *v);
    v->name = xstrdup("n");
    v->attrs.recovery_level = xstrdup("Recoverable");
    vec_push(&r->items, v);
    r->value = secret_dup("hunter2", 7);
    r->message = xstrdup("m");
    result_free(r); /* ASan: all of it freed, nothing twice */
    ok(true, "a result frees its items and its secret value");
    is_str(result_type_name(RESULT_PROGRESS), "PROGRESS", "type name");

    struct kv_tags t = {0};
    ok(kv_tags_get(&t, "x") == NULL && kv_tags_get(NULL, "x") == NULL,
       "no tags");
}

int
main(void)
{
    test_queue();
    test_ids();
    test_jobs_and_results();
    return tap_done();
}
