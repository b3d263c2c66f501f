/*
 * cli-value.c — where a new secret value comes from: --value-file FILE,
 * --generate SPEC (through the engine), or standard input when it is not
 * a terminal. Read straight into secure memory; one trailing newline is
 * stripped (files and `echo` end with one). Never from the command line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli-int.h"
#include "engine/generate.h"

/* Largest value Key Vault takes (25 KiB). */
#define CLI_VALUE_MAX (25 * 1024)

/* Reads fd to its end into a secret; false when it is too large or a
 * read fails (errno set; EFBIG for too large). */
static bool
cli_value_read(int fd, struct secret **out)
{
    struct secret *s = secret_new(CLI_VALUE_MAX + 1);
    for (;;) {
        if (s->len >= s->cap) {
            secret_free(s);
            errno = EFBIG;
            return false;
        }
        ssize_t n = read(fd, s->data + s->len, s->cap - s->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            secret_free(s);
            errno = e;
            return false;
        }
        if (n == 0)
            break;
        s->len += (size_t)n;
    }
    if (s->len > CLI_VALUE_MAX) {
        secret_free(s);
        errno = EFBIG;
        return false;
    }
    if (s->len > 0 && s->data[s->len - 1] == '\n')
        s->len--;
    if (s->len > 0 && s->data[s->len - 1] == '\r')
        s->len--;
    s->data[s->len] = '\0';
    *out = s;
    return true;
}

int
cli_value(struct cli *c, struct secret **out)
{
    *out = NULL;
    int sources = (c->value_file != NULL) + (c->generate != NULL);
    if (sources > 1) {
        fprintf(stderr,
                _("kvdeck %s: give either --value-file or --generate, not "
                  "both\n"),
                c->cmd);
        return CLI_USAGE;
    }
    if (c->generate != NULL) {
        char *why = NULL;
        if (engine_generate_value(c->generate, out, &why) != KV_OK) {
            fprintf(stderr, "kvdeck %s: --generate %s: %s\n", c->cmd,
                    c->generate, why);
            free(why);
            return CLI_USAGE;
        }
        return CLI_OK;
    }
    int fd = 0;
    const char *what = _("standard input");
    if (c->value_file != NULL) {
        fd = strcmp(c->value_file, "-") == 0
                 ? 0
                 : open(c->value_file, O_RDONLY | O_CLOEXEC);
        what = c->value_file;
        if (fd < 0) {
            fprintf(stderr, _("kvdeck %s: cannot read %s: %s\n"), c->cmd, what,
                    strerror(errno));
            return CLI_USAGE;
        }
    } else if (isatty(0)) {
        fprintf(stderr,
                _("kvdeck %s: no value: give --value-file FILE, --generate "
                  "SPEC, or the value on standard input\n"),
                c->cmd);
        return CLI_USAGE;
    }
    bool ok = cli_value_read(fd, out);
    int e = errno;
    if (fd > 0)
        close(fd);
    if (!ok) {
        fprintf(stderr, _("kvdeck %s: cannot read %s: %s\n"), c->cmd, what,
                e == EFBIG ? _("larger than the 25 KiB Key Vault takes")
                           : strerror(e));
        return CLI_USAGE;
    }
    if ((*out)->len == 0) {
        fprintf(stderr, _("kvdeck %s: the value from %s is empty\n"), c->cmd,
                what);
        secret_free(*out);
        *out = NULL;
        return CLI_USAGE;
    }
    return CLI_OK;
}
