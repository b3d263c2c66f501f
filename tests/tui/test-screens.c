/*
 * test-screens.c — the modal screens with curses drawing into memory
 * (newterm on /dev/null): the stack (push, pop, ids never reused, keys
 * to the top screen), results routed by id and dropped once their screen
 * is gone, a secret field that draws only masks, the typed confirmation
 * on a screen, the plan review and the progress screen fed by results,
 * and relayout from 80x24 to 40x12 (boxes become whole screens).
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../tap.h"
#include "base/xalloc.h"
#include "engine/job.h"
#include "tui/app.h"
#include "tui/screen.h"
#include "tui/widget-dialog.h"
#include "tui/widget-form.h"
#include "tui/widget-progress.h"
#include "tui/widget-review.h"

static const char *const spin[] = {"⠋", "⠙"};

static void
test_app(struct app *a)
{
    memset(a, 0, sizeof *a);
    a->keys = keytab_new(false);
    a->term.utf8 = true;
    a->term.g.focus = "▶";
    a->term.g.no = "✗";
    a->term.g.yes = "✓";
    a->term.g.warn = "!";
    a->term.g.ellipsis = "…";
    a->term.g.dot = "•";
    a->term.g.spinner = spin;
    a->term.g.nspinner = 2;
    layout_compute(&a->lay, LINES, COLS, PANE_VAULTS, PANE_SECRETS);
}

/* Whether any line of the screen's body shows text (UTF-8). */
static bool
screen_shows(struct screen *s, const char *text)
{
    wchar_t want[256], line[512];
    mbstowcs(want, text, 256);
    int rows = getmaxy(s->win), cols = getmaxx(s->win);
    for (int y = 0; y < rows; y++) {
        int n = mvwinnwstr(s->win, y, 0, line, cols < 511 ? cols : 511);
        if (n > 0 && wcsstr(line, want) != NULL)
            return true;
    }
    return false;
}

static void
keys_type(struct app *a, const char *s)
{
    for (; *s; s++)
        screen_key(a, (unsigned char)*s, false);
}

/* A screen that counts what happens to it. */
struct counts {
    int keys, results, destroyed;
};

static enum view_result
count_key(struct app *a, struct screen *s, int ch, bool is_key)
{
    (void)a;
    (void)is_key;
    ((struct counts *)s->priv)->keys++;
    return ch == 27 ? VIEW_CLOSE : VIEW_REDRAW;
}

static void
count_result(struct app *a, struct screen *s, struct result *r)
{
    (void)a;
    (void)r;
    ((struct counts *)s->priv)->results++;
}

static void
count_destroy(struct screen *s)
{
    ((struct counts *)s->priv)->destroyed++;
}

static const struct screen_ops count_ops = {
    .name = "count",
    .key = count_key,
    .on_result = count_result,
    .destroy = count_destroy,
};

static void
test_stack(struct app *a)
{
    struct counts c1 = {0}, c2 = {0}, c3 = {0};
    ok(screen_top(a) == NULL, "no screen at first");
    ok(!screen_key(a, 'x', false), "keys go to the panes without a screen");
    struct screen *s1 = screen_push(a, &count_ops, &c1, "one");
    struct screen *s2 = screen_push(a, &count_ops, &c2, NULL);
    ok(screen_top(a) == s2, "the last pushed is on top");
    ok(s2->id > s1->id, "ids grow");
    ok(screen_find(a, s1->id) == s1, "found by id");
    ok(screen_key(a, 'x', false), "a key goes to the top screen");
    is_int(c2.keys, 1, "the top screen got it");
    is_int(c1.keys, 0, "the one below did not");
    ok(s2->dirty, "VIEW_REDRAW marks it for redrawing");

    struct result *r = result_new(RESULT_PROGRESS);
    r->generation = s1->id;
    screen_deliver(a, r);
    is_int(c1.results, 1, "a result reaches the screen that asked");
    is_int(c2.results, 0, "and only that one");

    uint64_t id1 = s1->id, id2 = s2->id;
    screen_pop(a, s1);
    ok(screen_top(a) == NULL, "popping a screen pops those above it too");
    ok(screen_find(a, id1) == NULL && screen_find(a, id2) == NULL,
       "popped screens are not found by id");
    is_int(c1.destroyed + c2.destroyed, 0, "freed only at the end of the turn");
    screen_pop(a, s1); /* twice: harmless */
    screen_reap(a);
    is_int(c1.destroyed + c2.destroyed, 2, "and then both are freed");

    /* A result for a screen that is gone: dropped, never delivered to a
     * stale pointer (ASan would see it), and a plan is announced. */
    screen_deliver(a, r);
    is_int(c1.results, 1, "a result to a popped screen is dropped");
    result_free(r);
    r = result_new(RESULT_ERROR);
    r->generation = id2;
    r->message = xstrdup("Conflict");
    struct secret_change ch;
    memset(&ch, 0, sizeof ch);
    ch.vault_uri = "https://kv-x.vault.azure.net";
    ch.vault_name = "kv-x";
    ch.name = "db-password";
    r->plan = plan_secret_delete(&ch);
    screen_deliver(a, r);
    ok(a->message != NULL && strstr(a->message, "closed") != NULL,
       "a plan back for a closed screen is announced: %s",
       a->message ? a->message : "(none)");
    result_free(r); /* frees the plan, after the user was told */

    struct screen *s3 = screen_push(a, &count_ops, &c3, NULL);
    ok(s3->id > id2, "ids are never reused");
    screen_key(a, 27, false);
    ok(screen_top(a) == NULL, "VIEW_CLOSE pops the screen");
    screen_reap(a);
    is_int(c3.destroyed, 1, "and it is freed");
}

static bool answered, answer;

static void
on_answer(struct app *a, bool yes, void *ctx)
{
    (void)a;
    (void)ctx;
    answered = true;
    answer = yes;
}

static int form_done_calls;
static bool form_submitted;

static void
on_form(struct app *a, struct screen *s, struct form *f, bool submitted,
        void *ctx)
{
    (void)a;
    (void)s;
    (void)f;
    (void)ctx;
    form_done_calls++;
    form_submitted = submitted;
}

static void
test_form_screen(struct app *a)
{
    struct form *f = form_new();
    size_t name = form_add_text(f, "Name", "api-key", 127, NULL, NULL);
    size_t value = form_add_secret(f, "Value", 256, NULL, NULL);
    form_set_buttons(f, "Save", "Cancel");
    struct screen *s =
        widget_form_push(a, "New secret", f, on_form, NULL, NULL);
    ok(!s->full, "80x24: the form is a box");
    screen_key(a, '\t', false);
    keys_type(a, "hunter2-Very-Secret");
    screen_render(a, false);
    ok(screen_shows(s, "New secret"), "the title is in the box");
    ok(screen_shows(s, "api-key"), "the text field shows its text");
    ok(screen_shows(s, "•••••••••••••••••••"), "the secret shows as masks");
    ok(!screen_shows(s, "hunter") && !screen_shows(s, "Secret"),
       "and nothing of its value is drawn");
    is_str(form_secret(f, value)->data, "hunter2-Very-Secret",
           "the value is in secure memory");
    ok(s->cur_y >= 0, "the cursor is in the field");
    ok(screen_shows(s, "[ Save ]"), "the buttons are drawn");
    (void)name;

    /* 40x12: the same form takes the whole screen. */
    resizeterm(12, 40);
    layout_compute(&a->lay, 12, 40, PANE_VAULTS, PANE_SECRETS);
    screen_relayout(a);
    ok(s->full && s->win != NULL, "40x12: the form takes the whole screen");
    screen_render(a, false);
    ok(screen_shows(s, "New secret"), "40x12: the title is on the first line");
    ok(screen_shows(s, "•••"), "40x12: the field is drawn");
    resizeterm(24, 80);
    layout_compute(&a->lay, 24, 80, PANE_VAULTS, PANE_SECRETS);
    screen_relayout(a);
    ok(!s->full, "80x24 again: a box");

    screen_key(a, '\n', false);
    is_int(form_done_calls, 1, "Enter on the last field submits");
    ok(form_submitted && screen_top(a) == s, "the form stays for the owner");
    screen_key(a, 27, false);
    is_int(form_done_calls, 2, "Esc reports a cancel");
    ok(!form_submitted && screen_top(a) == NULL, "and closes the form");
    screen_reap(a);

    /* The typed confirmation on a screen. */
    answered = false;
    widget_dialog_typed_push(
        a, "Purge secret", "Type the secret's name to purge it:", "db-password",
        "Purge", on_answer, NULL);
    keys_type(a, "db-pass");
    screen_key(a, '\r', false);
    ok(!answered && screen_top(a) != NULL, "a wrong name is refused");
    screen_render(a, false);
    ok(screen_shows(screen_top(a), "type db-password exactly to confirm"),
       "with a message on the screen");
    keys_type(a, "word");
    screen_key(a, '\r', false);
    ok(answered && answer, "the exact name confirms");
    ok(screen_top(a) == NULL, "and the dialog is gone");
    screen_reap(a);
    answered = false;
    widget_dialog_push(a, "Quit", "Leave the wizard?", "Leave", on_answer,
                       NULL);
    screen_key(a, 27, false);
    ok(answered && !answer && screen_top(a) == NULL, "Esc answers no");
    screen_reap(a);
}

static int review_calls;
static bool review_apply;

static void
on_review(struct app *a, struct screen *s, bool apply, void *ctx)
{
    (void)a;
    (void)s;
    (void)ctx;
    review_calls++;
    review_apply = apply;
}

static int progress_calls;
static enum progress_choice progress_choice;

static void
on_progress(struct app *a, struct screen *s, enum progress_choice c,
            struct plan *p, void *ctx)
{
    (void)ctx;
    progress_calls++;
    progress_choice = c;
    plan_free(p);
    if (c == PROGRESS_LEAVE || c == PROGRESS_CLOSE)
        screen_pop(a, s);
}

static struct plansheet *
sheet(const char *confirm)
{
    struct plansheet *ps = plansheet_new("Rotate openai-key in kv-x", confirm);
    plansheet_add(ps, "Check that the latest version is still abc123", false);
    plansheet_add(ps, "Write a new version of openai-key in kv-x", true);
    plansheet_add(ps, "Read it back and compare", false);
    return ps;
}

static void
step(struct app *a, struct screen *s, size_t i, enum step_state st,
     const char *msg)
{
    struct result *r = result_new(RESULT_STEP);
    r->generation = s->id;
    r->step = i;
    r->step_state = st;
    r->message = msg ? xstrdup(msg) : NULL;
    screen_deliver(a, r);
    result_free(r);
}

static void
test_plan_screens(struct app *a)
{
    struct screen *s =
        widget_review_push_sheet(a, sheet(NULL), on_review, NULL);
    screen_render(a, false);
    ok(screen_shows(s, "Rotate openai-key in kv-x"), "review: the title");
    ok(screen_shows(s, "  2 ✎ Write a new version"),
       "review: numbered steps, the writing one marked");
    ok(screen_shows(s, "  1   Check that"), "review: a read step unmarked");
    ok(screen_shows(s, "[ Apply ]"), "review: the apply button");
    screen_key(a, 'y', false);
    ok(review_calls == 1 && review_apply, "review: y applies");
    ok(screen_top(a) == s, "review: it stays for the owner to pop");
    screen_key(a, 27, false);
    ok(review_calls == 2 && !review_apply && screen_top(a) == NULL,
       "review: Esc goes back without sending anything");
    screen_reap(a);

    s = widget_review_push_sheet(a, sheet("openai-key"), on_review, NULL);
    screen_key(a, 'y', false);
    screen_key(a, '\n', false);
    is_int(review_calls, 2, "review: a confirmation is needed first");
    ok(screen_top(a) == s, "review: still there");
    screen_key(a, 21, false); /* C-u: the "y" typed into the field */
    keys_type(a, "openai-key");
    screen_key(a, '\n', false);
    ok(review_calls == 3 && review_apply, "review: the typed name applies");
    screen_pop(a, s);
    screen_reap(a);

    /* Progress: fed by STEP results, then the end. */
    s = widget_progress_push_sheet(a, sheet(NULL), on_progress, NULL);
    struct plansheet *ps = widget_progress_sheet(s);
    step(a, s, 0, STEP_RUNNING, NULL);
    step(a, s, 0, STEP_DONE, NULL);
    step(a, s, 1, STEP_RUNNING, "waiting for Azure (202 Accepted)");
    struct result *r = result_new(RESULT_PROGRESS);
    r->generation = s->id;
    r->message = xstrdup("throttled (429), retrying in 4 s");
    screen_deliver(a, r);
    result_free(r);
    is_int(ps->steps[0].state, STEP_DONE, "progress: step 1 done");
    is_int(ps->steps[1].state, STEP_RUNNING, "progress: step 2 running");
    screen_render(a, false);
    ok(screen_shows(s, "✓ 1 Check"), "progress: the done mark");
    ok(screen_shows(s, "⠋ 2 Write") || screen_shows(s, "⠙ 2 Write"),
       "progress: the spinner on the running step");
    ok(screen_shows(s, "waiting for Azure (202 Accepted)"),
       "progress: the step's progress text");
    ok(screen_shows(s, "throttled (429), retrying in 4 s"),
       "progress: the poll's status");
    ok(screen_shows(s, "Elapsed 0:00"), "progress: the elapsed time");
    screen_key(a, '\n', false);
    is_int(progress_calls, 0, "progress: Enter does nothing while running");

    step(a, s, 1, STEP_FAILED, "Conflict: the secret changed meanwhile");
    r = result_new(RESULT_ERROR);
    r->generation = s->id;
    r->message = xstrdup("Step 2 failed: Conflict (request 1234)");
    screen_deliver(a, r);
    result_free(r);
    ok(ps->ended && ps->failed, "progress: the end is a failure");
    screen_render(a, false);
    ok(screen_shows(s, "✗ 2 Write"), "progress: the failed mark");
    ok(screen_shows(s, "Stopped at step 2"), "progress: the outcome");
    ok(screen_shows(s, "Step 2 failed: Conflict (request 1234)"),
       "progress: the report");
    ok(screen_shows(s, "[ Retry ]") && screen_shows(s, "[ Leave as is ]"),
       "progress: retry and leave offered");
    ok(!screen_shows(s, "Roll back"), "progress: no rollback it cannot do");
    screen_key(a, 'r', false);
    ok(progress_calls == 1 && progress_choice == PROGRESS_RETRY,
       "progress: r hands retry to the owner");
    screen_key(a, 27, false);
    ok(progress_calls == 2 && progress_choice == PROGRESS_LEAVE,
       "progress: Esc is leave as is");
    ok(screen_top(a) == NULL, "progress: the owner closed it");
    screen_reap(a);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = out && in ? newterm("xterm", out, in) : NULL;
    if (scr == NULL) {
        printf("1..0 # SKIP no terminfo entry for xterm\n");
        return 0;
    }
    set_term(scr);
    struct app a;
    test_app(&a);
    test_stack(&a);
    test_form_screen(&a);
    test_plan_screens(&a);
    screen_free_all(&a);
    keytab_free(a.keys);
    free(a.message);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return tap_done();
}
