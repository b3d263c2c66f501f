/*
 * form.h — the model of a form: labelled fields (text, secret, choice,
 * checkbox, read-only info), a check per field whose message is shown
 * beside it, focus, and submit/cancel buttons. Pure (no drawing; curses
 * only for its key codes), so the unit tests drive it key by key;
 * widget-form.c puts it on a modal screen.
 *
 *     struct form *f = form_new();
 *     size_t name = form_add_text(f, _("Name"), NULL, 127, check_name,
 *                                 NULL);
 *     size_t value = form_add_secret(f, _("Value"), 8192, NULL, NULL);
 *     form_set_buttons(f, _("Review"), _("Cancel"));
 *     ... keys: form_feed(f, ch, is_key) == FORM_SUBMIT ...
 *     form_text(f, name); struct secret *v = form_take_secret(f, value);
 *
 * Keys: Tab/Down and BTab/Up move between fields and buttons; Enter goes
 * to the next field, and on the last field or the submit button submits
 * (only when every field checks out: otherwise the focus goes to the
 * first field in error and its message shows); Esc cancels. Text fields
 * edit as edit.h says. Left/Right or Space cycle a choice; Space toggles
 * a checkbox. Between KEYS_PASTE_BEGIN and KEYS_PASTE_END (bracketed
 * paste) Enter and Esc are text, not commands: a pasted line break is
 * dropped.
 *
 * A field's message shows once the user has left the field after
 * editing it, or tried to submit; it goes as soon as the text is right.
 *
 * Secrets: a secret field's text lives only in a struct secret (secure
 * memory); it is never copied to ordinary memory, and form_display()
 * shows it as one mask character per character.
 */
#ifndef KV_TUI_FORM_H
#define KV_TUI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/secmem.h"
#include "tui/edit.h"

enum form_kind {
    FORM_TEXT,
    FORM_SECRET, /* no echo; held in secure memory */
    FORM_CHOICE, /* one of a list of labels */
    FORM_CHECK,  /* a checkbox */
    FORM_INFO,   /* a read-only line of text (wrapped), not focusable */
};

/* A field's check: NULL when text is acceptable, else a message for a
 * person ("1-127 characters: letters, digits and -"), a static or _()
 * string that stays valid. text is the field's own buffer (for a secret
 * field, secure memory): read it, never copy it. */
typedef const char *(*form_check_fn)(const char *text, void *ctx);

struct form_field {
    enum form_kind kind;
    char *label;
    char *hint;            /* dim text under the field; NULL */
    struct edit ed;        /* TEXT and SECRET: the text being edited */
    char *text;            /* TEXT: ed.buf */
    struct secret *secret; /* SECRET: ed.buf is secret->data */
    size_t scroll;         /* first byte (TEXT) or character shown */
    form_check_fn check;
    void *check_ctx;
    const char *error;  /* check's message, NULL when fine */
    char *error_set;    /* form_set_error(); until the next edit */
    bool edited, shown; /* its message may show */
    char **choices;     /* CHOICE */
    size_t nchoices, choice;
    bool checked;   /* CHECK */
    char **confirm; /* form_add_confirm(): the name, its message (on the
                       heap: the check's ctx outlives a realloc) */
};

struct form {
    struct form_field *fields;
    size_t n, cap;
    size_t focus; /* a field; n: the submit button; n + 1: cancel */
    char *submit_label, *cancel_label;
    bool tried;   /* submit was tried: every message shows */
    bool pasting; /* inside a bracketed paste */
};

enum form_result {
    FORM_IGNORED, /* not a key of the form */
    FORM_REDRAW,  /* something changed on the form */
    FORM_SUBMIT,  /* submitted, every field checks out */
    FORM_CANCEL,  /* Esc or the cancel button */
};

/* A dialog's form (widget-dialog.h): message, the confirmation field
 * when name is not NULL, buttons ok_label and "Cancel". The focus starts
 * in the field, or on the confirm button without one. */
struct form *form_dialog(const char *message, const char *name,
                         const char *ok_label);
/* An empty form with the buttons "OK" and "Cancel". Free with
 * form_free(), which wipes the secret fields. */
struct form *form_new(void);
void form_free(struct form *f); /* NULL is fine */

/* Adding fields returns the field's index, for the getters below.
 * Strings are copied. max_bytes: the longest text accepted (UTF-8). */
size_t form_add_text(struct form *f, const char *label, const char *initial,
                     size_t max_bytes, form_check_fn check, void *ctx);
size_t form_add_secret(struct form *f, const char *label, size_t max_bytes,
                       form_check_fn check, void *ctx);
size_t form_add_choice(struct form *f, const char *label,
                       const char *const *choices, size_t n, size_t initial);
/* The same with labels made by the caller (a list of resources): takes
 * choices, each string and the array. */
size_t form_add_choice_take(struct form *f, const char *label, char **choices,
                            size_t n, size_t initial);
size_t form_add_check(struct form *f, const char *label, bool checked);
size_t form_add_info(struct form *f, const char *text);
/* A typed confirmation: a text field that checks out only when it holds
 * exactly name ("Type the secret's name to purge it"); its message says
 * what to type. */
size_t form_add_confirm(struct form *f, const char *label, const char *name);
/* A dim line under a field (what may be typed); copied. */
void form_set_hint(struct form *f, size_t i, const char *hint);
/* The buttons' labels (copied); cancel NULL: no cancel button (Esc
 * still cancels). */
void form_set_buttons(struct form *f, const char *submit, const char *cancel);

/* One key (is_key: a curses KEY_* code). */
enum form_result form_feed(struct form *f, int ch, bool is_key);
/* Tries to submit: true when every field checks out; else the focus goes
 * to the first field in error and every message shows. */
bool form_submit(struct form *f);
/* True when every field checks out (nothing shown, focus unchanged). */
bool form_ok(const struct form *f);
/* Moves the focus to field i (a focusable one). */
void form_focus(struct form *f, size_t i);
/* Whether field i takes the focus (all but info lines). */
bool form_focusable(const struct form *f, size_t i);

/* A message about field i from elsewhere (e.g. the server says the name
 * is taken); shown at once, until the field is edited. Copied; NULL
 * clears. */
void form_set_error(struct form *f, size_t i, const char *msg);
/* The message to show under field i now, or NULL. */
const char *form_error(const struct form *f, size_t i);

/* Values. form_text(): a TEXT field's text (borrowed, valid until the
 * next key). form_secret(): a SECRET field's value (borrowed).
 * form_take_secret(): the value, handed over (the field is left empty;
 * the caller frees with secret_free()). */
const char *form_text(const struct form *f, size_t i);
const struct secret *form_secret(const struct form *f, size_t i);
struct secret *form_take_secret(struct form *f, size_t i);
size_t form_choice(const struct form *f, size_t i);
bool form_checked(const struct form *f, size_t i);

/* Field i (TEXT or SECRET) as it is shown in width columns: the part of
 * the text around the cursor, or for a secret one mask per character.
 * Writes it to out (n bytes) and the cursor's column to *cursor_col.
 * Control characters show as '?'. */
void form_display(struct form *f, size_t i, int width, const char *mask,
                  char *out, size_t n, int *cursor_col);

#endif
