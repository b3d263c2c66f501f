/*
 * explain.c — a 403 as a sentence: the missing permission, for whom,
 * access policy or RBAC. explain_forbidden() is pure (unit-tested);
 * explain_plan() finds what it needs in the console's store.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "tui/app.h"
#include "tui/explain.h"

const char *
explain_permission(const char *op)
{
    static const struct {
        const char *op, *perm;
    } map[] = {
        {"secret-set", "set"},          {"secret-update", "set"},
        {"secret-disable", "set"},      {"secret-enable", "set"},
        {"secret-delete", "delete"},    {"secret-recover", "recover"},
        {"secret-purge", "purge"},      {"secret-read", "get"},
        {"secret-verify", "get"},       {"secret-check-latest", "get"},
        {"secret-check-absent", "get"}, {"secret-list", "list"},
    };
    for (size_t i = 0; op != NULL && i < sizeof map / sizeof map[0]; i++)
        if (str_eq(op, map[i].op))
            return map[i].perm;
    return NULL;
}

/* The RBAC data action and a built-in role that grants a permission. */
static void
explain_rbac(const char *perm, const char **action, const char **role)
{
    *role = "Key Vault Secrets Officer";
    if (str_eq(perm, "get")) {
        *action = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
        *role = "Key Vault Secrets User";
    } else if (str_eq(perm, "set")) {
        *action = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
    } else if (str_eq(perm, "delete")) {
        *action = "Microsoft.KeyVault/vaults/secrets/delete";
    } else if (str_eq(perm, "recover")) {
        *action = "Microsoft.KeyVault/vaults/secrets/recover/action";
    } else if (str_eq(perm, "purge")) {
        *action = "Microsoft.KeyVault/vaults/deletedSecrets/delete";
    } else if (str_eq(perm, "list")) {
        *action = "Microsoft.KeyVault/vaults/secrets/readMetadata/action";
        *role = "Key Vault Reader";
    } else {
        *action = NULL;
    }
}

/* The text after key in msg up to one of the stop characters (caller
 * frees), or NULL. */
static char *
explain_field(const char *msg, const char *key, const char *stop)
{
    const char *p = msg != NULL ? str_icontains(msg, key) : NULL;
    if (p == NULL)
        return NULL;
    p += strlen(key);
    size_t n = strcspn(p, stop);
    return n > 0 ? xstrndup(p, n) : NULL;
}

/* "application A (object O)" from Azure's message, else the client id
 * the console signed in with. Caller frees; NULL when unknown. */
static char *
explain_principal(const char *msg, const char *fallback)
{
    char *appid = explain_field(msg, "appid=", ";' \r\n");
    char *oid = explain_field(msg, "oid=", ";' \r\n");
    char *who = NULL;
    if (appid != NULL && oid != NULL)
        /* TRANSLATORS: the principal a 403 names: application (client)
         * id and object id */
        who = xasprintf(_("application %s (object %s)"), appid, oid);
    else if (appid != NULL || fallback != NULL)
        who = xasprintf(_("application %s"), appid ? appid : fallback);
    free(appid);
    free(oid);
    return who;
}

char *
explain_forbidden(const struct plan_failure *f, const char *op,
                  const struct explain_who *w)
{
    if (f == NULL || f->http_status != 403)
        return NULL;
    const char *code = f->inner_code != NULL ? f->inner_code : f->code;
    if (str_ieq(code, "ForbiddenByFirewall") ||
        str_ieq(code, "ForbiddenByConnection"))
        return xstrdup(_("The vault's network rules (firewall or private "
                         "endpoint) refused the request; no permission is "
                         "missing, the request must come from an allowed "
                         "network."));
    /* A Resource Manager refusal (AuthorizationFailed on a vault,
     * endpoint or AI services account) names the action and the scope
     * in Azure's own words, and the plan's step adds its advice (e.g.
     * plan-source-ops.c): the sentences below are for the data plane. */
    if (explain_permission(op) == NULL && f->inner_code == NULL &&
        !str_icontains(f->message ? f->message : "", "does not have secrets") &&
        !str_ieq(code, "Forbidden") && !str_ieq(code, "AccessDenied") &&
        !str_ieq(code, "ForbiddenByRbac") &&
        !str_ieq(code, "ForbiddenByPolicy"))
        return NULL;
    /* The permission: Azure's message names it ("does not have secrets
     * set permission"); else the one the operation needs. */
    char *perm = explain_field(f->message, "does not have secrets ", " ");
    if (perm == NULL && explain_permission(op) != NULL)
        perm = xstrdup(explain_permission(op));
    char *action = explain_field(f->message, "Action: '", "'");
    char *who = explain_principal(f->message, w->principal);
    const char *vault = w->vault != NULL ? w->vault : _("the vault");
    const char *whom = who != NULL ? who : _("the signed-in principal");
    int rbac = str_ieq(code, "ForbiddenByRbac") ? 1
               : str_ieq(code, "AccessDenied") ||
                       str_ieq(code, "ForbiddenByPolicy") ||
                       str_icontains(f->message ? f->message : "",
                                     "does not have secrets")
                   ? 0
                   : w->rbac;
    const char *rb_action = NULL, *role = NULL;
    explain_rbac(perm, &rb_action, &role);
    if (action == NULL && rb_action != NULL)
        action = xstrdup(rb_action);
    const char *p = perm != NULL ? perm : "?";
    char *out;
    if (rbac == 0)
        out = xasprintf(_("Missing permission: %s has no \"%s\" secret "
                          "permission in the access policies of %s. Someone "
                          "who manages the vault can add \"%s\" to the "
                          "secret permissions of its access policy."),
                        whom, p, vault, p);
    else if (rbac == 1)
        out = xasprintf(_("Missing permission: %s has no role assignment on "
                          "%s that allows %s (the vault uses Azure RBAC). A "
                          "role such as %s grants it; an owner of the vault "
                          "can assign it."),
                        whom, vault, action ? action : p, role);
    else
        out = xasprintf(_("Missing permission: %s may not \"%s\" secrets in "
                          "%s. Add \"%s\" to its access policy, or assign "
                          "a role such as %s when the vault uses Azure "
                          "RBAC."),
                        whom, p, vault, p, role);
    free(perm);
    free(action);
    free(who);
    return out;
}

/* "https://host[:port]" of a data-plane URL (caller frees), or NULL. */
static char *
explain_base(const char *url)
{
    if (url == NULL || !str_istarts(url, "https://"))
        return NULL;
    return xstrndup(url, 8 + strcspn(url + 8, "/?#"));
}

char *
explain_plan(struct app *a, const struct plan *p)
{
    for (size_t i = 0; p != NULL && i < plan_steps(p); i++) {
        const struct plan_failure *f = plan_step_failure(p, i);
        if (f == NULL || f->http_status != 403)
            continue;
        char *base = explain_base(plan_step_target(p, i));
        struct store_vault *v =
            base != NULL ? store_find_vault(a->store, base) : NULL;
        free(base);
        const char *principal = engine_principal(a->eng);
        struct explain_who w = {
            .principal = principal,
            .rbac = v == NULL || v->by_uri ? -1
                    : v->vault->rbac       ? 1
                                           : 0,
            .vault = v != NULL ? v->vault->name : NULL,
        };
        return explain_forbidden(f, plan_step_op(p, i), &w);
    }
    return NULL;
}
