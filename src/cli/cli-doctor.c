/*
 * cli-doctor.c — `kvdeck doctor [--json]`: what stands between this host
 * and Azure Key Vault, one line per check — "ok|warn|fail  WHAT  —
 * detail / what to do" — in a fixed order: the config file (here), then
 * the engine's DOCTOR job (engine/doctor.h): cloud, proxy, CA, DNS and
 * TLS to the sign-in host, Resource Manager and a vault host, the clock,
 * the credentials, a token per audience, the keyring. A config file that
 * cannot be used fails its line and the rest runs with the defaults.
 * Never asks for a device code. Exit 0 when nothing failed (warnings
 * allowed), 1 when something did.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"
#include "engine/doctor.h"

/* The config file's line (level, detail: caller frees). */
static enum doctor_level
doctor_config(struct cli *c, char **detail)
{
    if (c->s->config_error != NULL) {
        *detail = xasprintf(_("%s — the defaults are used below"),
                            c->s->config_error);
        return DOCTOR_FAIL;
    }
    if (c->s->cfg->path != NULL) {
        *detail = xasprintf(_("%s: read"), c->s->cfg->path);
        return DOCTOR_OK;
    }
    char *def = settings_default_path();
    *detail = def != NULL ? xasprintf(_("none at %s: the defaults and the "
                                        "environment are used"),
                                      def)
                          : xstrdup(_("none (neither XDG_CONFIG_HOME nor HOME "
                                      "is set): the defaults are used"));
    free(def);
    return DOCTOR_OK;
}

/* Columns a UTF-8 string takes (one per character). */
static int
cols(const char *s)
{
    int n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void
doctor_print(struct cli *c, const struct doctor_line *const *lines, size_t n)
{
    if (c->json) {
        bool failed = false;
        for (size_t i = 0; i < n; i++)
            failed |= lines[i]->level == DOCTOR_FAIL;
        printf("{\"ok\": %s,\n \"checks\": [", failed ? "false" : "true");
        for (size_t i = 0; i < n; i++) {
            printf("%s\n  {\"check\": ", i > 0 ? "," : "");
            cli_json_string(stdout, lines[i]->key);
            printf(", \"name\": ");
            cli_json_string(stdout, lines[i]->what);
            printf(", \"status\": \"%s\", \"detail\": ",
                   doctor_level_name(lines[i]->level));
            cli_json_string(stdout, lines[i]->detail);
            printf("}");
        }
        printf("\n]}\n");
        return;
    }
    int w = 0;
    for (size_t i = 0; i < n; i++)
        if (cols(lines[i]->what) > w)
            w = cols(lines[i]->what);
    for (size_t i = 0; i < n; i++) {
        const struct doctor_line *l = lines[i];
        int pad = w - cols(l->what) + (int)strlen(l->what);
        printf("%-4s  %-*s  — %s\n", doctor_level_name(l->level), pad, l->what,
               l->detail);
    }
}

/* Opens the session the doctor needs: no device code, a bad config file
 * tolerated. CLI_OK, or CLI_FAILED with the reason printed as a line. */
static int
doctor_session(struct cli *c)
{
    struct session_options o = {
        .cloud = c->g->cloud,
        .config_path = c->g->config_path,
        .demo = c->g->demo,
        .demo_seed = c->g->demo_seed,
        .auth = c->g->auth,
        .config_errors_ok = true,
    };
    char *why = NULL;
    if (session_open(&o, &c->s, &why) != KV_OK) {
        struct doctor_line l = {.level = DOCTOR_FAIL,
                                .what = xstrdup(_("setup")),
                                .detail = why,
                                .key = xstrdup("setup")};
        const struct doctor_line *one = &l;
        doctor_print(c, &one, 1);
        free(l.what);
        free(l.key);
        free(why);
        return CLI_FAILED;
    }
    c->e = c->s->eng;
    engine_on_sign_in(c->e, cli_sign_in_deliver, c);
    return CLI_OK;
}

int
cli_doctor(struct cli *c)
{
    int rc = doctor_session(c);
    if (rc != CLI_OK)
        return rc;
    const struct settings *cfg = c->s->cfg;
    struct doctor_input in = {
        .ca_file = c->s->demo != NULL ? c->s->demo->ca_file : cfg->ca_file,
        .vault = cfg->vault,
        .config_secret = cfg->client_secret != NULL,
        .certificate = cfg->client_certificate,
        .certificate_password = cfg->client_certificate_password,
        .tenant = cfg->tenant,
        .client_id = cfg->client_id,
        .managed_identity = cfg->managed_identity,
        .auth = c->g->auth != NULL ? c->g->auth : cfg->auth,
    };
    struct doctor_line config = {.what = xstrdup(_("config file")),
                                 .key = xstrdup("config")};
    config.level = doctor_config(c, &config.detail);
    struct result *r = cli_wait_job(c, job_doctor(&in), NULL, NULL);
    if (r == NULL || r->type == RESULT_ERROR) {
        free(config.what);
        free(config.key);
        free(config.detail);
        rc = cli_fail_result(c, r);
        result_free(r);
        return rc;
    }
    size_t n = r->items.len + 1;
    const struct doctor_line **lines = xcalloc(n, sizeof *lines);
    lines[0] = &config;
    for (size_t i = 1; i < n; i++)
        lines[i] = r->items.items[i - 1];
    doctor_print(c, lines, n);
    rc = CLI_OK;
    for (size_t i = 0; i < n; i++)
        if (lines[i]->level == DOCTOR_FAIL)
            rc = CLI_FAILED;
    free(lines);
    free(config.what);
    free(config.key);
    free(config.detail);
    result_free(r);
    return rc;
}
