/*
 * widget-dialog.h — a question on a modal screen: a message and buttons,
 * or with a typed confirmation ("Type the secret's name to purge it:"),
 * where the confirm button stays disabled until the typed text is the
 * name exactly, and a wrong name is refused with a message.
 *
 *     widget_dialog_typed_push(a, _("Purge secret"),
 *         _("Purging cannot be undone. Type the secret's name to purge "
 *           "it:"), name, _("Purge"), on_answer, ctx);
 *
 * A dialog is a form (form.h) with an info line, the confirmation field
 * when there is one, and two buttons: form_dialog() (form.h) builds that
 * form without a terminal, for the tests.
 */
#ifndef KV_TUI_WIDGET_DIALOG_H
#define KV_TUI_WIDGET_DIALOG_H

#include <stdbool.h>

#include "tui/form.h"
#include "tui/screen.h"

/* The answer: yes (the confirm button, the name typed exactly) or no
 * (Esc, Cancel). The dialog is gone when this is called. */
typedef void (*widget_dialog_fn)(struct app *a, bool yes, void *ctx);

/* A message with ok_label and Cancel. ctx stays the caller's. */
struct screen *widget_dialog_push(struct app *a, const char *title,
                                  const char *message, const char *ok_label,
                                  widget_dialog_fn done, void *ctx);
/* The same with the name to type (copied). */
struct screen *widget_dialog_typed_push(struct app *a, const char *title,
                                        const char *message, const char *name,
                                        const char *ok_label,
                                        widget_dialog_fn done, void *ctx);

#endif
