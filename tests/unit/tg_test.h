/* tg_test.h — what every unit test includes: cmocka, libtegami's internals,
 * and small helpers for files and diagnostics. */
#ifndef TG_TEST_H
#define TG_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "base/base.h"
#include "tegami/tegami.h"

/* Write `text` to a new temporary file; returns its path (g_free). */
static inline char *tg_test_write_temp(const char *name, const char *text, size_t len) {
  char *dir = g_dir_make_tmp("tegami-unit-XXXXXX", NULL);
  char *path = g_build_filename(dir, name, NULL);
  g_file_set_contents(path, text, (gssize)len, NULL);
  g_free(dir);
  return path;
}

static inline void tg_test_remove_temp(char *path) {
  char *dir = g_path_get_dirname(path);
  g_unlink(path);
  g_rmdir(dir);
  g_free(dir);
  g_free(path);
}

/* The formatted text of every diagnostic, concatenated (g_free). */
static inline char *tg_test_diag_text(const tg_diag *d) {
  GString *s = g_string_new(NULL);
  for (size_t i = 0; i < tg_diag_count(d); i++) {
    char *f = tg_diag_format(tg_diag_get(d, i));
    g_string_append(s, f);
    free(f);
  }
  return g_string_free(s, FALSE);
}

/* The font set of the source tree (tests run with TEGAMI_DATA_DIR set). */
static inline tg_fonts *tg_test_fonts(void) {
  char *path = g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  tg_diag *d = tg_diag_new();
  tg_fonts *f = tg_fonts_load(path, d);
  if (!f) {
    char *t = tg_test_diag_text(d);
    fprintf(stderr, "%s", t);
    g_free(t);
  }
  tg_diag_free(d);
  g_free(path);
  return f;
}

/* A text with its ruby written back as {base|reading} (g_free): how the ruby
 * tests state what they expect.  Attributes other than ruby are left out. */
static inline char *tg_test_show_ruby(const char *text, size_t len, const tg_attrs *a) {
  GString *out = g_string_new(NULL);
  size_t p = 0;
  for (size_t k = 0; k < a->n; k++) {
    if (a->v[k].type != TG_ATTR_RUBY) continue;
    g_string_append_len(out, text + p, (gssize)(a->v[k].start - p));
    g_string_append_printf(out, "{%.*s|%s}", (int)(a->v[k].end - a->v[k].start),
                           text + a->v[k].start, a->v[k].u.ruby);
    p = a->v[k].end;
  }
  g_string_append_len(out, text + p, (gssize)(len - p));
  return g_string_free(out, FALSE);
}

#endif
