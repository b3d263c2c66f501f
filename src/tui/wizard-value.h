/*
 * wizard-value.h — the parts the value-writing wizards share: where a
 * new value comes from (generated with the CSPRNG, pasted with no echo,
 * or read from a file), and the pure helpers for their attribute pages
 * (dates, durations, "k=v, k=v" tags, a rotation's default expiry and
 * its rotated-at tag).
 *
 *     struct wizard_value *wv = wizard_value_new();
 *     wizard_value_add(wv, f);               // source, alphabet, ... fields
 *     ... the form is submitted ...
 *     struct secret *v = NULL; char *why = NULL; size_t bad;
 *     if (wizard_value_take(wv, &v, &why, &bad) != KV_OK)
 *         form_set_error(f, bad, why);
 *     wizard_value_free(wv);
 *
 * Ownership: wizard_value_add() only adds fields to f (the form stays
 * the caller's); the struct wizard_value must outlive the form (its
 * checks read it). A value handed out is secure memory the caller frees
 * with secret_free(); *why strings are the caller's to free().
 */
#ifndef KV_TUI_WIZARD_VALUE_H
#define KV_TUI_WIZARD_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/secmem.h"
#include "base/status.h"
#include "engine/model.h"
#include "tui/form.h"

/* The largest value Key Vault takes (25 KiB). */
#define WIZARD_VALUE_MAX (25 * 1024)

enum wizard_source { WV_GENERATE, WV_PASTE, WV_FILE };
enum wizard_alphabet { WV_BASE64URL, WV_HEX, WV_ALNUM, WV_TEMPLATE };

/* The value fields of one form and the indexes of its fields. */
struct wizard_value {
    struct form *f;
    size_t source, alphabet, length, tmpl, paste, file;
};

struct wizard_value *wizard_value_new(void);
void wizard_value_free(struct wizard_value *wv); /* NULL is fine */
/* Adds Source, Alphabet, Length, Template, Value (no echo) and File to
 * f, with checks that look only at the field the source uses. */
void wizard_value_add(struct wizard_value *wv, struct form *f);
/* Makes the value the form asks for: generated, the pasted text (taken
 * out of the form), or the file's contents. On failure *why and *field
 * (the field to show the message under). */
enum kv_status wizard_value_take(struct wizard_value *wv, struct secret **out,
                                 char **why, size_t *field);

/* ---- pure helpers (unit-tested) --------------------------------------- */

/* The --generate spec of an alphabet and a length ("hex:32") or the
 * template itself. Caller frees; NULL when length is not a number. */
char *wizard_value_spec(enum wizard_alphabet al, const char *length,
                        const char *tmpl);
/* Reads a file into secure memory: at most WIZARD_VALUE_MAX bytes, one
 * trailing line break dropped; an empty file is refused. */
enum kv_status wizard_value_read_file(const char *path, struct secret **out,
                                      char **why);

/* Form checks (form_check_fn): a date as time_parse_date() takes it, or
 * empty; tags as wizard_tags_parse() takes them. */
const char *wizard_check_date(const char *text, void *ctx);
const char *wizard_check_tags(const char *text, void *ctx);
/* "2027-03-05" of t into out (>= 11 bytes); "" for 0. */
void wizard_format_day(int64_t t, char *out, size_t n);
/* Parses "k=v, k=v" (empty: no tags) into *out (emptied first). On
 * failure returns false with a static, translated message in *why. */
bool wizard_tags_parse(const char *text, struct kv_tags *out, const char **why);
/* "k=v, k=v" of t (caller frees). */
char *wizard_tags_format(const struct kv_tags *t);

#endif
