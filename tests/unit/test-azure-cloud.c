/*
 * test-azure-cloud.c — cloud profiles: the three built-ins, custom clouds
 * in the `az cloud register --cloud-config` format, and the messages for
 * unreadable or malformed files.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "azure/cloud.h"
#include "tests/tap.h"

static char dir[] = "/tmp/kvtest-cloud-XXXXXX";

/* Writes text to DIR/name and returns the path (static buffer). */
static const char *
write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void
test_builtins(void)
{
    struct az_cloud *c = az_cloud_builtin("AzureCloud");
    ok(c != NULL, "AzureCloud is built in");
    is_str(c->resource_manager, "https://management.azure.com",
           "public ARM endpoint, trailing slash trimmed");
    is_str(c->active_directory, "https://login.microsoftonline.com",
           "public authority");
    is_str(c->keyvault_dns, ".vault.azure.net", "public Key Vault suffix");
    is_str(c->keyvault_resource, "https://vault.azure.net",
           "Key Vault token resource derived from the suffix");
    is_str(c->private_dns_zone, "privatelink.vaultcore.azure.net",
           "public private-link zone");
    char *scope = az_cloud_arm_scope(c);
    is_str(scope, "https://management.core.windows.net//.default",
           "ARM scope keeps az's double slash");
    free(scope);
    char *url = az_cloud_token_url(c, "t1");
    is_str(url, "https://login.microsoftonline.com/t1/oauth2/v2.0/token",
           "v2 token endpoint with the tenant");
    free(url);
    url = az_cloud_arm_url(c, "/subscriptions");
    is_str(url, "https://management.azure.com/subscriptions",
           "ARM URL joins without a double slash");
    free(url);
    az_cloud_free(c);

    c = az_cloud_builtin("azureusgovernment");
    ok(c != NULL, "names compare case-insensitively");
    is_str(c->name, "AzureUSGovernment", "canonical name kept");
    is_str(c->resource_manager, "https://management.usgovcloudapi.net",
           "US Gov ARM");
    is_str(c->active_directory, "https://login.microsoftonline.us",
           "US Gov authority");
    is_str(c->keyvault_dns, ".vault.usgovcloudapi.net", "US Gov suffix");
    is_str(c->private_dns_zone, "privatelink.vaultcore.usgovcloudapi.net",
           "US Gov zone");
    az_cloud_free(c);

    c = az_cloud_builtin("AzureChinaCloud");
    is_str(c->resource_manager, "https://management.chinacloudapi.cn",
           "China ARM");
    is_str(c->active_directory, "https://login.chinacloudapi.cn",
           "China authority");
    is_str(c->keyvault_dns, ".vault.azure.cn", "China suffix");
    is_str(c->keyvault_resource, "https://vault.azure.cn",
           "China vault resource");
    is_str(c->private_dns_zone, "privatelink.vaultcore.azure.cn", "China zone");
    az_cloud_free(c);

    ok(az_cloud_builtin("AzureGermanCloud") == NULL,
       "retired clouds are not built in");
    const char *const *names = az_cloud_builtin_names();
    int n = 0;
    while (names[n] != NULL)
        n++;
    is_int(n, 3, "three built-in names");
}

static void
test_custom(void)
{
    char *why = NULL;
    const char *p = write_file(
        "sim.json",
        "{\"name\": \"kvdeck-sim\", \"endpoints\": {"
        "\"resourceManager\": \"https://127.0.0.1:43121/\","
        "\"activeDirectory\": \"https://127.0.0.1:43121\","
        "\"activeDirectoryResourceId\": "
        "\"https://management.core.windows.net/\","
        "\"activeDirectoryGraphResourceId\": \"https://graph.windows.net/\","
        "\"microsoftGraphResourceId\": \"https://graph.microsoft.com/\"},"
        "\"suffixes\": {\"keyvaultDns\": \".vault.localhost\"}}");
    struct az_cloud *c = az_cloud_load(p, &why);
    ok(c != NULL, "a custom cloud file loads");
    is_str(c->name, "kvdeck-sim", "its name");
    is_str(c->resource_manager, "https://127.0.0.1:43121", "its ARM");
    is_str(c->arm_audience, "https://management.core.windows.net/",
           "its ARM audience");
    is_str(c->keyvault_dns, ".vault.localhost", "its Key Vault suffix");
    is_str(c->origin, p, "origin is the path");
    ok(!c->adfs, "not AD FS");
    az_cloud_free(c);

    /* snake_case keys (what az itself stores) and no name */
    p = write_file(
        "snake.json",
        "{\"endpoints\": {\"resource_manager\": "
        "\"https://arm.example\", \"active_directory\": "
        "\"https://login.example/adfs\", "
        "\"active_directory_resource_id\": \"https://arm.example/\"}}");
    c = az_cloud_resolve(p, &why);
    ok(c != NULL, "snake_case keys are accepted");
    is_str(c->name, "snake.json", "without a name, the file name");
    ok(c->adfs, "an authority ending in /adfs is AD FS");
    char *url = az_cloud_token_url(c, "ignored");
    is_str(url, "https://login.example/adfs/oauth2/token",
           "AD FS token endpoint has no tenant");
    free(url);
    ok(c->keyvault_dns == NULL, "no suffixes: no Key Vault suffix");
    az_cloud_free(c);
}

/* Loads text and expects failure with a message containing every word. */
static void
bad(const char *name, const char *text, const char *w1, const char *w2,
    const char *what)
{
    char *why = NULL;
    const char *p = write_file(name, text);
    struct az_cloud *c = az_cloud_load(p, &why);
    ok(c == NULL, "%s: rejected", what);
    ok(why != NULL && strstr(why, p) != NULL, "%s: message names the file",
       what);
    ok(why != NULL && strstr(why, w1) != NULL &&
           (w2 == NULL || strstr(why, w2) != NULL),
       "%s: message says why (%s)", what, why != NULL ? why : "(null)");
    az_cloud_free(c);
    free(why);
}

static void
test_errors(void)
{
    char *why = NULL;
    char path[300];

    snprintf(path, sizeof path, "%s/absent.json", dir);
    ok(az_cloud_load(path, &why) == NULL, "a missing file fails");
    ok(why != NULL && strstr(why, path) != NULL &&
           strstr(why, "No such file") != NULL,
       "missing file: names the file and the reason (%s)", why);
    free(why);
    why = NULL;

    bad("trunc.json", "{\"endpoints\": {\"resourceManager\": ", "malformed",
        NULL, "truncated JSON");
    bad("array.json", "[1, 2]", "JSON object", NULL, "not an object");
    bad("noend.json", "{\"name\": \"x\"}", "endpoints", NULL, "no endpoints");
    bad("norm.json",
        "{\"endpoints\": {\"activeDirectory\": \"https://l\", "
        "\"activeDirectoryResourceId\": \"https://a/\"}}",
        "resourceManager", "required", "no resourceManager");
    bad("noad.json",
        "{\"endpoints\": {\"resourceManager\": \"https://a\", "
        "\"activeDirectoryResourceId\": \"https://a/\"}}",
        "activeDirectory", "required", "no activeDirectory");
    bad("type.json",
        "{\"endpoints\": {\"resourceManager\": 42, \"activeDirectory\": "
        "\"https://l\", \"activeDirectoryResourceId\": \"https://a/\"}}",
        "resourceManager", "string", "a number where a URL belongs");
    bad("http.json",
        "{\"endpoints\": {\"resourceManager\": \"http://127.0.0.1:1/\", "
        "\"activeDirectory\": \"https://l\", \"activeDirectoryResourceId\": "
        "\"https://a/\"}}",
        "https://", NULL, "plain http endpoint");

    ok(az_cloud_resolve("NoSuchCloud", &why) == NULL,
       "an unknown cloud name fails");
    ok(why != NULL && strstr(why, "NoSuchCloud") != NULL &&
           strstr(why, "AzureCloud") != NULL,
       "unknown name: says what exists (%s)", why);
    free(why);
    why = NULL;
    struct az_cloud *c = az_cloud_resolve(NULL, &why);
    is_str(c != NULL ? c->name : NULL, "AzureCloud",
           "no cloud given: AzureCloud");
    az_cloud_free(c);
}

/* The tenant goes into the token URL's path (issue 11): only a tenant ID,
 * a domain name or Entra's well-known names are accepted, and whatever
 * reaches az_cloud_token_url is percent-encoded. */
static void
test_tenant(void)
{
    const char *good[] = {"72f988bf-86f1-41af-91ab-2d7cd011db47",
                          "contoso.onmicrosoft.com", "fabrikam.com",
                          "organizations", "common", "consumers"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ok(az_cloud_tenant_valid(good[i]) &&
               az_cloud_tenant_check(good[i], "x") == NULL,
           "tenant %s accepted", good[i]);
    const char *badt[] = {"",
                          "evil.example/x",
                          "a?b",
                          "../../common",
                          "contoso",
                          "-contoso.com",
                          "contoso-.com",
                          "contoso..com",
                          "72f988bf-86f1-41af-91ab-2d7cd011db4",
                          "con toso.com",
                          "evil.com#",
                          "t%2F.com"};
    for (size_t i = 0; i < sizeof badt / sizeof *badt; i++)
        ok(!az_cloud_tenant_valid(badt[i]), "tenant \"%s\" refused",
           badt[i]);
    char *why = az_cloud_tenant_check("evil.example/x?", "AZURE_TENANT_ID");
    ok(why != NULL && strncmp(why, "AZURE_TENANT_ID: ", 17) == 0 &&
           strstr(why, "\"evil.example/x?\"") != NULL &&
           strstr(why, "GUID") != NULL,
       "the message says where the tenant came from and what it must be: "
       "%s",
       why);
    free(why);
    why = az_cloud_tenant_check("\x1b]0;pwned\x07.com", "--tenant");
    ok(why != NULL && strchr(why, '\x1b') == NULL &&
           strchr(why, '\x07') == NULL && strstr(why, "\\x1b]0;pwned\\x07"),
       "control characters in a tenant are shown escaped: %s", why);
    free(why);

    struct az_cloud *c = az_cloud_builtin("AzureCloud");
    char *url = az_cloud_token_url(c, "evil.example/x?y#z");
    is_str(url,
           "https://login.microsoftonline.com/evil.example%2Fx%3Fy%23z/oauth2/"
           "v2.0/token",
           "a tenant cannot change the token URL's path or query");
    free(url);
    url = az_cloud_token_url(c, NULL);
    is_str(url, "https://login.microsoftonline.com/organizations/oauth2/v2.0/"
                "token",
           "no tenant: organizations");
    free(url);
    az_cloud_free(c);
}

/* Messages that quote a cloud file keep its control characters off the
 * terminal (issue 11). */
static void
test_escape(void)
{
    char *why = NULL;
    const char *path = write_file(
        "esc.json", "{\"endpoints\": {\"resourceManager\": "
                    "\"http://\\u001b[2J\\u001b]0;pwned\\u0007\", "
                    "\"activeDirectory\": \"https://l\", "
                    "\"activeDirectoryResourceId\": \"https://a/\"}}");
    ok(az_cloud_load(path, &why) == NULL, "an http endpoint is refused");
    ok(why != NULL && strchr(why, '\x1b') == NULL &&
           strchr(why, '\x07') == NULL &&
           strstr(why, "http://\\x1b[2J\\x1b]0;pwned\\x07") != NULL,
       "the endpoint is quoted with its escapes shown: %s", why);
    free(why);
    why = NULL;
    ok(az_cloud_resolve("Azure\x1b[31mCloud", &why) == NULL &&
           why != NULL && strchr(why, '\x1b') == NULL &&
           strstr(why, "Azure\\x1b[31mCloud") != NULL,
       "an unknown cloud name is quoted escaped: %s", why);
    free(why);
}

int
main(void)
{
    if (mkdtemp(dir) == NULL)
        tap_skip_all("cannot create a temporary directory");
    test_builtins();
    test_custom();
    test_errors();
    test_tenant();
    test_escape();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    return tap_done();
}
