/* pdf.c — the PDF sink: print output through Cairo.
 *
 * Static layers are recorded once into a Cairo recording surface and painted
 * on every page that uses them; Cairo's PDF backend then writes the layer as
 * one form XObject referenced from every page, which keeps files small and
 * rendering fast.  Fonts are embedded as subsets.  The creation date comes
 * from the options (job date or SOURCE_DATE_EPOCH), never from the clock.
 */
#include "render/render_private.h"

#include <cairo-pdf.h>
#include <string.h>

typedef struct {
  tg_sink base;
  cairo_surface_t *surface;
  cairo_t *cr;
  font_cache *fonts;
  GHashTable *recordings; /* layer id -> cairo_surface_t* */
  double w_pt, h_pt;
  char *path;
} pdf_sink;

static void pdf_begin_letter(tg_sink *s, const tg_letter_info *info) { (void)s, (void)info; }

static cairo_surface_t *recording_for(pdf_sink *p, const tg_page *page) {
  const tg_layer *layer = page->static_layer;
  cairo_surface_t *rec = g_hash_table_lookup(p->recordings, GUINT_TO_POINTER(layer->id));
  if (rec) return rec;
  cairo_rectangle_t ext = {0, 0, page->width_pt, page->height_pt};
  rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  cairo_t *cr = cairo_create(rec);
  render_paint_items(cr, p->fonts, layer->items, layer->nitems);
  cairo_destroy(cr);
  g_hash_table_insert(p->recordings, GUINT_TO_POINTER(layer->id), rec);
  return rec;
}

static bool pdf_page(tg_sink *s, const tg_page *page, tg_diag *d) {
  pdf_sink *p = (pdf_sink *)s;
  if (page->width_pt != p->w_pt || page->height_pt != p->h_pt) {
    cairo_pdf_surface_set_size(p->surface, page->width_pt, page->height_pt);
    p->w_pt = page->width_pt;
    p->h_pt = page->height_pt;
  }
  if (page->static_layer) {
    cairo_set_source_surface(p->cr, recording_for(p, page), 0, 0);
    cairo_paint(p->cr);
  }
  render_paint_items(p->cr, p->fonts, page->items, page->nitems);
  cairo_show_page(p->cr);
  s->pages++;
  cairo_status_t st = cairo_status(p->cr);
  if (st != CAIRO_STATUS_SUCCESS) {
    tg_diag_add(d, TG_ERROR, TG_KIND_LIBRARY, "render.cairo", "Cairo failed writing %s: %s",
                p->path, cairo_status_to_string(st));
    return false;
  }
  return true;
}

static bool pdf_close(tg_sink *s, tg_diag *d) {
  pdf_sink *p = (pdf_sink *)s;
  cairo_destroy(p->cr);
  p->cr = NULL;
  cairo_surface_finish(p->surface);
  cairo_status_t st = cairo_surface_status(p->surface);
  if (st != CAIRO_STATUS_SUCCESS) {
    tg_diag_add(d, TG_ERROR, st == CAIRO_STATUS_WRITE_ERROR ? TG_KIND_SYSTEM : TG_KIND_LIBRARY,
                "render.pdf", "cannot finish %s: %s", p->path, cairo_status_to_string(st));
    return false;
  }
  return true;
}

static void pdf_free(tg_sink *s) {
  pdf_sink *p = (pdf_sink *)s;
  if (p->cr) cairo_destroy(p->cr);
  g_hash_table_destroy(p->recordings);
  if (p->surface) cairo_surface_destroy(p->surface);
  render_font_cache_free(p->fonts);
  g_free(p->path);
  g_free(p);
}

static const sink_vtable PDF_VT = {pdf_begin_letter, pdf_page, pdf_close, pdf_free};

tg_sink *tg_sink_pdf_new(const char *path, const tg_pdf_options *opt, tg_diag *d) {
  pdf_sink *p = g_new0(pdf_sink, 1);
  p->base.vt = &PDF_VT;
  p->path = g_strdup(path);
  p->w_pt = 595.2755905511812; /* A4; changed per page when needed */
  p->h_pt = 841.8897637795276;
  p->surface = cairo_pdf_surface_create(path, p->w_pt, p->h_pt);
  p->recordings = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify)cairo_surface_destroy);
  p->fonts = render_font_cache_new();
  cairo_status_t st = cairo_surface_status(p->surface);
  if (st != CAIRO_STATUS_SUCCESS) {
    tg_diag_add(d, TG_ERROR, TG_KIND_SYSTEM, "render.pdf", "cannot create %s: %s", path,
                cairo_status_to_string(st));
    pdf_free(&p->base);
    return NULL;
  }
  cairo_pdf_surface_restrict_to_version(p->surface, CAIRO_PDF_VERSION_1_5);
  if (opt) {
    if (opt->title) cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, opt->title);
    if (opt->subject)
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_SUBJECT, opt->subject);
    if (opt->date) {
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, opt->date);
      cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_MOD_DATE, opt->date);
    }
  }
  cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "tegami " TG_VERSION);
  p->cr = cairo_create(p->surface);
  return &p->base;
}
