/*
 * arm.c — ARM request dispatch and the helpers every provider shares
 * (see arm.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm.h"
#include "sim/arm-graph.h"
#include "sim/arm-perm.h"
#include "sim/rbac.h"
#include "sim/auth.h"
#include "sim/cog.h"
#include "sim/store.h"
#include "sim/util.h"

static const char *const api_subs[] = {
    "2022-12-01",         "2022-09-01", "2022-01-01", "2021-01-01",
    "2020-01-01",         "2019-11-01", "2019-06-01", "2019-05-01",
    "2019-03-01",         "2018-06-01", "2018-05-01", "2018-02-01",
    "2017-08-01",         "2017-06-01", "2017-05-10", "2016-09-01",
    "2016-06-01",         "2016-02-01", "2015-11-01", "2015-01-01",
    "2014-04-01-preview", "2014-04-01", NULL};
static const char *const api_res[] = {
    "2025-04-01", "2025-03-01", "2024-11-01",         "2024-08-01",
    "2024-07-01", "2024-03-01", "2023-07-01",         "2022-09-01",
    "2021-04-01", "2021-01-01", "2020-10-01",         "2020-08-01",
    "2020-06-01", "2019-10-01", "2019-08-01",         "2019-07-01",
    "2019-05-10", "2019-05-01", "2019-03-01",         "2018-05-01",
    "2018-02-01", "2017-08-01", "2017-06-01",         "2017-05-10",
    "2016-09-01", "2016-07-01", "2016-06-01",         "2016-02-01",
    "2015-11-01", "2015-01-01", "2014-04-01-preview", "2014-04-01",
    NULL};
static const char *const api_kv[] = {"2026-04-01-preview",
                                     "2026-02-01",
                                     "2025-05-01",
                                     "2024-12-01-preview",
                                     "2024-11-01",
                                     "2024-04-01-preview",
                                     "2023-08-01-PREVIEW",
                                     "2023-07-01",
                                     "2023-02-01",
                                     "2022-11-01",
                                     "2022-07-01",
                                     "2022-02-01-preview",
                                     "2021-11-01-preview",
                                     "2021-10-01",
                                     "2021-06-01-preview",
                                     "2021-04-01-preview",
                                     "2020-04-01-preview",
                                     "2019-09-01",
                                     "2018-02-14",
                                     "2018-02-14-preview",
                                     "2016-10-01",
                                     "2015-06-01",
                                     NULL};
static const char *const api_net[] = {
    "2025-05-01", "2025-03-01", "2025-01-01", "2024-10-01",
    "2024-07-01", "2024-05-01", "2024-03-01", "2024-01-01",
    "2023-11-01", "2023-09-01", "2023-06-01", "2023-05-01",
    "2023-04-01", "2023-02-01", "2022-11-01", "2022-09-01",
    "2022-07-01", "2022-05-01", "2022-01-01", "2021-08-01",
    "2021-05-01", "2021-03-01", "2021-02-01", "2020-11-01",
    "2020-08-01", "2020-07-01", "2020-06-01", "2020-05-01",
    "2020-04-01", "2020-03-01", "2019-12-01", "2019-11-01",
    "2019-09-01", "2019-08-01", "2019-07-01", "2019-06-01",
    "2019-04-01", "2019-02-01", "2018-12-01", "2018-11-01",
    "2018-10-01", "2018-08-01", "2018-07-01", "2018-06-01",
    "2018-04-01", "2018-02-01", "2018-01-01", "2017-11-01",
    "2017-10-01", "2017-09-01", "2017-08-01", "2017-06-01",
    "2017-04-01", "2017-03-01", "2016-12-01", "2016-11-01",
    "2016-10-01", "2016-09-01", "2016-08-01", "2016-07-01",
    "2016-06-01", "2016-03-30", "2015-06-15", "2015-05-01-preview",
    NULL};
/* Resource Graph's resources: the stable versions (2022-10-01 is the
 * current one the SDKs send) and the previews az extensions still use. */
static const char *const api_graph[] = {
    "2024-04-01", "2022-10-01",         "2021-06-01-preview",
    "2021-03-01", "2020-04-01-preview", "2019-04-01",
    NULL};
/* Microsoft.CognitiveServices/accounts: the stable versions (2022-12-01
 * is Debian's azure-mgmt-cognitiveservices and az 2.45, 2023-05-01 the
 * spec's) and the previews between them. */
static const char *const api_cog[] = {
    "2025-09-01",         "2025-06-01",
    "2025-04-01-preview", "2024-10-01",
    "2024-06-01-preview", "2024-04-01-preview",
    "2023-10-01-preview", "2023-05-01",
    "2022-12-01",         "2022-10-01",
    "2022-03-01",         "2021-10-01",
    "2021-04-30",         "2017-04-18",
    "2016-02-01-preview", NULL};
static const char *const api_dns[] = {"2024-06-01", "2020-06-01", "2020-01-01",
                                      "2018-09-01", NULL};

static const char *const locations[] = {
    "eastus",         "eastus2",          "westus",
    "westus2",        "westus3",          "centralus",
    "northcentralus", "southcentralus",   "westcentralus",
    "northeurope",    "westeurope",       "uksouth",
    "ukwest",         "francecentral",    "germanywestcentral",
    "swedencentral",  "switzerlandnorth", "norwayeast",
    "japaneast",      "japanwest",        "australiaeast",
    "southeastasia",  "eastasia",         "koreacentral",
    "centralindia",   "brazilsouth",      "canadacentral",
    "canadaeast",     "southafricanorth", "uaenorth",
    "eastus2euap",    "centraluseuap",    NULL};

static const char *const *
api_list(enum arm_apis a)
{
    switch (a) {
    case API_SUBS:
        return api_subs;
    case API_RES:
        return api_res;
    case API_KV:
        return api_kv;
    case API_NET:
        return api_net;
    case API_DNS:
        return api_dns;
    case API_GRAPH:
        return api_graph;
    case API_COG:
        return api_cog;
    default:
        return NULL;
    }
}

static char *
joined(const char *const *list, const char *sep)
{
    struct buf b = BUF_INIT;

    for (size_t i = 0; list[i]; i++) {
        if (i)
            buf_puts(&b, sep);
        buf_puts(&b, list[i]);
    }
    return buf_steal(&b);
}

char *
arm_location_norm(const char *loc)
{
    char *l = util_lower(loc);

    for (char *p = l, *q = l;; p++) {
        if (*p != ' ')
            *q++ = *p;
        if (!*p)
            break;
    }
    return l;
}

bool
arm_location_ok(const char *loc)
{
    char *l;
    bool ok = false;

    if (!loc)
        return false;
    l = arm_location_norm(loc);
    for (size_t i = 0; locations[i]; i++)
        if (strcmp(l, locations[i]) == 0)
            ok = true;
    free(l);
    return ok;
}

bool
arm_tags_ok(const cJSON *tags)
{
    const cJSON *t;

    if (!tags || cJSON_IsNull(tags))
        return true;
    if (!cJSON_IsObject(tags))
        return false;
    cJSON_ArrayForEach(t, tags) if (!cJSON_IsString(t)) return false;
    return true;
}

void
arm_error(struct arm_ctx *cx, int status, const char *code, const char *fmt,
          ...)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    char *msg;
    va_list ap;

    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", msg);
    free(msg);
    resp_json(cx->rs, status, root);
}

void
arm_not_found(struct arm_ctx *cx, const char *type, const char *name,
              const char *group)
{
    arm_error(cx, 404, "ResourceNotFound",
              "The Resource '%s/%s' under resource group '%s' was not found. "
              "For more details please go to "
              "https://aka.ms/ARMResourceNotFoundFix",
              type, name, group);
    resp_header(cx->rs, "x-ms-failure-cause", "gateway");
}

void
arm_rg_not_found(struct arm_ctx *cx, const char *rg)
{
    arm_error(cx, 404, "ResourceGroupNotFound",
              "Resource group '%s' could not be found.", rg);
    resp_header(cx->rs, "x-ms-failure-cause", "gateway");
}

bool
arm_sub_visible(struct arm_ctx *cx, const cJSON *doc)
{
    const char *tid = json_str(cx->rq->claims, "tid");
    const char *owner = json_str(doc, "tenantId");

    return tid == NULL || owner == NULL || str_eq(tid, owner);
}

cJSON *
arm_need_sub(struct arm_ctx *cx, const char *sub)
{
    char *l = util_lower(sub), *key = xasprintf("sub|%s", l);
    cJSON *doc = store_get_json(cx->sim->store, key);

    if (!doc)
        arm_error(cx, 404, "SubscriptionNotFound",
                  "The subscription '%s' could not be found.", sub);
    else if (!arm_sub_visible(cx, doc)) {
        /* A subscription of the account's other tenant. */
        arm_error(cx, 401, "InvalidAuthenticationTokenTenant",
                  "The access token is from the wrong issuer "
                  "'https://sts.windows.net/%s/'. It must match the tenant "
                  "'https://sts.windows.net/%s/' associated with this "
                  "subscription.",
                  json_str(cx->rq->claims, "tid"), json_str(doc, "tenantId"));
        cJSON_Delete(doc);
        doc = NULL;
    }
    free(l);
    free(key);
    return doc;
}

cJSON *
arm_need_rg(struct arm_ctx *cx, const char *sub, const char *rg)
{
    cJSON *s = arm_need_sub(cx, sub), *doc = NULL;
    char *key;

    if (!s)
        return NULL;
    cJSON_Delete(s);
    key = xasprintf("rg|%s|%s", sub, rg);
    for (char *p = key; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    doc = store_get_json(cx->sim->store, key);
    free(key);
    if (!doc)
        arm_rg_not_found(cx, rg);
    return doc;
}

cJSON *
arm_body(struct arm_ctx *cx)
{
    cJSON *j = req_json(cx->rq);

    if (!j) {
        if (cx->rq->body.len == 0)
            arm_error(cx, 400, "InvalidRequestContent",
                      "The request content was invalid and could not be "
                      "deserialized: 'Request body is empty.'.");
        else
            arm_error(cx, 400, "InvalidRequestContent",
                      "The request content was invalid and could not be "
                      "deserialized: 'Unexpected character encountered "
                      "while parsing value. Path '', line 1, position 0.'.");
    }
    return j;
}

static void
strip_private(cJSON *o)
{
    cJSON *it = o ? o->child : NULL;

    while (it) {
        cJSON *next = it->next;

        if (it->string && it->string[0] == '_')
            cJSON_DeleteItemFromObjectCaseSensitive(o, it->string);
        it = next;
    }
}

cJSON *
arm_public(const cJSON *doc)
{
    cJSON *c = cJSON_Duplicate(doc, true);

    strip_private(c);
    strip_private(cJSON_GetObjectItemCaseSensitive(c, "properties"));
    return c;
}

int
arm_page_size(struct arm_ctx *cx)
{
    const char *top = req_query(cx->rq, "$top");
    long n;

    if (top && (n = strtol(top, NULL, 10)) > 0)
        return n > 1000 ? 1000 : (int)n;
    n = atomic_load(&cx->sim->page_size);
    return n > 0 ? (int)n : 100;
}

char *
arm_skip_key(struct arm_ctx *cx)
{
    const char *tok = req_query(cx->rq, "$skiptoken");
    unsigned char *raw = NULL;
    size_t len = 0;

    if (!tok || !*tok)
        return NULL;
    if (!str_base64_decode(tok, strlen(tok), &raw, &len))
        return NULL;
    return (char *)raw;
}

char *
arm_next_link(struct arm_ctx *cx, const char *last_key)
{
    struct buf b = BUF_INIT;
    const char *top = req_query(cx->rq, "$top");
    const char *filter = req_query(cx->rq, "$filter");
    char *tok, *enc;

    if (atomic_load(&cx->sim->deviations) & SIM_DEV_NO_NEXTLINK)
        return NULL;
    tok = str_base64url(last_key, strlen(last_key));
    buf_printf(&b, "%s%s?api-version=%s", cx->rq->base, cx->rq->path,
               cx->api ? cx->api : "");
    if (filter) {
        enc = str_url_encode(filter);
        buf_printf(&b, "&$filter=%s", enc);
        free(enc);
    }
    if (top)
        buf_printf(&b, "&$top=%s", top);
    buf_printf(&b, "&$skiptoken=%s", tok);
    free(tok);
    return buf_steal(&b);
}

struct list_filter {
    bool (*fn)(const char *key, const char *val, void *ud);
    void *ud;
};

void
arm_list(struct arm_ctx *cx, const char *prefix,
         bool (*filter)(const char *key, const char *val, void *ud),
         arm_render_fn render, void *ud)
{
    struct vec page = VEC_INIT;
    char *after = arm_skip_key(cx);
    bool more = false;
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "value");

    if (after && strncmp(after, prefix, strlen(prefix)) != 0) {
        free(after);
        cJSON_Delete(root);
        arm_error(cx, 400, "InvalidSkipToken",
                  "The provided skip token is invalid.");
        return;
    }
    store_scan(cx->sim->store, prefix, after, (size_t)arm_page_size(cx), filter,
               ud, &page, &more);
    for (size_t i = 0; i < page.len; i++) {
        struct store_kv *kv = page.items[i];
        cJSON *doc = cJSON_Parse(kv->val);
        cJSON *item = doc ? render(cx, kv->key, doc, ud) : NULL;

        if (item)
            cJSON_AddItemToArray(arr, item);
        cJSON_Delete(doc);
    }
    if (more && page.len) {
        struct store_kv *last = page.items[page.len - 1];
        char *next = arm_next_link(cx, last->key);

        if (next)
            cJSON_AddStringToObject(root, "nextLink", next);
        free(next);
    }
    vec_free_all(&page, store_kv_free);
    free(after);
    resp_json(cx->rs, 200, root);
}

char *
arm_op_new(struct arm_ctx *cx, const char *kind, int delay_ms,
           const cJSON *extra)
{
    char *id = util_uuid(), *key = xasprintf("op|%s", id);
    cJSON *op = extra ? cJSON_Duplicate(extra, true) : cJSON_CreateObject();
    struct store_txn *t = store_txn_new();
    int64_t now = sim_now_ms();
    char *why = NULL;

    if (cx->stuck)
        delay_ms = ARM_STUCK_MS;
    json_set_str(op, "kind", kind);
    json_set(op, "created", cJSON_CreateNumber((double)now));
    json_set(op, "done", cJSON_CreateNumber((double)(now + delay_ms)));
    store_txn_put(t, key, op);
    store_write_lock(cx->sim->store);
    if (store_commit(cx->sim->store, t, &why) != KV_OK) {
        fprintf(stderr, "kvdeck-sim: %s\n", why);
        free(why);
    }
    store_write_unlock(cx->sim->store);
    cJSON_Delete(op);
    free(key);
    return id;
}

void
arm_set_ready(struct sim *sim, cJSON *doc)
{
    json_set(doc, "_readyAt",
             cJSON_CreateNumber(
                 (double)(sim_now_ms() + atomic_load(&sim->lro_delay_ms))));
}

bool
arm_is_ready(const cJSON *doc)
{
    return json_int(doc, "_readyAt", 0) <= sim_now_ms();
}

const cJSON *
arm_failed(const cJSON *doc)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "_failed");

    return cJSON_IsObject(e) ? e : NULL;
}

const char *
arm_state(const cJSON *doc, const char *busy)
{
    if (!arm_is_ready(doc))
        return busy;
    return arm_failed(doc) ? "Failed" : "Succeeded";
}

bool
arm_commit(struct arm_ctx *cx, struct store_txn *t)
{
    char *why = NULL;

    if (store_commit(cx->sim->store, t, &why) == KV_OK)
        return true;
    arm_error(cx, 500, "InternalServerError",
              "The state could not be saved: %s", why);
    free(why);
    return false;
}

char *
arm_weak_etag(void)
{
    char *u = util_uuid(), *e = xasprintf("W/\"%s\"", u);

    free(u);
    return e;
}

void
arm_system_data(struct arm_ctx *cx, cJSON *doc, bool created)
{
    cJSON *sd = cJSON_GetObjectItemCaseSensitive(doc, "systemData");
    const char *who = json_str(cx->rq->claims, "upn");
    const char *kind = who ? "User" : "Application";
    char *now = util_iso_ms(sim_now_ms());

    if (!who)
        who = json_str(cx->rq->claims, "appid");
    if (!who)
        who = "";
    if (!sd || created) {
        sd = cJSON_CreateObject();
        cJSON_AddStringToObject(sd, "createdBy", who);
        cJSON_AddStringToObject(sd, "createdByType", kind);
        cJSON_AddStringToObject(sd, "createdAt", now);
        json_set(doc, "systemData", sd);
    }
    json_set_str(sd, "lastModifiedBy", who);
    json_set_str(sd, "lastModifiedByType", kind);
    json_set_str(sd, "lastModifiedAt", now);
    free(now);
}

int
arm_retry_after(struct sim *sim)
{
    int r = atomic_load(&sim->retry_after);

    return r > 0 ? r : 1;
}

/* Resource id -> store key. Recognises the types the simulator holds. */
char *
arm_key_of_id(const char *id)
{
    static const struct {
        const char *pattern;
        const char *prefix;
    } map[] = {
        {"subscriptions/*/resourcegroups/*/providers/microsoft.network/"
         "virtualnetworks/*/subnets/*",
         "subnet"},
        {"subscriptions/*/resourcegroups/*/providers/microsoft.network/"
         "virtualnetworks/*",
         "vnet"},
        {"subscriptions/*/resourcegroups/*/providers/microsoft.keyvault/"
         "vaults/*",
         "vault"},
        {"subscriptions/*/resourcegroups/*/providers/microsoft.network/"
         "privatednszones/*",
         "zone"},
        {"subscriptions/*/resourcegroups/*/providers/microsoft.network/"
         "privateendpoints/*",
         "pe"},
    };
    char *l, *save = NULL, *tok;
    const char *seg[16];
    int n = 0;
    char *r = NULL;

    if (!id)
        return NULL;
    l = util_lower(id);
    for (tok = strtok_r(l, "/", &save); tok && n < 16;
         tok = strtok_r(NULL, "/", &save))
        seg[n++] = tok;
    for (size_t m = 0; m < sizeof map / sizeof map[0] && !r; m++) {
        char *pc = xstrdup(map[m].pattern), *ps = NULL, *pt;
        int i = 0;
        bool ok = true;
        struct buf b = BUF_INIT;

        buf_puts(&b, map[m].prefix);
        for (pt = strtok_r(pc, "/", &ps); pt; pt = strtok_r(NULL, "/", &ps)) {
            if (i >= n) {
                ok = false;
                break;
            }
            if (strcmp(pt, "*") == 0)
                buf_printf(&b, "|%s", seg[i]);
            else if (strcmp(pt, seg[i]) != 0) {
                ok = false;
                break;
            }
            i++;
        }
        if (ok && i == n)
            r = buf_steal(&b);
        buf_free(&b);
        free(pc);
    }
    free(l);
    return r;
}

/* ---- authentication ---------------------------------------------------- */

/* 401 asking for a fresh token with claims (continuous access
 * evaluation). */
static void
claims_challenge(struct arm_ctx *cx, const char *claims)
{
    arm_error(cx, 401, "InvalidAuthenticationToken",
              "Continuous access evaluation resulted in challenge with "
              "result: InteractionRequired and code: "
              "TokenCreatedWithOutdatedPolicies");
    resp_header(cx->rs, "WWW-Authenticate",
                "Bearer authorization_uri=\"https://127.0.0.1:%d/\", "
                "error=\"insufficient_claims\", error_description=\"User "
                "session has been revoked\", claims=\"%s\"",
                cx->sim->port, claims);
}

/* ARM's code and message (caller frees) for a refused token; found:
 * what auth_check found (expiry, tenant or audience). */
static char *
auth_failure(const struct sim_req *rq, enum auth_result r, const char *found,
             const char **code)
{
    switch (r) {
    case AUTH_MISSING:
        *code = "AuthenticationFailed";
        return xstrdup("Authentication failed. The 'Authorization' "
                       "header is missing.");
    case AUTH_BAD_FORMAT:
        *code = "AuthenticationFailed";
        return xstrdup("Authentication failed. The 'Authorization' "
                       "header is provided in an invalid format.");
    case AUTH_EXPIRED: {
        char *exp = util_iso(strtoll(found ? found : "0", NULL, 10));
        char *now = util_iso(sim_now_ms() / 1000);
        char *msg = xasprintf("The access token expiry UTC time '%s' is "
                              "earlier than current UTC time '%s'.",
                              exp, now);

        *code = "ExpiredAuthenticationToken";
        free(exp);
        free(now);
        return msg;
    }
    case AUTH_TENANT:
        *code = "InvalidAuthenticationTokenTenant";
        return xasprintf("The access token is from the wrong issuer "
                         "'https://sts.windows.net/%s/'. It must match "
                         "the tenant 'https://sts.windows.net/%s/' "
                         "associated with this subscription.",
                         found ? found : "", rq->sim->id.tenant);
    case AUTH_AUDIENCE:
        *code = "InvalidAuthenticationTokenAudience";
        return xasprintf(
            "The access token has been obtained for wrong audience or "
            "resource '%s'. It should exactly match with one of the allowed "
            "audiences 'https://management.core.windows.net/',"
            "'https://management.core.windows.net',"
            "'https://management.azure.com/','https://management.azure.com'.",
            found ? found : "");
    default:
        *code = "InvalidAuthenticationToken";
        return xstrdup("The access token is invalid.");
    }
}

static bool
arm_precheck(struct sim_req *rq, struct sim_resp *rs)
{
    struct arm_ctx cx = {.rq = rq, .rs = rs, .sim = rq->sim};
    char *found = NULL, *msg, *claims = NULL;
    const char *code;
    enum auth_result r;

    if (str_istarts(rq->path, "/metadata/"))
        return false;
    r = auth_check(rq, AUD_ARM, &found);
    if (r == AUTH_OK) {
        if (!auth_claims_challenge(rq, &claims))
            return false;
        claims_challenge(&cx, claims);
        free(claims);
        return true;
    }
    msg = auth_failure(rq, r, found, &code);
    arm_error(&cx, 401, code, "%s", msg);
    resp_header(rs, "WWW-Authenticate",
                "Bearer authorization_uri=\"https://127.0.0.1:%d/\", "
                "error=\"invalid_token\", error_description=\"%s\"",
                rq->sim->port, msg);
    free(msg);
    free(found);
    return true;
}

/* ---- dispatch ---------------------------------------------------------- */

static bool
method_in(const char *methods, const char *m)
{
    size_t n = strlen(m);
    const char *p = methods;

    while ((p = strstr(p, m)) != NULL) {
        if ((p == methods || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
        p += n;
    }
    return false;
}

static bool
api_ok(struct arm_ctx *cx, enum arm_apis apis, const char *type)
{
    const char *const *list = api_list(apis);
    char *all;

    if (apis == API_NONE)
        return true;
    cx->api = req_query(cx->rq, "api-version");
    if (!cx->api || !*cx->api) {
        arm_error(cx, 400, "MissingApiVersionParameter",
                  "The api-version query parameter (?api-version=) is "
                  "required for all requests.");
        return false;
    }
    if (!list)
        return true;
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(list[i], cx->api) == 0)
            return true;
    all = joined(list, ", ");
    if (apis == API_SUBS || apis == API_RES) {
        arm_error(cx, 400, "InvalidApiVersionParameter",
                  "The api-version '%s' is invalid. The supported versions "
                  "are '%s'.",
                  cx->api, all);
    } else {
        char *locs = joined(locations, ",");

        arm_error(cx, 400, "NoRegisteredProviderFound",
                  "No registered resource provider found for location "
                  "'eastus' and API version '%s' for type '%s'. The "
                  "supported api-versions are '%s'. The supported locations "
                  "are '%s'.",
                  cx->api, type ? type : "", all, locs);
        free(locs);
    }
    free(all);
    return false;
}

bool
arm_api_since(const struct arm_ctx *cx, const char *version)
{
    /* api-versions are ISO dates, optionally with a "-preview" suffix:
     * comparing the first ten characters orders them by date. */
    return cx->api && strncmp(cx->api, version, 10) >= 0;
}

static bool
match(const char *pattern, char **seg, int n, struct arm_ctx *cx)
{
    const char *p = pattern;
    int i = 0;

    cx->ncap = 0;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);

        if (i >= n)
            return false;
        if (len == 1 && *p == '*') {
            if (cx->ncap < 8)
                cx->cap[cx->ncap++] = seg[i];
        } else if (strlen(seg[i]) != len || strncasecmp(seg[i], p, len) != 0) {
            return false;
        }
        i++;
        p += len;
        if (*p == '/')
            p++;
    }
    return i == n;
}

static void
arm_handle(struct sim_req *rq, struct sim_resp *rs)
{
    static const struct arm_route *const tables[] = {
        arm_sub_routes,    arm_vault_routes, arm_deleted_routes,
        arm_pec_routes,    arm_net_routes,   arm_pe_routes,
        arm_dns_routes,    arm_authz_routes, arm_perm_routes,
        arm_secret_routes, arm_graph_routes, arm_cog_routes};
    struct arm_ctx cx = {.rq = rq, .rs = rs, .sim = rq->sim};
    char *copy = xstrdup(rq->path), *save = NULL, *tok;
    char *seg[24];
    int n = 0;
    bool path_known = false;

    for (tok = strtok_r(copy, "/", &save); tok && n < 24;
         tok = strtok_r(NULL, "/", &save))
        seg[n++] = tok;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (const struct arm_route *r = tables[t]; r->pattern; r++) {
            if (!match(r->pattern, seg, n, &cx))
                continue;
            path_known = true;
            if (!method_in(r->methods, rq->method))
                continue;
            cx.type = r->type;
            cx.kind = r->kind;
            if (api_ok(&cx, r->apis, r->type))
                r->fn(&cx);
            free(copy);
            return;
        }
    }
    if (path_known)
        arm_error(&cx, 405, "HttpMethodNotAllowed",
                  "The HTTP method '%s' is not supported at '%s'.", rq->method,
                  rq->path);
    else if (n >= 4 && strcasecmp(seg[n >= 6 ? 4 : 2], "providers") == 0)
        arm_error(&cx, 404, "InvalidResourceType",
                  "The resource type could not be found for path '%s'.",
                  rq->path);
    else
        arm_error(&cx, 404, "NotFound",
                  "The requested path '%s' does not "
                  "exist.",
                  rq->path);
    free(copy);
}

const struct sim_area_ops arm_area = {
    .name = "arm",
    .precheck = arm_precheck,
    .handle = arm_handle,
};

char *
arm_key(const char *fmt, ...)
{
    va_list ap;
    char *k, *l;

    va_start(ap, fmt);
    k = xvasprintf(fmt, ap);
    va_end(ap);
    l = util_lower(k);
    free(k);
    return l;
}

void
arm_list_scoped(struct arm_ctx *cx, const char *kind, arm_render_fn render)
{
    cJSON *s = cx->ncap > 1 ? arm_need_rg(cx, cx->cap[0], cx->cap[1])
                            : arm_need_sub(cx, cx->cap[0]);
    char *prefix;

    if (!s)
        return;
    cJSON_Delete(s);
    prefix = cx->ncap > 1 ? arm_key("%s|%s|%s|", kind, cx->cap[0], cx->cap[1])
                          : arm_key("%s|%s|", kind, cx->cap[0]);
    arm_list(cx, prefix, NULL, render, NULL);
    free(prefix);
}
