/* layout/layout_private.h — internals shared by the files of the layout stage.
 *
 * fonts.c owns tg_face; linebreak.c classifies characters for Japanese line
 * breaking; text.c sets paragraphs into lines and emits glyph items; glyphs.c
 * checks a letter's merged characters against the fonts first; the block
 * files (blocks.c, qr.c, table.c, address.c) place design blocks; chart.c
 * draws result charts into chart slots; layout.c
 * ties them into static layers and letters.
 */
#ifndef TG_LAYOUT_PRIVATE_H
#define TG_LAYOUT_PRIVATE_H

#include <cairo.h>
#include <hb.h>

#include "base/base.h"
#include "tegami/layout.h"

struct _PangoFont;

struct tg_face {
  char **families; /* all names, first is the primary (English) one */
  char *psname;
  char *file;
  int weight;
  bool fallback;
  unsigned upem;
  double ascent_em, descent_em; /* positive, in ems */
  hb_font_t *hb;                /* scale = upem; immutable */
  cairo_font_face_t *cairo_face;
  struct _PangoFont *pango_font;
};

size_t layout_fonts_fallbacks(const tg_fonts *fs, const tg_face **out, size_t max);

/* ---- line breaking (linebreak.c) --------------------------------------------- */

typedef enum {
  LB_ID, /* ideographs, kana: break allowed on both sides */
  LB_AL, /* letters: no break inside a word */
  LB_NU, /* digits */
  LB_OP, /* opening brackets: no break after (行末禁則) */
  LB_CL, /* closing brackets and 、。: no break before (行頭禁則) */
  LB_NS, /* small kana, ー, 々, ・: no break before (行頭禁則) */
  LB_IS, /* . , between digits: no break before, none after before a digit */
  LB_SP, /* spaces: break after, not before; dropped at a line end */
  LB_CM, /* combining marks, variation selectors, ZWJ: never separated */
  LB_IN, /* … ‥ — : not separated from a like character */
  LB_GL, /* no-break space and word joiner */
  LB_PR, /* prefixes ¥ $ #: kept with the following number */
  LB_PO, /* postfixes % ℃: kept with the preceding number */
  LB_BA, /* hyphens: break after */
} lb_class;

lb_class layout_lb_class(uint32_t cp);
/* May a line break between a character of class a (code point ca) and one of
 * class b (code point cb)? */
bool layout_lb_allowed(lb_class a, uint32_t ca, lb_class b, uint32_t cb);
/* Characters that may hang past the right edge with hanging punctuation. */
bool layout_lb_hangable(uint32_t cp);
/* Characters that must not start a line / end a line (kinsoku sets). */
bool layout_kinsoku_no_start(uint32_t cp);
bool layout_kinsoku_no_end(uint32_t cp);

/* ---- text setting (text.c) ---------------------------------------------------- */

typedef struct layout_ctx_shape_cache shape_cache;

struct tg_layout_ctx {
  const tg_fonts *fonts;
  tg_arena *arena; /* per letter */
  shape_cache *cache;
  GArray *items;                       /* tg_item, current page (per letter) */
  uint32_t barcodes, barcodes_omitted; /* customer barcodes of the current letter */
  size_t page; /* 0-based page being laid out (the envelope window is on page 0) */
  GArray *scratch_units;
  GArray *scratch_glyphs;
  GArray *scratch_styles; /* resolved style runs of the paragraph */
  GArray *scratch_ruby;   /* ruby groups of the paragraph */
  GString *scratch_text;
};

typedef struct {
  const tg_face *face; /* the style's font */
  const char *family;  /* its family, for weight and font attributes */
  int weight;
  double size_pt;
  double line_height; /* multiple of size */
  tg_align align;
  uint32_t color;
  bool hanging;
  bool break_at_spaces; /* 分かち書き: break only at spaces and after 、。 */
  double ruby_scale;    /* ruby size as a fraction of the base size (0.5) */
} text_style;

typedef struct {
  double width_pt;  /* widest line */
  double height_pt; /* sum of the line boxes */
  size_t nlines;
  bool overflow;       /* taller than max_height or more than max_lines */
  uint32_t missing_cp; /* a character no font can draw (0 = none) */
  uint32_t missing_vs;
  const char *missing_family; /* an attribute asked for a face the set lacks */
  int missing_weight;
} text_result;

/* Set `text` (with attributes: weight, colour, size, underline, font, ruby;
 * attrs may be NULL) in a frame at (x, y) of width w.  max_height_pt 0 =
 * unlimited; max_lines 0 = unlimited.  Glyph items go to `items` (allocated in
 * `arena`) unless `items` is NULL (measure only).  Returns false if a
 * character could not be drawn (res->missing_cp) or an attribute names a face
 * the font set lacks (res->missing_family). */
bool layout_text(tg_layout_ctx *ctx, tg_arena *arena, GArray *items, const char *block,
                 const char *text, size_t len, const tg_attrs *attrs, const text_style *st,
                 double x_pt, double y_pt, double width_pt, double max_height_pt, size_t max_lines,
                 text_result *res);

/* blocks.c: append a rectangle (radius 0: square corners; fill or stroke 0:
 * none) or a line to `items`; charts draw with them too. */
void layout_add_rect(GArray *items, const char *block, double x, double y, double w, double h,
                     double stroke_pt, uint32_t stroke, uint32_t fill, double radius);
void layout_add_line(GArray *items, const char *block, double x1, double y1, double x2, double y2,
                     double width, uint32_t color, bool dashed);

/* Line pitch of a style. */
static inline double layout_pitch(const text_style *st) { return st->size_pt * st->line_height; }

/* Create the text engine's scratch arrays and shaping cache in ctx. */
void layout_text_ctx_init(tg_layout_ctx *ctx);
shape_cache *layout_shape_cache_new(void);
void layout_shape_cache_free(shape_cache *c);

/* ---- blocks (blocks.c) -------------------------------------------------------- */

typedef struct layout_images layout_images;

typedef struct {
  const tg_design *design;
  const tg_merge *merge;
  const tg_fonts *fonts;
  /* resolved text styles, parallel to design->styles (every variant's
   * table), plus the default */
  text_style *styles;
  text_style default_style;
  layout_images *images;
  const struct tg_postal *postal; /* town names for customer barcodes, or NULL */
} layout_env;

/* The customer barcode of a postal code and address, placed with its
 * top-left at (x, y) (custbar_place.c).  An address that gets no barcode
 * (a representative postal code, a town not found in the address) is
 * reported as a note or warning naming the row, and counted in
 * *omitted — the letter still goes out.  *height_pt: the bars' height, 0
 * when omitted. */
void layout_place_custbar(const layout_env *env, tg_arena *arena, GArray *items, const char *block,
                          const char *postal, const char *address, double size_pt, double x_pt,
                          double y_pt, const char *file, uint64_t row, tg_diag *d, uint32_t *drawn,
                          uint32_t *omitted, double *height_pt);

/* The address as it is set (blocks.c): with a line break before its
 * building when it does not fit on one line of w_pt (arena copy), else
 * `addr` itself. */
const char *layout_address_text(tg_layout_ctx *ctx, tg_arena *arena, const text_style *st,
                                const char *addr, double w_pt);

/* Resolve a design style to faces; reports a missing font once per style. */
bool layout_resolve_style(layout_env *env, const tg_style *st, text_style *out, tg_diag *d);
const text_style *layout_style(const layout_env *env, const tg_style *st);

typedef struct {
  const char *file; /* list file, for row-named errors (NULL: static content) */
  uint64_t row;
  tg_span span; /* design location, for static content */
} err_where;

/* window.c: the items [0, n) that block b placed on the first page, against
 * the design's envelope window.  Reports layout.window-* (at the block's
 * span for a static block, at the row for a letter) and returns false. */
bool layout_window_check(const layout_env *env, const tg_block *b, const tg_item *items, size_t n,
                         const err_where *where, tg_diag *d);

/* What a letter shows: its variant and segment, the merged values
 * (values[slot], attrs[slot]) that decide `when:` rules, and its experiment
 * arm (index into design->arms; -1: every block, whatever its `arms:`). */
typedef struct {
  int variant, segment;
  const char *const *values;
  const tg_attrs *const *attrs;
  int arm;
} layout_sel;

/* Is block b shown for sel (variant, segment, `when:`)? */
bool layout_block_shown(const tg_block *b, const layout_sel *sel);

/* Lay out one block with its texts already merged.  Items go to `items`.
 * Returns false after reporting. */
bool layout_block(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                  const tg_block *b, const layout_sel *sel, const err_where *where, tg_diag *d);

/* ---- glyph preflight (glyphs.c) ------------------------------------------------ */

/* Check every row-dependent text of a letter that is set as text
 * (slot_style[slot] != NULL; slot_block names its block) against the faces
 * that will draw it.  Returns false after reporting each character no face
 * can draw: data.glyph-missing naming the column it came from, or
 * layout.glyph-missing naming the block. */
bool layout_preflight_letter(const layout_env *env, const text_style *const *slot_style,
                             const char *const *slot_block, const tg_letter *letter, tg_diag *d);

/* ---- result charts (chart.c) ------------------------------------------------------ */

/* Check a chart block (or the charts in a flow) when the layout is made: its
 * kind and value names.  Reports design errors; false if any. */
bool layout_chart_check(const layout_env *env, const tg_block *b, tg_diag *d);
/* Draw chart block b for the letter sel, into items.  Problems name the row
 * (file, row) or, for static content (file NULL), the block. */
bool layout_chart(const layout_env *env, tg_layout_ctx *ctx, tg_arena *arena, GArray *items,
                  const tg_block *b, const layout_sel *sel, const char *file, uint64_t row,
                  tg_diag *d);

/* ---- images (images.c) ----------------------------------------------------------- */

typedef struct {
  void *surface;        /* cairo_surface_t* */
  double width, height; /* in the surface's units (pixels, or SVG user units) */
} layout_image;

layout_images *layout_images_new(void);
void layout_images_free(layout_images *im);
/* Load (once) the image of block b; reports at the block on failure. */
const layout_image *layout_images_load(layout_images *im, const tg_block *b, tg_diag *d);
/* Already loaded image of block b (NULL if it failed). */
const layout_image *layout_images_get(const layout_images *im, const tg_block *b);
/* Is any of the loaded images an SVG (a recording surface)? */
bool layout_images_have_svg(const layout_images *im);

#endif
