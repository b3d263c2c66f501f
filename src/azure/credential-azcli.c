/*
 * credential-azcli.c — signing in by reusing the az CLI's login on this
 * host: each token comes from
 *
 *     az account get-access-token --resource R [--tenant T] --output json
 *
 * run with posix_spawnp (never a shell), its output read through the
 * transport's loop (az_http_watch) so the worker keeps serving other
 * requests while az starts (a second or two), with a time limit. The
 * answer holds a token, so standard output is read into secure memory.
 * When az fails, its standard error says why ("Please run 'az login'"),
 * and kvdeck passes that on.
 *
 * Whether az is signed in at all is read from its profile
 * ($AZURE_CONFIG_DIR or ~/.azure, azureProfile.json) without running it:
 * the default subscription's tenant becomes the home tenant.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "azure/credential-int.h"
#include "azure/json.h"
#include "base/buf.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

extern char **environ;

/* How long one az run may take (it starts Python: about a second);
 * KVDECK_AZ_TIMEOUT (seconds) changes it for slow hosts and tests. */
#define AZCLI_TIMEOUT_MS 30000
/* Most of az's standard error kept for the message. */
#define AZCLI_STDERR_MAX 4096

struct azcli_priv {
    char *program; /* "az", or $KVDECK_AZ (tests) */
    long timeout_ms;
    uint64_t next_id;
    struct vec runs; /* struct azrun * */
};

struct azrun {
    struct az_credential *cred;
    struct az_http *h;
    uint64_t id;
    pid_t pid;
    int out, err;          /* our ends of its pipes, -1 once at their end */
    uint64_t wout, werr;   /* their watches, 0 none */
    int64_t deadline_ms;   /* time_mono_ms() */
    struct secret *answer; /* its standard output: a token */
    struct buf errtext;    /* its standard error */
    char *spawn_why;       /* it could not be started: why */
    az_credential_done_fn done;
    void *ud;
};

static void run_free(struct azrun *r);

/* ---- the answer -------------------------------------------------------- */

/* "2026-12-05 18:41:26.000000" in local time (older az) to epoch. */
static int64_t
local_time(const char *s)
{
    struct tm tm = {0};
    if (s == NULL ||
        sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    return t == (time_t)-1 ? -1 : (int64_t)t;
}

enum kv_status
az_credential_parse_azcli(const char *body, size_t len, int64_t now,
                          struct secret **token, int64_t *expires_at,
                          char **why)
{
    cJSON *root = json_parse(body, len, _("the az CLI's answer"), why);
    enum kv_status st = KV_ERR_PARSE;
    *token = NULL;
    if (root == NULL)
        return KV_ERR_PARSE;
    /* expires_on from az 2.54 on; before, only local-time expiresOn */
    st = az_token_of(root, "accessToken", "tokenType", true,
                     _("the az CLI's answer"), now, token, expires_at, why);
    if (st == KV_OK && *expires_at < 0) {
        int64_t on = local_time(json_str(root, "expiresOn"));
        *expires_at = on > 0 ? on : now + 300; /* unknown: assume short */
    }
    json_scrub(root, "accessToken");
    cJSON_Delete(root);
    return st;
}

/* ---- one run of az ------------------------------------------------------ */

/* Ends the run: reaps az, reports to the waiter, frees the run. */
static void
finish(struct azrun *r, bool timed_out)
{
    struct azcli_priv *p = r->cred->priv;
    int status = 0;
    if (timed_out && r->pid > 0)
        kill(r->pid, SIGKILL);
    if (r->pid > 0)
        waitpid(r->pid, &status, 0);
    r->pid = -1;
    for (size_t i = 0; i < p->runs.len; i++)
        if (p->runs.items[i] == r)
            vec_remove(&p->runs, i);

    struct secret *token = NULL;
    int64_t expires_at = 0;
    char *why = NULL;
    enum kv_status st = KV_ERR_AUTH;
    if (r->spawn_why != NULL) {
        why = r->spawn_why;
        r->spawn_why = NULL;
    } else if (timed_out) {
        why = xasprintf(_("the az CLI did not answer within %ld s"),
                        p->timeout_ms / 1000);
        st = KV_ERR_TIMEOUT;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        st = az_credential_parse_azcli(r->answer->data, r->answer->len,
                                       time_now(), &token, &expires_at, &why);
        if (st != KV_OK)
            st = KV_ERR_AUTH; /* an answer kvdeck cannot use: no sign-in */
    } else {
        /* az's own words, first lines: "ERROR: Please run 'az login' to
         * setup account." */
        char *raw = xstrdup(buf_str(&r->errtext));
        char *msg = str_trim(raw);
        char *nl = strchr(msg, '\n');
        if (nl != NULL && strchr(nl + 1, '\n') != NULL)
            *strchr(nl + 1, '\n') = '\0';
        bool login = strstr(msg, "az login") != NULL;
        why = xasprintf(_("az account get-access-token failed (exit %d): "
                          "%s%s"),
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                        *msg != '\0' ? msg : _("no message"),
                        login ? _(" — run az login first") : "");
        free(raw);
    }
    log_debug("auth: az CLI %s", st == KV_OK ? "answered" : "failed");
    az_credential_done_fn done = r->done;
    void *ud = r->ud;
    run_free(r);
    done(ud, st, token, expires_at, why, 0);
}

static void on_output(void *ud, int fd, bool timed_out);

/* Watches whichever pipe is still open, with the time left. */
static void
rewatch(struct azrun *r)
{
    long left = (long)(r->deadline_ms - time_mono_ms());
    if (left < 1)
        left = 1;
    if (r->out >= 0 && r->wout == 0)
        r->wout = az_http_watch(r->h, r->out, left, on_output, r);
    if (r->err >= 0 && r->werr == 0)
        r->werr = az_http_watch(r->h, r->err, left, on_output, r);
}

/* Reads what fd has; false at its end. Standard output goes to secure
 * memory (grown by copying), standard error to a capped buffer. */
static bool
drain(struct azrun *r, int fd)
{
    char chunk[4096];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            if (fd == r->out) {
                if (!secret_append(r->answer, chunk, (size_t)n)) {
                    struct secret *big =
                        secret_new((r->answer->cap + (size_t)n) * 2);
                    secret_append(big, r->answer->data, r->answer->len);
                    secret_append(big, chunk, (size_t)n);
                    secret_free(r->answer);
                    r->answer = big;
                }
            } else if (r->errtext.len < AZCLI_STDERR_MAX) {
                buf_append(&r->errtext, chunk, (size_t)n);
            }
            continue;
        }
        secmem_wipe(chunk, sizeof chunk);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        return false; /* end of file, or an error: treat as the end */
    }
}

static void
on_output(void *ud, int fd, bool timed_out)
{
    struct azrun *r = ud;
    if (fd == r->out)
        r->wout = 0;
    else
        r->werr = 0;
    if (timed_out) {
        az_http_unwatch(r->h, r->wout);
        az_http_unwatch(r->h, r->werr);
        r->wout = r->werr = 0;
        finish(r, true);
        return;
    }
    if (!drain(r, fd)) {
        close(fd);
        if (fd == r->out)
            r->out = -1;
        else
            r->err = -1;
    }
    if (r->out < 0 && r->err < 0)
        finish(r, false);
    else
        rewatch(r);
}

static void
run_free(struct azrun *r)
{
    if (r == NULL)
        return;
    if (r->wout != 0)
        az_http_unwatch(r->h, r->wout);
    if (r->werr != 0)
        az_http_unwatch(r->h, r->werr);
    if (r->out >= 0)
        close(r->out);
    if (r->err >= 0)
        close(r->err);
    if (r->pid > 0) {
        kill(r->pid, SIGKILL);
        waitpid(r->pid, NULL, 0);
    }
    secret_free(r->answer);
    buf_free(&r->errtext);
    free(r->spawn_why);
    free(r);
}

/* Starts az with its output on two non-blocking pipes; false and *why
 * when it cannot be started (not installed). */
static bool
spawn(struct azrun *r, const char *program, const char *const *argv, char **why)
{
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC | O_NONBLOCK) != 0)
        goto fail_pipe;
    if (pipe2(err, O_CLOEXEC | O_NONBLOCK) != 0) {
        close(out[0]);
        close(out[1]);
        goto fail_pipe;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    int e =
        posix_spawnp(&r->pid, program, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    if (e != 0) {
        close(out[0]);
        close(err[0]);
        r->pid = -1;
        *why = e == ENOENT
                   ? xasprintf(_("the az CLI is not installed (%s not found "
                                 "on PATH)"),
                               program)
                   : xasprintf(_("cannot run %s: %s"), program, strerror(e));
        return false;
    }
    r->out = out[0];
    r->err = err[0];
    return true;
fail_pipe:
    *why = xasprintf(_("cannot run %s: %s"), program, strerror(errno));
    return false;
}

/* "https://vault.azure.net/.default" -> "https://vault.azure.net" (az's
 * --resource; the ARM scope keeps its own trailing slash:
 * "https://management.core.windows.net//.default" -> ".../"). */
static char *
resource_of(const char *scope)
{
    size_t n = strlen(scope);
    const char *suffix = "/.default";
    if (n > strlen(suffix) && str_eq(scope + n - strlen(suffix), suffix))
        n -= strlen(suffix);
    return xstrndup(scope, n);
}

static uint64_t
azcli_acquire(struct az_credential *c, struct az_http *h, const char *tenant,
              const char *scope, az_credential_done_fn done, void *ud)
{
    struct azcli_priv *p = c->priv;
    char *resource = resource_of(scope);
    const char *argv[] = {p->program,   "account", "get-access-token",
                          "--resource", resource,  "--output",
                          "json",       NULL,      NULL,
                          NULL};
    if (tenant != NULL && !str_eq(tenant, "organizations")) {
        argv[7] = "--tenant";
        argv[8] = tenant;
    }
    struct azrun *r = xcalloc(1, sizeof *r);
    r->cred = c;
    r->h = h;
    r->id = ++p->next_id;
    r->out = r->err = -1;
    r->answer = secret_new(8192);
    r->done = done;
    r->ud = ud;
    r->deadline_ms = time_mono_ms() + p->timeout_ms;
    char *why = NULL;
    log_debug("auth: az account get-access-token --resource %s%s%s", resource,
              argv[7] != NULL ? " --tenant " : "",
              argv[7] != NULL ? tenant : "");
    bool started = spawn(r, p->program, argv, &why);
    free(resource);
    if (!started) {
        /* not installed: fail on the loop's next turn, not inside acquire
         * (a watch on a closed pipe fires at once) */
        log_debug("auth: %s", why);
        int fds[2];
        if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
            free(why);
            run_free(r);
            return 0;
        }
        close(fds[1]);
        r->out = fds[0];
        r->spawn_why = why;
        r->pid = -1;
    }
    vec_push(&p->runs, r);
    rewatch(r);
    return r->id;
}

static void
azcli_cancel(struct az_credential *c, struct az_http *h, uint64_t id)
{
    struct azcli_priv *p = c->priv;
    (void)h;
    for (size_t i = 0; i < p->runs.len; i++) {
        struct azrun *r = p->runs.items[i];
        if (r->id == id) {
            vec_remove(&p->runs, i);
            run_free(r);
            return;
        }
    }
}

static void
azcli_free_priv(struct az_credential *c)
{
    struct azcli_priv *p = c->priv;
    for (size_t i = 0; i < p->runs.len; i++) {
        struct azrun *r = p->runs.items[i];
        r->wout = r->werr = 0; /* the transport goes with the client */
        run_free(r);
    }
    vec_free(&p->runs);
    free(p->program);
    free(p);
}

static const struct az_credential_ops azcli_ops = {
    .kind = "az CLI",
    .acquire = azcli_acquire,
    .cancel = azcli_cancel,
    .free = azcli_free_priv,
};

/* ---- the profile ------------------------------------------------------ */

char *
az_credential_azcli_profile(char **account)
{
    const char *dir = getenv("AZURE_CONFIG_DIR");
    const char *home = getenv("HOME");
    char *path = dir != NULL && *dir != '\0'
                     ? xasprintf("%s/azureProfile.json", dir)
                     : xasprintf("%s/.azure/azureProfile.json",
                                 home != NULL ? home : "");
    struct buf b = {0};
    char *tenant = NULL;
    if (account != NULL)
        *account = NULL;
    FILE *f = fopen(path, "r");
    free(path);
    if (f == NULL)
        return NULL;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    const char *text = buf_str(&b);
    size_t len = b.len;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* az's BOM */
        text += 3;
        len -= 3;
    }
    char *perr = NULL;
    cJSON *root = json_parse(text, len, "azureProfile.json", &perr);
    free(perr);
    const cJSON *subs = cJSON_GetObjectItem(root, "subscriptions"), *s;
    cJSON_ArrayForEach(s, subs)
    {
        if (!json_bool(s, "isDefault", false))
            continue;
        tenant = json_strdup(s, "tenantId");
        if (account != NULL)
            *account = json_strdup(s, "user.name");
        break;
    }
    cJSON_Delete(root);
    buf_free(&b);
    return tenant;
}

struct az_credential *
az_credential_azcli_new(const struct az_cloud *cloud, const char *tenant)
{
    struct az_credential *c = xcalloc(1, sizeof *c);
    struct azcli_priv *p = xcalloc(1, sizeof *p);
    const char *prog = getenv("KVDECK_AZ");
    p->program = xstrdup(prog != NULL && *prog != '\0' ? prog : "az");
    const char *t = getenv("KVDECK_AZ_TIMEOUT");
    long secs = t != NULL ? strtol(t, NULL, 10) : 0;
    p->timeout_ms = secs > 0 && secs < 3600 ? secs * 1000 : AZCLI_TIMEOUT_MS;
    c->ops = &azcli_ops;
    c->cloud = az_cloud_dup(cloud);
    c->tenant = xstrdup(tenant);
    c->name = xstrdup(_("az CLI login"));
    c->priv = p;
    return c;
}
