/*
 * cli-output.c — what the batch commands print: JSON shaped like the
 * Key Vault REST API's SecretItem / SecretBundle / DeletedSecretItem
 * (id, attributes{enabled,created,updated,exp,nbf,recoveryLevel},
 * contentType, tags; a value only when asked for), and plain text.
 *
 * A value is written straight from secure memory to the stream, escaped
 * byte by byte, never through an ordinary buffer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/timeutil.h"
#include "cli/cli-int.h"

/* One byte of a JSON string, escaped. */
static void
cli_json_char(FILE *f, unsigned char ch)
{
    switch (ch) {
    case '"':
        fputs("\\\"", f);
        break;
    case '\\':
        fputs("\\\\", f);
        break;
    case '\n':
        fputs("\\n", f);
        break;
    case '\r':
        fputs("\\r", f);
        break;
    case '\t':
        fputs("\\t", f);
        break;
    default:
        if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
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
    fputc('"', f);
    for (size_t i = 0; i < v->len; i++)
        cli_json_char(f, (unsigned char)v->data[i]);
    fputc('"', f);
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
        fwrite(value->data, 1, value->len, f);
        fputc('\n', f);
    }
}
