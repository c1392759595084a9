/* i18n.c — messages in the user's language, through gettext.
 *
 * Every message a user reads (diagnostics, hints, the summary, the CLI's
 * help and progress) is an English string literal in the sources, the
 * msgid; tg_gettext() looks it up in the "tegami" catalogue of the current
 * LC_MESSAGES locale (locales/ja/tegami.po, compiled by the build into
 * BUILD/locale/ja/LC_MESSAGES/tegami.mo and installed in
 * PREFIX/share/locale).  The library never calls setlocale(): a program
 * that does not (the unit tests) gets English; the CLI sets LC_CTYPE and
 * LC_MESSAGES from the environment.  Stable codes ("data.postal-city") and
 * numbers are never translated.  docs/i18n.md tells how to refresh the
 * catalogue (make po).
 */
#include "base/base.h"

#include <libintl.h>
#include <string.h>

#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "tegami"
#endif
#ifndef TG_LOCALE_DIR
#define TG_LOCALE_DIR "/usr/share/locale"
#endif

/* The installed catalogues beside the running program (TG_LOCALE_DIR_FROM_BIN,
 * ../share/locale, set by packaging/install.cmake) when they are there; else
 * the build tree's (TG_LOCALE_DIR). */
static gpointer find_locale_dir(gpointer unused) {
  (void)unused;
#ifdef TG_LOCALE_DIR_FROM_BIN
  char *dir =
      tg_dir_beside_program(TG_LOCALE_DIR_FROM_BIN, "ja/LC_MESSAGES/" GETTEXT_PACKAGE ".mo");
  if (dir) return dir; /* kept for the life of the process */
#endif
  return (gpointer)TG_LOCALE_DIR;
}

const char *tg_locale_dir(void) {
  const char *env = g_getenv("TEGAMI_LOCALE_DIR");
  if (env && *env) return env;
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, find_locale_dir, NULL);
}

static gpointer bind_domain(gpointer unused) {
  (void)unused;
  bindtextdomain(GETTEXT_PACKAGE, tg_locale_dir());
  /* messages are UTF-8 whatever the terminal's locale says */
  bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
  return NULL;
}

const char *tg_gettext(const char *msgid) {
  if (!msgid || !*msgid) return msgid; /* "" would give the catalogue's header */
  static GOnce once = G_ONCE_INIT;
  g_once(&once, bind_domain, NULL);
  return g_dgettext(GETTEXT_PACKAGE, msgid);
}

void tg_append_label(GString *out, const char *label, size_t width) {
  g_string_append(out, label);
  size_t w = tg_utf8_display_width(label, strlen(label));
  for (; w < width; w++)
    g_string_append_c(out, ' ');
}
