/*
 * screen-signin.h — the console's side of a person's sign-in with a
 * device code: a modal screen with the page to open and the code to
 * enter, the time left and "waiting for you to sign in"; after a
 * decline, an expiry or a refused code the reason, r for a new code and
 * Esc to close. It appears when the worker first needs the code and
 * goes when the sign-in is done (the lists then load).
 */
#ifndef KV_TUI_SCREEN_SIGNIN_H
#define KV_TUI_SCREEN_SIGNIN_H

#include <stdbool.h>

#include "tui/app.h"

struct result;

/* engine_on_sign_in()'s deliver (ctx: the app): RESULT_SIGN_IN results
 * push, update or pop the screen. */
void screen_signin_deliver(void *ctx, struct result *r);

/* r in the panes after the screen was closed on a failed sign-in: asks
 * for a new code and loads the lists again; true when it did (the key
 * is then used up). */
bool screen_signin_retry(struct app *a);

#endif
