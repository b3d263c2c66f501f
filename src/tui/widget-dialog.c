/*
 * widget-dialog.c — questions and typed confirmations, as forms.
 */
#include "config.h"

#include <stdlib.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "tui/widget-dialog.h"
#include "tui/widget-form.h"

struct dialog {
    widget_dialog_fn done;
    void *ctx;
};

static void
dialog_done(struct app *a, struct screen *s, struct form *f, bool submitted,
            void *ctx)
{
    (void)f;
    struct dialog *d = ctx;
    if (submitted)
        screen_pop(a, s);
    if (d->done != NULL)
        d->done(a, submitted, d->ctx);
}

static struct screen *
dialog_push(struct app *a, const char *title, struct form *f,
            widget_dialog_fn done, void *ctx)
{
    struct dialog *d = xcalloc(1, sizeof *d);
    d->done = done;
    d->ctx = ctx;
    return widget_form_push(a, title, f, dialog_done, d, free);
}

struct screen *
widget_dialog_push(struct app *a, const char *title, const char *message,
                   const char *ok_label, widget_dialog_fn done, void *ctx)
{
    return dialog_push(a, title, form_dialog(message, NULL, ok_label), done,
                       ctx);
}

struct screen *
widget_dialog_typed_push(struct app *a, const char *title, const char *message,
                         const char *name, const char *ok_label,
                         widget_dialog_fn done, void *ctx)
{
    return dialog_push(a, title, form_dialog(message, name, ok_label), done,
                       ctx);
}
