/*
 * test-http-watch.c — file descriptors watched by the transport's loop
 * (az_http_watch, used for the az CLI's output): a readable pipe fires
 * with timed_out false, a quiet one fires at its time limit with
 * timed_out true, an unwatched one never fires, a closed writer counts as
 * readable (end of file), a watch ends when it fires, and a watch keeps
 * az_http_run() reporting activity. Timers (az_http_after, the device
 * code's polling interval): one fires once, at its time and not before,
 * never inside the call that set it; a cancelled one never fires; a
 * callback may set the next one; many timers do not take the place of
 * the 16 file descriptors served a turn.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "azure/http.h"
#include "base/timeutil.h"
#include "tests/tap.h"

struct seen {
    int calls;
    int fd;
    bool timed_out;
};

static void on_fd(void *ud, int fd, bool timed_out);

struct ticks {
    int calls;
    int64_t at_ms;
    struct az_http *h; /* set: the callback sets the next timer, twice */
};

static void
on_timer(void *ud)
{
    struct ticks *t = ud;
    t->calls++;
    t->at_ms = time_mono_ms();
    if (t->h != NULL && t->calls < 3)
        az_http_after(t->h, 20, on_timer, t);
}

/* The timer checks; p is a pipe whose read end has a byte waiting. */
static void
timers(struct az_http *h, int rd)
{
    struct ticks a = {0};
    int64_t t0 = time_mono_ms();
    az_http_after(h, 0, on_timer, &a);
    is_int(a.calls, 0, "a timer never fires inside az_http_after");
    is_int((int)az_http_run(h, 0) >= 0, 1, "one turn");
    is_int(a.calls, 1, "a 0 ms timer fires on the next turn");
    is_int((int)az_http_run(h, 0), 0, "a timer ends when it fires");

    struct ticks b = {0};
    t0 = time_mono_ms();
    az_http_after(h, 300, on_timer, &b);
    is_int((int)az_http_run(h, 0), 1, "a timer counts as activity");
    while (b.calls == 0 && time_mono_ms() - t0 < 3000)
        az_http_run(h, 1000); /* the wait ends at the timer, not 1 s */
    long took = (long)(b.at_ms - t0);
    ok(b.calls == 1 && took >= 290 && took < 900,
       "a 300 ms timer fires once, after about 300 ms (%ld ms)", took);

    struct ticks c = {0};
    uint64_t id = az_http_after(h, 10, on_timer, &c);
    az_http_unwatch(h, id);
    t0 = time_mono_ms();
    while (time_mono_ms() - t0 < 100)
        az_http_run(h, 20);
    is_int(c.calls, 0, "a cancelled timer never fires");

    struct ticks d = {.h = h};
    az_http_after(h, 10, on_timer, &d);
    t0 = time_mono_ms();
    while (d.calls < 3 && time_mono_ms() - t0 < 3000)
        az_http_run(h, 100);
    is_int(d.calls, 3, "a callback may set the next timer");

    /* 20 timers far away do not crowd out a readable descriptor */
    uint64_t ids[20];
    struct ticks far = {0};
    for (int i = 0; i < 20; i++)
        ids[i] = az_http_after(h, 60000, on_timer, &far);
    struct seen s = {0};
    az_http_watch(h, rd, 5000, on_fd, &s);
    t0 = time_mono_ms();
    while (s.calls == 0 && time_mono_ms() - t0 < 3000)
        az_http_run(h, 100);
    ok(s.calls == 1 && !s.timed_out && far.calls == 0,
       "a readable fd beside 20 timers fires; the timers wait");
    for (int i = 0; i < 20; i++)
        az_http_unwatch(h, ids[i]);
    is_int((int)az_http_run(h, 0), 0, "every timer cancelled: no activity");
}

static void
on_fd(void *ud, int fd, bool timed_out)
{
    struct seen *s = ud;
    s->calls++;
    s->fd = fd;
    s->timed_out = timed_out;
}

/* Runs the loop until s has a call or limit_ms passed. */
static void
run_until(struct az_http *h, struct seen *s, long limit_ms)
{
    int64_t end = time_mono_ms() + limit_ms;
    while (s->calls == 0 && time_mono_ms() < end)
        az_http_run(h, 50);
}

int
main(void)
{
    struct az_http_config c = {0};
    char *why = NULL;
    struct az_http *h = az_http_new(&c, &why);
    ok(h != NULL, "a transport (%s)", why ? why : "ok");
    if (h == NULL)
        return tap_done();
    int p[2];
    if (pipe(p) != 0)
        return tap_done();

    struct seen a = {0};
    az_http_watch(h, p[0], 5000, on_fd, &a);
    is_int((int)az_http_run(h, 0), 1, "a watch counts as activity");
    is_int(a.calls, 0, "nothing written: no call");
    if (write(p[1], "x", 1) != 1)
        return tap_done();
    int64_t t0 = time_mono_ms();
    run_until(h, &a, 3000);
    ok(a.calls == 1 && a.fd == p[0] && !a.timed_out,
       "readable: called with the fd, not timed out");
    ok(time_mono_ms() - t0 < 2000, "at once, not at the time limit");
    is_int((int)az_http_run(h, 0), 0, "a watch ends when it fires");
    char ch;
    if (read(p[0], &ch, 1) != 1)
        return tap_done();

    struct seen b = {0};
    t0 = time_mono_ms();
    az_http_watch(h, p[0], 200, on_fd, &b);
    run_until(h, &b, 3000);
    long took = (long)(time_mono_ms() - t0);
    ok(b.calls == 1 && b.timed_out, "quiet: called at its time limit");
    ok(took >= 150 && took < 2000, "after about 200 ms (%ld ms)", took);

    struct seen d = {0};
    uint64_t id = az_http_watch(h, p[0], 100, on_fd, &d);
    az_http_unwatch(h, id);
    if (write(p[1], "y", 1) != 1)
        return tap_done();
    for (int i = 0; i < 5; i++)
        az_http_run(h, 50);
    is_int(d.calls, 0, "unwatched: never called");

    struct seen e = {0};
    if (read(p[0], &ch, 1) != 1)
        return tap_done();
    if (write(p[1], "z", 1) != 1)
        return tap_done();
    timers(h, p[0]);
    if (read(p[0], &ch, 1) != 1)
        return tap_done();
    close(p[1]);
    az_http_watch(h, p[0], 5000, on_fd, &e);
    run_until(h, &e, 3000);
    ok(e.calls == 1 && !e.timed_out, "the writer closed: fires (end of file)");
    ok(read(p[0], &ch, 1) == 0, "and the read says end of file");
    close(p[0]);
    az_http_free(h);
    return tap_done();
}
