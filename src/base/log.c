/*
 * log.c — redacting debug log. Redaction is done on the formatted line so
 * that no caller can forget it: header lines, JSON bodies and form bodies
 * are all scrubbed of anything that grants access or reveals a value.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/xalloc.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file; /* the one mutable global besides signal flags */

static const char REDACTED[] = "[redacted]";

/* Header names whose whole value is secret. */
static const char *const secret_headers[] = {
    "authorization", "proxy-authorization", "x-ms-authorization-auxiliary",
    "cookie", "set-cookie"};

/* JSON keys and form fields whose value is secret. */
static const char *const secret_keys[] = {
    "value",         "access_token",  "refresh_token", "id_token",
    "client_secret", "client_assertion", "password",   "device_code",
    "code",          "assertion",     "secret"};

enum kv_status
log_open(const char *path, char **why)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        *why = xasprintf(_("cannot open log file %s: %s"), path,
                         strerror(errno));
        return KV_ERR_IO;
    }
    FILE *f = fdopen(fd, "a");
    if (f == NULL) {
        close(fd);
        *why = xasprintf(_("cannot open log file %s: %s"), path,
                         strerror(errno));
        return KV_ERR_IO;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&log_lock);
    if (log_file != NULL)
        fclose(log_file);
    log_file = f;
    pthread_mutex_unlock(&log_lock);
    return KV_OK;
}

void
log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
    pthread_mutex_unlock(&log_lock);
}

bool
log_enabled(void)
{
    pthread_mutex_lock(&log_lock);
    bool on = log_file != NULL;
    pthread_mutex_unlock(&log_lock);
    return on;
}

/* Does text at p start with word (case-insensitive)? */
static bool
at_word(const char *p, const char *word)
{
    return strncasecmp(p, word, strlen(word)) == 0;
}

static bool
is_key_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* If p points at `"key"` followed by `:` and a string, return the key
 * index, else -1. *val_start is set to the opening quote of the value. */
static int
json_secret_key(const char *p, const char **val_start)
{
    if (*p != '"')
        return -1;
    for (size_t i = 0; i < sizeof secret_keys / sizeof *secret_keys; i++) {
        size_t n = strlen(secret_keys[i]);
        if (strncmp(p + 1, secret_keys[i], n) != 0 || p[1 + n] != '"')
            continue;
        const char *q = p + 2 + n;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != ':')
            return -1;
        q++;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '"')
            return -1;
        *val_start = q;
        return (int)i;
    }
    return -1;
}

/* If p starts a form field `key=` for a secret key (at a field boundary),
 * return the length of `key=`, else 0. */
static size_t
form_secret_key(const char *text, const char *p)
{
    if (p != text && p[-1] != '&' && p[-1] != '?' && p[-1] != ' ')
        return 0;
    for (size_t i = 0; i < sizeof secret_keys / sizeof *secret_keys; i++) {
        size_t n = strlen(secret_keys[i]);
        if (strncmp(p, secret_keys[i], n) == 0 && p[n] == '=')
            return n + 1;
    }
    return 0;
}

char *
log_redact(const char *text)
{
    struct buf out = BUF_INIT;
    const char *p = text;
    bool line_start = true;

    while (*p != '\0') {
        /* Header lines: "Name: value" at the start of a line. */
        if (line_start) {
            for (size_t i = 0;
                 i < sizeof secret_headers / sizeof *secret_headers; i++) {
                size_t n = strlen(secret_headers[i]);
                if (at_word(p, secret_headers[i]) && p[n] == ':') {
                    buf_append(&out, p, n + 1);
                    buf_puts(&out, " ");
                    buf_puts(&out, REDACTED);
                    p += n + 1;
                    while (*p != '\0' && *p != '\n')
                        p++;
                    break;
                }
            }
            line_start = false;
            if (*p == '\0')
                break;
        }
        /* Bearer tokens anywhere. */
        if (at_word(p, "Bearer ") && (p == text || !is_key_char(p[-1]))) {
            buf_append(&out, p, 7);
            buf_puts(&out, REDACTED);
            p += 7;
            while (*p != '\0' && !isspace((unsigned char)*p) && *p != '"' &&
                   *p != ',')
                p++;
            continue;
        }
        /* JSON "key": "value" for secret keys. */
        const char *vs;
        if (json_secret_key(p, &vs) >= 0) {
            buf_append(&out, p, (size_t)(vs - p));
            buf_putc(&out, '"');
            buf_puts(&out, REDACTED);
            buf_putc(&out, '"');
            p = vs + 1;
            while (*p != '\0' && *p != '"') {
                if (*p == '\\' && p[1] != '\0')
                    p++;
                p++;
            }
            if (*p == '"')
                p++;
            continue;
        }
        /* Form fields key=value. */
        size_t fk = form_secret_key(text, p);
        if (fk > 0) {
            buf_append(&out, p, fk);
            buf_puts(&out, REDACTED);
            p += fk;
            while (*p != '\0' && *p != '&' && !isspace((unsigned char)*p))
                p++;
            continue;
        }
        if (*p == '\n')
            line_start = true;
        buf_putc(&out, *p++);
    }
    return buf_steal(&out);
}

void
log_debug(const char *fmt, ...)
{
    pthread_mutex_lock(&log_lock);
    if (log_file == NULL) {
        pthread_mutex_unlock(&log_lock);
        return;
    }
    pthread_mutex_unlock(&log_lock);

    va_list ap;
    va_start(ap, fmt);
    char *raw = xvasprintf(fmt, ap);
    va_end(ap);
    char *clean = log_redact(raw);
    free(raw);

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);

    pthread_mutex_lock(&log_lock);
    if (log_file != NULL)
        fprintf(log_file, "%s.%03ldZ %s\n", stamp, ts.tv_nsec / 1000000,
                clean);
    pthread_mutex_unlock(&log_lock);
    free(clean);
}
