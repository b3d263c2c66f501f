/*
 * settings.c — reading and checking the configuration file (see settings.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "azure/cloud.h"
#include "azure/resolve.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "engine/graph.h"
#include "engine/settings.h"

#define SETTINGS_MAX_BYTES (256 * 1024)

struct settings *
settings_new(void)
{
    struct settings *cfg = xcalloc(1, sizeof *cfg);
    cfg->color = CONFIG_AUTO;
    cfg->ascii = CONFIG_AUTO;
    cfg->mouse = false;
    cfg->reveal_seconds = 5;
    cfg->graph_threshold = GRAPH_THRESHOLD_DEFAULT;
    return cfg;
}

void
settings_free(struct settings *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->path);
    free(cfg->cloud);
    free(cfg->tenant);
    free(cfg->client_id);
    free(cfg->ca_file);
    kv_strlist_free(&cfg->resolve);
    secret_free(cfg->client_secret);
    free(cfg->auth);
    free(cfg->client_certificate);
    free(cfg->device_client_id);
    secret_free(cfg->client_certificate_password);
    free(cfg->subscription);
    free(cfg->group);
    free(cfg->vault);
    for (size_t i = 0; i < cfg->nbinds; i++) {
        free(cfg->binds[i].key);
        free(cfg->binds[i].action);
    }
    free(cfg->binds);
    for (size_t i = 0; i < cfg->nstyles; i++) {
        free(cfg->styles[i].element);
        free(cfg->styles[i].fg);
        free(cfg->styles[i].bg);
    }
    free(cfg->styles);
    free(cfg);
}

char *
settings_default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg != NULL && xdg[0] == '/')
        return xasprintf("%s/kvdeck/config", xdg);
    const char *home = getenv("HOME");
    if (home != NULL && home[0] != '\0')
        return xasprintf("%s/.config/kvdeck/config", home);
    return NULL;
}

static void
settings_set_str(char **slot, const char *value)
{
    free(*slot);
    *slot = xstrdup(value);
}

static bool
settings_tristate(const char *v, enum config_tristate *out, const char *yes,
                  const char *no)
{
    if (str_ieq(v, "auto"))
        *out = CONFIG_AUTO;
    else if (str_ieq(v, yes) || str_ieq(v, "yes") || str_ieq(v, "on") ||
             str_ieq(v, "true"))
        *out = CONFIG_YES;
    else if (str_ieq(v, no) || str_ieq(v, "no") || str_ieq(v, "off") ||
             str_ieq(v, "false"))
        *out = CONFIG_NO;
    else
        return false;
    return true;
}

/* Splits s at blanks into at most max words; returns the count. */
static int
settings_words(char *s, char **w, int max)
{
    int n = 0;
    while (*s != '\0') {
        while (*s == ' ' || *s == '\t')
            *s++ = '\0';
        if (*s == '\0')
            break;
        if (n == max)
            return max + 1;
        w[n++] = s;
        while (*s != '\0' && *s != ' ' && *s != '\t')
            s++;
    }
    return n;
}

static enum kv_status
settings_directive(struct settings *cfg, char *rest, bool bind, int line,
                   char **msg)
{
    char *w[6];
    int n = settings_words(rest, w, 6);
    if (bind) {
        if (n != 2) {
            *msg = xstrdup(_("expected \"bind KEY ACTION\""));
            return KV_ERR_CONFIG;
        }
        cfg->binds =
            xreallocarray(cfg->binds, cfg->nbinds + 1, sizeof *cfg->binds);
        cfg->binds[cfg->nbinds].key = xstrdup(w[0]);
        cfg->binds[cfg->nbinds].action = xstrdup(w[1]);
        cfg->binds[cfg->nbinds].line = line;
        cfg->nbinds++;
        return KV_OK;
    }
    if (n < 2 || n > 6) {
        *msg = xstrdup(_("expected \"style ELEMENT FG [BG] [bold] "
                         "[reverse] [underline]\""));
        return KV_ERR_CONFIG;
    }
    struct config_style st = {xstrdup(w[0]), xstrdup(w[1]), NULL, 0, line};
    for (int i = 2; i < n; i++) {
        if (str_ieq(w[i], "bold"))
            st.attrs |= CONFIG_ATTR_BOLD;
        else if (str_ieq(w[i], "reverse"))
            st.attrs |= CONFIG_ATTR_REVERSE;
        else if (str_ieq(w[i], "underline"))
            st.attrs |= CONFIG_ATTR_UNDERLINE;
        else if (i == 2)
            st.bg = xstrdup(w[i]);
        else {
            *msg = xasprintf(_("unknown attribute \"%s\""), w[i]);
            free(st.element);
            free(st.fg);
            free(st.bg);
            return KV_ERR_CONFIG;
        }
    }
    cfg->styles =
        xreallocarray(cfg->styles, cfg->nstyles + 1, sizeof *cfg->styles);
    cfg->styles[cfg->nstyles++] = st;
    return KV_OK;
}

/* One "name = value" line. */
static enum kv_status
settings_setting(struct settings *cfg, const char *name, char *value,
                 char **msg)
{
    struct {
        const char *name;
        char **slot;
    } strs[] = {
        {"cloud", &cfg->cloud},
        {"tenant", &cfg->tenant},
        {"client-id", &cfg->client_id},
        {"auth", &cfg->auth},
        {"client-certificate", &cfg->client_certificate},
        {"device-client-id", &cfg->device_client_id},
        {"ca-file", &cfg->ca_file},
        {"subscription", &cfg->subscription},
        {"group", &cfg->group},
        {"vault", &cfg->vault},
    };
    if (*value == '\0') {
        *msg = xasprintf(_("\"%s\" has no value"), name);
        return KV_ERR_CONFIG;
    }
    if (str_eq(name, "tenant") && !az_cloud_tenant_valid(value)) {
        *msg = az_cloud_tenant_check(value, NULL);
        return KV_ERR_CONFIG;
    }
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (str_eq(name, strs[i].name)) {
            settings_set_str(strs[i].slot, value);
            return KV_OK;
        }
    if (str_eq(name, "resolve")) { /* repeatable: each line adds one */
        const char *bad = az_resolve_check(value);
        if (bad != NULL) {
            *msg = xasprintf("resolve = %s: %s", value, bad);
            return KV_ERR_CONFIG;
        }
        kv_strlist_add(&cfg->resolve, value);
        return KV_OK;
    }
    if (str_eq(name, "client-secret")) {
        secret_free(cfg->client_secret);
        cfg->client_secret = secret_dup(value, strlen(value));
        return KV_OK;
    }
    if (str_eq(name, "client-certificate-password")) {
        secret_free(cfg->client_certificate_password);
        cfg->client_certificate_password = secret_dup(value, strlen(value));
        return KV_OK;
    }
    if (str_eq(name, "color") || str_eq(name, "colour")) {
        if (!settings_tristate(value, &cfg->color, "always", "never")) {
            *msg = xstrdup(_("color must be auto, always or never"));
            return KV_ERR_CONFIG;
        }
        return KV_OK;
    }
    if (str_eq(name, "ascii")) {
        if (!settings_tristate(value, &cfg->ascii, "yes", "no")) {
            *msg = xstrdup(_("ascii must be auto, yes or no"));
            return KV_ERR_CONFIG;
        }
        return KV_OK;
    }
    if (str_eq(name, "mouse")) {
        enum config_tristate t;
        if (!settings_tristate(value, &t, "yes", "no") || t == CONFIG_AUTO) {
            *msg = xstrdup(_("mouse must be yes or no"));
            return KV_ERR_CONFIG;
        }
        cfg->mouse = t == CONFIG_YES;
        return KV_OK;
    }
    if (str_eq(name, "managed-identity")) {
        enum config_tristate t;
        if (!settings_tristate(value, &t, "yes", "no") || t == CONFIG_AUTO) {
            *msg = xstrdup(_("managed-identity must be yes or no"));
            return KV_ERR_CONFIG;
        }
        cfg->managed_identity = t == CONFIG_YES;
        return KV_OK;
    }
    if (str_eq(name, "reveal-seconds")) {
        char *end;
        long v = strtol(value, &end, 10);
        if (*end != '\0' || v < 1 || v > 300) {
            *msg = xstrdup(_("reveal-seconds must be a number from 1 to "
                             "300"));
            return KV_ERR_CONFIG;
        }
        cfg->reveal_seconds = (int)v;
        return KV_OK;
    }
    if (str_eq(name, "graph-threshold")) {
        char *end;
        long v = strtol(value, &end, 10);
        if (str_eq(value, "never"))
            v = GRAPH_THRESHOLD_NEVER;
        else if (*end != '\0' || end == value || v < 0 ||
                 v > GRAPH_THRESHOLD_NEVER) {
            *msg = xstrdup(_("graph-threshold must be a number of "
                             "subscriptions (0: always Resource Graph) or "
                             "never"));
            return KV_ERR_CONFIG;
        }
        cfg->graph_threshold = (int)v;
        return KV_OK;
    }
    *msg = xasprintf(_("unknown setting \"%s\""), name);
    return KV_ERR_CONFIG;
}

enum kv_status
settings_parse(struct settings *cfg, const char *name, char *text, char **why)
{
    int line = 0;
    char *p = text;
    while (p != NULL && *p != '\0') {
        char *nl = strchr(p, '\n');
        if (nl != NULL)
            *nl = '\0';
        line++;
        char *s = p;
        p = nl != NULL ? nl + 1 : NULL;
        /* A '#' starts a comment only at the start or after a blank, so
         * a secret may contain '#'. */
        for (char *h = s; *h != '\0'; h++)
            if (*h == '#' && (h == s || h[-1] == ' ' || h[-1] == '\t')) {
                *h = '\0';
                break;
            }
        str_trim(s);
        if (*s == '\0')
            continue;
        char *msg = NULL;
        enum kv_status st;
        if (str_starts(s, "bind ") || str_starts(s, "bind\t")) {
            st = settings_directive(cfg, s + 5, true, line, &msg);
        } else if (str_starts(s, "style ") || str_starts(s, "style\t")) {
            st = settings_directive(cfg, s + 6, false, line, &msg);
        } else {
            char *eq = strchr(s, '=');
            if (eq == NULL) {
                msg = xstrdup(_("expected \"name = value\""));
                st = KV_ERR_CONFIG;
            } else {
                *eq = '\0';
                char *key = str_trim(s), *value = str_trim(eq + 1);
                size_t vl = strlen(value);
                if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
                    value[vl - 1] = '\0';
                    value++;
                }
                st = settings_setting(cfg, key, value, &msg);
            }
        }
        if (st != KV_OK) {
            /* msg quotes the file: keep its control characters off the
             * terminal */
            char *raw = xasprintf("%s:%d: %s", name, line, msg);
            *why = str_escape_ctl(raw);
            free(raw);
            free(msg);
            return st;
        }
    }
    return KV_OK;
}

enum kv_status
settings_load(const char *path, struct settings **out, char **why)
{
    enum kv_status st = KV_OK;
    char *text = NULL, *def = NULL;
    size_t len = 0;
    int fd = -1;
    struct settings *cfg = settings_new();
    *out = NULL;
    if (path == NULL) {
        def = settings_default_path();
        if (def == NULL)
            goto done;
        path = def;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT && def != NULL)
            goto done; /* no config file: defaults */
        *why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
        st = KV_ERR_CONFIG;
        goto done;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *why = xasprintf(_("%s is not a regular file"), path);
        st = KV_ERR_CONFIG;
        goto done;
    }
    if (sb.st_uid != geteuid()) {
        *why = xasprintf(_("%s belongs to another user; refusing to use "
                           "it"),
                         path);
        st = KV_ERR_CONFIG;
        goto done;
    }
    if ((sb.st_mode & 077) != 0) {
        *why = xasprintf(_("%s can be read or changed by other users "
                           "(mode %04o); run: chmod 600 %s"),
                         path, (unsigned)(sb.st_mode & 07777), path);
        st = KV_ERR_CONFIG;
        goto done;
    }
    if (sb.st_size > SETTINGS_MAX_BYTES) {
        *why = xasprintf(_("%s is too large"), path);
        st = KV_ERR_CONFIG;
        goto done;
    }
    text = xmalloc((size_t)sb.st_size + 1);
    while (len < (size_t)sb.st_size) {
        ssize_t r = read(fd, text + len, (size_t)sb.st_size - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
            st = KV_ERR_CONFIG;
            goto done;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    text[len] = '\0';
    if (memchr(text, '\0', len) != NULL) {
        *why = xasprintf(_("%s is not a text file"), path);
        st = KV_ERR_CONFIG;
        goto done;
    }
    st = settings_parse(cfg, path, text, why);
    if (st == KV_OK)
        cfg->path = xstrdup(path);
done:
    if (text != NULL) {
        secmem_wipe(text, len);
        free(text);
    }
    if (fd >= 0)
        close(fd);
    free(def);
    if (st != KV_OK) {
        settings_free(cfg);
        return st;
    }
    *out = cfg;
    return KV_OK;
}

char *
settings_tenant_check(const char *tenant, const char *origin)
{
    return az_cloud_tenant_check(tenant, origin);
}
