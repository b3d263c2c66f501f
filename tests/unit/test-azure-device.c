/*
 * test-azure-device.c — the device-code sign-in's answers, without the
 * network: the devicecode endpoint's grant (v2.0, v1.0/AD FS spelling,
 * defaults, missing fields), and every answer of the token endpoint
 * sorted into what the flow does (pending, slow_down, declined, expired,
 * bad code, invalid_grant, a 5xx or no answer to retry, other errors),
 * with the message a person reads and the status each fails with; the
 * tokens of a 200 in secure memory and who signed in (the id token's
 * preferred_username, else the access token's upn); and the chain's
 * choice of the device code (--auth, last resort when interactive, not
 * without a terminal).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "azure/credential.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"

/* A JWT whose claims are json (header and signature are dummies). */
static char *
jwt(const char *json)
{
    char *c = str_base64url(json, strlen(json));
    char *t = xasprintf("eyJhbGciOiJSUzI1NiJ9.%s.c2ln", c);
    free(c);
    return t;
}

static void
test_grant(void)
{
    struct az_device_grant g;
    char *why = NULL;
    const char *v2 =
        "{\"user_code\":\"ABCD1234\",\"device_code\":\"DAQABAAEAAAD--x\","
        "\"verification_uri\":\"https://microsoft.com/devicelogin\","
        "\"expires_in\":900,\"interval\":5,\"message\":\"To sign in, use a "
        "web browser to open the page https://microsoft.com/devicelogin and "
        "enter the code ABCD1234 to authenticate.\"}";
    is_int(az_device_parse_grant(v2, strlen(v2), 1000, &g, &why), KV_OK,
           "a v2.0 devicecode answer");
    ok(g.device_code != NULL && str_eq(g.device_code->data, "DAQABAAEAAAD--x"),
       "the device code, in secure memory");
    is_str(g.user_code, "ABCD1234", "the user code");
    is_str(g.verification_uri, "https://microsoft.com/devicelogin",
           "the verification URI");
    ok(g.message != NULL && strstr(g.message, "ABCD1234") != NULL,
       "Entra's message");
    is_int(g.expires_at, 1900, "expires_in counts from now");
    is_int(g.interval, 5, "the interval");
    az_device_grant_clear(&g);

    const char *v1 = "{\"user_code\":\"U\",\"device_code\":\"D\","
                     "\"verification_url\":\"https://h/devicelogin\"}";
    is_int(az_device_parse_grant(v1, strlen(v1), 0, &g, &why), KV_OK,
           "v1.0 / AD FS: verification_url");
    is_str(g.verification_uri, "https://h/devicelogin", "taken as the URI");
    ok(g.interval == 5 && g.expires_at == 900 && g.message == NULL,
       "defaults: every 5 s, 900 s, no message");
    az_device_grant_clear(&g);

    const char *bad = "{\"user_code\":\"U\",\"verification_uri\":\"x\"}";
    is_int(az_device_parse_grant(bad, strlen(bad), 0, &g, &why), KV_ERR_PARSE,
           "no device_code: refused");
    ok(why != NULL && strstr(why, "device_code") != NULL, "saying so");
    free(why);
    why = NULL;
    is_int(az_device_parse_grant("<html>", 6, 0, &g, &why), KV_ERR_PARSE,
           "not JSON: refused");
    free(why);
}

/* An Entra error body as kvdeck-sim and Entra send it. */
static char *
aad(const char *err, int code, const char *text)
{
    return xasprintf("{\"error\":\"%s\",\"error_description\":\"AADSTS%d: "
                     "%s Trace ID: 0f1e Correlation ID: 77aa Timestamp: "
                     "2026-12-05 10:00:00Z\",\"error_codes\":[%d],"
                     "\"timestamp\":\"2026-12-05 10:00:00Z\",\"trace_id\":"
                     "\"0f1e\",\"correlation_id\":\"77aa\"}",
                     err, code, text, code);
}

static enum az_device_poll
poll_of(long status, const char *body, char **why)
{
    struct az_user_token t;
    *why = NULL;
    enum az_device_poll p =
        az_device_parse_poll(status, body, strlen(body), 0, &t, why);
    az_user_token_clear(&t);
    return p;
}

static void
test_errors(void)
{
    struct {
        const char *err;
        int code;
        enum az_device_poll want;
        enum kv_status st;
        const char *says; /* in why, or NULL for none */
    } cases[] = {
        {"authorization_pending", 70016, AZ_POLL_PENDING, KV_OK, NULL},
        {"slow_down", 70016, AZ_POLL_SLOW_DOWN, KV_OK, NULL},
        {"authorization_declined", 70000, AZ_POLL_DECLINED,
         KV_ERR_SIGNIN_DECLINED,
         "the sign-in was declined at the sign-in page (AADSTS70000)"},
        {"expired_token", 70019, AZ_POLL_EXPIRED, KV_ERR_SIGNIN_EXPIRED,
         "the sign-in code expired before it was used (AADSTS70019)"},
        {"bad_verification_code", 70018, AZ_POLL_BAD_CODE, KV_ERR_SIGNIN_CODE,
         "not accepted: unknown or already used (AADSTS70018)"},
        {"invalid_grant", 50173, AZ_POLL_INVALID_GRANT, KV_ERR_AUTH,
         "no longer valid: AADSTS50173: The grant was revoked."},
        {"invalid_client", 7000218, AZ_POLL_ERROR, KV_ERR_AUTH,
         "sign-in failed (HTTP 400): invalid_client: AADSTS7000218"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *body = aad(cases[i].err, cases[i].code, "The grant was revoked.");
        char *why = NULL;
        enum az_device_poll p = poll_of(400, body, &why);
        is_int(p, cases[i].want, "%s: sorted", cases[i].err);
        is_int(az_device_status(p), cases[i].st, "%s: its status",
               cases[i].err);
        if (cases[i].says == NULL)
            ok(why == NULL, "%s: no message (the flow goes on)", cases[i].err);
        else
            ok(why != NULL && strstr(why, cases[i].says) != NULL,
               "%s: \"%s\" (%s)", cases[i].err, cases[i].says,
               why != NULL ? why : "none");
        ok(why == NULL || strstr(why, "Trace ID") == NULL,
           "%s: without trace and correlation ids", cases[i].err);
        free(why);
        free(body);
    }
    ok(strcmp(kv_status_message(KV_ERR_SIGNIN_DECLINED),
              kv_status_message(KV_ERR_SIGNIN_EXPIRED)) != 0 &&
           strcmp(kv_status_message(KV_ERR_SIGNIN_EXPIRED),
                  kv_status_message(KV_ERR_SIGNIN_CODE)) != 0,
       "declined, expired and a bad code: three messages");

    char *why = NULL;
    is_int(poll_of(503, "busy", &why), AZ_POLL_RETRY, "a 503: try again");
    free(why);
    is_int(poll_of(0, "", &why), AZ_POLL_RETRY, "no answer: try again");
    free(why);
    is_int(poll_of(400, "<html>oops</html>", &why), AZ_POLL_ERROR,
           "an error page that is not JSON: fails");
    ok(why != NULL && strstr(why, "HTTP 400") != NULL, "naming the status");
    free(why);
    is_int(poll_of(200, "{\"token_type\":\"Bearer\"}", &why), AZ_POLL_ERROR,
           "a 200 without access_token: fails");
    free(why);
    is_int(
        poll_of(200, "{\"access_token\":\"a\",\"token_type\":\"pop\"}", &why),
        AZ_POLL_ERROR, "a token that is not Bearer: fails");
    free(why);
}

static void
test_tokens(void)
{
    char *at = jwt("{\"upn\":\"upn@contoso.example\",\"oid\":\"o-1\"}");
    char *idt = jwt("{\"preferred_username\":\"dana@contoso.example\","
                    "\"oid\":\"o-1\"}");
    char *body = xasprintf("{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                           "\"access_token\":\"%s\",\"refresh_token\":"
                           "\"1.AAA-rt\",\"id_token\":\"%s\"}",
                           at, idt);
    struct az_user_token t;
    char *why = NULL;
    is_int(az_device_parse_poll(200, body, strlen(body), 100, &t, &why),
           AZ_POLL_TOKEN, "a 200: the tokens");
    ok(t.access_token != NULL && str_eq(t.access_token->data, at),
       "the access token, in secure memory");
    ok(t.refresh_token != NULL && str_eq(t.refresh_token->data, "1.AAA-rt"),
       "the refresh token, in secure memory");
    is_int(t.expires_at, 100 + 3599, "expires_in counts from now");
    is_str(t.account, "dana@contoso.example",
           "who: the id token's preferred_username");
    az_user_token_clear(&t);
    free(body);

    body = xasprintf("{\"token_type\":\"Bearer\",\"expires_in\":60,"
                     "\"access_token\":\"%s\"}",
                     at);
    is_int(az_device_parse_poll(200, body, strlen(body), 0, &t, &why),
           AZ_POLL_TOKEN, "no refresh token, no id token");
    ok(t.refresh_token == NULL, "no refresh token (offline_access refused)");
    is_str(t.account, "upn@contoso.example", "who: the access token's upn");
    az_user_token_clear(&t);
    free(body);
    free(at);
    free(idt);
}

static void
test_chain(void)
{
    char dir[] = "/tmp/kvdeck-dev-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return;
    setenv("AZURE_CONFIG_DIR", dir, 1); /* no az login */
    unsetenv("AZURE_TENANT_ID");
    unsetenv("AZURE_CLIENT_ID");
    unsetenv("AZURE_CLIENT_SECRET");
    unsetenv("AZURE_CLIENT_CERTIFICATE_PATH");
    unsetenv("KVDECK_DEVICE_CLIENT_ID");
    char *why = NULL;
    struct az_cloud *cloud = az_cloud_builtin("AzureCloud");

    struct az_sign_in dc = {.auth = "device-code"};
    struct az_credential *c = az_credential_chain(cloud, &dc, &why);
    ok(c != NULL && str_eq(c->ops->kind, "device code") &&
           str_eq(c->tenant, "organizations"),
       "--auth device-code: the device code, tenant organizations");
    ok(c != NULL && c->ops->reset != NULL, "which can be retried");
    az_credential_free(c);

    struct az_sign_in person = {.interactive = true, .tenant = "t-1"};
    c = az_credential_chain(cloud, &person, &why);
    ok(c != NULL && str_eq(c->ops->kind, "device code") &&
           str_eq(c->tenant, "t-1"),
       "nothing configured, someone to see the code: the device code, the "
       "configured tenant (not az, which is not signed in)");
    az_credential_free(c);

    struct az_sign_in script = {.tenant = "t-1"};
    c = az_credential_chain(cloud, &script, &why);
    ok(c == NULL && why != NULL && strstr(why, "kvdeck login") != NULL,
       "nobody to see a code: none, and the message names kvdeck login");
    free(why);
    why = NULL;

    static const struct az_token_store no_store = {0};
    struct az_sign_in kept = {.tenant = "t-1", .token_store = &no_store};
    c = az_credential_chain(cloud, &kept, &why);
    ok(c != NULL && str_eq(c->ops->kind, "device code") &&
           strstr(c->name, "kept") != NULL,
       "nobody to see a code, a token store: only a kept refresh token");
    az_credential_free(c);

    struct az_sign_in bad = {.auth = "password"};
    c = az_credential_chain(cloud, &bad, &why);
    ok(c == NULL && why != NULL && strstr(why, "device-code") != NULL,
       "an unknown source: the list names device-code");
    free(why);
    az_cloud_free(cloud);
    rmdir(dir);
}

int
main(void)
{
    test_grant();
    test_errors();
    test_tokens();
    test_chain();
    return tap_done();
}
