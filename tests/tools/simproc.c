/*
 * simproc.c — kvdeck-sim as a child process for the C tests (simproc.h).
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "tests/tools/simproc.h"

extern char **environ;

const char *
simproc_bin(void)
{
    static char bin[512];
    const char *env = getenv("KVDECK_SIM"), *top = getenv("top_builddir");
    if (env != NULL)
        snprintf(bin, sizeof bin, "%s", env);
    else
        snprintf(bin, sizeof bin, "%s/src/sim/kvdeck-sim", top ? top : ".");
    return access(bin, X_OK) == 0 ? bin : NULL;
}

static cJSON *
read_json(const char *path)
{
    /* read(), not stdio: the file holds the client secret, and a FILE's
     * buffer is freed unwiped (test-secret-memory looks for it) */
    char buf[16384];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    cJSON *j = json_parse(buf, n > 0 ? (size_t)n : 0, path, NULL);
    secmem_wipe(buf, sizeof buf);
    return j;
}

bool
simproc_start(struct simproc *sp, const char *bin, const char *const *extra)
{
    memset(sp, 0, sizeof *sp);
    sp->pid = -1;
    snprintf(sp->dir, sizeof sp->dir, "/tmp/kvtest-sim-XXXXXX");
    if (mkdtemp(sp->dir) == NULL) {
        sp->dir[0] = '\0';
        return false;
    }
    const char *base[] = {bin,           "--state-dir", sp->dir,  "--listen",
                          "127.0.0.1:0", "--no-proxy",  "--seed", "demo"};
    size_t nb = sizeof base / sizeof base[0], ne = 0;
    while (extra != NULL && extra[ne] != NULL)
        ne++;
    const char **argv = xcalloc(nb + ne + 1, sizeof *argv);
    memcpy(argv, base, sizeof base);
    for (size_t i = 0; i < ne; i++)
        argv[nb + i] = extra[i];

    int out[2];
    if (pipe(out) != 0) {
        free(argv);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    int err =
        posix_spawn(&sp->pid, bin, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    close(out[1]);
    if (err != 0) {
        sp->pid = -1;
        close(out[0]);
        return false;
    }
    /* It prints "ready PATH" once it serves. */
    FILE *f = fdopen(out[0], "r");
    char line[700] = "", path[600];
    bool ready = f != NULL && fgets(line, sizeof line, f) != NULL &&
                 sscanf(line, "ready %599s", path) == 1;
    if (f != NULL)
        fclose(f);
    else
        close(out[0]);
    if (!ready || (sp->conn = read_json(path)) == NULL)
        return false;
    sp->ca = json_str(sp->conn, "ca");
    const cJSON *port = cJSON_GetObjectItem(sp->conn, "port");
    snprintf(sp->url, sizeof sp->url, "https://127.0.0.1:%d",
             port != NULL ? port->valueint : 0);
    const char *s = json_str(sp->conn, "client_secret");
    sp->client_secret = secret_dup(s ? s : "", s ? strlen(s) : 0);
    return sp->ca != NULL;
}

void
simproc_config(const struct simproc *sp, struct engine_config *c)
{
    c->cloud = json_str(sp->conn, "cloud_file");
    c->ca_file = sp->ca;
    c->tenant_id = json_str(sp->conn, "tenant");
    c->client_id = json_str(sp->conn, "client_id");
    c->client_secret = sp->client_secret;
    c->no_environment = true;
}

bool
simproc_control(const struct simproc *sp, const char *method, const char *path,
                const char *json)
{
    /* argv, not a shell: the body's quotes need no escaping */
    const char *argv[16];
    size_t n = 0;
    char url[512];
    snprintf(url, sizeof url, "%s/_sim%s", sp->url, path);
    argv[n++] = "curl";
    argv[n++] = "-sf";
    argv[n++] = "-o";
    argv[n++] = "/dev/null";
    argv[n++] = "--noproxy";
    argv[n++] = "*";
    argv[n++] = "--cacert";
    argv[n++] = sp->ca;
    argv[n++] = "-X";
    argv[n++] = method;
    if (json != NULL) {
        argv[n++] = "-H";
        argv[n++] = "Content-Type: application/json";
        argv[n++] = "-d";
        argv[n++] = json;
    }
    argv[n++] = url;
    argv[n] = NULL;
    pid_t pid;
    int st = 0;
    if (posix_spawnp(&pid, "curl", NULL, NULL, (char *const *)argv, environ) !=
        0)
        return false;
    if (waitpid(pid, &st, 0) != pid)
        return false;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

void
simproc_stop(struct simproc *sp)
{
    if (sp->pid > 0) {
        kill(sp->pid, SIGTERM);
        waitpid(sp->pid, NULL, 0);
    }
    sp->pid = -1;
    secret_free(sp->client_secret);
    sp->client_secret = NULL;
    cJSON_Delete(sp->conn);
    sp->conn = NULL;
    if (sp->dir[0] != '\0') {
        pid_t pid;
        const char *argv[] = {"rm", "-rf", sp->dir, NULL};
        if (posix_spawnp(&pid, "rm", NULL, NULL, (char *const *)argv,
                         environ) == 0)
            waitpid(pid, NULL, 0);
        sp->dir[0] = '\0';
    }
}
