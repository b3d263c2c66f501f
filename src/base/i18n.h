/*
 * i18n.h — gettext shorthands. _() translates now, N_() marks a string
 * for translation where it is stored (tables) and translated when shown.
 */
#ifndef KV_BASE_I18N_H
#define KV_BASE_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) ((const char *)(s))
#define P_(s, p, n) ((n) == 1 ? (const char *)(s) : (const char *)(p))
#define textdomain(d) ((const char *)(d))
#define bindtextdomain(d, dir) ((const char *)(d))
#define bind_textdomain_codeset(d, c) ((const char *)(c))
#endif
#define N_(s) s

#endif
