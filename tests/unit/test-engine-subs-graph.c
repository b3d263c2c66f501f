/*
 * test-engine-subs-graph.c — JOB_LIST_SUBSCRIPTIONS with job_subs
 * (engine/graph.h, azure/ops-subs-graph.c) against kvdeck-sim: 45
 * subscriptions, Resource Manager pages of 20. Above the threshold the
 * first page (20, a next page) comes from Resource Manager and the other
 * 25 from ONE Resource Graph query of resourcecontainers (their rows
 * carry Resource Graph's properties), each subscription once, with its
 * display name and state as Resource Manager gives them; at or below it
 * every page comes by nextLink; when Resource Graph refuses (403), a
 * PROGRESS says so and the list goes on by nextLink, complete.
 * Skips when the sim is not built (--disable-sim).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "engine/engine.h"
#include "engine/graph.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

#define NSUBS 45

static struct simproc sim;

static const char *const sim_args[] = {
    "--seed", "scale:subs=45,vaults=1,secrets=0", "--page-size", "20", NULL};

/* How the list came: items from Resource Graph (their JSON has its
 * properties column), ids each once, every one named and with a state. */
struct tally {
    size_t items, unique, graph, named;
};

static struct tally
tally_of(const struct outcome *o)
{
    struct tally t = {0};
    for (size_t i = 0; i < o->items; i++) {
        const struct kv_subscription *ks = outcome_item(o, i);
        t.items++;
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++) {
            const struct kv_subscription *other = outcome_item(o, k);
            dup = str_ieq(other->subscription_id, ks->subscription_id);
        }
        t.unique += !dup;
        t.graph += ks->json != NULL &&
                   strstr(ks->json, "managementGroupAncestorsChain") != NULL;
        t.named += ks->display_name != NULL && ks->state != NULL &&
                   ks->tenant_id != NULL &&
                   str_starts(ks->display_name, "Scale Subscription");
    }
    return t;
}

int
main(void)
{
    const char *bin = simproc_bin();
    if (bin == NULL)
        tap_skip_all("kvdeck-sim is not built (set KVDECK_SIM)");
    enginetest_no_proxy();
    bool up = simproc_start(&sim, bin, sim_args);
    ok(up, "kvdeck-sim is ready");
    if (!up) {
        simproc_stop(&sim);
        return tap_done();
    }
    struct engine_config c = {.retry_base_ms = 100};
    simproc_config(&sim, &c);
    char *why = NULL;
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine on the sim (%s)", why ? why : "ok");
    if (e == NULL)
        goto out;

    struct outcome o;
    outcome_run(e, job_list_subscriptions_graph(10), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "threshold 10: the list is done");
    struct tally t = tally_of(&o);
    is_int((int)t.items, NSUBS, "all 45 subscriptions");
    is_int((int)t.unique, NSUBS, "each once (the first page not repeated)");
    is_int((int)t.graph, NSUBS - 20,
           "the 25 after the first page from Resource Graph");
    is_int((int)t.named, NSUBS, "each with its display name and state");
    ok(outcome_progress(&o, "Resource Graph") == NULL, "nothing said");
    outcome_free(&o);

    outcome_run(e, job_list_subscriptions_graph(20), 30000, &o);
    t = tally_of(&o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && t.unique == NSUBS &&
           t.graph == 0,
       "threshold 20 (the first page holds 20): all by nextLink");
    outcome_free(&o);

    ok(simproc_control(&sim, "POST", "/config", "{\"graph_forbidden\":true}"),
       "Resource Graph refuses (403)");
    outcome_run(e, job_list_subscriptions_graph(10), 30000, &o);
    t = tally_of(&o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "refused: the list is done all the same");
    ok(t.items == NSUBS && t.unique == NSUBS && t.graph == 0,
       "all 45, each once, by nextLink (%zu, %zu unique)", t.items, t.unique);
    const char *said = outcome_progress(&o, "Resource Graph refused");
    ok(said != NULL && strstr(said, "403") != NULL &&
           strstr(said, "page by page") != NULL,
       "a PROGRESS says Resource Graph refused (403) and what is done");
    outcome_free(&o);

    engine_free(e);
out:
    free(why);
    simproc_stop(&sim);
    return tap_done();
}
