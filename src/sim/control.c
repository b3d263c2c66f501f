/*
 * control.c — the control endpoint (see control.h). Requests:
 *   GET  /_sim                      status and settings
 *   GET|POST|DELETE /_sim/faults    list, add ({"faults":[...],"seed"}),
 *                                   clear
 *   POST /_sim/config               change settings at run time
 *                                   (rbac_delay_ms: role assignment
 *                                   propagation, see rbac.h; graph_quota,
 *                                   graph_window_ms, graph_lag_ms,
 *                                   graph_forbidden, graph_page_rows:
 *                                   arm-graph.h)
 *   GET  /_sim/device               device codes not yet redeemed
 *   POST /_sim/device               {"user_code":"...",
 *                                    "action":"approve"|"decline"}
 *   POST /_sim/device/approve|deny  {"user_code":"..."}
 *   POST /_sim/refresh/revoke       refresh tokens issued so far are
 *                                   revoked (invalid_grant AADSTS50173)
 *   GET|POST /_sim/devicelogin      the verification page (form)
 *   POST /_sim/certificates         {"pem":"..."} register a client cert
 *   POST /_sim/compact              write a snapshot now
 *   GET  /_sim/count?prefix=P       number of store keys with prefix P
 *   GET|DELETE /_sim/requests       request counters (total, in flight
 *                                   and waiting out latency, now and at
 *                                   most at once; writes and counts by
 *                                   method and area); reset
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/control.h"
#include "sim/device.h"
#include "sim/fault.h"
#include "sim/keys.h"
#include "sim/store.h"
#include "sim/util.h"

bool
control_parse_deviations(const char *list, unsigned *out, char **why)
{
    char *copy = xstrdup(list ? list : ""), *save = NULL, *tok;
    unsigned bits = 0;
    bool ok = true;

    for (tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        if (strcmp(tok, "provisioning-state") == 0)
            bits |= SIM_DEV_PROVISIONING;
        else if (strcmp(tok, "no-nextlink") == 0)
            bits |= SIM_DEV_NO_NEXTLINK;
        else if (strcmp(tok, "none") != 0) {
            *why = xasprintf("unknown deviation '%s' (known: "
                             "provisioning-state, no-nextlink)",
                             tok);
            ok = false;
            break;
        }
    }
    free(copy);
    if (ok)
        *out = bits;
    return ok;
}

static void
ctl_error(struct sim_resp *rs, int status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "error", msg);
    resp_json(rs, status, o);
}

static cJSON *
deviation_list(unsigned bits)
{
    cJSON *a = cJSON_CreateArray();

    if (bits & SIM_DEV_PROVISIONING)
        cJSON_AddItemToArray(a, cJSON_CreateString("provisioning-state"));
    if (bits & SIM_DEV_NO_NEXTLINK)
        cJSON_AddItemToArray(a, cJSON_CreateString("no-nextlink"));
    return a;
}

/* {"GET":n,...} of one area, and its writes (PUT, PATCH, POST, DELETE)
 * added to *writes. */
static cJSON *
area_methods(struct sim *sim, enum sim_area a, long *writes)
{
    cJSON *o = cJSON_CreateObject();

    for (int m = 0; m < SIM_M_COUNT; m++) {
        long n = atomic_load(&sim->by_method[a][m]);

        cJSON_AddNumberToObject(o, sim_method_name((enum sim_method)m),
                                (double)n);
        if (sim_method_writes((enum sim_method)m))
            *writes += n;
    }
    return o;
}

/* writes and by_method cover ARM and the data plane (what a client
 * changes); by_area has each area on its own, Entra ID's token requests
 * under login. */
static void
method_counters(struct sim *sim, cJSON *o)
{
    static const char *const names[AREA_CONTROL] = {
        [AREA_LOGIN] = "login", [AREA_ARM] = "arm",   [AREA_GRAPH] = "graph",
        [AREA_VAULT] = "vault", [AREA_IMDS] = "imds", [AREA_OPENAI] = "openai"};
    cJSON *by_area = cJSON_CreateObject(), *by_method = cJSON_CreateObject();
    long writes = 0;

    for (int a = 0; a < AREA_CONTROL; a++) {
        long w = 0;
        cJSON *m = area_methods(sim, (enum sim_area)a, &w);

        cJSON_AddNumberToObject(m, "writes", (double)w);
        cJSON_AddItemToObject(by_area, names[a], m);
        if (a == AREA_ARM || a == AREA_VAULT)
            writes += w;
    }
    for (int m = 0; m < SIM_M_COUNT; m++)
        cJSON_AddNumberToObject(
            by_method, sim_method_name((enum sim_method)m),
            (double)(atomic_load(&sim->by_method[AREA_ARM][m]) +
                     atomic_load(&sim->by_method[AREA_VAULT][m])));
    cJSON_AddNumberToObject(o, "writes", (double)writes);
    cJSON_AddItemToObject(o, "by_method", by_method);
    cJSON_AddItemToObject(o, "by_area", by_area);
}

static cJSON *
request_counters(struct sim *sim)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "total", (double)atomic_load(&sim->requests));
    cJSON_AddNumberToObject(o, "in_flight", atomic_load(&sim->in_flight));
    cJSON_AddNumberToObject(o, "max_in_flight",
                            atomic_load(&sim->in_flight_max));
    cJSON_AddNumberToObject(o, "in_latency", atomic_load(&sim->in_latency));
    cJSON_AddNumberToObject(o, "max_in_latency",
                            atomic_load(&sim->in_latency_max));
    method_counters(sim, o);
    return o;
}

/* GET: the counters; DELETE: total to 0, the maximum to what is in
 * flight now. */
static void
requests(struct sim_req *rq, struct sim_resp *rs)
{
    struct sim *sim = rq->sim;

    if (strcmp(rq->method, "DELETE") == 0) {
        atomic_store(&sim->requests, 0);
        for (int a = 0; a < AREA_COUNT; a++)
            for (int m = 0; m < SIM_M_COUNT; m++)
                atomic_store(&sim->by_method[a][m], 0);
        atomic_store(&sim->in_flight_max, atomic_load(&sim->in_flight));
        atomic_store(&sim->in_latency_max, atomic_load(&sim->in_latency));
    } else if (strcmp(rq->method, "GET") != 0) {
        ctl_error(rs, 405, "use GET or DELETE");
        return;
    }
    resp_json(rs, 200, request_counters(sim));
}

static void
status(struct sim_req *rq, struct sim_resp *rs)
{
    struct sim *sim = rq->sim;
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "name", "kvdeck-sim");
    cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
    cJSON_AddNumberToObject(o, "pid", (double)getpid());
    cJSON_AddNumberToObject(o, "port", sim->port);
    cJSON_AddStringToObject(o, "seed", sim->seed ? sim->seed : "");
    cJSON_AddNumberToObject(o, "token_lifetime",
                            atomic_load(&sim->token_lifetime));
    cJSON_AddNumberToObject(o, "lro_delay_ms", atomic_load(&sim->lro_delay_ms));
    cJSON_AddNumberToObject(o, "dns_delay_ms", atomic_load(&sim->dns_delay_ms));
    cJSON_AddNumberToObject(o, "retry_after", atomic_load(&sim->retry_after));
    cJSON_AddNumberToObject(o, "page_size", atomic_load(&sim->page_size));
    cJSON_AddNumberToObject(o, "soft_delete_delay_ms",
                            atomic_load(&sim->soft_delete_delay_ms));
    cJSON_AddNumberToObject(o, "rbac_delay_ms",
                            atomic_load(&sim->rbac_delay_ms));
    cJSON_AddNumberToObject(o, "graph_quota", atomic_load(&sim->graph_quota));
    cJSON_AddNumberToObject(o, "graph_window_ms",
                            atomic_load(&sim->graph_window_ms));
    cJSON_AddNumberToObject(o, "graph_lag_ms", atomic_load(&sim->graph_lag_ms));
    cJSON_AddNumberToObject(o, "graph_page_rows",
                            atomic_load(&sim->graph_page_rows));
    cJSON_AddBoolToObject(o, "graph_forbidden",
                          atomic_load(&sim->graph_forbidden));
    cJSON_AddBoolToObject(o, "device_auto_approve",
                          atomic_load(&sim->device_auto_approve));
    cJSON_AddNumberToObject(o, "device_interval",
                            atomic_load(&sim->device_interval));
    cJSON_AddNumberToObject(o, "device_lifetime",
                            atomic_load(&sim->device_lifetime));
    cJSON_AddBoolToObject(o, "device_slow_down",
                          atomic_load(&sim->device_slow_down));
    cJSON_AddNumberToObject(o, "refresh_lifetime",
                            atomic_load(&sim->refresh_lifetime));
    cJSON_AddNumberToObject(o, "clock_skew_s", atomic_load(&sim->clock_skew_s));
    cJSON_AddNumberToObject(o, "claims_nbf_arm",
                            (double)atomic_load(&sim->claims_nbf[AREA_ARM]));
    cJSON_AddNumberToObject(o, "claims_nbf_vault",
                            (double)atomic_load(&sim->claims_nbf[AREA_VAULT]));
    if (atomic_load(&sim->imds_port))
        cJSON_AddNumberToObject(o, "imds_port", atomic_load(&sim->imds_port));
    cJSON_AddItemToObject(o, "deviations",
                          deviation_list(atomic_load(&sim->deviations)));
    cJSON_AddNumberToObject(o, "keys", (double)store_len(sim->store));
    cJSON_AddItemToObject(o, "faults", faults_to_json(sim->faults));
    cJSON_AddItemToObject(o, "requests", request_counters(sim));
    resp_json(rs, 200, o);
}

static bool
set_int(const cJSON *b, const char *key, _Atomic int *dst, int min, int max,
        struct sim_resp *rs)
{
    const cJSON *it = cJSON_GetObjectItem(b, key);

    if (!it)
        return true;
    if (!cJSON_IsNumber(it) || it->valuedouble < min || it->valuedouble > max) {
        char *m = xasprintf("%s must be a number in %d..%d", key, min, max);

        ctl_error(rs, 400, m);
        free(m);
        return false;
    }
    atomic_store(dst, (int)it->valuedouble);
    return true;
}

static void
config(struct sim_req *rq, struct sim_resp *rs)
{
    struct sim *sim = rq->sim;
    cJSON *b = req_json(rq);
    const cJSON *it;

    if (!b) {
        ctl_error(rs, 400, "expected a JSON object");
        return;
    }
    if (!set_int(b, "token_lifetime", &sim->token_lifetime, 1, 86400, rs) ||
        !set_int(b, "lro_delay_ms", &sim->lro_delay_ms, 0, 3600000, rs) ||
        !set_int(b, "dns_delay_ms", &sim->dns_delay_ms, 0, 3600000, rs) ||
        !set_int(b, "retry_after", &sim->retry_after, 0, 3600, rs) ||
        !set_int(b, "page_size", &sim->page_size, 1, 1000, rs) ||
        !set_int(b, "soft_delete_delay_ms", &sim->soft_delete_delay_ms, 0,
                 3600000, rs) ||
        !set_int(b, "rbac_delay_ms", &sim->rbac_delay_ms, 0, 3600000, rs) ||
        !set_int(b, "graph_quota", &sim->graph_quota, 1, 1000000, rs) ||
        !set_int(b, "graph_window_ms", &sim->graph_window_ms, 1, 3600000, rs) ||
        !set_int(b, "graph_lag_ms", &sim->graph_lag_ms, 0, 3600000, rs) ||
        !set_int(b, "graph_page_rows", &sim->graph_page_rows, 0, 1000, rs) ||
        !set_int(b, "device_interval", &sim->device_interval, 1, 60, rs) ||
        !set_int(b, "device_lifetime", &sim->device_lifetime, 1, 86400, rs) ||
        !set_int(b, "refresh_lifetime", &sim->refresh_lifetime, 1, 400 * 86400,
                 rs) ||
        !set_int(b, "clock_skew_s", &sim->clock_skew_s, -366 * 86400,
                 366 * 86400, rs))
        goto out;
    if ((it = cJSON_GetObjectItem(b, "device_auto_approve")))
        atomic_store(&sim->device_auto_approve, cJSON_IsTrue(it));
    if ((it = cJSON_GetObjectItem(b, "device_slow_down")))
        atomic_store(&sim->device_slow_down, cJSON_IsTrue(it));
    if ((it = cJSON_GetObjectItem(b, "graph_forbidden")))
        atomic_store(&sim->graph_forbidden, cJSON_IsTrue(it));
    if ((it = cJSON_GetObjectItem(b, "deviations"))) {
        struct buf list = BUF_INIT;
        const cJSON *d;
        unsigned bits = 0;
        char *why = NULL;

        cJSON_ArrayForEach(d, it) if (cJSON_IsString(d))
        {
            buf_puts(&list, d->valuestring);
            buf_putc(&list, ',');
        }
        if (!control_parse_deviations(buf_str(&list), &bits, &why)) {
            ctl_error(rs, 400, why);
            free(why);
            buf_free(&list);
            goto out;
        }
        atomic_store(&sim->deviations, bits);
        buf_free(&list);
    }
    status(rq, rs);
out:
    cJSON_Delete(b);
}

static void
faults(struct sim_req *rq, struct sim_resp *rs)
{
    struct sim *sim = rq->sim;
    cJSON *b;
    const cJSON *it, *r;
    char *why = NULL;

    if (strcmp(rq->method, "DELETE") == 0) {
        faults_clear(sim->faults);
        for (int a = 0; a < AREA_COUNT; a++)
            atomic_store(&sim->claims_nbf[a], 0);
    } else if (strcmp(rq->method, "POST") == 0 ||
               strcmp(rq->method, "PUT") == 0) {
        if (!(b = req_json(rq))) {
            ctl_error(rs, 400, "expected {\"faults\":[...]}");
            return;
        }
        if (strcmp(rq->method, "PUT") == 0 || json_bool(b, "replace", false))
            faults_clear(sim->faults);
        if ((it = cJSON_GetObjectItem(b, "seed")) && cJSON_IsNumber(it) &&
            it->valuedouble >= 0 && it->valuedouble < 1.8e19)
            faults_set_seed(sim->faults, (uint64_t)it->valuedouble);
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(b, "faults"))
        {
            enum kv_status st =
                cJSON_IsString(r)
                    ? faults_add_spec(sim->faults, r->valuestring, &why)
                    : faults_add_json(sim->faults, r, &why);

            if (st != KV_OK) {
                ctl_error(rs, 400, why);
                free(why);
                cJSON_Delete(b);
                return;
            }
        }
        cJSON_Delete(b);
    }
    resp_json(rs, 200, faults_to_json(sim->faults));
}

static char *
user_code_of(struct sim_req *rq)
{
    cJSON *b = req_json(rq);
    char *code = NULL;

    if (b && json_str(b, "user_code"))
        code = xstrdup(json_str(b, "user_code"));
    cJSON_Delete(b);
    if (!code && rq->body.len) {
        /* form: user_code=XXXX */
        const char *p = strstr(buf_str(&rq->body), "user_code=");

        if (p) {
            const char *e = strchr(p, '&');

            p += strlen("user_code=");
            code = str_url_decode(p, e ? (size_t)(e - p) : strlen(p));
        }
    }
    return code;
}

/* what: "approve", "deny"/"decline", or NULL for the "action" of a
 * JSON body. */
static void
device(struct sim_req *rq, struct sim_resp *rs, const char *what)
{
    cJSON *b = NULL;
    char *code;
    bool ok, approve;

    if (!what) {
        b = req_json(rq);
        what = json_str(b, "action");
    }
    code = user_code_of(rq);
    if (!code || !what ||
        (strcmp(what, "approve") != 0 && strcmp(what, "decline") != 0 &&
         strcmp(what, "deny") != 0)) {
        ctl_error(rs, 400,
                  "expected {\"user_code\":\"...\",\"action\":\"approve\"|"
                  "\"decline\"}");
        free(code);
        cJSON_Delete(b);
        return;
    }
    approve = strcmp(what, "approve") == 0;
    ok = devices_decide(rq->sim->devices, code, approve);
    free(code);
    cJSON_Delete(b);
    if (!ok)
        ctl_error(rs, 404, "no pending device code with that user code");
    else
        resp_json(rs, 200, devices_list(rq->sim->devices));
}

/* Revokes every refresh token issued until now (a password reset). */
static void
refresh_revoke(struct sim_req *rq, struct sim_resp *rs)
{
    struct sim *sim = rq->sim;
    int64_t now = sim_now_ms();
    cJSON *doc = cJSON_CreateObject(), *o;
    struct store_txn *t = store_txn_new();
    char *why = NULL;

    cJSON_AddNumberToObject(doc, "before", (double)now);
    store_txn_put(t, "auth|revoked", doc);
    store_write_lock(sim->store);
    if (store_commit(sim->store, t, &why) != KV_OK) {
        ctl_error(rs, 500, why);
    } else {
        atomic_store(&sim->refresh_revoked, now);
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "revoked_before_ms", (double)now);
        resp_json(rs, 200, o);
    }
    store_write_unlock(sim->store);
    cJSON_Delete(doc);
    free(why);
}

static void
devicelogin(struct sim_req *rq, struct sim_resp *rs)
{
    static const char page[] =
        "<!doctype html><html><head><title>kvdeck-sim device login</title>"
        "</head><body><h1>kvdeck-sim</h1><p>Enter the code shown by the "
        "application to sign in as the demo user.</p><form method=\"post\">"
        "<input name=\"user_code\" autofocus> <button>Sign in</button>"
        "</form></body></html>";
    char *code;

    if (strcmp(rq->method, "POST") != 0) {
        resp_text(rs, 200, "text/html; charset=utf-8", page);
        return;
    }
    code = user_code_of(rq);
    if (code && devices_decide(rq->sim->devices, code, true))
        resp_text(rs, 200, "text/html; charset=utf-8",
                  "<!doctype html><html><body><p>You have signed in. You "
                  "may close this window.</p></body></html>");
    else
        resp_text(rs, 400, "text/html; charset=utf-8",
                  "<!doctype html><html><body><p>That code is not valid "
                  "or has expired.</p></body></html>");
    free(code);
}

static void
certificates(struct sim_req *rq, struct sim_resp *rs)
{
    cJSON *b = req_json(rq), *doc, *o;
    const char *pem = json_str(b, "pem");
    X509 *cert = pem ? keys_parse_cert(pem) : NULL;
    char *x5t = NULL, *x5t256 = NULL, *k1, *k2, *why = NULL;
    struct store_txn *t;

    if (!cert) {
        ctl_error(rs, 400, "expected {\"pem\":\"-----BEGIN CERTIFICATE...\"}");
        cJSON_Delete(b);
        return;
    }
    keys_thumbprints(cert, &x5t, &x5t256);
    doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "pem", pem);
    k1 = xasprintf("cert|%s", x5t);
    k2 = xasprintf("cert|%s", x5t256);
    t = store_txn_new();
    store_txn_put(t, k1, doc);
    store_txn_put(t, k2, doc);
    store_write_lock(rq->sim->store);
    if (store_commit(rq->sim->store, t, &why) != KV_OK) {
        ctl_error(rs, 500, why);
    } else {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "x5t", x5t);
        cJSON_AddStringToObject(o, "x5t#S256", x5t256);
        cJSON_AddStringToObject(o, "client_id", rq->sim->id.client_id);
        resp_json(rs, 200, o);
    }
    store_write_unlock(rq->sim->store);
    X509_free(cert);
    cJSON_Delete(doc);
    cJSON_Delete(b);
    free(x5t);
    free(x5t256);
    free(k1);
    free(k2);
    free(why);
}

static void
control_handle(struct sim_req *rq, struct sim_resp *rs)
{
    /* what follows "_sim": classify() routes "/_sim..." and also "_sim"
     * without the slash (a request line without one) here */
    const char *p = rq->path + (rq->path[0] == '/') + strlen("_sim");
    bool get = strcmp(rq->method, "GET") == 0;
    bool post = strcmp(rq->method, "POST") == 0;

    if ((*p == '\0' || strcmp(p, "/") == 0) && get)
        status(rq, rs);
    else if (strcmp(p, "/faults") == 0)
        faults(rq, rs);
    else if (strcmp(p, "/config") == 0 && post)
        config(rq, rs);
    else if (strcmp(p, "/device") == 0 && get)
        resp_json(rs, 200, devices_list(rq->sim->devices));
    else if (strcmp(p, "/device") == 0 && post)
        device(rq, rs, NULL);
    else if (strcmp(p, "/refresh/revoke") == 0 && post)
        refresh_revoke(rq, rs);
    else if (strcmp(p, "/device/approve") == 0 && post)
        device(rq, rs, "approve");
    else if (strcmp(p, "/device/deny") == 0 && post)
        device(rq, rs, "deny");
    else if (strcmp(p, "/devicelogin") == 0)
        devicelogin(rq, rs);
    else if (strcmp(p, "/certificates") == 0 && post)
        certificates(rq, rs);
    else if (strcmp(p, "/requests") == 0)
        requests(rq, rs);
    else if (strcmp(p, "/compact") == 0 && post) {
        char *why = NULL;

        if (store_compact(rq->sim->store, &why) == KV_OK)
            status(rq, rs);
        else
            ctl_error(rs, 500, why);
        free(why);
    } else if (strcmp(p, "/count") == 0 && get) {
        const char *pre = req_query(rq, "prefix");
        cJSON *o = cJSON_CreateObject();

        cJSON_AddNumberToObject(
            o, "count", (double)store_count(rq->sim->store, pre ? pre : ""));
        resp_json(rs, 200, o);
    } else
        ctl_error(rs, 404, "unknown control request");
}

const struct sim_area_ops control_area = {
    .name = "control",
    .precheck = NULL,
    .handle = control_handle,
};
