/*
 * cli-output.c — what the batch commands print: JSON shaped like the
 * Key Vault REST API's SecretItem / SecretBundle / DeletedSecretItem
 * (id, attributes{enabled,created,updated,exp,nbf,recoveryLevel},
 * contentType, tags; a value only when asked for), and plain text.
 *
 * A value never goes through the stream's stdio buffer (glibc keeps
 * stdout's until exit, unwiped): what the stream holds is flushed, then
 * the value — as is, or escaped into secure memory — is written to its
 * descriptor with write(2) (test-cli-value-out).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/secmem.h"
#include "base/timeutil.h"
#include "cli/cli-int.h"

/* One byte of a JSON string, escaped into out; its length. */
static size_t
json_escape(unsigned char ch, char out[8])
{
    switch (ch) {
    case '"':
        return (size_t)snprintf(out, 8, "\\\"");
    case '\\':
        return (size_t)snprintf(out, 8, "\\\\");
    case '\n':
        return (size_t)snprintf(out, 8, "\\n");
    case '\r':
        return (size_t)snprintf(out, 8, "\\r");
    case '\t':
        return (size_t)snprintf(out, 8, "\\t");
    default:
        if (ch < 0x20)
            return (size_t)snprintf(out, 8, "\\u%04x", ch);
        out[0] = (char)ch;
        out[1] = '\0';
        return 1;
    }
}

static void
cli_json_char(FILE *f, unsigned char ch)
{
    char e[8];

    fwrite(e, 1, json_escape(ch, e), f);
}

/* n bytes of a value to f's descriptor, after what f holds: never into
 * f's buffer. A stream without a descriptor takes them as usual. */
static void
write_direct(FILE *f, const char *d, size_t n)
{
    int fd = fileno(f);

    if (fd < 0) {
        fwrite(d, 1, n, f);
        return;
    }
    fflush(f);
    while (n > 0) {
        ssize_t w = write(fd, d, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* as a failed fwrite: the next flush fails too */
        d += w;
        n -= (size_t)w;
    }
}

void
cli_json_string(FILE *f, const char *s)
{
    if (s == NULL) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++)
        cli_json_char(f, (unsigned char)*s);
    fputc('"', f);
}

void
cli_json_secret_value(FILE *f, const struct secret *v)
{
    struct secret *e = secret_new(v->len * 6 + 2); /* 6 bytes each at most */
    char one[8];

    secret_append(e, "\"", 1);
    for (size_t i = 0; i < v->len; i++)
        secret_append(e, one, json_escape((unsigned char)v->data[i], one));
    secret_append(e, "\"", 1);
    write_direct(f, e->data, e->len);
    secmem_wipe(one, sizeof one);
    secret_free(e);
}

/* "attributes":{...} with the REST API's names (times in unix seconds). */
static void
cli_json_attrs(FILE *f, const struct kv_secret_attrs *a)
{
    fprintf(f, "\"attributes\":{\"enabled\":%s", a->enabled ? "true" : "false");
    if (a->created)
        fprintf(f, ",\"created\":%lld", (long long)a->created);
    if (a->updated)
        fprintf(f, ",\"updated\":%lld", (long long)a->updated);
    if (a->expires)
        fprintf(f, ",\"exp\":%lld", (long long)a->expires);
    if (a->not_before)
        fprintf(f, ",\"nbf\":%lld", (long long)a->not_before);
    if (a->recoverable_days)
        fprintf(f, ",\"recoverableDays\":%d", a->recoverable_days);
    if (a->recovery_level != NULL) {
        fputs(",\"recoveryLevel\":", f);
        cli_json_string(f, a->recovery_level);
    }
    fputs("}", f);
}

static void
cli_json_tags(FILE *f, const struct kv_tags *t)
{
    fputs("\"tags\":{", f);
    for (size_t i = 0; i < t->n; i++) {
        if (i)
            fputc(',', f);
        cli_json_string(f, t->items[i].key);
        fputc(':', f);
        cli_json_string(f, t->items[i].value);
    }
    fputs("}", f);
}

/* The fields every kind shares, after "id". */
static void
cli_json_common(FILE *f, const char *id, const char *content_type, bool managed,
                const struct kv_secret_attrs *a, const struct kv_tags *t)
{
    fputs("\"id\":", f);
    cli_json_string(f, id);
    fputc(',', f);
    cli_json_attrs(f, a);
    fputs(",\"contentType\":", f);
    cli_json_string(f, content_type);
    fputc(',', f);
    cli_json_tags(f, t);
    if (managed)
        fputs(",\"managed\":true", f);
}

void
cli_json_item(FILE *f, const struct kv_secret_item *s)
{
    fputc('{', f);
    cli_json_common(f, s->id, s->content_type, s->managed, &s->attrs, &s->tags);
    fputs(",\"name\":", f);
    cli_json_string(f, s->name);
    fputc('}', f);
}

void
cli_json_version(FILE *f, const struct kv_secret_version *v,
                 const struct secret *value)
{
    fputc('{', f);
    cli_json_common(f, v->id, v->content_type, v->managed, &v->attrs, &v->tags);
    fputs(",\"name\":", f);
    cli_json_string(f, v->name);
    fputs(",\"version\":", f);
    cli_json_string(f, v->version);
    if (value != NULL) {
        fputs(",\"value\":", f);
        cli_json_secret_value(f, value);
    }
    fputc('}', f);
}

void
cli_json_deleted(FILE *f, const struct kv_deleted_secret *d)
{
    fputc('{', f);
    cli_json_common(f, d->id, d->content_type, d->managed, &d->attrs, &d->tags);
    fputs(",\"name\":", f);
    cli_json_string(f, d->name);
    fputs(",\"recoveryId\":", f);
    cli_json_string(f, d->recovery_id);
    if (d->deleted_date)
        fprintf(f, ",\"deletedDate\":%lld", (long long)d->deleted_date);
    if (d->scheduled_purge_date)
        fprintf(f, ",\"scheduledPurgeDate\":%lld",
                (long long)d->scheduled_purge_date);
    fputc('}', f);
}

const char *
cli_time(int64_t t, char *out, size_t n)
{
    if (t == 0)
        snprintf(out, n, "-");
    else
        time_format_iso(t, out, n);
    return out;
}

void
cli_text_version(FILE *f, const struct kv_secret_version *v,
                 const struct secret *value)
{
    char a[32], b[32];
    fprintf(f, _("id:           %s\n"), v->id);
    fprintf(f, _("enabled:      %s\n"), v->attrs.enabled ? _("yes") : _("no"));
    fprintf(f, _("content type: %s\n"),
            v->content_type ? v->content_type : "-");
    fprintf(f, _("created:      %s\n"),
            cli_time(v->attrs.created, a, sizeof a));
    fprintf(f, _("updated:      %s\n"),
            cli_time(v->attrs.updated, b, sizeof b));
    fprintf(f, _("expires:      %s\n"),
            cli_time(v->attrs.expires, a, sizeof a));
    fprintf(f, _("not before:   %s\n"),
            cli_time(v->attrs.not_before, b, sizeof b));
    for (size_t i = 0; i < v->tags.n; i++)
        fprintf(f, _("tag:          %s=%s\n"), v->tags.items[i].key,
                v->tags.items[i].value);
    if (value != NULL) {
        fputs(_("value:        "), f);
        write_direct(f, value->data, value->len);
        fputc('\n', f);
    }
}
