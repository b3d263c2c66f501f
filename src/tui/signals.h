/*
 * signals.h — signals turned into bytes on a self-pipe the main loop
 * polls, plus the last-resort terminal restore on a crash.
 *
 * SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGTSTP, SIGCONT and SIGCHLD only
 * write their number to the pipe; the loop acts on them between key
 * presses. SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT restore the
 * terminal with async-signal-safe calls (tcsetattr + write of the saved
 * reset sequence), stop the simulator's process group if one was
 * registered, and die with the original signal.
 *
 * The pipe and these few values are the program's only mutable globals
 * (signal state, as the house style allows).
 */
#ifndef KV_TUI_SIGNALS_H
#define KV_TUI_SIGNALS_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/status.h"

/* Creates the pipe and installs the handlers. Call before curses starts
 * (so curses keeps its hands off these signals). */
enum kv_status signals_init(char **why);
/* The read end to poll; signals_next() reads one signal (0 if none). */
int signals_fd(void);
int signals_next(void);
struct termios;
/* Remembers the terminal modes from before curses (saved) and the bytes
 * that reset the screen (leave the alternate screen, show the cursor,
 * plain attributes, mouse off), for the crash path. reset NULL disarms. */
void signals_arm_restore(int tty_fd, const struct termios *saved,
                         const char *reset);
/* Also kill this process group on a crash (the simulator's); 0 = none. */
void signals_set_child_group(pid_t pgid);
/* For Ctrl-Z: stops the process until SIGCONT, with SIGTSTP's default
 * action, then reinstalls the handler. */
void signals_suspend(void);

#endif
