/*
 * demo.c — starting and stopping kvdeck-sim for `kvdeck --demo`.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include "azure/json.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/demo.h"

static bool
demo_executable(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
           access(path, X_OK) == 0;
}

char *
demo_find_sim(char **why)
{
    const char *env = getenv("KVDECK_SIM");
    if (env != NULL && *env != '\0') {
        if (demo_executable(env))
            return xstrdup(env);
        *why = xasprintf(_("KVDECK_SIM=%s is not an executable file"), env);
        return NULL;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
            const char *rel[] = {"/kvdeck-sim", "/sim/kvdeck-sim",
                                 "/../sim/kvdeck-sim"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                char *p = xasprintf("%s%s", self, rel[i]);
                if (demo_executable(p))
                    return p;
                free(p);
            }
        }
    }
    char *p = xasprintf("%s/kvdeck-sim", BINDIR);
    if (demo_executable(p))
        return p;
    free(p);
    *why = xasprintf(_("kvdeck-sim not found (looked next to kvdeck, in "
                       "sim/ and ../sim/, and in %s); set KVDECK_SIM"),
                     BINDIR);
    return NULL;
}

static int
demo_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* The start time of process pid (field 22 of /proc/PID/stat): with the
 * pid it tells a live owner from a pid used again. */
static bool
demo_proc_start(long pid, unsigned long long *t)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the name may hold blanks */
    if (p == NULL)
        return false;
    p++; /* the blank before field 3; step to the one before 22 */
    for (int field = 3; field < 22 && p != NULL; field++)
        p = strchr(p + 1, ' ');
    if (p == NULL)
        return false;
    *t = strtoull(p + 1, NULL, 10);
    return true;
}

/* Marks d->state_dir as this process's: "PID START" in its owner file. */
static void
demo_write_owner(const struct demo *d)
{
    unsigned long long t;
    if (!demo_proc_start((long)getpid(), &t))
        return;
    char *path = xasprintf("%s/owner", d->state_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    free(path);
    if (fd < 0)
        return;
    char line[64];
    int n = snprintf(line, sizeof line, "%ld %llu\n", (long)getpid(), t);
    (void)!write(fd, line, (size_t)n);
    close(fd);
}

/* The sweep at start: removes the demo directories in tmp of this user
 * whose owner is gone (a kvdeck killed together with its guard). A
 * directory without an owner file (kept with KVDECK_DEMO_KEEP) stays. */
static void
demo_sweep(const char *tmp)
{
    DIR *dir = opendir(tmp);
    if (dir == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, "kvdeck-demo-", 12) != 0)
            continue;
        char *p = xasprintf("%s/%s", tmp, e->d_name);
        char *o = xasprintf("%s/owner", p);
        struct stat sb;
        FILE *f = NULL;
        long pid = 0;
        unsigned long long t = 0, now = 0;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode) &&
            sb.st_uid == getuid() && (f = fopen(o, "r")) != NULL &&
            fscanf(f, "%ld %llu", &pid, &t) == 2 && pid > 0 &&
            !(demo_proc_start(pid, &now) && now == t))
            nftw(p, demo_rm, 16, FTW_DEPTH | FTW_PHYS);
        if (f != NULL)
            fclose(f);
        free(o);
        free(p);
    }
    closedir(dir);
}

/* The guard's program: reads the simulator's pid, then waits for the
 * end of its input. "stop" last means demo_stop() cleaned up; an end
 * without it means kvdeck died: end the simulator (already sent SIGTERM
 * by PDEATHSIG), wait until it is gone, remove the state directory ($1).
 * A shell, exec'd, so that no copy of kvdeck's memory outlives it. */
static const char demo_guard_sh[] =
    "trap '' INT HUP TERM QUIT PIPE\n"
    "sim= last=\n"
    "while IFS= read -r l; do\n"
    "  case $l in stop) last=stop ;; *[!0-9]*|'') ;; *) sim=$l ;; esac\n"
    "done\n"
    "[ \"$last\" = stop ] && exit 0\n"
    "if [ -n \"$sim\" ]; then\n"
    "  kill -TERM -- \"-$sim\" 2>/dev/null\n"
    "  i=0\n"
    "  while kill -0 \"$sim\" 2>/dev/null && [ $i -lt 50 ]; do\n"
    "    sleep 0.1; i=$((i + 1))\n"
    "  done\n"
    "  kill -KILL -- \"-$sim\" 2>/dev/null\n"
    "fi\n"
    "[ -n \"${KVDECK_DEMO_KEEP:-}\" ] || rm -rf -- \"$1\"\n";

/* Starts the guard of d->state_dir (see demo.h). Without one (no
 * /bin/sh, no socket) the demo still runs; only a crash leaves the
 * directory behind. */
static void
demo_guard_start(struct demo *d)
{
    int sv[2];
    d->guard_fd = -1;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return;
    }
    if (pid == 0) {
        /* own process group: a Ctrl-C or a kill of kvdeck's group
         * leaves it to clean up */
        setpgid(0, 0);
        int null = open("/dev/null", O_RDWR);
        dup2(sv[1], 0); /* dup2 clears close-on-exec */
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl("/bin/sh", "sh", "-c", demo_guard_sh, "kvdeck-demo-guard",
              d->state_dir, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    d->guard_pid = pid;
    d->guard_fd = sv[0];
}

/* Tells the guard a line (the simulator's pid, or "stop"). */
static void
demo_guard_say(struct demo *d, const char *line)
{
    if (d->guard_fd >= 0)
        (void)!send(d->guard_fd, line, strlen(line), MSG_NOSIGNAL);
}

/* The last lines of the simulator's log, for an error message. */
static char *
demo_log_tail(const struct demo *d)
{
    char *path = xasprintf("%s/sim.log", d->state_dir);
    FILE *f = fopen(path, "r");
    free(path);
    if (f == NULL)
        return xstrdup("");
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* keep about the last 400 bytes */
    const char *s = n > 400 ? buf + n - 400 : buf;
    return str_trim(xstrdup(s));
}

static enum kv_status
demo_read_connection(struct demo *d, char **why)
{
    enum kv_status st = KV_OK;
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    /* read(), not stdio: the file holds the client secret, and a FILE's
     * buffer is freed unwiped */
    int fd = open(d->conn_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *why =
            xasprintf(_("cannot read %s: %s"), d->conn_path, strerror(errno));
        return KV_ERR_IO;
    }
    text = xmalloc(65536);
    for (ssize_t r; len < 65535; len += (size_t)r) {
        r = read(fd, text + len, 65535 - len);
        if (r < 0 && errno == EINTR)
            r = 0;
        else if (r <= 0)
            break;
    }
    close(fd);
    text[len] = '\0';
    root = json_parse(text, len, d->conn_path, why);
    if (root == NULL) {
        st = KV_ERR_PARSE;
        goto out;
    }
    const char *secret = json_str(root, "client_secret");
    /* the Entra ID form of the sim's cloud when it has one (tokens asked
     * of each tenant: :tenant works), else the AD FS one */
    d->cloud_file = json_strdup(root, "cloud_file_entra");
    if (d->cloud_file == NULL)
        d->cloud_file = json_strdup(root, "cloud_file");
    d->ca_file = json_strdup(root, "ca");
    d->tenant = json_strdup(root, "tenant");
    d->client_id = json_strdup(root, "client_id");
    d->control = json_strdup(root, "control");
    d->client_certificate = json_strdup(root, "client_certificate");
    if (secret == NULL || d->cloud_file == NULL || d->ca_file == NULL ||
        d->tenant == NULL || d->client_id == NULL) {
        *why = xasprintf(_("%s lacks cloud_file, ca, tenant, client_id or "
                           "client_secret"),
                         d->conn_path);
        st = KV_ERR_PARSE;
        goto out;
    }
    d->client_secret = secret_dup(secret, strlen(secret));
out:
    if (root != NULL) {
        json_scrub(root, "client_secret");
        cJSON_Delete(root);
    }
    secmem_wipe(text, len);
    free(text);
    return st;
}

enum kv_status
demo_start(const char *seed, int timeout_ms, struct demo **out, char **why)
{
    struct demo *d = xcalloc(1, sizeof *d);
    d->guard_fd = -1;
    *out = NULL;
    d->sim_path = demo_find_sim(why);
    if (d->sim_path == NULL) {
        free(d);
        return KV_ERR_NOT_FOUND;
    }
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || *tmp != '/')
        tmp = "/tmp";
    demo_sweep(tmp);
    d->state_dir = xasprintf("%s/kvdeck-demo-XXXXXX", tmp);
    if (mkdtemp(d->state_dir) == NULL) {
        *why = xasprintf(_("cannot create a temporary directory: %s"),
                         strerror(errno));
        free(d->state_dir);
        d->state_dir = NULL;
        demo_stop(d);
        return KV_ERR_IO;
    }
    if (getenv("KVDECK_DEMO_KEEP") == NULL)
        demo_write_owner(d);
    demo_guard_start(d);
    d->conn_path = xasprintf("%s/connection.json", d->state_dir);
    char *log = xasprintf("%s/sim.log", d->state_dir);
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        *why = xasprintf(_("cannot start kvdeck-sim: %s"), strerror(errno));
        free(log);
        demo_stop(d);
        return KV_ERR_IO;
    }
    if (pid == 0) {
        /* The child: own process group (Ctrl-C at the console does not
         * reach it), and die with the parent. */
        setpgid(0, 0);
#ifdef HAVE_SYS_PRCTL_H
        prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
        if (getppid() != parent)
            _exit(127);
        int in = open("/dev/null", O_RDONLY);
        int lf = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
        if (in >= 0)
            dup2(in, 0);
        if (lf >= 0) {
            dup2(lf, 1);
            dup2(lf, 2);
        }
        signal(SIGPIPE, SIG_DFL);
        execl(d->sim_path, "kvdeck-sim", "--state-dir", d->state_dir,
              "--listen", "127.0.0.1:0", "--seed", seed, (char *)NULL);
        _exit(127);
    }
    free(log);
    setpgid(pid, pid);
    d->pid = pid;
    char line[32];
    snprintf(line, sizeof line, "%ld\n", (long)pid);
    demo_guard_say(d, line);
    int64_t deadline = time_mono_ms() + timeout_ms;
    for (;;) {
        if (access(d->conn_path, R_OK) == 0)
            break;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            d->pid = 0;
            char *tail = demo_log_tail(d);
            *why = xasprintf(_("kvdeck-sim exited before serving: %s"), tail);
            free(tail);
            demo_stop(d);
            return KV_ERR_CONNECT;
        }
        if (time_mono_ms() > deadline) {
            char *tail = demo_log_tail(d);
            *why = xasprintf(_("kvdeck-sim did not start within %d s: %s"),
                             timeout_ms / 1000, tail);
            free(tail);
            demo_stop(d);
            return KV_ERR_TIMEOUT;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    enum kv_status st = demo_read_connection(d, why);
    if (st != KV_OK) {
        demo_stop(d);
        return st;
    }
    *out = d;
    return KV_OK;
}

void
demo_stop(struct demo *d)
{
    if (d == NULL)
        return;
    if (d->pid > 0) {
        kill(-d->pid, SIGTERM);
        int64_t deadline = time_mono_ms() + 3000;
        int status;
        while (waitpid(d->pid, &status, WNOHANG) == 0) {
            if (time_mono_ms() > deadline) {
                kill(-d->pid, SIGKILL);
                waitpid(d->pid, &status, 0);
                break;
            }
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (d->state_dir != NULL && getenv("KVDECK_DEMO_KEEP") == NULL)
        nftw(d->state_dir, demo_rm, 16, FTW_DEPTH | FTW_PHYS);
    if (d->guard_fd >= 0) {
        /* cleaned up: the guard may go without doing anything */
        demo_guard_say(d, "stop\n");
        close(d->guard_fd);
        int status;
        while (waitpid(d->guard_pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    free(d->sim_path);
    free(d->state_dir);
    free(d->conn_path);
    free(d->cloud_file);
    free(d->ca_file);
    free(d->tenant);
    free(d->client_id);
    free(d->client_certificate);
    free(d->control);
    secret_free(d->client_secret);
    free(d);
}
