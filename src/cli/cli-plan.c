/*
 * cli-plan.c — a plan from the command line: checked against
 * --read-only, shown for --dry-run, reviewed and confirmed on a terminal
 * (or accepted with --yes), run step by step with progress on stderr,
 * and its outcome printed (text, or JSON with --json).
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

/* The steps as JSON: [{"op","text","target","writes","state"[,"error"]}];
 * an error {"code"[,"inner_code"],"message","http_status","request_id"
 * [,"unknown":true]}. */
static void
cli_plan_json_steps(FILE *f, const struct plan *p)
{
    fputs("[", f);
    for (size_t i = 0; i < plan_steps(p); i++) {
        fputs(i ? ",{\"op\":" : "{\"op\":", f);
        cli_json_string(f, plan_step_op(p, i));
        fputs(",\"text\":", f);
        cli_json_string(f, plan_step_text(p, i));
        fputs(",\"target\":", f);
        cli_json_string(f, plan_step_target(p, i));
        fprintf(f, ",\"writes\":%s,\"state\":",
                plan_step_writes(p, i) ? "true" : "false");
        cli_json_string(f, step_state_key(plan_step_state(p, i)));
        const struct plan_failure *pf = plan_step_failure(p, i);
        if (pf != NULL) {
            /* Azure's shape: the code and, below it, the inner code
             * that says why (Conflict / ObjectIsDeletedButRecoverable) */
            fputs(",\"error\":{\"code\":", f);
            cli_json_string(f, pf->code != NULL ? pf->code : pf->inner_code);
            if (pf->inner_code != NULL && !str_eq(pf->inner_code, pf->code)) {
                fputs(",\"inner_code\":", f);
                cli_json_string(f, pf->inner_code);
            }
            fputs(",\"message\":", f);
            cli_json_string(f, pf->message);
            fprintf(f, ",\"http_status\":%ld,\"request_id\":", pf->http_status);
            cli_json_string(f, pf->request_id);
            if (pf->advice != NULL) {
                fputs(",\"advice\":", f);
                cli_json_string(f, pf->advice);
            }
            /* the write was accepted, then lost sight of: it may be in
             * place (the text report says so too) */
            if (pf->unknown)
                fputs(",\"unknown\":true", f);
            fputs("}", f);
        }
        fputs("}", f);
    }
    fputs("]", f);
}

/* A secret written through Resource Manager (--via-arm). */
static bool
cli_plan_is_arm(const struct plan *p)
{
    return strcmp(plan_kind(p), "secret-set-arm") == 0 ||
           strcmp(plan_kind(p), "rotate-arm") == 0;
}

/* The whole plan as one JSON object (dry run or outcome). */
static void
cli_plan_json(const struct cli *c, FILE *f, const struct plan *p,
              const char *outcome)
{
    fputs("{\"plan\":", f);
    cli_json_string(f, plan_kind(p));
    fputs(",\"plan_id\":", f);
    cli_json_string(f, plan_id(p));
    fputs(",\"title\":", f);
    cli_json_string(f, plan_title(p));
    fputs(",\"outcome\":", f);
    cli_json_string(f, outcome);
    if (strcmp(plan_kind(p), "rotate") == 0 ||
        strcmp(plan_kind(p), "secret-set") == 0 || cli_plan_is_arm(p))
        fprintf(f, ",\"verified\":%s", plan_verified(p) ? "true" : "false");
    /* through Resource Manager: the value cannot be read back, and the
     * old version stays enabled */
    if (cli_plan_is_arm(p))
        fputs(",\"via\":\"resource-manager\",\"valueVerified\":false,"
              "\"oldVersionEnabled\":true",
              f);
    fputs(",\"steps\":", f);
    cli_plan_json_steps(f, p);
    const struct kv_secret_version *v = plan_result_version(p);
    if (v != NULL) {
        fputs(",\"secret\":", f);
        cli_json_version(f, v, NULL);
    }
    const struct kv_vault *vault = plan_result_vault(p);
    if (vault != NULL) {
        fputs(",\"vault\":", f);
        cli_json_vault(f, vault);
    }
    if (strcmp(outcome, "dry-run") != 0) {
        cli_attach_outcome(c, f, p, true);
        cli_source_outcome(c, f, p, true);
    }
    fputs("}\n", f);
}

/* The review: title and numbered steps. */
static void
cli_plan_review(FILE *f, const struct plan *p)
{
    fprintf(f, "%s\n", plan_title(p));
    for (size_t i = 0; i < plan_steps(p); i++)
        fprintf(f, "  %zu. %s%s\n", i + 1, plan_step_text(p, i),
                plan_step_writes(p, i) ? _(" (writes)") : "");
}

/* Asks on the terminal; true when the user agreed. */
static bool
cli_plan_confirm(const struct plan *p)
{
    char line[256];
    const char *name = plan_confirm_name(p);
    if (name != NULL)
        fprintf(stderr, _("This cannot be undone here. Type %s to go on: "),
                name);
    else
        fprintf(stderr, _("Apply this plan? [y/N] "));
    fflush(stderr);
    if (fgets(line, sizeof line, stdin) == NULL)
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    if (name != NULL)
        return strcmp(line, name) == 0;
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
           strcmp(line, _("y")) == 0 || strcmp(line, "yes") == 0;
}

/* The first failed step's failure, or NULL. */
static const struct plan_failure *
cli_plan_failure(const struct plan *p)
{
    for (size_t i = 0; i < plan_steps(p); i++)
        if (plan_step_failure(p, i) != NULL)
            return plan_step_failure(p, i);
    return NULL;
}

/* Submits p and waits for its end; returns the plan handed back (or NULL
 * when the engine stopped) and the terminal result in *out. */
static struct plan *
cli_plan_apply(struct cli *c, struct plan *p, struct result **out)
{
    size_t n = plan_steps(p);
    bool tty = isatty(2);
    uint64_t id = engine_submit(c->e, job_plan(p, PLAN_APPLY));
    *out = NULL;
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
        if (r->type == RESULT_STEP && tty) {
            fprintf(stderr, "[%zu/%zu] %s%s%s\n", r->step + 1, n,
                    step_state_name(r->step_state),
                    r->message != NULL ? ": " : "",
                    r->message != NULL ? r->message : "");
        } else if (r->type == RESULT_PROGRESS && tty && r->message) {
            fprintf(stderr, "  %s\n", r->message);
        } else if (r->type == RESULT_DONE || r->type == RESULT_ERROR) {
            struct plan *back = r->plan;
            r->plan = NULL;
            *out = r;
            return back;
        }
        result_free(r);
    }
}

int
cli_plan(struct cli *c, struct plan *p)
{
    int rc = CLI_OK;
    struct result *r = NULL;
    if (c->g->read_only && plan_writes(p)) {
        fprintf(stderr,
                _("kvdeck %s: refused: --read-only, and this plan writes; "
                  "nothing was sent\n"),
                c->cmd);
        rc = CLI_REFUSED;
        goto out;
    }
    if (c->dry_run) {
        if (c->json)
            cli_plan_json(c, stdout, p, "dry-run");
        else
            cli_plan_review(stdout, p);
        goto out;
    }
    if (!c->yes) {
        if (!isatty(0)) {
            fprintf(stderr,
                    _("kvdeck %s: refused: this changes the vault and "
                      "standard input is not a terminal to confirm it on; "
                      "review with --dry-run, then run again with --yes\n"),
                    c->cmd);
            rc = CLI_REFUSED;
            goto out;
        }
        cli_plan_review(stderr, p);
        if (!cli_plan_confirm(p)) {
            fprintf(stderr, _("kvdeck %s: not confirmed; nothing was sent\n"),
                    c->cmd);
            rc = CLI_REFUSED;
            goto out;
        }
    }
    p = cli_plan_apply(c, p, &r);
    if (p == NULL) {
        rc = cli_fail_result(c, r);
        goto out;
    }
    const struct plan_failure *pf = cli_plan_failure(p);
    bool ok = r->type == RESULT_DONE && pf == NULL;
    if (c->json)
        cli_plan_json(c, stdout, p, ok ? "done" : "failed");
    char *report = plan_report(p);
    if (ok) {
        if (!c->json) {
            fputs(report, stdout);
            cli_attach_outcome(c, stdout, p, false);
            cli_source_outcome(c, stdout, p, false);
        }
        if (!c->json && cli_plan_is_arm(p))
            fputs(_("Written through Resource Manager: the value could not "
                    "be read back to verify it (Resource Manager never "
                    "returns a value); the new version's id and attributes "
                    "were checked. The old version stays enabled.\n"),
                  stdout);
    } else {
        fputs(report, stderr);
        if (!c->json)
            cli_source_outcome(c, stderr, p, false);
        if (pf != NULL)
            rc = cli_fail(c, pf->status, pf->http_status, pf->code,
                          pf->inner_code, pf->message, pf->request_id);
        else
            rc = cli_fail_result(c, r);
    }
    free(report);
out:
    result_free(r);
    plan_free(p);
    return rc;
}
