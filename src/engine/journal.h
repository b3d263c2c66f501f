/*
 * journal.h — the local audit journal: one JSON line per step outcome of
 * every plan, appended to $XDG_STATE_HOME/kvdeck/journal.jsonl
 * (~/.local/state/kvdeck/journal.jsonl), mode 0600, each line written
 * with one write() and fsync'd before the step is reported. Never a
 * value, never a token: only names, ids, outcomes and request ids.
 *
 *   {"time":"2026-12-05T17:40:02Z","cloud":"AzureCloud","tenant":"…",
 *    "principal":"…","plan":"rotate","plan_id":"…","step":2,"steps":4,
 *    "op":"secret-set","text":"Write a new version of …",
 *    "target":"https://kv.vault.azure.net/secrets/openai-api-key",
 *    "outcome":"done","version":"…","http_status":201,
 *    "error_code":null,"request_id":"…"}
 *
 * A retirement scheduled for later is a line with "op":"retire-later"
 * and "due"; it stays pending until a later line retires that version
 * ("op":"secret-disable" with the same target and version, outcome
 * "done") or cancels it ("op":"retire-cancel").
 *
 * Threading: journal_append() may be called from any thread; it opens,
 * writes and closes the file each time (concurrent kvdeck processes
 * append whole lines: O_APPEND, one write()).
 */
#ifndef KV_ENGINE_JOURNAL_H
#define KV_ENGINE_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "base/vec.h"

/* One line. Strings are borrowed by journal_append(); in entries read
 * back they are owned (journal_entry_free()). NULL strings are written as
 * null; step < 0 and http_status <= 0 and due == 0 are left out. */
struct journal_entry {
    int64_t time; /* unix seconds; 0: now */
    char *cloud;
    char *tenant;
    char *principal;
    char *plan;
    char *plan_id;
    int step;  /* 1-based */
    int steps; /* of the plan */
    char *op;
    char *text;
    char *target;
    char *outcome; /* "done", "failed", "skipped", "undone", "cancelled",
                      "scheduled" */
    char *version; /* the secret version written or acted on */
    long http_status;
    char *error_code;
    char *request_id;
    int64_t due; /* retire-later: when */
};

/* The journal's path: $XDG_STATE_HOME/kvdeck/journal.jsonl, else
 * $HOME/.local/state/kvdeck/journal.jsonl (KVDECK_JOURNAL overrides, for
 * tests). Caller frees; NULL when no home is known. */
char *journal_default_path(void);

/* Appends one line (creating the file 0600 and its directory 0700).
 * Fails with *why set (caller frees) when it cannot: the caller reports
 * that the change was made but not journaled. */
enum kv_status journal_append(const char *path, const struct journal_entry *e,
                              char **why);

/* The line journal_append() writes, without the newline (caller frees). */
char *journal_format(const struct journal_entry *e);

/* Reads every line; out gets struct journal_entry * (caller frees each
 * with journal_entry_free and the vector with vec_free). A missing file
 * is an empty journal. Lines that are not journal entries are skipped
 * and counted in *skipped (may be NULL). */
enum kv_status journal_read(const char *path, struct vec *out,
                            unsigned *skipped, char **why);
void journal_entry_free(struct journal_entry *e);

/* The retire-later entries of entries (borrowed pointers into it) that no
 * later line retired or cancelled, oldest due first. */
void journal_pending(const struct vec *entries, struct vec *pending);

#endif
