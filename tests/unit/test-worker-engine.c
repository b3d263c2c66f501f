/*
 * test-worker-engine.c — the engine end to end over real HTTPS against
 * tests/tools/kvtest-server.py: every job kind, paging (including an
 * empty page that carries a nextLink), the Key Vault challenge, secret
 * values in secure memory, Azure errors with codes and request ids, the
 * credential errors, the headers sent, and that no secret reaches the
 * debug log.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/str.h"
#include "engine/engine.h"
#include "tests/tap.h"
#include "tests/tools/enginetest.h"

static struct testserver ts;
static char base[64]; /* "https://127.0.0.1:PORT" */

static void
test_subscriptions(struct engine *e)
{
    struct outcome o;
    struct job *j = job_list_subscriptions();
    int tag = 7;
    j->generation = 42;
    j->tag = &tag;
    outcome_run(e, j, 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "subscriptions: the list ends with DONE");
    is_int(o.items, 3, "three subscriptions over the pages");
    is_int(o.pages.len, 2, "the empty middle page is not delivered");
    const struct result *p0 = o.pages.items[0], *p1 = o.pages.items[1];
    ok(p0 != NULL && p0->more && p1 != NULL && !p1->more,
       "more=true, then more=false on the last page");
    ok(p0 != NULL && p0->page == 0 && p1->page == 1, "pages are numbered");
    const struct kv_subscription *c = outcome_item(&o, 2);
    is_str(c != NULL ? c->subscription_id : NULL, "sub-c",
           "the page after the empty one was fetched");
    is_str(c != NULL ? c->display_name : NULL, "Sub sub-c", "display name");
    ok(c != NULL && c->json != NULL && strstr(c->json, "\"tenantId\""),
       "json of the resource");
    ok(o.end != NULL && o.end->generation == 42 && o.end->tag == &tag &&
           p0->generation == 42 && p0->tag == &tag &&
           o.end->kind == JOB_LIST_SUBSCRIPTIONS,
       "generation, tag and kind come back on every result");
    outcome_free(&o);
}

static void
test_vaults(struct engine *e)
{
    struct outcome o;
    char url[128];
    outcome_run(e, job_list_vaults("sub-a", NULL), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 2,
       "vaults: two vaults across an empty page with a nextLink");
    const struct kv_vault *v = outcome_item(&o, 0);
    snprintf(url, sizeof url, "https://kv1.vault.localhost:%d", ts.port);
    is_str(v != NULL ? v->vault_uri : NULL, url,
           "vaultUri without its trailing slash");
    ok(v != NULL && v->rbac && v->soft_delete && v->soft_delete_days == 7,
       "RBAC and soft delete read");
    is_int(v != NULL ? v->created : 0, 1690270798, "systemData.createdAt");
    is_str(v != NULL ? v->resource_group : NULL, "rg1", "resource group");
    is_str(v != NULL ? kv_tags_get(&v->tags, "OWNER") : NULL, "tests",
           "tags, looked up case-insensitively");
    char *vault_id = v != NULL ? strdup(v->id) : NULL;
    const struct kv_vault *v2 = outcome_item(&o, 1);
    snprintf(url, sizeof url, "https://kv2.vault.localhost:%d", ts.port);
    is_str(v2 != NULL ? v2->vault_uri : NULL, url, "a vaultUri without slash");
    outcome_free(&o);

    outcome_run(e, job_get_vault(vault_id), 15000, &o);
    v = outcome_item(&o, 0);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 1 &&
           v != NULL && str_eq(v->name, "kv1"),
       "GET_VAULT by id");
    outcome_free(&o);

    struct job *j = job_new(JOB_GET_VAULT);
    job_vault_ref(j)->subscription_id = strdup("sub-a");
    job_vault_ref(j)->name = strdup("KV2");
    outcome_run(e, j, 15000, &o);
    v = outcome_item(&o, 0);
    ok(o.end != NULL && o.end->type == RESULT_DONE && v != NULL &&
           str_eq(v->name, "kv2"),
       "GET_VAULT by name within a subscription, ignoring case");
    outcome_free(&o);

    j = job_new(JOB_GET_VAULT);
    job_vault_ref(j)->vault_uri = strdup("https://myvault.vault.localhost:1234/");
    outcome_run(e, j, 15000, &o);
    v = outcome_item(&o, 0);
    ok(o.end != NULL && o.end->type == RESULT_DONE && v != NULL &&
           str_eq(v->name, "myvault") &&
           str_eq(v->vault_uri, "https://myvault.vault.localhost:1234"),
       "GET_VAULT with only a URI gives name and uri");
    outcome_free(&o);

    outcome_run(e, job_list_endpoint_connections(vault_id), 15000, &o);
    const struct kv_endpoint_connection *pc = outcome_item(&o, 0);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 1,
       "endpoint connections listed");
    is_str(pc != NULL ? pc->status : NULL, "Approved", "connection status");
    ok(pc != NULL && pc->vault_id != NULL && strstr(vault_id, pc->vault_id),
       "connection knows its vault");
    outcome_free(&o);

    char missing[256];
    snprintf(missing, sizeof missing,
             "/subscriptions/sub-a/resourceGroups/rg1/providers/"
             "Microsoft.KeyVault/vaults/missing");
    outcome_run(e, job_get_vault(missing), 15000, &o);
    const struct result *r = o.end;
    ok(r != NULL && r->type == RESULT_ERROR && r->status == KV_ERR_NOT_FOUND,
       "a missing vault: ERROR not found");
    ok(r != NULL && r->http_status == 404, "with the HTTP status");
    is_str(r != NULL ? r->error_code : NULL, "ResourceNotFound",
           "with Azure's error code");
    ok(r != NULL && r->message != NULL &&
           strstr(r->message, "was not found") != NULL,
       "with Azure's message");
    ok(r != NULL && r->request_id != NULL && str_starts(r->request_id, "srv-"),
       "with the x-ms-request-id the server sent (%s)",
       r != NULL && r->request_id ? r->request_id : "none");
    is_int(o.pages.len, 0, "no page before the error");
    outcome_free(&o);

    outcome_run(e, job_list_groups("missing"), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_NOT_FOUND &&
           str_eq(o.end->error_code, "SubscriptionNotFound"),
       "a missing subscription: not found, SubscriptionNotFound");
    outcome_free(&o);
    free(vault_id);
}

static void
test_secrets(struct engine *e)
{
    struct outcome o;
    char uri[128];
    snprintf(uri, sizeof uri, "https://kv1.vault.localhost:%d/", ts.port);

    outcome_run(e, job_list_secrets(uri), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE,
       "secrets: list ends with DONE");
    is_int(o.items, 60, "all 60 secrets");
    is_int(o.pages.len, 3, "in pages of 25, 25 and 10");
    const struct result *last = o.pages.len == 3 ? o.pages.items[2] : NULL;
    ok(last != NULL && last->items.len == 10 && !last->more,
       "the last page (nextLink null) says no more");
    const struct kv_secret_item *s = outcome_item(&o, 59);
    is_str(s != NULL ? s->name : NULL, "secret-59", "item names from ids");
    ok(s != NULL && s->attrs.enabled && s->attrs.created == 1690270834,
       "attributes in unix seconds");
    is_str(s != NULL ? s->content_type : NULL, "text/plain", "content type");
    outcome_free(&o);
    is_int(testserver_count(&ts, "kv1.vault", "auth=0", (char *)NULL), 1,
           "one unauthenticated probe fetched the challenge");

    outcome_run(e, job_list_versions(uri, "secret-01"), 15000, &o);
    const struct kv_secret_version *v = outcome_item(&o, 2);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 3,
       "three versions");
    is_str(v != NULL ? v->version : NULL, "00000000000000000000000000000002",
           "version from the id");
    outcome_free(&o);

    outcome_run(e, job_get_secret_value(uri, "secret-07", NULL), 15000, &o);
    const struct result *p = o.pages.len > 0 ? o.pages.items[0] : NULL;
    ok(o.end != NULL && o.end->type == RESULT_DONE && p != NULL &&
           p->value != NULL,
       "secret value: a page with a value, then DONE");
    is_str(p != NULL && p->value ? p->value->data : NULL,
           "the-value-of-secret-07", "the value, in secure memory");
    v = outcome_item(&o, 0);
    is_str(v != NULL ? v->name : NULL, "secret-07", "its metadata");
    ok(v != NULL && v->json != NULL && strstr(v->json, "the-value") == NULL,
       "the metadata json holds no value");
    outcome_free(&o);

    outcome_run(e, job_get_secret_value(uri, "secret-07", "abc123"), 15000, &o);
    v = outcome_item(&o, 0);
    is_str(v != NULL ? v->version : NULL, "abc123", "a given version is asked");
    outcome_free(&o);
    is_int(testserver_count(&ts, "kv1.vault", "auth=0", (char *)NULL), 1,
           "the challenge is remembered: no further probes");

    outcome_run(e, job_get_secret_value(uri, "missing", NULL), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_NOT_FOUND &&
           str_eq(o.end->error_code, "SecretNotFound"),
       "a missing secret: not found, SecretNotFound");
    outcome_free(&o);

    snprintf(uri, sizeof uri, "https://kvevil.vault.localhost:%d", ts.port);
    outcome_run(e, job_list_secrets(uri), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_AUTH && o.end->message != NULL &&
           strstr(o.end->message, "does not match") != NULL,
       "a challenge naming a foreign resource is refused (%s)",
       o.end != NULL && o.end->message ? o.end->message : "");
    is_int(testserver_count(&ts, "kvevil", "auth=1", (char *)NULL), 0,
           "and no token was sent to that vault");
    outcome_free(&o);

    is_int(testserver_count(&ts, "oauth2/v2.0/token", (char *)NULL), 2,
           "two tokens in all: ARM and the vault resource (cached)");
}

static void
test_bad_jobs(struct engine *e)
{
    struct outcome o;
    outcome_run(e, job_list_groups(NULL), 5000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_INVALID,
       "a job without its parameter: ERROR invalid");
    outcome_free(&o);
    outcome_run(e, job_get_vault("not/an/id?x"), 5000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR, "a malformed vault id");
    outcome_free(&o);
}

static void
test_headers_and_log(struct engine *e, const char *logpath)
{
    FILE *f = fopen(ts.log, "r");
    char line[4096], seen[512][40];
    int n = 0, dup = 0, ua = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL && n < 512) {
        const char *c = strstr(line, "crid=");
        if (strstr(line, "ua=kvdeck/" PACKAGE_VERSION) != NULL)
            ua++;
        if (c == NULL)
            continue;
        snprintf(seen[n], sizeof seen[n], "%.36s", c + 5);
        for (int i = 0; i < n; i++)
            if (strcmp(seen[i], seen[n]) == 0)
                dup++;
        n++;
    }
    if (f != NULL)
        fclose(f);
    ok(n > 10 && ua == n, "every request says User-Agent kvdeck/%s",
       PACKAGE_VERSION);
    ok(n > 10 && str_is_uuid(seen[0]) && dup == 0,
       "every request has its own x-ms-client-request-id (%d requests)", n);

    struct engine_stats st;
    engine_stats(e, &st);
    ok(st.requests >= (uint64_t)n - 1 && st.jobs == 0 && st.in_flight == 0,
       "stats: %llu requests, no job left", (unsigned long long)st.requests);
    ok(str_starts(st.last_request_id, "srv-"), "stats: last request id %s",
       st.last_request_id);
    ok(strstr(st.last_error, "LIST_SECRETS") != NULL ||
           strstr(st.last_error, "does not match") != NULL ||
           st.last_error[0] != '\0',
       "stats: last error (%s)", st.last_error);

    log_close();
    f = fopen(logpath, "r");
    int lines = 0, leaks = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        lines++;
        if (strstr(line, "the-value-of") || strstr(line, "s3cret-value") ||
            strstr(line, "tok-"))
            leaks++;
    }
    if (f != NULL)
        fclose(f);
    ok(lines > 10, "the debug log recorded the requests (%d lines)", lines);
    is_int(leaks, 0, "no secret value, client secret or token in the log");
}

static void
test_credentials(void)
{
    struct engine_config c;
    struct outcome o;
    char *why = NULL;
    struct secret *wrong = secret_dup("wrong", 5);

    enginetest_config(&ts, &c);
    c.client_secret = wrong;
    struct engine *e = engine_new(&c, &why);
    outcome_run(e, job_list_subscriptions(), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_AUTH && o.end->message != NULL &&
           strstr(o.end->message, "AADSTS7000215") != NULL,
       "a wrong client secret: ERROR auth with Entra's message (%s)",
       o.end != NULL && o.end->message ? o.end->message : "");
    outcome_free(&o);
    engine_free(e);
    secret_free(wrong);

    enginetest_config(&ts, &c);
    c.tenant_id = c.client_id = NULL;
    c.client_secret = NULL;
    e = engine_new(&c, &why);
    ok(e != NULL && (engine_credential_name(e) == NULL ||
                     strstr(engine_credential_name(e), "kept") != NULL),
       "no credential (at most a refresh token kept from an earlier "
       "sign-in): the engine starts anyway");
    outcome_run(e, job_list_subscriptions(), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_ERROR &&
           o.end->status == KV_ERR_AUTH &&
           strstr(o.end->message, "AZURE_CLIENT_SECRET") != NULL,
       "and a job says which variables to set");
    outcome_free(&o);
    engine_free(e);

    enginetest_config(&ts, &c);
    c.tenant_id = c.client_id = NULL;
    c.client_secret = NULL;
    c.no_environment = false;
    setenv("AZURE_TENANT_ID", "tenant-1.example.com", 1);
    setenv("AZURE_CLIENT_ID", "client-1", 1);
    setenv("AZURE_CLIENT_SECRET", "s3cret-value", 1);
    e = engine_new(&c, &why);
    ok(e != NULL &&
           str_eq(engine_credential_name(e), "client secret (environment)"),
       "AZURE_* variables give a client-secret credential");
    outcome_run(e, job_list_subscriptions(), 15000, &o);
    ok(o.end != NULL && o.end->type == RESULT_DONE && o.items == 3,
       "and it works");
    outcome_free(&o);
    char *uri = engine_vault_uri(e, "abc");
    char want[128];
    snprintf(want, sizeof want, "https://abc.vault.localhost:%d", ts.port);
    is_str(uri, want, "engine_vault_uri for the sim-like cloud");
    free(uri);
    is_str(engine_cloud_name(e), "kvtest", "the cloud's name");
    engine_free(e);
    unsetenv("AZURE_CLIENT_SECRET");

    c.cloud = "/nonexistent/cloud.json";
    ok(engine_new(&c, &why) == NULL && why != NULL &&
           strstr(why, "/nonexistent/cloud.json") != NULL,
       "a missing cloud file: engine_new fails naming it");
    free(why);
    why = NULL;
    enginetest_config(&ts, &c);
    c.ca_file = "/nonexistent/ca.pem";
    ok(engine_new(&c, &why) == NULL && why != NULL &&
           strstr(why, "/nonexistent/ca.pem") != NULL,
       "a missing CA file: engine_new fails naming it");
    free(why);
}

int
main(void)
{
    const char *skip = NULL;
    char logpath[400];
    enginetest_no_proxy();
    int rc = testserver_start(&ts, &skip);
    if (rc == 77)
        tap_skip_all("%s", skip);
    if (rc != 0) {
        printf("not ok 1 - test server: %s\n1..1\n", skip);
        return 1;
    }
    snprintf(base, sizeof base, "https://127.0.0.1:%d", ts.port);
    snprintf(logpath, sizeof logpath, "%s/debug.log", ts.dir);
    char *why = NULL;
    ok(log_open(logpath, &why) == KV_OK, "debug log on");

    struct engine_config c;
    enginetest_config(&ts, &c);
    struct engine *e = engine_new(&c, &why);
    ok(e != NULL, "engine starts (%s)", why != NULL ? why : "ok");
    if (e == NULL) {
        testserver_stop(&ts);
        return tap_done();
    }
    ok(engine_wake_fd(e) >= 0, "a wake fd to poll");
    test_subscriptions(e);
    test_vaults(e);
    test_secrets(e);
    test_bad_jobs(e);
    test_headers_and_log(e, logpath);
    engine_free(e);
    test_credentials();
    enginetest_cleanup();
    testserver_stop(&ts);
    return tap_done();
}
