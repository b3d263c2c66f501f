/*
 * fuzz-sim-router.c — libFuzzer target: kvdeck-sim's request router and
 * handlers in-process (http_dispatch, src/sim/http.h): classification by
 * Host and path, fault rules, every area's precheck and handler (ARM,
 * Entra, Graph, the data plane, managed identity, the control endpoint's
 * reads), the JSON and form bodies they parse, the common headers.
 *
 * Input, one request:
 *   byte 0        method (% 7: GET HEAD PUT PATCH POST DELETE OPTIONS)
 *                 and area (/ 7 % 6, below)
 *   line 1        path, with an optional ?query (k=v&k=v, not decoded)
 *   "Name: value" lines, up to an empty line: headers
 *   the rest      the body
 * Anywhere in path, query, headers and body: "$ARM" and "$KV" become
 * "Bearer " and a valid token for Resource Manager and for the vaults
 * (minted once, at start-up, from the sim's token endpoint), "$SECRET"
 * the client secret, "$CLIENT" the client id, "$TENANT" the tenant and
 * "$SUB" the demo's production subscription: the handlers behind
 * authentication and the seeded resources are reached.
 * The area is the Host the request goes to: 0 127.0.0.1:PORT (ARM,
 * Entra by path, the control endpoint's GETs), 1
 * login.microsoftonline.com, 2 graph.microsoft.com, 3
 * kv-contoso-ai-prod.vault.localhost:PORT, 4 the managed-identity
 * listener, 5 the input's own Host header (area 0's when it has none).
 * One area per input, not all of them: the fuzzer learns which byte
 * reaches which handler, and an input costs one dispatch, not six.
 *
 * The sim is set up once, as main() does, with the demo seed in a private
 * state directory under /dev/shm (tmpfs: the store's fdatasync per write
 * costs nothing there; TMPDIR when there is none), removed at exit —
 * the one target that writes files. Writes to the control endpoint
 * (faults with latency, configuration) are not sent: they would make
 * later inputs slow or depend on earlier ones. The store grows with the
 * writes that succeed, as a real sim's does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-graph.h"
#include "sim/device.h"
#include "sim/fault.h"
#include "sim/files.h"
#include "sim/http.h"
#include "sim/keys.h"
#include "sim/seed.h"
#include "sim/sim.h"
#include "sim/store.h"
#include "sim/util.h"
#include "fuzz.h"

#define PORT       8443
#define MAX_FIELDS 16

static struct sim sim;
static char state_dir[256];
static char *arm_token, *kv_token, *sub_id;

static void
remove_state(void)
{
    char cmd[300];

    if (state_dir[0] == '\0')
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz-sim-router: could not remove %s\n", state_dir);
}

static void
die(const char *what, char *why)
{
    fprintf(stderr, "fuzz-sim-router: %s: %s\n", what, why ? why : "failed");
    free(why);
    remove_state();
    exit(1);
}

/* A token for scope from the sim's own token endpoint (client secret). */
static char *
mint(const char *scope)
{
    char *body = xasprintf("grant_type=client_credentials&client_id=%s"
                           "&client_secret=%s&scope=%s",
                           sim.id.client_id, sim.id.client_secret, scope);
    char *path = xasprintf("/%s/oauth2/v2.0/token", sim.id.tenant);
    const char *headers[] = {"Host", "login.microsoftonline.com",
                             "Content-Type",
                             "application/x-www-form-urlencoded", NULL};
    struct sim_mem_req in = {.method = "POST",
                             .path = path,
                             .headers = headers,
                             .body = body,
                             .body_len = strlen(body)};
    struct sim_resp rs;
    char *tok = NULL;

    if (http_dispatch(&sim, &in, &rs) && rs.status == 200) {
        cJSON *j = cJSON_ParseWithLength(rs.body.data, rs.body.len);
        const cJSON *t = cJSON_GetObjectItem(j, "access_token");

        if (cJSON_IsString(t))
            tok = xasprintf("Bearer %s", t->valuestring);
        cJSON_Delete(j);
    }
    if (tok == NULL)
        die("no token from the sim's token endpoint",
            xasprintf("HTTP %d: %.*s", rs.status, (int)rs.body.len,
                      rs.body.data ? rs.body.data : ""));
    http_resp_free(&rs);
    free(body);
    free(path);
    return tok;
}

static void
setup(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NULL;
    char *why = NULL;

    if (base == NULL)
        base =
            getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(state_dir, sizeof state_dir, "%s/kvdeck-fuzz-sim-XXXXXX", base);
    if (mkdtemp(state_dir) == NULL) {
        state_dir[0] = '\0';
        die("cannot create a state directory", NULL);
    }
    atexit(remove_state);
    /* as main()'s sim_defaults, with no waits for long-running work */
    sim.token_lifetime = 3599;
    sim.retry_after = 1;
    sim.page_size = 100;
    sim.device_interval = 5;
    sim.device_lifetime = 900;
    sim.refresh_lifetime = 90 * 86400;
    sim.compact_bytes = 8L << 20;
    sim.graph_quota = 1000000;
    sim.graph_window_ms = 5000;
    sim.port = PORT;
    sim.imds_port = PORT + 1;
    sim.faults = faults_new(1);
    sim.state_dir = xstrdup(state_dir);
    if (keys_ensure(sim.state_dir, &sim.keys, &why) != KV_OK)
        die("keys", why);
    if (store_open(sim.state_dir, sim.compact_bytes, &sim.store, &why) != KV_OK)
        die("store", why);
    if (files_identity(&sim, "demo", &why) != KV_OK)
        die("identity", why);
    if (!sim.seed)
        sim.seed = xstrdup("demo");
    if (seed_load(&sim, "demo", &why) != KV_OK)
        die("seed", why);
    sim.devices = devices_new(sim.store);
    sim.graph = arm_graph_new(&sim);
    arm_token = mint("https%3A%2F%2Fmanagement.core.windows.net%2F%2F.default");
    char *kv =
        xasprintf("https%%3A%%2F%%2Fvault.localhost%%3A%d%%2F.default", PORT);
    kv_token = mint(kv);
    free(kv);
    sub_id = util_uuid_from("kvdeck-demo/subscription/production");
}

/* text with the $ names replaced (caller frees). */
static char *
expand(const char *text)
{
    const struct {
        const char *name;
        const char *value;
    } vars[] = {
        {"$ARM", arm_token},
        {"$KV", kv_token},
        {"$SECRET", sim.id.client_secret},
        {"$CLIENT", sim.id.client_id},
        {"$TENANT", sim.id.tenant},
        {"$SUB", sub_id},
    };
    struct buf b = BUF_INIT;

    for (const char *p = text; *p;) {
        size_t i = 0, n = sizeof vars / sizeof *vars;

        while (i < n && strncmp(p, vars[i].name, strlen(vars[i].name)) != 0)
            i++;
        if (i < n) {
            buf_puts(&b, vars[i].value);
            p += strlen(vars[i].name);
        } else {
            buf_append(&b, p++, 1);
        }
    }
    return buf_steal(&b);
}

/* Splits "k=v&k=v" into pairs (pointers into q, which is cut up). */
static void
split_query(char *q, const char **pairs, size_t max)
{
    size_t n = 0;

    for (char *save = NULL, *kv = strtok_r(q, "&", &save);
         kv != NULL && n + 2 < max; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');

        if (eq != NULL)
            *eq = '\0';
        pairs[n++] = kv;
        pairs[n++] = eq != NULL ? eq + 1 : "";
    }
    pairs[n] = NULL;
}

static void
run(const struct sim_mem_req *in)
{
    struct sim_resp rs;

    (void)http_dispatch(&sim, in, &rs);
    http_resp_free(&rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET",  "HEAD",   "PUT",    "PATCH",
                                          "POST", "DELETE", "OPTIONS"};
    static const char *const hosts[] = {
        "127.0.0.1:8443", "login.microsoftonline.com", "graph.microsoft.com",
        "kv-contoso-ai-prod.vault.localhost:8443"};
    const char *headers[2 * MAX_FIELDS + 3], *query[2 * MAX_FIELDS + 1];
    size_t nh = 2;

    if (sim.store == NULL)
        setup();
    unsigned b = fuzz_pick(&data, &size), nm = sizeof methods / sizeof *methods;
    unsigned m = b % nm, area = b / nm % 6;
    char *raw = fuzz_str(data, size), *text = expand(raw);
    free(raw);
    char *body = strchr(text, '\n'), *path = text, *host = NULL;

    /* line 1: the path and query */
    if (body != NULL)
        *body++ = '\0';
    char *q = strchr(path, '?');
    if (q != NULL)
        *q++ = '\0';
    split_query(q != NULL ? q : (char *)"", query,
                sizeof query / sizeof *query);
    /* headers up to an empty line; slot 0/1 is the Host */
    while (body != NULL && *body != '\0' && *body != '\n' &&
           nh + 2 < sizeof headers / sizeof *headers) {
        char *end = strchr(body, '\n'), *colon;

        if (end != NULL)
            *end = '\0';
        colon = strchr(body, ':');
        if (colon != NULL) {
            *colon = '\0';
            char *v = colon + 1;
            while (*v == ' ')
                v++;
            if (strcasecmp(body, "Host") == 0) {
                host = v;
            } else {
                headers[nh++] = body;
                headers[nh++] = v;
            }
        }
        body = end != NULL ? end + 1 : NULL;
    }
    if (body != NULL && *body == '\n')
        body++;
    headers[nh] = NULL;

    /* control endpoint writes change what later inputs see: not sent */
    const char *first = path + (path[0] == '/');
    bool control = strncasecmp(first, "_sim", 4) == 0;
    if (!control || m == 0) {
        struct sim_mem_req in = {.method = methods[m],
                                 .path = path,
                                 .headers = headers,
                                 .query = query,
                                 .body = body,
                                 .body_len = body ? strlen(body) : 0};
        in.plain = area == 4;
        headers[0] = "Host";
        headers[1] = area == 4   ? "169.254.169.254"
                     : area < 4  ? hosts[area]
                     : host      ? host
                                 : hosts[0];
        run(&in);
    }
    free(text);
    return 0;
}
