/*
 * test-worker-challenge.c — the Key Vault challenges over real HTTPS
 * against tests/tools/kvtest-server.py: a vault whose 401 challenge names
 * another tenant gets a token from that tenant's token endpoint; a claims
 * challenge (insufficient_claims) gets a fresh token asked for with the
 * challenge's claims and the request is sent once more; a vault that
 * challenges every token fails after that one retry with a clear
 * message. Also the parser of claims challenges.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/challenge.h"
#include "azure/client.h"
#include "azure/ops.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"
#include "tests/tools/testserver.h"

static struct testserver ts;
static struct secret *client_secret;

struct got {
    bool done, failed;
    char *message;
    size_t items;
    enum kv_status status;
};

static void
on_page(void *ud, struct vec *items, bool more)
{
    struct got *g = ud;
    (void)more;
    g->items += items->len;
    az_op_free_items(AZ_ITEM_SECRET, items);
}

static void
on_done(void *ud, const struct az_failure *f)
{
    struct got *g = ud;
    g->done = true;
    if (f != NULL) {
        g->failed = true;
        g->status = f->status;
        g->message = xstrdup(f->message != NULL ? f->message : "");
    }
}

static const struct az_op_cb cb = {.page = on_page, .done = on_done};

static struct az_client *
client(void)
{
    struct az_client_config c = {0};
    char *why = NULL;
    c.cloud = ts.cloud;
    c.http.ca_file = ts.ca;
    c.http.timeout_ms = 20000;
    c.http.retry = az_retry_default();
    c.http.retry.base_ms = 50;
    c.sign_in.tenant = "tenant-1";
    c.sign_in.client_id = "client-1";
    c.sign_in.client_secret = client_secret;
    c.sign_in.no_env = true;
    struct az_client *cl = az_client_new(&c, &why);
    if (cl == NULL)
        printf("# az_client_new: %s\n", why);
    free(why);
    return cl;
}

/* Lists the secrets of vault NAME on the test server. */
static void
list(struct az_client *c, const char *name, struct got *g)
{
    char uri[160];
    snprintf(uri, sizeof uri, "https://%s.vault.localhost:%d", name, ts.port);
    memset(g, 0, sizeof *g);
    az_list_secrets(c, uri, 25, &cb, g);
    long long t = test_now_ms();
    while (!g->done && test_now_ms() - t < 40000)
        az_client_run(c, 200);
}

static void
test_parse(void)
{
    /* {"access_token":{"nbf":{"essential":true,"value":"1700000000"}}} */
    const char *h =
        "Bearer realm=\"\", authorization_uri=\"https://login.example/common/"
        "oauth2/authorize\", error=\"insufficient_claims\", claims=\"eyJhY2Nl"
        "c3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDA"
        "wMDAwIn19fQ==\"";
    char *cl = az_challenge_claims(h);
    is_str(cl,
           "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":"
           "\"1700000000\"}}}",
           "a claims challenge's claims, decoded");
    free(cl);
    ok(az_challenge_claims("Bearer authorization=\"https://l/t\", "
                           "resource=\"https://vault.azure.net\"") == NULL,
       "an ordinary challenge has no claims");
    ok(az_challenge_claims("Bearer error=\"invalid_token\", claims=\"e30=\"") ==
           NULL,
       "claims without insufficient_claims are ignored");
    ok(az_challenge_claims("Bearer error=\"insufficient_claims\", "
                           "claims=\"!!!\"") == NULL,
       "claims that are not base64 are ignored");
    ok(az_challenge_claims("Bearer error=\"insufficient_claims\", "
                           "claims=\"bm90IGpzb24=\"") == NULL,
       "claims that are not a JSON object are ignored");
    ok(az_challenge_claims(NULL) == NULL, "no header");
}

int
main(void)
{
    const char *skip = NULL;
    const char *vars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
                          "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < 5; i++)
        unsetenv(vars[i]);
    test_parse();
    int rc = testserver_start(&ts, &skip);
    if (rc == 77)
        tap_skip_all("%s", skip);
    if (rc != 0) {
        printf("not ok 1 - test server: %s\n1..1\n", skip);
        return 1;
    }
    client_secret = secret_dup("s3cret-value", 12);
    struct az_client *c = client();
    ok(c != NULL, "client for the test server");
    if (c != NULL) {
        struct got g;
        list(c, "kvhome", &g);
        ok(g.done && !g.failed && g.items > 0, "a vault in the home tenant");
        is_int(testserver_count(&ts, "POST ", "/tenant-2/", (char *)NULL), 0,
               "no token from tenant-2 yet");

        list(c, "kvother", &g);
        ok(g.done && !g.failed && g.items > 0,
           "a vault whose challenge names another tenant (%s)",
           g.message != NULL ? g.message : "ok");
        is_int(testserver_count(&ts, "POST ", "/tenant-2/oauth2/v2.0/token",
                                (char *)NULL),
               1, "its token came from that tenant's token endpoint");
        free(g.message);
        list(c, "kvother", &g);
        ok(g.done && !g.failed, "again, from the remembered challenge");
        is_int(testserver_count(&ts, "POST ", "/tenant-2/oauth2/v2.0/token",
                                (char *)NULL),
               1, "with the cached token of that tenant");

        list(c, "kvcae", &g);
        ok(g.done && !g.failed && g.items > 0,
           "a claims challenge: answered with a token asked for with the "
           "claims (%s)",
           g.message != NULL ? g.message : "ok");
        /* kvhome's pages, each sent once with a token, and the first
         * page once more */
        is_int(testserver_count(&ts, "GET ", "kvcae.vault.localhost", "auth=1",
                                (char *)NULL),
               testserver_count(&ts, "GET ", "kvhome.vault.localhost", "auth=1",
                                (char *)NULL) +
                   1,
               "the first request went twice with a token: before and after");
        free(g.message);

        list(c, "kvcae2", &g);
        ok(g.done && g.failed && g.status == KV_ERR_AUTH,
           "a second claims challenge fails");
        ok(g.message != NULL && strstr(g.message, "insufficient_claims"),
           "saying why (%s)", g.message != NULL ? g.message : "");
        is_int(testserver_count(&ts, "GET ", "kvcae2.vault.localhost", "auth=1",
                                (char *)NULL),
               2, "after exactly one retry");
        free(g.message);
        az_client_free(c);
    }
    secret_free(client_secret);
    testserver_stop(&ts);
    return tap_done();
}
