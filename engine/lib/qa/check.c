/* check.c — checking a design on its own, as designers iterate.
 *
 * `tegami check DESIGN.yaml` needs no data: the schema is checked, templates
 * are compiled (placeholders are accepted unchecked; they are checked against
 * the real columns when a job uses the design), every style's font is looked
 * up in the font set and the static content is laid out, so overflowing
 * static text or a glyph missing from the fonts is found before any run.
 * Designs with easy-Japanese variants also get the やさしい日本語 checks
 * (sentence length, kanji without ruby, text and ruby sizes) as warnings;
 * a design asking for `ruby: auto` has its readings looked up here as in a
 * run, so the kanji the dictionary and MeCab leave bare are listed too.
 */
#include "qa/qa_private.h"

tg_exit tg_check_design(const char *path, const char *fontset, tg_diag *d) {
  tg_design *ds = tg_design_load(path, d);
  if (!ds) return TG_EXIT_INVALID;
  tg_values *consts = tg_values_new();
  tg_furigana *furigana = tg_design_uses_auto_ruby(ds) ? tg_furigana_new_from_data_dir(d) : NULL;
  tg_merge_options mo = {.furigana = furigana};
  tg_merge *m = tg_merge_new_full(ds, NULL, 0, consts, &mo, d);
  if (m) tg_merge_check_easy(m, d);
  char *fs_path =
      fontset ? g_strdup(fontset) : g_build_filename(tg_data_dir(), "fonts", "fontset.txt", NULL);
  tg_fonts *fonts = m ? tg_fonts_load(fs_path, d) : NULL;
  g_free(fs_path);
  tg_layout *L = fonts ? tg_layout_new(ds, m, fonts, 0, d) : NULL;
  tg_layout_free(L);
  tg_fonts_free(fonts);
  tg_merge_free(m);
  tg_furigana_free(furigana);
  tg_values_free(consts);
  tg_design_free(ds);
  tg_exit e = tg_diag_exit_code(d);
  return e;
}
