/* render/render_private.h — the sink interface and the shared Cairo painter.
 *
 * Every sink is a tg_sink with a small table of functions.  The PDF and PNG
 * sinks both paint items with paint_items(), which keeps one Cairo scaled font
 * per (face, size) so fonts are looked up once per run, not per glyph run.
 */
#ifndef TG_RENDER_PRIVATE_H
#define TG_RENDER_PRIVATE_H

#include <cairo.h>
#include <qpdf/qpdf-c.h>

#include "base/base.h"
#include "tegami/render.h"

typedef struct sink_vtable {
  void (*begin_letter)(tg_sink *s, const tg_letter_info *info);
  bool (*page)(tg_sink *s, const tg_page *page, tg_diag *d);
  bool (*close)(tg_sink *s, tg_diag *d);
  void (*free)(tg_sink *s);
} sink_vtable;

struct tg_sink {
  const sink_vtable *vt;
  uint64_t pages;
};

/* Scaled fonts keyed by (face, size). */
typedef struct font_cache font_cache;
font_cache *render_font_cache_new(void);
void render_font_cache_free(font_cache *c);

/* The trim size of the page being painted and the bleed around it: boxes
 * that touch a trim edge are drawn on into the bleed, so that trimming a
 * little off leaves no white edge. */
typedef struct paint_bleed {
  double w_pt, h_pt, bleed_pt;
} paint_bleed;

/* A filled box that touches a trim edge, grown into the bleed there. */
tg_item render_into_bleed(const tg_item *it, const paint_bleed *b);

/* The customer barcode's bars in ems of a/10 mm, so that one font serves
 * every size a: taken from the encoder's own geometry at a = 10, where an
 * em is 1 mm.  Glyphs 1–4 are F (long), A (ascender), D (descender) and
 * T (tracker); render_bar_glyph() gives a pattern letter's glyph. */
typedef struct render_bar_shape {
  double bar, pitch, lng, semi, ext, timing;
} render_bar_shape;
const render_bar_shape *render_bar_shape_get(void);
unsigned render_bar_glyph(char letter);

/* Japanese crop marks (トンボ) around a trim of w × h at the origin, with
 * `bleed` and `margin` (bleed + RENDER_MARK_AREA_MM) around it: the
 * hairline segments x0 y0 x1 y1, the same for both PDF writers (pdf.c). */
#define RENDER_MARK_AREA_MM  10.0 /* room for the crop marks beyond the bleed */
#define RENDER_CROP_SEGMENTS 24
void render_crop_marks(double w, double h, double bleed, double margin,
                       double seg[RENDER_CROP_SEGMENTS][4]);

/* The finished bytes of a PDF to their place: write_out when given, else
 * the file (0600, a temporary renamed); no file is left on failure. */
bool render_pdf_deliver(const char *path, tg_pdf_write_fn write_out, void *write_out_data,
                        const uint8_t *pdf, size_t len, tg_diag *d);

/* The PDF sink of tegami's own writer (pdf_own.c). */
tg_sink *render_pdf_own_new(const char *path, const tg_pdf_options *opt, tg_diag *d);

/* Paint items onto cr (page coordinates in points); bleed may be NULL. */
void render_paint_items(cairo_t *cr, font_cache *fc, const tg_item *items, size_t n,
                        const paint_bleed *bleed);

/* The finishing pass's colour rewrite (color.c, color_cmyk.c): black and
 * greys as K only, other colours to CMYK when asked. */
typedef struct render_color {
  qpdf_data q;
  GHashTable *done;   /* object ids of the streams already rewritten */
  void *transform;    /* sRGB → the CMYK profile (cmsHTRANSFORM), or NULL: keep RGB */
  unsigned char *icc; /* the CMYK profile's bytes (g_free), or NULL */
  size_t icc_len;
  char *icc_name;          /* its description */
  GHashTable *cmyk;        /* "r g b" → its CMYK operands, so each colour is converted once */
  size_t grays, converted; /* operators rewritten */
  size_t streams;          /* content streams replaced */
} render_color;

void render_color_init(render_color *c, qpdf_data q);
/* Load the CMYK profile when the options need it (converting or declaring);
 * false with a diagnostic if it cannot be used (color_cmyk.c). */
bool render_color_start(render_color *c, const tg_pdf_print *opt, tg_diag *d);
/* After the rewrite: the output intent, and for PDF/X-4 its identification
 * (Info keys, XMP metadata), TrimBox and DefaultRGB (color_pdfx.c). */
bool render_color_declare(render_color *c, const tg_pdf_print *opt, tg_diag *d);
void render_color_clear(render_color *c);
/* Rewrite every content stream of the document: pages, forms, tiling
 * patterns, Type 3 glyph procedures. */
bool render_color_rewrite(render_color *c, tg_diag *d);
/* One content stream: true (and the whole new stream in out) if anything
 * changed. */
bool render_color_rewrite_stream(render_color *c, const unsigned char *s, size_t n, GString *out);
/* An RGB colour that is not a grey: its CMYK operator into out (true), or
 * false to keep it RGB. */
bool render_color_convert(render_color *c, const double rgb[3], bool stroke, GString *out);

#endif
