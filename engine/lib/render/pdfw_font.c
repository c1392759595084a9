/* render/pdfw_font.c — the fonts of tegami's own PDF writer (render/pdfw.h).
 *
 * The sink notes every glyph it draws here (pdfw_font_use_glyph, millions a
 * second, so per-glyph state lives in arrays indexed by glyph id), and at the
 * end each face used is subset with HarfBuzz and embedded as a CID font:
 * Type 0 (Identity-H) → CIDFontType2 whose CIDs are the face's own glyph ids
 * (so content streams show original glyph ids and a CIDToGIDMap leads to the
 * subset's), a FontDescriptor with the subset as FontFile2, /W from the face's
 * advances and a ToUnicode CMap from the first text noted for each glyph.
 * Everything is written in index and glyph-id order and the subset tag is a
 * hash of the face and its glyphs, so identical input gives identical bytes.
 */
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <string.h>

#include "render/pdfw.h"

#define NOTE_UNUSED     UINT32_MAX /* glyph_note.off of a glyph not drawn */
#define NOTE_NO_TEXT    0          /* glyph_note.len of a glyph drawn without text */
#define ADVANCE_UNKNOWN (-1)       /* advance cache entry not looked up yet */
#define BFCHAR_BLOCK    100        /* entries per beginbfchar block (the CMap limit) */

typedef struct {
  uint32_t off; /* into pdfw_font.texts; NOTE_UNUSED: the glyph is not used */
  uint32_t len; /* bytes of text; NOTE_NO_TEXT: none noted yet */
} glyph_note;

struct pdfw_font {
  const tg_face *face;
  hb_font_t *hb; /* the face's, borrowed (scale = upem) */
  unsigned upem;
  unsigned index;  /* resource /F<index>, from 1 */
  uint32_t object; /* the Type 0 font */
  glyph_note *notes;
  uint32_t notes_len;     /* entries allocated (glyph ids below it) */
  uint32_t used;          /* glyphs noted */
  GString *texts;         /* the texts of the notes, back to back */
  int32_t *advance_units; /* per glyph id below nglyphs, in font units */
  uint32_t nglyphs;
};

struct pdfw_fonts {
  GHashTable *by_face; /* tg_face* → pdfw_font* */
  GPtrArray *fonts;    /* pdfw_font*, index order */
};

static void font_free(pdfw_font *f) {
  g_free(f->notes);
  g_string_free(f->texts, TRUE);
  g_free(f->advance_units);
  g_free(f);
}

pdfw_fonts *pdfw_fonts_new(void) {
  pdfw_fonts *fs = g_new0(pdfw_fonts, 1);
  fs->by_face = g_hash_table_new(g_direct_hash, g_direct_equal);
  fs->fonts = g_ptr_array_new_with_free_func((GDestroyNotify)font_free);
  return fs;
}

void pdfw_fonts_free(pdfw_fonts *fs) {
  if (!fs) return;
  g_hash_table_destroy(fs->by_face);
  g_ptr_array_free(fs->fonts, TRUE);
  g_free(fs);
}

pdfw_font *pdfw_fonts_get(pdfw_fonts *fs, pdfw *w, const tg_face *face) {
  pdfw_font *f = g_hash_table_lookup(fs->by_face, face);
  if (f) return f;
  f = g_new0(pdfw_font, 1);
  f->face = face;
  f->hb = tg_face_get_hb_font(face);
  hb_face_t *hface = hb_font_get_face(f->hb);
  f->upem = hb_face_get_upem(hface);
  f->nglyphs = hb_face_get_glyph_count(hface);
  f->advance_units = g_new(int32_t, f->nglyphs ? f->nglyphs : 1);
  for (uint32_t g = 0; g < f->nglyphs; g++)
    f->advance_units[g] = ADVANCE_UNKNOWN;
  f->texts = g_string_new(NULL);
  g_ptr_array_add(fs->fonts, f);
  f->index = fs->fonts->len;
  f->object = pdfw_reserve(w);
  g_hash_table_insert(fs->by_face, (gpointer)face, f);
  return f;
}

unsigned pdfw_font_get_index(const pdfw_font *f) { return f->index; }
uint32_t pdfw_font_get_object(const pdfw_font *f) { return f->object; }

static void grow_notes(pdfw_font *f, uint32_t gid) {
  uint32_t n = f->notes_len ? f->notes_len : 256;
  while (n <= gid)
    n = n > UINT32_MAX / 2 ? gid + 1 : n * 2;
  f->notes = g_renew(glyph_note, f->notes, n);
  for (uint32_t g = f->notes_len; g < n; g++)
    f->notes[g] = (glyph_note){NOTE_UNUSED, 0};
  f->notes_len = n;
}

bool pdfw_font_use_glyph(pdfw_font *f, uint32_t gid, const char *text, size_t len) {
  if (G_UNLIKELY(gid >= f->notes_len)) grow_notes(f, gid);
  glyph_note *n = &f->notes[gid];
  if (n->off == NOTE_UNUSED) {
    f->used++;
    n->off = (uint32_t)f->texts->len;
    n->len = (uint32_t)len;
    if (len) g_string_append_len(f->texts, text, (gssize)len);
    return true;
  }
  if (n->len == len) return len == 0 || memcmp(f->texts->str + n->off, text, len) == 0;
  if (n->len != NOTE_NO_TEXT) return false;
  /* noted without text before: this text is the glyph's */
  n->off = (uint32_t)f->texts->len;
  n->len = (uint32_t)len;
  g_string_append_len(f->texts, text, (gssize)len);
  return true;
}

double pdfw_font_advance(const pdfw_font *f, uint32_t gid) {
  if (G_UNLIKELY(gid >= f->nglyphs))
    return hb_font_get_glyph_h_advance(f->hb, gid) * 1000.0 / f->upem;
  int32_t *a = &f->advance_units[gid]; /* the cache is not the font's visible state */
  if (*a == ADVANCE_UNKNOWN) *a = hb_font_get_glyph_h_advance(f->hb, gid);
  return *a * 1000.0 / f->upem;
}

/* ---- writing ------------------------------------------------------------------- */

/* A PDF name (with its slash): bytes outside ! … ~ and delimiters as #xx. */
static void put_name(GString *s, const char *name) {
  g_string_append_c(s, '/');
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if (*p < 0x21 || *p > 0x7e || strchr("#()<>[]{}/%", *p))
      g_string_append_printf(s, "#%02X", *p);
    else
      g_string_append_c(s, (char)*p);
  }
}

/* The subset tag: six letters from an FNV-1a hash of the PostScript name
 * and the glyph ids used, in order. */
static void subset_tag(const pdfw_font *f, char tag[7]) {
  uint64_t h = 14695981039346656037u;
  const char *ps = tg_face_get_postscript_name(f->face);
  for (const char *p = ps ? ps : ""; *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211u;
  for (uint32_t g = 0; g < f->notes_len; g++) {
    if (f->notes[g].off == NOTE_UNUSED) continue;
    for (int k = 0; k < 4; k++)
      h = (h ^ ((g >> (8 * k)) & 0xff)) * 1099511628211u;
  }
  for (int k = 0; k < 6; k++) {
    tag[k] = (char)('A' + h % 26);
    h /= 26;
  }
  tag[6] = '\0';
}

/* The base font name: TAG+PSName. */
static void put_base_name(GString *s, const pdfw_font *f, const char *tag) {
  const char *ps = tg_face_get_postscript_name(f->face);
  char *full = g_strconcat(tag, "+", ps && *ps ? ps : "Font", NULL);
  put_name(s, full);
  g_free(full);
}

/* The subset of f's glyphs (and .notdef): the font bytes and each original
 * glyph id's new one in new_gids[0, notes_len) (0 if dropped).  NULL if
 * HarfBuzz fails. */
static hb_blob_t *subset(const pdfw_font *f, uint16_t *new_gids) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) return NULL;
  hb_set_t *glyphs = hb_subset_input_glyph_set(in);
  hb_set_add(glyphs, 0);
  for (uint32_t g = 0; g < f->notes_len; g++)
    if (f->notes[g].off != NOTE_UNUSED && g < f->nglyphs) hb_set_add(glyphs, g);
  /* A plain TrueType for a PDF viewer: outlines and metrics, no hinting,
   * no OpenType layout (the text is shaped already) and no vertical metrics. */
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
  static const char *const drop[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea",
                                     "vmtx", "VORG", "hdmx", "VDMX", "LTSH", "gasp", "meta",
                                     "STAT", "DSIG", "kern", "morx", "PCLT"};
  hb_set_t *tables = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (size_t k = 0; k < G_N_ELEMENTS(drop); k++)
    hb_set_add(tables, hb_tag_from_string(drop[k], 4));
  hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(hb_font_get_face(f->hb), in);
  hb_subset_input_destroy(in);
  if (!plan) return NULL;
  hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
  hb_blob_t *blob = NULL;
  if (sub) {
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (uint32_t g = 0; g < f->notes_len; g++) {
      hb_codepoint_t n = hb_map_get(map, g);
      new_gids[g] = n == HB_MAP_VALUE_INVALID ? 0 : (uint16_t)n;
    }
    blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    if (hb_blob_get_length(blob) == 0) {
      hb_blob_destroy(blob);
      blob = NULL;
    }
  }
  hb_subset_plan_destroy(plan);
  return blob;
}

/* A width in thousandths of an em to 3 decimals, as an integer to compare. */
static int64_t width_key(double w) { return (int64_t)(w * 1000.0 + (w < 0 ? -0.5 : 0.5)); }

/* The most common width of the used glyphs (the smaller one on a tie). */
static double default_width(const pdfw_font *f) {
  GHashTable *count = g_hash_table_new(g_int64_hash, g_int64_equal);
  GArray *keys = g_array_new(FALSE, FALSE, sizeof(int64_t));
  for (uint32_t g = 0; g < f->notes_len; g++)
    if (f->notes[g].off != NOTE_UNUSED) {
      int64_t k = width_key(pdfw_font_advance(f, g));
      g_array_append_val(keys, k);
    }
  int64_t best = 1000000;
  unsigned best_n = 0;
  for (guint i = 0; i < keys->len; i++) {
    int64_t *k = &g_array_index(keys, int64_t, i);
    unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(count, k)) + 1;
    g_hash_table_insert(count, k, GUINT_TO_POINTER(n));
    if (n > best_n || (n == best_n && *k < best)) best = *k, best_n = n;
  }
  g_hash_table_destroy(count);
  g_array_free(keys, TRUE);
  return best / 1000.0;
}

/* /W: the used glyphs whose width is not dw, consecutive CIDs grouped. */
static void put_widths(GString *s, const pdfw_font *f, double dw) {
  int64_t dk = width_key(dw);
  g_string_append(s, " /W [");
  bool open = false;
  uint32_t next = 0;
  for (uint32_t g = 0; g < f->notes_len; g++) {
    if (f->notes[g].off == NOTE_UNUSED) continue;
    double w = pdfw_font_advance(f, g);
    if (width_key(w) == dk) continue;
    if (!open || g != next) {
      if (open) g_string_append(s, "] ");
      pdfw_put_int(s, g);
      g_string_append(s, " [");
      open = true;
    } else {
      g_string_append_c(s, ' ');
    }
    pdfw_put_num(s, w);
    next = g + 1;
  }
  if (open) g_string_append_c(s, ']');
  g_string_append(s, "]");
}

static GString *to_unicode_cmap(const pdfw_font *f) {
  GString *s = g_string_new("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
                            ">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  GString *block = g_string_new(NULL), *entry = g_string_new(NULL);
  unsigned n = 0;
  for (uint32_t g = 0; g <= f->notes_len; g++) {
    bool last = g == f->notes_len;
    if (!last) {
      const glyph_note *gn = &f->notes[g];
      if (gn->off == NOTE_UNUSED || gn->len == NOTE_NO_TEXT || g > 0xFFFF) continue;
      g_string_truncate(entry, 0);
      g_string_append_c(entry, '<');
      pdfw_put_hex4(entry, g);
      g_string_append(entry, "> <");
      if (!pdfw_put_utf16_hex(entry, f->texts->str + gn->off, gn->len)) continue;
      g_string_append(entry, ">\n");
      g_string_append_len(block, entry->str, (gssize)entry->len);
      n++;
    }
    if (n && (n == BFCHAR_BLOCK || last)) {
      pdfw_put_int(s, n);
      g_string_append(s, " beginbfchar\n");
      g_string_append_len(s, block->str, (gssize)block->len);
      g_string_append(s, "endbfchar\n");
      g_string_truncate(block, 0);
      n = 0;
    }
  }
  g_string_append(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
  g_string_free(block, TRUE);
  g_string_free(entry, TRUE);
  return s;
}

/* The font's bounding box from its head table, in thousandths of an em. */
static void put_bbox(GString *s, const pdfw_font *f) {
  hb_blob_t *head = hb_face_reference_table(hb_font_get_face(f->hb), HB_TAG('h', 'e', 'a', 'd'));
  unsigned len = 0;
  const unsigned char *b = (const unsigned char *)hb_blob_get_data(head, &len);
  g_string_append(s, " /FontBBox [");
  for (int k = 0; k < 4; k++) {
    int16_t v = len >= 44 ? (int16_t)((b[36 + 2 * k] << 8) | b[37 + 2 * k]) : 0;
    if (k) g_string_append_c(s, ' ');
    pdfw_put_int(s, (int64_t)(v * 1000.0 / f->upem + (v < 0 ? -0.5 : 0.5)));
  }
  g_string_append_c(s, ']');
  hb_blob_destroy(head);
}

static void write_font(const pdfw_font *f, pdfw *w, hb_blob_t *font_file,
                       const uint16_t *new_gids) {
  char tag[7];
  subset_tag(f, tag);
  uint32_t cid_font = pdfw_reserve(w), descriptor = pdfw_reserve(w), file = pdfw_reserve(w),
           to_unicode = pdfw_reserve(w), cid_to_gid = pdfw_reserve(w);
  GString *s = g_string_new("<< /Type /Font /Subtype /Type0 /BaseFont ");
  put_base_name(s, f, tag);
  g_string_append(s, " /Encoding /Identity-H /DescendantFonts [");
  pdfw_put_ref(s, cid_font);
  g_string_append(s, "] /ToUnicode ");
  pdfw_put_ref(s, to_unicode);
  g_string_append(s, " >>");
  pdfw_object(w, f->object, s->str, s->len);

  double dw = default_width(f);
  g_string_assign(s, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont ");
  put_base_name(s, f, tag);
  g_string_append(s, " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                     " /FontDescriptor ");
  pdfw_put_ref(s, descriptor);
  g_string_append(s, " /DW ");
  pdfw_put_num(s, dw);
  put_widths(s, f, dw);
  g_string_append(s, " /CIDToGIDMap ");
  pdfw_put_ref(s, cid_to_gid);
  g_string_append(s, " >>");
  pdfw_object(w, cid_font, s->str, s->len);

  hb_font_extents_t ext;
  hb_font_get_h_extents(f->hb, &ext);
  hb_position_t cap;
  if (!hb_ot_metrics_get_position(f->hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || cap <= 0)
    cap = ext.ascender;
  g_string_assign(s, "<< /Type /FontDescriptor /FontName ");
  put_base_name(s, f, tag);
  g_string_append(s, " /Flags 4");
  put_bbox(s, f);
  g_string_append(s, " /ItalicAngle 0 /Ascent ");
  pdfw_put_num(s, ext.ascender * 1000.0 / f->upem);
  g_string_append(s, " /Descent ");
  pdfw_put_num(s, ext.descender * 1000.0 / f->upem); /* negative */
  g_string_append(s, " /CapHeight ");
  pdfw_put_num(s, cap * 1000.0 / f->upem);
  g_string_append(s, " /StemV 80 /FontFile2 ");
  pdfw_put_ref(s, file);
  g_string_append(s, " >>");
  pdfw_object(w, descriptor, s->str, s->len);

  unsigned font_len = 0;
  const char *font_data = hb_blob_get_data(font_file, &font_len);
  g_string_assign(s, "/Length1 ");
  pdfw_put_int(s, font_len);
  pdfw_stream(w, file, s->str, font_data, font_len, true);

  GString *cmap = to_unicode_cmap(f);
  pdfw_stream(w, to_unicode, "", cmap->str, cmap->len, true);
  g_string_free(cmap, TRUE);

  /* CIDToGIDMap: two bytes per CID from 0 to the largest used */
  uint32_t max_cid = 0;
  for (uint32_t g = 0; g < f->notes_len && g <= 0xFFFF; g++)
    if (f->notes[g].off != NOTE_UNUSED) max_cid = g;
  GByteArray *map = g_byte_array_sized_new(2 * (max_cid + 1));
  for (uint32_t g = 0; g <= max_cid; g++) {
    uint16_t n = g < f->notes_len && f->notes[g].off != NOTE_UNUSED ? new_gids[g] : 0;
    uint8_t be[2] = {(uint8_t)(n >> 8), (uint8_t)(n & 0xff)};
    g_byte_array_append(map, be, 2);
  }
  pdfw_stream(w, cid_to_gid, "", map->data, map->len, true);
  g_byte_array_free(map, TRUE);
  g_string_free(s, TRUE);
}

bool pdfw_fonts_write(pdfw_fonts *fs, pdfw *w, tg_diag *d) {
  bool ok = true;
  for (guint i = 0; i < fs->fonts->len; i++) {
    const pdfw_font *f = g_ptr_array_index(fs->fonts, i);
    uint16_t *new_gids = g_new0(uint16_t, f->notes_len ? f->notes_len : 1);
    hb_blob_t *font_file = subset(f, new_gids);
    if (!font_file) {
      tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "render.pdf", "cannot subset the font %s",
                  tg_face_get_file(f->face));
      ok = false;
    } else {
      write_font(f, w, font_file, new_gids);
      hb_blob_destroy(font_file);
    }
    g_free(new_gids);
  }
  return ok;
}
