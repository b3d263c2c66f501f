/*
 * test-settings.c — the configuration file: every setting, and every
 * kind of error naming the file and the line; file permission checks.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tap.h"
#include "base/xalloc.h"
#include "engine/settings.h"

/* Parses text; returns the status and leaves the message in *why. */
static enum kv_status
parse(const char *text, struct settings **out, char **why)
{
    struct settings *cfg = settings_new();
    char *copy = xstrdup(text);
    *why = NULL;
    enum kv_status st =
        settings_parse(cfg, "/home/u/.config/kvdeck/config", copy, why);
    free(copy);
    if (out != NULL && st == KV_OK)
        *out = cfg;
    else
        settings_free(cfg);
    return st;
}

static void
test_good(void)
{
    struct settings *cfg = NULL;
    char *why;
    const char *text = "# kvdeck\n"
                       "cloud = AzureUSGovernment\n"
                       "tenant = 72f988bf-86f1-41af-91ab-2d7cd011db47\n"
                       "client-id=11111111-2222-3333-4444-555555555555\n"
                       "client-secret = \"p#ss word\"\n"
                       "\n"
                       "  vault = kv-app-prod   # where to start\n"
                       "color = never\n"
                       "ascii = yes\n"
                       "mouse = on\n"
                       "reveal-seconds = 9\n"
                       "bind C-d page-down\n"
                       "bind\tj  none\n"
                       "style selected black cyan bold\n"
                       "style error red\n";
    is_int(parse(text, &cfg, &why), KV_OK, "a full config parses");
    if (cfg == NULL)
        return;
    is_str(cfg->cloud, "AzureUSGovernment", "cloud");
    is_str(cfg->client_id, "11111111-2222-3333-4444-555555555555",
           "client-id without blanks around '='");
    ok(cfg->client_secret && strcmp(cfg->client_secret->data, "p#ss word") == 0,
       "quoted secret keeps '#' and blanks");
    is_str(cfg->vault, "kv-app-prod", "comment after a value is dropped");
    is_int(cfg->color, CONFIG_NO, "color never");
    is_int(cfg->ascii, CONFIG_YES, "ascii yes");
    ok(cfg->mouse, "mouse on");
    is_int(cfg->reveal_seconds, 9, "reveal-seconds");
    is_int(cfg->nbinds, 2, "two bind lines");
    is_str(cfg->binds[1].key, "j", "bind key");
    is_str(cfg->binds[1].action, "none", "bind action");
    is_int(cfg->binds[1].line, 13, "bind remembers its line");
    is_int(cfg->nstyles, 2, "two style lines");
    is_str(cfg->styles[0].bg, "cyan", "style background");
    is_int(cfg->styles[0].attrs, CONFIG_ATTR_BOLD, "style bold");
    ok(cfg->styles[1].bg == NULL, "style without background");
    settings_free(cfg);
}

static void
expect_error(const char *text, const char *want, const char *what)
{
    char *why = NULL;
    enum kv_status st = parse(text, NULL, &why);
    ok(st == KV_ERR_CONFIG && why != NULL && strstr(why, want) != NULL, "%s",
       what);
    if (why == NULL || strstr(why, want) == NULL)
        printf("#   got: %s\n#   want: ...%s...\n", why ? why : "(null)", want);
    free(why);
}

static void
test_errors(void)
{
    expect_error("vault = a\ncolour = sometimes\n",
                 "/home/u/.config/kvdeck/config:2: color must be",
                 "bad color value names file and line 2");
    expect_error("\n\n\nfrobnicate = 1\n",
                 "config:4: unknown setting \"frobnicate\"",
                 "unknown setting names line 4");
    expect_error("vault kv\n", ":1: expected \"name = value\"",
                 "missing '=' is reported");
    expect_error("tenant =\n", ":1: \"tenant\" has no value", "empty value");
    expect_error("bind x\n", ":1: expected \"bind KEY ACTION\"",
                 "bind with one word");
    expect_error("reveal-seconds = 0\n", "reveal-seconds must be",
                 "reveal-seconds out of range");
    expect_error("graph-threshold = -1\n", "graph-threshold must be",
                 "graph-threshold below 0 refused");
    expect_error("graph-threshold = some\n", "graph-threshold must be",
                 "graph-threshold not a number refused");
    {
        struct settings *g = NULL;
        char *gw = NULL;
        is_int(parse("graph-threshold = 0\n", &g, &gw), KV_OK,
               "graph-threshold = 0 parses");
        ok(g != NULL && g->graph_threshold == 0, "0: always Resource Graph");
        settings_free(g);
        g = NULL;
        is_int(parse("graph-threshold = never\n", &g, &gw), KV_OK,
               "graph-threshold = never parses");
        ok(g != NULL && g->graph_threshold >= 1000000000,
           "never: above any tenant's count");
        settings_free(g);
        free(gw);
    }
    expect_error("mouse = auto\n", "mouse must be yes or no",
                 "mouse auto refused");
    expect_error("style sel red blue blink\n", "unknown attribute \"blink\"",
                 "unknown style attribute");
    /* issue 11: a tenant goes into the token URL; control characters
     * from the file are shown escaped, never sent to the terminal */
    expect_error("tenant = evil.example/x?\n",
                 "config:1: tenant \"evil.example/x?\" is neither a tenant "
                 "ID (a GUID) nor a domain name",
                 "a tenant that is no GUID or domain is refused");
    char *why = NULL;
    ok(parse("vault = a\nfrob\x1b[2J\x1b]0;pwned\x07 = 1\n", NULL, &why) ==
               KV_ERR_CONFIG &&
           why != NULL && strchr(why, '\x1b') == NULL &&
           strchr(why, '\x07') == NULL &&
           strstr(why, ":2: unknown setting \"frob\\x1b[2J\\x1b]0;pwned\\x07\"") !=
               NULL,
       "an escape sequence in a config line is shown escaped: %s",
       why ? why : "(null)");
    free(why);
    ok(parse("style sel red blue \x1b[5m\n", NULL, &why) == KV_ERR_CONFIG &&
           why != NULL && strchr(why, '\x1b') == NULL &&
           strstr(why, "\\x1b[5m") != NULL,
       "and in a style attribute: %s", why ? why : "(null)");
    free(why);
}

static void
test_files(void)
{
    char dir[] = "/tmp/kvdeck-settings-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        ok(0, "mkdtemp");
        return;
    }
    char *path = xasprintf("%s/config", dir);
    struct settings *cfg = NULL;
    char *why = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const char *text = "vault = kv-x\n";
    ok(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text),
       "write a config file");
    close(fd);
    is_int(settings_load(path, &cfg, &why), KV_OK, "a 0600 file is read");
    ok(cfg && strcmp(cfg->vault, "kv-x") == 0 && strcmp(cfg->path, path) == 0,
       "its settings and path are kept");
    settings_free(cfg);
    cfg = NULL;
    chmod(path, 0644);
    is_int(settings_load(path, &cfg, &why), KV_ERR_CONFIG,
           "a world-readable file is refused");
    ok(why && strstr(why, path) && strstr(why, "chmod 600"),
       "the message names the file and the fix");
    free(why);
    why = NULL;
    chmod(path, 0640);
    is_int(settings_load(path, &cfg, &why), KV_ERR_CONFIG,
           "a group-readable file is refused");
    free(why);
    why = NULL;
    char *missing = xasprintf("%s/nope", dir);
    is_int(settings_load(missing, &cfg, &why), KV_ERR_CONFIG,
           "a named file that is missing is an error");
    ok(why && strstr(why, missing), "naming the file");
    free(why);
    why = NULL;
    /* The default path: missing is fine. */
    setenv("XDG_CONFIG_HOME", dir, 1);
    is_int(settings_load(NULL, &cfg, &why), KV_OK,
           "no default config file: defaults");
    ok(cfg && cfg->path == NULL && cfg->reveal_seconds == 5, "defaults");
    ok(cfg && cfg->graph_threshold == 10, "graph-threshold defaults to 10");
    settings_free(cfg);
    cfg = NULL;
    char *def = settings_default_path();
    char *want_def = xasprintf("%s/kvdeck/config", dir);
    is_str(def, want_def, "default path under $XDG_CONFIG_HOME");
    free(want_def);
    free(def);
    if (getuid() != 0) {
        chmod(path, 0);
        is_int(settings_load(path, &cfg, &why), KV_ERR_CONFIG,
               "an unreadable file is an error");
        free(why);
        why = NULL;
    }
    chmod(path, 0600);
    fd = open(path, O_WRONLY | O_TRUNC);
    const char *bad = "vault = x\nvault y\n";
    ok(write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad), "write bad file");
    close(fd);
    is_int(settings_load(path, &cfg, &why), KV_ERR_CONFIG, "malformed file");
    char *want = xasprintf("%s:2:", path);
    ok(why && strstr(why, want), "error names %s", want);
    free(want);
    free(why);
    unlink(path);
    rmdir(dir);
    free(missing);
    free(path);
}

/* resolve = HOST:PORT:ADDRESS (issue #10): repeatable, each checked. */
static void
test_resolve(void)
{
    struct settings *cfg = NULL;
    char *why = NULL;
    is_int(parse("resolve = kv-x.vault.azure.net:443:10.0.1.4\n"
                 "resolve = kv-y.vault.azure.net:*:10.0.1.5,[fd00::5]\n",
                 &cfg, &why),
           KV_OK, "two resolve lines parse");
    ok(cfg != NULL && cfg->resolve.n == 2 &&
           strcmp(cfg->resolve.items[0], "kv-x.vault.azure.net:443:10.0.1.4") ==
               0 &&
           strcmp(cfg->resolve.items[1],
                  "kv-y.vault.azure.net:*:10.0.1.5,[fd00::5]") == 0,
       "both kept, in order");
    settings_free(cfg);
    expect_error("vault = a\nresolve = kv-x.vault.azure.net:10.0.1.4\n",
                 "config:2: resolve = kv-x.vault.azure.net:10.0.1.4: a "
                 "resolve entry is HOST:PORT:ADDRESS",
                 "a resolve line without a port names file and line");
    expect_error("resolve = kv-x:443:10.0.1\n", ":1: resolve = kv-x:443:10.0.1",
                 "a bad resolve address is refused");
}

int
main(void)
{
    test_good();
    test_errors();
    test_resolve();
    test_files();
    return tap_done();
}
