/*
 * test-engine-expiring.c — the expiring-secrets scan (issue #12):
 *  - the pure rules (engine/expiring.c): which secret is listed (exp
 *    within DAYS or past; rotation-days on one without exp), the order
 *    (expired first, then soonest, vault rows last), days_left;
 *  - JOB_SCAN_EXPIRING against kvdeck-sim's scale seed (30 vaults, 5
 *    secrets each, some expiring, expired or with a rotation-days tag):
 *    every vault ends with one vault row, and the secret rows are exactly
 *    those the same rules pick from each vault's own list (JOB_LIST_SECRETS
 *    one vault at a time);
 *  - throttling: one 429 with Retry-After: 2 on a vault's list; until the
 *    retry is due no vault starts, so at most the vaults already in
 *    flight (at_once - 1 = 3) end in those 2 s, where without the hold
 *    the other 29 would have ended; the scan still reads every vault.
 * Skips the sim part when the sim is not built.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/timeutil.h"
#include "engine/engine.h"
#include "engine/expiring.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"
#include "tests/tools/simproc.h"

#define DAY 86400LL

static struct kv_tags
tags1(struct kv_tag *t, const char *k, const char *v)
{
    t->key = (char *)k;
    t->value = (char *)v;
    return (struct kv_tags){.n = 1, .items = t};
}

static void
test_rules(void)
{
    int64_t now = 1800000000;
    int64_t due = 0;
    int rd = 0;
    struct kv_secret_attrs at = {.enabled = true, .updated = now - 10 * DAY};
    struct kv_tags none = {0};
    struct kv_tag t, trot;

    at.expires = now + 20 * DAY;
    ok(kv_expiring_pick(&at, &none, 30, now, &due, &rd) && due == at.expires &&
           rd == 0,
       "exp in 20 days: listed within 30, due at exp");
    ok(!kv_expiring_pick(&at, &none, 19, now, &due, &rd), "not within 19 days");
    at.expires = now - 10 * DAY;
    ok(kv_expiring_pick(&at, &none, 0, now, &due, &rd),
       "expired 10 days ago: listed even for 0 days");
    at.expires = 0;
    ok(!kv_expiring_pick(&at, &none, 36500, now, &due, &rd),
       "no exp, no tag: never listed");
    struct kv_tags rot = tags1(&trot, "rotation-days", "30");
    ok(kv_expiring_pick(&at, &rot, 30, now, &due, &rd) &&
           due == now + 20 * DAY && rd == 30,
       "rotation-days=30, updated 10 days ago: due in 20 days");
    ok(!kv_expiring_pick(&at, &rot, 19, now, &due, &rd),
       "rotation not within 19 days");
    at.expires = now + 100 * DAY;
    ok(!kv_expiring_pick(&at, &rot, 30, now, &due, &rd),
       "an expiry wins over the tag");
    at.expires = 0;
    struct kv_tags junk = tags1(&t, "rotation-days", "30d");
    is_int(kv_expiring_rotation_days(&junk), 0, "rotation-days=30d: no");
    junk = tags1(&t, "rotation-days", "-5");
    is_int(kv_expiring_rotation_days(&junk), 0, "rotation-days=-5: no");
    junk = tags1(&t, "rotation-days", " 45 ");
    is_int(kv_expiring_rotation_days(&junk), 45, "rotation-days=' 45 ': 45");

    struct job_expiring_vault va = {.name = (char *)"kv-a"},
                              vb = {.name = (char *)"kv-b"};
    at.expires = now + 5 * DAY;
    struct kv_expiring_row *soon =
        kv_expiring_row_secret(&vb, "soon", NULL, &at, &none, false, 30, now);
    at.expires = now - 3 * DAY;
    struct kv_expiring_row *gone = kv_expiring_row_secret(
        &vb, "gone", "password", &at, &none, false, 30, now);
    at.expires = 0;
    at.updated = now - 40 * DAY;
    struct kv_expiring_row *overdue =
        kv_expiring_row_secret(&va, "overdue", NULL, &at, &rot, false, 30, now);
    struct kv_expiring_row *bad = calloc(1, sizeof *bad);
    bad->kind = KV_EXPIRING_UNREADABLE;
    bad->vault_name = strdup("kv-0");
    ok(soon && gone && overdue && gone->expired && !soon->expired &&
           !overdue->expired,
       "rows made; only the past exp is expired");
    struct vec v = VEC_INIT;
    vec_push(&v, bad);
    vec_push(&v, soon);
    vec_push(&v, overdue);
    vec_push(&v, gone);
    vec_sort(&v, kv_expiring_cmp);
    ok(v.items[0] == gone && v.items[1] == overdue && v.items[2] == soon &&
           v.items[3] == bad,
       "order: expired, then by due (overdue rotation, then in 5 days), the "
       "unreadable vault last");
    is_int(kv_expiring_days_left(gone, now), -3, "days_left -3");
    is_int(kv_expiring_days_left(soon, now), 5, "days_left 5");
    is_int(kv_expiring_days_left(overdue, now), -10, "rotation 10 days over");
    vec_free_all(&v, (void (*)(void *))kv_expiring_row_free);
}

/* The vaults of the sim's one subscription (kv_vault *). */
static bool
list_vaults(struct engine *e, struct vec *out)
{
    struct outcome o;
    outcome_run(e, job_list_subscriptions(), 30000, &o);
    const struct kv_subscription *s = outcome_item(&o, 0);
    char *sub = s != NULL ? strdup(s->subscription_id) : NULL;
    outcome_free(&o);
    if (sub == NULL)
        return false;
    outcome_run(e, job_list_vaults(sub, NULL), 30000, &o);
    for (size_t i = 0; i < o.items; i++) {
        struct kv_vault *v = outcome_item(&o, i);
        vec_push(out, strdup(v->name));
        vec_push(out, strdup(v->vault_uri));
        vec_push(out, strdup(v->id));
    }
    bool good = o.end != NULL && o.end->type == RESULT_DONE;
    outcome_free(&o);
    free(sub);
    return good;
}

/* What the rules pick from each vault's own list, one vault at a time. */
static size_t
expected_rows(struct engine *e, const struct vec *vl, int days, int64_t now)
{
    size_t n = 0;
    for (size_t i = 0; i + 2 < vl->len; i += 3) {
        struct outcome o;
        outcome_run(e, job_list_secrets(vl->items[i + 1]), 30000, &o);
        for (size_t k = 0; k < o.items; k++) {
            const struct kv_secret_item *s = outcome_item(&o, k);
            int64_t due;
            int rd;
            n += kv_expiring_pick(&s->attrs, &s->tags, days, now, &due, &rd);
        }
        outcome_free(&o);
    }
    return n;
}

struct scan {
    size_t secrets, vaults_done, bad;
    size_t ended_while_held; /* vault rows between a 429 and its retry */
    bool throttled, done;
};

static void
scan_run(struct engine *e, const struct vec *vl, int days, int64_t now,
         int at_once, struct scan *sc)
{
    memset(sc, 0, sizeof *sc);
    struct job *j = job_scan_expiring(days);
    job_expiring(j)->now = now;
    job_expiring(j)->at_once = at_once;
    for (size_t i = 0; i + 2 < vl->len; i += 3)
        job_expiring_add_vault(j, vl->items[i], vl->items[i + 1],
                               vl->items[i + 2]);
    uint64_t id = engine_submit(e, j);
    int64_t held_until = 0;
    int64_t give_up = time_mono_ms() + 60000;
    while (time_mono_ms() < give_up) {
        struct result *r = engine_wait_result(e, 1000);
        if (r == NULL || r->job_id != id) {
            result_free(r);
            continue;
        }
        int64_t t = time_mono_ms();
        if (r->type == RESULT_PROGRESS && r->retry_at_ms > 0 &&
            r->message != NULL && strstr(r->message, "429") != NULL) {
            sc->throttled = true;
            if (r->retry_at_ms > held_until)
                held_until = r->retry_at_ms;
        }
        for (size_t i = 0; r->type == RESULT_PAGE && i < r->items.len; i++) {
            const struct kv_expiring_row *row = r->items.items[i];
            if (row->kind == KV_EXPIRING_SECRET) {
                sc->secrets++;
                continue;
            }
            if (row->kind == KV_EXPIRING_VAULT_DONE)
                sc->vaults_done++;
            else
                sc->bad++;
            /* (100 ms of slack for the retry's own answer) */
            if (held_until > 0 && t < held_until - 100)
                sc->ended_while_held++;
        }
        bool end = r->type == RESULT_DONE || r->type == RESULT_ERROR;
        sc->done = r->type == RESULT_DONE;
        result_free(r);
        if (end)
            return;
    }
}

static void
test_scan(void)
{
    const char *bin = simproc_bin();
    if (bin == NULL) {
        ok(true, "# SKIP kvdeck-sim is not built (set KVDECK_SIM)");
        return;
    }
    static const char *const args[] = {
        "--seed", "scale:subs=1,vaults=30,secrets=5,bigvault=0", NULL};
    struct simproc sim;
    enginetest_no_proxy();
    bool up = simproc_start(&sim, bin, args);
    ok(up, "kvdeck-sim is ready (30 vaults)");
    if (!up) {
        simproc_stop(&sim);
        return;
    }
    struct engine_config c = {.retry_base_ms = 100, .max_attempts = 3};
    simproc_config(&sim, &c);
    char *why = NULL;
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine on the sim (%s)", why ? why : "ok");
    free(why);
    struct vec vl = VEC_INIT;
    if (e == NULL || !list_vaults(e, &vl) || vl.len != 90) {
        ok(false, "the 30 vaults listed (%zu)", vl.len / 3);
        goto out;
    }
    int64_t now = time_now();
    size_t want = expected_rows(e, &vl, 30, now);
    ok(want > 0, "the seed has secrets to find within 30 days (%zu)", want);

    struct scan sc;
    scan_run(e, &vl, 30, now, 4, &sc);
    ok(sc.done, "the scan ends with DONE");
    is_int(sc.vaults_done, 30, "each vault ended with one vault row");
    is_int(sc.bad, 0, "none unreadable");
    is_int(sc.secrets, want, "the rows the rules pick from each list");

    ok(simproc_control(&sim, "POST", "/faults",
                       "{\"faults\":[\"throttle,area=vault,path=/secrets,"
                       "count=1,retry-after=2\"]}"),
       "one 429 (Retry-After: 2) on the next vault list");
    int64_t t0 = time_mono_ms();
    scan_run(e, &vl, 30, now, 4, &sc);
    ok(sc.throttled, "the scan said it was throttled");
    ok(sc.done && sc.vaults_done == 30 && sc.secrets == want,
       "and still read every vault, the same rows (%zu)", sc.secrets);
    ok(sc.ended_while_held <= 3,
       "until the retry only vaults already in flight ended (%zu <= 3)",
       sc.ended_while_held);
    ok(time_mono_ms() - t0 >= 1900, "the scan waited for the Retry-After");
out:
    vec_free_all(&vl, free);
    engine_free(e);
    simproc_stop(&sim);
    enginetest_cleanup();
}

int
main(void)
{
    test_rules();
    test_scan();
    return tap_done();
}
