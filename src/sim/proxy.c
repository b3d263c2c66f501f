/*
 * proxy.c — CONNECT proxy answered by the simulator itself (see
 * proxy.h). One thread accepts; each tunnel runs in its own thread and
 * relays bytes with poll() until either side closes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/http.h"
#include "sim/proxy.h"

struct proxy {
    struct sim *sim;
    int fd;
    bool private_path;
    pthread_t thread;
    atomic_bool stop;
    atomic_int active;
};

struct tunnel {
    struct proxy *p;
    int fd;
};

static bool
host_served(const char *h)
{
    static const char *const exact[] = {"localhost",
                                        "127.0.0.1",
                                        "vault.localhost",
                                        "login.microsoftonline.com",
                                        "login.windows.net",
                                        "management.azure.com",
                                        "management.core.windows.net",
                                        "graph.microsoft.com",
                                        NULL};

    for (size_t i = 0; exact[i]; i++)
        if (strcasecmp(h, exact[i]) == 0)
            return true;
    return (str_iends(h, ".vault.localhost") ||
            str_iends(h, ".openai.localhost") ||
            str_iends(h, ".cognitiveservices.localhost")) &&
           !strchr(h, '/');
}

static void
send_all(int fd, const char *msg, size_t n)
{
    size_t off = 0;

    while (off < n) {
        ssize_t w = send(fd, msg + off, n - off, MSG_NOSIGNAL);

        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

static void
say(int fd, const char *msg)
{
    send_all(fd, msg, strlen(msg));
}

static int
connect_self(struct proxy *p)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -1;
    if (p->private_path) {
        struct sockaddr_in src = {.sin_family = AF_INET};

        inet_pton(AF_INET, "127.0.0.2", &src.sin_addr);
        if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
            close(fd);
            return -1;
        }
    }
    sa.sin_port = htons((uint16_t)p->sim->port);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Copies what is readable from `from` to `to`; false on EOF/error. */
static bool
pump(int from, int to)
{
    char buf[16384];
    ssize_t n = recv(from, buf, sizeof buf, 0), off = 0;

    if (n <= 0)
        return false;
    while (off < n) {
        ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

        if (w <= 0)
            return false;
        off += w;
    }
    return true;
}

static void *
tunnel_run(void *arg)
{
    struct tunnel *t = arg;
    struct proxy *p = t->p;
    char head[16384], host[512], ver[16];
    size_t len = 0;
    int port = 0, up = -1;
    char *end = NULL;

    /* Read the request head. */
    while (len < sizeof head - 1) {
        struct pollfd pf = {.fd = t->fd, .events = POLLIN};
        ssize_t n;

        if (atomic_load(&p->stop) || poll(&pf, 1, 200) < 0)
            goto out;
        if (!(pf.revents & (POLLIN | POLLHUP)))
            continue;
        n = recv(t->fd, head + len, sizeof head - 1 - len, 0);
        if (n <= 0)
            goto out;
        len += (size_t)n;
        head[len] = '\0';
        if ((end = strstr(head, "\r\n\r\n")) != NULL)
            break;
    }
    if (!end) {
        say(t->fd, "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                   "Connection: close\r\nContent-Length: 0\r\n\r\n");
        goto out;
    }
    if (sscanf(head, "CONNECT %511[^: ]:%d HTTP/%15s", host, &port, ver) != 3) {
        say(t->fd,
            "HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n"
            "Content-Type: text/plain\r\nContent-Length: 56\r\n\r\n"
            "kvdeck-sim's proxy only answers CONNECT to itself.\r\n\r\n");
        goto out;
    }
    if (!host_served(host) || (port != 443 && port != p->sim->port)) {
        say(t->fd, "HTTP/1.1 403 Forbidden\r\nConnection: close\r\n"
                   "Content-Type: text/plain\r\nContent-Length: 62\r\n\r\n"
                   "kvdeck-sim tunnels only to the hosts it serves itself.\r\n"
                   "\r\n\r\n\r\n");
        goto out;
    }
    if ((up = connect_self(p)) < 0) {
        say(t->fd, "HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n"
                   "Content-Length: 0\r\n\r\n");
        goto out;
    }
    say(t->fd, "HTTP/1.1 200 Connection established\r\n\r\n");
    /* Bytes after the head belong to the tunnel (a TLS ClientHello). */
    end += 4;
    if ((size_t)(end - head) < len)
        send_all(up, end, len - (size_t)(end - head));
    for (;;) {
        struct pollfd pf[2] = {{.fd = t->fd, .events = POLLIN},
                               {.fd = up, .events = POLLIN}};
        int r = poll(pf, 2, 250);

        if (atomic_load(&p->stop) || r < 0)
            break;
        if (r == 0)
            continue;
        if ((pf[0].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(t->fd, up))
            break;
        if ((pf[1].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(up, t->fd))
            break;
    }
out:
    if (up >= 0)
        close(up);
    close(t->fd);
    atomic_fetch_sub(&p->active, 1);
    free(t);
    return NULL;
}

static void *
accept_run(void *arg)
{
    struct proxy *p = arg;

    while (!atomic_load(&p->stop)) {
        struct pollfd pf = {.fd = p->fd, .events = POLLIN};
        struct tunnel *t;
        pthread_t th;
        pthread_attr_t attr;
        int fd;

        if (poll(&pf, 1, 200) <= 0)
            continue;
        fd = accept4(p->fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        t = xmalloc(sizeof *t);
        t->p = p;
        t->fd = fd;
        atomic_fetch_add(&p->active, 1);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        if (pthread_create(&th, &attr, tunnel_run, t) != 0) {
            close(fd);
            free(t);
            atomic_fetch_sub(&p->active, 1);
        }
        pthread_attr_destroy(&attr);
    }
    return NULL;
}

enum kv_status
proxy_start(struct sim *sim, const char *host, int port, bool private_path,
            struct proxy **out, int *bound, char **why)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t sl = sizeof sa;
    struct proxy *p;
    int fd, one = 1;

    if (!http_is_loopback(host) || strchr(host, ':')) {
        *why = xasprintf("refusing to run the proxy on %s: only IPv4 "
                         "loopback addresses are allowed",
                         host);
        return KV_ERR_INVALID;
    }
    sa.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &sa.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(fd, 256) != 0) {
        *why = xasprintf("cannot listen on %s:%d for the proxy: %s", host, port,
                         strerror(errno));
        if (fd >= 0)
            close(fd);
        return KV_ERR_IO;
    }
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    *bound = ntohs(sa.sin_port);
    p = xcalloc(1, sizeof *p);
    p->sim = sim;
    p->fd = fd;
    p->private_path = private_path;
    if (pthread_create(&p->thread, NULL, accept_run, p) != 0) {
        close(fd);
        free(p);
        *why = xstrdup("cannot start the proxy thread");
        return KV_ERR_INTERNAL;
    }
    *out = p;
    return KV_OK;
}

void
proxy_stop(struct proxy *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    close(p->fd);
    for (int i = 0; i < 100 && atomic_load(&p->active) > 0; i++)
        usleep(20000);
    free(p);
}
