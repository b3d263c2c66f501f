/*
 * test-azure-auth.c — credentials without the network: reading a token
 * answer (into secure memory), when a cached token is refreshed, and how
 * the credential chain picks a source and says what is missing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "azure/auth.h"
#include "azure/credential.h"
#include "base/str.h"
#include "tests/tap.h"

static void
test_token_answer(void)
{
    struct secret *tok = NULL;
    int64_t exp = 0;
    char *why = NULL;
    const char *a = "{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                    "\"ext_expires_in\":3599,\"access_token\":\"eyJ0.abc\"}";
    ok(az_credential_parse_token(a, strlen(a), 1000, &tok, &exp, &why) == KV_OK,
       "a v2 token answer");
    ok(tok != NULL && str_eq(tok->data, "eyJ0.abc"), "the token, in a "
                                                     "struct secret");
    is_int(exp, 1000 + 3599, "expires_in counts from now");
    secret_free(tok);

    const char *s = "{\"token_type\":\"Bearer\",\"expires_in\":\"3600\","
                    "\"access_token\":\"t\"}";
    ok(az_credential_parse_token(s, strlen(s), 0, &tok, &exp, &why) == KV_OK &&
           exp == 3600,
       "expires_in as a string (AD FS, v1 endpoints)");
    secret_free(tok);
    const char *on = "{\"access_token\":\"t\",\"expires_on\":1700000000}";
    ok(az_credential_parse_token(on, strlen(on), 5, &tok, &exp, &why) ==
               KV_OK &&
           exp == 1700000000,
       "expires_on when there is no expires_in");
    secret_free(tok);
    /* found by tests/fuzz/fuzz-token: now + expires_in overflowed */
    const char *huge = "{\"access_token\":\"e\","
                       "\"expires_in\":\"09223372035189775809\"}";
    ok(az_credential_parse_token(huge, strlen(huge), 1767225600, &tok, &exp,
                                 &why) == KV_OK &&
           exp == 1767225600 + 86400 * 365,
       "an expires_in past a year counts as a year");
    secret_free(tok);

    const char *bad[] = {
        "{\"token_type\":\"Bearer\"}", "{\"access_token\":\"\"}",
        "{\"access_token\":\"t\",\"token_type\":\"pop\"}", "<html>", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        tok = NULL;
        ok(az_credential_parse_token(bad[i], strlen(bad[i]), 0, &tok, &exp,
                                     &why) != KV_OK &&
               tok == NULL && why != NULL,
           "bad token answer %zu refused (%s)", i, why);
        free(why);
    }
}

static void
test_margin(void)
{
    is_int(az_auth_margin(0, 3599), 300,
           "an hour's token: refreshed 5 min "
           "early");
    is_int(az_auth_margin(0, 600), 150, "a 10 min token: a quarter early");
    is_int(az_auth_margin(100, 108), 2, "an 8 s token: 2 s early");
}

static void
test_chain(void)
{
    struct az_cloud *cloud = az_cloud_builtin("AzureCloud");
    struct secret *s = secret_dup("pw", 2);
    char *why = NULL;

    unsetenv("AZURE_TENANT_ID");
    unsetenv("AZURE_CLIENT_ID");
    unsetenv("AZURE_CLIENT_SECRET");
    /* an az CLI profile only where a test puts one */
    char azdir[] = "/tmp/kvtest-azcfg-XXXXXX", prof[64];
    if (mkdtemp(azdir) == NULL)
        return;
    setenv("AZURE_CONFIG_DIR", azdir, 1);
    snprintf(prof, sizeof prof, "%s/azureProfile.json", azdir);
    struct az_sign_in o = {
        .tenant = "t", .client_id = "id", .client_secret = s};
    struct az_credential *c = az_credential_chain(cloud, &o, &why);
    ok(c != NULL && str_eq(c->name, "client secret (configuration)") &&
           str_eq(c->tenant, "t") && str_eq(c->ops->kind, "client secret"),
       "a configured client secret comes first");
    az_credential_free(c);

    struct az_sign_in none = {0};
    c = az_credential_chain(cloud, &none, &why);
    ok(c == NULL && why != NULL && strstr(why, "AZURE_TENANT_ID") != NULL &&
           strstr(why, "az login") != NULL,
       "nothing configured: the message names the variables and az login");
    free(why);
    why = NULL;

    setenv("AZURE_TENANT_ID", "env-tenant.example.com", 1);
    setenv("AZURE_CLIENT_ID", "env-id", 1);
    setenv("AZURE_CLIENT_SECRET", "env-secret", 1);
    c = az_credential_chain(cloud, &none, &why);
    ok(c != NULL && str_eq(c->name, "client secret (environment)") &&
           str_eq(c->tenant, "env-tenant.example.com"),
       "the AZURE_* variables");
    az_credential_free(c);
    struct az_sign_in noenv = {.no_env = true};
    c = az_credential_chain(cloud, &noenv, &why);
    ok(c == NULL, "unless the environment is to be ignored");
    free(why);
    why = NULL;
    setenv("AZURE_CLIENT_SECRET", "", 1);
    c = az_credential_chain(cloud, &none, &why);
    ok(c == NULL, "an empty AZURE_CLIENT_SECRET does not count");
    free(why);
    why = NULL;

    /* The az CLI's login: only when its profile names a default
     * subscription; after the service principals; --auth picks it. */
    FILE *f = fopen(prof, "w");
    if (f != NULL) {
        fputs("\xef\xbb\xbf{\"subscriptions\": [{\"id\": \"s0\", "
              "\"isDefault\": false, \"tenantId\": \"other\"}, {\"id\": "
              "\"s1\", \"isDefault\": true, \"tenantId\": \"az-tenant\", "
              "\"user\": {\"name\": \"admin@contoso.example\"}}]}",
              f);
        fclose(f);
    }
    char *account = NULL, *home = az_credential_azcli_profile(&account);
    is_str(home, "az-tenant",
           "az's profile: the default subscription's tenant");
    is_str(account, "admin@contoso.example", "and who is signed in");
    free(home);
    free(account);
    c = az_credential_chain(cloud, &none, &why);
    ok(c != NULL && str_eq(c->ops->kind, "az CLI") &&
           str_eq(c->tenant, "az-tenant"),
       "nothing else configured, az signed in: the az CLI");
    az_credential_free(c);
    c = az_credential_chain(cloud, &noenv, &why);
    ok(c == NULL, "not when the environment is to be ignored");
    free(why);
    why = NULL;
    c = az_credential_chain(cloud, &o, &why);
    ok(c != NULL && str_eq(c->ops->kind, "client secret"),
       "a configured secret still comes first");
    az_credential_free(c);
    struct az_sign_in want_az = {
        .auth = "az", .tenant = "t", .client_id = "id", .client_secret = s};
    c = az_credential_chain(cloud, &want_az, &why);
    ok(c != NULL && str_eq(c->ops->kind, "az CLI") && str_eq(c->tenant, "t"),
       "--auth az over a configured secret (the configured tenant kept)");
    az_credential_free(c);
    unlink(prof);
    struct az_sign_in want_az2 = {.auth = "az"};
    c = az_credential_chain(cloud, &want_az2, &why);
    ok(c == NULL && why != NULL && strstr(why, "run az login") != NULL,
       "--auth az without a login: run az login");
    free(why);
    why = NULL;
    struct az_sign_in bad = {.auth = "kerberos"};
    c = az_credential_chain(cloud, &bad, &why);
    ok(c == NULL && why != NULL && strstr(why, "kerberos") != NULL,
       "an unknown source is named");
    free(why);
    rmdir(azdir);

    struct az_auth *a = az_auth_new(NULL, "no way in", NULL);
    ok(az_auth_name(a) == NULL && az_auth_tenant(a) == NULL,
       "a token cache without credential");
    ok(az_auth_cached(a, "t", "s") == NULL, "has nothing cached");
    az_auth_free(a);
    secret_free(s);
    az_cloud_free(cloud);
}

int
main(void)
{
    test_token_answer();
    test_margin();
    test_chain();
    return tap_done();
}
