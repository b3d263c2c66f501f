/*
 * test-actions.c — the pure pieces of the console's secret actions: the
 * attribute form's day parsing (action_parse_day) and the 403 sentence
 * (explain_forbidden, explain_permission) for access policies, RBAC,
 * network rules, and a principal named by Azure or by the console.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "tui/action.h"
#include "tui/explain.h"

static void
test_days(void)
{
    int64_t t = -1;
    ok(action_parse_day("", &t) == NULL && t == 0, "empty clears the date");
    ok(action_parse_day("2031-01-02", &t) == NULL, "a day is accepted");
    is_int((int)(t / 86400), 22281, "2031-01-02 is day 22281 since 1970");
    is_int((int)(t % 86400), 0, "at midnight");
    ok(action_parse_day("2031-02-30", &t) != NULL, "30 February is refused");
    ok(action_parse_day("2031-2-3", &t) != NULL, "short fields refused");
    ok(action_parse_day("2031-01-02x", &t) != NULL, "trailing text refused");
    ok(action_parse_day("31-01-2031", &t) != NULL, "day first refused");
    ok(action_parse_day("2031-13-01", &t) != NULL, "month 13 refused");
    ok(action_parse_day("1969-12-31", &t) != NULL, "before 1970 refused");
}

static void
test_explain(void)
{
    struct plan_failure f = {
        .status = KV_ERR_FORBIDDEN,
        .http_status = 403,
        .code = (char *)"Forbidden",
        .inner_code = (char *)"AccessDenied",
        .message = (char *)"The user, group or application "
                           "'appid=11-22;oid=33-44;iss=https://sts/' does not "
                           "have secrets set permission on key vault "
                           "'kv-x;location=eastus'.",
    };
    struct explain_who w = {
        .principal = "client-9", .rbac = -1, .vault = "kv-x"};
    char *s = explain_forbidden(&f, "secret-delete", &w);
    ok(s != NULL, "a 403 is explained");
    ok(s && strstr(s, "\"set\""), "the permission Azure names wins over the "
                                  "operation's");
    ok(s && strstr(s, "application 11-22 (object 33-44)"),
       "the principal Azure names");
    ok(s && strstr(s, "access policies of kv-x"), "access policy, the vault");
    free(s);

    f.message = (char *)"Forbidden";
    f.inner_code = NULL;
    w.rbac = 1;
    s = explain_forbidden(&f, "secret-purge", &w);
    ok(s && strstr(s, "Azure RBAC"), "an RBAC vault: RBAC");
    ok(s && strstr(s, "deletedSecrets/delete"), "the purge data action");
    ok(s && strstr(s, "application client-9"), "the console's principal");
    free(s);

    f.inner_code = (char *)"ForbiddenByRbac";
    f.message = (char *)"Caller is not authorized. Action: "
                        "'Microsoft.KeyVault/vaults/secrets/setSecret/action'"
                        " Resource: 'x'";
    w.rbac = 0;
    s = explain_forbidden(&f, "secret-set", &w);
    ok(s && strstr(s, "Azure RBAC") && strstr(s, "setSecret/action"),
       "ForbiddenByRbac: the action from the message, whatever w says");
    ok(s && strstr(s, "Key Vault Secrets Officer"), "and a role for it");
    free(s);

    f.inner_code = (char *)"ForbiddenByFirewall";
    s = explain_forbidden(&f, "secret-set", &w);
    ok(s && strstr(s, "network rules") && !strstr(s, "Missing permission"),
       "a firewall refusal is not a missing permission");
    free(s);

    f.inner_code = NULL;
    f.message = (char *)"Forbidden";
    w.rbac = -1;
    w.principal = NULL;
    w.vault = NULL;
    s = explain_forbidden(&f, "secret-recover", &w);
    ok(s && strstr(s, "\"recover\"") && strstr(s, "access policy") &&
           strstr(s, "RBAC") && strstr(s, "the signed-in principal"),
       "unknown model: both ways, the operation's permission");
    free(s);

    /* Resource Manager's refusal of an action on an AI services account
     * (rotation at the source): not a secret permission */
    f.code = (char *)"AuthorizationFailed";
    f.message = (char *)"The client 'c' with object id 'o' does not have "
                        "authorization to perform action 'Microsoft."
                        "CognitiveServices/accounts/listKeys/action' over "
                        "scope '/subscriptions/s/...'";
    ok(explain_forbidden(&f, "source-read", &w) == NULL,
       "Resource Manager's AuthorizationFailed: Azure's words, no secret "
       "permission made up");
    s = explain_forbidden(&f, "secret-set", &w);
    ok(s && strstr(s, "\"set\""), "a secret step's 403 is still explained");
    free(s);
    f.code = NULL;

    f.http_status = 404;
    ok(explain_forbidden(&f, "secret-set", &w) == NULL, "not a 403: nothing");
    is_str(explain_permission("secret-update"), "set", "a PATCH needs set");
    is_str(explain_permission("secret-verify"), "get", "a read needs get");
    ok(explain_permission("vault-create") == NULL, "unknown op: none");
}

int
main(void)
{
    test_days();
    test_explain();
    return tap_done();
}
