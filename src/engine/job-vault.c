/*
 * job-vault.c — the read jobs of the vault life cycle: a subscription's
 * locations (all pages gathered, one PAGE sorted by display name), its
 * soft-deleted vaults, and the vault name check (checkNameAvailability;
 * when the name is taken, the subscription's deleted vault of that name,
 * if there is one, goes into kv_name_check.deleted so the wizard can
 * offer to recover or purge it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/run.h"

/* A job's own state: the op in flight and what it gathered. */
struct vault_job {
    struct job_run *run;
    struct az_op *op;
    struct vec items;            /* locations gathered */
    struct kv_name_check *check; /* the name check's answer */
};

static void
location_item_free(void *p)
{
    kv_location_free(p);
}

static void
deleted_vault_item_free(void *p)
{
    kv_deleted_vault_free(p);
}

static void
name_check_item_free(void *p)
{
    kv_name_check_free(p);
}

static struct vault_job *
vault_job_new(struct job_run *run)
{
    struct vault_job *vj = xcalloc(1, sizeof *vj);
    vj->run = run;
    vec_init(&vj->items);
    run->state = vj;
    return vj;
}

static void
vault_job_free(struct vault_job *vj)
{
    if (vj == NULL)
        return;
    for (size_t i = 0; i < vj->items.len; i++)
        kv_location_free(vj->items.items[i]);
    vec_free(&vj->items);
    kv_name_check_free(vj->check);
    free(vj);
}

static void
vault_job_cancel(struct job_run *run)
{
    struct vault_job *vj = run->state;
    if (vj == NULL)
        return;
    az_op_cancel(vj->op);
    vault_job_free(vj);
    run->state = NULL;
}

/* Ends the run (the op is gone or going: ops frees it after done()). */
static void
vault_job_end(struct vault_job *vj, const struct az_failure *f)
{
    struct job_run *run = vj->run;
    run->state = NULL;
    vault_job_free(vj);
    if (f == NULL)
        run_done(run, NULL);
    else
        run_fail(run, f, NULL);
}

static void
on_wait(void *ud, const struct az_http_wait *w)
{
    struct vault_job *vj = ud;
    run_op_cb.wait(vj->run, w);
}

/* ---- locations -------------------------------------------------------- */

static void
locations_page(void *ud, struct vec *items, bool more)
{
    struct vault_job *vj = ud;
    (void)more;
    for (size_t i = 0; i < items->len; i++)
        vec_push(&vj->items, items->items[i]);
    items->len = 0;
}

static int
by_display_name(const void *a, const void *b)
{
    const struct kv_location *x = *(void *const *)a;
    const struct kv_location *y = *(void *const *)b;
    return strcasecmp(x->display_name, y->display_name);
}

static void
locations_done(void *ud, const struct az_failure *f)
{
    struct vault_job *vj = ud;
    vj->op = NULL;
    if (f == NULL) {
        qsort(vj->items.items, vj->items.len, sizeof vj->items.items[0],
              by_display_name);
        run_page(vj->run, &vj->items, false);
    }
    vault_job_end(vj, f);
}

static const struct az_op_cb locations_cb = {
    .page = locations_page,
    .done = locations_done,
    .wait = on_wait,
};

static void
start_locations(struct job_run *run)
{
    struct job_scope *p = run->job->params;
    if (!run_param_set(p->subscription_id)) {
        run_missing(run);
        return;
    }
    struct vault_job *vj = vault_job_new(run);
    vj->op =
        az_list_locations(run->client, p->subscription_id, &locations_cb, vj);
}

/* ---- deleted vaults --------------------------------------------------- */

static void
start_deleted_vaults(struct job_run *run)
{
    struct job_scope *p = run->job->params;
    if (!run_param_set(p->subscription_id)) {
        run_missing(run);
        return;
    }
    run->state = az_list_deleted_vaults(run->client, p->subscription_id,
                                        &run_op_cb, run);
}

/* ---- the name check --------------------------------------------------- */

static const struct az_op_cb deleted_cb;

static void
check_page(void *ud, struct vec *items, bool more)
{
    struct vault_job *vj = ud;
    (void)more;
    if (items->len > 0 && vj->check == NULL) {
        vj->check = items->items[0];
        items->items[0] = NULL;
    }
}

/* Delivers the check (its name set) and ends the job. */
static void
check_deliver(struct vault_job *vj)
{
    struct job_vault_ref *p = vj->run->job->params;
    struct kv_name_check *c = vj->check;
    vj->check = NULL;
    free(c->name);
    c->name = xstrdup(p->name);
    struct vec one = VEC_INIT;
    vec_push(&one, c);
    run_page(vj->run, &one, false);
    vec_free(&one);
    vault_job_end(vj, NULL);
}

static void
check_done(void *ud, const struct az_failure *f)
{
    struct vault_job *vj = ud;
    vj->op = NULL;
    if (f == NULL && vj->check == NULL) {
        struct az_failure mine = {
            .status = KV_ERR_PARSE,
            .message = _("the name check answered without a result")};
        vault_job_end(vj, &mine);
        return;
    }
    if (f != NULL) {
        vault_job_end(vj, f);
        return;
    }
    if (vj->check->available) {
        check_deliver(vj);
        return;
    }
    /* taken: by a soft-deleted vault of this subscription? */
    struct job_vault_ref *p = vj->run->job->params;
    vj->op = az_list_deleted_vaults(vj->run->client, p->subscription_id,
                                    &deleted_cb, vj);
}

static const struct az_op_cb check_cb = {
    .page = check_page,
    .done = check_done,
    .wait = on_wait,
};

static void
deleted_page(void *ud, struct vec *items, bool more)
{
    struct vault_job *vj = ud;
    struct job_vault_ref *p = vj->run->job->params;
    (void)more;
    for (size_t i = 0; i < items->len; i++) {
        struct kv_deleted_vault *d = items->items[i];
        if (vj->check->deleted == NULL && str_ieq(d->name, p->name)) {
            vj->check->deleted = d;
            items->items[i] = NULL;
        }
    }
}

static void
deleted_done(void *ud, const struct az_failure *f)
{
    struct vault_job *vj = ud;
    vj->op = NULL;
    if (f != NULL) /* the check stands; say why nothing more is known */
        log_debug("name check: the deleted vaults could not be listed: %s",
                  f->message);
    check_deliver(vj);
}

static const struct az_op_cb deleted_cb = {
    .page = deleted_page,
    .done = deleted_done,
    .wait = on_wait,
};

static void
start_check_name(struct job_run *run)
{
    struct job_vault_ref *p = run->job->params;
    if (!run_param_set(p->subscription_id) || !run_param_set(p->name)) {
        run_missing(run);
        return;
    }
    struct vault_job *vj = vault_job_new(run);
    vj->op = az_check_vault_name(run->client, p->subscription_id, p->name,
                                 &check_cb, vj);
}

/* ---- the tables ------------------------------------------------------- */

const struct job_type job_type_list_locations = {
    .name = "LIST_LOCATIONS",
    .kind = JOB_LIST_LOCATIONS,
    .start = start_locations,
    .cancel = vault_job_cancel,
    .free_params = job_scope_free,
    .free_item = location_item_free,
};

const struct job_type job_type_check_vault_name = {
    .name = "CHECK_VAULT_NAME",
    .kind = JOB_CHECK_VAULT_NAME,
    .start = start_check_name,
    .cancel = vault_job_cancel,
    .free_params = job_vault_ref_free,
    .free_item = name_check_item_free,
};

const struct job_type job_type_list_deleted_vaults = {
    .name = "LIST_DELETED_VAULTS",
    .kind = JOB_LIST_DELETED_VAULTS,
    .start = start_deleted_vaults,
    .cancel = run_op_cancel,
    .free_params = job_scope_free,
    .free_item = deleted_vault_item_free,
};
