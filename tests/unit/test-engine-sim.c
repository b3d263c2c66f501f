/*
 * test-engine-sim.c — the engine against kvdeck-sim (the local Azure of
 * this project), end to end: the sim's custom cloud file (an AD FS
 * authority), its CA, its service principal; subscriptions, groups and
 * vaults with one-item ARM pages (nextLink followed), a vault by id, its
 * endpoint connections, the data-plane challenge, secrets and a value;
 * and the sim's own fault injection: a 429 on the first ARM call and a
 * dropped connection on the first data-plane call, both retried.
 * Skips when the sim is not built (--disable-sim).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/json.h"
#include "base/str.h"
#include "engine/engine.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

static struct simproc sim;

/* One-item ARM pages (nextLink followed), a 429 on the first ARM call,
 * a dropped connection on the first data-plane call. */
static const char *const sim_args[] = {
    "--page-size", "1",
    "--fault",     "throttle,count=1,area=arm,retry-after=1",
    "--fault",     "drop,count=1,area=vault",
    NULL};

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
    const cJSON *conn = sim.conn;
    struct engine_config c = {.retry_base_ms = 100};
    simproc_config(&sim, &c);
    char *why = NULL;
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine on the sim's cloud file (%s)", why ? why : "ok");
    if (e == NULL)
        goto out;

    struct outcome o;
    outcome_run(e, job_list_subscriptions(), 30000, &o);
    int subs = cJSON_GetArraySize(cJSON_GetObjectItem(conn, "subscriptions"));
    ok(o.end != NULL && o.end->type == RESULT_DONE, "subscriptions listed");
    is_int(o.items, subs, "as many as the connection file names");
    ok(outcome_progress(&o, "429") != NULL,
       "the sim's injected 429 was retried with progress");
    const struct kv_subscription *s0 = outcome_item(&o, 0);
    char *sub = s0 != NULL ? strdup(s0->subscription_id) : NULL;
    outcome_free(&o);

    outcome_run(e, job_list_groups(sub), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items > 0,
       "resource groups listed (%zu)", o.items);
    outcome_free(&o);

    outcome_run(e, job_list_vaults(sub, NULL), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items >= 2,
       "vaults listed (%zu)", o.items);
    ok(o.pages.len == o.items,
       "page size 1: one page per vault, nextLinks followed (%zu pages)",
       o.pages.len);
    const struct kv_vault *v = outcome_item(&o, 0);
    char *vid = v != NULL ? strdup(v->id) : NULL;
    char *uri = v != NULL ? strdup(v->vault_uri) : NULL;
    ok(v != NULL && str_istarts(v->vault_uri, "https://") &&
           !str_ends(v->vault_uri, "/"),
       "a vault URI without trailing slash (%s)", uri ? uri : "");
    outcome_free(&o);

    outcome_run(e, job_get_vault(vid), 30000, &o);
    v = outcome_item(&o, 0);
    ok(o.end != NULL && o.end->type == RESULT_DONE && v != NULL &&
           str_ieq(v->id, vid),
       "the vault by id");
    outcome_free(&o);

    outcome_run(e, job_list_endpoint_connections(vid), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "its private endpoint connections (%zu)", o.items);
    outcome_free(&o);

    outcome_run(e, job_list_secrets(uri), 30000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items > 0,
       "its secrets, through the challenge and a dropped connection (%zu)",
       o.items);
    ok(o.progress.len >= 1, "the dropped connection was retried");
    const struct kv_secret_item *si = outcome_item(&o, 0);
    char *name = si != NULL ? strdup(si->name) : NULL;
    outcome_free(&o);

    outcome_run(e, job_get_secret_value(uri, name, NULL), 30000, &o);
    const struct result *p = o.pages.len ? o.pages.items[0] : NULL;
    ok(o.end != NULL && o.end->type == RESULT_DONE && p != NULL &&
           p->value != NULL && p->value->len > 0,
       "a secret value in secure memory");
    outcome_free(&o);

    free(sub);
    free(vid);
    free(uri);
    free(name);
    engine_free(e);
out:
    simproc_stop(&sim);
    return tap_done();
}
