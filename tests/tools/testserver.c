/*
 * testserver.c — spawning and reading kvtest-server.py (see testserver.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/tools/testserver.h"

extern char **environ;

long long
test_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* True if prog is found on PATH (or is an executable path). */
static bool
have_program(const char *prog)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

int
testserver_start(struct testserver *ts, const char **why)
{
    const char *py = getenv("PYTHON3");
    const char *top = getenv("top_srcdir");
    char script[512];
    int in[2], out[2];

    memset(ts, 0, sizeof *ts);
    ts->pid = -1;
    ts->in_fd = -1;
    if (py == NULL || *py == '\0')
        py = "python3";
    if (!have_program(py)) {
        *why = "python3 not found";
        return 77;
    }
    if (!have_program("openssl")) {
        *why = "the openssl command is not installed";
        return 77;
    }
    snprintf(script, sizeof script, "%s/tests/tools/kvtest-server.py",
             top != NULL ? top : ".");
    snprintf(ts->dir, sizeof ts->dir, "%s/kvtest-XXXXXX",
             getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(ts->dir) == NULL) {
        *why = "cannot create a temporary directory";
        return -1;
    }
    snprintf(ts->ca, sizeof ts->ca, "%s/ca.pem", ts->dir);
    snprintf(ts->cloud, sizeof ts->cloud, "%s/cloud.json", ts->dir);
    snprintf(ts->log, sizeof ts->log, "%s/requests.log", ts->dir);
    if (pipe(in) != 0 || pipe(out) != 0) {
        *why = "pipe failed";
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char *argv[] = {(char *)py, script, ts->dir, NULL};
    int err = posix_spawnp(&ts->pid, py, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    ts->in_fd = in[1];
    if (err != 0) {
        *why = "cannot start python3";
        close(out[0]);
        return -1;
    }
    FILE *f = fdopen(out[0], "r");
    char line[128] = "";
    if (f == NULL || fgets(line, sizeof line, f) == NULL ||
        sscanf(line, "ready %d", &ts->port) != 1) {
        *why = "the test server did not start (see its stderr)";
        if (f != NULL)
            fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

void
testserver_stop(struct testserver *ts)
{
    char cmd[512];
    if (ts->in_fd >= 0)
        close(ts->in_fd);
    ts->in_fd = -1;
    if (ts->pid > 0) {
        int st;
        long long until = test_now_ms() + 5000;
        while (waitpid(ts->pid, &st, WNOHANG) == 0) {
            if (test_now_ms() > until) {
                kill(ts->pid, SIGKILL);
                waitpid(ts->pid, &st, 0);
                break;
            }
            usleep(20000);
        }
        ts->pid = -1;
    }
    if (ts->dir[0] != '\0' && strstr(ts->dir, "kvtest-") != NULL) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", ts->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "# could not remove %s\n", ts->dir);
    }
}

static bool
line_has(const char *line, va_list ap)
{
    const char *w;
    while ((w = va_arg(ap, const char *)) != NULL)
        if (strstr(line, w) == NULL)
            return false;
    return true;
}

int
testserver_count(const struct testserver *ts, ...)
{
    FILE *f = fopen(ts->log, "r");
    char line[4096];
    int n = 0;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        va_list ap;
        va_start(ap, ts);
        if (line_has(line, ap))
            n++;
        va_end(ap);
    }
    fclose(f);
    return n;
}

int
testserver_max_inflight(const struct testserver *ts)
{
    char path[400], buf[256] = "";
    int n = -1;
    snprintf(path, sizeof path, "%s/stats.json", ts->dir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    if (fgets(buf, sizeof buf, f) != NULL) {
        const char *p = strstr(buf, "\"max_inflight\":");
        if (p != NULL)
            n = atoi(p + 15);
    }
    fclose(f);
    return n;
}

bool
testserver_wait_for(const struct testserver *ts, int ms, const char *w1,
                    const char *w2)
{
    long long until = test_now_ms() + ms;
    do {
        if (testserver_count(ts, w1, w2, (const char *)NULL) > 0)
            return true;
        usleep(10000);
    } while (test_now_ms() < until);
    return false;
}
