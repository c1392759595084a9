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

#include <string.h>

/* Compile the design for lists of `type` with these columns and prove its
 * segments take every row.  False when it does not compile. */
static bool check_columns(const tg_design *ds, const char *type, const char *profile,
                          const char *const *columns, size_t ncols, const tg_merge_options *mo,
                          tg_diag *d) {
  tg_values *consts = tg_values_new();
  if (type) tg_values_set(consts, "list.type", type);
  tg_merge_options o = *mo;
  o.values_unchecked = true;
  tg_merge *m = tg_merge_new_full(ds, columns, ncols, consts, &o, d);
  if (m) tg_merge_check_coverage(m, profile, d);
  tg_merge_free(m);
  tg_values_free(consts);
  return m != NULL;
}

static size_t count_strv(const char *const *v) {
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

/* Without a profile or a list: the segments of every type that is a
 * profile's are proven against that profile's columns. */
static void check_profiles_coverage(const tg_design *ds, const tg_merge_options *mo, tg_diag *d) {
  for (const char *const *p = tg_targets_profile_names(); *p; p++) {
    const char *type = tg_targets_profile_type(*p);
    if (!ds->nsegments || !tg_design_segment_mask(ds, type)) continue;
    const char *const *cols = tg_targets_profile_columns(*p);
    tg_diag *scratch = tg_diag_new();
    bool compiled = check_columns(ds, type, *p, cols, count_strv(cols), mo, scratch);
    if (compiled) {
      tg_diag_take(d, scratch);
    } else {
      tg_diag_at(d, TG_WARNING, TG_KIND_SCHEMA, "segment.coverage-unproven", ds->segments_span,
                 "the letters of '%s' lists read columns that a %s list does not have: that "
                 "every row gets a segment is not proven",
                 type, *p);
      tg_diag_hint(d, "check it with --list FILE, or --profile %s to see the columns", *p);
    }
    tg_diag_free(scratch);
  }
}

/* --profile / --list: the design's columns against a list's. */
static void check_against_list(const tg_design *ds, const tg_check_options *opt,
                               const tg_merge_options *mo, tg_diag *d) {
  const char *profile = opt->profile;
  if (profile && !tg_targets_profile_type(profile)) {
    const char *const *names = tg_targets_profile_names();
    tg_diag_add(d, TG_ERROR, TG_KIND_USAGE, "check.unknown-profile",
                "'%s' is not a list profile (they are: %s, %s)", profile, names[0], names[1]);
    return;
  }
  tg_targets *t = NULL;
  const char *const *cols = tg_targets_profile_columns(profile);
  size_t ncols = count_strv(cols);
  if (opt->list) {
    tg_targets_options to = {.profile = profile};
    t = tg_targets_open(opt->list, &to, d);
    if (!t) return;
    cols = tg_targets_get_column_names(t);
    ncols = tg_targets_get_column_count(t);
  }
  if (profile || !ds->nsegments) {
    check_columns(ds, tg_targets_profile_type(profile), profile, cols, ncols, mo, d);
  } else {
    /* a list without a profile: the letters of each type the design has */
    for (size_t i = 0; i < ds->nsegments; i++) {
      bool seen = false;
      for (size_t k = 0; k < i && !seen; k++)
        seen = strcmp(ds->segments[k].type, ds->segments[i].type) == 0;
      if (!seen) check_columns(ds, ds->segments[i].type, NULL, cols, ncols, mo, d);
    }
  }
  tg_targets_free(t);
}

tg_exit tg_check_design(const char *path, const char *fontset, tg_diag *d) {
  tg_check_options o = {.fontset = fontset};
  return tg_check_design_full(path, &o, d);
}

tg_exit tg_check_design_full(const char *path, const tg_check_options *opt, tg_diag *d) {
  const char *fontset = opt->fontset;
  tg_design *ds = tg_design_load(path, d);
  if (!ds) return TG_EXIT_INVALID;
  tg_values *consts = tg_values_new();
  tg_furigana *furigana = tg_design_uses_auto_ruby(ds) ? tg_furigana_new_from_data_dir(d) : NULL;
  tg_merge_options mo = {.furigana = furigana};
  tg_merge *m = tg_merge_new_full(ds, NULL, 0, consts, &mo, d);
  if (m) tg_merge_check_easy(m, d);
  if (m && (opt->profile || opt->list))
    check_against_list(ds, opt, &mo, d);
  else if (m)
    check_profiles_coverage(ds, &mo, d);
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
