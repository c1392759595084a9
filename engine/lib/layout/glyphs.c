/* glyphs.c — the glyph preflight: can every merged character be drawn?
 *
 * Before a letter is laid out, every row-dependent text it shows is read
 * grapheme by grapheme (a character with its variation selector and
 * combining marks) and checked against the faces that will draw it: the
 * face of its style (or of the [font=…]/[b] span around it), then the
 * fallback fonts in order — the same choice the text engine makes.  A
 * character no face can draw, or a variation sequence no face has, rejects
 * the row with the code point and the column the merge says it came from
 * (`U+20BB7 in 氏名`), so staff can look at the right field; a .notdef box
 * is never drawn.  Characters of the design's own text are checked when the
 * static layers are laid out, and here only when a row-dependent text holds
 * them (then the block is named).  Every such character of the letter is
 * reported, each once.
 */
#include "layout/layout_private.h"

#include <string.h>

#define MAX_FALLBACKS 8
#define MAX_REPORTS   16

static bool is_vs(uint32_t cp) {
  return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static bool is_extender(uint32_t cp) {
  return is_vs(cp) || cp == 0x200D || (cp >= 0xE0020 && cp <= 0xE007F) || g_unichar_ismark(cp);
}

static bool is_control(uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp < 0xA0) ||
         cp == 0xFFFD;
}

/* The character at byte i and what extends it (marks, joiners, tags): its
 * code point, its first variation selector (0: none) and the byte after. */
static size_t next_cluster(const char *s, size_t len, size_t i, uint32_t *cp, uint32_t *vs) {
  *vs = 0;
  i += (size_t)tg_utf8_decode(s + i, len - i, cp);
  while (i < len) {
    uint32_t nx;
    int k = tg_utf8_decode(s + i, len - i, &nx);
    if (!is_extender(nx)) break;
    if (is_vs(nx) && !*vs) *vs = nx;
    i += (size_t)k;
  }
  return i;
}

bool tg_fonts_can_draw(const tg_fonts *fonts, const char *s, size_t len, uint32_t *bad_cp,
                       uint32_t *bad_vs) {
  size_t i = 0;
  while (i < len) {
    uint32_t cp, vs;
    i = next_cluster(s, len, i, &cp, &vs);
    if (cp == '\n' || cp == '\r' || cp == '\t' || cp == ' ') continue;
    bool ok = false;
    for (size_t f = 0; !ok && !is_control(cp) && f < tg_fonts_get_count(fonts); f++)
      ok = tg_face_has_char(tg_fonts_get(fonts, f), cp, vs);
    if (!ok) {
      if (bad_cp) *bad_cp = cp;
      if (bad_vs) *bad_vs = vs;
      return false;
    }
  }
  return true;
}

/* The face the style and the attributes at byte `at` ask for (NULL: a face
 * the set lacks, which tg_layout_new has already reported). */
static const tg_face *face_at(const tg_fonts *fonts, const text_style *st, const tg_attrs *a,
                              size_t at) {
  const char *family = st->family;
  int weight = st->weight;
  for (size_t k = 0; a && k < a->n; k++) {
    const tg_attr *x = &a->v[k];
    if (x->start > at || x->end <= at) continue;
    if (x->type == TG_ATTR_FONT) family = x->u.font;
    if (x->type == TG_ATTR_WEIGHT) weight = x->u.weight;
  }
  if (family == st->family && weight == st->weight) return st->face;
  return family ? tg_fonts_find(fonts, family, weight) : NULL;
}

typedef struct {
  uint32_t cp, vs;
  const char *column; /* NULL: the design's text */
} seen_char;

static bool already(const GArray *seen, uint32_t cp, uint32_t vs, const char *column) {
  for (guint i = 0; i < seen->len; i++) {
    const seen_char *c = &g_array_index(seen, seen_char, i);
    if (c->cp == cp && c->vs == vs &&
        (c->column == column || (c->column && column && strcmp(c->column, column) == 0)))
      return true;
  }
  return false;
}

static void report(tg_diag *d, const tg_letter *l, const char *block, const char *column,
                   uint32_t cp, uint32_t vs) {
  const char *file = l->list_path;
  uint64_t row = l->row ? l->row->number : 0;
  char what[64];
  if (vs)
    g_snprintf(what, sizeof what, "U+%04X with variation selector U+%04X", cp, vs);
  else
    g_snprintf(what, sizeof what, "U+%04X", cp);
  if (column) {
    if (is_control(cp))
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "data.glyph-missing", file, row, column,
                  "control character %s in %s cannot be printed", what, column);
    else
      tg_diag_row(d, TG_ERROR, TG_KIND_DATA, "data.glyph-missing", file, row, column,
                  "%s in %s: no font of the font set can draw it, so the letter is not printed",
                  what, column);
  } else {
    tg_diag_row(d, TG_ERROR, TG_KIND_LAYOUT, "layout.glyph-missing", file, row, NULL,
                "no font in the font set can draw %s (in the text of '%s')", what, block);
  }
}

bool layout_preflight_letter(const layout_env *env, const text_style *const *slot_style,
                             const char *const *slot_block, const tg_letter *l, tg_diag *d) {
  const tg_face *fb[MAX_FALLBACKS];
  size_t nfb = layout_fonts_fallbacks(env->fonts, fb, MAX_FALLBACKS);
  GArray *seen = NULL;
  bool ok = true;
  for (size_t slot = 0; slot < l->nvalues; slot++) {
    const text_style *st = slot_style[slot];
    if (!st || tg_merge_slot_is_static(env->merge, (int)slot)) continue;
    const char *s = l->values[slot];
    size_t len = strlen(s);
    if (!len) continue;
    const tg_attrs *a = l->attrs[slot];
    size_t nsrc;
    const tg_value_source *src = tg_letter_get_sources(l, (int)slot, &nsrc);
    size_t i = 0;
    while (i < len) {
      size_t at = i;
      uint32_t cp, vs;
      i = next_cluster(s, len, i, &cp, &vs);
      if (cp == '\n' || cp == '\t' || (cp == '\r' && (i >= len || s[i] == '\n'))) continue;
      bool drawable = false;
      if (!is_control(cp) && cp != '\r') {
        const tg_face *face = face_at(env->fonts, st, a, at);
        if (!face) continue; /* a missing face is the design's error, reported at load */
        drawable = tg_face_has_char(face, cp, vs);
        for (size_t f = 0; !drawable && f < nfb; f++)
          drawable = tg_face_has_char(fb[f], cp, vs);
      }
      if (drawable) continue;
      ok = false;
      const char *column = NULL;
      for (size_t k = 0; k < nsrc && !column; k++)
        if (src[k].start <= at && at < src[k].end) column = src[k].column;
      if (!seen) seen = g_array_new(FALSE, FALSE, sizeof(seen_char));
      if (already(seen, cp, vs, column) || seen->len >= MAX_REPORTS) continue;
      seen_char c = {cp, vs, column};
      g_array_append_val(seen, c);
      report(d, l, slot_block[slot], column, cp, vs);
    }
  }
  if (seen) g_array_free(seen, TRUE);
  return ok;
}
