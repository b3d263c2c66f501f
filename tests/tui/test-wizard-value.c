/*
 * test-wizard-value.c — unit tests for the wizards' pure pieces
 * (tui/wizard-value.h): generate specs from the value page, durations
 * and dates, the rotation's default expiry (rotation-days, rotation,
 * else 90 days), tags parsed and formatted and rotated-at added, a
 * value read from a file (line break dropped, empty and too large
 * refused), and the value page's fields checked only for the source in
 * use, with the value generated, pasted (taken, still in secure memory)
 * or read.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tap.h"
#include "base/secmem.h"
#include "base/timeutil.h"
#include "engine/plan.h"
#include "tui/form.h"
#include "tui/wizard-value.h"

static void
test_spec(void)
{
    char *s;
    s = wizard_value_spec(WV_HEX, "16", NULL);
    is_str(s, "hex:16", "hex spec");
    free(s);
    s = wizard_value_spec(WV_BASE64URL, "32", NULL);
    is_str(s, "base64url:32", "base64url spec");
    free(s);
    s = wizard_value_spec(WV_ALNUM, "40", NULL);
    is_str(s, "alnum:40", "alnum spec");
    free(s);
    s = wizard_value_spec(WV_TEMPLATE, "32", "sk-{48:alnum}");
    is_str(s, "sk-{48:alnum}", "a template is its own spec");
    free(s);
    ok(wizard_value_spec(WV_HEX, "", NULL) == NULL, "no length: no spec");
    ok(wizard_value_spec(WV_HEX, "12x", NULL) == NULL, "junk length: no spec");
    ok(wizard_value_spec(WV_HEX, "0", NULL) == NULL, "zero length: no spec");
}

static void
test_dates(void)
{
    int64_t d = 0, t = 0;
    ok(time_parse_duration("7d", &d) && d == 7 * 86400, "7d");
    ok(time_parse_duration("24h", &d) && d == 86400, "24h");
    ok(time_parse_duration("30m", &d) && d == 1800, "30m");
    ok(!time_parse_duration("7", &d), "no unit refused");
    ok(!time_parse_duration("7dd", &d), "junk refused");
    ok(!time_parse_duration("-7d", &d), "negative refused");
    ok(time_parse_date("+90d", 1000, &t) && t == 1000 + 90 * 86400, "+90d");
    ok(time_parse_date("2027-03-05", 0, &t), "a day parses");
    char day[16];
    wizard_format_day(t, day, sizeof day);
    is_str(day, "2027-03-05", "and formats back");
    ok(time_parse_date("2027-03-05T10:00:00Z", 0, &t), "ISO 8601");
    ok(!time_parse_date("next week", 0, &t), "junk date refused");
    ok(!time_parse_date("2027-02-30", 0, &t), "no such day refused");
    wizard_format_day(0, day, sizeof day);
    is_str(day, "", "no date: empty");
}

static void
test_expiry_and_tags(void)
{
    struct kv_tags t = {0};
    const char *why = NULL;
    int64_t now = 1700000000;
    is_int(plan_rotation_expiry(&t, now), now + 90 * 86400, "no tag: 90 days");
    ok(wizard_tags_parse("rotation=30d, env=prod", &t, &why), "tags parse");
    is_int(t.n, 2, "two tags");
    is_int(plan_rotation_expiry(&t, now), now + 30 * 86400,
           "rotation=30d: 30 days");
    kv_tags_set(&t, "rotation-days", "7");
    is_int(plan_rotation_expiry(&t, now), now + 7 * 86400,
           "rotation-days wins over rotation");
    kv_tags_set(&t, "ROTATION-DAYS", "0");
    is_int(t.n, 3, "a key of another case is replaced, not added");
    is_int(plan_rotation_expiry(&t, now), now + 30 * 86400,
           "rotation-days=0 is ignored");
    plan_rotation_tags(&t, now);
    is_str(kv_tags_get(&t, "rotated-at"), "2023-11-14T22:13:20Z",
           "rotated-at is the time of the rotation");
    is_str(kv_tags_get(&t, "env"), "prod", "tags carried over");
    char *f = wizard_tags_format(&t);
    is_str(f,
           "rotation=30d, env=prod, rotation-days=0, "
           "rotated-at=2023-11-14T22:13:20Z",
           "formatted as key=value, …");
    struct kv_tags back = {0};
    ok(wizard_tags_parse(f, &back, &why) && back.n == 4,
       "the format parses back");
    free(f);
    kv_tags_free(&back);
    ok(wizard_tags_parse("  ", &back, &why) && back.n == 0, "empty: no tags");
    ok(!wizard_tags_parse("novalue", &back, &why) && why != NULL,
       "a tag without = refused");
    ok(!wizard_tags_parse("=x", &back, &why), "an empty key refused");
    ok(!wizard_tags_parse("a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9,j=10,k=11,"
                          "l=12,m=13,n=14,o=15,p=16",
                          &back, &why),
       "more than 15 tags refused");
    kv_tags_free(&t);
}

static void
test_file(void)
{
    char path[] = "/tmp/kvdeck-wizard-XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0, "temporary file");
    struct secret *v = NULL;
    char *why = NULL;
    ok(wizard_value_read_file(path, &v, &why) != KV_OK && why != NULL,
       "an empty file is refused");
    free(why);
    why = NULL;
    ok(write(fd, "s3cr3t\r\n", 8) == 8, "write");
    ok(wizard_value_read_file(path, &v, &why) == KV_OK && v->len == 6 &&
           memcmp(v->data, "s3cr3t", 6) == 0 && v->data[6] == '\0',
       "one trailing line break dropped");
    secret_free(v);
    char big[4096];
    memset(big, 'x', sizeof big);
    for (int i = 0; i < 7; i++)
        ok(write(fd, big, sizeof big) == (ssize_t)sizeof big, "fill %d", i);
    v = NULL;
    ok(wizard_value_read_file(path, &v, &why) != KV_OK && v == NULL,
       "more than 25 KiB refused");
    free(why);
    why = NULL;
    ok(wizard_value_read_file("/nonexistent/x", &v, &why) != KV_OK &&
           why != NULL,
       "a missing file refused with a message");
    free(why);
    close(fd);
    unlink(path);
}

static void
test_form(void)
{
    struct form *f = form_new();
    struct wizard_value *wv = wizard_value_new();
    wizard_value_add(wv, f);
    struct secret *v = NULL;
    char *why = NULL;
    size_t field = 99;
    ok(form_ok(f), "the defaults check out (generate base64url:32)");
    ok(wizard_value_take(wv, &v, &why, &field) == KV_OK && v->len == 43,
       "base64url:32 makes 43 characters");
    secret_free(v);
    /* paste: an empty paste is refused under its field */
    form_focus(f, wv->source);
    form_feed(f, ' ', false); /* -> paste */
    is_int(form_choice(f, wv->source), WV_PASTE, "source: paste");
    ok(!form_submit(f), "an empty paste does not submit");
    ok(form_error(f, wv->paste) != NULL, "the paste field says why");
    form_focus(f, wv->paste);
    for (const char *p = "pa55"; *p; p++)
        form_feed(f, *p, false);
    ok(form_submit(f), "with a value it submits");
    ok(wizard_value_take(wv, &v, &why, &field) == KV_OK && v->len == 4 &&
           memcmp(v->data, "pa55", 4) == 0,
       "the pasted value is taken");
    secret_free(v);
    /* file: checked only when chosen */
    form_focus(f, wv->source);
    form_feed(f, ' ', false); /* -> file */
    ok(!form_submit(f), "no path does not submit");
    ok(form_error(f, wv->file) != NULL, "the file field says why");
    /* template */
    form_focus(f, wv->source);
    form_feed(f, ' ', false); /* -> generate */
    form_focus(f, wv->alphabet);
    form_feed(f, KEY_LEFT, true); /* base64url -> template */
    is_int(form_choice(f, wv->alphabet), WV_TEMPLATE, "alphabet: template");
    ok(form_submit(f), "the template submits");
    ok(wizard_value_take(wv, &v, &why, &field) == KV_OK && v->len == 51 &&
           strncmp(v->data, "sk-", 3) == 0,
       "sk-{48:alnum} makes sk- and 48 characters");
    secret_free(v);
    form_free(f);
    wizard_value_free(wv);
}

int
main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    test_spec();
    test_dates();
    test_expiry_and_tags();
    test_file();
    test_form();
    return tap_done();
}
