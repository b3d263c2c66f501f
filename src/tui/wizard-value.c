/*
 * wizard-value.c — where a wizard's new value comes from (the CSPRNG
 * through engine_generate_value(), a no-echo paste, a file), and the
 * pure helpers of the attribute pages. Values go straight into secure
 * memory and are never copied out of it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "engine/generate.h"
#include "tui/wizard-value.h"

struct wizard_value *
wizard_value_new(void)
{
    return xcalloc(1, sizeof(struct wizard_value));
}

void
wizard_value_free(struct wizard_value *wv)
{
    free(wv);
}

static bool
wv_uses(const struct wizard_value *wv, enum wizard_source src)
{
    return wv->f != NULL && form_choice(wv->f, wv->source) == (size_t)src;
}

static bool
wv_template(const struct wizard_value *wv)
{
    return wv_uses(wv, WV_GENERATE) &&
           form_choice(wv->f, wv->alphabet) == WV_TEMPLATE;
}

/* The checks: each field is checked only when the source uses it. */
static const char *
wv_check_length(const char *text, void *ctx)
{
    struct wizard_value *wv = ctx;
    if (!wv_uses(wv, WV_GENERATE) || wv_template(wv))
        return NULL;
    char *end = NULL;
    long n = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n < 1 || n > 4096)
        return _("a length from 1 to 4096");
    return NULL;
}

static const char *
wv_check_template(const char *text, void *ctx)
{
    struct wizard_value *wv = ctx;
    if (!wv_template(wv))
        return NULL;
    if (strchr(text, '{') == NULL)
        return _("a template such as sk-{48:alnum}");
    return NULL;
}

static const char *
wv_check_paste(const char *text, void *ctx)
{
    struct wizard_value *wv = ctx;
    if (wv_uses(wv, WV_PASTE) && *text == '\0')
        return _("paste or type the value (it is not shown)");
    return NULL;
}

static const char *
wv_check_file(const char *text, void *ctx)
{
    struct wizard_value *wv = ctx;
    if (!wv_uses(wv, WV_FILE))
        return NULL;
    struct stat sb;
    if (*text == '\0')
        return _("the path of a file holding the value");
    if (stat(text, &sb) != 0 || !S_ISREG(sb.st_mode))
        return _("no such file");
    if (sb.st_size > WIZARD_VALUE_MAX + 2)
        return _("larger than the 25 KiB Key Vault takes");
    return NULL;
}

void
wizard_value_add(struct wizard_value *wv, struct form *f)
{
    const char *sources[] = {_("generate"), _("paste (no echo)"),
                             _("read from a file")};
    const char *alphabets[] = {"base64url", "hex", _("alphanumeric"),
                               _("template")};
    wv->f = f;
    wv->source = form_add_choice(f, _("Value"), sources, 3, WV_GENERATE);
    form_set_hint(f, wv->source,
                  _("generated with the CSPRNG, pasted, or from a file"));
    wv->alphabet = form_add_choice(f, _("Alphabet"), alphabets, 4, 0);
    wv->length = form_add_text(f, _("Length"), "32", 8, wv_check_length, wv);
    form_set_hint(f, wv->length,
                  _("random bytes (base64url, hex) or characters"));
    wv->tmpl = form_add_text(f, _("Template"), "sk-{48:alnum}", 200,
                             wv_check_template, wv);
    form_set_hint(f, wv->tmpl, _("used with the alphabet \"template\""));
    wv->paste =
        form_add_secret(f, _("Paste"), WIZARD_VALUE_MAX, wv_check_paste, wv);
    form_set_hint(f, wv->paste, _("not shown; C-u clears it"));
    wv->file = form_add_text(f, _("File"), NULL, 1024, wv_check_file, wv);
    form_set_hint(f, wv->file, _("read once; nothing is written to disk"));
}

char *
wizard_value_spec(enum wizard_alphabet al, const char *length, const char *tmpl)
{
    if (al == WV_TEMPLATE)
        return xstrdup(tmpl != NULL ? tmpl : "");
    char *end = NULL;
    long n = length != NULL ? strtol(length, &end, 10) : 0;
    if (length == NULL || *length == '\0' || *end != '\0' || n < 1)
        return NULL;
    static const char *const kinds[] = {
        [WV_BASE64URL] = "base64url", [WV_HEX] = "hex", [WV_ALNUM] = "alnum"};
    return xasprintf("%s:%ld", kinds[al], n);
}

enum kv_status
wizard_value_read_file(const char *path, struct secret **out, char **why)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
        return KV_ERR_INVALID;
    }
    struct secret *s = secret_new(WIZARD_VALUE_MAX + 2);
    enum kv_status rc = KV_OK;
    for (;;) {
        if (s->len >= s->cap) {
            *why = xstrdup(_("larger than the 25 KiB Key Vault takes"));
            rc = KV_ERR_INVALID;
            break;
        }
        ssize_t n = read(fd, s->data + s->len, s->cap - s->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
            rc = KV_ERR_INVALID;
            break;
        }
        if (n == 0)
            break;
        s->len += (size_t)n;
    }
    close(fd);
    if (rc == KV_OK && s->len > 0 && s->data[s->len - 1] == '\n')
        s->len--;
    if (rc == KV_OK && s->len > 0 && s->data[s->len - 1] == '\r')
        s->len--;
    if (rc == KV_OK && s->len > WIZARD_VALUE_MAX) {
        *why = xstrdup(_("larger than the 25 KiB Key Vault takes"));
        rc = KV_ERR_INVALID;
    } else if (rc == KV_OK && s->len == 0) {
        *why = xasprintf(_("%s is empty"), path);
        rc = KV_ERR_INVALID;
    }
    if (rc != KV_OK) {
        secret_free(s);
        return rc;
    }
    secmem_wipe(s->data + s->len, s->cap - s->len);
    s->data[s->len] = '\0';
    *out = s;
    return KV_OK;
}

enum kv_status
wizard_value_take(struct wizard_value *wv, struct secret **out, char **why,
                  size_t *field)
{
    struct form *f = wv->f;
    *out = NULL;
    switch ((enum wizard_source)form_choice(f, wv->source)) {
    case WV_PASTE:
        *field = wv->paste;
        if (form_secret(f, wv->paste)->len == 0) {
            *why = xstrdup(_("paste or type the value (it is not shown)"));
            return KV_ERR_INVALID;
        }
        /* Kept in the form too, so Back and Next again need no paste:
         * the form is wiped when the wizard closes. */
        *out = secret_dup(form_secret(f, wv->paste)->data,
                          form_secret(f, wv->paste)->len);
        return KV_OK;
    case WV_FILE:
        *field = wv->file;
        return wizard_value_read_file(form_text(f, wv->file), out, why);
    case WV_GENERATE:
    default: {
        enum wizard_alphabet al = form_choice(f, wv->alphabet);
        *field = al == WV_TEMPLATE ? wv->tmpl : wv->length;
        char *spec = wizard_value_spec(al, form_text(f, wv->length),
                                       form_text(f, wv->tmpl));
        if (spec == NULL) {
            *why = xstrdup(_("a length from 1 to 4096"));
            return KV_ERR_INVALID;
        }
        enum kv_status st = engine_generate_value(spec, out, why);
        free(spec);
        return st;
    }
    }
}

/* ---- pure helpers ----------------------------------------------------- */

void
wizard_format_day(int64_t t, char *out, size_t n)
{
    char iso[32];
    if (t == 0) {
        snprintf(out, n, "%s", "");
        return;
    }
    time_format_iso(t, iso, sizeof iso);
    snprintf(out, n, "%.10s", iso);
}

bool
wizard_tags_parse(const char *text, struct kv_tags *out, const char **why)
{
    kv_tags_free(out);
    memset(out, 0, sizeof *out);
    char *copy = xstrdup(text), *save = NULL;
    bool ok = true;
    for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        char *item = str_trim(tok);
        if (*item == '\0')
            continue;
        char *eq = strchr(item, '=');
        if (eq == NULL || eq == item) {
            *why = _("tags as key=value, separated by commas");
            ok = false;
            break;
        }
        *eq = '\0';
        char *k = str_trim(item), *v = str_trim(eq + 1);
        if (strlen(k) > 512 || strlen(v) > 256) {
            *why = _("a tag's key has at most 512 characters, its value 256");
            ok = false;
            break;
        }
        kv_tags_set(out, k, v);
    }
    if (ok && out->n > 15) {
        *why = _("Key Vault takes at most 15 tags");
        ok = false;
    }
    free(copy);
    if (!ok) {
        kv_tags_free(out);
        memset(out, 0, sizeof *out);
    }
    return ok;
}

char *
wizard_tags_format(const struct kv_tags *t)
{
    char *out = xstrdup("");
    for (size_t i = 0; i < t->n; i++) {
        char *n = xasprintf("%s%s%s=%s", out, i > 0 ? ", " : "",
                            t->items[i].key, t->items[i].value);
        free(out);
        out = n;
    }
    return out;
}

const char *
wizard_check_date(const char *text, void *ctx)
{
    (void)ctx;
    int64_t t;
    if (*text != '\0' && !time_parse_date(text, time_now(), &t))
        return _("a date (2027-03-05), +90d, or empty for none");
    return NULL;
}

const char *
wizard_check_tags(const char *text, void *ctx)
{
    (void)ctx;
    struct kv_tags t = {0};
    const char *why = NULL;
    bool ok = wizard_tags_parse(text, &t, &why);
    kv_tags_free(&t);
    return ok ? NULL : why;
}
