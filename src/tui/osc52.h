/*
 * osc52.h — copy a secret value to the user's clipboard with the OSC 52
 * terminal escape, which works over SSH and, wrapped for passthrough,
 * inside tmux and GNU screen. The sequence (it contains the value, base64
 * encoded) is built in secure memory and written straight to the
 * terminal file descriptor, never anywhere else.
 */
#ifndef KV_TUI_OSC52_H
#define KV_TUI_OSC52_H

#include <stddef.h>

#include "base/secmem.h"
#include "base/status.h"

enum osc52_mode {
    OSC52_PLAIN,  /* ESC ] 52 ; c ; B64 BEL */
    OSC52_TMUX,   /* the same inside ESC P tmux; ... ESC \ */
    OSC52_SCREEN, /* in DCS chunks of at most 76 base64 bytes */
};

/* Picks the wrapping from $TMUX and $STY (pass getenv() results). */
enum osc52_mode osc52_mode_from_env(const char *tmux, const char *sty);

/* The escape sequence that puts len bytes at data on the clipboard.
 * Returns a secret the caller frees with secret_free(). */
struct secret *osc52_build(const void *data, size_t len, enum osc52_mode mode);

/* Builds and writes the sequence to fd (the terminal), retrying short
 * writes; wipes it afterwards. */
enum kv_status osc52_write(int fd, const struct secret *value,
                           enum osc52_mode mode, char **why);

#endif
