/*
 * cli-whoami.c — `kvdeck whoami [--json]`: who kvdeck signs in as. It
 * makes one Resource Manager call (the subscriptions, which every
 * signed-in identity may list) so that a token exists, then prints what
 * the token's claims name — the account (user principal name) or the
 * application, object id, tenant, kind — with the credential source, the
 * cloud and where tokens are kept. The token itself is never printed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli-int.h"

/* "-" for an empty claim. */
static const char *
dash(const char *s)
{
    return s != NULL && *s != '\0' ? s : "-";
}

/* A JSON member "name":"value" (null when empty), comma first unless
 * first. */
static void
member(const char *name, const char *value, bool first)
{
    printf("%s\n  \"%s\": ", first ? "" : ",", name);
    cli_json_string(stdout, value != NULL && *value != '\0' ? value : NULL);
}

/* Where refresh tokens are kept: asks the keyring (on the worker) once.
 * Returns a string owned by the engine, or a static one. */
static const char *
cli_token_storage(struct cli *c)
{
    if (engine_token_storage(c->e) == NULL)
        result_free(cli_wait_job(c, job_tokens_probe(), NULL, NULL));
    const char *where = engine_token_storage(c->e);
    return where != NULL ? where : _("not checked");
}

int
cli_whoami(struct cli *c)
{
    struct vec items = VEC_INIT;
    struct result *r = cli_wait_job(c, job_list_subscriptions(), &items, NULL);
    size_t subs = items.len;
    for (size_t i = 0; i < items.len; i++)
        kv_subscription_free(items.items[i]);
    vec_free(&items);
    if (r == NULL || r->type == RESULT_ERROR) {
        int rc = cli_fail_result(c, r);
        result_free(r);
        return rc;
    }
    result_free(r);
    struct engine_identity id;
    /* the worker copies the identity right after the turn that got the
     * token; the answer came later, but be patient with a busy host */
    for (int i = 0; i < 100 && !engine_identity(c->e, &id); i++)
        usleep(20000);
    if (id.tenant_id[0] == '\0' && id.display[0] == '\0') {
        fprintf(stderr,
                _("kvdeck %s: signed in, but the token names no one kvdeck "
                  "can read (not a JWT)\n"),
                c->cmd);
        return CLI_FAILED;
    }
    const char *cred = engine_credential_name(c->e);
    const char *tokens = cli_token_storage(c);
    if (c->json) {
        printf("{");
        member("account", id.account, true);
        member("name", id.name, false);
        member("appId", id.app_id, false);
        member("objectId", id.object_id, false);
        member("tenantId", id.tenant_id, false);
        member("type", id.kind, false);
        member("credential", cred, false);
        member("cloud", engine_cloud_name(c->e), false);
        member("tokenStorage", tokens, false);
        printf(",\n  \"subscriptions\": %zu\n}\n", subs);
        return CLI_OK;
    }
    /* TRANSLATORS: the labels of kvdeck whoami, padded to one column */
    if (id.account[0] != '\0')
        printf(_("account:        %s%s%s%s\n"), id.account,
               id.name[0] ? " (" : "", id.name, id.name[0] ? ")" : "");
    else
        printf(_("application:    %s\n"), dash(id.app_id));
    printf(_("type:           %s\n"), dash(id.kind));
    printf(_("object id:      %s\n"), dash(id.object_id));
    if (id.account[0] != '\0')
        printf(_("client:         %s\n"), dash(id.app_id));
    printf(_("tenant:         %s\n"), dash(id.tenant_id));
    printf(_("cloud:          %s\n"), dash(engine_cloud_name(c->e)));
    printf(_("signed in with: %s\n"), dash(cred));
    printf(_("tokens:         %s\n"), dash(tokens));
    printf(_("subscriptions:  %zu\n"), subs);
    return CLI_OK;
}
