/* tegami/layout.h — fonts, text setting and page composition.
 *
 * The layout stage turns a design plus a merged letter into placed pages: a
 * display list of glyph runs, rectangles, lines and QR symbols in points,
 * ready for any render sink.  Its parts:
 *
 *  - tg_fonts: the private font set.  fonts/fontset.txt names the font files;
 *    a private fontconfig configuration holds exactly those files, and Pango
 *    loads them through it, so output never depends on other installed fonts.
 *    Fonts are loaded once per run and then only read (safe across threads).
 *  - the text engine: HarfBuzz shaping with a per-cluster choice of font (the
 *    style's font, then the fallback fonts, checked for every character and
 *    variation sequence: a character no font has is an error, never tofu), and
 *    our own line breaking with Japanese kinsoku rules.
 *  - tg_layout: per design + merge, the static layers (blocks that do not
 *    depend on the row) laid out once, and the letter layout for the rest.
 *
 * Coordinates are points from the top-left corner of the page, y downwards.
 */
#ifndef TEGAMI_LAYOUT_H
#define TEGAMI_LAYOUT_H

#include "tegami/design.h"
#include "tegami/diag.h"
#include "tegami/merge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- fonts ------------------------------------------------------------------ */

typedef struct tg_fonts tg_fonts;
typedef struct tg_face tg_face;

/* Load the font set listed in `fontset_path` (fonts/fontset.txt). */
tg_fonts *tg_fonts_load(const char *fontset_path, tg_diag *d);
void tg_fonts_free(tg_fonts *fonts);
/* The face of `family` (any of its names, e.g. "BIZ UDPGothic" or
 * "BIZ UDPゴシック") at `weight` (400, 700), or NULL: no synthetic bold. */
const tg_face *tg_fonts_find(const tg_fonts *fonts, const char *family, int weight);
size_t tg_fonts_get_count(const tg_fonts *fonts);
const tg_face *tg_fonts_get(const tg_fonts *fonts, size_t i);
const char *tg_face_get_family(const tg_face *face);
const char *tg_face_get_postscript_name(const tg_face *face);
const char *tg_face_get_file(const tg_face *face);
int tg_face_get_weight(const tg_face *face);
bool tg_face_is_fallback(const tg_face *face);
/* Can this face draw code point cp (followed by variation selector vs, or 0)? */
bool tg_face_has_char(const tg_face *face, uint32_t cp, uint32_t vs);
/* The face's Cairo font face (borrowed; type cairo_font_face_t*). */
void *tg_face_get_cairo_face(const tg_face *face);

/* ---- display list ------------------------------------------------------------- */

typedef enum {
  TG_ITEM_GLYPHS,
  TG_ITEM_RECT,
  TG_ITEM_LINE,
  TG_ITEM_QR,
  TG_ITEM_IMAGE, /* a PNG or SVG of the design, loaded once per layout */
  TG_ITEM_SLOT,  /* a declared place for a later module (barcode, chart): not drawn */
} tg_item_type;

typedef struct tg_glyph {
  uint32_t id;
  float x_pt, y_pt; /* relative to the item origin (baseline start) */
} tg_glyph;

/* Same layout as cairo_text_cluster_t. */
typedef struct tg_cluster {
  int num_bytes, num_glyphs;
} tg_cluster;

typedef struct tg_item {
  tg_item_type type;
  const char *block; /* name of the design block it came from */
  double x_pt, y_pt; /* glyphs: baseline start; rect: top-left; line: start */
  uint32_t color;    /* 0xRRGGBBAA (glyphs, line; rect uses u.rect) */
  union {
    struct {
      const tg_face *face;
      double size_pt;
      double width_pt; /* advance width of the run */
      size_t nglyphs;
      const tg_glyph *glyphs;
      const char *text; /* the characters drawn, for copy-paste and traces */
      size_t text_len;
      size_t nclusters;
      const tg_cluster *clusters;
      bool ruby; /* furigana drawn above its base */
    } glyphs;
    struct {
      double w_pt, h_pt, stroke_pt, radius_pt;
      uint32_t stroke, fill; /* alpha 0 = none */
    } rect;
    struct {
      double x2_pt, y2_pt, width_pt;
      bool dashed;
    } line;
    struct {
      int modules;         /* symbol width in modules */
      const uint8_t *dark; /* modules*modules, 1 = dark */
      double module_pt;
      const char *data;
      tg_qr_ecc ecc;
      int version;
    } qr;
    struct {
      double w_pt, h_pt; /* the box the image is drawn into */
      void *surface;     /* cairo_surface_t* (owned by the layout): PNG pixels, or an SVG
                            recorded as vectors */
      double src_w, src_h; /* the surface's own size, in its units */
      const char *file;  /* as written in the design */
    } image;
    struct {
      const char *kind; /* "customer-barcode", or a chart kind */
      double w_pt, h_pt;
      size_t nvalues;
      const char *const *names;  /* value names of the declaration */
      const char *const *values; /* merged values (the barcode's postal code, …) */
    } slot;
  } u;
} tg_item;

typedef struct tg_layer {
  uint32_t id; /* unique within the run */
  size_t nitems;
  const tg_item *items;
} tg_layer;

typedef struct tg_page {
  double width_pt, height_pt;
  const tg_layer *static_layer; /* laid out once per run; may be NULL */
  size_t nitems;                /* row-dependent items */
  const tg_item *items;
} tg_page;

typedef struct tg_pages {
  size_t npages;
  tg_page *pages;
} tg_pages;

/* ---- layout -------------------------------------------------------------------- */

typedef struct tg_layout tg_layout;

/* Prepare a design for merging with `merge`: check that every style's font and
 * every face a span asks for is in the font set, load the design's images,
 * and lay out the static layers: one per page and per (variant, segment)
 * whose static content differs.  Errors in static content (a glyph missing,
 * text overflowing) are design errors.  `layer_id_base` makes layer ids
 * unique across layouts of one run: the next layout of the run starts at
 * layer_id_base + tg_layout_get_layer_count().  Borrows design, merge and
 * fonts. */
tg_layout *tg_layout_new(const tg_design *design, const tg_merge *merge, const tg_fonts *fonts,
                         uint32_t layer_id_base, tg_diag *d);
void tg_layout_free(tg_layout *layout);
/* Number of distinct static layers (ids layer_id_base+1 … +count). */
size_t tg_layout_get_layer_count(const tg_layout *layout);

/* Per-thread working state: a per-letter arena and a shaping cache. */
typedef struct tg_layout_ctx tg_layout_ctx;
tg_layout_ctx *tg_layout_ctx_new(const tg_fonts *fonts);
void tg_layout_ctx_free(tg_layout_ctx *ctx);

/* Lay out one merged letter, with the blocks of its variant and segment and
 * those whose `when:` holds.  The pages live in ctx until the next call.
 * Returns false (with a diagnostic naming the row) if the letter cannot be
 * laid out: text overflowing its frame, a character no font can draw. */
bool tg_layout_letter(const tg_layout *layout, tg_layout_ctx *ctx, const tg_letter *letter,
                      tg_pages *out, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
