/*
 * test-cli-value-out.c — `kvdeck secret show --show-value` prints the
 * value without it ever sitting in stdio's buffer (src/cli/cli-output.c):
 * glibc keeps stdout's buffer until exit and never wipes it, so a value
 * fwrite()n there stays readable in the process after the flush. The
 * value (a random marker in secure memory, with a quote, a backslash and
 * a control character to escape) goes through cli_text_version() and
 * cli_json_version() to a buffered FILE on a file; the file holds the
 * right bytes in the right order (stdio's text before and after it), and
 * with the FILE still open the process's memory outside secure memory
 * holds no piece of the value. The control: the same marker fwrite()n to
 * the FILE is found in its buffer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/secmem.h"
#include "cli/cli-int.h"
#include "tests/tap.h"
#include "tests/tools/memscan.h"

#define MARK 48

/* A fresh marker of MARK letters, in secure memory. */
static struct secret *
marker(void)
{
    struct secret *m = memscan_marker(MARK);
    if (m == NULL) {
        printf("Bail out! cannot read /dev/urandom\n");
        exit(1);
    }
    return m;
}

/* Hits of the marker's two halves outside secure memory. */
static size_t
hits(const struct secret *m)
{
    struct memscan s = {0};
    struct memscan_hit h[8];
    memscan_add(&s, "marker start", m->data, 20);
    memscan_add(&s, "marker end", m->data + MARK - 20, 20);
    size_t n = memscan_run(&s, h, 8, NULL, NULL);
    for (size_t i = 0; i < n && i < 8; i++)
        printf("#   %s at %#lx: %s +%#lx\n", h[i].label, h[i].addr,
               h[i].mapping, h[i].addr - h[i].start);
    memscan_free(&s);
    return n;
}

/* The file's contents (caller frees). */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *d = calloc(1, 8192);
    if (f != NULL) {
        size_t n = fread(d, 1, 8191, f);
        d[n] = '\0';
        fclose(f);
    }
    return d;
}

int
main(void)
{
    char path[] = "/tmp/kvtest-valueout-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        printf("Bail out! mkstemp\n");
        return 1;
    }
    FILE *f = fdopen(fd, "w");
    setvbuf(f, NULL, _IOFBF, 4096); /* as stdout to a pipe or file */
    char id[] = "https://kv.vault.azure.net/secrets/n/0123456789abcdef",
         name[] = "n", version[] = "0123456789abcdef", ctype[] = "text/plain";
    struct kv_secret_version v = {
        .id = id,
        .name = name,
        .version = version,
        .content_type = ctype,
        .attrs = {.enabled = true},
    };

    struct secret *m = marker();
    struct secret *value = secret_new(MARK + 8);
    secret_append(value, m->data, MARK / 2);
    secret_append(value, "\"\\\x01", 3);
    secret_append(value, m->data + MARK / 2, MARK / 2);

    cli_text_version(f, &v, value);
    fputs("after text\n", f);
    cli_json_version(f, &v, value);
    fputs("\nafter json\n", f);
    is_int(hits(m), 0,
           "text and JSON printed, FILE open: the value is not in its "
           "buffer or anywhere outside secure memory");
    fclose(f);

    char *out = slurp(path);
    char want[256];
    snprintf(want, sizeof want, "value:        %.*s\"\\\x01%.*s\nafter text\n",
             MARK / 2, m->data, MARK / 2, m->data + MARK / 2);
    ok(strstr(out, want) != NULL, "text: the value, raw, after its label");
    snprintf(want, sizeof want,
             ",\"value\":\"%.*s\\\"\\\\\\u0001%.*s\"}\nafter json\n", MARK / 2,
             m->data, MARK / 2, m->data + MARK / 2);
    ok(strstr(out, want) != NULL,
       "JSON: the value escaped, in its place among the other members");
    ok(strncmp(out, "id:           https://kv.vault.azure.net/", 41) == 0,
       "stdio's text first");
    secmem_wipe(out, strlen(out));
    secmem_wipe(want, sizeof want);
    free(out);

    /* the control: fwrite leaves the marker in the FILE's buffer */
    f = fopen(path, "w");
    setvbuf(f, NULL, _IOFBF, 4096);
    fwrite(m->data, 1, MARK, f);
    fflush(f);
    ok(hits(m) > 0, "control: a value fwrite()n stays in the FILE's buffer");
    fclose(f);
    unlink(path);
    secret_free(value);
    secret_free(m);
    return tap_done();
}
