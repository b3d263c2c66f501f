/*
 * action-run.c — one way for every console action to change Azure: the
 * plan's review, then its progress screen, then the lists it touched
 * loaded again. The run (plan + what to reload) belongs to whichever
 * screen shows it: the review until it is applied, then the progress
 * screen, so Esc, the end and quitting all free it exactly once.
 */
#include "config.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "tui/action.h"
#include "tui/widget-progress.h"
#include "tui/widget-review.h"

struct action_run {
    struct plan *plan; /* until it is sent */
    uint64_t under;    /* screen id to pop with the review, 0 none */
    char *vault_uri, *name, *vault_uri2, *subscription_id;
    char *endpoints_of;
};

static void
run_free(void *ctx)
{
    struct action_run *run = ctx;
    plan_free(run->plan);
    free(run->vault_uri);
    free(run->name);
    free(run->vault_uri2);
    free(run->subscription_id);
    free(run->endpoints_of);
    free(run);
}

/* Loads again what the plan changed, where the console shows it. */
static void
run_reload(struct app *a, const struct action_run *run)
{
    const char *uris[2] = {run->vault_uri, run->vault_uri2};
    for (int i = 0; i < 2; i++) {
        struct store_vault *v =
            uris[i] != NULL ? store_find_vault(a->store, uris[i]) : NULL;
        if (v == NULL)
            continue;
        if (v->secrets_load.state != LOAD_NONE)
            store_load_secrets(a->store, v);
        if (v->deleted_load.state != LOAD_NONE)
            store_load_deleted(a->store, v);
        struct store_secret *sec = i == 0 && run->name != NULL
                                       ? store_find_secret(v, run->name)
                                       : NULL;
        if (sec != NULL && store_versions_load(sec)->state != LOAD_NONE)
            store_load_versions(a->store, v, sec);
    }
    struct store_sub *sub = run->subscription_id != NULL
                                ? store_find_sub(a->store, run->subscription_id)
                                : NULL;
    if (sub != NULL)
        store_load_vaults(a->store, sub);
    struct store_vault *ev = run->endpoints_of != NULL
                                 ? store_find_vault(a->store, run->endpoints_of)
                                 : NULL;
    if (ev != NULL && ev->endpoints_load.state != LOAD_NONE)
        store_load_endpoints(a->store, ev);
}

static void
run_end(struct app *a, struct screen *s, enum progress_choice c, struct plan *p,
        void *ctx)
{
    if (p != NULL && (c == PROGRESS_RETRY || c == PROGRESS_ROLLBACK)) {
        widget_progress_again(a, s, p, c);
        return;
    }
    plan_free(p);
    run_reload(a, ctx);
    screen_pop(a, s); /* frees the run (widget_progress_set_ctx_free) */
}

static void
run_review(struct app *a, struct screen *s, bool apply, void *ctx)
{
    struct action_run *run = ctx;
    if (!apply)
        return; /* the review is gone; its destroy frees the run */
    widget_review_set_ctx_free(s, NULL); /* the progress screen's now */
    struct screen *under = run->under ? screen_find(a, run->under) : NULL;
    screen_pop(a, under != NULL ? under : s);
    struct plan *p = run->plan;
    run->plan = NULL;
    struct screen *ps = widget_progress_push(a, p, PLAN_APPLY, run_end, run);
    widget_progress_set_ctx_free(ps, run_free);
}

void
action_run(struct app *a, struct plan *p, struct screen *under,
           const struct action_reload *r)
{
    if (app_refuse_read_only(a)) {
        plan_free(p);
        return;
    }
    struct action_run *run = xcalloc(1, sizeof *run);
    run->plan = p;
    run->under = under != NULL ? under->id : 0;
    if (r != NULL) {
        run->vault_uri = r->vault_uri ? xstrdup(r->vault_uri) : NULL;
        run->name = r->name ? xstrdup(r->name) : NULL;
        run->vault_uri2 = r->vault_uri2 ? xstrdup(r->vault_uri2) : NULL;
        run->subscription_id =
            r->subscription_id ? xstrdup(r->subscription_id) : NULL;
        run->endpoints_of = r->endpoints_of ? xstrdup(r->endpoints_of) : NULL;
    }
    struct screen *s = widget_review_push(a, p, run_review, run);
    widget_review_set_ctx_free(s, run_free);
}
