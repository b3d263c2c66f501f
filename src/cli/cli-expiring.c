/*
 * cli-expiring.c — `kvdeck secret expiring [--days N] [--subscription S]
 * [--json]` (issue #12): the secrets of every vault this sign-in can
 * list that expire within N days (30 by default), or whose rotation-days
 * tag makes a rotation due by then, soonest first, expired ones first.
 *
 * The vaults are listed the way `kvdeck vault list` lists them (every
 * subscription, or --subscription / the configuration's): one Resource
 * Graph query above graph-threshold subscriptions, else (or when it
 * refuses) several subscriptions' lists at a time; then one JOB_SCAN_EXPIRING
 * lists their secrets (engine/job-expiring.c). Progress ("12/40 vaults") goes
 * to stderr on a terminal. Vaults that could not be read are listed after the
 * secrets, never skipped; the exit status says so: 0 every vault was read, 3
 * some vault is not readable by kvdeck (403), 1 some vault's list failed
 * otherwise (or the vaults could not be listed), 2 usage.
 *
 * --json prints one array, stable: per secret {vault, name, expires
 * (ISO 8601 or null), days_left, content_type, rotation_due (ISO 8601 or
 * null), status: "expired" | "expiring" | "rotation-due"}; per vault not
 * read {vault, name: null, ..., status: "not-readable" | "failed",
 * error}.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cli/cli-int.h"
#include "engine/expiring.h"

#define SUBS_AT_ONCE 8 /* subscriptions' vault lists at the same time */

/* --days: a whole number of days, 0..36500. */
static int
xp_days(struct cli *c, int *days)
{
    *days = KV_EXPIRING_DAYS;
    if (c->days == NULL)
        return CLI_OK;
    char *end = NULL;
    long d = strtol(c->days, &end, 10);
    if (end == c->days || *end != '\0' || d < 0 || d > 36500) {
        fprintf(stderr,
                _("kvdeck %s: --days wants a whole number of days (0 to "
                  "36500), not \"%s\"\n"),
                c->cmd, c->days);
        return CLI_USAGE;
    }
    *days = (int)d;
    return CLI_OK;
}

/* The vaults of the subscriptions in ids (kv_vault * into vaults), a
 * few subscriptions at a time; in the subscriptions' order, each one's
 * in the service's order (not in the order the lists came back: the
 * scan then starts in the same order on every run). */
static int
xp_vaults(struct cli *c, const struct vec *ids, struct vec *vaults)
{
    size_t next = 0, running = 0;
    uint64_t jobs[SUBS_AT_ONCE] = {0};
    size_t sub_of[SUBS_AT_ONCE] = {0};
    struct vec *per = xcalloc(ids->len + 1, sizeof *per);
    int rc = CLI_OK;
    for (;;) {
        while (rc == CLI_OK && next < ids->len && running < SUBS_AT_ONCE) {
            for (size_t k = 0; k < SUBS_AT_ONCE; k++)
                if (jobs[k] == 0) {
                    jobs[k] = engine_submit(
                        c->e, job_list_vaults(ids->items[next], NULL));
                    sub_of[k] = next;
                    break;
                }
            next++;
            running++;
        }
        if (running == 0)
            break;
        struct result *r = engine_wait_result(c->e, -1);
        size_t k = SUBS_AT_ONCE;
        for (size_t i = 0; r != NULL && i < SUBS_AT_ONCE; i++)
            if (jobs[i] != 0 && jobs[i] == r->job_id)
                k = i;
        if (k == SUBS_AT_ONCE) {
            if (r != NULL)
                result_dispatch(r); /* a sign-in's news */
            result_free(r);
            continue;
        }
        switch (r->type) {
        case RESULT_PAGE:
            for (size_t i = 0; i < r->items.len; i++) {
                vec_push(&per[sub_of[k]], r->items.items[i]);
                r->items.items[i] = NULL;
            }
            break;
        case RESULT_ERROR:
            if (rc == CLI_OK)
                rc = cli_fail_result(c, r);
            /* fall through */
        case RESULT_DONE:
            jobs[k] = 0;
            running--;
            break;
        default:
            break;
        }
        result_free(r);
    }
    for (size_t i = 0; i < ids->len; i++) {
        for (size_t v = 0; v < per[i].len; v++)
            vec_push(vaults, per[i].items[v]);
        vec_free(&per[i]);
    }
    free(per);
    return rc;
}

static void
xp_json_time(FILE *f, int64_t t)
{
    char iso[32];
    if (t <= 0) {
        fputs("null", f);
        return;
    }
    time_format_iso(t, iso, sizeof iso);
    cli_json_string(f, iso);
}

static const char *
xp_status(const struct kv_expiring_row *r, int64_t now)
{
    switch (r->kind) {
    case KV_EXPIRING_UNREADABLE:
        return "not-readable";
    case KV_EXPIRING_FAILED:
        return "failed";
    default:
        break;
    }
    if (r->expired)
        return "expired";
    if (r->rotation_days > 0)
        return "rotation-due";
    (void)now;
    return "expiring";
}

static void
xp_json_row(FILE *f, const struct kv_expiring_row *r, int64_t now)
{
    bool secret = r->kind == KV_EXPIRING_SECRET;
    fputs("{\"vault\":", f);
    cli_json_string(f, r->vault_name);
    fputs(",\"name\":", f);
    if (secret)
        cli_json_string(f, r->name);
    else
        fputs("null", f);
    fputs(",\"expires\":", f);
    xp_json_time(f, secret ? r->expires : 0);
    fputs(",\"days_left\":", f);
    if (secret)
        fprintf(f, "%ld", kv_expiring_days_left(r, now));
    else
        fputs("null", f);
    fputs(",\"content_type\":", f);
    if (secret && r->content_type != NULL)
        cli_json_string(f, r->content_type);
    else
        fputs("null", f);
    fputs(",\"rotation_due\":", f);
    xp_json_time(f, secret && r->rotation_days > 0 ? r->due : 0);
    fputs(",\"status\":", f);
    cli_json_string(f, xp_status(r, now));
    if (!secret) {
        fputs(",\"error\":", f);
        cli_json_string(f, r->error != NULL ? r->error : "");
    }
    fputc('}', f);
}

static void
xp_text_row(FILE *f, const struct kv_expiring_row *r, int64_t now)
{
    if (r->kind == KV_EXPIRING_UNREADABLE) {
        fprintf(f, _("%s: not readable: %s\n"), r->vault_name,
                r->error != NULL ? r->error : "?");
        return;
    }
    if (r->kind == KV_EXPIRING_FAILED) {
        fprintf(f, _("%s: failed: %s\n"), r->vault_name,
                r->error != NULL ? r->error : "?");
        return;
    }
    char day[32], left[96];
    time_format_short(r->due, day, sizeof day);
    kv_expiring_left(r, now, left, sizeof left);
    fprintf(f, "%-16s  %-24s  %-24s  %-32s  %s\n", day, left, r->vault_name,
            r->name, r->content_type != NULL ? r->content_type : "-");
}

/* Runs the scan; rows into rows (kv_expiring_row *); counts the vaults
 * that ended badly. */
static int
xp_scan(struct cli *c, struct job *j, size_t total, struct vec *rows,
        size_t *unreadable, size_t *failed)
{
    bool tty = isatty(2);
    size_t answered = 0;
    uint64_t id = engine_submit(c->e, j);
    if (id == 0)
        return CLI_FAILED;
    for (;;) {
        struct result *r = engine_wait_result(c->e, -1);
        if (r == NULL || r->job_id != id) {
            if (r != NULL)
                result_dispatch(r);
            result_free(r);
            continue;
        }
        if (r->type == RESULT_DONE || r->type == RESULT_ERROR) {
            int rc = r->type == RESULT_DONE ? CLI_OK : cli_fail_result(c, r);
            result_free(r);
            if (tty)
                fputs("\r\033[K", stderr);
            return rc;
        }
        if (r->type == RESULT_PROGRESS && tty)
            fprintf(stderr, "\r\033[Kkvdeck: %s\n", r->message);
        for (size_t i = 0; r->type == RESULT_PAGE && i < r->items.len; i++) {
            struct kv_expiring_row *row = r->items.items[i];
            r->items.items[i] = NULL;
            if (row->kind == KV_EXPIRING_SECRET) {
                vec_push(rows, row);
                continue;
            }
            answered++;
            if (row->kind == KV_EXPIRING_VAULT_DONE) {
                kv_expiring_row_free(row);
                continue;
            }
            if (row->kind == KV_EXPIRING_UNREADABLE)
                (*unreadable)++;
            else
                (*failed)++;
            vec_push(rows, row);
        }
        if (r->type == RESULT_PAGE && tty) {
            fputs("\r\033[K", stderr);
            fprintf(stderr, _("kvdeck: %zu/%zu vaults"), answered, total);
            fflush(stderr);
        }
        result_free(r);
    }
}

int
cli_secret_expiring(struct cli *c)
{
    struct vec ids, vaults, rows;
    vec_init(&ids);
    vec_init(&vaults);
    vec_init(&rows);
    int days;
    size_t unreadable = 0, failed = 0;
    int rc = xp_days(c, &days);
    if (rc == CLI_OK)
        rc = cli_vault_subs(c, true, &ids);
    if (rc == CLI_OK && !cli_vault_graph(c, &ids, NULL, &vaults))
        rc = xp_vaults(c, &ids, &vaults);
    if (rc != CLI_OK)
        goto out;
    struct job *j = job_scan_expiring(days);
    int64_t now = time_now();
    job_expiring(j)->now = now;
    for (size_t i = 0; i < vaults.len; i++) {
        const struct kv_vault *v = vaults.items[i];
        job_expiring_add_vault(j, v->name, v->vault_uri, v->id);
    }
    rc = xp_scan(c, j, vaults.len, &rows, &unreadable, &failed);
    if (rc != CLI_OK)
        goto out;
    vec_sort(&rows, kv_expiring_cmp);
    if (c->json)
        fputs("[", stdout);
    for (size_t i = 0; i < rows.len; i++) {
        if (c->json) {
            fputs(i ? ",\n" : "\n", stdout);
            xp_json_row(stdout, rows.items[i], now);
        } else {
            xp_text_row(stdout, rows.items[i], now);
        }
    }
    if (c->json)
        fputs("\n]\n", stdout);
    fflush(stdout);
    if (unreadable + failed > 0)
        fprintf(stderr, _("kvdeck %s: %zu of %zu vaults could not be read\n"),
                c->cmd, unreadable + failed, vaults.len);
    rc = failed > 0 ? CLI_FAILED : unreadable > 0 ? CLI_AUTH : CLI_OK;
out:
    vec_free_all(&rows, (void (*)(void *))kv_expiring_row_free);
    vec_free_all(&vaults, (void (*)(void *))kv_vault_free);
    vec_free_all(&ids, free);
    return rc;
}
