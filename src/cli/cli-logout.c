/*
 * cli-logout.c — `kvdeck logout [--tenant T | --all] [--json]`: forgets
 * the refresh tokens kvdeck kept in the desktop keyring for this cloud
 * and tenant (every kvdeck token with --all), and says which. Nothing
 * stored is not a failure: exit 0 and "nothing stored". The keyring is
 * touched on the engine's worker (a TOKENS job), never here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "cli/cli-int.h"
#include "engine/keyring.h"

/* The tenant whose tokens go: --tenant, else the configuration's, else
 * AZURE_TENANT_ID; NULL: every tenant of the cloud. */
static const char *
logout_tenant(const struct cli *c)
{
    if (c->tenant != NULL && *c->tenant != '\0')
        return c->tenant;
    if (c->s != NULL && c->s->cfg != NULL && c->s->cfg->tenant != NULL &&
        *c->s->cfg->tenant != '\0')
        return c->s->cfg->tenant;
    const char *env = getenv("AZURE_TENANT_ID");
    return env != NULL && *env != '\0' ? env : NULL;
}

static void
logout_json(const struct result *r)
{
    printf("{\"storage\":");
    cli_json_string(stdout, strncmp(r->message, "keyring", 7) == 0
                                ? "keyring"
                                : "memory only");
    printf(",\"removed\":[");
    for (size_t i = 0; i < r->items.len; i++) {
        const struct keyring_entry *en = r->items.items[i];
        printf("%s{\"cloud\":", i > 0 ? "," : "");
        cli_json_string(stdout, en->cloud);
        printf(",\"tenant\":");
        cli_json_string(stdout, en->tenant);
        printf(",\"account\":");
        cli_json_string(stdout, en->account);
        printf(",\"clientId\":");
        cli_json_string(stdout, en->client_id);
        printf("}");
    }
    printf("]}\n");
}

int
cli_logout(struct cli *c)
{
    if (c->all && c->tenant != NULL) {
        fprintf(stderr,
                _("kvdeck %s: --all and --tenant do not go "
                  "together\n"),
                c->cmd);
        return CLI_USAGE;
    }
    const char *tenant = c->all ? NULL : logout_tenant(c);
    struct result *r =
        cli_wait_job(c, job_tokens_forget(tenant, c->all), NULL, NULL);
    if (r == NULL || r->type == RESULT_ERROR) {
        int rc = cli_fail_result(c, r);
        result_free(r);
        return rc;
    }
    if (c->json) {
        logout_json(r);
        result_free(r);
        return CLI_OK;
    }
    for (size_t i = 0; i < r->items.len; i++) {
        const struct keyring_entry *en = r->items.items[i];
        /* TRANSLATORS: account, tenant, cloud */
        printf(_("removed the refresh token of %s (tenant %s, %s)\n"),
               en->account, en->tenant, en->cloud);
    }
    if (r->items.len == 0) {
        if (c->all)
            printf(_("nothing stored\n"));
        else if (tenant != NULL)
            /* TRANSLATORS: tenant, cloud */
            printf(_("nothing stored for tenant %s in %s\n"), tenant,
                   engine_cloud_name(c->e));
        else
            printf(_("nothing stored in %s\n"), engine_cloud_name(c->e));
    }
    if (strncmp(r->message, "keyring", 7) != 0) {
        const char *why = engine_token_storage_why(c->e);
        /* TRANSLATORS: %s says why ("no D-Bus session bus") */
        printf(_("(no keyring here: %s; kvdeck keeps tokens in memory "
                 "only, and they end with the program)\n"),
               why != NULL ? why : "-");
    }
    result_free(r);
    return CLI_OK;
}
