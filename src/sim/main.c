/*
 * main.c — kvdeck-sim: a local Azure (Entra ID, ARM, Key Vault data
 * plane, the Network and Private DNS providers kvdeck uses) over HTTPS on
 * loopback, with persistent state, seeds, faults and a control endpoint.
 *
 * Start-up: options, state directory (locked), keys, store, identity,
 * seed (an empty store only), listeners, then connection.json and the
 * line "ready PATH" on stdout. SIGINT/SIGTERM stop it cleanly; the main
 * thread otherwise compacts the journal when it grows.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "sim/arm-graph.h"
#include "sim/control.h"
#include "sim/device.h"
#include "sim/fault.h"
#include "sim/files.h"
#include "sim/http.h"
#include "sim/proxy.h"
#include "sim/seed.h"
#include "sim/store.h"
#include "sim/util.h"

struct options {
    char *state_dir;
    char *listen;
    char *proxy;
    char *private_proxy;
    bool no_proxy;
    char *imds;
    bool no_imds;
    char *seed;
    struct vec faults;
    char *deviations;
    unsigned long fault_seed;
};

static void
usage(FILE *f)
{
    fprintf(
        f,
        "Usage: kvdeck-sim [OPTION]...\n"
        "A local Azure (Entra ID, ARM, Key Vault) over HTTPS on "
        "loopback.\n\n"
        "  --state-dir DIR          state, keys and connection file "
        "(default\n"
        "                           $XDG_STATE_HOME/kvdeck-sim)\n"
        "  --listen HOST:PORT       HTTPS listener (default "
        "127.0.0.1:0)\n"
        "  --proxy HOST:PORT        CONNECT proxy (default 127.0.0.1:0)\n"
        "  --private-proxy HOST:PORT  proxy whose tunnels come from the\n"
        "                           private network (default "
        "127.0.0.1:0)\n"
        "  --no-proxy               run neither proxy\n"
        "  --imds HOST:PORT         managed-identity endpoint, plain HTTP\n"
        "                           (IMDS and App Service; default\n"
        "                           127.0.0.1:0)\n"
        "  --no-imds                no managed-identity endpoint\n"
        "  --seed SPEC              demo | scale[:k=v,...] | empty "
        "(first start)\n"
        "  --token-lifetime SECONDS access token lifetime (3599)\n"
        "  --lro-delay MS           long-running operation time (2000)\n"
        "  --dns-delay MS           new vault's RegisteringDns time "
        "(1000)\n"
        "  --retry-after SECONDS    Retry-After of LRO answers (1)\n"
        "  --page-size N            ARM page size without $top (100)\n"
        "  --device-auto-approve    approve device codes by themselves\n"
        "  --device-interval S      device-code polling interval (5)\n"
        "  --device-lifetime S      device-code lifetime (900)\n"
        "  --device-slow-down       answer slow_down to polls sooner than\n"
        "                           the interval (RFC 8628; Entra does not)\n"
        "  --refresh-lifetime S     refresh-token inactivity lifetime\n"
        "                           (7776000, 90 days)\n"
        "  --clock-skew S           run the clock S seconds ahead (Date\n"
        "                           header, token times; negative: behind)\n"
        "  --deviate NAME           provisioning-state | no-nextlink\n"
        "  --fault SPEC             inject a fault (repeatable)\n"
        "  --fault-seed N           seed of fault decisions (1)\n"
        "  --soft-delete-delay MS   deleted and recovered secrets show "
        "after MS (0)\n"
        "  --rbac-delay MS          a new role assignment grants after "
        "MS (5000)\n"
        "  --graph-quota N          Resource Graph queries per principal\n"
        "                           and window (15)\n"
        "  --graph-window-ms MS     Resource Graph quota window (5000)\n"
        "  --graph-lag MS           Resource Graph's index lags writes by "
        "MS (0)\n"
        "  --graph-forbidden        Resource Graph refuses every query "
        "(403)\n"
        "  --compact-bytes N        journal size that triggers a "
        "snapshot\n"
        "  -h, --help               show this help\n"
        "  -V, --version            show the version\n");
}

static bool
split_hostport(const char *s, char **host, int *port)
{
    const char *colon = strrchr(s, ':');
    char *end;
    long p;

    if (!colon)
        return false;
    p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535)
        return false;
    if (s[0] == '[' && colon[-1] == ']')
        *host = xstrndup(s + 1, (size_t)(colon - s - 2));
    else
        *host = xstrndup(s, (size_t)(colon - s));
    *port = (int)p;
    return true;
}

static int
int_arg(const char *opt, const char *v, int min, int max)
{
    char *end;
    long n = strtol(v, &end, 10);

    if (*end || n < min || n > max) {
        fprintf(stderr, "kvdeck-sim: %s wants a number in %d..%d\n", opt, min,
                max);
        exit(2);
    }
    return (int)n;
}

static char *
default_state_dir(void)
{
    const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

    if (x && *x)
        return xasprintf("%s/kvdeck-sim", x);
    return xasprintf("%s/.local/state/kvdeck-sim", home ? home : ".");
}

/* mkdir -p with mode 0700 for the last component. */
static bool
make_dirs(const char *path)
{
    char *p = xstrdup(path);

    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    if (mkdir(p, 0700) != 0 && errno != EEXIST) {
        free(p);
        return false;
    }
    free(p);
    return true;
}

static void
raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void
parse(int argc, char **argv, struct options *o, struct sim *sim)
{
    enum {
        O_STATE = 256,
        O_LISTEN,
        O_PROXY,
        O_PPROXY,
        O_NOPROXY,
        O_SEED,
        O_TOKEN,
        O_LRO,
        O_DNS,
        O_RETRY,
        O_PAGE,
        O_AUTO,
        O_DINT,
        O_DLIFE,
        O_DEVIATE,
        O_FAULT,
        O_FSEED,
        O_COMPACT,
        O_SDDELAY,
        O_RBACDELAY,
        O_IMDS,
        O_NOIMDS,
        O_SLOWDOWN,
        O_RTLIFE,
        O_SKEW,
        O_GQUOTA,
        O_GWINDOW,
        O_GLAG,
        O_GFORBID
    };
    static const struct option longopts[] = {
        {"state-dir", required_argument, NULL, O_STATE},
        {"listen", required_argument, NULL, O_LISTEN},
        {"proxy", required_argument, NULL, O_PROXY},
        {"private-proxy", required_argument, NULL, O_PPROXY},
        {"no-proxy", no_argument, NULL, O_NOPROXY},
        {"seed", required_argument, NULL, O_SEED},
        {"token-lifetime", required_argument, NULL, O_TOKEN},
        {"lro-delay", required_argument, NULL, O_LRO},
        {"dns-delay", required_argument, NULL, O_DNS},
        {"retry-after", required_argument, NULL, O_RETRY},
        {"page-size", required_argument, NULL, O_PAGE},
        {"device-auto-approve", no_argument, NULL, O_AUTO},
        {"device-interval", required_argument, NULL, O_DINT},
        {"device-lifetime", required_argument, NULL, O_DLIFE},
        {"deviate", required_argument, NULL, O_DEVIATE},
        {"fault", required_argument, NULL, O_FAULT},
        {"fault-seed", required_argument, NULL, O_FSEED},
        {"compact-bytes", required_argument, NULL, O_COMPACT},
        {"soft-delete-delay", required_argument, NULL, O_SDDELAY},
        {"rbac-delay", required_argument, NULL, O_RBACDELAY},
        {"imds", required_argument, NULL, O_IMDS},
        {"no-imds", no_argument, NULL, O_NOIMDS},
        {"device-slow-down", no_argument, NULL, O_SLOWDOWN},
        {"refresh-lifetime", required_argument, NULL, O_RTLIFE},
        {"clock-skew", required_argument, NULL, O_SKEW},
        {"graph-quota", required_argument, NULL, O_GQUOTA},
        {"graph-window-ms", required_argument, NULL, O_GWINDOW},
        {"graph-lag", required_argument, NULL, O_GLAG},
        {"graph-forbidden", no_argument, NULL, O_GFORBID},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;

    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case O_STATE:
            free(o->state_dir);
            o->state_dir = xstrdup(optarg);
            break;
        case O_LISTEN:
            free(o->listen);
            o->listen = xstrdup(optarg);
            break;
        case O_PROXY:
            free(o->proxy);
            o->proxy = xstrdup(optarg);
            break;
        case O_PPROXY:
            free(o->private_proxy);
            o->private_proxy = xstrdup(optarg);
            break;
        case O_NOPROXY:
            o->no_proxy = true;
            break;
        case O_IMDS:
            free(o->imds);
            o->imds = xstrdup(optarg);
            break;
        case O_NOIMDS:
            o->no_imds = true;
            break;
        case O_SLOWDOWN:
            sim->device_slow_down = true;
            break;
        case O_RTLIFE:
            sim->refresh_lifetime =
                int_arg("--refresh-lifetime", optarg, 1, 400 * 86400);
            break;
        case O_SKEW:
            sim->clock_skew_s =
                int_arg("--clock-skew", optarg, -86400 * 366, 86400 * 366);
            break;
        case O_SEED:
            free(o->seed);
            o->seed = xstrdup(optarg);
            break;
        case O_TOKEN:
            sim->token_lifetime = int_arg("--token-lifetime", optarg, 1, 86400);
            break;
        case O_LRO:
            sim->lro_delay_ms = int_arg("--lro-delay", optarg, 0, 3600000);
            break;
        case O_DNS:
            sim->dns_delay_ms = int_arg("--dns-delay", optarg, 0, 3600000);
            break;
        case O_RETRY:
            sim->retry_after = int_arg("--retry-after", optarg, 0, 3600);
            break;
        case O_PAGE:
            sim->page_size = int_arg("--page-size", optarg, 1, 1000);
            break;
        case O_AUTO:
            sim->device_auto_approve = true;
            break;
        case O_DINT:
            sim->device_interval = int_arg("--device-interval", optarg, 1, 60);
            break;
        case O_DLIFE:
            sim->device_lifetime =
                int_arg("--device-lifetime", optarg, 1, 86400);
            break;
        case O_DEVIATE: {
            char *d = o->deviations ? xasprintf("%s,%s", o->deviations, optarg)
                                    : xstrdup(optarg);

            free(o->deviations);
            o->deviations = d;
            break;
        }
        case O_FAULT:
            vec_push(&o->faults, xstrdup(optarg));
            break;
        case O_FSEED:
            o->fault_seed = strtoul(optarg, NULL, 10);
            break;
        case O_SDDELAY:
            sim->soft_delete_delay_ms =
                int_arg("--soft-delete-delay", optarg, 0, 3600000);
            break;
        case O_RBACDELAY:
            sim->rbac_delay_ms = int_arg("--rbac-delay", optarg, 0, 3600000);
            break;
        case O_GQUOTA:
            sim->graph_quota = int_arg("--graph-quota", optarg, 1, 1000000);
            break;
        case O_GWINDOW:
            sim->graph_window_ms =
                int_arg("--graph-window-ms", optarg, 1, 3600000);
            break;
        case O_GLAG:
            sim->graph_lag_ms = int_arg("--graph-lag", optarg, 0, 3600000);
            break;
        case O_GFORBID:
            sim->graph_forbidden = true;
            break;
        case O_COMPACT:
            sim->compact_bytes =
                int_arg("--compact-bytes", optarg, 1024, INT_MAX);
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("kvdeck-sim %s\n", PACKAGE_VERSION);
            exit(0);
        default:
            usage(stderr);
            exit(2);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "kvdeck-sim: unexpected argument '%s'\n", argv[optind]);
        exit(2);
    }
}

static void
sim_defaults(struct sim *sim)
{
    sim->token_lifetime = 3599;
    sim->lro_delay_ms = 2000;
    sim->dns_delay_ms = 1000;
    sim->rbac_delay_ms = 5000;
    sim->retry_after = 1;
    sim->page_size = 100;
    sim->device_interval = 5;
    sim->device_lifetime = 900;
    sim->refresh_lifetime = 90 * 86400;
    sim->compact_bytes = 8L << 20;
    sim->graph_quota = 15; /* Resource Graph's default: 15 per 5 s */
    sim->graph_window_ms = 5000;
}

static int
fail(const char *why)
{
    fprintf(stderr, "kvdeck-sim: %s\n", why);
    return 1;
}

int
main(int argc, char **argv)
{
    struct options o = {.fault_seed = 1};
    struct sim sim;
    struct http_server *http = NULL, *imds = NULL;
    struct proxy *proxy = NULL, *pproxy = NULL;
    char *why = NULL, *host = NULL, *conn = NULL, *lockpath = NULL;
    const char *env;
    int port = 0, rc = 1, lockfd = -1;
    sigset_t set;
    char real[PATH_MAX];

    memset(&sim, 0, sizeof sim);
    /* A Resource Graph query builds and drops megabytes of JSON per
     * request: without these glibc grows and trims the connection
     * threads' arenas on each one (half of a 5,000-row query's time). */
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    sim_defaults(&sim);
    /* Settings from the environment; options override them. */
    if ((env = getenv("KVSIM_SOFT_DELETE_DELAY")) && *env)
        sim.soft_delete_delay_ms =
            int_arg("KVSIM_SOFT_DELETE_DELAY", env, 0, 3600000);
    if ((env = getenv("KVSIM_RBAC_DELAY")) && *env)
        sim.rbac_delay_ms = int_arg("KVSIM_RBAC_DELAY", env, 0, 3600000);
    parse(argc, argv, &o, &sim);
    if (!o.state_dir)
        o.state_dir = default_state_dir();
    if (!o.seed)
        o.seed = xstrdup("demo");
    if (seed_check(o.seed, &why) != KV_OK)
        goto out;
    if (!split_hostport(o.listen ? o.listen : "127.0.0.1:0", &host, &port)) {
        why = xstrdup("--listen wants HOST:PORT");
        goto out;
    }
    if (!http_is_loopback(host)) {
        why = xasprintf("refusing to listen on %s: only loopback addresses "
                        "(127.0.0.0/8, ::1) are allowed",
                        host);
        goto out;
    }
    if ((env = getenv("KVSIM_DEVIATE")) && *env) {
        char *d =
            o.deviations ? xasprintf("%s,%s", o.deviations, env) : xstrdup(env);

        free(o.deviations);
        o.deviations = d;
    }
    {
        unsigned bits = 0;

        if (!control_parse_deviations(o.deviations, &bits, &why))
            goto out;
        sim.deviations = bits;
    }
    sim.faults = faults_new(o.fault_seed);
    if ((env = getenv("KVSIM_FAULTS")) && *env) {
        char *copy = xstrdup(env), *save = NULL, *tok;

        for (tok = strtok_r(copy, ";", &save); tok;
             tok = strtok_r(NULL, ";", &save))
            if (*str_trim(tok) &&
                faults_add_spec(sim.faults, tok, &why) != KV_OK) {
                free(copy);
                goto out;
            }
        free(copy);
    }
    for (size_t i = 0; i < o.faults.len; i++)
        if (faults_add_spec(sim.faults, o.faults.items[i], &why) != KV_OK)
            goto out;
    if (!make_dirs(o.state_dir) || !realpath(o.state_dir, real)) {
        why = xasprintf("cannot create %s: %s", o.state_dir, strerror(errno));
        goto out;
    }
    chmod(real, 0700);
    sim.state_dir = xstrdup(real);
    lockpath = xasprintf("%s/sim.lock", sim.state_dir);
    lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockfd < 0 || flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
        why = xasprintf("%s is in use by another kvdeck-sim", sim.state_dir);
        goto out;
    }
    raise_fd_limit();
    if (keys_ensure(sim.state_dir, &sim.keys, &why) != KV_OK ||
        store_open(sim.state_dir, sim.compact_bytes, &sim.store, &why) !=
            KV_OK ||
        files_identity(&sim, o.seed, &why) != KV_OK)
        goto out;
    if (!sim.seed)
        sim.seed = xstrdup(o.seed);
    if (store_len(sim.store) == 0 && seed_load(&sim, o.seed, &why) != KV_OK)
        goto out;
    sim.devices = devices_new(sim.store);
    sim.graph = arm_graph_new(&sim);
    {
        cJSON *rv = store_get_json(sim.store, "auth|revoked");

        sim.refresh_revoked = json_int(rv, "before", 0);
        cJSON_Delete(rv);
    }

    /* Signals: only the main thread takes SIGINT/SIGTERM, synchronously. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (http_start(&sim, host, port, false, &sim.port, &http, &why) != KV_OK)
        goto out;
    if (!o.no_imds) {
        char *ih = NULL;
        int ip = 0, bound = 0;

        if (!split_hostport(o.imds ? o.imds : "127.0.0.1:0", &ih, &ip) ||
            http_start(&sim, ih, ip, true, &bound, &imds, &why) != KV_OK) {
            if (!why)
                why = xstrdup("--imds wants HOST:PORT");
            free(ih);
            goto out;
        }
        atomic_store(&sim.imds_port, bound);
        free(ih);
    }
    if (!o.no_proxy) {
        char *ph = NULL;
        int pp = 0;

        if (!split_hostport(o.proxy ? o.proxy : "127.0.0.1:0", &ph, &pp) ||
            proxy_start(&sim, ph, pp, false, &proxy, &sim.proxy_port, &why) !=
                KV_OK) {
            if (!why)
                why = xstrdup("--proxy wants HOST:PORT");
            free(ph);
            goto out;
        }
        free(ph);
        if (!split_hostport(o.private_proxy ? o.private_proxy : "127.0.0.1:0",
                            &ph, &pp) ||
            proxy_start(&sim, ph, pp, true, &pproxy, &sim.private_proxy_port,
                        &why) != KV_OK) {
            if (!why)
                why = xstrdup("--private-proxy wants HOST:PORT");
            free(ph);
            goto out;
        }
        free(ph);
    }
    if (files_write_connection(&sim, &conn, &why) != KV_OK)
        goto out;
    printf("ready %s\n", conn);
    fflush(stdout);

    for (;;) {
        struct timespec ts = {.tv_sec = 1};
        int sig = sigtimedwait(&set, NULL, &ts);

        if (sig > 0)
            break;
        if (store_needs_compaction(sim.store) &&
            store_compact(sim.store, &why) != KV_OK) {
            fprintf(stderr, "kvdeck-sim: %s\n", why);
            free(why);
            why = NULL;
        }
    }
    rc = 0;
out:
    if (why)
        rc = fail(why);
    proxy_stop(pproxy);
    proxy_stop(proxy);
    http_stop(imds);
    http_stop(http);
    if (conn && rc == 0)
        unlink(conn);
    arm_graph_free(sim.graph);
    store_close(sim.store);
    faults_free(sim.faults);
    devices_free(sim.devices);
    keys_free(&sim.keys);
    files_identity_free(&sim.id);
    if (lockfd >= 0)
        close(lockfd);
    free(lockpath);
    free(sim.state_dir);
    free(sim.seed);
    free(host);
    free(conn);
    free(why);
    free(o.state_dir);
    free(o.listen);
    free(o.proxy);
    free(o.private_proxy);
    free(o.imds);
    free(o.seed);
    free(o.deviations);
    vec_free_all(&o.faults, free);
    return rc;
}
