/*
 * log.h — the debug log: off by default, written to a file the user names
 * (--log FILE or KVDECK_LOG), one line per event.
 *
 * Every line goes through log_redact() first, so Authorization headers,
 * bearer tokens, client secrets, refresh tokens and secret values in JSON
 * bodies never reach the file. Thread-safe.
 */
#ifndef KV_BASE_LOG_H
#define KV_BASE_LOG_H

#include <stdbool.h>

#include "base/status.h"

/* Opens (appends to) path, created with mode 0600. A symbolic link (the
 * last component), a file that is not regular or belongs to another user is
 * refused; an existing file readable by group or others is made 0600.
 * On failure *why is set (caller frees) and logging stays off. On success
 * *why is NULL, or a notice for the user (the mode was changed; caller
 * prints and frees). */
enum kv_status log_open(const char *path, char **why);
void log_close(void);
bool log_enabled(void);
/* Writes one timestamped, redacted line. No-op while the log is off. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns a malloc'd copy of text with credentials and secret values
 * replaced by "[redacted]". Pure; the caller frees the result. */
char *log_redact(const char *text);

#endif
