/*
 * test-plan-source.c — the rotate-source plans as data (no network):
 * the account from the source-resource-id tag or --account (which wins),
 * refused without one or with an id that is not an AI services
 * account's; the steps, which of them write, their targets, the typed
 * name asked for when the old key is regenerated now, the retire-later
 * step, the due retirement's three steps, and the summary of a plan that
 * has not run.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine/plan-source.h"
#include "tests/tap.h"

#define ACCT                                                                   \
    "/subscriptions/s1/resourceGroups/rg-ai-prod/providers/"                   \
    "Microsoft.CognitiveServices/accounts/contoso-ai"

static char *
ops_of(const struct plan *p)
{
    char *s = xstrdup("");
    for (size_t i = 0; i < plan_steps(p); i++) {
        char *n = xasprintf("%s%s%s%s", s, i ? "," : "", plan_step_op(p, i),
                            plan_step_writes(p, i) ? "*" : "");
        free(s);
        s = n;
    }
    return s;
}

int
main(void)
{
    struct kv_secret_version cur = {.version = xstrdup("8bdc51b7aa"),
                                    .content_type = xstrdup("text/plain")};
    struct source_change c = {
        .vault_uri = "https://kv-contoso-ai-prod.vault.azure.net",
        .vault_name = "kv-contoso-ai-prod",
        .name = "openai-api-key",
        .current = &cur,
        .retire = RETIRE_NOW,
        .now = 1800000000,
    };
    char *why = NULL;
    struct plan *p = plan_rotate_source(&c, &why);
    ok(p == NULL && why && strstr(why, "source-resource-id") &&
           strstr(why, "--account"),
       "no tag, no --account: refused (%s)", why ? why : "");
    free(why);

    c.account_id = "/subscriptions/s1/resourceGroups/rg/providers/"
                   "Microsoft.KeyVault/vaults/kv-x";
    p = plan_rotate_source(&c, &why);
    ok(p == NULL && why && strstr(why, "is not the id of an AI services"),
       "a vault's id: refused (%s)", why ? why : "");
    free(why);

    c.account_id = NULL;
    kv_tags_set(&cur.tags, "source-resource-id", ACCT);
    kv_tags_set(&cur.tags, "provider", "azure-openai");
    p = plan_rotate_source(&c, &why);
    ok(p != NULL, "the tag names the account");
    char *ops = ops_of(p);
    is_str(ops,
           "source-read,source-regenerate*,secret-set*,secret-verify,"
           "source-probe,source-regenerate-old*,secret-disable*",
           "retire now: the steps (* writes)");
    free(ops);
    is_str(plan_kind(p), "rotate-source", "kind");
    is_str(plan_confirm_name(p), "contoso-ai",
           "regenerating the old key asks for the account's name");
    is_str(plan_step_target(p, 0), ACCT, "the read's target is the account");
    is_str(plan_step_target(p, 2),
           "https://kv-contoso-ai-prod.vault.azure.net/secrets/openai-api-key",
           "the write's target is the secret");
    is_str(plan_step_target(p, 6),
           "https://kv-contoso-ai-prod.vault.azure.net/secrets/"
           "openai-api-key/8bdc51b7aa",
           "the disable's target is the old version");
    ok(strstr(plan_step_text(p, 5), "loses access") != NULL,
       "the old key's regeneration says it closes access");
    ok(!plan_step_has_undo(p, 1) && !plan_step_has_undo(p, 5),
       "no undo for a regenerate");
    is_str(plan_source_account(p), "contoso-ai", "the account's name");
    ok(plan_source_old_key(p) == NULL && !plan_source_endpoint_ok(p),
       "nothing known before the run");
    char *sum = plan_source_summary(p);
    ok(strstr(sum, "Nothing was changed") != NULL, "summary: %s", sum);
    free(sum);
    plan_free(p);

    c.retire = RETIRE_LATER;
    c.retire_after = 7 * 86400;
    p = plan_rotate_source(&c, &why);
    ops = ops_of(p);
    is_str(ops,
           "source-read,source-regenerate*,secret-set*,secret-verify,"
           "source-probe,retire-later",
           "retire later: the journal's step last");
    free(ops);
    ok(plan_confirm_name(p) == NULL, "nothing closed now: no typed name");
    plan_free(p);

    c.retire = RETIRE_KEEP;
    c.account_id = "/subscriptions/s1/resourceGroups/rg/providers/"
                   "Microsoft.CognitiveServices/accounts/other-ai";
    p = plan_rotate_source(&c, &why);
    is_int(plan_steps(p), 5, "keep: five steps");
    is_str(plan_source_account(p), "other-ai", "--account wins over the tag");
    plan_free(p);

    c.account_id = NULL;
    p = plan_source_retire(&c, "0123456789abcdef", &why);
    ops = ops_of(p);
    is_str(ops, "source-read,source-regenerate-old*,secret-disable*",
           "the due retirement: read, regenerate the old key, disable");
    free(ops);
    is_str(plan_kind(p), "rotate-source-retire", "its kind");
    is_str(plan_confirm_name(p), "contoso-ai", "typed name");
    plan_free(p);
    ok(plan_source_retire(&c, NULL, &why) == NULL, "no version: refused");
    free(why);

    free(cur.version);
    free(cur.content_type);
    kv_tags_free(&cur.tags);
    return tap_done();
}
