/*
 * cli-journal.c — `kvdeck journal [--json]`: the local audit journal as a
 * table (time, plan, step, op, target, outcome, request id) followed by
 * the retirements still pending, or with --json the journal's lines as
 * one JSON array (each line is already a JSON object).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "cli/cli-int.h"
#include "engine/journal.h"

/* The raw lines as a JSON array. */
static int
cli_journal_json(struct cli *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL && errno != ENOENT) {
        fprintf(stderr, _("kvdeck %s: cannot read %s: %s\n"), c->cmd, path,
                strerror(errno));
        return CLI_FAILED;
    }
    fputs("[", stdout);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool first = true;
    while (f != NULL && (n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] != '{' || line[n - 1] != '}')
            continue; /* a torn line */
        fputs(first ? "\n" : ",\n", stdout);
        fputs(line, stdout);
        first = false;
    }
    fputs("\n]\n", stdout);
    free(line);
    if (f != NULL)
        fclose(f);
    return CLI_OK;
}

static const char *
cli_journal_s(const char *s)
{
    return s != NULL ? s : "-";
}

int
cli_journal(struct cli *c)
{
    char *path = journal_default_path();
    int rc = CLI_OK;
    if (path == NULL) {
        fprintf(stderr,
                _("kvdeck %s: no journal: neither XDG_STATE_HOME nor "
                  "HOME is set\n"),
                c->cmd);
        return CLI_FAILED;
    }
    if (c->json) {
        rc = cli_journal_json(c, path);
        free(path);
        return rc;
    }
    struct vec entries, pending;
    unsigned skipped = 0;
    char *why = NULL;
    vec_init(&entries);
    vec_init(&pending);
    if (journal_read(path, &entries, &skipped, &why) != KV_OK) {
        fprintf(stderr, "kvdeck %s: %s\n", c->cmd, why);
        free(why);
        rc = CLI_FAILED;
        goto out;
    }
    printf("%-20s %-14s %-5s %-22s %-10s %-36s %s\n", _("TIME"), _("PLAN"),
           _("STEP"), _("OP"), _("OUTCOME"), _("REQUEST ID"), _("TARGET"));
    for (size_t i = 0; i < entries.len; i++) {
        const struct journal_entry *e = entries.items[i];
        char t[32], step[16];
        time_format_iso(e->time, t, sizeof t);
        snprintf(step, sizeof step, "%d/%d", e->step, e->steps);
        printf("%-20s %-14s %-5s %-22s %-10s %-36s %s\n", t,
               cli_journal_s(e->plan), step, cli_journal_s(e->op),
               cli_journal_s(e->outcome), cli_journal_s(e->request_id),
               cli_journal_s(e->target));
    }
    if (skipped > 0)
        printf(_("(%u line(s) that are not journal entries skipped)\n"),
               skipped);
    journal_pending(&entries, &pending);
    printf(_("\nPending retirements: %zu\n"), pending.len);
    for (size_t i = 0; i < pending.len; i++) {
        const struct journal_entry *e = pending.items[i];
        char due[32];
        time_format_iso(e->due, due, sizeof due);
        printf(_("  due %s  version %s of %s\n"), due,
               cli_journal_s(e->version), cli_journal_s(e->target));
    }
out:
    vec_free(&pending);
    vec_free_all(&entries, (void (*)(void *))journal_entry_free);
    free(path);
    return rc;
}
