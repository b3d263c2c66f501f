/*
 * test-azure-generate.c — random values from specs (azure/generate.h):
 * each form's length and alphabet, templates with literal braces, the
 * 25,000-byte limit, every malformed spec refused with a message naming
 * the offending part, and a distribution check that would catch modulo
 * bias (every character of alnum appears, none more than 10 % off the
 * mean over 300,000 draws; b % 62 would make 8 of them 21 % likelier).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "azure/generate.h"
#include "base/str.h"
#include "tests/tap.h"

static bool
all_in(const struct secret *s, size_t from, const char *alphabet)
{
    for (size_t i = from; i < s->len; i++)
        if (s->data[i] == '\0' || strchr(alphabet, s->data[i]) == NULL)
            return false;
    return true;
}

#define HEX    "0123456789abcdef"
#define ALNUM  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define B64URL ALNUM "-_"

static struct secret *
gen(const char *spec)
{
    struct secret *s = NULL;
    char *why = NULL;
    if (az_generate_value(spec, &s, &why) != KV_OK)
        printf("# %s: %s\n", spec, why);
    free(why);
    return s;
}

static void
test_forms(void)
{
    struct secret *s = gen("hex:16");
    ok(s != NULL && s->len == 32 && all_in(s, 0, HEX) && s->data[32] == '\0',
       "hex:16: 32 lower-case hex digits, NUL-terminated");
    struct secret *t = gen("hex:16");
    ok(s != NULL && t != NULL && !secmem_equal(s->data, t->data, 32),
       "two draws differ");
    secret_free(s);
    secret_free(t);

    size_t want[] = {0, 2, 3, 4, 6, 7, 8, 10};
    bool lens = true, alpha = true, roundtrip = true;
    for (size_t n = 1; n <= 7; n++) {
        char spec[32];
        snprintf(spec, sizeof spec, "base64url:%zu", n);
        s = gen(spec);
        if (s == NULL || s->len != want[n])
            lens = false;
        if (s == NULL || !all_in(s, 0, B64URL))
            alpha = false;
        /* decodes back to n bytes (as standard base64 once padded) */
        char std[16] = "";
        size_t k = 0;
        for (; s != NULL && k < s->len; k++)
            std[k] = s->data[k] == '-'   ? '+'
                     : s->data[k] == '_' ? '/'
                                         : s->data[k];
        while (k % 4 != 0)
            std[k++] = '=';
        unsigned char *raw = NULL;
        size_t raw_len = 0;
        if (!str_base64_decode(std, k, &raw, &raw_len) || raw_len != n)
            roundtrip = false;
        free(raw);
        secret_free(s);
    }
    ok(lens, "base64url:1..7 -> 2,3,4,6,7,8,10 characters (no padding)");
    ok(alpha, "base64url alphabet only ([A-Za-z0-9_-], no '=')");
    ok(roundtrip, "and decodes back to N bytes");
    s = gen("base64url:48");
    ok(s != NULL && s->len == 64 && all_in(s, 0, B64URL),
       "base64url:48 -> 64 characters");
    secret_free(s);
    s = gen("base64url:100");
    ok(s != NULL && s->len == 134, "base64url:100 across chunks -> 134");
    secret_free(s);

    s = gen("alnum:40");
    ok(s != NULL && s->len == 40 && all_in(s, 0, ALNUM), "alnum:40");
    secret_free(s);
    s = gen("digits:12");
    ok(s != NULL && s->len == 12 && all_in(s, 0, "0123456789"), "digits:12");
    secret_free(s);
    s = gen("hex:1");
    ok(s != NULL && s->len == 2, "hex:1 -> 2 digits");
    secret_free(s);
}

static void
test_templates(void)
{
    struct secret *s = gen("sk-{48:alnum}");
    ok(s != NULL && s->len == 51 && str_starts(s->data, "sk-") &&
           all_in(s, 3, ALNUM),
       "sk-{48:alnum}: the prefix and 48 alnum characters");
    secret_free(s);
    s = gen("{{id}}-{4:hex}/{3:digits}.{2:base64url}");
    ok(s != NULL && s->len == strlen("{id}-") + 8 + 1 + 3 + 1 + 3 &&
           str_starts(s->data, "{id}-") && s->data[13] == '/' &&
           s->data[17] == '.',
       "literal braces, several placeholders (%s)", s ? "made" : "none");
    secret_free(s);
    size_t len = 0;
    char *why = NULL;
    ok(az_generate_check("pw-{10:alnum}-{2:hex}", &len, &why) == KV_OK &&
           len == 3 + 10 + 1 + 4,
       "az_generate_check measures without generating (%zu)", len);
}

static void
test_limits(void)
{
    size_t len = 0;
    char *why = NULL;
    ok(az_generate_check("hex:12500", &len, &why) == KV_OK && len == 25000,
       "hex:12500 = 25000 bytes: allowed");
    ok(az_generate_check("alnum:25000", &len, &why) == KV_OK,
       "alnum:25000 allowed");
    struct {
        const char *spec;
        const char *says;
    } over[] = {
        {"hex:12501", "25002 bytes"},
        {"alnum:25001", "25001 bytes"},
        {"x{25000:alnum}", "25001 bytes"},
        {"{20000:alnum}{20000:digits}", "40000 bytes"},
        {"hex:99999999999999999999999", "bytes"},
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        struct secret *s = NULL;
        why = NULL;
        enum kv_status st = az_generate_value(over[i].spec, &s, &why);
        ok(st == KV_ERR_INVALID && s == NULL && why != NULL &&
               strstr(why, over[i].says) != NULL &&
               strstr(why, "25000") != NULL,
           "too long: %s (%s)", over[i].spec, why ? why : "");
        free(why);
    }
    struct secret *big = gen("alnum:25000");
    ok(big != NULL && big->len == 25000 && all_in(big, 0, ALNUM),
       "a 25000-character value is made");
    secret_free(big);
}

static void
test_malformed(void)
{
    struct {
        const char *spec;
        const char *says;
    } bad[] = {
        {"", "empty value spec"},
        {"hex:", "\"hex:\" needs a length"},
        {"hex:0", "length 0 in \"hex:0\""},
        {"alnum:-3", "\"-3\" in \"alnum:-3\" is not a length"},
        {"alnum: 3", "\" 3\" in \"alnum: 3\" is not a length"},
        {"hex:3x", "\"3x\" in \"hex:3x\""},
        {"hexa:32", "unknown kind \"hexa\""},
        {"password", "\"password\" has no random part"},
        {"{{literal}}", "has no random part"},
        {"sk-{48alnum}", "placeholder {48alnum} needs the form {N:KIND}"},
        {"sk-{48:foo}", "unknown kind \"foo\" in {48:foo}"},
        {"sk-{:alnum}", "\"{:alnum}\" needs a length"},
        {"sk-{0:alnum}", "length 0 in \"{0:alnum}\""},
        {"sk-{x:hex}", "\"x\" in \"{x:hex}\" is not a length"},
        {"sk-{48:alnum", "'{' at position 4 of \"sk-{48:alnum\" is never"},
        {"a{2:hex{3:hex}", "'{' at position 2"},
        {"a}{2:hex}", "'}' without its '{' at position 2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct secret *s = (struct secret *)1;
        char *why = NULL;
        enum kv_status st = az_generate_value(bad[i].spec, &s, &why);
        ok(st == KV_ERR_INVALID && s == NULL && why != NULL &&
               strstr(why, bad[i].says) != NULL,
           "refused: \"%s\" (%s)", bad[i].spec, why ? why : "no message");
        free(why);
    }
    char *why = NULL;
    ok(az_generate_check(NULL, NULL, &why) == KV_ERR_INVALID,
       "a NULL spec is refused");
    free(why);
}

/* Counts characters over many draws; true if every one of alphabet shows
 * up and none is more than max_sigma standard deviations off the mean
 * (binomial: sqrt(mean * (1 - 1/n))). Six sigma never fails by chance
 * (about 2e-9 per character) yet catches a modulo bias at once: 256 % 62
 * would put eight characters 25% over, some 17 sigma at these counts.
 * *worst gets the largest deviation in sigmas. */
static bool
distribution(const char *spec, int draws, const char *alphabet,
             double max_sigma, double *worst)
{
    long count[256] = {0};
    long total = 0;
    for (int d = 0; d < draws; d++) {
        struct secret *s = gen(spec);
        if (s == NULL)
            return false;
        for (size_t i = 0; i < s->len; i++)
            count[(unsigned char)s->data[i]]++;
        total += (long)s->len;
        secret_free(s);
    }
    size_t n = strlen(alphabet);
    double mean = (double)total / (double)n;
    double sigma = sqrt(mean * (1.0 - 1.0 / (double)n));
    bool good = true;
    *worst = 0;
    for (size_t i = 0; i < n; i++) {
        double c = (double)count[(unsigned char)alphabet[i]];
        double off = (c > mean ? c - mean : mean - c) / sigma;
        if (off > *worst)
            *worst = off;
        if (c == 0 || off > max_sigma)
            good = false;
    }
    return good;
}

static void
test_distribution(void)
{
    double worst;
    ok(distribution("alnum:20000", 15, ALNUM, 6.0, &worst),
       "alnum: all 62 appear, none more than 6 sigma off the mean over "
       "300000 (worst %.1f)",
       worst);
    ok(distribution("digits:20000", 5, "0123456789", 6.0, &worst),
       "digits: all 10 appear, within 6 sigma (worst %.1f)", worst);
    ok(distribution("hex:10000", 5, HEX, 6.0, &worst),
       "hex digits: within 6 sigma (worst %.1f)", worst);
}

int
main(void)
{
    test_forms();
    test_templates();
    test_limits();
    test_malformed();
    test_distribution();
    return tap_done();
}
