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

/* Header names whose whole value is secret (at the start of a line). */
static const char *const secret_headers[] = {
    "authorization", "proxy-authorization", "x-ms-authorization-auxiliary",
    "cookie", "set-cookie"};

/* JSON keys whose string value is secret: a secret bundle's "value",
 * the token endpoint's and the az CLI's tokens, the device flow's codes.
 * Not "code": in JSON it is Azure's error code ({"error":{"code":
 * "SecretNotFound"}}), which the log exists to show. */
static const char *const secret_json_keys[] = {
    "value",     "access_token",  "refresh_token",
    "id_token",  "accessToken",   "refreshToken",
    "idToken",   "client_secret", "client_assertion",
    "password",  "device_code",   "user_code",
    "assertion", "secret"};

/* Form fields and query parameters whose value is secret. Here "code" is
 * OAuth's authorization code (a token request's `code=`, a redirect's
 * `?code=`). */
static const char *const secret_form_keys[] = {
    "access_token",  "refresh_token",    "id_token",
    "client_secret", "client_assertion", "password",
    "device_code",   "user_code",        "code",
    "assertion",     "secret",           "value"};

/* A bearer token shorter than this, with no "Authorization:" before it,
 * is a word of prose ("a Bearer or PoP token"), not a credential. */
#define TOKEN_MIN_LEN 16

/* Checks the file behind fd before the log writes to it: a regular file of
 * ours, readable by nobody else. A group- or world-readable file is made
 * 0600 (what a new log gets) and *note says so; anything else refuses. */
static enum kv_status
log_check_file(int fd, const char *path, char **why, char **note)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *why =
            xasprintf(_("cannot open log file %s: %s"), path, strerror(errno));
        return KV_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = xasprintf(_("log file %s is not a regular file; choose "
                           "another file"),
                         path);
        return KV_ERR_IO;
    }
    if (st.st_uid != geteuid()) {
        *why = xasprintf(_("log file %s belongs to another user; choose "
                           "another file"),
                         path);
        return KV_ERR_IO;
    }
    if ((st.st_mode & 077) != 0) {
        if (fchmod(fd, 0600) != 0) {
            *why = xasprintf(_("log file %s is readable by others (mode "
                               "%04o) and cannot be made private: %s"),
                             path, (unsigned)(st.st_mode & 07777),
                             strerror(errno));
            return KV_ERR_IO;
        }
        *note = xasprintf(_("log file %s was readable by others (mode %04o); "
                            "it is now 0600"),
                          path, (unsigned)(st.st_mode & 07777));
    }
    return KV_OK;
}

enum kv_status
log_open(const char *path, char **why)
{
    char *note = NULL;
    int fd = open(path,
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
                      O_NONBLOCK,
                  0600);
    if (fd < 0) {
        if (errno == ELOOP)
            *why = xasprintf(_("log file %s is a symbolic link; kvdeck does "
                               "not follow it: name the file itself"),
                             path);
        else
            *why = xasprintf(_("cannot open log file %s: %s"), path,
                             strerror(errno));
        return KV_ERR_IO;
    }
    enum kv_status st = log_check_file(fd, path, why, &note);
    if (st != KV_OK) {
        close(fd);
        return st;
    }
    /* O_NONBLOCK kept a FIFO from blocking the open; a file needs none. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "a");
    if (f == NULL) {
        close(fd);
        free(note);
        *why =
            xasprintf(_("cannot open log file %s: %s"), path, strerror(errno));
        return KV_ERR_IO;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&log_lock);
    if (log_file != NULL)
        fclose(log_file);
    log_file = f;
    pthread_mutex_unlock(&log_lock);
    if (note != NULL)
        log_debug("log: %s", note);
    *why = note;
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
    for (size_t i = 0; i < sizeof secret_json_keys / sizeof *secret_json_keys;
         i++) {
        size_t n = strlen(secret_json_keys[i]);
        if (strncmp(p + 1, secret_json_keys[i], n) != 0 || p[1 + n] != '"')
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
    for (size_t i = 0; i < sizeof secret_form_keys / sizeof *secret_form_keys;
         i++) {
        size_t n = strlen(secret_form_keys[i]);
        if (strncmp(p, secret_form_keys[i], n) == 0 && p[n] == '=')
            return n + 1;
    }
    return 0;
}

/* Is c a character of an RFC 7235 token68 (a bearer token)? */
static bool
is_token68_char(char c)
{
    return isalnum((unsigned char)c) || (c != '\0' && strchr("-._~+/", c));
}

/* Does the line before p (up to text or a newline) end with
 * "Authorization:" and blanks? Then what follows is a credential. */
static bool
after_authorization(const char *text, const char *p)
{
    static const char word[] = "authorization:";
    size_t n = sizeof word - 1;
    while (p > text && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    return (size_t)(p - text) >= n && strncasecmp(p - n, word, n) == 0;
}

/* The length of the bearer credential at p (after "Bearer "), or 0 when
 * the word there is not one: a credential follows "Authorization:", or is
 * a token68 long enough to be a token. "Bearer or PoP" (Key Vault's 401
 * message) and "Bearer authorization=\"...\"" (a WWW-Authenticate
 * challenge's parameters) are kept. */
static size_t
bearer_token_len(const char *text, const char *bearer, const char *p)
{
    size_t n = 0;
    if (after_authorization(text, bearer)) {
        while (p[n] != '\0' && !isspace((unsigned char)p[n]) && p[n] != '"' &&
               p[n] != ',')
            n++;
        return n;
    }
    while (is_token68_char(p[n]))
        n++;
    size_t pad = 0;
    while (p[n + pad] == '=')
        pad++;
    char end = p[n + pad];
    if (n < TOKEN_MIN_LEN || (pad > 0 && end == '"'))
        return 0; /* prose, or an auth-param name=\"value\" */
    if (end != '\0' && !isspace((unsigned char)end) && end != '"' && end != ',')
        return 0;
    return n + pad;
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
        size_t tn;
        if (at_word(p, "Bearer ") && (p == text || !is_key_char(p[-1])) &&
            (tn = bearer_token_len(text, p, p + 7)) > 0) {
            buf_append(&out, p, 7);
            buf_puts(&out, REDACTED);
            p += 7 + tn;
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
        fprintf(log_file, "%s.%03ldZ %s\n", stamp, ts.tv_nsec / 1000000, clean);
    pthread_mutex_unlock(&log_lock);
    free(clean);
}
