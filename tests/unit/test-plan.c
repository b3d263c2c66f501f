/*
 * test-plan.c — plans as data, without a network: the steps each secret
 * plan is built from and their sentences, which steps write, typed
 * confirmations, undo selection (what can be rolled back), the report
 * after a failure; the journal's line format, reading it back (damaged
 * lines skipped) and the pending retirements; the flat JSON reader.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jsonflat.h"
#include "base/str.h"
#include "engine/journal.h"
#include "engine/plan-impl.h"
#include "engine/plan.h"
#include "tests/tap.h"

/* The model structs own their strings (char *); these tests fill them
 * with literals they never free. */
#pragma GCC diagnostic ignored "-Wdiscarded-qualifiers"

static struct secret *
val(const char *s)
{
    return secret_dup(s, strlen(s));
}

static void
test_building(void)
{
    struct kv_secret_version cur = {.version = "0123456789abcdef0123456789abcdef",
                                    .content_type = "text/plain"};
    cur.attrs.enabled = true;
    struct secret_change c = {
        .vault_uri = "https://kv-x.vault.azure.net",
        .vault_name = "kv-x",
        .name = "openai-api-key",
        .value = val("sk-new"),
        .current = &cur,
        .retire = RETIRE_NOW,
        .has_expires = true,
        .expires = 1806000000,
    };
    struct plan *p = plan_rotate(&c);
    ok(c.value == NULL, "the plan takes the value");
    is_str(plan_kind(p), "rotate", "kind");
    is_str(plan_title(p), "Rotate openai-api-key in kv-x", "title");
    is_int(plan_steps(p), 4, "check, write, verify, disable");
    is_str(plan_step_op(p, 0), "secret-check-latest", "first: the check");
    is_str(plan_step_op(p, 1), "secret-set", "then the write");
    is_str(plan_step_op(p, 2), "secret-verify", "then the read back");
    is_str(plan_step_op(p, 3), "secret-disable", "then the retirement");
    ok(strstr(plan_step_text(p, 1), "Write a new version of openai-api-key "
                                    "in kv-x") != NULL &&
           strstr(plan_step_text(p, 1), "expires 2027-") != NULL,
       "the write's sentence names secret, vault and expiry: %s",
       plan_step_text(p, 1));
    ok(!plan_step_writes(p, 0) && plan_step_writes(p, 1) &&
           !plan_step_writes(p, 2) && plan_step_writes(p, 3),
       "only the write and the retirement write");
    ok(plan_writes(p), "the plan writes");
    ok(plan_confirm_name(p) == NULL, "rotation needs no typed name");
    ok(plan_new_value(p) != NULL && plan_new_value(p)->len == 6,
       "the value is kept in secure memory");
    ok(!plan_can_roll_back(p), "nothing done: nothing to roll back");
    plan_free(p);

    struct secret_change later = c;
    later.value = val("v2");
    later.retire = RETIRE_LATER;
    later.retire_after = 7 * 86400;
    p = plan_rotate(&later);
    is_str(plan_step_op(p, 3), "retire-later", "retire later: journaled");
    ok(!plan_step_writes(p, 3), "a scheduled retirement writes nothing");
    plan_free(p);
    later.value = val("v3");
    later.retire = RETIRE_KEEP;
    p = plan_rotate(&later);
    is_int(plan_steps(p), 3, "keep: no retirement step");
    plan_free(p);

    struct secret_change d = {.vault_uri = "https://kv-x.vault.azure.net",
                              .vault_name = "kv-x",
                              .name = "db-password"};
    p = plan_secret_delete(&d);
    is_str(plan_confirm_name(p), "db-password", "delete: the name typed");
    plan_free(p);
    p = plan_secret_purge(&d);
    is_str(plan_confirm_name(p), "db-password", "purge: the name typed");
    ok(strstr(plan_step_text(p, 0), "cannot be undone") != NULL,
       "purge says it cannot be undone");
    plan_free(p);

    struct secret_change n = d;
    n.value = val("x");
    n.create = true;
    p = plan_secret_set(&n);
    is_str(plan_step_op(p, 0), "secret-check-absent",
           "a new secret: its name is checked first");
    plan_free(p);

    ok(plan_check_secret_name("openai-api-key") == NULL, "a good name");
    ok(plan_check_secret_name("") != NULL, "empty refused");
    ok(plan_check_secret_name("bad_name") != NULL, "underscore refused");
    char longname[200];
    memset(longname, 'a', 128);
    longname[128] = '\0';
    ok(plan_check_secret_name(longname) != NULL, "128 characters refused");
    longname[127] = '\0';
    ok(plan_check_secret_name(longname) == NULL, "127 characters accepted");
}

static void
test_undo(void)
{
    struct kv_secret_version cur = {.version = "aaaa5678901234567890123456789012",
                                    .content_type = "text/plain"};
    struct secret_change e = {.vault_uri = "https://kv-x.vault.azure.net",
                              .name = "s",
                              .current = &cur,
                              .content_type = "application/json"};
    struct plan *p = plan_secret_edit(&e);
    ok(plan_step_has_undo(p, 0), "an edit can be undone");
    ok(!plan_can_roll_back(p), "not before it is done");
    plan_step_at(p, 0)->state = STEP_DONE;
    ok(plan_can_roll_back(p), "done: it can be rolled back");
    plan_free(p);

    struct secret_change d = {.vault_uri = "https://kv-x.vault.azure.net",
                              .name = "s"};
    p = plan_secret_delete(&d);
    plan_step_at(p, 0)->state = STEP_DONE;
    ok(plan_can_roll_back(p), "a delete is undone by recover");
    plan_free(p);
    p = plan_secret_purge(&d);
    plan_step_at(p, 0)->state = STEP_DONE;
    ok(!plan_step_has_undo(p, 0) && !plan_can_roll_back(p),
       "a purge has no undo");
    plan_free(p);

    /* a rotation: the write has no undo, so no roll back once written */
    struct secret_change r = {.vault_uri = "https://kv-x.vault.azure.net",
                              .name = "s",
                              .value = val("v"),
                              .current = &cur,
                              .retire = RETIRE_NOW};
    p = plan_rotate(&r);
    plan_step_at(p, 0)->state = STEP_DONE;
    plan_step_at(p, 1)->state = STEP_DONE;
    plan_step_at(p, 2)->state = STEP_FAILED;
    struct plan_failure f = {.status = KV_ERR_CONFLICT,
                             .http_status = 0,
                             .code = "VerifyMismatch",
                             .message = "the value read back differs",
                             .request_id = "req-123"};
    plan_set_failure(plan_step_at(p, 2), &f);
    ok(plan_failed(p) && !plan_finished(p), "failed, not finished");
    ok(!plan_can_roll_back(p), "a written version cannot be unwritten");
    char *rep = plan_report(p);
    ok(strstr(rep, "[done]") != NULL && strstr(rep, "[failed]") != NULL &&
           strstr(rep, "[pending]") != NULL,
       "the report shows each step's state");
    ok(strstr(rep, "VerifyMismatch") != NULL && strstr(rep, "req-123") != NULL,
       "the report names Azure's error and the request id");
    ok(strstr(rep, "1 change(s) were made") != NULL,
       "and what now exists");
    free(rep);
    plan_free(p);
}

static void
test_journal(void)
{
    char dir[] = "/tmp/kvtest-journal-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        ok(0, "temporary directory");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/journal.jsonl", dir);
    struct journal_entry e = {
        .time = 1796000000,
        .cloud = "AzureCloud",
        .tenant = "t-1",
        .principal = "app-1",
        .plan = "rotate",
        .plan_id = "p-1",
        .step = 4,
        .steps = 4,
        .op = "retire-later",
        .text = "Record \"quotes\" and a\nnewline",
        .target = "https://kv.vault.azure.net/secrets/s",
        .outcome = "scheduled",
        .version = "v-old",
        .due = 1796600000,
    };
    char *line = journal_format(&e);
    ok(str_starts(line, "{\"time\":\"2026-") &&
           strstr(line, "\\\"quotes\\\"") != NULL &&
           strstr(line, "\\n") != NULL && strchr(line, '\n') == NULL,
       "one line, JSON-escaped: %s", line);
    struct jsonflat o;
    ok(jsonflat_parse(line, strlen(line), &o) &&
           str_eq(jsonflat_get(&o, "text"), "Record \"quotes\" and a\nnewline") &&
           str_eq(jsonflat_get(&o, "step"), "4") &&
           jsonflat_get(&o, "error_code") == NULL,
       "the line parses back");
    jsonflat_free(&o);
    free(line);
    ok(journal_append(path, &e, NULL) == KV_OK, "appended (dirs made)");
    struct stat st;
    ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
    FILE *f = fopen(path, "a");
    fputs("{not json\n", f);
    fclose(f);
    struct vec all = VEC_INIT, pend = VEC_INIT;
    unsigned skipped = 0;
    ok(journal_read(path, &all, &skipped, NULL) == KV_OK && all.len == 1 &&
           skipped == 1,
       "read back; the damaged line skipped and counted");
    journal_pending(&all, &pend);
    is_int(pend.len, 1, "one pending retirement");
    vec_free(&pend);
    for (size_t i = 0; i < all.len; i++)
        journal_entry_free(all.items[i]);
    vec_free(&all);

    struct journal_entry done = e;
    done.op = "secret-disable";
    done.outcome = "done";
    done.due = 0;
    ok(journal_append(path, &done, NULL) == KV_OK, "the retirement done");
    vec_init(&all);
    journal_read(path, &all, NULL, NULL);
    journal_pending(&all, &pend);
    is_int(pend.len, 0, "no longer pending");
    vec_free(&pend);
    for (size_t i = 0; i < all.len; i++)
        journal_entry_free(all.items[i]);
    vec_free(&all);

    ok(!jsonflat_parse("{\"a\":[1]}", 9, &o), "nested values refused");
    ok(!jsonflat_parse("{\"a\":\"b\"} x", 11, &o), "trailing text refused");
    const char *uni = "{\"u\":\"\\u00e9\\ud83d\\ude00\"}";
    ok(jsonflat_parse(uni, strlen(uni), &o) &&
           str_eq(jsonflat_get(&o, "u"), "\xc3\xa9\xf0\x9f\x98\x80"),
       "unicode escapes and surrogate pairs");
    jsonflat_free(&o);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("# cannot remove %s\n", dir);
}

int
main(void)
{
    test_building();
    test_undo();
    test_journal();
    return tap_done();
}
