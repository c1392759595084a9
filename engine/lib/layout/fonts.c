/* fonts.c — the private font set, loaded once per run.
 *
 * fonts/fontset.txt lists font files.  They are added to a fresh fontconfig
 * configuration that contains nothing else, and a Pango font map is pointed
 * at it, so no font installed on the machine can ever sneak into a letter.
 * For each face we keep what the engine needs afterwards, all immutable and
 * therefore shareable across worker threads: a HarfBuzz font at em scale (for
 * shaping and coverage checks, hinting-free and exactly linear in the size),
 * the Cairo font face for drawing, and the vertical metrics.
 */
#include "layout/layout_private.h"

#include <cairo-ft.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>

struct tg_fonts {
  FcConfig *config;
  PangoFontMap *fontmap;
  PangoContext *context;
  GPtrArray *faces; /* tg_face* */
};

static void face_free(gpointer p) {
  tg_face *f = p;
  if (f->hb) hb_font_destroy(f->hb);
  if (f->cairo_face) cairo_font_face_destroy(f->cairo_face);
  if (f->pango_font) g_object_unref(f->pango_font);
  g_strfreev(f->families);
  g_free(f->file);
  g_free(f->psname);
  g_free(f);
}

static bool load_face(tg_fonts *fs, const char *file, bool fallback, const char *package,
                      const char *listing, int lineno, tg_diag *d) {
  int count = 0;
  FcPattern *pat = FcFreeTypeQuery((const FcChar8 *)file, 0, NULL, &count);
  if (!pat) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.unreadable",
                "%s:%d: %s is not a font file fontconfig can read", listing, lineno, file);
    return false;
  }
  tg_face *f = g_new0(tg_face, 1);
  f->file = g_strdup(file);
  f->fallback = fallback;
  GPtrArray *fams = g_ptr_array_new();
  FcChar8 *s;
  for (int i = 0; FcPatternGetString(pat, FC_FAMILY, i, &s) == FcResultMatch; i++)
    g_ptr_array_add(fams, g_strdup((const char *)s));
  g_ptr_array_add(fams, NULL);
  f->families = (char **)g_ptr_array_free(fams, FALSE);
  if (FcPatternGetString(pat, FC_POSTSCRIPT_NAME, 0, &s) == FcResultMatch)
    f->psname = g_strdup((const char *)s);
  else
    f->psname = g_path_get_basename(file);
  int w = FC_WEIGHT_REGULAR;
  FcPatternGetInteger(pat, FC_WEIGHT, 0, &w);
  f->weight = w >= FC_WEIGHT_DEMIBOLD ? 700 : 400;
  FcPatternDestroy(pat);
  if (!f->families[0]) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.unreadable", "%s:%d: %s has no family name",
                listing, lineno, file);
    face_free(f);
    return false;
  }
  /* Load it through Pango, from the private configuration only. */
  PangoFontDescription *desc = pango_font_description_new();
  pango_font_description_set_family(desc, f->families[0]);
  pango_font_description_set_weight(desc,
                                    f->weight == 700 ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_size(desc, 100 * PANGO_SCALE);
  PangoFont *pf = pango_font_map_load_font(fs->fontmap, fs->context, desc);
  pango_font_description_free(desc);
  FcPattern *got = pf ? pango_fc_font_get_pattern(PANGO_FC_FONT(pf)) : NULL;
  FcChar8 *got_file = NULL;
  if (!got || FcPatternGetString(got, FC_FILE, 0, &got_file) != FcResultMatch ||
      strcmp((const char *)got_file, file) != 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "fonts.load",
                "%s:%d: Pango could not load %s from the private font set", listing, lineno, file);
    if (pf) g_object_unref(pf);
    face_free(f);
    return false;
  }
  f->pango_font = pf;
  hb_font_t *phb = pango_font_get_hb_font(pf);
  hb_face_t *hface = hb_font_get_face(phb);
  f->upem = hb_face_get_upem(hface);
  f->hb = hb_font_create(hface); /* scale = upem: advances in font units */
  hb_font_make_immutable(f->hb);
  hb_font_extents_t ext;
  hb_font_get_h_extents(f->hb, &ext);
  f->ascent_em = (double)ext.ascender / f->upem;
  f->descent_em = (double)-ext.descender / f->upem;
  cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(pf));
  f->cairo_face = cairo_font_face_reference(cairo_scaled_font_get_font_face(sf));
  (void)package;
  g_ptr_array_add(fs->faces, f);
  return true;
}

tg_fonts *tg_fonts_load(const char *listing, tg_diag *d) {
  gchar *text = NULL;
  gsize len = 0;
  GError *err = NULL;
  if (!tg_input_is_file(listing, "the font set ", d)) return NULL;
  if (!g_file_get_contents(listing, &text, &len, &err)) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.listing", "cannot read the font set %s: %s",
                listing, err->message);
    g_error_free(err);
    return NULL;
  }
  tg_fonts *fs = g_new0(tg_fonts, 1);
  fs->faces = g_ptr_array_new_with_free_func(face_free);
  fs->config = FcConfigCreate();
  char *dir = g_path_get_dirname(listing);
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
  GArray *roles = g_array_new(FALSE, FALSE, sizeof(int));
  GPtrArray *packages = g_ptr_array_new_with_free_func(g_free);
  GArray *linenos = g_array_new(FALSE, FALSE, sizeof(int));
  bool ok = true;
  for (int i = 0; lines[i]; i++) {
    char *line = g_strstrip(lines[i]);
    if (!*line || *line == '#') continue;
    char **f = g_strsplit_set(line, " \t", -1);
    char *tok[3] = {0};
    int k = 0;
    for (int j = 0; f[j] && k < 3; j++)
      if (*f[j]) tok[k++] = f[j];
    int role = tok[0] && strcmp(tok[0], "text") == 0       ? 0
               : tok[0] && strcmp(tok[0], "fallback") == 0 ? 1
                                                           : -1;
    if (role < 0 || !tok[1]) {
      tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.listing",
                  "%s:%d: expected 'text' or 'fallback', a font file and a package", listing,
                  i + 1);
      ok = false;
    } else {
      char *path =
          g_path_is_absolute(tok[1]) ? g_strdup(tok[1]) : g_build_filename(dir, tok[1], NULL);
      if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.missing", "font file %s is missing", path);
        if (tok[2]) tg_diag_hint(d, "install the Debian package %s (make deps does this)", tok[2]);
        ok = false;
        g_free(path);
      } else {
        FcConfigAppFontAddFile(fs->config, (const FcChar8 *)path);
        g_ptr_array_add(files, path);
        g_array_append_val(roles, role);
        g_ptr_array_add(packages, g_strdup(tok[2] ? tok[2] : ""));
        int ln = i + 1;
        g_array_append_val(linenos, ln);
      }
    }
    g_strfreev(f);
  }
  g_strfreev(lines);
  g_free(dir);
  if (ok && files->len == 0) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "fonts.listing", "%s lists no fonts", listing);
    ok = false;
  }
  if (ok) {
    fs->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fs->fontmap), fs->config);
    fs->context = pango_font_map_create_context(fs->fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(fs->context, fo);
    cairo_font_options_destroy(fo);
    for (guint i = 0; i < files->len; i++)
      ok &= load_face(fs, g_ptr_array_index(files, i), g_array_index(roles, int, i) == 1,
                      g_ptr_array_index(packages, i), listing, g_array_index(linenos, int, i), d);
  }
  g_ptr_array_free(files, TRUE);
  g_array_free(roles, TRUE);
  g_ptr_array_free(packages, TRUE);
  g_array_free(linenos, TRUE);
  if (!ok) {
    tg_fonts_free(fs);
    return NULL;
  }
  return fs;
}

void tg_fonts_free(tg_fonts *fs) {
  if (!fs) return;
  g_ptr_array_free(fs->faces, TRUE);
  if (fs->context) g_object_unref(fs->context);
  if (fs->fontmap) g_object_unref(fs->fontmap);
  if (fs->config) FcConfigDestroy(fs->config);
  g_free(fs);
}

const tg_face *tg_fonts_find(const tg_fonts *fs, const char *family, int weight) {
  for (guint i = 0; i < fs->faces->len; i++) {
    const tg_face *f = g_ptr_array_index(fs->faces, i);
    if (f->weight != weight) continue;
    for (int k = 0; f->families[k]; k++)
      if (strcmp(f->families[k], family) == 0) return f;
  }
  return NULL;
}

size_t tg_fonts_get_count(const tg_fonts *fs) { return fs->faces->len; }
const tg_face *tg_fonts_get(const tg_fonts *fs, size_t i) {
  return i < fs->faces->len ? g_ptr_array_index(fs->faces, i) : NULL;
}
const char *tg_face_get_family(const tg_face *f) { return f->families[0]; }
const char *tg_face_get_postscript_name(const tg_face *f) { return f->psname; }
const char *tg_face_get_file(const tg_face *f) { return f->file; }
int tg_face_get_weight(const tg_face *f) { return f->weight; }
bool tg_face_is_fallback(const tg_face *f) { return f->fallback; }
void *tg_face_get_cairo_face(const tg_face *f) { return f->cairo_face; }
void *tg_face_get_hb_font(const tg_face *f) { return f->hb; }

bool tg_face_has_char(const tg_face *f, uint32_t cp, uint32_t vs) {
  hb_codepoint_t g;
  if (vs) return hb_font_get_variation_glyph(f->hb, cp, vs, &g);
  return hb_font_get_nominal_glyph(f->hb, cp, &g);
}

/* Fallback faces in listing order. */
size_t layout_fonts_fallbacks(const tg_fonts *fs, const tg_face **out, size_t max) {
  size_t n = 0;
  for (guint i = 0; i < fs->faces->len && n < max; i++) {
    const tg_face *f = g_ptr_array_index(fs->faces, i);
    if (f->fallback) out[n++] = f;
  }
  return n;
}
