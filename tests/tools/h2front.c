/*
 * h2front.c — nghttpx as an HTTP/2 front for kvdeck-sim (see h2front.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "azure/json.h"
#include "tests/tools/h2front.h"

extern char **environ;

const char *
h2front_bin(void)
{
    static char found[600];
    const char *env = getenv("NGHTTPX");
    if (env != NULL && *env != '\0')
        return access(env, X_OK) == 0 ? env : NULL;
    const char *path = getenv("PATH");
    char dirs[2048];
    snprintf(dirs, sizeof dirs, "%s:/usr/sbin:/sbin", path ? path : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d != NULL;
         d = strtok_r(NULL, ":", &save)) {
        snprintf(found, sizeof found, "%s/nghttpx", d);
        if (access(found, X_OK) == 0)
            return found;
    }
    return NULL;
}

static bool
accepts(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

bool
h2front_start(struct h2front *f, const char *bin, const struct simproc *sp)
{
    memset(f, 0, sizeof *f);
    f->pid = -1;
    const cJSON *jp = cJSON_GetObjectItem(sp->conn, "port");
    int port = jp != NULL ? jp->valueint : 0;
    if (port <= 0)
        return false;
    snprintf(f->log, sizeof f->log, "%s/h2front-access.log", sp->dir);
    snprintf(f->conf, sizeof f->conf, "%s/h2front.conf", sp->dir);
    FILE *c = fopen(f->conf, "w");
    if (c == NULL)
        return false;
    fclose(c);
    char front[64], back[96], conf[640], log[640], errlog[640], key[640],
        cert[640];
    snprintf(front, sizeof front, "--frontend=127.0.0.1,%d", port);
    snprintf(back, sizeof back, "--backend=127.0.0.2,%d;;tls", port);
    snprintf(conf, sizeof conf, "--conf=%s", f->conf);
    snprintf(log, sizeof log, "--accesslog-file=%s", f->log);
    snprintf(errlog, sizeof errlog, "--errorlog-file=%s/h2front-error.log",
             sp->dir);
    snprintf(key, sizeof key, "%s/server-key.pem", sp->dir);
    snprintf(cert, sizeof cert, "%s/server.pem", sp->dir);
    const char *argv[] = {
        bin,
        conf,
        front,
        back,
        /* the backend is the sim on loopback, its certificate the one the
         * front presents: nothing to verify it against by name */
        "--insecure",
        "--single-process",
        "--workers=1",
        "--no-ocsp",
        "--no-via",
        log,
        "--accesslog-format=$alpn $method $path $status",
        errlog,
        key,
        cert,
        NULL,
    };
    if (posix_spawn(&f->pid, bin, NULL, NULL, (char *const *)argv, environ) !=
        0) {
        f->pid = -1;
        return false;
    }
    for (int i = 0; i < 200; i++) {
        if (accepts(port))
            return true;
        if (waitpid(f->pid, NULL, WNOHANG) == f->pid) {
            f->pid = -1;
            return false;
        }
        nanosleep(&(struct timespec){.tv_nsec = 50000000}, NULL);
    }
    h2front_stop(f);
    return false;
}

void
h2front_count(const struct h2front *f, size_t *all, size_t *h2)
{
    *all = *h2 = 0;
    FILE *in = fopen(f->log, "r");
    if (in == NULL)
        return;
    char line[1024];
    while (fgets(line, sizeof line, in) != NULL) {
        (*all)++;
        if (strncmp(line, "h2 ", 3) == 0)
            (*h2)++;
    }
    fclose(in);
}

void
h2front_stop(struct h2front *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
    }
    f->pid = -1;
    if (f->log[0] != '\0')
        unlink(f->log);
    if (f->conf[0] != '\0')
        unlink(f->conf);
}
