/*
 * cli-login.c — `kvdeck login [--device-code] [--tenant T] [--json]`:
 * signs in (the chain, or a device code with --device-code) by asking
 * Resource Manager for the subscriptions, and says who is signed in. And
 * for every batch command, a person's sign-in news on standard error:
 * the page and the code to enter, the server asking to be polled less
 * often, who signed in. Standard output stays the command's (a script's
 * JSON is never mixed with the code).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

void
cli_sign_in_deliver(void *ctx, struct result *r)
{
    struct cli *c = ctx;
    const struct engine_sign_in *s = r->sign_in;
    if (s == NULL)
        return;
    switch (s->event) {
    case SIGN_IN_CODE: {
        long mins = (long)((s->expires_at - time_now() + 59) / 60);
        fprintf(stderr,
                _("kvdeck: to sign in, open %s in a browser and enter the "
                  "code %s (valid for %ld min)\n"),
                s->verification_uri, s->user_code, mins > 0 ? mins : 1);
        fprintf(stderr, "%s\n", _("kvdeck: waiting for you to sign in..."));
        break;
    }
    case SIGN_IN_SLOW_DOWN:
        fprintf(stderr,
                _("kvdeck: the sign-in server asks to be polled less often: "
                  "every %d s now\n"),
                s->interval);
        break;
    case SIGN_IN_DONE:
        if (c->login) {
            free(c->signed_in);
            c->signed_in = s->account != NULL ? xstrdup(s->account) : NULL;
        } else {
            fprintf(stderr, _("kvdeck: signed in as %s\n"),
                    s->account != NULL ? s->account : _("(unknown account)"));
        }
        break;
    case SIGN_IN_FAILED: /* the command's own failure says why */
    default:
        break;
    }
    fflush(stderr);
}

int
cli_login(struct cli *c)
{
    struct vec subs = VEC_INIT;
    struct result *r = cli_wait_job(c, job_list_subscriptions(), &subs, NULL);
    int rc;
    if (r == NULL || r->type != RESULT_DONE) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    const char *cred = engine_credential_name(c->e);
    const char *who =
        c->signed_in != NULL ? c->signed_in : engine_principal(c->e);
    const char *tenant = NULL;
    if (subs.len > 0)
        tenant = ((struct kv_subscription *)subs.items[0])->tenant_id;
    if (c->json) {
        fputs("{\"account\": ", stdout);
        cli_json_string(stdout, who);
        fputs(", \"credential\": ", stdout);
        cli_json_string(stdout, cred);
        fputs(", \"tenant\": ", stdout);
        cli_json_string(stdout, tenant);
        printf(", \"subscriptions\": %zu}\n", subs.len);
    } else {
        printf(_("Signed in as %s (%s)"), who != NULL ? who : _("(unknown)"),
               cred != NULL ? cred : _("no credential"));
        if (tenant != NULL)
            printf(_(", tenant %s"), tenant);
        printf(_(": %zu subscriptions\n"), subs.len);
    }
    /* where the sign-in is kept decides whether the next start asks
     * again: say so when it is memory only */
    if (engine_tokens_memory_only(c->e)) {
        const char *why = engine_token_storage_why(c->e);
        fprintf(stderr,
                _("kvdeck: tokens in memory only (%s): the next start signs "
                  "in again\n"),
                why != NULL ? why : _("no keyring"));
    }
    rc = CLI_OK;
out:
    for (size_t i = 0; i < subs.len; i++)
        kv_subscription_free(subs.items[i]);
    vec_free(&subs);
    result_free(r);
    free(c->signed_in);
    c->signed_in = NULL;
    return rc;
}
