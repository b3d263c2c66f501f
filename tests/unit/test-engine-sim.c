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

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "azure/json.h"
#include "base/str.h"
#include "engine/engine.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"

extern char **environ;

static pid_t sim_pid = -1;
static int sim_in = -1;

/* Starts the sim; returns the connection file's path (static) or NULL. */
static const char *
sim_start(const char *bin, const char *dir)
{
    static char path[512];
    int out[2];
    if (pipe(out) != 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    const char *argv[] = {
        bin,           "--state-dir",
        dir,           "--listen",
        "127.0.0.1:0", "--no-proxy",
        "--seed",      "demo",
        "--page-size", "1",
        "--fault",     "throttle,count=1,area=arm,retry-after=1",
        "--fault",     "drop,count=1,area=vault",
        NULL};
    int err =
        posix_spawn(&sim_pid, bin, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (err != 0) {
        close(out[0]);
        return NULL;
    }
    FILE *f = fdopen(out[0], "r");
    char line[600] = "";
    bool ready = f != NULL && fgets(line, sizeof line, f) != NULL &&
                 sscanf(line, "ready %511s", path) == 1;
    if (f != NULL)
        fclose(f);
    (void)sim_in;
    return ready ? path : NULL;
}

static void
sim_stop(void)
{
    if (sim_pid > 0) {
        kill(sim_pid, SIGTERM);
        waitpid(sim_pid, NULL, 0);
    }
}

static cJSON *
read_json(const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[8192];
    size_t n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f != NULL)
        fclose(f);
    return json_parse(buf, n, path, NULL);
}

int
main(void)
{
    const char *top = getenv("top_builddir");
    char bin[512], dir[] = "/tmp/kvtest-sim-XXXXXX", cmd[600];
    snprintf(bin, sizeof bin, "%s/src/sim/kvdeck-sim", top ? top : ".");
    if (access(bin, X_OK) != 0)
        tap_skip_all("kvdeck-sim is not built (%s)", bin);
    enginetest_no_proxy();
    if (mkdtemp(dir) == NULL)
        tap_skip_all("no temporary directory");
    const char *conn_path = sim_start(bin, dir);
    ok(conn_path != NULL, "kvdeck-sim is ready");
    if (conn_path == NULL) {
        sim_stop();
        return tap_done();
    }
    cJSON *conn = read_json(conn_path);
    const char *secret = json_str(conn, "client_secret");
    struct secret *sec =
        secret_dup(secret ? secret : "", secret ? strlen(secret) : 0);
    struct engine_config c = {
        .cloud = json_str(conn, "cloud_file"),
        .ca_file = json_str(conn, "ca"),
        .tenant_id = json_str(conn, "tenant"),
        .client_id = json_str(conn, "client_id"),
        .client_secret = sec,
        .no_environment = true,
        .retry_base_ms = 100,
    };
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
    secret_free(sec);
    cJSON_Delete(conn);
    sim_stop();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# cannot remove %s\n", dir);
    return tap_done();
}
