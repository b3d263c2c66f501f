/*
 * form.c — the form model: fields, checks and their messages, focus,
 * submit; secret fields edited in secure memory.
 */
#include "config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "tui/form.h"
#include "tui/keys.h"
#include "tui/text.h"

struct form *
form_new(void)
{
    struct form *f = xcalloc(1, sizeof *f);
    f->submit_label = xstrdup(_("OK"));
    f->cancel_label = xstrdup(_("Cancel"));
    return f;
}

void
form_free(struct form *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n; i++) {
        struct form_field *fd = &f->fields[i];
        free(fd->label);
        free(fd->hint);
        free(fd->text);
        secret_free(fd->secret);
        free(fd->error_set);
        for (size_t k = 0; k < fd->nchoices; k++)
            free(fd->choices[k]);
        free(fd->choices);
        if (fd->confirm != NULL) {
            free(fd->confirm[0]);
            free(fd->confirm[1]);
            free(fd->confirm);
        }
    }
    free(f->fields);
    free(f->submit_label);
    free(f->cancel_label);
    free(f);
}

static struct form_field *
form_add(struct form *f, enum form_kind kind, const char *label)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->fields = xreallocarray(f->fields, f->cap, sizeof *f->fields);
    }
    struct form_field *fd = &f->fields[f->n];
    memset(fd, 0, sizeof *fd);
    fd->kind = kind;
    fd->label = xstrdup(label != NULL ? label : "");
    /* The first focusable field has the focus; buttons come after. */
    if (kind != FORM_INFO && (f->focus >= f->n || !form_focusable(f, f->focus)))
        f->focus = f->n;
    f->n++;
    return fd;
}

/* Runs field i's check. */
static void
form_check(struct form *f, size_t i)
{
    struct form_field *fd = &f->fields[i];
    fd->error = NULL;
    if (fd->check == NULL)
        return;
    if (fd->kind == FORM_TEXT || fd->kind == FORM_SECRET)
        fd->error = fd->check(fd->ed.buf, fd->check_ctx);
}

size_t
form_add_text(struct form *f, const char *label, const char *initial,
              size_t max_bytes, form_check_fn check, void *ctx)
{
    struct form_field *fd = form_add(f, FORM_TEXT, label);
    fd->text = xcalloc(max_bytes + 1, 1);
    if (initial != NULL) {
        size_t n = strlen(initial);
        memcpy(fd->text, initial, n < max_bytes ? n : max_bytes);
    }
    edit_init(&fd->ed, fd->text, max_bytes);
    fd->check = check;
    fd->check_ctx = ctx;
    form_check(f, f->n - 1);
    return f->n - 1;
}

size_t
form_add_secret(struct form *f, const char *label, size_t max_bytes,
                form_check_fn check, void *ctx)
{
    struct form_field *fd = form_add(f, FORM_SECRET, label);
    fd->secret = secret_new(max_bytes);
    edit_init(&fd->ed, fd->secret->data, fd->secret->cap);
    fd->check = check;
    fd->check_ctx = ctx;
    form_check(f, f->n - 1);
    return f->n - 1;
}

size_t
form_add_choice(struct form *f, const char *label, const char *const *choices,
                size_t n, size_t initial)
{
    struct form_field *fd = form_add(f, FORM_CHOICE, label);
    fd->choices = xcalloc(n ? n : 1, sizeof *fd->choices);
    for (size_t k = 0; k < n; k++)
        fd->choices[k] = xstrdup(choices[k]);
    fd->nchoices = n;
    fd->choice = initial < n ? initial : 0;
    return f->n - 1;
}

size_t
form_add_choice_take(struct form *f, const char *label, char **choices,
                     size_t n, size_t initial)
{
    struct form_field *fd = form_add(f, FORM_CHOICE, label);
    fd->choices = n > 0 ? choices : xcalloc(1, sizeof *fd->choices);
    if (n == 0)
        free(choices);
    fd->nchoices = n;
    fd->choice = initial < n ? initial : 0;
    return f->n - 1;
}

size_t
form_add_check(struct form *f, const char *label, bool checked)
{
    struct form_field *fd = form_add(f, FORM_CHECK, label);
    fd->checked = checked;
    return f->n - 1;
}

size_t
form_add_info(struct form *f, const char *text)
{
    form_add(f, FORM_INFO, text);
    return f->n - 1;
}

/* The check of a typed confirmation; ctx is the field's confirm[]. */
static const char *
form_check_confirm(const char *text, void *ctx)
{
    char **c = ctx;
    return strcmp(text, c[0]) == 0 ? NULL : c[1];
}

size_t
form_add_confirm(struct form *f, const char *label, const char *name)
{
    size_t i = form_add_text(f, label, NULL, strlen(name) + 64, NULL, NULL);
    struct form_field *fd = &f->fields[i];
    fd->confirm = xcalloc(2, sizeof *fd->confirm);
    fd->confirm[0] = xstrdup(name);
    /* TRANSLATORS: %s is the name of what is about to be deleted */
    fd->confirm[1] = xasprintf(_("type %s exactly to confirm"), name);
    fd->check = form_check_confirm;
    fd->check_ctx = fd->confirm;
    form_check(f, i);
    return i;
}

void
form_set_hint(struct form *f, size_t i, const char *hint)
{
    free(f->fields[i].hint);
    f->fields[i].hint = hint != NULL ? xstrdup(hint) : NULL;
}

void
form_set_buttons(struct form *f, const char *submit, const char *cancel)
{
    free(f->submit_label);
    free(f->cancel_label);
    f->submit_label = xstrdup(submit != NULL ? submit : _("OK"));
    f->cancel_label = cancel != NULL ? xstrdup(cancel) : NULL;
}

bool
form_focusable(const struct form *f, size_t i)
{
    if (i < f->n)
        return f->fields[i].kind != FORM_INFO;
    return i == f->n || (i == f->n + 1 && f->cancel_label != NULL);
}

/* Leaving a field after editing it lets its message show. */
static void
form_leave(struct form *f)
{
    if (f->focus < f->n && f->fields[f->focus].edited)
        f->fields[f->focus].shown = true;
}

void
form_focus(struct form *f, size_t i)
{
    if (!form_focusable(f, i) || i == f->focus)
        return;
    form_leave(f);
    f->focus = i;
}

/* The focus one step forward (dir 1) or back (-1), round the end. */
static void
form_move(struct form *f, int dir)
{
    size_t total = f->n + 2;
    size_t i = f->focus;
    for (size_t k = 0; k < total; k++) {
        i = (i + total + (size_t)(dir > 0 ? 1 : total - 1)) % total;
        if (form_focusable(f, i)) {
            form_focus(f, i);
            return;
        }
    }
}

/* The last focusable field (Enter there submits). */
static size_t
form_last_field(const struct form *f)
{
    for (size_t i = f->n; i > 0; i--)
        if (form_focusable(f, i - 1))
            return i - 1;
    return f->n;
}

bool
form_ok(const struct form *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->fields[i].error != NULL || f->fields[i].error_set != NULL)
            return false;
    return true;
}

bool
form_submit(struct form *f)
{
    f->tried = true;
    for (size_t i = 0; i < f->n; i++) {
        form_check(f, i);
        f->fields[i].shown = true;
    }
    for (size_t i = 0; i < f->n; i++)
        if (f->fields[i].error != NULL || f->fields[i].error_set != NULL) {
            form_focus(f, i);
            return false;
        }
    return true;
}

void
form_set_error(struct form *f, size_t i, const char *msg)
{
    free(f->fields[i].error_set);
    f->fields[i].error_set = msg != NULL ? xstrdup(msg) : NULL;
}

const char *
form_error(const struct form *f, size_t i)
{
    const struct form_field *fd = &f->fields[i];
    if (fd->error_set != NULL)
        return fd->error_set;
    return fd->shown || f->tried ? fd->error : NULL;
}

/* A key for the text or secret field in focus. */
static enum form_result
form_edit(struct form *f, struct form_field *fd, int ch, bool is_key)
{
    enum edit_result r;
    if (fd->kind == FORM_SECRET && !is_key && ch == 21) {
        /* C-u: the whole value goes, wiped; with no echo nobody can see
         * where the cursor is, so "to the start" would be a guess. */
        edit_clear(&fd->ed);
        r = EDIT_CHANGED;
    } else {
        r = edit_feed(&fd->ed, ch, is_key);
    }
    if (fd->secret != NULL)
        fd->secret->len = fd->ed.len;
    switch (r) {
    case EDIT_CHANGED:
        fd->edited = true;
        free(fd->error_set);
        fd->error_set = NULL;
        form_check(f, (size_t)(fd - f->fields));
        return FORM_REDRAW;
    case EDIT_MOVED:
    case EDIT_FULL:
        return FORM_REDRAW;
    case EDIT_IGNORED:
    default:
        return FORM_IGNORED;
    }
}

static bool
form_is_enter(int ch, bool is_key)
{
    return is_key ? ch == KEY_ENTER : ch == '\n' || ch == '\r';
}

enum form_result
form_feed(struct form *f, int ch, bool is_key)
{
    if (is_key && (ch == KEYS_PASTE_BEGIN || ch == KEYS_PASTE_END)) {
        f->pasting = ch == KEYS_PASTE_BEGIN;
        return FORM_IGNORED;
    }
    struct form_field *fd = f->focus < f->n ? &f->fields[f->focus] : NULL;
    bool text =
        fd != NULL && (fd->kind == FORM_TEXT || fd->kind == FORM_SECRET);
    if (f->pasting) {
        /* Pasted text goes into a text field, whatever it holds; a line
         * break (a copied line's end) and other controls are dropped. */
        if (!text || is_key || ch < 32)
            return FORM_IGNORED;
        return form_edit(f, fd, ch, is_key);
    }
    if (!is_key && ch == 27)
        return FORM_CANCEL;
    if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN)) {
        form_move(f, 1);
        return FORM_REDRAW;
    }
    if (is_key && (ch == KEY_BTAB || ch == KEY_UP)) {
        form_move(f, -1);
        return FORM_REDRAW;
    }
    if (form_is_enter(ch, is_key)) {
        if (f->focus == f->n + 1)
            return FORM_CANCEL;
        if (f->focus == f->n || f->focus == form_last_field(f))
            return form_submit(f) ? FORM_SUBMIT : FORM_REDRAW;
        form_move(f, 1);
        return FORM_REDRAW;
    }
    if (fd == NULL) {
        /* On the buttons: Left/Right between them. */
        if (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
            form_move(f, ch == KEY_RIGHT ? 1 : -1);
            return FORM_REDRAW;
        }
        return FORM_IGNORED;
    }
    switch (fd->kind) {
    case FORM_TEXT:
    case FORM_SECRET:
        return form_edit(f, fd, ch, is_key);
    case FORM_CHOICE:
        if (fd->nchoices == 0)
            return FORM_IGNORED;
        if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' ')) {
            fd->choice = (fd->choice + 1) % fd->nchoices;
            return FORM_REDRAW;
        }
        if (is_key && ch == KEY_LEFT) {
            fd->choice = (fd->choice + fd->nchoices - 1) % fd->nchoices;
            return FORM_REDRAW;
        }
        return FORM_IGNORED;
    case FORM_CHECK:
        if (!is_key && (ch == ' ' || ch == 'x')) {
            fd->checked = !fd->checked;
            return FORM_REDRAW;
        }
        return FORM_IGNORED;
    case FORM_INFO:
    default:
        return FORM_IGNORED;
    }
}

const char *
form_text(const struct form *f, size_t i)
{
    return f->fields[i].kind == FORM_TEXT ? f->fields[i].text : NULL;
}

const struct secret *
form_secret(const struct form *f, size_t i)
{
    return f->fields[i].secret;
}

struct secret *
form_take_secret(struct form *f, size_t i)
{
    struct form_field *fd = &f->fields[i];
    if (fd->secret == NULL)
        return NULL;
    struct secret *s = fd->secret;
    fd->secret = secret_new(s->cap);
    edit_init(&fd->ed, fd->secret->data, fd->secret->cap);
    fd->scroll = 0;
    form_check(f, i);
    return s;
}

size_t
form_choice(const struct form *f, size_t i)
{
    return f->fields[i].choice;
}

bool
form_checked(const struct form *f, size_t i)
{
    return f->fields[i].checked;
}

void
form_display(struct form *f, size_t i, int width, const char *mask, char *out,
             size_t n, int *cursor_col)
{
    struct form_field *fd = &f->fields[i];
    const struct edit *e = &fd->ed;
    out[0] = '\0';
    *cursor_col = 0;
    if (width < 2 || n < 2)
        return;
    if (fd->kind == FORM_SECRET) {
        /* One mask per character; the value itself is never read. */
        size_t chars = edit_chars(e, e->len), cur = edit_chars(e, e->cursor);
        if (cur < fd->scroll)
            fd->scroll = cur;
        if (cur - fd->scroll > (size_t)width - 1)
            fd->scroll = cur - ((size_t)width - 1);
        size_t o = 0, ml = strlen(mask);
        for (size_t c = fd->scroll; c < chars && c - fd->scroll < (size_t)width;
             c++) {
            if (o + ml + 1 > n)
                break;
            memcpy(out + o, mask, ml);
            o += ml;
        }
        out[o] = '\0';
        *cursor_col = (int)(cur - fd->scroll);
        return;
    }
    /* Text: keep the cursor inside, one column spare for it at the end. */
    if (e->cursor < fd->scroll)
        fd->scroll = e->cursor;
    while (fd->scroll < e->cursor &&
           text_width_n(e->buf + fd->scroll, e->cursor - fd->scroll) >
               width - 1) {
        fd->scroll++;
        while (fd->scroll < e->len &&
               ((unsigned char)e->buf[fd->scroll] & 0xc0) == 0x80)
            fd->scroll++;
    }
    *cursor_col = text_width_n(e->buf + fd->scroll, e->cursor - fd->scroll);
    text_fit(e->buf + fd->scroll, width, "", false, out, n);
}

struct form *
form_dialog(const char *message, const char *name, const char *ok_label)
{
    struct form *f = form_new();
    form_add_info(f, message);
    if (name != NULL)
        form_add_confirm(f, "", name);
    form_set_buttons(f, ok_label, _("Cancel"));
    if (name == NULL)
        form_focus(f, f->n); /* Enter answers at once */
    return f;
}
