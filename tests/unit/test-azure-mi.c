/*
 * test-azure-mi.c — the managed-identity credential without the network:
 * reading IMDS and App Service answers (numbers as strings or numbers,
 * expires_on or expires_in, resource), their refusals as sentences, where
 * plain http may go, and when the chain picks the managed identity (only
 * when opted in or asked for by name; the App Service form when both of
 * its variables are set). And who a token names (identity.h): a user
 * (upn, else unique_name), an application (appid or azp), not a JWT.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/credential.h"
#include "azure/identity.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tests/tap.h"

static void
test_parse(void)
{
    struct secret *tok = NULL;
    int64_t exp = 0;
    char *res = NULL, *why = NULL;
    const char *imds =
        "{\"access_token\":\"eyJ0.imds\",\"client_id\":\"c\",\"expires_in\":"
        "\"86399\",\"expires_on\":\"1700086399\",\"ext_expires_in\":\"86399\","
        "\"not_before\":\"1700000000\",\"resource\":\"https://management."
        "azure.com/\",\"token_type\":\"Bearer\"}";
    ok(az_credential_parse_mi(imds, strlen(imds), 1700000000, &tok, &exp, &res,
                              &why) == KV_OK,
       "an IMDS answer (numbers as strings)");
    ok(tok != NULL && str_eq(tok->data, "eyJ0.imds"), "its token");
    is_int(exp, 1700086399, "expires_on, from a string");
    is_str(res, "https://management.azure.com/", "the resource");
    secret_free(tok);
    free(res);

    const char *app = "{\"access_token\":\"t2\",\"expires_on\":1700003600,"
                      "\"resource\":\"https://vault.azure.net\","
                      "\"token_type\":\"Bearer\",\"client_id\":\"c\"}";
    ok(az_credential_parse_mi(app, strlen(app), 5, &tok, &exp, NULL, &why) ==
               KV_OK &&
           exp == 1700003600,
       "an App Service answer, expires_on a number");
    secret_free(tok);
    const char *in = "{\"access_token\":\"t3\",\"expires_in\":\"600\"}";
    ok(az_credential_parse_mi(in, strlen(in), 100, &tok, &exp, &res, &why) ==
               KV_OK &&
           exp == 700 && res == NULL,
       "only expires_in: counted from now; no resource named");
    secret_free(tok);

    const char *bad[] = {"{\"token_type\":\"Bearer\",\"expires_on\":\"1\"}",
                         "{\"access_token\":\"t\",\"token_type\":\"pop\"}",
                         "<html>", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        tok = NULL;
        ok(az_credential_parse_mi(bad[i], strlen(bad[i]), 0, &tok, &exp, &res,
                                  &why) != KV_OK &&
               tok == NULL && why != NULL,
           "bad answer %zu refused (%s)", i, why);
        free(why);
    }
}

static void
test_errors(void)
{
    const char *nometa = "{\"error\":\"invalid_request\",\"error_description\":"
                         "\"Required metadata header not specified\"}";
    char *m = az_credential_mi_error(400, nometa, strlen(nometa));
    ok(strstr(m, "Required metadata header not specified") != NULL &&
           strstr(m, "400") != NULL,
       "IMDS without the Metadata header: %s", m);
    free(m);
    const char *none = "{\"error\":\"invalid_request\",\"error_description\":"
                       "\"Identity not found\"}";
    m = az_credential_mi_error(400, none, strlen(none));
    ok(strstr(m, "no such identity") != NULL &&
           strstr(m, "AZURE_CLIENT_ID") != NULL,
       "identity not found names AZURE_CLIENT_ID: %s", m);
    free(m);
    const char *as = "{\"statusCode\":400,\"message\":\"Unable to load the "
                     "proper Managed Identity.\",\"correlationId\":\"x\"}";
    m = az_credential_mi_error(400, as, strlen(as));
    ok(strstr(m, "Unable to load the proper Managed Identity") != NULL,
       "App Service's message: %s", m);
    free(m);
    m = az_credential_mi_error(500, "oops", 4);
    ok(strstr(m, "500") != NULL, "a body that is not JSON: %s", m);
    free(m);
}

static void
test_local(void)
{
    ok(az_http_url_local("http://169.254.169.254/metadata/identity"),
       "IMDS's link-local address");
    ok(az_http_url_local("http://127.0.0.1:4312/msi/token"), "loopback");
    ok(az_http_url_local("http://localhost:80/x"), "localhost");
    ok(az_http_url_local("http://[::1]:8080/x"), "::1");
    ok(!az_http_url_local("http://169.254.169.254.evil.example/x"),
       "not a name that starts like it");
    ok(!az_http_url_local("http://10.0.0.4/msi/token"), "not a LAN address");
    ok(!az_http_url_local("http://management.azure.com/"), "not Azure");
    ok(!az_http_url_local("ftp://127.0.0.1/"), "not another scheme");
}

static void
test_chain(void)
{
    struct az_cloud *cloud = az_cloud_builtin("AzureCloud");
    char *why = NULL;
    struct az_sign_in o = {.no_env = true};
    setenv("AZURE_CONFIG_DIR", "/nonexistent-kvdeck-test", 1);
    struct az_credential *c = az_credential_chain(cloud, &o, &why);
    ok(c == NULL, "not opted in: no managed identity");
    free(why);
    why = NULL;

    o.managed_identity = true;
    c = az_credential_chain(cloud, &o, &why);
    ok(c != NULL && strstr(c->name, "managed identity (IMDS)") != NULL,
       "opted in: the managed identity (%s)", c ? c->name : why);
    az_credential_free(c);

    o.managed_identity = false;
    o.auth = "managed-identity";
    o.client_id = "11111111-2222-3333-4444-555555555555";
    c = az_credential_chain(cloud, &o, &why);
    ok(c != NULL && strstr(c->name, "user-assigned 11111111") != NULL,
       "--auth managed-identity with a client id: user-assigned (%s)",
       c ? c->name : why);
    az_credential_free(c);

    o.no_env = false;
    o.client_id = NULL;
    setenv("IDENTITY_ENDPOINT", "http://127.0.0.1:9/msi/token", 1);
    unsetenv("IDENTITY_HEADER");
    c = az_credential_chain(cloud, &o, &why);
    ok(c != NULL && strstr(c->name, "IMDS") != NULL,
       "IDENTITY_ENDPOINT without IDENTITY_HEADER: IMDS");
    az_credential_free(c);
    setenv("IDENTITY_HEADER", "h", 1);
    c = az_credential_chain(cloud, &o, &why);
    ok(c != NULL && strstr(c->name, "App Service") != NULL,
       "both: the App Service form");
    az_credential_free(c);
    unsetenv("IDENTITY_ENDPOINT");
    unsetenv("IDENTITY_HEADER");

    o.auth = "nonsense";
    c = az_credential_chain(cloud, &o, &why);
    ok(c == NULL && why != NULL && strstr(why, "managed-identity") != NULL,
       "an unknown source lists managed-identity");
    free(why);
    az_cloud_free(cloud);
}

/* "h.PAYLOAD.s" with payload base64url-encoded. */
static char *
jwt(const char *payload)
{
    char *p = str_base64url(payload, strlen(payload));
    char *t = xasprintf("eyJhbGciOiJSUzI1NiJ9.%s.c2ln", p);
    free(p);
    return t;
}

static void
test_identity(void)
{
    struct az_identity id;
    char *t = jwt("{\"aud\":\"https://management.core.windows.net/\","
                  "\"upn\":\"dana@contoso.onmicrosoft.com\",\"unique_name\":"
                  "\"x@y\",\"name\":\"Dana Admin\",\"oid\":\"o-1\",\"tid\":"
                  "\"t-1\",\"appid\":\"a-1\",\"idtyp\":\"user\"}");
    ok(az_identity_from_token(t, strlen(t), &id), "a user's token");
    is_str(id.account, "dana@contoso.onmicrosoft.com", "upn first");
    is_str(id.name, "Dana Admin", "the display name");
    is_str(id.object_id, "o-1", "oid");
    is_str(id.tenant_id, "t-1", "tid");
    is_str(id.app_id, "a-1", "the client");
    is_str(id.kind, "user", "idtyp");
    is_str(az_identity_display(&id), "dana@contoso.onmicrosoft.com",
           "shown as the account");
    struct az_identity copy;
    az_identity_copy(&copy, &id);
    az_identity_clear(&id);
    is_str(copy.account, "dana@contoso.onmicrosoft.com", "a deep copy");
    az_identity_clear(&copy);
    free(t);

    t = jwt("{\"unique_name\":\"live.com#bob@example.com\",\"tid\":\"t\"}");
    ok(az_identity_from_token(t, strlen(t), &id) &&
           str_eq(id.account, "live.com#bob@example.com") &&
           str_eq(id.kind, "user"),
       "unique_name without upn; no idtyp: a user");
    az_identity_clear(&id);
    free(t);
    t = jwt("{\"azp\":\"app-2\",\"oid\":\"o\",\"tid\":\"t\"}");
    ok(az_identity_from_token(t, strlen(t), &id) && id.account == NULL &&
           str_eq(az_identity_display(&id), "app-2") && str_eq(id.kind, "app"),
       "an application (v2 azp): shown as its id");
    az_identity_clear(&id);
    free(t);
    ok(!az_identity_from_token("opaque-token", 12, &id), "not a JWT");
    t = jwt("[1,2]");
    ok(!az_identity_from_token(t, strlen(t), &id), "a payload that is not "
                                                   "an object");
    free(t);
}

int
main(void)
{
    unsetenv("AZURE_TENANT_ID");
    unsetenv("AZURE_CLIENT_ID");
    unsetenv("AZURE_CLIENT_SECRET");
    unsetenv("AZURE_CLIENT_CERTIFICATE_PATH");
    test_parse();
    test_errors();
    test_local();
    test_chain();
    test_identity();
    return tap_done();
}
