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
 *  - customer barcodes placed as bars (the encoder, tg_custbar, is in
 *    postal.h).
 *
 * Coordinates are points from the top-left corner of the page, y downwards.
 */
#ifndef TEGAMI_LAYOUT_H
#define TEGAMI_LAYOUT_H

#include "tegami/design.h"
#include "tegami/diag.h"
#include "tegami/merge.h"
#include "tegami/postal.h"

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
/* Can some face of the set draw every character of s[0, len) — each with
 * its variation selector, if any?  If not, the first one that cannot be
 * drawn is in *bad_cp / *bad_vs (either may be NULL).  Spaces and line
 * breaks always can; control characters never. */
bool tg_fonts_can_draw(const tg_fonts *fonts, const char *s, size_t len, uint32_t *bad_cp,
                       uint32_t *bad_vs);
/* The face's Cairo font face (borrowed; type cairo_font_face_t*). */
void *tg_face_get_cairo_face(const tg_face *face);
/* The face's HarfBuzz font (borrowed, immutable; hb_font_t*, scale = upem). */
void *tg_face_get_hb_font(const tg_face *face);

/* ---- display list ------------------------------------------------------------- */

typedef enum {
  TG_ITEM_GLYPHS,
  TG_ITEM_RECT,
  TG_ITEM_LINE,
  TG_ITEM_QR,
  TG_ITEM_IMAGE, /* a PNG or SVG of the design, loaded once per layout */
  TG_ITEM_SLOT,  /* a declared place (chart): not drawn itself; a chart's slot item names
                    its kind and values and is followed by its drawn items */
  TG_ITEM_BARS,  /* a Japan Post customer barcode: bars as vector rectangles */
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
      double hatch_pt;       /* diagonal hatching inside, lines this far apart (0 = none) */
      uint32_t hatch;        /* its colour */
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
      double w_pt, h_pt;   /* the box the image is drawn into */
      void *surface;       /* cairo_surface_t* (owned by the layout): PNG pixels, or an SVG
                              recorded as vectors */
      double src_w, src_h; /* the surface's own size, in its units */
      const char *file;    /* as written in the design */
    } image;
    struct {
      const char *data;    /* "27301023-20-5B604" as the manual writes it */
      char check_digit[8]; /* "5", "-", "CC8" */
      const char *pattern; /* 67 letters F/A/D/T */
      size_t nbars;
      const struct tg_custbar_rect *bars; /* relative to the item origin (top-left of bars) */
      double size_pt, w_pt, h_pt;
    } bars;
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
  uint32_t barcodes;         /* customer barcodes drawn on the letter */
  uint32_t barcodes_omitted; /* customer barcodes that could not be made (代表番号, …) */
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
/* Does the design draw an SVG image (which only Cairo's PDF writer can)? */
bool tg_layout_has_svg(const tg_layout *layout);

/* Per-thread working state: a per-letter arena and a shaping cache. */
typedef struct tg_layout_ctx tg_layout_ctx;
tg_layout_ctx *tg_layout_ctx_new(const tg_fonts *fonts);
void tg_layout_ctx_free(tg_layout_ctx *ctx);

/* A text frame outside any design: control numbers, label cells, sheets
 * generated by the later stages.  The text wraps within width_pt (0 = one
 * line, no wrapping); lines and font fallback follow the same rules as in
 * letters. */
typedef struct tg_frame_spec {
  const char *family; /* a family of the font set */
  int weight;         /* 400 or 700 */
  double size_pt;
  double line_height; /* multiple of the size; 0 = 1.4 */
  tg_align align;
  uint32_t color; /* 0 = black */
  double x_pt, y_pt, width_pt;
  size_t max_lines;   /* 0 = unlimited */
  double min_size_pt; /* shrink down to this size to fit max_lines; 0 = no shrinking */
  bool address;       /* a postal address: its building goes on a line of its own when
                         the whole does not fit on one, as in the address block */
} tg_frame_spec;

/* Set `text` as specified.  The items live in ctx and stay valid only until
 * the next tg_layout_* call on ctx (copy them to keep several frames).  Returns false (reported)
 * when a character cannot be drawn, the family is not in the font set, or the text needs more than
 * max_lines.  *height_pt receives the height used. */
bool tg_layout_frame(tg_layout_ctx *ctx, const tg_frame_spec *spec, const char *text,
                     const char *name, const tg_item **items, size_t *nitems, double *height_pt,
                     tg_diag *d);
/* The move (*dx_pt, *dy_pt) that puts one set line's baseline at y_pt and its glyphs
 * starting at, centred on or ending at x_pt (TG_ALIGN_LEFT, _CENTER, _RIGHT).  False when
 * the line has no glyphs (nothing to place). */
bool tg_layout_place_line(const tg_item *items, size_t n, tg_align align, double x_pt, double y_pt,
                          double *dx_pt, double *dy_pt);
/* Start a new set of frames: releases the items of earlier calls. */
void tg_layout_ctx_reset(tg_layout_ctx *ctx);

/* The postal-code dictionary the customer barcode takes its town names
 * from (borrowed; NULL: barcodes only from 住所B given directly). */
struct tg_postal;
void tg_layout_set_postal(tg_layout *layout, const struct tg_postal *postal);

/* Lay out one merged letter, with the blocks of its variant and segment and
 * those whose `when:` holds.  The pages live in ctx until the next call.
 * First, every merged character the letter shows is checked against the
 * fonts that will draw it (variation sequences included): a character no
 * font can draw rejects the row, naming the code point and the column it
 * came from (data.glyph-missing), and nothing is laid out.  Returns false
 * (with a diagnostic naming the row) if the letter cannot be laid out: that,
 * or text overflowing its frame. */
bool tg_layout_letter(const tg_layout *layout, tg_layout_ctx *ctx, const tg_letter *letter,
                      tg_pages *out, tg_diag *d);

/* ---- result charts (chart.c) -----------------------------------------------------------
 *
 * The reader's own results drawn as vectors into a design's `chart` block:
 * values against the 特定健診 判定値 (保健指導判定値 and 受診勧奨判定値,
 * 令和6年度版), eGFR on the CKD G categories, and visit history by year.
 * Kinds: results, blood-pressure, hba1c, glucose, ldl, egfr, visits (value
 * names in docs/letters.md).  A chart is a slot item (kind and merged values,
 * for the trace) followed by rectangles, lines and glyph runs named
 * "<block>/<part>"; labels go through the text engine (fallback, kinsoku,
 * ruby markup {腎臓|じんぞう} in label values).  Zones differ in lightness,
 * hatching and a legend, never by colour alone. */

typedef struct tg_chart_measure {
  const char *name;  /* value name: systolic, diastolic, hba1c, glucose, ldl, egfr */
  const char *label; /* default label, e.g. "収縮期血圧（上）" */
  const char *unit;
  double axis_min, axis_max; /* the scale drawn (eGFR: G bands of equal width instead) */
  double guide;              /* 保健指導判定値 */
  double refer;              /* 受診勧奨判定値 */
  bool lower_is_worse;       /* eGFR: guide and refer are upper limits (< 60, < 45) */
  int decimals;              /* digits shown after the point */
} tg_chart_measure;

typedef enum { TG_CHART_NORMAL, TG_CHART_GUIDE, TG_CHART_REFER } tg_chart_zone;

/* The measure called `name`, or NULL. */
const tg_chart_measure *tg_chart_find_measure(const char *name);
/* Which zone a value falls in: below the 保健指導判定値, up to the
 * 受診勧奨判定値, or beyond it. */
tg_chart_zone tg_chart_classify(const tg_chart_measure *m, double value);
/* The CKD GFR category of an eGFR: "G1", "G2", "G3a", "G3b", "G4" or "G5". */
const char *tg_ckd_g_category(double egfr);

/* A chart outside any design (tests, sheets the later stages draw). */
typedef struct tg_chart_spec {
  const char *kind; /* "results", "egfr", "visits" … */
  const char *name; /* names the items (NULL: "chart") */
  double x_pt, y_pt, width_pt, height_pt;
  size_t nvalues;
  const char *const *names; /* value names as in a design's `values:` */
  const char *const *values;
  const char *family; /* labels: a family of the font set (NULL: BIZ UDPGothic) */
  int weight;         /* 0: 400 */
  double size_pt;     /* 0: 9pt */
} tg_chart_spec;

/* Draw a chart into ctx (like tg_layout_frame: the items stay valid until
 * the next tg_layout_* call on ctx).  False (reported: chart.kind,
 * chart.value, chart.number, layout.*) when it cannot be drawn. */
bool tg_layout_chart(tg_layout_ctx *ctx, const tg_chart_spec *spec, const tg_item **items,
                     size_t *nitems, tg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
