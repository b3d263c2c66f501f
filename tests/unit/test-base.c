/*
 * test-base.c — unit tests for base/: buffers, vectors, strings, base64,
 * time parsing, status messages, log redaction and secure memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/secmem.h"
#include "base/status.h"
#include "base/str.h"
#include "base/timeutil.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "tests/tap.h"

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_buf(void)
{
    struct buf b = BUF_INIT;
    is_str(buf_str(&b), "", "empty buffer reads as empty string");
    buf_puts(&b, "hello");
    buf_printf(&b, ", %s %d", "world", 42);
    is_str(buf_str(&b), "hello, world 42", "puts + printf append");
    for (int i = 0; i < 1000; i++)
        buf_putc(&b, 'x');
    is_int(b.len, 15 + 1000, "buffer grows past its first capacity");
    buf_reset(&b);
    is_str(buf_str(&b), "", "reset empties");
    buf_puts(&b, "keep");
    char *s = buf_steal(&b);
    is_str(s, "keep", "steal hands over the string");
    ok(b.data == NULL && b.len == 0, "steal leaves the buffer empty");
    free(s);
}

static void
test_vec(void)
{
    struct vec v = VEC_INIT;
    const char *words[] = {"delta", "alpha", "charlie", "bravo"};
    for (int i = 0; i < 4; i++)
        vec_push(&v, xstrdup(words[i]));
    vec_sort(&v, cmp_str);
    is_str(vec_get(&v, 0), "alpha", "sorted first");
    is_str(vec_get(&v, 3), "delta", "sorted last");
    ok(vec_get(&v, 4) == NULL, "out of range get is NULL");
    char *r = vec_remove(&v, 1);
    is_str(r, "bravo", "remove returns the item");
    free(r);
    vec_insert(&v, 0, xstrdup("zulu"));
    is_str(vec_get(&v, 0), "zulu", "insert at front");
    is_int(v.len, 4, "length after remove + insert");
    vec_free_all(&v, free);
    ok(v.len == 0 && v.items == NULL, "free_all empties");
}

static void
test_str(void)
{
    ok(str_ieq("resourceGroups", "RESOURCEGROUPS"), "ieq ignores case");
    ok(!str_ieq("abc", "abcd"), "ieq length mismatch");
    ok(str_eq(NULL, NULL) && !str_eq("a", NULL), "eq is NULL-safe");
    ok(str_istarts("Bearer xyz", "bearer "), "istarts");
    ok(str_ends("vault.azure.net/", "/"), "ends");
    ok(str_icontains("Microsoft.KeyVault/vaults", "keyvault") != NULL,
       "icontains");
    char t[] = "  padded \t\n";
    is_str(str_trim(t), "padded", "trim");
    char *u = str_rstrip_slash("https://kv.vault.azure.net//");
    is_str(u, "https://kv.vault.azure.net", "rstrip_slash");
    free(u);
    u = str_url_encode("resourceType eq 'Microsoft.KeyVault/vaults'");
    is_str(u, "resourceType%20eq%20%27Microsoft.KeyVault%2Fvaults%27",
           "url encode");
    free(u);
    u = str_url_decode("a%20b+c%2F", 10);
    is_str(u, "a b c/", "url decode");
    free(u);
    ok(str_url_decode("bad%2", 5) == NULL, "url decode rejects short escape");
    ok(str_url_decode("bad%zz", 6) == NULL, "url decode rejects bad hex");

    const char *vec[][2] = {{"", ""},           {"f", "Zg=="},
                            {"fo", "Zm8="},     {"foo", "Zm9v"},
                            {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                            {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof vec / sizeof *vec; i++) {
        char *e = str_base64(vec[i][0], strlen(vec[i][0]));
        is_str(e, vec[i][1], "base64 RFC 4648 vector '%s'", vec[i][0]);
        unsigned char *d;
        size_t dl;
        ok(str_base64_decode(e, strlen(e), &d, &dl) && dl ==
           strlen(vec[i][0]) && memcmp(d, vec[i][0], dl) == 0,
           "base64 round trip '%s'", vec[i][0]);
        free(d);
        free(e);
    }
    unsigned char bin[] = {0xfb, 0xff, 0xfe};
    char *e = str_base64url(bin, 3);
    is_str(e, "-__-", "base64url alphabet, no padding");
    free(e);
    unsigned char *d;
    size_t dl;
    ok(!str_base64_decode("a*b=", 4, &d, &dl), "base64 rejects junk");
    ok(str_is_uuid("72f988bf-86f1-41af-91ab-2d7cd011db47"), "uuid ok");
    ok(!str_is_uuid("72f988bf-86f1-41af-91ab-2d7cd011db4"), "uuid short");
    ok(!str_is_uuid("72f988bf_86f1-41af-91ab-2d7cd011db47"), "uuid sep");
    char f[16];
    const char *args[2] = {"19", "4"};
    ok(str_format_args(f, sizeof f, "%lldT %lldh", args, 2) &&
           strcmp(f, "19T 4h") == 0,
       "format args: %%lld and %%s take strings");
    ok(str_format_args(f, sizeof f, "100%% %s", args, 1) &&
           strcmp(f, "100% 19") == 0,
       "format args: %%%% is a percent sign");
    ok(str_format_args(f, 6, "exp %s %s", args, 2) && strcmp(f, "exp 1") == 0,
       "format args: cut as snprintf cuts");
    ok(!str_format_args(f, sizeof f, "%2$s %1$s", args, 2),
       "format args: positions are snprintf's");
    ok(!str_format_args(f, sizeof f, "%5s", args, 1),
       "format args: widths are snprintf's");
    ok(!str_format_args(f, sizeof f, "%s %s", args, 1),
       "format args: too few arguments");
}

static void
test_time(void)
{
    int64_t t;
    ok(time_parse_iso("2023-07-25T07:39:58.285Z", &t) && t == 1690270798,
       "ISO with millis and Z");
    ok(time_parse_iso("2023-11-06 12:47:03Z", &t) && t == 1699274823,
       "operationResults form with a space");
    ok(time_parse_iso("2023-11-06T14:47:03+02:00", &t) && t == 1699274823,
       "offset");
    ok(!time_parse_iso("2023-13-06T12:47:03Z", &t), "bad month rejected");
    ok(!time_parse_iso("yesterday", &t), "junk rejected");
    ok(!time_parse_iso("2023-11-06T12:47:03Zjunk", &t), "trailing junk");
    char out[64];
    time_format_iso(1690270834, out, sizeof out);
    is_str(out, "2023-07-25T07:40:34Z", "format iso");
    /* the hand-written UTC dates are strftime()'s, leap days and the
     * turns of centuries included */
    bool same = true;
    for (int64_t u = -86400LL * 800; u < 86400LL * 365 * 300 && same;
         u += 86400LL * 7 + 3671) {
        char want[64];
        time_t tt = (time_t)u;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof want, "%Y-%m-%d %H:%M", &tm);
        time_format_utc(u, true, out, sizeof out);
        same = strcmp(out, want) == 0;
        strftime(want, sizeof want, "%Y-%m-%d", &tm);
        time_format_utc(u, false, out, sizeof out);
        same = same && strcmp(out, want) == 0;
        if (!same)
            printf("# at %lld: %s, strftime %s\n", (long long)u, out, want);
    }
    ok(same, "UTC dates as strftime() writes them, 1967 to 2269");
    time_format_utc(951782400 + 86399, true, out, sizeof out);
    is_str(out, "2000-02-29 23:59", "a leap day's last minute");
    time_format_left(3 * 86400 + 4 * 3600 + 5, out, sizeof out);
    is_str(out, "3d 4h", "time left in days");
    time_format_left(42 * 60, out, sizeof out);
    is_str(out, "42m", "time left in minutes");
    time_format_left(-2 * 86400, out, sizeof out);
    is_str(out, "expired 2d 0h ago", "expired");
}

static void
test_status(void)
{
    is_str(kv_status_message(KV_OK), "success", "OK message");
    is_str(kv_status_message(KV_ERR_THROTTLED), "throttled by the server",
           "throttled message");
    is_str(kv_status_name(KV_ERR_TIMEOUT), "KV_ERR_TIMEOUT", "name");
    is_str(kv_status_message((enum kv_status)999), "unknown error",
           "out of range");
}

static void
test_redact(void)
{
    struct {
        const char *in, *want, *what;
    } cases[] = {
        {"Authorization: Bearer eyJ0eXAi.abc.def",
         "Authorization: [redacted]", "Authorization header"},
        {"> authorization: Bearer x\n< HTTP/2 200",
         "> authorization: Bearer [redacted]\n< HTTP/2 200",
         "header inside a trace line keeps the line, hides the token"},
        {"{\"value\":\"hunter2\",\"id\":\"https://kv/secrets/a\"}",
         "{\"value\":\"[redacted]\",\"id\":\"https://kv/secrets/a\"}",
         "secret value in a JSON body"},
        {"{\"value\": \"a\\\"b\", \"x\":1}",
         "{\"value\": \"[redacted]\", \"x\":1}", "escaped quote in value"},
        {"{\"value\":[{\"id\":\"x\"}]}", "{\"value\":[{\"id\":\"x\"}]}",
         "ARM list envelope untouched"},
        {"grant_type=client_credentials&client_id=abc&client_secret=s3cr3t&"
         "scope=x",
         "grant_type=client_credentials&client_id=abc&client_secret=[redacted]"
         "&scope=x",
         "client secret in a form body"},
        {"{\"access_token\":\"tok\",\"refresh_token\":\"rt\"}",
         "{\"access_token\":\"[redacted]\",\"refresh_token\":\"[redacted]\"}",
         "tokens in a token response"},
        {"GET /secrets/db-password?api-version=7.5",
         "GET /secrets/db-password?api-version=7.5",
         "secret names are not values"},
        /* Redaction by context, not by key name (issue 11): shapes from
         * shared/azure/recordings and PROTOCOL.md. */
        {"http: error body: {\"error\":{\"code\":\"SecretNotFound\","
         "\"message\":\"A secret with (name/id) db was not found in this "
         "key vault.\"}}",
         "http: error body: {\"error\":{\"code\":\"SecretNotFound\","
         "\"message\":\"A secret with (name/id) db was not found in this "
         "key vault.\"}}",
         "Azure's error code is kept"},
        {"{\"error\":{\"code\":\"Conflict\",\"message\":\"Secret secret1 "
         "is currently in a deleted but recoverable state\",\"innererror\":{"
         "\"code\":\"ObjectIsDeletedButRecoverable\"}}}",
         "{\"error\":{\"code\":\"Conflict\",\"message\":\"Secret secret1 "
         "is currently in a deleted but recoverable state\",\"innererror\":{"
         "\"code\":\"ObjectIsDeletedButRecoverable\"}}}",
         "inner error code is kept"},
        {"{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: "
         "Request is missing a Bearer or PoP token.\"}}",
         "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: "
         "Request is missing a Bearer or PoP token.\"}}",
         "\"Bearer or PoP\" prose is kept"},
        {"www-authenticate: Bearer authorization=\"https://login.microsoft"
         "online.com/54826b22-38d6-4fb2-bad9-b7b93a3e9c5a\", resource=\"https:"
         "//vault.azure.net\"",
         "www-authenticate: Bearer authorization=\"https://login.microsoft"
         "online.com/54826b22-38d6-4fb2-bad9-b7b93a3e9c5a\", resource=\"https:"
         "//vault.azure.net\"",
         "a WWW-Authenticate challenge is kept"},
        {"token: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln",
         "token: Bearer [redacted]", "a JWT after Bearer, anywhere"},
        {"grant_type=authorization_code&client_id=abc&code=0.AXkA-Xyz&"
         "redirect_uri=http%3A%2F%2Flocalhost",
         "grant_type=authorization_code&client_id=abc&code=[redacted]&"
         "redirect_uri=http%3A%2F%2Flocalhost",
         "OAuth authorization code in a token request"},
        {"grant_type=urn:ietf:params:oauth:grant-type:device_code&"
         "client_id=abc&device_code=DAQABAAEAAAD",
         "grant_type=urn:ietf:params:oauth:grant-type:device_code&"
         "client_id=abc&device_code=[redacted]",
         "device code in a token request"},
        {"{\"user_code\":\"FQK5HW3UF\",\"device_code\":\"DAQABAAEAAAD\","
         "\"verification_uri\":\"https://microsoft.com/devicelogin\"}",
         "{\"user_code\":\"[redacted]\",\"device_code\":\"[redacted]\","
         "\"verification_uri\":\"https://microsoft.com/devicelogin\"}",
         "device code response"},
        {"{\"accessToken\":\"eyJ0eXAi\",\"expiresOn\":\"2026-12-06\"}",
         "{\"accessToken\":\"[redacted]\",\"expiresOn\":\"2026-12-06\"}",
         "az CLI's accessToken"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *r = log_redact(cases[i].in);
        is_str(r, cases[i].want, "redact: %s", cases[i].what);
        free(r);
    }

    char path[] = "/tmp/kvdeck-log-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char *why = NULL;
    ok(!log_enabled(), "log is off by default");
    ok(log_open(path, &why) == KV_OK, "log opens");
    log_debug("request: Authorization: Bearer topsecret");
    log_debug("body {\"value\":\"hunter2\"}");
    log_close();
    FILE *f = fopen(path, "r");
    char text[1024] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    ok(strstr(text, "topsecret") == NULL && strstr(text, "hunter2") == NULL,
       "log file never holds the token or the value");
    ok(strstr(text, "[redacted]") != NULL, "log file shows the redaction");
    unlink(path);
    ok(log_open("/nonexistent-dir/x.log", &why) == KV_ERR_IO && why &&
       strstr(why, "/nonexistent-dir/x.log"), "unopenable log names the path");
    free(why);

    /* --log on an existing file (issue 11): a symbolic link is not
     * followed, a file others can read is made private and said so. */
    char target[] = "/tmp/kvdeck-log-target-XXXXXX";
    fd = mkstemp(target);
    close(fd);
    char link[sizeof target + 5];
    snprintf(link, sizeof link, "%s.link", target);
    ok(symlink(target, link) == 0, "symlink made");
    why = NULL;
    ok(log_open(link, &why) == KV_ERR_IO && !log_enabled(),
       "a symbolic link as the log is refused");
    ok(why != NULL && strstr(why, "symbolic link") && strstr(why, link),
       "the refusal names the link: %s", why ? why : "(none)");
    free(why);
    unlink(link);
    ok(chmod(target, 0644) == 0, "log file made world-readable");
    why = NULL;
    ok(log_open(target, &why) == KV_OK, "a readable existing log opens");
    struct stat lst;
    ok(stat(target, &lst) == 0 && (lst.st_mode & 0777) == 0600,
       "its mode is now 0600 (is %04o)", (unsigned)(lst.st_mode & 0777));
    ok(why != NULL && strstr(why, "0600") && strstr(why, "0644"),
       "and kvdeck says so: %s", why ? why : "(none)");
    free(why);
    log_close();
    why = NULL;
    ok(log_open(target, &why) == KV_OK && why == NULL,
       "a private log opens without a notice");
    log_close();
    unlink(target);
}

/* str_escape_ctl: what error messages quote from files (issue 11). */
static void
test_escape_ctl(void)
{
    struct {
        const char *in, *want, *what;
    } cases[] = {
        {"plain name", "plain name", "printable ASCII kept"},
        {"a\x1b[2Jb", "a\\x1b[2Jb", "ESC shown as \\x1b"},
        {"\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07", "OSC 52 with BEL"},
        {"tab\tnl\ncr\rdel\x7f", "tab\\x09nl\\x0acr\\x0ddel\\x7f",
         "other C0 controls and DEL"},
        {"gr\xc3\xbc\xc3\x9f" "e \xe2\x80\xa6", "gr\xc3\xbc\xc3\x9f" "e \xe2\x80\xa6",
         "UTF-8 text kept"},
        {"\xc2\x9b" "31m", "\\u009b31m", "C1 CSI (U+009B) escaped"},
        {"\x9b" "31m\xff", "\\x9b31m\\xff", "bytes that are not UTF-8"},
        {"\xe0\x80\x9b", "\\xe0\\x80\\x9b", "an overlong sequence"},
        {"back\\slash", "back\\slash", "a backslash is kept"},
        {"", "", "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *r = str_escape_ctl(cases[i].in);
        is_str(r, cases[i].want, "escape: %s", cases[i].what);
        char *again = str_escape_ctl(r);
        is_str(again, r, "escape twice = once: %s", cases[i].what);
        free(again);
        free(r);
    }
}

static void
test_secmem(void)
{
    struct secret *s = secret_dup("hunter2", 7);
    is_str(s->data, "hunter2", "secret holds the value");
    is_int(s->len, 7, "secret length");
    ok(secret_append(s, "!", 1) && strcmp(s->data, "hunter2!") == 0,
       "append");
    ok(!secret_append(s, "x", s->cap), "append past capacity refused");
    ok(secmem_equal("abc", "abc", 3) && !secmem_equal("abc", "abd", 3),
       "constant-time compare");
    char scratch[16] = "wipe me please";
    secmem_wipe(scratch, sizeof scratch);
    int zero = 1;
    for (size_t i = 0; i < sizeof scratch; i++)
        zero &= scratch[i] == 0;
    ok(zero, "wipe zeroes memory");
    secret_free(s);
    secret_free(NULL);
    ok(1, "secret_free(NULL) is harmless");
    ok(secmem_harden_process(), "process hardening applied");
    struct rlimit rl;
    getrlimit(RLIMIT_CORE, &rl);
    ok(rl.rlim_cur == 0, "core dumps disabled");
}

int
main(void)
{
    test_buf();
    test_vec();
    test_str();
    test_time();
    test_status();
    test_redact();
    test_escape_ctl();
    test_secmem();
    return tap_done();
}
