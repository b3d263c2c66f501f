/*
 * signals.c — the signal self-pipe and the crash-time terminal restore.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "tui/signals.h"

/* Signal state: the only mutable globals in the console. */
static int signals_pipe[2] = {-1, -1};
static volatile sig_atomic_t signals_armed;
static int signals_tty = -1;
static struct termios signals_termios;
static char signals_reset[128];
static size_t signals_reset_len;
static volatile pid_t signals_child;

static const int signals_queued[] = {SIGWINCH, SIGTERM, SIGHUP, SIGINT,
                                     SIGTSTP,  SIGCONT, SIGCHLD};
static const int signals_fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void
signals_queue(int sig)
{
    int saved = errno;
    unsigned char c = (unsigned char)sig;
    if (signals_pipe[1] >= 0) {
        ssize_t w = write(signals_pipe[1], &c, 1);
        (void)w; /* a full pipe already holds a wake-up */
    }
    errno = saved;
}

static void
signals_crash(int sig)
{
    if (signals_armed) {
        tcsetattr(signals_tty, TCSAFLUSH, &signals_termios);
        ssize_t w = write(signals_tty, signals_reset, signals_reset_len);
        (void)w;
    }
    if (signals_child > 0)
        kill(-signals_child, SIGTERM);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
signals_install(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = fn == signals_crash ? SA_RESETHAND : SA_RESTART;
    sigaction(sig, &sa, NULL);
}

enum kv_status
signals_init(char **why)
{
    if (signals_pipe[0] < 0) {
        if (pipe(signals_pipe) != 0) {
            *why = xasprintf(_("cannot create a pipe: %s"), strerror(errno));
            return KV_ERR_IO;
        }
        for (int i = 0; i < 2; i++) {
            fcntl(signals_pipe[i], F_SETFL,
                  fcntl(signals_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(signals_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    for (size_t i = 0; i < sizeof signals_queued / sizeof signals_queued[0];
         i++)
        signals_install(signals_queued[i], signals_queue);
    for (size_t i = 0; i < sizeof signals_fatal / sizeof signals_fatal[0]; i++)
        signals_install(signals_fatal[i], signals_crash);
    signal(SIGPIPE, SIG_IGN);
    return KV_OK;
}

int
signals_fd(void)
{
    return signals_pipe[0];
}

int
signals_next(void)
{
    unsigned char c;
    ssize_t r = read(signals_pipe[0], &c, 1);
    return r == 1 ? c : 0;
}

void
signals_arm_restore(int tty_fd, const struct termios *saved, const char *reset)
{
    signals_armed = 0;
    if (reset == NULL || saved == NULL)
        return;
    signals_tty = tty_fd;
    signals_termios = *saved;
    signals_reset_len = strlen(reset);
    if (signals_reset_len >= sizeof signals_reset)
        signals_reset_len = sizeof signals_reset - 1;
    memcpy(signals_reset, reset, signals_reset_len);
    signals_armed = 1;
}

void
signals_set_child_group(pid_t pgid)
{
    signals_child = pgid;
}

void
signals_suspend(void)
{
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    /* Continued. */
    signals_install(SIGTSTP, signals_queue);
}
