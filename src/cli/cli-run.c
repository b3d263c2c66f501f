/*
 * cli-run.c — driving the engine from a batch command: open the session,
 * wait for a job's results, turn failures into exit codes and messages,
 * and review, confirm and run a plan.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"

int
cli_session(struct cli *c)
{
    if (c->e != NULL)
        return CLI_OK;
    struct session_options o = {
        .cloud = c->g->cloud,
        .config_path = c->g->config_path,
        .demo = c->g->demo,
        .demo_seed = c->g->demo_seed,
        .auth = c->device_code ? "device-code" : c->g->auth,
        .tenant = c->login ? c->tenant : NULL,
        /* a device code is shown on stderr: only to a person */
        .interactive = c->login || isatty(2),
    };
    char *why = NULL;
    if (session_open(&o, &c->s, &why) != KV_OK) {
        fprintf(stderr, "kvdeck: %s\n", why);
        free(why);
        return CLI_USAGE;
    }
    c->e = c->s->eng;
    engine_on_sign_in(c->e, cli_sign_in_deliver, c);
    return CLI_OK;
}

char *
cli_vault_uri(struct cli *c, const char *vault)
{
    if (str_istarts(vault, "https://"))
        return str_rstrip_slash(vault);
    return engine_vault_uri(c->e, vault);
}

char *
cli_vault_name(const char *vault)
{
    if (!str_istarts(vault, "https://"))
        return xstrdup(vault);
    const char *h = vault + 8;
    return xstrndup(h, strcspn(h, ".:/"));
}

struct result *
cli_wait_job(struct cli *c, struct job *j, struct vec *items,
             struct secret **value)
{
    uint64_t id = engine_submit(c->e, j);
    if (id == 0)
        return NULL;
    for (;;) {
        struct result *r = engine_wait_result(c->e, -1);
        if (r == NULL || r->job_id != id) {
            if (r != NULL)
                result_dispatch(r); /* a sign-in's news */
            result_free(r);
            continue;
        }
        switch (r->type) {
        case RESULT_PAGE:
            for (size_t i = 0; items != NULL && i < r->items.len; i++) {
                vec_push(items, r->items.items[i]);
                r->items.items[i] = NULL;
            }
            if (value != NULL && r->value != NULL) {
                secret_free(*value);
                *value = r->value;
                r->value = NULL;
            }
            result_free(r);
            break;
        case RESULT_PROGRESS:
            if (isatty(2))
                fprintf(stderr, "kvdeck: %s\n", r->message);
            result_free(r);
            break;
        case RESULT_DONE:
        case RESULT_ERROR:
            return r;
        default:
            result_free(r);
        }
    }
}

/* Which exit code a failure gets (see enum cli_exit). */
static int
cli_exit_for(enum kv_status st, long http, const char *code)
{
    if (http == 401 || st == KV_ERR_AUTH || st == KV_ERR_SIGNIN_DECLINED ||
        st == KV_ERR_SIGNIN_EXPIRED || st == KV_ERR_SIGNIN_CODE)
        return CLI_AUTH;
    /* Key Vault's and Resource Manager's (AuthorizationFailed,
     * LinkedAuthorizationFailed) codes for a missing permission */
    if (http == 403 && code != NULL && strcmp(code, "Forbidden") != 0 &&
        strcmp(code, "AccessDenied") != 0 &&
        strcmp(code, "ForbiddenByRbac") != 0 &&
        strcmp(code, "ForbiddenByPolicy") != 0 &&
        strcmp(code, "AuthorizationFailed") != 0 &&
        strcmp(code, "LinkedAuthorizationFailed") != 0)
        return CLI_FAILED; /* e.g. a disabled secret, not a permission */
    if (http == 403 || st == KV_ERR_FORBIDDEN)
        return CLI_AUTH;
    if (http == 404 || st == KV_ERR_NOT_FOUND)
        return CLI_NOT_FOUND;
    if (http == 409 || st == KV_ERR_CONFLICT)
        return CLI_REFUSED;
    return CLI_FAILED;
}

int
cli_fail(struct cli *c, enum kv_status st, long http, const char *code,
         const char *inner, const char *message, const char *request_id)
{
    const char *msg = message != NULL ? message : kv_status_message(st);
    bool deleted = str_eq(inner, "ObjectIsDeletedButRecoverable") ||
                   str_eq(code, "ObjectIsDeletedButRecoverable");
    if (deleted) {
        fprintf(stderr,
                _("kvdeck %s: %s is deleted but can be recovered: run "
                  "kvdeck secret recover %s %s (or purge it first)\n"),
                c->cmd, c->npos > 1 ? c->pos[1] : "?",
                c->npos > 0 ? c->pos[0] : "VAULT",
                c->npos > 1 ? c->pos[1] : "NAME");
        return CLI_REFUSED;
    }
    int rc = cli_exit_for(st, http, inner != NULL ? inner : code);
    /* The value read back differs: the write failed, nothing refused. */
    if (str_eq(code, "VerifyMismatch"))
        rc = CLI_FAILED;
    if (rc == CLI_AUTH && (http == 403 || st == KV_ERR_FORBIDDEN))
        fprintf(stderr, _("kvdeck %s: not authorised: %s\n"), c->cmd, msg);
    else if (rc == CLI_AUTH)
        fprintf(stderr, _("kvdeck %s: not signed in: %s\n"), c->cmd, msg);
    else
        fprintf(stderr, "kvdeck %s: %s\n", c->cmd, msg);
    if (request_id != NULL)
        fprintf(stderr, _("  (request id %s)\n"), request_id);
    /* the data plane does not admit this host: Resource Manager can
     * still write the secret */
    bool network = str_ieq(inner, "ForbiddenByConnection") ||
                   str_ieq(inner, "ForbiddenByFirewall") ||
                   str_ieq(code, "ForbiddenByConnection") ||
                   str_ieq(code, "ForbiddenByFirewall");
    if (network && c->arm_hint == CLI_HINT_WRITE)
        fprintf(stderr,
                _("  the vault's data plane does not admit this host (public "
                  "network access disabled, or a firewall rule): write "
                  "through Resource Manager instead with --via-arm\n"));
    else if (network && c->arm_hint == CLI_HINT_LIST)
        fprintf(stderr,
                _("  the vault's data plane does not admit this host (public "
                  "network access disabled, or a firewall rule): --via-arm "
                  "lists the secrets' names and attributes through Resource "
                  "Manager\n"));
    return rc;
}

int
cli_fail_result(struct cli *c, const struct result *r)
{
    if (r == NULL) {
        fprintf(stderr, _("kvdeck %s: the engine stopped\n"), c->cmd);
        return CLI_FAILED;
    }
    return cli_fail(c, r->status, r->http_status, r->error_code, r->inner_code,
                    r->message, r->request_id);
}
