/*
 * test-azure-decode.c — decoding what Azure sends: list envelopes (empty
 * pages with a nextLink, the data plane's "nextLink": null), error bodies
 * (ARM, data plane with innererror, OAuth), resources (vault, connection,
 * secrets and a bundle whose value must land in secure memory), the Key
 * Vault challenge and the URL checks. Bodies are copied from the real
 * recordings in ../shared/azure/recordings (file and index noted).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "azure/arm.h"
#include "azure/challenge.h"
#include "azure/json.h"
#include "azure/resource.h"
#include "azure/url.h"
#include "base/xalloc.h"
#include "tests/tap.h"

/* The model's *_free() releases the struct itself too: hand it a heap
 * copy of a stack struct, so that it frees the contents. */
#define free_contents(fn, s) fn(memcpy(xmalloc(sizeof(s)), &(s), sizeof(s)))

/* R:ld test_keyvault_list_deleted.yaml #105: empty, but not the end */
static const char EMPTY_WITH_NEXT[] =
    "{\"value\":[],\"nextLink\":\"https://management.azure.com/subscriptions/"
    "00000000-0000-0000-0000-000000000000/providers/Microsoft.KeyVault/"
    "deletedVaults?api-version=2022-07-01&%24skiptoken=HZBtb4IwAIT\"}";
/* R:mgmt test_keyvault_mgmt.yaml #8: the real end */
static const char EMPTY_END[] = "{\"value\":[]}";
/* R:sec test_keyvault_secret.yaml #10: data plane, explicit null */
static const char DP_LAST[] =
    "{\"value\":[{\"id\":\"https://cli-test-kv-se-000002.vault.azure.net/"
    "secrets/secret2\",\"attributes\":{\"enabled\":true,\"created\":"
    "1690270835,\"updated\":1690270835,\"recoveryLevel\":\"CustomizedRecover"
    "able+Purgeable\",\"recoverableDays\":7},\"tags\":{\"file-encoding\":"
    "\"utf-8\"}}],\"nextLink\":null}";
/* R:sec #9: a data-plane nextLink carries :443 */
static const char DP_FIRST[] =
    "{\"value\":[{\"id\":\"https://cli-test-kv-se-000002.vault.azure.net/"
    "secrets/secret1\",\"attributes\":{\"enabled\":true,\"created\":"
    "1690270834,\"updated\":1690270834,\"recoveryLevel\":\"CustomizedRecover"
    "able+Purgeable\",\"recoverableDays\":7},\"tags\":{\"file-encoding\":"
    "\"utf-8\"}}],\"nextLink\":\"https://cli-test-kv-se-000002.vault.azure."
    "net:443/secrets?api-version=7.4&$skiptoken=eyJOZXh0&maxresults=1\"}";
/* R:pna test_keyvault_public_network_access.yaml #0 */
static const char NOT_FOUND[] =
    "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource "
    "'Microsoft.KeyVault/vaults/cli-test-kv-pna-000002' under resource group "
    "'cli_test_keyvault_pna000001' was not found. For more details please go "
    "to https://aka.ms/ARMResourceNotFoundFix\"}}";
/* R:ssd test_keyvault_secret_soft_delete.yaml #6 */
static const char DELETED_BUT_RECOVERABLE[] =
    "{\"error\":{\"code\":\"Conflict\",\"message\":\"Secret secret1 is "
    "currently in a deleted but recoverable state, and its name cannot be "
    "reused; in this state, the secret can only be recovered or purged.\","
    "\"innererror\":{\"code\":\"ObjectIsDeletedButRecoverable\"}}}";
/* R:sec #4 */
static const char UNAUTHORIZED[] =
    "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request "
    "is missing a Bearer or PoP token.\"}}";
static const char CHALLENGE[] =
    "Bearer authorization=\"https://login.microsoftonline.com/54826b22-38d6-"
    "4fb2-bad9-b7b93a3e9c5a\", resource=\"https://vault.azure.net\"";
/* R:sec #0 (vault with trailing slash, ISO systemData) */
static const char VAULT[] =
    "{\"id\":\"/subscriptions/00000000-0000-0000-0000-000000000000/"
    "resourceGroups/cli_test_keyvault_secret000001/providers/"
    "Microsoft.KeyVault/vaults/cli-test-kv-se-000002\",\"name\":"
    "\"cli-test-kv-se-000002\",\"type\":\"Microsoft.KeyVault/vaults\","
    "\"location\":\"westus\",\"tags\":{},\"systemData\":{\"createdBy\":"
    "\"aaa@foo.com\",\"createdByType\":\"User\",\"createdAt\":"
    "\"2023-07-25T07:39:58.285Z\",\"lastModifiedBy\":\"aaa@foo.com\","
    "\"lastModifiedByType\":\"User\",\"lastModifiedAt\":"
    "\"2023-07-25T07:39:58.285Z\"},\"properties\":{\"sku\":{\"family\":\"A\","
    "\"name\":\"standard\"},\"tenantId\":\"54826b22-38d6-4fb2-bad9-"
    "b7b93a3e9c5a\",\"accessPolicies\":[{\"tenantId\":\"54826b22-38d6-4fb2-"
    "bad9-b7b93a3e9c5a\",\"objectId\":\"6b30bdc6-696a-46fb-82d7-"
    "739c2fb147b7\",\"permissions\":{\"keys\":[\"all\"],\"secrets\":"
    "[\"all\"],\"certificates\":[\"all\"],\"storage\":[\"all\"]}}],"
    "\"enabledForDeployment\":false,\"enableSoftDelete\":true,"
    "\"softDeleteRetentionInDays\":7,\"vaultUri\":\"https://cli-test-kv-se-"
    "000002.vault.azure.net/\",\"provisioningState\":\"Succeeded\","
    "\"publicNetworkAccess\":\"Enabled\"}}";
/* R:pec test_keyvault_private_endpoint_connection.yaml #16 */
static const char PEC[] =
    "{\"id\":\"/subscriptions/00000000-0000-0000-0000-000000000000/"
    "resourceGroups/cli_test_keyvault_pec000001/providers/Microsoft.KeyVault"
    "/vaults/cli-test-kv-pec-000002/privateEndpointConnections/"
    "cli-pec-000006\",\"name\":\"cli-pec-000006\",\"type\":"
    "\"Microsoft.KeyVault/vaults/privateEndpointConnections\",\"location\":"
    "\"eastus2\",\"properties\":{\"provisioningState\":\"Succeeded\","
    "\"privateEndpoint\":{\"id\":\"/subscriptions/00000000-0000-0000-0000-"
    "000000000000/resourceGroups/cli_test_keyvault_pec000001/providers/"
    "Microsoft.Network/privateEndpoints/cli-pe-000005\"},"
    "\"privateLinkServiceConnectionState\":{\"status\":\"Approved\","
    "\"actionsRequired\":\"None\"}}}";
/* R:sec #16: a bundle with its value */
static const char BUNDLE[] =
    "{\"value\":\"DEF456\",\"contentType\":\"test type\",\"id\":\"https://"
    "cli-test-kv-se-000002.vault.azure.net/secrets/secret1/585696e25b1742c28"
    "337ed0ff1e85ee1\",\"attributes\":{\"enabled\":true,\"created\":"
    "1690270837,\"updated\":1690270837,\"recoveryLevel\":\"CustomizedRecover"
    "able+Purgeable\",\"recoverableDays\":7},\"tags\":{\"test\":\"foo\","
    "\"file-encoding\":\"utf-8\"}}";

static void
test_pages(void)
{
    struct az_page p;
    char *why = NULL;

    ok(az_page_parse(EMPTY_WITH_NEXT, strlen(EMPTY_WITH_NEXT), "t", &p, &why) ==
           KV_OK,
       "empty page parses");
    is_int(az_page_count(&p), 0, "it is empty");
    ok(p.next_link != NULL && strstr(p.next_link, "%24skiptoken=") != NULL,
       "but carries a nextLink, kept verbatim (encoded $skiptoken)");
    az_page_free(&p);

    ok(az_page_parse(EMPTY_END, strlen(EMPTY_END), "t", &p, &why) == KV_OK &&
           p.next_link == NULL && az_page_count(&p) == 0,
       "ARM end: no nextLink key");
    az_page_free(&p);

    ok(az_page_parse(DP_LAST, strlen(DP_LAST), "t", &p, &why) == KV_OK &&
           p.next_link == NULL && az_page_count(&p) == 1,
       "data-plane end: \"nextLink\": null, one item");
    az_page_free(&p);

    ok(az_page_parse(DP_FIRST, strlen(DP_FIRST), "t", &p, &why) == KV_OK &&
           p.next_link != NULL,
       "data-plane page with nextLink");
    ok(az_url_same_origin(p.next_link,
                          "https://cli-test-kv-se-000002.vault.azure.net/"
                          "secrets?maxresults=1&api-version=7.4"),
       "its :443 is the same origin as the request without a port");
    az_page_free(&p);

    const char *empty_link = "{\"value\":[{\"id\":\"x\"}],\"nextLink\":\"\"}";
    ok(az_page_parse(empty_link, strlen(empty_link), "t", &p, &why) == KV_OK &&
           p.next_link == NULL,
       "an empty nextLink string ends the list");
    az_page_free(&p);
    const char *null_value = "{\"value\":null}";
    ok(az_page_parse(null_value, strlen(null_value), "t", &p, &why) == KV_OK &&
           az_page_count(&p) == 0,
       "\"value\": null is an empty page");
    az_page_free(&p);

    const char *bad[] = {"{\"items\":[]}",
                         "[1,2]",
                         "{\"value\":[],",
                         "{\"value\":{}}",
                         "{\"value\":[],\"nextLink\":7}",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        enum kv_status st =
            az_page_parse(bad[i], strlen(bad[i]), "bad page", &p, &why);
        ok(st == KV_ERR_PARSE && why != NULL && strstr(why, "bad page"),
           "malformed page %zu refused with a message (%s)", i, why);
        free(why);
    }
}

static void
test_errors(void)
{
    struct az_error e;
    ok(az_error_parse(NOT_FOUND, strlen(NOT_FOUND), &e), "ARM 404 decodes");
    is_str(e.code, "ResourceNotFound", "its code");
    ok(e.message != NULL && strstr(e.message, "was not found") != NULL,
       "its message");
    ok(e.inner_code == NULL, "no innererror");
    is_int(az_status_from_http(404, e.code), KV_ERR_NOT_FOUND, "-> not found");
    az_error_free(&e);

    ok(az_error_parse(DELETED_BUT_RECOVERABLE, strlen(DELETED_BUT_RECOVERABLE),
                      &e),
       "data-plane 409 decodes");
    is_str(e.code, "Conflict", "its code");
    is_str(e.inner_code, "ObjectIsDeletedButRecoverable",
           "its innererror code");
    is_int(az_status_from_http(409, e.code), KV_ERR_CONFLICT, "-> conflict");
    az_error_free(&e);

    ok(az_error_parse(UNAUTHORIZED, strlen(UNAUTHORIZED), &e) &&
           strstr(e.message, "AKV10000") != NULL,
       "data-plane 401 decodes");
    az_error_free(&e);

    const char *oauth = "{\"error\":\"invalid_client\",\"error_description\""
                        ":\"AADSTS7000215: Invalid client secret provided.\"}";
    ok(az_error_parse(oauth, strlen(oauth), &e), "OAuth error decodes");
    is_str(e.code, "invalid_client", "OAuth error code");
    ok(strstr(e.message, "AADSTS7000215") != NULL, "OAuth description");
    az_error_free(&e);

    const char *nested =
        "{\"error\":{\"code\":\"Forbidden\",\"message\":\"denied\","
        "\"innererror\":{\"code\":\"AccessDenied\",\"innererror\":{\"code\":"
        "\"ForbiddenByFirewall\"}}}}";
    ok(az_error_parse(nested, strlen(nested), &e) && e.inner_code != NULL &&
           strcmp(e.inner_code, "ForbiddenByFirewall") == 0,
       "the innermost innererror code wins");
    az_error_free(&e);

    const char *details =
        "{\"error\":{\"code\":\"InvalidTemplate\",\"message\":\"bad\","
        "\"target\":\"properties\",\"details\":[{\"code\":\"A\",\"message\":"
        "\"first\"},{\"code\":\"B\",\"message\":\"second\",\"details\":[{"
        "\"code\":\"C\",\"message\":\"deep\"}]}]}}";
    ok(az_error_parse(details, strlen(details), &e), "details decode");
    is_str(e.target, "properties", "target");
    is_int(e.details.len, 2, "two details");
    struct az_error *second = e.details.items[1];
    is_str(second->code, "B", "second detail code");
    is_int(second->details.len, 1, "nested detail");
    az_error_free(&e);

    ok(!az_error_parse("{\"value\":[]}", 12, &e), "a page is not an error");
    ok(!az_error_parse("<html>502</html>", 16, &e), "HTML is not an error");
    ok(!az_error_parse("", 0, &e), "nothing is not an error");
    is_int(az_status_from_http(403, NULL), KV_ERR_FORBIDDEN, "403");
    is_int(az_status_from_http(401, NULL), KV_ERR_AUTH, "401");
    is_int(az_status_from_http(429, NULL), KV_ERR_THROTTLED, "429");
    is_int(az_status_from_http(500, NULL), KV_ERR_HTTP, "500");
    is_int(az_status_from_http(400, "SecretNotFound"), KV_ERR_NOT_FOUND,
           "a not-found code wins over the status");
}

static void
test_vault(void)
{
    char *why = NULL;
    struct kv_vault v;
    cJSON *j = json_parse(VAULT, strlen(VAULT), "vault", &why);
    ok(j != NULL && az_vault_decode(j, &v, &why) == KV_OK, "vault decodes");
    is_str(v.name, "cli-test-kv-se-000002", "name");
    is_str(v.resource_group, "cli_test_keyvault_secret000001",
           "resource group from the id");
    is_str(v.subscription_id, "00000000-0000-0000-0000-000000000000",
           "subscription from the id");
    is_str(v.vault_uri, "https://cli-test-kv-se-000002.vault.azure.net",
           "vaultUri without its trailing slash");
    is_str(v.sku, "standard", "sku");
    ok(v.soft_delete && v.soft_delete_days == 7 && !v.purge_protection &&
           !v.rbac,
       "soft delete 7 days, no purge protection, access policies");
    is_int(v.access_policies, 1, "one access policy");
    is_int(v.created, 1690270798, "createdAt ISO-8601 -> unix seconds");
    is_str(v.public_network_access, "Enabled", "public network access");
    ok(v.json != NULL && strstr(v.json, "\n  \"properties\": {") != NULL,
       "json is pretty-printed with two spaces");
    free_contents(kv_vault_free, v);
    cJSON_Delete(j);

    /* first answer to a create: no trailing slash; provider in odd case */
    const char *created =
        "{\"id\":\"/subscriptions/s/resourcegroups/RG/providers/"
        "Microsoft.Keyvault/vaults/v1\",\"properties\":{\"vaultUri\":"
        "\"https://v1.vault.azure.net\",\"provisioningState\":"
        "\"RegisteringDns\"}}";
    j = json_parse(created, strlen(created), "vault", &why);
    ok(az_vault_decode(j, &v, &why) == KV_OK, "a fresh vault decodes");
    is_str(v.vault_uri, "https://v1.vault.azure.net", "uri without slash");
    is_str(v.name, "v1", "name from the id (no name field)");
    is_str(v.resource_group, "RG", "lower-case resourcegroups segment");
    is_str(v.provisioning_state, "RegisteringDns", "non-terminal state");
    ok(v.soft_delete, "soft delete defaults to true");
    free_contents(kv_vault_free, v);
    cJSON_Delete(j);

    j = json_parse("{\"name\":\"x\"}", 12, "vault", &why);
    ok(az_vault_decode(j, &v, &why) == KV_ERR_PARSE && why != NULL,
       "a vault without id is refused");
    free(why);
    why = NULL;
    cJSON_Delete(j);
}

static void
test_pec(void)
{
    char *why = NULL;
    struct kv_endpoint_connection p;
    cJSON *j = json_parse(PEC, strlen(PEC), "pec", &why);
    ok(az_pec_decode(j, &p, &why) == KV_OK, "connection decodes");
    is_str(p.status, "Approved", "status");
    is_str(p.actions_required, "None", "actionsRequired");
    ok(p.description == NULL, "no description sent");
    is_str(p.provisioning_state, "Succeeded", "provisioning state");
    ok(p.private_endpoint_id != NULL &&
           strstr(p.private_endpoint_id, "privateEndpoints/cli-pe-000005"),
       "private endpoint id");
    ok(p.vault_id != NULL &&
           strstr(p.vault_id, "/vaults/cli-test-kv-pec-"
                              "000002") != NULL &&
           strstr(p.vault_id, "privateEndpointConnections") == NULL,
       "the owning vault's id");
    free_contents(kv_endpoint_connection_free, p);
    cJSON_Delete(j);
}

static void
test_secrets(void)
{
    char *why = NULL;
    struct az_page page;
    struct kv_secret_item s;
    struct kv_secret_version b;
    az_page_parse(DP_LAST, strlen(DP_LAST), "t", &page, &why);
    ok(az_secret_decode(page.value->child, &s, &why) == KV_OK,
       "list item decodes");
    is_str(s.name, "secret2", "name from the id");
    is_str(s.vault_uri, "https://cli-test-kv-se-000002.vault.azure.net",
           "vault from the id");
    ok(s.attrs.enabled && s.attrs.created == 1690270835,
       "unix-seconds attributes");
    is_str(s.attrs.recovery_level, "CustomizedRecoverable+Purgeable",
           "recovery level");
    is_int(s.attrs.recoverable_days, 7, "recoverable days");
    is_int(s.tags.n, 1, "one tag");
    is_str(s.tags.items[0].key, "file-encoding", "tag key");
    free_contents(kv_secret_item_free, s);
    az_page_free(&page);

    struct secret *value = NULL;
    ok(az_secret_bundle_decode(BUNDLE, strlen(BUNDLE), &b, &value, &why) ==
           KV_OK,
       "bundle decodes");
    ok(value != NULL && value->len == 6 &&
           memcmp(value->data, "DEF456", 6) == 0,
       "the value is in secure memory");
    is_str(b.version, "585696e25b1742c28337ed0ff1e85ee1", "version");
    is_str(b.content_type, "test type", "content type");
    ok(b.json != NULL && strstr(b.json, "DEF456") == NULL &&
           strstr(b.json, "\"value\"") == NULL,
       "the json shown to people has no value");
    ok(strstr(b.json, "\"contentType\"") != NULL, "but the rest is there");
    secret_free(value);
    free_contents(kv_secret_version_free, b);

    const char *with_value = "{\"id\":\"https://v.vault.azure.net/secrets/a/"
                             "b\",\"value\":\"LEAK\"}";
    cJSON *j = json_parse(with_value, strlen(with_value), "x", &why);
    ok(az_secret_decode(j, &s, &why) == KV_OK && strstr(s.json, "LEAK") == NULL,
       "an item that carries a value by mistake never shows it");
    free_contents(kv_secret_item_free, s);
    cJSON_Delete(j);

    ok(az_secret_bundle_decode("{\"id\":\"https://v/secrets/a\"}", 27, &b,
                               &value, &why) == KV_ERR_PARSE,
       "a bundle without value is malformed");
    free(why);
    why = NULL;
    j = json_parse("{\"id\":\"not-a-url\"}", 18, "x", &why);
    ok(az_secret_decode(j, &s, &why) == KV_ERR_PARSE,
       "an id that is no Key Vault URL is refused");
    free(why);
    why = NULL;
    cJSON_Delete(j);
}

static void
test_json_times(void)
{
    const char *t = "{\"a\":1690270834,\"b\":\"2023-07-25T07:40:34Z\","
                    "\"c\":\"2023-11-06 12:47:03Z\",\"d\":\"1690270834\","
                    "\"e\":\"soon\",\"f\":null}";
    cJSON *j = json_parse(t, strlen(t), "t", NULL);
    is_int(json_time(j, "a"), 1690270834, "unix seconds");
    is_int(json_time(j, "b"), 1690270834, "ISO-8601");
    is_int(json_time(j, "c"), 1699274823,
           "ISO with a space (operationResults)");
    is_int(json_time(j, "d"), 1690270834, "seconds as a string");
    is_int(json_time(j, "e"), 0, "junk is 0");
    is_int(json_time(j, "f"), 0, "null is 0");
    is_int(json_time(j, "g"), 0, "absent is 0");
    cJSON_Delete(j);
    const char *huge =
        "{\"a\":1e300,\"b\":-1e300,\"c\":\"99999999999999999999\"}";
    j = json_parse(huge, strlen(huge), "t", NULL);
    ok(json_time(j, "a") == 0 && json_int(j, "b", -7) == -7 &&
           json_int(j, "c", -7) == -7,
       "numbers beyond 64 bits are refused, not wrapped");
    cJSON_Delete(j);
    const char *k = "{\"Properties\":{\"ProvisioningState\":\"Succeeded\"}}";
    j = json_parse(k, strlen(k), "t", NULL);
    is_str(json_str(j, "properties.provisioningState"), "Succeeded",
           "keys compare case-insensitively");
    cJSON_Delete(j);
}

static void
test_challenge(void)
{
    struct az_challenge c;
    ok(az_challenge_parse(CHALLENGE, &c), "the recorded challenge parses");
    is_str(c.tenant, "54826b22-38d6-4fb2-bad9-b7b93a3e9c5a", "tenant");
    is_str(c.resource, "https://vault.azure.net", "resource");
    is_str(c.scope, "https://vault.azure.net/.default", "scope");
    ok(az_challenge_fits(&c, "https://cli-test-kv-se-000002.vault.azure.net/"
                             "secrets/secret1?api-version=7.4"),
       "fits a vault under vault.azure.net");
    ok(!az_challenge_fits(&c, "https://vault.azure.net.evil.example/"),
       "does not fit a look-alike host");
    ok(!az_challenge_fits(&c, "https://myvault.vault.azure.cn/"),
       "does not fit another cloud's vault");
    az_challenge_clear(&c);

    ok(az_challenge_parse("Bearer authorization_uri=https://login.example/"
                          "t2/,scope=\"https://vault.localhost:4312/.default\"",
                          &c),
       "authorization_uri and scope, unquoted, no blank");
    is_str(c.tenant, "t2", "tenant with a trailing slash trimmed");
    is_str(c.scope, "https://vault.localhost:4312/.default", "scope kept");
    ok(az_challenge_fits(&c, "https://kv1.vault.localhost:4312/secrets"),
       "resource port does not matter; host does");
    az_challenge_clear(&c);

    ok(!az_challenge_parse("Basic realm=\"x\"", &c), "Basic is refused");
    ok(!az_challenge_parse("Bearer resource=\"https://vault.azure.net\"", &c),
       "no authorization: refused");
    ok(!az_challenge_parse("Bearer authorization=\"https://login.example\", "
                           "resource=\"https://vault.azure.net\"",
                           &c),
       "an authority without tenant: refused");
    ok(!az_challenge_parse("Bearerx authorization=\"https://l/t\"", &c),
       "a scheme that only starts with Bearer: refused");
    ok(!az_challenge_parse(NULL, &c), "no header");
}

static void
test_urls(void)
{
    char *o = az_url_origin("HTTPS://Kv1.Vault.Azure.NET/secrets?x=1");
    is_str(o, "https://kv1.vault.azure.net:443", "origin normalised");
    free(o);
    ok(az_url_same_origin("https://127.0.0.1:4000/a", "https://127.0.0.1:4000"
                                                      "/b?c"),
       "same host and port");
    ok(!az_url_same_origin("https://127.0.0.1:4000/a", "https://127.0.0.1:4001/"
                                                       "a"),
       "another port is another origin");
    ok(!az_url_same_origin("https://management.azure.com/x",
                           "https://management.azure.com.evil.example/x"),
       "a look-alike host is another origin");
    ok(!az_url_same_origin("http://h/x", "https://h/x"), "http is not https");
    char *h = az_url_host("https://user@[::1]:8443/x");
    is_str(h, "::1", "IPv6 host without brackets, user info dropped");
    free(h);
    ok(az_url_host_within("a.vault.azure.net", "vault.azure.net"),
       "subdomain within");
    ok(!az_url_host_within("avault.azure.net", "vault.azure.net"),
       "label boundary respected");
    ok(az_url_origin("not a url") == NULL, "junk has no origin");
}

static void
test_ids(void)
{
    char *s = az_id_segment("/subscriptions/S1/resourcegroups/g/providers/"
                            "Microsoft.KeyVault/vaults/v",
                            "resourceGroups");
    is_str(s, "g", "id segments match case-insensitively");
    free(s);
    ok(az_id_eq("/subscriptions/S/resourceGroups/G/", "/SUBSCRIPTIONS/s/"
                                                      "resourcegroups/g"),
       "ids compare case-insensitively, trailing slash ignored");
}

/* The detail pane's printer: two-space indents, and strings escaped as
 * cJSON escapes them (quote, backslash, control characters; UTF-8 and
 * DEL as they are). */
static void
test_pretty(void)
{
    const char *in = "{\"a\":\"q\\\"b\\\\s\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f "
                     "\xc3\xa4\",\"n\":[1,2.5,-3e+20,true,false,null],"
                     "\"o\":{},\"e\":[],\"k\\\"\":{\"d\":{\"x\":\"\"}}}";
    cJSON *j = json_parse(in, strlen(in), "test", NULL);
    ok(j != NULL, "the printer's test JSON parses");
    char *out = json_pretty(j);
    is_str(
        out,
        "{\n"
        "  \"a\": \"q\\\"b\\\\s\\n\\t\\r\\b\\f\\u0001\\u001f\x7f \xc3\xa4\",\n"
        "  \"n\": [\n    1,\n    2.5,\n    -3e+20,\n    true,\n    false,\n"
        "    null\n  ],\n"
        "  \"o\": {},\n  \"e\": [],\n"
        "  \"k\\\"\": {\n    \"d\": {\n      \"x\": \"\"\n    }\n  }\n}",
        "json_pretty: indents, escapes, numbers, literals, empty containers");
    char *ref = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "a"));
    char *mine = json_pretty(cJSON_GetObjectItem(j, "a"));
    is_str(mine, ref, "json_pretty escapes a string exactly as cJSON does");
    cJSON_free(ref);
    free(mine);
    free(out);
    cJSON_Delete(j);
}

/* A Resource Graph row decodes as the vault Resource Manager gives: the
 * same fields, and the same JSON once the graph's own columns are left
 * out and the type is in ARM's spelling (no copy of the row made). */
static void
test_graph_vault(void)
{
    static const char arm_in[] =
        "{\"id\":\"/subscriptions/s1/resourceGroups/rg/providers/"
        "Microsoft.KeyVault/vaults/kv1\",\"name\":\"kv1\","
        "\"type\":\"Microsoft.KeyVault/vaults\",\"location\":\"eastus\","
        "\"tags\":{\"env\":\"prod\"},\"properties\":{\"tenantId\":\"t1\","
        "\"sku\":{\"family\":\"A\",\"name\":\"premium\"},"
        "\"vaultUri\":\"https://kv1.vault.azure.net/\","
        "\"enableRbacAuthorization\":true}}";
    static const char graph_in[] =
        "{\"id\":\"/subscriptions/s1/resourceGroups/rg/providers/"
        "Microsoft.KeyVault/vaults/kv1\",\"name\":\"kv1\","
        "\"type\":\"microsoft.keyvault/vaults\",\"tenantId\":\"t1\","
        "\"kind\":\"\",\"location\":\"eastus\",\"resourceGroup\":\"rg\","
        "\"subscriptionId\":\"s1\",\"managedBy\":\"\",\"sku\":null,"
        "\"plan\":null,\"tags\":{\"env\":\"prod\"},\"identity\":null,"
        "\"zones\":null,\"extendedLocation\":null,"
        "\"properties\":{\"tenantId\":\"t1\",\"sku\":{\"family\":\"A\","
        "\"name\":\"premium\"},\"vaultUri\":\"https://kv1.vault.azure.net/\","
        "\"enableRbacAuthorization\":true}}";
    cJSON *a = json_parse(arm_in, strlen(arm_in), "test", NULL);
    cJSON *g = json_parse(graph_in, strlen(graph_in), "test", NULL);
    struct kv_vault *va = xcalloc(1, sizeof *va),
                    *vgp = xcalloc(1, sizeof *vgp);
    struct kv_vault vg;
    char *why = NULL;
    ok(az_vault_decode(a, va, &why) == KV_OK, "graph: the ARM vault decodes");
    ok(az_graph_vault_decode(g, vgp, &why) == KV_OK,
       "graph: the Resource Graph row decodes");
    vg = *vgp;
    is_str(vg.json, va->json,
           "graph: the row's JSON is the ARM vault's (graph columns left "
           "out, the type in ARM's spelling)");
    is_str(vg.sku, "premium", "graph: the sku from properties");
    is_str(vg.tenant_id, "t1", "graph: the tenant from properties");
    is_str(vg.resource_group, "rg", "graph: the group from the id");
    ok(vg.rbac, "graph: the permission model");
    static const char *const skip[] = {"b"};
    cJSON *o = cJSON_Parse("{\"b\":1,\"type\":\"x\",\"c\":[]}");
    char *p = json_pretty_except(o, skip, 1, "T");
    is_str(p, "{\n  \"type\": \"T\",\n  \"c\": []\n}",
           "json_pretty_except: a skipped first key leaves no comma");
    free(p);
    p = json_pretty_except(o, (const char *const[]){"b", "type", "c"}, 3, NULL);
    is_str(p, "{}", "json_pretty_except: every key skipped is {}");
    free(p);
    cJSON_Delete(o);
    kv_vault_free(va);
    kv_vault_free(vgp);
    cJSON_Delete(a);
    cJSON_Delete(g);
}

int
main(void)
{
    test_pretty();
    test_graph_vault();
    test_pages();
    test_errors();
    test_vault();
    test_pec();
    test_secrets();
    test_json_times();
    test_challenge();
    test_urls();
    test_ids();
    return tap_done();
}
