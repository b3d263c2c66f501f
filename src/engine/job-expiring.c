/*
 * job-expiring.c — JOB_SCAN_EXPIRING (issue #12): every vault's secret
 * list, a few vaults at a time, into kv_expiring_row PAGEs as the pages
 * arrive (engine/expiring.h says which secrets are listed).
 *
 * Each vault is listed from its data plane; when that refuses this host
 * by network (403 ForbiddenByConnection / ForbiddenByFirewall) and the
 * vault's resource id is known, through Resource Manager instead, as the
 * console's store does (store_secrets_fallback()). Each vault ends with
 * one row: listed to its end, not readable (403, or refused by network
 * with nothing to fall back on), or failed (any other error, after the
 * transport's retries). A vault's failure is not the job's: the job
 * always ends with DONE once every vault answered.
 *
 * Throttling: the transport retries a 429 after its Retry-After. So
 * that a storm does not multiply, a throttled answer also halves the
 * number of vaults listed at once (down to one) and starts no new vault
 * before its Retry-After has passed (a timer when nothing else is in
 * flight); the number grows back by one per vault listed to its end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/ops.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/expiring.h"
#include "engine/run.h"

struct xp_job;

/* One vault being listed. */
struct xp_vault {
    struct xp_job *j;
    const struct job_expiring_vault *vr; /* the job's */
    struct az_op *op;
    bool via_arm;
    bool refused; /* the data plane refused by network: ARM listing */
    size_t scanned;
};

struct xp_job {
    struct job_run *run;
    const struct job_expiring *p;
    int64_t now;
    size_t next;       /* the next vault to start */
    size_t answered;   /* vaults ended */
    struct vec flying; /* struct xp_vault * */
    int cap, max_cap;  /* vaults at once: now, and at most */
    int64_t hold_ms;   /* time_mono_ms(): start nothing before */
    uint64_t timer;    /* the hold's timer, 0 none */
    bool pumping;      /* inside pump(): no re-entry */
};

static void pump(struct xp_job *j);

static void
xp_job_free(struct xp_job *j)
{
    for (size_t i = 0; i < j->flying.len; i++) {
        struct xp_vault *v = j->flying.items[i];
        az_op_cancel(v->op);
        free(v);
    }
    vec_free(&j->flying);
    if (j->timer != 0)
        az_client_cancel(j->run->client, j->timer);
    free(j);
}

/* Pushes one row as a PAGE of its own. */
static void
push_row(struct xp_job *j, struct kv_expiring_row *r)
{
    struct vec items = VEC_INIT;
    vec_push(&items, r);
    run_page(j->run, &items, true);
    vec_free(&items); /* run_page() took the row, not the array */
}

/* A vault row (done, unreadable, failed) for v. */
static struct kv_expiring_row *
vault_row(const struct xp_vault *v, enum kv_expiring_kind kind)
{
    struct kv_expiring_row *r = xcalloc(1, sizeof *r);
    r->kind = kind;
    r->vault_name = xstrdup(v->vr->name != NULL ? v->vr->name : "?");
    r->vault_uri = v->vr->uri != NULL ? xstrdup(v->vr->uri) : NULL;
    r->vault_id = v->vr->id != NULL ? xstrdup(v->vr->id) : NULL;
    r->via_arm = v->via_arm;
    r->scanned = v->scanned;
    return r;
}

/* The vault v ended (its row pushed): next ones. */
static void
vault_end(struct xp_vault *v)
{
    struct xp_job *j = v->j;
    for (size_t i = 0; i < j->flying.len; i++)
        if (j->flying.items[i] == v) {
            vec_remove(&j->flying, i);
            break;
        }
    free(v);
    j->answered++;
    pump(j);
}

static void
xp_page(void *ud, struct vec *items, bool more)
{
    struct xp_vault *v = ud;
    struct xp_job *j = v->j;
    struct vec rows = VEC_INIT;
    (void)more;
    for (size_t i = 0; i < items->len; i++) {
        struct kv_expiring_row *r = NULL;
        if (v->via_arm) {
            const struct kv_secret_version *s = items->items[i];
            r = kv_expiring_row_secret(v->vr, s->name, s->content_type,
                                       &s->attrs, &s->tags, s->managed,
                                       j->p->days, j->now);
        } else {
            const struct kv_secret_item *s = items->items[i];
            r = kv_expiring_row_secret(v->vr, s->name, s->content_type,
                                       &s->attrs, &s->tags, s->managed,
                                       j->p->days, j->now);
        }
        if (r != NULL) {
            r->via_arm = v->via_arm;
            vec_push(&rows, r);
        }
        v->scanned++;
    }
    az_op_free_items(v->via_arm ? AZ_ITEM_ARM_SECRET : AZ_ITEM_SECRET, items);
    if (rows.len > 0)
        run_page(j->run, &rows, true);
    vec_free(&rows);
}

static void xp_wait(void *ud, const struct az_http_wait *w);
static void xp_done(void *ud, const struct az_failure *f);

static const struct az_op_cb xp_cb = {
    .page = xp_page,
    .done = xp_done,
    .wait = xp_wait,
};

/* Lists v through Resource Manager (names and attributes). */
static void
start_arm(struct xp_vault *v)
{
    char *trim = str_rstrip_slash(v->vr->id);
    char *path = xasprintf("%s/secrets", trim);
    v->via_arm = true;
    v->op = az_arm_list(v->j->run->client, path, AZ_API_KEYVAULT,
                        AZ_ITEM_ARM_SECRET, &xp_cb, v);
    free(trim);
    free(path);
}

/* The data plane refused this host by its network. */
static bool
refused_by_network(const struct az_failure *f)
{
    const char *code = f->inner_code != NULL ? f->inner_code : f->code;
    return f->http_status == 403 && code != NULL &&
           (str_ieq(code, "ForbiddenByConnection") ||
            str_ieq(code, "ForbiddenByFirewall"));
}

static void
xp_done(void *ud, const struct az_failure *f)
{
    struct xp_vault *v = ud;
    v->op = NULL;
    if (f == NULL) {
        struct xp_job *j = v->j;
        if (j->cap < j->max_cap)
            j->cap++;
        push_row(j, vault_row(v, KV_EXPIRING_VAULT_DONE));
        vault_end(v);
        return;
    }
    bool network = refused_by_network(f);
    if (network && !v->via_arm && run_param_set(v->vr->id)) {
        v->refused = true;
        start_arm(v);
        return;
    }
    bool unreadable = f->http_status == 401 || f->http_status == 403 ||
                      f->status == KV_ERR_AUTH;
    struct kv_expiring_row *r =
        vault_row(v, unreadable ? KV_EXPIRING_UNREADABLE : KV_EXPIRING_FAILED);
    r->http_status = f->http_status;
    if (v->refused)
        r->error =
            xasprintf(_("%s (the data plane refused this host by "
                        "network; through Resource Manager: %s)"),
                      f->code != NULL ? f->code : "Forbidden", f->message);
    else if (network && !run_param_set(v->vr->id))
        r->error =
            xasprintf(_("%s (refused by network, and no Resource "
                        "Manager id to list it through: %s)"),
                      f->code != NULL ? f->code : "Forbidden", f->message);
    else if (f->code != NULL)
        r->error = xasprintf("%s (%s)", f->code, f->message);
    else if (f->http_status > 0)
        r->error = xasprintf("HTTP %ld (%s)", f->http_status, f->message);
    else
        r->error = xstrdup(f->message);
    push_row(v->j, r);
    vault_end(v);
}

static void
hold_over(void *ud)
{
    struct xp_job *j = ud;
    j->timer = 0;
    pump(j);
}

static void
xp_wait(void *ud, const struct az_http_wait *w)
{
    struct xp_vault *v = ud;
    struct xp_job *j = v->j;
    if (w->throttled) {
        /* back off as a whole, not per vault */
        j->cap = j->cap > 1 ? j->cap / 2 : 1;
        if (w->due_ms > j->hold_ms)
            j->hold_ms = w->due_ms;
    }
    char *what = xasprintf("%s: %s", v->vr->name, w->reason);
    struct az_http_wait named = *w;
    named.reason = what;
    run_op_cb.wait(j->run, &named);
    free(what);
}

/* Starts vaults up to the cap (unless a throttled answer holds them);
 * ends the job when every vault answered. */
static void
pump(struct xp_job *j)
{
    if (j->pumping)
        return;
    j->pumping = true;
    size_t total = j->p->vaults.len;
    while (j->next < total && j->flying.len < (size_t)j->cap) {
        int64_t now = time_mono_ms();
        if (j->hold_ms > now) {
            if (j->flying.len == 0 && j->timer == 0)
                j->timer = az_client_after(
                    j->run->client, (long)(j->hold_ms - now), hold_over, j);
            break;
        }
        struct xp_vault *v = xcalloc(1, sizeof *v);
        v->j = j;
        v->vr = j->p->vaults.items[j->next++];
        vec_push(&j->flying, v);
        if (run_param_set(v->vr->uri))
            v->op = az_list_secrets(j->run->client, v->vr->uri, 0, &xp_cb, v);
        else if (run_param_set(v->vr->id))
            start_arm(v);
        else {
            struct kv_expiring_row *r = vault_row(v, KV_EXPIRING_FAILED);
            r->error = xstrdup(_("neither a vault URI nor a resource id"));
            push_row(j, r);
            vec_pop(&j->flying);
            free(v);
            j->answered++;
        }
    }
    j->pumping = false;
    if (j->answered == total && j->flying.len == 0) {
        struct job_run *run = j->run;
        run->state = NULL;
        xp_job_free(j);
        run_done(run, NULL);
    }
}

static void
start_expiring(struct job_run *run)
{
    const struct job_expiring *p = run->job->params;
    if (p == NULL) {
        run_missing(run);
        return;
    }
    struct xp_job *j = xcalloc(1, sizeof *j);
    j->run = run;
    j->p = p;
    j->now = p->now > 0 ? p->now : time_now();
    j->max_cap = p->at_once > 0 ? p->at_once : KV_EXPIRING_AT_ONCE;
    j->cap = j->max_cap;
    vec_init(&j->flying);
    run->state = j;
    pump(j);
}

static void
cancel_expiring(struct job_run *run)
{
    struct xp_job *j = run->state;
    if (j != NULL)
        xp_job_free(j);
    run->state = NULL;
}

static void
expiring_item_free(void *p)
{
    kv_expiring_row_free(p);
}

const struct job_type job_type_scan_expiring = {
    .name = "SCAN_EXPIRING",
    .kind = JOB_SCAN_EXPIRING,
    .start = start_expiring,
    .cancel = cancel_expiring,
    .free_params = job_expiring_free,
    .free_item = expiring_item_free,
};
