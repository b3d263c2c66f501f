/*
 * osc52.c — the clipboard escape sequence, built in secure memory.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "tui/osc52.h"

#define OSC52_SCREEN_CHUNK 76

enum osc52_mode
osc52_mode_from_env(const char *tmux, const char *sty)
{
    if (tmux != NULL && *tmux != '\0')
        return OSC52_TMUX;
    if (sty != NULL && *sty != '\0')
        return OSC52_SCREEN;
    return OSC52_PLAIN;
}

static void
osc52_put(struct secret *s, const char *text)
{
    secret_append(s, text, strlen(text));
}

/* Appends base64 of data to s; with chunk > 0 a DCS break is inserted
 * every chunk output bytes (for screen's 768-byte string limit). */
static void
osc52_base64(struct secret *s, const unsigned char *d, size_t len, size_t chunk)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t out = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < len)
            v |= d[i + 2];
        char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63],
                     i + 1 < len ? tab[(v >> 6) & 63] : '=',
                     i + 2 < len ? tab[v & 63] : '='};
        if (chunk > 0 && out > 0 && out % chunk == 0)
            osc52_put(s, "\033\\\033P");
        secret_append(s, q, 4);
        out += 4;
        secmem_wipe(q, sizeof q);
    }
}

struct secret *
osc52_build(const void *data, size_t len, enum osc52_mode mode)
{
    size_t b64 = (len + 2) / 3 * 4;
    struct secret *s = secret_new(b64 + b64 / 8 + 64);
    switch (mode) {
    case OSC52_TMUX:
        /* Inside DCS passthrough every ESC is doubled. */
        osc52_put(s, "\033Ptmux;\033\033]52;c;");
        osc52_base64(s, data, len, 0);
        osc52_put(s, "\a\033\\");
        break;
    case OSC52_SCREEN:
        osc52_put(s, "\033P\033]52;c;");
        osc52_base64(s, data, len, OSC52_SCREEN_CHUNK);
        osc52_put(s, "\a\033\\");
        break;
    case OSC52_PLAIN:
    default:
        osc52_put(s, "\033]52;c;");
        osc52_base64(s, data, len, 0);
        osc52_put(s, "\a");
        break;
    }
    return s;
}

enum kv_status
osc52_write(int fd, const struct secret *value, enum osc52_mode mode,
            char **why)
{
    struct secret *seq = osc52_build(value->data, value->len, mode);
    enum kv_status st = KV_OK;
    size_t off = 0;
    while (off < seq->len) {
        ssize_t w = write(fd, seq->data + off, seq->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            usleep(1000);
            continue;
        }
        if (w <= 0) {
            *why = xasprintf(_("cannot write to the terminal: %s"),
                             strerror(errno));
            st = KV_ERR_IO;
            break;
        }
        off += (size_t)w;
    }
    secret_free(seq);
    return st;
}
